/**
 * Network-level probabilities for stochastic ReLUs (docs/stochastic.md
 * sections 4 and 5).
 *
 * `exactChangeProbability`: the exact probability that the class of the
 * quantised network differs from its fault-free class at one input, by
 * enumerating fault patterns layer by layer with pruning (a partial pattern
 * whose every completion gives the same class, by hull intervals, is settled
 * at once; identical layer outputs are merged). Three-valued: exceeding the
 * node budget is an answer ('unknown'), not an error.
 *
 * `unionBound`: Theorem 1 of docs/stochastic.md. For a box of quantised inputs,
 *   P(class changes) <= sum over ReLUs j that can matter of max_{box} q_j,
 * where q_j is the effective fault probability at j's fault-free
 * pre-activation and "can matter" fails only when hull intervals show that no
 * fault pattern whose first fault is at j changes the class. Linear in the
 * number of ReLUs, times one interval pass.
 */
import { Q } from '../core/rational.js';
import { type FaultModel, effectiveFaultCount, fieldHalf, maxEffectiveFaultCount } from './fault.js';
import {
  type Interval,
  type QNetwork,
  classOf,
  classOfBox,
  hullInterval,
  point,
  preActivationIntervals,
  preActivations,
  propagateHull,
  reluInterval,
  traceFaultFree,
} from './quantise.js';

export type ExactResult = { status: 'exact'; probability: Q; nodes: number; states: number } | { status: 'unknown'; reason: string; nodes: number };

/**
 * Exact P(class != reference) at the quantised input x; the reference is the
 * fault-free class unless given (a label, for misclassification rates).
 * Assumes the model passed `fieldProblem` for a box containing x.
 */
export function exactChangeProbability(q: QNetwork, m: FaultModel, x: readonly bigint[], maxNodes = 200_000, reference?: number): ExactResult {
  // Masses are integers over the implicit denominator p^(ReLUs decided so far):
  // a decided ReLU multiplies by p - count (right) or count (faulty), so no
  // gcd is ever taken; the result is changed / p^N with N ReLUs in all.
  const { p } = m;
  const N = q.layers.reduce((n, l) => n + (l.relu ? l.weights.length : 0), 0);
  const base = reference ?? classOf(traceFaultFree(q, x).output);
  let changed = 0n;
  let nodes = 0;
  let states = new Map<string, { acts: bigint[]; mass: bigint }>([[x.join(','), { acts: [...x], mass: 1n }]]);
  let totalStates = 1;
  let decided = 0;
  for (let l = 0; l < q.layers.length; l++) {
    const layer = q.layers[l]!;
    if (!layer.relu) {
      for (const s of states.values()) if (classOf(preActivations(q, layer, s.acts)) !== base) changed += s.mass;
      break;
    }
    const next = new Map<string, { acts: bigint[]; mass: bigint }>();
    for (const s of states.values()) {
      const z = preActivations(q, layer, s.acts);
      const counts = z.map((v) => effectiveFaultCount(m, v));
      const out: bigint[] = [];
      // Depth-first over the units of this layer; out[0..i) is fixed.
      const visit = (i: number, mass: bigint): void => {
        if (++nodes > maxNodes) throw BUDGET;
        const v: Interval[] = z.map((zz, u) => (u < i ? point(out[u]!) : hullInterval(point(zz))));
        const cls = classOfBox(propagateHull(q, l + 1, v));
        if (cls !== undefined) {
          if (cls !== base) changed += mass * p ** BigInt(N - decided - i);
          return;
        }
        if (i === z.length) {
          const key = out.join(',');
          const prev = next.get(key);
          if (prev) prev.mass += mass;
          else next.set(key, { acts: [...out], mass });
          return;
        }
        const zi = z[i]!;
        const c = counts[i]!;
        if (c !== p) {
          out[i] = zi > 0n ? zi : 0n;
          visit(i + 1, mass * (p - c));
        }
        if (c !== 0n) {
          out[i] = zi > 0n ? 0n : zi;
          visit(i + 1, mass * c);
        }
        out.length = i;
      };
      try {
        visit(0, s.mass);
      } catch (e) {
        if (e === BUDGET) return { status: 'unknown', reason: `more than ${maxNodes} enumeration nodes`, nodes };
        throw e;
      }
    }
    states = next;
    totalStates += next.size;
    decided += layer.weights.length;
  }
  return { status: 'exact', probability: Q.of(changed, p ** BigInt(N)), nodes, states: totalStates };
}

const BUDGET = new Error('enumeration budget exceeded');

export interface ReluTerm {
  layer: number;
  unit: number;
  /** Fault-free pre-activation interval over the box. */
  pre: Interval;
  /** max over the box of the effective fault count (probability = count / p). */
  maxCount: bigint;
  /** false when no fault pattern whose first fault is here can change the class. */
  canChange: boolean;
}

export interface BoxBound {
  /** min(1, sum of maxCount/p over the ReLUs that can change the class). */
  bound: Q;
  /** The fault-free class if it is the same on the whole box. */
  baseClass: number | undefined;
  terms: ReluTerm[];
}

/** Theorem 1 on a box of quantised inputs (a point is a box with lo = hi). */
export function unionBound(q: QNetwork, m: FaultModel, box: readonly Interval[]): BoxBound {
  // Fault-free intervals, layer by layer.
  const pre: Interval[][] = [];
  const acts: Interval[][] = [[...box]];
  for (const layer of q.layers) {
    const z = preActivationIntervals(q, layer, acts[acts.length - 1]!);
    pre.push(z);
    acts.push(layer.relu ? z.map(reluInterval) : z);
  }
  const baseClass = classOfBox(acts[acts.length - 1]!);
  const terms: ReluTerm[] = [];
  let total = 0n;
  q.layers.forEach((layer, l) => {
    if (!layer.relu) return;
    const z = pre[l]!;
    z.forEach((zj, j) => {
      const maxCount = maxEffectiveFaultCount(m, zj.lo, zj.hi);
      let canChange = maxCount > 0n;
      if (canChange && baseClass !== undefined) {
        const v = z.map((zz, u) => (u < j ? reluInterval(zz) : hullInterval(zz)));
        canChange = classOfBox(propagateHull(q, l + 1, v)) !== baseClass;
      }
      if (canChange) total += maxCount;
      terms.push({ layer: l, unit: j, pre: zj, maxCount, canChange });
    });
  });
  const bound = total >= m.p ? Q.ONE : Q.of(total, m.p);
  return { bound, baseClass, terms };
}

/**
 * Why the model does not apply on the box, or undefined: every pre-activation
 * reachable under any fault pattern (hull intervals) must lie in
 * [-(p-1)/2, (p-1)/2], where the field represents it as a signed value.
 */
export function fieldProblem(q: QNetwork, m: FaultModel, box: readonly Interval[]): string | undefined {
  const half = fieldHalf(m.p);
  let cur: Interval[] = [...box];
  for (let l = 0; l < q.layers.length; l++) {
    const layer = q.layers[l]!;
    const z = preActivationIntervals(q, layer, cur);
    for (let j = 0; j < z.length; j++) {
      const zj = z[j]!;
      if (zj.lo < -half || zj.hi > half)
        return `layer ${l} unit ${j} may reach [${zj.lo}, ${zj.hi}] (in units of 2^-${q.frac}), beyond (p-1)/2 = ${half}: use a larger p or fewer fractional bits`;
    }
    cur = layer.relu ? z.map(hullInterval) : z;
  }
  return undefined;
}
