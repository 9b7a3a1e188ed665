/**
 * The checker's cost model (src/check/cost.ts, docs/certificates.md section
 * 6): the size of a number, the exact charge of each operation, the budget
 * of `metered`; the hostile shapes of section 6's table in small versions,
 * their cost counted (never timed); the property that the budget is exact
 * (the least limit under which a check answers is the work it reports) on
 * random hostile shapes; and the reproducers of tests/cases, each answered
 * as documented within the default limits.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COST, WORK_LIMIT, add, charge, chargeDecimal, div, metered, mul, words, wordsOfDigits } from '../../src/check/cost.js';
import { type CheckOutcome, DEFAULT_LIMITS, checkCertificate, limitsBySize } from '../../src/check/index.js';
import { Rat } from '../../src/check/rational.js';
import { CASES } from '../paths.js';
import * as hostile from './hostile.js';

/** The units `work` spends (no limit). */
function spent(work: () => unknown): number {
  let units = 0;
  metered(work, Number.MAX_SAFE_INTEGER, (u) => (units = u));
  return units;
}

/** Checks a hostile certificate in-process with these limits (the default ones of relucert check unless told). */
function checkHostile(h: hostile.Hostile, work: number = DEFAULT_LIMITS.work): CheckOutcome {
  return checkCertificate(h.text, 'hostile.json', { kind: h.kind, limits: { maxBytes: DEFAULT_LIMITS.maxBytes, work } });
}

/** The work of a check (valid or rejected). */
function workOf(o: CheckOutcome): number {
  if (o.status === 'bad-input') expect.fail(`bad input: ${o.message}`);
  return o.work;
}

const W = 1n << 64n;

describe('words: the size in 64-bit words, rounded up to a power of two', () => {
  it.each<[string, bigint, number]>([
    ['0', 0n, 1],
    ['2^64 - 1', W - 1n, 1],
    ['-(2^64 - 1)', 1n - W, 1],
    ['2^64', W, 2],
    ['-2^64', -W, 2],
    ['2^128 - 1', W * W - 1n, 2],
    ['2^128', W * W, 4],
    ['2^256 - 1', (1n << 256n) - 1n, 4],
    ['2^256', 1n << 256n, 8],
    ['-2^256', -(1n << 256n), 8],
    ['2^(64 * 300)', 1n << (64n * 300n), 512],
    ['10^100000 (5,191 words)', 10n ** 100000n, 8192],
  ])('%s', (_name, x, w) => {
    expect(words(x)).toBe(w);
  });
  it('is at least the exact size and less than twice it', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 5000n), max: 1n << 5000n }), (x) => {
        const exact = x === 0n ? 1 : ((x < 0n ? -x : x).toString(16).length + 15) >> 4;
        expect(words(x)).toBeGreaterThanOrEqual(exact);
        expect(words(x)).toBeLessThan(2 * exact);
      }),
      { numRuns: 200 },
    );
  });
  it('wordsOfDigits: 10/193 words a digit, rounded up', () => {
    expect([0, 1, 19, 20, 193, 100_000].map(wordsOfDigits)).toEqual([0, 1, 1, 2, 10, 5182]);
  });
});

