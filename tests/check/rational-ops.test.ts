/**
 * src/check/rational.ts, every exported operation against a plain bigint
 * reference (docs/mutation.md, "rational.ts, json.ts, fields.ts,
 * rejection.ts, index.ts"): each result compared whole (numerator and
 * denominator), zeros and signs included (the charges of the work limit:
 * tests/check/cost.test.ts). Milliseconds per test, so that a mutation run
 * of rational.ts stays cheap.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_DIGITS, Rat, overDigitLimit, sumRats } from '../../src/check/rational.js';

/** The plain textbook gcd of |a| and |b|, independent of the checker's. */
const euclid = (a: bigint, b: bigint): bigint => {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
};
/** n/d in lowest terms with d > 0, as [num, den]. */
const reduced = (n: bigint, d: bigint): [bigint, bigint] => {
  if (d < 0n) [n, d] = [-n, -d];
  if (n === 0n) return [0n, 1n];
  const g = euclid(n, d);
  return [n / g, d / g];
};
const parts = (r: Rat): [bigint, bigint] => [r.num, r.den];

const small = fc.bigInt({ min: -(10n ** 6n), max: 10n ** 6n });
const wide = fc.bigInt({ min: -(1n << 300n), max: 1n << 300n });
/** A rational as [num, den] in any terms (den != 0, either sign), zeros and units often. */
const pair = fc
  .tuple(fc.oneof(small, wide, fc.constantFrom(0n, 1n, -1n)), fc.oneof(small, wide, fc.constantFrom(1n, -1n, 2n)), fc.bigInt({ min: 1n, max: 1000n }))
  .filter(([, d]) => d !== 0n)
  .map(([n, d, m]): [bigint, bigint] => [n * m, d * m]);

describe('Rat.of', () => {
  it('is num/den in lowest terms with a positive denominator', () => {
    fc.assert(
      fc.property(pair, ([n, d]) => {
        expect(parts(Rat.of(n, d))).toEqual(reduced(n, d));
      }),
      { numRuns: 300 },
    );
  });
  it.each([
    [3n, -6n, [-1n, 2n]],
    [-3n, -6n, [1n, 2n]],
    [0n, -5n, [0n, 1n]],
    [0n, 7n, [0n, 1n]],
    [5n, 1n, [5n, 1n]],
    [-4n, 2n, [-2n, 1n]],
    [6n, 4n, [3n, 2n]],
  ])('Rat.of(%s, %s)', (n, d, want) => {
    expect(parts(Rat.of(n, d))).toEqual(want);
  });
  it('has the denominator 1 by default and refuses a zero denominator', () => {
    expect(parts(Rat.of(-7n))).toEqual([-7n, 1n]);
    expect(() => Rat.of(1n, 0n)).toThrow(new RangeError('Rat.of: zero denominator'));
    expect(() => Rat.of(0n, 0n)).toThrow(RangeError);
  });
  it('has the constants 0, 1 and -1', () => {
    expect([Rat.ZERO, Rat.ONE, Rat.MINUS_ONE].map(parts)).toEqual([
      [0n, 1n],
      [1n, 1n],
      [-1n, 1n],
    ]);
  });
});

