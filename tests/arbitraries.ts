/** fast-check generators of small instances, shared by the search and certificate tests. */
import fc from 'fast-check';
import { Q } from '../src/core/rational.js';
import type { Instance, Loss, OutputWeights } from '../src/core/types.js';

export interface SmallConstraints {
  maxPoints?: number;
  maxDim?: number;
  maxHidden?: number;
}

const small = fc.integer({ min: -2, max: 2 }).map((v) => Q.of(v));
const half = fc.integer({ min: -4, max: 4 }).map((v) => Q.of(v, 2));

export function smallInstance(c: SmallConstraints = {}): fc.Arbitrary<Instance> {
  const { maxPoints = 4, maxDim = 2, maxHidden = 2 } = c;
  return (
    fc
      .record({
        n: fc.integer({ min: 2, max: maxPoints }),
        d: fc.integer({ min: 1, max: maxDim }),
        k: fc.integer({ min: 1, max: maxHidden }),
        activation: fc.constantFrom('relu' as const, 'threshold' as const),
        ow: fc.constantFrom('signs', 'positive', 'free', 'fixed'),
        outputBias: fc.boolean(),
        lossType: fc.constantFrom('exact', 'l1', 'linf', 'classification'),
        strict: fc.boolean(),
        seed: fc.integer(),
      })
      // at most 5^d distinct points exist with coordinates in -2..2: more would make uniqueArray loop forever
      .map((s) => ({ ...s, n: Math.min(s.n, 5 ** s.d) }))
      .chain((s) =>
        fc
          .record({
            points: fc.uniqueArray(fc.array(small, { minLength: s.d, maxLength: s.d }), {
              minLength: s.n,
              maxLength: s.n,
              selector: (p) => p.join(','),
            }),
            labels: fc.array(s.lossType === 'classification' ? fc.constantFrom(Q.ONE, Q.MINUS_ONE) : small, { minLength: s.n, maxLength: s.n }),
            fixed: fc.array(fc.constantFrom(Q.ONE, Q.MINUS_ONE, Q.of(2), Q.of(1, 2)), { minLength: s.k, maxLength: s.k }),
            bound: half.map((b) => b.abs()),
          })
          .map((r): Instance => {
            const outputWeights: OutputWeights = s.ow === 'fixed' ? { mode: 'fixed', values: r.fixed } : { mode: s.ow };
            const loss: Loss =
              s.lossType === 'exact' || s.lossType === 'classification' ? { type: s.lossType } : { type: s.lossType, bound: r.bound, strict: s.strict };
            return {
              name: 'random',
              description: '',
              points: r.points,
              labels: r.labels,
              architecture: { hidden: s.k, activation: s.activation, outputWeights, outputBias: s.outputBias },
              loss,
            };
          }),
      )
  );
}

/**
 * Random small l2 instances: smallInstance's shapes (ReLU units become leaky ReLU of slope 1/4
 * half the time) with the squared loss, bound b / `denominator` for b in 0..maxBoundNumerator,
 * strict or not.
 */
export function smallL2Instance(c: SmallConstraints & { maxBoundNumerator: number; denominator: number }): fc.Arbitrary<Instance> {
  const { maxBoundNumerator, denominator, ...shape } = c;
  return fc
    .tuple(smallInstance(shape), fc.integer({ min: 0, max: maxBoundNumerator }), fc.boolean(), fc.boolean())
    .map(([inst, b, strict, leaky]): Instance => {
      const architecture =
        leaky && inst.architecture.activation === 'relu' ? { ...inst.architecture, activation: 'leaky-relu' as const, slope: Q.of(1, 4) } : inst.architecture;
      return { ...inst, architecture, loss: { type: 'l2', bound: Q.of(b, denominator), strict } };
    });
}
