/**
 * What travels between the coordinator of local workers (local.ts) and a
 * worker thread (worker.ts): plain JSON-like data, no class instances.
 */
import type { Network } from '../core/types.js';
import type { Literal } from '../encode/system.js';
import type { SharedClause } from '../engines/cdcl/index.js';
import type { CubeEngine, CubeOutcome } from '../engines/solve-under.js';
import type { SearchStats } from '../engines/result.js';

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
  | { verdict: 'infeasible'; tree: unknown; lemmas: { assume: string[]; tree: unknown }[]; stats: SearchStats }
  | { verdict: 'feasible'; network: unknown; stats: SearchStats }
  | { verdict: 'unknown'; reason: string; stats: SearchStats };

export type CubeReply = { id: string; outcome: WireOutcome } | { id: string; error: string };

/** A short clause a worker learned (cdcl), sent to the coordinator, which passes it on to the other workers' clause ports. */
export interface ClauseMessage {
  clause: SharedClause;
}

export function toWire(o: CubeOutcome, networkJson: (n: Network) => unknown): WireOutcome {
  switch (o.verdict) {
    case 'infeasible':
      return { verdict: 'infeasible', tree: o.tree, lemmas: o.lemmas, stats: o.stats };
    case 'feasible':
      return { verdict: 'feasible', network: networkJson(o.network), stats: o.stats };
    case 'unknown':
      return { verdict: 'unknown', reason: o.reason, stats: o.stats };
  }
}
