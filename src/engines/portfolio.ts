/**
 * A second search on the second core (docs/engines.md, "The conflict-driven engine"): the main thread
 * runs its search; once it has gone on for `startAfterMs` without an
 * answer, a worker thread (workers/portfolio-worker.ts) starts a different complete
 * search of the same instance. The first definite answer wins and the other
 * search is stopped. Both sides run exact engines: a witness passes
 * acceptWitness, a proof is a full certificate proof, whoever found it.
 *
 * Stopping is by a shared flag (SharedArrayBuffer), read by each search's
 * `cancelled` check, so the main thread needs no event-loop turns while it
 * searches.
 */
import type { Worker } from 'node:worker_threads';
import { lossOf } from '../core/evaluate.js';
import type { Instance } from '../core/types.js';
import { toNetwork } from '../format/schema.js';
import { instanceToJson } from '../format/write.js';
import type { PortfolioJob, PortfolioReply } from './workers/portfolio-worker.js';
import type { SolveOptions, SolveResult } from './result.js';
import { startWorker } from './workers/worker.js';

/** flag values in the shared Int32Array */
const RUNNING = 0;
const WORKER_DONE = 1;
const MAIN_DONE = 2;

/**
 * Runs `main` (synchronous, honouring opts.cancelled) with the job `second`
 * in a worker thread started after `startAfterMs` of main search.
 */
export async function solveWithPortfolio(
  inst: Instance,
  opts: SolveOptions,
  main: (opts: SolveOptions) => SolveResult,
  second: Omit<PortfolioJob, 'instance' | 'deadline' | 'flag'>,
  startAfterMs: number,
): Promise<SolveResult> {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  let worker: Worker | undefined;
  let reply: Promise<PortfolioReply> | undefined;
  const t0 = Date.now();
  const start = (): void => {
    const job: PortfolioJob = { ...second, instance: instanceToJson(inst), flag, ...(opts.deadline !== undefined ? { deadline: opts.deadline } : {}) };
    worker = startWorker(import.meta.url, './workers/portfolio-worker', job);
    const w = worker;
    reply = new Promise<PortfolioReply>((resolve) => {
      w.on('message', (m: PortfolioReply) => resolve(m));
      w.on('error', (e) => resolve({ type: 'error', message: e.message }));
      w.on('exit', () => resolve({ type: 'error', message: 'the second search ended without an answer' }));
    });
  };
  const cancelled = (): boolean => {
    if (!worker && Date.now() - t0 >= startAfterMs) start();
    return Atomics.load(flag, 0) === WORKER_DONE || (opts.cancelled?.() ?? false);
  };
  const mine = main({ ...opts, cancelled });
  if (mine.verdict !== 'unknown' || !worker || Atomics.load(flag, 0) !== WORKER_DONE) {
    Atomics.store(flag, 0, MAIN_DONE);
    await worker?.terminate();
    return mine;
  }
  const r = await reply!;
  await worker.terminate();
  switch (r.type) {
    case 'feasible': {
      const network = toNetwork(r.network, 'second search');
      return { verdict: 'feasible', network, loss: lossOf(inst, network).loss, stats: { ...r.stats, nodes: r.stats.nodes + mine.stats.nodes } };
    }
    case 'infeasible':
      return { verdict: 'infeasible', proof: r.proof, stats: { ...r.stats, nodes: r.stats.nodes + mine.stats.nodes } };
    case 'unknown':
      return mine;
    case 'error':
      throw new Error(`second search: ${r.message}`);
  }
}

export { RUNNING, WORKER_DONE, MAIN_DONE };
