/**
 * Exact rationals on bigint.
 *
 * Invariant of every Q: den > 0 and gcd(|num|, den) = 1, so equality is
 * structural and `toString()` is canonical ("-7/2", "3", "0").
 * No floating point ever enters: `parseRational` reads integers, fractions,
 * finite decimals and scientific notation from text exactly, and `fromNumber`
 * is only for integers.
 */

export class Q {
  readonly num: bigint;
  readonly den: bigint;

  private constructor(num: bigint, den: bigint) {
    this.num = num;
    this.den = den;
  }

  /** Builds num/den in lowest terms; throws RangeError when den = 0. */
  static of(num: bigint | number, den: bigint | number = 1n): Q {
    let n = typeof num === 'bigint' ? num : BigInt(checkInteger(num));
    let d = typeof den === 'bigint' ? den : BigInt(checkInteger(den));
    if (d === 0n) throw new RangeError('rational with zero denominator');
    if (d < 0n) {
      n = -n;
      d = -d;
    }
    const g = gcd(n < 0n ? -n : n, d);
    return g === 1n ? new Q(n, d) : new Q(n / g, d / g);
  }

  static readonly ZERO = new Q(0n, 1n);
  static readonly ONE = new Q(1n, 1n);
  static readonly MINUS_ONE = new Q(-1n, 1n);

  add(o: Q): Q {
    if (this.den === o.den) return Q.of(this.num + o.num, this.den);
    return Q.of(this.num * o.den + o.num * this.den, this.den * o.den);
  }
  sub(o: Q): Q {
    if (this.den === o.den) return Q.of(this.num - o.num, this.den);
    return Q.of(this.num * o.den - o.num * this.den, this.den * o.den);
  }
  mul(o: Q): Q {
    if (this.num === 0n || o.num === 0n) return Q.ZERO;
    return Q.of(this.num * o.num, this.den * o.den);
  }
  div(o: Q): Q {
    if (o.num === 0n) throw new RangeError('division by zero');
    return Q.of(this.num * o.den, this.den * o.num);
  }
  neg(): Q {
    return new Q(-this.num, this.den);
  }
  abs(): Q {
    return this.num < 0n ? new Q(-this.num, this.den) : this;
  }
  inv(): Q {
    return Q.ONE.div(this);
  }
  /** -1, 0 or 1. */
  sign(): -1 | 0 | 1 {
    return this.num < 0n ? -1 : this.num > 0n ? 1 : 0;
  }
  isZero(): boolean {
    return this.num === 0n;
  }
  isInteger(): boolean {
    return this.den === 1n;
  }
  cmp(o: Q): -1 | 0 | 1 {
    const l = this.num * o.den;
    const r = o.num * this.den;
    return l < r ? -1 : l > r ? 1 : 0;
  }
  eq(o: Q): boolean {
    return this.num === o.num && this.den === o.den;
  }
  lt(o: Q): boolean {
    return this.cmp(o) < 0;
  }
  le(o: Q): boolean {
    return this.cmp(o) <= 0;
  }
  gt(o: Q): boolean {
    return this.cmp(o) > 0;
  }
  ge(o: Q): boolean {
    return this.cmp(o) >= 0;
  }
  /** Largest integer <= this. */
  floor(): bigint {
    const q = this.num / this.den;
    return this.num < 0n && q * this.den !== this.num ? q - 1n : q;
  }
  /** Canonical text: "n" or "n/d". */
  toString(): string {
    return this.den === 1n ? this.num.toString() : `${this.num}/${this.den}`;
  }
  toJSON(): string {
    return this.toString();
  }
  /**
   * The nearest double, about (for display and for guiding floating-point
   * searches only, never for decisions). Correct for every magnitude: num
   * and den may each be far beyond 2^1024; the result is +-Infinity only
   * when the value itself is, and 0 only when it is below the subnormals.
   */
  toNumber(): number {
    const n = this.num < 0n ? -this.num : this.num;
    if (n <= MAX_EXACT && this.den <= MAX_EXACT) return Number(this.num) / Number(this.den);
    // 64 significant bits of n / den, then the power of two
    const shift = 64 - (bitLength(n) - bitLength(this.den));
    const m = Number(shift >= 0 ? (n << BigInt(shift)) / this.den : n / (this.den << BigInt(-shift)));
    // scale by 2^-shift in two steps, so that no intermediate power overflows or underflows
    const half = Math.trunc(-shift / 2);
    const x = m * 2 ** half * 2 ** (-shift - half);
    return this.num < 0n ? -x : x;
  }

  static min(a: Q, b: Q): Q {
    return a.le(b) ? a : b;
  }
  static max(a: Q, b: Q): Q {
    return a.ge(b) ? a : b;
  }
  static sum(xs: Iterable<Q>): Q {
    let s = Q.ZERO;
    for (const x of xs) s = s.add(x);
    return s;
  }
}

/** 2^53: integers up to this convert to doubles exactly. */
const MAX_EXACT = 1n << 53n;

/** Number of bits of a positive bigint. */
function bitLength(x: bigint): number {
  const hex = x.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0]!, 16)));
}

