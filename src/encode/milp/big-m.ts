/**
 * The big-M MILP of an instance (docs/export.md). Its model type is
 * model.ts's; what its infeasibility means, and the bounds it uses, are
 * meaning.ts's; the pattern LP is pattern.ts's; the writers are cplex-lp.ts
 * and js-lp-model.ts.
 *
 * What the MILP asks. Every weight is bounded by M: |w_j_t|, |b_j|, |c| <= M
 * and, for threshold units with free output weights, |a_j| <= M. It applies
 * the same normalisations as the exact search: ReLU units with free output
 * weights use L1 (a_j in {-1, 1}), threshold units L2 (active means
 * h >= 1), classification L3 where it applies (y f >= 1). So a MILP
 * solution is a network (checked exactly before anyone believes it), but
 * "MILP infeasible" only says "no fit whose normalised weights all lie in
 * [-M, M]": never a proof that no fit exists (docs/export.md section 2).
 *
 * Strict rows become non-strict with a margin. "loss < G" is written
 * "loss <= G - epsilon" (default 1/1000): this shrinks the feasible set, so
 * a MILP "infeasible" then says "no network with weights in [-M, M] has
 * loss <= G - epsilon", which is weaker than "none has loss < G" near the
 * optimum. "y f > 0" for threshold units with fixed output weights (where L3
 * does not apply) is written "y f >= 1/(2L)", L the least common
 * denominator of the output weights: f takes values in c + (1/L)Z, so every
 * fit has one with this margin and |c| <= A + 1/(2L), A = sum |a_j|
 * (classificationMargin); nothing is lost as long as M >= A + 1/(2L).
 * `MilpModel.meaning` states exactly what the model's infeasibility means
 * (milpMeaning); the export header, `crosscheck` and the `milp` engine print it.
 *
 * Big-M constants per point: with every hidden weight in [-M', M'],
 * |h_ij| <= H_i = M' * (|x_i|_1 + 1), which bounds z_j_i and the
 * indicator rows. M' = M, or min(M, B) under a weight bound B that gives
 * rows (system.ts weightBoundRowsApply: ReLU / leaky ReLU with output weights
 * fixed by the case); then, when M >= B and the rest of milpIsExact holds,
 * "MILP infeasible" is exactly "the instance is infeasible" (milpIsExact).
 *
 * Leaky ReLU (slope s in [0, 1)): z in [-s H, H], rows z >= h, z >= s h,
 * z <= h + (1-s) H (1-d), z <= s h + (1-s) H d: d = 1 gives z = h (and
 * h >= 0 from z >= s h), d = 0 gives z = s h (and h <= 0 from z >= h).
 * For s = 0 these are the ReLU rows.
 *
 * Variables (docs/certificates.md names with ':' written '_'):
 *   w_j_t, b_j, c       in [-M, M]
 *   z_j_i in [-sH_i, H_i] ReLU / leaky ReLU output; d_j_i binary, 1 = ACT(j, i)
 *   s_j_i binary        threshold output, 1 = ACT(j, i)
 *   g_j binary          sign of a_j (1 = +1), for signs and free ReLU
 *   u_j_i in [-H_i,H_i] a_j * z_j_i (ReLU with sign variables)
 *   p_j_i               g_j AND s_j_i (threshold, signs), or a_j * s_j_i
 *                       (threshold, free a_j in [-M, M])
 *   f_i free            the output at point i; e_i >= 0 l1 slack
 */
import { Deadline } from '../../core/deadline.js';
import { Q } from '../../core/rational.js';
import type { Instance } from '../../core/types.js';
import { assertNever, reluSlope } from '../../core/types.js';
import { outputBoundRowsApply, weightBoundRowsApply } from '../system.js';
import { classificationMargin, hiddenWeightBound, milpMeaning, outputWeightBound, thresholdWeights } from './meaning.js';
import { DEFAULT_BIG_M, DEFAULT_EPSILON, MILP_NO_L2, type MilpModel, type MilpOptions, type MilpRow, type MilpSense, type MilpVar } from './model.js';

class Builder {
  vars: MilpVar[] = [];
  rows: MilpRow[] = [];
  private seen = new Set<string>();
  constructor(private readonly deadline: Deadline) {}
  v(name: string, kind: MilpVar['kind'], lb?: Q, ub?: Q): string {
    if (this.seen.has(name)) throw new Error(`internal: variable ${name} declared twice`);
    this.seen.add(name);
    this.vars.push({ name, kind, ...(lb !== undefined ? { lb } : {}), ...(ub !== undefined ? { ub } : {}) });
    return name;
  }
  r(name: string, terms: [string, Q][], sense: MilpSense, rhs: Q): void {
    this.deadline.tick(terms.length);
    const coefs = new Map<string, Q>();
    for (const [v, c] of terms) {
      const s = (coefs.get(v) ?? Q.ZERO).add(c);
      if (s.isZero()) coefs.delete(v);
      else coefs.set(v, s);
    }
    this.rows.push({ name, coefs, sense, rhs });
  }
}

