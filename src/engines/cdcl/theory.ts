/**
 * The theory of one normalisation case for the conflict-driven engine: the
 * rows of docs/certificates.md 4.3 (base rows and the two rows of every
 * literal), turned into bounds of a float bounded simplex (simplex.ts), and
 * the exact side: a float conflict becomes exact Farkas / Motzkin
 * multipliers over the named rows it came from, or nothing.
 *
 * Literals as literals.ts encodes them; the rows of literal `lit` sit at
 * row indices litRowIndex(lit) and the one after it.
 *
 * Soundness rests only on what `exactConflict` and `exactDecide` return:
 * multipliers checked exactly over rows that belong to the asserted
 * literals and the base rows, or an exact point. Floats only steer.
 */
import { Q, approximate } from '../../core/rational.js';
import type { Instance } from '../../core/types.js';
import type { LinRow } from '../../encode/rows.js';
import { type Case, baseRows, literalRows } from '../../encode/system.js';
import { decideRows } from '../lp/exact-lp.js';
import { Deadline } from '../../core/deadline.js';
import { farkasBySolve } from '../lp/farkas-solve.js';
import { litOf, litOfRow, pointOf, unitOf } from './literals.js';
import { type BoundRef, BoundedSimplex, type CheckResult } from './simplex.js';

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

/**
 * The theory of one normalisation case (see the file comment): every row of
 * docs/certificates.md 4.3 for the case, built once (base rows, then the
 * two rows of every literal, in literal order), turned into bounds of one
 * float BoundedSimplex. The search asserts rows (assertRow, assertLiteral),
 * checks, backtracks the simplex; a float conflict comes back as bounds,
 * floatCertificate turns them into row multipliers, and certify makes them
 * exact or finds that they do not hold. Soundness rests on certify,
 * exactDecide and conflictOfMultipliers alone: exact multipliers over named
 * rows, and exact points. Throws FloatRange from the constructor when a
 * number of the rows does not fit the float guide.
 */
export class CaseTheory {
  readonly k: number;
  readonly n: number;
  /** base rows, then for each literal lit its two rows at 2*baseCount... see litRowIndex */
  readonly rows: LinRow[] = [];
  readonly baseCount: number;
  private readonly rowBounds: RowBound[][] = [];
  /** per row: the factor between its bounds and its own left-hand side (coefficient of a one-variable row, else the form's sign) */
  private readonly rowScale: number[] = [];
  /** per row, in floats: [structural index, coefficient] and the right-hand side */
  private readonly rowFloat: { coefs: [number, number][]; rhs: number; eq: boolean }[] = [];
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
  /** how conflicts were made exact: Farkas' equations on the support, exact LP on the support, on all rows */
  readonly route = { rounded: 0, direct: 0, support: 0, all: 0, spurious: 0 };

