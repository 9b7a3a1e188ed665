/**
 * A floating-point bounded simplex for the conflict-driven engine, in the
 * style of Dutertre & de Moura, "A Fast Linear-Arithmetic Solver for
 * DPLL(T)" (CAV 2006): every constraint is a bound on a variable, either a
 * structural variable or a slack s_r = sum_v c_rv x_v defined once for each
 * linear form; asserting a literal only tightens bounds, and backtracking
 * only restores them, so the tableau is never rebuilt when the search jumps
 * back. `check()` repairs the basic variables that violate their bounds
 * (Bland's rule after a number of greedy pivots, so it terminates) and on
 * failure returns the conflict: the bounds of one tableau row, with the row's
 * coefficients as (float) Farkas weights.
 *
 * It only GUIDES: a conflict is re-derived exactly from the rows its bounds
 * come from (src/engines/cdcl/theory.ts), and a feasible point is only a
 * candidate. Tolerances are relative (TOL times the bound's magnitude).
 */

/** A bound is identified by the caller's reason id (a row index); -1 = no bound. */
export interface BoundRef {
  reason: number;
  /** which bound of its variable: x <= u ('upper') or x >= l ('lower') */
  side: 'lower' | 'upper';
  /** the weight of this bound in the Farkas combination (>= 0) */
  weight: number;
}

export type CheckResult = { status: 'sat' } | { status: 'conflict'; bounds: BoundRef[] } | { status: 'unsure' };

const TOL = 1e-9;
const DEBUG = process.env.RELUCERT_DEBUG_SIMPLEX !== undefined;
const PIVOT_TOL = 1e-7;
/** pivots between two refactorisations (rounding drift) */
const REFACTOR_EVERY = 2000;

/**
 * The float bounded simplex (see the file comment). Variables 0..nStruct-1
 * are structural, nStruct + r is the slack of form r; every bound carries
 * its caller's reason id (a row index) so that a conflict names its rows.
 * The caller (CaseTheory) asserts bounds, calls check(), and on
 * backtracking restores bounds to a mark; values and tableau stay, and the
 * next check repairs them. Floats only: a conflict or a point is a
 * proposal that the caller checks exactly.
 */
export class BoundedSimplex {
  /** number of variables: structural 0..nStruct-1, then one slack per form */
  readonly nv: number;
  readonly m: number;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  readonly lowerReason: Int32Array;
  readonly upperReason: Int32Array;
  readonly value: Float64Array;
  /** row of a basic variable, or -1 */
  private readonly rowOf: Int32Array;
  /** basic variable of each row */
  private readonly basicOf: Int32Array;
  /** tableau: row r says basicOf[r] = sum_v T[r*nv + v] * x_v over nonbasic v (T at basic columns is 0) */
  private readonly T: Float64Array;
  /** the original forms, for refactoring: slack nStruct + r = sum forms[r] */
  private readonly forms: readonly (readonly [number, number][])[];
  /** undo log: var, side (0 lower, 1 upper), old value, old reason */
  private readonly logVar: number[] = [];
  private readonly logSide: number[] = [];
  private readonly logVal: number[] = [];
  private readonly logReason: number[] = [];
  pivots = 0;
  private pivotsSinceRefactor = 0;
  /** scratch for a pivot row's nonzeros */
  private readonly nzIdx: Int32Array;
  private readonly nzVal: Float64Array;
  /** 0 when the deadline check passes; the caller's function, called every 64 pivots (every pivot on a large tableau) */
  private readonly interrupted: () => boolean;
  /** pivots between two calls of `interrupted`, minus 1: 63, or 0 when one pivot touches more than 2^16 entries */
  private readonly checkMask: number;