describe('arithmetic and comparisons against the bigint reference', () => {
  it('add, sub, mul, neg, abs', () => {
    fc.assert(
      fc.property(pair, pair, ([a, b], [c, d]) => {
        const x = Rat.of(a, b);
        const y = Rat.of(c, d);
        expect(parts(x.add(y))).toEqual(reduced(a * d + c * b, b * d));
        expect(parts(x.sub(y))).toEqual(reduced(a * d - c * b, b * d));
        expect(parts(x.mul(y))).toEqual(reduced(a * c, b * d));
        expect(parts(x.neg())).toEqual(reduced(-a, b));
        expect(parts(x.abs())).toEqual(reduced(a < 0n ? -a : a, b < 0n ? -b : b));
      }),
      { numRuns: 300 },
    );
  });
  it('sign, isZero, cmp, eq, lt, le, toString', () => {
    fc.assert(
      fc.property(pair, pair, ([a, b], [c, d]) => {
        const x = Rat.of(a, b);
        const y = Rat.of(c, d);
        const [xn, xd] = reduced(a, b);
        const [yn, yd] = reduced(c, d);
        const l = xn * yd;
        const r = yn * xd;
        expect(x.sign()).toBe(xn < 0n ? -1 : xn > 0n ? 1 : 0);
        expect(x.isZero()).toBe(xn === 0n);
        expect(x.cmp(y)).toBe(l < r ? -1 : l > r ? 1 : 0);
        expect(x.eq(y)).toBe(l === r);
        expect(x.lt(y)).toBe(l < r);
        expect(x.le(y)).toBe(l <= r);
        expect(x.toString()).toBe(xd === 1n ? `${xn}` : `${xn}/${xd}`);
      }),
      { numRuns: 300 },
    );
  });
  it.each([
    // [a, b, sum, difference, product]: zeros, equal denominators, a sum that cancels, common factors
    ['0', '3/2', '3/2', '-3/2', '0'],
    ['3/2', '0', '3/2', '3/2', '0'],
    ['0', '0', '0', '0', '0'],
    ['1/6', '1/6', '1/3', '0', '1/36'],
    ['1/6', '-1/6', '0', '1/3', '-1/36'],
    ['5/6', '1/6', '1', '2/3', '5/36'],
    ['1/6', '1/4', '5/12', '-1/12', '1/24'],
    ['1/6', '5/6', '1', '-2/3', '5/36'],
    ['5/6', '7/10', '23/15', '2/15', '7/12'],
    ['2/3', '5/7', '29/21', '-1/21', '10/21'],
    ['-2/3', '3/2', '5/6', '-13/6', '-1'],
    ['4', '-1/4', '15/4', '17/4', '-1'],
    ['7', '-7', '0', '14', '-49'],
  ])('%s and %s: sum %s, difference %s, product %s', (a, b, sum, diff, prod) => {
    const x = Rat.parse(a)!;
    const y = Rat.parse(b)!;
    expect([x.add(y), x.sub(y), x.mul(y)].map(parts)).toEqual([sum, diff, prod].map((t) => parts(Rat.parse(t)!)));
  });
  it('sign, abs and the order on a few values', () => {
    const v = ['-3/2', '-1', '0', '1/3', '2'].map((t) => Rat.parse(t)!);
    expect(v.map((x) => x.sign())).toEqual([-1, -1, 0, 1, 1]);
    expect(v.map((x) => x.abs().toString())).toEqual(['3/2', '1', '0', '1/3', '2']);
    expect(v.map((x) => v.map((y) => x.cmp(y)))).toEqual([
      [0, -1, -1, -1, -1],
      [1, 0, -1, -1, -1],
      [1, 1, 0, -1, -1],
      [1, 1, 1, 0, -1],
      [1, 1, 1, 1, 0],
    ]);
    expect(v.map((x) => [x.lt(v[2]!), x.le(v[2]!)])).toEqual([
      [true, true],
      [true, true],
      [false, true],
      [false, false],
      [false, false],
    ]);
    // eq compares value, so num and den both
    expect(Rat.of(1n, 2n).eq(Rat.of(1n, 3n))).toBe(false);
    expect(Rat.of(1n, 2n).eq(Rat.of(3n, 2n))).toBe(false);
    expect(Rat.of(2n, 4n).eq(Rat.of(1n, 2n))).toBe(true);
  });
  it('sumRats adds a list, 0 when empty', () => {
    expect(sumRats([]).toString()).toBe('0');
    expect(sumRats([Rat.parse('1/2')!]).toString()).toBe('1/2');
    expect(sumRats(['1/2', '1/3', '-1/6', '7'].map((t) => Rat.parse(t)!)).toString()).toBe('23/3');
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 6 }), (xs) => {
        let [n, d] = [0n, 1n];
        for (const [a, b] of xs) [n, d] = reduced(n * b + a * d, d * b);
        expect(parts(sumRats(xs.map(([a, b]) => Rat.of(a, b))))).toEqual([n, d]);
      }),
      { numRuns: 100 },
    );
  });
});

