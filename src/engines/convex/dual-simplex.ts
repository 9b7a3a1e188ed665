/**
 * A floating-point dual simplex over few variables and many rows, with rows
 * added lazily (a cutting-plane loop): the convex engine's GUIDE. It
 * proposes a point or the support of a Farkas combination; the engine
 * re-derives every verdict exactly (search.ts). Nothing it says reaches a
 * certificate unchecked.
 *
 * Problem: maximise c . theta over theta in R^D subject to rows
 * a_r . theta <= b_r (or = b_r), plus a box |theta_v| <= M that keeps every
 * basis dual feasible from the start. The basis is D rows held tight
 * (Goldfarb & Todd's "dual simplex in the row space", Nemhauser & Wolsey
 * II.3): theta = B^-1 b_B, duals u = c B^-1 >= 0 on inequality rows. A
 * violated row enters; the leaving row minimises u_s / alpha_s over
 * alpha = a B^-1 with alpha_s > 0; when no row may leave, the entering row
 * and the basis give a Farkas combination (entering 1, basic row s -alpha_s).
 * Adding rows keeps the basis dual feasible, so a child node of the search
 * starts from its parent's final basis (clone) and needs a few pivots.
 * B^-1 is updated by the product form and refactored every REFACTOR pivots.
 * Equality rows never leave the basis once in it (free duals).
 */
import type { Deadline } from '../../core/deadline.js';
import type { FloatRow } from './model.js';

export type DualOutcome =
  | { status: 'optimal'; theta: Float64Array }
  /** weight: row id -> float multiplier (largest 1); boxed: a box row carries weight too, so the rows alone may be feasible */
  | { status: 'infeasible'; weight: Map<number, number>; boxed: boolean }
  | { status: 'unsure' };

/** The rows of a node: `ids` must hold; `separate` offers violated rows the node does not hold yet (it appends them to ids). */
export interface RowSource {
  ids: number[];
  row(id: number): FloatRow;
  /** Rows violated at theta that are not among ids yet: appended to ids, and returned. */
  separate(theta: Float64Array): number[];
}

const FEAS_TOL = 1e-7;
const PIV_TOL = 1e-9;
const REFACTOR = 40;

/**
 * The simplex state over D unknowns with objective c and box M (see the file
 * comment): `solve` continues from the current basis; `clone` copies it for
 * a child. Row ids are the caller's (RowSource); the box's are negative:
 * -1 - v for theta_v <= M, -1 - D - v for -theta_v <= M.
 */
export class DualSimplex {
  private basis: Int32Array;
  /** the sign an equality row entered with (1 or -1); 1 for inequality rows */
  private sigma: Float64Array;
  /** B^-1, row-major D x D */
  private binv: Float64Array;
  private u: Float64Array;
  theta: Float64Array;
  private sincefactor = 0;
  pivots = 0;

  constructor(
    readonly D: number,
    private readonly c: Float64Array,
    private readonly M: number,
  ) {
    this.basis = new Int32Array(D);
    this.sigma = new Float64Array(D).fill(1);
    this.binv = new Float64Array(D * D);
    this.u = new Float64Array(D);
    this.theta = new Float64Array(D);
    for (let v = 0; v < D; v++) {
      const up = c[v]! >= 0;
      this.basis[v] = up ? -1 - v : -1 - D - v;
      this.binv[v * D + v] = up ? 1 : -1;
      this.u[v] = Math.abs(c[v]!);
      this.theta[v] = up ? M : -M;
    }
  }

  /** An independent copy (a child node's warm start). */
  clone(): DualSimplex {
    const s = Object.create(DualSimplex.prototype) as DualSimplex;
    Object.assign(s, this);
    s.basis = this.basis.slice();
    s.sigma = this.sigma.slice();
    s.binv = this.binv.slice();
    s.u = this.u.slice();
    s.theta = this.theta.slice();
    return s;
  }

  private rowOf(src: RowSource, id: number): FloatRow {
    if (id >= 0) return src.row(id);
    const D = this.D;
    const a = new Float64Array(D);
    const up = id >= -D;
    a[up ? -1 - id : -1 - D - id] = up ? 1 : -1;
    return { a, b: this.M, eq: false };
  }

  /** The most violated row of `ids` at theta: [id, sigma, violation], or undefined. */
  private mostViolated(src: RowSource, ids: readonly number[], inBasis: Set<number>): [number, number, number] | undefined {
    let best: [number, number, number] | undefined;
    const th = this.theta;
    for (const id of ids) {
      if (inBasis.has(id)) continue;
      const r = src.row(id);
      let ax = 0;
      for (let v = 0; v < this.D; v++) ax += r.a[v]! * th[v]!;
      const tol = FEAS_TOL * (1 + Math.abs(r.b));
      let viol = ax - r.b;
      let sg = 1;
      if (r.eq && viol < 0) {
        viol = -viol;
        sg = -1;
      }
      if (viol > tol && (best === undefined || viol > best[2])) best = [id, sg, viol];
    }
    return best;
  }

