/**
 * Bounded-exhaustive fuzzing: the enumerations (every source of each size,
 * each once, the isomorphism keys invariant and complete), and the fuzzer in
 * that mode (deterministic, smallest counterexample first).
 */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Q } from '../../src/core/rational.js';
import { combinations, compositions, gridPoints, permutations } from '../../src/reduce/enumerate.js';
import { fuzzExhaustive } from '../../src/reduce/fuzz.js';
import type { AnyReduction } from '../../src/reduce/reduction.js';
import { reductions, resolveReduction } from '../../src/reduce/registry.js';
import { type SetSplitting, setSplitting } from '../../src/reduce/set-splitting.js';
import type { SingleRelu } from '../../src/reduce/single-relu.js';
import { type TwoHyperplane, twoHyperplane } from '../../src/reduce/two-hyperplane.js';
import { cli, tempDir } from '../helpers.js';

describe('enumeration helpers', () => {
  it('count what they should: n!, C(n, k), (hi - lo + 1)^d, C(total + parts - 1, parts - 1)', () => {
    const perms = [...permutations(4)].map((p) => p.join(''));
    expect(new Set(perms).size).toBe(24);
    expect(perms[0]).toBe('0123');
    expect([...permutations(0)]).toEqual([[]]);
    expect([...combinations([1, 2, 3, 4, 5], 2)]).toHaveLength(10);
    expect([...combinations([1, 2], 3)]).toEqual([]);
    expect([...combinations([1, 2], 0)]).toEqual([[]]);
    expect([...gridPoints(2, 0, 2)]).toHaveLength(9);
    expect([...compositions(3, 2)]).toEqual([
      [0, 3],
      [1, 2],
      [2, 1],
      [3, 0],
    ]);
  });
});

/** Each reduction's size of a source, computed here independently of its enumeration. */
const spread = (pts: Q[][]): number =>
  Math.max(
    0,
    ...[...Array(pts[0]?.length ?? 0).keys()].map((t) =>
      Number(pts.reduce((m, x) => Q.max(m, x[t]!), pts[0]![t]!).sub(pts.reduce((m, x) => Q.min(m, x[t]!), pts[0]![t]!)).num),
    ),
  );
const SIZE: Record<string, (s: never) => number> = {
  'set-splitting': (s: SetSplitting) => s.elements + s.sets.reduce((a, x) => a + x.length, 0),
  'two-hyperplane': (s: TwoHyperplane) => s.P.length + s.Q.length + s.P[0]!.length - 1 + spread([...s.P, ...s.Q]),
  'single-relu': (s: SingleRelu) => s.points.length + s.points[0]!.length - 1 + spread(s.points) + Math.max(...s.labels.map((y) => Number(y.abs().num))),
};
const MAX: Record<string, number> = { 'set-splitting': 8, 'two-hyperplane': 6, 'single-relu': 6 };

describe('every built-in enumeration', () => {
  for (const red of reductions)
    it(`${red.name}: each source has the size it is listed under, reads back from its file, and appears once`, () => {
      for (let size = 0; size <= MAX[red.name]!; size++) {
        const seen = new Set<string>();
        for (const s of red.exhaustive!.enumerate(size)) {
          const json = red.sourceToJson(s);
          expect(SIZE[red.name]!(s as never), JSON.stringify(json)).toBe(size);
          expect(red.sourceToJson(red.parseSource(JSON.parse(JSON.stringify(json)), 'x'))).toEqual(json);
          expect(seen.has(JSON.stringify(json)), JSON.stringify(json)).toBe(false);
          seen.add(JSON.stringify(json));
        }
      }
    });
});

