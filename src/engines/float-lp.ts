/**
 * A floating-point feasibility LP, used only to GUIDE the exact engine:
 * it proposes a point (turned into a candidate network, checked exactly) or
 * the support of a Farkas ray (re-solved exactly on that support). Nothing
 * it says is ever written into a certificate or a verdict unchecked.
 *
 * Same standard form as exact-lp.ts (x+ - x-, slacks, one artificial per
 * row), phase 1 only; strict rows are treated as their closures (<=).
 * Dantzig's rule with a switch to Bland's rule after many degenerate pivots.
 */
import type { LinRow } from '../encode/rows.js';

export type FloatLpResult =
  | { status: 'feasible'; point: Map<string, number> }
  | { status: 'infeasible'; multipliers: Map<string, number> }
  | { status: 'unsure' };

const EPS = 1e-9;

export function floatDecide(rows: readonly LinRow[]): FloatLpResult {
  const varIndex = new Map<string, number>();
  const varNames: string[] = [];
  for (const r of rows)
    for (const v of r.coefs.keys())
      if (!varIndex.has(v)) {
        varIndex.set(v, varNames.length);
        varNames.push(v);
      }
  const nv = varNames.length;
  const m = rows.length;
  const ineq: number[] = [];
  rows.forEach((r, i) => {
    if (r.sense !== '=') ineq.push(i);
  });
  const colSlack0 = 2 * nv;
  const colArt0 = colSlack0 + ineq.length;
  const ncols = colArt0 + m;
  const W = ncols + 1;
  const T = new Float64Array((m + 1) * W);
  const sigma = new Float64Array(m);
  const scale = new Float64Array(m);
  let k = 0;
  rows.forEach((r, i) => {
    const rhs = r.rhs.toNumber();
    const sg = rhs < 0 ? -1 : 1;
    sigma[i] = sg;
    let mx = Math.abs(rhs);
    for (const c of r.coefs.values()) mx = Math.max(mx, Math.abs(c.toNumber()));
    const sc = mx > 0 ? 1 / mx : 1;
    scale[i] = sc;
    const base = i * W;
    for (const [v, c] of r.coefs) {
      const j = varIndex.get(v)!;
      const x = sg * sc * c.toNumber();
      T[base + j] = x;
      T[base + nv + j] = -x;
    }
    if (r.sense !== '=') T[base + colSlack0 + k++] = sg * sc;
    T[base + colArt0 + i] = 1;
    T[base + ncols] = sg * sc * rhs;
  });
  const OBJ = m * W;
  for (let i = 0; i < m; i++) for (let j = 0; j < colArt0; j++) T[OBJ + j] = T[OBJ + j]! - T[i * W + j]!;
  for (let i = 0; i < m; i++) T[OBJ + ncols] = T[OBJ + ncols]! - T[i * W + ncols]!;
  const basis = new Int32Array(m);
  for (let i = 0; i < m; i++) basis[i] = colArt0 + i;

  let degenerate = 0;
  const maxIter = 50 * (m + ncols);
  for (let iter = 0; iter < maxIter; iter++) {
    const bland = degenerate > 50;
    let enter = -1;
    let best = -EPS;
    for (let j = 0; j < colArt0; j++) {
      const rc = T[OBJ + j]!;
      if (rc < best) {
        enter = j;
        if (bland) break;
        best = rc;
      }
    }
    if (enter < 0) break;
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
    if (leave < 0) return { status: 'unsure' };
    degenerate = bestRatio < 1e-12 ? degenerate + 1 : 0;
    // pivot
    const pr = leave * W;
    const p = T[pr + enter]!;
    for (let j = 0; j < W; j++) T[pr + j] = T[pr + j]! / p;
    for (let i = 0; i <= m; i++) {
      if (i === leave) continue;
      const base = i * W;
      const f = T[base + enter]!;
      if (f === 0) continue;
      for (let j = 0; j < W; j++) T[base + j] = T[base + j]! - f * T[pr + j]!;
      T[base + enter] = 0;
    }
    basis[leave] = enter;
    if (iter === maxIter - 1) return { status: 'unsure' };
  }
  const infeas = -T[OBJ + ncols]!;
  if (infeas > 1e-7) {
    const mult = new Map<string, number>();
    let mx = 0;
    const raw: number[] = [];
    for (let i = 0; i < m; i++) {
      const y = 1 - T[OBJ + colArt0 + i]!;
      const lam = -sigma[i]! * scale[i]! * y;
      raw.push(lam);
      mx = Math.max(mx, Math.abs(lam));
    }
    rows.forEach((r, i) => {
      if (Math.abs(raw[i]!) > 1e-9 * mx) mult.set(r.name, raw[i]! / mx);
    });
    return { status: 'infeasible', multipliers: mult };
  }
  if (infeas < 1e-10) {
    const vals = new Float64Array(ncols);
    for (let i = 0; i < m; i++) vals[basis[i]!] = T[i * W + ncols]!;
    const point = new Map<string, number>();
    varNames.forEach((v, j) => point.set(v, vals[j]! - vals[nv + j]!));
    return { status: 'feasible', point };
  }
  return { status: 'unsure' };
}
