/**
 * The self-check every command runs before it writes a certificate: the
 * independent checker (src/check) on the certificate's text. A certificate
 * the checker rejects is a solver bug and is never written.
 *
 * Under a time limit the checker runs in a worker thread (check-worker.ts)
 * that is terminated at the limit plus SELF_CHECK_GRACE_MS, so a command
 * keeps its --timeout even when a certificate takes long to check; the
 * checker itself stays free of any solver code or clock. Commands with a
 * time limit call warmSelfCheck() first, so the worker has loaded the
 * checker by the time a certificate is ready.
 */
import type { Worker } from 'node:worker_threads';
import { type CheckOutcome, checkCertificate } from '../check/index.js';
import { Deadline, Timeout } from '../engines/result.js';
import { startWorker } from '../engines/worker.js';

/** How far past the time limit a self-check may run (a verdict found just before the limit still gets checked). */
export const SELF_CHECK_GRACE_MS = 500;

/** The checker's worker, once started; unref'd while idle so it never keeps the process alive. */
let checker: Promise<Worker> | undefined;

/** Starts the checker's worker thread if it is not running (call it early: loading takes a moment). */
export function warmSelfCheck(): void {
  checker ??= new Promise<Worker>((resolve, reject) => {
    const w = startWorker(import.meta.url, './check-worker', undefined);
    w.once('message', () => {
      w.unref();
      resolve(w);
    });
    w.once('error', reject);
    w.once('exit', (code) => reject(new Error(`checker worker exited (code ${code})`)));
  });
  checker.catch(() => (checker = undefined));
}

/**
 * Checks a certificate's text; 'timeout' when a limit was given and the check
 * did not finish by `deadline` + SELF_CHECK_GRACE_MS (the worker is then
 * terminated). Never throws for a rejected certificate (that is an outcome);
 * throws if the checker's worker fails.
 */
export async function selfCheck(text: string, name: string, deadline: Deadline = Deadline.NONE): Promise<CheckOutcome | 'timeout'> {
  if (deadline.at === undefined) return checkCertificate(text, name);
  warmSelfCheck();
  const starting = checker!;
  const limit = deadline.at + SELF_CHECK_GRACE_MS;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), Math.max(0, limit - Date.now()))));
  try {
    const worker = await Promise.race([starting, late]);
    if (worker === 'timeout') throw new Timeout();
    worker.ref();
    const answer = new Promise<CheckOutcome>((resolve, reject) => {
      const onExit = (code: number): void => reject(new Error(`checker worker exited (code ${code})`));
      worker.once('exit', onExit);
      worker.once('message', (m: CheckOutcome) => {
        worker.off('exit', onExit);
        resolve(m);
      });
      worker.postMessage({ text, name });
    });
    const r = await Promise.race([answer, late]);
    if (r === 'timeout') throw new Timeout();
    worker.unref();
    return r;
  } catch (e) {
    // stopped or failed: this worker is gone for good; the next check starts another
    if (checker === starting) checker = undefined;
    void starting.then((w) => w.terminate(), () => undefined);
    if (e instanceof Timeout) return 'timeout';
    throw e;
  } finally {
    clearTimeout(timer);
  }
}