describe('isomorphism keys', () => {
  it('set-splitting: renumbering the elements keeps the key; complete up to size 7 against a brute-force listing', () => {
    const key = setSplitting.exhaustive!.key!;
    const system = fc.integer({ min: 1, max: 5 }).chain((n) =>
      fc.record({
        src: fc
          .array(fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { minLength: 1, maxLength: n }), { maxLength: 4 })
          .map((sets) => ({ elements: n, sets })),
        perm: fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
      }),
    );
    fc.assert(
      fc.property(system, ({ src, perm }) => {
        const renamed = { elements: src.elements, sets: src.sets.map((x) => x.map((e) => perm[e]!)).reverse() };
        expect(key(renamed)).toBe(key(src));
      }),
      { seed: 3, numRuns: 200 },
    );
    // every set system of size <= 7 (distinct nonempty sets), by brute force, against the enumeration
    for (let size = 1; size <= 7; size++) {
      const brute = new Set<string>();
      for (let n = 1; n <= size; n++) {
        const subsets = [...Array(2 ** n).keys()].slice(1).map((m) => [...Array(n).keys()].filter((i) => (m >> i) & 1));
        const pick = (from: number, left: number, chosen: number[][]): void => {
          if (left === 0) brute.add(key({ elements: n, sets: chosen }));
          for (let t = from; t < subsets.length; t++) if (subsets[t]!.length <= left) pick(t + 1, left - subsets[t]!.length, [...chosen, subsets[t]!]);
        };
        pick(0, size - n, []);
      }
      const listed = new Set([...setSplitting.exhaustive!.enumerate(size)].map(key));
      expect([...listed].sort(), `size ${size}`).toEqual([...brute].sort());
    }
  });
  it('two-hyperplane: translating, reflecting or swapping axes keeps the key; complete up to size 5 against a brute-force listing', () => {
    const key = twoHyperplane.exhaustive!.key!;
    const qs = (x: number[]): Q[] => x.map((v) => Q.of(v));
    const src = fc.integer({ min: 1, max: 2 }).chain((d) => {
      const pt = fc.array(fc.integer({ min: -3, max: 3 }), { minLength: d, maxLength: d });
      return fc.record({
        P: fc.array(pt, { minLength: 1, maxLength: 3 }),
        Q: fc.array(pt, { maxLength: 3 }),
        shift: pt,
        flip: pt.map((f) => f.map((v) => v < 0)),
        swap: fc.boolean(),
      });
    });
    fc.assert(
      fc.property(src, ({ P, Q: N, shift, flip, swap }) => {
        const move = (x: number[]): number[] => {
          const y = x.map((v, t) => (flip[t] ? -v : v) + shift[t]!);
          return swap ? [...y].reverse() : y;
        };
        expect(key({ P: [...P].reverse().map(move).map(qs), Q: N.map(move).map(qs) })).toBe(key({ P: P.map(qs), Q: N.map(qs) }));
      }),
      { seed: 4, numRuns: 200 },
    );
    const brute = new Map<number, Set<string>>();
    for (let d = 1; d <= 2; d++) {
      const grid = [...gridPoints(d, 0, d === 1 ? 4 : 3)];
      for (let np = 1; np <= 4; np++)
        for (const P of combinations(grid, np))
          for (let nq = 0; np + nq <= 4; nq++)
            for (const N of combinations(grid, nq)) {
              const s = { P: P.map(qs), Q: N.map(qs) };
              const size = SIZE['two-hyperplane']!(s as never);
              if (size <= 5) brute.set(size, (brute.get(size) ?? new Set()).add(key(s)));
            }
    }
    for (let size = 1; size <= 5; size++) {
      const listed = new Set([...twoHyperplane.exhaustive!.enumerate(size)].map(key));
      expect([...listed].sort(), `size ${size}`).toEqual([...(brute.get(size) ?? [])].sort());
    }
  });
});

