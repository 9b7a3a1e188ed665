/**
 * Infeasible certificates (section 4): the proof tree, and (format /2,
 * section 4.6) the lemmas of each case.
 *
 * P1 checks the root (lemmas and normalisation cases) against what the
 * checker computes from the instance; D1 reads each case's lemma list.
 * Each node is then checked by one rule function chosen from NODE_RULES by
 * the node's kind: `split` (P2), `farkas` and `motzkin` leaves (F1-F4),
 * `l2dual` leaves (F1-F2, Q1-Q3: squared loss, weak duality),
 * `symmetry` leaves (S1-S2, lemma L5), `lemma` leaves (D2-D3, lemma L6),
 * and (format /3) `image` leaves (I1-I3, lemma L9) and `lex` leaves (X1-X3,
 * lemma L10), in image.ts with the maps A1-A4.
 * Every rule has the same signature: it receives the node, where it sits
 * and the literals on its path, and returns the children still to check or
 * a Rejection. The walk uses an explicit stack, so a deep tree cannot
 * overflow the call stack; P2 (no literal twice on a path) bounds the depth
 * by k*n. The literals on the path are one map, changed in place on the way
 * down and back (a split's literal is removed once both children are done),
 * so every repeat check and every literal a leaf needs is one lookup, and a
 * pending child costs the same whatever its depth. Each lemma's tree is
 * walked once, with its assumed literals as the start of every path; D4
 * (every lemma used) is checked after the walk. Every node visited and
 * every lookup is charged to the work budget (cost.ts). The cases are
 * walked in file order, each case's lemmas before its tree, so when a leaf
 * names a lemma, that lemma's tree has been checked, and whether it depends
 * on an order (a symmetry or lex leaf in it, or a lemma leaf naming such a
 * lemma: L5, L10) is known: an image leaf may name only a lemma that does
 * not.
 */
import { COST, charge } from './cost.js';
import { describe, isRejection, listText, readArray, readIndex, readObject, readRat, readString, shortText, smallInteger } from './fields.js';
import type { Instance } from './instance.js';
import { type CheckedMap, type LeafSite, checkImageLeaf, checkLexLeaf, readMaps } from './image.js';
import { type JsonObject, type JsonValue, fieldPath } from './json.js';
import { Rat, sumRats } from './rational.js';
import { Rejection, quote } from './rejection.js';
import { type CaseSystem, type CaseWeights, caseSystem, caseText, expectedCases, lemmasApplied, output, rowNamed } from './rows.js';

export interface ProofSummary {
  nodes: number;
  leaves: number;
}

/** A literal ACT(unit, point) (active) or INACT(unit, point). */
interface Literal {
  unit: number;
  point: number;
  active: boolean;
}

/** The literals on the path to the node being checked: key `j:i` -> true for ACT(j,i), false for INACT(j,i). */
type PathMap = Map<string, boolean>;

const key = (l: { unit: number; point: number }): string => `${l.unit}:${l.point}`;

/** A lemma of a case (section 4.6): its assumed literals, where it sits, how often a lemma or image leaf used it, and whether its proof depends on an order (L5, L10). */
interface Lemma {
  assume: Literal[];
  path: string;
  uses: number;
  ordered: boolean;
}

/** What every node of one proof shares: whether image and lex leaves are allowed (format /3) and the verified maps, and each case's label and lemmas, in file order. */
interface ProofScope {
  images: boolean;
  maps: CheckedMap[];
  cases: { text: string; lemmas: Lemma[] }[];
}

/**
 * A node still to check: the JSON, its field path, its case, the lemmas it
 * may use; and how it changes the path: a root starts it afresh from its
 * lemma's assumed literals (`start`), a split's child adds its `literal`.
 */
interface NodeAt {
  node: JsonValue | undefined;
  path: string;
  sys: CaseSystem;
  start?: Literal[];
  literal?: Literal;
  /** the case's lemmas; a lemma leaf here may use those with index < usable */
  lemmas: Lemma[];
  usable: number;
  /** the lemma whose tree holds this node (undefined in a case's main tree) */
  owner: Lemma | undefined;
  /** the position of the node's case in `cases` */
  casePosition: number;
  scope: ProofScope;
}

