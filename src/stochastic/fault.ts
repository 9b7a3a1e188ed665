/**
 * The per-ReLU fault law of Circa's stochastic ReLU (docs/stochastic.md section 2,
 * docs/stochastic.md section 2), as exact counts over the share randomness.
 *
 * Protocol, for a signed integer x with |x| <= (p-1)/2 and r uniform on Z_p:
 *   client share s = (x + r) mod p,  server value u = r if r > 0 else p.
 * Variants (the sign test that decides "x >= 0"):
 *   exact    the ideal comparator: always right (t must be 0);
 *   wrap     [s >= u]: Circa's stochastic sign, no modular reduction, no truncation (t must be 0);
 *   poszero  compare floor(s/2^t) with floor(u/2^t); greater -> ">= 0", less -> "< 0",
 *            tie -> "< 0" (a small positive x may be zeroed);
 *   negpass  the same, tie -> ">= 0" (a small negative x may pass through).
 * A fault is a wrong sign. The faulty ReLU outputs 0 for x >= 0 and x for x < 0,
 * so a fault at x = 0 changes nothing ("harmless"); see `effectiveFaultCount`.
 *
 * Everything here is closed form: no loop over r. `comparatorSaysNonNegative`
 * is the protocol itself, used by the enumeration tests and the Monte Carlo
 * simulation, never by the closed forms.
 */
import { Q } from '../core/rational.js';

export const VARIANTS = ['exact', 'wrap', 'poszero', 'negpass'] as const;
export type Variant = (typeof VARIANTS)[number];

/** A validated fault model: p an odd prime, t truncated bits (0 for exact and wrap). */
export interface FaultModel {
  p: bigint;
  t: number;
  variant: Variant;
}

/** Circa's field (31 bits). */
export const CIRCA_P = 2138816513n;

/** The protocol's decision for one r (0 <= r < p): true means "x >= 0". */
export function comparatorSaysNonNegative(m: FaultModel, x: bigint, r: bigint): boolean {
  const { p } = m;
  const s = (((x + r) % p) + p) % p;
  const u = r > 0n ? r : p;
  switch (m.variant) {
    case 'exact':
      return x >= 0n;
    case 'wrap':
      return s >= u;
    case 'poszero':
    case 'negpass': {
      const a = s >> BigInt(m.t);
      const b = u >> BigInt(m.t);
      if (a !== b) return a > b;
      return m.variant === 'negpass';
    }
  }
}

/**
 * F(n, k) = #{ r in [0, n) : r mod T < k } for n >= 0 and 0 <= k <= T:
 * every full block of T contributes k, the last partial block min(n mod T, k).
 */
function countLowResidues(n: bigint, k: bigint, T: bigint): bigint {
  if (n <= 0n) return 0n;
  const rest = n % T;
  return (n / T) * k + (rest < k ? rest : k);
}

/**
 * G(a, b, d) = #{ r in [a, b] : floor((r + d)/T) = floor(r/T) } for d >= 0:
 * r and r + d share a block of T iff d < T and r mod T <= T - 1 - d.
 */
export function countTies(a: bigint, b: bigint, d: bigint, T: bigint): bigint {
  if (b < a || d >= T) return 0n;
  const k = T - d;
  return countLowResidues(b + 1n, k, T) - countLowResidues(a, k, T);
}

/**
 * The number of r in Z_p for which the sign test is wrong, by closed form.
 * Assumes |x| <= (p-1)/2 and p odd (checked by `checkValue` / the CLI).
 * The derivation splits r into r = 0, the r where x + r does not wrap and the
 * r where it does (docs/stochastic.md, Lemma 1).
 */
export function faultCount(m: FaultModel, x: bigint): bigint {
  const { p } = m;
  const T = 1n << BigInt(m.t);
  switch (m.variant) {
    case 'exact':
      return 0n;
    case 'wrap':
      return x >= 0n ? x + 1n : -x - 1n;
    case 'poszero':
      if (x >= 0n) {
        // r = 0: s = x < p = u, always wrong; r in [p-x, p-1]: s < u, always wrong;
        // r in [1, p-1-x]: s = r + x >= u = r, wrong only on a tie.
        return 1n + x + countTies(1n, p - 1n - x, x, T);
      } else {
        const mm = -x;
        // r = 0: s = p - m < u = p, right; r in [m, p-1]: s = r - m < r, right;
        // r in [1, m-1]: s = r - m + p > r, wrong unless it ties.
        return mm - 1n - countTies(1n, mm - 1n, p - mm, T);
      }
    case 'negpass':
      if (x >= 0n) {
        // r = 0: wrong unless floor(x/T) = floor(p/T); r in [1, p-1-x]: right;
        // r = r' + p - x with r' in [0, x-1]: s = r' < u, wrong unless it ties.
        const r0 = x / T < p / T ? 1n : 0n;
        return r0 + x - countTies(0n, x - 1n, p - x, T);
      } else {
        const mm = -x;
        // r = 0: wrong on a tie of p - m with p; r in [1, m-1]: s > u, always wrong;
        // r in [m, p-1]: s = r - m < r, wrong on a tie.
        const r0 = (p - mm) / T === p / T ? 1n : 0n;
        return r0 + mm - 1n + countTies(0n, p - 1n - mm, mm, T);
      }
  }
}

