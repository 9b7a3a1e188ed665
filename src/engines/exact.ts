/**
 * The `exact` engine (docs/engines.md, "The exact engine"): branch and bound over activation literals,
 * guided by a floating-point LP, with every verdict decided exactly.
 *
 * At each node (a normalisation case plus the literals on the path):
 *  1. the float LP proposes feasible / infeasible: warm-started from the
 *     parent's tableau (lp/float-tableau.ts: two rows more than the parent),
 *     or solved from scratch with a presolve (lp/float-lp.ts) when that fails;
 *  2. infeasible: Farkas' equations on the rows of the float support are
 *     solved exactly (lp/farkas-solve.ts); if that gives no valid certificate,
 *     the exact simplex runs on the support rows, and if those turn out
 *     feasible, on the full system;
 *  3. feasible: the float point becomes a candidate network (weights rounded
 *     to nearby rationals) that is tested exactly; if it fits, the search
 *     ends with that witness; otherwise branch on the literal whose relaxed
 *     value is furthest from the true activation at the LP point;
 *  4. with every literal fixed, the exact simplex decides.
 * Conflict lifting: when a child's subtree uses no row of the literal just
 * added, the subtree is valid without it, so it replaces the split and the
 * other child is never explored; leaves thereby sit as high as their
 * multipliers allow.
 *
 * Soundness rests only on exact objects: leaf multipliers from decideRows
 * over rows that are a subset of the node's rows, and witnesses accepted by
 * acceptWitness. The float LP can only make the search slower, never wrong.
 *
 * Floats guide only where they can: an instance with a number beyond
 * FLOAT_RANGE (floatsCanGuide, src/core/float-range.ts: the one rule of
 * every engine) is searched without any float LP, the exact
 * LP deciding every node; a float LP that meets a number it cannot
 * represent answers 'unsure' and the node is decided exactly too.
 * Time limit: the SearchClock's Deadline is passed to every LP and ticked
 * inside them (result.ts), so the search stops within a fraction of a second
 * of it whatever the instance's size.
 */
import { floatsCanGuide } from '../core/float-range.js';
import { Q, approximate } from '../core/rational.js';
import { type Instance, reluSlope } from '../core/types.js';
import type { LinRow } from '../encode/rows.js';
import { type Case, type Literal, baseRows, literalRows, normalisationCases, unitVar } from '../encode/system.js';
import { l2Solve } from './l2.js';
import { gapAt } from './literal-gap.js';
import { decideRows } from './lp/exact-lp.js';
import { farkasBySolve } from './lp/farkas-solve.js';
import { type FloatLpResult, floatDecide } from './lp/float-lp.js';
import { FloatTableau } from './lp/float-tableau.js';
import { type Deadline, type SearchStats, type SolveOptions, type SolveResult, SearchClock } from './result.js';
import { type Branch, type Sub, joinSplit, leafOf, proofOf, settle, symmetryCut } from './tree-search.js';
import { Found, acceptWitness, networkFromPoint } from './witness.js';

/** Rational point from a float point: small denominators first; undefined if a coordinate is not finite. */
function rationalPoint(p: Map<string, number>, maxDen: bigint, deadline: Deadline): Map<string, Q> | undefined {
  const out = new Map<string, Q>();
  for (const [v, x] of p) {
    if (!Number.isFinite(x)) return undefined;
    deadline.tick(64);
    out.set(v, approximate(x, maxDen));
  }
  return out;
}

/** A literal to branch on: its ranking score and the side the point suggests. */
type Judgement = { score: number; active: boolean };

/** What one node of the search comes to: a leaf, or the literal to branch on. */
type Step = { leaf: Sub } | { branch: Branch };

/** Search order knobs (for the second search of a portfolio, portfolio.ts); the default is the engine's own order. */
export interface Strategy {
  /** explore first the child that the LP point does NOT suggest */
  inactiveFirst?: boolean;
  /** take the normalisation cases in reverse order */
  reverseCases?: boolean;
}

