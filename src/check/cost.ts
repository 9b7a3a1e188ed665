/**
 * The checker's cost model (docs/certificates.md section 6): one budget of
 * work units for a whole check, whatever the certificate's kind (training,
 * region, Gram), charged before the work it pays for is done.
 *
 * A unit is about a nanosecond of one core. Every operation whose cost a
 * certificate can choose is charged what it really costs:
 * - a product or a quotient of integers of a and b 64-bit words:
 *   (a + 4)(b + 4) + 64 units (three times the first term for a quotient), so
 *   the digits of both factors count, not the number of operations;
 * - a sum or a comparison: 2(a + b) + 64;
 * - reading a decimal number or writing one out: 5 (w + 4)^2 for w words;
 * - a step of a gcd (rational.ts charges its loops step by step);
 * - every tree node visited, every row coefficient built and every lookup in
 *   a set or a map (COST below).
 * Reading the JSON text is linear in its size and is bounded by the size
 * limit instead (section 6). The budget is a plain integer count (every
 * charge is a whole number far below 2^53, so the count is exact).
 *
 * Inside `metered`, running out of budget throws WorkLimitReached, which only
 * `metered` catches: the check stops at once, wherever it was.
 */

/** Units charged for one step of work that is not bigint arithmetic (calibrated in docs/certificates.md section 6). */
export const COST = {
  /** a node of a proof or region tree, or an entry of a list, visited and read */
  node: 400,
  /** a lookup or an insertion in a set or a map (a repeat check, a row cache, a literal on the path) */
  lookup: 150,
  /** a coefficient of a constraint row built from its name (section 4.3) */
  coefficient: 600,
} as const;

/** The per-operation overhead, in words, added to each operand's size of a product; and the units every operation costs besides. */
const OVERHEAD = 4;
const OPERATION = 64;
/** A quotient costs about three products of the same sizes (measured). */
const QUOTIENT = 3;
/** Converting between decimal text and an integer, per squared word (measured). */
const DECIMAL = 5;

const WORD = 1n << 64n;

/** Set while `metered` runs: the units still available. */
let available: number | undefined;

/** Thrown when the budget is spent; caught by `metered` only. */
class WorkLimitReached extends Error {}

/**
 * The size of x in 64-bit words, rounded up to a power of two: the least
 * 2^j with |x| < 2^(64 * 2^j) (1 for |x| < 2^64). Found by comparing x with
 * the thresholds 2^(64 * 2^j), which takes a few comparisons of numbers of
 * different lengths (each decided by the lengths alone), not a pass over x:
 * the charge must cost far less than the operation it pays for. At most twice
 * the exact size, so a charge is at most four times the work (never less).
 */
export function words(x: bigint): number {
  if (x < WORD && x > -WORD) return 1;
  for (let j = 1; ; j++) {
    if (j === ABOVE.length) {
      const t = ABOVE[j - 1]! * ABOVE[j - 1]!;
      ABOVE.push(t);
      BELOW.push(-t);
    }
    if (x < ABOVE[j]! && x > BELOW[j]!) return 1 << j;
  }
}

/** ABOVE[j] = 2^(64 * 2^j), BELOW[j] = -ABOVE[j]: each squared from the one before when a number that large first appears, and kept. */
const ABOVE: bigint[] = [WORD];
const BELOW: bigint[] = [-WORD];

/** Charges `units` to the running budget, if any; throws (to `metered`) once the budget is spent. */
export function charge(units: number): void {
  if (available === undefined) return;
  available -= units;
  if (available < 0) throw new WorkLimitReached();
}

/** Charges a product of a and b: (words(a) + 4)(words(b) + 4) + 64. */
export function chargeProduct(a: bigint, b: bigint): void {
  if (available !== undefined) charge((words(a) + OVERHEAD) * (words(b) + OVERHEAD) + OPERATION);
}

/** Charges a quotient or remainder a / b: 3 (words(a) + 4)(words(b) + 4) + 64. */
export function chargeQuotient(a: bigint, b: bigint): void {
  if (available !== undefined) charge(QUOTIENT * (words(a) + OVERHEAD) * (words(b) + OVERHEAD) + OPERATION);
}

/** Charges a sum, a difference or a comparison of a and b: 2 (words(a) + words(b)) + 64. */
export function chargeSum(a: bigint, b: bigint): void {
  if (available !== undefined) charge(2 * (words(a) + words(b)) + OPERATION);
}

/** Charges converting a number of `w` 64-bit words between decimal text and an integer: 5 (w + 4)^2. */
export function chargeDecimal(w: number): void {
  if (available !== undefined) charge(DECIMAL * (w + OVERHEAD) * (w + OVERHEAD));
}

/** The 64-bit words of a number of `digits` decimal digits, rounded up: 10 / 193 words per digit (log2(10) / 64 is 0.0519). */
export function wordsOfDigits(digits: number): number {
  const tenths = digits * 10 + 192;
  return (tenths - (tenths % 193)) / 193;
}

/** a * b, charged. */
export function mul(a: bigint, b: bigint): bigint {
  chargeProduct(a, b);
  return a * b;
}

/** a / b (truncated), charged. b must not be 0. */
export function div(a: bigint, b: bigint): bigint {
  chargeQuotient(a, b);
  return a / b;
}

/** a + b, charged. */
export function add(a: bigint, b: bigint): bigint {
  chargeSum(a, b);
  return a + b;
}

/** a - b, charged. */
export function sub(a: bigint, b: bigint): bigint {
  chargeSum(a, b);
  return a - b;
}

/** The units a check may spend by default (docs/certificates.md section 6): about ten seconds of one core. */
export const WORK_LIMIT = 6_000_000_000;

/**
 * Runs `work` with every charge counted against `limit` units; returns its
 * result, or 'work-limit' if the limit was reached. A metered run inside
 * another shares the outer budget. `spent` reports the units used.
 */
export function metered<T>(work: () => T, limit: number = WORK_LIMIT, spent?: (units: number) => void): T | 'work-limit' {
  if (available !== undefined) return work();
  available = limit;
  try {
    return work();
  } catch (e) {
    if (e instanceof WorkLimitReached) return 'work-limit';
    throw e;
  } finally {
    spent?.(limit - (available ?? limit));
    available = undefined;
  }
}
