import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Q } from '../../src/core/rational.js';
import type { Network } from '../../src/core/types.js';
import { type FaultModel, type Variant, effectiveFaultProbability } from '../../src/stochastic/fault.js';
import { exactChangeProbability, fieldProblem, unionBound } from '../../src/stochastic/network.js';
import { type QNetwork, classOf, point, preActivations, quantiseInput, quantiseNetwork, roundDiv, traceFaultFree } from '../../src/stochastic/quantise.js';
import { SeededRandom } from '../../src/core/random.js';
import { simulateChanges } from '../../src/stochastic/simulate.js';
import { randomNetwork } from './random-network.js';

/** Every fault pattern, no pruning, no merging: the reference for the enumeration. */
function naiveChange(q: QNetwork, m: FaultModel, x: bigint[]): Q {
  const base = classOf(traceFaultFree(q, x).output);
  const go = (l: number, v: bigint[]): Q => {
    const layer = q.layers[l]!;
    const z = preActivations(q, layer, v);
    if (!layer.relu) return classOf(z) !== base ? Q.ONE : Q.ZERO;
    const unit = (i: number, out: bigint[]): Q => {
      if (i === z.length) return go(l + 1, out);
      const zi = z[i]!;
      const qi = effectiveFaultProbability(m, zi);
      let s = Q.ZERO;
      if (!qi.eq(Q.ONE)) s = s.add(Q.ONE.sub(qi).mul(unit(i + 1, [...out, zi > 0n ? zi : 0n])));
      if (!qi.isZero()) s = s.add(qi.mul(unit(i + 1, [...out, zi > 0n ? 0n : zi])));
      return s;
    };
    return unit(0, []);
  };
  return go(0, x);
}

describe('fixed point', () => {
  it('roundDiv rounds to nearest, ties away from zero', () => {
    expect([7n, 6n, 5n, 4n, -4n, -5n, -6n, -7n].map((a) => roundDiv(a, 4n))).toEqual([2n, 2n, 1n, 1n, -1n, -1n, -2n, -2n]);
    expect(roundDiv(2n, 4n)).toBe(1n);
    expect(roundDiv(-2n, 4n)).toBe(-1n);
  });
  it('quantises inputs and weights with f bits', () => {
    expect(quantiseInput([Q.of(1, 3), Q.of(-1, 8)], 2)).toEqual([1n, -1n]);
  });
});

describe('exact enumeration with pruning equals naive enumeration', () => {
  const variants: [Variant, number][] = [
    ['wrap', 0],
    ['poszero', 2],
    ['negpass', 3],
    ['poszero', 0],
  ];
  it('random networks 2-3-2, 2-3-3-1, 2-4-1 at random inputs, p = 257', () => {
    const rng = new SeededRandom(7);
    let compared = 0;
    for (let trial = 0; trial < 40; trial++) {
      const sizes = [
        [2, 3, 2],
        [2, 3, 3, 1],
        [2, 4, 1],
      ][trial % 3]!;
      const net = randomNetwork(rng, sizes);
      const q = quantiseNetwork(net, 3, 'test');
      const [variant, t] = variants[trial % variants.length]!;
      const m: FaultModel = { p: 257n, t, variant };
      const x = quantiseInput([Q.of(Math.floor(rng.nextFloat() * 17) - 8, 4), Q.of(Math.floor(rng.nextFloat() * 17) - 8, 4)], 3);
      if (fieldProblem(q, m, x.map(point))) continue;
      const ex = exactChangeProbability(q, m, x);
      expect(ex.status).toBe('exact');
      if (ex.status !== 'exact') continue;
      const naive = naiveChange(q, m, x);
      expect(ex.probability.toString()).toBe(naive.toString());
      const ub = unionBound(q, m, x.map(point));
      expect(ex.probability.le(ub.bound)).toBe(true);
      compared++;
    }
    expect(compared).toBeGreaterThan(20);
  });

  it('fast-check: the union bound on a box bounds the exact probability at every point in it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.constantFrom<Variant>('wrap', 'poszero', 'negpass'), (seed, variant) => {
        const rng = new SeededRandom(seed);
        const q = quantiseNetwork(randomNetwork(rng, [2, 3, 2]), 3, 'test');
        const m: FaultModel = { p: 509n, t: variant === 'wrap' ? 0 : 2, variant };
        const lo = [Math.floor(rng.nextFloat() * 16) - 8, Math.floor(rng.nextFloat() * 16) - 8].map(BigInt);
        const box = lo.map((l) => ({ lo: l, hi: l + 3n }));
        if (fieldProblem(q, m, box)) return true;
        const ub = unionBound(q, m, box);
        for (let a = box[0]!.lo; a <= box[0]!.hi; a++)
          for (let b = box[1]!.lo; b <= box[1]!.hi; b++) {
            const ex = exactChangeProbability(q, m, [a, b]);
            if (ex.status !== 'exact' || !ex.probability.le(ub.bound)) return false;
          }
        return true;
      }),
      { numRuns: 40 },
    );
  });
});

describe('Monte Carlo simulation of the share protocol', () => {
  it("the exact probability lies in the simulation's 99.99% Hoeffding interval", () => {
    const net: Network = {
      layers: [
        {
          activation: 'relu',
          weights: [
            [Q.of(1), Q.of(-1)],
            [Q.of(1, 2), Q.of(1)],
            [Q.of(-1), Q.of(1, 4)],
          ],
          bias: [Q.of(1, 8), Q.of(-1, 4), Q.ZERO],
        },
        {
          activation: 'relu',
          weights: [
            [Q.of(1), Q.of(1), Q.of(-1)],
            [Q.of(-1, 2), Q.of(1), Q.of(1)],
          ],
          bias: [Q.ZERO, Q.of(1, 8)],
        },
        {
          activation: 'identity',
          weights: [
            [Q.of(1), Q.of(-1)],
            [Q.of(-1), Q.of(1)],
          ],
          bias: [Q.of(1, 16), Q.ZERO],
        },
      ],
    };
    const q = quantiseNetwork(net, 5, 'test');
    const rng = new SeededRandom(20210617);
    const trials = 20000;
    const delta = 1e-4;
    const eps = Math.sqrt(Math.log(2 / delta) / (2 * trials));
    const cases: [FaultModel, Q[]][] = [
      [{ p: 211n, t: 0, variant: 'wrap' }, [Q.of(1, 2), Q.of(1, 4)]],
      [{ p: 211n, t: 3, variant: 'poszero' }, [Q.of(1, 2), Q.of(1, 4)]],
      [{ p: 211n, t: 3, variant: 'negpass' }, [Q.of(-1, 4), Q.of(1, 2)]],
      [{ p: 1031n, t: 4, variant: 'poszero' }, [Q.of(3, 8), Q.of(-1, 8)]],
    ];
    for (const [m, xr] of cases) {
      const x = quantiseInput(xr, 5);
      expect(fieldProblem(q, m, x.map(point))).toBeUndefined();
      const ex = exactChangeProbability(q, m, x);
      if (ex.status !== 'exact') throw new Error('not exact');
      const freq = simulateChanges(q, m, x, trials, rng) / trials;
      const exact = ex.probability.toNumber();
      expect({ m, exact, freq, ok: Math.abs(freq - exact) <= eps }).toMatchObject({ ok: true });
    }
  });
});
