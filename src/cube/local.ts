/**
 * `relucert solve INSTANCE --workers N`: cube-and-conquer on N local worker
 * threads, with no set-up. The same pieces as split / solve CUBE / merge:
 *
 *  0. while the workers start, the whole search runs in the main thread for
 *     WARM_UP_NODES nodes: an easy instance is answered there, with no cubes;
 *  1. each normalisation case is a first cube, run with a budget of
 *     PROBE_NODES nodes (a probe); a case that needs more is split by
 *     lookahead (plan.ts) into `cubes` cubes (default 4 per worker);
 *  2. each worker solves one cube at a time with solveUnder; a free worker
 *     takes a waiting probe first, else a cube of the case with the fewest
 *     cubes running (in tree order within the case);
 *  3. after every answer the split tree is assembled again (tree.ts): a cube
 *     proof that does not use its parent's split literal closes the parent
 *     (conflict lifting), and a running cube that is no longer needed is
 *     stopped; a witness answers the whole instance at once;
 *  4. when a worker is idle and no cube is waiting, the youngest running cube
 *     is stopped and split again into smaller cubes (dynamic re-splitting),
 *     if it has run for less than a quarter of the time so far: what is lost
 *     is its own running time. An older cube is split without being stopped:
 *     the idle workers take its sub-cubes, and the cube is closed by its own
 *     proof or by theirs, whichever comes first (the other work is stopped).
 *
 * The result is an ordinary SolveResult: the proof is the split tree with the
 * cube proofs plugged in, and `solve --cert` checks it like any other.
 */
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { lossOf } from '../core/evaluate.js';
import type { Instance } from '../core/types.js';
import { caseLabel } from '../encode/system.js';
import { cdclSolve } from '../engines/cdcl/index.js';
import { exactSolve } from '../engines/exact.js';
import type { CubeEngine } from '../engines/solve-under.js';
import { lemmasUsed } from '../engines/certificate.js';
import { type Alarm, type Proof, type ProofCase, type SearchStats, type SolveOptions, type SolveResult, alarmAt, emptyStats } from '../engines/result.js';
import { startWorker } from '../engines/workers/worker.js';
import { toNetwork } from '../format/schema.js';
import { instanceToJson } from '../format/write.js';
import type { SplitNode } from './format.js';
import { Lookahead } from './lookahead.js';
import { type PlannedCube, growSplit } from './plan.js';
import { type CubeProof, assembleCase, assumptionsUsed, openCubes } from './tree.js';
import type { CubeReply, CubeTask, ClauseMessage, WireOutcome } from './wire.js';

/** Nodes the whole search runs in the main thread first (as the workers start): easy instances end there. */
const WARM_UP_NODES = 300;
/** Nodes a case is searched whole before it is split into cubes: easy cases cost no split. */
const PROBE_NODES = 200;

export interface WorkersOptions extends SolveOptions {
  /** worker threads (>= 1) */
  workers: number;
  /** the engine of the cubes and of the warm-up (default exact) */
  engine?: CubeEngine;
  /** cubes a case is split into when its probe runs out; default 4 per worker */
  cubes?: number;
  /** a running cube is split again only if it has run for less than this share of the time so far; default 1/4 */
  resplitShare?: number;
  /** nodes of the whole search in the main thread first (default WARM_UP_NODES; 0: none) */
  warmUpNodes?: number;
  /**
   * cdcl: the workers share the clauses of at most this many literals they
   * learn, with their proofs (default 0: nothing shared). Measured slower on
   * bench/workers (docs/benchmark.md, "Cubes on two workers"): such clauses
   * are rare, and each carries its whole proof.
   */
  shareSize?: number;
  /** called with one line per event (cube started, proved, stopped, split again), for tracing */
  onEvent?: (line: string) => void;
}

/** What the cube run did, for reports and the benchmark. */
export interface WorkersReport {
  /** cubes created (first split and re-splits) */
  cubes: number;
  /** cubes solved to the end */
  solved: number;
  /** running cubes stopped because a lifted proof made them unnecessary */
  dropped: number;
  /** running cubes stopped to be split again */
  resplit: number;
  /** running cubes split while they went on running (their sub-cubes given to idle workers) */
  speculated: number;
  /** learned clauses one worker sent to the others (shareSize) */
  shared: number;
  splitMs: number;
}

