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
  const lcp = new KktLcp(rows, outputs, labels, stats, deadline);
  lcp.solve();
  const { point, multipliers } = lcp.solution();
  const residuals = outputs.map((f, i) => Q.sum([...f].map(([v, c]) => c.mul(point.get(v)!))).sub(labels[i]!));
  const value = Q.sum(residuals.map((u) => u.mul(u)));
  const problem = checkDual(rows, outputs, labels, residuals, multipliers, value) ?? infeasibleRow(rows, point);
  if (problem) throw new Error(`exact QP: ${problem} (bug)`);
  return { status: 'optimal', value, point, residuals, multipliers };
}

/**
 * The KKT conditions of the least squares as a linear complementarity
 * problem (see the file comment) in an integer tableau, solved by Lemke's
 * method with the covering vector e and the lexicographic ratio test:
 * columns w (N), z = (v+, v-, mu) (N), z0, and the right-hand side; rows
 * "w_i - sum_j M_ij z_j - z0 = q_i", each scaled to integers.
 */
class KktLcp {
  /** the variables v, in order of first appearance (rows, then outputs) */
  private readonly names: string[] = [];
  private readonly index = new Map<string, number>();
  /** the inequality rows of the LCP: an equation twice, with sign +1 and -1 */
  private readonly ineq: { row: number; sign: 1 | -1 }[] = [];
  private readonly nv: number;
  /** N = 2 nv + (inequality rows): the size of the LCP */
  private readonly N: number;
  /** G = F^T F (nv x nv) and g = F^T y (nv), rational */
  private readonly G: Q[][];
  private readonly g: Q[];
  /** the inequality rows' coefficients (by variable index) and right-hand sides */
  private readonly A: Map<number, Q>[];
  private readonly bvec: Q[];
  private readonly colW = 0;
  private readonly colZ: number;
  private readonly colZ0: number;
  private readonly RHS: number;
  private readonly T: bigint[][] = [];
  private readonly basis: number[];
  private D = 1n;

  constructor(
    private readonly rows: readonly LinRow[],
    outputs: readonly LinExpr[],
    labels: readonly Q[],
    private readonly stats: QpStats | undefined,
    private readonly deadline: Deadline,
  ) {
    const see = (v: string): void => {
      if (!this.index.has(v)) {
        this.index.set(v, this.names.length);
        this.names.push(v);
      }
    };
    for (const r of rows) for (const v of r.coefs.keys()) see(v);
    for (const f of outputs) for (const v of f.keys()) see(v);
    const nv = (this.nv = this.names.length);
    rows.forEach((r, i) => {
      this.ineq.push({ row: i, sign: 1 });
      if (r.sense === '=') this.ineq.push({ row: i, sign: -1 });
    });
    this.N = 2 * nv + this.ineq.length;
    const fCols = outputs.map((f) => [...f].map(([v, c]) => [this.index.get(v)!, c] as [number, Q]));
    this.G = Array.from({ length: nv }, () => new Array<Q>(nv).fill(Q.ZERO));
    this.g = new Array<Q>(nv).fill(Q.ZERO);
    fCols.forEach((f, i) => {
      deadline.tick(f.length * f.length);
      for (const [a, ca] of f) {
        this.g[a] = this.g[a]!.add(ca.mul(labels[i]!));
        for (const [b, cb] of f) this.G[a]![b] = this.G[a]![b]!.add(ca.mul(cb));
      }
    });
    this.A = this.ineq.map(({ row, sign }) => {
      const out = new Map<number, Q>();
      for (const [v, c] of rows[row]!.coefs) out.set(this.index.get(v)!, sign === 1 ? c : c.neg());
      return out;
    });
    this.bvec = this.ineq.map(({ row, sign }) => (sign === 1 ? rows[row]!.rhs : rows[row]!.rhs.neg()));
    this.colZ = this.N;
    this.colZ0 = 2 * this.N;
    this.RHS = 2 * this.N + 1;
    for (let i = 0; i < this.N; i++) this.T.push(this.tableauRow(i));
    this.basis = Array.from({ length: this.N }, (_, i) => this.colW + i);
  }

