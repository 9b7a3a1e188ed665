/**
 * The checker bounds its work (docs/certificates.md section 6, for every
 * kind of certificate). Named accept and reject cases for the digit limit
 * and the work limit C4 (the cost model itself: tests/check/cost.test.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, checkCertificate } from '../../src/check/index.js';
import { MAX_DIGITS } from '../../src/check/rational.js';
import { regionWide } from './hostile.js';
import { type Json, check, checkRegionText, clone, expectRejected, expectValid } from './helpers.js';

const absCert: Json = JSON.parse(readFileSync('certificates/abs-3-k1.cert.json', 'utf8'));

/** Consecutive Fibonacci numbers F(i), F(i+1) with F(i) of at least `digits` digits: the worst case of Euclid's gcd. */
function fibonacci(digits: number): [bigint, bigint] {
  let [a, b] = [0n, 1n];
  const least = 10n ** BigInt(digits - 1);
  while (a < least) [a, b] = [b, a + b];
  return [a, b];
}

/**
 * The certificate of tests/cases (issue F: F-fibonacci-20000-digits): abs-3-k1's
 * one-leaf case with its two multipliers scaled by F(i)/F(i+1), still valid.
 */
function fibonacciCertificate(digits: number): Json {
  const [a, b] = fibonacci(digits);
  const c = clone(absCert);
  c.proof.cases[1].tree.multipliers = { 'zlb:0:0': `${a}/${b}`, 'fit:0': `-${a}/${b}` };
  return c;
}

describe('numbers of many digits (section 6)', () => {
  it("accepts the Fibonacci certificate of 20,000 digits (13 s before Lehmer's gcd; see docs/certificates.md section 6)", () => {
    const text = JSON.stringify(fibonacciCertificate(20_000));
    expect(text.length).toBeGreaterThan(80_000);
    expectValid(checkCertificate(text, 'fib.cert.json'));
  });
  it('rejects a multiplier past the digit limit under F2, without expanding it', () => {
    for (const big of ['1e1000000000', `1/${'7'.repeat(MAX_DIGITS)}`, '-1e100000']) {
      const c = clone(absCert);
      c.proof.cases[1].tree.multipliers['zlb:0:0'] = big;
      const r = expectRejected(check(c), 'F2', 'proof.cases[1].tree.multipliers["zlb:0:0"]');
      expect(r.expected).toMatch(new RegExp(`at most ${MAX_DIGITS} digits`));
    }
  });
  it('rejects an instance number past the digit limit under C2', () => {
    const c = clone(absCert);
    c.instance.labels[0] = '1e-100000';
    expectRejected(check(c), 'C2', 'instance.labels[0]');
  });
  it('accepts a number at the limit, exponent included', () => {
    const c = clone(absCert);
    c.proof.cases[1].tree.multipliers = { 'zlb:0:0': '1e99999', 'fit:0': '-1e99999' };
    expectValid(check(c));
  });
});

describe('C4: the work limit', () => {
  it('rejects the Fibonacci certificate when it needs more than the limit', () => {
    const text = JSON.stringify(fibonacciCertificate(20_000));
    const r = checkCertificate(text, 'fib.cert.json', { limits: { work: 1_000_000 } });
    expect(r).toMatchObject({ status: 'rejected', rule: 'C4', path: '', expected: 'a check within 1000000 units of work (section 6)' });
  });
  it('large coprime fractions whose gcd is quick (p = 3q + 1) are read, hashed and rejected under C3 within the default limit', () => {
    // twelve coordinates p/q of about 46,700 digits each (refused under C4 before: every gcd was charged as a worst case)
    const c = clone(absCert);
    const q = 2n ** 155_000n + 1n;
    const p = 3n * q + 1n;
    c.instance.points = Array.from({ length: 12 }, () => [`${p}/${q}`]);
    c.instance.labels = Array.from({ length: 12 }, () => '1');
    const r = check(c);
    expect(r).toMatchObject({ status: 'rejected', rule: 'C3' });
    expect(r.status === 'rejected' && r.work).toBeLessThan(DEFAULT_LIMITS.work);
  });
  it('numbers written with large exponents are charged for writing them out (a thousand "1e99999" took 38 s to refuse before)', () => {
    const c = clone(absCert);
    c.instance.points = Array.from({ length: 1000 }, () => ['1e99999']);
    c.instance.labels = Array.from({ length: 1000 }, () => '1');
    // before the charge, the check wrote every number out for the hash and then rejected under C3
    expect(check(c)).toMatchObject({ status: 'rejected', rule: 'C4' });
  });
  it('a cheap certificate spends next to nothing', () => {
    expectValid(checkCertificate(JSON.stringify(absCert), 'abs.cert.json', { limits: { work: 100_000 } }));
  });
});

describe('C4 for region certificates: the work of the leaves, charged as it is done', () => {
  it('refuses three ReLU layers of width 150 with 600 leaves (> 120 s before a work limit)', () => {
    const r = checkRegionText(regionWide(150, 3, 600).text, 'big.cert.json');
    expect(r).toMatchObject({ status: 'rejected', rule: 'C4', path: '' });
  });
  it('checks a small network with many leaves', () => {
    expect(checkRegionText(regionWide(4, 2, 300).text, 'small.cert.json').status).toBe('valid');
  });
  it('reading numbers of many digits is charged too', () => {
    // twelve fractions of about 49,000 digits over 49,000 digits: read and quantised, then the tree is checked
    const big = '7'.repeat(49_000) + '/' + '3'.repeat(48_999) + '1';
    const c = JSON.parse(readFileSync('examples/stochastic/moons-region.cert.json', 'utf8'));
    c.network.layers = [{ activation: 'identity', weights: [Array(12).fill(big)], bias: ['0'] }];
    c.region = { lower: Array(12).fill('0'), upper: Array(12).fill('0') };
    const r = checkRegionText(JSON.stringify(c), 'c.json');
    expect(r).toMatchObject({ status: 'rejected', rule: 'R7', path: 'tree.at' });
    // reading twelve such numbers costs millions of units; a limit below that stops the check while it reads them
    expect(r.status === 'rejected' && r.work).toBeGreaterThan(12_000_000);
    expect(checkCertificate(JSON.stringify(c), 'c.json', { kind: 'region', limits: { work: 12_000_000 } })).toMatchObject({ status: 'rejected', rule: 'C4' });
  });
});
