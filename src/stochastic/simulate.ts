/**
 * Monte Carlo simulation of the share protocol itself: every ReLU draws a
 * fresh r uniform on Z_p, forms the shares and runs the comparator
 * (`comparatorSaysNonNegative`), and outputs Z if it says "Z >= 0", else 0.
 * An independent cross-check of the closed forms and of the exact network
 * probability (tests only; nothing reported by relucert comes from here).
 * Deterministic: a seeded PRNG (xoshiro128**), r by rejection sampling.
 */
import { type FaultModel, comparatorSaysNonNegative } from './fault.js';
import { type QNetwork, classOf, preActivations, traceFaultFree } from './quantise.js';
import type { SeededRandom } from '../core/random.js';

/** One stochastic ReLU through the protocol. */
export function protocolRelu(m: FaultModel, z: bigint, rng: SeededRandom): bigint {
  return comparatorSaysNonNegative(m, z, rng.below(m.p)) ? z : 0n;
}

/** One protocol run of the whole network; returns the output vector. */
export function simulateOnce(q: QNetwork, m: FaultModel, x: readonly bigint[], rng: SeededRandom): bigint[] {
  let v: bigint[] = [...x];
  for (const layer of q.layers) {
    const z = preActivations(q, layer, v);
    v = layer.relu ? z.map((t) => protocolRelu(m, t, rng)) : z;
  }
  return v;
}

/** How many of `trials` protocol runs give a class other than the fault-free one. Requires p <= 2^32. */
export function simulateChanges(q: QNetwork, m: FaultModel, x: readonly bigint[], trials: number, rng: SeededRandom): number {
  if (m.p > 1n << 32n) throw new RangeError('simulation needs p <= 2^32');
  const base = classOf(traceFaultFree(q, x).output);
  let changes = 0;
  for (let i = 0; i < trials; i++) if (classOf(simulateOnce(q, m, x, rng)) !== base) changes++;
  return changes;
}