describe('Rat.parse against a reference reading of the grammar', () => {
  const sign = fc.constantFrom('', '+', '-');
  const digits = (min: number, max: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
  it('fractions p/q', () => {
    fc.assert(
      fc.property(sign, digits(1, 12), digits(1, 12), (s, p, q) => {
        const r = Rat.parse(`${s}${p}/${q}`);
        if (BigInt(q) === 0n) expect(r).toBeUndefined();
        else expect(r && parts(r)).toEqual(reduced(s === '-' ? -BigInt(p) : BigInt(p), BigInt(q)));
      }),
      { numRuns: 300 },
    );
  });
  it('decimals with an optional point and exponent', () => {
    const exponent = fc.option(fc.tuple(fc.constantFrom('e', 'E'), sign, digits(1, 3)), { nil: undefined });
    fc.assert(
      fc.property(sign, digits(0, 8), fc.option(digits(0, 8), { nil: undefined }), exponent, (s, whole, fraction, e) => {
        const text = `${s}${whole}${fraction === undefined ? '' : '.' + fraction}${e === undefined ? '' : e.join('')}`;
        const r = Rat.parse(text);
        const all = whole + (fraction ?? '');
        if (all === '') {
          expect(r).toBeUndefined();
          return;
        }
        const shift = (e === undefined ? 0 : Number(`${e[1]}${e[2]}`)) - (fraction ?? '').length;
        const n = (s === '-' ? -1n : 1n) * BigInt(all);
        const want = shift >= 0 ? reduced(n * 10n ** BigInt(shift), 1n) : reduced(n, 10n ** BigInt(-shift));
        expect(r && parts(r), text).toEqual(want);
      }),
      { numRuns: 400 },
    );
  });
  it.each(['1/2 ', '+-1', '1//2', '1/2/', '/2', '1/', '1.2.3', '1e2e3', '1e--2', '1.5e', 'e', '+', '-.', '+.e1', 'a1', '1a', '١'])('refuses %j', (text) => {
    expect(Rat.parse(text)).toBeUndefined();
  });
  it('refuses a number over the digit limit, fractions and exponents included', () => {
    expect(Rat.parse('1'.repeat(MAX_DIGITS + 1))).toBeUndefined();
    expect(Rat.parse(`${'1'.repeat(MAX_DIGITS / 2)}/${'3'.repeat(MAX_DIGITS / 2 + 1)}`)).toBeUndefined();
    expect(Rat.parse(`${'1'.repeat(MAX_DIGITS / 2)}/${'3'.repeat(MAX_DIGITS / 2)}`)?.toString()).toBe('1/3');
    expect(Rat.parse('11e99999')).toBeUndefined();
    expect(Rat.parse('1.1e99999')).toBeUndefined();
    expect(Rat.parse('1.1e99997')?.toString()).toBe('11' + '0'.repeat(99996));
  });
});

describe('overDigitLimit (section 6) at its boundaries', () => {
  it.each([
    ['9'.repeat(MAX_DIGITS), false],
    ['9'.repeat(MAX_DIGITS + 1), true],
    ['-' + '9'.repeat(MAX_DIGITS), false],
    ['+' + '9'.repeat(MAX_DIGITS - 1) + '.', false],
    ['.' + '9'.repeat(MAX_DIGITS), false],
    ['9'.repeat(MAX_DIGITS / 2) + '/' + '9'.repeat(MAX_DIGITS / 2), false],
    ['9'.repeat(MAX_DIGITS / 2) + '/' + '9'.repeat(MAX_DIGITS / 2 + 1), true],
    ['0'.repeat(MAX_DIGITS + 1), true],
    ['1' + '0'.repeat(MAX_DIGITS), true],
    ['x'.repeat(MAX_DIGITS + 1), false],
    ['/'.repeat(MAX_DIGITS + 1), false],
    [':'.repeat(MAX_DIGITS + 1), false],
    ['1e99999', false],
    ['1e+99999', false],
    ['1e-99999', false],
    ['1E99999', false],
    ['1e100000', true],
    ['1E-100000', true],
    ['12e99998', false],
    ['12e99999', true],
    ['1.2e99998', false],
    ['1.2e+99999', true],
    ['1e000000000000099999', false],
    ['1e000000000000100000', true],
    ['e100000', false],
    ['.e100000', false],
    ['e999999', true],
    ['e1000000', true],
    ['1e', false],
    ['1e0', false],
    ['1e-0', false],
    ['1e+', false],
    ['9'.repeat(MAX_DIGITS) + 'e0', false],
    ['9'.repeat(MAX_DIGITS) + 'e', false],
    ['9'.repeat(MAX_DIGITS) + 'e1', true],
    ['9'.repeat(MAX_DIGITS - 1) + 'e1', false],
    ['9'.repeat(MAX_DIGITS + 1) + 'e0', true],
    // the exponent is read only at the end of the text
    ['1e5' + '9'.repeat(MAX_DIGITS - 2), true],
    ['1e100000x', false],
    ['1e-100000 ', false],
  ])('%#: %s -> %s', (text, over) => {
    expect(overDigitLimit(text)).toBe(over);
  });
});

describe("gcd: Lehmer's steps agree with Euclid on large and adversarial numbers", () => {
  it('reduces products with a large common factor', () => {
    const big = fc.bigInt({ min: 1n, max: 1n << 900n });
    fc.assert(
      fc.property(big, big, big, fc.boolean(), (n, d, m, negative) => {
        expect(parts(Rat.of(negative ? -n * m : n * m, d * m))).toEqual(reduced(negative ? -n : n, d));
      }),
      { numRuns: 100 },
    );
  });
  it.each([
    ['powers of two and three', (1n << 400n) * 3n ** 50n, (1n << 390n) * 3n ** 60n],
    ['a number and one less', (1n << 300n) + 12345n, (1n << 300n) + 12344n],
    ['equal numbers', 7n ** 200n, 7n ** 200n],
    ['a multiple', 7n ** 200n * 5n, 7n ** 200n],
    ['just above 2^128', (1n << 128n) * 6n, (1n << 128n) * 4n],
    ['close leading bits', (1n << 500n) + (1n << 300n), (1n << 500n) + (1n << 299n)],
  ])('%s', (_name, a, b) => {
    expect(parts(Rat.of(a, b))).toEqual(reduced(a, b));
    expect(parts(Rat.of(b, a))).toEqual(reduced(b, a));
    expect(parts(Rat.of(-a, b))).toEqual(reduced(-a, b));
  });
  it('consecutive Fibonacci numbers and their multiples (many quotients of 1)', () => {
    let [a, b] = [0n, 1n];
    for (let i = 0; i < 1500; i++) [a, b] = [b, a + b];
    expect(parts(Rat.of(b, a))).toEqual([b, a]);
    expect(parts(Rat.of(b * 12n, a * 18n))).toEqual(reduced(b * 2n, a * 3n));
    expect(parts(Rat.of(b * (a + 1n), a * (a + 1n)))).toEqual([b, a]);
  });
});