/** A subproblem: a normalisation case and the literals fixed above it. */
export interface Task {
  caseIndex: number;
  prefix: Literal[];
}

/**
 * The exact engine's search over one instance (see the file comment), shared
 * by the sequential engine and by cubes (solve-under.ts): `run` searches
 * tasks (a case below a prefix of literals) interleaved, one node each in
 * turn, and returns one subtree per task. A witness ends the search as a
 * thrown Found, the deadline as a thrown Timeout.
 */
export class ExactSearch {
  /** nodes, leaves, LPs and pivots so far, and the deadline */
  readonly clock: SearchClock;
  readonly stats: SearchStats;
  /** the normalisation cases; a Task names one by its index here */
  readonly cases: Case[];
  private readonly k: number;
  private readonly n: number;
  private readonly deadline: Deadline;
  /** false when some number of the instance is beyond FLOAT_RANGE: every node is then decided by the exact LP */
  private readonly useFloats: boolean;
  /** the points in floats, for judging literals at a float point (a guide only) */
  private readonly xf: number[][];
  /** the leaky ReLU's slope (0 for ReLU), exact and as a float guide */
  private readonly slope: Q;
  private readonly slopeF: number;
  /** the base rows of each case, built on first use inside the search, so that a large instance's rows count against the deadline */
  private readonly bases: LinRow[][] = [];

  constructor(
    private readonly inst: Instance,
    opts: SolveOptions,
    private readonly strategy: Strategy = {},
  ) {
    this.clock = new SearchClock(opts);
    this.stats = this.clock.stats;
    this.k = inst.architecture.hidden;
    this.n = inst.points.length;
    this.deadline = this.clock.deadline;
    this.useFloats = floatsCanGuide(inst);
    this.xf = inst.points.map((x) => x.map((v) => v.toNumber()));
    this.slope = reluSlope(inst.architecture) ?? Q.ZERO;
    this.slopeF = this.slope.toNumber(); // a guide only
    this.cases = normalisationCases(inst);
  }

  /** Searches the tasks interleaved, one node each in turn; a witness is thrown as Found, the deadline as Timeout. */
  run(tasks: Task[]): Sub[] {
    const it = this.interleave(tasks);
    for (let r = it.next(); ; r = it.next()) if (r.done) return r.value;
  }

  /** One node of each unfinished task in turn (tasks in the strategy's order); returns every task's subtree. */
  private *interleave(tasks: Task[]): Generator<void, Sub[], void> {
    const order = tasks.map((_, idx) => idx);
    if (this.strategy.reverseCases) order.reverse();
    const searches = tasks.map((t) => this.explore(this.cases[t.caseIndex]!, this.baseOf(t.caseIndex), t.prefix, this.tableauAbove(t)));
    const done: (Sub | undefined)[] = tasks.map(() => undefined);
    let open = tasks.length;
    while (open > 0)
      for (const idx of order) {
        if (done[idx]) continue;
        const step = searches[idx]!.next();
        if (step.done) {
          done[idx] = step.value;
          open--;
        } else yield;
      }
    return done as Sub[];
  }

  /** A task below a prefix starts warm too: from the tableau of the prefix without its last literal. */
  private tableauAbove(t: Task): FloatTableau | undefined {
    if (t.prefix.length === 0) return undefined;
    const c = this.cases[t.caseIndex]!;
    return FloatTableau.root([...this.baseOf(t.caseIndex), ...t.prefix.slice(0, -1).flatMap((l) => literalRows(this.inst, c, l))]);
  }

  private baseOf(idx: number): LinRow[] {
    return (this.bases[idx] ??= baseRows(this.inst, this.cases[idx]!, this.deadline));
  }

