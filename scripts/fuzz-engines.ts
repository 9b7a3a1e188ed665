/**
 * Differential fuzzing of the engines (docs/engines.md, "Differential fuzzing"):
 *   npm run fuzz:engines -- [--count N] [--seed S] [--timeout SEC] [--out DIR] [--only I] [--json FILE] [--no-native] [--no-degenerate]
 *                           [--shard I/M] [--log FILE] [--table LOG...]
 *
 * A long run: --shard I/M decides only the instances whose index is I mod M
 * (one process per core), --log FILE appends every outcome to FILE as one
 * JSON line as soon as it is decided and, when FILE exists, skips the
 * instances already in it (an interrupted run resumes); --table LOG...
 * prints the table of the outcomes in the logs, decided by any shards.
 *
 * Draws N random small instances (fast-check, seeded) that cycle through
 * every class activation x output-weight mode x output bias x loss (exact,
 * l1, l1 strict, l-inf, l-inf strict, classification): 96 classes. Each
 * instance also draws a geometry (random, duplicate points, collinear
 * points, points on a teacher unit's breakline), a magnitude (small
 * integers, tiny 10^-e, huge 10^e, e up to 400, or mixed), labels (a
 * planted teacher with up to k units, so k is often larger than needed; the
 * teacher perturbed; random), n in 1..5 and d in 1..3 (so d > n happens).
 * Degenerate shapes, drawn in a stream of their own (so every instance of
 * a seed without them is the one an older run drew; --no-degenerate
 * leaves them out): output-weight lists with zeros (some, or all: f = 0
 * without output bias), constant labels, a single point, a point at the
 * origin. (d = 0 is not an instance: the format asks for d >= 1.)
 *
 * Each instance is decided by every engine of the registry that proves
 * infeasibility (src/engines/index.ts; engines added later take part
 * automatically), by z3 and cvc5 on the SMT-LIB export where installed,
 * and by brute force over every activation pattern when k n <= 6. Every
 * definite answer of an engine goes through the independent checker
 * (src/check) as a certificate. A disagreement (two definite, different
 * verdicts), a rejected certificate, or an engine error is a failure: the
 * instance is written to --out and the exit code is 1.
 *
 * Prints a table: instances, verdicts, unknowns and failures per class
 * dimension, and per decider its answers and time.
 */
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import fc from 'fast-check';
import { checkCertificate } from '../src/check/index.js';
import { solverInstalled, runSmtSolver } from '../src/interop/solvers.js';
import { Q } from '../src/core/rational.js';
import type { Instance, Network } from '../src/core/types.js';
import { evaluate } from '../src/core/evaluate.js';
import { smtlibText } from '../src/encode/smtlib.js';
import { certificateJson, certificateText } from '../src/engines/certificate.js';
import { engines } from '../src/engines/index.js';
import { Deadline, Timeout } from '../src/engines/result.js';
import { acceptWitness } from '../src/engines/witness.js';
import { toInstance } from '../src/format/schema.js';
import { instanceToJson, prettyJson } from '../src/format/write.js';
import { bruteForceFeasible } from '../tests/engines/brute-force.js';

// ------------------------------------------------------------------ classes and the generator

export const ACTIVATIONS = ['relu', 'threshold'] as const;
export const OUTPUT_WEIGHTS = ['signs', 'positive', 'free', 'fixed'] as const;
export const BIASES = [false, true] as const;
export const LOSSES = ['exact', 'l1', 'l1-strict', 'linf', 'linf-strict', 'classification'] as const;
export const GEOMETRIES = ['random', 'duplicate', 'collinear', 'breakline'] as const;
export const MAGNITUDES = ['small', 'tiny', 'huge', 'mixed'] as const;
export const LABELLINGS = ['teacher', 'perturbed', 'random'] as const;
/** Degenerate shapes an instance may have, any number of them at once (see the file comment). */
export const DEGENERACIES = ['zero-weights', 'constant-labels', 'single-point', 'origin'] as const;
export type Degeneracy = (typeof DEGENERACIES)[number];

export interface FuzzClass {
  activation: (typeof ACTIVATIONS)[number];
  outputWeights: (typeof OUTPUT_WEIGHTS)[number];
  bias: boolean;
  loss: (typeof LOSSES)[number];
}