  constructor(
    readonly inst: Instance,
    readonly c: Case,
    interrupted: () => boolean,
    /** the search's time limit, for the exact LPs, the Farkas solve and the rows (src/core/deadline.ts) */
    private readonly deadline: Deadline = Deadline.NONE,
  ) {
    this.k = inst.architecture.hidden;
    this.n = inst.points.length;
    const base = baseRows(inst, c, deadline);
    this.rows.push(...base);
    this.baseCount = base.length;
    for (let v = 0; v < this.k * this.n; v++) {
      deadline.tick(4 * (inst.points[0]!.length + 2));
      const j = unitOf(v, this.n);
      const i = pointOf(v, this.n);
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
      deadline.tick(r.coefs.size);
      this.rowFloat.push({ coefs: [...r.coefs].map(([v, c]) => [this.structIndex.get(v)!, toFloat(c)]), rhs: toFloat(r.rhs), eq: r.sense === '=' });
    }
    for (const r of this.rows) {
      deadline.tick(4 * r.coefs.size);
      if (r.coefs.size === 1) {
        const [name, coef] = [...r.coefs][0]!;
        // coef * x (sense) rhs
        pending.push({ formKey: undefined, v: this.structIndex.get(name)!, sign: coef.sign(), rhs: r.rhs.div(coef.abs()), sense: r.sense });
        this.rowScale.push(toFloat(coef));
        continue;
      }
      const entries = [...r.coefs].sort((a, b) => (a[0] < b[0] ? -1 : 1));
      // a row with no coefficients (0 SENSE rhs: f = 0 when every output weight is 0 and there is no output bias) bounds the
      // empty form, whose slack is the constant 0: the simplex reports the row as a conflict on its own when it fails
      const sign = entries.length === 0 ? 1 : entries[0]![1].sign();
      const key = entries.map(([v, c]) => `${v}*${sign > 0 ? c : c.neg()}`).join('+');
      let f = formIndex.get(key);
      if (f === undefined) {
        f = forms.length;
        formIndex.set(key, f);
        forms.push(entries.map(([v, c]) => [this.structIndex.get(v)!, toFloat(sign > 0 ? c : c.neg())]));
      }
      pending.push({ formKey: key, v: nStruct + f, sign, rhs: r.rhs, sense: r.sense });
      this.rowScale.push(sign);
    }
    for (const p of pending) {
      // sign * (form) (sense) rhs, that is form <= rhs (sign > 0) or form >= -rhs (sign < 0)
      const val = toFloat(p.sign > 0 ? p.rhs : p.rhs.neg());
      const bounds: RowBound[] = [];
      if (p.sense === '=') bounds.push({ v: p.v, side: 'lower', val }, { v: p.v, side: 'upper', val });
      else bounds.push({ v: p.v, side: p.sign > 0 ? 'upper' : 'lower', val });
      this.rowBounds.push(bounds);
    }
    deadline.check(); // the tableau below is dense: (forms) x (variables) doubles
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

  /** The literal of a literal row index (the inverse of litRowIndex); only for indices >= baseCount. */
  private rowLiteral(r: number): number {
    return (r - this.baseCount) >> 1;
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

  /**
   * Theory propagation: for an unassigned activation variable v whose
   * pre-activation h is basic, the range the current bounds imply for h can
   * rule out one literal (ReLU: h > 0 rules out INACT, h < 0 rules out ACT;
   * threshold: h > 0 rules out INACT, h < 1 rules out ACT). Returns the
   * literal that must hold and the bounds of its float certificate (the
   * opposite literal's sign row contradicting the implied range).
   */
  implied(v: number): { lit: number; bounds: BoundRef[] } | undefined {
    const pre = this.preVar[v]!;
    const range = this.simplex.impliedRange(pre);
    const relu = this.inst.architecture.activation !== 'threshold'; // ReLU or leaky ReLU
    const actAt = relu ? 0 : 1; // ACT's sign row: h >= actAt
    const eps = 1e-7;
    const inactRow = this.litRowIndex(litOf(v, false));
    const actRow = this.litRowIndex(litOf(v, true));
    // (NaN, a side not implied, compares false)
    if (range.lower > eps) {
      // h >= lower > 0 contradicts INACT's h <= 0
      return { lit: litOf(v, true), bounds: [...this.simplex.impliedBounds(pre, true), { reason: inactRow, side: 'upper', weight: 1 }] };
    }
    if (range.upper < actAt - eps) {
      // h <= upper < actAt contradicts ACT's h >= actAt
      return { lit: litOf(v, false), bounds: [...this.simplex.impliedBounds(pre, false), { reason: actRow, side: 'lower', weight: 1 }] };
    }
    return undefined;
  }

  /**
   * The float Farkas multipliers of a conflict: each bound (x <= u, or
   * x >= l) of a row with weight w gives the row (in its own orientation,
   * sum c x SENSE rhs) the multiplier +w / scale (upper) or -w / scale
   * (lower). `ok` when, in floats, the combination of left-hand sides
   * vanishes and that of right-hand sides is negative (or zero with a
   * strict row): a conflict worth learning. `literals`: the literals whose
   * rows carry a multiplier of at least 1e-9 of the largest; `lambda` keeps
   * the base rows and those literals' rows only, so that exact multipliers
   * found on its support (certify) never use a literal the clause lacks.
   */
  floatCertificate(bounds: readonly BoundRef[]): { ok: boolean; lambda: Map<number, number>; literals: number[] } {
    const lambda = new Map<number, number>();
    for (const b of bounds) {
      if (b.reason < 0) continue;
      const l = ((b.side === 'upper' ? 1 : -1) * b.weight) / this.rowScale[b.reason]!;
      lambda.set(b.reason, (lambda.get(b.reason) ?? 0) + l);
    }
    let scale = 0;
    for (const l of lambda.values()) scale = Math.max(scale, Math.abs(l));
    const lits = new Set<number>();
    let ok = scale > 0 && bounds.every((b) => b.reason >= 0 || b.weight < 1e-9);
    const comb = new Map<number, number>();
    let rhs = 0;
    let mag = 0;
    for (const [r, l] of lambda) {
      const row = this.rowFloat[r]!;
      if (!row.eq && l < -1e-9 * scale) ok = false;
      for (const [v, c] of row.coefs) {
        comb.set(v, (comb.get(v) ?? 0) + l * c);
        mag = Math.max(mag, Math.abs(l * c));
      }
      rhs += l * row.rhs;
      mag = Math.max(mag, Math.abs(l * row.rhs));
      if (Math.abs(l) > 1e-9 * scale && r >= this.baseCount) lits.add(this.rowLiteral(r));
    }
    for (const x of comb.values()) if (Math.abs(x) > 1e-7 * Math.max(1, mag)) ok = false;
    if (rhs > 1e-7 * Math.max(1, mag)) ok = false;
    // the support handed to certify: base rows, and the rows of the literals kept above. A literal row
    // whose multiplier is negligible here must not come back in the exact multipliers (certify works on
    // every row of lambda): the clause learned from this conflict does not hold its literal, and a
    // leaf using that row would prove a larger cube than the clause claims (fuzz 20261130 #3629)
    for (const r of lambda.keys()) if (r >= this.baseCount && !lits.has(this.rowLiteral(r))) lambda.delete(r);
    return { ok, lambda, literals: [...lits] };
  }

  /**
   * Exact multipliers over the rows of a float certificate: its multipliers
   * rounded to nearby rationals and verified exactly; else Farkas' equations
   * solved exactly on those rows (heaviest first); else the exact simplex
   * on them. Undefined when those rows are feasible after all.
   */
  certify(lambda: ReadonlyMap<number, number>): ExactConflict | undefined {
    const rows = [...lambda.keys()].sort((a, b) => Math.abs(lambda.get(b)!) - Math.abs(lambda.get(a)!));
    for (const den of [1000n, 1_000_000n]) {
      const m = new Map<string, Q>();
      for (const r of rows) {
        const q = approximate(lambda.get(r)!, den);
        if (!q.isZero()) m.set(this.rows[r]!.name, q);
      }
      const kind = this.verify(m);
      if (kind) {
        this.route.rounded++;
        return this.conflictOf(kind, m);
      }
    }
    const support = rows.map((r) => this.rows[r]!);
    const direct = farkasBySolve(support, this.deadline);
    if (direct) {
      this.route.direct++;
      return this.conflictOf('farkas', direct);
    }
    const ex = this.exactLp(support);
    if (ex.status === 'infeasible') {
      this.route.support++;
      return this.conflictOf(ex.kind, ex.multipliers);
    }
    this.route.spurious++;
    return undefined;
  }

  /** Exact check of multipliers over named rows: 'farkas', 'motzkin', or undefined when they prove nothing. */
  private verify(m: ReadonlyMap<string, Q>): 'farkas' | 'motzkin' | undefined {
    const comb = new Map<string, Q>();
    let rhs = Q.ZERO;
    let strict = Q.ZERO;
    for (const [name, l] of m) {
      const row = this.rows[this.rowIndex.get(name)!]!;
      if (row.sense !== '=' && l.sign() < 0) return undefined;
      for (const [v, c] of row.coefs) comb.set(v, (comb.get(v) ?? Q.ZERO).add(l.mul(c)));
      rhs = rhs.add(l.mul(row.rhs));
      if (row.sense === '<') strict = strict.add(l);
    }
    for (const x of comb.values()) if (!x.isZero()) return undefined;
    if (rhs.sign() < 0) return 'farkas';
    if (rhs.sign() === 0 && strict.sign() > 0) return 'motzkin';
    return undefined;
  }

  /** The literal of a row name, or undefined for a base row. */
  literalOfRow(name: string): number | undefined {
    return litOfRow(name, this.n);
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
    try {
      return decideRows(rows, s, this.deadline);
    } finally {
      this.exactPivots += s.pivots;
    }
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
