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

/** The two-phase simplex on the standard form (see the file comment): Farkas, feasible, Motzkin, or the optimum of `objective`. */
function solveRows(
  rows: readonly LinRow[],
  objective: ReadonlyMap<string, Q> | undefined,
  stats: LpStats | undefined,
  deadline: Deadline,
): LpResult | LpOptimum {
  const t = new ExactTableau(rows, objective, stats, deadline);
  const structural = (c: number): boolean => c < t.colArt0;
  // ---- phase 1: the sum of the artificials
  t.simplex(structural);
  if (t.objectiveValue() !== 0n) return { status: 'infeasible', kind: 'farkas', multipliers: t.multipliers(1n) };
  t.driveOutArtificials();
  if (objective) {
    // ---- phase 2 for a general objective
    const den = t.useObjective(objective);
    if (!t.simplex(structural)) return { status: 'unbounded' };
    return { status: 'optimal', value: Q.of(-t.objectiveValue(), t.D * den), point: t.point() };
  }
  if (!t.hasStrict) return { status: 'feasible', point: t.point() };
  // ---- phase 2 for strict rows: maximise t; t* > 0 iff the objective row's right-hand side is > 0
  t.useStrictObjective();
  t.simplex(structural);
  if (t.objectiveValue() > 0n) return { status: 'feasible', point: t.point() };
  return { status: 'infeasible', kind: 'motzkin', multipliers: t.multipliers(0n) };
}

/**
 * The integer tableau of the standard form (see the file comment): columns
 * x+ and x- for every named variable, one slack per inequality, t when
 * strict rows exist ("t <= 1" is the extra last row), one artificial per
 * row; every entry an integer over the common denominator D. The objective
 * row is last; it starts as phase 1's (the sum of the artificials).
 */
class ExactTableau {
  /** the named variables, in order of first appearance (rows, then objective) */
  private readonly varNames: string[] = [];
  private readonly varIndex = new Map<string, number>();
  readonly hasStrict: boolean;
  /** rows of the tableau: the LinRows, then "t <= 1" when strict rows exist */
  private readonly m: number;
  private readonly colXm: number;
  private readonly colT: number;
  /** the first artificial column: columns before it are structural (x+, x-, slacks, t) */
  readonly colArt0: number;
  private readonly ncols: number;
  /** the right-hand side column */
  private readonly RHS: number;
  /** the objective row */
  private readonly OBJ: number;
  private readonly T: bigint[][] = [];
  /** per row: the sign flip (so that the right-hand side is >= 0) and the scaling to integers */
  private readonly sigma: bigint[] = [];
  private readonly kappa: bigint[] = [];
  private readonly basis: number[];
  /** the common denominator of every entry */
  D = 1n;

  constructor(
    private readonly rows: readonly LinRow[],
    objective: ReadonlyMap<string, Q> | undefined,
    private readonly stats: LpStats | undefined,
    private readonly deadline: Deadline,
  ) {
    const see = (v: string): void => {
      if (this.varIndex.has(v)) return;
      this.varIndex.set(v, this.varNames.length);
      this.varNames.push(v);
    };
    for (const r of rows) for (const v of r.coefs.keys()) see(v);
    if (objective) for (const v of objective.keys()) see(v);
    const nv = this.varNames.length;
    this.hasStrict = rows.some((r) => r.sense === '<');
    this.m = rows.length + (this.hasStrict ? 1 : 0);
    const ineqRows: number[] = [];
    rows.forEach((r, i) => {
      if (r.sense !== '=') ineqRows.push(i);
    });
    if (this.hasStrict) ineqRows.push(rows.length);
    this.colXm = nv;
    const colSlack0 = 2 * nv;
    const slackCol = new Map<number, number>();
    ineqRows.forEach((i, k) => slackCol.set(i, colSlack0 + k));
    this.colT = colSlack0 + ineqRows.length;
    this.colArt0 = this.colT + (this.hasStrict ? 1 : 0);
    this.ncols = this.colArt0 + this.m;
    this.RHS = this.ncols;
    for (let i = 0; i < this.m; i++) this.T.push(this.buildRow(i, slackCol.get(i)));
    this.basis = Array.from({ length: this.m }, (_, i) => this.colArt0 + i);
    // objective row: phase 1 minimises the sum of artificials; reduced costs = c - sum of rows
    const obj = new Array<bigint>(this.ncols + 1).fill(0n);
    for (let i = 0; i < this.m; i++) {
      deadline.tick(this.ncols);
      for (let j = 0; j <= this.ncols; j++) if (j < this.colArt0 || j === this.RHS) obj[j] = obj[j]! - this.T[i]![j]!;
    }
    this.T.push(obj);
    this.OBJ = this.m;
  }

