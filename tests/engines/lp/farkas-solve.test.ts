import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Q } from '../../../src/core/rational.js';
import { type LinRow, row } from '../../../src/encode/rows.js';
import { decideRows } from '../../../src/engines/lp/exact-lp.js';
import { farkasBySolve } from '../../../src/engines/lp/farkas-solve.js';

const coef = fc.integer({ min: -3, max: 3 }).map((v) => Q.of(v));
const rowsArb = fc
  .array(fc.record({ a: coef, b: coef, rhs: coef, sense: fc.constantFrom<'<=' | '='>('<=', '<=', '=') }), { minLength: 1, maxLength: 6 })
  .map((rs) =>
    rs.map((r, i): LinRow =>
      row(
        `r${i}`,
        new Map(
          [
            ['x', r.a],
            ['y', r.b],
          ].filter(([, c]) => !(c as Q).isZero()) as [string, Q][],
        ),
        r.sense,
        r.rhs,
      ),
    ),
  );

describe('farkasBySolve', () => {
  it('returns only valid Farkas certificates, and only for infeasible systems', () => {
    let found = 0;
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const m = farkasBySolve(rows);
        if (!m) return;
        found++;
        expect(decideRows(rows).status).toBe('infeasible');
        const comb = new Map<string, Q>();
        let rhs = Q.ZERO;
        for (const [name, l] of m) {
          const r = rows.find((x) => x.name === name)!;
          if (r.sense !== '=') expect(l.sign()).toBeGreaterThanOrEqual(0);
          for (const [v, c] of r.coefs) comb.set(v, (comb.get(v) ?? Q.ZERO).add(l.mul(c)));
          rhs = rhs.add(l.mul(r.rhs));
        }
        for (const c of comb.values()) expect(c.isZero()).toBe(true);
        expect(rhs.sign()).toBe(-1);
      }),
      { numRuns: 400 },
    );
    expect(found).toBeGreaterThan(10);
  });
  it('finds the certificate of x <= 0, -x <= -1', () => {
    const m = farkasBySolve([row('a', new Map([['x', Q.ONE]]), '<=', Q.ZERO), row('b', new Map([['x', Q.MINUS_ONE]]), '<=', Q.MINUS_ONE)]);
    expect(m && Object.fromEntries([...m].map(([k, v]) => [k, v.toString()]))).toEqual({ a: '1', b: '1' });
  });
});