/** After a split's two children: its literal leaves the path. */
interface Leave {
  leave: string;
}

type NodeRule = (node: JsonObject, at: NodeAt, lits: PathMap) => NodeAt[] | Rejection;
type NodeKind = 'split' | 'farkas' | 'motzkin' | 'l2dual' | 'symmetry' | 'lemma' | 'image' | 'lex';

const NODE_RULES: Readonly<Record<NodeKind, NodeRule>> = {
  split: checkSplit,
  farkas: (node, at, lits) => checkLeaf(node, at, lits, checkFarkasBound),
  motzkin: (node, at, lits) => checkLeaf(node, at, lits, checkMotzkinBound),
  l2dual: checkL2DualLeaf,
  symmetry: checkSymmetryLeaf,
  lemma: checkLemmaLeaf,
  image: checkImage,
  lex: checkLex,
};

/**
 * Checks a `proof` object for the instance: P1 at the root, then every node of
 * every case. Returns the node and leaf counts, or the first rejection.
 * withLemmas: format /2 or later (lemmas in cases); withMaps: format /3
 * (`maps`, image and lex leaves).
 */
export function checkProof(v: JsonValue | undefined, path: string, inst: Instance, withLemmas = false, withMaps = false): ProofSummary | Rejection {
  const proof = readObject(v, 'P1', path, ['lemmas', 'cases'], withMaps ? ['maps'] : []);
  if (isRejection(proof)) return proof;
  const lemmasPath = fieldPath(path, 'lemmas');
  const declared = readLemmas(proof.entries.get('lemmas'), lemmasPath);
  if (isRejection(declared)) return declared;
  const maps = proof.entries.has('maps') ? readMaps(proof.entries.get('maps'), fieldPath(path, 'maps'), inst) : [];
  if (isRejection(maps)) return maps;
  const scope: ProofScope = { images: withMaps, maps, cases: [] };
  const roots = checkCases(proof.entries.get('cases'), fieldPath(path, 'cases'), inst, withLemmas, scope);
  if (isRejection(roots)) return roots;

  const counts = walkTrees(roots);
  if (isRejection(counts)) return counts;
  const { summary, leavesOf } = counts;
  const caseLemmas = new Set(roots.map((r) => r.lemmas));
  // D4: every lemma was used by some lemma leaf (or image leaf, format /3)
  const users = withMaps ? 'lemma or image leaf' : 'lemma leaf of its case';
  for (const lemmas of caseLemmas)
    for (const lemma of lemmas) if (lemma.uses === 0) return new Rejection('D4', lemma.path, `a lemma used by at least one ${users}`, 'a lemma no leaf uses');
  // P1: the declared lemmas are the ones applied, L5 exactly when a symmetry leaf was used, L6 when a lemma or image leaf was, L9 when an image leaf was, L10 when a lex leaf was
  const used = (kind: NodeKind): boolean => (leavesOf.get(kind) ?? 0) > 0;
  const want = [
    ...lemmasApplied(inst),
    ...(used('symmetry') ? ['L5'] : []),
    ...(used('lemma') || used('image') ? ['L6'] : []),
    ...(used('image') ? ['L9'] : []),
    ...(used('lex') ? ['L10'] : []),
  ];
  const lemmas = checkLemmas(declared, lemmasPath, want);
  return lemmas ?? summary;
}

/**
 * Walks every root's tree, depth first (act before inact), checking each
 * node by its rule; returns the node and leaf counts, and how many nodes of
 * each kind were used.
 */
function walkTrees(roots: NodeAt[]): { summary: ProofSummary; leavesOf: Map<NodeKind, number> } | Rejection {
  const summary: ProofSummary = { nodes: 0, leaves: 0 };
  const leavesOf = new Map<NodeKind, number>();
  const lits: PathMap = new Map();
  const todo: (NodeAt | Leave)[] = [...roots].reverse();
  for (let at = todo.pop(); at !== undefined; at = todo.pop()) {
    charge(COST.lookup);
    if ('leave' in at) {
      lits.delete(at.leave);
      continue;
    }
    charge(COST.node);
    enterPath(at, lits);
    const kind = nodeKind(at);
    if (isRejection(kind)) return kind;
    const children = NODE_RULES[kind](at.node as JsonObject, at, lits);
    if (isRejection(children)) return children;
    summary.nodes++;
    if (children.length === 0) summary.leaves++;
    leavesOf.set(kind, (leavesOf.get(kind) ?? 0) + 1);
    // a split's literal leaves the path once both its children are done
    if (children[0]?.literal !== undefined) todo.push({ leave: key(children[0].literal) });
    todo.push(...children.reverse());
  }
  return { summary, leavesOf };
}

