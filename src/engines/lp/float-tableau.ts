/**
 * A warm-started floating-point feasibility LP for the exact engine's search,
 * a guide only (like float-lp.ts): a child node's system is its parent's plus
 * the two rows of one literal, so the child starts from the parent's final
 * tableau, appends the new rows expressed in the current basis, and resumes
 * phase 1 with artificials only where a new row is violated. Typically a few
 * pivots instead of a solve from scratch.
 *
 * Standard form: x+ (and x- for variables without a sign bound `-v <= 0`),
 * one slack per inequality, artificials where needed; strict rows are taken
 * as their closures. Results have the shape of float-lp.ts's, so the caller
 * treats both alike; any trouble (a new variable, numerical doubt, a number
 * that does not fit a double, a tableau beyond MAX_FLOAT_ENTRIES) answers
 * 'unsure' and the caller solves from scratch. Throws Timeout past the
 * deadline given to root() / child() (src/core/deadline.ts).
 */
import type { LinRow } from '../../encode/rows.js';
import type { FloatLpResult } from './float-lp.js';
import { EPS, MAX_FLOAT_ENTRIES, runPhaseOne } from './float-simplex.js';
import { Deadline } from '../../core/deadline.js';

interface RowMeta {
  name: string;
  /** the row as stored: sigma * scale * (original row), with slack coefficient sigma */
  sigma: number;
  scale: number;
  slack: number; // column, or -1
  art: number; // column, or -1
}

export class FloatTableau {
  private constructor(
    /** variable name -> x+ column */
    private readonly pos: Map<string, number>,
    /** x+ column -> x- column, or -1 for sign-bounded variables */
    private readonly neg: Map<number, number>,
    /** sign-bounded variable -> the name of its bound row */
    private readonly bounds: Map<string, string>,
    private readonly rows: RowMeta[],
    /** column count (without the right-hand side) */
    private readonly ncols: number,
    private readonly isArt: Uint8Array,
    /** (m + 1) x (ncols + 1), objective row last */
    private readonly T: Float64Array,
    private readonly basis: Int32Array,
    private status: 'feasible' | 'infeasible' | 'unsure' = 'unsure',
  ) {}

  /** The tableau of a case root: every variable of `rows`; `-v <= 0` rows become sign bounds. */
  static root(allRows: readonly LinRow[], deadline: Deadline = Deadline.NONE): FloatTableau {
    const bounds = new Map<string, string>();
    for (const r of allRows)
      if (r.coefs.size === 1 && r.sense === '<=' && r.rhs.isZero()) {
        const [v, c] = [...r.coefs][0]!;
        if (c.sign() < 0 && !bounds.has(v)) bounds.set(v, r.name);
      }
    const rows = allRows.filter((r) => !(r.coefs.size === 1 && bounds.get([...r.coefs.keys()][0]!) === r.name));
    const pos = new Map<string, number>();
    for (const r of allRows) for (const v of r.coefs.keys()) if (!pos.has(v)) pos.set(v, pos.size);
    const neg = new Map<number, number>();
    let ncols = pos.size;
    for (const [v, j] of pos) neg.set(j, bounds.has(v) ? -1 : ncols++);
    const t = new FloatTableau(pos, neg, bounds, [], ncols, new Uint8Array(ncols), new Float64Array(ncols + 1), new Int32Array(0));
    return t.withRows(rows, deadline);
  }

  /** The child's tableau: this one plus `rows`; 'unsure' if they bring a new variable. */
  child(newRows: readonly LinRow[], deadline: Deadline = Deadline.NONE): FloatTableau | undefined {
    for (const r of newRows) for (const v of r.coefs.keys()) if (!this.pos.has(v)) return undefined;
    return this.withRows(newRows, deadline);
  }

  result(): FloatLpResult {
    const m = this.rows.length;
    const W = this.ncols + 1;
    const T = this.T;
    const OBJ = m * W;
    if (this.status === 'unsure') return { status: 'unsure' };
    if (this.status === 'feasible') {
      const vals = new Float64Array(this.ncols);
      for (let i = 0; i < m; i++) vals[this.basis[i]!] = T[i * W + this.ncols]!;
      const point = new Map<string, number>();
      for (const [v, j] of this.pos) {
        const nj = this.neg.get(j)!;
        const x = vals[j]! - (nj >= 0 ? vals[nj]! : 0);
        if (!Number.isFinite(x)) return { status: 'unsure' };
        point.set(v, x);
      }
      return { status: 'feasible', point };
    }
    // infeasible: y_i from the artificial's reduced cost (cost 1) or the slack's (cost 0)
    const lam: number[] = [];
    let mx = 0;
    this.rows.forEach((r) => {
      // slack column = sigma * e_i in the stored rows, so its reduced cost is -sigma * y_i
      const y = r.art >= 0 ? 1 - T[OBJ + r.art]! : -T[OBJ + r.slack]! / r.sigma;
      const l = -r.sigma * r.scale * y;
      lam.push(l);
      mx = Math.max(mx, Math.abs(l));
    });
    const weight = new Map<string, number>();
    const support = new Set<string>();
    this.rows.forEach((r, i) => {
      if (Math.abs(lam[i]!) > 1e-9 * mx) {
        weight.set(r.name, lam[i]! / mx);
        support.add(r.name);
      }
    });
    for (const [v, j] of this.pos) {
      const b = this.bounds.get(v);
      if (b === undefined) continue;
      const rc = T[OBJ + j]! / mx;
      if (rc > 1e-9) {
        weight.set(b, rc);
        support.add(b);
      }
    }
    return { status: 'infeasible', support, weight };
  }