  /**
   * nStruct structural variables and one slack per form (a list of
   * [structural variable, coefficient]). All bounds start infinite, all
   * values 0, every slack basic.
   */
  constructor(
    readonly nStruct: number,
    forms: readonly (readonly [number, number][])[],
    interrupted: () => boolean = () => false,
  ) {
    this.forms = forms;
    this.m = forms.length;
    this.nv = nStruct + this.m;
    const nv = this.nv;
    this.lower = new Float64Array(nv).fill(-Infinity);
    this.upper = new Float64Array(nv).fill(Infinity);
    this.lowerReason = new Int32Array(nv).fill(-1);
    this.upperReason = new Int32Array(nv).fill(-1);
    this.value = new Float64Array(nv);
    this.rowOf = new Int32Array(nv).fill(-1);
    this.basicOf = new Int32Array(this.m);
    this.T = new Float64Array(this.m * nv);
    this.nzIdx = new Int32Array(nv);
    this.nzVal = new Float64Array(nv);
    forms.forEach((f, r) => {
      for (const [v, c] of f) this.T[r * nv + v] = this.T[r * nv + v]! + c;
      this.basicOf[r] = nStruct + r;
      this.rowOf[nStruct + r] = r;
    });
    this.interrupted = interrupted;
    this.checkMask = this.m * nv > 1 << 16 ? 0 : 63;
  }

  /** A mark for `backtrack`: the length of the undo log. */
  mark(): number {
    return this.logVar.length;
  }

  /** Restores every bound changed since `mark` (values stay: they are repaired by the next check). */
  backtrack(mark: number): void {
    while (this.logVar.length > mark) {
      const v = this.logVar.pop()!;
      const side = this.logSide.pop()!;
      const val = this.logVal.pop()!;
      const reason = this.logReason.pop()!;
      if (side === 0) {
        this.lower[v] = val;
        this.lowerReason[v] = reason;
      } else {
        this.upper[v] = val;
        this.upperReason[v] = reason;
      }
    }
  }

  /**
   * Tightens a bound (side 'lower': x_v >= val; 'upper': x_v <= val) with a
   * reason id. Returns a two-bound conflict when it crosses the opposite
   * bound, else undefined. A bound no tighter than the current one is ignored.
   */
  assertBound(v: number, side: 'lower' | 'upper', val: number, reason: number): BoundRef[] | undefined {
    if (side === 'lower') {
      if (val <= this.lower[v]!) return undefined;
      if (val > this.upper[v]! + TOL * Math.max(1, Math.abs(val)))
        return [
          { reason, side: 'lower', weight: 1 },
          { reason: this.upperReason[v]!, side: 'upper', weight: 1 },
        ];
      this.log(v, 0);
      this.lower[v] = val;
      this.lowerReason[v] = reason;
      if (this.rowOf[v]! < 0 && this.value[v]! < val) this.update(v, val);
    } else {
      if (val >= this.upper[v]!) return undefined;
      if (val < this.lower[v]! - TOL * Math.max(1, Math.abs(val)))
        return [
          { reason, side: 'upper', weight: 1 },
          { reason: this.lowerReason[v]!, side: 'lower', weight: 1 },
        ];
      this.log(v, 1);
      this.upper[v] = val;
      this.upperReason[v] = reason;
      if (this.rowOf[v]! < 0 && this.value[v]! > val) this.update(v, val);
    }
    return undefined;
  }

  private log(v: number, side: number): void {
    this.logVar.push(v);
    this.logSide.push(side);
    this.logVal.push(side === 0 ? this.lower[v]! : this.upper[v]!);
    this.logReason.push(side === 0 ? this.lowerReason[v]! : this.upperReason[v]!);
  }

  /** Moves nonbasic v to val, updating the basic variables. */
  private update(v: number, val: number): void {
    const delta = val - this.value[v]!;
    if (delta === 0) return;
    const nv = this.nv;
    const T = this.T;
    for (let r = 0; r < this.m; r++) {
      const a = T[r * nv + v]!;
      if (a !== 0) this.value[this.basicOf[r]!] = this.value[this.basicOf[r]!]! + a * delta;
    }
    this.value[v] = val;
  }

  private violation(v: number): number {
    const x = this.value[v]!;
    const lo = this.lower[v]!;
    const hi = this.upper[v]!;
    if (x < lo - TOL * Math.max(1, Math.abs(lo))) return lo - x;
    if (x > hi + TOL * Math.max(1, Math.abs(hi))) return x - hi;
    return 0;
  }