/** The class of instance number i: the 96 classes in turn. */
export function classOf(i: number): FuzzClass {
  let r = i;
  const pick = <T>(xs: readonly T[]): T => {
    const x = xs[r % xs.length]!;
    r = Math.floor(r / xs.length);
    return x;
  };
  return { loss: pick(LOSSES), outputWeights: pick(OUTPUT_WEIGHTS), activation: pick(ACTIVATIONS), bias: pick(BIASES) };
}

/** Everything else an instance draws (see the file comment). */
interface Draw {
  geometry: (typeof GEOMETRIES)[number];
  magnitude: (typeof MAGNITUDES)[number];
  labelling: (typeof LABELLINGS)[number];
  n: number;
  d: number;
  k: number;
  teacherK: number;
  exponent: number;
  ints: number[];
  bound: Q;
  fixed: Q[];
  /** the degenerate shapes, and what they need (see degenerateArb) */
  degenerate: DegenerateDraw;
}

/** The degenerate shapes of one instance, with their own random choices (none read from `ints`). */
export interface DegenerateDraw {
  shapes: Degeneracy[];
  /** zero-weights: which fixed output weights become 0 (at least one), or all of them */
  zeroAt: boolean[];
  allZero: boolean;
  /** constant-labels: the label of every point (classification: its sign) */
  label: Q;
}

const NO_DEGENERACY: DegenerateDraw = { shapes: [], zeroAt: [], allZero: false, label: Q.ZERO };

/** Each shape with probability 1/5, independently: about 41% of the instances have none. */
const degenerateArb: fc.Arbitrary<DegenerateDraw> = fc
  .record({
    picks: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: DEGENERACIES.length, maxLength: DEGENERACIES.length }),
    zeroAt: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
    allZero: fc.boolean(),
    label: fc.constantFrom(Q.ZERO, Q.ONE, Q.MINUS_ONE, Q.of(3, 2)),
  })
  .map(({ picks, zeroAt, allZero, label }) => ({ shapes: DEGENERACIES.filter((_, t) => picks[t] === 0), zeroAt, allZero, label }));

const smallQ = fc.constantFrom(Q.ONE, Q.MINUS_ONE, Q.of(2), Q.of(1, 2), Q.of(-3, 2), Q.of(3));
const drawArb: fc.Arbitrary<Draw> = fc
  .record({
    geometry: fc.constantFrom(...GEOMETRIES),
    magnitude: fc.constantFrom(...MAGNITUDES),
    labelling: fc.constantFrom(...LABELLINGS),
    n: fc.integer({ min: 1, max: 5 }),
    d: fc.integer({ min: 1, max: 3 }),
    k: fc.integer({ min: 1, max: 3 }),
    teacherK: fc.integer({ min: 1, max: 3 }),
    exponent: fc.constantFrom(3, 20, 100, 309, 400),
    // a pool of small integers the construction reads from in turn
    ints: fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 64, maxLength: 64 }),
    bound: fc.constantFrom(Q.ZERO, Q.of(1, 2), Q.ONE, Q.of(2), Q.of(7, 3)),
    fixed: fc.array(smallQ, { minLength: 3, maxLength: 3 }),
  })
  .map((g) => ({ ...g, degenerate: NO_DEGENERACY }));

