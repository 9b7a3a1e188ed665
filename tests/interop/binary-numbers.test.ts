import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Q } from '../../src/core/rational.js';
import { decodeElements, decodeFloatBits, exactOfDouble, toFloat64 } from '../../src/interop/binary-numbers.js';

/**
 * An independent oracle for the exact value of a finite double: doubling is
 * exact in binary floating point as long as it does not overflow, and a
 * non-integer double is below 2^52, so it becomes an integer long before that.
 */
function oracle(x: number): Q {
  let k = 0;
  let v = x;
  while (!Number.isInteger(v)) {
    v *= 2;
    k++;
  }
  return Q.of(BigInt(v), 1n << BigInt(k));
}

const bytesOf = (write: (v: DataView) => void, n: number): Uint8Array => {
  const b = new Uint8Array(n);
  write(new DataView(b.buffer));
  return b;
};

describe('decoding IEEE 754 bits exactly', () => {
  it('every finite double decodes to its exact dyadic value', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(exactOfDouble(x)).toEqual(oracle(x));
      }),
      { numRuns: 300 },
    );
  });
  it('float32 bits decode to the same value as the double they widen to', () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const b = bytesOf((v) => v.setFloat32(0, x, true), 4);
        const [e] = decodeElements(b, { kind: 'float', bytes: 4 }, 1, true);
        expect(e).toEqual(oracle(Math.fround(x)));
      }),
      { numRuns: 300 },
    );
  });
  it('0.1 as float32 and float64 are dyadic, not 1/10', () => {
    expect(String(exactOfDouble(Math.fround(0.1)))).toBe('13421773/134217728');
    expect(String(exactOfDouble(0.1))).toBe('3602879701896397/36028797018963968');
  });
  it('float16 and bfloat16 by their bits', () => {
    const half: [number, string][] = [
      [0x3c00, '1'],
      [0xc000, '-2'],
      [0x7bff, '65504'],
      [0x0001, '1/16777216'], // least subnormal 2^-24
      [0x0400, '1/16384'], // least normal 2^-14
      [0x3555, '1365/4096'], // nearest to 1/3
      [0x8000, '0'],
    ];
    for (const [bits, value] of half) expect(String(decodeFloatBits(BigInt(bits), 5, 10))).toBe(value);
    expect(decodeFloatBits(0x7c00n, 5, 10)).toBe('Infinity');
    expect(decodeFloatBits(0xfc00n, 5, 10)).toBe('-Infinity');
    expect(decodeFloatBits(0x7e00n, 5, 10)).toBe('NaN');
    expect(String(decodeFloatBits(0x3f80n, 8, 7))).toBe('1');
    expect(String(decodeFloatBits(0x4049n, 8, 7))).toBe('201/64'); // 3.140625
  });
  it('NaN and the infinities of float64 are named', () => {
    expect(exactOfDouble(NaN)).toBe('NaN');
    expect(exactOfDouble(Infinity)).toBe('Infinity');
    expect(exactOfDouble(-Infinity)).toBe('-Infinity');
  });
  it("integers in two's complement, either byte order", () => {
    const b = Uint8Array.from([0xff, 0xfe]);
    expect(decodeElements(b, { kind: 'int', bytes: 1 }, 2, true).map(String)).toEqual(['-1', '-2']);
    expect(decodeElements(b, { kind: 'uint', bytes: 2 }, 1, true).map(String)).toEqual(['65279']);
    expect(decodeElements(b, { kind: 'uint', bytes: 2 }, 1, false).map(String)).toEqual(['65534']);
    const max = bytesOf((v) => v.setBigUint64(0, 2n ** 64n - 1n, true), 8);
    expect(decodeElements(max, { kind: 'uint', bytes: 8 }, 1, true).map(String)).toEqual(['18446744073709551615']);
    expect(decodeElements(max, { kind: 'int', bytes: 8 }, 1, true).map(String)).toEqual(['-1']);
  });
  it('big-endian float64', () => {
    const b = bytesOf((v) => v.setFloat64(0, -1.5, false), 8);
    expect(decodeElements(b, { kind: 'float', bytes: 8 }, 1, false).map(String)).toEqual(['-3/2']);
  });
});

describe('rounding a rational to float64', () => {
  const safe = fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 });
  it('agrees with IEEE division of exact operands (correctly rounded, ties to even)', () => {
    fc.assert(
      fc.property(
        safe,
        safe.filter((d) => d !== 0),
        (n, d) => {
          const r = toFloat64(Q.of(n, d));
          // a rational has no sign of zero: 0/-1 is the double +0, where IEEE division gives -0
          expect(r.value).toBe(n === 0 ? 0 : n / d);
          expect(r.exact).toBe((exactOfDouble(r.value) as Q).eq(Q.of(n, d)));
        },
      ),
      { numRuns: 500 },
    );
  });
  it('every double rounds to itself, exactly', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const r = toFloat64(exactOfDouble(x) as Q);
        expect(r.exact).toBe(true);
        expect(Object.is(r.value, x === 0 ? 0 : x)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
  it('huge numerators and denominators (beyond 2^1024) round correctly', () => {
    const third = Q.of(10n ** 400n, 3n * 10n ** 400n);
    expect(toFloat64(third)).toEqual({ value: 1 / 3, exact: false });
    expect(toFloat64(Q.of(10n ** 400n))).toEqual({ value: Infinity, exact: false });
    expect(toFloat64(Q.of(-(10n ** 400n)))).toEqual({ value: -Infinity, exact: false });
    expect(toFloat64(Q.of(1n, 10n ** 400n))).toEqual({ value: 0, exact: false });
  });
  it('subnormals, and ties to even at the bottom', () => {
    expect(toFloat64(Q.of(1n, 1n << 1074n))).toEqual({ value: 5e-324, exact: true });
    expect(toFloat64(Q.of(1n, 1n << 1075n))).toEqual({ value: 0, exact: false }); // tie: 0 is even
    expect(toFloat64(Q.of(3n, 1n << 1075n))).toEqual({ value: 1e-323, exact: false }); // tie 1.5 ulp -> 2 ulp
    expect(toFloat64(Q.of(3n, 1n << 1076n))).toEqual({ value: 5e-324, exact: false });
  });
  it('ties to even among normal numbers, and the largest double', () => {
    const one = Q.ONE;
    const ulp = Q.of(1n, 1n << 52n);
    expect(toFloat64(one.add(ulp.mul(Q.of(1, 2)))).value).toBe(1); // halfway, 1 is even
    expect(toFloat64(one.add(ulp.mul(Q.of(3, 2)))).value).toBe(1 + 2 * 2 ** -52); // halfway, rounds up to even
    const max = Q.of((2n ** 53n - 1n) << 971n);
    expect(toFloat64(max)).toEqual({ value: Number.MAX_VALUE, exact: true });
    expect(toFloat64(max.add(Q.of(1n << 969n))).value).toBe(Number.MAX_VALUE); // below the halfway point
    expect(toFloat64(max.add(Q.of(1n << 970n))).value).toBe(Infinity); // halfway to 2^1024: ties to even overflow
  });
});
