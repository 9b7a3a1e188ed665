/**
 * The checker's own copy of the Circa fault law (src/check/fault.ts; docs/stochastic.md
 * section 2, Lemmas 1 and 2) against an enumeration written here from the protocol of
 * section 2: every share r in Z_p, the comparator of each variant, the effective count
 * (0 at x = 0). The region tests reach these formulas only through a few certificates;
 * this file checks every formula on every argument of small models, so a change to any
 * of them is seen (docs/mutation.md).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Model, type Variant, isOddPrime, maxCount, roundDiv } from '../../src/check/fault.js';

/** The decision "x >= 0" of the variant for share randomness r (docs/stochastic.md section 2). */
function decides(m: Model, x: bigint, r: bigint): boolean {
  const s = (((x + r) % m.p) + m.p) % m.p;
  const u = r > 0n ? r : m.p;
  if (m.variant === 'exact') return x >= 0n;
  if (m.variant === 'wrap') return s >= u;
  const a = s / m.T;
  const b = u / m.T;
  if (a !== b) return a > b;
  return m.variant === 'negpass';
}

/** The effective fault count at x by enumeration: the shares r whose decision is wrong, 0 at x = 0. */
function enumerated(m: Model, x: bigint): bigint {
  if (x === 0n) return 0n;
  let wrong = 0n;
  for (let r = 0n; r < m.p; r++) if (decides(m, x, r) !== x >= 0n) wrong++;
  return wrong;
}

/** Every valid model of p: each variant, and each t with 2^(t+1) < p for the truncating ones. */
function models(p: bigint): Model[] {
  const out: Model[] = [];
  for (const variant of ['exact', 'wrap', 'poszero', 'negpass'] as Variant[])
    for (let t = 0; variant === 'exact' || variant === 'wrap' ? t === 0 : 2n ** BigInt(t + 1) < p; t++) out.push({ p, t, T: 2n ** BigInt(t), variant });
  return out;
}

describe('maxCount: the largest effective fault count over an interval (Lemma 2)', () => {
  for (const p of [3n, 5n, 7n, 11n, 13n, 17n, 31n]) {
    it(`p = ${p}: every model, every interval [lo, hi] in [-(p-1)/2, (p-1)/2], equals the enumeration`, () => {
      const half = (p - 1n) / 2n;
      for (const m of models(p)) {
        const count = new Map<bigint, bigint>();
        for (let x = -half; x <= half; x++) count.set(x, enumerated(m, x));
        for (let lo = -half; lo <= half; lo++) {
          let best = 0n;
          for (let hi = lo; hi <= half; hi++) {
            if (count.get(hi)! > best) best = count.get(hi)!;
            expect([m.variant, m.t, lo, hi, maxCount(m, lo, hi)]).toEqual([m.variant, m.t, lo, hi, best]);
          }
        }
      }
    });
  }
  it('fast-check: larger primes, random intervals', () => {
    const primes = [61n, 97n, 127n, 251n, 257n];
    fc.assert(
      fc.property(fc.constantFrom(...primes), fc.nat(), fc.nat(), fc.nat(), (p, i, a, b) => {
        const ms = models(p);
        const m = ms[i % ms.length]!;
        const half = (p - 1n) / 2n;
        const lo = -half + (BigInt(a) % (2n * half + 1n));
        const hi = lo + (BigInt(b) % (half - lo + 1n));
        let best = 0n;
        for (let x = lo; x <= hi; x++) {
          const c = enumerated(m, x);
          if (c > best) best = c;
        }
        expect(maxCount(m, lo, hi)).toBe(best);
      }),
      { numRuns: 150 },
    );
  });
});

describe('isOddPrime (deterministic Miller-Rabin, R4)', () => {
  const byTrialDivision = (n: bigint): boolean => {
    if (n < 3n || n % 2n === 0n) return false;
    for (let d = 3n; d * d <= n; d += 2n) if (n % d === 0n) return false;
    return true;
  };
  it('agrees with trial division on 2..30,000', () => {
    for (let n = 2n; n <= 30_000n; n++) expect([n, isOddPrime(n)]).toEqual([n, byTrialDivision(n)]);
  });
  it('refuses Carmichael numbers and strong pseudoprimes to small bases; accepts large primes', () => {
    for (const n of [561n, 1105n, 1729n, 2047n, 3277n, 4033n, 4681n, 8321n, 25_326_001n, 3_215_031_751n, 2_152_302_898_747n, 3_474_749_660_383n])
      expect([n, isOddPrime(n)]).toEqual([n, false]);
    for (const n of [2_138_816_513n, 1_000_000_007n, 998_244_353n, 2n ** 61n - 1n]) expect([n, isOddPrime(n)]).toEqual([n, true]);
    expect(isOddPrime((2n ** 61n - 1n) * 3n)).toBe(false);
  });
});

describe('roundDiv: the nearest integer to a/d, ties away from zero (section 3)', () => {
  it('on every a in [-60, 60] and d in [1, 12]', () => {
    for (let a = -60n; a <= 60n; a++)
      for (let d = 1n; d <= 12n; d++) {
        // by hand: |a|/d rounded half up, with the sign of a
        const m = a < 0n ? -a : a;
        const q = m / d;
        const up = 2n * (m - q * d) >= d ? q + 1n : q;
        expect([a, d, roundDiv(a, d)]).toEqual([a, d, a < 0n ? -up : up]);
      }
  });
});