/** The exact probability of a wrong sign: faultCount / p. */
export function faultProbability(m: FaultModel, x: bigint): Q {
  return Q.of(faultCount(m, x), m.p);
}

/**
 * Faults that change the ReLU's output: a wrong sign at x != 0 (at x = 0 both
 * outputs are 0). This is what the network-level analysis uses.
 */
export function effectiveFaultCount(m: FaultModel, x: bigint): bigint {
  return x === 0n ? 0n : faultCount(m, x);
}

export function effectiveFaultProbability(m: FaultModel, x: bigint): Q {
  return Q.of(effectiveFaultCount(m, x), m.p);
}

/** What a faulty ReLU outputs: 0 for x >= 0, x itself for x < 0. */
export function faultyOutput(x: bigint): bigint {
  return x >= 0n ? 0n : x;
}

/**
 * The largest effective fault count over the integers in [lo, hi], by Lemma 2
 * of docs/stochastic.md: the count is monotone on each of (-inf, -T],
 * [-T+1, -1], [1, T-1] and [T, inf) (with 0 counting 0), so the maximum is at
 * lo, hi or one of the piece ends -T, -T+1, -1, 1, T-1, T inside [lo, hi].
 * Requires 2^(t+1) < p (checked by `validateModel`).
 */
export function maxEffectiveFaultCount(m: FaultModel, lo: bigint, hi: bigint): bigint {
  const T = 1n << BigInt(m.t);
  let best = 0n;
  for (const v of [lo, hi, -T, -T + 1n, -1n, 1n, T - 1n, T]) {
    if (v < lo || v > hi) continue;
    const c = effectiveFaultCount(m, v);
    if (c > best) best = c;
  }
  return best;
}

/** Largest value the field holds as a signed integer: (p-1)/2. */
export function fieldHalf(p: bigint): bigint {
  return (p - 1n) / 2n;
}

// ---------------------------------------------------------------------------
// Primality (deterministic Miller-Rabin for n < 3.3 * 10^24).

const WITNESSES = [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n, 41n];

function powMod(b: bigint, e: bigint, n: bigint): bigint {
  let r = 1n;
  b %= n;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % n;
    b = (b * b) % n;
    e >>= 1n;
  }
  return r;
}

/**
 * Is n prime? Deterministic for n < 3.3 * 10^24 (the first 13 primes as
 * witnesses); larger n are rejected by the caller, not guessed.
 */
export function isPrime(n: bigint): boolean {
  if (n < 2n) return false;
  for (const w of WITNESSES) {
    if (n === w) return true;
    if (n % w === 0n) return false;
  }
  let d = n - 1n;
  let s = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    s++;
  }
  outer: for (const a of WITNESSES) {
    let x = powMod(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    for (let i = 1; i < s; i++) {
      x = (x * x) % n;
      if (x === n - 1n) continue outer;
    }
    return false;
  }
  return true;
}

export const PRIME_LIMIT = 3_317_044_064_679_887_385_961_981n;

/**
 * Why a fault model is not acceptable, or undefined when it is:
 * p an odd prime below PRIME_LIMIT; t >= 0 with 2^(t+1) < p; t = 0 for exact
 * and wrap. Returns [field, message] so the CLI can name the option.
 */
export function modelProblem(m: FaultModel): [field: 'p' | 't', message: string] | undefined {
  if (m.p >= PRIME_LIMIT) return ['p', `primes must be below ${PRIME_LIMIT} (deterministic primality test), got ${m.p}`];
  if (m.p < 3n || !isPrime(m.p)) return ['p', `expected an odd prime, got ${m.p}`];
  if (!Number.isSafeInteger(m.t) || m.t < 0) return ['t', `expected a non-negative integer, got ${m.t}`];
  if ((m.variant === 'exact' || m.variant === 'wrap') && m.t !== 0) return ['t', `variant ${m.variant} does not truncate: t must be 0, got ${m.t}`];
  if (1n << BigInt(m.t + 1) >= m.p) return ['t', `2^(t+1) must be below p = ${m.p}, got t = ${m.t}`];
  return undefined;
}