const mk = (v: string, c: Q | number): [string, Q] => [v, typeof c === 'number' ? Q.of(c) : c];

/** What the rows of every unit and point need to know of the instance's shape (declared by declareWeights). */
interface Shape {
  M: Q;
  /** the bound on hidden weights and biases (hiddenWeightBound) */
  Mh: Q;
  /** per point: the indicator constant H_i = Mh (|x_i|_1 + 1), a bound on every |h_ij| */
  H: Q[];
  /** the leaky ReLU's slope (0 for ReLU); undefined for threshold units */
  slope: Q | undefined;
  /** binaries g_j for the signs of the output weights */
  signVars: boolean;
  /** threshold units with free output weights a_j */
  freeThreshold: boolean;
  /** the terms of scale * h_ij = scale * (w_j . x_i + b_j) */
  hTerms: (j: number, i: number, scale: Q) => [string, Q][];
  /** the output weight of unit j when it is fixed (positive, or a list) */
  fixedWeight: (j: number) => Q;
}

/** The big-M MILP of the instance (see the file comment). Throws RangeError for the squared loss, or for M or epsilon not positive. */
export function buildMilp(inst: Instance, opts: MilpOptions = {}): MilpModel {
  if (inst.loss.type === 'l2') throw new RangeError(MILP_NO_L2);
  const M = opts.bigM ?? DEFAULT_BIG_M;
  const eps = opts.epsilon ?? DEFAULT_EPSILON;
  if (M.sign() <= 0) throw new RangeError('big-M must be positive');
  if (eps.sign() <= 0) throw new RangeError('epsilon must be positive');
  const B = new Builder(opts.deadline ?? Deadline.NONE);
  const shape = declareWeights(inst, B, M);
  const outTerms: [string, Q][][] = Array.from({ length: inst.points.length }, () => []);
  for (let j = 0; j < inst.architecture.hidden; j++)
    for (let i = 0; i < inst.points.length; i++) {
      if (shape.slope !== undefined) outTerms[i]!.push(...reluUnitRows(B, shape, shape.slope, j, i));
      else outTerms[i]!.push(...thresholdUnitRows(inst, B, shape, j, i));
    }
  for (let i = 0; i < inst.points.length; i++) {
    const f = B.v(`f_${i}`, 'continuous');
    B.r(
      `out_${i}`,
      [mk(f, 1), ...outTerms[i]!.map(([v, c]): [string, Q] => [v, c.neg()]), ...(inst.architecture.outputBias ? [mk('c', -1)] : [])],
      '=',
      Q.ZERO,
    );
  }
  addLossRows(inst, B, eps, shape.freeThreshold);
  const meaning = milpMeaning(inst, M, eps);
  return { title: `relucert MILP: ${inst.name}`, bigM: M, epsilon: eps, vars: B.vars, rows: B.rows, notes: milpNotes(inst, M, eps, shape, meaning), meaning };
}

/** Declares the weights (w, b, c; the sign binaries g_j; free threshold output weights a_j) and returns what the unit rows need. */
function declareWeights(inst: Instance, B: Builder, M: Q): Shape {
  const { hidden: k, activation, outputWeights: ow, outputBias } = inst.architecture;
  const d = inst.points[0]?.length ?? 0;
  const Mh = hiddenWeightBound(inst, M);
  for (let j = 0; j < k; j++) {
    for (let t = 0; t < d; t++) B.v(`w_${j}_${t}`, 'continuous', Mh.neg(), Mh);
    B.v(`b_${j}`, 'continuous', Mh.neg(), Mh);
  }
  if (outputBias) B.v('c', 'continuous', M.neg(), M);
  const H = inst.points.map((x) => Mh.mul(Q.sum(x.map((v) => v.abs())).add(Q.ONE)));
  const hTerms = (j: number, i: number, scale: Q): [string, Q][] => [...inst.points[i]!.map((x, t) => mk(`w_${j}_${t}`, x.mul(scale))), mk(`b_${j}`, scale)];
  const signVars = (activation !== 'threshold' && (ow.mode === 'signs' || ow.mode === 'free')) || (activation === 'threshold' && ow.mode === 'signs');
  if (signVars) for (let j = 0; j < k; j++) B.v(`g_${j}`, 'binary');
  const freeThreshold = activation === 'threshold' && ow.mode === 'free';
  const Ma = outputWeightBound(inst, M);
  if (freeThreshold) for (let j = 0; j < k; j++) B.v(`a_${j}`, 'continuous', Ma.neg(), Ma);
  const fixedWeight = (j: number): Q => {
    switch (ow.mode) {
      case 'positive':
        return Q.ONE;
      case 'fixed':
        return ow.values[j]!;
      case 'signs':
      case 'free':
        throw new Error('internal: no fixed weight');
      default:
        return assertNever(ow);
    }
  };
  return { M, Mh, H, slope: reluSlope(inst.architecture), signVars, freeThreshold, hTerms, fixedWeight };
}

