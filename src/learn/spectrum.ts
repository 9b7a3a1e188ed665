/**
 * Numerical eigenvalues (float64, ml-matrix's symmetric eigendecomposition),
 * shown beside the certified bounds. Nothing certified depends on them.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/** Eigenvalues of a symmetric matrix, largest first (float64). */
export function eigenvaluesDescending(K: readonly (readonly number[])[]): number[] {
  if (K.length === 0) return [];
  const evd = new EigenvalueDecomposition(new Matrix(K.map((row) => [...row])), { assumeSymmetric: true });
  return [...evd.realEigenvalues].sort((a, b) => b - a);
}

/** tails[r] = sum_{i>r} lambda_i for r = 0..n (eigenvalues largest first; 1-based i). */
export function tailSums(eigs: readonly number[]): number[] {
  const tails = new Array<number>(eigs.length + 1).fill(0);
  for (let r = eigs.length - 1; r >= 0; r--) tails[r] = tails[r + 1]! + eigs[r]!;
  return tails;
}