/** Builds instance i from its class and draw; the result is read back through the instance reader. */
export function buildInstance(i: number, c: FuzzClass, g: Draw): Instance {
  let cursor = 0;
  const int = (): number => g.ints[cursor++ % g.ints.length]!;
  const { d } = g;
  const k = g.k;
  const kt = Math.min(g.teacherK, k);
  const shape = (x: Degeneracy): boolean => g.degenerate.shapes.includes(x);
  const n = shape('single-point') ? 1 : g.n;
  // the teacher: kt units of the class's activation, output weights of the class's mode
  const W = Array.from({ length: kt }, () => Array.from({ length: d }, () => Q.of(int())));
  for (const w of W) if (w.every((v) => v.isZero())) w[0] = Q.ONE;
  const B = Array.from({ length: kt }, () => Q.of(int()));
  const fixed = g.fixed.slice(0, k);
  if (shape('zero-weights')) {
    // some output weights 0 (at least the first when the draw names none), or all of them
    const zero = g.degenerate.allZero ? fixed.map(() => true) : fixed.map((_, j) => g.degenerate.zeroAt[j]!);
    if (!zero.includes(true)) zero[0] = true;
    fixed.forEach((_, j) => {
      if (zero[j]) fixed[j] = Q.ZERO;
    });
  }
  const A = Array.from({ length: kt }, (_, j) =>
    c.outputWeights === 'positive'
      ? Q.ONE
      : c.outputWeights === 'fixed'
        ? fixed[j]!
        : c.outputWeights === 'signs'
          ? int() < 0
            ? Q.MINUS_ONE
            : Q.ONE
          : Q.of(int() || 1, 2),
  );
  const C = c.bias ? Q.of(int()) : Q.ZERO;
  const teacher: Network = {
    layers: [
      { activation: c.activation, weights: W, bias: B },
      { activation: 'identity', weights: [A], bias: [C] },
    ],
  };
  // the points
  const pts: Q[][] = [];
  for (let p = 0; p < n; p++) {
    if (g.geometry === 'duplicate' && p > 0 && p % 2 === 1) pts.push([...pts[p - 1]!]);
    else if (g.geometry === 'collinear' && p >= 2) {
      // on the line through the first two points
      const t = Q.of(int() || 2);
      pts.push(pts[0]!.map((x, s) => x.add(t.mul(pts[1]![s]!.sub(x)))));
    } else if (g.geometry === 'breakline' && p % 2 === 0) {
      // on the hyperplane w . x + b = 0 of a teacher unit
      const j = p % kt;
      const x = Array.from({ length: d }, () => Q.of(int()));
      const t = W[j]!.findIndex((v) => !v.isZero());
      let rest = B[j]!;
      W[j]!.forEach((v, s) => (rest = s === t ? rest : rest.add(v.mul(x[s]!))));
      x[t] = rest.neg().div(W[j]![t]!);
      pts.push(x);
    } else pts.push(Array.from({ length: d }, () => Q.of(int())));
  }
  if (shape('origin')) pts[pts.length - 1] = pts[0]!.map(() => Q.ZERO);
  // labels: teacher outputs, perturbed, or random
  let labels = pts.map((x) => evaluate(teacher, x)[0]!);
  if (c.loss === 'classification') labels = labels.map((y) => (y.sign() < 0 ? Q.MINUS_ONE : Q.ONE));
  if (g.labelling === 'perturbed' && labels.length > 0) labels[0] = c.loss === 'classification' ? labels[0]!.neg() : labels[0]!.add(Q.ONE);
  if (g.labelling === 'random') labels = labels.map(() => (c.loss === 'classification' ? (int() < 0 ? Q.MINUS_ONE : Q.ONE) : Q.of(int(), 2)));
  if (shape('constant-labels')) {
    const y = g.degenerate.label;
    labels = labels.map(() => (c.loss === 'classification' ? (y.sign() < 0 ? Q.MINUS_ONE : Q.ONE) : y));
  }
  // magnitudes: coordinates (and non-classification labels, bounds) scaled by 10^+-e
  const ten = (e: number): Q => (e >= 0 ? Q.of(10n ** BigInt(e)) : Q.of(1n, 10n ** BigInt(-e)));
  const scaleOf = (): Q => {
    switch (g.magnitude) {
      case 'small':
        return Q.ONE;
      case 'tiny':
        return ten(-g.exponent);
      case 'huge':
        return ten(g.exponent);
      case 'mixed':
        return ten(int() * Math.ceil(g.exponent / 3));
    }
  };
  const coordScale = scaleOf();
  const points = pts.map((x) => x.map((v) => v.mul(g.magnitude === 'mixed' ? scaleOf() : coordScale)));
  const yScale = c.loss === 'classification' ? Q.ONE : scaleOf();
  const json: Record<string, unknown> = {
    format: 'relucert-instance/1',
    name: `fuzz-${i}`,
    description: `${c.activation} ${c.outputWeights} bias=${c.bias} ${c.loss}; ${g.geometry}, ${g.magnitude}, ${g.labelling} labels, teacher ${kt} of ${k} units${g.degenerate.shapes.length > 0 ? `; degenerate: ${g.degenerate.shapes.join(', ')}` : ''}`,
    points: points.map((x) => x.map(String)),
    labels: labels.map((y) => y.mul(yScale).toString()),
    architecture: { hidden: k, activation: c.activation, outputWeights: c.outputWeights === 'fixed' ? fixed.map(String) : c.outputWeights, outputBias: c.bias },
    loss:
      c.loss === 'exact' || c.loss === 'classification'
        ? { type: c.loss }
        : { type: c.loss.startsWith('l1') ? 'l1' : 'linf', bound: g.bound.mul(yScale).toString(), strict: c.loss.endsWith('strict') },
  };
  return toInstance(json, `fuzz-${i}`);
}

