/**
 * Exact reading of binary numbers, and correctly rounded writing of float64.
 *
 * Arrays from NumPy (.npy), safetensors and ONNX hold IEEE 754 binary floats
 * (binary16, bfloat16, binary32, binary64) and two's-complement integers.
 * Every finite binary float is a dyadic rational m * 2^e; it is decoded from
 * its bits straight into a bigint fraction, never through decimal text or a
 * double operation, so a float32 weight 0.1f reads as 13421773/134217728
 * exactly. NaN and the infinities are returned as their names, for the caller
 * to refuse with the file and index (IEEE 754-2019, section 3.4).
 *
 * The other direction, `toFloat64`, rounds a rational to the nearest float64
 * (ties to even, IEEE 754 roundTiesToEven), computed with bigints; it is used
 * to write ONNX files, and says when the value was not a float64 already.
 */
import { Q } from '../core/rational.js';

/** An element type: IEEE 754 float, signed or unsigned integer, with its size in bytes. */
export interface ElementType {
  kind: 'float' | 'bfloat' | 'int' | 'uint';
  bytes: 1 | 2 | 4 | 8;
}

/** A decoded element: an exact rational, or the name of a non-finite float. */
export type Element = Q | NonFinite;
export type NonFinite = 'NaN' | 'Infinity' | '-Infinity';

/** Exponent and fraction widths of the binary float formats read here. */
const FLOAT_FORMATS: Record<string, { exponent: number; fraction: number }> = {
  float2: { exponent: 5, fraction: 10 }, // IEEE binary16
  bfloat2: { exponent: 8, fraction: 7 }, // bfloat16: the top half of a binary32
  float4: { exponent: 8, fraction: 23 }, // IEEE binary32
  float8: { exponent: 11, fraction: 52 }, // IEEE binary64
};

/** Whether the element type is one this module decodes (8-bit floats and 16-byte floats are not). */
export function isSupported(t: ElementType): boolean {
  return t.kind === 'int' || t.kind === 'uint' ? true : FLOAT_FORMATS[`${t.kind}${t.bytes}`] !== undefined;
}

/**
 * The value of a binary float given its bits as an unsigned integer:
 * (-1)^s * 2^(1 - bias - p) * m for a subnormal, (-1)^s * 2^(E - bias - p) * (2^p + m)
 * otherwise (p fraction bits, bias 2^(w-1) - 1, w exponent bits).
 */
export function decodeFloatBits(bits: bigint, exponentBits: number, fractionBits: number): Element {
  const p = BigInt(fractionBits);
  const fraction = bits & ((1n << p) - 1n);
  const exponent = (bits >> p) & ((1n << BigInt(exponentBits)) - 1n);
  const negative = ((bits >> (p + BigInt(exponentBits))) & 1n) === 1n;
  const maxExponent = (1n << BigInt(exponentBits)) - 1n;
  if (exponent === maxExponent) return fraction !== 0n ? 'NaN' : negative ? '-Infinity' : 'Infinity';
  const bias = (1n << BigInt(exponentBits - 1)) - 1n;
  const significand = exponent === 0n ? fraction : (1n << p) | fraction;
  const shift = (exponent === 0n ? 1n : exponent) - bias - p;
  const magnitude = shift >= 0n ? Q.of(significand << shift) : Q.of(significand, 1n << -shift);
  return negative ? magnitude.neg() : magnitude;
}

/**
 * Decodes `count` elements of type t from bytes (starting at byte 0), little-
 * or big-endian. Throws RangeError for an unsupported type; the caller checks
 * that bytes holds count * t.bytes bytes.
 */
export function decodeElements(bytes: Uint8Array, t: ElementType, count: number, littleEndian: boolean): Element[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Element[] = new Array<Element>(count);
  const float = t.kind === 'float' || t.kind === 'bfloat' ? FLOAT_FORMATS[`${t.kind}${t.bytes}`] : undefined;
  if ((t.kind === 'float' || t.kind === 'bfloat') && float === undefined) throw new RangeError(`unsupported element type ${t.kind}${8 * t.bytes}`);
  for (let i = 0; i < count; i++) {
    const at = i * t.bytes;
    const bits = unsignedAt(view, at, t.bytes, littleEndian);
    if (float) out[i] = decodeFloatBits(bits, float.exponent, float.fraction);
    else if (t.kind === 'uint') out[i] = Q.of(bits);
    else out[i] = Q.of(BigInt.asIntN(8 * t.bytes, bits));
  }
  return out;
}

function unsignedAt(view: DataView, at: number, bytes: number, littleEndian: boolean): bigint {
  switch (bytes) {
    case 1:
      return BigInt(view.getUint8(at));
    case 2:
      return BigInt(view.getUint16(at, littleEndian));
    case 4:
      return BigInt(view.getUint32(at, littleEndian));
    default:
      return view.getBigUint64(at, littleEndian);
  }
}

/** The exact value of a JS number (a float64), e.g. one that protobuf decoded from a float field. */
export function exactOfDouble(x: number): Element {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return decodeFloatBits(view.getBigUint64(0), 11, 52);
}

/** A rational rounded to float64, and whether that changed it. */
export interface Rounded {
  value: number;
  exact: boolean;
}

const P = 53n; // float64 precision (significand bits, with the hidden bit)
const MIN_EXPONENT = -1074n; // exponent of the least subnormal, 2^-1074
const MAX_FINITE_EXPONENT = 971n; // largest float64 is (2^53 - 1) * 2^971

/**
 * The float64 nearest to x, ties to even (roundTiesToEven); `exact` when x is
 * a float64. Values beyond the largest float64 give +-Infinity (exact false).
 * Computed with bigints: x = a/b * 2^e with the quotient scaled to 53 bits.
 */
export function toFloat64(x: Q): Rounded {
  if (x.isZero()) return { value: 0, exact: true };
  const negative = x.sign() < 0;
  const a = negative ? -x.num : x.num;
  const b = x.den;
  // e such that 2^52 <= a / (b * 2^e) < 2^53, or the subnormal exponent when smaller.
  let e = BigInt(bitLength(a) - bitLength(b)) - P;
  const scaled = (exp: bigint): [bigint, bigint, bigint] => {
    const num = exp >= 0n ? a : a << -exp;
    const den = exp >= 0n ? b << exp : b;
    return [num / den, num % den, den];
  };
  let [m, rem, den] = scaled(e);
  if (m >= 1n << P) [m, rem, den] = scaled(++e);
  else if (m < 1n << (P - 1n)) [m, rem, den] = scaled(--e);
  if (e < MIN_EXPONENT) {
    e = MIN_EXPONENT;
    [m, rem, den] = scaled(e);
  }
  const exact = rem === 0n;
  if (2n * rem > den || (2n * rem === den && (m & 1n) === 1n)) m += 1n;
  if (m === 1n << P) {
    m >>= 1n;
    e += 1n;
  }
  if (e > MAX_FINITE_EXPONENT) return { value: negative ? -Infinity : Infinity, exact: false };
  // m < 2^53 and 2^e are both float64 numbers and so is their product: no rounding here.
  const value = Number(m) * 2 ** Number(e);
  return { value: negative ? -value : value, exact };
}

function bitLength(v: bigint): number {
  return v.toString(2).length;
}
