/**
 * The theory of one normalisation case for the conflict-driven engine: the
 * rows of docs/certificates.md 4.3 (base rows and the two rows of every
 * literal), turned into bounds of a float bounded simplex (simplex.ts), and
 * the exact side: a float conflict becomes exact Farkas / Motzkin
 * multipliers over the named rows it came from, or nothing.
 *
 * Literals: variable v = j * n + i is the activation of unit j at point i;
 * literal 2v is ACT(j,i), 2v + 1 is INACT(j,i).
 *
 * Soundness rests only on what `exactConflict` and `exactDecide` return:
 * multipliers checked exactly over rows that belong to the asserted
 * literals and the base rows, or an exact point. Floats only steer.
 */
import { Q } from '../../core/rational.js';
import type { Instance } from '../../core/types.js';
import type { LinRow } from '../../encode/rows.js';
import { type Case, baseRows, literalRows } from '../../encode/system.js';
import { decideRows } from '../exact-lp.js';
import { farkasBySolve } from '../farkas-solve.js';
import { type BoundRef, BoundedSimplex, type CheckResult } from './simplex.js';

export const litVar = (lit: number): number => lit >> 1;
export const litActive = (lit: number): boolean => (lit & 1) === 0;
export const litOf = (v: number, active: boolean): number => 2 * v + (active ? 0 : 1);

/** A bound a row puts on a simplex variable. */
interface RowBound {
  v: number;
  side: 'lower' | 'upper';
  val: number;
}

/** Exact multipliers of an infeasible subsystem. */
export interface ExactConflict {
  kind: 'farkas' | 'motzkin';
  multipliers: Map<string, Q>;
  /** the literals whose rows carry a multiplier (their conjunction is refuted) */
  literals: number[];
}

/** Thrown when the float guide cannot represent the instance (magnitudes out of range). */
export class FloatRange extends Error {}

const LITERAL_ROW = /^(act|actv|inact|inactv):(\d+):(\d+)$/;

export class CaseTheory {
  readonly k: number;
  readonly n: number;
  /** base rows, then for each literal lit its two rows at 2*baseCount... see litRowIndex */
  readonly rows: LinRow[] = [];
  readonly baseCount: number;
  private readonly rowBounds: RowBound[][] = [];
  private readonly rowIndex = new Map<string, number>();
  readonly simplex: BoundedSimplex;
  /** structural variable names, in simplex order */
  readonly structNames: string[] = [];
  private readonly structIndex = new Map<string, number>();
  /** for each (unit, point): the simplex variable of the pre-activation h_ij */
  readonly preVar: Int32Array;
  /** exact LP pivots spent (statistics) */
  exactPivots = 0;
  exactLps = 0;

  constructor(
    readonly inst: Instance,
    readonly c: Case,
    interrupted: () => boolean,
  ) {
    this.k = inst.architecture.hidden;
    this.n = inst.points.length;
    const base = baseRows(inst, c);
    this.rows.push(...base);
    this.baseCount = base.length;
    for (let v = 0; v < this.k * this.n; v++) {
      const j = Math.floor(v / this.n);
      const i = v % this.n;
      this.rows.push(...literalRows(inst, c, { unit: j, point: i, active: true }));
      this.rows.push(...literalRows(inst, c, { unit: j, point: i, active: false }));
    }
    this.rows.forEach((r, idx) => this.rowIndex.set(r.name, idx));
    // forms: one slack per distinct multi-variable linear form (up to sign)
    const forms: [number, number][][] = [];
    const formIndex = new Map<string, number>();
    const structOf = (name: string): number => {
      let s = this.structIndex.get(name);
      if (s === undefined) {
        s = this.structNames.length;
        this.structIndex.set(name, s);
        this.structNames.push(name);
      }
      return s;
    };
    for (const r of this.rows) for (const v of r.coefs.keys()) structOf(v);
    const nStruct = this.structNames.length;
    const pending: { formKey: string | undefined; v: number; sign: number; rhs: Q; sense: LinRow['sense'] }[] = [];
    for (const r of this.rows) {
      if (r.coefs.size === 1) {
        const [name, coef] = [...r.coefs][0]!;
        // coef * x (sense) rhs
        pending.push({ formKey: undefined, v: this.structIndex.get(name)!, sign: coef.sign(), rhs: r.rhs.div(coef.abs()), sense: r.sense });
        continue;
      }
      const entries = [...r.coefs].sort((a, b) => (a[0] < b[0] ? -1 : 1));
      const sign = entries[0]![1].sign();
      const key = entries.map(([v, c]) => `${v}*${sign > 0 ? c : c.neg()}`).join('+');
      let f = formIndex.get(key);
      if (f === undefined) {
        f = forms.length;
        formIndex.set(key, f);
        forms.push(entries.map(([v, c]) => [this.structIndex.get(v)!, toFloat(sign > 0 ? c : c.neg())]));
      }
      pending.push({ formKey: key, v: nStruct + f, sign, rhs: r.rhs, sense: r.sense });
    }
    for (const p of pending) {
      // sign * (form) (sense) rhs, that is form <= rhs (sign > 0) or form >= -rhs (sign < 0)
      const val = toFloat(p.sign > 0 ? p.rhs : p.rhs.neg());
      const bounds: RowBound[] = [];
      if (p.sense === '=') bounds.push({ v: p.v, side: 'lower', val }, { v: p.v, side: 'upper', val });
      else bounds.push({ v: p.v, side: p.sign > 0 ? 'upper' : 'lower', val });
      this.rowBounds.push(bounds);
    }
    this.simplex = new BoundedSimplex(nStruct, forms, interrupted);
    this.preVar = new Int32Array(this.k * this.n);
    for (let v = 0; v < this.k * this.n; v++) {
      const b = this.rowBounds[this.litRowIndex(litOf(v, false))]!;
      this.preVar[v] = b[0]!.v; // inact:j:i is h_ij <= 0: a bound on the slack of h_ij
    }
  }

