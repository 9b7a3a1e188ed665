/**
 * The constraint system of docs/certificates.md section 4.3, row for row as
 * docs/certificates.md specifies it: normalisation cases (root split), base
 * rows, literal rows and loss rows. The engines search over it; the checker
 * rebuilds the same rows on its own, so any change here must follow the spec.
 */
import { Deadline } from '../core/deadline.js';
import { Q } from '../core/rational.js';
import type { Instance } from '../core/types.js';
import { assertNever, reluSlope } from '../core/types.js';
import { type LinExpr, type LinRow, addTerm, combine, row } from './rows.js';

/** Output weights of one normalisation case: fixed values per unit, or LP variables a:j. */
export type Case = { a: Q[] } | { a: 'free' };

export interface Literal {
  unit: number;
  point: number;
  active: boolean;
}

export const litKey = (j: number, i: number): string => `${j}:${i}`;

/**
 * The root split (lemmas L1 and L4): ReLU or leaky ReLU with signs or free weights -> the
 * k+1 sorted sign vectors; positive -> all ones; a fixed list -> itself;
 * threshold with free weights -> a single case with a:j as variables;
 * threshold with signs -> sorted sign vectors.
 */
export function normalisationCases(inst: Instance): Case[] {
  const { hidden: k, activation, outputWeights: ow } = inst.architecture;
  const signVectors = (): Case[] =>
    Array.from({ length: k + 1 }, (_, neg) => ({
      a: Array.from({ length: k }, (_, j) => (j < neg ? Q.MINUS_ONE : Q.ONE)),
    }));
  switch (ow.mode) {
    case 'signs':
      return signVectors();
    case 'free':
      return activation !== 'threshold' ? signVectors() : [{ a: 'free' }];
    case 'positive':
      return [{ a: Array.from({ length: k }, () => Q.ONE) }];
    case 'fixed':
      return [{ a: ow.values }];
    default:
      return assertNever(ow);
  }
}

/** Kind of the per-(unit, point) variable: z (ReLU or leaky ReLU output), s (step output), p (a_j * s, free threshold). */
export function unitVar(inst: Instance, c: Case): 'z' | 's' | 'p' {
  if (inst.architecture.activation !== 'threshold') return 'z';
  return c.a === 'free' ? 'p' : 's';
}

/** The variable of unit j at point i: z:j:i (ReLU output), s:j:i (step output) or p:j:i (a_j s, free threshold). */
export function unitVariable(kind: 'z' | 's' | 'p', j: number, i: number): string {
  return `${kind}:${j}:${i}`;
}

