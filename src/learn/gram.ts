/**
 * Certified upper bounds on the eigenvalue tail of an exact Gram matrix, by
 * partial pivoted Cholesky (Nystrom with the pivots as landmarks), and the
 * relucert-gram-certificate/1 that carries them (docs/gram-certificates.md).
 *
 * Mathematics (docs/gram-certificates.md section 2, proved in docs/gram-certificates.md):
 * for K PSD and a pivot set S of r points with K_SS positive definite, the
 * Schur complement E_r = K_TT - K_TS K_SS^-1 K_ST (T the other points) is PSD
 * and Sum_{i>r} lambda_i(K) <= tr(E_r), lambda_{r+1}(K) <= ||E_r||_F.
 *
 * The elimination is fraction-free (Bareiss 1968): on the integer matrix M
 * (K = M / L), after r pivots the working entry A_ij is the minor
 * det M[S+i, S+j], every division is exact, and E_r = A_TT / (pi_r L) with
 * pi_r = det M_SS (pi_0 = 1). Pivots are chosen greedily: the largest
 * diagonal entry of the current Schur complement (exact comparison).
 */
import { GRAM_FORMAT, checkCertificate } from '../check/index.js';
import { Q, finiteDecimal } from '../core/rational.js';
import type { Instance } from '../core/types.js';
import { InputError } from '../format/errors.js';
import { instanceHash, instanceToJson, prettyJson } from '../format/write.js';
import { GRAM_LIMITS, type IntegerGram, type PolyKernel, integerGram } from './kernel.js';

/**
 * The work the self-check of a new certificate may spend: no limit of its
 * own (GRAM_LIMITS bound the elimination up front, as G5 does). A reviewer's
 * `relucert check` keeps the default limit of docs/certificates.md section 6,
 * and needs --max-work for a certificate that takes more (GramRun.checkWork).
 */
const SELF_CHECK_WORK = Number.MAX_SAFE_INTEGER;

/**
 * The exact tail data after r pivots, as unreduced integers (the numbers run
 * to thousands of digits, and a gcd per value would cost more than the
 * elimination): tr(E_r) = traceNum / scale, ||E_r||_F^2 = frobeniusNum / scale^2.
 */
export interface PivotStep {
  /** Number of pivots r. */
  r: number;
  /** tr(E_r) * scale: tr(E_r) bounds Sum_{i>r} lambda_i(K). */
  traceNum: bigint;
  /** ||E_r||_F^2 * scale^2: its square root bounds lambda_{r+1}(K). */
  frobeniusNum: bigint;
  /** pi_r * L > 0. */
  scale: bigint;
}

export type StopReason = 'pivot limit' | 'rank' | 'deadline';

export interface Elimination {
  /** Point indices in pivot order (distinct). */
  pivots: number[];
  /** steps[r] for r = 0..pivots.length. */
  steps: PivotStep[];
  /** Why no further pivot was taken: the limit asked for; the Schur complement is 0 (rank(K) = r); the deadline. */
  stoppedBy: StopReason;
}

/**
 * Greedy pivoted fraction-free Cholesky on K = M / L, up to maxPivots pivots
 * (at most n - 1), stopping early when the Schur complement is zero or, between
 * pivots, when Date.now() passes deadline. Assumes M symmetric positive
 * semidefinite (a polynomial kernel with C >= 0); throws RangeError if a pivot
 * it takes is not positive (which would mean M is not PSD: a bug upstream).
 */
