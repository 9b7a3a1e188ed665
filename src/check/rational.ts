/**
 * Exact rationals on bigint, for the checker only (no code shared with
 * src/core). Invariant of every Rat: den > 0 and gcd(|num|, den) = 1, so
 * equality is structural and toString() is the canonical text of
 * docs/certificates.md section 2 ("-7/2", "3", "0").
 *
 * Numbers enter only through Rat.parse (text) and Rat.of (bigints): no
 * floating point anywhere.
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
    const g = gcd(num < 0n ? -num : num, den);
    return g === 1n ? new Rat(num, den) : new Rat(num / g, den / g);
  }

  /**
   * Reads the number text of docs/formats.md exactly: an integer "-3" or "+3",
   * a fraction "7/2" (denominator > 0), or a finite decimal "0.125", ".5",
   * "2.". No whitespace, no exponent. Returns undefined for anything else.
   */
  static parse(text: string): Rat | undefined {
    if (INTEGER.test(text)) return Rat.of(BigInt(text));
    const f = FRACTION.exec(text);
    if (f) {
      const den = BigInt(f[2]!);
      return den === 0n ? undefined : Rat.of(BigInt(f[1]!), den);
    }
    const m = DECIMAL.exec(text);
    if (m && (m[2]! + m[3]!).length > 0) {
      const digits = BigInt((m[2]! + m[3]!) || '0');
      return Rat.of(m[1] === '-' ? -digits : digits, 10n ** BigInt(m[3]!.length));
    }
    return undefined;
  }

  add(o: Rat): Rat {
    return Rat.of(this.num * o.den + o.num * this.den, this.den * o.den);
  }
  sub(o: Rat): Rat {
    return Rat.of(this.num * o.den - o.num * this.den, this.den * o.den);
  }
  mul(o: Rat): Rat {
    return Rat.of(this.num * o.num, this.den * o.den);
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

const INTEGER = /^[+-]?[0-9]+$/;
const FRACTION = /^([+-]?[0-9]+)\/([0-9]+)$/;
const DECIMAL = /^([+-]?)([0-9]*)\.([0-9]*)$/;

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** Sum of a list (empty sum is 0). */
export function sumRats(xs: Iterable<Rat>): Rat {
  let s = Rat.ZERO;
  for (const x of xs) s = s.add(x);
  return s;
}