/** The seed of the degenerate shapes' stream, derived from the run's seed (fast-check seeds are 32-bit integers). */
const degenerateSeed = (seed: number): number => (seed ^ 0x2545f491) | 0;

/**
 * The N instances of a seed, with their classes and draws (instance i is the
 * same for every N > i). `degenerate: false` leaves the degenerate shapes
 * out: the instances an older run of the seed drew.
 */
export function fuzzInstances(count: number, seed: number, opts: { degenerate?: boolean } = {}): { inst: Instance; cls: FuzzClass; draw: Draw }[] {
  const draws = fc.sample(drawArb, { seed, numRuns: count });
  const shapes = opts.degenerate === false ? draws.map(() => NO_DEGENERACY) : fc.sample(degenerateArb, { seed: degenerateSeed(seed), numRuns: count });
  return draws.map((g0, i) => {
    const cls = classOf(i);
    // output weights can be 0 only in a list (the other modes have signs, 1, or free weights)
    const d = shapes[i]!;
    const g = { ...g0, degenerate: cls.outputWeights === 'fixed' ? d : { ...d, shapes: d.shapes.filter((x) => x !== 'zero-weights') } };
    return { inst: buildInstance(i, cls, g), cls, draw: g };
  });
}

// ------------------------------------------------------------------ deciding

export type Verdict = 'feasible' | 'infeasible' | 'unknown';

export interface Decision {
  decider: string;
  verdict: Verdict;
  ms: number;
  /** why it is unknown, or what went wrong */
  note?: string;
  /** engines: the checker's outcome on the certificate */
  certificate?: string;
}

export interface Outcome {
  index: number;
  cls: FuzzClass;
  draw: Pick<Draw, 'geometry' | 'magnitude' | 'labelling'> & { degenerate?: Degeneracy[] };
  decisions: Decision[];
  disagreement: boolean;
  badCertificate: boolean;
  error: boolean;
}

/** The engines that take part: every registered engine that proves infeasibility, except the `all` wrapper. */
export function provingEngines(): string[] {
  return Object.values(engines)
    .filter((e) => e.provesInfeasibility && e.name !== 'all')
    .map((e) => e.name);
}

export interface DecideOptions {
  timeoutMs: number;
  /** engines (and z3 / cvc5 on the export) that decide only every `every`-th instance, with their own time limit (to keep a short run short) */
  sparse?: { engines: string[]; every: number; timeoutMs: number };
  /** run z3 and cvc5 on the export when installed */
  native: boolean;
  /** brute force when k n is at most this */
  bruteForceMax: number;
  dir: string;
}

