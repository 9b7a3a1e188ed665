/**
 * The convex engine's search (docs/engines.md, "The convex case"; the
 * algorithm of Froese & Hertrich's FPT result as reconstructed there):
 *
 *   at a node, take a point theta of F = {g_S(x_i) + c <= y_i for all S, i}
 *   that satisfies the rows of the path; if it fits every point, it is a
 *   witness; otherwise branch on the activation pattern of a point i it does
 *   not fit (k nested ACT / INACT splits), which fixes g_S(x_i) + c = y_i
 *   for the pattern S of each child, an equation theta violates: the affine
 *   hull of the path's equations loses a dimension in every child, so a path
 *   fixes at most dim(theta) + 1 points.
 *
 * The rows of F are added lazily: the float dual simplex (dual-simplex.ts)
 * asks `separate` for the most violated envelope rows at its point, and a
 * child starts from its parent's basis and rows. Floats guide, exact
 * arithmetic decides: a float infeasibility is certified by Farkas'
 * equations solved exactly on its support (farkasBySolve), else by the
 * exact simplex on it; a float point that fits every point is rounded and
 * checked exactly (acceptWitness); anything else (a support that is
 * feasible exactly, a point that fits only within the float tolerance, a
 * path deeper than the dimension allows, an instance whose numbers floats
 * cannot guide: floatsCanGuide) goes to `exactNode`, a cutting-plane
 * loop with the exact simplex, whose point is exactly in F and whose
 * unfitted point is branched on. Leaves name rows of docs/certificates.md
 * 4.3 only (model.ts, expandInto); symmetry leaves (lemma L5) cut the
 * relabellings of twin units where the branched points are a prefix
 * 0..p-1 of the data, which the search branches on first while twins remain.
 */
import { Q, approximate } from '../../core/rational.js';
import type { LinRow } from '../../encode/rows.js';
import type { Literal } from '../../encode/system.js';
import { decideRows } from '../lp/exact-lp.js';
import { farkasBySolve } from '../lp/farkas-solve.js';
import { floatsCanGuide } from '../../core/float-range.js';
import { type Sub, joinSplit, symmetryCut } from '../tree-search.js';
import type { SearchClock } from '../result.js';
import { Found, acceptWitness, networkFromPoint } from '../witness.js';
import { DualSimplex, type RowSource } from './dual-simplex.js';
import { envelopeViolators } from './violators.js';
import { type ConvexModel, type FloatRow, type RowKey, boundKeys, exactRow, expandInto, floatRow, rowName, weightIndex } from './model.js';

/** Search order knobs, for experiments and tests; the defaults are the engine's. */
export interface ConvexStrategy {
  /** branch on points 0, 1, ... first while twin units are not yet told apart there, so that symmetry leaves apply (default true) */
  symmetryPrefix?: boolean;
  /** envelope rows added per separation round at most (default 8) */
  cutsPerRound?: number;
  /** at every node, climb sum_i f(x_i) over the node's rows by successive linearisation before choosing a point (default true) */
  localSearch?: boolean;
  /** strong branching over this many candidate points (default 6; 1: the largest gap alone) */
  probe?: number;
  /** branch first on points above the convex envelope of their neighbours, whose splits close a node at once (default true) */
  violatorsFirst?: boolean;
}

/** Every row the search has met, once, by name: its key, its float form, and its exact form on demand. */
class RowTable {
  private readonly index = new Map<string, number>();
  readonly keys: RowKey[] = [];
  private readonly floats: FloatRow[] = [];
  private readonly exacts: (LinRow | undefined)[] = [];
  constructor(private readonly m: ConvexModel) {}
  id(key: RowKey): number {
    const name = rowName(key);
    let id = this.index.get(name);
    if (id === undefined) {
      id = this.keys.length;
      this.index.set(name, id);
      this.keys.push(key);
      this.floats.push(floatRow(this.m, key));
      this.exacts.push(undefined);
    }
    return id;
  }
  float(id: number): FloatRow {
    return this.floats[id]!;
  }
  exact(id: number): LinRow {
    return (this.exacts[id] ??= exactRow(this.m, this.keys[id]!));
  }
  byName(name: string): RowKey {
    const id = this.index.get(name);
    if (id === undefined) throw new Error(`convex search: an LP named an unknown row ${name} (bug)`);
    return this.keys[id]!;
  }
}

