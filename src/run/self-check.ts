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
import { type CheckOutcome, type RegionValid, type TrainingValid, checkCertificate } from '../check/index.js';
import { Deadline, Timeout } from '../engines/result.js';
import { KeptWorker } from '../engines/workers/worker.js';

/** How far past the time limit a self-check may run (a verdict found just before the limit still gets checked). */
export const SELF_CHECK_GRACE_MS = 500;

/** The checker's worker (engines/worker.ts KeptWorker): loaded once, terminated when a check runs out of time. */
const checker = new KeptWorker<{ kind: 'training' | 'region'; text: string; name: string }, CheckOutcome>(import.meta.url, './check-worker');

/** Starts the checker's worker thread if it is not running (call it early: loading takes a moment). */
export function warmSelfCheck(): void {
  checker.warm();
}

/** The check of `kind` on the text: here without a limit, else in the worker, within the limit plus the grace. */
async function checkWithin<T>(kind: 'training' | 'region', text: string, name: string, deadline: Deadline, here: () => T): Promise<T | 'timeout'> {
  if (deadline.at === undefined) return here();
  try {
    return (await checker.ask({ kind, text, name }, Deadline.at(deadline.at + SELF_CHECK_GRACE_MS))) as T;
  } catch (e) {
    if (e instanceof Timeout) return 'timeout';
    throw e;
  }
}

/**
 * Checks a certificate's text; 'timeout' when a limit was given and the check
 * did not finish by `deadline` + SELF_CHECK_GRACE_MS (the worker is then
 * terminated). Never throws for a rejected certificate (that is an outcome);
 * throws if the checker's worker fails.
 */
export function selfCheck(text: string, name: string, deadline: Deadline = Deadline.NONE): Promise<CheckOutcome<TrainingValid> | 'timeout'> {
  return checkWithin('training', text, name, deadline, () => checkCertificate(text, name));
}

/** The same for a region certificate (docs/stochastic.md section 7). */
export function selfCheckRegion(text: string, name: string, deadline: Deadline = Deadline.NONE): Promise<CheckOutcome<RegionValid> | 'timeout'> {
  return checkWithin('region', text, name, deadline, () => checkCertificate(text, name, { kind: 'region' }));
}
