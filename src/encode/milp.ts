/**
 * The big-M MILP of an instance, and the pure LP of one activation pattern,
 * with writers for CPLEX LP text and for javascript-lp-solver's JSON model
 * (docs/export.md).
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
 * `MilpModel.meaning` states exactly what the model's infeasibility means;
 * the export header, `crosscheck` and the `milp` engine print it.
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
import { Q, finiteDecimal, gcd } from '../core/rational.js';
import type { Instance, Network } from '../core/types.js';
import { assertNever, reluSlope } from '../core/types.js';
import type { LinRow } from './rows.js';
import { type Case, type Literal, baseRows, hiddenBoundOfRows, literalRows, normalisationCases, outputBoundRowsApply, weightBoundRowsApply } from './system.js';
import { smtName } from './smtlib.js';
import { InputError } from '../format/errors.js';
import { Deadline } from '../core/deadline.js';

export type MilpSense = '<=' | '>=' | '=';

export interface MilpVar {
  name: string;
  kind: 'continuous' | 'binary';
  /** undefined = unbounded on that side. Binaries are always in {0, 1}. */
  lb?: Q;
  ub?: Q;
}

export interface MilpRow {
  name: string;
  coefs: Map<string, Q>;
  sense: MilpSense;
  rhs: Q;
}

export interface MilpModel {
  title: string;
  /** Bound on every weight (see the file comment). */
  bigM: Q;
  /** Margin replacing strict inequalities. */
  epsilon: Q;
  vars: MilpVar[];
  rows: MilpRow[];
  /** Lines stated at the top of every written form. */
  notes: string[];
  /** What "this MILP is infeasible" means, exactly (one sentence, for every report of a MILP infeasible). */
  meaning: string;
}

export interface MilpOptions {
  /** Default DEFAULT_BIG_M. */
  bigM?: Q;
  /** Default DEFAULT_EPSILON. */
  epsilon?: Q;
  /** Building a large model takes seconds: ticked per row, throws Timeout past it (src/core/deadline.ts). */
  deadline?: Deadline;
}

export const DEFAULT_BIG_M = Q.of(100);
export const DEFAULT_EPSILON = Q.of(1, 1000);

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

/**
 * The exact margin for "y f > 0" with threshold units and fixed output
 * weights a_j (no lemma scales f): 1/(2L), L the least common denominator of
 * the a_j. Proof: f(x_i) = c + S_i with S_i a sum of some a_j, so S_i is in
 * (1/L)Z and |S_i| <= A = sum |a_j|. Without output bias (c = 0) a fit has
 * |f| >= 1/L everywhere. With c, the c that fit form an open interval whose
 * finite ends are among the -S_i, so it is at least 1/L long when bounded
 * on both sides; its midpoint (or an end moved in by 1/(2L)) fits with
 * margin 1/(2L) and |c| <= A + 1/(2L). Returns the margin and A + margin
 * (the bound on c that the statement needs).
 */
export function classificationMargin(a: readonly Q[]): { margin: Q; cBound: Q } {
  let L = 1n;
  for (const v of a) L = lcm(L, v.den);
  const margin = Q.of(1n, 2n * L);
  return { margin, cBound: Q.sum(a.map((v) => v.abs())).add(margin) };
}

/** The big-M MILP of the instance (see the file comment). */
/** Why there is no MILP for a squared-loss instance (docs/export.md): the export, the milp engine and crosscheck say this. */
export const MILP_NO_L2 = 'the MILP/LP export does not cover the squared loss l2 (its loss is quadratic, not linear); use the SMT-LIB export (QF_NRA)';

