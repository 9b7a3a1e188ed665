/** Writing a case's proof from the conflict-driven search's justifications (src/engines/cdcl/proof.ts). */
import { describe, expect, it } from 'vitest';
import { caseProof } from '../../../src/engines/cdcl/proof.js';
import type { Clause } from '../../../src/engines/cdcl/solver.js';
import type { ProofNode } from '../../../src/engines/result.js';

describe('caseProof with clauses imported from another search (issue H)', () => {
  it('places the lemmas inside each imported proof before it, renumbered, so every lemma leaf names the lemma it named at its source', () => {
    // n = 2 points, k = 1: literal 0 = act:0:0, 1 = inact:0:0. Two imported unit clauses, [act:0:0] and
    // [inact:0:0], each proved through one lemma of its own; the root resolves them on (0, 0).
    const farkas = (row: string): ProofNode => ({ leaf: 'farkas', multipliers: { [row]: '1' } });
    const imported = (id: number, lit: number, own: string, row: string): Clause => ({
      id,
      lits: [lit],
      learnt: false,
      activity: 0,
      lbd: 0,
      deleted: false,
      just: { kind: 'imported', proof: { lemmas: [{ assume: [own], tree: farkas(row) }], tree: { leaf: 'lemma', index: 0 } } },
    });
    const c1 = imported(0, 0, 'inact:0:0', 'fit:0');
    const c2 = imported(1, 1, 'act:0:0', 'fit:1');
    const p = caseProof({ kind: 'resolution', start: c1, steps: [{ pivot: 1, reason: c2 }] }, 2);
    expect(p.lemmas).toHaveLength(4);
    const tree = p.tree as { split: unknown; act: { leaf: 'lemma'; index: number }; inact: { leaf: 'lemma'; index: number } };
    expect(tree.split).toEqual({ unit: 0, point: 0 });
    for (const [side, lit, row] of [
      ['act', 'act:0:0', 'fit:1'],
      ['inact', 'inact:0:0', 'fit:0'],
    ] as const) {
      const outer = p.lemmas[tree[side].index]!;
      expect(outer.assume).toEqual([lit]);
      const inner = outer.tree as { leaf: 'lemma'; index: number };
      expect(inner.index).toBeLessThan(tree[side].index);
      expect(p.lemmas[inner.index]).toEqual({ assume: [lit], tree: farkas(row) });
    }
    // the imported proofs are left as they were (caseProof renumbers copies)
    expect(c2.just).toEqual({ kind: 'imported', proof: { lemmas: [{ assume: ['act:0:0'], tree: farkas('fit:1') }], tree: { leaf: 'lemma', index: 0 } } });
  });
});
