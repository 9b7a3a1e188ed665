/**
 * A floating-point feasibility LP, used only to GUIDE the exact engine:
 * it proposes a point (turned into a candidate network, checked exactly) or
 * the support of a Farkas ray (re-solved exactly on that support). Nothing
 * it says is ever written into a certificate or a verdict unchecked.
 *
 * Presolve: rows "v = const" fix v and are substituted away; rows "-v <= 0"
 * become sign bounds (v >= 0 needs no x- column). The reported support of an
 * infeasibility includes the fixing and bound rows of every variable in it,
 * so it is a superset of what the exact re-solve needs.
 * Then the standard form of exact-lp.ts (x+ - x- for free variables, slacks,
 * an artificial only for rows whose slack cannot start in the basis), phase 1 only; strict rows are treated as their
 * closures (<=). Dantzig's rule, Bland's rule after many degenerate pivots.
 *
 * Floats guide, never decide: a system whose numbers do not fit a double
 * (a coefficient, right-hand side or point coordinate that is not finite),
 * or whose tableau would exceed MAX_FLOAT_ENTRIES, answers 'unsure' and the
 * caller decides exactly. Throws Timeout past `deadline` (src/core/deadline.ts).
 */
import type { LinRow } from '../../encode/rows.js';
import { MAX_FLOAT_ENTRIES, runPhaseOne } from './float-simplex.js';
import { Deadline } from '../../core/deadline.js';

export type FloatLpResult =
  | { status: 'feasible'; point: Map<string, number> }
  /**
   * support: a superset of the rows a certificate needs; weight: the float
   * Farkas multipliers (signed, largest 1) of the rows that carry one,
   * including the sign-bound and fixing rows the presolve took out.
   */
  | { status: 'infeasible'; support: Set<string>; weight: Map<string, number> }
  | { status: 'unsure' };

export function floatDecide(allRows: readonly LinRow[], deadline: Deadline = Deadline.NONE): FloatLpResult {
  // ---- presolve: fixings and sign bounds
  const fixed = new Map<string, { value: number; row: string }>();
  const nonneg = new Map<string, string>();
  for (const r of allRows) {
    if (r.coefs.size !== 1) continue;
    const [v, c] = [...r.coefs][0]!;
    if (r.sense === '=') {
      const value = r.rhs.div(c).toNumber();
      if (!Number.isFinite(value)) return { status: 'unsure' };
      const prev = fixed.get(v);
      if (prev && Math.abs(prev.value - value) > 1e-9) return { status: 'infeasible', support: new Set([prev.row, r.name]), weight: new Map() };
      if (!prev) fixed.set(v, { value, row: r.name });
    } else if (r.sense === '<=' && c.sign() < 0 && r.rhs.isZero()) nonneg.set(v, r.name);
  }
  const supportOf = (names: Iterable<string>): Set<string> => {
    const out = new Set<string>();
    for (const name of names) {
      out.add(name);
      const r = byName.get(name);
      if (!r) continue;
      for (const v of r.coefs.keys()) {
        const f = fixed.get(v);
        if (f) out.add(f.row);
        const b = nonneg.get(v);
        if (b) out.add(b);
      }
    }
    return out;
  };
  const byName = new Map(allRows.map((r) => [r.name, r]));
  const rows: FloatRow[] = [];
  for (const r of allRows) {
    deadline.tick(r.coefs.size);
    if (r.coefs.size === 1) {
      const v = [...r.coefs.keys()][0]!;
      if (fixed.get(v)?.row === r.name || nonneg.get(v) === r.name) continue;
    }
    let rhs = r.rhs.toNumber();
    const coefs: [string, number][] = [];
    for (const [v, c] of r.coefs) {
      const f = fixed.get(v);
      if (f) rhs -= c.toNumber() * f.value;
      else coefs.push([v, c.toNumber()]);
    }
    if (!Number.isFinite(rhs) || coefs.some(([, c]) => !Number.isFinite(c))) return { status: 'unsure' };
    if (coefs.length === 0) {
      const ok = r.sense === '=' ? Math.abs(rhs) <= 1e-9 : rhs >= -1e-9;
      if (!ok) return { status: 'infeasible', support: supportOf([r.name]), weight: new Map() };
      continue;
    }
    rows.push({ name: r.name, coefs, sense: r.sense, rhs });
  }
  const r = solveCore(rows, nonneg, deadline);
  if (r.status === 'infeasible') {
    // the multiplier of a fixing row cancels what the other rows put on its variable
    const onFixed = new Map<string, number>();
    for (const [name, lam] of r.weight) {
      const row = byName.get(name);
      if (!row) continue;
      for (const [v, c] of row.coefs) if (fixed.has(v)) onFixed.set(v, (onFixed.get(v) ?? 0) + lam * c.toNumber());
    }
    for (const [v, s] of onFixed) {
      const f = fixed.get(v)!;
      const coef = byName.get(f.row)!.coefs.get(v)!.toNumber();
      if (Math.abs(s) > 1e-9) r.weight.set(f.row, -s / coef);
    }
    return { status: 'infeasible', support: supportOf(r.support), weight: r.weight };
  }
  if (r.status === 'feasible') for (const [v, f] of fixed) r.point.set(v, f.value);
  if (r.status === 'feasible' && [...r.point.values()].some((x) => !Number.isFinite(x))) return { status: 'unsure' };
  return r;
}

