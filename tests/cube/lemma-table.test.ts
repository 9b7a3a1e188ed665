/**
 * Lemmas sent once (src/cube/lemma-table.ts): a worker's cube proofs, rewritten
 * against its lemma table and rebuilt from the table by the coordinator, say
 * the same thing: every lemma leaf names a lemma with the same literals as
 * before, every lemma names only earlier ones, no lemma is in a table twice;
 * and trimming keeps exactly the lemmas a tree reaches, with their meaning.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LemmaSender, LemmaTables, type TableLemma, mergeTables } from '../../src/cube/lemma-table.js';

type Node =
  | { split: { unit: number; point: number }; act: Node; inact: Node }
  | { leaf: 'farkas'; multipliers: Record<string, string> }
  | { leaf: 'lemma'; index: number };

const literal = fc.tuple(fc.constantFrom('act', 'inact'), fc.nat(1), fc.nat(3)).map(([s, j, i]) => `${s}:${j}:${i}`);
const assume = fc.uniqueArray(literal, { minLength: 1, maxLength: 3, selector: (l) => l.replace(/^in/, '') });

/** A proof tree whose lemma leaves name 0 .. lemmas - 1. */
function treeArb(lemmas: number): fc.Arbitrary<Node> {
  const leaf: fc.Arbitrary<Node> =
    lemmas > 0
      ? fc.oneof(
          fc.nat(lemmas - 1).map((index) => ({ leaf: 'lemma' as const, index })),
          fc.nat(9).map((v) => ({ leaf: 'farkas' as const, multipliers: { 'fit:0': String(v) } })),
        )
      : fc.nat(9).map((v) => ({ leaf: 'farkas' as const, multipliers: { 'fit:0': String(v) } }));
  return fc.letrec<{ node: Node }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.record({ split: fc.record({ unit: fc.nat(1), point: fc.nat(3) }), act: tie('node'), inact: tie('node') }) as fc.Arbitrary<Node>,
    ),
  })).node;
}

/** A cube proof: lemmas whose trees name earlier lemmas only, and a tree naming any of them. */
const proofArb: fc.Arbitrary<{ caseIndex: number; lemmas: TableLemma[]; tree: Node }> = fc
  .tuple(fc.nat(1), fc.array(assume, { maxLength: 6 }))
  .chain(([caseIndex, assumes]) =>
    fc
      .tuple(fc.tuple(...assumes.map((_a, t) => treeArb(t))), treeArb(assumes.length))
      .map(([trees, tree]) => ({ caseIndex, lemmas: assumes.map((a, t) => ({ assume: a, tree: trees[t] })), tree })),
  );

/** The lemma leaves of two trees of the same shape, side by side. */
function pairedLeaves(a: unknown, b: unknown): [number, number][] {
  const out: [number, number][] = [];
  for (const stack: [unknown, unknown][] = [[a, b]]; stack.length > 0;) {
    const [x, y] = stack.pop()! as [Node, Node];
    if ('split' in x) {
      expect('split' in y).toBe(true);
      const z = y as Extract<Node, { split: unknown }>;
      expect(z.split).toEqual(x.split);
      stack.push([x.act, z.act], [x.inact, z.inact]);
    } else if (x.leaf === 'lemma') {
      expect((y as Node & { leaf: string }).leaf).toBe('lemma');
      out.push([x.index, (y as Extract<Node, { leaf: 'lemma' }>).index]);
    } else expect(y).toEqual(x);
  }
  return out;
}

const key = (l: TableLemma): string => l.assume.join(' ');

/** Two lemma tables (as two workers') and trees of several cubes, each indexing one of them. */
const twoTables = fc.tuple(proofArb, proofArb).chain(([a, b]) =>
  fc
    .array(
      fc.nat(1).chain((t) => treeArb([a, b][t]!.lemmas.length).map((tree) => ({ t, tree }))),
      { minLength: 1, maxLength: 4 },
    )
    .map((items) => ({ tables: [a.lemmas, b.lemmas], items })),
);