/** The path at a node: a root's starts afresh from its assumed literals; a child adds its literal. */
function enterPath(at: NodeAt, lits: PathMap): void {
  if (at.start !== undefined) {
    lits.clear();
    for (const l of at.start) {
      charge(COST.lookup);
      lits.set(key(l), l.active);
    }
  }
  if (at.literal !== undefined) lits.set(key(at.literal), at.literal.active);
}

/** P1: the declared lemma names, each once. */
function readLemmas(v: JsonValue | undefined, path: string): Set<string> | Rejection {
  const list = readArray(v, 'P1', path);
  if (isRejection(list)) return list;
  const got = new Set<string>();
  for (const [t, item] of list.items.entries()) {
    charge(COST.lookup);
    const name = readString(item, 'P1', fieldPath(path, t));
    if (isRejection(name)) return name;
    if (got.has(name)) return new Rejection('P1', fieldPath(path, t), 'each lemma once', `${quote(name)} twice`);
    got.add(name);
  }
  return got;
}

/** P1: the declared lemmas are exactly the ones the checker applied (as a set). */
function checkLemmas(got: Set<string>, path: string, want: string[]): Rejection | undefined {
  const wantText = want.length === 0 ? 'no lemmas []' : `the lemmas [${want.join(', ')}]`;
  if (got.size !== want.length || !want.every((l) => got.has(l)))
    return new Rejection('P1', path, `${wantText} for this instance and tree`, `[${listText([...got])}]`);
  return undefined;
}

/**
 * P1: `cases` lists each expected normalisation case exactly once. Returns
 * the roots to walk: for each case, its lemmas' trees in order (D1), then
 * its main tree.
 */
function checkCases(v: JsonValue | undefined, path: string, inst: Instance, withLemmas: boolean, scope: ProofScope): NodeAt[] | Rejection {
  const list = readArray(v, 'P1', path);
  if (isRejection(list)) return list;
  const expected = expectedCases(inst);
  const expectedText = expected.map(caseText);
  const indexOf = new Map(expectedText.map((text, index) => [text, index]));
  const seenAt = new Map<string, string>();
  const roots: NodeAt[] = [];
  for (const [t, item] of list.items.entries()) {
    const casePath = fieldPath(path, t);
    const obj = readObject(item, 'P1', casePath, ['a', 'tree'], withLemmas ? ['lemmas'] : []);
    if (isRejection(obj)) return obj;
    const a = readCaseWeights(obj.entries.get('a'), fieldPath(casePath, 'a'), inst.hidden);
    if (isRejection(a)) return a;
    const text = caseText(a);
    charge(2 * COST.lookup);
    const index = indexOf.get(text);
    if (index === undefined) return new Rejection('P1', fieldPath(casePath, 'a'), `one of the cases ${expectedText.join(' ')}`, shortText(text));
    const earlier = seenAt.get(text);
    if (earlier !== undefined) return new Rejection('P1', fieldPath(casePath, 'a'), 'each case once', `${text} again (also at ${earlier})`);
    seenAt.set(text, casePath);
    const sys = caseSystem(inst, expected[index]!);
    const lemmaList = obj.entries.get('lemmas');
    const lemmas = lemmaList === undefined ? { roots: [], lemmas: [] } : readCaseLemmas(lemmaList, fieldPath(casePath, 'lemmas'), sys, t, scope);
    if (isRejection(lemmas)) return lemmas;
    scope.cases.push({ text, lemmas: lemmas.lemmas });
    roots.push(...lemmas.roots);
    roots.push({
      node: obj.entries.get('tree'),
      path: fieldPath(casePath, 'tree'),
      sys,
      start: [],
      lemmas: lemmas.lemmas,
      usable: lemmas.lemmas.length,
      owner: undefined,
      casePosition: t,
      scope,
    });
  }
  const missing = expectedText.filter((text) => !seenAt.has(text));
  if (missing.length > 0) return new Rejection('P1', path, `the cases ${expectedText.join(' ')}`, `no case ${missing.join(' ')}`);
  return roots;
}

