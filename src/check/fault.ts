/**
 * The arithmetic of region certificates (docs/stochastic.md sections 2, 3
 * and 7): quantised values, the closed-form fault counts of Lemma 1, their
 * maximum over an interval (Lemma 2), interval propagation through the
 * layers, and the Theorem 1 bound on a box. Integers only; every product,
 * quotient and sum is charged to the work budget (cost.ts), so weights or
 * boxes with many digits cost what they cost.
 */
import { add, charge, chargeSum, div, mul } from './cost.js';
import { Rat } from './rational.js';

/** A quantised layer: integer weights (units x inputs) and biases, scaled by 2^fracBits. */
export interface Layer {
  relu: boolean;
  weights: bigint[][];
  bias: bigint[];
}

export type Variant = 'exact' | 'wrap' | 'poszero' | 'negpass';

/** The fault model of R4: the prime p, the truncation t (T = 2^t) and the comparator variant. */
export interface Model {
  p: bigint;
  t: number;
  T: bigint;
  variant: Variant;
}

export interface Interval {
  lo: bigint;
  hi: bigint;
}

/** What the leaf checks need: the quantised layers, the scale 2^fracBits and the fault model. */
export interface Ctx {
  layers: Layer[];
  scale: bigint;
  model: Model;
}

/** Nearest integer to a/d (d > 0), ties away from zero (section 3). */
export function roundDiv(a: bigint, d: bigint): bigint {
  const twice = mul(2n, d);
  return a >= 0n ? div(add(mul(2n, a), d), twice) : -div(add(mul(-2n, a), d), twice);
}

/** round(v * scale): a number of the certificate quantised (section 3). */
export function quantise(v: Rat, scale: bigint): bigint {
  return roundDiv(mul(v.num, scale), v.den);
}

function powMod(b: bigint, e: bigint, n: bigint): bigint {
  let r = 1n;
  b %= n;
  for (; e > 0n; e >>= 1n) {
    charge(4 * 36); // two products and two remainders of numbers below 2^82 (R4 bounds n)
    if (e & 1n) r = (r * b) % n;
    b = (b * b) % n;
  }
  return r;
}