  /** Tableau row i: row i scaled to integers by kappa_i and flipped by sigma_i so its right-hand side is >= 0; its slack (column sc), t, its artificial. */
  private buildRow(i: number, sc: number | undefined): bigint[] {
    const { rows, ncols, colXm, colT, colArt0, RHS } = this;
    this.deadline.tick(ncols);
    const line = new Array<bigint>(ncols + 1).fill(0n);
    let coefs: [number, Q][];
    let rhs: Q;
    let strict = false;
    if (i < rows.length) {
      const r = rows[i]!;
      coefs = [...r.coefs].map(([v, c]) => [this.varIndex.get(v)!, c]);
      rhs = r.rhs;
      strict = r.sense === '<';
    } else {
      coefs = [];
      rhs = Q.ONE; // t <= 1
    }
    let den = rhs.den;
    for (const [, c] of coefs) den = lcm(den, c.den);
    const sg = rhs.sign() < 0 ? -1n : 1n;
    this.sigma.push(sg);
    this.kappa.push(den);
    const f = sg * den;
    for (const [j, c] of coefs) {
      const v = (c.num * den) / c.den;
      line[j] = sg * v;
      line[colXm + j] = -sg * v;
    }
    if (sc !== undefined) line[sc] = f; // slack coefficient (before flip) is 1, scaled by den
    if (this.hasStrict && (strict || i === rows.length)) line[colT] = f;
    line[colArt0 + i] = 1n;
    line[RHS] = (sg * rhs.num * den) / rhs.den;
    return line;
  }

  /** The objective row's right-hand side entry: -(objective value) * D. */
  objectiveValue(): bigint {
    return this.T[this.OBJ]![this.RHS]!;
  }

  private pivot(r: number, c: number): void {
    this.D = bareissPivot(this.T, r, c, this.D, this.deadline);
    this.basis[r] = c;
    if (this.stats) this.stats.pivots++;
  }

  /** Bland's rule simplex on the current objective row; `allowed(c)` says which columns may enter. Returns false when unbounded. */
  simplex(allowed: (c: number) => boolean): boolean {
    const { T, m, ncols, RHS, OBJ, basis } = this;
    for (;;) {
      this.deadline.tick((ncols + m) * bigOpUnits(bitsOf(this.D)));
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
      this.pivot(leave, enter);
    }
  }

  /** Multipliers for the original rows from the objective row: y_i = cost(art_i) - rc(art_i), mapped back through sigma and kappa, scaled to coprime integers. */
  multipliers(artCost: bigint): Map<string, Q> {
    const { rows, T, OBJ, colArt0, D } = this;
    const out = new Map<string, Q>();
    let g = 0n;
    const raw: bigint[] = [];
    for (let i = 0; i < rows.length; i++) {
      const yD = artCost * D - T[OBJ]![colArt0 + i]!; // y_i * D (for the scaled, flipped row)
      const lam = -this.sigma[i]! * this.kappa[i]! * yD; // lambda_i * D
      raw.push(lam);
      g = gcd(g, lam);
    }
    if (g === 0n) g = 1n;
    rows.forEach((r, i) => {
      const v = raw[i]! / g;
      if (v !== 0n) out.set(r.name, Q.of(v));
    });
    return out;
  }

  /** After phase 1: drives zero-level artificials out of the basis where possible. */
  driveOutArtificials(): void {
    for (let i = 0; i < this.m; i++) {
      if (this.basis[i]! < this.colArt0) continue;
      this.deadline.tick(this.colArt0);
      for (let j = 0; j < this.colArt0; j++)
        if (this.T[i]![j]! !== 0n) {
          this.pivot(i, j);
          break;
        }
    }
  }

  /** The basic solution, as a value for every named variable (x = x+ - x-). */
  point(): Map<string, Q> {
    const { T, RHS, D, colXm } = this;
    const vals = new Array<Q>(this.ncols).fill(Q.ZERO);
    this.basis.forEach((c, i) => {
      vals[c] = Q.of(T[i]![RHS]!, D);
    });
    const out = new Map<string, Q>();
    this.varNames.forEach((v, j) => out.set(v, vals[j]!.sub(vals[colXm + j]!)));
    return out;
  }

  /**
   * Phase 2's objective row for minimising c . x over x = x+ - x-: the
   * reduced costs c - c_B B^-1 A times D, and -z D in the right-hand side,
   * all scaled by the lcm `den` of c's denominators, which is returned.
   */
  useObjective(objective: ReadonlyMap<string, Q>): bigint {
    const { T, m, ncols, OBJ, colXm, basis } = this;
    let den = 1n;
    for (const c of objective.values()) den = lcm(den, c.den);
    const cost = new Array<bigint>(ncols).fill(0n);
    for (const [v, c] of objective) {
      const j = this.varIndex.get(v)!;
      cost[j] = (c.num * den) / c.den;
      cost[colXm + j] = -(c.num * den) / c.den;
    }
    const o = T[OBJ]!;
    for (let j = 0; j <= ncols; j++) o[j] = j < ncols ? cost[j]! * this.D : 0n;
    for (let i = 0; i < m; i++) {
      this.deadline.tick(ncols);
      const cb = cost[basis[i]!] ?? 0n;
      if (cb !== 0n) for (let j = 0; j <= ncols; j++) o[j] = o[j]! - cb * T[i]![j]!;
    }
    return den;
  }

  /** Phase 2's objective row for strict rows: maximise t, i.e. minimise -t (c = -e_t), as c - c_B B^-1 A. */
  useStrictObjective(): void {
    const { T, m, ncols, OBJ } = this;
    const o = T[OBJ]!;
    for (let j = 0; j <= ncols; j++) o[j] = 0n;
    o[this.colT] = -this.D;
    for (let i = 0; i < m; i++)
      if (this.basis[i] === this.colT) {
        // c_B has -1 at this row: add the row (scaled) so the basic column's reduced cost is 0
        for (let j = 0; j <= ncols; j++) o[j] = o[j]! + T[i]![j]!;
      }
  }
}