  /** Row i of M (its nonzero entries) and q_i. */
  private mRow(i: number): { entries: [number, Q][]; q: Q } {
    const { nv, G, A } = this;
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
      return { entries, q: this.g[a]!.mul(s).neg() };
    }
    const r = i - 2 * nv;
    const entries: [number, Q][] = [];
    for (const [a, x] of A[r]!) entries.push([a, x.neg()], [nv + a, x]);
    return { entries, q: this.bvec[r]! };
  }

  /** Tableau row i: w_i - sum_j M_ij z_j - z0 = q_i, scaled by the lcm of its denominators. */
  private tableauRow(i: number): bigint[] {
    this.deadline.tick(2 * this.N);
    const { entries, q } = this.mRow(i);
    let den = q.den;
    for (const [, x] of entries) den = lcm(den, x.den);
    const line = new Array<bigint>(this.RHS + 1).fill(0n);
    line[this.colW + i] = den;
    for (const [j, x] of entries) line[this.colZ + j] = line[this.colZ + j]! - (x.num * den) / x.den;
    line[this.colZ0] = -den;
    line[this.RHS] = (q.num * den) / q.den;
    return line;
  }

  private pivot(r: number, c: number): void {
    this.D = bareissPivot(this.T, r, c, this.D, this.deadline);
    this.basis[r] = c;
    if (this.stats) this.stats.pivots++;
  }

  /** Is row i's (RHS, w-columns) / di lexicographically smaller than row k's / dk? (di, dk > 0) */
  private lexLess(i: number, di: bigint, k: number, dk: bigint): boolean {
    const Ti = this.T[i]!;
    const Tk = this.T[k]!;
    // the right-hand side first, then the w-columns in order (no array built per comparison: this is the QP's hot loop)
    for (let t = -1; t < this.N; t++) {
      const j = t < 0 ? this.RHS : this.colW + t;
      const a = Ti[j]! * dk;
      const b = Tk[j]! * di;
      if (a !== b) return a < b;
    }
    return false;
  }

  /** Lemke's complementary pivoting, from z0 entering until z0 leaves (nothing to do when q >= 0). */
  solve(): void {
    const { T, N, colZ, colZ0, colW, basis } = this;
    if (!T.some((row) => row[this.RHS]! < 0n)) return;
    // z0 enters at the row of the lexicographically least q_i / d_i
    let r = 0;
    for (let i = 1; i < N; i++) if (this.lexLess(i, -T[i]![colZ0]!, r, -T[r]![colZ0]!)) r = i;
    let leaving = basis[r]!;
    this.pivot(r, colZ0);
    for (;;) {
      const enter = leaving < colZ ? colZ + (leaving - colW) : colW + (leaving - colZ);
      let row = -1;
      for (let i = 0; i < N; i++) {
        this.deadline.tick(N); // a lexicographic comparison reads up to N + 1 entries
        const a = T[i]![enter]!;
        if (a <= 0n) continue;
        if (row < 0 || this.lexLess(i, a, row, T[row]![enter]!)) row = i;
      }
      if (row < 0) throw new Error('exact QP: Lemke ray termination on feasible rows (bug)');
      leaving = basis[row]!;
      this.pivot(row, enter);
      if (leaving === colZ0) break;
    }
  }

  /** The point v = v+ - v- and the rows' multipliers mu (an equation's two halves summed; zeros dropped). */
  solution(): { point: Map<string, Q>; multipliers: Map<string, Q> } {
    const { T, N, nv, colZ, colZ0, RHS, D } = this;
    const z = new Array<Q>(N).fill(Q.ZERO);
    this.basis.forEach((c, i) => {
      if (c >= colZ && c < colZ0) z[c - colZ] = Q.of(T[i]![RHS]!, D);
    });
    const point = new Map<string, Q>();
    this.names.forEach((v, a) => point.set(v, z[a]!.sub(z[nv + a]!)));
    const multipliers = new Map<string, Q>();
    this.ineq.forEach(({ row, sign }, r) => {
      const mu = z[2 * nv + r]!;
      if (mu.isZero()) return;
      const name = this.rows[row]!.name;
      multipliers.set(name, (multipliers.get(name) ?? Q.ZERO).add(sign === 1 ? mu : mu.neg()));
    });
    for (const [name, mu] of [...multipliers]) if (mu.isZero()) multipliers.delete(name);
    return { point, multipliers };
  }
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
