/**
 * Where the time of `relucert solve --workers N` goes, in counts that hold on
 * a loaded machine (docs/benchmark.md, "Cubes on two workers"):
 *   npm run build && node dist/bench/cube-trace.js [--workers N] [--engine E] [--cubes C] [--json FILE] INSTANCE...
 * For each instance: one worker's search (the engine alone, as `solve`
 * without --workers runs it) for its nodes, then one run on N workers
 * (solveWithWorkers, in this process) with its report: per worker the cubes,
 * nodes, busy and idle share; the nodes of stopped cubes (thrown away); the
 * cubes made, split again while running, stopped; the largest cubes and the
 * last one; and the tail, from the moment a worker went idle for the last
 * time to the end. Wall times are printed too, but under load only the
 * counts and shares compare.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { loadavg } from 'node:os';
import { Command } from 'commander';
import { solveWithWorkers, type WorkersReport } from '../src/cube/local.js';
import { cdclSolve } from '../src/engines/cdcl/index.js';
import { exactSolve } from '../src/engines/exact.js';
import { readInstance } from '../src/format/schema.js';

const program = new Command()
  .argument('<instances...>')
  .option('--workers <n>', 'worker threads', '2')
  .option('--engine <e>', 'cdcl or exact', 'cdcl')
  .option('--cubes <c>', 'cubes per case at the first split (default 4 per worker)')
  .option('--json <file>', 'write the reports here')
  .parse();
const o = program.opts<{ workers: string; engine: string; cubes?: string; json?: string }>();
const workers = Number(o.workers);
const engine = o.engine === 'exact' ? 'exact' : 'cdcl';

/**
 * CPU seconds of this process's threads (Linux: /proc/self/task/TID/stat,
 * user + system): by thread id; empty elsewhere. Worker threads are the ones
 * made after `before`; the others are the main thread (tid = pid) and V8's
 * and libuv's helper threads (garbage collection, compilation).
 */
