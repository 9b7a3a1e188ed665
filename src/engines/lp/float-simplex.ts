/**
 * The phase-1 simplex loop shared by the two floating-point LPs (float-lp.ts
 * from scratch, float-tableau.ts warm-started); both are guides only.
 * T is (m + 1) x (ncols + 1), row-major, objective row last, right-hand side
 * last; `basis[i]` is row i's basic column. Dantzig's rule, Bland's after
 * many degenerate pivots. Returns false when it cannot finish (iteration
 * limit, no leaving row, or a non-finite entry), so the caller answers
 * 'unsure'. Throws Timeout (src/core/deadline.ts) once `deadline` has passed: it is
 * ticked once per pricing pass and per row operation of every pivot.
 */
import { Deadline } from '../../core/deadline.js';

export const EPS = 1e-9;

/**
 * Largest tableau (entries, (m + 1) x (ncols + 1)) the float LPs build: 2^26
 * doubles, 512 MB. Larger systems are left to the exact LP ('unsure').
 */
export const MAX_FLOAT_ENTRIES = 1 << 26;

export function runPhaseOne(
  T: Float64Array,
  m: number,
  ncols: number,
  basis: Int32Array,
  mayEnter: (j: number) => boolean,
  deadline: Deadline = Deadline.NONE,
): boolean {
  const W = ncols + 1;
  const OBJ = m * W;
  let degenerate = 0;
  const maxIter = 50 * (m + ncols);
  for (let iter = 0; iter < maxIter; iter++) {
    deadline.tick(ncols + m);
    const bland = degenerate > 50;
    let enter = -1;
    let best = -EPS;
    for (let j = 0; j < ncols; j++) {
      const rc = T[OBJ + j]!;
      if (rc < best && mayEnter(j)) {
        enter = j;
        if (bland) break;
        best = rc;
      }
    }
    if (enter < 0) return true;
    let leave = -1;
    let bestRatio = Infinity;
    for (let i = 0; i < m; i++) {
      const a = T[i * W + enter]!;
      if (a <= EPS) continue;
      const ratio = T[i * W + ncols]! / a;
      if (ratio < bestRatio - 1e-12 || (Math.abs(ratio - bestRatio) <= 1e-12 && leave >= 0 && basis[i]! < basis[leave]!)) {
        bestRatio = ratio;
        leave = i;
      }
    }
    if (leave < 0) return false;
    degenerate = bestRatio < 1e-12 ? degenerate + 1 : 0;
    const pr = leave * W;
    const p = T[pr + enter]!;
    if (!Number.isFinite(p) || !Number.isFinite(bestRatio)) return false;
    for (let j = 0; j < W; j++) T[pr + j] = T[pr + j]! / p;
    for (let i = 0; i <= m; i++) {
      if (i === leave) continue;
      deadline.tick(W);
      const base = i * W;
      const f = T[base + enter]!;
      if (f === 0) continue;
      for (let j = 0; j < W; j++) T[base + j] = T[base + j]! - f * T[pr + j]!;
      T[base + enter] = 0;
    }
    basis[leave] = enter;
  }
  return false;
}
