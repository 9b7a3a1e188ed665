/**
 * The milp engine's work in a worker thread (the engine with a time limit):
 * building the MILP, writing javascript-lp-solver's model and solving it.
 * The library's branch and bound does not honour its own `timeout` option
 * reliably, and building the model of a large instance takes seconds, so the
 * engine terminates this worker at the deadline (worker.ts runWorker).
 * Receives { instance (relucert-instance/1 JSON), bigM?, epsilon? (exact
 * text) }; posts { values } (undefined when there is no solution).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parseRational } from '../core/rational.js';
import { toInstance } from '../format/schema.js';
import { solveMilpHere } from './milp.js';

const data = workerData as { instance: unknown; bigM?: string; epsilon?: string };
const bigM = data.bigM === undefined ? undefined : parseRational(data.bigM);
const epsilon = data.epsilon === undefined ? undefined : parseRational(data.epsilon);
const values = solveMilpHere(toInstance(data.instance, 'milp worker'), { ...(bigM ? { bigM } : {}), ...(epsilon ? { epsilon } : {}) });
parentPort!.postMessage(values === undefined ? {} : { values });