function threadCpu(): Map<number, number> {
  const out = new Map<number, number>();
  if (!existsSync('/proc/self/task')) return out;
  for (const t of readdirSync('/proc/self/task')) {
    try {
      const f = readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
      const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
      out.set(Number(t), (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // the thread ended
    }
  }
  return out;
}

/** CPU seconds of `f` by thread kind: main, helpers (threads alive before and after), and the rest (worker threads, also those that ended). */
async function cpuByThread<T>(f: () => Promise<T> | T): Promise<{ value: T; main: number; helpers: number; workers: number; total: number }> {
  const before = threadCpu();
  const c0 = process.cpuUsage();
  const value = await f();
  const d = process.cpuUsage(c0);
  const after = threadCpu();
  const delta = (tid: number): number => (after.get(tid) ?? 0) - (before.get(tid) ?? 0);
  const main = delta(process.pid);
  let helpers = 0;
  for (const tid of before.keys()) if (tid !== process.pid && after.has(tid)) helpers += delta(tid);
  const total = (d.user + d.system) / 1e6;
  return { value, main, helpers, workers: Math.max(0, total - main - helpers), total };
}

const pct = (x: number, of: number): string => `${of > 0 ? ((100 * x) / of).toFixed(0) : '-'}%`;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** The counts of one run, as printed and written. */
function summary(name: string, oneNodes: number, oneMs: number, wallMs: number, verdict: string, r: WorkersReport, cpu: { one: CpuSplit; many: CpuSplit }) {
  const proved = r.cubeLog.filter((c) => c.end === 'proved');
  const byNodes = [...proved].sort((a, b) => b.nodes - a.nodes);
  const provedNodes = proved.reduce((t, c) => t + c.nodes, 0);
  const workerNodes = r.workers.map((w) => w.nodes);
  // the tail: from the last time a worker became idle while another still had a cube, to the end
  const lastEnd = Math.max(0, ...proved.map((c) => c.endMs));
  const last = proved.find((c) => c.endMs === lastEnd);
  const otherEnds = r.cubeLog.filter((c) => c.worker !== last?.worker && c.end !== 'running').map((c) => c.endMs);
  const tailMs = Math.max(0, lastEnd - Math.max(0, ...otherEnds));
  return {
    instance: name,
    verdict,
    oneWorker: { nodes: oneNodes, ms: oneMs },
    wallMs,
    nodes: workerNodes.reduce((t, x) => t + x, 0),
    nodesOverOne: workerNodes.reduce((t, x) => t + x, 0) / Math.max(1, oneNodes),
    nodeSpeedUp: oneNodes / Math.max(1, ...workerNodes),
    stoppedNodes: r.stoppedNodes,
    cubes: r.cubes,
    solved: r.solved,
    resplit: r.resplit,
    speculated: r.speculated,
    dropped: r.dropped,
    splitMs: r.splitMs,
    warmUpMs: r.warmUpMs,
    workers: r.workers,
    largest: byNodes.slice(0, 3).map((c) => ({ id: c.id, nodes: c.nodes, share: c.nodes / Math.max(1, provedNodes), ms: c.endMs - c.startMs })),
    medianCubeNodes: median(proved.map((c) => c.nodes)),
    medianLemmas: median(proved.map((c) => c.lemmasSent)),
    maxLemmas: Math.max(0, ...proved.map((c) => c.lemmasSent)),
    coordinatorUtilization: r.coordinatorUtilization,
    last: last ? { id: last.id, nodes: last.nodes, ms: last.endMs - last.startMs, end: last.end } : undefined,
    tailMs,
    cpu,
  };
}

interface CpuSplit {
  main: number;
  helpers: number;
  workers: number;
  total: number;
}

const out: ReturnType<typeof summary>[] = [];
for (const file of program.args) {
  const inst = readInstance(file);
  const name = basename(file, '.json');
  const load = loadavg()[0]!;
  let t = performance.now();
  const oneRun = await cpuByThread(() => (engine === 'cdcl' ? cdclSolve : exactSolve)(inst, {}));
  const one = oneRun.value;
  const oneMs = performance.now() - t;
  t = performance.now();
  const manyRun = await cpuByThread(() => solveWithWorkers(inst, { workers, engine, ...(o.cubes ? { cubes: Number(o.cubes) } : {}) }));
  const { result, report } = manyRun.value;
  const wallMs = performance.now() - t;
  const split = (c: CpuSplit): CpuSplit => ({ main: c.main, helpers: c.helpers, workers: c.workers, total: c.total });
  const s = summary(name, one.stats.nodes, oneMs, wallMs, result.verdict, report, { one: split(oneRun), many: split(manyRun) });
  out.push(s);
  console.log(`${name}: ${result.verdict} (one worker: ${one.verdict}, ${one.stats.nodes} nodes, ${(oneMs / 1000).toFixed(1)} s; load ${load.toFixed(1)})`);
  console.log(
    `  ${workers} workers: ${s.nodes} nodes (${s.nodesOverOne.toFixed(2)}x one worker's; ${pct(s.stoppedNodes, s.nodes)} in stopped cubes), speed-up in nodes ${s.nodeSpeedUp.toFixed(2)}x, wall ${(wallMs / 1000).toFixed(1)} s`,
  );
  console.log(
    `  cubes: ${s.cubes} made, ${s.solved} proved, ${s.resplit} stopped and split again, ${s.speculated} split while running, ${s.dropped} stopped (not needed); split ${s.splitMs} ms, warm-up ${s.warmUpMs} ms`,
  );
  report.workers.forEach((w, i) =>
    console.log(
      `  worker ${i}: ${w.cubes} cubes, ${w.nodes} nodes, without a cube ${pct(w.idleMs, w.idleMs + w.busyMs)} of the run; thread busy ${pct(w.utilization, 1)}, deciding cubes ${pct(w.solveMs, w.idleMs + w.busyMs)}`,
    ),
  );
  console.log(
    `  coordinator thread busy ${pct(report.coordinatorUtilization, 1)} of the run; replies send a median of ${s.medianLemmas} lemmas (at most ${s.maxLemmas})`,
  );
  console.log(
    `  proved cubes: median ${s.medianCubeNodes} nodes; largest ${s.largest.map((c) => `${c.id}: ${c.nodes} (${pct(c.nodes, s.nodes)})`).join(', ')}`,
  );
  const c1 = s.cpu.one;
  const c2 = s.cpu.many;
  console.log(
    `  CPU s, one worker: search ${c1.main.toFixed(1)} + helper threads ${c1.helpers.toFixed(1)} = ${c1.total.toFixed(1)}; ${workers} workers: workers ${c2.workers.toFixed(1)} + coordinator ${c2.main.toFixed(1)} + helper threads ${c2.helpers.toFixed(1)} = ${c2.total.toFixed(1)}`,
  );
  console.log(
    `  on ${workers} idle cores at best: ${(c1.main / Math.max(c2.total / workers, c2.workers / workers)).toFixed(2)}x (one worker's search thread over the ${workers}-worker run's CPU spread evenly over ${workers} cores)`,
  );
  if (s.last)
    console.log(
      `  last cube ${s.last.id} (${s.last.end}): ${s.last.nodes} nodes, ${(s.last.ms / 1000).toFixed(1)} s; alone at the end for ${(s.tailMs / 1000).toFixed(1)} s`,
    );
}
if (o.json) writeFileSync(o.json, JSON.stringify({ date: new Date().toISOString(), workers, engine, runs: out }, null, 1) + '\n');
