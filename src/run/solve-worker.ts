/**
 * One engine's search in a worker thread (interrupt.ts), so that the main
 * thread stays free to hear a stop (SIGINT, SIGTERM) while the search runs:
 * the search reads the shared flag in its cancellation check and answers
 * 'unknown' ('cancelled') once it is raised. Kept for a whole run: each
 * message is a job; it posts progress messages, then the job's result (the
 * network as relucert-network/1, the proof as it is).
 */
import { parentPort } from 'node:worker_threads';
import { engines } from '../engines/index.js';
import type { SearchStats, SolveOptions } from '../engines/result.js';
import { toInstance } from '../format/schema.js';
import { networkToJson } from '../format/write.js';
import type { SolveJob, SolveReply } from './interrupt.js';

/** Runs one job and posts its progress and its result. */
async function run(job: SolveJob): Promise<void> {
  const post = (m: SolveReply): void => parentPort!.postMessage(m);
  try {
    const inst = toInstance(job.instance, 'the question');
    const opts: SolveOptions = {
      ...(job.deadline !== undefined ? { deadline: job.deadline } : {}),
      ...(job.threads !== undefined ? { threads: job.threads } : {}),
      ...(job.progress ? { onProgress: (stats: SearchStats) => post({ type: 'progress', stats }) } : {}),
      cancelled: () => Atomics.load(job.flag, 0) !== 0,
    };
    const r = await engines[job.engine]!.solve(inst, opts);
    if (r.verdict === 'feasible') post({ type: 'feasible', network: networkToJson(r.network), stats: r.stats });
    else if (r.verdict === 'infeasible') post({ type: 'infeasible', proof: r.proof, stats: r.stats });
    else post({ type: 'unknown', reason: r.reason, stats: r.stats });
  } catch (e) {
    post({ type: 'error', message: (e as Error).stack ?? String(e) });
  }
}

// one job at a time, as they come (the caller waits for each answer before the next)
parentPort!.on('message', (job: SolveJob) => void run(job));
