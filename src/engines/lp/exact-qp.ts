/**
 * The least sum of squared errors over a polyhedron, exactly, with a dual
 * certificate (the `l2dual` leaf of docs/certificates.md; derivation in
 * docs/lemmas.md, "L2 dual leaves").
 *
 * Problem: minimise sum_i (f_i . v - y_i)^2 over free rational v subject to
 * rows a_r . v <= b_r and a_r . v = b_r (no strict rows). f_i are linear
 * expressions without constant term (the network's outputs at a leaf).
 *
 * Method: first the exact LP (exact-lp.ts decideRows): infeasible rows give a
 * Farkas certificate. Otherwise the Karush-Kuhn-Tucker conditions, with
 * v = v+ - v- and every equation written as two inequalities, are the linear
 * complementarity problem
 *     w = q + M z,  w, z >= 0,  w . z = 0,
 *     z = (v+, v-, mu),  q = (-F^T y, F^T y, b),
 *     M = [[F^T F, -F^T F, A^T], [-F^T F, F^T F, -A^T], [-A, A, 0]]
 * (F the matrix of the f_i, A the rows; the multipliers mu are half the
 * usual Lagrange multipliers). M is positive semidefinite, hence
 * copositive-plus, so Lemke's complementary pivoting algorithm with the
 * covering vector e and the lexicographic ratio test terminates, and it ends
 * in a solution whenever the LCP has one (Cottle, Pang & Stone, The Linear
 * Complementarity Problem, 1992, Theorems 4.4.4 and 4.4.13); it has one here
 * because the rows are feasible and the objective is bounded below by 0
 * (Frank-Wolfe). Pivots are integer-preserving (Bareiss), as in exact-lp.ts.
 *
 * Result: the optimal point v, the residuals u_i = f_i . v - y_i, the value
 * sum u_i^2, and multipliers mu_r (>= 0 on inequality rows) with
 * sum_i u_i f_i + sum_r mu_r a_r = 0 exactly; the dual value
 * -sum_i u_i (u_i + 2 y_i) - 2 sum_r mu_r b_r then equals the optimum
 * (complementary slackness). Every claim is re-checked here before returning.
 */
import { Q, lcm } from '../../core/rational.js';
import type { LinExpr, LinRow } from '../../encode/rows.js';
import { bareissPivot, decideRows } from './exact-lp.js';
import { Deadline } from '../../core/deadline.js';

export type QpResult =
  | { status: 'infeasible'; kind: 'farkas' | 'motzkin'; multipliers: Map<string, Q> }
  | { status: 'optimal'; value: Q; point: Map<string, Q>; residuals: Q[]; multipliers: Map<string, Q> };

export interface QpStats {
  pivots: number;
}

/**
 * The exact least sum of squares (see the file comment). `outputs[i]` is f_i,
 * `labels[i]` is y_i. Throws Timeout past `deadline`; throws Error on strict
 * rows (not needed for l2) or if Lemke's algorithm ends on a ray (impossible
 * for feasible rows: a bug).
 */
