/**
 * What the checker computes from the instance alone: the normalisation cases
 * and lemmas of table P1 (section 4.1), and every constraint row of section
 * 4.3, rebuilt from its name. A certificate names rows; it never supplies a
 * coefficient.
 */
import { smallInteger } from './fields.js';
import type { Instance } from './instance.js';
import { Rat } from './rational.js';

// ---------------------------------------------------------------- P1: cases

/** Output weights of one normalisation case: fixed values, or 'free' (a_j are variables). */
export type CaseWeights = Rat[] | 'free';

/** The cases table P1 requires, in a fixed order. */
export function expectedCases(inst: Instance): CaseWeights[] {
  const k = inst.hidden;
  const sortedSignVectors = (): Rat[][] =>
    Array.from({ length: k + 1 }, (_, negatives) => Array.from({ length: k }, (_, j) => (j < negatives ? Rat.MINUS_ONE : Rat.ONE)));
  const ow = inst.outputWeights;
  if (ow === 'signs') return sortedSignVectors();
  if (ow === 'free') return inst.activation === 'relu' ? sortedSignVectors() : ['free'];
  if (ow === 'positive') return [Array.from({ length: k }, () => Rat.ONE)];
  return [ow];
}

/**
 * The lemmas the checker applies for this instance, sorted: L1 for ReLU with
 * free output weights; L2 for threshold units; L3 for classification where
 * f can be scaled (ReLU, or threshold with free output weights); L4 wherever
 * the cases are the sorted sign vectors.
 */
export function lemmasApplied(inst: Instance): string[] {
  const relu = inst.activation === 'relu';
  const ow = inst.outputWeights;
  const out: string[] = [];
  if (relu && ow === 'free') out.push('L1');
  if (!relu) out.push('L2');
  if (inst.loss.type === 'classification' && (relu || ow === 'free')) out.push('L3');
  if (ow === 'signs' || (relu && ow === 'free')) out.push('L4');
  return out;
}

/** A case as text: "(-1, 1)" or "free". */
export function caseText(a: CaseWeights): string {
  return a === 'free' ? 'free' : `(${a.map((r) => r.toString()).join(', ')})`;
}

// ---------------------------------------------------------------- 4.3: rows

export type Sense = '<=' | '<' | '=';

/** sum_v coefs[v] * v  SENSE  rhs */
export interface Row {
  coefs: Map<string, Rat>;
  sense: Sense;
  rhs: Rat;
}

/** The LP of one case: which unit variable it uses and whether L3 gives margin 1. */
export interface CaseSystem {
  inst: Instance;
  a: CaseWeights;
  /** z (ReLU output), s (threshold output, fixed a), p (a_j * s_ij, free a). */
  unitVar: 'z' | 's' | 'p';
  /** L3 applies: ReLU, or threshold with free a. */
  margin: boolean;
}

export function caseSystem(inst: Instance, a: CaseWeights): CaseSystem {
  const relu = inst.activation === 'relu';
  return { inst, a, unitVar: relu ? 'z' : a === 'free' ? 'p' : 's', margin: relu || a === 'free' };
}

/** Literals on a path: key `j:i` -> true for ACT(j,i), false for INACT(j,i). */
export type PathLiterals = ReadonlyMap<string, boolean>;

type Expr = Map<string, Rat>;

function expr(...terms: Array<[string, Rat]>): Expr {
  const e: Expr = new Map();
  for (const [v, c] of terms) addTerm(e, v, c);
  return e;
}
function addTerm(e: Expr, v: string, c: Rat): Expr {
  e.set(v, (e.get(v) ?? Rat.ZERO).add(c));
  return e;
}
function scaled(e: Expr, c: Rat): Expr {
  const out: Expr = new Map();
  for (const [v, x] of e) out.set(v, x.mul(c));
  return out;
}
const row = (coefs: Expr, sense: Sense, rhs: Rat): Row => ({ coefs, sense, rhs });

