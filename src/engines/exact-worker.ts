/**
 * The second searcher of the parallel exact engine (a worker thread): runs
 * the one-thread exact engine with another search order (exact.ts Strategy)
 * and posts back its whole result: a witness, a proof, or 'unknown'.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toInstance } from '../format/schema.js';
import { networkToJson } from '../format/write.js';
import { type Strategy, exactSolve } from './exact.js';
import type { Proof, SearchStats } from './result.js';

export type WorkerReply =
  | { type: 'feasible'; network: unknown; stats: SearchStats }
  | { type: 'infeasible'; proof: Proof; stats: SearchStats }
  | { type: 'unknown'; reason: string; stats: SearchStats }
  | { type: 'error'; message: string };

const data = workerData as { instance: unknown; deadline?: number; strategy: Strategy };
let reply: WorkerReply;
try {
  const r = exactSolve(toInstance(data.instance, 'worker'), data.deadline !== undefined ? { deadline: data.deadline } : {}, data.strategy);
  if (r.verdict === 'feasible') reply = { type: 'feasible', network: networkToJson(r.network), stats: r.stats };
  else if (r.verdict === 'infeasible') reply = { type: 'infeasible', proof: r.proof, stats: r.stats };
  else reply = { type: 'unknown', reason: r.reason, stats: r.stats };
} catch (e) {
  reply = { type: 'error', message: (e as Error).stack ?? String(e) };
}
parentPort!.postMessage(reply);