export function buildMilp(inst: Instance, opts: MilpOptions = {}): MilpModel {
  if (inst.loss.type === 'l2') throw new RangeError(MILP_NO_L2);
  const M = opts.bigM ?? DEFAULT_BIG_M;
  const eps = opts.epsilon ?? DEFAULT_EPSILON;
  if (M.sign() <= 0) throw new RangeError('big-M must be positive');
  if (eps.sign() <= 0) throw new RangeError('epsilon must be positive');
  const { hidden: k, activation, outputWeights: ow, outputBias } = inst.architecture;
  const n = inst.points.length;
  const d = inst.points[0]?.length ?? 0;
  const B = new Builder(opts.deadline ?? Deadline.NONE);
  const negM = M.neg();
  const Mh = hiddenWeightBound(inst, M);
  for (let j = 0; j < k; j++) {
    for (let t = 0; t < d; t++) B.v(`w_${j}_${t}`, 'continuous', Mh.neg(), Mh);
    B.v(`b_${j}`, 'continuous', Mh.neg(), Mh);
  }
  if (outputBias) B.v('c', 'continuous', negM, M);
  const H = inst.points.map((x) => Mh.mul(Q.sum(x.map((v) => v.abs())).add(Q.ONE)));
  const slope = reluSlope(inst.architecture);
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

  const outTerms: [string, Q][][] = Array.from({ length: n }, () => []);
  for (let j = 0; j < k; j++)
    for (let i = 0; i < n; i++) {
      const Hi = H[i]!;
      const id = `${j}_${i}`;
      if (slope !== undefined) {
        const z = B.v(`z_${id}`, 'continuous', slope.mul(Hi).neg(), Hi);
        const dd = B.v(`d_${id}`, 'binary');
        const Hs = Q.ONE.sub(slope).mul(Hi); // (1 - s) H; H for ReLU
        B.r(`zh_${id}`, [...hTerms(j, i, Q.ONE), mk(z, -1)], '<=', Q.ZERO); // z >= h
        if (!slope.isZero()) B.r(`zlb_${id}`, [...hTerms(j, i, slope), mk(z, -1)], '<=', Q.ZERO); // z >= s h (ReLU: the bound z >= 0)
        B.r(`zact_${id}`, [mk(z, 1), ...hTerms(j, i, Q.MINUS_ONE), mk(dd, Hs)], '<=', Hs); // z <= h + (1-s)H(1-d)
        B.r(`zoff_${id}`, [mk(z, 1), ...hTerms(j, i, slope.neg()), mk(dd, Hs.neg())], '<=', Q.ZERO); // z <= s h + (1-s)H d
        if (signVars) {
          const u = B.v(`u_${id}`, 'continuous', Hi.neg(), Hi);
          const g = `g_${j}`;
          const H2 = Hi.add(Hi);
          B.r(`upos1_${id}`, [mk(u, 1), mk(z, -1), mk(g, H2)], '<=', H2); // g=1 -> u <= z
          B.r(`upos2_${id}`, [mk(z, 1), mk(u, -1), mk(g, H2)], '<=', H2); // g=1 -> u >= z
          B.r(`uneg1_${id}`, [mk(u, 1), mk(z, 1), mk(g, H2.neg())], '<=', Q.ZERO); // g=0 -> u <= -z
          B.r(`uneg2_${id}`, [mk(u, -1), mk(z, -1), mk(g, H2.neg())], '<=', Q.ZERO); // g=0 -> u >= -z
          outTerms[i]!.push(mk(u, 1));
        } else outTerms[i]!.push(mk(z, fixedWeight(j)));
      } else {
        const s = B.v(`s_${id}`, 'binary');
        const H1 = Hi.add(Q.ONE);
        B.r(`act_${id}`, [...hTerms(j, i, Q.MINUS_ONE), mk(s, H1)], '<=', Hi); // s=1 -> h >= 1 (L2)
        B.r(`inact_${id}`, [...hTerms(j, i, Q.ONE), mk(s, Hi.neg())], '<=', Q.ZERO); // s=0 -> h <= 0
        if (ow.mode === 'signs') {
          const p = B.v(`p_${id}`, 'continuous', Q.ZERO, Q.ONE);
          const g = `g_${j}`;
          B.r(`pg_${id}`, [mk(p, 1), mk(g, -1)], '<=', Q.ZERO);
          B.r(`ps_${id}`, [mk(p, 1), mk(s, -1)], '<=', Q.ZERO);
          B.r(`pgs_${id}`, [mk(g, 1), mk(s, 1), mk(p, -1)], '<=', Q.ONE);
          outTerms[i]!.push(mk(p, 2), mk(s, -1)); // a_j s = (2g - 1) s = 2p - s
        } else if (freeThreshold) {
          const p = B.v(`p_${id}`, 'continuous', negM, M);
          const a = `a_${j}`;
          B.r(`poff1_${id}`, [mk(p, 1), mk(s, M.neg())], '<=', Q.ZERO); // s=0 -> p <= 0
          B.r(`poff2_${id}`, [mk(p, -1), mk(s, M.neg())], '<=', Q.ZERO); // s=0 -> p >= 0
          B.r(`pon1_${id}`, [mk(p, 1), mk(a, -1), mk(s, M.add(M))], '<=', M.add(M)); // s=1 -> p <= a
          B.r(`pon2_${id}`, [mk(a, 1), mk(p, -1), mk(s, M.add(M))], '<=', M.add(M)); // s=1 -> p >= a
          outTerms[i]!.push(mk(p, 1));
        } else outTerms[i]!.push(mk(s, fixedWeight(j)));
      }
    }

  for (let i = 0; i < n; i++) {
    const f = B.v(`f_${i}`, 'continuous');
    B.r(`out_${i}`, [mk(f, 1), ...outTerms[i]!.map(([v, c]): [string, Q] => [v, c.neg()]), ...(outputBias ? [mk('c', -1)] : [])], '=', Q.ZERO);
  }

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
          : activation !== 'threshold' || freeThreshold
            ? Q.ONE
            : classificationMargin(thresholdWeights(inst)).margin;
      for (let i = 0; i < n; i++) B.r(`cls_${i}`, [mk(`f_${i}`, y(i).neg())], '<=', margin.neg());
      break;
    }
    default:
      assertNever(loss);
  }

  const meaning = milpMeaning(inst, M, eps);
  const notes = [
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
  return { title: `relucert MILP: ${inst.name}`, bigM: M, epsilon: eps, vars: B.vars, rows: B.rows, notes, meaning };
}

