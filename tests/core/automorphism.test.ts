/**
 * Instance automorphisms (src/core/automorphism.ts, docs/lemmas.md L9):
 * exact verification, the weight box, and the generators findAutomorphisms
 * returns (every one verified; together they generate the whole group on
 * cubes, and reach every signed permutation a random symmetric design was
 * built with).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AffineMap, type Automorphism, applyAffine, automorphismOf, findAutomorphisms, identityMap, keepsWeightBox } from '../../src/core/automorphism.js';
import { Q } from '../../src/core/rational.js';
import type { Instance } from '../../src/core/types.js';

const q = (v: number | string): Q => (typeof v === 'number' ? Q.of(v) : Q.of(BigInt(v.split('/')[0]!), BigInt(v.split('/')[1] ?? '1')));

function instance(points: number[][], labels: number[]): Instance {
  return {
    name: 't',
    description: '',
    points: points.map((p) => p.map(q)),
    labels: labels.map(q),
    architecture: { hidden: 1, activation: 'threshold', outputWeights: { mode: 'free' }, outputBias: true },
    loss: { type: 'classification' },
  };
}

/** The cube {0,1}^n (or {-1,1}^n) with parity labels (+1 for an odd number of ones). */
function cube(n: number, pm = false): Instance {
  const points: number[][] = [];
  for (let m = 0; m < 2 ** n; m++) points.push(Array.from({ length: n }, (_, t) => (m >> t) & 1));
  const labels = points.map((p) => (p.reduce((s, x) => s + x, 0) % 2 === 1 ? 1 : -1));
  return instance(pm ? points.map((p) => p.map((x) => 1 - 2 * x)) : points, labels);
}

/** The group the generators' point permutations generate, as the set of its permutations (closure). */
function groupOf(gens: readonly Automorphism[], n: number): Set<string> {
  const id = Array.from({ length: n }, (_, i) => i);
  const seen = new Set([id.join(',')]);
  const todo = [id];
  while (todo.length > 0) {
    const p = todo.pop()!;
    for (const g of gens) {
      const next = p.map((x) => g.points[x]!);
      const key = next.join(',');
      if (!seen.has(key)) {
        seen.add(key);
        todo.push(next);
      }
    }
  }
  return seen;
}

const mapOf = (linear: number[][], shift: number[]): AffineMap => ({ linear: linear.map((r) => r.map(q)), shift: shift.map(q) });

describe('automorphismOf: exact verification', () => {
  it('finds the permutation and the label sign of a map of the XOR square, and names a point it sends off the set', () => {
    const xor = instance(
      [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
      ],
      [-1, 1, 1, -1],
    );
    expect(
      automorphismOf(
        xor,
        mapOf(
          [
            [0, 1],
            [1, 0],
          ],
          [0, 0],
        ),
        false,
      ),
    ).toMatchObject({ points: [0, 2, 1, 3], labelSign: 1 });
    const flip = mapOf(
      [
        [-1, 0],
        [0, 1],
      ],
      [1, 0],
    );
    expect(automorphismOf(xor, flip, true)).toMatchObject({ points: [1, 0, 3, 2], labelSign: -1 });
    expect(automorphismOf(xor, flip, false)).toBe('maps point 0 (label -1) to a point labelled otherwise');
    expect(
      automorphismOf(
        xor,
        mapOf(
          [
            [-1, 0],
            [0, 1],
          ],
          [2, 0],
        ),
        true,
      ),
    ).toBe('maps point 0 to (2, 0), which is not a point of the instance');
    expect(automorphismOf(xor, mapOf([[1]], [0]), true)).toBe('a map of dimension 2 is needed');
  });
  it('sends the copies of a point listed twice to copies with the right labels', () => {
    // 0 and 1 are copies with labels 1 and -1; x -> -x swaps them with 2 and 3 (labels -1 and 1), negating every label
    const inst = instance([[1], [1], [-1], [-1]], [1, -1, -1, 1]);
    const aut = automorphismOf(inst, mapOf([[-1]], [0]), true);
    expect(aut).toMatchObject({ labelSign: 1, points: [3, 2, 1, 0] });
    const bad = instance([[1], [1], [-1], [-1]], [1, 1, -1, 1]);
    expect(typeof automorphismOf(bad, mapOf([[-1]], [0]), true)).toBe('string');
  });
  it('agrees with applying the map to every point (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }).chain((d) =>
          fc.record({
            points: fc.uniqueArray(fc.array(fc.integer({ min: -2, max: 2 }), { minLength: d, maxLength: d }), {
              minLength: 1,
              maxLength: 6,
              selector: (p) => p.join(','),
            }),
            linear: fc.array(fc.array(fc.integer({ min: -1, max: 1 }), { minLength: d, maxLength: d }), { minLength: d, maxLength: d }),
            shift: fc.array(fc.integer({ min: -1, max: 1 }), { minLength: d, maxLength: d }),
            labels: fc.array(fc.constantFrom(1, -1), { minLength: 6, maxLength: 6 }),
          }),
        ),
        ({ points, linear, shift, labels }) => {
          const inst = instance(points, labels.slice(0, points.length));
          const m = mapOf(linear, shift);
          const aut = automorphismOf(inst, m, true);
          const images = inst.points.map((x) => applyAffine(m, x).join(','));
          const keys = inst.points.map((x) => x.join(','));
          if (typeof aut === 'string') {
            // no permutation: some image is off the set, or the labels do not follow one sign
            const perm = images.every((k) => keys.includes(k)) && new Set(images).size === keys.length;
            const sign = (s: number): boolean => images.every((k, i) => inst.labels[keys.indexOf(k)]!.eq(inst.labels[i]!.mul(Q.of(s))));
            expect(perm && (sign(1) || sign(-1))).toBe(false);
          } else {
            expect(new Set(aut.points).size).toBe(points.length);
            aut.points.forEach((j, i) => {
              expect(images[i]).toBe(keys[j]);
              expect(inst.labels[j]!.eq(inst.labels[i]!.mul(Q.of(aut.labelSign)))).toBe(true);
            });
          }
        },
      ),
    );
  });
});

