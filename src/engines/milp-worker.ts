/**
 * javascript-lp-solver in a worker thread (the `milp` engine with a time
 * limit): its branch and bound does not honour its own `timeout` option
 * reliably, so the engine terminates this worker at the deadline
 * (worker.ts runWorker). Receives the JSON model, posts the solver's result.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { solveJsModel } from './milp.js';

parentPort!.postMessage(solveJsModel(workerData));
