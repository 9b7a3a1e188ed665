/** Random small networks for the stochastic tests (weights k/8, k in -20..20; ReLU hidden layers, identity output). */
import { Q } from '../../src/core/rational.js';
import type { Network } from '../../src/core/types.js';
import type { SeededRandom } from '../../src/core/random.js';

export function randomNetwork(rng: SeededRandom, sizes: number[]): Network {
  const r = (): Q => Q.of(Math.floor(rng.nextFloat() * 41) - 20, 8);
  return {
    layers: sizes.slice(1).map((n, l) => ({
      activation: l === sizes.length - 2 ? ('identity' as const) : ('relu' as const),
      weights: Array.from({ length: n }, () => Array.from({ length: sizes[l]! }, r)),
      bias: Array.from({ length: n }, r),
    })),
  };
}