export async function decide(index: number, inst: Instance, cls: FuzzClass, draw: Draw, o: DecideOptions): Promise<Outcome> {
  const decisions: Decision[] = [];
  let error = false;
  for (const name of provingEngines()) {
    const sparse = o.sparse?.engines.includes(name) ? o.sparse : undefined;
    if (sparse && index % sparse.every !== 0) continue;
    const t0 = Date.now();
    try {
      const r = await engines[name]!.solve(inst, { deadline: Date.now() + (sparse?.timeoutMs ?? o.timeoutMs) });
      const ms = Date.now() - t0;
      if (r.verdict === 'unknown') {
        decisions.push({ decider: name, verdict: 'unknown', ms, note: r.reason });
        continue;
      }
      if (r.verdict === 'feasible' && !acceptWitness(inst, r.network)) {
        decisions.push({ decider: name, verdict: r.verdict, ms, certificate: 'witness does not fit' });
        continue;
      }
      const body = r.verdict === 'feasible' ? { verdict: r.verdict, network: r.network } : { verdict: r.verdict, proof: r.proof };
      const outcome = checkCertificate(certificateText(certificateJson(inst, body, { engine: name })), `${name}.cert.json`);
      decisions.push({ decider: name, verdict: r.verdict, ms, certificate: outcome.status === 'valid' ? 'valid' : JSON.stringify(outcome) });
    } catch (e) {
      error = true;
      decisions.push({ decider: name, verdict: 'unknown', ms: Date.now() - t0, note: `error: ${(e as Error).message}` });
    }
  }
  if (o.native && (o.sparse === undefined || index % o.sparse.every === 0)) {
    const file = join(o.dir, 'instance.smt2');
    writeFileSync(file, smtlibText(inst));
    for (const solver of ['z3', 'cvc5'] as const) {
      if (!nativeSolvers().includes(solver)) continue;
      const a = runSmtSolver(inst, solver, file, (o.sparse?.timeoutMs ?? o.timeoutMs) / 1000);
      const verdict: Verdict = a.answer === 'sat' ? 'feasible' : a.answer === 'unsat' ? 'infeasible' : 'unknown';
      decisions.push({
        decider: `${solver} (native)`,
        verdict,
        ms: Math.round(a.seconds * 1000),
        ...(verdict === 'unknown'
          ? { note: `${a.answer}${a.detail ? `: ${a.detail}` : ''}` }
          : a.answer === 'sat' && a.model !== 'checks'
            ? { note: `model ${a.model}` }
            : {}),
      });
    }
  }
  if (inst.architecture.hidden * inst.points.length <= o.bruteForceMax) {
    const t0 = Date.now();
    try {
      decisions.push({
        decider: 'brute force',
        verdict: bruteForceFeasible(inst, Deadline.at(t0 + o.timeoutMs)) ? 'feasible' : 'infeasible',
        ms: Date.now() - t0,
      });
    } catch (e) {
      if (!(e instanceof Timeout)) throw e;
      decisions.push({ decider: 'brute force', verdict: 'unknown', ms: Date.now() - t0, note: 'timeout' });
    }
  }
  const definite = new Set(decisions.map((x) => x.verdict).filter((v) => v !== 'unknown'));
  return {
    index,
    cls,
    draw: { geometry: draw.geometry, magnitude: draw.magnitude, labelling: draw.labelling, degenerate: draw.degenerate.shapes },
    decisions,
    disagreement: definite.size > 1,
    badCertificate: decisions.some((x) => x.certificate !== undefined && x.certificate !== 'valid'),
    error,
  };
}

let nativeCache: string[] | undefined;
function nativeSolvers(): string[] {
  nativeCache ??= (['z3', 'cvc5'] as const).filter((s) => solverInstalled(s));
  return nativeCache;
}

// ------------------------------------------------------------------ the run and its table

export interface FuzzReport {
  date: string;
  seed: number;
  count: number;
  timeoutMs: number;
  deciders: string[];
  outcomes: Outcome[];
  failures: number;
  seconds: number;
}

