/**
 * Issue F section 5: the checker bounds its work (docs/certificates.md
 * section 6, docs/stochastic.md R7). Named accept and reject cases for the
 * digit limit, the work limit C4 and the region work limit.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkCertificate } from '../../src/check/index.js';
import { MAX_DIGITS, WORK_LIMIT } from '../../src/check/rational.js';
import { MAX_REGION_WORK, checkRegionCertificate } from '../../src/check/region.js';
import { type Json, check, clone, expectRejected, expectValid } from './helpers.js';

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
  it('rejects the Fibonacci certificate when its gcds need more than the limit', () => {
    const text = JSON.stringify(fibonacciCertificate(20_000));
    const r = checkCertificate(text, 'fib.cert.json', undefined, undefined, 100_000n);
    expect(r).toMatchObject({ status: 'rejected', rule: 'C4', path: '' });
    expect(r.status === 'rejected' && r.message).toMatch(/expected a check within 100000 units of arithmetic work/);
  });
  it('the default limit stops a certificate made of many large coprime fractions', () => {
    // twelve coordinates p/q of about 46,700 digits each: each gcd is charged about 5.9 million units
    // (the charge is by size; p = 3q + 1 makes the gcd itself quick, so the test is too)
    const c = clone(absCert);
    const q = 2n ** 155_000n + 1n;
    const p = 3n * q + 1n;
    c.instance.points = Array.from({ length: 12 }, () => [`${p}/${q}`]);
    c.instance.labels = Array.from({ length: 12 }, () => '1');
    const r = check(c);
    expect(r).toMatchObject({ status: 'rejected', rule: 'C4' });
    expect(r.status === 'rejected' && r.expected).toContain(`${WORK_LIMIT} units`);
  });
  it('numbers written with large exponents are charged for writing them out (a thousand "1e99999" took 38 s to refuse before)', () => {
    const c = clone(absCert);
    c.instance.points = Array.from({ length: 1000 }, () => ['1e99999']);
    c.instance.labels = Array.from({ length: 1000 }, () => '1');
    // before the charge, the check wrote every number out for the hash and then rejected under C3
    expect(check(c)).toMatchObject({ status: 'rejected', rule: 'C4' });
  });
  it('a cheap certificate spends next to nothing', () => {
    expectValid(checkCertificate(JSON.stringify(absCert), 'abs.cert.json', undefined, undefined, 1_000n));
  });
});

/**
 * A region certificate for a network of `layers` ReLU layers of `width` units
 * on 2 inputs, with a chain of splits making `leaves` leaves (valid).
 */
function regionCertificate(width: number, layers: number, leaves: number): string {
  let s = 1;
  const r = (): string => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return `${(s % 2001) - 1000}/100000`;
  };
  const net: Json[] = [];
  let inputs = 2;
  for (let l = 0; l < layers; l++) {
    net.push({ activation: 'relu', weights: Array.from({ length: width }, () => Array.from({ length: inputs }, r)), bias: Array.from({ length: width }, r) });
    inputs = width;
  }
  net.push({ activation: 'identity', weights: [Array.from({ length: inputs }, r)], bias: [r()] });
  let tree: Json = { kind: 'leaf' };
  for (let i = leaves - 2; i >= 0; i--) tree = { kind: 'split', coordinate: 0, at: String(i), low: { kind: 'leaf' }, high: tree };
  return JSON.stringify({
    format: 'relucert-region-certificate/1',
    network: { format: 'relucert-network/1', layers: net },
    quantisation: { fracBits: 12 },
    faultModel: { p: '2138816513', t: 0, variant: 'wrap' },
    region: { lower: ['0', '0'], upper: ['1', '1'] },
    claim: { bound: '1' },
    tree,
  });
}

describe('R7: the work of a region certificate', () => {
  it('refuses three ReLU layers of width 150 with 600 leaves up front (> 120 s before)', () => {
    const r = checkRegionCertificate(regionCertificate(150, 3, 600), 'big.cert.json');
    expect(r).toMatchObject({ status: 'rejected', rule: 'R7', path: 'tree' });
    expect(r.status === 'rejected' && r.message).toMatch(
      new RegExp(`600 leaves need \\d+ multiply-adds of interval arithmetic, more than the limit ${MAX_REGION_WORK}`),
    );
  });
  it('checks a small network with many leaves', () => {
    expect(checkRegionCertificate(regionCertificate(4, 2, 300), 'small.cert.json').status).toBe('valid');
  });
});
