/**
 * The split tree with cube proofs plugged in (src/cube/tree.ts): which
 * assumed literals a proof uses, conflict lifting, open cubes, re-split
 * cubes, and lemma lists concatenated with renumbered `lemma` leaves
 * (hand-made lemma lists, the format of issue G).
 */
import { describe, expect, it } from 'vitest';
import type { SplitNode } from '../../src/cube/format.js';
import { BadLemmaIndex, type CubeProof, assembleCase, assumptionsUsed, shiftLemmaIndices } from '../../src/cube/tree.js';

const farkas = (...rows: string[]): unknown => ({ leaf: 'farkas', multipliers: Object.fromEntries(rows.map((r) => [r, '1'])) });
const proof = (tree: unknown, lemmas: { assume: string[]; tree: unknown }[] = []): CubeProof => ({ tree, lemmas, uses: assumptionsUsed(tree, lemmas) });

describe('assumptionsUsed', () => {
  it('collects the literal rows of leaves, not the base rows', () => {
    expect([...assumptionsUsed(farkas('fit:0', 'zh:0:1', 'act:0:2', 'inactv:1:3'), [])].sort()).toEqual(['0:2', '1:3']);
  });
  it('leaves out the pairs split on inside the tree', () => {
    const t = { split: { unit: 0, point: 2 }, act: farkas('act:0:2', 'act:1:1'), inact: farkas('inact:0:2') };
    expect([...assumptionsUsed(t, [])]).toEqual(['1:1']);
  });
  it('counts the pairs a symmetry leaf reads and the assumptions of used lemmas', () => {
    expect([...assumptionsUsed({ leaf: 'symmetry', units: [0, 1], point: 1 }, [])].sort()).toEqual(['0:0', '0:1', '1:0', '1:1']);
    const lemmas = [{ assume: ['act:0:4', 'inact:1:0'], tree: farkas('act:0:4') }];
    const t = { split: { unit: 1, point: 0 }, act: farkas('fit:0'), inact: { leaf: 'lemma', index: 0 } };
    expect([...assumptionsUsed(t, lemmas)]).toEqual(['0:4']);
  });
  it('skips malformed parts instead of failing (the checker rejects them later)', () => {
    expect([...assumptionsUsed({ split: 'x', act: 3 }, [])]).toEqual([]);
    expect([...assumptionsUsed({ leaf: 'farkas', multipliers: [1] }, [])]).toEqual([]);
    expect([...assumptionsUsed(null, [])]).toEqual([]);
  });
});

describe('assembleCase', () => {
  // case root split on (0,1); its inact side split on (1,1)
  const tree = (): SplitNode => ({
    split: { unit: 0, point: 1 },
    act: { cube: '0' },
    inact: { split: { unit: 1, point: 1 }, act: { cube: '1' }, inact: { cube: '2' } },
  });

  it('lists the open cubes in tree order', () => {
    const a = assembleCase(tree(), (id) => (id === '1' ? proof(farkas('act:1:1', 'inact:0:1')) : undefined));
    expect(a).toEqual({ status: 'open', open: ['0', '2'] });
  });
  it('plugs every cube proof in at its place when all are needed', () => {
    const proofs: Record<string, CubeProof> = { '0': proof(farkas('act:0:1')), '1': proof(farkas('act:1:1', 'inact:0:1')), '2': proof(farkas('inact:1:1')) };
    const a = assembleCase(tree(), (id) => proofs[id]);
    expect(a.status).toBe('proved');
    if (a.status !== 'proved') return;
    expect(a.tree).toEqual({
      split: { unit: 0, point: 1 },
      act: farkas('act:0:1'),
      inact: { split: { unit: 1, point: 1 }, act: farkas('act:1:1', 'inact:0:1'), inact: farkas('inact:1:1') },
    });
    expect(a.plugs.map((p) => [p.cube, p.at])).toEqual([
      ['0', '.act'],
      ['1', '.inact.act'],
      ['2', '.inact.inact'],
    ]);
    expect([...a.uses]).toEqual([]);
  });
  it('lifts a proof that does not use its parent literal: the sibling cubes are not needed', () => {
    // cube 1 uses neither (1,1) nor (0,1): it proves the whole case
    const a = assembleCase(tree(), (id) => (id === '1' ? proof(farkas('fit:0', 'fit:1')) : undefined));
    expect(a.status).toBe('proved');
    if (a.status !== 'proved') return;
    expect(a.tree).toEqual(farkas('fit:0', 'fit:1'));
    expect(a.plugs.map((p) => [p.cube, p.at])).toEqual([['1', '']]);
  });
  it('lifts one level only when the proof uses the upper literal', () => {
    // cube 2 uses (0,1) but not (1,1): it closes the inact side; cube 0 is still needed
    const a = assembleCase(tree(), (id) => (id === '2' ? proof(farkas('inact:0:1')) : undefined));
    expect(a).toEqual({ status: 'open', open: ['0'] });
    const b = assembleCase(tree(), (id) => (id === '2' ? proof(farkas('inact:0:1')) : id === '0' ? proof(farkas('act:0:1')) : undefined));
    expect(b.status === 'proved' && b.plugs.map((p) => [p.cube, p.at])).toEqual([
      ['0', '.act'],
      ['2', '.inact'],
    ]);
  });
  it('closes a re-split cube by its own proof, or else by its children', () => {
    const node: SplitNode = { cube: '3', split: { unit: 0, point: 0 }, act: { cube: '3.0' }, inact: { cube: '3.1' } };
    expect(assembleCase(node, () => undefined)).toEqual({ status: 'open', open: ['3.0', '3.1'] });
    const own = assembleCase(node, (id) => (id === '3' ? proof(farkas('fit:0')) : undefined));
    expect(own.status === 'proved' && own.plugs.map((p) => p.cube)).toEqual(['3']);
    const kids = assembleCase(node, (id) => (id === '3.0' ? proof(farkas('act:0:0')) : id === '3.1' ? proof(farkas('inact:0:0')) : undefined));
    expect(kids.status === 'proved' && kids.plugs.map((p) => p.cube)).toEqual(['3.0', '3.1']);
  });
});

