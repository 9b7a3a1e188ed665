/**
 * From the conflict-driven search's justifications to a case of a
 * certificate with lemmas (docs/certificates.md 4.6).
 *
 * A justification proves a cube (solver.ts). A resolution justification
 * (start clause S, steps p_1..p_m with reasons R_1..R_m) becomes a chain of
 * splits: the outermost on p_m, whose p_m-child proves the cube before that
 * step and whose other child is R_m's proof, and so on inward down to S's
 * proof. Clauses used by two or more places become lemmas (in creation
 * order, so a lemma uses only earlier ones); a clause used once is written
 * in place. Unused clauses are not written.
 *
 * Building at a node with path P: a step whose literal is already on P
 * (possible when a proof is written in place below a longer path) is not
 * split again: if P holds p, the p-child is taken; if P holds not-p, R's
 * proof is (P then contains R's cube). So no literal is split twice on a
 * path (P2), and every leaf's path contains its cube.
 */
import type { Q } from '../../core/rational.js';
import type { ProofLemma, ProofNode } from '../result.js';
import { multiplierText } from '../tree-search.js';
import { litActive, litName, litVar, negate, pointOf, unitOf } from './literals.js';
import type { Clause, Justification, ResolutionStep } from './solver.js';

/**
 * Makes every float conflict the refutation uses exact (in place), with
 * `certify` (CaseTheory.certify). `rootCube`: the literals the root
 * justification proves false together (the assumptions of a cube; none for
 * a whole case; a clause's negated literals for a clause's own proof).
 * Returns the root with its own justification made exact too, or undefined
 * when some conflict does not hold in exact arithmetic, or holds only with
 * a literal outside the cube it must prove (the float guide misled the
 * search: the caller must search again with every conflict made exact at
 * once).
 */
export function certifyPending(
  root: Justification,
  certify: (lambda: ReadonlyMap<number, number>) => { kind: 'farkas' | 'motzkin'; multipliers: Map<string, Q>; literals: readonly number[] } | undefined,
  rootCube: readonly number[] = [],
): Justification | undefined {
  /** exact multipliers for a pending conflict, only when every literal they use is in the cube it proves */
  const exact = (j: Justification, inCube: (lit: number) => boolean): Justification | undefined => {
    if (j.kind !== 'pending') return j;
    const ex = certify(j.lambda);
    if (!ex || !ex.literals.every(inCube)) return undefined;
    return { kind: ex.kind, multipliers: ex.multipliers };
  };
  const top = exact(root, (l) => rootCube.includes(l));
  if (!top) return undefined;
  const seen = new Set<Clause>();
  const stack: Justification[] = [top];
  while (stack.length > 0) {
    const j = stack.pop()!;
    if (j.kind !== 'resolution') continue;
    for (const c of [j.start, ...j.steps.map((s) => s.reason)]) {
      if (seen.has(c)) continue;
      seen.add(c);
      const e = exact(c.just, (l) => c.lits.includes(negate(l))); // a clause's cube: its literals negated
      if (!e) return undefined;
      c.just = e;
      stack.push(e);
    }
  }
  return top;
}

export interface CaseProof {
  lemmas: ProofLemma[];
  tree: ProofNode;
}

/**
 * The case's lemmas and main tree for a level-0 refutation `root` (a
 * justification of the empty cube, or of a cube of `assumed` literals).
 * n is the number of points (literals.ts). A lemma whose literals
 * `known` accepts (the caller has its proof already: a worker of `solve
 * --workers` that sent it with an earlier cube, src/cube/lemma-table.ts) gets
 * an empty Farkas leaf instead of its tree, which the caller replaces.
 */