/** The bound on hidden weights and biases in the MILP: M, or min(M, B') when the weight bound gives rows bounding them by B' (hiddenBoundOfRows: B, or B^2 for bounded free output weights). */
function hiddenWeightBound(inst: Instance, M: Q): Q {
  const B = hiddenBoundOfRows(inst);
  return B !== undefined ? Q.min(M, B) : M;
}

/** The bound on the output weights a_j of threshold units with free output weights: M, or min(M, B) under boundOutputWeights. */
function outputWeightBound(inst: Instance, M: Q): Q {
  const B = inst.architecture.weightBound;
  return B !== undefined && outputBoundRowsApply(inst) ? Q.min(M, B) : M;
}

/**
 * A bound C on the output bias of every fit under bound rows: at any point
 * i, c = f_i - sum_j a_j z_ij with |f_i - y_i| <= G (G = 0 for exact) and
 * |z_ij| <= |h_ij| <= B (|x_i|_1 + 1) (leaky: |s h| <= |h|), so
 * |c| <= |y_i| + G + A B (|x_i|_1 + 1), A = sum_j |a_j| (k for signs);
 * C is the least of these over i. Undefined without bound rows or for a
 * loss with no bound on |f - y| (classification).
 */
export function outputBiasBound(inst: Instance): Q | undefined {
  const { outputWeights: ow, hidden: k } = inst.architecture;
  const B = hiddenBoundOfRows(inst); // B, or B^2 in the sign cases of bounded free output weights (a_j = +-1)
  const loss = inst.loss;
  // classification bounds no |f - y|; l2 has no MILP (|f - y| <= sqrt(G) would do)
  if (B === undefined || loss.type === 'classification' || loss.type === 'l2') return undefined;
  const G = loss.type === 'exact' ? Q.ZERO : loss.bound;
  const A = ow.mode === 'fixed' ? Q.sum(ow.values.map((v) => v.abs())) : Q.of(k);
  return inst.points
    .map((x, i) =>
      inst.labels[i]!.abs()
        .add(G)
        .add(A.mul(B).mul(Q.sum(x.map((v) => v.abs())).add(Q.ONE))),
    )
    .reduce((m, v) => Q.min(m, v));
}

/**
 * Is "this MILP (bound M, margin epsilon) is infeasible" exactly "the
 * instance is infeasible"? Yes when: the weight bound B gives rows (ReLU or
 * leaky ReLU units, output weights signs, positive or a list), M >= B (so the
 * MILP bounds hidden weights by B, as the instance does), the loss is exact,
 * or l1 / linf without strict (no epsilon margin; l2 has no MILP), and there is no output
 * bias or M >= outputBiasBound (no fit needs |c| > M). The MILP then has
 * exactly the fits of the instance as solutions (the indicator constants
 * H_i bound every |h_ij|; signs are binaries; no lemma L3 is used). A
 * solver's "infeasible" is still a floating-point answer: the milp engine
 * has it certified by the exact engine (src/engines/milp.ts).
 */
export function milpIsExact(inst: Instance, M: Q): boolean {
  const B = hiddenBoundOfRows(inst);
  if (B === undefined || M.lt(B)) return false;
  const loss = inst.loss;
  if (loss.type === 'classification' || loss.type === 'l2' || ((loss.type === 'l1' || loss.type === 'linf') && loss.strict)) return false;
  if (!inst.architecture.outputBias) return true;
  const C = outputBiasBound(inst);
  return C !== undefined && M.ge(C);
}

/** The output weights of threshold units whose f is not scaled by L3: the fixed list, or all 1 (positive; signs, whose |a_j| = 1). */
function thresholdWeights(inst: Instance): Q[] {
  const ow = inst.architecture.outputWeights;
  return ow.mode === 'fixed' ? ow.values : Array.from({ length: inst.architecture.hidden }, () => Q.ONE);
}

/**
 * What "the MILP of `inst` (bound M, margin epsilon) is infeasible" means,
 * exactly, as one sentence: the weight bound, and the margin of a strict
 * loss bound (which makes the MILP ask for less than the instance); the
 * exact classification margin of threshold units with fixed output weights
 * loses nothing when M >= A + 1/(2L) (classificationMargin).
 */
