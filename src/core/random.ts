/**
 * A seeded pseudo-random generator (xoshiro128**, Blackman and Vigna 2018,
 * seeded by splitmix32): deterministic runs of the float fit, the teacher,
 * subspace sampling and the share-protocol simulation. Never decides an
 * answer.
 */
/** xoshiro128** with a splitmix32 seeding; 32-bit outputs. */
export class SeededRandom {
  private s: Uint32Array;
  constructor(seed: number) {
    this.s = new Uint32Array(4);
    let z = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      z = (z + 0x9e3779b9) >>> 0;
      let t = z;
      t = Math.imul(t ^ (t >>> 16), 0x85ebca6b) >>> 0;
      t = Math.imul(t ^ (t >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (t ^ (t >>> 16)) >>> 0;
    }
  }
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2] = (s[2]! ^ s[0]!) >>> 0;
    s[3] = (s[3]! ^ s[1]!) >>> 0;
    s[1] = (s[1]! ^ s[2]) >>> 0;
    s[0] = (s[0]! ^ s[3]) >>> 0;
    s[2] = (s[2] ^ t) >>> 0;
    s[3] = rotl(s[3], 11);
    return result;
  }
  /** Uniform on {0, ..., n-1} for 1 <= n <= 2^32, by rejection (no modulo bias). */
  below(n: bigint): bigint {
    const N = Number(n);
    const limit = Math.floor(4294967296 / N) * N;
    for (;;) {
      const v = this.nextUint32();
      if (v < limit) return BigInt(v % N);
    }
  }
  /** Uniform float in [0, 1), for test data only. */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
