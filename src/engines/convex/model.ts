/**
 * The convex case over the network's own parameters (docs/engines.md, "The
 * convex case"). With output weights a_j >= 0 (all 1 for `positive`), a
 * ReLU or leaky ReLU of slope s in [0, 1) and an optional output bias c,
 *
 *     f(x) = c + sum_j a_j max(h_j(x), s h_j(x)) = c + max over S of g_S(x),
 *     g_S(x) = sum_{j in S} a_j h_j(x) + sum_{j not in S} a_j s h_j(x),
 *
 * and each g_S(x_i) is linear in theta = (w, b, c). The search works with
 * rows over theta that a certificate names as rows of docs/certificates.md
 * 4.3:
 *
 *  - env (S, i):  g_S(x_i) + c <= y_i, the envelope row `env:S:i`, valid at
 *    every node (docs/lemmas.md, L11);
 *  - sign rows act:j:i, inact:j:i of a point whose pattern the path fixes;
 *  - tight (S, i): g_S(x_i) + c = y_i for the pattern S the path fixes at
 *    point i: with a multiplier >= 0 it is written as its env row, with one
 *    < 0 as  fit:i - sum_{j in S} a_j actv:j:i - sum_{j not in S} a_j inactv:j:i;
 *  - the instance's bound rows wub, wlb, bub, blb.
 *
 * A pattern S is a bit mask over the units (bit j set: unit j active).
 */
import { Q } from '../../core/rational.js';
import { type Instance, reluSlope } from '../../core/types.js';
import { type LinRow, addTerm } from '../../encode/rows.js';
import { type Case, hiddenBoundOfRows } from '../../encode/system.js';

/** A row over theta, by what it is (see the file comment). */
export type RowKey =
  | { kind: 'env'; point: number; mask: number }
  | { kind: 'tight'; point: number; mask: number }
  | { kind: 'sign'; point: number; unit: number; active: boolean }
  | { kind: 'bound'; name: string; v: number; upper: boolean };

/** A row in floating point for the guide: a . theta <= b (or = b), scaled so that max |a_v| = 1. */
export interface FloatRow {
  a: Float64Array;
  b: number;
  eq: boolean;
}

/** The instance seen as a problem over theta, with its data in exact and float form. */
export interface ConvexModel {
  inst: Instance;
  /** the normalisation case: its output weights (all 1 for `positive`) */
  case: Case & { a: Q[] };
  k: number;
  d: number;
  n: number;
  bias: boolean;
  /** number of theta variables: k (d + 1), plus 1 with an output bias */
  D: number;
  /** theta's variable names in index order: w:j:t and b:j for each unit j, then c */
  vars: string[];
  a: Q[];
  slope: Q;
  /** hidden weight bound of rows wub, wlb, bub, blb, if the instance has them */
  bound: Q | undefined;
  /** floats for the guide */
  xf: Float64Array[];
  yf: Float64Array;
  af: Float64Array;
  slopeF: number;
}

/** The model of an instance the convex engine applies to (convexApplies). */
export function convexModel(inst: Instance): ConvexModel {
  const { hidden: k, outputWeights: ow, outputBias: bias } = inst.architecture;
  const d = inst.points[0]?.length ?? 0;
  const a = ow.mode === 'fixed' ? ow.values : Array.from({ length: k }, () => Q.ONE);
  const vars: string[] = [];
  for (let j = 0; j < k; j++) {
    for (let t = 0; t < d; t++) vars.push(`w:${j}:${t}`);
    vars.push(`b:${j}`);
  }
  if (bias) vars.push('c');
  const slope = reluSlope(inst.architecture) ?? Q.ZERO;
  return {
    inst,
    case: { a },
    k,
    d,
    n: inst.points.length,
    bias,
    D: vars.length,
    vars,
    a,
    slope,
    bound: hiddenBoundOfRows(inst),
    xf: inst.points.map((x) => Float64Array.from(x, (v) => v.toNumber())),
    yf: Float64Array.from(inst.labels, (v) => v.toNumber()),
    af: Float64Array.from(a, (v) => v.toNumber()),
    slopeF: slope.toNumber(),
  };
}

/** Index of w:j:t (t < d) or, for t = d, of b:j. */
export const weightIndex = (m: ConvexModel, j: number, t: number): number => j * (m.d + 1) + t;

/** The row's name: `env:MASK:i`, `tight:MASK:i`, `act:j:i` / `inact:j:i`, or the bound row's own name. */
export function rowName(key: RowKey): string {
  switch (key.kind) {
    case 'env':
    case 'tight':
      return `${key.kind}:${key.mask}:${key.point}`;
    case 'sign':
      return `${key.active ? 'act' : 'inact'}:${key.unit}:${key.point}`;
    case 'bound':
      return key.name;
  }
}

/** The bound rows of the instance (wub, wlb, bub, blb), none without a bound. */
export function boundKeys(m: ConvexModel): RowKey[] {
  if (m.bound === undefined) return [];
  const out: RowKey[] = [];
  for (let j = 0; j < m.k; j++)
    for (let t = 0; t <= m.d; t++)
      for (const upper of [true, false]) {
        const name = t < m.d ? `${upper ? 'wub' : 'wlb'}:${j}:${t}` : `${upper ? 'bub' : 'blb'}:${j}`;
        out.push({ kind: 'bound', name, v: weightIndex(m, j, t), upper });
      }
  return out;
}

