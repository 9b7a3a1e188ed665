/**
 * The split tree with cube proofs plugged in (docs/cluster.md, "What merge
 * checks, and what it builds"): which cubes a proof still needs, and the proof tree of a case once
 * every needed cube is proved. Shared by `relucert merge` and by the local
 * workers of `relucert solve --workers`.
 *
 * Conflict lifting, as in the exact engine (exact.ts, joinSplit): a child's
 * proof that uses no row of the literal its parent splits on is valid at the
 * parent, so it replaces the split and the sibling's cubes are not needed.
 *
 * Lemmas (docs/certificates.md section 4.6): a cube proof may carry its
 * case's lemmas; they are valid anywhere in the case, so a case's lemma list
 * is the concatenation of its plugged cubes' lists, and each `lemma` leaf's
 * `index` is shifted by the number of lemmas before its cube's.
 */
import type { SplitNode } from './format.js';
import { type TableLemma, mergeTables } from './lemma-table.js';

/** A cube's proof: its tree and lemmas as read (JSON), and the assumed pairs "j:i" they rely on. */
export interface CubeProof {
  tree: unknown;
  lemmas: { assume: string[]; tree: unknown }[];
  uses: ReadonlySet<string>;
}

/** A cube proof plugged into a case's tree: where (JSON field path below the case tree) and its first lemma's index. */
export interface Plug {
  cube: string;
  /** path below the case's `tree`, e.g. ".act.inact" ("" for the case root) */
  at: string;
  lemmaOffset: number;
  lemmaCount: number;
}

export type Assembly =
  { status: 'proved'; tree: unknown; lemmas: { assume: string[]; tree: unknown }[]; plugs: Plug[]; uses: Set<string> } | { status: 'open'; open: string[] };

const LITERAL_ROW = /^(?:act|actv|inact|inactv):(0|[1-9][0-9]*):(0|[1-9][0-9]*)$/;
const LITERAL_NAME = /^(?:act|inact):(0|[1-9][0-9]*):(0|[1-9][0-9]*)$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The (unit, point) pairs, as "j:i", whose literal rows a proof tree relies on
 * without splitting on them inside the tree: rows named in Farkas / Motzkin
 * multipliers, the pairs a symmetry leaf reads (docs/certificates.md S2), and
 * the assumed literals of the lemmas its `lemma` leaves use. Malformed parts
 * are skipped (the checker rejects them later). Explicit stack: any depth.
 */
export function assumptionsUsed(tree: unknown, lemmas: readonly { assume: readonly string[] }[]): Set<string> {
  const out = new Set<string>();
  const todo: { node: unknown; inside: ReadonlySet<string> }[] = [{ node: tree, inside: new Set() }];
  const note = (key: string, inside: ReadonlySet<string>): void => {
    if (!inside.has(key)) out.add(key);
  };
  for (let at = todo.pop(); at !== undefined; at = todo.pop()) {
    const { node, inside } = at;
    if (!isObject(node)) continue;
    const split = node.split;
    if (isObject(split)) {
      const next = new Set(inside).add(`${String(split.unit)}:${String(split.point)}`);
      todo.push({ node: node.inact, inside: next }, { node: node.act, inside: next });
    } else if (node.leaf === 'farkas' || node.leaf === 'motzkin') {
      if (!isObject(node.multipliers)) continue;
      for (const name of Object.keys(node.multipliers)) {
        const m = LITERAL_ROW.exec(name);
        if (m) note(`${m[1]}:${m[2]}`, inside);
      }
    } else if (node.leaf === 'symmetry') {
      const units = node.units;
      if (!Array.isArray(units) || typeof node.point !== 'number') continue;
      for (let t = 0; t <= node.point; t++) for (const j of units) note(`${String(j)}:${t}`, inside);
    } else if (node.leaf === 'lemma') {
      const lemma = typeof node.index === 'number' ? lemmas[node.index] : undefined;
      for (const name of lemma?.assume ?? []) {
        const m = LITERAL_NAME.exec(name);
        if (m) note(`${m[1]}:${m[2]}`, inside);
      }
    }
  }
  return out;
}

