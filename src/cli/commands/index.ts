/**
 * The subcommands, in the order --help lists them. Add a command: one file,
 * one line here. Each is loaded only when it runs (or when --help lists them
 * all): `relucert check` need not load the engines, nor `relucert --version`
 * anything (docs/benchmark.md, "Each instance in turn, three runs").
 */
import type { Command } from 'commander';
import type { Io } from '../io.js';

export type Register = (program: Command, io: Io, done: (code: number) => void) => void;

/** A subcommand: its name as typed, and the module whose `register` defines its options and action. */
export interface CommandEntry {
  name: string;
  load: () => Promise<{ register: Register }>;
}

export const commands: readonly CommandEntry[] = [
  { name: 'solve', load: () => import('./solve.js') },
  { name: 'check', load: () => import('./check.js') },
  { name: 'artifact', load: () => import('./artifact.js') },
  { name: 'eval', load: () => import('./eval.js') },
  { name: 'minimize', load: () => import('./minimize.js') },
  { name: 'table', load: () => import('./table.js') },
  { name: 'instance', load: () => import('./instance.js') },
  { name: 'import-weights', load: () => import('./import-weights.js') },
  { name: 'plot', load: () => import('./plot.js') },
  { name: 'stochastic', load: () => import('./stochastic.js') },
  { name: 'reduce', load: () => import('./reduce.js') },
  { name: 'fuzz', load: () => import('./fuzz.js') },
  { name: 'export', load: () => import('./export.js') },
  { name: 'export-network', load: () => import('./export-network.js') },
  { name: 'crosscheck', load: () => import('./crosscheck.js') },
  { name: 'gram', load: () => import('./gram.js') },
  { name: 'nystrom', load: () => import('./nystrom.js') },
  { name: 'teacher', load: () => import('./teacher.js') },
  { name: 'subspace', load: () => import('./subspace.js') },
  { name: 'split', load: () => import('./split.js') },
  { name: 'merge', load: () => import('./merge.js') },
  { name: 'slurm', load: () => import('./slurm.js') },
];