/** A case label: "free", or k numbers. Numbers are compared exactly, so "-1" and "-2/2" agree. */
function readCaseWeights(v: JsonValue | undefined, path: string, k: number): CaseWeights | Rejection {
  if (v?.type === 'string' && v.value === 'free') return 'free';
  const list = readArray(v, 'P1', path);
  if (isRejection(list)) return new Rejection('P1', path, `"free" or a list of ${k} output weights`, describe(v));
  if (list.items.length !== k) return new Rejection('P1', path, `${k} output weights`, `${list.items.length}`);
  const out: Rat[] = [];
  for (const [j, item] of list.items.entries()) {
    const r = readRat(item, 'P1', fieldPath(path, j));
    if (isRejection(r)) return r;
    out.push(r);
  }
  return out;
}

/** Which rule checks this node: a split (field `split`) or a leaf (field `leaf`: farkas | motzkin | l2dual | symmetry | lemma | image | lex, the last two in format /3). */
function nodeKind(at: NodeAt): NodeKind | Rejection {
  const forms = [
    '{"split", "act", "inact"}',
    '{"leaf": "farkas" | "motzkin", "multipliers"}',
    '{"leaf": "l2dual", "residuals", "multipliers"}',
    '{"leaf": "symmetry", "units", "point"}',
    '{"leaf": "lemma", "index"}',
    ...(at.scope.images ? ['{"leaf": "image", "lemma", "map"?, "units"?}', '{"leaf": "lex", "unit", "point", "map"?, "units"?}'] : []),
  ];
  const expected = `a node: ${forms.slice(0, -1).join(', ')} or ${forms[forms.length - 1]}`;
  const node = at.node;
  if (node?.type !== 'object') return new Rejection('P2', at.path, expected, describe(node));
  if (node.entries.has('split')) return 'split';
  const leaf = node.entries.get('leaf');
  const kinds: NodeKind[] = ['farkas', 'motzkin', 'l2dual', 'symmetry', 'lemma', ...(at.scope.images ? (['image', 'lex'] as const) : [])];
  const named = leaf?.type === 'string' ? kinds.find((x) => x === leaf.value) : undefined;
  if (named !== undefined) return named;
  if (leaf !== undefined)
    return new Rejection(
      'P2',
      fieldPath(at.path, 'leaf'),
      `${kinds
        .slice(0, -1)
        .map((x) => `"${x}"`)
        .join(', ')} or "${kinds[kinds.length - 1]}"`,
      describe(leaf),
    );
  return new Rejection('P2', at.path, expected, `an object with the fields ${listText([...node.entries.keys()]) || '(none)'}`);
}

/** P2: a split on a literal (j, i) in range and not on the path yet, with both children. */
function checkSplit(node: JsonObject, at: NodeAt, lits: PathMap): NodeAt[] | Rejection {
  const obj = readObject(node, 'P2', at.path, ['split', 'act', 'inact']);
  if (isRejection(obj)) return obj;
  const splitPath = fieldPath(at.path, 'split');
  const split = readObject(obj.entries.get('split'), 'P2', splitPath, ['unit', 'point']);
  if (isRejection(split)) return split;
  const { hidden: k, n } = at.sys.inst;
  const unit = readIndex(split.entries.get('unit'), 'P2', fieldPath(splitPath, 'unit'), k, 'unit');
  if (isRejection(unit)) return unit;
  const point = readIndex(split.entries.get('point'), 'P2', fieldPath(splitPath, 'point'), n, 'point');
  if (isRejection(point)) return point;
  charge(COST.lookup);
  const above = lits.get(key({ unit, point }));
  if (above !== undefined)
    return new Rejection('P2', splitPath, `a literal not yet fixed on the path`, `unit ${unit}, point ${point}, already ${above ? 'ACT' : 'INACT'} above`);
  const child = (active: boolean): NodeAt => ({
    node: obj.entries.get(active ? 'act' : 'inact'),
    path: fieldPath(at.path, active ? 'act' : 'inact'),
    sys: at.sys,
    literal: { unit, point, active },
    lemmas: at.lemmas,
    usable: at.usable,
    owner: at.owner,
    casePosition: at.casePosition,
    scope: at.scope,
  });
  return [child(true), child(false)];
}