/** Box |theta_v| <= BOX of the float guide (it keeps every basis dual feasible; it never reaches a certificate). */
const BOX = 1e7;
/** A point counts as unfitted in floats when y_i - f(x_i) exceeds this, relative to 1 + |y_i|. */
const FIT_TOL = 1e-7;

/** A point to branch on and the pattern of theta there (the first child tried). */
interface Choice {
  point: number;
  mask: number;
}

/**
 * One search over one instance's model (model.ts): `run` returns the proof
 * tree of the single normalisation case, or throws Found (a witness checked
 * by acceptWitness) or Timeout (the clock's deadline, node budget or
 * cancellation). Statistics go to the clock's stats.
 */
export class ConvexSearch {
  private readonly table: RowTable;
  /** per point: the pattern the path fixes there, or -1 */
  private readonly maskOf: Int32Array;
  private readonly path: Literal[] = [];
  private readonly objective: Float64Array;
  /** per point: the largest coefficient magnitude of its envelope rows, for scaled violations */
  private readonly scale: Float64Array;
  private readonly twins: number[];
  private readonly symmetryPrefix: boolean;
  private readonly cutsPerRound: number;
  private readonly localSearch: boolean;
  private readonly probe: number;
  /** the instance's numbers fit the float guide's tolerances (floatsCanGuide); otherwise every node is decided exactly */
  private readonly useFloats: boolean;
  private readonly violatorsFirst: boolean;
  /** points above the envelope of their neighbours (violators.ts), branched on first */
  private violators: number[] = [];

  constructor(
    private readonly m: ConvexModel,
    private readonly clock: SearchClock,
    strategy: ConvexStrategy = {},
  ) {
    this.table = new RowTable(m);
    this.maskOf = new Int32Array(m.n).fill(-1);
    this.symmetryPrefix = strategy.symmetryPrefix ?? true;
    this.cutsPerRound = strategy.cutsPerRound ?? 8;
    this.localSearch = strategy.localSearch ?? true;
    this.probe = strategy.probe ?? 6;
    this.useFloats = floatsCanGuide(m.inst);
    this.violatorsFirst = strategy.violatorsFirst ?? true;
    this.twins = [];
    for (let j = 0; j + 1 < m.k; j++) if (m.a[j]!.eq(m.a[j + 1]!)) this.twins.push(j);
    let amax = 0;
    for (const v of m.af) amax = Math.max(amax, v);
    this.scale = Float64Array.from(m.xf, (x) => Math.max(1, amax * Math.max(1, ...Array.from(x, Math.abs))));
    this.objective = this.allActiveObjective();
  }

  /**
   * The guide's objective: the sum over points of g_[k](x_i) + c, bounded on F
   * by the sum of the labels; it only steers which point of F is proposed.
   */
  private allActiveObjective(): Float64Array {
    const { m } = this;
    const c = new Float64Array(m.D);
    for (const x of m.xf)
      for (let j = 0; j < m.k; j++) {
        for (let t = 0; t < m.d; t++) c[weightIndex(m, j, t)] = c[weightIndex(m, j, t)]! + m.af[j]! * x[t]!;
        c[weightIndex(m, j, m.d)] = c[weightIndex(m, j, m.d)]! + m.af[j]!;
      }
    if (m.bias) c[m.D - 1] = m.n;
    let mx = 0;
    for (const v of c) mx = Math.max(mx, Math.abs(v));
    if (mx > 0) for (let v = 0; v < c.length; v++) c[v] = c[v]! / mx;
    return c;
  }

  /** The proof tree of the case, or Found (a witness) / Timeout thrown. */
  run(): Sub {
    if (this.useFloats && this.violatorsFirst) this.violators = envelopeViolators(this.m, this.clock.deadline);
    const ids = boundKeys(this.m).map((key) => this.table.id(key));
    return this.explore(ids, new DualSimplex(this.m.D, this.objective, BOX), 0);
  }