  /** Index of the first of the two rows of a literal (sign row; the value row follows). */
  litRowIndex(lit: number): number {
    return this.baseCount + 2 * lit;
  }

  /** Asserts the bounds of row `idx`; a crossing of bounds is returned as a conflict. */
  assertRow(idx: number): BoundRef[] | undefined {
    for (const b of this.rowBounds[idx]!) {
      const conflict = this.simplex.assertBound(b.v, b.side, b.val, idx);
      if (conflict) return conflict;
    }
    return undefined;
  }

  /** Asserts both rows of a literal. */
  assertLiteral(lit: number): BoundRef[] | undefined {
    const idx = this.litRowIndex(lit);
    return this.assertRow(idx) ?? this.assertRow(idx + 1);
  }

  check(): CheckResult {
    return this.simplex.check();
  }

  /** The literal of a row name, or undefined for a base row. */
  literalOfRow(name: string): number | undefined {
    const m = LITERAL_ROW.exec(name);
    if (!m) return undefined;
    const v = Number(m[2]) * this.n + Number(m[3]);
    return litOf(v, m[1] === 'act' || m[1] === 'actv');
  }

  /**
   * Exact multipliers for a float conflict: Farkas' equations solved exactly
   * on the rows of its bounds (heaviest first); if that fails, the exact
   * simplex on those rows, then on `fallbackRows` (all rows asserted now).
   * Undefined when the rows are feasible after all (the float was wrong).
   */
  exactConflict(bounds: readonly BoundRef[], fallbackRows: () => number[]): ExactConflict | undefined {
    const weight = new Map<number, number>();
    for (const b of bounds) if (b.reason >= 0) weight.set(b.reason, Math.max(weight.get(b.reason) ?? 0, b.weight));
    const support = [...weight.keys()].sort((a, b) => weight.get(b)! - weight.get(a)!).map((i) => this.rows[i]!);
    const direct = farkasBySolve(support);
    if (direct) return this.conflictOf('farkas', direct);
    const ex = this.exactLp(support);
    if (ex.status === 'infeasible') return this.conflictOf(ex.kind, ex.multipliers);
    const all = this.exactLp(fallbackRows().map((i) => this.rows[i]!));
    if (all.status === 'infeasible') return this.conflictOf(all.kind, all.multipliers);
    return undefined;
  }

  /** The exact LP of the given rows: a point, or multipliers. */
  exactDecide(rowIdx: readonly number[]): ReturnType<typeof decideRows> {
    return this.exactLp(rowIdx.map((i) => this.rows[i]!));
  }

  conflictOfMultipliers(kind: 'farkas' | 'motzkin', m: Map<string, Q>): ExactConflict {
    return this.conflictOf(kind, m);
  }

  private exactLp(rows: LinRow[]): ReturnType<typeof decideRows> {
    this.exactLps++;
    const s = { pivots: 0 };
    const r = decideRows(rows, s);
    this.exactPivots += s.pivots;
    return r;
  }

  private conflictOf(kind: 'farkas' | 'motzkin', multipliers: Map<string, Q>): ExactConflict {
    const lits = new Set<number>();
    for (const name of multipliers.keys()) {
      const l = this.literalOfRow(name);
      if (l !== undefined) lits.add(l);
    }
    return { kind, multipliers, literals: [...lits] };
  }

  debugConflict(bounds: readonly BoundRef[]): void {
    const big = bounds.filter((b) => b.weight > 1e-9 && b.reason >= 0).map((b) => this.rows[b.reason]!);
    const r1 = decideRows(big);
    console.error('row residual', this.simplex.rowResidual());
    console.error('non-tiny rows:', big.length, r1.status, 'farkas:', farkasBySolve(big) ? 'yes' : 'no');
    if (r1.status === 'feasible') for (const [v, x] of r1.point) if (!x.isZero()) console.error('  ', v, x.toString(), this.valueOf(v));
    for (const b of bounds) {
      const r = b.reason >= 0 ? this.rows[b.reason]! : undefined;
      console.error(b.weight.toExponential(3), r ? `${r.name}: ${[...r.coefs].map(([v, c]) => `${c}*${v}`).join(' + ')} ${r.sense} ${r.rhs}` : 'NO BOUND');
    }
  }

  /** The float value of a structural variable at the current simplex point (0 when unknown). */
  valueOf(name: string): number {
    const s = this.structIndex.get(name);
    return s === undefined ? 0 : this.simplex.value[s]!;
  }

  /** The current simplex point over the structural variables. */
  point(): Map<string, number> {
    const out = new Map<string, number>();
    this.structNames.forEach((name, s) => out.set(name, this.simplex.value[s]!));
    return out;
  }
}

/** A rational as a float, refusing values the float guide cannot hold. */
function toFloat(x: Q): number {
  if (x.isZero()) return 0;
  const f = x.toNumber();
  if (!Number.isFinite(f) || Math.abs(f) < 1e-150 || Math.abs(f) > 1e150) throw new FloatRange(`magnitude out of the float guide's range: ${x}`);
  return f;
}
