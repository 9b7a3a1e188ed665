import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_NUMBER_DIGITS, Q, approximate, numberDigits, parseRational } from '../../src/core/rational.js';

const big = fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n });
const rat = fc
  .tuple(
    big,
    big.filter((d) => d !== 0n),
  )
  .map(([n, d]) => Q.of(n, d));

describe('Q arithmetic laws', () => {
  it('field laws hold exactly', () => {
    fc.assert(
      fc.property(rat, rat, rat, (a, b, c) => {
        expect(a.add(b).eq(b.add(a))).toBe(true);
        expect(a.mul(b.add(c)).eq(a.mul(b).add(a.mul(c)))).toBe(true);
        expect(a.sub(a).isZero()).toBe(true);
        if (!b.isZero()) expect(a.div(b).mul(b).eq(a)).toBe(true);
        expect(a.add(b).sub(b).eq(a)).toBe(true);
      }),
    );
  });
  it('is always in lowest terms with a positive denominator', () => {
    fc.assert(
      fc.property(
        big,
        big.filter((d) => d !== 0n),
        (n, d) => {
          const x = Q.of(n, d);
          expect(x.den > 0n).toBe(true);
          expect(x.mul(Q.of(d)).eq(Q.of(n))).toBe(true);
        },
      ),
    );
  });
  it('orders like cross multiplication', () => {
    fc.assert(
      fc.property(rat, rat, (a, b) => {
        expect(a.cmp(b)).toBe(a.num * b.den < b.num * a.den ? -1 : a.num * b.den > b.num * a.den ? 1 : 0);
        expect(a.cmp(b)).toBe(a.sub(b).sign());
      }),
    );
  });
  it('floor is the largest integer not above', () => {
    fc.assert(
      fc.property(rat, (a) => {
        const f = Q.of(a.floor());
        expect(f.le(a)).toBe(true);
        expect(f.add(Q.ONE).gt(a)).toBe(true);
      }),
    );
  });
});

describe('parseRational', () => {
  it('round-trips the canonical text', () => {
    fc.assert(
      fc.property(rat, (a) => {
        expect(parseRational(a.toString())!.eq(a)).toBe(true);
      }),
    );
  });
  it('reads decimals exactly', () => {
    expect(parseRational('0.125')!.toString()).toBe('1/8');
    expect(parseRational('-0.1')!.toString()).toBe('-1/10');
    expect(parseRational('3.')!.toString()).toBe('3');
    expect(parseRational('.5')!.toString()).toBe('1/2');
    expect(parseRational('7/2')!.toString()).toBe('7/2');
    expect(parseRational('-6/4')!.toString()).toBe('-3/2');
    expect(parseRational(12)!.toString()).toBe('12');
  });
  it('reads random decimal text exactly', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 0, max: 12 }), (digits, places) => {
        const s = digits < 0n ? -digits : digits;
        const text = s.toString().padStart(places + 1, '0');
        const dec = `${digits < 0n ? '-' : ''}${text.slice(0, text.length - places)}${places ? '.' + text.slice(text.length - places) : ''}`;
        expect(parseRational(dec)!.eq(Q.of(digits, 10n ** BigInt(places)))).toBe(true);
      }),
    );
  });
  it('rejects what is not an exact rational', () => {
    for (const bad of ['1/0', '1e', 'e3', '1/2e3', '1e3/2', '1e1.5', 'abc', '', '1/-2', '--1', '1.5.2', 0.5, 1e300, null, true, [], 'NaN', 'Infinity'])
      expect(parseRational(bad), JSON.stringify(bad)).toBeUndefined();
  });
});

describe('parseRational: scientific notation (issue F section 9)', () => {
  it.each([
    ['1e-3', '1/1000'],
    ['-1e0', '-1'],
    ['2.5E+2', '250'],
    ['1e3', '1000'],
    ['-.5e1', '-5'],
    ['3.e-1', '3/10'],
    ['1e-400', `1/1${'0'.repeat(400)}`],
    ['1e400', `1${'0'.repeat(400)}`],
  ])('%s = %s', (text, canonical) => {
    expect(parseRational(text)?.toString()).toBe(canonical);
  });
  it('agrees with the digits it names', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.integer({ min: -40, max: 40 }), (digits, exponent) => {
        const want = exponent >= 0 ? Q.of(digits * 10n ** BigInt(exponent)) : Q.of(digits, 10n ** BigInt(-exponent));
        expect(parseRational(`${digits}e${exponent}`)!.eq(want)).toBe(true);
        expect(parseRational(`${digits}E${exponent >= 0 ? '+' : ''}${exponent}`)!.eq(want)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
  it('refuses more than MAX_NUMBER_DIGITS digits without expanding them', () => {
    expect(parseRational('1e99999')?.num).toBe(10n ** 99999n);
    for (const over of ['1e100000', '1e-100000', '1e1000000000', '-1e-99999999999999', '9'.repeat(MAX_NUMBER_DIGITS + 1)]) {
      expect(numberDigits(over)).toBeGreaterThan(MAX_NUMBER_DIGITS);
      expect(parseRational(over)).toBeUndefined();
    }
  });
});

describe('approximate', () => {
  it('recovers small fractions from their doubles', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 1, max: 100 }), (n, d) => {
        expect(approximate(n / d, 1000n).eq(Q.of(n, d))).toBe(true);
      }),
    );
  });
});