  /** One node: the path's points are fixed (maskOf), `ids` are its rows, `lp` its warm start. */
  private explore(ids: number[], lp: DualSimplex, depth: number): Sub {
    this.clock.node(depth);
    const guided = this.useFloats ? this.floatStep(ids, lp, depth) : undefined;
    if (guided) return guided;
    const ex = this.exactNode(ids);
    return 'node' in ex ? ex : this.branch(ex, ids, lp, depth);
  }

  /** The node as the float guide sees it: a leaf (certified exactly) or a branch; undefined when the exact loop must decide. */
  private floatStep(ids: number[], lp: DualSimplex, depth: number): Sub | undefined {
    const stats = this.clock.stats;
    stats.lps++;
    const before = lp.pivots;
    const out = lp.solve(this.source(ids), this.clock.deadline);
    stats.pivots += lp.pivots - before;
    if (out.status === 'infeasible') return this.certify(out.weight);
    if (out.status !== 'optimal' || depth > 2 * (this.m.D + 1)) return undefined;
    let theta = out.theta;
    if (this.localSearch) [theta, lp] = this.ascend(ids, lp, theta);
    const choice = this.choose(theta, ids, lp);
    return choice ? this.branch(choice, ids, lp, depth) : undefined;
  }

  /** sum_i f(x_i) at a float theta (the convex function whose maximum on F, if it is sum_i y_i, is a fit). */
  private phi(theta: Float64Array): number {
    let s = 0;
    for (let i = 0; i < this.m.n; i++) s += this.evalFloat(theta, i).f;
    return s;
  }

  /**
   * Successive linearisation of phi over the node's rows (a local search
   * for a fit): maximise the gradient of phi at theta, the sum of
   * grad g_S(x_i) over the patterns S of theta, from a fresh basis; repeat
   * while phi grows. Returns the last point and its basis (a warm start for
   * the children, dual feasible for its objective).
   */
  private ascend(ids: number[], lp: DualSimplex, theta: Float64Array): [Float64Array, DualSimplex] {
    const { m } = this;
    let phi = this.phi(theta);
    for (let round = 0; round < 20; round++) {
      const c = new Float64Array(m.D);
      for (let i = 0; i < m.n; i++) {
        const x = m.xf[i]!;
        const { mask } = this.evalFloat(theta, i);
        for (let j = 0; j < m.k; j++) {
          const f = (mask >> j) & 1 ? m.af[j]! : m.af[j]! * m.slopeF;
          for (let t = 0; t < m.d; t++) c[weightIndex(m, j, t)] = c[weightIndex(m, j, t)]! + f * x[t]!;
          c[weightIndex(m, j, m.d)] = c[weightIndex(m, j, m.d)]! + f;
        }
      }
      if (m.bias) c[m.D - 1] = m.n;
      let mx = 0;
      for (const v of c) mx = Math.max(mx, Math.abs(v));
      if (mx > 0) for (let v = 0; v < c.length; v++) c[v] = c[v]! / mx;
      const next = new DualSimplex(m.D, c, BOX);
      const out = next.solve(this.source(ids), this.clock.deadline);
      this.clock.stats.lps++;
      this.clock.stats.pivots += next.pivots;
      if (out.status !== 'optimal') break;
      const phi2 = this.phi(out.theta);
      if (phi2 <= phi + 1e-9 * (1 + Math.abs(phi))) break;
      [theta, lp, phi] = [out.theta, next, phi2];
    }
    return [theta, lp];
  }

  /** The rows of a node for the float guide, with envelope rows separated at unfixed points. */
  private source(ids: number[]): RowSource {
    const held = new Set(ids);
    return {
      ids,
      row: (id) => this.table.float(id),
      separate: (theta) => {
        const fresh: number[] = [];
        for (const { point, mask } of this.mostViolated(theta)) {
          const id = this.table.id({ kind: 'env', point, mask });
          if (held.has(id)) continue;
          held.add(id);
          ids.push(id);
          fresh.push(id);
        }
        return fresh;
      },
    };
  }