/** The point of a unit variable (the inverse of unitVariable's i); undefined for any other variable. */
export function pointOfUnitVariable(name: string): number | undefined {
  const m = /^[zsp]:\d+:(\d+)$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** h_ij = w_j . x_i + b_j */
export function preActivation(inst: Instance, j: number, i: number): LinExpr {
  const e: LinExpr = new Map();
  inst.points[i]!.forEach((x, t) => addTerm(e, `w:${j}:${t}`, x));
  addTerm(e, `b:${j}`, Q.ONE);
  return e;
}

/** f_i as a linear expression in the unit variables (and c). */
export function outputExpr(inst: Instance, c: Case, i: number): LinExpr {
  const e: LinExpr = new Map();
  const kind = unitVar(inst, c);
  for (let j = 0; j < inst.architecture.hidden; j++) {
    if (c.a === 'free') addTerm(e, unitVariable('p', j, i), Q.ONE);
    else addTerm(e, unitVariable(kind, j, i), c.a[j]!);
  }
  if (inst.architecture.outputBias) addTerm(e, 'c', Q.ONE);
  return e;
}

/**
 * The bound that rows (wub, wlb, bub, blb) put on hidden weights and biases,
 * or undefined when there are none (docs/lemmas.md L7, L8): B for ReLU /
 * leaky ReLU units whose output weights the case fixes (signs, positive, a
 * list); B^2 for ReLU / leaky ReLU units with free output weights bounded by
 * B too (boundOutputWeights: the sign cases of L8); none with free unbounded
 * output weights or threshold units, where a unit can be scaled into any
 * bound B > 0 without changing f, so the bound excludes nothing (leaving rows
 * out only weakens a leaf, so the checker needs no lemma for it).
 */
export function hiddenBoundOfRows(inst: Instance): Q | undefined {
  const a = inst.architecture;
  if (a.weightBound === undefined || a.activation === 'threshold') return undefined;
  if (a.outputWeights.mode !== 'free') return a.weightBound;
  return a.boundOutputWeights === true ? a.weightBound.mul(a.weightBound) : undefined;
}

/** Does the weight bound give hidden-weight rows (hiddenBoundOfRows)? */
export function weightBoundRowsApply(inst: Instance): boolean {
  return hiddenBoundOfRows(inst) !== undefined;
}

/** Rows aub:j, alb:j (|a:j| <= B): threshold units with free output weights bounded by the weight bound. */
export function outputBoundRowsApply(inst: Instance): boolean {
  const a = inst.architecture;
  return a.weightBound !== undefined && a.boundOutputWeights === true && a.activation === 'threshold' && a.outputWeights.mode === 'free';
}

/** Is the classification margin lemma L3 available (f can be scaled by any lambda > 0)? Not under bound rows. */
export function marginLemmaApplies(inst: Instance, c: Case): boolean {
  return !weightBoundRowsApply(inst) && !outputBoundRowsApply(inst) && (inst.architecture.activation !== 'threshold' || c.a === 'free');
}

/** Rows valid for every completion: the unit-variable bounds and the loss rows. Throws Timeout past `deadline` (ticked per point). */
export function baseRows(inst: Instance, c: Case, deadline: Deadline = Deadline.NONE): LinRow[] {
  const rows: LinRow[] = [];
  const { hidden: k } = inst.architecture;
  const n = inst.points.length;
  const kind = unitVar(inst, c);
  const slope = reluSlope(inst.architecture) ?? Q.ZERO;
  const B = hiddenBoundOfRows(inst);
  if (B !== undefined)
    for (let j = 0; j < k; j++) {
      const d = inst.points[0]!.length;
      for (let t = 0; t < d; t++) {
        rows.push(row(`wub:${j}:${t}`, new Map([[`w:${j}:${t}`, Q.ONE]]), '<=', B));
        rows.push(row(`wlb:${j}:${t}`, new Map([[`w:${j}:${t}`, Q.MINUS_ONE]]), '<=', B));
      }
      rows.push(row(`bub:${j}`, new Map([[`b:${j}`, Q.ONE]]), '<=', B));
      rows.push(row(`blb:${j}`, new Map([[`b:${j}`, Q.MINUS_ONE]]), '<=', B));
    }
  const A = inst.architecture.weightBound;
  if (A !== undefined && outputBoundRowsApply(inst))
    for (let j = 0; j < k; j++) {
      rows.push(row(`aub:${j}`, new Map([[`a:${j}`, Q.ONE]]), '<=', A));
      rows.push(row(`alb:${j}`, new Map([[`a:${j}`, Q.MINUS_ONE]]), '<=', A));
    }
  for (let j = 0; j < k; j++)
    for (let i = 0; i < n; i++) {
      deadline.tick(inst.points[i]!.length + 2);
      if (kind === 'z') {
        const z = unitVariable('z', j, i);
        // slope h - z <= 0 (for ReLU, slope 0: -z <= 0)
        rows.push(row(`zlb:${j}:${i}`, addTerm(combine(preActivation(inst, j, i), slope, new Map(), Q.ZERO), z, Q.MINUS_ONE), '<=', Q.ZERO));
        rows.push(row(`zh:${j}:${i}`, addTerm(preActivation(inst, j, i), z, Q.MINUS_ONE), '<=', Q.ZERO));
      } else if (kind === 's') {
        const s = unitVariable('s', j, i);
        rows.push(row(`slb:${j}:${i}`, new Map([[s, Q.MINUS_ONE]]), '<=', Q.ZERO));
        rows.push(row(`sub:${j}:${i}`, new Map([[s, Q.ONE]]), '<=', Q.ONE));
      }
    }
  for (const r of lossRows(inst, c, deadline)) rows.push(r); // not push(...): a spread of 100,000+ rows overflows the stack
  return rows;
}

export function lossRows(inst: Instance, c: Case, deadline: Deadline = Deadline.NONE): LinRow[] {
  const rows: LinRow[] = [];
  const n = inst.points.length;
  const loss = inst.loss;
  const none: LinExpr = new Map();
  for (let i = 0; i < n; i++) {
    deadline.tick(inst.architecture.hidden + 2);
    const f = outputExpr(inst, c, i);
    const y = inst.labels[i]!;
    switch (loss.type) {
      case 'exact':
        rows.push(row(`fit:${i}`, f, '=', y));
        break;
      case 'l1':
        rows.push(row(`l1p:${i}`, addTerm(combine(f, Q.ONE, none, Q.ZERO), `e:${i}`, Q.MINUS_ONE), '<=', y));
        rows.push(row(`l1n:${i}`, addTerm(combine(f, Q.MINUS_ONE, none, Q.ZERO), `e:${i}`, Q.MINUS_ONE), '<=', y.neg()));
        break;
      case 'linf': {
        const sense = loss.strict ? '<' : '<=';
        rows.push(row(`linfu:${i}`, combine(f, Q.ONE, none, Q.ZERO), sense, y.add(loss.bound)));
        rows.push(row(`linfl:${i}`, combine(f, Q.MINUS_ONE, none, Q.ZERO), sense, loss.bound.sub(y)));
        break;
      }
      case 'l2':
        break; // no linear rows: the squared loss is bounded at the leaves (docs/certificates.md, l2dual leaves)
      case 'classification':
        if (marginLemmaApplies(inst, c)) rows.push(row(`cls:${i}`, combine(f, y.neg(), none, Q.ZERO), '<=', Q.MINUS_ONE));
        else rows.push(row(`cls:${i}`, combine(f, y.neg(), none, Q.ZERO), '<', Q.ZERO));
        break;
      default:
        assertNever(loss);
    }
  }
  if (loss.type === 'l1') {
    const e: LinExpr = new Map();
    for (let i = 0; i < n; i++) addTerm(e, `e:${i}`, Q.ONE);
    rows.push(row('l1sum', e, loss.strict ? '<' : '<=', loss.bound));
  }
  return rows;
}

/** The two rows a literal adds: the sign row (act / inact) and the value row (actv / inactv). */
export function literalRows(inst: Instance, c: Case, lit: Literal): LinRow[] {
  const { unit: j, point: i, active } = lit;
  const h = preActivation(inst, j, i);
  const kind = unitVar(inst, c);
  const v = unitVariable(kind, j, i);
  const none: LinExpr = new Map();
  if (active) {
    const signRow =
      kind === 'z'
        ? row(`act:${j}:${i}`, combine(h, Q.MINUS_ONE, none, Q.ZERO), '<=', Q.ZERO)
        : row(`act:${j}:${i}`, combine(h, Q.MINUS_ONE, none, Q.ZERO), '<=', Q.MINUS_ONE);
    let valueRow: LinRow;
    if (kind === 'z') valueRow = row(`actv:${j}:${i}`, addTerm(combine(h, Q.MINUS_ONE, none, Q.ZERO), v, Q.ONE), '=', Q.ZERO);
    else if (kind === 's') valueRow = row(`actv:${j}:${i}`, new Map([[v, Q.ONE]]), '=', Q.ONE);
    else
      valueRow = row(
        `actv:${j}:${i}`,
        new Map([
          [v, Q.ONE],
          [`a:${j}`, Q.MINUS_ONE],
        ]),
        '=',
        Q.ZERO,
      );
    return [signRow, valueRow];
  }
  // inactv: z - slope h = 0 (ReLU: z = 0); s = 0; p = 0
  const slope = kind === 'z' ? (reluSlope(inst.architecture) ?? Q.ZERO) : Q.ZERO;
  return [row(`inact:${j}:${i}`, h, '<=', Q.ZERO), row(`inactv:${j}:${i}`, addTerm(combine(h, slope.neg(), none, Q.ZERO), v, Q.ONE), '=', Q.ZERO)];
}

/** A literal's name in a certificate (docs/certificates.md 4.6, a lemma's `assume`): "act:j:i" or "inact:j:i". */
export function literalName(lit: Literal): string {
  return `${lit.active ? 'act' : 'inact'}:${lit.unit}:${lit.point}`;
}

/** The names of the two rows of literalRows: kind, unit, point. */
const LITERAL_ROW = /^(act|actv|inact|inactv):(\d+):(\d+)$/;

/** The literal whose rows (literalRows) include the row named `name`; undefined for a base or loss row. */
export function literalOfRow(name: string): Literal | undefined {
  const m = LITERAL_ROW.exec(name);
  return m ? { unit: Number(m[2]), point: Number(m[3]), active: m[1] === 'act' || m[1] === 'actv' } : undefined;
}

/** A row or literal name whose last field is a point index (docs/certificates.md 4.3): kind, further indices, the point. */
const POINT_ROW = /^(zlb|zh|slb|sub|fit|l1p|l1n|linfu|linfl|cls|act|actv|inact|inactv)((?::\d+)*):(\d+)$/;

/** The name with its point index i replaced by points[i] (a subset's row in the whole instance's names); other names unchanged. */
export function renumberPoint(name: string, points: readonly number[]): string {
  const m = POINT_ROW.exec(name);
  return m ? `${m[1]}${m[2]}:${points[Number(m[3])]}` : name;
}

/** Describes a case in the certificate's terms: the output weights as strings, or "free". */
export function caseLabel(c: Case): string[] | 'free' {
  return c.a === 'free' ? 'free' : c.a.map((v) => v.toString());
}
