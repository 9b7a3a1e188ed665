import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  type FaultModel,
  type Variant,
  comparatorSaysNonNegative,
  effectiveFaultCount,
  faultCount,
  isPrime,
  maxEffectiveFaultCount,
  modelProblem,
} from '../../src/stochastic/fault.js';

/** The count by enumerating every r in Z_p with the protocol's comparator. */
function enumerate(m: FaultModel, x: bigint): bigint {
  let wrong = 0n;
  for (let r = 0n; r < m.p; r++) if (comparatorSaysNonNegative(m, x, r) !== x >= 0n) wrong++;
  return wrong;
}

const SMALL_PRIMES = [3n, 5n, 7n, 11n, 13n, 17n, 31n, 61n, 127n, 257n];

describe('closed form equals exhaustive enumeration', () => {
  for (const p of SMALL_PRIMES) {
    it(`p = ${p}, every x in (-p/2, p/2), every t with 2^t <= 2p`, () => {
      const half = (p - 1n) / 2n;
      for (const variant of ['exact', 'wrap', 'poszero', 'negpass'] as Variant[]) {
        const ts = variant === 'exact' || variant === 'wrap' ? [0] : [...Array(p.toString(2).length + 2).keys()];
        for (const t of ts) {
          const m: FaultModel = { p, t, variant };
          for (let x = -half; x <= half; x++) expect([variant, t, x, faultCount(m, x)]).toEqual([variant, t, x, enumerate(m, x)]);
        }
      }
    });
  }

  it('wrap counts match DESIGN section 4: x + 1 for x >= 0, m - 1 for x = -m', () => {
    const m: FaultModel = { p: 101n, t: 0, variant: 'wrap' };
    expect(faultCount(m, 0n)).toBe(1n);
    expect(faultCount(m, 7n)).toBe(8n);
    expect(faultCount(m, -1n)).toBe(0n);
    expect(faultCount(m, -7n)).toBe(6n);
  });

  it('wrap equals negpass with t = 0', () => {
    for (let x = -50n; x <= 50n; x++) expect(faultCount({ p: 101n, t: 0, variant: 'wrap' }, x)).toBe(faultCount({ p: 101n, t: 0, variant: 'negpass' }, x));
  });

  it('fast-check: closed form equals enumeration for random primes, t and x', () => {
    const primes = [...Array(600).keys()].map(BigInt).filter((n) => n > 2n && isPrime(n));
    fc.assert(
      fc.property(
        fc.constantFrom(...primes),
        fc.integer({ min: 0, max: 10 }),
        fc.constantFrom<Variant>('poszero', 'negpass', 'wrap'),
        fc.double({ min: -0.5, max: 0.5, noNaN: true }),
        (p, t, variant, frac) => {
          const m: FaultModel = { p, t: variant === 'wrap' ? 0 : t, variant };
          const half = (p - 1n) / 2n;
          let x = BigInt(Math.round(frac * Number(p)));
          if (x > half) x = half;
          if (x < -half) x = -half;
          return faultCount(m, x) === enumerate(m, x);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('Lemma 2: the maximum over an interval is at an end or a piece end', () => {
  for (const p of [31n, 61n, 67n, 127n]) {
    it(`p = ${p}, every interval, every admissible t`, () => {
      const half = (p - 1n) / 2n;
      for (const variant of ['wrap', 'poszero', 'negpass'] as Variant[]) {
        for (let t = 0; t <= (variant === 'wrap' ? 0 : 8); t++) {
          const m: FaultModel = { p, t, variant };
          if (modelProblem(m)) continue;
          const c: bigint[] = [];
          for (let x = -half; x <= half; x++) c.push(effectiveFaultCount(m, x));
          for (let i = 0; i < c.length; i++) {
            let best = 0n;
            for (let j = i; j < c.length; j++) {
              if (c[j]! > best) best = c[j]!;
              const lo = BigInt(i) - half;
              const hi = BigInt(j) - half;
              if (maxEffectiveFaultCount(m, lo, hi) !== best)
                throw new Error(`${variant} t=${t} [${lo},${hi}]: ${maxEffectiveFaultCount(m, lo, hi)} != ${best}`);
            }
          }
        }
      }
    });
  }
});

describe('model validation', () => {
  it('accepts Circa defaults and rejects bad p and t', () => {
    expect(modelProblem({ p: 2138816513n, t: 12, variant: 'poszero' })).toBeUndefined();
    expect(modelProblem({ p: 2138816511n, t: 0, variant: 'wrap' })?.[0]).toBe('p');
    expect(modelProblem({ p: 2n, t: 0, variant: 'wrap' })?.[0]).toBe('p');
    expect(modelProblem({ p: 17n, t: 3, variant: 'wrap' })?.[0]).toBe('t');
    expect(modelProblem({ p: 17n, t: 3, variant: 'poszero' })).toBeUndefined();
    expect(modelProblem({ p: 17n, t: 4, variant: 'poszero' })?.[0]).toBe('t');
  });
  it("Miller-Rabin agrees with trial division below 20000 and knows Circa's prime", () => {
    const trial = (n: number): boolean => {
      if (n < 2) return false;
      for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
      return true;
    };
    for (let n = 0; n < 20000; n++) expect(isPrime(BigInt(n))).toBe(trial(n));
    expect(isPrime(2138816513n)).toBe(true);
    expect(isPrime(3215031751n)).toBe(false); // strong pseudoprime to 2, 3, 5, 7
  });
});