export function pivotedElimination(g: IntegerGram, maxPivots: number, deadline?: number): Elimination {
  const M = g.matrix();
  const n = M.length;
  // Only the lower triangle in the order of `rest` is kept: A[rest[a]][rest[b]] for b <= a
  // (the order of `rest` never changes, so "lower" stays lower).
  const A = M.map((row) => [...row]);
  const rest: number[] = Array.from({ length: n }, (_, i) => i);
  const pivots: number[] = [];
  let prev = 1n;
  let { tr, fro } = sums(A, rest);
  const steps: PivotStep[] = [];
  const limit = Math.min(maxPivots, n - 1);
  for (;;) {
    steps.push({ r: pivots.length, traceNum: tr, frobeniusNum: fro, scale: prev * g.L });
    const top = rest.reduce((b, i) => (A[i]![i]! > A[b]![b]! ? i : b), rest[0]!);
    if (A[top]![top]! === 0n) return { pivots, steps, stoppedBy: 'rank' };
    if (pivots.length >= limit) return { pivots, steps, stoppedBy: 'pivot limit' };
    if (deadline !== undefined && Date.now() > deadline) return { pivots, steps, stoppedBy: 'deadline' };
    const p = A[top]![top]!;
    if (p < 0n) throw new RangeError(`pivot ${pivots.length + 1} is negative: the Gram matrix is not positive semidefinite`);
    const at = rest.indexOf(top);
    const col = rest.map((i, a) => (a < at ? A[top]![i]! : A[i]![top]!));
    col.splice(at, 1);
    rest.splice(at, 1);
    pivots.push(top);
    // the update, with the next step's trace and squared Frobenius norm on the way
    tr = 0n;
    let diag = 0n;
    let off = 0n;
    for (let a = 0; a < rest.length; a++) {
      const Ai = A[rest[a]!]!;
      const ci = col[a]!;
      for (let b = 0; b <= a; b++) {
        const j = rest[b]!;
        const num = p * Ai[j]! - ci * col[b]!;
        const v = prev === 1n ? num : num / prev;
        Ai[j] = v;
        if (b === a) {
          tr += v;
          diag += v * v;
        } else off += v * v;
      }
    }
    fro = diag + 2n * off;
    prev = p;
  }
}

/** tr(A_rest) and the sum of squares of A_rest, from the lower triangle. */
function sums(A: bigint[][], rest: number[]): { tr: bigint; fro: bigint } {
  let tr = 0n;
  let diag = 0n;
  let off = 0n;
  for (let a = 0; a < rest.length; a++) {
    const row = A[rest[a]!]!;
    const v = row[rest[a]!]!;
    tr += v;
    diag += v * v;
    for (let b = 0; b < a; b++) off += row[rest[b]!]! ** 2n;
  }
  return { tr, fro: diag + 2n * off };
}

/** tr(E_r), exactly (reduced: for tests and small cases). */
export function traceOf(s: PivotStep): Q {
  return Q.of(s.traceNum, s.scale);
}

/** ||E_r||_F^2, exactly (reduced: for tests and small cases). */
export function frobenius2Of(s: PivotStep): Q {
  return Q.of(s.frobeniusNum, s.scale * s.scale);
}

// ---------------------------------------------------------------------------
// Short claimed bounds: decimals rounded up.

/** The least decimal with `digits` significant digits that is >= num / den (num >= 0, den > 0; no gcd of the inputs). */
export function ceilDecimal(num: bigint, den: bigint, digits = 6): Q {
  if (num <= 0n) return Q.ZERO;
  const lo = 10n ** BigInt(digits - 1);
  const hi = 10n ** BigInt(digits);
  // floor(num * 10^e / den), and e with lo <= that < hi
  const at = (e: number): bigint => (e >= 0 ? (num * 10n ** BigInt(e)) / den : num / (den * 10n ** BigInt(-e)));
  let e = digits - 1 - (num.toString().length - den.toString().length);
  while (at(e) >= hi) e--;
  while (at(e) < lo) e++;
  const exact = e >= 0 ? (num * 10n ** BigInt(e)) % den === 0n : num % (den * 10n ** BigInt(-e)) === 0n;
  const m = at(e) + (exact ? 0n : 1n);
  return e >= 0 ? Q.of(m, 10n ** BigInt(e)) : Q.of(m * 10n ** BigInt(-e));
}

/** A short decimal u >= 0 with u^b >= num / den (num >= 0, den > 0, b >= 1): an upper bound on the b-th root. */
export function ceilRoot(num: bigint, den: bigint, b: bigint, digits = 6): Q {
  if (num <= 0n) return Q.ZERO;
  // (n/d)^(1/b) = (n d^(b-1))^(1/b) / d; keep digits + 2 extra decimal digits before rounding up.
  const extra = 10n ** BigInt(digits + 2);
  const s = iroot(num * den ** (b - 1n) * extra ** b, b) + 1n;
  let u = ceilDecimal(s, den * extra, digits);
  while (u.num ** b * den < num * u.den ** b) u = ceilDecimal(u.num * extra + u.den, u.den * extra, digits);
  return u;
}

/** floor(n^(1/b)) for n >= 0, b >= 1 (Newton's method on bigints). */
export function iroot(n: bigint, b: bigint): bigint {
  if (n < 2n || b === 1n) return n;
  let x = 1n << (BigInt(n.toString(2).length) / b + 1n);
  for (;;) {
    const y = ((b - 1n) * x + n / x ** (b - 1n)) / b;
    if (y >= x) return x;
    x = y;
  }
}