/** The combination a leaf's multipliers make of its rows. */
interface Combination {
  /** sum_r lambda_r * rhs_r */
  rhs: Rat;
  /** sum of the multipliers of strict (<) rows */
  strictWeight: Rat;
  path: string;
}

/**
 * F1-F2 for a leaf's `multipliers` (every name a row of R: base rows and the
 * literal rows of the path; multipliers of <= and < rows >= 0), and the
 * combination they make: sum_r lambda_r * lhs_r (by variable), sum_r
 * lambda_r * rhs_r, and the weight of the strict rows.
 */
function combineRows(multipliers: JsonValue | undefined, mPath: string, at: NodeAt, literals: PathMap): (Combination & { lhs: Map<string, Rat> }) | Rejection {
  if (multipliers?.type !== 'object') return new Rejection('F1', mPath, 'an object {row name: multiplier}', describe(multipliers));
  const lhs = new Map<string, Rat>();
  const rhsTerms: Rat[] = [];
  const strictTerms: Rat[] = [];
  for (const [name, value] of multipliers.entries) {
    const path = fieldPath(mPath, name);
    // F1
    const row = rowNamed(at.sys, name, literals);
    if (typeof row === 'string') return new Rejection('F1', path, 'the name of a base row or of a literal row of the path', `${quote(name)}: ${row}`);
    // F2
    const lambda = readRat(value, 'F2', path);
    if (isRejection(lambda)) return lambda;
    if (row.sense !== '=' && lambda.sign() < 0) return new Rejection('F2', path, `a multiplier >= 0 (the row is ${row.sense})`, lambda.toString());
    addTimes(lhs, lambda, row.coefs);
    rhsTerms.push(lambda.mul(row.rhs));
    if (row.sense === '<') strictTerms.push(lambda);
  }
  return { lhs, rhs: sumRats(rhsTerms), strictWeight: sumRats(strictTerms), path: mPath };
}

/** lhs += lambda * coefs, variable by variable (each lookup charged; the arithmetic charges itself). */
function addTimes(lhs: Map<string, Rat>, lambda: Rat, coefs: Iterable<[string, Rat]>): void {
  for (const [variable, coef] of coefs) {
    charge(2 * COST.lookup);
    lhs.set(variable, (lhs.get(variable) ?? Rat.ZERO).add(lambda.mul(coef)));
  }
}

/** The first variable (in name order) with a nonzero coefficient, if any: one pass over the combination. */
function nonzeroVariable(lhs: Map<string, Rat>): string | undefined {
  let first: string | undefined;
  for (const [variable, coef] of lhs) {
    charge(COST.lookup);
    if (!coef.isZero() && (first === undefined || variable < first)) first = variable;
  }
  return first;
}

/**
 * F1-F3 for a leaf, then F4 by `checkBound` (Farkas or Motzkin):
 * F1 every name is a row of R (base rows and the literal rows of the path);
 * F2 multipliers of <= and < rows are >= 0; F3 sum_r lambda_r * lhs_r = 0.
 */
function checkLeaf(node: JsonObject, at: NodeAt, lits: PathMap, checkBound: (c: Combination) => Rejection | undefined): NodeAt[] | Rejection {
  const obj = readObject(node, 'F1', at.path, ['leaf', 'multipliers']);
  if (isRejection(obj)) return obj;
  const c = combineRows(obj.entries.get('multipliers'), fieldPath(at.path, 'multipliers'), at, lits);
  if (isRejection(c)) return c;
  // F3
  const nonzero = nonzeroVariable(c.lhs);
  if (nonzero !== undefined)
    return new Rejection('F3', c.path, 'the combination of left-hand sides to be 0 in every variable', `${nonzero} has ${c.lhs.get(nonzero)!}`);
  // F4
  return checkBound(c) ?? [];
}

