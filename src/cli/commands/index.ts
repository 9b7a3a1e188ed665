/** The subcommands, in the order --help lists them. Add a command: one file, one line here. */
import type { Command } from 'commander';
import type { Io } from '../io.js';
import { register as stochastic } from './stochastic.js';
import { register as solve } from './solve.js';
import { register as check } from './check.js';
import { register as evaluate } from './eval.js';

export type Register = (program: Command, io: Io, done: (code: number) => void) => void;

export const commands: Register[] = [solve, check, evaluate, stochastic];