/** Deterministic Miller-Rabin with the first 13 primes as bases (exact below 3.3 * 10^24, the bound R4 puts on p). */
export function isOddPrime(n: bigint): boolean {
  const bases = [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n, 41n];
  for (const b of bases) {
    if (n === b) return n !== 2n;
    if (n % b === 0n) return false;
  }
  let d = n - 1n;
  let s = 0;
  while (d % 2n === 0n) {
    d /= 2n;
    s++;
  }
  for (const a of bases) {
    let x = powMod(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    let ok = false;
    for (let i = 1; i < s && !ok; i++) {
      x = (x * x) % n;
      ok = x === n - 1n;
    }
    if (!ok) return false;
  }
  return true;
}

/** #{ r in [a, b] : floor((r + d)/T) = floor(r/T) }, d >= 0 (Lemma 1). */
function ties(a: bigint, b: bigint, d: bigint, T: bigint): bigint {
  if (b < a || d >= T) return 0n;
  const k = T - d;
  const low = (n: bigint): bigint => (n <= 0n ? 0n : (n / T) * k + (n % T < k ? n % T : k));
  return low(b + 1n) - low(a);
}

/** The number of r in Z_p giving a wrong sign at x (Lemma 1), 0 at x = 0 (harmless). Arguments below p in size. */
function effectiveCount(m: Model, x: bigint): bigint {
  if (x === 0n) return 0n;
  const { p, T } = m;
  switch (m.variant) {
    case 'exact':
      return 0n;
    case 'wrap':
      return x > 0n ? x + 1n : -x - 1n;
    case 'poszero':
      return x > 0n ? 1n + x + ties(1n, p - 1n - x, x, T) : -x - 1n - ties(1n, -x - 1n, p + x, T);
    case 'negpass':
      return x > 0n ? (x / T < p / T ? 1n : 0n) + x - ties(0n, x - 1n, p - x, T) : ((p + x) / T === p / T ? 1n : 0n) - x - 1n + ties(0n, p - 1n + x, -x, T);
  }
}

/** Lemma 2: the maximum count over [lo, hi] is at an end or at a piece end. */
export function maxCount(m: Model, lo: bigint, hi: bigint): bigint {
  // eight candidates, each a few operations on numbers below 2^82 (R8 has bounded lo and hi by p)
  charge(8 * 20 * 36);
  let best = 0n;
  for (const v of [lo, hi, -m.T, 1n - m.T, -1n, 1n, m.T - 1n, m.T]) {
    if (v < lo || v > hi) continue;
    const c = effectiveCount(m, v);
    if (c > best) best = c;
  }
  return best;
}

/** The interval of each unit's pre-activation, from the intervals v of the layer's inputs (section 3: a product of interval and weight, rescaled once). */
export function affine(ctx: Ctx, layer: Layer, v: Interval[]): Interval[] {
  return layer.weights.map((row, i) => {
    let lo = 0n;
    let hi = 0n;
    for (const [j, w] of row.entries()) {
      const x = v[j]!;
      lo = add(lo, mul(w, w >= 0n ? x.lo : x.hi));
      hi = add(hi, mul(w, w >= 0n ? x.hi : x.lo));
    }
    const b = layer.bias[i]!;
    return { lo: add(roundDiv(lo, ctx.scale), b), hi: add(roundDiv(hi, ctx.scale), b) };
  });
}

export const relu = (z: Interval): Interval => ({ lo: z.lo > 0n ? z.lo : 0n, hi: z.hi > 0n ? z.hi : 0n });
export const hull = (z: Interval): Interval => ({ lo: z.lo < 0n ? z.lo : 0n, hi: z.hi > 0n ? z.hi : 0n });

/**
 * The class of every output in the box (sign: 1 iff y > 0; argmax: lowest
 * index on ties), or undefined. Argmax: output k is the class on the whole
 * box when its least value beats every other output's greatest (strictly
 * for a lower index). Only the lowest index with the greatest least value
 * can do that (another k' with out[k'].lo >= out[k].lo would need out[k].lo
 * above out[k'].hi >= out[k'].lo), so one pass finds it and one checks it:
 * 2m comparisons, each charged, for m outputs.
 */
export function boxClass(out: Interval[]): number | undefined {
  if (out.length === 1) return out[0]!.lo > 0n ? 1 : out[0]!.hi <= 0n ? 0 : undefined;
  let k = 0;
  for (const [i, o] of out.entries()) {
    chargeSum(o.lo, out[k]!.lo);
    if (o.lo > out[k]!.lo) k = i;
  }
  const lo = out[k]!.lo;
  for (const [i, o] of out.entries()) {
    chargeSum(lo, o.hi);
    if (i !== k && !(i < k ? lo > o.hi : lo >= o.hi)) return undefined;
  }
  return k;
}

/**
 * R8: hull intervals (every fault pattern) stay within [-(p-1)/2, (p-1)/2].
 * Returns the first layer and unit that may leave it, with its interval.
 */
export function fieldRange(ctx: Ctx, box: Interval[]): { layer: number; unit: number; z: Interval } | undefined {
  const half = (ctx.model.p - 1n) / 2n;
  let cur = box;
  for (const [l, layer] of ctx.layers.entries()) {
    const z = affine(ctx, layer, cur);
    for (const [unit, v] of z.entries()) {
      chargeSum(v.lo, v.hi);
      if (v.lo < -half || v.hi > half) return { layer: l, unit, z: v };
    }
    cur = layer.relu ? z.map(hull) : z;
  }
  return undefined;
}

/**
 * R9, Theorem 1: min(1, sum over ReLUs j of [j can matter] * maxCount_j / p),
 * with fault-free intervals before j and hull intervals from j on.
 */
export function theorem1(ctx: Ctx, box: Interval[]): Rat {
  const pre: Interval[][] = [];
  let cur = box;
  for (const layer of ctx.layers) {
    const z = affine(ctx, layer, cur);
    pre.push(z);
    cur = layer.relu ? z.map(relu) : z;
  }
  const base = boxClass(cur);
  let total = 0n;
  for (const [l, layer] of ctx.layers.entries()) {
    if (!layer.relu) continue;
    const z = pre[l]!;
    for (const [j, zj] of z.entries()) {
      const c = maxCount(ctx.model, zj.lo, zj.hi);
      if (c !== 0n && (base === undefined || canMatter(ctx, z, l, j, base))) total = add(total, c);
    }
  }
  return total >= ctx.model.p ? Rat.ONE : Rat.of(total, ctx.model.p);
}

/** Whether a fault of ReLU j of layer l can change the class `base`: propagate hull intervals from j on. */
function canMatter(ctx: Ctx, z: Interval[], l: number, j: number, base: number): boolean {
  let v = z.map((zz, u) => (u < j ? relu(zz) : hull(zz)));
  for (let k = l + 1; k < ctx.layers.length; k++) {
    const w = affine(ctx, ctx.layers[k]!, v);
    v = ctx.layers[k]!.relu ? w.map(hull) : w;
  }
  return boxClass(v) !== base;
}
