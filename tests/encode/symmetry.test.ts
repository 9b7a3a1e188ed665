/**
 * Automorphisms acting on the normalisation cases (src/encode/symmetry.ts,
 * docs/lemmas.md L9): which maps may negate the labels, which keep a weight
 * bound, and the case a map with a unit permutation comes from.
 */
import { describe, expect, it } from 'vitest';
import type { Automorphism } from '../../src/core/automorphism.js';
import { Q } from '../../src/core/rational.js';
import type { Instance, OutputWeights } from '../../src/core/types.js';
import { normalisationCases } from '../../src/encode/system.js';
import { labelNegationAllowed, sourceCase, unusableBecause } from '../../src/encode/symmetry.js';

function instance(outputWeights: OutputWeights, k = 2, extra: Partial<Instance['architecture']> = {}): Instance {
  return {
    name: 't',
    description: '',
    points: [[Q.of(-1)], [Q.of(1)]],
    labels: [Q.of(-1), Q.ONE],
    architecture: { hidden: k, activation: 'relu', outputWeights, outputBias: false, ...extra },
    loss: { type: 'exact' },
  };
}
const negate: Automorphism = { map: { linear: [[Q.MINUS_ONE]], shift: [Q.ZERO] }, points: [1, 0], labelSign: -1 };
const shifted: Automorphism = { map: { linear: [[Q.MINUS_ONE]], shift: [Q.ONE] }, points: [1, 0], labelSign: 1 };
const fixed = (...v: number[]): OutputWeights => ({ mode: 'fixed', values: v.map((x) => Q.of(x)) });

describe('labelNegationAllowed and unusableBecause', () => {
  it('lets signs, free and a list equal to its negation reordered negate the labels; never positive', () => {
    expect(labelNegationAllowed(instance({ mode: 'signs' }))).toBe(true);
    expect(labelNegationAllowed(instance({ mode: 'free' }))).toBe(true);
    expect(labelNegationAllowed(instance({ mode: 'positive' }))).toBe(false);
    expect(labelNegationAllowed(instance(fixed(1, -1)))).toBe(true);
    expect(labelNegationAllowed(instance(fixed(1, 1)))).toBe(false);
    expect(labelNegationAllowed(instance(fixed(2, -1)))).toBe(false);
    expect(unusableBecause(instance({ mode: 'positive' }), negate)).toContain('negates the labels');
    expect(unusableBecause(instance({ mode: 'signs' }), negate)).toBeUndefined();
  });
  it('refuses a map that moves the bias only where the cases carry bound rows', () => {
    const B = { weightBound: Q.ONE };
    expect(unusableBecause(instance({ mode: 'signs' }, 2, B), shifted)).toContain('weight bound');
    expect(unusableBecause(instance({ mode: 'signs' }, 2, B), negate)).toBeUndefined();
    // free unbounded ReLU output weights and threshold units: no bound rows (L7), any map
    expect(unusableBecause(instance({ mode: 'free' }, 2, B), shifted)).toBeUndefined();
    expect(unusableBecause(instance({ mode: 'signs' }, 2, { ...B, activation: 'threshold' }), shifted)).toBeUndefined();
  });
});

describe('sourceCase', () => {
  it('sends the sign case with p entries -1 to the one with k - p under s = -1 and the reversal', () => {
    const inst = instance({ mode: 'signs' }, 3);
    const cases = normalisationCases(inst).map((c) => (c.a === 'free' ? 'free' : c.a.join(',')));
    expect(cases).toEqual(['1,1,1', '-1,1,1', '-1,-1,1', '-1,-1,-1']);
    for (let t = 0; t < 4; t++) {
      expect(sourceCase(inst, t, -1, [2, 1, 0])).toBe(3 - t);
      expect(sourceCase(inst, t, 1, [0, 1, 2])).toBe(t);
    }
    // unreversed, s = -1 gives an unsorted vector: no case
    expect(sourceCase(inst, 1, -1, [0, 1, 2])).toBeUndefined();
    // a permutation inside the block of -1s keeps the case; one across blocks does not
    expect(sourceCase(inst, 2, 1, [1, 0, 2])).toBe(2);
    expect(sourceCase(inst, 2, 1, [2, 1, 0])).toBeUndefined();
  });
  it('keeps the free threshold case, and finds no case for s = -1 with positive output weights', () => {
    const thr = {
      ...instance({ mode: 'free' }, 2),
      architecture: { hidden: 2, activation: 'threshold' as const, outputWeights: { mode: 'free' as const }, outputBias: true },
    };
    expect(sourceCase(thr, 0, -1, [1, 0])).toBe(0);
    expect(sourceCase(instance({ mode: 'positive' }), 0, -1, [0, 1])).toBeUndefined();
    expect(sourceCase(instance({ mode: 'positive' }), 0, 1, [1, 0])).toBe(0);
    expect(sourceCase(instance(fixed(1, -1)), 0, -1, [1, 0])).toBe(0);
  });
});
