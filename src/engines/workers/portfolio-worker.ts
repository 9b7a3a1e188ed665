/**
 * The second search of a portfolio (portfolio.ts), in a worker thread: runs
 * the named engine with its options, stops when the shared flag says the
 * main search has answered, and posts back its whole result. When it
 * answers first (a witness or a proof), it raises the flag so the main
 * search stops.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toInstance } from '../../format/schema.js';
import { networkToJson } from '../../format/write.js';
import { type CdclEngineOptions, cdclSolve } from '../cdcl/index.js';
import { type Strategy, exactSolve } from '../exact.js';
import type { Proof, SearchStats, SolveOptions } from '../result.js';

export interface PortfolioJob {
  engine: 'cdcl' | 'exact';
  /** cdcl: engine options; exact: the search order */
  options: CdclEngineOptions | Strategy;
  instance: unknown;
  deadline?: number;
  /** shared flag: 0 running, 1 this worker answered, 2 the main search answered */
  flag: Int32Array;
}

export type PortfolioReply =
  | { type: 'feasible'; network: unknown; stats: SearchStats }
  | { type: 'infeasible'; proof: Proof; stats: SearchStats }
  | { type: 'unknown'; reason: string; stats: SearchStats }
  | { type: 'error'; message: string };

const job = workerData as PortfolioJob;
let reply: PortfolioReply;
try {
  const inst = toInstance(job.instance, 'portfolio');
  const opts: SolveOptions = { ...(job.deadline !== undefined ? { deadline: job.deadline } : {}), cancelled: () => Atomics.load(job.flag, 0) === 2 };
  const r = job.engine === 'cdcl' ? cdclSolve(inst, opts, job.options as CdclEngineOptions) : exactSolve(inst, opts, job.options as Strategy);
  if (r.verdict === 'feasible') reply = { type: 'feasible', network: networkToJson(r.network), stats: r.stats };
  else if (r.verdict === 'infeasible') reply = { type: 'infeasible', proof: r.proof, stats: r.stats };
  else reply = { type: 'unknown', reason: r.reason, stats: r.stats };
  // a definite answer first: the main search may stop
  if (reply.type !== 'unknown') Atomics.compareExchange(job.flag, 0, 0, 1);
} catch (e) {
  reply = { type: 'error', message: (e as Error).stack ?? String(e) };
}
parentPort!.postMessage(reply);