  /**
   * Runs dual simplex pivots until every row of `src` (and every row its
   * separation offers) holds within tolerance, or a Farkas combination is
   * found, or the float arithmetic gives up ('unsure'). Ticks `deadline`.
   */
  solve(src: RowSource, deadline: Deadline, maxPivots = 5000): DualOutcome {
    const D = this.D;
    for (let iter = 0; iter < maxPivots; iter++) {
      deadline.tick(src.ids.length * D + D * D);
      const inBasis = new Set(this.basis);
      let enter = this.mostViolated(src, src.ids, inBasis);
      if (!enter) {
        const fresh = src.separate(this.theta);
        enter = this.mostViolated(src, fresh, inBasis);
        if (!enter) {
          if (!this.refactor(src)) return { status: 'unsure' };
          // after refactoring, rounding may have moved theta: look once more
          if (this.mostViolated(src, src.ids, new Set(this.basis))) continue;
          return { status: 'optimal', theta: this.theta.slice() };
        }
      }
      const [id, sg, viol] = enter;
      const r = src.row(id);
      const alpha = new Float64Array(D);
      const bi = this.binv;
      for (let v = 0; v < D; v++) {
        const av = sg * r.a[v]!;
        if (av === 0) continue;
        for (let t = 0; t < D; t++) alpha[t] = alpha[t]! + av * bi[v * D + t]!;
      }
      let leave = -1;
      let best = Infinity;
      for (let t = 0; t < D; t++) {
        const al = alpha[t]!;
        if (al <= PIV_TOL) continue;
        const bid = this.basis[t]!;
        if (bid >= 0 && src.row(bid).eq) continue;
        const ratio = this.u[t]! / al;
        if (ratio < best - 1e-12 || (Math.abs(ratio - best) <= 1e-12 && al > alpha[leave]!)) {
          best = ratio;
          leave = t;
        }
      }
      if (leave < 0) return this.farkas(src, id, sg, alpha);
      this.pivot(leave, id, sg, alpha, viol);
      if (++this.sincefactor >= REFACTOR && !this.refactor(src)) return { status: 'unsure' };
    }
    return { status: 'unsure' };
  }

  /** Entering row (weight sigma, its entering sign) and basic rows (weight -alpha_s sigma_s), scaled to largest 1. */
  private farkas(src: RowSource, id: number, sg: number, alpha: Float64Array): DualOutcome {
    const weight = new Map<number, number>([[id, sg]]);
    let boxed = false;
    let mx = 1;
    for (let t = 0; t < this.D; t++) {
      const w = -alpha[t]! * this.sigma[t]!;
      const bid = this.basis[t]!;
      if (Math.abs(alpha[t]!) <= 1e-11) continue;
      if (bid < 0) {
        boxed = true;
        continue;
      }
      const eq = src.row(bid).eq;
      if (!eq && w < 0) continue; // a tiny positive alpha_s within the pivot tolerance
      weight.set(bid, w);
      mx = Math.max(mx, Math.abs(w));
    }
    for (const [k, w] of weight) weight.set(k, w / mx);
    return { status: 'infeasible', weight, boxed };
  }

  private pivot(s: number, id: number, sg: number, alpha: Float64Array, viol: number): void {
    const D = this.D;
    const bi = this.binv;
    const as = alpha[s]!;
    const step = viol / as;
    for (let v = 0; v < D; v++) this.theta[v] = this.theta[v]! - step * bi[v * D + s]!;
    const us = this.u[s]!;
    for (let t = 0; t < D; t++) if (t !== s) this.u[t] = this.u[t]! - (us * alpha[t]!) / as;
    this.u[s] = us / as;
    for (let v = 0; v < D; v++) {
      const cs = bi[v * D + s]! / as;
      if (cs !== 0) for (let t = 0; t < D; t++) if (t !== s) bi[v * D + t] = bi[v * D + t]! - cs * alpha[t]!;
      bi[v * D + s] = cs;
    }
    this.basis[s] = id;
    this.sigma[s] = sg;
    this.pivots++;
  }

  /** B^-1, theta and u recomputed from the basis rows (Gauss-Jordan, partial pivoting); false if B is (nearly) singular. */
  private refactor(src: RowSource): boolean {
    const D = this.D;
    this.sincefactor = 0;
    // [B | I] -> [I | B^-1]; B's row t is sigma_t a_t
    const W = 2 * D;
    const A = new Float64Array(D * W);
    const rhs = new Float64Array(D);
    for (let t = 0; t < D; t++) {
      const r = this.rowOf(src, this.basis[t]!);
      const sg = this.sigma[t]!;
      for (let v = 0; v < D; v++) A[t * W + v] = sg * r.a[v]!;
      A[t * W + D + t] = 1;
      rhs[t] = sg * r.b;
    }
    for (let col = 0; col < D; col++) {
      let p = col;
      for (let i = col + 1; i < D; i++) if (Math.abs(A[i * W + col]!) > Math.abs(A[p * W + col]!)) p = i;
      const pv = A[p * W + col]!;
      if (Math.abs(pv) < 1e-12) return false;
      if (p !== col)
        for (let j = 0; j < W; j++) {
          const tmp = A[col * W + j]!;
          A[col * W + j] = A[p * W + j]!;
          A[p * W + j] = tmp;
        }
      for (let j = 0; j < W; j++) A[col * W + j] = A[col * W + j]! / pv;
      for (let i = 0; i < D; i++) {
        if (i === col) continue;
        const f = A[i * W + col]!;
        if (f !== 0) for (let j = 0; j < W; j++) A[i * W + j] = A[i * W + j]! - f * A[col * W + j]!;
      }
    }
    // A's right half is B^-1 (rows permuted back into column order by the elimination)
    for (let v = 0; v < D; v++) for (let t = 0; t < D; t++) this.binv[v * D + t] = A[v * W + D + t]!;
    for (let v = 0; v < D; v++) {
      let s = 0;
      for (let t = 0; t < D; t++) s += this.binv[v * D + t]! * rhs[t]!;
      this.theta[v] = s;
    }
    for (let t = 0; t < D; t++) {
      let s = 0;
      for (let v = 0; v < D; v++) s += this.c[v]! * this.binv[v * D + t]!;
      this.u[t] = s;
    }
    for (const x of this.theta) if (!Number.isFinite(x)) return false;
    return true;
  }
}