describe('the charge of each operation (exact units)', () => {
  const big = 1n << 200n; // 4 words
  it.each<[string, () => unknown, number]>([
    ['a product: (wa + 4)(wb + 4) + 64', () => mul(big, 3n), 8 * 5 + 64],
    ['a product of small numbers', () => mul(3n, 5n), 5 * 5 + 64],
    ['a quotient: 3 (wa + 4)(wb + 4) + 64', () => div(big, 3n), 3 * 8 * 5 + 64],
    ['a sum: 2 (wa + wb) + 64', () => add(big, big), 2 * 8 + 64],
    ['writing out a number of w words: 5 (w + 4)^2', () => chargeDecimal(10), 5 * 14 * 14],
    ['a plain charge', () => charge(123), 123],
  ])('%s', (_name, work, units) => {
    expect(spent(work)).toBe(units);
  });
  it('results are those of plain bigint arithmetic', () => {
    fc.assert(
      fc.property(fc.bigInt(), fc.bigInt(), (a, b) => {
        expect(mul(a, b)).toBe(a * b);
        expect(add(a, b)).toBe(a + b);
        if (b !== 0n) expect(div(a, b)).toBe(a / b);
      }),
    );
  });
  it('reading a number is charged by its length, and an exponent as a number of that many digits', () => {
    // "1e1000": the digit "1" (1 word: 5 * 5^2 = 125), then 10^1000 (52 words: 5 * 56^2 = 15680), then its product by 1: (1 + 4)(64 + 4) + 64
    expect(spent(() => Rat.parse('1e1000'))).toBe(125 + 15_680 + 5 * 68 + 64);
    // a longer exponent costs more, quadratically
    expect(spent(() => Rat.parse('1e4000'))).toBeGreaterThan(12 * spent(() => Rat.parse('1e1000')));
    // a number past the digit limit is refused from its text: nothing is charged
    expect(spent(() => Rat.parse('1e100000'))).toBe(0);
  });
  it('a gcd is charged step by step: 150 units a Euclid step below 2^128, so consecutive Fibonacci numbers (the most steps) cost the most', () => {
    /** The steps of Euclid's algorithm on (a, b), a > b > 0. */
    const steps = (a: bigint, b: bigint): number => {
      let n = 0;
      for (; b !== 0n; n++) [a, b] = [b, a % b];
      return n;
    };
    let [a, b] = [0n, 1n];
    for (let i = 0; i < 80; i++) [a, b] = [b, a + b];
    // both pairs coprime, below 2^64: the same charges but for the steps
    expect(steps(b, a)).toBe(79);
    expect(spent(() => Rat.of(b, a)) - spent(() => Rat.of(b, 5n))).toBe((steps(b, a) - steps(b, 5n)) * 150);
  });
});

describe('metered: one budget, exact', () => {
  it('stops past the limit, reports the units spent, and charges nothing outside a run', () => {
    let units = 0;
    expect(
      metered(
        () => charge(10),
        10,
        (u) => (units = u),
      ),
    ).toBeUndefined();
    expect(units).toBe(10);
    expect(
      metered(
        () => charge(11),
        10,
        (u) => (units = u),
      ),
    ).toBe('work-limit');
    expect(units).toBe(11);
    expect(metered(() => [charge(4), charge(6)], 10)).toEqual([undefined, undefined]);
    expect(metered(() => [charge(4), charge(7)], 10)).toBe('work-limit');
    expect(charge(10 ** 15)).toBeUndefined();
    expect(metered(() => 'done', 0)).toBe('done');
    expect(WORK_LIMIT).toBe(DEFAULT_LIMITS.work);
  });
  it('restores itself after a run, a limit reached or an exception; a nested run shares the outer budget', () => {
    expect(metered(() => charge(1), 0)).toBe('work-limit');
    expect(() =>
      metered(() => {
        throw new TypeError('a bug');
      }, 5),
    ).toThrow(TypeError);
    expect(metered(() => charge(5), 5)).toBeUndefined();
    expect(metered(() => metered(() => charge(3), 100), 2)).toBe('work-limit');
    expect(metered(() => metered(() => charge(2), 0), 2)).toBeUndefined();
  });
  it('limits by size: the defaults up to 10 MiB, then the default work per 10 MiB begun', () => {
    const M = DEFAULT_LIMITS.maxBytes;
    expect(limitsBySize(0)).toEqual(DEFAULT_LIMITS);
    expect(limitsBySize(M)).toEqual(DEFAULT_LIMITS);
    expect(limitsBySize(M + 1)).toEqual({ maxBytes: 2 * M, work: 2 * DEFAULT_LIMITS.work });
    expect(limitsBySize(3 * M)).toEqual({ maxBytes: 4 * M, work: 4 * DEFAULT_LIMITS.work });
  });
});

