/**
 * What a MILP of relucert asks, exactly (docs/export.md section 2): the bounds
 * it puts on the weights (M, or the instance's weight bound where that gives
 * rows), the exact classification margin of threshold units with fixed
 * output weights, a bound on the output bias of every fit, whether "MILP
 * infeasible" is exactly "instance infeasible" (milpIsExact), and the one
 * sentence that says what its infeasibility means (milpMeaning).
 */
import { Q, lcm } from '../../core/rational.js';
import type { Instance } from '../../core/types.js';
import { assertNever } from '../../core/types.js';
import { hiddenBoundOfRows, outputBoundRowsApply, weightBoundRowsApply } from '../system.js';
import { MILP_NO_L2 } from './model.js';

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

/** The bound on hidden weights and biases in the MILP: M, or min(M, B') when the weight bound gives rows bounding them by B' (hiddenBoundOfRows: B, or B^2 for bounded free output weights). */
export function hiddenWeightBound(inst: Instance, M: Q): Q {
  const B = hiddenBoundOfRows(inst);
  return B !== undefined ? Q.min(M, B) : M;
}

/** The bound on the output weights a_j of threshold units with free output weights: M, or min(M, B) under boundOutputWeights. */
export function outputWeightBound(inst: Instance, M: Q): Q {
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
export function thresholdWeights(inst: Instance): Q[] {
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
