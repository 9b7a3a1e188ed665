/**
 * The milp engine's work in a child process (the engine with a time limit):
 * building the MILP, writing javascript-lp-solver's model and solving it.
 * The library's branch and bound does not honour its own `timeout` option
 * reliably, building the model of a large instance takes seconds, and a
 * worker thread running it did not stop promptly when terminated, so the
 * engine kills this process at the deadline (worker.ts runProcess).
 * Receives one IPC message { instance (relucert-instance/1 JSON), bigM?,
 * epsilon? (exact text) }; answers { values } (none when there is no
 * solution).
 */
import { parseRational } from '../../core/rational.js';
import { toInstance } from '../../format/schema.js';
import { solveMilpHere } from '../milp.js';

process.once('message', (message) => {
  const data = message as { instance: unknown; bigM?: string; epsilon?: string };
  const bigM = data.bigM === undefined ? undefined : parseRational(data.bigM);
  const epsilon = data.epsilon === undefined ? undefined : parseRational(data.epsilon);
  const values = solveMilpHere(toInstance(data.instance, 'milp worker'), { ...(bigM ? { bigM } : {}), ...(epsilon ? { epsilon } : {}) });
  process.send!(values === undefined ? {} : { values });
});
