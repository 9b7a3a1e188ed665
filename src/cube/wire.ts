/**
 * What travels between the coordinator of local workers (local.ts) and a
 * worker thread (worker.ts): plain JSON-like data, no class instances.
 */
import type { Network } from '../core/types.js';
import type { Literal } from '../encode/system.js';
import type { SharedClause } from '../engines/cdcl/index.js';
import type { CubeEngine, CubeOutcome } from '../engines/solve-under.js';
import type { SearchStats } from '../engines/result.js';
import type { LemmaSender, TableLemma } from './lemma-table.js';

export interface CubeTask {
  id: string;
  /** stopped when the worker's shared cancel cell holds this number */
  serial: number;
  caseIndex: number;
  assume: Literal[];
  engine: CubeEngine;
  deadline?: number;
  nodeBudget?: number;
  /** cdcl: share learned clauses of at most this many literals with the other workers (WorkersOptions.shareSize) */
  shareSize?: number;
}

export type WireOutcome =
  /**
   * `lemmas`: the lemmas this proof adds to its worker's lemma table of the case, at
   * indices lemmaBase, lemmaBase + 1, ...; the tree's lemma leaves index that table (lemma-table.ts)
   */
  | { verdict: 'infeasible'; tree: unknown; lemmas: TableLemma[]; lemmaBase: number; stats: SearchStats }
  | { verdict: 'feasible'; network: unknown; stats: SearchStats }
  | { verdict: 'unknown'; reason: string; stats: SearchStats };

/** A worker's answer for one cube; `solveMs`: the worker's own time deciding it (search and proof, not the copy of the reply). */
export type CubeReply = { id: string; outcome: WireOutcome; solveMs?: number } | { id: string; error: string };

/** A short clause a worker learned (cdcl), sent to the coordinator, which passes it on to the other workers' clause ports. */
export interface ClauseMessage {
  clause: SharedClause;
}

/** A cube's outcome as the worker sends it; a proof's lemmas go through the worker's LemmaSender for case `caseIndex`. */
export function toWire(o: CubeOutcome, networkJson: (n: Network) => unknown, sender: LemmaSender, caseIndex: number): WireOutcome {
  switch (o.verdict) {
    case 'infeasible': {
      const { base, added, tree } = sender.send(caseIndex, o.lemmas, o.tree);
      return { verdict: 'infeasible', tree, lemmas: added, lemmaBase: base, stats: o.stats };
    }
    case 'feasible':
      return { verdict: 'feasible', network: networkJson(o.network), stats: o.stats };
    case 'unknown':
      return { verdict: 'unknown', reason: o.reason, stats: o.stats };
  }
}