export function caseProof(root: Justification, n: number, assumed: readonly number[] = [], known?: (assume: readonly string[]) => boolean): CaseProof {
  // 1. count the references to every clause reachable from the root
  const refs = countReferences(root);
  // 2. lemmas: first the lemmas inside the proofs of imported clauses (renumbered), then the clauses
  //    used twice or more and every imported clause, in creation order (a lemma uses only earlier ones)
  const reachable = [...refs.keys()].sort((a, b) => a.id - b.id);
  const { prefix, importedTree } = importedLemmas(reachable, root);
  const shared = reachable.filter((c) => refs.get(c)! >= 2 || c.just.kind === 'imported');
  const writer = new TreeWriter(n, importedTree, new Map<Clause, number>(shared.map((c, m) => [c, prefix.length + m])));
  // 3. the trees: each shared clause's below its cube, then the root's below the assumptions
  const lemmas: ProofLemma[] = [...prefix];
  for (const c of shared) {
    const cube = c.lits.map(negate);
    const assume = cube.map((l) => litName(l, n));
    // a lemma the caller has already: an empty Farkas leaf the caller replaces
    lemmas.push({ assume, tree: known?.(assume) ? { leaf: 'farkas', multipliers: {} } : writer.treeBelow(cube, c.just) });
  }
  return dropUnused(lemmas, writer.treeBelow(assumed, root));
}

/** How many times each clause reachable from `root` is used (as a start or a reason of a resolution), explicit stack. */
function countReferences(root: Justification): Map<Clause, number> {
  const refs = new Map<Clause, number>();
  const stack: Justification[] = [root];
  const visit = (c: Clause): void => {
    const seen = refs.get(c);
    refs.set(c, (seen ?? 0) + 1);
    if (seen === undefined) stack.push(c.just);
  };
  while (stack.length > 0) {
    const j = stack.pop()!;
    if (j.kind !== 'resolution') continue;
    visit(j.start);
    for (const s of j.steps) visit(s.reason);
  }
  return refs;
}

/** The lemmas inside the proofs of the imported clauses (and of an imported root), renumbered to come first, and each imported proof's tree, renumbered alike. */
function importedLemmas(reachable: readonly Clause[], root: Justification): { prefix: ProofLemma[]; importedTree: Map<Justification, ProofNode> } {
  const prefix: ProofLemma[] = [];
  const importedTree = new Map<Justification, ProofNode>();
  const addImported = (j: Extract<Justification, { kind: 'imported' }>): void => {
    if (importedTree.has(j)) return;
    const offset = prefix.length;
    const shift = (t: ProofNode): ProofNode => shiftLemmas(t, offset);
    prefix.push(...j.proof.lemmas.map((l) => ({ assume: l.assume, tree: shift(l.tree) })));
    importedTree.set(j, shift(j.proof.tree));
  };
  for (const c of reachable) if (c.just.kind === 'imported') addImported(c.just);
  if (root.kind === 'imported') addImported(root);
  return { prefix, importedTree };
}

/**
 * Writes justifications as proof trees (see the file comment) along a path
 * of literals: a clause with a lemma index becomes a lemma leaf, any other
 * is written in place.
 */
class TreeWriter {
  /** the path of the node being written: variable -> ACT (true) or INACT */
  private readonly path = new Map<number, boolean>();

  constructor(
    private readonly n: number,
    private readonly importedTree: ReadonlyMap<Justification, ProofNode>,
    private readonly index: ReadonlyMap<Clause, number>,
  ) {}

  /** The proof of `j` at the path made of `cube` (which contains j's cube). */
  treeBelow(cube: readonly number[], j: Justification): ProofNode {
    for (const l of cube) this.path.set(litVar(l), litActive(l));
    const tree = this.build(j);
    this.path.clear();
    return tree;
  }

  private ref(c: Clause): ProofNode {
    const m = this.index.get(c);
    return m !== undefined ? { leaf: 'lemma', index: m } : this.build(c.just);
  }

  /** The proof of a justification's cube at the current path (which contains the cube). */
  private build(j: Justification): ProofNode {
    switch (j.kind) {
      case 'farkas':
      case 'motzkin':
        return { leaf: j.kind, multipliers: multiplierText(j.multipliers) };
      case 'l2dual':
        return { leaf: 'l2dual', residuals: j.residuals.map((u) => u.toString()), multipliers: multiplierText(j.multipliers) };
      case 'symmetry':
        return { leaf: 'symmetry', units: j.units, point: j.point };
      case 'lex':
        return { leaf: 'lex', unit: j.unit, point: j.point, map: j.element, units: j.units };
      case 'resolution':
        return this.buildChain(j.start, j.steps);
      case 'imported':
        return this.importedTree.get(j)!;
      case 'pending':
        throw new Error('cdcl proof: a float conflict was not made exact before writing (bug)');
    }
  }