/**
 * Copies a cube's tree and lemmas with every `lemma` leaf's index shifted by
 * `offset`. Returns the first bad lemma leaf (its path below the tree or
 * lemma) instead when an index is not an integer in 0..lemmas.length - 1.
 */
export function shiftLemmaIndices(
  proof: { tree: unknown; lemmas: readonly { assume: string[]; tree: unknown }[] },
  offset: number,
): { tree: unknown; lemmas: { assume: string[]; tree: unknown }[] } | { bad: string } {
  const count = proof.lemmas.length;
  let bad: string | undefined;
  const shift = (root: unknown, where: string): unknown => {
    const copy = structuredClone(root);
    const todo: { node: unknown; at: string }[] = [{ node: copy, at: where }];
    for (let x = todo.pop(); x !== undefined && bad === undefined; x = todo.pop()) {
      if (!isObject(x.node)) continue;
      if (x.node.leaf === 'lemma') {
        const m = x.node.index;
        if (typeof m !== 'number' || !Number.isInteger(m) || m < 0 || m >= count) bad = `${x.at}.index`;
        else x.node.index = m + offset;
      } else if (isObject(x.node.split)) todo.push({ node: x.node.inact, at: `${x.at}.inact` }, { node: x.node.act, at: `${x.at}.act` });
    }
    return copy;
  };
  const tree = shift(proof.tree, 'tree');
  const lemmas = proof.lemmas.map((l, t) => ({ assume: l.assume, tree: shift(l.tree, `lemmas[${t}].tree`) }));
  return bad !== undefined ? { bad } : { tree, lemmas };
}

type Part =
  { status: 'proved'; tree: unknown; uses: Set<string>; parts: { cube: string; at: string; proof: CubeProof }[] } | { status: 'open'; open: string[] };

/** The walk of assembleCase: the case closed (its tree with cube proofs as placed, before renumbering) or the cubes still needed. */
function walkCase(root: SplitNode, proofOf: (cube: string) => CubeProof | undefined): Part {
  const walk = (node: SplitNode, at: string): Part => {
    const own = node.cube !== undefined ? proofOf(node.cube) : undefined;
    if (own) return { status: 'proved', tree: own.tree, uses: new Set(own.uses), parts: [{ cube: node.cube!, at, proof: own }] };
    if (!node.split || !node.act || !node.inact) return { status: 'open', open: node.cube !== undefined ? [node.cube] : [] };
    const key = `${node.split.unit}:${node.split.point}`;
    const act = walk(node.act, `${at}.act`);
    if (act.status === 'proved' && !act.uses.has(key)) return lifted(act, `${at}.act`, at);
    const inact = walk(node.inact, `${at}.inact`);
    if (inact.status === 'proved' && !inact.uses.has(key)) return lifted(inact, `${at}.inact`, at);
    if (act.status === 'proved' && inact.status === 'proved') {
      const uses = new Set([...act.uses, ...inact.uses]);
      uses.delete(key);
      return { status: 'proved', tree: { split: node.split, act: act.tree, inact: inact.tree }, uses, parts: [...act.parts, ...inact.parts] };
    }
    return { status: 'open', open: [...(act.status === 'open' ? act.open : []), ...(inact.status === 'open' ? inact.open : [])] };
  };
  // a lifted child moves up from `from` to `to`: its parts' paths lose the child's step
  const lifted = (child: Extract<Part, { status: 'proved' }>, from: string, to: string): Part => ({
    ...child,
    parts: child.parts.map((p) => ({ ...p, at: to + p.at.slice(from.length) })),
  });
  return walk(root, '');
}

/**
 * The cubes a case still needs, in tree order, or 'closed' when the cube
 * proofs found so far close it: assembleCase without building the proof
 * (cheap enough to ask after every cube).
 */
export function openCubes(root: SplitNode, proofOf: (cube: string) => CubeProof | undefined): string[] | 'closed' {
  const top = walkCase(root, proofOf);
  return top.status === 'open' ? top.open : 'closed';
}