  /** f(x_i) at a float theta, and the pattern {j : h_ij > 0} there. */
  private evalFloat(theta: Float64Array, i: number): { f: number; mask: number } {
    const { m } = this;
    const x = m.xf[i]!;
    let f = m.bias ? theta[m.D - 1]! : 0;
    let mask = 0;
    for (let j = 0; j < m.k; j++) {
      const base = weightIndex(m, j, 0);
      let h = theta[base + m.d]!;
      for (let t = 0; t < m.d; t++) h += x[t]! * theta[base + t]!;
      if (h > 0) {
        mask |= 1 << j;
        f += m.af[j]! * h;
      } else f += m.af[j]! * m.slopeF * h;
    }
    return { f, mask };
  }

  /** The envelope rows most violated at theta, one per unfixed point (its pattern), at most cutsPerRound. */
  private mostViolated(theta: Float64Array): Choice[] {
    const best: { point: number; mask: number; v: number }[] = [];
    const { m } = this;
    for (let i = 0; i < m.n; i++) {
      if (this.maskOf[i]! >= 0) continue;
      const { f, mask } = this.evalFloat(theta, i);
      const y = m.yf[i]!;
      const v = (f - y) / this.scale[i]!;
      if (v <= 1e-7 * (1 + Math.abs(y) / this.scale[i]!)) continue;
      if (best.length === this.cutsPerRound && v <= best[best.length - 1]!.v) continue;
      best.push({ point: i, mask, v });
      best.sort((p, q) => q.v - p.v);
      if (best.length > this.cutsPerRound) best.pop();
    }
    this.clock.deadline.tick(m.n * m.k * (m.d + 1));
    return best;
  }

  /** The length p of the prefix 0..p-1 of points the path fixes (0 without the symmetry prefix). */
  private prefixLength(): number {
    if (!this.symmetryPrefix) return 0;
    let p = 0;
    while (p < this.m.n && this.maskOf[p]! >= 0) p++;
    return p;
  }

  /** Some twin pair (j, j+1) has equal patterns on points 0..p-1 (all fixed). */
  private twinsUndistinguished(p: number): boolean {
    return this.twins.some((j) => {
      for (let i = 0; i < p; i++) if (((this.maskOf[i]! >> j) & 1) !== ((this.maskOf[i]! >> (j + 1)) & 1)) return false;
      return true;
    });
  }

  /**
   * The point to branch on at a float point of F: the next point of the
   * symmetry prefix while twins remain undistinguished there (at most D + 1
   * points, so a path fixes at most 2 (D + 1) points), else, among the
   * `probe` unfitted points with the largest scaled gaps y_i - f(x_i), the one
   * with the fewest children the float guide finds feasible (strong
   * branching; ties to the larger gap). Undefined when every point fits
   * within the tolerance; then a rounded witness is tried (thrown as Found).
   */
  private choose(theta: Float64Array, ids: number[], lp: DualSimplex): Choice | undefined {
    const { m } = this;
    const top: (Choice & { gap: number })[] = [];
    const keep = Math.max(1, this.probe);
    for (let i = 0; i < m.n; i++) {
      if (this.maskOf[i]! >= 0) continue;
      const { f, mask } = this.evalFloat(theta, i);
      const y = m.yf[i]!;
      const gap = (y - f) / this.scale[i]!;
      if (gap <= (FIT_TOL * (1 + Math.abs(y))) / this.scale[i]!) continue;
      if (top.length === keep && gap <= top[keep - 1]!.gap) continue;
      top.push({ point: i, mask, gap });
      top.sort((p, q) => q.gap - p.gap);
      if (top.length > keep) top.pop();
    }
    this.clock.deadline.tick(m.n * m.k * (m.d + 1));
    if (top.length === 0) {
      this.tryRounded(theta);
      return undefined;
    }
    const violator = this.violators.find((i) => this.maskOf[i]! < 0);
    if (violator !== undefined) return { point: violator, mask: this.evalFloat(theta, violator).mask };
    const p = this.prefixLength();
    if (this.symmetryPrefix && this.twins.length > 0 && p < Math.min(m.n, m.D + 1) && this.twinsUndistinguished(p))
      return { point: p, mask: this.evalFloat(theta, p).mask };
    if (top.length === 1) return top[0];
    let best = top[0]!;
    let fewest = Infinity;
    for (const cand of top) {
      const open = this.feasibleChildren(cand.point, ids, lp, fewest);
      if (open < fewest) [best, fewest] = [cand, open];
      if (fewest <= 1) break;
    }
    return best;
  }