  /**
   * Repairs the basic variables until every bound holds ('sat'), a row
   * proves the bounds contradictory ('conflict'), or the numbers become
   * doubtful or the caller interrupts ('unsure').
   */
  check(maxPivots = 100_000): CheckResult {
    const nv = this.nv;
    const T = this.T;
    let greedy = 50 + this.m; // greedy (largest violation) pivots before switching to Bland's rule
    for (let iter = 0; iter < maxPivots; iter++) {
      if ((iter & this.checkMask) === this.checkMask && this.interrupted()) return { status: 'unsure' };
      // the violated basic variable: largest violation while greedy, smallest index (Bland) after
      let row = -1;
      let best = 0;
      for (let r = 0; r < this.m; r++) {
        const b = this.basicOf[r]!;
        const viol = this.violation(b);
        if (viol <= 0) continue;
        if (greedy > 0) {
          if (viol > best) {
            best = viol;
            row = r;
          }
        } else if (row < 0 || b < this.basicOf[row]!) row = r;
      }
      if (row < 0) return { status: 'sat' };
      if (!Number.isFinite(best) && greedy > 0) return { status: 'unsure' };
      const b = this.basicOf[row]!;
      const increase = this.value[b]! < this.lower[b]!;
      // entering variable: can move in the direction that moves b toward its bound
      const base = row * nv;
      let rowMax = 0;
      for (let v = 0; v < nv; v++) rowMax = Math.max(rowMax, Math.abs(T[base + v]!));
      const tiny = PIVOT_TOL * Math.max(1, rowMax);
      let enter = -1;
      let enterScore = -1;
      for (let v = 0; v < nv; v++) {
        const a = T[base + v]!;
        if (Math.abs(a) <= tiny || this.rowOf[v]! >= 0) continue;
        const up = increase === a > 0; // x_v must go up
        const room = up ? this.value[v]! < this.upper[v]! : this.value[v]! > this.lower[v]!;
        if (!room) continue;
        if (greedy > 0) {
          const score = Math.abs(a);
          if (score > enterScore) {
            enterScore = score;
            enter = v;
          }
        } else {
          enter = v;
          break;
        }
      }
      if (enter < 0) return { status: 'conflict', bounds: this.explain(row, increase) };
      greedy--;
      this.pivotAndUpdate(row, enter, increase ? this.lower[b]! : this.upper[b]!);
    }
    return { status: 'unsure' };
  }

  /**
   * The range the bounds of the nonbasic variables imply for variable v
   * through its tableau row, when v is basic and the relevant bounds are
   * finite: `lower` and `upper` (NaN where a side is not implied). The
   * bounds a side rests on are `impliedBounds`, asked only when the side
   * implies something (most calls imply nothing, and build no list).
   */
  impliedRange(v: number): { lower: number; upper: number } {
    const row = this.rowOf[v]!;
    if (row < 0) return { lower: NaN, upper: NaN };
    const nv = this.nv;
    const base = row * nv;
    let lo = 0;
    let hi = 0;
    let loOk = true;
    let hiOk = true;
    for (let u = 0; u < nv; u++) {
      const a = this.T[base + u]!;
      if (a === 0) continue;
      if (a > 0) {
        if (this.lowerReason[u]! < 0) loOk = false;
        else lo += a * this.lower[u]!;
        if (this.upperReason[u]! < 0) hiOk = false;
        else hi += a * this.upper[u]!;
      } else {
        if (this.upperReason[u]! < 0) loOk = false;
        else lo += a * this.upper[u]!;
        if (this.lowerReason[u]! < 0) hiOk = false;
        else hi += a * this.lower[u]!;
      }
      if (!loOk && !hiOk) return { lower: NaN, upper: NaN };
    }
    return { lower: loOk ? lo : NaN, upper: hiOk ? hi : NaN };
  }