  /** The chain of splits of a resolution, outermost step first; the path is restored on return. */
  private buildChain(start: Clause, steps: readonly ResolutionStep[]): ProofNode {
    const { path, n } = this;
    const added: number[] = [];
    let top: ProofNode | undefined;
    let hole: ((node: ProofNode) => void) | undefined;
    const fill = (node: ProofNode): void => {
      if (hole) hole(node);
      else top = node;
    };
    let s = steps.length - 1;
    for (; s >= 0; s--) {
      const { pivot, reason } = steps[s]!;
      const v = litVar(pivot);
      const active = litActive(pivot);
      const onPath = path.get(v);
      if (onPath === active) continue; // the pivot holds on the path: the inner cube is contained already
      if (onPath !== undefined) {
        // the path holds the opposite literal: it contains the reason's cube
        fill(this.ref(reason));
        break;
      }
      path.set(v, !active);
      const other = this.ref(reason);
      path.set(v, active);
      added.push(v);
      const node = {
        split: { unit: unitOf(v, n), point: pointOf(v, n) },
        act: undefined as unknown as ProofNode,
        inact: undefined as unknown as ProofNode,
      };
      if (active) node.inact = other;
      else node.act = other;
      fill(node);
      hole = (child: ProofNode): void => {
        if (active) node.act = child;
        else node.inact = child;
      };
    }
    if (s < 0) fill(this.ref(start));
    for (const v of added) path.delete(v);
    return top!;
  }
}

/** A copy of a tree with every lemma leaf's index raised by `offset` (explicit stack); always a copy, since dropUnused renumbers leaves in place. */
function shiftLemmas(tree: ProofNode, offset: number): ProofNode {
  const copy = (t: ProofNode): ProofNode => ('split' in t ? { ...t } : t.leaf === 'lemma' ? { leaf: 'lemma', index: t.index + offset } : t);
  const top = copy(tree);
  for (const stack = [top]; stack.length > 0;) {
    const t = stack.pop()!;
    if (!('split' in t)) continue;
    t.act = copy(t.act);
    t.inact = copy(t.inact);
    stack.push(t.act, t.inact);
  }
  return top;
}

/** The lemma leaves of a tree (explicit stack). */
function lemmaLeaves(tree: ProofNode): Extract<ProofNode, { leaf: 'lemma' }>[] {
  const out: Extract<ProofNode, { leaf: 'lemma' }>[] = [];
  for (const stack = [tree]; stack.length > 0;) {
    const t = stack.pop()!;
    if ('split' in t) stack.push(t.act, t.inact);
    else if (t.leaf === 'lemma') out.push(t);
  }
  return out;
}

/**
 * Removes the lemmas no leaf uses any more (a reference can vanish when a
 * step's literal is already on the path), latest first so that a removed
 * lemma's own references are discounted, and renumbers the lemma leaves.
 */
function dropUnused(lemmas: ProofLemma[], tree: ProofNode): CaseProof {
  const leavesOf = lemmas.map((l) => lemmaLeaves(l.tree));
  const mainLeaves = lemmaLeaves(tree);
  const uses = new Array<number>(lemmas.length).fill(0);
  for (const leaf of mainLeaves) uses[leaf.index]!++;
  for (const ls of leavesOf) for (const leaf of ls) uses[leaf.index]!++;
  const keep = new Array<boolean>(lemmas.length).fill(true);
  for (let m = lemmas.length - 1; m >= 0; m--) {
    if (uses[m]! > 0) continue;
    keep[m] = false;
    for (const leaf of leavesOf[m]!) uses[leaf.index]!--;
  }
  const renumber = new Array<number>(lemmas.length).fill(-1);
  let next = 0;
  for (let m = 0; m < lemmas.length; m++) if (keep[m]) renumber[m] = next++;
  for (const leaf of mainLeaves) leaf.index = renumber[leaf.index]!;
  for (let m = 0; m < lemmas.length; m++) if (keep[m]) for (const leaf of leavesOf[m]!) leaf.index = renumber[leaf.index]!;
  return { lemmas: lemmas.filter((_, m) => keep[m]), tree };
}
