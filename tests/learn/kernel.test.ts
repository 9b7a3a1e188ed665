/** The polynomial kernel: parsing its spec, and the exact Gram matrix K = M / L. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Q } from '../../src/core/rational.js';
import { InputError } from '../../src/format/errors.js';
import { GRAM_LIMITS, floatGram, integerGram, kernelText, parseKernel } from '../../src/learn/kernel.js';
import { gramQ } from './schur-reference.js';

describe('parseKernel', () => {
  it('reads poly:Q and poly:Q:C (C defaults to 1)', () => {
    expect(parseKernel('poly:2')).toEqual({ type: 'polynomial', degree: 2, offset: Q.ONE });
    expect(parseKernel('poly:3:1/2').offset.eq(Q.of(1, 2))).toBe(true);
    expect(parseKernel('poly:1:0.25').offset.eq(Q.of(1, 4))).toBe(true);
    expect(kernelText(parseKernel('poly:2:0'))).toBe('(x.y)^2');
    expect(kernelText(parseKernel('poly:4:3'))).toBe('(3 + x.y)^4');
    // numbers as researchers write them (issue F section 9)
    expect(kernelText(parseKernel('poly:2:1e3'))).toBe('(1000 + x.y)^2');
  });
  it.each([
    ['rbf:1', 'expected poly:Q or poly:Q:C'],
    ['poly', 'expected poly:Q or poly:Q:C'],
    ['poly:2:1:1', 'expected poly:Q or poly:Q:C'],
    ['poly:0', 'degree Q: expected an integer from 1 to 12'],
    ['poly:13', 'degree Q'],
    ['poly:2.5', 'degree Q'],
    ['poly:-1', 'degree Q'],
    ['poly:2:-1', 'offset C: must be >= 0'],
    ['poly:2:abc', 'offset C: not an exact rational'],
    ['poly:2:1e', 'offset C: not an exact rational'],
  ])('rejects %s, naming --kernel', (spec, msg) => {
    try {
      parseKernel(spec);
      expect.fail('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).field).toBe('--kernel');
      expect((e as InputError).message).toContain(msg);
    }
  });
});

describe('integerGram', () => {
  const coord = fc.tuple(fc.integer({ min: -9, max: 9 }), fc.integer({ min: 1, max: 12 })).map(([a, b]) => Q.of(a, b));
  it('K = M / L entrywise, against the plain rational Gram matrix', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }).chain((d) => fc.array(fc.array(coord, { minLength: d, maxLength: d }), { minLength: 1, maxLength: 5 })),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom(Q.ZERO, Q.ONE, Q.of(2, 3), Q.of(5)),
        (pts, degree, offset) => {
          const g = integerGram(pts, { type: 'polynomial', degree, offset }, 'f');
          const K = gramQ(pts, degree, offset);
          expect(g.L > 0n).toBe(true);
          K.forEach((row, i) => row.forEach((v, j) => expect(Q.of(g.matrix()[i]![j]!, g.L).eq(v)).toBe(true)));
          const f = floatGram(
            pts.map((p) => p.map((v) => v.toNumber())),
            pts.map((p) => p.map((v) => v.toNumber())),
            { type: 'polynomial', degree, offset },
          );
          K.forEach((row, i) => row.forEach((v, j) => expect(f[i]![j]!).toBeCloseTo(v.toNumber(), 6)));
        },
      ),
      { numRuns: 80, seed: 3 },
    );
  });
  it('refuses entries over the digit limit, naming the file and points', () => {
    const big = [[Q.of(10n ** 60n)], [Q.ONE]];
    expect(() => integerGram(big, parseKernel('poly:8'), 'inst.json')).toThrow(
      /inst\.json: points: the exact Gram matrix of \(1 \+ x\.y\)\^8 would need entries of more than 400 digits/,
    );
    expect(() => integerGram([[Q.of(1n, 10n ** 200n)], [Q.of(1n, 10n ** 200n + 1n)]], parseKernel('poly:1'), 'f')).toThrow(
      /a common denominator of more than 400 digits/,
    );
    expect(integerGram(big, parseKernel('poly:2'), 'inst.json').entryDigits).toBeLessThanOrEqual(GRAM_LIMITS.maxEntryDigits);
  });
});
