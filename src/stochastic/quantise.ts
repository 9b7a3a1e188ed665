/**
 * Fixed-point evaluation of a relucert-network/1 network (docs/stochastic.md
 * section 3) and the integer interval arithmetic the bounds are built on.
 *
 * With f fractional bits and F = 2^f:
 *   - every input x, weight w and bias b becomes round(x F), round(w F), round(b F),
 *     where round is to the nearest integer, ties away from zero;
 *   - a layer computes acc_i = sum_j W_ij X_j exactly (scale F^2) and then
 *     Z_i = roundDiv(acc_i, F) + B_i: ONE rescale per unit, after the whole sum,
 *     with the same rounding (nearest, ties away from zero);
 *   - hidden layers apply ReLU to Z (a faulty one outputs 0 for Z >= 0 and Z for
 *     Z < 0); the last layer is the identity.
 *   - the class is the sign for one output (1 if Y > 0, else 0), and the argmax
 *     for several (the lowest index wins a tie).
 * roundDiv is monotone in its first argument, so integer intervals propagate
 * soundly through every step.
 */
import { Q } from '../core/rational.js';
import type { Network } from '../core/types.js';
import { InputError } from '../format/errors.js';

export interface QLayer {
  relu: boolean;
  /** Integer weights round(w F); rows = units. */
  weights: bigint[][];
  /** Integer biases round(b F). */
  bias: bigint[];
}

export interface QNetwork {
  frac: number;
  scale: bigint;
  inputDim: number;
  layers: QLayer[];
}

/** Nearest integer to v, ties away from zero. */
export function roundRational(v: Q): bigint {
  return roundDiv(v.num, v.den);
}

/** Nearest integer to a/d (d > 0), ties away from zero. Monotone in a. */
export function roundDiv(a: bigint, d: bigint): bigint {
  if (a >= 0n) return (2n * a + d) / (2n * d);
  return -((-2n * a + d) / (2n * d));
}

/**
 * Quantises a network with f fractional bits. Hidden layers must be ReLU and
 * the last layer identity; `file` names the network in errors.
 */
export function quantiseNetwork(net: Network, frac: number, file: string): QNetwork {
  const scale = 1n << BigInt(frac);
  const n = net.layers.length;
  const layers = net.layers.map((layer, l): QLayer => {
    const last = l === n - 1;
    if (last && layer.activation !== 'identity')
      throw new InputError(file, `layers[${l}].activation`, `the output layer must be identity, got ${layer.activation}`);
    if (!last && layer.activation !== 'relu')
      throw new InputError(file, `layers[${l}].activation`, `hidden layers must be relu for stochastic ReLUs, got ${layer.activation}`);
    const S = Q.of(scale);
    return {
      relu: !last,
      weights: layer.weights.map((row) => row.map((w) => roundRational(w.mul(S)))),
      bias: layer.bias.map((b) => roundRational(b.mul(S))),
    };
  });
  return { frac, scale, inputDim: net.layers[0]!.weights[0]!.length, layers };
}

export function quantiseInput(x: readonly Q[], frac: number): bigint[] {
  const S = Q.of(1n << BigInt(frac));
  return x.map((v) => roundRational(v.mul(S)));
}

/** Z = roundDiv(W v, F) + B for one layer. */
export function preActivations(q: QNetwork, layer: QLayer, v: readonly bigint[]): bigint[] {
  return layer.weights.map((row, i) => {
    let acc = 0n;
    for (let j = 0; j < row.length; j++) acc += row[j]! * v[j]!;
    return roundDiv(acc, q.scale) + layer.bias[i]!;
  });
}

/** The class of an output vector: sign for one output (1 iff Y > 0), else argmax (lowest index on ties). */
export function classOf(out: readonly bigint[]): number {
  if (out.length === 1) return out[0]! > 0n ? 1 : 0;
  let best = 0;
  for (let i = 1; i < out.length; i++) if (out[i]! > out[best]!) best = i;
  return best;
}

/** Fault-free evaluation: the pre-activations of every layer and the output. */
export function traceFaultFree(q: QNetwork, x: readonly bigint[]): { pre: bigint[][]; output: bigint[] } {
  const pre: bigint[][] = [];
  let v: bigint[] = [...x];
  for (const layer of q.layers) {
    const z = preActivations(q, layer, v);
    pre.push(z);
    v = layer.relu ? z.map((t) => (t > 0n ? t : 0n)) : z;
  }
  return { pre, output: v };
}

// ---------------------------------------------------------------------------
// Integer intervals.

export interface Interval {
  lo: bigint;
  hi: bigint;
}

/** Pre-activation intervals of one layer for inputs in the given intervals (exact for each end, by monotonicity). */
export function preActivationIntervals(q: QNetwork, layer: QLayer, v: readonly Interval[]): Interval[] {
  return layer.weights.map((row, i) => {
    let lo = 0n;
    let hi = 0n;
    for (let j = 0; j < row.length; j++) {
      const w = row[j]!;
      const x = v[j]!;
      if (w >= 0n) {
        lo += w * x.lo;
        hi += w * x.hi;
      } else {
        lo += w * x.hi;
        hi += w * x.lo;
      }
    }
    const b = layer.bias[i]!;
    return { lo: roundDiv(lo, q.scale) + b, hi: roundDiv(hi, q.scale) + b };
  });
}

/** Fault-free ReLU on an interval. */
export function reluInterval(z: Interval): Interval {
  return { lo: z.lo > 0n ? z.lo : 0n, hi: z.hi > 0n ? z.hi : 0n };
}

/** Every output a ReLU can give, faulty or not: {0, z} for z in the interval, as a hull. */
export function hullInterval(z: Interval): Interval {
  return { lo: z.lo < 0n ? z.lo : 0n, hi: z.hi > 0n ? z.hi : 0n };
}

/** The class every output vector in the box has, or undefined if it is not determined. */
export function classOfBox(out: readonly Interval[]): number | undefined {
  if (out.length === 1) {
    const y = out[0]!;
    if (y.lo > 0n) return 1;
    if (y.hi <= 0n) return 0;
    return undefined;
  }
  for (let k = 0; k < out.length; k++) {
    let wins = true;
    for (let i = 0; i < out.length && wins; i++) {
      if (i === k) continue;
      // a lower index wins ties, so it must be beaten strictly
      wins = i < k ? out[k]!.lo > out[i]!.hi : out[k]!.lo >= out[i]!.hi;
    }
    if (wins) return k;
  }
  return undefined;
}

/**
 * Output intervals from layer `from` on, given the activations entering it,
 * with every ReLU from there on unconstrained (hull): covers every fault pattern.
 */
export function propagateHull(q: QNetwork, from: number, v: readonly Interval[]): Interval[] {
  let cur: Interval[] = [...v];
  for (let l = from; l < q.layers.length; l++) {
    const layer = q.layers[l]!;
    const z = preActivationIntervals(q, layer, cur);
    cur = layer.relu ? z.map(hullInterval) : z;
  }
  return cur;
}

export function point(v: bigint): Interval {
  return { lo: v, hi: v };
}
