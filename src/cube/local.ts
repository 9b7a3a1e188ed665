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
import { performance } from 'node:perf_hooks';
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
import { LemmaTables } from './lemma-table.js';
import { Lookahead } from './lookahead.js';
import { type PlannedCube, growSplit } from './plan.js';
import { type CubeProof, assembleShared, assumptionsUsed, openCubes } from './tree.js';
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
  /** ms spent splitting (lookahead), in the coordinator: the first split and every re-split */
  splitMs: number;
  /** ms of the whole search in the main thread before the cubes (step 0) */
  warmUpMs: number;
  /** nodes searched on cubes that were stopped (not needed, or split again): work thrown away */
  stoppedNodes: number;
  /** every run of a cube on a worker, in the order they started */
  cubeLog: CubeRecord[];
  /** per worker: cubes, nodes, busy and idle time */
  workers: WorkerRecord[];
  /** the share of the run the coordinator's thread was busy: the warm-up, splitting, reading replies, scheduling */
  coordinatorUtilization: number;
}

/** One run of a cube on a worker, for the report (WorkersReport.cubeLog). */
export interface CubeRecord {
  id: string;
  caseIndex: number;
  /** literals assumed (the cube's depth in its case) */
  literals: number;
  /** the worker (0 .. workers - 1) */
  worker: number;
  /** ms since the start of the run */
  startMs: number;
  endMs: number;
  /** nodes the worker searched on it (for a stopped cube: what it had searched when it saw the stop) */
  nodes: number;
  /** the worker's own ms on it: search and proof, not the copy of the reply nor the wait for it */
  solveMs: number;
  /** lemmas its reply sent (cdcl: the learned clauses its proof uses that no earlier proof of its worker sent; lemma-table.ts) */
  lemmasSent: number;
  /** how it ended: proved, a probe out of budget, stopped because not needed or to be split again, or a witness */
  end: 'proved' | 'probe out' | 'not needed' | 'split again' | 'witness' | 'unknown' | 'running';
}

/** What one worker did, for the report. */
export interface WorkerRecord {
  cubes: number;
  nodes: number;
  /** ms with a cube, from the start of the run to its end */
  busyMs: number;
  /** ms without one: before its first cube (warm-up, probes of other cases), between cubes, and after its last */
  idleMs: number;
  /** the worker's own ms deciding its cubes (CubeRecord.solveMs added up) */
  solveMs: number;
  /** the share of the run its thread was busy (event-loop utilization: deciding cubes, copying replies) */
  utilization: number;
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
  index: number;
  worker: Worker;
  /** the serial of the task to stop (shared with the worker) */
  cancel: Int32Array;
  /** the serial of the slot's latest task */
  serial: number;
  /** the worker's port for the clauses learned by the other workers */
  units: MessagePort;
  cube?: CubeState;
  /** the log record of the slot's cube, and of cubes stopped whose reply has not come yet, by serial */
  records: Map<number, CubeRecord>;
  /** when the slot last became free (undefined while it has a cube) */
  freeSince?: number;
  idleMs: number;
}

/**
 * Decides the instance on `opts.workers` worker threads. Honours
 * opts.deadline (every cube gets it) and opts.nodeBudget (per cube).
 * Resolves to the same result type as the engines, plus a report.
 */
export async function solveWithWorkers(inst: Instance, opts: WorkersOptions): Promise<{ result: SolveResult; report: WorkersReport }> {
  return new CubeRun(inst, opts).start();
}

/** Copies what a worker's reply says about its cube into the cube's log record. */
function logReply(r: CubeRecord, m: Extract<CubeReply, { outcome: unknown }>): void {
  r.nodes = m.outcome.stats.nodes;
  r.solveMs = m.solveMs ?? 0;
  r.lemmasSent = m.outcome.verdict === 'infeasible' ? m.outcome.lemmas.length : 0;
}

/** The cube nodes of a split tree below `roots`, by cube id. */
function nodesById(roots: SplitNode[]): Map<string, SplitNode> {
  const out = new Map<string, SplitNode>();
  const todo = [...roots];
  for (let n = todo.pop(); n; n = todo.pop()) {
    if (n.cube !== undefined) out.set(n.cube, n);
    if (n.act && n.inact) todo.push(n.act, n.inact);
  }
  return out;
}