export function milpMeaning(inst: Instance, M: Q, eps: Q): string {
  const { activation, outputWeights: ow, outputBias } = inst.architecture;
  const B = hiddenBoundOfRows(inst);
  if (milpIsExact(inst, M)) {
    const how =
      ow.mode === 'free'
        ? 'after lemma L8 (output weights +-1, hidden weights within the square of the weightBound: the same networks)'
        : 'as the instance says';
    return `no network of the instance's shape fits: the instance is infeasible (this MILP is exactly its question: hidden weights and biases in [-${B}, ${B}] ${how}, M = ${M} >= ${B}${outputBias ? `, and M >= ${outputBiasBound(inst)}, a bound on the output bias of every fit` : ''}; no strict row)`;
  }
  const Mh = hiddenWeightBound(inst, M);
  const Ma = outputWeightBound(inst, M);
  const weights =
    Mh.eq(M) && Ma.eq(M)
      ? `no network with all weights in [-${M}, ${M}]`
      : !Mh.eq(M)
        ? `no network with hidden weights in [-${Mh}, ${Mh}] and the other weights in [-${M}, ${M}]`
        : `no network with output weights in [-${Ma}, ${Ma}] and the other weights in [-${M}, ${M}]`;
  const loss = inst.loss;
  switch (loss.type) {
    case 'l1':
    case 'linf':
      return loss.strict
        ? `${weights} has ${loss.type} loss <= ${loss.bound.sub(eps)} (the strict bound < ${loss.bound} minus the margin epsilon = ${eps}; a fit with loss in (${loss.bound.sub(eps)}, ${loss.bound}) is not excluded)`
        : `${weights} has ${loss.type} loss <= ${loss.bound}`;
    case 'exact':
      return `${weights} fits every label exactly`;
    case 'l2':
      return MILP_NO_L2;
    case 'classification': {
      if (weightBoundRowsApply(inst) || outputBoundRowsApply(inst))
        return `${weights} classifies every point with margin ${eps} (epsilon: under a weight bound lemma L3 does not apply; a fit with a smaller margin is not excluded)`;
      if (activation !== 'threshold' || ow.mode === 'free') return `${weights} classifies every point (margin 1 by lemma L3, which loses nothing)`;
      const { margin, cBound } = classificationMargin(thresholdWeights(inst));
      const exact = `(margin ${margin} = 1/(2L), which loses nothing: f takes values in c + (1/L)Z${outputBias ? `, and some fit has |c| <= ${cBound}` : ''})`;
      if (!outputBias || M.ge(cBound)) return `${weights.replace('all weights', 'hidden weights')} classifies every point ${exact}`;
      return `${weights} classifies every point with margin ${margin} (M < ${cBound}, so a fit whose output bias needs more than M is not excluded)`;
    }
    default:
      return assertNever(loss);
  }
}

// ---------------------------------------------------------------- the LP of one activation pattern

/** One activation pattern: the normalisation case and, per unit and point, ACT (true) or INACT. */
export interface Pattern {
  case: Case;
  active: boolean[][];
}

/**
 * Parses a pattern for the instance: `act` (every literal ACT), or
 * `[SIGNS/]UNITS` where UNITS is k comma-separated strings of n characters,
 * 1 (ACT) or 0 (INACT), unit j's string giving points 0..n-1; SIGNS is k
 * characters + or - giving the output-weight case (only for signs / free ReLU
 * output weights; default all +). Throws InputError naming `--pattern-lp`.
 */
export function parsePattern(inst: Instance, text: string): Pattern {
  const { hidden: k } = inst.architecture;
  const n = inst.points.length;
  const bad = (msg: string): never => {
    throw new InputError('command line', '--pattern-lp', msg);
  };
  const cases = normalisationCases(inst);
  const needsSigns = cases.length > 1;
  let signs: string | undefined;
  let body = text.trim();
  const slash = body.indexOf('/');
  if (slash >= 0) {
    signs = body.slice(0, slash);
    body = body.slice(slash + 1);
  }
  let c: Case;
  if (signs !== undefined) {
    if (!needsSigns) bad(`this instance has a single output-weight case; drop the "${signs}/" prefix`);
    if (!new RegExp(`^[+-]{${k}}$`).test(signs)) bad(`signs must be ${k} characters + or -, got ${JSON.stringify(signs)}`);
    c = { a: [...signs].map((ch) => (ch === '+' ? Q.ONE : Q.MINUS_ONE)) };
  } else c = needsSigns ? { a: Array.from({ length: k }, () => Q.ONE) } : cases[0]!;
  let active: boolean[][];
  if (body.toLowerCase() === 'act') active = Array.from({ length: k }, () => Array.from({ length: n }, () => true));
  else {
    const units = body.split(',');
    if (units.length !== k) bad(`expected ${k} comma-separated unit patterns (or "act"), got ${units.length}`);
    active = units.map((u, j) => {
      if (!new RegExp(`^[01]{${n}}$`).test(u)) bad(`unit ${j}: expected ${n} characters 0 or 1, got ${JSON.stringify(u)}`);
      return [...u].map((ch) => ch === '1');
    });
  }
  return { case: c, active };
}

