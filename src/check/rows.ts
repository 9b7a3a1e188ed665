/**
 * What the checker computes from the instance alone: the normalisation cases
 * and lemmas of table P1 (section 4.1), and every constraint row of section
 * 4.3, rebuilt from its name. A certificate names rows; it never supplies a
 * coefficient.
 */
import { COST, charge } from './cost.js';
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
  if (ow === 'free') return inst.activation !== 'threshold' ? sortedSignVectors() : ['free'];
  if (ow === 'positive') return [Array.from({ length: k }, () => Rat.ONE)];
  return [ow];
}

/**
 * The bound of the rows wub, wlb, bub, blb on hidden weights and biases, or
 * undefined when there are none: B for ReLU and leaky ReLU units whose output
 * weights the case fixes (signs, positive, a list); B^2 for ReLU and leaky
 * ReLU units with free output weights bounded by B (boundOutputWeights: the
 * sign cases of lemma L8). Elsewhere (threshold units, free unbounded output
 * weights) the cases carry no bound rows: leaving rows out only weakens a leaf
 * (docs/lemmas.md, L7).
 */
export function boundRows(inst: Instance): Rat | undefined {
  const B = inst.weightBound;
  if (B === undefined || inst.activation === 'threshold') return undefined;
  if (inst.outputWeights !== 'free') return B;
  return inst.boundOutputWeights ? B.mul(B) : undefined;
}

/** Rows aub, alb (|a:j| <= B): threshold units with free output weights bounded by B. */
export function outputBoundRows(inst: Instance): boolean {
  return inst.weightBound !== undefined && inst.boundOutputWeights && inst.activation === 'threshold' && inst.outputWeights === 'free';
}

/**
 * The lemmas the checker applies for this instance, sorted: L1 for ReLU or
 * leaky ReLU with free output weights; L2 for threshold units; L3 for
 * classification where f can be scaled (ReLU or leaky ReLU, or threshold
 * with free output weights) and no bound rows hold the weights; L4 wherever
 * the cases are the sorted sign vectors.
 */
export function lemmasApplied(inst: Instance): string[] {
  const relu = inst.activation !== 'threshold'; // ReLU or leaky ReLU: positively homogeneous
  const ow = inst.outputWeights;
  const out: string[] = [];
  if (relu && ow === 'free') out.push('L1');
  if (!relu) out.push('L2');
  if (inst.loss.type === 'classification' && boundRows(inst) === undefined && !outputBoundRows(inst) && (relu || ow === 'free')) out.push('L3');
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
  /** z (ReLU or leaky ReLU output), s (threshold output, fixed a), p (a_j * s_ij, free a). */
  unitVar: 'z' | 's' | 'p';
  /** the slope of z for h <= 0 (0 for ReLU; unused for threshold) */
  slope: Rat;
  /** L3 applies: ReLU or leaky ReLU, or threshold with free a, and no bound rows. */
  margin: boolean;
  /** the bound of the rows wub, wlb, bub, blb (boundRows), or undefined when they do not exist */
  hiddenBound: Rat | undefined;
  /** the rows aub, alb exist (outputBoundRows) */
  outputBounded: boolean;
  /** rows already built, by name (a row's content depends only on the case and its name), up to MAX_CACHED coefficients in all */
  built: Map<string, Row>;
  /** the coefficients of the rows in `built` */
  cached: number;
}

/** The most coefficients a case keeps built (about 5 MB): past it, rows are built again for each leaf that names them (section 6). */
export const MAX_CACHED = 1 << 15;

export function caseSystem(inst: Instance, a: CaseWeights): CaseSystem {
  const relu = inst.activation !== 'threshold';
  const hiddenBound = boundRows(inst);
  const outputBounded = outputBoundRows(inst);
  const margin = hiddenBound === undefined && !outputBounded && (relu || a === 'free');
  const unitVar = relu ? 'z' : a === 'free' ? 'p' : 's';
  return { inst, a, unitVar, slope: inst.slope ?? Rat.ZERO, margin, hiddenBound, outputBounded, built: new Map(), cached: 0 };
}

/** Literals on a path: key `j:i` -> true for ACT(j,i), false for INACT(j,i). */
export type PathLiterals = ReadonlyMap<string, boolean>;

type Expr = Map<string, Rat>;