/** A presolved row: float coefficients over the variables left after the fixings. */
type FloatRow = { name: string; coefs: [string, number][]; sense: LinRow['sense']; rhs: number };

/** Phase 1 on the standard form of the presolved rows (see the file comment): a point, the float Farkas multipliers, or 'unsure'. */
function solveCore(rows: FloatRow[], nonneg: ReadonlyMap<string, string>, deadline: Deadline): FloatLpResult {
  const t = standardForm(rows, nonneg, deadline);
  if (!t) return { status: 'unsure' };
  if (!runPhaseOne(t.T, t.m, t.ncols, t.basis, (j) => j < t.colArt0, deadline)) return { status: 'unsure' };
  const infeas = -t.T[t.m * t.W + t.ncols]!;
  if (infeas > 1e-7) return farkasRay(rows, nonneg, t);
  if (infeas < 1e-10) return { status: 'feasible', point: basicPoint(t) };
  return { status: 'unsure' };
}

/** The phase-1 tableau of the standard form, and how to read it: see standardForm. */
interface FloatStandardForm {
  varNames: string[];
  /** per variable: its x- column, or -1 for a sign-bounded variable */
  negCol: Int32Array;
  m: number;
  ncols: number;
  /** ncols + 1: the row width */
  W: number;
  /** the first artificial column */
  colArt0: number;
  /** per row: its slack column and its artificial column (-1: none), the sign flip and the scale */
  slackCol: Int32Array;
  artCol: Int32Array;
  sigma: Float64Array;
  scale: Float64Array;
  /** (m + 1) x W, row-major, the objective row (the sum of the artificials) last */
  T: Float64Array;
  basis: Int32Array;
}

/**
 * The standard form: x+ for every variable, x- only for free ones, a slack
 * per inequality, an artificial only where the slack cannot start in the
 * basis; each row flipped to a right-hand side >= 0 and scaled to a largest
 * entry of 1. Undefined beyond MAX_FLOAT_ENTRIES.
 */
