/**
 * The learner Goel & Klivans (NeurIPS 2017) analyse, as a float64 baseline:
 * kernel ridge regression restricted to the span of r landmark points
 * (Nystrom), f(x) = sum_{s in S} alpha_s k(x, x_s). NOT certified: it is
 * here to be read next to the certified tail bound for the same landmarks
 * (a small tail means the Nystrom features lose little of the kernel).
 *
 * alpha minimises (1/n) sum_i (f(x_i) - y_i)^2 + lambda alpha^T K_SS alpha,
 * i.e. (K_nS^T K_nS + n lambda K_SS) alpha = K_nS^T y, solved by SVD
 * (ml-matrix), so rank-deficient systems get the least-norm solution.
 */
import { Matrix, solve } from 'ml-matrix';
import { type PolyKernel, floatKernel } from './kernel.js';

export interface NystromFit {
  /** Landmark points (rows), and their coefficients. */
  landmarks: number[][];
  alpha: number[];
  kernel: PolyKernel;
}

/**
 * Fits on X (n x d) and y (n) with the landmarks X[s] for s in `landmarks`.
 * `ridge` is relative: lambda = ridge * tr(K) / n (so it does not depend on
 * the kernel's scale).
 */
export function fitNystrom(
  X: readonly (readonly number[])[],
  y: readonly number[],
  landmarks: readonly number[],
  kernel: PolyKernel,
  ridge: number,
): NystromFit {
  const L = landmarks.map((s) => [...X[s]!]);
  if (L.length === 0) return { landmarks: [], alpha: [], kernel };
  const c = kernel.offset.toNumber();
  const n = X.length;
  const KnS = new Matrix(X.map((x) => L.map((l) => floatKernel(x, l, c, kernel.degree))));
  const KSS = new Matrix(L.map((a) => L.map((b) => floatKernel(a, b, c, kernel.degree))));
  let trace = 0;
  for (const x of X) trace += floatKernel(x, x, c, kernel.degree);
  const lambda = (ridge * trace) / n;
  const A = KnS.transpose()
    .mmul(KnS)
    .add(KSS.mul(n * lambda));
  const b = KnS.transpose().mmul(Matrix.columnVector([...y]));
  const alpha = solve(A, b, true).getColumn(0);
  return { landmarks: L, alpha, kernel };
}

export function predictNystrom(fit: NystromFit, X: readonly (readonly number[])[]): number[] {
  const c = fit.kernel.offset.toNumber();
  return X.map((x) => fit.landmarks.reduce((s, l, k) => s + fit.alpha[k]! * floatKernel(x, l, c, fit.kernel.degree), 0));
}

/** Mean squared error. */
export function meanSquaredError(pred: readonly number[], y: readonly number[]): number {
  let s = 0;
  pred.forEach((p, i) => (s += (p - y[i]!) ** 2));
  return pred.length === 0 ? 0 : s / pred.length;
}

/** Fraction of points with sign(pred) != y (for labels +-1; 0 counts as -1). */
export function signErrorRate(pred: readonly number[], y: readonly number[]): number {
  let e = 0;
  pred.forEach((p, i) => (e += (p > 0 ? 1 : -1) !== y[i] ? 1 : 0));
  return pred.length === 0 ? 0 : e / pred.length;
}