/** The exact rows of one pattern: base rows plus the literal rows of every (j, i). */
export function patternRows(inst: Instance, p: Pattern): LinRow[] {
  const rows = baseRows(inst, p.case);
  p.active.forEach((unit, j) =>
    unit.forEach((act, i) => {
      const lit: Literal = { unit: j, point: i, active: act };
      rows.push(...literalRows(inst, p.case, lit));
    }),
  );
  return rows;
}

/**
 * The pattern LP as a MILP model without binaries: every variable free, the
 * rows exactly those of patternRows (names with ':' written '_'); strict rows
 * get the epsilon margin.
 */
export function patternLp(inst: Instance, p: Pattern, opts: MilpOptions = {}): MilpModel {
  const eps = opts.epsilon ?? DEFAULT_EPSILON;
  const rows = patternRows(inst, p);
  const names: string[] = [];
  const seen = new Set<string>();
  const out: MilpRow[] = rows.map((r) => {
    const coefs = new Map<string, Q>();
    for (const [v, c] of r.coefs) {
      const nm = smtName(v);
      coefs.set(nm, c);
      if (!seen.has(nm)) {
        seen.add(nm);
        names.push(nm);
      }
    }
    const sense: MilpSense = r.sense === '=' ? '=' : '<=';
    return { name: smtName(r.name), coefs, sense, rhs: r.sense === '<' ? r.rhs.sub(eps) : r.rhs };
  });
  const caseText = p.case.a === 'free' ? 'free' : p.case.a.map(String).join(', ');
  const patText = p.active.map((u) => u.map((a) => (a ? '1' : '0')).join('')).join(',');
  return {
    title: `relucert pattern LP: ${inst.name}`,
    bigM: Q.ZERO,
    epsilon: eps,
    vars: names.map((name) => ({ name, kind: 'continuous' as const })),
    rows: out,
    notes: [
      `LP of one activation pattern of instance ${inst.name} (rows as docs/certificates.md names them, ':' written '_')`,
      `output weights a = (${caseText}); pattern per unit (1 = ACT, 0 = INACT, points 0..n-1): ${patText}`,
      `no big-M: every variable is free; threshold ACT rows use L2 (h >= 1), classification L3 where it applies`,
      rows.some((r) => r.sense === '<') ? `epsilon = ${eps}: strict rows are written "<= rhs - epsilon"` : 'no strict rows',
    ],
    meaning: `no point satisfies this pattern's rows${rows.some((r) => r.sense === '<') ? ` with every strict row tightened by epsilon = ${eps}` : ''}`,
  };
}

// ---------------------------------------------------------------- writers

const lcm = (a: bigint, b: bigint): bigint => (a / gcd(a, b)) * b;

/** The row scaled by the positive lcm of its denominators: integer coefficients, same meaning. */
export function integerRow(r: MilpRow): { coefs: [string, bigint][]; rhs: bigint } {
  let L = r.rhs.den;
  for (const c of r.coefs.values()) L = lcm(L, c.den);
  const scale = Q.of(L);
  return {
    coefs: [...r.coefs].map(([v, c]) => [v, c.mul(scale).num]),
    rhs: r.rhs.mul(scale).num,
  };
}

/** A bound written exactly when it is a finite decimal, else to 17 significant digits (noted). */
function decimal(x: Q): string {
  return finiteDecimal(x) ?? x.toNumber().toPrecision(17);
}