describe('keepsWeightBox', () => {
  it('keeps the box exactly for no translation and columns of absolute sum <= 1', () => {
    expect(keepsWeightBox(identityMap(3))).toBe(true);
    expect(
      keepsWeightBox(
        mapOf(
          [
            [0, -1],
            [1, 0],
          ],
          [0, 0],
        ),
      ),
    ).toBe(true);
    expect(
      keepsWeightBox({
        linear: [
          [q('1/2'), q('1/2')],
          [q('-1/2'), q('1/2')],
        ],
        shift: [Q.ZERO, Q.ZERO],
      }),
    ).toBe(true);
    expect(
      keepsWeightBox(
        mapOf(
          [
            [1, 1],
            [0, 1],
          ],
          [0, 0],
        ),
      ),
    ).toBe(false);
    expect(
      keepsWeightBox(
        mapOf(
          [
            [-1, 0],
            [0, 1],
          ],
          [1, 0],
        ),
      ),
    ).toBe(false);
  });
});

describe('findAutomorphisms', () => {
  it('generates the whole group of the parity cube: 2^n n! with negation, half of it without', () => {
    for (const n of [2, 3, 4]) {
      const order = 2 ** n * [1, 1, 2, 6, 24][n]!;
      for (const pm of [false, true]) {
        const inst = cube(n, pm);
        const all = findAutomorphisms(inst, { allowNegation: true, keepBox: false });
        expect(groupOf(all, inst.points.length).size).toBe(order);
        for (const g of all) expect(automorphismOf(inst, g.map, true)).toMatchObject({ points: g.points, labelSign: g.labelSign });
        const kept = findAutomorphisms(inst, { allowNegation: false, keepBox: false });
        expect(kept.every((g) => g.labelSign === 1)).toBe(true);
        expect(groupOf(kept, inst.points.length).size).toBe(order / 2);
      }
    }
  });
  it('without translations: the signed permutations of {-1,1}^n, only the coordinate permutations of {0,1}^n', () => {
    const box = (inst: Instance): number => groupOf(findAutomorphisms(inst, { allowNegation: true, keepBox: true }), inst.points.length).size;
    expect(box(cube(3, true))).toBe(48);
    expect(box(cube(3, false))).toBe(6);
  });
  it('finds nothing on points without symmetry, and stops within its budget', () => {
    expect(
      findAutomorphisms(
        instance(
          [
            [0, 0],
            [1, 0],
            [0, 3],
          ],
          [1, 1, 1],
        ),
        { allowNegation: true, keepBox: false },
      ),
    ).toEqual([]);
    expect(findAutomorphisms(instance([[0]], [1]), { allowNegation: true, keepBox: false })).toEqual([]);
    const some = findAutomorphisms(cube(4), { allowNegation: true, keepBox: false, budget: 100 });
    for (const g of some) expect(typeof automorphismOf(cube(4), g.map, true)).not.toBe('string');
  });
  it('reaches the signed permutation a symmetric design was built with (property)', () => {
    // points: the orbit of a few random points under one signed coordinate permutation g (no translation, so the orbit is finite);
    // labels constant on each orbit of g: g is an automorphism, and the generators found must generate it
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }).chain((d) =>
          fc.record({
            d: fc.constant(d),
            perm: fc.shuffledSubarray(
              Array.from({ length: d }, (_, t) => t),
              { minLength: d, maxLength: d },
            ),
            signs: fc.array(fc.constantFrom(1, -1), { minLength: d, maxLength: d }),
            seeds: fc.array(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: d, maxLength: d }), { minLength: 1, maxLength: 3 }),
            labels: fc.array(fc.constantFrom(1, -1), { minLength: 3, maxLength: 3 }),
          }),
        ),
        ({ d, perm, signs, seeds, labels }) => {
          const g = (x: number[]): number[] => Array.from({ length: d }, (_, r) => signs[r]! * x[perm[r]!]!);
          const points: number[][] = [];
          const lab: number[] = [];
          const at = new Map<string, number>();
          seeds.forEach((s, o) => {
            for (let x = s; ; x = g(x)) {
              const key = x.join(',');
              if (at.has(key)) break;
              at.set(key, points.length);
              points.push(x);
              lab.push(labels[o]!);
            }
          });
          // each seed adds its whole cycle under g (or nothing, when an earlier cycle holds it), all with one label
          const inst = instance(points, lab);
          const gm = mapOf(
            Array.from({ length: d }, (_, r) => Array.from({ length: d }, (_, t) => (t === perm[r] ? signs[r]! : 0))),
            Array(d).fill(0) as number[],
          );
          const target = automorphismOf(inst, gm, false);
          if (typeof target === 'string') throw new Error(`the design is not symmetric under g: ${target}`);
          const found = findAutomorphisms(inst, { allowNegation: false, keepBox: true });
          for (const a of found) expect(automorphismOf(inst, a.map, false)).toMatchObject({ points: a.points });
          expect(groupOf(found, points.length).has(target.points.join(','))).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