/**
 * Q1-Q3, an l2dual leaf (squared loss; docs/lemmas.md, "L2 dual leaves"):
 * Q1 the instance's loss is l2 and `residuals` lists n numbers u_i;
 * F1-F2 for `multipliers` mu_r as in a Farkas leaf;
 * Q2 stationarity: sum_i u_i f_i + sum_r mu_r lhs_r = 0 in every variable;
 * Q3 the dual value D = -sum_i u_i (u_i + 2 y_i) - 2 sum_r mu_r rhs_r is
 *    > G (>= G when the bound is strict). Weak duality: every point of the
 *    rows has sum_i (f_i - y_i)^2 >= D, so no network on the path meets the bound.
 */
function checkL2DualLeaf(node: JsonObject, at: NodeAt, lits: PathMap): NodeAt[] | Rejection {
  const obj = readObject(node, 'Q1', at.path, ['leaf', 'residuals', 'multipliers']);
  if (isRejection(obj)) return obj;
  const inst = at.sys.inst;
  const loss = inst.loss;
  if (loss.type !== 'l2') return new Rejection('Q1', fieldPath(at.path, 'leaf'), 'an l2dual leaf only for the loss l2', `loss ${loss.type}`);
  const uPath = fieldPath(at.path, 'residuals');
  const list = readArray(obj.entries.get('residuals'), 'Q1', uPath);
  if (isRejection(list)) return list;
  if (list.items.length !== inst.n) return new Rejection('Q1', uPath, `${inst.n} residuals (one per point)`, `${list.items.length}`);
  const u: Rat[] = [];
  for (const [i, item] of list.items.entries()) {
    const r = readRat(item, 'Q1', fieldPath(uPath, i));
    if (isRejection(r)) return r;
    u.push(r);
  }
  const c = combineRows(obj.entries.get('multipliers'), fieldPath(at.path, 'multipliers'), at, lits);
  if (isRejection(c)) return c;
  // Q2: add sum_i u_i f_i (f_i is linear in the variables: no constant term)
  for (const [i, ui] of u.entries()) if (!ui.isZero()) addTimes(c.lhs, ui, output(at.sys, i));
  const nonzero = nonzeroVariable(c.lhs);
  if (nonzero !== undefined)
    return new Rejection(
      'Q2',
      at.path,
      'sum_i residuals[i] * f_i + the combination of left-hand sides to be 0 in every variable',
      `${nonzero} has ${c.lhs.get(nonzero)!}`,
    );
  // Q3
  const TWO = Rat.of(2n);
  const dual = sumRats(u.map((ui, i) => ui.mul(ui.add(TWO.mul(inst.labels[i]!)))))
    .add(TWO.mul(c.rhs))
    .neg();
  const ok = loss.strict ? !dual.lt(loss.bound) : loss.bound.lt(dual);
  if (!ok) return new Rejection('Q3', at.path, `a dual value ${loss.strict ? '>=' : '>'} ${loss.bound} (the l2 bound)`, dual.toString());
  return [];
}

/** F4, farkas: sum_r lambda_r * rhs_r < 0. */
function checkFarkasBound(c: Combination): Rejection | undefined {
  if (c.rhs.sign() < 0) return undefined;
  return new Rejection('F4', c.path, 'the combination of right-hand sides < 0 (farkas)', c.rhs.toString());
}

/** F4, motzkin: sum_r lambda_r * rhs_r <= 0 and the multipliers of strict rows sum to > 0. */
function checkMotzkinBound(c: Combination): Rejection | undefined {
  if (c.rhs.sign() > 0) return new Rejection('F4', c.path, 'the combination of right-hand sides <= 0 (motzkin)', c.rhs.toString());
  if (c.strictWeight.sign() <= 0) return new Rejection('F4', c.path, 'multipliers of strict (<) rows summing to > 0 (motzkin)', c.strictWeight.toString());
  return undefined;
}

/**
 * S1-S2 (lemma L5): units [j, j+1] are twins in the case, and the path makes
 * unit j's canonical pattern lexicographically smaller than unit j+1's:
 * equal literals at every point before i, INACT(j, i) and ACT(j+1, i).
 */
