/**
 * The exact engine on two threads (opt-in), as a portfolio: the main thread runs the
 * usual search; once it has taken WARM_UP_NODES nodes without an answer (so
 * easy instances pay no start-up cost), a worker thread (exact-worker.ts)
 * starts the same complete search in another order (children the other way
 * round, cases reversed). The first to finish answers; the other is stopped.
 * Both run the same exact code, so either answer is certified the same way.
 *
 * Off by default (threads = 1): on the benchmark machine the second searcher
 * never finished first and the pair ran 0-19% slower than one thread
 * (docs/engines.md); `--threads 2` turns it on.
 *
 * Why a portfolio rather than splitting one tree: conflict lifting
 * (exact.ts, joinSplit) skips the second child of a split whenever the first
 * child's proof does not use the split literal; searching both children in
 * parallel loses exactly that saving, and measured slower on the benchmark.
 */
import { Worker } from 'node:worker_threads';
import { lossOf } from '../core/evaluate.js';
import type { Instance } from '../core/types.js';
import { toNetwork } from '../format/schema.js';
import { instanceToJson } from '../format/write.js';
import { type Strategy, exactSolve, makeSearch, proofOf, settle } from './exact.js';
import type { WorkerReply } from './exact-worker.js';
import { type SolveOptions, type SolveResult, Timeout } from './result.js';

/** Nodes the main thread searches alone before the second searcher starts. */
const WARM_UP_NODES = 300;
/** The main thread lets the event loop run (to hear from the worker) every this many nodes. */
const SLICE = 25;

export async function exactSolveParallel(inst: Instance, opts: SolveOptions = {}): Promise<SolveResult> {
  const threads = opts.threads ?? 1;
  if (threads < 2) return exactSolve(inst, opts);
  const search = makeSearch(inst, opts);
  let worker: Worker | undefined;
  let workerResult: SolveResult | undefined;
  let workerError: Error | undefined;
  const startWorker = (): void => {
    if (worker) return;
    const strategy: Strategy = { inactiveFirst: true, reverseCases: true };
    const workerData = { instance: instanceToJson(inst), strategy, ...(opts.deadline !== undefined ? { deadline: opts.deadline } : {}) };
    const here = import.meta.url;
    // From TypeScript sources (tests, tsx) the worker registers tsx first; from dist/ it is plain JS.
    worker = here.endsWith('.ts')
      ? new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(new URL('./exact-worker.ts', here).href)}); });`, { eval: true, workerData })
      : new Worker(new URL('./exact-worker.js', here), { workerData });
    worker.on('message', (m: WorkerReply) => {
      if (m.type === 'error') workerError = new Error(`exact worker: ${m.message}`);
      else if (m.type === 'feasible') {
        const network = toNetwork(m.network, 'worker');
        workerResult = { verdict: 'feasible', network, loss: lossOf(inst, network).loss, stats: m.stats };
      } else if (m.type === 'infeasible') workerResult = { verdict: 'infeasible', proof: m.proof, stats: m.stats };
      else workerResult = { verdict: 'unknown', reason: m.reason, stats: m.stats };
    });
    worker.on('error', (e) => (workerError = e));
  };

  const cancelled = (): boolean => {
    if (search.stats.nodes >= WARM_UP_NODES) startWorker();
    return workerResult !== undefined && workerResult.verdict !== 'unknown';
  };
  let main: SolveResult;
  try {
    const subs = await search.runAsync(search.cases.map((_, caseIndex) => ({ caseIndex, prefix: [] })), SLICE, cancelled);
    main = settle(search.clock, () => proofOf(inst, search.cases, subs.map((x) => x.node)));
  } catch (e) {
    main = settle(search.clock, () => {
      throw e;
    });
    if (e instanceof Timeout && e.reason === 'cancelled') main = { ...workerResult!, stats: { ...workerResult!.stats, nodes: workerResult!.stats.nodes + search.stats.nodes } };
  } finally {
    await worker?.terminate();
  }
  if (workerError) throw workerError;
  return main;
}
