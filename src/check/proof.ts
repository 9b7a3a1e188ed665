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
 * Every rule has the same signature: it receives the node and where it sits,
 * and returns the children still to check or a Rejection. The walk uses an
 * explicit stack, so a deep tree cannot overflow the call stack; P2 (no
 * literal twice on a path) bounds the depth by k*n. Each lemma's tree is
 * walked once, with its assumed literals as the start of every path; D4
 * (every lemma used) is checked after the walk. The cases are walked in
 * file order, each case's lemmas before its tree, so when a leaf names a
 * lemma, that lemma's tree has been checked, and whether it depends on an
 * order (a symmetry or lex leaf in it, or a lemma leaf naming such a lemma:
 * L5, L10) is known: an image leaf may name only a lemma that does not.
 */
import { describe, isRejection, readArray, readIndex, readObject, readRat, readString, smallInteger } from './fields.js';
import type { Instance } from './instance.js';
import { type JsonObject, type JsonValue, fieldPath } from './json.js';
import { Rat, chargeUnits, sumRats } from './rational.js';
import { type CheckedMap, type LeafSite, checkImageLeaf, checkLexLeaf, readMaps } from './image.js';
import { Rejection } from './rejection.js';
import { type CaseSystem, type CaseWeights, caseSystem, caseText, expectedCases, lemmasApplied, output, rowNamed } from './rows.js';

export interface ProofSummary {
  nodes: number;
  leaves: number;
}

/** A literal on the path from the case root, linked to the one above it. */
interface PathLiteral {
  unit: number;
  point: number;
  active: boolean;
  above: PathLiteral | undefined;
}

/** A lemma of a case (section 4.6): its assumed literals, where it sits, how often a lemma or image leaf used it, and whether its proof depends on an order (L5, L10). */
interface Lemma {
  assume: { unit: number; point: number; active: boolean }[];
  path: string;
  uses: number;
  ordered: boolean;
}

/** What every node of one proof shares: whether image leaves are allowed (format /3) and the verified maps, and each case's label and lemmas, in file order. */
interface ProofScope {
  images: boolean;
  maps: CheckedMap[];
  cases: { text: string; lemmas: Lemma[] }[];
}

/** A node still to check: the JSON, its field path, its case, the literals above it, the lemmas it may use. */
interface NodeAt {
  node: JsonValue | undefined;
  path: string;
  sys: CaseSystem;
  literals: PathLiteral | undefined;
  /** the case's lemmas; a lemma leaf here may use those with index < usable */
  lemmas: Lemma[];
  usable: number;
  /** the lemma whose tree holds this node (undefined in a case's main tree) */
  owner: Lemma | undefined;
  /** the position of the node's case in `cases` */
  casePosition: number;
  scope: ProofScope;
}

type NodeRule = (node: JsonObject, at: NodeAt) => NodeAt[] | Rejection;
type NodeKind = 'split' | 'farkas' | 'motzkin' | 'l2dual' | 'symmetry' | 'lemma' | 'image' | 'lex';

const NODE_RULES: Readonly<Record<NodeKind, NodeRule>> = {
  split: checkSplit,
  farkas: (node, at) => checkLeaf(node, at, checkFarkasBound),
  motzkin: (node, at) => checkLeaf(node, at, checkMotzkinBound),
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
 * (`maps` and image leaves).
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

  const summary: ProofSummary = { nodes: 0, leaves: 0 };
  let symmetryLeaves = 0;
  let lemmaLeaves = 0;
  let imageLeaves = 0;
  let lexLeaves = 0;
  const caseLemmas = new Set(roots.map((r) => r.lemmas));
  const todo: NodeAt[] = [...roots].reverse();
  for (let at = todo.pop(); at !== undefined; at = todo.pop()) {
    const kind = nodeKind(at);
    if (isRejection(kind)) return kind;
    const children = NODE_RULES[kind](at.node as JsonObject, at);
    if (isRejection(children)) return children;
    summary.nodes++;
    if (children.length === 0) summary.leaves++;
    if (kind === 'symmetry') symmetryLeaves++;
    if (kind === 'lemma') lemmaLeaves++;
    if (kind === 'image') imageLeaves++;
    if (kind === 'lex') lexLeaves++;
    todo.push(...children.reverse());
  }
  // D4: every lemma was used by some lemma leaf (or image leaf, format /3)
  const users = withMaps ? 'lemma or image leaf' : 'lemma leaf of its case';
  for (const lemmas of caseLemmas)
    for (const lemma of lemmas) if (lemma.uses === 0) return new Rejection('D4', lemma.path, `a lemma used by at least one ${users}`, 'a lemma no leaf uses');
  // P1: the declared lemmas are the ones applied, L5 exactly when a symmetry leaf was used, L6 when a lemma or image leaf was, L9 when an image leaf was
  const want = [
    ...lemmasApplied(inst),
    ...(symmetryLeaves > 0 ? ['L5'] : []),
    ...(lemmaLeaves + imageLeaves > 0 ? ['L6'] : []),
    ...(imageLeaves > 0 ? ['L9'] : []),
    ...(lexLeaves > 0 ? ['L10'] : []),
  ];
  const lemmas = checkLemmas(declared, lemmasPath, want);
  return lemmas ?? summary;
}

