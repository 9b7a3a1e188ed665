/**
 * The MILP model every MILP of relucert is written in (docs/export.md): named
 * variables (continuous with optional bounds, or binary) and rows over them,
 * every number exact. buildMilp (big-m.ts) and patternLp (pattern.ts) make
 * one; cplex-lp.ts and js-lp-model.ts write it for other solvers; point.ts
 * tests a network against it.
 */
import { Q } from '../../core/rational.js';
import type { Deadline } from '../../core/deadline.js';
import { InputError } from '../../format/errors.js';

export type MilpSense = '<=' | '>=' | '=';

export interface MilpVar {
  name: string;
  kind: 'continuous' | 'binary';
  /** undefined = unbounded on that side. Binaries are always in {0, 1}. */
  lb?: Q;
  ub?: Q;
}

export interface MilpRow {
  name: string;
  coefs: Map<string, Q>;
  sense: MilpSense;
  rhs: Q;
}

export interface MilpModel {
  title: string;
  /** Bound on every weight (see the file comment). */
  bigM: Q;
  /** Margin replacing strict inequalities. */
  epsilon: Q;
  vars: MilpVar[];
  rows: MilpRow[];
  /** Lines stated at the top of every written form. */
  notes: string[];
  /** What "this MILP is infeasible" means, exactly (one sentence, for every report of a MILP infeasible). */
  meaning: string;
}

export interface MilpOptions {
  /** Default DEFAULT_BIG_M. */
  bigM?: Q;
  /** Default DEFAULT_EPSILON. */
  epsilon?: Q;
  /** Building a large model takes seconds: ticked per row, throws Timeout past it (src/core/deadline.ts). */
  deadline?: Deadline;
}

export const DEFAULT_BIG_M = Q.of(100);
export const DEFAULT_EPSILON = Q.of(1, 1000);

/** Why there is no MILP for a squared-loss instance (docs/export.md): the export, the milp engine and crosscheck say this. */
export const MILP_NO_L2 = 'the MILP/LP export does not cover the squared loss l2 (its loss is quadratic, not linear); use the SMT-LIB export (QF_NRA)';

/** Parses --big-m: a positive integer. */
export function parseBigM(text: string | undefined): Q | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || BigInt(text) === 0n) throw new InputError('command line', '--big-m', `expected a positive integer, got ${JSON.stringify(text)}`);
  return Q.of(BigInt(text));
}