/** The coordinator of one `solve --workers` run: the steps 0-4 of the file's comment, one method each. */
class CubeRun {
  private readonly t0 = Date.now();
  private readonly elu0 = performance.eventLoopUtilization();
  private readonly la: Lookahead;
  private readonly trees: SplitNode[];
  private readonly cubes = new Map<string, CubeState>();
  private readonly slots: Slot[] = [];
  private readonly report: WorkersReport;
  private readonly stats: SearchStats = emptyStats();
  private readonly cubesPerCase: number;
  private readonly share: number;
  private readonly engine: CubeEngine;
  private readonly unsplittable = new Set<string>();
  /** each worker's lemma table per case: a proof's lemma leaves index its worker's table (lemma-table.ts) */
  private readonly tables = new LemmaTables();
  private readonly instance: unknown;
  private finished = false;
  private timer: Alarm | undefined;
  private serial = 0;
  private settle: { resolve: (v: { result: SolveResult; report: WorkersReport }) => void; reject: (e: Error) => void } | undefined;

  constructor(
    private readonly inst: Instance,
    private readonly opts: WorkersOptions,
  ) {
    this.la = new Lookahead(inst);
    this.trees = this.la.cases.map(() => ({}));
    // the cases first, each as a probe with a small node budget; a case that needs more is split by lookahead
    this.trees.forEach((node, caseIndex) => {
      node.cube = String(caseIndex);
      this.cubes.set(node.cube, { id: node.cube, caseIndex, assume: [], closed: false, node, state: 'waiting', probe: true });
    });
    this.cubesPerCase = opts.cubes ?? 4 * opts.workers;
    this.share = opts.resplitShare ?? 0.25;
    this.engine = opts.engine ?? 'exact';
    this.instance = instanceToJson(inst);
    this.report = {
      cubes: this.cubes.size,
      solved: 0,
      dropped: 0,
      resplit: 0,
      speculated: 0,
      shared: 0,
      splitMs: Date.now() - this.t0,
      warmUpMs: 0,
      stoppedNodes: 0,
      cubeLog: [],
      workers: [],
      coordinatorUtilization: 0,
    };
  }

