/**
 * Exact feasibility of a system of linear rows (<=, =, <) over free rational
 * variables, with a certificate either way.
 *
 * Method: the textbook two-phase simplex on the standard form
 *   sigma_i * kappa_i * (g_i . (x+ - x-) + s_i) + art_i = |kappa_i * rhs_i|,  all >= 0,
 * with Bland's rule (so it terminates) and integer-preserving (Bareiss /
 * Edmonds) pivoting: every tableau entry is an integer over one common
 * denominator D > 0, and each pivot is one multiply-subtract and one exact
 * division per entry, with no gcds.
 *
 * Guarantees:
 *  - 'feasible': `point` satisfies every row exactly (strict rows strictly);
 *    the caller may (and the engines do) re-check it.
 *  - 'infeasible' kind 'farkas': multipliers lambda (>= 0 on <= and < rows)
 *    with sum lambda_i g_i = 0 and sum lambda_i rhs_i < 0.
 *  - 'infeasible' kind 'motzkin': as above but sum lambda_i rhs_i <= 0 and
 *    the strict rows' multipliers sum to > 0.
 * Multipliers are read from the final reduced costs of the artificial
 * columns (y = c_B B^-1), mapped back through the sign flips and row scalings.
 *
 * Time limit: every function takes an optional Deadline (src/core/deadline.ts) and
 * ticks it once per tableau row built and per row operation of every pivot,
 * so it throws Timeout within a fraction of a second of the limit whatever
 * the size of the system.
 */
import { Q, gcd, lcm } from '../../core/rational.js';
import type { LinRow } from '../../encode/rows.js';
import { Deadline, bigOpUnits, bitsOf } from '../../core/deadline.js';

export type LpResult = { status: 'feasible'; point: Map<string, Q> } | { status: 'infeasible'; kind: 'farkas' | 'motzkin'; multipliers: Map<string, Q> };

export interface LpStats {
  pivots: number;
}

/**
 * One integer-preserving (Bareiss / Edmonds) pivot of the tableau T at row r,
 * column c: every entry is an integer over the common denominator D > 0
 * before and after; each other row is one multiply-subtract and one exact
 * division per entry (no gcds). Returns the new denominator (the pivot,
 * made positive by negating the tableau if needed). Ticks `deadline` per row.
 * Shared by the exact simplex here and Lemke's method (exact-qp.ts).
 */
export function bareissPivot(T: bigint[][], r: number, c: number, D: bigint, deadline: Deadline): bigint {
  const p = T[r]![c]!;
  const pr = T[r]!;
  const width = pr.length;
  // entries are minors of about the size of D and p: weigh each row operation by that size
  const units = width * bigOpUnits(Math.max(bitsOf(p), bitsOf(D)));
  for (let i = 0; i < T.length; i++) {
    if (i === r) continue;
    deadline.tick(units);
    const row = T[i]!;
    const f = row[c]!;
    if (f === 0n) {
      if (p !== D) for (let j = 0; j < width; j++) row[j] = (row[j]! * p) / D;
      continue;
    }
    for (let j = 0; j < width; j++) row[j] = (row[j]! * p - f * pr[j]!) / D;
  }
  if (p > 0n) return p;
  for (const row of T) for (let j = 0; j < width; j++) row[j] = -row[j]!;
  return -p;
}

export function decideRows(rows: readonly LinRow[], stats?: LpStats, deadline: Deadline = Deadline.NONE): LpResult {
  const r = solveRows(rows, undefined, stats, deadline);
  if (r.status === 'optimal' || r.status === 'unbounded') throw new Error('exact LP: no objective was given (bug)');
  return r;
}

export type LpOptimum =
  | { status: 'optimal'; value: Q; point: Map<string, Q> }
  | { status: 'unbounded' }
  | { status: 'infeasible'; kind: 'farkas' | 'motzkin'; multipliers: Map<string, Q> };

/**
 * Minimises a linear objective over rows without strict inequalities.
 * 'optimal' gives the exact optimum and an optimal point.
 */
export function minimizeRows(rows: readonly LinRow[], objective: ReadonlyMap<string, Q>, stats?: LpStats, deadline: Deadline = Deadline.NONE): LpOptimum {
  if (rows.some((r) => r.sense === '<')) throw new Error('exact LP: minimisation with strict rows is not supported (bug)');
  const r = solveRows(rows, objective, stats, deadline);
  if (r.status === 'feasible') throw new Error('exact LP: objective lost (bug)');
  return r;
}