/**
 * Assembles one case: walks the split tree, plugs in every needed cube proof
 * (`proofOf(id)`, undefined while the cube is open), lifts, and either returns
 * the case's proof (tree, concatenated lemmas, where each cube went) or the
 * cubes still needed, in tree order. A node that is a cube and was split again
 * is closed by the cube's own proof when it has one, else by its children.
 * Throws `BadLemmaIndex` (naming the cube) for an out-of-range lemma leaf.
 */
export function assembleCase(root: SplitNode, proofOf: (cube: string) => CubeProof | undefined): Assembly {
  const top = walkCase(root, proofOf);
  if (top.status === 'open') return top;
  // lemma lists concatenated in plug order, leaves renumbered; the plugged trees replace the cube placeholders
  const lemmas: { assume: string[]; tree: unknown }[] = [];
  const plugs: Plug[] = [];
  const shifted = new Map<string, unknown>();
  for (const p of top.parts) {
    const s = shiftLemmaIndices(p.proof, lemmas.length);
    if ('bad' in s) throw new BadLemmaIndex(p.cube, s.bad);
    plugs.push({ cube: p.cube, at: p.at, lemmaOffset: lemmas.length, lemmaCount: s.lemmas.length });
    lemmas.push(...s.lemmas);
    shifted.set(p.at, s.tree);
  }
  return { status: 'proved', tree: replaceAt(top.tree, '', shifted), lemmas, plugs, uses: top.uses };
}

/**
 * assembleCase for the proofs of local workers (local.ts), whose lemma lists
 * are their workers' lemma tables, shared between cubes (lemma-table.ts):
 * the case's proof takes each table once, with only the lemmas its trees
 * reach (mergeTables), and copies no leaf. The proofs come from this
 * process's own workers, so lemma indices are not checked here (the
 * certificate is checked as a whole before it is written).
 */
export function assembleShared(root: SplitNode, proofOf: (cube: string) => CubeProof | undefined): { tree: unknown; lemmas: TableLemma[] } | 'open' {
  const top = walkCase(root, proofOf);
  if (top.status === 'open') return 'open';
  const merged = mergeTables(top.parts.map((p) => p.proof));
  return { tree: replaceAt(top.tree, '', new Map(top.parts.map((p, t) => [p.at, merged.trees[t]]))), lemmas: merged.lemmas };
}

/** Rebuilds a tree whose plugged subtrees sit at the given paths, with the shifted copies in their place. */
function replaceAt(tree: unknown, at: string, shifted: ReadonlyMap<string, unknown>): unknown {
  if (shifted.has(at)) return shifted.get(at);
  const node = tree as { split: unknown; act: unknown; inact: unknown };
  return { split: node.split, act: replaceAt(node.act, `${at}.act`, shifted), inact: replaceAt(node.inact, `${at}.inact`, shifted) };
}

/** A `lemma` leaf of a cube proof whose index is not one of the cube's lemmas. */
export class BadLemmaIndex extends Error {
  constructor(
    readonly cube: string,
    readonly where: string,
  ) {
    super(`cube ${cube}: ${where}: lemma index out of range`);
  }
}

/**
 * The first node of a proof tree (JSON) that is neither a split with both
 * children nor a leaf, as a path below `where` (e.g. "tree.act"); undefined
 * when the shape is right. Only the shape: the checker judges the content.
 */
export function malformedNode(tree: unknown, where: string): string | undefined {
  const todo: { node: unknown; at: string }[] = [{ node: tree, at: where }];
  for (let x = todo.pop(); x !== undefined; x = todo.pop()) {
    const node = x.node;
    if (!isObject(node)) return x.at;
    if ('split' in node) {
      if (!isObject(node.split) || !('act' in node) || !('inact' in node)) return x.at;
      todo.push({ node: node.inact, at: `${x.at}.inact` }, { node: node.act, at: `${x.at}.act` });
    } else if (typeof node.leaf !== 'string') return x.at;
  }
  return undefined;
}