function standardForm(rows: FloatRow[], nonneg: ReadonlyMap<string, string>, deadline: Deadline): FloatStandardForm | undefined {
  const varIndex = new Map<string, number>();
  const varNames: string[] = [];
  for (const r of rows)
    for (const [v] of r.coefs)
      if (!varIndex.has(v)) {
        varIndex.set(v, varNames.length);
        varNames.push(v);
      }
  const nv = varNames.length;
  // x- columns only for free variables
  const negCol = new Int32Array(nv).fill(-1);
  let nneg = 0;
  varNames.forEach((v, j) => {
    if (!nonneg.has(v)) negCol[j] = nv + nneg++;
  });
  const m = rows.length;
  // a row needs an artificial unless its slack can start in the basis (an inequality with rhs >= 0)
  const slackCol = new Int32Array(m).fill(-1);
  const artCol = new Int32Array(m).fill(-1);
  let ncolsSoFar = nv + nneg;
  rows.forEach((r, i) => {
    if (r.sense !== '=') slackCol[i] = ncolsSoFar++;
  });
  const colArt0 = ncolsSoFar;
  rows.forEach((r, i) => {
    if (r.sense === '=' || r.rhs < 0) artCol[i] = ncolsSoFar++;
  });
  const ncols = ncolsSoFar;
  const W = ncols + 1;
  if ((m + 1) * W > MAX_FLOAT_ENTRIES) return undefined;
  const T = new Float64Array((m + 1) * W);
  const sigma = new Float64Array(m);
  const scale = new Float64Array(m);
  rows.forEach((r, i) => {
    deadline.tick(r.coefs.length);
    const rhs = r.rhs;
    const sg = rhs < 0 ? -1 : 1;
    sigma[i] = sg;
    let mx = Math.abs(rhs);
    for (const [, c] of r.coefs) mx = Math.max(mx, Math.abs(c));
    const sc = mx > 0 ? 1 / mx : 1;
    scale[i] = sc;
    const base = i * W;
    for (const [v, c] of r.coefs) {
      const j = varIndex.get(v)!;
      const x = sg * sc * c;
      T[base + j] = x;
      const nj = negCol[j]!;
      if (nj >= 0) T[base + nj] = -x;
    }
    if (slackCol[i]! >= 0) T[base + slackCol[i]!] = sg * sc;
    if (artCol[i]! >= 0) T[base + artCol[i]!] = 1;
    T[base + ncols] = sg * sc * rhs;
  });
  const OBJ = m * W;
  for (let i = 0; i < m; i++) {
    if (artCol[i]! < 0) continue;
    deadline.tick(colArt0);
    for (let j = 0; j < colArt0; j++) T[OBJ + j] = T[OBJ + j]! - T[i * W + j]!;
    T[OBJ + ncols] = T[OBJ + ncols]! - T[i * W + ncols]!;
  }
  const basis = new Int32Array(m);
  for (let i = 0; i < m; i++) basis[i] = artCol[i]! >= 0 ? artCol[i]! : slackCol[i]!;
  return { varNames, negCol, m, ncols, W, colArt0, slackCol, artCol, sigma, scale, T, basis };
}

/** After phase 1 ends above 0: the float Farkas multipliers (largest 1) of the rows, and of the sign-bound rows through the reduced costs. */
function farkasRay(rows: FloatRow[], nonneg: ReadonlyMap<string, string>, t: FloatStandardForm): FloatLpResult {
  const { T, m, artCol, slackCol, sigma, scale } = t;
  const OBJ = m * t.W;
  let mx = 0;
  const raw: number[] = [];
  for (let i = 0; i < m; i++) {
    // y_i = c_B B^-1 e_i: from the artificial's reduced cost (cost 1), or from the slack's (cost 0, coefficient sigma*scale)
    const y = artCol[i]! >= 0 ? 1 - T[OBJ + artCol[i]!]! : -T[OBJ + slackCol[i]!]! / (sigma[i]! * scale[i]!);
    const lam = -sigma[i]! * scale[i]! * y;
    raw.push(lam);
    mx = Math.max(mx, Math.abs(lam));
  }
  const support = new Set<string>();
  const weight = new Map<string, number>();
  rows.forEach((r, i) => {
    if (Math.abs(raw[i]!) > 1e-9 * mx) {
      support.add(r.name);
      weight.set(r.name, raw[i]! / mx);
    }
  });
  // a sign-bounded variable's reduced cost is the multiplier of its bound row (-v <= 0)
  t.varNames.forEach((v, j) => {
    const bound = nonneg.get(v);
    if (bound === undefined) return;
    const rc = T[OBJ + j]! / mx;
    if (rc > 1e-9) weight.set(bound, rc);
  });
  return { status: 'infeasible', support, weight };
}

/** After phase 1 ends at 0: the basic solution, x = x+ - x- for every variable. */
function basicPoint(t: FloatStandardForm): Map<string, number> {
  const { T, m, ncols, W, basis, negCol } = t;
  const vals = new Float64Array(ncols);
  for (let i = 0; i < m; i++) vals[basis[i]!] = T[i * W + ncols]!;
  const point = new Map<string, number>();
  t.varNames.forEach((v, j) => point.set(v, vals[j]! - (negCol[j]! >= 0 ? vals[negCol[j]!]! : 0)));
  return point;
}
