/**
 * Filtered PCA (Chen, Klivans & Meka, FOCS 2021, the subspace-recovery step):
 * for y = F(W x) with x ~ N(0, I_D) and W the first layer's weights (K x D),
 * Stein's identity gives E[g(y) (x x^T - I)] = W^T E[g'' ...] W for any
 * filter g, a matrix whose column space lies in span(W^T). Several filters g
 * (y itself is not enough: for a function that is linear in x the matrix is
 * 0) and their sum of squares S = sum_g M_g^2 estimate that span.
 *
 * An experiment in float64 (ml-matrix), NOT a certificate: the recovered
 * dimension and the angles are statistical estimates that rely on Gaussian
 * inputs, which relucert does not (and cannot) check.
 */
import { EigenvalueDecomposition, Matrix, SingularValueDecomposition } from 'ml-matrix';
import { SeededRandom } from '../core/random.js';

export interface FilteredPcaOptions {
  /** Use this dimension instead of the one the permutation test recovers. */
  dim?: number;
  /** Label permutations for the noise threshold (default 10). */
  permutations?: number;
  /** Seed of the permutations (default 1). */
  seed?: number;
}

export interface FilteredPcaResult {
  /** Filters used (a filter constant on the data is left out). */
  filters: string[];
  /** Eigenvalues of S = sum_g M_g^2, largest first. */
  eigenvalues: number[];
  /** The largest top eigenvalue of S over label permutations (x and y made independent). */
  nullThreshold: number;
  /** Eigenvalues above nullThreshold (the recovered dimension). */
  recovered: number;
  /** The dimension of `basis`: opts.dim if given, else `recovered`. */
  dimension: number;
  /** D x dimension, orthonormal columns: the top eigenvectors of S. */
  basis: number[][];
}

/** Limits of `relucert subspace` (docs/learnability.md). */
export const SUBSPACE_LIMITS = { maxDim: 200, maxWork: 4e9 } as const;

/**
 * Filters on standardised labels t = (y - mean) / sd: t, t^2 and the
 * indicators 1[y > q] at the quartiles q; each is then centred and scaled to
 * mean square 1 (centring removes the mean of x x^T - I, which is 0 anyway,
 * so only noise; scaling makes the filters comparable).
 */
