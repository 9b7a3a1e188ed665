/**
 * The engine registry: one interface, one result type (src/engines/result.ts).
 */
import type { Instance } from '../core/types.js';
import { referenceSolve } from './reference.js';
import { exactSolve } from './exact.js';
import type { SolveOptions, SolveResult } from './result.js';
import { z3Engine } from './z3.js';
import { milpEngine } from './milp.js';

export interface Engine {
  name: string;
  /** One line for --help. */
  summary: string;
  /** true when an 'infeasible' from this engine carries a checkable proof. */
  provesInfeasibility: boolean;
  solve(inst: Instance, opts: SolveOptions): Promise<SolveResult>;
}

export const engines: Record<string, Engine> = {
  exact: {
    name: 'exact',
    summary: 'branch and bound over activation literals, float-guided, every leaf and witness exact (default)',
    provesInfeasibility: true,
    solve: async (inst, opts) => exactSolve(inst, opts),
  },
  reference: {
    name: 'reference',
    summary: 'complete search, exact LP at every node, one thread (slow, simple)',
    provesInfeasibility: true,
    solve: async (inst, opts) => referenceSolve(inst, opts),
  },
  z3: z3Engine,
  milp: milpEngine,
};

export const defaultEngine = 'exact';