  /** Depth-first search below a path; yields once per node so searches can be interleaved. */
  private *explore(c: Case, base: LinRow[], path: Literal[], parent?: FloatTableau): Generator<void, Sub, void> {
    yield;
    const fixed = new Set(path.map((l) => `${l.unit}:${l.point}`));
    const step = this.evaluateNode(c, base, path, fixed, parent);
    if ('leaf' in step) return step.leaf;
    const lit = step.branch;
    const key = `${lit.j}:${lit.i}`;
    const first = yield* this.explore(c, base, [...path, { unit: lit.j, point: lit.i, active: lit.activeFirst }], step.tableau);
    if (!first.uses.has(key)) return first;
    const second = yield* this.explore(c, base, [...path, { unit: lit.j, point: lit.i, active: !lit.activeFirst }], step.tableau);
    return joinSplit(lit, first, second);
  }

  /** One node: a leaf (symmetry, Farkas or Motzkin), a witness (thrown as Found), or the literal to branch on. */
  private evaluateNode(c: Case, base: LinRow[], path: Literal[], fixed: Set<string>, parent?: FloatTableau): Step & { tableau?: FloatTableau } {
    const { inst, k, n, deadline, stats } = this;
    this.clock.node(path.length);
    const cut = symmetryCut(k, n, c, path);
    if (cut) {
      stats.leaves++;
      return { leaf: cut };
    }
    const rows = [...base, ...path.flatMap((l) => literalRows(inst, c, l))];
    // warm start from the parent's tableau (its rows plus this literal's two); from scratch when that is not possible
    const last = path[path.length - 1];
    const tableau = !this.useFloats
      ? undefined
      : parent && last
        ? parent.child(literalRows(inst, c, last), deadline)
        : path.length === 0
          ? FloatTableau.root(rows, deadline)
          : undefined;
    let fl: FloatLpResult = tableau?.result() ?? { status: 'unsure' as const };
    if (fl.status === 'unsure' && this.useFloats) fl = floatDecide(rows, deadline);
    let judge: ((j: number, i: number) => Judgement) | undefined;
    if (fl.status === 'infeasible') {
      const support = rows.filter((r) => fl.support.has(r.name));
      // the rows carrying a float multiplier, heaviest first: the unknowns of the exact solve
      const weighted = rows.filter((r) => fl.weight.has(r.name)).sort((a, b) => Math.abs(fl.weight.get(b.name)!) - Math.abs(fl.weight.get(a.name)!));
      const direct = farkasBySolve(weighted, deadline);
      if (direct) {
        stats.leaves++;
        return { leaf: leafOf('farkas', direct) };
      }
      const ex = this.exactLp(support);
      if (ex.status === 'infeasible') {
        stats.leaves++;
        return { leaf: leafOf(ex.kind, ex.multipliers) };
      }
    } else if (fl.status === 'feasible') {
      this.tryCandidate(c, fl.point);
      judge = this.judgeFloat(unitVar(inst, c), fl.point);
    }
    if (judge === undefined || fixed.size === k * n) {
      const ex = this.exactLp(rows);
      if (ex.status === 'infeasible') {
        stats.leaves++;
        return { leaf: leafOf(ex.kind, ex.multipliers) };
      }
      deadline.tick(n * k * (this.xf[0]!.length + 1));
      const net = networkFromPoint(inst, c, ex.point);
      const rep = acceptWitness(inst, net);
      if (rep) throw new Found(net, rep.loss);
      judge = this.judgeExact(unitVar(inst, c), ex.point);
    }
    const lit = this.chooseLiteral(judge, fixed);
    if (!lit) throw new Error('exact engine: every literal fixed and the LP feasible, but no witness (bug)');
    return { branch: lit, ...(tableau && tableau.result().status === 'feasible' ? { tableau } : {}) };
  }

  /**
   * The undetermined literal whose relaxed value is furthest from the
   * activation at the point; undefined only when every literal is fixed
   * (a score that is not a number ranks first).
   */
  private chooseLiteral(judge: (j: number, i: number) => Judgement, fixed: Set<string>): Branch | undefined {
    const { k, n, deadline } = this;
    let best: Branch | undefined;
    let bestScore = -1;
    for (let i = 0; i < n; i++) {
      deadline.tick(k);
      for (let j = 0; j < k; j++) {
        if (fixed.has(`${j}:${i}`)) continue;
        const { score, active } = judge(j, i);
        const s = Number.isNaN(score) ? Infinity : score;
        if (s > bestScore) {
          bestScore = s;
          best = { j, i, activeFirst: active !== (this.strategy.inactiveFirst ?? false) };
        }
      }
    }
    return best;
  }