describe('lemmas sent once', () => {
  it('every rewritten proof names lemmas with the literals it named before; tables hold each statement once, each lemma naming earlier ones', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(2), proofArb), { minLength: 1, maxLength: 8 }), (replies) => {
        const senders = [new LemmaSender(), new LemmaSender(), new LemmaSender()];
        const tables = new LemmaTables();
        for (const [worker, p] of replies) {
          // a lemma the worker has sent already comes without its proof (CubeSolver's `known`): an empty leaf
          const sender = senders[worker]!;
          const lemmas = p.lemmas.map((l) => (sender.knows(p.caseIndex, l.assume) ? { assume: l.assume, tree: { leaf: 'farkas', multipliers: {} } } : l));
          const sent = sender.send(p.caseIndex, lemmas, p.tree);
          for (const l of p.lemmas) expect(sender.knows(p.caseIndex, l.assume)).toBe(true);
          const table = tables.receive(worker, p.caseIndex, sent.base, sent.added);
          // the tree: same shape, each lemma leaf names the same statement
          for (const [was, now] of pairedLeaves(p.tree, sent.tree)) expect(key(table[now]!)).toBe(key(p.lemmas[was]!));
          // the lemmas sent: new statements, proved as before, naming earlier entries
          expect(sent.added.every((l) => !table.slice(0, sent.base).some((e) => key(e) === key(l)))).toBe(true);
          for (const l of sent.added) {
            const original = p.lemmas.find((o) => key(o) === key(l))!;
            const at = table.indexOf(l);
            for (const [was, now] of pairedLeaves(original.tree, l.tree)) {
              expect(now).toBeLessThan(at);
              expect(key(table[now]!)).toBe(key(p.lemmas[was]!));
            }
          }
          expect(new Set(table.map(key)).size).toBe(table.length);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a reply out of order is refused', () => {
    const tables = new LemmaTables();
    tables.receive(0, 0, 0, [{ assume: ['act:0:0'], tree: { leaf: 'farkas', multipliers: {} } }]);
    expect(() => tables.receive(0, 0, 0, [])).toThrow(/lemmas from index 0, the table has 1/);
    expect(tables.receive(1, 0, 0, [])).toEqual([]);
  });

  it('merging tables keeps each table once, exactly the lemmas the trees reach, in order, with the statements their leaves named', () => {
    fc.assert(
      fc.property(twoTables, ({ tables, items }) => {
        // proofs of two workers: each tree indexes its worker's table (the same array for every proof of that worker)
        const proofs = items.map(({ t, tree }) => ({ tree, lemmas: tables[t]! }));
        const merged = mergeTables(proofs);
        // reached, per table: from the trees, then from reached lemmas' trees
        const expected: string[] = [];
        for (const table of new Set(proofs.map((p) => p.lemmas))) {
          const reached = new Set<number>();
          const todo = proofs.filter((p) => p.lemmas === table).flatMap((p) => pairedLeaves(p.tree, p.tree).map(([m]) => m));
          for (let m = todo.pop(); m !== undefined; m = todo.pop())
            if (!reached.has(m)) {
              reached.add(m);
              todo.push(...pairedLeaves(table[m]!.tree, table[m]!.tree).map(([k]) => k));
            }
          expected.push(...[...reached].sort((a, b) => a - b).map((m) => key(table[m]!)));
        }
        expect(merged.lemmas.map(key)).toEqual(expected);
        proofs.forEach((p, t) => {
          for (const [was, now] of pairedLeaves(p.tree, merged.trees[t])) expect(key(merged.lemmas[now]!)).toBe(key(p.lemmas[was]!));
        });
        merged.lemmas.forEach((l, at) => {
          for (const [, now] of pairedLeaves(l.tree, l.tree)) expect(now).toBeLessThan(at);
        });
      }),
      { numRuns: 300 },
    );
  });
});