/** h_ij = sum_t x_it * w:j:t + b:j */
function preActivation(sys: CaseSystem, j: number, i: number): Expr {
  const e = expr([`b:${j}`, Rat.ONE]);
  sys.inst.points[i]!.forEach((x, t) => addTerm(e, `w:${j}:${t}`, x));
  return e;
}

/** f_i = sum_j a_j * z:j:i (or s:j:i) + c, or sum_j p:j:i + c; `+ c` only with an output bias. */
function output(sys: CaseSystem, i: number): Expr {
  const e: Expr = new Map();
  for (let j = 0; j < sys.inst.hidden; j++)
    if (sys.a === 'free') addTerm(e, `p:${j}:${i}`, Rat.ONE);
    else addTerm(e, `${sys.unitVar}:${j}:${i}`, sys.a[j]!);
  if (sys.inst.outputBias) addTerm(e, 'c', Rat.ONE);
  return e;
}

/** Row builders by name prefix: how many indices follow, and the row (or why this instance has none). */
type RowKind = { indices: 'unit,point' | 'point' | 'none'; build: (sys: CaseSystem, j: number, i: number, lits: PathLiterals) => Row | string };

const needs = (ok: boolean, why: string, build: () => Row): Row | string => (ok ? build() : why);
const lossBound = (sys: CaseSystem): { bound: Rat; sense: Sense } | undefined =>
  sys.inst.loss.type === 'l1' || sys.inst.loss.type === 'linf'
    ? { bound: sys.inst.loss.bound, sense: sys.inst.loss.strict ? '<' : '<=' }
    : undefined;
const onPath = (lits: PathLiterals, j: number, i: number, active: boolean): string | undefined =>
  lits.get(`${j}:${i}`) === active ? undefined : `${active ? 'ACT' : 'INACT'}(${j},${i}) is not on the path`;
const literalRow = (lits: PathLiterals, j: number, i: number, active: boolean, build: () => Row): Row | string =>
  onPath(lits, j, i, active) ?? build();