/** The rows of a ReLU or leaky ReLU unit j at point i (z, its indicator d, and a_j z as u under sign binaries); returns unit j's terms of f_i. */
function reluUnitRows(B: Builder, shape: Shape, slope: Q, j: number, i: number): [string, Q][] {
  const { hTerms } = shape;
  const Hi = shape.H[i]!;
  const id = `${j}_${i}`;
  const z = B.v(`z_${id}`, 'continuous', slope.mul(Hi).neg(), Hi);
  const dd = B.v(`d_${id}`, 'binary');
  const Hs = Q.ONE.sub(slope).mul(Hi); // (1 - s) H; H for ReLU
  B.r(`zh_${id}`, [...hTerms(j, i, Q.ONE), mk(z, -1)], '<=', Q.ZERO); // z >= h
  if (!slope.isZero()) B.r(`zlb_${id}`, [...hTerms(j, i, slope), mk(z, -1)], '<=', Q.ZERO); // z >= s h (ReLU: the bound z >= 0)
  B.r(`zact_${id}`, [mk(z, 1), ...hTerms(j, i, Q.MINUS_ONE), mk(dd, Hs)], '<=', Hs); // z <= h + (1-s)H(1-d)
  B.r(`zoff_${id}`, [mk(z, 1), ...hTerms(j, i, slope.neg()), mk(dd, Hs.neg())], '<=', Q.ZERO); // z <= s h + (1-s)H d
  if (!shape.signVars) return [mk(z, shape.fixedWeight(j))];
  const u = B.v(`u_${id}`, 'continuous', Hi.neg(), Hi);
  const g = `g_${j}`;
  const H2 = Hi.add(Hi);
  B.r(`upos1_${id}`, [mk(u, 1), mk(z, -1), mk(g, H2)], '<=', H2); // g=1 -> u <= z
  B.r(`upos2_${id}`, [mk(z, 1), mk(u, -1), mk(g, H2)], '<=', H2); // g=1 -> u >= z
  B.r(`uneg1_${id}`, [mk(u, 1), mk(z, 1), mk(g, H2.neg())], '<=', Q.ZERO); // g=0 -> u <= -z
  B.r(`uneg2_${id}`, [mk(u, -1), mk(z, -1), mk(g, H2.neg())], '<=', Q.ZERO); // g=0 -> u >= -z
  return [mk(u, 1)];
}

/** The rows of a threshold unit j at point i (s, and p for sign binaries or a free a_j); returns unit j's terms of f_i. */
function thresholdUnitRows(inst: Instance, B: Builder, shape: Shape, j: number, i: number): [string, Q][] {
  const { hTerms, M } = shape;
  const Hi = shape.H[i]!;
  const id = `${j}_${i}`;
  const s = B.v(`s_${id}`, 'binary');
  const H1 = Hi.add(Q.ONE);
  B.r(`act_${id}`, [...hTerms(j, i, Q.MINUS_ONE), mk(s, H1)], '<=', Hi); // s=1 -> h >= 1 (L2)
  B.r(`inact_${id}`, [...hTerms(j, i, Q.ONE), mk(s, Hi.neg())], '<=', Q.ZERO); // s=0 -> h <= 0
  if (inst.architecture.outputWeights.mode === 'signs') {
    const p = B.v(`p_${id}`, 'continuous', Q.ZERO, Q.ONE);
    const g = `g_${j}`;
    B.r(`pg_${id}`, [mk(p, 1), mk(g, -1)], '<=', Q.ZERO);
    B.r(`ps_${id}`, [mk(p, 1), mk(s, -1)], '<=', Q.ZERO);
    B.r(`pgs_${id}`, [mk(g, 1), mk(s, 1), mk(p, -1)], '<=', Q.ONE);
    return [mk(p, 2), mk(s, -1)]; // a_j s = (2g - 1) s = 2p - s
  }
  if (!shape.freeThreshold) return [mk(s, shape.fixedWeight(j))];
  const p = B.v(`p_${id}`, 'continuous', M.neg(), M);
  const a = `a_${j}`;
  B.r(`poff1_${id}`, [mk(p, 1), mk(s, M.neg())], '<=', Q.ZERO); // s=0 -> p <= 0
  B.r(`poff2_${id}`, [mk(p, -1), mk(s, M.neg())], '<=', Q.ZERO); // s=0 -> p >= 0
  B.r(`pon1_${id}`, [mk(p, 1), mk(a, -1), mk(s, M.add(M))], '<=', M.add(M)); // s=1 -> p <= a
  B.r(`pon2_${id}`, [mk(a, 1), mk(p, -1), mk(s, M.add(M))], '<=', M.add(M)); // s=1 -> p >= a
  return [mk(p, 1)];
}

