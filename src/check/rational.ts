/**
 * Exact rationals on bigint, for the checker only (no code shared with
 * src/core). Invariant of every Rat: den > 0 and gcd(|num|, den) = 1, so
 * equality is structural and toString() is the canonical text of
 * docs/certificates.md section 2 ("-7/2", "3", "0").
 *
 * Numbers enter only through Rat.parse (text) and Rat.of (bigints): no
 * floating point anywhere.
 *
 * Work limit (docs/certificates.md section 6, clause C4). Lowest terms cost a
 * gcd, about (size of num) x (size of den) word operations, and that is the
 * only part of the checker's arithmetic that is not near-linear in the size
 * of its operands. Inside `metered`, every gcd(a, b) is charged against
 * WORK_LIMIT: 1 when a and b are below 2^64, else (words(a) + 8) x
 * (words(b) + 8) in 64-bit words (the 8 stands for the per-step overhead
 * that dominates on numbers of a few words). Measured: 0.3 to 1 microsecond
 * per unit, so the limit stops a check after about a minute at most, with a
 * C4 rejection, instead of letting it run for hours.
 */

export class Rat {
  private constructor(
    readonly num: bigint,
    readonly den: bigint,
  ) {}

  static readonly ZERO = new Rat(0n, 1n);
  static readonly ONE = new Rat(1n, 1n);
  static readonly MINUS_ONE = new Rat(-1n, 1n);

  /** num/den in lowest terms. A zero denominator is a bug of the caller (throws). */
  static of(num: bigint, den: bigint = 1n): Rat {
    if (den === 0n) throw new RangeError('Rat.of: zero denominator');
    if (den < 0n) {
      num = -num;
      den = -den;
    }
    if (num === 0n) return Rat.ZERO;
    const g = gcd(num, den);
    return g === 1n ? new Rat(num, den) : new Rat(num / g, den / g);
  }

  /**
   * Reads the number text of docs/formats.md exactly: an integer "-3" or "+3",
   * a fraction "7/2" (denominator > 0), a finite decimal "0.125", ".5", "2.",
   * or an integer or decimal with a decimal exponent "1e-3", "-2.5E+2". No
   * whitespace. Returns undefined for anything else, and for a number over
   * the digit limit (see `overDigitLimit`), which is never expanded.
   */
  static parse(text: string): Rat | undefined {
    const m = NUMBER.exec(text);
    if (!m || overDigitLimit(text)) return undefined;
    const negative = m[1] === '-';
    if (m[2] !== undefined) {
      const den = BigInt(m[3]!);
      if (den === 0n) return undefined;
      const num = BigInt(m[2]);
      return Rat.of(negative ? -num : num, den);
    }
    const whole = m[4] ?? '';
    const fraction = m[5] ?? '';
    if (whole.length + fraction.length === 0) return undefined;
    const digits = BigInt(whole + fraction);
    const shift = (m[6] === undefined ? 0n : BigInt(m[6])) - BigInt(fraction.length);
    const num = negative ? -digits : digits;
    // an exponent writes the number out in full (for the hash, for the arithmetic): charged like a gcd of that size (C4)
    if (m[6] !== undefined) chargeSize(shift >= 0n ? shift : -shift);
    return shift >= 0n ? Rat.of(num * 10n ** shift) : Rat.of(num, 10n ** -shift);
  }

  /**
   * a/b + c/d in lowest terms without a gcd of the full-size result
   * (Knuth, TAOCP vol. 2, 4.5.1): with g = gcd(b, d), t = a(d/g) + c(b/g),
   * the sum is (t/h) / ((b/g)(d/h)) where h = gcd(t, g).
   */
  add(o: Rat): Rat {
    if (this.den === o.den) return Rat.of(this.num + o.num, this.den);
    const g = gcd(this.den, o.den);
    if (g === 1n) return new Rat(this.num * o.den + o.num * this.den, this.den * o.den);
    const t = this.num * (o.den / g) + o.num * (this.den / g);
    if (t === 0n) return Rat.ZERO;
    const h = gcd(t, g);
    return new Rat(t / h, (this.den / g) * (o.den / h));
  }
  sub(o: Rat): Rat {
    return this.add(o.neg());
  }
  /** (a/b)(c/d) in lowest terms from the cross gcds g = gcd(a, d), h = gcd(c, b) (Knuth, 4.5.1). */
  mul(o: Rat): Rat {
    if (this.num === 0n || o.num === 0n) return Rat.ZERO;
    const g = gcd(this.num, o.den);
    const h = gcd(o.num, this.den);
    return new Rat((this.num / g) * (o.num / h), (this.den / h) * (o.den / g));
  }
  neg(): Rat {
    return new Rat(-this.num, this.den);
  }
  abs(): Rat {
    return this.num < 0n ? this.neg() : this;
  }
  /** -1, 0 or 1. */
  sign(): -1 | 0 | 1 {
    return this.num < 0n ? -1 : this.num > 0n ? 1 : 0;
  }
  isZero(): boolean {
    return this.num === 0n;
  }
  cmp(o: Rat): -1 | 0 | 1 {
    const l = this.num * o.den;
    const r = o.num * this.den;
    return l < r ? -1 : l > r ? 1 : 0;
  }
  eq(o: Rat): boolean {
    return this.num === o.num && this.den === o.den;
  }
  lt(o: Rat): boolean {
    return this.cmp(o) < 0;
  }
  le(o: Rat): boolean {
    return this.cmp(o) <= 0;
  }
  /** Canonical text: "n" or "n/d" with d > 1. */
  toString(): string {
    return this.den === 1n ? this.num.toString() : `${this.num}/${this.den}`;
  }
}

