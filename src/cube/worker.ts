/**
 * A worker thread of `relucert solve --workers N` (local.ts): solves the
 * cubes it is sent, one at a time, with solveUnder, and posts each outcome
 * back. The coordinator stops a worker whose cube is no longer needed by
 * terminating it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Literal } from '../encode/system.js';
import { solveUnder } from '../engines/solve-under.js';
import { toInstance } from '../format/schema.js';
import { networkToJson } from '../format/write.js';
import { type CubeTask, type CubeReply, toWire } from './wire.js';

const inst = toInstance((workerData as { instance: unknown }).instance, 'worker');
parentPort!.on('message', (task: CubeTask) => {
  let reply: CubeReply;
  try {
    const assume: Literal[] = task.assume;
    const outcome = solveUnder(inst, task.caseIndex, assume, { ...(task.deadline !== undefined ? { deadline: task.deadline } : {}), ...(task.nodeBudget !== undefined ? { nodeBudget: task.nodeBudget } : {}) }, task.engine);
    reply = { id: task.id, outcome: toWire(outcome, networkToJson) };
  } catch (e) {
    reply = { id: task.id, error: (e as Error).stack ?? String(e) };
  }
  parentPort!.postMessage(reply);
});