export function labelFilters(y: readonly number[]): { name: string; g: number[] }[] {
  const n = y.length;
  const mean = y.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(y.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
  if (!(sd > 0)) return [];
  const t = y.map((v) => (v - mean) / sd);
  const sorted = [...y].sort((a, b) => a - b);
  const quantile = (f: number): number => sorted[Math.min(n - 1, Math.floor(f * n))]!;
  const raw = [
    { name: 'y', g: t },
    { name: 'y^2', g: t.map((v) => v * v) },
    ...[0.25, 0.5, 0.75].map((f) => {
      const q = quantile(f);
      return { name: `1[y > q${Math.round(f * 100)}]`, g: y.map((v) => (v > q ? 1 : 0)) };
    }),
  ];
  return raw.flatMap(({ name, g }) => {
    const m = g.reduce((s, v) => s + v, 0) / n;
    const c = g.map((v) => v - m);
    const rms = Math.sqrt(c.reduce((s, v) => s + v * v, 0) / n);
    return rms > 1e-12 ? [{ name, g: c.map((v) => v / rms) }] : [];
  });
}

/**
 * S = sum_g M_g^2 with M_g = (1/N) sum_i g_i x_i x_i^T (the filters are
 * centred, so the "- I" term averages to 0 and is left out). The sums run in
 * plain loops over the upper triangle (N D^2 / 2 products per filter).
 */
function filteredMatrix(X: readonly (readonly number[])[], filters: readonly number[][]): Matrix {
  const N = X.length;
  const D = X[0]?.length ?? 0;
  let S = Matrix.zeros(D, D);
  for (const g of filters) {
    const M = new Float64Array(D * D);
    for (let i = 0; i < N; i++) {
      const x = X[i]!;
      const gi = g[i]! / N;
      for (let s = 0; s < D; s++) {
        const v = gi * x[s]!;
        for (let t = s; t < D; t++) M[s * D + t]! += v * x[t]!;
      }
    }
    const Mm = Matrix.zeros(D, D);
    for (let s = 0; s < D; s++)
      for (let t = s; t < D; t++) {
        Mm.set(s, t, M[s * D + t]!);
        Mm.set(t, s, M[s * D + t]!);
      }
    S = S.add(Mm.mmul(Mm));
  }
  return S;
}

function topEigen(S: Matrix): { values: number[]; vectors: number[][] } {
  const evd = new EigenvalueDecomposition(S, { assumeSymmetric: true });
  const values = evd.realEigenvalues;
  const order = values.map((_, i) => i).sort((a, b) => values[b]! - values[a]!);
  const V = evd.eigenvectorMatrix;
  return { values: order.map((i) => values[i]!), vectors: order.map((i) => V.getColumn(i)) };
}

/** Filtered PCA on X (N x D) and labels y (N); see the file comment. */
export function filteredPca(X: readonly (readonly number[])[], y: readonly number[], opts: FilteredPcaOptions = {}): FilteredPcaResult {
  const D = X[0]?.length ?? 0;
  const filters = labelFilters(y);
  const { values, vectors } = topEigen(
    filteredMatrix(
      X,
      filters.map((f) => f.g),
    ),
  );
  const rng = new SeededRandom(opts.seed ?? 1);
  let nullThreshold = 0;
  for (let p = 0; p < (opts.permutations ?? 10); p++) {
    const perm = [...y];
    for (let i = perm.length - 1; i > 0; i--) {
      const j = Number(rng.below(BigInt(i + 1)));
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
    const top =
      topEigen(
        filteredMatrix(
          X,
          labelFilters(perm).map((f) => f.g),
        ),
      ).values[0] ?? 0;
    nullThreshold = Math.max(nullThreshold, top);
  }
  const recovered = values.filter((v) => v > nullThreshold).length;
  const dimension = Math.min(D, opts.dim ?? recovered);
  const basis = Array.from({ length: D }, (_, t) => vectors.slice(0, dimension).map((v) => v[t]!));
  return { filters: filters.map((f) => f.name), eigenvalues: values, nullThreshold, recovered, dimension, basis };
}

/** An orthonormal basis of the span of the rows of W (K x D): D x rank, orthonormal columns. */
export function rowSpaceBasis(W: readonly (readonly number[])[]): number[][] {
  const svd = new SingularValueDecomposition(new Matrix(W.map((r) => [...r])).transpose(), { autoTranspose: true });
  const s = svd.diagonal;
  const rank = s.filter((v) => v > 1e-10 * (s[0] ?? 0)).length;
  const U = svd.leftSingularVectors;
  return Array.from({ length: U.rows }, (_, t) => Array.from({ length: rank }, (_, k) => U.get(t, k)));
}

/**
 * Principal angles in degrees, smallest first, between the column spans of A
 * (D x a) and B (D x b), both with orthonormal columns: arccos of the singular
 * values of A^T B; min(a, b) of them.
 */
export function principalAngles(A: readonly (readonly number[])[], B: readonly (readonly number[])[]): number[] {
  const a = A[0]?.length ?? 0;
  const b = B[0]?.length ?? 0;
  if (a === 0 || b === 0) return [];
  const C = new Matrix(A.map((r) => [...r])).transpose().mmul(new Matrix(B.map((r) => [...r])));
  const s = new SingularValueDecomposition(C, { autoTranspose: true }).diagonal.slice(0, Math.min(a, b));
  return s.map((v) => (Math.acos(Math.min(1, Math.max(-1, v))) * 180) / Math.PI).sort((x, y) => x - y);
}