function checkInteger(x: number): number {
  if (!Number.isSafeInteger(x)) throw new RangeError(`not a safe integer: ${x}`);
  return x;
}

export function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
}

/** The least common multiple of two positive integers (denominators). */
export function lcm(a: bigint, b: bigint): bigint {
  return (a / gcd(a, b)) * b;
}

/**
 * x as a finite decimal text ("-0.125", "3") when its denominator has no prime
 * factor other than 2 and 5, else undefined. Exact: no floating point.
 */
export function finiteDecimal(x: Q): string | undefined {
  if (x.den === 1n) return x.num.toString();
  let d = x.den;
  let twos = 0n;
  let fives = 0n;
  while (d % 2n === 0n) {
    d /= 2n;
    twos++;
  }
  while (d % 5n === 0n) {
    d /= 5n;
    fives++;
  }
  if (d !== 1n) return undefined;
  const e = twos > fives ? twos : fives;
  const scaled = (x.num * 10n ** e) / x.den;
  const neg = scaled < 0n;
  const s = (neg ? -scaled : scaled).toString().padStart(Number(e) + 1, '0');
  return `${neg ? '-' : ''}${s.slice(0, s.length - Number(e))}.${s.slice(s.length - Number(e))}`;
}

/** A fraction "p/q" (groups 1, 2), or a decimal with optional point and exponent (groups 3 sign, 4 digits, 5 fraction digits, 6 exponent). */
const FRACTION = /^([+-]?\d+)\/(\d+)$/;
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** docs/formats.md, Limits: a number has at most this many digits, an exponent e counting as |e| digits. */
export const MAX_NUMBER_DIGITS = 100_000;

/**
 * The number of digits a number text stands for: its digits plus the
 * absolute value of its exponent; Infinity for an exponent of 7 or more
 * digits. Read from the text alone (nothing is expanded), so "1e1000000000"
 * costs nothing to refuse.
 */
export function numberDigits(text: string): number {
  const [mantissa = '', exponent] = text.split(/[eE]/);
  const digits = mantissa.replace(/\D/g, '').length;
  if (exponent === undefined) return digits;
  const e = exponent.replace(/^[+-]?0*/, '');
  return e.length > 6 ? Infinity : digits + Number(e || '0');
}

/**
 * Reads an exact rational from text: "-3", "7/2", "0.125" (= 1/8), "1e-3"
 * (= 1/1000), "-2.5E+2" (= -250), or from a JSON number that is a safe
 * integer. Returns undefined for anything else (floats, "1/0", "1/2e3",
 * empty strings) and for numbers of more than MAX_NUMBER_DIGITS digits, so
 * callers can name the field.
 */
export function parseRational(v: unknown): Q | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? Q.of(v) : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (numberDigits(s) > MAX_NUMBER_DIGITS) return undefined;
  const f = FRACTION.exec(s);
  if (f) {
    const d = BigInt(f[2]!);
    return d === 0n ? undefined : Q.of(BigInt(f[1]!), d);
  }
  const m = DECIMAL.exec(s);
  if (!m) return undefined;
  const [, sign, whole = '', frac = '', exponent] = m;
  if (whole.length + frac.length === 0) return undefined;
  const digits = BigInt(whole + frac) * (sign === '-' ? -1n : 1n);
  const shift = BigInt(exponent ?? '0') - BigInt(frac.length);
  return shift >= 0n ? Q.of(digits * 10n ** shift) : Q.of(digits, 10n ** -shift);
}

/**
 * The exact value of a finite double: a dyadic rational m * 2^e. For
 * measuring how far a float point (another solver's answer) is from exact
 * constraints, never for deciding. Throws RangeError on NaN and infinities.
 */
export function exactDouble(x: number): Q {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite double: ${x}`);
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const e = (biased === 0 ? 1 : biased) - 1075; // x = mantissa * 2^e
  const m = negative ? -mantissa : mantissa;
  return e >= 0 ? Q.of(m << BigInt(e)) : Q.of(m, 1n << BigInt(-e));
}

/**
 * A rational close to x with denominator at most maxDen (continued fractions).
 * Used only to turn floating-point guesses into exact candidates, which are
 * then checked exactly.
 */
export function approximate(x: number, maxDen: bigint = 1_000_000n): Q {
  if (!Number.isFinite(x)) throw new RangeError(`cannot approximate ${x}`);
  const neg = x < 0;
  let v = Math.abs(x);
  let [p0, q0, p1, q1] = [0n, 1n, 1n, 0n];
  for (let iter = 0; iter < 64; iter++) {
    const a = Math.floor(v);
    const ab = BigInt(a);
    const p2 = ab * p1 + p0;
    const q2 = ab * q1 + q0;
    if (q2 > maxDen) break;
    [p0, q0, p1, q1] = [p1, q1, p2, q2];
    const frac = v - a;
    if (frac < 1e-12) break;
    v = 1 / frac;
    if (!Number.isFinite(v)) break;
  }
  if (q1 === 0n) return Q.of(neg ? -BigInt(Math.round(x)) : BigInt(Math.round(x)));
  return Q.of(neg ? -p1 : p1, q1);
}
