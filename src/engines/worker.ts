/**
 * Worker threads for work that cannot check a deadline itself (a library's
 * solver loop, the independent checker): the work runs in a worker, and the
 * worker is terminated at the deadline. One helper for every such use
 * (milp-worker.ts, src/cli/check-worker.ts, exact-worker.ts).
 *
 * From TypeScript sources (tests, tsx) a worker registers tsx first; from
 * dist/ it is plain JavaScript.
 */
import { Worker } from 'node:worker_threads';
import { type Deadline, Timeout } from './result.js';

/**
 * Starts the worker module `stem` (a path without extension, relative to the
 * caller's module, e.g. './milp-worker') with `workerData`.
 * callerUrl: the caller's import.meta.url.
 */
export function startWorker(callerUrl: string, stem: string, workerData: unknown): Worker {
  if (callerUrl.endsWith('.ts')) {
    const href = new URL(`${stem}.ts`, callerUrl).href;
    return new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(href)}); });`, { eval: true, workerData });
  }
  return new Worker(new URL(`${stem}.js`, callerUrl), { workerData });
}

/**
 * Runs a worker that posts one reply, and resolves with that reply. Rejects
 * with Timeout when `deadline` passes first (the worker is terminated at
 * once), and with an Error if the worker fails or exits without replying.
 */
export function runWorker<T>(callerUrl: string, stem: string, workerData: unknown, deadline: Deadline): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (deadline.expired()) {
      reject(new Timeout());
      return;
    }
    const worker = startWorker(callerUrl, stem, workerData);
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (f: () => void): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      void worker.terminate();
      f();
    };
    worker.once('message', (m: T) => finish(() => resolve(m)));
    worker.once('error', (e) => finish(() => reject(e)));
    worker.once('exit', (code) => finish(() => reject(new Error(`worker ${stem} exited (code ${code}) without an answer`))));
    if (deadline.at !== undefined) timer = setTimeout(() => finish(() => reject(new Timeout())), Math.max(0, deadline.at - Date.now()));
  });
}
