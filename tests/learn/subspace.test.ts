/** Filtered PCA and principal angles (float64 experiments; deterministic seeds). */
import { describe, expect, it } from 'vitest';
import { drawTeacher } from '../../src/learn/teacher.js';
import { filteredPca, labelFilters, principalAngles, rowSpaceBasis } from '../../src/learn/subspace.js';

const e = (D: number, t: number): number[] => Array.from({ length: D }, (_, s) => (s === t ? 1 : 0));
const columns = (vs: number[][]): number[][] => vs[0]!.map((_, t) => vs.map((v) => v[t]!));

describe('principal angles', () => {
  it('are 0 for the same span, 90 for orthogonal spans, 45 for a tilted line', () => {
    const A = columns([e(4, 0), e(4, 1)]);
    const B = columns([
      [Math.SQRT1_2, Math.SQRT1_2, 0, 0],
      [Math.SQRT1_2, -Math.SQRT1_2, 0, 0],
    ]);
    principalAngles(A, B).forEach((a) => expect(a).toBeCloseTo(0, 6));
    expect(principalAngles(A, columns([e(4, 2), e(4, 3)]))).toEqual([90, 90]);
    expect(principalAngles(columns([e(2, 0)]), columns([[Math.SQRT1_2, Math.SQRT1_2]]))[0]).toBeCloseTo(45, 6);
  });
  it('rowSpaceBasis gives orthonormal columns spanning the rows', () => {
    const W = [
      [1, 2, 0, 0],
      [2, 4, 0, 0],
      [0, 0, 1, 1],
    ];
    const B = rowSpaceBasis(W);
    expect(B[0]!.length).toBe(2);
    const dot = (i: number, j: number): number => B.reduce((s, row) => s + row[i]! * row[j]!, 0);
    expect(dot(0, 0)).toBeCloseTo(1, 9);
    expect(dot(1, 1)).toBeCloseTo(1, 9);
    expect(dot(0, 1)).toBeCloseTo(0, 9);
    expect(principalAngles(B, columns([[1, 2, 0, 0].map((v) => v / Math.sqrt(5))]))[0]).toBeCloseTo(0, 4); // arccos near 1: about 1e-6 degrees of round-off
  });
});

describe('filtered PCA on planted teachers', () => {
  it('recovers a 2-dimensional first-layer span in dimension 8 from 3000 Gaussian points', () => {
    const t = drawTeacher({ depth: 2, width: 2, dim: 8, samples: 3000, seed: 4, inputDigits: 3 });
    const X = t.points.map((p) => p.map((v) => v.toNumber()));
    const y = t.labels.map((v) => v.toNumber());
    const r = filteredPca(X, y, { permutations: 5 });
    expect(r.recovered).toBe(2);
    const truth = rowSpaceBasis(t.network.layers[0]!.weights.map((row) => row.map((v) => v.toNumber())));
    const angles = principalAngles(truth, r.basis);
    expect(angles.length).toBe(2);
    expect(Math.max(...angles)).toBeLessThan(20);
  });
  it('finds nothing when the labels do not depend on x (permuted labels)', () => {
    const t = drawTeacher({ depth: 1, width: 2, dim: 6, samples: 1500, seed: 8 });
    const X = t.points.map((p) => p.map((v) => v.toNumber()));
    const y = t.labels.map((v) => v.toNumber());
    const shuffled = y.map((_, i) => y[(i * 7919) % y.length]!);
    expect(filteredPca(X, shuffled, { permutations: 10, seed: 2 }).recovered).toBeLessThanOrEqual(1);
  });
  it('uses no filter for constant labels', () => {
    expect(labelFilters([2, 2, 2])).toEqual([]);
    expect(
      filteredPca(
        [
          [1, 0],
          [0, 1],
          [1, 1],
        ],
        [2, 2, 2],
        { permutations: 2 },
      ).recovered,
    ).toBe(0);
  });
});