/** The loss rows over the outputs f_i: exact fit, l1 (slacks e_i), l-inf, or classification with its margin. */
function addLossRows(inst: Instance, B: Builder, eps: Q, freeThreshold: boolean): void {
  const n = inst.points.length;
  const loss = inst.loss;
  const y = (i: number): Q => inst.labels[i]!;
  switch (loss.type) {
    case 'exact':
      for (let i = 0; i < n; i++) B.r(`fit_${i}`, [mk(`f_${i}`, 1)], '=', y(i));
      break;
    case 'l1': {
      for (let i = 0; i < n; i++) {
        const e = B.v(`e_${i}`, 'continuous', Q.ZERO);
        B.r(`l1p_${i}`, [mk(`f_${i}`, 1), mk(e, -1)], '<=', y(i));
        B.r(`l1n_${i}`, [mk(`f_${i}`, -1), mk(e, -1)], '<=', y(i).neg());
      }
      const G = loss.strict ? loss.bound.sub(eps) : loss.bound;
      B.r(
        'l1sum',
        Array.from({ length: n }, (_, i) => mk(`e_${i}`, 1)),
        '<=',
        G,
      );
      break;
    }
    case 'linf': {
      const G = loss.strict ? loss.bound.sub(eps) : loss.bound;
      for (let i = 0; i < n; i++) {
        B.r(`linfu_${i}`, [mk(`f_${i}`, 1)], '<=', y(i).add(G));
        B.r(`linfl_${i}`, [mk(`f_${i}`, -1)], '<=', G.sub(y(i)));
      }
      break;
    }
    case 'classification': {
      // L3 (margin 1) for ReLU / leaky ReLU without bound rows and free threshold; under bound rows y f > 0 becomes y f >= epsilon
      const margin =
        weightBoundRowsApply(inst) || outputBoundRowsApply(inst)
          ? eps
          : inst.architecture.activation !== 'threshold' || freeThreshold
            ? Q.ONE
            : classificationMargin(thresholdWeights(inst)).margin;
      for (let i = 0; i < n; i++) B.r(`cls_${i}`, [mk(`f_${i}`, y(i).neg())], '<=', margin.neg());
      break;
    }
    case 'l2':
      throw new RangeError(MILP_NO_L2);
    default:
      assertNever(loss);
  }
}

/** The lines stated at the top of every written form of the model: M, what infeasible means, the margins, the indicator constants. */
function milpNotes(inst: Instance, M: Q, eps: Q, shape: Shape, meaning: string): string[] {
  const { Mh, freeThreshold } = shape;
  const activation = inst.architecture.activation;
  const loss = inst.loss;
  return [
    `big-M MILP of instance ${inst.name}`,
    `big-M M = ${M}: every weight w, b, c${freeThreshold ? ', a' : ''} lies in [-M, M] (after the normalisations L1 a in {-1,1} for ReLU, L2 active means h >= 1, L3 margin 1 where it applies)` +
      (Mh.eq(M) ? '' : `; hidden weights and biases in [-${Mh}, ${Mh}] (the instance's weightBound)`),
    `"infeasible" here means exactly: ${meaning}; never that no fit exists`,
    loss.type === 'l1' || loss.type === 'linf'
      ? loss.strict
        ? `epsilon = ${eps}: the strict bound "< ${loss.bound}" is written "<= ${loss.bound} - epsilon"`
        : 'no strict rows'
      : loss.type === 'classification' && (weightBoundRowsApply(inst) || outputBoundRowsApply(inst))
        ? `epsilon = ${eps}: "y f > 0" is written "y f >= epsilon" (no lemma L3 under a weight bound)`
        : loss.type === 'classification' && activation === 'threshold' && !freeThreshold
          ? `"y f > 0" is written "y f >= ${classificationMargin(thresholdWeights(inst)).margin}" (1/(2L), L the least common denominator of the output weights: exact, see classificationMargin)`
          : 'no strict rows',
    `indicator constants H_i = M * (|x_i|_1 + 1) bound |w_j . x_i + b_j|`,
  ];
}