  /**
   * The bounds the `lower` (or upper) side of impliedRange(v) rests on, a
   * Farkas combination as in `explain`: for each nonbasic u of v's row with
   * coefficient a, u's lower bound when (a > 0) equals `lower`, else its
   * upper bound, with weight |a|. Only for a basic v whose side is implied.
   */
  impliedBounds(v: number, lower: boolean): BoundRef[] {
    const nv = this.nv;
    const base = this.rowOf[v]! * nv;
    const out: BoundRef[] = [];
    for (let u = 0; u < nv; u++) {
      const a = this.T[base + u]!;
      if (a === 0) continue;
      const useLower = lower === a > 0;
      out.push({ reason: useLower ? this.lowerReason[u]! : this.upperReason[u]!, side: useLower ? 'lower' : 'upper', weight: Math.abs(a) });
    }
    return out;
  }

  /** Debug: max |coefficient| of (basic - sum a_v x_v) over structural variables, for every row. */
  rowResidual(): number {
    let worst = 0;
    const expand = (v: number, w: number, acc: Float64Array): void => {
      if (v < this.nStruct) acc[v] = acc[v]! + w;
      else for (const [u, c] of this.forms[v - this.nStruct]!) acc[u] = acc[u]! + w * c;
    };
    for (let r = 0; r < this.m; r++) {
      const acc = new Float64Array(this.nStruct);
      expand(this.basicOf[r]!, 1, acc);
      for (let v = 0; v < this.nv; v++) {
        const a = this.T[r * this.nv + v]!;
        if (a !== 0) expand(v, -a, acc);
      }
      for (const x of acc) worst = Math.max(worst, Math.abs(x));
    }
    return worst;
  }

  /** The bounds of row `row` that block it: b's violated bound and each nonbasic's blocking bound. */
  private explain(row: number, increase: boolean): BoundRef[] {
    const nv = this.nv;
    const b = this.basicOf[row]!;
    const out: BoundRef[] = [{ reason: increase ? this.lowerReason[b]! : this.upperReason[b]!, side: increase ? 'lower' : 'upper', weight: 1 }];
    const base = row * nv;
    let rowMax = 0;
    for (let v = 0; v < nv; v++) rowMax = Math.max(rowMax, Math.abs(this.T[base + v]!));
    for (let v = 0; v < nv; v++) {
      const a = this.T[base + v]!;
      if (Math.abs(a) <= PIVOT_TOL * Math.max(1, rowMax) || this.rowOf[v]! >= 0) continue;
      // increase: b = sum a x is at most sum of a*upper (a > 0) / a*lower (a < 0)
      const useUpper = increase === a > 0;
      const reason = useUpper ? this.upperReason[v]! : this.lowerReason[v]!;
      out.push({ reason, side: useUpper ? 'upper' : 'lower', weight: Math.abs(a) });
    }
    return out;
  }

  private pivotAndUpdate(row: number, enter: number, target: number): void {
    const nv = this.nv;
    const T = this.T;
    const b = this.basicOf[row]!;
    const a = T[row * nv + enter]!;
    const theta = (target - this.value[b]!) / a;
    this.value[b] = target;
    this.value[enter] = this.value[enter]! + theta;
    for (let r = 0; r < this.m; r++) {
      if (r === row) continue;
      const c = T[r * nv + enter]!;
      if (c !== 0) this.value[this.basicOf[r]!] = this.value[this.basicOf[r]!]! + c * theta;
    }
    this.pivot(row, enter);
  }