  /** How many of the 2^k patterns of point i the float guide cannot refute (counting stops at `enough`). */
  private feasibleChildren(i: number, ids: number[], lp: DualSimplex, enough: number): number {
    let open = 0;
    for (let mask = 0; mask < 1 << this.m.k && open < enough; mask++) {
      const rows = this.childRows(i, mask, ids);
      const out = lp.clone().solve(this.source(rows), this.clock.deadline, 500);
      this.clock.stats.lps++;
      if (out.status !== 'infeasible') open++;
    }
    return open;
  }

  /** The float point rounded to nearby rationals (denominators 10^3, 10^6), thrown as Found if it fits exactly. */
  private tryRounded(theta: Float64Array): void {
    const { m } = this;
    for (const den of [1000n, 1_000_000n]) {
      const point = new Map<string, Q>();
      m.vars.forEach((v, idx) => point.set(v, approximate(theta[idx]!, den)));
      this.clock.deadline.tick(m.n * m.k * (m.d + 1) * 4);
      this.acceptPoint(point);
    }
  }

  /** The network of an exact theta, thrown as Found when it fits (acceptWitness). */
  private acceptPoint(point: Map<string, Q>): void {
    const net = networkFromPoint(this.m.inst, this.m.case, point);
    const rep = acceptWitness(this.m.inst, net);
    if (rep) throw new Found(net, rep.loss);
  }

  /**
   * Exact multipliers for a float infeasibility: Farkas' equations on its
   * support (heaviest rows first), else the exact simplex on the support.
   * Undefined when the support is feasible exactly.
   */
  private certify(weight: Map<number, number>): Sub | undefined {
    const support = [...weight.keys()].sort((p, q) => Math.abs(weight.get(q)!) - Math.abs(weight.get(p)!)).map((id) => this.table.exact(id));
    const direct = farkasBySolve(support, this.clock.deadline);
    if (direct) return this.leaf(direct);
    const ex = this.exactLp(support);
    return ex.status === 'infeasible' ? this.leaf(ex.multipliers) : undefined;
  }

  private exactLp(rows: LinRow[]): ReturnType<typeof decideRows> {
    const stats = this.clock.stats;
    stats.lps++;
    const s = { pivots: 0 };
    try {
      return decideRows(rows, s, this.clock.deadline);
    } finally {
      stats.pivots += s.pivots;
    }
  }

  /** A Farkas leaf from exact multipliers on theta rows, written as rows of docs/certificates.md 4.3. */
  private leaf(multipliers: Map<string, Q>): Sub {
    this.clock.stats.leaves++;
    const out = new Map<string, Q>();
    const uses = new Set<string>();
    for (const [name, lambda] of multipliers) expandInto(this.m, this.table.byName(name), lambda, out, uses);
    const record: Record<string, string> = {};
    for (const [name, v] of out) record[name] = v.toString();
    return { node: { leaf: 'farkas', multipliers: record }, uses };
  }