function solveRows(
  rows: readonly LinRow[],
  objective: ReadonlyMap<string, Q> | undefined,
  stats: LpStats | undefined,
  deadline: Deadline,
): LpResult | LpOptimum {
  // ---- variables: x+ and x- for every named variable, one slack per inequality, t if strict rows exist
  const varNames: string[] = [];
  const varIndex = new Map<string, number>();
  for (const r of rows)
    for (const v of r.coefs.keys())
      if (!varIndex.has(v)) {
        varIndex.set(v, varNames.length);
        varNames.push(v);
      }
  if (objective)
    for (const v of objective.keys())
      if (!varIndex.has(v)) {
        varIndex.set(v, varNames.length);
        varNames.push(v);
      }
  const nv = varNames.length;
  const hasStrict = rows.some((r) => r.sense === '<');
  // all rows, plus "t <= 1" when strict rows exist
  const m = rows.length + (hasStrict ? 1 : 0);
  const ineqRows: number[] = [];
  rows.forEach((r, i) => {
    if (r.sense !== '=') ineqRows.push(i);
  });
  if (hasStrict) ineqRows.push(rows.length);
  const colXp = 0;
  const colXm = nv;
  const colSlack0 = 2 * nv;
  const slackCol = new Map<number, number>();
  ineqRows.forEach((i, k) => slackCol.set(i, colSlack0 + k));
  const colT = colSlack0 + ineqRows.length;
  const colArt0 = colT + (hasStrict ? 1 : 0);
  const ncols = colArt0 + m;
  const RHS = ncols;

  // ---- build the integer tableau
  const T: bigint[][] = [];
  const sigma: bigint[] = [];
  const kappa: bigint[] = [];
  for (let i = 0; i < m; i++) {
    deadline.tick(ncols);
    const line = new Array<bigint>(ncols + 1).fill(0n);
    let coefs: [number, Q][];
    let rhs: Q;
    let strict = false;
    if (i < rows.length) {
      const r = rows[i]!;
      coefs = [...r.coefs].map(([v, c]) => [varIndex.get(v)!, c]);
      rhs = r.rhs;
      strict = r.sense === '<';
    } else {
      coefs = [];
      rhs = Q.ONE; // t <= 1
    }
    let den = rhs.den;
    for (const [, c] of coefs) den = lcm(den, c.den);
    const sg = rhs.sign() < 0 ? -1n : 1n;
    sigma.push(sg);
    kappa.push(den);
    const f = sg * den;
    for (const [j, c] of coefs) {
      const v = (c.num * den) / c.den;
      line[colXp + j] = sg * v;
      line[colXm + j] = -sg * v;
    }
    const sc = slackCol.get(i);
    if (sc !== undefined) line[sc] = f; // slack coefficient (before flip) is 1, scaled by den
    if (hasStrict && (strict || i === rows.length)) line[colT] = f;
    line[colArt0 + i] = 1n;
    line[RHS] = (sg * rhs.num * den) / rhs.den;
    T.push(line);
  }
  const basis: number[] = Array.from({ length: m }, (_, i) => colArt0 + i);
  let D = 1n;
  // objective row: phase 1 minimises the sum of artificials; reduced costs = c - sum of rows
  const obj = new Array<bigint>(ncols + 1).fill(0n);
  for (let i = 0; i < m; i++) {
    deadline.tick(ncols);
    for (let j = 0; j <= ncols; j++) if (j < colArt0 || j === RHS) obj[j] = obj[j]! - T[i]![j]!;
  }
  T.push(obj);
  const OBJ = m;

  const pivot = (r: number, c: number): void => {
    D = bareissPivot(T, r, c, D, deadline);
    basis[r] = c;
    if (stats) stats.pivots++;
  };

  /** Bland's rule simplex on the current objective row; `allowed(c)` says which columns may enter. Returns false when unbounded. */
  const simplex = (allowed: (c: number) => boolean): boolean => {
    for (;;) {
      deadline.tick((ncols + m) * bigOpUnits(bitsOf(D)));
      let enter = -1;
      for (let j = 0; j < ncols; j++)
        if (T[OBJ]![j]! < 0n && allowed(j)) {
          enter = j;
          break;
        }
      if (enter < 0) return true;
      let leave = -1;
      for (let i = 0; i < m; i++) {
        const a = T[i]![enter]!;
        if (a <= 0n) continue;
        if (leave < 0) {
          leave = i;
          continue;
        }
        // compare T[i][RHS]/a with T[leave][RHS]/T[leave][enter]
        const lhs = T[i]![RHS]! * T[leave]![enter]!;
        const rhs = T[leave]![RHS]! * a;
        if (lhs < rhs || (lhs === rhs && basis[i]! < basis[leave]!)) leave = i;
      }
      if (leave < 0) return false;
      pivot(leave, enter);
    }
  };

  // ---- phase 1
  simplex((c) => c < colArt0);
  /** Multipliers for the original rows from the objective row: y_i = cost(art_i) - rc(art_i). */
  const multipliers = (artCost: bigint): Map<string, Q> => {
    const out = new Map<string, Q>();
    let g = 0n;
    const raw: bigint[] = [];
    for (let i = 0; i < rows.length; i++) {
      const yD = artCost * D - T[OBJ]![colArt0 + i]!; // y_i * D (for the scaled, flipped row)
      const lam = -sigma[i]! * kappa[i]! * yD; // lambda_i * D
      raw.push(lam);
      g = gcd(g, lam);
    }
    if (g === 0n) g = 1n;
    rows.forEach((r, i) => {
      const v = raw[i]! / g;
      if (v !== 0n) out.set(r.name, Q.of(v));
    });
    return out;
  };
  if (T[OBJ]![RHS]! !== 0n) return { status: 'infeasible', kind: 'farkas', multipliers: multipliers(1n) };

  // drive zero-level artificials out of the basis where possible
  for (let i = 0; i < m; i++) {
    if (basis[i]! < colArt0) continue;
    deadline.tick(colArt0);
    for (let j = 0; j < colArt0; j++)
      if (T[i]![j]! !== 0n) {
        pivot(i, j);
        break;
      }
  }

  const point = (): Map<string, Q> => {
    const vals = new Array<Q>(ncols).fill(Q.ZERO);
    basis.forEach((c, i) => {
      vals[c] = Q.of(T[i]![RHS]!, D);
    });
    const out = new Map<string, Q>();
    varNames.forEach((v, j) => out.set(v, vals[colXp + j]!.sub(vals[colXm + j]!)));
    return out;
  };
  if (objective) {
    // phase 2 for a general objective c over x = x+ - x-: reduced costs c - c_B B^-1 A, times D
    let den = 1n;
    for (const c of objective.values()) den = lcm(den, c.den);
    const cost = new Array<bigint>(ncols).fill(0n);
    for (const [v, c] of objective) {
      const j = varIndex.get(v)!;
      cost[colXp + j] = (c.num * den) / c.den;
      cost[colXm + j] = -(c.num * den) / c.den;
    }
    const o = T[OBJ]!;
    for (let j = 0; j <= ncols; j++) o[j] = j < ncols ? cost[j]! * D : 0n;
    for (let i = 0; i < m; i++) {
      deadline.tick(ncols);
      const cb = cost[basis[i]!] ?? 0n;
      if (cb !== 0n) for (let j = 0; j <= ncols; j++) o[j] = o[j]! - cb * T[i]![j]!;
    }
    // o now holds (c - c_B B^-1 A) * D for columns, and -z * D in RHS (all scaled by den)
    if (!simplex((c) => c < colArt0)) return { status: 'unbounded' };
    return { status: 'optimal', value: Q.of(-T[OBJ]![RHS], D * den), point: point() };
  }
  if (!hasStrict) return { status: 'feasible', point: point() };

  // ---- phase 2: maximise t, i.e. minimise -t. Objective row = c - c_B B^-1 A with c = -e_t.
  const o = T[OBJ]!;
  for (let j = 0; j <= ncols; j++) o[j] = 0n;
  o[colT] = -D;
  for (let i = 0; i < m; i++)
    if (basis[i] === colT) {
      // c_B has -1 at this row: add the row (scaled) so the basic column's reduced cost is 0
      for (let j = 0; j <= ncols; j++) o[j] = o[j]! + T[i]![j]!;
    }
  simplex((c) => c < colArt0);
  // objective value -t* = -(rhs entry of obj)/D ... t* > 0 iff obj rhs > 0
  if (T[OBJ]![RHS] > 0n) return { status: 'feasible', point: point() };
  return { status: 'infeasible', kind: 'motzkin', multipliers: multipliers(0n) };
}