describe('the documented bound (docs/certificates.md section 6) is the one the checker applies', () => {
  const section6 = /## 6\. Limits\n([\s\S]*?)\n## 7\./.exec(readFileSync('docs/certificates.md', 'utf8'))![1]!;
  it('10 MiB and 6,000,000,000 units by default, the charges of its table those of cost.ts', () => {
    expect(section6.replace(/\s+/g, ' ')).toContain('any certificate of up to 10 MiB is accepted or refused within 10 seconds and 1 GB');
    expect(section6).toMatch(/over 10 MiB \(10,485,760 bytes\)/);
    expect(DEFAULT_LIMITS.maxBytes).toBe(10_485_760);
    expect(section6).toMatch(/at most 6,000,000,000 units/);
    expect(DEFAULT_LIMITS.work).toBe(6_000_000_000);
    const row = (what: string): string => new RegExp(`\\| ${what}[^|]*\\| ([^|]+) \\|`).exec(section6)![1]!.trim();
    expect(row('a product of integers')).toBe('(a + 4)(b + 4) + 64');
    expect(row('a quotient or remainder')).toBe('3 (a + 4)(b + 4) + 64');
    expect(row('a sum, difference or comparison')).toBe('2 (a + b) + 64');
    expect(row('reading a decimal number')).toBe('5 (w + 4)^2');
    expect(row('a node of a proof or region tree')).toBe(String(COST.node));
    expect(row('a lookup or insertion')).toBe(String(COST.lookup));
    expect(row('a coefficient of a row')).toBe(String(COST.coefficient));
  });
});

