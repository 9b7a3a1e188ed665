/**
 * Exact rationals on bigint, for the checker only (no code shared with
 * src/core). Invariant of every Rat: den > 0 and gcd(|num|, den) = 1, so
 * equality is structural and toString() is the canonical text of
 * docs/certificates.md section 2 ("-7/2", "3", "0").
 *
 * Numbers enter only through Rat.parse (text) and Rat.of (bigints): no
 * floating point anywhere.
 *
 * Every operation charges its work to the budget of cost.ts (section 6):
 * products and quotients by the sizes of their operands, reading and
 * writing decimal text by its length, and the gcd that keeps a fraction in
 * lowest terms step by step (Lehmer's steps and Euclid's), so a check whose
 * numbers need more than the budget stops with a C4 rejection.
 */
import { charge, chargeDecimal, chargeProduct, chargeQuotient, chargeSum, words, wordsOfDigits } from './cost.js';

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
    return g === 1n ? new Rat(num, den) : new Rat(quotient(num, g), quotient(den, g));
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
      const den = readDigits(m[3]!);
      if (den === 0n) return undefined;
      const num = readDigits(m[2]);
      return Rat.of(negative ? -num : num, den);
    }
    const whole = m[4] ?? '';
    const fraction = m[5] ?? '';
    if (whole.length + fraction.length === 0) return undefined;
    const digits = readDigits(whole + fraction);
    const shift = (m[6] === undefined ? 0n : BigInt(m[6])) - BigInt(fraction.length);
    const num = negative ? -digits : digits;
    if (shift === 0n) return Rat.of(num);
    // an exponent writes the number out in full (for the hash, for the arithmetic): 10^|shift| is charged as a number of |shift| digits
    const power = powerOfTen(shift >= 0n ? shift : -shift);
    if (shift > 0n) {
      chargeProduct(num, power);
      return Rat.of(num * power);
    }
    return Rat.of(num, power);
  }

  /**
   * a/b + c/d in lowest terms without a gcd of the full-size result
   * (Knuth, TAOCP vol. 2, 4.5.1): with g = gcd(b, d), t = a(d/g) + c(b/g),
   * the sum is (t/h) / ((b/g)(d/h)) where h = gcd(t, g).
   */
  add(o: Rat): Rat {
    chargeSum(this.den, o.den);
    if (this.den === o.den) {
      chargeSum(this.num, o.num);
      return Rat.of(this.num + o.num, this.den);
    }
    const g = gcd(this.den, o.den);
    if (g === 1n) return new Rat(sum(product(this.num, o.den), product(o.num, this.den)), product(this.den, o.den));
    const t = sum(product(this.num, quotient(o.den, g)), product(o.num, quotient(this.den, g)));
    if (t === 0n) return Rat.ZERO;
    const h = gcd(t, g);
    return new Rat(quotient(t, h), product(quotient(this.den, g), quotient(o.den, h)));
  }
  sub(o: Rat): Rat {
    return this.add(o.neg());
  }
  /** (a/b)(c/d) in lowest terms from the cross gcds g = gcd(a, d), h = gcd(c, b) (Knuth, 4.5.1). */
  mul(o: Rat): Rat {
    if (this.num === 0n || o.num === 0n) return Rat.ZERO;
    const g = gcd(this.num, o.den);
    const h = gcd(o.num, this.den);
    return new Rat(product(quotient(this.num, g), quotient(o.num, h)), product(quotient(this.den, h), quotient(o.den, g)));
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
    const l = product(this.num, o.den);
    const r = product(o.num, this.den);
    chargeSum(l, r);
    return l < r ? -1 : l > r ? 1 : 0;
  }
  eq(o: Rat): boolean {
    chargeSum(this.num, o.num);
    return this.num === o.num && this.den === o.den;
  }
  lt(o: Rat): boolean {
    return this.cmp(o) < 0;
  }
  le(o: Rat): boolean {
    return this.cmp(o) <= 0;
  }
  /** Canonical text: "n" or "n/d" with d > 1 (writing it out is charged by its size). */
  toString(): string {
    chargeDecimal(words(this.num) + words(this.den));
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
 * True when a number text has more than `limit` digits (MAX_DIGITS unless
 * told), counting an exponent e as |e| more ("1e99999" is within the
 * default limit, "1e100000" and "1e1000000000" are not). Decided from the
 * text alone: nothing is expanded.
 */
export function overDigitLimit(text: string, limit: number = MAX_DIGITS): boolean {
  const e = /[eE][+-]?0*([0-9]*)$/.exec(text);
  const mantissa = e ? text.slice(0, e.index) : text;
  let digits = 0;
  for (const ch of mantissa) if (ch >= '0' && ch <= '9') digits++;
  if (!e) return digits > limit;
  const exponent = e[1]!;
  // an exponent of 7 or more digits is >= 1,000,000 > MAX_DIGITS
  return exponent.length > 6 || BigInt(digits) + BigInt(exponent === '' ? '0' : exponent) > BigInt(limit);
}

/**
 * gcd(|a|, b) for b > 0, charged step by step. Lehmer's algorithm (Knuth,
 * TAOCP vol. 2, 4.5.2, Algorithm L) while b is large: run Euclid on the
 * leading 62 bits, keeping the cofactor matrix [A B; C D] (determinant +-1)
 * for as long as the quotients are sure to be those of the full numbers,
 * then apply it to (a, b) in one step. A unimodular step keeps the gcd
 * whatever it is, and a step that would not shrink (a, b) is replaced by a
 * plain Euclid step, so the result is right even if the quotient test were
 * wrong; the test only decides the speed (about ten times Euclid's on large
 * random numbers). Plain Euclid finishes, with a subtraction in place of the
 * division when the quotient is 1.
 *
 * Charges (cost.ts): a Lehmer step LEHMER_STEP units plus 2 per hex digit of
 * a (its products and shifts are linear in a; measured about 2 microseconds
 * plus 25 ns a word); Euclid's first step a quotient of a by b (a may still
 * be large), every later step EUCLID_STEP (both numbers are then below
 * 2^128).
 */
function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b === 1n || a === 1n) return 1n;
  if (a < b) [a, b] = [b, a];
  while (b >= LEHMER_FROM) {
    const hex = a.toString(16).length;
    charge(LEHMER_STEP + 2 * hex);
    const shift = BigInt(hex * 4 - 62);
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
  chargeQuotient(a, b);
  while (b !== 0n) {
    charge(EUCLID_STEP);
    let r = a - b;
    if (r >= b) r %= b;
    a = b;
    b = r;
  }
  return a;
}
const LEHMER_FROM = 1n << 128n;
/** Units of one Lehmer step besides its linear part, and of one Euclid step on numbers below 2^128 (measured: about 2 us and 100 ns). */
const LEHMER_STEP = 3000;
const EUCLID_STEP = 150;