/**
 * sign, then a fraction p/q, or digits with an optional point and an
 * optional exponent (groups: 1 sign, 2 p, 3 q, 4 whole, 5 fraction, 6 exponent).
 */
const NUMBER = /^([+-]?)(?:([0-9]+)\/([0-9]+)|([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?)$/;

/** Section 6: a number has at most this many digits, an exponent e counting as |e| digits. */
export const MAX_DIGITS = 100_000;

/**
 * True when a number text has more than MAX_DIGITS digits, counting an
 * exponent e as |e| more ("1e99999" is within the limit, "1e100000" and
 * "1e1000000000" are not). Decided from the text alone: nothing is expanded.
 */
export function overDigitLimit(text: string): boolean {
  const e = /[eE][+-]?0*([0-9]*)$/.exec(text);
  const mantissa = e ? text.slice(0, e.index) : text;
  let digits = 0;
  for (const ch of mantissa) if (ch >= '0' && ch <= '9') digits++;
  if (!e) return digits > MAX_DIGITS;
  const exponent = e[1]!;
  // an exponent of 7 or more digits is >= 1,000,000 > MAX_DIGITS
  return exponent.length > 6 || BigInt(digits) + BigInt(exponent === '' ? '0' : exponent) > BigInt(MAX_DIGITS);
}

/**
 * gcd(|a|, b) for b > 0, charged to the work limit. Lehmer's algorithm
 * (Knuth, TAOCP vol. 2, 4.5.2, Algorithm L) while b is large: run Euclid on
 * the leading 62 bits, keeping the cofactor matrix [A B; C D] (determinant
 * +-1) for as long as the quotients are sure to be those of the full
 * numbers, then apply it to (a, b) in one step. A unimodular step keeps the
 * gcd whatever it is, and a step that would not shrink (a, b) is replaced by
 * a plain Euclid step, so the result is right even if the quotient test
 * were wrong; the test only decides the speed (about ten times Euclid's on
 * large random numbers). Plain Euclid finishes, with a subtraction in place
 * of the division when the quotient is 1.
 */
function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b === 1n || a === 1n) return 1n;
  charge(a, b);
  if (a < b) [a, b] = [b, a];
  while (b >= LEHMER_FROM) {
    const shift = BigInt(a.toString(16).length * 4 - 62);
    let x = a >> shift;
    let y = b >> shift;
    let [A, B, C, D] = [1n, 0n, 0n, 1n];
    while (y + C !== 0n && y + D !== 0n) {
      const q = (x + A) / (y + C);
      if (q !== (x + B) / (y + D)) break;
      [A, C] = [C, A - q * C];
      [B, D] = [D, B - q * D];
      [x, y] = [y, x - q * y];
    }
    const [a2, b2] = B === 0n ? [-1n, 0n] : [A * a + B * b, C * a + D * b];
    if (a2 >= 0n && b2 >= 0n && a2 < a) [a, b] = [a2, b2];
    else [a, b] = [b, a % b];
    if (a < b) [a, b] = [b, a];
  }
  while (b !== 0n) {
    let r = a - b;
    if (r >= b) r %= b;
    a = b;
    b = r;
  }
  return a;
}
const LEHMER_FROM = 1n << 128n;

// ---------------------------------------------------------------- the work limit (C4)

/** Section 6: the most units of work (see the top of this file) one check may spend. */
export const WORK_LIMIT = 1n << 26n;

/** Set while `metered` runs: the work still available. */
let available: bigint | undefined;

/** Thrown by gcd inside `metered` when the work limit is spent; caught by `metered` only. */
class WorkLimitReached extends Error {}

const WORD = 1n << 64n;

/** Charges one gcd of a, b >= 0 to the running budget, if any. */
function charge(a: bigint, b: bigint): void {
  if (available === undefined) return;
  const cost = a < WORD && b < WORD ? 1n : (words(a) + 8n) * (words(b) + 8n);
  available -= cost;
  if (available < 0n) throw new WorkLimitReached();
}

/**
 * Charges `units` of work to the running budget, if any (C4): the checker's
 * walks whose length the certificate chooses (a split's path) call it.
 */
export function chargeUnits(units: bigint): void {
  if (available === undefined) return;
  available -= units;
  if (available < 0n) throw new WorkLimitReached();
}

/** Charges writing out a number of about `decimalDigits` digits, like a gcd of two numbers of that size. */
function chargeSize(decimalDigits: bigint): void {
  const w = (decimalDigits * 10n) / 193n + 1n; // 64-bit words: log2(10) / 64 ~ 10 / 193
  chargeUnits((w + 8n) * (w + 8n));
}

function words(x: bigint): bigint {
  return x < WORD ? 1n : BigInt((x.toString(16).length + 15) >> 4);
}

/**
 * Runs `work` with the arithmetic charged against `limit` (WORK_LIMIT unless
 * told); returns its result, or 'work-limit' if the limit was reached. Not
 * re-entrant: a metered run inside another shares the outer budget.
 */
export function metered<T>(work: () => T, limit: bigint = WORK_LIMIT): T | 'work-limit' {
  if (available !== undefined) return work();
  available = limit;
  try {
    return work();
  } catch (e) {
    if (e instanceof WorkLimitReached) return 'work-limit';
    throw e;
  } finally {
    available = undefined;
  }
}

/** Sum of a list (empty sum is 0). */
export function sumRats(xs: Iterable<Rat>): Rat {
  let s = Rat.ZERO;
  for (const x of xs) s = s.add(x);
  return s;
}
