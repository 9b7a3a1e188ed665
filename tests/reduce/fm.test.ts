import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Q } from '../../src/core/rational.js';
import { type Inequality, separate, solveInequalities } from '../../src/reduce/fm.js';
import { qs } from '../../src/reduce/reduction.js';

const row = (coef: number[], rhs: number): Inequality => ({ coef: qs(coef), rhs: Q.of(rhs) });
const holds = (rows: Inequality[], v: Q[]): boolean => rows.every((r) => Q.sum(r.coef.map((c, i) => c.mul(v[i]!))).le(r.rhs));

describe('Fourier-Motzkin (source deciders)', () => {
  it('finds a point of a feasible system', () => {
    const rows = [row([1, 1], 2), row([-1, 0], -1), row([0, -1], -1)]; // x + y <= 2, x >= 1, y >= 1
    const v = solveInequalities(rows, 2);
    expect(v?.map(String)).toEqual(['1', '1']);
  });
  it('reports an infeasible system', () => {
    expect(solveInequalities([row([1, 1], 1), row([-1, 0], -1), row([0, -1], -1)], 2)).toBeUndefined();
    expect(solveInequalities([row([0, 0], -1)], 2)).toBeUndefined();
  });
  it('separates exactly: XOR is not linearly separable, a corner is', () => {
    const [a, b, c, d] = [qs([0, 0]), qs([1, 1]), qs([0, 1]), qs([1, 0])];
    expect(separate([a, b], [c, d], 2)).toBeUndefined();
    const h = separate([b], [a, c, d], 2)!;
    const val = (x: Q[]): Q => h.w[0]!.mul(x[0]!).add(h.w[1]!.mul(x[1]!)).add(h.b);
    expect(val(b).sign()).toBe(1);
    for (const x of [a, c, d]) expect(val(x).sign()).toBeLessThanOrEqual(0);
  });
  it('property: any point returned satisfies every row; a planted point makes the system feasible', () => {
    const small = fc.integer({ min: -3, max: 3 });
    const sys = fc.array(fc.tuple(fc.array(small, { minLength: 3, maxLength: 3 }), small), { maxLength: 7 });
    fc.assert(
      fc.property(sys, fc.array(small, { minLength: 3, maxLength: 3 }), (raw, planted) => {
        const rows = raw.map(([c, r]) => row(c, r));
        const v = solveInequalities(rows, 3);
        if (v) expect(holds(rows, v)).toBe(true);
        // shift every rhs so that `planted` satisfies it: must be feasible
        const fixed = rows.map((r) => ({ coef: r.coef, rhs: Q.max(r.rhs, Q.sum(r.coef.map((c, i) => c.mul(Q.of(planted[i]!))))) }));
        expect(solveInequalities(fixed, 3)).toBeDefined();
      }),
      { seed: 11, numRuns: 300 },
    );
  });
});