function checkSymmetryLeaf(node: JsonObject, at: NodeAt, literals: PathMap): NodeAt[] | Rejection {
  const obj = readObject(node, 'S1', at.path, ['leaf', 'units', 'point']);
  if (isRejection(obj)) return obj;
  const { hidden: k, n } = at.sys.inst;
  const unitsPath = fieldPath(at.path, 'units');
  const units = readArray(obj.entries.get('units'), 'S1', unitsPath);
  if (isRejection(units)) return units;
  if (units.items.length !== 2) return new Rejection('S1', unitsPath, 'two units [j, j+1]', `${units.items.length} entries`);
  const j = readIndex(units.items[0], 'S1', fieldPath(unitsPath, 0), k, 'unit');
  if (isRejection(j)) return j;
  const j2 = readIndex(units.items[1], 'S1', fieldPath(unitsPath, 1), k, 'unit');
  if (isRejection(j2)) return j2;
  if (j2 !== j + 1) return new Rejection('S1', unitsPath, 'two consecutive units [j, j+1]', `[${j}, ${j2}]`);
  const a = at.sys.a;
  if (a !== 'free' && !a[j]!.eq(a[j2]!))
    return new Rejection('S1', unitsPath, 'twin units (equal output weights in the case)', `output weights ${a[j]!} and ${a[j2]!}`);
  const point = readIndex(obj.entries.get('point'), 'S2', fieldPath(at.path, 'point'), n, 'point');
  if (isRejection(point)) return point;
  const show = (v: boolean | undefined): string => (v === undefined ? 'no literal' : v ? 'ACT' : 'INACT');
  for (let i = 0; i < point; i++) {
    charge(2 * COST.lookup);
    const x = literals.get(`${j}:${i}`);
    const y = literals.get(`${j2}:${i}`);
    if (x === undefined || y === undefined || x !== y)
      return new Rejection('S2', at.path, `equal literals on units ${j} and ${j2} at point ${i} (before point ${point})`, `${show(x)} and ${show(y)}`);
  }
  const x = literals.get(`${j}:${point}`);
  const y = literals.get(`${j2}:${point}`);
  if (x !== false || y !== true) return new Rejection('S2', at.path, `INACT(${j}, ${point}) and ACT(${j2}, ${point}) on the path`, `${show(x)} and ${show(y)}`);
  // the lemma this leaf proves holds only for networks sorted as L5 says (L9: it is not mapped)
  if (at.owner) at.owner.ordered = true;
  return [];
}

const LITERAL_NAME = /^(act|inact):(0|[1-9][0-9]{0,8}):(0|[1-9][0-9]{0,8})$/;

/**
 * D1: a case's `lemmas` is a list of objects {"assume": [literal names],
 * "tree": NODE}; each literal name is `act:j:i` or `inact:j:i` (canonical
 * decimals, j < k, i < n), no (j, i) twice in one lemma. Returns each
 * lemma's tree to walk, its path starting with the assumed literals and
 * allowed to use only the lemmas before it.
 */
function readCaseLemmas(
  v: JsonValue,
  path: string,
  sys: CaseSystem,
  casePosition: number,
  scope: ProofScope,
): { roots: NodeAt[]; lemmas: Lemma[] } | Rejection {
  const list = readArray(v, 'D1', path);
  if (isRejection(list)) return list;
  const { hidden: k, n } = sys.inst;
  const lemmas: Lemma[] = [];
  const roots: NodeAt[] = [];
  for (const [m, item] of list.items.entries()) {
    const lemmaPath = fieldPath(path, m);
    const obj = readObject(item, 'D1', lemmaPath, ['assume', 'tree']);
    if (isRejection(obj)) return obj;
    const assumePath = fieldPath(lemmaPath, 'assume');
    const names = readArray(obj.entries.get('assume'), 'D1', assumePath);
    if (isRejection(names)) return names;
    const assume: Literal[] = [];
    const seen = new Set<string>();
    for (const [t, entry] of names.items.entries()) {
      charge(COST.lookup);
      const at = fieldPath(assumePath, t);
      const name = readString(entry, 'D1', at);
      if (isRejection(name)) return name;
      const match = LITERAL_NAME.exec(name);
      const unit = match ? smallInteger(match[2]!) : undefined;
      const point = match ? smallInteger(match[3]!) : undefined;
      if (!match || unit === undefined || point === undefined || unit >= k || point >= n)
        return new Rejection('D1', at, `a literal "act:j:i" or "inact:j:i" with j < ${k} and i < ${n}`, quote(name));
      if (seen.has(key({ unit, point })))
        return new Rejection('D1', at, 'each (unit, point) once among the assumed literals', `unit ${unit}, point ${point} again`);
      seen.add(key({ unit, point }));
      assume.push({ unit, point, active: match[1] === 'act' });
    }
    const lemma: Lemma = { assume, path: lemmaPath, uses: 0, ordered: false };
    lemmas.push(lemma);
    roots.push({ node: obj.entries.get('tree'), path: fieldPath(lemmaPath, 'tree'), sys, start: assume, lemmas, usable: m, owner: lemma, casePosition, scope });
  }
  return { roots, lemmas };
}

