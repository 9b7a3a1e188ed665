/**
 * How a split would scale past two cores: a simulation from measured cube
 * times (docs/benchmark.md, "Beyond two workers: a simulation").
 *   npm run build && node dist/bench/cube-sim.js [--workers 8,32,128] [--per-worker 4] [--overhead MS] [--json FILE] INSTANCE...
 *   node dist/bench/cube-sim.js --from FILE [--workers ...] [--overhead MS]     (the tables again from a measurement)
 *
 * Measured, per instance, in this process and in CPU time (user + system, so
 * that a loaded machine changes the numbers little): one worker's whole
 * search (the engine alone, as `solve` without --workers); and for each
 * worker count P, the split into about C = per-worker x P cubes as `relucert
 * split --cubes C` makes it (lookahead, plan.ts; its CPU time is the split's
 * cost), then every cube decided on its own by a fresh search (solveUnder:
 * no clause carried from cube to cube, none shared between workers, as a
 * Slurm task decides its cube).
 *
 * Simulated: P workers take the cubes in tree order, each the next cube when
 * it is free (the order of a Slurm array, and of `solve --workers` without
 * re-splitting), each cube costing its measured time plus `--overhead` ms (a
 * Slurm task's start: about 750 ms for a node process; 0 for threads). The
 * makespan is the split's time (serial, before any cube) plus the last
 * finishing time; the speed-up is one worker's time over it. Two bounds say
 * what limits it: the work (the cubes' total over P) and the longest cube;
 * and the split's share of the makespan says where the split itself is the
 * bottleneck. Every cube is decided, as on Slurm (`solve --workers` stops the
 * cubes that lifting makes unneeded, and splits a slow cube again, neither of
 * which is simulated).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Command } from 'commander';
import { Lookahead } from '../src/cube/lookahead.js';
import { growSplit } from '../src/cube/plan.js';
import type { SplitNode } from '../src/cube/format.js';
import { cdclSolve } from '../src/engines/cdcl/index.js';
import { exactSolve } from '../src/engines/exact.js';
import { type CubeEngine, solveUnder } from '../src/engines/solve-under.js';
import { readInstance } from '../src/format/schema.js';

const program = new Command()
  .argument('[instances...]')
  .option('--workers <list>', 'worker counts to simulate', '8,32,128')
  .option('--per-worker <c>', 'cubes per worker at the split', '4')
  .option('--overhead <ms>', 'the cost of starting each cube (ms)', '0')
  .option('--engine <e>', 'cdcl or exact', 'cdcl')
  .option('--cube-timeout <sec>', 'a cube that runs longer counts as this long (and is marked)', '600')
  .option('--json <file>', 'write the measurements here')
  .option('--from <file>', 'simulate from a measurement written by --json, without measuring')
  .parse();
const o = program.opts<{ workers: string; perWorker: string; overhead: string; engine: string; cubeTimeout: string; json?: string; from?: string }>();
const counts = o.workers.split(',').map(Number);
const perWorker = Number(o.perWorker);
const overhead = Number(o.overhead);
const engine: CubeEngine = o.engine === 'exact' ? 'exact' : 'cdcl';

/** One split as measured: its CPU time and every cube's. */
interface MeasuredSplit {
  cubesAsked: number;
  splitMs: number;
  cubes: { id: string; literals: number; ms: number; nodes: number; verdict: string }[];
}
interface Measured {
  instance: string;
  oneWorkerMs: number;
  oneWorkerNodes: number;
  verdict: string;
  splits: MeasuredSplit[];
}

/** CPU ms (user + system) that `f` takes in this process. */
function cpu<T>(f: () => T): { value: T; ms: number } {
  const before = process.cpuUsage();
  const value = f();
  const d = process.cpuUsage(before);
  return { value, ms: (d.user + d.system) / 1000 };
}

function measure(file: string): Measured {
  const inst = readInstance(file);
  const name = basename(file, '.json');
  const one = cpu(() => (engine === 'cdcl' ? cdclSolve : exactSolve)(inst, {}));
  process.stderr.write(`${name}: one worker ${one.value.verdict}, ${one.value.stats.nodes} nodes, ${(one.ms / 1000).toFixed(1)} s CPU\n`);
  const splits: MeasuredSplit[] = [];
  for (const p of counts) {
    const asked = perWorker * p;
    const split = cpu(() => {
      const la = new Lookahead(inst);
      const trees: SplitNode[] = la.cases.map(() => ({}));
      return growSplit(
        la,
        trees.map((node, caseIndex) => ({ caseIndex, path: [], node })),
        asked,
        String,
      );
    });
    const cubes = split.value.map((c) => {
      const run = cpu(() => solveUnder(inst, c.caseIndex, c.assume, { deadline: Date.now() + Number(o.cubeTimeout) * 1000 }, engine));
      return { id: c.id, literals: c.assume.length, ms: run.ms, nodes: run.value.stats.nodes, verdict: run.value.verdict };
    });
    const total = cubes.reduce((t, c) => t + c.ms, 0);
    process.stderr.write(
      `  ${asked} cubes asked: ${cubes.length} made in ${(split.ms / 1000).toFixed(1)} s, decided in ${(total / 1000).toFixed(1)} s CPU in all (${cubes.filter((c) => c.verdict !== 'infeasible').length} not infeasible)\n`,
    );
    splits.push({ cubesAsked: asked, splitMs: split.ms, cubes });
  }
  return { instance: name, oneWorkerMs: one.ms, oneWorkerNodes: one.value.stats.nodes, verdict: one.value.verdict, splits };
}

/** The makespan of `times` on `p` workers taking them in order, each the next when free. */
function listSchedule(times: readonly number[], p: number): number {
  const free = new Array<number>(p).fill(0);
  for (const t of times) {
    let w = 0;
    for (let k = 1; k < p; k++) if (free[k]! < free[w]!) w = k;
    free[w]! += t;
  }
  return Math.max(0, ...free);
}

const s = (ms: number): string => (ms / 1000).toFixed(1);

function table(runs: Measured[], perWorker: number): void {
  console.log(`Cubes per worker ${perWorker}, start-up per cube ${overhead} ms; times are CPU seconds.\n`);
  console.log(
    '| instance | one worker (s) | workers | cubes | split (s) | cubes in all (s) | longest cube (s) | makespan (s) | speed-up | work / P (s) | split share |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of runs)
    for (const sp of r.splits) {
      const p = sp.cubesAsked / perWorker;
      if (!counts.includes(p)) continue;
      const times = sp.cubes.map((c) => c.ms + overhead);
      const work = times.reduce((t, x) => t + x, 0);
      const makespan = sp.splitMs + listSchedule(times, p);
      const timedOut = sp.cubes.some((c) => c.verdict === 'unknown') ? '>=' : '';
      console.log(
        `| ${r.instance} | ${s(r.oneWorkerMs)} | ${p} | ${sp.cubes.length} | ${s(sp.splitMs)} | ${s(work)} | ${s(Math.max(...times))} | ${timedOut}${s(makespan)} | ${(r.oneWorkerMs / makespan).toFixed(1)}x | ${s(work / p)} | ${((100 * sp.splitMs) / makespan).toFixed(0)}% |`,
      );
    }
}

if (o.from) {
  const saved = JSON.parse(readFileSync(o.from, 'utf8')) as { perWorker: number; runs: Measured[] };
  table(saved.runs, saved.perWorker);
} else {
  const runs = program.args.map(measure);
  if (o.json) writeFileSync(o.json, JSON.stringify({ date: new Date().toISOString(), engine, perWorker, runs }, null, 1) + '\n');
  table(runs, perWorker);
}