export async function fuzzEngines(opts: {
  count: number;
  seed: number;
  timeoutMs: number;
  native: boolean;
  bruteForceMax?: number;
  sparse?: DecideOptions['sparse'];
  only?: number;
  /** false: no degenerate shapes (the instances of an older run of the seed) */
  degenerate?: boolean;
  /** decide only the instances whose index is shard.index mod shard.of */
  shard?: { index: number; of: number };
  /** instances already decided (a resumed run): skipped */
  skip?: ReadonlySet<number>;
  onOutcome?: (o: Outcome, inst: Instance) => void;
}): Promise<FuzzReport> {
  const t0 = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'relucert-fuzz-engines-'));
  const outcomes: Outcome[] = [];
  try {
    const all = fuzzInstances(opts.count, opts.seed, { degenerate: opts.degenerate ?? true });
    for (const [i, x] of all.entries()) {
      if (opts.only !== undefined && i !== opts.only) continue;
      if (opts.shard && i % opts.shard.of !== opts.shard.index) continue;
      if (opts.skip?.has(i)) continue;
      const o = await decide(i, x.inst, x.cls, x.draw, {
        timeoutMs: opts.timeoutMs,
        native: opts.native,
        bruteForceMax: opts.bruteForceMax ?? 6,
        dir,
        ...(opts.sparse ? { sparse: opts.sparse } : {}),
      });
      outcomes.push(o);
      opts.onOutcome?.(o, x.inst);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return fuzzReport(outcomes, { seed: opts.seed, count: opts.count, timeoutMs: opts.timeoutMs, seconds: (Date.now() - t0) / 1000 });
}

/** The report over `outcomes` (of one run, or of the logs of several shards). */
export function fuzzReport(outcomes: Outcome[], run: { seed: number; count: number; timeoutMs: number; seconds: number }): FuzzReport {
  const deciders = [...new Set(outcomes.flatMap((o) => o.decisions.map((d) => d.decider)))];
  return {
    date: new Date().toISOString().slice(0, 10),
    ...run,
    deciders,
    outcomes,
    failures: outcomes.filter((o) => o.disagreement || o.badCertificate || o.error).length,
  };
}

/** One line of a --log file: an outcome with the run it belongs to. */
interface LogLine {
  seed: number;
  count: number;
  timeoutMs: number;
  /** whether the run drew degenerate shapes (absent in the logs of runs from before they were drawn, which had none) */
  degenerate?: boolean;
  /** milliseconds the instance took, every decider included */
  ms: number;
  outcome: Outcome;
}

/** The lines of --log files (a missing file has none); throws on a line that is not JSON, naming the file and line. */
function readLogs(files: readonly string[]): LogLine[] {
  return files.flatMap((f) =>
    existsSync(f)
      ? readFileSync(f, 'utf8')
          .split('\n')
          .filter((l) => l.trim() !== '')
          .map((l, i) => {
            try {
              return JSON.parse(l) as LogLine;
            } catch {
              throw new Error(`${f}: line ${i + 1} is not JSON`);
            }
          })
      : [],
  );
}

/** The verdict an outcome settles on: the definite one if all agree, 'DISAGREE' otherwise. */
const settled = (o: Outcome): string => {
  const v = new Set(o.decisions.map((d) => d.verdict).filter((x) => x !== 'unknown'));
  return v.size > 1 ? 'DISAGREE' : ([...v][0] ?? 'unknown');
};

/** Markdown tables: per class dimension, and per decider. */
export function fuzzTable(rep: FuzzReport): string {
  const out: string[] = [];
  out.push(`${rep.count} instances, seed ${rep.seed}, time limit ${rep.timeoutMs / 1000} s per decider, ${rep.date}; ${rep.seconds.toFixed(0)} s in all.`);
  out.push(`Deciders: ${rep.deciders.join(', ')}. Failures (disagreements, rejected certificates, errors): ${rep.failures}.`);
  out.push('');
  const dims: [string, (o: Outcome) => string][] = [
    ['activation', (o) => o.cls.activation],
    ['output weights', (o) => o.cls.outputWeights],
    ['output bias', (o) => (o.cls.bias ? 'yes' : 'no')],
    ['loss', (o) => o.cls.loss],
    ['geometry', (o) => o.draw.geometry],
    ['magnitude', (o) => o.draw.magnitude],
    ['labels', (o) => o.draw.labelling],
    ...DEGENERACIES.map((x): [string, (o: Outcome) => string] => [x, (o) => ((o.draw.degenerate ?? []).includes(x) ? 'yes' : 'no')]),
  ];
  out.push('| class | value | instances | feasible | infeasible | no verdict | some decider unknown | disagreements | bad certificates | errors |');
  out.push('|---|---|---|---|---|---|---|---|---|---|');
  for (const [dim, key] of dims) {
    const groups = new Map<string, Outcome[]>();
    for (const o of rep.outcomes) groups.set(key(o), [...(groups.get(key(o)) ?? []), o]);
    for (const [value, os] of groups) {
      const count = (f: (o: Outcome) => boolean): number => os.filter(f).length;
      out.push(
        `| ${dim} | ${value} | ${os.length} | ${count((o) => settled(o) === 'feasible')} | ${count((o) => settled(o) === 'infeasible')} | ${count((o) => settled(o) === 'unknown')} | ${count((o) => o.decisions.some((d) => d.verdict === 'unknown'))} | ${count((o) => o.disagreement)} | ${count((o) => o.badCertificate)} | ${count((o) => o.error)} |`,
      );
    }
  }
  out.push('');
  out.push('| decider | answered | feasible | infeasible | unknown | median ms | max ms |');
  out.push('|---|---|---|---|---|---|---|');
  for (const name of rep.deciders) {
    const ds = rep.outcomes.flatMap((o) => o.decisions.filter((d) => d.decider === name));
    const ms = ds.map((d) => d.ms).sort((a, b) => a - b);
    const c = (v: Verdict): number => ds.filter((d) => d.verdict === v).length;
    out.push(`| ${name} | ${ds.length} | ${c('feasible')} | ${c('infeasible')} | ${c('unknown')} | ${ms[ms.length >> 1] ?? 0} | ${ms[ms.length - 1] ?? 0} |`);
  }
  return out.join('\n') + '\n';
}

// ------------------------------------------------------------------ command line

async function main(): Promise<void> {
  const o = new Command()
    .name('fuzz-engines')
    .description('differential fuzzing of every proving engine, z3/cvc5 on the export and brute force (docs/engines.md)')
    .option('--count <n>', 'instances', '300')
    .option('--seed <s>', 'fast-check seed', '1')
    .option('--timeout <sec>', 'time limit per decider and instance', '10')
    .option('--out <dir>', 'write each failing instance here', 'out/fuzz-engines')
    .option('--only <i>', 'decide only instance number i (to replay a failure)')
    .option('--json <file>', 'write every outcome here')
    .option('--no-native', 'do not run z3 / cvc5 on the export')
    .option('--no-degenerate', 'no degenerate shapes: the instances a run of the seed drew before they were added')
    .option('--shard <i/m>', 'decide only the instances whose index is i mod m')
    .option('--log <file>', 'append each outcome as a JSON line; resume: skip the instances already in the file')
    .option('--table <logs...>', 'print the table of the outcomes in these --log files (of one run, any shards) and exit')
    .parse()
    .opts<{
      count: string;
      seed: string;
      timeout: string;
      out: string;
      only?: string;
      json?: string;
      native: boolean;
      degenerate: boolean;
      shard?: string;
      log?: string;
      table?: string[];
    }>();
  if (o.table) {
    const lines = readLogs(o.table);
    const first = lines[0];
    if (!first) throw new Error(`no outcomes in ${o.table.join(', ')}`);
    const runs = new Set(lines.map((l) => `${l.seed}/${l.count}/${l.timeoutMs}/${l.degenerate === true ? 'degenerate' : 'ordinary'}`));
    if (runs.size > 1) throw new Error(`the logs mix runs (seed/count/time limit): ${[...runs].join(', ')}`);
    const byIndex = new Map(lines.map((l) => [l.outcome.index, l]));
    const outcomes = [...byIndex.values()].map((l) => l.outcome).sort((a, b) => a.index - b.index);
    const seconds = [...byIndex.values()].reduce((s, l) => s + l.ms, 0) / 1000;
    const rep = fuzzReport(outcomes, { seed: first.seed, count: outcomes.length, timeoutMs: first.timeoutMs, seconds });
    if (o.json) writeFileSync(o.json, JSON.stringify(rep) + '\n');
    process.stdout.write(fuzzTable(rep));
    process.exitCode = rep.failures > 0 ? 1 : 0;
    return;
  }
  const count = Number(o.count);
  const seed = Number(o.seed);
  const timeoutMs = Number(o.timeout) * 1000;
  const shardMatch = o.shard === undefined ? undefined : /^(\d+)\/([1-9]\d*)$/.exec(o.shard);
  if (o.shard !== undefined && (!shardMatch || Number(shardMatch[1]) >= Number(shardMatch[2])))
    throw new Error(`--shard: "${o.shard}" is not I/M with 0 <= I < M`);
  const skip = new Set(o.log ? readLogs([o.log]).map((l) => l.outcome.index) : []);
  let done = 0;
  let last = Date.now();
  const rep = await fuzzEngines({
    count,
    seed,
    timeoutMs,
    native: o.native,
    degenerate: o.degenerate,
    ...(o.only !== undefined ? { only: Number(o.only) } : {}),
    ...(shardMatch ? { shard: { index: Number(shardMatch[1]), of: Number(shardMatch[2]) } } : {}),
    skip,
    onOutcome: (x, inst) => {
      done++;
      const now = Date.now();
      if (o.log)
        appendFileSync(o.log, JSON.stringify({ seed, count, timeoutMs, degenerate: o.degenerate, ms: now - last, outcome: x } satisfies LogLine) + '\n');
      last = now;
      if (x.disagreement || x.badCertificate || x.error) {
        mkdirSync(o.out, { recursive: true });
        const file = join(o.out, `fuzz-${seed}-${x.index}.json`);
        writeFileSync(file, prettyJson(instanceToJson(inst)));
        process.stderr.write(
          `FAILURE on instance ${x.index} (replay: --seed ${seed} --count ${count} --only ${x.index}${o.degenerate ? '' : ' --no-degenerate'}), written to ${file}:\n${JSON.stringify(x.decisions)}\n`,
        );
      }
      if (done % 100 === 0) process.stderr.write(`  ${done} of ${count}\n`);
    },
  });
  if (o.json) writeFileSync(o.json, JSON.stringify(rep) + '\n');
  process.stdout.write(fuzzTable(rep));
  process.exitCode = rep.failures > 0 ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
