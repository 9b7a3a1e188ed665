/**
 * Rows with no coefficients ("0 SENSE rhs", as f = 0 gives when every output weight is 0 and
 * there is no output bias) in every LP kernel: among random rows over two variables, a row with no
 * coefficients holds or fails by itself. The exact LP must agree with that and with the rows that
 * have coefficients, and prove what it says (multipliers checked here, independently); the float
 * guides and the Farkas solve must not crash, and say nothing the exact LP contradicts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Q } from '../../../src/core/rational.js';
import { type LinExpr, type LinRow, row } from '../../../src/encode/rows.js';
import { decideRows } from '../../../src/engines/lp/exact-lp.js';
import { minimizeSquares } from '../../../src/engines/lp/exact-qp.js';
import { farkasBySolve } from '../../../src/engines/lp/farkas-solve.js';
import { floatDecide } from '../../../src/engines/lp/float-lp.js';
import { FloatTableau } from '../../../src/engines/lp/float-tableau.js';

const small = fc.integer({ min: -3, max: 3 }).map((v) => Q.of(v));

/** A row over x and y (zero coefficients left out), or with no coefficients at all when `empty`. */
const rowArb = fc.record({ a: small, b: small, rhs: small, sense: fc.constantFrom<LinRow['sense']>('<=', '<=', '=', '<'), empty: fc.boolean() });

/** Rows, about half of them without coefficients. */
const rowsArb = fc.array(rowArb, { minLength: 1, maxLength: 6 }).map((rs) =>
  rs.map((r, i): LinRow => {
    const coefs = new Map<string, Q>();
    if (!r.empty) {
      if (!r.a.isZero()) coefs.set('x', r.a);
      if (!r.b.isZero()) coefs.set('y', r.b);
    }
    return row(`r${i}`, coefs, r.sense, r.rhs);
  }),
);

/** Does "0 SENSE rhs" hold? */
const holdsAlone = (r: LinRow): boolean => (r.sense === '=' ? r.rhs.isZero() : r.sense === '<' ? r.rhs.sign() > 0 : r.rhs.sign() >= 0);

const closure = (rows: LinRow[]): LinRow[] => rows.map((r) => (r.sense === '<' ? { ...r, sense: '<=' } : r));

/** 'farkas' or 'motzkin' when the multipliers prove the rows infeasible (docs/certificates.md 4.4), else why not. */
function proves(rows: readonly LinRow[], m: ReadonlyMap<string, Q>): string {
  const comb = new Map<string, Q>();
  let rhs = Q.ZERO;
  let strict = Q.ZERO;
  for (const [name, l] of m) {
    const r = rows.find((x) => x.name === name);
    if (!r) return `no row ${name}`;
    if (r.sense !== '=' && l.sign() < 0) return `negative multiplier on ${name}`;
    for (const [v, c] of r.coefs) comb.set(v, (comb.get(v) ?? Q.ZERO).add(l.mul(c)));
    rhs = rhs.add(l.mul(r.rhs));
    if (r.sense === '<') strict = strict.add(l);
  }
  if ([...comb.values()].some((c) => !c.isZero())) return 'the combination is not 0';
  if (rhs.sign() < 0) return 'farkas';
  if (rhs.isZero() && strict.sign() > 0) return 'motzkin';
  return 'the right-hand side is not negative';
}

/** Does the point satisfy every row exactly (strict rows strictly)? */
function satisfies(rows: readonly LinRow[], p: ReadonlyMap<string, Q>): boolean {
  return rows.every((r) => {
    const lhs = Q.sum([...r.coefs].map(([v, c]) => c.mul(p.get(v) ?? Q.ZERO)));
    return r.sense === '=' ? lhs.eq(r.rhs) : r.sense === '<' ? lhs.lt(r.rhs) : lhs.le(r.rhs);
  });
}

describe('rows with no coefficients in the LP kernels', () => {
  it('the exact LP: infeasible exactly when a row without coefficients fails or the other rows are infeasible, and it proves what it says', () => {
    const seen = { failingAlone: 0, feasible: 0, infeasible: 0 };
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const empty = rows.filter((r) => r.coefs.size === 0);
        const rest = rows.filter((r) => r.coefs.size > 0);
        const failsAlone = empty.some((r) => !holdsAlone(r));
        if (failsAlone) seen.failingAlone++;
        const expected = failsAlone || (rest.length > 0 && decideRows(rest).status === 'infeasible') ? 'infeasible' : 'feasible';
        const r = decideRows(rows);
        seen[r.status]++;
        expect(r.status).toBe(expected);
        if (r.status === 'feasible') expect(satisfies(rows, r.point)).toBe(true);
        else expect(proves(rows, r.multipliers)).toBe(r.kind);
      }),
      { numRuns: 500 },
    );
    expect(seen.failingAlone).toBeGreaterThan(50);
    expect(seen.feasible).toBeGreaterThan(50);
    expect(seen.infeasible).toBeGreaterThan(50);
  });

  it('the float LP, the warm-started tableau and the Farkas solve never crash, and never contradict the exact LP of the closure', () => {
    let compared = 0;
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const exact = decideRows(closure(rows)).status;
        for (const guess of [floatDecide(rows).status, FloatTableau.root(rows).result().status]) {
          if (guess === 'unsure') continue;
          compared++;
          expect(guess).toBe(exact);
        }
        const m = farkasBySolve(rows);
        if (m) expect(proves(rows, m)).toBe('farkas');
      }),
      { numRuns: 500 },
    );
    expect(compared).toBeGreaterThan(500);
  });

  it('the exact least squares: Farkas multipliers when the rows are infeasible, else an optimum whose dual it has checked', () => {
    let optimal = 0;
    fc.assert(
      fc.property(rowsArb, fc.array(fc.tuple(small, small, small), { minLength: 1, maxLength: 3 }), (rows, fs) => {
        const closed = closure(rows);
        const outputs: LinExpr[] = fs.map(([a, b]) => new Map([...(a.isZero() ? [] : [['x', a] as const]), ...(b.isZero() ? [] : [['y', b] as const])]));
        const labels = fs.map(([, , y]) => y);
        const r = minimizeSquares(closed, outputs, labels);
        const lp = decideRows(closed);
        expect(r.status === 'infeasible' ? 'infeasible' : 'feasible').toBe(lp.status);
        if (r.status === 'infeasible') expect(proves(closed, r.multipliers)).toBe(r.kind);
        else {
          optimal++;
          expect(satisfies(closed, r.point)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
    expect(optimal).toBeGreaterThan(50);
  });
});
