/**
 * A worker thread of `relucert solve --workers N` (local.ts): solves the
 * cubes it is sent, one at a time, with solveUnder, and posts each outcome
 * back. One cube solver lives for the worker's life (with cdcl, a search
 * per case that keeps its learned clauses from cube to cube). The
 * coordinator stops a cube that is no longer needed by writing its task's
 * serial into the shared cancel cell; the search then answers 'unknown'
 * (cancelled) and the worker takes the next cube.
 */
import { type MessagePort, parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { SharedClause, ClauseShare } from '../engines/cdcl/index.js';
import type { Literal } from '../encode/system.js';
import { type CubeEngine, type CubeSolver, cubeSolver } from '../engines/solve-under.js';
import { toInstance } from '../format/schema.js';
import { networkToJson } from '../format/write.js';
import { LemmaSender } from './lemma-table.js';
import { type CubeTask, type CubeReply, type ClauseMessage, toWire } from './wire.js';

const data = workerData as { instance: unknown; cancel: Int32Array; units: MessagePort };
const inst = toInstance(data.instance, 'worker');
// one cube solver per engine for the worker's life: cdcl's searches keep what they learned from cube to cube
const solvers = new Map<CubeEngine, CubeSolver>();
// each lemma goes to the coordinator once, with the first proof that uses it (lemma-table.ts)
const sender = new LemmaSender();
// short learned clauses go out through the coordinator and come in on a port of their own, read without waiting
// (receiveMessageOnPort) at the searches' restarts and between cubes
const share: ClauseShare = {
  publish: (clause) => parentPort!.postMessage({ clause } satisfies ClauseMessage),
  take: () => {
    const out: SharedClause[] = [];
    for (let m = receiveMessageOnPort(data.units); m; m = receiveMessageOnPort(data.units)) out.push((m.message as ClauseMessage).clause);
    return out;
  },
};
parentPort!.on('message', (task: CubeTask) => {
  let reply: CubeReply;
  try {
    const assume: Literal[] = task.assume;
    let solve = solvers.get(task.engine);
    if (!solve) solvers.set(task.engine, (solve = cubeSolver(inst, task.engine, share, task.shareSize ?? 0)));
    const t0 = performance.now();
    const outcome = solve(
      task.caseIndex,
      assume,
      {
        cancelled: () => Atomics.load(data.cancel, 0) === task.serial,
        ...(task.deadline !== undefined ? { deadline: task.deadline } : {}),
        ...(task.nodeBudget !== undefined ? { nodeBudget: task.nodeBudget } : {}),
      },
      // a lemma sent with an earlier cube is not built again: the sender replaces it by its table index
      (a) => sender.knows(task.caseIndex, a),
    );
    reply = { id: task.id, outcome: toWire(outcome, networkToJson, sender, task.caseIndex), solveMs: performance.now() - t0 };
  } catch (e) {
    reply = { id: task.id, error: (e as Error).stack ?? String(e) };
  }
  parentPort!.postMessage(reply);
});
