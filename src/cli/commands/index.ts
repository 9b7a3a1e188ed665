/** The subcommands, in the order --help lists them. Add a command: one file, one line here. */
import type { Command } from 'commander';
import type { Io } from '../io.js';
import { register as stochastic } from './stochastic.js';
import { register as solve } from './solve.js';
import { register as check } from './check.js';
import { register as artifact } from './artifact.js';
import { register as evaluate } from './eval.js';
import { register as minimize } from './minimize.js';
import { register as table } from './table.js';
import { register as importWeights } from './import-weights.js';
import { register as plot } from './plot.js';
import { register as reduce } from './reduce.js';
import { register as fuzz } from './fuzz.js';
import { register as exportCmd } from './export.js';
import { register as crosscheck } from './crosscheck.js';
import { register as gram } from './gram.js';
import { register as teacher } from './teacher.js';
import { register as nystrom } from './nystrom.js';
import { register as subspace } from './subspace.js';
import { register as split } from './split.js';
import { register as merge } from './merge.js';
import { register as slurm } from './slurm.js';
import { register as instance } from './instance.js';
import { register as exportNetwork } from './export-network.js';

export type Register = (program: Command, io: Io, done: (code: number) => void) => void;

export const commands: Register[] = [
  solve,
  check,
  artifact,
  evaluate,
  minimize,
  table,
  instance,
  importWeights,
  plot,
  stochastic,
  reduce,
  fuzz,
  exportCmd,
  exportNetwork,
  crosscheck,
  gram,
  nystrom,
  teacher,
  subspace,
  split,
  merge,
  slurm,
];