  /**
   * The node decided exactly: the exact simplex on the node's rows, with the
   * envelope rows its point violates added until none is (a cutting-plane
   * loop; the rows join `ids`, so children inherit them). Returns a leaf, or
   * the unfitted point with the largest gap at the exact point of F (thrown
   * as Found when it fits every point).
   */
  private exactNode(ids: number[]): Sub | Choice {
    const { m } = this;
    for (;;) {
      const ex = this.exactLp(ids.map((id) => this.table.exact(id)));
      if (ex.status === 'infeasible') return this.leaf(ex.multipliers);
      const theta = m.vars.map((v) => ex.point.get(v) ?? Q.ZERO);
      const gaps: { point: number; mask: number; gap: Q }[] = [];
      let added = 0;
      for (let i = 0; i < m.n; i++) {
        if (this.maskOf[i]! >= 0) continue;
        const { f, mask } = this.evalExact(theta, i);
        const gap = m.inst.labels[i]!.sub(f);
        if (gap.sign() < 0 && added < this.cutsPerRound) {
          const id = this.table.id({ kind: 'env', point: i, mask });
          if (!ids.includes(id)) {
            ids.push(id);
            added++;
          }
        } else if (gap.sign() > 0) gaps.push({ point: i, mask, gap });
      }
      if (added > 0) continue;
      if (gaps.length === 0) {
        this.acceptPoint(ex.point);
        throw new Error('convex search: an exact point of F fits every point but is not a witness (bug)');
      }
      return gaps.reduce((p, q) => (q.gap.gt(p.gap) ? q : p));
    }
  }

  /** f(x_i) at an exact theta and the pattern {j : h_ij > 0}. */
  private evalExact(theta: Q[], i: number): { f: Q; mask: number } {
    const { m } = this;
    const x = m.inst.points[i]!;
    let f = m.bias ? theta[m.D - 1]! : Q.ZERO;
    let mask = 0;
    for (let j = 0; j < m.k; j++) {
      const base = weightIndex(m, j, 0);
      let h = theta[base + m.d]!;
      for (let t = 0; t < m.d; t++) h = h.add(x[t]!.mul(theta[base + t]!));
      this.clock.deadline.tick(m.d + 1);
      if (h.sign() > 0) {
        mask |= 1 << j;
        f = f.add(m.a[j]!.mul(h));
      } else f = f.add(m.a[j]!.mul(m.slope).mul(h));
    }
    return { f, mask };
  }

  /** Splits on the pattern of `choice.point`, unit by unit (k nested splits), children in the order the pattern suggests. */
  private branch(choice: Choice, ids: number[], lp: DualSimplex, depth: number): Sub {
    return this.branchUnit(choice.point, 0, 0, choice.mask, ids, lp, depth);
  }

  private branchUnit(i: number, j: number, mask: number, pref: number, ids: number[], lp: DualSimplex, depth: number): Sub {
    const { m } = this;
    if (j === m.k) return this.fixPoint(i, mask, ids, lp, depth);
    const first = ((pref >> j) & 1) === 1;
    const child = (active: boolean): Sub => {
      this.path.push({ unit: j, point: i, active });
      try {
        return symmetryCut(m.k, m.n, m.case, this.path) ?? this.branchUnit(i, j + 1, active ? mask | (1 << j) : mask, pref, ids, lp, depth);
      } finally {
        this.path.pop();
      }
    };
    const one = child(first);
    if (!one.uses.has(`${j}:${i}`)) return one; // conflict lifting: valid without the split
    const two = child(!first);
    return joinSplit({ j, i, activeFirst: first }, one, two);
  }

  /** The rows of the child that fixes pattern `mask` at point i: the node's rows, without the point's envelope rows (its sign rows and tight row imply them), with those. */
  private childRows(i: number, mask: number, ids: number[]): number[] {
    const rows = ids.filter((id) => {
      const key = this.table.keys[id]!;
      return key.kind !== 'env' || key.point !== i;
    });
    for (let j = 0; j < this.m.k; j++) rows.push(this.table.id({ kind: 'sign', point: i, unit: j, active: ((mask >> j) & 1) === 1 }));
    rows.push(this.table.id({ kind: 'tight', point: i, mask }));
    return rows;
  }

  /** The child whose path fixes pattern `mask` at point i. */
  private fixPoint(i: number, mask: number, ids: number[], lp: DualSimplex, depth: number): Sub {
    this.maskOf[i] = mask;
    try {
      return this.explore(this.childRows(i, mask, ids), lp.clone(), depth + 1);
    } finally {
      this.maskOf[i] = -1;
    }
  }
}