  /** Appends rows (expressed in the current basis) and runs phase 1 from the current basis. */
  private withRows(newRows: readonly LinRow[], deadline: Deadline): FloatTableau {
    const m0 = this.rows.length;
    const W0 = this.ncols + 1;
    // columns for the new rows: a slack per inequality, an artificial where needed (decided below)
    const metas: RowMeta[] = [];
    let ncols = this.ncols;
    const extraArt: number[] = [];
    for (const r of newRows) {
      let mx = Math.abs(r.rhs.toNumber());
      for (const c of r.coefs.values()) mx = Math.max(mx, Math.abs(c.toNumber()));
      // a number that does not fit a double: the floats cannot guide here
      if (!Number.isFinite(mx)) return this.unsure();
      const scale = mx > 0 ? 1 / mx : 1;
      const meta: RowMeta = { name: r.name, sigma: 1, scale, slack: r.sense === '=' ? -1 : ncols++, art: -1 };
      metas.push(meta);
    }
    // provisional width: every new row might need an artificial
    const maxCols = ncols + newRows.length;
    const W = maxCols + 1;
    const m = m0 + newRows.length;
    if ((m + 1) * W > MAX_FLOAT_ENTRIES) return this.unsure();
    const T = new Float64Array((m + 1) * W);
    for (let i = 0; i < m0; i++) {
      deadline.tick(W);
      T.set(this.T.subarray(i * W0, i * W0 + this.ncols), i * W);
      T[i * W + maxCols] = this.T[i * W0 + this.ncols]!;
    }
    const basis = new Int32Array(m);
    basis.set(this.basis);
    const isArt = new Uint8Array(maxCols);
    isArt.set(this.isArt);
    newRows.forEach((r, k) => {
      const meta = metas[k]!;
      const base = (m0 + k) * W;
      for (const [v, c] of r.coefs) {
        const j = this.pos.get(v)!;
        const x = meta.scale * c.toNumber();
        T[base + j] = x;
        const nj = this.neg.get(j)!;
        if (nj >= 0) T[base + nj] = -x;
      }
      // slack coefficient 1 (the slack absorbs the scale), so a basic slack has a unit entry
      if (meta.slack >= 0) T[base + meta.slack] = 1;
      T[base + maxCols] = meta.scale * r.rhs.toNumber();
      // express in the current basis: eliminate the basic columns of the earlier rows
      for (let i = 0; i < m0 + k; i++) {
        deadline.tick(W);
        const f = T[base + basis[i]!]!;
        if (f === 0) continue;
        const bi = i * W;
        for (let j = 0; j < W; j++) T[base + j] = T[base + j]! - f * T[bi + j]!;
      }
      const val = T[base + maxCols]!;
      if (meta.slack >= 0 && val >= -EPS) {
        basis[m0 + k] = meta.slack;
        if (val < 0) T[base + maxCols] = 0;
        return;
      }
      if (val < 0) {
        for (let j = 0; j < W; j++) T[base + j] = -T[base + j]!;
        meta.sigma = -1;
      }
      meta.art = ncols++;
      isArt[meta.art] = 1;
      extraArt.push(meta.art);
      T[base + meta.art] = 1;
      basis[m0 + k] = meta.art;
    });
    const rows = [...this.rows, ...metas];
    const t = new FloatTableau(this.pos, this.neg, this.bounds, rows, maxCols, isArt, T, basis);
    t.solve(deadline);
    return t;
  }

  /** This tableau's variables without rows, status 'unsure' (a tableau too large to build). */
  private unsure(): FloatTableau {
    return new FloatTableau(this.pos, this.neg, this.bounds, [], this.ncols, new Uint8Array(this.ncols), new Float64Array(this.ncols + 1), new Int32Array(0));
  }

  /** Phase 1: minimise the sum of the artificials, Dantzig's rule, Bland's after many degenerate pivots. */
  private solve(deadline: Deadline): void {
    const m = this.rows.length;
    const ncols = this.ncols;
    const W = ncols + 1;
    const T = this.T;
    const basis = this.basis;
    const isArt = this.isArt;
    const OBJ = m * W;
    // objective row: c - c_B B^-1 A with cost 1 on artificials
    for (let j = 0; j < W; j++) T[OBJ + j] = j < ncols && isArt[j] ? 1 : 0;
    for (let i = 0; i < m; i++) {
      if (!isArt[basis[i]!]) continue;
      deadline.tick(W);
      for (let j = 0; j < W; j++) T[OBJ + j] = T[OBJ + j]! - T[i * W + j]!;
    }
    if (!runPhaseOne(T, m, ncols, basis, (j) => !isArt[j], deadline)) {
      this.status = 'unsure';
      return;
    }
    // negative basic values beyond tolerance mean the tableau drifted
    for (let i = 0; i < m; i++)
      if (T[i * W + ncols]! < -1e-7) {
        this.status = 'unsure';
        return;
      }
    const infeas = -T[OBJ + ncols]!;
    this.status = infeas > 1e-7 ? 'infeasible' : infeas < 1e-10 ? 'feasible' : 'unsure';
  }
}