interface CubeState extends PlannedCube {
  node: SplitNode;
  /** run with PROBE_NODES as node budget; split when it runs out */
  probe?: boolean;
  state: 'waiting' | 'running' | 'proved' | 'stopped';
  proof?: CubeProof;
  startedAt?: number;
}

interface Slot {
  worker: Worker;
  /** the serial of the task to stop (shared with the worker) */
  cancel: Int32Array;
  /** the serial of the slot's latest task */
  serial: number;
  /** the worker's port for the clauses learned by the other workers */
  units: MessagePort;
  cube?: CubeState;
}

/**
 * Decides the instance on `opts.workers` worker threads. Honours
 * opts.deadline (every cube gets it) and opts.nodeBudget (per cube).
 * Resolves to the same result type as the engines, plus a report.
 */
export async function solveWithWorkers(inst: Instance, opts: WorkersOptions): Promise<{ result: SolveResult; report: WorkersReport }> {
  const t0 = Date.now();
  const la = new Lookahead(inst);
  const trees: SplitNode[] = la.cases.map(() => ({}));
  const cubes = new Map<string, CubeState>();
  const add = (planned: PlannedCube[], nodes: Map<string, SplitNode>): void => {
    for (const p of planned) cubes.set(p.id, { ...p, node: nodes.get(p.id)!, state: 'waiting' });
  };
  const nodesById = (roots: SplitNode[]): Map<string, SplitNode> => {
    const out = new Map<string, SplitNode>();
    const todo = [...roots];
    for (let n = todo.pop(); n; n = todo.pop()) {
      if (n.cube !== undefined) out.set(n.cube, n);
      if (n.act && n.inact) todo.push(n.act, n.inact);
    }
    return out;
  };
  // the cases first, each as a probe with a small node budget; a case that needs more is split by lookahead
  trees.forEach((node, caseIndex) => {
    node.cube = String(caseIndex);
    cubes.set(node.cube, { id: node.cube, caseIndex, assume: [], closed: false, node, state: 'waiting', probe: true });
  });
  const cubesPerCase = opts.cubes ?? 4 * opts.workers;
  const report: WorkersReport = { cubes: cubes.size, solved: 0, dropped: 0, resplit: 0, speculated: 0, shared: 0, splitMs: Date.now() - t0 };
  const stats: SearchStats = emptyStats();
  const share = opts.resplitShare ?? 0.25;
  const engine = opts.engine ?? 'exact';
  const unsplittable = new Set<string>();
  const event = (line: string): void => opts.onEvent?.(`${((Date.now() - t0) / 1000).toFixed(2)} s: ${line}`);

  return new Promise((resolve, reject) => {
    const slots: Slot[] = [];
    let finished = false;
    let timer: Alarm | undefined;
    const finish = (result: SolveResult | Error): void => {
      if (finished) return;
      finished = true;
      timer?.cancel();
      for (const s of slots) {
        void s.worker.terminate();
        s.units.close();
      }
      stats.elapsedMs = Date.now() - t0;
      if (result instanceof Error) reject(result);
      else resolve({ result, report });
    };
    const instance = instanceToJson(inst);
    const spawn = (): Slot => {
      // a cube is stopped by writing its task's serial here: the worker's search sees it at its next node
      // and goes back to level 0, keeping what it learned (the worker lives on for the next cube)
      const cancel = new Int32Array(new SharedArrayBuffer(4));
      const { port1: units, port2 } = new MessageChannel();
      const worker = startWorker(import.meta.url, './worker', { instance, cancel, units: port2 }, [port2]);
      const slot: Slot = { worker, cancel, serial: 0, units };
      worker.on('message', (m: CubeReply | ClauseMessage) => {
        // a short clause one worker learned goes to every other worker
        if ('clause' in m) {
          report.shared++;
          for (const other of slots) if (other !== slot) other.units.postMessage(m);
        } else onReply(slot, m);
      });
      worker.on('error', (e) => finish(e));
      return slot;
    };
    let serial = 0;
    const stop = (slot: Slot): void => {
      Atomics.store(slot.cancel, 0, slot.serial);
      slot.cube = undefined;
    };

    const onReply = (slot: Slot, m: CubeReply): void => {
      const cube = slot.cube;
      if (finished || !cube || cube.id !== m.id) return;
      slot.cube = undefined;
      if ('error' in m) return finish(new Error(`cube worker: ${m.error}`));
      record(m.outcome);
      const o = m.outcome;
      if (o.verdict === 'feasible') {
        const network = toNetwork(o.network, 'worker');
        return finish({ verdict: 'feasible', network, loss: lossOf(inst, network).loss, stats });
      }
      if (o.verdict !== 'infeasible') event(`cube ${cube.id} ${o.verdict} in ${o.stats.nodes} nodes`);
      if (o.verdict === 'unknown' && o.reason === 'budget' && cube.probe) {
        // the probe ran out: split the case, or (if it cannot be split) run it whole without a budget
        cube.probe = false;
        cube.state = resplit(cube, cubesPerCase) ? 'stopped' : 'waiting';
        return schedule();
      }
      if (o.verdict === 'unknown') return finish({ verdict: 'unknown', reason: o.reason, stats });
      report.solved++;
      event(`cube ${cube.id} ${o.verdict} in ${o.stats.nodes} nodes`);
      cube.state = 'proved';
      cube.proof = { tree: o.tree, lemmas: o.lemmas, uses: assumptionsUsed(o.tree, o.lemmas) };
      schedule();
    };
    const record = (o: WireOutcome): void => {
      stats.nodes += o.stats.nodes;
      stats.leaves += o.stats.leaves;
      stats.lps += o.stats.lps;
      stats.pivots += o.stats.pivots;
      stats.maxDepth = Math.max(stats.maxDepth, o.stats.maxDepth);
      stats.elapsedMs = Date.now() - t0;
      opts.onProgress?.({ ...stats });
    };

    const run = (slot: Slot, cube: CubeState): void => {
      cube.state = 'running';
      cube.startedAt = Date.now();
      event(`cube ${cube.id} started (case ${cube.caseIndex}, ${cube.assume.length} literals)`);
      slot.cube = cube;
      slot.serial = ++serial;
      const task: CubeTask = {
        id: cube.id,
        serial: slot.serial,
        caseIndex: cube.caseIndex,
        assume: cube.assume,
        engine,
        ...(opts.shareSize ? { shareSize: opts.shareSize } : {}),
        ...(opts.deadline !== undefined ? { deadline: opts.deadline } : {}),
        ...(cube.probe
          ? { nodeBudget: Math.min(PROBE_NODES, opts.nodeBudget ?? PROBE_NODES) }
          : opts.nodeBudget !== undefined
            ? { nodeBudget: opts.nodeBudget }
            : {}),
      };
      slot.worker.postMessage(task);
    };

    const schedule = (): void => {
      if (finished) return;
      // the cubes each case still needs, taken in turn across the cases
      const openByCase: string[][] = [];
      const proofOfCube = (id: string): CubeProof | undefined => cubes.get(id)?.proof;
      for (const tree of trees) {
        const open = openCubes(tree, proofOfCube);
        if (open !== 'closed') openByCase.push(open);
      }
      if (openByCase.length === 0) {
        // every case closed: the proof is assembled once, here
        const proofs = trees.map((tree) => assembleCase(tree, proofOfCube)).filter((a) => a.status === 'proved');
        return finish({ verdict: 'infeasible', proof: proofOf(inst, la, proofs), stats });
      }
      const order: string[] = [];
      for (let t = 0; openByCase.some((l) => t < l.length); t++) for (const l of openByCase) if (t < l.length) order.push(l[t]!);
      const needed = new Set(order);
      // a running cube that was split again stays needed while one of its descendants is
      for (const s of slots) {
        const c = s.cube;
        if (c && !needed.has(c.id) && [...nodesById([c.node]).keys()].some((id) => needed.has(id))) needed.add(c.id);
      }
      for (const s of slots)
        if (s.cube && !needed.has(s.cube.id)) {
          s.cube.state = 'stopped';
          event(`cube ${s.cube.id} stopped: not needed any more`);
          report.dropped++;
          stop(s);
        }
      // probes first (they are short and say how to split); then a cube of the case with the fewest cubes running
      const waiting = order.map((id) => cubes.get(id)!).filter((c) => c.state === 'waiting');
      const runningIn = (caseIndex: number): number => slots.filter((x) => x.cube?.caseIndex === caseIndex).length;
      for (const s of slots) {
        if (s.cube || waiting.length === 0) continue;
        let best = 0;
        for (let t = 1; t < waiting.length; t++) {
          const [a, b] = [waiting[t]!, waiting[best]!];
          if (Number(!!b.probe) - Number(!!a.probe) < 0 || (a.probe === b.probe && runningIn(a.caseIndex) < runningIn(b.caseIndex))) best = t;
        }
        run(s, waiting.splice(best, 1)[0]!);
      }
      // dynamic re-splitting: an idle worker and nothing waiting
      const idle = slots.filter((s) => !s.cube).length;
      if (idle === 0) return;
      const now = Date.now();
      const running = slots.filter((s) => s.cube && !s.cube.probe).sort((x, y) => y.cube!.startedAt! - x.cube!.startedAt!);
      const youngest = running[0];
      if (youngest && now - youngest.cube!.startedAt! <= share * (now - t0)) {
        // young: stop it and split it, losing only its own running time
        const c = youngest.cube!;
        if (!c.node.split && resplit(c, idle + 1)) {
          report.resplit++;
          c.state = 'stopped';
          stop(youngest);
          return schedule();
        }
      }
      // old: split it but let it run; the idle workers take its sub-cubes, and whichever closes it first wins
      const oldest = running.reverse().find((s) => !s.cube!.node.split && !unsplittable.has(s.cube!.id));
      if (!oldest) return;
      if (resplit(oldest.cube!, idle + 1)) {
        report.speculated++;
        return schedule();
      }
      unsplittable.add(oldest.cube!.id);
    };

    /** Splits a cube into `count` open cubes (its node keeps its id); false if it cannot be split. */
    const resplit = (c: CubeState, count: number): boolean => {
      const planned = growSplit(la, [{ caseIndex: c.caseIndex, path: c.assume, node: c.node }], count, (n) => `${c.id}.${n}`);
      add(planned, nodesById([c.node]));
      report.cubes += planned.length;
      if (planned.length > 0) event(`cube ${c.id} split into ${planned.map((p) => p.id + (p.closed ? ' (closed)' : '')).join(', ')}`);
      return planned.length > 0;
    };

    for (let w = 0; w < opts.workers; w++) slots.push(spawn());
    // while the workers start, the whole search runs here for a few hundred nodes: an easy instance needs no cubes
    const warmUp = Math.min(opts.warmUpNodes ?? WARM_UP_NODES, opts.nodeBudget ?? Infinity);
    if (warmUp > 0) {
      const warm = (engine === 'cdcl' ? cdclSolve : exactSolve)(inst, { ...opts, nodeBudget: warmUp });
      if (warm.verdict !== 'unknown' || warm.reason !== 'budget' || opts.nodeBudget === warmUp) {
        report.cubes = 0;
        Object.assign(stats, warm.stats);
        return finish({ ...warm, stats });
      }
      record({ verdict: 'unknown', reason: 'budget', stats: warm.stats });
      event(`the whole search did not end in ${warmUp} nodes: cubes`);
    }
    if (opts.deadline !== undefined) timer = alarmAt(opts.deadline + 2000, () => finish({ verdict: 'unknown', reason: 'timeout', stats }));
    schedule();
  });
}

/** The certificate's proof from the assembled cases (lemma lists only where a case has some). */
function proofOf(inst: Instance, la: Lookahead, assembled: { tree: unknown; lemmas: { assume: string[]; tree: unknown }[] }[]): Proof {
  const cases = la.cases.map((c, t) => ({
    a: caseLabel(c),
    ...(assembled[t]!.lemmas.length > 0 ? { lemmas: assembled[t]!.lemmas } : {}),
    tree: assembled[t]!.tree,
  })) as ProofCase[];
  return { lemmas: lemmasUsed(inst, cases), cases };
}