/** P1: the declared lemma names, each once. */
function readLemmas(v: JsonValue | undefined, path: string): string[] | Rejection {
  const list = readArray(v, 'P1', path);
  if (isRejection(list)) return list;
  const got: string[] = [];
  for (const [t, item] of list.items.entries()) {
    const name = readString(item, 'P1', fieldPath(path, t));
    if (isRejection(name)) return name;
    if (got.includes(name)) return new Rejection('P1', fieldPath(path, t), 'each lemma once', `${JSON.stringify(name)} twice`);
    got.push(name);
  }
  return got;
}

/** P1: the declared lemmas are exactly the ones the checker applied (as a set). */
function checkLemmas(got: string[], path: string, want: string[]): Rejection | undefined {
  const wantText = want.length === 0 ? 'no lemmas []' : `the lemmas [${want.join(', ')}]`;
  if (got.length !== want.length || !want.every((l) => got.includes(l)))
    return new Rejection('P1', path, `${wantText} for this instance and tree`, `[${got.join(', ')}]`);
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
  const seenAt = new Map<string, string>();
  const roots: NodeAt[] = [];
  for (const [t, item] of list.items.entries()) {
    const casePath = fieldPath(path, t);
    const obj = readObject(item, 'P1', casePath, ['a', 'tree'], withLemmas ? ['lemmas'] : []);
    if (isRejection(obj)) return obj;
    const a = readCaseWeights(obj.entries.get('a'), fieldPath(casePath, 'a'), inst.hidden);
    if (isRejection(a)) return a;
    const text = caseText(a);
    const index = expectedText.indexOf(text);
    if (index < 0) return new Rejection('P1', fieldPath(casePath, 'a'), `one of the cases ${expectedText.join(' ')}`, text);
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
      literals: undefined,
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

/** Which rule checks this node: a split (field `split`) or a leaf (field `leaf`: farkas | motzkin | l2dual | symmetry | lemma | image, the last in format /3). */
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
  const kinds: string[] = ['farkas', 'motzkin', 'l2dual', 'symmetry', 'lemma', ...(at.scope.images ? ['image', 'lex'] : [])];
  if (leaf?.type === 'string' && kinds.includes(leaf.value)) return leaf.value as NodeKind;
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
  return new Rejection('P2', at.path, expected, `an object with the fields ${[...node.entries.keys()].join(', ') || '(none)'}`);
}

/** P2: a split on a literal (j, i) in range and not on the path yet, with both children. */
function checkSplit(node: JsonObject, at: NodeAt): NodeAt[] | Rejection {
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
  let steps = 0n;
  for (let l = at.literals; l !== undefined; l = l.above) {
    steps++;
    if (l.unit === unit && l.point === point)
      return new Rejection('P2', splitPath, `a literal not yet fixed on the path`, `unit ${unit}, point ${point}, already ${l.active ? 'ACT' : 'INACT'} above`);
  }
  // the walk above and the children's field paths grow with the depth: charged to the work limit (C4)
  chargeUnits(steps + BigInt(at.path.length));
  const child = (active: boolean): NodeAt => ({
    node: obj.entries.get(active ? 'act' : 'inact'),
    path: fieldPath(at.path, active ? 'act' : 'inact'),
    sys: at.sys,
    literals: { unit, point, active, above: at.literals },
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
function combineRows(multipliers: JsonValue | undefined, mPath: string, at: NodeAt): (Combination & { lhs: Map<string, Rat> }) | Rejection {
  if (multipliers?.type !== 'object') return new Rejection('F1', mPath, 'an object {row name: multiplier}', describe(multipliers));
  const literals = pathLiterals(at);
  const lhs = new Map<string, Rat>();
  const rhsTerms: Rat[] = [];
  const strictTerms: Rat[] = [];
  for (const [name, value] of multipliers.entries) {
    const path = fieldPath(mPath, name);
    // F1
    const row = rowNamed(at.sys, name, literals);
    if (typeof row === 'string') return new Rejection('F1', path, 'the name of a base row or of a literal row of the path', `${JSON.stringify(name)}: ${row}`);
    // F2
    const lambda = readRat(value, 'F2', path);
    if (isRejection(lambda)) return lambda;
    if (row.sense !== '=' && lambda.sign() < 0) return new Rejection('F2', path, `a multiplier >= 0 (the row is ${row.sense})`, lambda.toString());
    for (const [variable, coef] of row.coefs) lhs.set(variable, (lhs.get(variable) ?? Rat.ZERO).add(lambda.mul(coef)));
    rhsTerms.push(lambda.mul(row.rhs));
    if (row.sense === '<') strictTerms.push(lambda);
  }
  return { lhs, rhs: sumRats(rhsTerms), strictWeight: sumRats(strictTerms), path: mPath };
}

/** The first variable (in name order) with a nonzero coefficient, if any. */
function nonzeroVariable(lhs: Map<string, Rat>): string | undefined {
  return [...lhs.keys()].sort().find((variable) => !lhs.get(variable)!.isZero());
}

/**
 * F1-F3 for a leaf, then F4 by `checkBound` (Farkas or Motzkin):
 * F1 every name is a row of R (base rows and the literal rows of the path);
 * F2 multipliers of <= and < rows are >= 0; F3 sum_r lambda_r * lhs_r = 0.
 */
function checkLeaf(node: JsonObject, at: NodeAt, checkBound: (c: Combination) => Rejection | undefined): NodeAt[] | Rejection {
  const obj = readObject(node, 'F1', at.path, ['leaf', 'multipliers']);
  if (isRejection(obj)) return obj;
  const c = combineRows(obj.entries.get('multipliers'), fieldPath(at.path, 'multipliers'), at);
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
function checkL2DualLeaf(node: JsonObject, at: NodeAt): NodeAt[] | Rejection {
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
  const c = combineRows(obj.entries.get('multipliers'), fieldPath(at.path, 'multipliers'), at);
  if (isRejection(c)) return c;
  // Q2: add sum_i u_i f_i (f_i is linear in the variables: no constant term)
  for (const [i, ui] of u.entries())
    if (!ui.isZero()) for (const [variable, coef] of output(at.sys, i)) c.lhs.set(variable, (c.lhs.get(variable) ?? Rat.ZERO).add(ui.mul(coef)));
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
function checkSymmetryLeaf(node: JsonObject, at: NodeAt): NodeAt[] | Rejection {
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
  const literals = pathLiterals(at);
  const show = (v: boolean | undefined): string => (v === undefined ? 'no literal' : v ? 'ACT' : 'INACT');
  for (let i = 0; i < point; i++) {
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
    const assume: Lemma['assume'] = [];
    let literals: PathLiteral | undefined;
    for (const [t, entry] of names.items.entries()) {
      const at = fieldPath(assumePath, t);
      const name = readString(entry, 'D1', at);
      if (isRejection(name)) return name;
      const match = LITERAL_NAME.exec(name);
      const unit = match ? smallInteger(match[2]!) : undefined;
      const point = match ? smallInteger(match[3]!) : undefined;
      if (!match || unit === undefined || point === undefined || unit >= k || point >= n)
        return new Rejection('D1', at, `a literal "act:j:i" or "inact:j:i" with j < ${k} and i < ${n}`, JSON.stringify(name));
      if (assume.some((l) => l.unit === unit && l.point === point))
        return new Rejection('D1', at, 'each (unit, point) once among the assumed literals', `unit ${unit}, point ${point} again`);
      const active = match[1] === 'act';
      assume.push({ unit, point, active });
      literals = { unit, point, active, above: literals };
    }
    const lemma: Lemma = { assume, path: lemmaPath, uses: 0, ordered: false };
    lemmas.push(lemma);
    roots.push({ node: obj.entries.get('tree'), path: fieldPath(lemmaPath, 'tree'), sys, literals, lemmas, usable: m, owner: lemma, casePosition, scope });
  }
  return { roots, lemmas };
}

/**
 * D2-D3 (lemma L6): a lemma leaf {"leaf": "lemma", "index": m} names an
 * earlier lemma of its own case (m < the index of the lemma it sits in; any
 * lemma of the case in the case's main tree), and every literal that lemma
 * assumes is on the path.
 */
function checkLemmaLeaf(node: JsonObject, at: NodeAt): NodeAt[] | Rejection {
  const obj = readObject(node, 'D2', at.path, ['leaf', 'index']);
  if (isRejection(obj)) return obj;
  const indexPath = fieldPath(at.path, 'index');
  if (at.usable === 0) return new Rejection('D2', indexPath, 'no lemma leaf here (no earlier lemma of this case)', describe(obj.entries.get('index')));
  const m = readIndex(obj.entries.get('index'), 'D2', indexPath, at.usable, 'an earlier lemma of this case');
  if (isRejection(m)) return m;
  const lemma = at.lemmas[m]!;
  const literals = pathLiterals(at);
  for (const l of lemma.assume)
    if (literals.get(`${l.unit}:${l.point}`) !== l.active) {
      const want = `${l.active ? 'ACT' : 'INACT'}(${l.unit},${l.point})`;
      const got = literals.get(`${l.unit}:${l.point}`);
      return new Rejection(
        'D3',
        at.path,
        `every literal lemma ${m} assumes on the path, ${want} among them`,
        got === undefined ? 'no literal on that unit and point' : `${got ? 'ACT' : 'INACT'}(${l.unit},${l.point})`,
      );
    }
  lemma.uses++;
  if (lemma.ordered && at.owner) at.owner.ordered = true;
  return [];
}

/** The literals of a node's path by `j:i`: true for ACT, false for INACT. */
function pathLiterals(at: NodeAt): Map<string, boolean> {
  const literals = new Map<string, boolean>();
  for (let l = at.literals; l !== undefined; l = l.above) literals.set(`${l.unit}:${l.point}`, l.active);
  return literals;
}

/**
 * I1-I3 (lemma L9, image.ts): an image leaf names a lemma of a case listed
 * before this one, or an earlier lemma of this case, whose proof does not
 * depend on the order of L5, and the path holds its literals' images.
 */
function checkImage(node: JsonObject, at: NodeAt): NodeAt[] | Rejection {
  const lemmasOf = (text: string): { lemmas: readonly Lemma[]; usable: number } | string => {
    const position = at.scope.cases.findIndex((c) => c.text === text);
    if (position < 0 || position > at.casePosition) return position < 0 ? 'no such case' : 'a case listed after this one';
    const lemmas = at.scope.cases[position]!.lemmas;
    return { lemmas, usable: position === at.casePosition ? at.usable : lemmas.length };
  };
  const lemma = checkImageLeaf(node, at.path, { ...leafSite(at), lemmasOf });
  if (isRejection(lemma)) return lemma;
  lemma.uses++;
  return [];
}

/** X1-X3 (lemma L10, image.ts): the path makes the network lexicographically smaller than its image; the lemma holding the leaf depends on that order. */
function checkLex(node: JsonObject, at: NodeAt): NodeAt[] | Rejection {
  const r = checkLexLeaf(node, at.path, leafSite(at));
  if (r) return r;
  if (at.owner) at.owner.ordered = true;
  return [];
}

/** What image.ts needs to know of a node: the instance, the proof's maps, its case, its path, the cases of P1. */
function leafSite(at: NodeAt): LeafSite {
  return {
    inst: at.sys.inst,
    maps: at.scope.maps,
    a: at.sys.a,
    literals: pathLiterals(at),
    isCase: (text) => at.scope.cases.some((c) => c.text === text),
  };
}
