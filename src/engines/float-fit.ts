/**
 * Upper bounds from float fits (docs/engines.md, "Upper bounds from float
 * fits"): restarts of a full-batch Adam fit of the network's weights in
 * floating point propose activation patterns; the exact optimum of a
 * proposed pattern (pattern-optimum.ts: the exact QP for l2, an exact LP for
 * l1 / l-inf) is a network whose loss is computed exactly. Floats only
 * choose which patterns to try: every bound returned is an exact network
 * accepted by acceptWitness.
 *
 * The fit: points standardised per coordinate, labels scaled (and centred
 * when the network has an output bias), which changes no pattern (a positive
 * affine change of every h_ij). Per restart (seeded, deterministic), every
 * unit starts with a random direction and its kink at a random point; Adam
 * (Kingma & Ba 2015) with a cosine-decayed step minimises the sum of squared
 * errors (l2, l-inf) or a smoothed absolute error (l1). While the step is
 * large a ReLU passes a small gradient through its flat side, so that no unit
 * dies at the start. Threshold units have no gradient: no proposals.
 */
import type { Q } from '../core/rational.js';
import type { Instance, Network } from '../core/types.js';
import { SeededRandom } from '../core/random.js';
import { type Pattern, bestOnPattern, patternFrom, patternKey } from './pattern-optimum.js';
import { Deadline, Timeout } from './result.js';
import { acceptWitness } from './witness.js';

export interface FitOptions {
  /** Seed of the restarts (default 1): equal seeds give equal proposals. */
  seed?: number;
  /** Number of restarts (default 40). */
  restarts?: number;
  /** Adam steps per restart (default 1500). */
  steps?: number;
  /** The fit stops at this deadline with the proposals it has (never throws Timeout). */
  deadline?: Deadline;
}

/** A pattern proposed by a float fit, with the fit's float loss in the scaled units (for ordering only). */
export interface Proposal extends Pattern {
  floatLoss: number;
}

/** The standardised data and the fixed part of the float model. */
interface FitData {
  x: number[][];
  y: number[];
  k: number;
  d: number;
  /** slope on the negative side (0 for ReLU) */
  slope: number;
  /** output weights: undefined when trained (free or sign weights), else fixed values */
  fixedA: number[] | undefined;
  bias: boolean;
  l1: boolean;
}

function standardised(inst: Instance): FitData | undefined {
  const { hidden: k, activation, outputWeights: ow, outputBias, slope } = inst.architecture;
  if (activation === 'threshold') return undefined;
  const pts = inst.points.map((p) => p.map((v) => v.toNumber()));
  const d = pts[0]!.length;
  const n = pts.length;
  const mean = Array.from({ length: d }, (_, t) => pts.reduce((s, p) => s + p[t]!, 0) / n);
  const sd = mean.map((m, t) => Math.sqrt(pts.reduce((s, p) => s + (p[t]! - m) ** 2, 0) / n) || 1);
  const ys = inst.labels.map((v) => v.toNumber());
  const ym = outputBias ? ys.reduce((s, v) => s + v, 0) / n : 0;
  const ysd = Math.sqrt(ys.reduce((s, v) => s + (v - ym) ** 2, 0) / n) || 1;
  const finite = (v: number): boolean => Number.isFinite(v);
  const x = pts.map((p) => p.map((v, t) => (v - mean[t]!) / sd[t]!));
  const y = ys.map((v) => (v - ym) / ysd);
  if (!x.every((p) => p.every(finite)) || !y.every(finite)) return undefined;
  const fixedA = ow.mode === 'fixed' ? ow.values.map((v) => v.toNumber()) : ow.mode === 'positive' ? Array.from({ length: k }, () => 1) : undefined;
  return { x, y, k, d, slope: slope?.toNumber() ?? 0, fixedA, bias: outputBias, l1: inst.loss.type === 'l1' };
}

/** Standard normal deviate (Box-Muller). */
function gauss(rng: SeededRandom): number {
  const u = 1 - rng.nextFloat();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextFloat());
}

/** Parameters in one vector: w (k d, unit-major), b (k), a (k), c (1). */
function initial(D: FitData, rng: SeededRandom): Float64Array {
  const { k, d, x } = D;
  const p = new Float64Array(k * d + 2 * k + 1);
  for (let j = 0; j < k; j++) {
    const at = x[Number(rng.below(BigInt(x.length)))]!;
    let h = 0;
    for (let t = 0; t < d; t++) {
      p[j * d + t] = gauss(rng);
      h += p[j * d + t]! * at[t]!;
    }
    p[k * d + j] = -h + 0.1 * gauss(rng);
    p[k * d + k + j] = D.fixedA ? D.fixedA[j]! : ((rng.nextFloat() < 0.5 ? -1 : 1) * (0.5 + rng.nextFloat())) / Math.sqrt(k);
  }
  return p;
}

