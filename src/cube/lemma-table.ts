/**
 * Lemmas sent once (docs/cluster.md, "On one machine"). A worker of `solve
 * --workers` keeps one search per case from cube to cube, so the proof of a
 * later cube uses many lemmas (learned clauses, docs/certificates.md section
 * 4.6) that earlier cubes' proofs carried already: hundreds per cube on the
 * hard instances of bench/workers. Sending each cube its whole lemma list
 * costs the worker the copy, the coordinator the reading, both the garbage,
 * and the merged certificate one copy of a lemma per cube that uses it.
 *
 * Instead, each worker has one lemma table per case, known to it
 * (LemmaSender) and to the coordinator (LemmaTables): a cube's reply carries
 * only the lemmas not in its table yet, appended in order, and its tree's
 * lemma leaves index the table. A lemma's statement is its list of assumed
 * literals (the rows of those literals are infeasible, whatever the path),
 * so a lemma with the same literals as one in the table is the same lemma:
 * its proof is not sent again, and leaves that used it use the table's.
 * A lemma's tree only refers to lemmas before it in its cube's list, which
 * are before it in the table too. The merged case takes each worker's table
 * once (tree.ts, assembleCase) and keeps the lemmas its trees reach
 * (trimLemmas).
 */

/** A lemma as proofs carry it: its assumed literals and its proof tree (JSON). */
export interface TableLemma {
  assume: string[];
  tree: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A copy of a proof tree with every `lemma` leaf's index replaced by
 * `map(index)`. Explicit stack: any depth. Non-lemma leaves are shared, not
 * copied (they are never changed).
 */
export function mapLemmaLeaves(tree: unknown, map: (index: number) => number): unknown {
  const copy = (node: unknown): unknown => {
    if (!isObject(node)) return node;
    if (node.leaf === 'lemma' && typeof node.index === 'number') return { leaf: 'lemma', index: map(node.index) };
    if (isObject(node.split)) return { split: node.split, act: node.act, inact: node.inact };
    return node;
  };
  const top = copy(tree);
  for (const stack = [top]; stack.length > 0;) {
    const t = stack.pop();
    if (!isObject(t) || !isObject(t.split)) continue;
    t.act = copy(t.act);
    t.inact = copy(t.inact);
    stack.push(t.act, t.inact);
  }
  return top;
}

/** The lemma indices a tree's `lemma` leaves name (explicit stack). */
function lemmaIndices(tree: unknown): number[] {
  const out: number[] = [];
  for (const stack = [tree]; stack.length > 0;) {
    const t = stack.pop();
    if (!isObject(t)) continue;
    if (isObject(t.split)) stack.push(t.act, t.inact);
    else if (t.leaf === 'lemma' && typeof t.index === 'number') out.push(t.index);
  }
  return out;
}

/** A worker's side: which lemmas of each case it has sent, by their literals. */
export class LemmaSender {
  private readonly sent = new Map<number, Map<string, number>>();

  /** Whether a lemma of case `caseIndex` with these literals was sent (its proof need not be built again: CubeSolver's `known`). */
  knows(caseIndex: number, assume: readonly string[]): boolean {
    return this.sent.get(caseIndex)?.has(assume.join(' ')) ?? false;
  }

  /**
   * Rewrites the proof of a cube of case `caseIndex` (its `lemmas`, whose
   * trees and `tree` index that list) against this worker's table of the
   * case: returns the lemmas to append to the table (`base` is the first's
   * index there) and the tree with its lemma leaves indexing the table.
   */
  send(caseIndex: number, lemmas: readonly TableLemma[], tree: unknown): { base: number; added: TableLemma[]; tree: unknown } {
    let table = this.sent.get(caseIndex);
    if (!table) this.sent.set(caseIndex, (table = new Map<string, number>()));
    const base = table.size;
    const index: number[] = [];
    const added: TableLemma[] = [];
    const toTable = (local: number): number => {
      const m = index[local];
      if (m === undefined) throw new RangeError(`lemma leaf ${local} names no earlier lemma of the cube`);
      return m;
    };
    lemmas.forEach((l, local) => {
      const key = l.assume.join(' ');
      const known = table.get(key);
      if (known !== undefined) {
        index[local] = known;
        return;
      }
      // only earlier lemmas of the cube are set in `index`: a leaf naming a later one is refused
      const mapped = { assume: l.assume, tree: mapLemmaLeaves(l.tree, toTable) };
      index[local] = table.size;
      table.set(key, table.size);
      added.push(mapped);
    });
    return { base, added, tree: mapLemmaLeaves(tree, toTable) };
  }
}

/** The coordinator's side: every worker's table of every case, as its replies built it. */
export class LemmaTables {
  private readonly tables = new Map<string, TableLemma[]>();

  /**
   * Appends a reply's lemmas to the table of (worker, case) and returns the
   * table (the same array every time, so that the merged case takes it
   * once). Throws if `base` is not the table's length (replies out of order:
   * a bug).
   */
  receive(worker: number, caseIndex: number, base: number, added: readonly TableLemma[]): TableLemma[] {
    const key = `${worker}:${caseIndex}`;
    let table = this.tables.get(key);
    if (!table) this.tables.set(key, (table = []));
    if (base !== table.length) throw new Error(`internal error: worker ${worker}, case ${caseIndex}: lemmas from index ${base}, the table has ${table.length}`);
    table.push(...added);
    return table;
  }
}

/**
 * The lemma list of a merged case from cube proofs whose lemma lists are
 * workers' tables (several proofs may share one table, the same array): each
 * table once, with only the lemmas the proofs' trees reach (through other
 * lemmas' trees too), in table order, table after table; and each proof's
 * tree with its lemma leaves renumbered into that list. A lemma names only
 * earlier lemmas of its table, so one pass from a table's last lemma back
 * finds all it needs, and the merged list keeps every lemma after those it
 * names. Lemmas are valid anywhere in their case (docs/certificates.md
 * section 4.6), so lemmas from several workers' tables sit in one list.
 */
export function mergeTables(proofs: readonly { tree: unknown; lemmas: readonly TableLemma[] }[]): { trees: unknown[]; lemmas: TableLemma[] } {
  const used = new Map<readonly TableLemma[], boolean[]>();
  for (const p of proofs) {
    let u = used.get(p.lemmas);
    if (!u) used.set(p.lemmas, (u = new Array<boolean>(p.lemmas.length).fill(false)));
    for (const m of lemmaIndices(p.tree)) u[m] = true;
  }
  const renumber = new Map<readonly TableLemma[], number[]>();
  let next = 0;
  for (const [table, u] of used) {
    for (let m = table.length - 1; m >= 0; m--) if (u[m]) for (const k of lemmaIndices(table[m]!.tree)) u[k] = true;
    const r: number[] = [];
    u.forEach((keep, m) => {
      if (keep) r[m] = next++;
    });
    renumber.set(table, r);
  }
  const lemmas: TableLemma[] = [];
  for (const [table, r] of renumber)
    table.forEach((l, m) => {
      if (r[m] !== undefined) lemmas.push({ assume: l.assume, tree: mapLemmaLeaves(l.tree, (k) => r[k]!) });
    });
  return { trees: proofs.map((p) => mapLemmaLeaves(p.tree, (k) => renumber.get(p.lemmas)![k]!)), lemmas };
}