/** The claimed bounds for rank r: tail >= Sum_{i>r} lambda_i, next >= lambda_{r+1}. */
export interface ClaimedBound {
  r: number;
  tail: Q;
  next: Q;
}

/** Rounds each exact step up to short decimals. */
export function claimedBounds(steps: readonly PivotStep[], digits = 6): ClaimedBound[] {
  return steps.map((s) => ({ r: s.r, tail: ceilDecimal(s.traceNum, s.scale, digits), next: ceilRoot(s.frobeniusNum, s.scale * s.scale, 2n, digits) }));
}

// ---------------------------------------------------------------------------
// Decay laws lambda_i <= c i^(-p).

/** A claimed decay law lambda_i(K) <= c * i^(-p) for i = 1..n, with c > 0 and p >= 0 rational. */
export interface DecayLaw {
  c: Q;
  p: Q;
}

/** Limits on p = a/b: the checker raises numbers to the b-th power (src/check/gram.ts keeps its own copy). */
export const DECAY_LIMITS = { maxNumerator: 1000n, maxDenominator: 64n } as const;

/**
 * The certified bound on lambda_i(K) (i = 1..n) implied by the claimed bounds:
 * min over r < i of next_r and tail_r / (i - r). (For r < i: lambda_i <= lambda_{r+1}
 * <= next_r, and (i - r) lambda_i <= lambda_{r+1} + ... + lambda_i <= tail_r since
 * every eigenvalue of a PSD matrix is >= 0.)
 */
export function eigenvalueBound(bounds: readonly ClaimedBound[], i: number): Q {
  let best: Q | undefined;
  for (const b of bounds) {
    if (b.r >= i) break;
    const t = b.tail.div(Q.of(i - b.r));
    const m = Q.min(b.next, t);
    best = best === undefined ? m : Q.min(best, m);
  }
  if (best === undefined) throw new RangeError(`no bound for lambda_${i}`);
  return best;
}

function pow(x: Q, e: bigint): Q {
  return Q.of(x.num ** e, x.den ** e);
}

/** Does beta <= c * i^(-p) hold exactly? (beta^b i^a <= c^b with p = a/b.) */
export function decayHolds(beta: Q, i: number, law: DecayLaw): boolean {
  const a = law.p.num;
  const b = law.p.den;
  return pow(beta, b)
    .mul(Q.of(BigInt(i) ** a))
    .le(pow(law.c, b));
}

/** The first i in 1..n where the bounds do not imply the law, or undefined when they imply it for every i. */
export function firstDecayFailure(bounds: readonly ClaimedBound[], n: number, law: DecayLaw): number | undefined {
  for (let i = 1; i <= n; i++) if (!decayHolds(eigenvalueBound(bounds, i), i, law)) return i;
  return undefined;
}

/**
 * The least c with 3 significant digits such that the bounds imply
 * lambda_i <= c i^(-p) for every i = 1..n: the b-th root, rounded up, of
 * max_i beta_i^b i^a (p = a/b), computed exactly.
 */
export function leastDecayConstant(bounds: readonly ClaimedBound[], n: number, p: Q): Q {
  let worst = Q.ZERO;
  for (let i = 1; i <= n; i++) worst = Q.max(worst, pow(eigenvalueBound(bounds, i), p.den).mul(Q.of(BigInt(i) ** p.num)));
  const c = ceilRoot(worst.num, worst.den, p.den, 3);
  return c.isZero() ? Q.of(1n, 10n ** 6n) : c;
}

/** Exact decimal text of x when its denominator divides a power of 10 ("0.00125", "-3"), else "p/q". */
export function decimalText(x: Q): string {
  return finiteDecimal(x) ?? x.toString();
}

// ---------------------------------------------------------------------------
// The certificate.

export { GRAM_FORMAT };

/** The relucert-gram-certificate/1 object (docs/gram-certificates.md section 1). */
export function gramCertificateJson(
  inst: Instance,
  kernel: PolyKernel,
  pivots: readonly number[],
  bounds: readonly ClaimedBound[],
  decay: DecayLaw | undefined,
): Record<string, unknown> {
  return {
    format: GRAM_FORMAT,
    instanceHash: instanceHash(inst),
    instance: instanceToJson(inst),
    kernel: { type: 'polynomial', degree: kernel.degree, offset: kernel.offset.toString() },
    pivots: [...pivots],
    bounds: bounds.map((b) => ({ r: b.r, tail: decimalText(b.tail), next: decimalText(b.next) })),
    ...(decay ? { decay: { c: decimalText(decay.c), p: decay.p.toString() } } : {}),
    producer: { tool: 'relucert gram', method: 'greedy pivoted Cholesky (fraction-free), bounds rounded up to 6 significant digits' },
  };
}