/** The loss of parameters p and, with `g`, its gradient added into g (leak: the slope the flat side passes back). */
function lossAndGradient(D: FitData, p: Float64Array, g: Float64Array | undefined, leak: number): number {
  const { k, d, x, y } = D;
  const eps = 1e-3;
  const h = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    let f = D.bias ? p[k * d + 2 * k]! : 0;
    for (let j = 0; j < k; j++) {
      let v = p[k * d + j]!;
      for (let t = 0; t < d; t++) v += p[j * d + t]! * xi[t]!;
      h[j] = v;
      f += p[k * d + k + j]! * (v >= 0 ? v : D.slope * v);
    }
    const r = f - y[i]!;
    total += D.l1 ? Math.sqrt(r * r + eps * eps) : r * r;
    if (!g) continue;
    const dr = D.l1 ? r / Math.sqrt(r * r + eps * eps) : 2 * r;
    if (D.bias) g[k * d + 2 * k]! += dr;
    for (let j = 0; j < k; j++) {
      const v = h[j]!;
      const a = p[k * d + k + j]!;
      if (!D.fixedA) g[k * d + k + j]! += dr * (v >= 0 ? v : D.slope * v);
      const back = dr * a * (v >= 0 ? 1 : Math.max(D.slope, leak));
      g[k * d + j]! += back;
      for (let t = 0; t < d; t++) g[j * d + t]! += back * xi[t]!;
    }
  }
  return total;
}

/** One restart: Adam from `p` for `steps` steps (in place). */
function adam(D: FitData, p: Float64Array, steps: number): void {
  const m = new Float64Array(p.length);
  const v = new Float64Array(p.length);
  const g = new Float64Array(p.length);
  const [b1, b2, lr0] = [0.9, 0.999, 0.05];
  for (let s = 1; s <= steps; s++) {
    g.fill(0);
    lossAndGradient(D, p, g, s < steps / 2 ? 0.01 : 0);
    const lr = lr0 * (0.01 + 0.99 * 0.5 * (1 + Math.cos((Math.PI * s) / steps)));
    for (let q = 0; q < p.length; q++) {
      m[q] = b1 * m[q]! + (1 - b1) * g[q]!;
      v[q] = b2 * v[q]! + (1 - b2) * g[q]! * g[q]!;
      p[q]! -= (lr * (m[q]! / (1 - b1 ** s))) / (Math.sqrt(v[q]! / (1 - b2 ** s)) + 1e-8);
    }
  }
}

/** The pattern of float parameters p (h >= 0 active; output weights normalised as in patternFrom). */
function floatPattern(inst: Instance, D: FitData, p: Float64Array): Pattern | undefined {
  const { k, d, x } = D;
  const pre = (j: number, i: number): number => x[i]!.reduce((s, v, t) => s + p[j * d + t]! * v, p[k * d + j]!);
  const aSign = Array.from({ length: k }, (_, j) => Math.sign(p[k * d + k + j]!));
  return patternFrom(
    inst,
    aSign,
    () => true,
    (j, i) => pre(j, i) >= 0,
  );
}

/**
 * Distinct activation patterns proposed by float fits (see the file
 * comment), best float loss first; [] for threshold units or data that do
 * not fit in floats. Deterministic for a given seed; stops early (with what
 * it has) at the deadline.
 */
export function proposePatterns(inst: Instance, opts: FitOptions = {}): Proposal[] {
  const D = standardised(inst);
  if (!D) return [];
  const rng = new SeededRandom(opts.seed ?? 1);
  const deadline = opts.deadline ?? Deadline.NONE;
  const found = new Map<string, Proposal>();
  for (let r = 0; r < (opts.restarts ?? 40) && !deadline.expired(); r++) {
    const p = initial(D, rng);
    adam(D, p, opts.steps ?? 1500);
    const floatLoss = lossAndGradient(D, p, undefined, 0);
    const pat = floatPattern(inst, D, p);
    if (!pat || !Number.isFinite(floatLoss)) continue;
    const key = patternKey(pat);
    const old = found.get(key);
    if (!old || floatLoss < old.floatLoss) found.set(key, { ...pat, floatLoss });
  }
  return [...found.values()].sort((s, t) => s.floatLoss - t.floatLoss);
}

/**
 * The best exact network over the first `tries` proposals of
 * proposePatterns (default 6): each pattern's exact optimum
 * (bestOnPattern), kept when acceptWitness accepts it at its own loss.
 * Undefined when no pattern gave one. Never throws Timeout: at the deadline
 * it returns the best so far. The instance's loss must be l1, linf or l2.
 */
export function fitUpperBound(inst: Instance, opts: FitOptions & { tries?: number } = {}): { network: Network; value: Q } | undefined {
  if (inst.loss.type !== 'l1' && inst.loss.type !== 'linf' && inst.loss.type !== 'l2') throw new Error('fitUpperBound needs an l1, linf or l2 instance (bug)');
  const deadline = opts.deadline ?? Deadline.NONE;
  const proposals = proposePatterns(inst, { ...opts, deadline: deadline.share(0.5) });
  let best: { network: Network; value: Q } | undefined;
  for (const p of proposals.slice(0, opts.tries ?? 6)) {
    let r: ReturnType<typeof bestOnPattern>;
    try {
      r = bestOnPattern(inst, p.c, p.lits, deadline);
    } catch (e) {
      if (e instanceof Timeout) break;
      throw e;
    }
    if (!r || (best && !r.value.lt(best.value))) continue;
    if (acceptWitness({ ...inst, loss: { type: inst.loss.type, bound: r.value, strict: false } }, r.network)) best = r;
  }
  return best;
}