const ROW_KINDS: ReadonlyMap<string, RowKind> = new Map<string, RowKind>([
  // base rows
  ['zlb', { indices: 'unit,point', build: (s, j, i) => needs(s.unitVar === 'z', 'zlb rows are for ReLU units', () => row(expr([`z:${j}:${i}`, Rat.MINUS_ONE]), '<=', Rat.ZERO)) }],
  ['zh', { indices: 'unit,point', build: (s, j, i) => needs(s.unitVar === 'z', 'zh rows are for ReLU units', () => row(addTerm(preActivation(s, j, i), `z:${j}:${i}`, Rat.MINUS_ONE), '<=', Rat.ZERO)) }],
  ['slb', { indices: 'unit,point', build: (s, j, i) => needs(s.unitVar === 's', 'slb rows are for threshold units with fixed output weights', () => row(expr([`s:${j}:${i}`, Rat.MINUS_ONE]), '<=', Rat.ZERO)) }],
  ['sub', { indices: 'unit,point', build: (s, j, i) => needs(s.unitVar === 's', 'sub rows are for threshold units with fixed output weights', () => row(expr([`s:${j}:${i}`, Rat.ONE]), '<=', Rat.ONE)) }],
  ['fit', { indices: 'point', build: (s, _j, i) => needs(s.inst.loss.type === 'exact', 'fit rows are for loss exact', () => row(output(s, i), '=', s.inst.labels[i]!)) }],
  ['l1p', { indices: 'point', build: (s, _j, i) => needs(s.inst.loss.type === 'l1', 'l1p rows are for loss l1', () => row(addTerm(output(s, i), `e:${i}`, Rat.MINUS_ONE), '<=', s.inst.labels[i]!)) }],
  ['l1n', { indices: 'point', build: (s, _j, i) => needs(s.inst.loss.type === 'l1', 'l1n rows are for loss l1', () => row(addTerm(scaled(output(s, i), Rat.MINUS_ONE), `e:${i}`, Rat.MINUS_ONE), '<=', s.inst.labels[i]!.neg())) }],
  ['l1sum', { indices: 'none', build: (s) => {
    const b = lossBound(s);
    if (s.inst.loss.type !== 'l1' || !b) return 'l1sum is for loss l1';
    const e: Expr = new Map();
    for (let i = 0; i < s.inst.n; i++) addTerm(e, `e:${i}`, Rat.ONE);
    return row(e, b.sense, b.bound);
  } }],
  ['linfu', { indices: 'point', build: (s, _j, i) => {
    const b = lossBound(s);
    return s.inst.loss.type === 'linf' && b ? row(output(s, i), b.sense, s.inst.labels[i]!.add(b.bound)) : 'linfu rows are for loss linf';
  } }],
  ['linfl', { indices: 'point', build: (s, _j, i) => {
    const b = lossBound(s);
    return s.inst.loss.type === 'linf' && b ? row(scaled(output(s, i), Rat.MINUS_ONE), b.sense, b.bound.sub(s.inst.labels[i]!)) : 'linfl rows are for loss linf';
  } }],
  ['cls', { indices: 'point', build: (s, _j, i) => {
    if (s.inst.loss.type !== 'classification') return 'cls rows are for loss classification';
    const lhs = scaled(output(s, i), s.inst.labels[i]!.neg());
    return s.margin ? row(lhs, '<=', Rat.MINUS_ONE) : row(lhs, '<', Rat.ZERO);
  } }],
  // literal rows
  ['act', { indices: 'unit,point', build: (s, j, i, lits) => literalRow(lits, j, i, true, () =>
    row(scaled(preActivation(s, j, i), Rat.MINUS_ONE), '<=', s.unitVar === 'z' ? Rat.ZERO : Rat.MINUS_ONE)) }],
  ['actv', { indices: 'unit,point', build: (s, j, i, lits) => literalRow(lits, j, i, true, () => {
    const v = `${s.unitVar}:${j}:${i}`;
    if (s.unitVar === 'z') return row(addTerm(scaled(preActivation(s, j, i), Rat.MINUS_ONE), v, Rat.ONE), '=', Rat.ZERO);
    if (s.unitVar === 's') return row(expr([v, Rat.ONE]), '=', Rat.ONE);
    return row(expr([v, Rat.ONE], [`a:${j}`, Rat.MINUS_ONE]), '=', Rat.ZERO);
  }) }],
  ['inact', { indices: 'unit,point', build: (s, j, i, lits) => literalRow(lits, j, i, false, () => row(preActivation(s, j, i), '<=', Rat.ZERO)) }],
  ['inactv', { indices: 'unit,point', build: (s, j, i, lits) => literalRow(lits, j, i, false, () => row(expr([`${s.unitVar}:${j}:${i}`, Rat.ONE]), '=', Rat.ZERO)) }],
]);

/**
 * The row called `name` in a leaf of this case whose path fixes `lits`, or a
 * sentence saying why there is no such row (clause F1). Indices are written
 * canonically ("0", "12"; not "012") so each row has exactly one name.
 */
export function rowNamed(sys: CaseSystem, name: string, lits: PathLiterals): Row | string {
  const [prefix = '', ...rest] = name.split(':');
  const kind = ROW_KINDS.get(prefix);
  if (!kind) return `no row kind "${prefix}" (known: ${[...ROW_KINDS.keys()].join(', ')})`;
  const idx = rest.map(smallInteger);
  const { hidden: k, n } = sys.inst;
  switch (kind.indices) {
    case 'none':
      if (rest.length !== 0) return `${prefix} takes no index`;
      return kind.build(sys, 0, 0, lits);
    case 'point': {
      const [i] = idx;
      if (idx.length !== 1 || i === undefined || i >= n) return `${prefix}:i needs one point index i from 0 to ${n - 1}`;
      return kind.build(sys, 0, i, lits);
    }
    case 'unit,point': {
      const [j, i] = idx;
      if (idx.length !== 2 || j === undefined || i === undefined || j >= k || i >= n)
        return `${prefix}:j:i needs a unit index j from 0 to ${k - 1} and a point index i from 0 to ${n - 1}`;
      return kind.build(sys, j, i, lits);
    }
  }
}
