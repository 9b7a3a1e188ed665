import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_DIGITS, Rat, overDigitLimit } from '../../src/check/rational.js';

/** The plain textbook gcd, independent of the checker's. */
const euclid = (a: bigint, b: bigint): bigint => (b === 0n ? a : euclid(b, a % b));

const rat = fc.tuple(fc.bigInt({ min: -(10n ** 6n), max: 10n ** 6n }), fc.bigInt({ min: 1n, max: 10n ** 6n })).map(([n, d]) => Rat.of(n, d));

describe('Rat.parse: accepts exact number texts', () => {
  it.each([
    ['3', '3'],
    ['-3', '-3'],
    ['+3', '3'],
    ['-0', '0'],
    ['6/4', '3/2'],
    ['-6/4', '-3/2'],
    ['0.125', '1/8'],
    ['-.5', '-1/2'],
    ['2.', '2'],
    ['1.50', '3/2'],
    ['123456789012345678901234567890', '123456789012345678901234567890'],
    ['1e3', '1000'],
    ['1e-3', '1/1000'],
    ['-1e0', '-1'],
    ['2.5E+2', '250'],
    ['-.5e1', '-5'],
    ['3.e-1', '3/10'],
    ['1.25e-0002', '1/80'],
    ['0e99999', '0'],
  ])('%s -> %s', (text, canonical) => {
    expect(Rat.parse(text)?.toString()).toBe(canonical);
  });
});

describe('Rat.parse: rejects everything else', () => {
  it.each([
    '',
    ' 3',
    '3 ',
    '1e',
    'e3',
    '.e3',
    '1e+',
    '1/2e3',
    '1e3/2',
    '1e1.5',
    '1/0',
    '1/-2',
    '.',
    '-',
    '0x10',
    'NaN',
    'Infinity',
    '1/2/3',
    '1.5/2',
    '--1',
    '½',
  ])('%j', (text) => {
    expect(Rat.parse(text)).toBeUndefined();
  });
});

describe('Rat.parse: the digit limit (docs/certificates.md section 6)', () => {
  it('accepts up to MAX_DIGITS digits, an exponent counting as its size', () => {
    expect(Rat.parse('1e99999')?.num).toBe(10n ** 99999n);
    expect(Rat.parse('1e-99999')?.den).toBe(10n ** 99999n);
    expect(Rat.parse('7'.repeat(MAX_DIGITS))).toBeDefined();
    expect(Rat.parse(`1/${'3'.repeat(MAX_DIGITS - 1)}`)).toBeDefined();
  });
  it.each([['1e100000'], ['1e-100000'], ['12e99999'], ['1e1000000000'], ['1e-99999999999999999999999'], ['1e+0000000000000000000100000']])(
    'refuses %s without expanding it',
    (text) => {
      expect(overDigitLimit(text)).toBe(true);
      expect(Rat.parse(text)).toBeUndefined();
    },
  );
  it('counts every digit of a long number or fraction', () => {
    expect(overDigitLimit('7'.repeat(MAX_DIGITS + 1))).toBe(true);
    expect(overDigitLimit(`1/${'3'.repeat(MAX_DIGITS)}`)).toBe(true);
    expect(overDigitLimit('0.' + '0'.repeat(MAX_DIGITS))).toBe(true);
    expect(overDigitLimit('1e0000099999')).toBe(false);
  });
  it('reads scientific notation as the exact decimal it names', () => {
    const decimal = fc.tuple(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.integer({ min: 0, max: 8 }), fc.integer({ min: -30, max: 30 }));
    fc.assert(
      fc.property(decimal, ([digits, point, exponent]) => {
        const abs = (digits < 0n ? -digits : digits).toString().padStart(point + 1, '0');
        const text = `${digits < 0n ? '-' : ''}${abs.slice(0, abs.length - point)}.${abs.slice(abs.length - point)}e${exponent}`;
        const shift = BigInt(exponent - point);
        const want = shift >= 0n ? Rat.of(digits * 10n ** shift) : Rat.of(digits, 10n ** -shift);
        expect(Rat.parse(text)?.eq(want), text).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('Rat arithmetic', () => {
  it('is canonical: equal values have equal text', () => {
    fc.assert(fc.property(rat, fc.bigInt({ min: 1n, max: 1000n }), (r, m) => Rat.of(r.num * m, r.den * m).toString() === r.toString()));
  });
  it('field laws hold exactly', () => {
    fc.assert(
      fc.property(rat, rat, rat, (a, b, c) => {
        expect(a.add(b).eq(b.add(a))).toBe(true);
        expect(a.mul(b.add(c)).eq(a.mul(b).add(a.mul(c)))).toBe(true);
        expect(a.sub(b).add(b).eq(a)).toBe(true);
        expect(a.add(a.neg()).isZero()).toBe(true);
      }),
    );
  });
  it("add, sub and mul (Knuth's cross gcds) equal the plainly reduced results", () => {
    const wide = fc
      .tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.bigInt({ min: 1n, max: 10n ** 30n }), fc.bigInt({ min: 1n, max: 10n ** 6n }))
      .map(([n, d, m]) => Rat.of(n * m, d * m));
    const plain = (n: bigint, d: bigint): string => Rat.of(n, d).toString();
    fc.assert(
      fc.property(fc.oneof(rat, wide), fc.oneof(rat, wide), (a, b) => {
        expect(a.add(b).toString()).toBe(plain(a.num * b.den + b.num * a.den, a.den * b.den));
        expect(a.sub(b).toString()).toBe(plain(a.num * b.den - b.num * a.den, a.den * b.den));
        expect(a.mul(b).toString()).toBe(plain(a.num * b.num, a.den * b.den));
        // the invariant itself: lowest terms, positive denominator
        for (const r of [a.add(b), a.sub(b), a.mul(b)]) {
          expect(r.den > 0n).toBe(true);
          expect(euclid(r.num < 0n ? -r.num : r.num, r.den)).toBe(r.num === 0n ? r.den : 1n);
        }
      }),
      { numRuns: 300 },
    );
  });
  it("reduces large numbers (Lehmer's gcd) to the same lowest terms as plain Euclid", () => {
    const big = fc.bigInt({ min: 1n, max: 1n << 700n });
    fc.assert(
      fc.property(big, big, fc.bigInt({ min: 1n, max: 1n << 300n }), fc.boolean(), (n, d, m, negative) => {
        const r = Rat.of(negative ? -n * m : n * m, d * m);
        const g = euclid(n, d);
        expect(r.num).toBe((negative ? -n : n) / g);
        expect(r.den).toBe(d / g);
      }),
      { numRuns: 200 },
    );
  });
  it('reduces consecutive Fibonacci numbers (the worst case of Euclid) and their multiples', () => {
    let [a, b] = [0n, 1n];
    for (let i = 0; i < 3000; i++) [a, b] = [b, a + b];
    expect(Rat.of(b, a).den).toBe(a);
    expect(Rat.of(b * 6n, a * 4n).toString()).toBe(Rat.of(b * 3n, a * 2n).toString());
    expect(Rat.of(b * a, a * a).eq(Rat.of(b, a))).toBe(true);
  });
  it('text round-trips through parse', () => {
    fc.assert(fc.property(rat, (r) => Rat.parse(r.toString())!.eq(r)));
  });
  it('orders like cross-multiplication', () => {
    fc.assert(fc.property(rat, rat, (a, b) => a.cmp(b) === (a.num * b.den < b.num * a.den ? -1 : a.num * b.den > b.num * a.den ? 1 : 0)));
  });
});
