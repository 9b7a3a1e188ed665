/**
 * The symmetry group a search uses (src/engines/symmetry/group.ts): every
 * element an automorphism with its exact composed map, the whole group of
 * the parity cube, the lex-leader comparisons per case, and the maps a
 * certificate states for the leaves that name elements.
 */
import { describe, expect, it } from 'vitest';
import { automorphismOf } from '../../../src/core/automorphism.js';
import { Q } from '../../../src/core/rational.js';
import type { Instance } from '../../../src/core/types.js';
import type { Proof } from '../../../src/engines/result.js';
import { elementMap, lexElements, symmetryGroup, withStatedMaps } from '../../../src/engines/symmetry/group.js';

function parity(n: number, k: number, activation: 'threshold' | 'relu'): Instance {
  const points = Array.from({ length: 2 ** n }, (_, m) => Array.from({ length: n }, (_, t) => Q.of((m >> t) & 1)));
  return {
    name: 'parity',
    description: '',
    points,
    labels: points.map((p) => (p.filter((x) => !x.isZero()).length % 2 === 1 ? Q.ONE : Q.MINUS_ONE)),
    architecture: { hidden: k, activation, outputWeights: { mode: 'free' }, outputBias: true },
    loss: { type: 'classification' },
  };
}

describe('symmetryGroup', () => {
  it('enumerates the whole group of the parity cube, each element an automorphism with its composed map', () => {
    const inst = parity(3, 2, 'threshold');
    const g = symmetryGroup(inst);
    expect(g.elements.length).toBe(48);
    expect(g.truncated).toBe(false);
    expect(new Set(g.elements.map((e) => e.points.join(','))).size).toBe(48);
    g.elements.forEach((e, index) => expect(automorphismOf(inst, elementMap(g, index), true)).toMatchObject({ points: e.points, labelSign: e.labelSign }));
  });
  it('stops at the cap, and is the identity alone without symmetry', () => {
    expect(symmetryGroup(parity(4, 2, 'threshold'), 50)).toMatchObject({ truncated: true });
    expect(symmetryGroup(parity(4, 2, 'threshold'), 50).elements.length).toBe(50);
    const asym = { ...parity(2, 1, 'threshold'), labels: [Q.ONE, Q.ONE, Q.MINUS_ONE, Q.ONE], points: [[Q.ZERO], [Q.ONE], [Q.of(3)], [Q.of(7)]] };
    expect(symmetryGroup(asym).elements.length).toBe(1);
  });
});

describe('lexElements', () => {
  it('compares with every element, and with the swaps of unit 0, in the free threshold case', () => {
    const inst = parity(3, 3, 'threshold');
    const g = symmetryGroup(inst);
    const comps = lexElements(inst, g, 0);
    // 47 elements with the identity on the units, 48 with each of the two swaps of unit 0
    expect(comps.length).toBe(47 + 2 * 48);
    for (const c of comps) {
      const e = g.elements[c.element]!;
      for (let j = 0; j < 3; j++) for (let i = 0; i < 8; i++) expect(c.phi[j * 8 + i]).toBe(c.units[j]! * 8 + e.points[i]!);
    }
  });
  it('in sign cases, keeps a label-negating element with the units reversed, into the mirrored case', () => {
    const inst = parity(2, 2, 'relu');
    const g = symmetryGroup(inst);
    // case 1 is (-1, 1): negating the labels sends it to itself with the units reversed
    const comps = lexElements(inst, g, 1);
    const negating = comps.filter((c) => g.elements[c.element]!.labelSign === -1);
    expect(negating.length).toBeGreaterThan(0);
    for (const c of negating) expect(c.units).toEqual([1, 0]);
  });
});

describe('withStatedMaps', () => {
  it('states the maps the leaves name, in order of first use, and names the identity by no map', () => {
    const inst = parity(2, 1, 'threshold');
    const g = symmetryGroup(inst);
    const proof: Proof = {
      lemmas: [],
      cases: [
        {
          a: 'free',
          lemmas: [{ assume: [], tree: { leaf: 'lex', unit: 0, point: 1, map: 5 } }],
          tree: { split: { unit: 0, point: 0 }, act: { leaf: 'image', lemma: 0, map: 3 }, inact: { leaf: 'lex', unit: 0, point: 2, map: 0 } },
        },
      ],
    };
    const out = withStatedMaps(proof, g);
    expect(out.maps!.map((m) => m.points)).toEqual([g.elements[5]!.points, g.elements[3]!.points]);
    const tree = out.cases[0]!.tree as Extract<Proof['cases'][0]['tree'], { split: unknown }>;
    expect(tree.act).toEqual({ leaf: 'image', lemma: 0, map: 1 });
    expect(tree.inact).toEqual({ leaf: 'lex', unit: 0, point: 2 });
    const plain: Proof = { lemmas: [], cases: [{ a: 'free', tree: { leaf: 'farkas', multipliers: {} } }] };
    expect(withStatedMaps(plain, g)).toBe(plain);
  });
});
