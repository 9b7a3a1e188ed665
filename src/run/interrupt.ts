/**
 * Searches that a signal can stop (docs/architecture.md section 7): an
 * engine's search is synchronous, so a SIGINT handler on the main thread
 * would run only after it. Given a stop signal, each search runs in a
 * worker thread (solve-worker.ts) while the main thread waits; aborting the
 * signal raises a shared flag that the search reads in its cancellation
 * check, and it answers 'unknown' ('cancelled') within a fraction of a
 * second. minimize and batches use it: what was proved before the stop is
 * certified and written as on a time limit.
 */
import { lossOf } from '../core/evaluate.js';
import type { Instance } from '../core/types.js';
import { type Proof, type SearchStats, type SolveOptions, type SolveResult } from '../engines/result.js';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../engines/workers/worker.js';
import { toNetwork } from '../format/schema.js';
import { instanceToJson } from '../format/write.js';

/** What solve-worker.ts is given: the engine, the question (instance JSON), the limits, and the shared stop flag (0 running, 1 stop). */
export interface SolveJob {
  engine: string;
  instance: unknown;
  deadline?: number;
  threads?: number;
  progress: boolean;
  flag: Int32Array;
}

/** What solve-worker.ts posts: progress now and then, then one result (or an error). */
export type SolveReply =
  | { type: 'progress'; stats: SearchStats }
  | { type: 'feasible'; network: unknown; stats: SearchStats }
  | { type: 'infeasible'; proof: Proof; stats: SearchStats }
  | { type: 'unknown'; reason: string; stats: SearchStats }
  | { type: 'error'; message: string };

/** Searches that a stop signal can end, in one worker thread kept for the run; `close` ends the worker. */
export interface StoppableSolver {
  /** The search of one question (answer 'unknown', reason 'cancelled', once the stop signal aborts). Throws Error when the worker fails. */
  solve(inst: Instance, opts: SolveOptions): Promise<SolveResult>;
  close(): Promise<void>;
}

/**
 * Searches by engine `engine` in a worker thread started at the first
 * search and kept until `close`, one at a time, each stopped when `stop`
 * aborts.
 */
export function stoppableSolver(engine: string, stop: AbortSignal): StoppableSolver {
  let worker: Worker | undefined;
  return {
    solve: async (inst, opts) => {
      const flag = new Int32Array(new SharedArrayBuffer(4));
      const raise = (): void => {
        Atomics.store(flag, 0, 1);
      };
      if (stop.aborted) raise();
      stop.addEventListener('abort', raise, { once: true });
      const job: SolveJob = {
        engine,
        instance: instanceToJson(inst),
        progress: opts.onProgress !== undefined,
        flag,
        ...(opts.deadline !== undefined ? { deadline: opts.deadline } : {}),
        ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
      };
      const w = (worker ??= startWorker(import.meta.url, './solve-worker', undefined));
      let settle: (r: Exclude<SolveReply, { type: 'progress' }>) => void = () => undefined;
      const onMessage = (m: SolveReply): void => (m.type === 'progress' ? opts.onProgress?.(m.stats) : settle(m));
      // a worker that failed or ended is not used again
      const onError = (e: Error): void => {
        worker = undefined;
        settle({ type: 'error', message: e.message });
      };
      const onExit = (): void => {
        worker = undefined;
        settle({ type: 'error', message: 'the search ended without an answer' });
      };
      w.on('message', onMessage).on('error', onError).on('exit', onExit);
      try {
        const reply = await new Promise<Exclude<SolveReply, { type: 'progress' }>>((resolve) => {
          settle = resolve;
          w.postMessage(job);
        });
        return resultOf(inst, reply);
      } finally {
        w.off('message', onMessage).off('error', onError).off('exit', onExit);
        stop.removeEventListener('abort', raise);
      }
    },
    close: async () => {
      await worker?.terminate();
      worker = undefined;
    },
  };
}

/** The search of one question in a worker thread of its own (stoppableSolver, closed after it). */
export function solveStoppable(engine: string, stop: AbortSignal): (inst: Instance, opts: SolveOptions) => Promise<SolveResult> {
  return async (inst, opts) => {
    const solver = stoppableSolver(engine, stop);
    try {
      return await solver.solve(inst, opts);
    } finally {
      await solver.close();
    }
  };
}

/** The SolveResult of a worker's reply (the network read back, its loss computed exactly); throws Error for an error reply. */
function resultOf(inst: Instance, reply: Exclude<SolveReply, { type: 'progress' }>): SolveResult {
  switch (reply.type) {
    case 'feasible': {
      const network = toNetwork(reply.network, 'the search');
      return { verdict: 'feasible', network, loss: lossOf(inst, network).loss, stats: reply.stats };
    }
    case 'infeasible':
      return { verdict: 'infeasible', proof: reply.proof, stats: reply.stats };
    case 'unknown':
      return { verdict: 'unknown', reason: reply.reason, stats: reply.stats };
    case 'error':
      throw new Error(`search in a worker thread: ${reply.message}`);
  }
}