/** a * b, charged by the sizes of a and b. */
function product(a: bigint, b: bigint): bigint {
  chargeProduct(a, b);
  return a * b;
}

/** a / b (an exact division here), charged. */
function quotient(a: bigint, b: bigint): bigint {
  chargeQuotient(a, b);
  return a / b;
}

/** a + b, charged. */
function sum(a: bigint, b: bigint): bigint {
  chargeSum(a, b);
  return a + b;
}

/** The integer a string of decimal digits denotes; reading it is charged by its length. */
function readDigits(digits: string): bigint {
  chargeDecimal(wordsOfDigits(digits.length));
  return BigInt(digits);
}

/** 10^e for 1 <= e <= MAX_DIGITS (the digit limit bounds every exponent Rat.parse meets), charged as a number of e digits. */
function powerOfTen(e: bigint): bigint {
  chargeDecimal(wordsOfDigits(smallInteger(e.toString()) ?? MAX_DIGITS));
  return 10n ** e;
}

/**
 * The value of a canonical decimal text "0" or "[1-9][0-9]*" of at most 9
 * digits, computed digit by digit (no number parsing); undefined otherwise.
 */
export function smallInteger(text: string): number | undefined {
  if (!/^(?:0|[1-9][0-9]{0,8})$/.test(text)) return undefined;
  let n = 0;
  for (const ch of text) n = n * 10 + (ch.charCodeAt(0) - 48);
  return n;
}

/** Sum of a list (empty sum is 0). */
export function sumRats(xs: Iterable<Rat>): Rat {
  let s = Rat.ZERO;
  for (const x of xs) s = s.add(x);
  return s;
}