/**
 * D2-D3 (lemma L6): a lemma leaf {"leaf": "lemma", "index": m} names an
 * earlier lemma of its own case (m < the index of the lemma it sits in; any
 * lemma of the case in the case's main tree), and every literal that lemma
 * assumes is on the path.
 */
function checkLemmaLeaf(node: JsonObject, at: NodeAt, literals: PathMap): NodeAt[] | Rejection {
  const obj = readObject(node, 'D2', at.path, ['leaf', 'index']);
  if (isRejection(obj)) return obj;
  const indexPath = fieldPath(at.path, 'index');
  if (at.usable === 0) return new Rejection('D2', indexPath, 'no lemma leaf here (no earlier lemma of this case)', describe(obj.entries.get('index')));
  const m = readIndex(obj.entries.get('index'), 'D2', indexPath, at.usable, 'an earlier lemma of this case');
  if (isRejection(m)) return m;
  const lemma = at.lemmas[m]!;
  for (const l of lemma.assume) {
    charge(COST.lookup);
    if (literals.get(key(l)) !== l.active) {
      const want = `${l.active ? 'ACT' : 'INACT'}(${l.unit},${l.point})`;
      const got = literals.get(key(l));
      return new Rejection(
        'D3',
        at.path,
        `every literal lemma ${m} assumes on the path, ${want} among them`,
        got === undefined ? 'no literal on that unit and point' : `${got ? 'ACT' : 'INACT'}(${l.unit},${l.point})`,
      );
    }
  }
  lemma.uses++;
  if (lemma.ordered && at.owner) at.owner.ordered = true;
  return [];
}

/**
 * I1-I3 (lemma L9, image.ts): an image leaf names a lemma of a case listed
 * before this one, or an earlier lemma of this case, whose proof does not
 * depend on the order of L5 or L10, and the path holds its literals' images.
 */
function checkImage(node: JsonObject, at: NodeAt, lits: PathMap): NodeAt[] | Rejection {
  const lemmasOf = (text: string): { lemmas: readonly Lemma[]; usable: number } | string => {
    charge(at.scope.cases.length * COST.lookup);
    const position = at.scope.cases.findIndex((c) => c.text === text);
    if (position < 0 || position > at.casePosition) return position < 0 ? 'no such case' : 'a case listed after this one';
    const lemmas = at.scope.cases[position]!.lemmas;
    return { lemmas, usable: position === at.casePosition ? at.usable : lemmas.length };
  };
  const lemma = checkImageLeaf(node, at.path, { ...leafSite(at, lits), lemmasOf });
  if (isRejection(lemma)) return lemma;
  lemma.uses++;
  return [];
}

/** X1-X3 (lemma L10, image.ts): the path makes the network lexicographically smaller than its image; the lemma holding the leaf depends on that order. */
function checkLex(node: JsonObject, at: NodeAt, lits: PathMap): NodeAt[] | Rejection {
  const r = checkLexLeaf(node, at.path, leafSite(at, lits));
  if (r) return r;
  if (at.owner) at.owner.ordered = true;
  return [];
}

/** What image.ts needs to know of a node: the instance, the proof's maps, its case, its path, the cases of P1. */
function leafSite(at: NodeAt, lits: PathMap): LeafSite {
  return {
    inst: at.sys.inst,
    maps: at.scope.maps,
    a: at.sys.a,
    literals: lits,
    isCase: (text) => {
      charge(at.scope.cases.length * COST.lookup);
      return at.scope.cases.some((c) => c.text === text);
    },
  };
}
