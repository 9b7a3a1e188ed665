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

/** xoshiro128** with a splitmix32 seeding; 32-bit outputs. */
export class SeededRandom {
  private s: Uint32Array;
  constructor(seed: number) {
    this.s = new Uint32Array(4);
    let z = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      z = (z + 0x9e3779b9) >>> 0;
      let t = z;
      t = Math.imul(t ^ (t >>> 16), 0x85ebca6b) >>> 0;
      t = Math.imul(t ^ (t >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (t ^ (t >>> 16)) >>> 0;
    }
  }
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2] = (s[2]! ^ s[0]!) >>> 0;
    s[3] = (s[3]! ^ s[1]!) >>> 0;
    s[1] = (s[1]! ^ s[2]) >>> 0;
    s[0] = (s[0]! ^ s[3]) >>> 0;
    s[2] = (s[2] ^ t) >>> 0;
    s[3] = rotl(s[3], 11);
    return result;
  }
  /** Uniform on {0, ..., n-1} for 1 <= n <= 2^32, by rejection (no modulo bias). */
  below(n: bigint): bigint {
    const N = Number(n);
    const limit = Math.floor(4294967296 / N) * N;
    for (;;) {
      const v = this.nextUint32();
      if (v < limit) return BigInt(v % N);
    }
  }
  /** Uniform float in [0, 1), for test data only. */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

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