export function minimizeSquares(
  rows: readonly LinRow[],
  outputs: readonly LinExpr[],
  labels: readonly Q[],
  stats?: QpStats,
  deadline: Deadline = Deadline.NONE,
): QpResult {
  if (rows.some((r) => r.sense === '<')) throw new Error('exact QP: strict rows are not supported (bug)');
  const lp = decideRows(rows, stats, deadline);
  if (lp.status === 'infeasible') return lp;

  // ---- variables v, and the inequality rows of the LCP (an equation twice, +/-)
  const names: string[] = [];
  const index = new Map<string, number>();
  const see = (v: string): void => {
    if (!index.has(v)) {
      index.set(v, names.length);
      names.push(v);
    }
  };
  for (const r of rows) for (const v of r.coefs.keys()) see(v);
  for (const f of outputs) for (const v of f.keys()) see(v);
  const nv = names.length;
  const ineq: { row: number; sign: 1 | -1 }[] = [];
  rows.forEach((r, i) => {
    ineq.push({ row: i, sign: 1 });
    if (r.sense === '=') ineq.push({ row: i, sign: -1 });
  });
  const m = ineq.length;
  const N = 2 * nv + m;

  // ---- G = F^T F (nv x nv) and g = F^T y (nv), rational
  const fCols = outputs.map((f) => [...f].map(([v, c]) => [index.get(v)!, c] as [number, Q]));
  const G: Q[][] = Array.from({ length: nv }, () => new Array<Q>(nv).fill(Q.ZERO));
  const g: Q[] = new Array<Q>(nv).fill(Q.ZERO);
  fCols.forEach((f, i) => {
    deadline.tick(f.length * f.length);
    for (const [a, ca] of f) {
      g[a] = g[a]!.add(ca.mul(labels[i]!));
      for (const [b, cb] of f) G[a]![b] = G[a]![b]!.add(ca.mul(cb));
    }
  });
  const A: Map<number, Q>[] = ineq.map(({ row, sign }) => {
    const out = new Map<number, Q>();
    for (const [v, c] of rows[row]!.coefs) out.set(index.get(v)!, sign === 1 ? c : c.neg());
    return out;
  });
  const bvec = ineq.map(({ row, sign }) => (sign === 1 ? rows[row]!.rhs : rows[row]!.rhs.neg()));

  // ---- the LCP row by row: w_i - sum_j M_ij z_j - z0 = q_i, each row scaled to integers
  const colW = 0;
  const colZ = N;
  const colZ0 = 2 * N;
  const RHS = 2 * N + 1;
  const T: bigint[][] = [];
  const Mrow = (i: number): { entries: [number, Q][]; q: Q } => {
    if (i < 2 * nv) {
      const a = i % nv;
      const s = i < nv ? Q.ONE : Q.MINUS_ONE;
      const entries: [number, Q][] = [];
      for (let b = 0; b < nv; b++) {
        const x = G[a]![b]!;
        if (!x.isZero()) entries.push([b, x.mul(s)], [nv + b, x.mul(s).neg()]);
      }
      A.forEach((ar, r) => {
        const x = ar.get(a);
        if (x !== undefined && !x.isZero()) entries.push([2 * nv + r, x.mul(s)]);
      });
      return { entries, q: g[a]!.mul(s).neg() };
    }
    const r = i - 2 * nv;
    const entries: [number, Q][] = [];
    for (const [a, x] of A[r]!) entries.push([a, x.neg()], [nv + a, x]);
    return { entries, q: bvec[r]! };
  };
  for (let i = 0; i < N; i++) {
    deadline.tick(2 * N);
    const { entries, q } = Mrow(i);
    let den = q.den;
    for (const [, x] of entries) den = lcm(den, x.den);
    const line = new Array<bigint>(RHS + 1).fill(0n);
    line[colW + i] = den;
    for (const [j, x] of entries) line[colZ + j] = line[colZ + j]! - (x.num * den) / x.den;
    line[colZ0] = -den;
    line[RHS] = (q.num * den) / q.den;
    T.push(line);
  }
  const basis = Array.from({ length: N }, (_, i) => colW + i);
  let D = 1n;

  const pivot = (r: number, c: number): void => {
    D = bareissPivot(T, r, c, D, deadline);
    basis[r] = c;
    if (stats) stats.pivots++;
  };

  /** Is row i's (RHS, w-columns) / di lexicographically smaller than row k's / dk? (di, dk > 0) */
  const lexLess = (i: number, di: bigint, k: number, dk: bigint): boolean => {
    for (const j of [RHS, ...Array.from({ length: N }, (_, t) => colW + t)]) {
      const a = T[i]![j]! * dk;
      const b = T[k]![j]! * di;
      if (a !== b) return a < b;
    }
    return false;
  };

  if (T.some((row) => row[RHS]! < 0n)) {
    // z0 enters at the row of the lexicographically least q_i / d_i
    let r = 0;
    for (let i = 1; i < N; i++) if (lexLess(i, -T[i]![colZ0]!, r, -T[r]![colZ0]!)) r = i;
    let leaving = basis[r]!;
    pivot(r, colZ0);
    for (;;) {
      const enter = leaving < colZ ? colZ + (leaving - colW) : colW + (leaving - colZ);
      let row = -1;
      for (let i = 0; i < N; i++) {
        deadline.tick(N); // a lexicographic comparison reads up to N + 1 entries
        const a = T[i]![enter]!;
        if (a <= 0n) continue;
        if (row < 0 || lexLess(i, a, row, T[row]![enter]!)) row = i;
      }
      if (row < 0) throw new Error('exact QP: Lemke ray termination on feasible rows (bug)');
      leaving = basis[row]!;
      pivot(row, enter);
      if (leaving === colZ0) break;
    }
  }

  // ---- read the solution
  const z = new Array<Q>(N).fill(Q.ZERO);
  basis.forEach((c, i) => {
    if (c >= colZ && c < colZ0) z[c - colZ] = Q.of(T[i]![RHS]!, D);
  });
  const point = new Map<string, Q>();
  names.forEach((v, a) => point.set(v, z[a]!.sub(z[nv + a]!)));
  const multipliers = new Map<string, Q>();
  ineq.forEach(({ row, sign }, r) => {
    const mu = z[2 * nv + r]!;
    if (mu.isZero()) return;
    const name = rows[row]!.name;
    multipliers.set(name, (multipliers.get(name) ?? Q.ZERO).add(sign === 1 ? mu : mu.neg()));
  });
  for (const [name, mu] of [...multipliers]) if (mu.isZero()) multipliers.delete(name);
  const residuals = outputs.map((f, i) => Q.sum([...f].map(([v, c]) => c.mul(point.get(v)!))).sub(labels[i]!));
  const value = Q.sum(residuals.map((u) => u.mul(u)));
  const problem = checkDual(rows, outputs, labels, residuals, multipliers, value) ?? infeasibleRow(rows, point);
  if (problem) throw new Error(`exact QP: ${problem} (bug)`);
  return { status: 'optimal', value, point, residuals, multipliers };
}