describe('lemma lists (issue G): concatenated per case, leaves renumbered', () => {
  const node: SplitNode = { split: { unit: 0, point: 0 }, act: { cube: '0' }, inact: { cube: '1' } };
  // cube 0: two lemmas, the second uses the first; cube 1: one lemma
  const cube0 = proof({ split: { unit: 1, point: 1 }, act: { leaf: 'lemma', index: 1 }, inact: { leaf: 'lemma', index: 0 } }, [
    { assume: ['act:0:0', 'inact:1:1'], tree: farkas('act:0:0', 'inact:1:1') },
    { assume: ['act:1:1'], tree: { split: { unit: 0, point: 0 }, act: { leaf: 'lemma', index: 0 }, inact: farkas('inact:0:0') } },
  ]);
  const cube1 = proof({ leaf: 'lemma', index: 0 }, [{ assume: ['inact:0:0'], tree: farkas('inact:0:0') }]);

  it('keeps each cube lemma list in order, after the lemmas of the cubes before it', () => {
    const a = assembleCase(node, (id) => (id === '0' ? cube0 : cube1));
    expect(a.status).toBe('proved');
    if (a.status !== 'proved') return;
    expect(a.lemmas.map((l) => l.assume)).toEqual([['act:0:0', 'inact:1:1'], ['act:1:1'], ['inact:0:0']]);
    // cube 1's leaf now points at lemma 2; cube 0's indices are unchanged (offset 0)
    expect(a.tree).toEqual({ split: { unit: 0, point: 0 }, act: cube0.tree, inact: { leaf: 'lemma', index: 2 } });
    expect(a.lemmas[1]!.tree).toEqual(cube0.lemmas[1]!.tree);
    expect(a.plugs.map((p) => [p.cube, p.lemmaOffset, p.lemmaCount])).toEqual([
      ['0', 0, 2],
      ['1', 2, 1],
    ]);
  });
  it('renumbers leaves inside lemma trees too, and leaves the input untouched', () => {
    const shifted = shiftLemmaIndices(cube0, 5);
    expect('bad' in shifted).toBe(false);
    if ('bad' in shifted) return;
    expect(shifted.tree).toEqual({ split: { unit: 1, point: 1 }, act: { leaf: 'lemma', index: 6 }, inact: { leaf: 'lemma', index: 5 } });
    expect((shifted.lemmas[1]!.tree as { act: unknown }).act).toEqual({ leaf: 'lemma', index: 5 });
    expect((cube0.tree as { act: unknown }).act).toEqual({ leaf: 'lemma', index: 1 });
  });
  it('refuses a lemma leaf whose index is not one of its cube lemmas, naming the cube', () => {
    for (const index of [2, -1, 0.5, '0']) {
      const bad = proof({ leaf: 'lemma', index }, cube1.lemmas);
      expect(() => assembleCase(node, (id) => (id === '0' ? cube0 : bad))).toThrow(BadLemmaIndex);
    }
    const thrown = ((): unknown => {
      try {
        assembleCase(node, (id) => (id === '0' ? cube0 : proof({ leaf: 'lemma', index: 1 }, cube1.lemmas)));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(thrown).toBeInstanceOf(BadLemmaIndex);
    expect((thrown as BadLemmaIndex).cube).toBe('1');
    expect((thrown as BadLemmaIndex).where).toBe('tree.index');
  });
});