/** CPLEX LP format text. Rows are scaled to integer coefficients, so they are exact. Throws Timeout past `deadline`. */
export function writeCplexLp(m: MilpModel, deadline: Deadline = Deadline.NONE): string {
  const out: string[] = [];
  for (const note of [m.title, ...m.notes]) out.push(`\\ ${note}`);
  out.push('\\ each row is scaled by the lcm of its denominators, so every coefficient is an exact integer');
  out.push('Minimize');
  out.push(' obj: 0 ' + (m.vars[0]?.name ?? 'x'));
  out.push('Subject To');
  for (const r of m.rows) {
    deadline.tick(r.coefs.size);
    const { coefs, rhs } = integerRow(r);
    const terms =
      coefs.length === 0
        ? ['0 ' + (m.vars[0]?.name ?? 'x')]
        : coefs.map(([v, c], idx) => `${c < 0n ? '- ' : idx === 0 ? '' : '+ '}${c === 1n || c === -1n ? '' : `${c < 0n ? -c : c} `}${v}`);
    const line = ` ${r.name}: ${terms.join(' ')} ${r.sense} ${rhs}`;
    out.push(wrap(line));
  }
  out.push('Bounds');
  for (const v of m.vars) {
    if (v.kind === 'binary') continue;
    if (v.lb === undefined && v.ub === undefined) out.push(` ${v.name} free`);
    else if (v.lb !== undefined && v.ub !== undefined) out.push(` ${decimal(v.lb)} <= ${v.name} <= ${decimal(v.ub)}`);
    else if (v.lb !== undefined) out.push(v.lb.isZero() ? ` ${v.name} >= 0` : ` ${decimal(v.lb)} <= ${v.name}`);
    else out.push(` -inf <= ${v.name} <= ${decimal(v.ub!)}`);
  }
  const bins = m.vars.filter((v) => v.kind === 'binary').map((v) => v.name);
  if (bins.length > 0) {
    out.push('Binaries');
    for (let i = 0; i < bins.length; i += 10) out.push(' ' + bins.slice(i, i + 10).join(' '));
  }
  out.push('End');
  return out.join('\n') + '\n';
}

/** CPLEX LP lines should stay under 255 characters; break long rows between terms. */
function wrap(line: string): string {
  if (line.length <= 200) return line;
  const parts = line.split(/ (?=[+-] )/);
  const lines: string[] = [];
  let cur = '';
  for (const p of parts) {
    if (cur.length + p.length > 200 && cur) {
      lines.push(cur);
      cur = '   ' + p;
    } else cur = cur ? `${cur} ${p}` : p;
  }
  if (cur) lines.push(cur);
  return lines.join('\n');
}

/** javascript-lp-solver's model (floats: the solver's answer is only a candidate). */
export interface JsLpModel {
  optimize: string;
  opType: 'min' | 'max';
  constraints: Record<string, { min?: number; max?: number; equal?: number }>;
  variables: Record<string, Record<string, number>>;
  binaries: Record<string, 1>;
  unrestricted: Record<string, 1>;
  /** Free-form: M, epsilon and the notes. */
  relucert: { bigM: string; epsilon: string; notes: string[] };
}

export function toJsLpModel(m: MilpModel): JsLpModel {
  const constraints: JsLpModel['constraints'] = {};
  const variables: JsLpModel['variables'] = {};
  const binaries: JsLpModel['binaries'] = {};
  const unrestricted: JsLpModel['unrestricted'] = {};
  for (const v of m.vars) {
    variables[v.name] = {};
    if (v.kind === 'binary') binaries[v.name] = 1;
    else if (v.lb === undefined || v.lb.sign() < 0) unrestricted[v.name] = 1;
  }
  for (const r of m.rows) {
    const name = `r_${r.name}`;
    const rhs = r.rhs.toNumber();
    constraints[name] = r.sense === '<=' ? { max: rhs } : r.sense === '>=' ? { min: rhs } : { equal: rhs };
    for (const [v, c] of r.coefs) variables[v]![name] = c.toNumber();
  }
  for (const v of m.vars) {
    if (v.kind === 'binary') continue;
    const lbPositive = v.lb !== undefined && v.lb.sign() > 0;
    const lbNegative = v.lb !== undefined && v.lb.sign() < 0;
    if (v.ub === undefined && !lbPositive && !lbNegative) continue;
    const name = `bnd_${v.name}`;
    constraints[name] = {
      ...(v.lb !== undefined && !v.lb.isZero() ? { min: v.lb.toNumber() } : {}),
      ...(v.ub !== undefined ? { max: v.ub.toNumber() } : {}),
    };
    variables[v.name]![name] = 1;
  }
  return {
    optimize: 'relucert_zero',
    opType: 'min',
    constraints,
    variables,
    binaries,
    unrestricted,
    relucert: { bigM: m.bigM.toString(), epsilon: m.epsilon.toString(), notes: m.notes },
  };
}

/** Parses --big-m: a positive integer. */
export function parseBigM(text: string | undefined): Q | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || BigInt(text) === 0n) throw new InputError('command line', '--big-m', `expected a positive integer, got ${JSON.stringify(text)}`);
  return Q.of(BigInt(text));
}

// ---------------------------------------------------------------- is a network a point of the MILP?

/**
 * The network rewritten in the MILP's normal form, by the lemmas it uses:
 * ReLU L1 (a_j * relu(h) = sign(a_j) relu(|a_j| h); a_j = 0 becomes +1 with
 * w = b = 0), threshold L2 (a unit whose least positive pre-activation is
 * below 1 is scaled up to 1), classification L3 (ReLU: w, b, c scaled; free
 * threshold: a, c scaled, so that min y f = 1 when it was below), and for
 * classification with threshold units and fixed output weights the output
 * bias moved to the middle of the interval of biases that classify (the
 * exact margin of classificationMargin). Same outputs' signs and, for
 * non-classification losses, the same outputs.
 */