describe('the hostile shapes of section 6, small, their cost counted', () => {
  it('lemma names: one lookup each, so the repeat check is linear (R-lemmas-150k: 47 s before, a quadratic scan)', () => {
    const base = workOf(checkHostile(hostile.lemmaNames(0)));
    for (const n of [10_000, 40_000]) {
      const o = checkHostile(hostile.lemmaNames(n));
      expect(o).toMatchObject({ status: 'rejected', rule: 'P1', path: 'proof.lemmas' });
      expect(workOf(o) - base).toBe(n * COST.lookup);
    }
  });
  it('lex leaves over many points: the identity map of the points is built once and charged once (built per leaf, uncharged, before)', () => {
    const work = (n: number, depth: number, leaf: 'lex' | 'farkas' = 'lex'): number => {
      const o = checkHostile(hostile.lexLeaves(n, depth, leaf));
      expect(o, JSON.stringify(o)).toMatchObject({ status: 'valid' });
      return workOf(o);
    };
    // 64 lex leaves cost the same more than one, whatever the number of points
    expect(work(20_000, 6) - work(20_000, 0)).toBe(work(2_000, 6) - work(2_000, 0));
    // the identity map is charged once: a lookup per point, over the same tree with a Farkas leaf
    expect(work(20_000, 0) - work(20_000, 0, 'farkas') - (work(2_000, 0) - work(2_000, 0, 'farkas'))).toBe(18_000 * COST.lookup);
  });
  it('a lemma assuming many literals: each read, put on the path and looked up once (a quadratic scan before)', () => {
    const small = checkHostile(hostile.lemmaAssumptions(6400));
    const large = checkHostile(hostile.lemmaAssumptions(25_600));
    expect(small).toMatchObject({ status: 'rejected', rule: 'F4' });
    expect(large).toMatchObject({ status: 'rejected', rule: 'F4' });
    // four times the literals (and points), at most about four times the work
    expect(workOf(large)).toBeLessThan(4.4 * workOf(small));
  });
  it('a witness with long weights: products charged by digits times digits (R-witness-dos: 61 s before, products free)', () => {
    const short = checkHostile(hostile.witnessDigits(2000, 50));
    const long = checkHostile(hostile.witnessDigits(4000, 50));
    expect(short).toMatchObject({ status: 'valid' });
    expect(long).toMatchObject({ status: 'valid' });
    // twice the digits: the products of weights (128 and 256 words) cost about (260 / 132)^2 = 3.9 times as much (twice, were they linear)
    expect(workOf(long)).toBeGreaterThan(3 * workOf(short));
    // and a limit below that work refuses it under C4
    expect(checkHostile(hostile.witnessDigits(4000, 50), workOf(short))).toMatchObject({ status: 'rejected', rule: 'C4' });
  });
  it('one leaf naming many rows: every coefficient built is charged (51 s and 3 GB before, none charged)', () => {
    const o = checkHostile(hostile.rowConstruction(8, 20, 100));
    expect(o).toMatchObject({ status: 'rejected', rule: 'F3' });
    // 160 rows zh:j:i, each with d + 2 = 102 coefficients
    expect(workOf(o)).toBeGreaterThan(160 * 102 * COST.coefficient);
    expect(checkHostile(hostile.rowConstruction(8, 20, 100), 160 * 102 * COST.coefficient)).toMatchObject({ status: 'rejected', rule: 'C4' });
  });
  it('a chain of splits: every node costs the same at any depth (quadratic before)', () => {
    const a = workOf(checkHostile(hostile.splitChain(4000)));
    const b = workOf(checkHostile(hostile.splitChain(8000)));
    expect(b).toBeLessThan(2.1 * a);
    expect(checkHostile(hostile.splitChain(8000))).toMatchObject({ status: 'rejected', rule: 'F4' });
  });
  it('multipliers that are fractions of many digits: their arithmetic is charged by their sizes', () => {
    const short = checkHostile(hostile.bigFractions(1500));
    const long = checkHostile(hostile.bigFractions(3000));
    expect(short).toMatchObject({ status: 'valid' });
    expect(long).toMatchObject({ status: 'valid' });
    // twice the digits: more than twice the work (products and quotients of two long numbers)
    expect(workOf(long)).toBeGreaterThan(2.5 * workOf(short));
  });
  it('a region certificate with long weights: products charged by size (79 s before, multiply-adds counted)', () => {
    const short = checkHostile(hostile.regionBigWeights(2000, 20));
    const long = checkHostile(hostile.regionBigWeights(4000, 20));
    expect(short).toMatchObject({ status: 'rejected', rule: 'R8' });
    expect(workOf(long)).toBeGreaterThan(3 * workOf(short));
  });
  it('nested splits over many inputs with malformed high children: no box per pending child, the malformed child found (2.6 GB before)', () => {
    const o = checkHostile(hostile.regionDeep(2000, 100));
    expect(o).toMatchObject({ status: 'rejected', rule: 'R7', expected: 'a node {"kind": "split", ...} or {"kind": "leaf"}', got: '"malformed"' });
    expect((o as { path: string }).path).toBe('tree' + '.low'.repeat(1999) + '.high');
    // twice the inputs: the work grows by reading them and one leaf's arithmetic, not by copying boxes
    const wide = checkHostile(hostile.regionDeep(2000, 200));
    expect(workOf(wide)).toBeLessThan(1.3 * workOf(o));
  });
  it('a region certificate with many outputs: the argmax class of a box in linear time, each comparison charged', () => {
    const few = checkHostile(hostile.regionManyOutputs(500, 10));
    const many = checkHostile(hostile.regionManyOutputs(1000, 10));
    expect(few).toMatchObject({ status: 'valid' });
    expect(many).toMatchObject({ status: 'valid' });
    expect(workOf(many)).toBeLessThan(2.2 * workOf(few));
    expect(workOf(many)).toBeGreaterThan(1.8 * workOf(few));
  });
  it('Gram: 2,000 coordinates "1e99999" refused from their text, before anything is read or hashed (41 s and 965 MB before)', () => {
    const o = checkHostile(hostile.gramExponents(2000));
    expect(o).toMatchObject({
      status: 'rejected',
      rule: 'G2',
      path: 'instance.points[0][0]',
      expected: 'a coordinate of at most 1000 digits (section 4)',
      got: 'more',
    });
    expect(workOf(o)).toBe(0);
  });
  it('Gram: the elimination is charged by its products', () => {
    const small = checkHostile(hostile.gramElimination(20, 3, 20, 2, 4));
    const large = checkHostile(hostile.gramElimination(40, 3, 20, 2, 4));
    expect(small.status).not.toBe('bad-input');
    // twice the points: four times the entries
    expect(workOf(large)).toBeGreaterThan(3 * workOf(small));
  });
});

/** A random hostile shape, small. */
const shapes: fc.Arbitrary<hostile.Hostile> = fc.oneof(
  fc.integer({ min: 0, max: 3000 }).map(hostile.lemmaNames),
  fc.integer({ min: 1, max: 2000 }).map(hostile.lemmaAssumptions),
  fc.tuple(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 20 })).map(([d, n]) => hostile.witnessDigits(d, n, 4)),
  fc
    .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 30 }))
    .map(([k, n, d]) => hostile.rowConstruction(k, n, d)),
  fc.integer({ min: 1, max: 1500 }).map(hostile.splitChain),
  fc.integer({ min: 1, max: 600 }).map(hostile.bigFractions),
  fc.tuple(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 2, max: 20 })).map(([d, l]) => hostile.regionBigWeights(d, l)),
  fc.tuple(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 30 })).map(([d, i]) => hostile.regionDeep(d, i)),
  fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 2, max: 30 })).map(([w, l, n]) => hostile.regionWide(w, l, n)),
  fc.tuple(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 10 })).map(([m, n]) => hostile.regionManyOutputs(m, n)),
  fc.integer({ min: 1, max: 50 }).map(hostile.gramExponents),
  fc
    .tuple(fc.integer({ min: 2, max: 12 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 5, max: 40 }), fc.integer({ min: 0, max: 3 }))
    .map(([n, d, digits, R]) => hostile.gramElimination(n, d, digits, 2, R < n ? R : n - 1)),
);