/** The coefficient unit j carries in g_S: a_j if j is in S, a_j s otherwise (exact). */
function unitFactor(m: ConvexModel, mask: number, j: number): Q {
  return (mask >> j) & 1 ? m.a[j]! : m.a[j]!.mul(m.slope);
}

/** The row over theta, exactly (for the exact LP and Farkas solve), named by rowName. */
export function exactRow(m: ConvexModel, key: RowKey): LinRow {
  const coefs = new Map<string, Q>();
  const name = rowName(key);
  switch (key.kind) {
    case 'env':
    case 'tight': {
      const x = m.inst.points[key.point]!;
      for (let j = 0; j < m.k; j++) {
        const f = unitFactor(m, key.mask, j);
        if (f.isZero()) continue;
        for (let t = 0; t < m.d; t++) addTerm(coefs, m.vars[weightIndex(m, j, t)]!, f.mul(x[t]!));
        addTerm(coefs, m.vars[weightIndex(m, j, m.d)]!, f);
      }
      if (m.bias) addTerm(coefs, 'c', Q.ONE);
      return { name, coefs, sense: key.kind === 'env' ? '<=' : '=', rhs: m.inst.labels[key.point]! };
    }
    case 'sign': {
      // act: -h <= 0; inact: h <= 0 (docs/certificates.md 4.3)
      const sg = key.active ? Q.MINUS_ONE : Q.ONE;
      const x = m.inst.points[key.point]!;
      for (let t = 0; t < m.d; t++) addTerm(coefs, m.vars[weightIndex(m, key.unit, t)]!, sg.mul(x[t]!));
      addTerm(coefs, m.vars[weightIndex(m, key.unit, m.d)]!, sg);
      return { name, coefs, sense: '<=', rhs: Q.ZERO };
    }
    case 'bound':
      addTerm(coefs, m.vars[key.v]!, key.upper ? Q.ONE : Q.MINUS_ONE);
      return { name, coefs, sense: '<=', rhs: m.bound ?? Q.ZERO };
  }
}

/** The row in floats, scaled to max |a_v| = 1 (a row without coefficients keeps scale 1). */
export function floatRow(m: ConvexModel, key: RowKey): FloatRow {
  const a = new Float64Array(m.D);
  let b = 0;
  switch (key.kind) {
    case 'env':
    case 'tight': {
      const x = m.xf[key.point]!;
      for (let j = 0; j < m.k; j++) {
        const f = (key.mask >> j) & 1 ? m.af[j]! : m.af[j]! * m.slopeF;
        for (let t = 0; t < m.d; t++) a[weightIndex(m, j, t)] = f * x[t]!;
        a[weightIndex(m, j, m.d)] = f;
      }
      if (m.bias) a[m.D - 1] = 1;
      b = m.yf[key.point]!;
      break;
    }
    case 'sign': {
      const sg = key.active ? -1 : 1;
      const x = m.xf[key.point]!;
      for (let t = 0; t < m.d; t++) a[weightIndex(m, key.unit, t)] = sg * x[t]!;
      a[weightIndex(m, key.unit, m.d)] = sg;
      break;
    }
    case 'bound':
      a[key.v] = key.upper ? 1 : -1;
      b = m.bound?.toNumber() ?? 0;
      break;
  }
  let scale = 0;
  for (const v of a) scale = Math.max(scale, Math.abs(v));
  if (scale > 0)
    if (scale !== 1) {
      for (let v = 0; v < a.length; v++) a[v] = a[v]! / scale;
      b /= scale;
    }
  return { a, b, eq: key.kind === 'tight' };
}

/**
 * Adds lambda times the row, as rows of docs/certificates.md 4.3, to `out`
 * (row name -> multiplier), and the literals ("j:i") those rows need on the
 * path to `uses` (see the file comment: a tight row with lambda >= 0 is
 * written as its env row, so that it needs no literal of the path).
 */
export function expandInto(m: ConvexModel, key: RowKey, lambda: Q, out: Map<string, Q>, uses: Set<string>): void {
  const add = (name: string, v: Q): void => {
    if (v.isZero()) return;
    const s = (out.get(name) ?? Q.ZERO).add(v);
    if (s.isZero()) out.delete(name);
    else out.set(name, s);
  };
  switch (key.kind) {
    case 'bound':
      return add(key.name, lambda);
    case 'sign':
      add(rowName(key), lambda);
      uses.add(`${key.unit}:${key.point}`);
      return;
    case 'env':
    case 'tight':
      if (key.kind === 'env' || lambda.sign() >= 0) return add(rowName({ kind: 'env', point: key.point, mask: key.mask }), lambda);
      for (let j = 0; j < m.k; j++) {
        if (m.a[j]!.isZero()) continue;
        add(`${(key.mask >> j) & 1 ? 'actv' : 'inactv'}:${j}:${key.point}`, lambda.neg().mul(m.a[j]!));
        uses.add(`${j}:${key.point}`);
      }
      add(`fit:${key.point}`, lambda);
  }
}