describe('fuzzExhaustive', () => {
  const small: Record<string, number> = { 'set-splitting': 7, 'two-hyperplane': 5, 'single-relu': 5 };
  for (const red of reductions)
    it(`${red.name}: the correct variant agrees on every source up to size ${small[red.name]}`, async () => {
      const r = await fuzzExhaustive(red, { maxSize: small[red.name]!, variant: 'correct', timeoutMs: 20_000 });
      expect(r.counterexample, JSON.stringify(r.counterexample?.source)).toBeUndefined();
      expect(r.unknown).toBe(0);
      expect(r.agreed).toBe(r.runs);
      expect(r.bySize!.reduce((a, t) => a + t.sources, 0)).toBe(r.runs);
      expect(r.sourceNo).toBeGreaterThan(0);
    }, 120_000);
  it('stops at the first disagreement, the same on every run, with every smaller size fully agreed', async () => {
    const b = await fuzzExhaustive(twoHyperplane, { maxSize: 9, variant: 'gadget-moved', timeoutMs: 20_000 });
    const c = await fuzzExhaustive(twoHyperplane, { maxSize: 9, variant: 'gadget-moved', timeoutMs: 20_000 });
    // (set-splitting's no-gadget at size 9, the triangle: tests/reduce/docs.test.ts)
    expect(b.counterexample?.size).toBe(5);
    expect(b.bySize!.map((t) => t.size)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(b.agreed).toBe(b.runs - 1);
    expect(c.counterexample?.source).toEqual(b.counterexample?.source);
  }, 120_000);
  // set-splitting's no-gadget-ones and gadget-moved need the same 63 sources as no-gadget (tests/reduce/docs.test.ts), no-gadget-ones with slower targets: scripts/mutant-power.ts measures them
  it('every other mutant of every built-in reduction and example plugin is caught within its cap', async () => {
    const all: AnyReduction[] = [
      ...reductions,
      await resolveReduction('examples/reductions/polygon-separability.mjs'),
      await resolveReduction('examples/reductions/linear-separability.ts'),
    ];
    const cap: Record<string, number> = { 'set-splitting': 9, 'two-hyperplane': 5, 'single-relu': 3, 'polygon-separability': 4, 'linear-separability': 3 };
    for (const red of all)
      for (const v of red.variants.filter(
        (x) => x.kind === 'mutant' && !(red.name === 'set-splitting' && ['no-gadget-ones', 'gadget-moved'].includes(x.name)),
      )) {
        const r = await fuzzExhaustive(red, { maxSize: cap[red.name]!, variant: v.name, timeoutMs: 20_000 });
        expect(r.counterexample, `${red.name} ${v.name}`).toBeDefined();
      }
  }, 240_000);
});

describe('relucert fuzz --exhaustive', () => {
  it('exit 1 with the smallest counterexample, per-size lines, and the files', async () => {
    const r = await cli('fuzz', 'two-hyperplane', '--variant', 'no-gadget', '--exhaustive', '--max-size', '6', '--out', tempDir());
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/exhaustive up to size 6 \(size = \|P\| \+ \|Q\| \+ \(d - 1\) \+ the side c/);
    expect(r.out).toMatch(/^ {2}size 4: \d+ sources \(\d+ yes, \d+ no\), \d+ isomorphic copies skipped$/m);
    expect(r.out).toMatch(/DISAGREEMENT at size 5, source \d+ \(every smaller source agreed\)/);
    expect(r.out).toMatch(/smallest counterexample: \{"format":"two-hyperplane-separability\/1","P":\[\["0"\],\["2"\]\],"Q":\[\["1"\]\]\}/);
  }, 60_000);
  it('exit 0 when all agree, --json with the per-size tallies', async () => {
    const r = await cli('fuzz', 'single-relu', '--exhaustive', '--max-size', '3', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { mode: string; maxSize: number; bySize: { size: number; sources: number }[]; runs: number };
    expect(j).toMatchObject({ mode: 'exhaustive', maxSize: 3, runs: 8 });
    expect(j.bySize.map((t) => t.sources)).toEqual([0, 1, 3, 4]);
  });
  it('bad flags: one line, exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['fuzz', 'single-relu', '--exhaustive'], /--max-size: missing: --exhaustive needs the largest source size/],
      [['fuzz', 'single-relu', '--exhaustive', '--max-size', '3', '--seed', '1'], /--exhaustive: --runs and --seed are for random sources/],
      [['fuzz', 'single-relu', '--max-size', '3'], /--max-size: only with --exhaustive/],
      [['fuzz', 'single-relu', '--exhaustive', '--max-size', '0'], /--max-size: expected a positive integer/],
    ];
    for (const [argv, msg] of cases) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toMatch(msg);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
  });
});
