/**
 * The producer side of gram certificates: the fraction-free elimination
 * against the plain rational reference, the rounding of claims (always up,
 * short), decay laws, the deadline, and soundness against float64 eigenvalues.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Q, parseRational } from '../../src/core/rational.js';
import type { Instance } from '../../src/core/types.js';
import { InputError } from '../../src/format/errors.js';
import {
  ceilDecimal,
  ceilRoot,
  certifyGram,
  claimedBounds,
  decayHolds,
  decimalText,
  eigenvalueBound,
  firstDecayFailure,
  frobenius2Of,
  iroot,
  leastDecayConstant,
  pivotedElimination,
  traceOf,
} from '../../src/learn/gram.js';
import { floatGram, integerGram, parseKernel } from '../../src/learn/kernel.js';
import { eigenvaluesDescending, tailSums } from '../../src/learn/spectrum.js';
import { gramQ, schurSteps } from './schur-reference.js';

const coord = fc.tuple(fc.integer({ min: -6, max: 6 }), fc.constantFrom(1, 2, 5)).map(([a, b]) => Q.of(a, b));
const pointSet = fc.integer({ min: 1, max: 4 }).chain((d) => fc.array(fc.array(coord, { minLength: d, maxLength: d }), { minLength: 2, maxLength: 9 }));
const kernelArb = fc.tuple(fc.integer({ min: 1, max: 4 }), fc.constantFrom('0', '1', '1/3', '2')).map(([q, c]) => parseKernel(`poly:${q}:${c}`));

function instanceOf(points: Q[][]): Instance {
  return {
    name: 'pts',
    description: '',
    points,
    labels: points.map(() => Q.ZERO),
    architecture: { hidden: 1, activation: 'relu', outputWeights: { mode: 'signs' }, outputBias: false },
    loss: { type: 'exact' },
  };
}

describe('pivotedElimination', () => {
  it('gives the exact trace and Frobenius norm of every Schur complement (plain rational reference), pivots by largest diagonal', () => {
    fc.assert(
      fc.property(pointSet, kernelArb, (pts, k) => {
        const e = pivotedElimination(integerGram(pts, k, 'f'), 20);
        const K = gramQ(pts, k.degree, k.offset);
        const ref = schurSteps(K, e.pivots)!;
        expect(ref).toBeDefined();
        e.steps.forEach((s, r) => {
          expect(traceOf(s).eq(ref[r]!.trace)).toBe(true);
          expect(frobenius2Of(s).eq(ref[r]!.frobenius2)).toBe(true);
        });
        // greedy: the first pivot has the largest diagonal entry
        const diag = K.map((row, i) => row[i]!);
        expect(diag.every((v) => v.le(diag[e.pivots[0] ?? 0]!))).toBe(true);
        // stopping: at most n - 1 pivots; 'rank' exactly when the last Schur complement is 0
        expect(e.pivots.length).toBeLessThanOrEqual(pts.length - 1);
        expect(e.stoppedBy === 'rank').toBe(e.steps[e.steps.length - 1]!.traceNum === 0n);
      }),
      { numRuns: 80, seed: 5 },
    );
  });
  it('stops at a passed deadline with no pivot, and at the pivot limit', () => {
    const g = integerGram([[Q.ONE], [Q.of(2)], [Q.of(-3)]], parseKernel('poly:3'), 'f');
    const late = pivotedElimination(g, 10, Date.now() - 1);
    expect(late).toMatchObject({ pivots: [], stoppedBy: 'deadline' });
    expect(pivotedElimination(g, 1).stoppedBy).toBe('pivot limit');
  });
});

describe('claims: short decimals rounded up', () => {
  const positive = fc.tuple(fc.bigInt({ min: 1n, max: 10n ** 40n }), fc.bigInt({ min: 1n, max: 10n ** 30n }));
  it('ceilDecimal: >= x, at most 6 significant digits, and the next smaller 6-digit decimal is < x', () => {
    fc.assert(
      fc.property(positive, ([n, d]) => {
        const x = Q.of(n, d);
        const u = ceilDecimal(n, d);
        expect(u.ge(x)).toBe(true);
        const digits = decimalText(u).replace('-', '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
        expect(digits.length).toBeLessThanOrEqual(6);
        // one unit less in the 6th significant digit is below x
        let unit = Q.ONE;
        while (u.div(unit).ge(Q.of(1_000_000n))) unit = unit.mul(Q.of(10n));
        while (u.div(unit).lt(Q.of(100_000n))) unit = unit.div(Q.of(10n));
        expect(u.sub(unit).lt(x)).toBe(true);
      }),
      { numRuns: 300, seed: 1 },
    );
  });
  it('ceilRoot: u^b >= x and (u - 1e-5 u)^b < x, for b = 2..5', () => {
    fc.assert(
      fc.property(positive, fc.integer({ min: 2, max: 5 }), ([n, d], b) => {
        const B = BigInt(b);
        const u = ceilRoot(n, d, B);
        const x = Q.of(n, d);
        const pow = (v: Q): Q => Q.of(v.num ** B, v.den ** B);
        expect(pow(u).ge(x)).toBe(true);
        expect(pow(u.mul(Q.of(99_999n, 100_000n))).lt(x)).toBe(true);
      }),
      { numRuns: 200, seed: 2 },
    );
  });
  it('iroot is the floor of the b-th root', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 50n }), fc.integer({ min: 1, max: 7 }), (n, b) => {
        const B = BigInt(b);
        const r = iroot(n, B);
        expect(r ** B <= n && (r + 1n) ** B > n).toBe(true);
      }),
      { numRuns: 300, seed: 3 },
    );
  });
  it('decimalText writes the same number, as a decimal when it is one', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 3 }), (n, e, odd) => {
        const x = Q.of(n, 10n ** BigInt(e) * [1n, 3n, 7n, 1n][odd]!);
        const t = decimalText(x);
        expect(parseRational(t)!.eq(x)).toBe(true);
        if (odd === 0 || odd === 3) expect(t).not.toContain('/');
      }),
      { numRuns: 300, seed: 4 },
    );
    expect(decimalText(Q.of(-1, 8))).toBe('-0.125');
    expect(decimalText(Q.of(1, 3))).toBe('1/3');
  });
});

describe('soundness against float64 eigenvalues', () => {
  it('every certified tail and lambda_{r+1} bound is above the eigenvalues ml-matrix computes (up to round-off)', () => {
    fc.assert(
      fc.property(pointSet, kernelArb, (pts, k) => {
        const b = claimedBounds(pivotedElimination(integerGram(pts, k, 'f'), 20).steps);
        const xs = pts.map((p) => p.map((v) => v.toNumber()));
        const eigs = eigenvaluesDescending(floatGram(xs, xs, k));
        const tails = tailSums(eigs);
        const tol = 1e-9 * Math.max(1, eigs[0]!);
        for (const x of b) {
          expect(x.tail.toNumber()).toBeGreaterThanOrEqual(tails[x.r]! - tol);
          expect(x.next.toNumber()).toBeGreaterThanOrEqual((eigs[x.r] ?? 0) - tol);
        }
        for (let i = 1; i <= pts.length; i++) expect(eigenvalueBound(b, i).toNumber()).toBeGreaterThanOrEqual(eigs[i - 1]! - tol);
      }),
      { numRuns: 60, seed: 6 },
    );
  });
});

describe('decay laws', () => {
  const pts = [
    [Q.ONE, Q.ZERO],
    [Q.of(1, 2), Q.of(-1)],
    [Q.of(2), Q.of(1, 3)],
    [Q.ZERO, Q.ONE],
    [Q.of(-1), Q.of(-1)],
    [Q.of(3, 2), Q.of(2)],
  ];
  const bounds = claimedBounds(pivotedElimination(integerGram(pts, parseKernel('poly:2'), 'f'), 5).steps);
  it('the least c for a p is implied, one unit less is not', () => {
    for (const p of [Q.ZERO, Q.ONE, Q.of(3, 2), Q.of(2), Q.of(7, 3)]) {
      const c = leastDecayConstant(bounds, pts.length, p);
      expect(firstDecayFailure(bounds, pts.length, { c, p })).toBeUndefined();
      let unit = Q.ONE;
      while (c.div(unit).ge(Q.of(1000n))) unit = unit.mul(Q.of(10n));
      while (c.div(unit).lt(Q.of(100n))) unit = unit.div(Q.of(10n));
      expect(firstDecayFailure(bounds, pts.length, { c: c.sub(unit), p })).toBeDefined();
    }
  });
  it('decayHolds compares beta^b i^a with c^b exactly', () => {
    // beta = 1/4 at i = 4 with p = 1/2: c i^(-1/2) = c / 2, so c = 1/2 is exactly enough
    expect(decayHolds(Q.of(1, 4), 4, { c: Q.of(1, 2), p: Q.of(1, 2) })).toBe(true);
    expect(decayHolds(Q.of(1, 4), 4, { c: Q.of(499, 1000), p: Q.of(1, 2) })).toBe(false);
    expect(decayHolds(Q.of(1, 27), 3, { c: Q.ONE, p: Q.of(3) })).toBe(true);
    expect(decayHolds(Q.of(1, 26), 3, { c: Q.ONE, p: Q.of(3) })).toBe(false);
  });
});

describe('certifyGram', () => {
  const pts = [[Q.ONE], [Q.of(2)], [Q.of(-1, 2)], [Q.of(3)], [Q.of(5, 4)]];
  it('reports a claimed law that does not follow, with the least c that does, and leaves it out of the certificate', () => {
    const run = certifyGram(instanceOf(pts), parseKernel('poly:2'), { pivots: 2, decay: { c: Q.of(1, 100), p: Q.ONE } });
    expect(run.decay).toBeUndefined();
    expect(run.decayFailure?.index).toBe(1);
    expect(run.certificate.decay).toBeUndefined();
    const ok = certifyGram(instanceOf(pts), parseKernel('poly:2'), { pivots: 2, decay: { c: run.decayFailure!.leastC, p: Q.ONE } });
    expect(ok.decay).toBeDefined();
  });
  it('refuses more than 1000 points, naming the file and points', () => {
    const many = Array.from({ length: 1001 }, (_, i) => [Q.of(i)]);
    expect(() => certifyGram(instanceOf(many), parseKernel('poly:1'), { file: 'big.json' })).toThrow(
      /big\.json: points: 1001 points; relucert gram takes at most 1000/,
    );
  });
  it('refuses more pivots than the limit and work over the limit, naming --pivots', () => {
    expect(() => certifyGram(instanceOf(pts), parseKernel('poly:2'), { pivots: 201 })).toThrow(InputError);
    const many = Array.from({ length: 1000 }, (_, i) => [Q.of(i, 7), Q.of(i % 13, 3)]);
    expect(() => certifyGram(instanceOf(many), parseKernel('poly:4'), { pivots: 200 })).toThrow(/--pivots: .* use at most \d+ pivots/);
  });
});
