import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rat } from '../../src/check/rational.js';

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
  ])('%s -> %s', (text, canonical) => {
    expect(Rat.parse(text)?.toString()).toBe(canonical);
  });
});

describe('Rat.parse: rejects everything else', () => {
  it.each(['', ' 3', '3 ', '1e3', '1/0', '1/-2', '.', '-', '0x10', 'NaN', 'Infinity', '1/2/3', '1.5/2', '--1', '½'])('%j', (text) => {
    expect(Rat.parse(text)).toBeUndefined();
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
  it('text round-trips through parse', () => {
    fc.assert(fc.property(rat, (r) => Rat.parse(r.toString())!.eq(r)));
  });
  it('orders like cross-multiplication', () => {
    fc.assert(fc.property(rat, rat, (a, b) => a.cmp(b) === (a.num * b.den < b.num * a.den ? -1 : a.num * b.den > b.num * a.den ? 1 : 0)));
  });
});