// ---------------------------------------------------------------------------
// The whole run: exact bounds, the decay law, the certificate checked before it is returned.

export interface GramOptions {
  /** Most pivots (default 20); at most n - 1 and GRAM_LIMITS.maxPivots. */
  pivots?: number;
  /** Stop pivoting (and certify what is done) once Date.now() passes this. */
  deadline?: number;
  /** A decay law to certify: c given, or only p (then the least c with 3 significant digits is found). */
  decay?: { c?: Q; p: Q };
  /** Named in errors (default "instance"). */
  file?: string;
}

export interface GramRun {
  gram: IntegerGram;
  elimination: Elimination;
  bounds: ClaimedBound[];
  /** The law in the certificate (when it follows from the bounds). */
  decay?: DecayLaw;
  /** A law asked for with its c that the bounds do not imply: the first index where they do not, and the least c that works. */
  decayFailure?: { law: DecayLaw; index: number; leastC: Q };
  certificate: Record<string, unknown>;
  /** The certificate's text, already accepted by the independent checker. */
  text: string;
  statement: string;
  /** The units of work its check spent (docs/certificates.md section 6): above the default limit, `relucert check` needs --max-work. */
  checkWork: number;
}

/**
 * Certifies tail bounds for the Gram matrix of `kernel` on the instance's
 * points. Throws InputError (naming `file` or the option) over a limit of
 * docs/gram-certificates.md section 4, and Error if the independent checker
 * rejects the certificate just made (a bug).
 */
export function certifyGram(inst: Instance, kernel: PolyKernel, opts: GramOptions = {}): GramRun {
  const file = opts.file ?? 'instance';
  const n = inst.points.length;
  if (n > GRAM_LIMITS.maxPoints) throw new InputError(file, 'points', `${n} points; relucert gram takes at most ${GRAM_LIMITS.maxPoints}`);
  const wanted = opts.pivots ?? 20;
  if (wanted > GRAM_LIMITS.maxPivots) throw new InputError('command line', '--pivots', `at most ${GRAM_LIMITS.maxPivots}, got ${wanted}`);
  const gram = integerGram(inst.points, kernel, file);
  const R = Math.min(wanted, n - 1);
  const work = (n * n * R * R * gram.entryDigits) / 2;
  if (work > GRAM_LIMITS.maxWork) {
    const most = Math.floor(Math.sqrt((2 * GRAM_LIMITS.maxWork) / (n * n * gram.entryDigits)));
    throw new InputError(
      'command line',
      '--pivots',
      `${R} pivots on ${n} points with ${gram.entryDigits}-digit Gram entries exceeds the work limit n^2 R^2 digits / 2 <= ${GRAM_LIMITS.maxWork.toExponential()}: use at most ${most} pivots`,
    );
  }
  const elimination = pivotedElimination(gram, R, opts.deadline);
  const bounds = claimedBounds(elimination.steps);
  let decay: DecayLaw | undefined;
  let decayFailure: GramRun['decayFailure'];
  if (opts.decay) {
    const p = opts.decay.p;
    const leastC = leastDecayConstant(bounds, n, p);
    if (opts.decay.c === undefined) decay = { c: leastC, p };
    else {
      const law = { c: opts.decay.c, p };
      const index = firstDecayFailure(bounds, n, law);
      if (index === undefined) decay = law;
      else decayFailure = { law, index, leastC };
    }
  }
  const certificate = gramCertificateJson(inst, kernel, elimination.pivots, bounds, decay);
  const text = prettyJson(certificate);
  const outcome = checkCertificate(text, 'the new certificate', { kind: 'gram', limits: { work: SELF_CHECK_WORK, maxBytes: SELF_CHECK_WORK } });
  if (outcome.status !== 'valid') throw new Error(`internal error: the checker rejects the gram certificate just produced: ${outcome.message}`);
  const run = { gram, elimination, bounds, ...(decay ? { decay } : {}), ...(decayFailure ? { decayFailure } : {}), certificate, text };
  return { ...run, statement: outcome.statement, checkWork: outcome.work };
}