  /** Starts the workers, runs the warm-up (step 0) and the first schedule; resolves when the run ends. */
  start(): Promise<{ result: SolveResult; report: WorkersReport }> {
    return new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
      for (let w = 0; w < this.opts.workers; w++) this.slots.push(this.spawn(w));
      if (this.warmUp()) return;
      const deadline = this.opts.deadline;
      if (deadline !== undefined) this.timer = alarmAt(deadline + 2000, () => this.finish({ verdict: 'unknown', reason: 'timeout', stats: this.stats }));
      this.schedule();
    });
  }

  /** ms since the start of the run. */
  private now(): number {
    return Date.now() - this.t0;
  }

  private event(line: string): void {
    this.opts.onEvent?.(`${(this.now() / 1000).toFixed(2)} s: ${line}`);
  }

  /** Step 0: the whole search in the main thread for a few hundred nodes, while the workers start; true if it answered. */
  private warmUp(): boolean {
    const { opts, engine } = this;
    const warmUp = Math.min(opts.warmUpNodes ?? WARM_UP_NODES, opts.nodeBudget ?? Infinity);
    if (warmUp <= 0) return false;
    const warm = (engine === 'cdcl' ? cdclSolve : exactSolve)(this.inst, { ...opts, nodeBudget: warmUp });
    this.report.warmUpMs = this.now();
    if (warm.verdict !== 'unknown' || warm.reason !== 'budget' || opts.nodeBudget === warmUp) {
      this.report.cubes = 0;
      Object.assign(this.stats, warm.stats);
      this.finish({ ...warm, stats: this.stats });
      return true;
    }
    this.record({ verdict: 'unknown', reason: 'budget', stats: warm.stats });
    this.event(`the whole search did not end in ${warmUp} nodes: cubes`);
    return false;
  }

  private finish(result: SolveResult | Error): void {
    if (this.finished) return;
    this.finished = true;
    this.timer?.cancel();
    const end = this.now();
    this.report.coordinatorUtilization = performance.eventLoopUtilization(this.elu0).utilization;
    for (const s of this.slots) {
      const utilization = s.worker.performance.eventLoopUtilization().utilization;
      void s.worker.terminate();
      s.units.close();
      if (s.freeSince !== undefined) s.idleMs += end - s.freeSince;
      for (const r of s.records.values()) this.report.cubeLog.push({ ...r, endMs: end });
      const mine = this.report.cubeLog.filter((r) => r.worker === s.index);
      const sum = (f: (r: CubeRecord) => number): number => mine.reduce((t, r) => t + f(r), 0);
      this.report.workers.push({
        cubes: mine.length,
        nodes: sum((r) => r.nodes),
        busyMs: end - s.idleMs,
        idleMs: s.idleMs,
        solveMs: sum((r) => r.solveMs),
        utilization,
      });
    }
    this.report.cubeLog.sort((a, b) => a.startMs - b.startMs);
    this.stats.elapsedMs = end;
    if (result instanceof Error) this.settle!.reject(result);
    else this.settle!.resolve({ result, report: this.report });
  }

  private spawn(index: number): Slot {
    // a cube is stopped by writing its task's serial here: the worker's search sees it at its next node
    // and goes back to level 0, keeping what it learned (the worker lives on for the next cube)
    const cancel = new Int32Array(new SharedArrayBuffer(4));
    const { port1: units, port2 } = new MessageChannel();
    const worker = startWorker(import.meta.url, './worker', { instance: this.instance, cancel, units: port2 }, [port2]);
    const slot: Slot = { index, worker, cancel, serial: 0, units, records: new Map(), freeSince: 0, idleMs: 0 };
    worker.on('message', (m: CubeReply | ClauseMessage) => {
      // a short clause one worker learned goes to every other worker
      if ('clause' in m) {
        this.report.shared++;
        for (const other of this.slots) if (other !== slot) other.units.postMessage(m);
      } else this.onReply(slot, m);
    });
    worker.on('error', (e) => this.finish(e));
    return slot;
  }

  /** Ends the slot's cube run in the log (with its reply, when it has come) and frees the slot. */
  private release(slot: Slot, end: CubeRecord['end'], reply?: Extract<CubeReply, { outcome: unknown }>): void {
    const r = slot.records.get(slot.serial);
    if (r && slot.cube) {
      r.end = end;
      r.endMs = this.now();
      if (reply) {
        logReply(r, reply);
        slot.records.delete(slot.serial);
        this.report.cubeLog.push(r);
      }
    }
    slot.cube = undefined;
    slot.freeSince = this.now();
  }

  /** Stops the slot's cube (its worker sees the cancel cell at its next node); its reply is logged when it comes. */
  private stop(slot: Slot, why: 'not needed' | 'split again'): void {
    Atomics.store(slot.cancel, 0, slot.serial);
    this.release(slot, why);
  }

  private onReply(slot: Slot, m: CubeReply): void {
    const cube = slot.cube;
    if (!cube || cube.id !== m.id) {
      // the reply of a cube stopped earlier: only its nodes are new
      for (const [serial, r] of slot.records)
        if (r.id === m.id && r.end !== 'running' && 'outcome' in m) {
          logReply(r, m);
          this.report.stoppedNodes += r.nodes;
          // a proof that came after all: its lemmas are in its worker's table from now on
          const o = m.outcome;
          if (o.verdict === 'infeasible') this.tables.receive(slot.index, r.caseIndex, o.lemmaBase, o.lemmas);
          slot.records.delete(serial);
          this.report.cubeLog.push(r);
          break;
        }
      return;
    }
    if (this.finished) return;
    if ('error' in m) return this.finish(new Error(`cube worker: ${m.error}`));
    this.record(m.outcome);
    const o = m.outcome;
    if (o.verdict === 'feasible') {
      this.release(slot, 'witness', m);
      const network = toNetwork(o.network, 'worker');
      return this.finish({ verdict: 'feasible', network, loss: lossOf(this.inst, network).loss, stats: this.stats });
    }
    if (o.verdict !== 'infeasible') this.event(`cube ${cube.id} ${o.verdict} in ${o.stats.nodes} nodes`);
    if (o.verdict === 'unknown' && o.reason === 'budget' && cube.probe) {
      // the probe ran out: split the case, or (if it cannot be split) run it whole without a budget
      this.release(slot, 'probe out', m);
      cube.probe = false;
      cube.state = this.resplit(cube, this.cubesPerCase) ? 'stopped' : 'waiting';
      return this.schedule();
    }
    if (o.verdict === 'unknown') {
      this.release(slot, 'unknown', m);
      return this.finish({ verdict: 'unknown', reason: o.reason, stats: this.stats });
    }
    this.release(slot, 'proved', m);
    this.report.solved++;
    this.event(`cube ${cube.id} ${o.verdict} in ${o.stats.nodes} nodes`);
    cube.state = 'proved';
    const lemmas = this.tables.receive(slot.index, cube.caseIndex, o.lemmaBase, o.lemmas);
    cube.proof = { tree: o.tree, lemmas, uses: assumptionsUsed(o.tree, lemmas) };
    this.schedule();
  }

  private record(o: WireOutcome): void {
    const { stats } = this;
    stats.nodes += o.stats.nodes;
    stats.leaves += o.stats.leaves;
    stats.lps += o.stats.lps;
    stats.pivots += o.stats.pivots;
    stats.maxDepth = Math.max(stats.maxDepth, o.stats.maxDepth);
    stats.elapsedMs = this.now();
    this.opts.onProgress?.({ ...stats });
  }

  /** Step 2: sends a cube to a free slot's worker. */
  private run(slot: Slot, cube: CubeState): void {
    const { opts } = this;
    cube.state = 'running';
    cube.startedAt = Date.now();
    this.event(`cube ${cube.id} started (case ${cube.caseIndex}, ${cube.assume.length} literals)`);
    slot.cube = cube;
    slot.serial = ++this.serial;
    const now = this.now();
    if (slot.freeSince !== undefined) slot.idleMs += now - slot.freeSince;
    slot.freeSince = undefined;
    slot.records.set(slot.serial, {
      id: cube.id,
      caseIndex: cube.caseIndex,
      literals: cube.assume.length,
      worker: slot.index,
      startMs: now,
      endMs: now,
      nodes: 0,
      solveMs: 0,
      lemmasSent: 0,
      end: 'running',
    });
    const task: CubeTask = {
      id: cube.id,
      serial: slot.serial,
      caseIndex: cube.caseIndex,
      assume: cube.assume,
      engine: this.engine,
      ...(opts.shareSize ? { shareSize: opts.shareSize } : {}),
      ...(opts.deadline !== undefined ? { deadline: opts.deadline } : {}),
      ...(cube.probe
        ? { nodeBudget: Math.min(PROBE_NODES, opts.nodeBudget ?? PROBE_NODES) }
        : opts.nodeBudget !== undefined
          ? { nodeBudget: opts.nodeBudget }
          : {}),
    };
    slot.worker.postMessage(task);
  }

  /** Steps 2-4 after every change: finish when every case is closed, stop what is not needed, give out cubes, split again for idle workers. */
  private schedule(): void {
    if (this.finished) return;
    const proofOfCube = (id: string): CubeProof | undefined => this.cubes.get(id)?.proof;
    // the cubes each case still needs, taken in turn across the cases
    const openByCase: string[][] = [];
    for (const tree of this.trees) {
      const open = openCubes(tree, proofOfCube);
      if (open !== 'closed') openByCase.push(open);
    }
    if (openByCase.length === 0) {
      // every case closed: the proof is assembled once, here
      const proofs = this.trees.map((tree) => assembleShared(tree, proofOfCube)).filter((a) => a !== 'open');
      return this.finish({ verdict: 'infeasible', proof: proofOf(this.inst, this.la, proofs), stats: this.stats });
    }
    const order: string[] = [];
    for (let t = 0; openByCase.some((l) => t < l.length); t++) for (const l of openByCase) if (t < l.length) order.push(l[t]!);
    this.stopUnneeded(order);
    this.giveOut(order);
    if (this.splitForIdle()) this.schedule();
  }

  /** Step 3: stops the running cubes that no case needs any more (lifting closed their parent). */
  private stopUnneeded(order: readonly string[]): void {
    const needed = new Set(order);
    // a running cube that was split again stays needed while one of its descendants is
    for (const s of this.slots) {
      const c = s.cube;
      if (c && !needed.has(c.id) && [...nodesById([c.node]).keys()].some((id) => needed.has(id))) needed.add(c.id);
    }
    for (const s of this.slots)
      if (s.cube && !needed.has(s.cube.id)) {
        s.cube.state = 'stopped';
        this.event(`cube ${s.cube.id} stopped: not needed any more`);
        this.report.dropped++;
        this.stop(s, 'not needed');
      }
  }

  /** Step 2: each free slot takes a waiting probe first, else a cube of the case with the fewest cubes running. */
  private giveOut(order: readonly string[]): void {
    const waiting = order.map((id) => this.cubes.get(id)!).filter((c) => c.state === 'waiting');
    const runningIn = (caseIndex: number): number => this.slots.filter((x) => x.cube?.caseIndex === caseIndex).length;
    for (const s of this.slots) {
      if (s.cube || waiting.length === 0) continue;
      let best = 0;
      for (let t = 1; t < waiting.length; t++) {
        const [a, b] = [waiting[t]!, waiting[best]!];
        if (Number(!!b.probe) - Number(!!a.probe) < 0 || (a.probe === b.probe && runningIn(a.caseIndex) < runningIn(b.caseIndex))) best = t;
      }
      this.run(s, waiting.splice(best, 1)[0]!);
    }
  }

  /**
   * Step 4, dynamic re-splitting when a worker is idle and no cube waits: the
   * youngest running cube, if young enough, is stopped and split; else the
   * oldest is split while it runs on. True if a split was made (schedule again).
   */
  private splitForIdle(): boolean {
    const idle = this.slots.filter((s) => !s.cube).length;
    if (idle === 0) return false;
    const now = Date.now();
    const running = this.slots.filter((s) => s.cube && !s.cube.probe).sort((x, y) => y.cube!.startedAt! - x.cube!.startedAt!);
    const youngest = running[0];
    if (youngest && now - youngest.cube!.startedAt! <= this.share * (now - this.t0)) {
      // young: stop it and split it, losing only its own running time
      const c = youngest.cube!;
      if (!c.node.split && this.resplit(c, idle + 1)) {
        this.report.resplit++;
        c.state = 'stopped';
        this.stop(youngest, 'split again');
        return true;
      }
    }
    // old: split it but let it run; the idle workers take its sub-cubes, and whichever closes it first wins
    const oldest = running.reverse().find((s) => !s.cube!.node.split && !this.unsplittable.has(s.cube!.id));
    if (!oldest) return false;
    if (this.resplit(oldest.cube!, idle + 1)) {
      this.report.speculated++;
      return true;
    }
    this.unsplittable.add(oldest.cube!.id);
    return false;
  }

  /** Splits a cube into `count` open cubes (its node keeps its id); false if it cannot be split. */
  private resplit(c: CubeState, count: number): boolean {
    const t = Date.now();
    const planned = growSplit(this.la, [{ caseIndex: c.caseIndex, path: c.assume, node: c.node }], count, (n) => `${c.id}.${n}`);
    const nodes = nodesById([c.node]);
    for (const p of planned) this.cubes.set(p.id, { ...p, node: nodes.get(p.id)!, state: 'waiting' });
    this.report.cubes += planned.length;
    this.report.splitMs += Date.now() - t;
    if (planned.length > 0) this.event(`cube ${c.id} split into ${planned.map((p) => p.id + (p.closed ? ' (closed)' : '')).join(', ')}`);
    return planned.length > 0;
  }
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