export function normaliseForMilp(inst: Instance, net: Network): Network {
  const [hid, out] = net.layers;
  if (!hid || !out) return net;
  const k = hid.weights.length;
  let W = hid.weights.map((r) => [...r]);
  let b = [...hid.bias];
  let a = [...(out.weights[0] ?? [])];
  let c = out.bias[0] ?? Q.ZERO;
  const { activation, outputWeights: ow } = inst.architecture;
  const h = (j: number, i: number): Q => inst.points[i]!.reduce((s, x, t) => s.add(x.mul(W[j]![t]!)), b[j]!);
  const slope = reluSlope(inst.architecture);
  if (activation !== 'threshold' && (ow.mode === 'signs' || ow.mode === 'free')) {
    for (let j = 0; j < k; j++) {
      const aj = a[j]!;
      if (aj.isZero()) {
        W[j] = W[j]!.map(() => Q.ZERO);
        b[j] = Q.ZERO;
        a[j] = Q.ONE;
      } else {
        const s = aj.abs();
        W[j] = W[j]!.map((v) => v.mul(s));
        b[j] = b[j]!.mul(s);
        a[j] = aj.sign() < 0 ? Q.MINUS_ONE : Q.ONE;
      }
    }
  }
  if (activation === 'threshold') {
    for (let j = 0; j < k; j++) {
      let least: Q | undefined;
      for (let i = 0; i < inst.points.length; i++) {
        const v = h(j, i);
        if (v.sign() > 0 && (least === undefined || v.lt(least))) least = v;
      }
      if (least !== undefined && least.lt(Q.ONE)) {
        const s = least.inv();
        W[j] = W[j]!.map((v) => v.mul(s));
        b[j] = b[j]!.mul(s);
      }
    }
  }
  const freeThreshold = activation === 'threshold' && ow.mode === 'free';
  if (inst.loss.type === 'classification' && !weightBoundRowsApply(inst) && !outputBoundRowsApply(inst) && (activation !== 'threshold' || freeThreshold)) {
    const f = (i: number): Q => {
      let s = c;
      for (let j = 0; j < k; j++) {
        const v = h(j, i);
        const act = slope !== undefined ? (v.sign() > 0 ? v : v.mul(slope)) : v.sign() > 0 ? Q.ONE : Q.ZERO;
        s = s.add(a[j]!.mul(act));
      }
      return s;
    };
    let least: Q | undefined;
    for (let i = 0; i < inst.points.length; i++) {
      const m = inst.labels[i]!.mul(f(i));
      if (least === undefined || m.lt(least)) least = m;
    }
    if (least !== undefined && least.sign() > 0 && least.lt(Q.ONE)) {
      const s = least.inv();
      if (activation !== 'threshold') {
        W = W.map((r) => r.map((v) => v.mul(s)));
        b = b.map((v) => v.mul(s));
      } else a = a.map((v) => v.mul(s));
      c = c.mul(s);
    }
  }
  if (inst.loss.type === 'classification' && activation === 'threshold' && !freeThreshold && inst.architecture.outputBias) {
    // the exact margin 1/(2L) (classificationMargin): move c to the middle of the interval of c that classify
    const S = inst.points.map((_, i) => {
      let s = Q.ZERO;
      for (let j = 0; j < k; j++) if (h(j, i).sign() > 0) s = s.add(a[j]!);
      return s;
    });
    let lo: Q | undefined; // c > lo: the largest -S_i over label +1
    let hi: Q | undefined; // c < hi: the smallest -S_i over label -1
    inst.labels.forEach((y, i) => {
      const v = S[i]!.neg();
      if (y.sign() > 0) lo = lo === undefined || v.gt(lo) ? v : lo;
      else hi = hi === undefined || v.lt(hi) ? v : hi;
    });
    const { margin } = classificationMargin(a);
    if (lo !== undefined && hi !== undefined) {
      if (lo.lt(hi)) c = lo.add(hi).div(Q.of(2));
    } else if (lo !== undefined) c = Q.max(c, lo.add(margin));
    else if (hi !== undefined) c = Q.min(c, hi.sub(margin));
  }
  return {
    layers: [
      { ...hid, weights: W, bias: b },
      { ...out, weights: [a], bias: [c] },
    ],
  };
}

/**
 * The MILP point of a network (every variable of buildMilp computed from
 * it exactly), or undefined when the network does not have the instance's
 * shape. Use with milpPointHolds to test "is this network a MILP solution".
 */
