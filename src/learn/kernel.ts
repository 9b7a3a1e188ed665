/**
 * The polynomial kernel k(x, y) = (C + x.y)^Q of Goel & Klivans (NeurIPS 2017,
 * section 4: the kernel of a ReLU network's polynomial approximation), its
 * exact Gram matrix on rational points, and the limits that keep that matrix
 * small enough to eliminate exactly (docs/learnability.md, "Limits").
 *
 * Exactness: the Gram matrix is returned as an integer matrix M and a positive
 * integer scale L with K = M / L, so the elimination in gram.ts runs on
 * bigints without a gcd per operation. Floats appear only in floatGram, for
 * the numerical eigenvalues shown beside the certified bounds.
 */
import type { Q } from '../core/rational.js';
import { gcd, parseRational } from '../core/rational.js';
import { InputError } from '../format/errors.js';

export interface PolyKernel {
  type: 'polynomial';
  /** Q, the degree: an integer 1..MAX_DEGREE. */
  degree: number;
  /** C, the offset: a rational >= 0 (so that the kernel is positive semidefinite). */
  offset: Q;
}

/** Limits of `relucert gram` and of the checker (src/check/gram.ts keeps its own copy). */
export const GRAM_LIMITS = {
  /** Largest degree Q. */
  maxDegree: 12,
  /** Most points n. */
  maxPoints: 1000,
  /** Most pivots r. */
  maxPivots: 200,
  /** Most decimal digits of an entry of the integer Gram matrix M. */
  maxEntryDigits: 400,
  /** Most work n^2 R^2 digits / 2 (digits of the largest entry of M); about 5e7 a second on one core (docs/gram-certificates.md section 4). */
  maxWork: 1e10,
} as const;

/**
 * Reads `poly:Q` or `poly:Q:C` (C defaults to 1). Throws InputError naming
 * `option` for anything else: another kernel, Q outside 1..12, C not an exact
 * rational or negative.
 */
export function parseKernel(spec: string, option = '--kernel'): PolyKernel {
  const parts = spec.split(':');
  if (parts[0] !== 'poly' || parts.length < 2 || parts.length > 3)
    throw new InputError('command line', option, `expected poly:Q or poly:Q:C (the kernel (C + x.y)^Q), got ${JSON.stringify(spec)}`);
  const qText = parts[1]!;
  if (!/^[0-9]{1,3}$/.test(qText) || Number(qText) < 1 || Number(qText) > GRAM_LIMITS.maxDegree)
    throw new InputError('command line', option, `degree Q: expected an integer from 1 to ${GRAM_LIMITS.maxDegree}, got ${JSON.stringify(qText)}`);
  const cText = parts[2] ?? '1';
  const offset = parseRational(cText);
  if (offset === undefined || cText.trim() !== cText) throw new InputError('command line', option, `offset C: not an exact rational: ${JSON.stringify(cText)}`);
  if (offset.sign() < 0)
    throw new InputError('command line', option, `offset C: must be >= 0 (a negative offset does not give a positive semidefinite kernel), got ${offset}`);
  if (offset.num.toString().length > GRAM_LIMITS.maxEntryDigits || offset.den.toString().length > GRAM_LIMITS.maxEntryDigits)
    throw new InputError('command line', option, `offset C: at most ${GRAM_LIMITS.maxEntryDigits} digits in its numerator and denominator`);
  return { type: 'polynomial', degree: Number(qText), offset };
}

/** "(1 + x.y)^2" */
export function kernelText(k: PolyKernel): string {
  return k.offset.isZero() ? `(x.y)^${k.degree}` : `(${k.offset} + x.y)^${k.degree}`;
}

/** K = M / L with M a symmetric integer matrix and L > 0; M is built on the first call of matrix(). */
export interface IntegerGram {
  matrix(): bigint[][];
  L: bigint;
  /** Decimal digits of the largest |M_ij| (a diagonal entry). */
  entryDigits: number;
}

/**
 * The exact Gram matrix of (C + x.y)^Q on the points (n x d rationals), as
 * K = M / L: with D the lcm of the coordinates' denominators and C = c/e,
 * C + x.y = (c D^2 + e (Dx).(Dy)) / (e D^2), so M_ij = (c D^2 + e x'_i.x'_j)^Q
 * and L = (e D^2)^Q. Throws InputError (naming `file`, field points) when an
 * entry of M would have more than GRAM_LIMITS.maxEntryDigits digits; the
 * largest entry is on the diagonal (M is PSD), which is all this computes
 * until matrix() is called (so the limits can be checked cheaply first).
 */
export function integerGram(points: readonly (readonly Q[])[], k: PolyKernel, file: string): IntegerGram {
  const limit = 10n ** BigInt(GRAM_LIMITS.maxEntryDigits);
  const tooLarge = (what: string): InputError =>
    new InputError(
      file,
      'points',
      `the exact Gram matrix of ${kernelText(k)} would need ${what} (the limit): use fewer decimals in the points or a lower degree`,
    );
  let D = 1n;
  for (const p of points)
    for (const v of p) {
      D = lcm(D, v.den);
      if (D >= limit) throw tooLarge(`a common denominator of more than ${GRAM_LIMITS.maxEntryDigits} digits`);
    }
  const ints = points.map((p) => p.map((v) => v.num * (D / v.den)));
  const c = k.offset.num;
  const e = k.offset.den;
  const Q = BigInt(k.degree);
  const base = c * D * D;
  const dot = (a: readonly bigint[], b: readonly bigint[]): bigint => {
    let s = base;
    for (let t = 0; t < a.length; t++) s += e * a[t]! * b[t]!;
    return s;
  };
  const rootLimit = 10n ** ((BigInt(GRAM_LIMITS.maxEntryDigits) + Q - 1n) / Q);
  let largest = 0n;
  for (const x of ints) {
    const b = dot(x, x);
    const v = b < rootLimit ? b ** Q : limit;
    if (v >= limit) throw tooLarge(`entries of more than ${GRAM_LIMITS.maxEntryDigits} digits`);
    if (v > largest) largest = v;
  }
  const n = points.length;
  let M: bigint[][] | undefined;
  const matrix = (): bigint[][] => {
    if (M) return M;
    M = Array.from({ length: n }, () => new Array<bigint>(n).fill(0n));
    for (let i = 0; i < n; i++)
      for (let j = 0; j <= i; j++) {
        const v = dot(ints[i]!, ints[j]!) ** Q;
        M[i]![j] = v;
        M[j]![i] = v;
      }
    return M;
  };
  return { matrix, L: (e * D * D) ** Q, entryDigits: largest.toString().length };
}

/** The Gram matrix in floating point (for the numerical eigenvalues and the float learners only). */
export function floatGram(xs: readonly (readonly number[])[], ys: readonly (readonly number[])[], k: PolyKernel): number[][] {
  const c = k.offset.toNumber();
  return xs.map((x) => ys.map((y) => floatKernel(x, y, c, k.degree)));
}

export function floatKernel(x: readonly number[], y: readonly number[], c: number, degree: number): number {
  let dot = c;
  for (let t = 0; t < x.length; t++) dot += x[t]! * y[t]!;
  return dot ** degree;
}

function lcm(a: bigint, b: bigint): bigint {
  return (a / gcd(a, b)) * b;
}
