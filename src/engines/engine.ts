/**
 * What every engine is to the rest of relucert (docs/engines.md): a name, a line of help, whether
 * its 'infeasible' carries a proof, and one solve function with one result type (result.ts).
 */
import type { Instance } from '../core/types.js';
import type { SolveOptions, SolveResult } from './result.js';

export interface Engine {
  name: string;
  /** One line for --help. */
  summary: string;
  /** true when an 'infeasible' from this engine carries a checkable proof. */
  provesInfeasibility: boolean;
  /** Decides `inst`: a witness, a proof, or 'unknown' with its reason (the deadline and cancellation in `opts` are honoured). */
  solve(inst: Instance, opts: SolveOptions): Promise<SolveResult>;
}