function expr(...terms: Array<[string, Rat]>): Expr {
  const e: Expr = new Map();
  for (const [v, c] of terms) addTerm(e, v, c);
  return e;
}
/** e += c v; every coefficient built is charged (section 6). */
function addTerm(e: Expr, v: string, c: Rat): Expr {
  charge(COST.coefficient);
  e.set(v, (e.get(v) ?? Rat.ZERO).add(c));
  return e;
}
function scaled(e: Expr, c: Rat): Expr {
  const out: Expr = new Map();
  for (const [v, x] of e) {
    charge(COST.coefficient);
    out.set(v, x.mul(c));
  }
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
export function output(sys: CaseSystem, i: number): Expr {
  const e: Expr = new Map();
  for (let j = 0; j < sys.inst.hidden; j++)
    if (sys.a === 'free') addTerm(e, `p:${j}:${i}`, Rat.ONE);
    else addTerm(e, `${sys.unitVar}:${j}:${i}`, sys.a[j]!);
  if (sys.inst.outputBias) addTerm(e, 'c', Rat.ONE);
  return e;
}

/**
 * One kind of row, by its name prefix: the indices its name takes, which
 * instances and cases have it, the literal that must be on the path (literal
 * rows only), and the row itself (docs/certificates.md 4.3, row for row).
 */
interface RowKind {
  indices: 'unit,point' | 'unit,coordinate' | 'unit' | 'point' | 'none' | 'subset,point';
  exists: (s: CaseSystem) => boolean;
  /** `exists` in words, for a rejection. */
  existsFor: string;
  literal?: 'ACT' | 'INACT';
  build: (s: CaseSystem, j: number, i: number) => Row;
}

const [ZERO, ONE, MINUS_ONE] = [Rat.ZERO, Rat.ONE, Rat.MINUS_ONE];
const y = (s: CaseSystem, i: number): Rat => s.inst.labels[i]!;
/** The loss bound G and the sense of the bound rows ('<' when strict); only called for l1 and linf. */
function bound(s: CaseSystem): { G: Rat; sense: Sense } {
  const loss = s.inst.loss;
  if (loss.type !== 'l1' && loss.type !== 'linf') throw new Error('bound(): loss has no bound (checker bug)');
  return { G: loss.bound, sense: loss.strict ? '<' : '<=' };
}
const relu = (s: CaseSystem): boolean => s.unitVar === 'z';
const bounded = (s: CaseSystem): boolean => s.hiddenBound !== undefined;
const outputBounded = (s: CaseSystem): boolean => s.outputBounded;
/** m * h_ij, and no term at all when m = 0 (ReLU: the rows stay -z <= 0 and z = 0). */
const slopeTimesH = (s: CaseSystem, j: number, i: number, m: Rat): Expr => (m.isZero() ? (new Map() as Expr) : scaled(preActivation(s, j, i), m));
/** The bound of the hidden-weight rows; only called where `bounded` holds. */
function weightBound(s: CaseSystem): Rat {
  if (s.hiddenBound === undefined) throw new Error('weightBound(): no bound rows (checker bug)');
  return s.hiddenBound;
}
/** The bound B on free output weights; only called where `outputBounded` holds. */
function outputBound(s: CaseSystem): Rat {
  if (s.inst.weightBound === undefined) throw new Error('outputBound(): no bound (checker bug)');
  return s.inst.weightBound;
}
const thresholdFixed = (s: CaseSystem): boolean => s.unitVar === 's';
const lossIs =
  (type: Instance['loss']['type']) =>
  (s: CaseSystem): boolean =>
    s.inst.loss.type === type;
const always = (): boolean => true;
/** Envelope rows exist: ReLU or leaky ReLU units, output weights positive or a list of numbers >= 0, loss exact (docs/lemmas.md, L11). */
const envelope = (s: CaseSystem): boolean => {
  const ow = s.inst.outputWeights;
  return relu(s) && s.inst.loss.type === 'exact' && (ow === 'positive' || (Array.isArray(ow) && ow.every((a) => a.sign() >= 0)));
};
/** Is unit j in the set of units written as the bit mask `mask` (a canonical index: below 10^9 < 2^30)? */
const inSubset = (mask: number, j: number): boolean => j < 30 && ((mask >> j) & 1) === 1;
/** g_S(x_i) + c = sum_j a_j (h_ij if j is in the subset S (bit j of `mask`), else slope h_ij) + c. */
function envelopeSum(s: CaseSystem, mask: number, i: number): Expr {
  const e: Expr = new Map();
  const a = s.a === 'free' ? [] : s.a;
  for (let j = 0; j < s.inst.hidden; j++) {
    const factor = inSubset(mask, j) ? a[j]! : a[j]!.mul(s.slope);
    if (!factor.isZero()) for (const [v, c] of scaled(preActivation(s, j, i), factor)) addTerm(e, v, c);
  }
  if (s.inst.outputBias) addTerm(e, 'c', ONE);
  return e;
}

const ROW_KINDS: ReadonlyMap<string, RowKind> = new Map<string, RowKind>([
  // Base rows: in every leaf.
  [
    'zlb',
    {
      indices: 'unit,point',
      exists: relu,
      existsFor: 'ReLU and leaky ReLU units', // slope h - z <= 0
      build: (s, j, i) => row(addTerm(slopeTimesH(s, j, i, s.slope), `z:${j}:${i}`, MINUS_ONE), '<=', ZERO),
    },
  ],
  [
    'zh',
    {
      indices: 'unit,point',
      exists: relu,
      existsFor: 'ReLU and leaky ReLU units',
      build: (s, j, i) => row(addTerm(preActivation(s, j, i), `z:${j}:${i}`, MINUS_ONE), '<=', ZERO),
    },
  ],
  [
    'slb',
    {
      indices: 'unit,point',
      exists: thresholdFixed,
      existsFor: 'threshold units with fixed output weights',
      build: (s, j, i) => row(expr([`s:${j}:${i}`, MINUS_ONE]), '<=', ZERO),
    },
  ],
  [
    'sub',
    {
      indices: 'unit,point',
      exists: thresholdFixed,
      existsFor: 'threshold units with fixed output weights',
      build: (s, j, i) => row(expr([`s:${j}:${i}`, ONE]), '<=', ONE),
    },
  ],
  [
    'wub',
    {
      indices: 'unit,coordinate',
      exists: bounded,
      existsFor: 'a weightBound on ReLU or leaky ReLU units with output weights fixed by the case or bounded',
      build: (s, j, t) => row(expr([`w:${j}:${t}`, ONE]), '<=', weightBound(s)),
    },
  ],
  [
    'wlb',
    {
      indices: 'unit,coordinate',
      exists: bounded,
      existsFor: 'a weightBound on ReLU or leaky ReLU units with output weights fixed by the case or bounded',
      build: (s, j, t) => row(expr([`w:${j}:${t}`, MINUS_ONE]), '<=', weightBound(s)),
    },
  ],
  [
    'bub',
    {
      indices: 'unit',
      exists: bounded,
      existsFor: 'a weightBound on ReLU or leaky ReLU units with output weights fixed by the case or bounded',
      build: (s, j) => row(expr([`b:${j}`, ONE]), '<=', weightBound(s)),
    },
  ],
  [
    'blb',
    {
      indices: 'unit',
      exists: bounded,
      existsFor: 'a weightBound on ReLU or leaky ReLU units with output weights fixed by the case or bounded',
      build: (s, j) => row(expr([`b:${j}`, MINUS_ONE]), '<=', weightBound(s)),
    },
  ],
  [
    'aub',
    {
      indices: 'unit',
      exists: outputBounded,
      existsFor: 'boundOutputWeights on threshold units',
      build: (s, j) => row(expr([`a:${j}`, ONE]), '<=', outputBound(s)),
    },
  ],
  [
    'alb',
    {
      indices: 'unit',
      exists: outputBounded,
      existsFor: 'boundOutputWeights on threshold units',
      build: (s, j) => row(expr([`a:${j}`, MINUS_ONE]), '<=', outputBound(s)),
    },
  ],
  ['fit', { indices: 'point', exists: lossIs('exact'), existsFor: 'loss exact', build: (s, _j, i) => row(output(s, i), '=', y(s, i)) }],
  [
    'l1p',
    { indices: 'point', exists: lossIs('l1'), existsFor: 'loss l1', build: (s, _j, i) => row(addTerm(output(s, i), `e:${i}`, MINUS_ONE), '<=', y(s, i)) },
  ],
  [
    'l1n',
    {
      indices: 'point',
      exists: lossIs('l1'),
      existsFor: 'loss l1',
      build: (s, _j, i) => row(addTerm(scaled(output(s, i), MINUS_ONE), `e:${i}`, MINUS_ONE), '<=', y(s, i).neg()),
    },
  ],
  [
    'l1sum',
    {
      indices: 'none',
      exists: lossIs('l1'),
      existsFor: 'loss l1',
      build: (s) => row(expr(...s.inst.labels.map((_, i): [string, Rat] => [`e:${i}`, ONE])), bound(s).sense, bound(s).G),
    },
  ],
  [
    'linfu',
    { indices: 'point', exists: lossIs('linf'), existsFor: 'loss linf', build: (s, _j, i) => row(output(s, i), bound(s).sense, y(s, i).add(bound(s).G)) },
  ],
  [
    'linfl',
    {
      indices: 'point',
      exists: lossIs('linf'),
      existsFor: 'loss linf',
      build: (s, _j, i) => row(scaled(output(s, i), MINUS_ONE), bound(s).sense, bound(s).G.sub(y(s, i))),
    },
  ],
  [
    'cls',
    {
      indices: 'point',
      exists: lossIs('classification'),
      existsFor: 'loss classification',
      build: (s, _j, i) =>
        s.margin // L3: y f >= 1; otherwise y f > 0
          ? row(scaled(output(s, i), y(s, i).neg()), '<=', MINUS_ONE)
          : row(scaled(output(s, i), y(s, i).neg()), '<', ZERO),
    },
  ],
  [
    'env',
    {
      indices: 'subset,point',
      exists: envelope,
      existsFor: 'ReLU and leaky ReLU units with output weights positive or a list of numbers >= 0, and loss exact',
      build: (s, mask, i) => row(envelopeSum(s, mask, i), '<=', y(s, i)),
    },
  ],
  // Literal rows: only below a split that put the literal on the path.
  [
    'act',
    {
      indices: 'unit,point',
      exists: always,
      existsFor: 'all',
      literal: 'ACT',
      build: (s, j, i) => row(scaled(preActivation(s, j, i), MINUS_ONE), '<=', relu(s) ? ZERO : MINUS_ONE),
    },
  ], // L2 for threshold
  [
    'actv',
    {
      indices: 'unit,point',
      exists: always,
      existsFor: 'all',
      literal: 'ACT',
      build: (s, j, i) => {
        if (s.unitVar === 'z') return row(addTerm(scaled(preActivation(s, j, i), MINUS_ONE), `z:${j}:${i}`, ONE), '=', ZERO);
        if (s.unitVar === 's') return row(expr([`s:${j}:${i}`, ONE]), '=', ONE);
        return row(expr([`p:${j}:${i}`, ONE], [`a:${j}`, MINUS_ONE]), '=', ZERO);
      },
    },
  ],
  ['inact', { indices: 'unit,point', exists: always, existsFor: 'all', literal: 'INACT', build: (s, j, i) => row(preActivation(s, j, i), '<=', ZERO) }],
  [
    'inactv',
    {
      indices: 'unit,point',
      exists: always,
      existsFor: 'all',
      literal: 'INACT', // z - slope h = 0 (ReLU: z = 0); s = 0; p = 0
      build: (s, j, i) =>
        row(s.unitVar === 'z' ? addTerm(slopeTimesH(s, j, i, s.slope.neg()), `z:${j}:${i}`, ONE) : expr([`${s.unitVar}:${j}:${i}`, ONE]), '=', ZERO),
    },
  ],
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
  let j = 0;
  let i = 0;
  switch (kind.indices) {
    case 'none':
      if (rest.length !== 0) return `${prefix} takes no index`;
      break;
    case 'point':
      if (idx.length !== 1 || idx[0] === undefined || idx[0] >= n) return `${prefix}:i needs one point index i from 0 to ${n - 1}`;
      i = idx[0];
      break;
    case 'unit,point':
      if (idx.length !== 2 || idx[0] === undefined || idx[1] === undefined || idx[0] >= k || idx[1] >= n)
        return `${prefix}:j:i needs a unit index j from 0 to ${k - 1} and a point index i from 0 to ${n - 1}`;
      [j, i] = [idx[0], idx[1]];
      break;
    case 'unit,coordinate': // the second index is a coordinate t (passed as i)
      if (idx.length !== 2 || idx[0] === undefined || idx[1] === undefined || idx[0] >= k || idx[1] >= sys.inst.d)
        return `${prefix}:j:t needs a unit index j from 0 to ${k - 1} and a coordinate t from 0 to ${sys.inst.d - 1}`;
      [j, i] = [idx[0], idx[1]];
      break;
    case 'subset,point': // the first index is a set of units as a bit mask (passed as j)
      if (idx.length !== 2 || idx[0] === undefined || idx[1] === undefined || (k < 30 && idx[0] >= 1 << k) || idx[1] >= n)
        return `${prefix}:S:i needs a set of units S as a bit mask from 0 to 2^${k} - 1 and a point index i from 0 to ${n - 1}`;
      [j, i] = [idx[0], idx[1]];
      break;
    case 'unit':
      if (idx.length !== 1 || idx[0] === undefined || idx[0] >= k) return `${prefix}:j needs one unit index j from 0 to ${k - 1}`;
      j = idx[0];
      break;
  }
  if (!kind.exists(sys)) return `${prefix} rows exist only for ${kind.existsFor}`;
  if (kind.literal !== undefined && lits.get(`${j}:${i}`) !== (kind.literal === 'ACT')) return `${kind.literal}(${j},${i}) is not on the path`;
  // every check above ran for this leaf; only the construction is shared between leaves
  charge(COST.lookup);
  let built = sys.built.get(name);
  if (!built) {
    built = kind.build(sys, j, i);
    if (sys.cached + built.coefs.size <= MAX_CACHED) {
      sys.built.set(name, built);
      sys.cached += built.coefs.size;
    }
  }
  return built;
}