describe('property: random hostile shapes stay within the charged budget', () => {
  it('the least limit under which a check gives its answer is exactly the work it reports; one unit less is C4', () => {
    fc.assert(
      fc.property(shapes, (h) => {
        const full = checkHostile(h, Number.MAX_SAFE_INTEGER);
        if (full.status === 'bad-input') return;
        const { work, ...answer } = full;
        const at = checkHostile(h, work);
        expect(at.status === 'bad-input' ? at : { ...at, work: undefined }).toEqual({ ...answer, work: undefined });
        if (work > 0) expect(checkHostile(h, work - 1)).toMatchObject({ status: 'rejected', rule: 'C4', work: expect.any(Number) as number });
      }),
      { numRuns: 40 },
    );
  });
  it('under any limit, a check answers or stops under C4 having spent at most the limit plus its last charge', () => {
    fc.assert(
      fc.property(shapes, fc.integer({ min: 0, max: 2_000_000 }), (h, limit) => {
        const o = checkHostile(h, limit);
        if (o.status === 'bad-input') return;
        if (o.status === 'rejected' && o.rule === 'C4') expect(o.work).toBeGreaterThan(limit);
        else expect(o.work).toBeLessThanOrEqual(limit);
      }),
      { numRuns: 60 },
    );
  });
});

describe('the reproducers of tests/cases, within the default limits of relucert check', () => {
  const text = (file: string): string => readFileSync(join(CASES, file), 'utf8');
  const withDefaults = (file: string): CheckOutcome => checkCertificate(text(file), file, { kind: 'any', limits: {} });
  it('R-gram-exp-2000: refused under G2 before any number is read', () => {
    expect(withDefaults('R-gram-exp-2000.cert.json')).toMatchObject({ status: 'rejected', rule: 'G2', path: 'instance.points[0][0]', work: 0 });
  });
  it('R-lemmas-150k (1.4 MB): rejected under P1, its 150,000 names each looked up once, the message short', () => {
    const o = withDefaults('R-lemmas-150k.cert.json');
    expect(o).toMatchObject({ status: 'rejected', rule: 'P1', path: 'proof.lemmas', expected: 'the lemmas [L4] for this instance and tree' });
    expect(o.status === 'rejected' && o.got).toBe(`[${Array.from({ length: 20 }, (_, i) => `L${i}`).join(', ')}, ... (150000 in all)]`);
    expect(workOf(o)).toBeLessThan(DEFAULT_LIMITS.work / 100);
  });
  it('R-witness-dos (3.2 MB): valid, but its products of 100,000-digit numbers need more than the default work: C4', () => {
    const o = withDefaults('R-witness-dos.cert.json');
    expect(o).toMatchObject({ status: 'rejected', rule: 'C4', path: '' });
    expect(workOf(o)).toBeGreaterThan(DEFAULT_LIMITS.work);
  });
  it('R-region-other-network: valid, and its statement names the network it is about by its hash', () => {
    const o = withDefaults('R-region-other-network.cert.json');
    expect(o.status === 'valid' && o.statement).toMatch(
      /^the network in the certificate \(sha256:[0-9a-f]{64}\), quantised with 15 fractional bits, .* is at most 0 \(1 leaf\)$/,
    );
    const moons = readFileSync('examples/stochastic/moons.network.json', 'utf8');
    const bound = checkCertificate(text('R-region-other-network.cert.json'), 'c.json', { kind: 'any', network: { text: moons, file: 'moons.network.json' } });
    expect(bound).toMatchObject({ status: 'rejected', rule: 'R2', path: 'network' });
  });
});