  /** Literal (j, i) judged at a float point: |z - relu(h)| for ReLU, |z - max(slope h, h)| for leaky ReLU (and threshold analogues). */
  private judgeFloat(kind: 'z' | 's' | 'p', p: ReadonlyMap<string, number>): (j: number, i: number) => Judgement {
    const { xf, slopeF } = this;
    return (j, i) => {
      let h = p.get(`b:${j}`) ?? 0;
      xf[i]!.forEach((xt, t) => (h += xt * (p.get(`w:${j}:${t}`) ?? 0)));
      const { gap, activeAtPoint } = gapAt(kind, h, p.get(`${kind}:${j}:${i}`) ?? 0, p.get(`a:${j}`) ?? 0, slopeF);
      return { score: gap, active: activeAtPoint };
    };
  }

  /** The same judgement at an exact point, computed exactly and only then rounded (no overflow, no NaN). */
  private judgeExact(kind: 'z' | 's' | 'p', p: ReadonlyMap<string, Q>): (j: number, i: number) => Judgement {
    const { inst, slope } = this;
    return (j, i) => {
      const get = (v: string): Q => p.get(v) ?? Q.ZERO;
      let h = get(`b:${j}`);
      inst.points[i]!.forEach((xt, t) => (h = h.add(xt.mul(get(`w:${j}:${t}`)))));
      const u = get(`${kind}:${j}:${i}`);
      const half = Q.of(1, 2);
      let score: Q;
      if (kind === 'z') score = u.sub(Q.max(h.mul(slope), h)).abs();
      else if (kind === 's') score = Q.min(u, Q.ONE.sub(u)).add(u.sub(h.gt(half) ? Q.ONE : Q.ZERO).abs());
      else
        score = u
          .sub(h.gt(half) ? get(`a:${j}`) : Q.ZERO)
          .abs()
          .add(Q.of(1, 1000));
      return { score: score.toNumber(), active: kind === 'z' ? h.sign() >= 0 : h.gt(half) };
    };
  }

  /** A float point read as a network, rounded to small denominators and tested exactly; a fit is thrown as Found. */
  private tryCandidate(c: Case, p: Map<string, number>): void {
    const { inst, n, k, deadline } = this;
    for (const den of [1000n, 1_000_000n]) {
      const point = rationalPoint(p, den, deadline);
      if (!point) return;
      deadline.tick(n * k * (this.xf[0]!.length + 1));
      const net = networkFromPoint(inst, c, point);
      const rep = acceptWitness(inst, net);
      if (rep) throw new Found(net, rep.loss);
    }
  }

  /** The exact LP of the rows (decideRows), counted in the statistics. */
  private exactLp(rows: LinRow[]): ReturnType<typeof decideRows> {
    this.stats.lps++;
    const s = { pivots: 0 };
    try {
      return decideRows(rows, s, this.deadline);
    } finally {
      this.stats.pivots += s.pivots;
    }
  }
}

/** The exact engine, one thread: every case searched, interleaved. */
export function exactSolve(inst: Instance, opts: SolveOptions = {}, strategy: Strategy = {}): SolveResult {
  if (inst.loss.type === 'l2') return l2Solve(inst, opts, 'violated'); // an exact QP per node (l2.ts)
  const search = new ExactSearch(inst, opts, strategy);
  return settle(search.clock, () => {
    const subs = search.run(search.cases.map((_, caseIndex) => ({ caseIndex, prefix: [] })));
    return proofOf(
      inst,
      search.cases,
      subs.map((x) => x.node),
    );
  });
}