/**
 * The dual value of (u, mu) if they satisfy stationarity and the sign
 * conditions, else a sentence saying which fails: the engines' own check of
 * an l2dual leaf before they write it (the checker rebuilds all of it).
 */
export function dualValue(rows: readonly LinRow[], outputs: readonly LinExpr[], labels: readonly Q[], u: readonly Q[], mu: ReadonlyMap<string, Q>): Q | string {
  const byName = new Map(rows.map((r) => [r.name, r]));
  const lhs = new Map<string, Q>();
  const add = (v: string, c: Q): void => {
    lhs.set(v, (lhs.get(v) ?? Q.ZERO).add(c));
  };
  let rhs = Q.ZERO;
  for (const [name, x] of mu) {
    const r = byName.get(name);
    if (!r) return `no row ${name}`;
    if (r.sense !== '=' && x.sign() < 0) return `negative multiplier on ${name}`;
    for (const [v, c] of r.coefs) add(v, c.mul(x));
    rhs = rhs.add(x.mul(r.rhs));
  }
  outputs.forEach((f, i) => {
    for (const [v, c] of f) add(v, c.mul(u[i]!));
  });
  for (const [v, c] of lhs) if (!c.isZero()) return `stationarity fails in ${v}`;
  const two = Q.of(2);
  return Q.sum(u.map((ui, i) => ui.mul(ui.add(two.mul(labels[i]!)))))
    .add(two.mul(rhs))
    .neg();
}

function checkDual(
  rows: readonly LinRow[],
  outputs: readonly LinExpr[],
  labels: readonly Q[],
  u: readonly Q[],
  mu: ReadonlyMap<string, Q>,
  value: Q,
): string | undefined {
  const d = dualValue(rows, outputs, labels, u, mu);
  if (typeof d === 'string') return d;
  if (!d.eq(value)) return `dual value ${d} differs from the optimum ${value}`;
  return undefined;
}

/** The first row the point violates (implied by the LCP; checked all the same). */
function infeasibleRow(rows: readonly LinRow[], point: ReadonlyMap<string, Q>): string | undefined {
  for (const r of rows) {
    const lhs = Q.sum([...r.coefs].map(([v, c]) => c.mul(point.get(v) ?? Q.ZERO)));
    if (r.sense === '=' ? !lhs.eq(r.rhs) : lhs.gt(r.rhs)) return `the optimum violates row ${r.name}`;
  }
  return undefined;
}