export function milpPointOf(inst: Instance, net: Network): Map<string, Q> | undefined {
  const [hid, out] = net.layers;
  if (!hid || !out || hid.weights.length !== inst.architecture.hidden) return undefined;
  const x = new Map<string, Q>();
  const k = hid.weights.length;
  const { activation, outputWeights: ow } = inst.architecture;
  const slope = reluSlope(inst.architecture);
  const a = out.weights[0] ?? [];
  hid.weights.forEach((r, j) => r.forEach((v, t) => x.set(`w_${j}_${t}`, v)));
  hid.bias.forEach((v, j) => x.set(`b_${j}`, v));
  x.set('c', out.bias[0] ?? Q.ZERO);
  const signVars = (activation !== 'threshold' && (ow.mode === 'signs' || ow.mode === 'free')) || (activation === 'threshold' && ow.mode === 'signs');
  for (let j = 0; j < k; j++) {
    const aj = a[j] ?? Q.ZERO;
    if (signVars) x.set(`g_${j}`, aj.sign() > 0 ? Q.ONE : Q.ZERO);
    if (activation === 'threshold' && ow.mode === 'free') x.set(`a_${j}`, aj);
  }
  inst.points.forEach((p, i) => {
    let f = x.get('c')!;
    for (let j = 0; j < k; j++) {
      const h = p.reduce((s, v, t) => s.add(v.mul(hid.weights[j]![t] ?? Q.ZERO)), hid.bias[j] ?? Q.ZERO);
      const id = `${j}_${i}`;
      const aj = a[j] ?? Q.ZERO;
      if (slope !== undefined) {
        const z = h.sign() > 0 ? h : h.mul(slope);
        x.set(`z_${id}`, z);
        x.set(`d_${id}`, h.sign() > 0 ? Q.ONE : Q.ZERO);
        if (signVars) x.set(`u_${id}`, aj.mul(z));
        f = f.add(aj.mul(z));
      } else {
        const s = h.sign() > 0 ? Q.ONE : Q.ZERO;
        x.set(`s_${id}`, s);
        if (ow.mode === 'signs') x.set(`p_${id}`, aj.sign() > 0 ? s : Q.ZERO);
        if (ow.mode === 'free') x.set(`p_${id}`, aj.mul(s));
        f = f.add(aj.mul(s));
      }
    }
    x.set(`f_${i}`, f);
    x.set(`e_${i}`, f.sub(inst.labels[i]!).abs());
  });
  return x;
}

/** Does the point satisfy every row and bound of the model exactly? Returns the first violated name, or undefined. */
export function milpViolation(m: MilpModel, x: ReadonlyMap<string, Q>): string | undefined {
  for (const v of m.vars) {
    const val = x.get(v.name) ?? Q.ZERO;
    if (v.kind === 'binary' && !(val.isZero() || val.eq(Q.ONE))) return `${v.name} (binary)`;
    if (v.lb !== undefined && val.lt(v.lb)) return `${v.name} >= ${v.lb}`;
    if (v.ub !== undefined && val.gt(v.ub)) return `${v.name} <= ${v.ub}`;
  }
  for (const r of m.rows) {
    let lhs = Q.ZERO;
    for (const [v, c] of r.coefs) lhs = lhs.add(c.mul(x.get(v) ?? Q.ZERO));
    const ok = r.sense === '<=' ? lhs.le(r.rhs) : r.sense === '>=' ? lhs.ge(r.rhs) : lhs.eq(r.rhs);
    if (!ok) return r.name;
  }
  return undefined;
}

/**
 * How far a point is from the model, exactly: the largest violation over
 * every row as written to CPLEX LP (scaled to integer coefficients,
 * integerRow), every bound, and the integrality of every binary, with its
 * name. 0 (name '') when the point satisfies the model exactly. Used to say
 * whether a solver's "optimal" float point really is a point of the MILP.
 */
export function largestViolation(m: MilpModel, x: ReadonlyMap<string, Q>): { name: string; amount: Q } {
  let worst = { name: '', amount: Q.ZERO };
  const see = (name: string, amount: Q): void => {
    if (amount.gt(worst.amount)) worst = { name, amount };
  };
  for (const v of m.vars) {
    const val = x.get(v.name) ?? Q.ZERO;
    if (v.kind === 'binary') see(`${v.name} (binary)`, Q.min(val.abs(), val.sub(Q.ONE).abs()));
    if (v.lb !== undefined) see(`${v.name} >= ${v.lb}`, v.lb.sub(val));
    if (v.ub !== undefined) see(`${v.name} <= ${v.ub}`, val.sub(v.ub));
  }
  for (const r of m.rows) {
    const { coefs, rhs } = integerRow(r);
    let lhs = Q.ZERO;
    for (const [v, c] of coefs) lhs = lhs.add(Q.of(c).mul(x.get(v) ?? Q.ZERO));
    const d = lhs.sub(Q.of(rhs));
    see(r.name, r.sense === '<=' ? d : r.sense === '>=' ? d.neg() : d.abs());
  }
  return worst;
}