  /** Exchanges basic b = basicOf[row] with nonbasic `enter`. */
  private pivot(row: number, enter: number): void {
    const nv = this.nv;
    const T = this.T;
    const b = this.basicOf[row]!;
    const base = row * nv;
    const a = T[base + enter]!;
    // row: b = a x_e + rest  ->  x_e = (1/a) b - rest/a
    const inv = 1 / a;
    for (let v = 0; v < nv; v++) {
      const x = T[base + v]!;
      if (x !== 0) T[base + v] = -x * inv;
    }
    T[base + enter] = 0;
    T[base + b] = inv;
    // substitute x_e into the other rows (flushing near-cancellations to 0 measured slower: docs/benchmark.md)
    const nzIdx = this.nzIdx;
    const nzVal = this.nzVal;
    let nnz = 0;
    for (let v = 0; v < nv; v++) {
      const x = T[base + v]!;
      if (x !== 0) {
        nzIdx[nnz] = v;
        nzVal[nnz++] = x;
      }
    }
    for (let r = 0; r < this.m; r++) {
      if (r === row) continue;
      const rb = r * nv;
      const c = T[rb + enter]!;
      if (c === 0) continue;
      T[rb + enter] = 0;
      for (let t = 0; t < nnz; t++) {
        const at = rb + nzIdx[t]!;
        T[at] = T[at]! + c * nzVal[t]!;
      }
    }
    this.basicOf[row] = enter;
    this.rowOf[enter] = row;
    this.rowOf[b] = -1;
    this.pivots++;
    if (DEBUG) {
      const res = this.rowResidual();
      if (res > 1e-6) throw new Error(`simplex residual ${res} after pivot ${this.pivots} (row ${row}, enter ${enter}, a ${a})`);
    }
    if (++this.pivotsSinceRefactor >= REFACTOR_EVERY) this.refactor();
  }

  /**
   * Recomputes the tableau of the current basis from the original forms
   * (Gauss-Jordan with partial pivoting), and the basic values from the
   * nonbasic ones, to wash out rounding drift. Returns false when the basis
   * matrix is numerically singular (the old tableau is kept).
   */
  refactor(): boolean {
    this.pivotsSinceRefactor = 0;
    const nv = this.nv;
    const m = this.m;
    // M y = 0 with M = [-C | I]: row r: slack_r - sum forms[r] = 0
    const M = new Float64Array(m * nv);
    this.forms.forEach((f, r) => {
      for (const [v, c] of f) M[r * nv + v] = M[r * nv + v]! - c;
      M[r * nv + this.nStruct + r] = 1;
    });
    const rowFor = new Int32Array(m).fill(-1); // basic var of pivot row
    const used = new Uint8Array(m);
    for (let r0 = 0; r0 < m; r0++) {
      const col = this.basicOf[r0]!;
      let p = -1;
      let best = 1e-12;
      for (let r = 0; r < m; r++) {
        if (used[r]) continue;
        const x = Math.abs(M[r * nv + col]!);
        if (x > best) {
          best = x;
          p = r;
        }
      }
      if (p < 0) return false;
      used[p] = 1;
      rowFor[p] = col;
      const pb = p * nv;
      const inv = 1 / M[pb + col]!;
      for (let v = 0; v < nv; v++) if (M[pb + v] !== 0) M[pb + v] = M[pb + v]! * inv;
      for (let r = 0; r < m; r++) {
        if (r === p) continue;
        const c = M[r * nv + col]!;
        if (c === 0) continue;
        const rb = r * nv;
        for (let v = 0; v < nv; v++) if (M[pb + v] !== 0) M[rb + v] = M[rb + v]! - c * M[pb + v]!;
        M[rb + col] = 0;
      }
    }
    // row p: x_{rowFor[p]} + sum_{nonbasic} M[p][v] x_v = 0
    const T = new Float64Array(m * nv);
    for (let p = 0; p < m; p++) {
      const b = rowFor[p]!;
      const r = this.rowOf[b]!;
      for (let v = 0; v < nv; v++) {
        if (v === b || this.rowOf[v]! >= 0) continue;
        const x = M[p * nv + v]!;
        if (x !== 0) T[r * nv + v] = -x;
      }
    }
    this.T.set(T); // in place: callers hold this.T
    for (let r = 0; r < m; r++) {
      let s = 0;
      for (let v = 0; v < nv; v++) {
        const a = this.T[r * nv + v]!;
        if (a !== 0) s += a * this.value[v]!;
      }
      this.value[this.basicOf[r]!] = s;
    }
    return true;
  }
}
