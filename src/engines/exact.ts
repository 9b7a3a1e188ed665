/**
 * The `exact` engine (docs/engines.md, "The exact engine"): branch and bound over activation literals,
 * guided by a floating-point LP, with every verdict decided exactly.
 *
 * At each node (a normalisation case plus the literals on the path):
 *  1. the float LP proposes feasible / infeasible: warm-started from the
 *     parent's tableau (float-tableau.ts: two rows more than the parent),
 *     or solved from scratch with a presolve (float-lp.ts) when that fails;
 *  2. infeasible: Farkas' equations on the rows of the float support are
 *     solved exactly (farkas-solve.ts); if that gives no valid certificate,
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
import { type Instance, type Network, reluSlope } from '../core/types.js';
import type { LinRow } from '../encode/rows.js';
import { type Case, type Literal, baseRows, caseLabel, literalRows, normalisationCases, unitVar } from '../encode/system.js';
import { decideRows } from './exact-lp.js';
import { type FloatLpResult, floatDecide } from './float-lp.js';
import { FloatTableau } from './float-tableau.js';
import { farkasBySolve } from './farkas-solve.js';
import { gapAt } from './literal-gap.js';
import { lemmasUsed } from './reference.js';
import { type Deadline, type Proof, type ProofCase, type ProofNode, type SolveOptions, type SolveResult, SearchClock, Timeout } from './result.js';
import { acceptWitness, networkFromPoint } from './witness.js';
import { l2Solve } from './l2.js';

export class Found extends Error {
  constructor(
    readonly network: Network,
    readonly loss: Q,
  ) {
    super('found');
  }
}

export interface Sub {
  node: ProofNode;
  /** literal keys "j:i" whose rows some leaf below uses */
  uses: Set<string>;
}

const LITERAL_ROW = /^(act|actv|inact|inactv):(\d+):(\d+)$/;

function leafOf(kind: 'farkas' | 'motzkin', mult: Map<string, Q>): Sub {
  const uses = new Set<string>();
  const multipliers: Record<string, string> = {};
  for (const [name, v] of mult) {
    multipliers[name] = v.toString();
    const m = LITERAL_ROW.exec(name);
    if (m) uses.add(`${m[2]}:${m[3]}`);
  }
  return { node: { leaf: kind, multipliers }, uses };
}

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

/** The search machinery over one instance, shared by the sequential and the parallel engine. */
export function makeSearch(inst: Instance, opts: SolveOptions, strategy: Strategy = {}) {
  const clock = new SearchClock(opts);
  const stats = clock.stats;
  const k = inst.architecture.hidden;
  const n = inst.points.length;
  const deadline = clock.deadline;
  const useFloats = floatsCanGuide(inst);
  const xf = inst.points.map((x) => x.map((v) => v.toNumber()));

  const tryCandidate = (c: Case, p: Map<string, number>): void => {
    for (const den of [1000n, 1_000_000n]) {
      const point = rationalPoint(p, den, deadline);
      if (!point) return;
      deadline.tick(n * k * (xf[0]!.length + 1));
      const net = networkFromPoint(inst, c, point);
      const rep = acceptWitness(inst, net);
      if (rep) throw new Found(net, rep.loss);
    }
  };

  const exactLp = (rows: LinRow[]): ReturnType<typeof decideRows> => {
    stats.lps++;
    const s = { pivots: 0 };
    try {
      return decideRows(rows, s, deadline);
    } finally {
      stats.pivots += s.pivots;
    }
  };

  const slope = reluSlope(inst.architecture) ?? Q.ZERO;
  const slopeF = slope.toNumber(); // a guide only
  /** Literal (j, i) judged at a float point: |z - relu(h)| for ReLU, |z - max(slope h, h)| for leaky ReLU (and threshold analogues). */
  const judgeFloat =
    (kind: 'z' | 's' | 'p', p: ReadonlyMap<string, number>) =>
    (j: number, i: number): Judgement => {
      let h = p.get(`b:${j}`) ?? 0;
      xf[i]!.forEach((xt, t) => (h += xt * (p.get(`w:${j}:${t}`) ?? 0)));
      const { gap, activeAtPoint } = gapAt(kind, h, p.get(`${kind}:${j}:${i}`) ?? 0, p.get(`a:${j}`) ?? 0, slopeF);
      return { score: gap, active: activeAtPoint };
    };

  /** The same judgement at an exact point, computed exactly and only then rounded (no overflow, no NaN). */
  const judgeExact =
    (kind: 'z' | 's' | 'p', p: ReadonlyMap<string, Q>) =>
    (j: number, i: number): Judgement => {
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

  /**
   * The undetermined literal whose relaxed value is furthest from the
   * activation at the point; undefined only when every literal is fixed
   * (a score that is not a number ranks first).
   */
  const chooseLiteral = (judge: (j: number, i: number) => Judgement, fixed: Set<string>): { j: number; i: number; activeFirst: boolean } | undefined => {
    let best: { j: number; i: number; activeFirst: boolean } | undefined;
    let bestScore = -1;
    for (let i = 0; i < n; i++) {
      deadline.tick(k);
      for (let j = 0; j < k; j++) {
        if (fixed.has(`${j}:${i}`)) continue;
        const { score, active } = judge(j, i);
        const s = Number.isNaN(score) ? Infinity : score;
        if (s > bestScore) {
          bestScore = s;
          best = { j, i, activeFirst: active !== (strategy.inactiveFirst ?? false) };
        }
      }
    }
    return best;
  };

  type Step = { leaf: Sub } | { branch: { j: number; i: number; activeFirst: boolean } };

  /** One node: a leaf (symmetry, Farkas or Motzkin), a witness (thrown as Found), or the literal to branch on. */
  const evaluateNode = (c: Case, base: LinRow[], path: Literal[], fixed: Set<string>, parent?: FloatTableau): Step & { tableau?: FloatTableau } => {
    clock.node(path.length);
    const cut = symmetryCut(k, n, c, path);
    if (cut) {
      stats.leaves++;
      return { leaf: cut };
    }
    const rows = [...base, ...path.flatMap((l) => literalRows(inst, c, l))];
    // warm start from the parent's tableau (its rows plus this literal's two); from scratch when that is not possible
    const last = path[path.length - 1];
    const tableau = !useFloats
      ? undefined
      : parent && last
        ? parent.child(literalRows(inst, c, last), deadline)
        : path.length === 0
          ? FloatTableau.root(rows, deadline)
          : undefined;
    let fl: FloatLpResult = tableau?.result() ?? { status: 'unsure' as const };
    if (fl.status === 'unsure' && useFloats) fl = floatDecide(rows, deadline);
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
      const ex = exactLp(support);
      if (ex.status === 'infeasible') {
        stats.leaves++;
        return { leaf: leafOf(ex.kind, ex.multipliers) };
      }
    } else if (fl.status === 'feasible') {
      tryCandidate(c, fl.point);
      judge = judgeFloat(unitVar(inst, c), fl.point);
    }
    if (judge === undefined || fixed.size === k * n) {
      const ex = exactLp(rows);
      if (ex.status === 'infeasible') {
        stats.leaves++;
        return { leaf: leafOf(ex.kind, ex.multipliers) };
      }
      deadline.tick(n * k * (xf[0]!.length + 1));
      const net = networkFromPoint(inst, c, ex.point);
      const rep = acceptWitness(inst, net);
      if (rep) throw new Found(net, rep.loss);
      judge = judgeExact(unitVar(inst, c), ex.point);
    }
    const lit = chooseLiteral(judge, fixed);
    if (!lit) throw new Error('exact engine: every literal fixed and the LP feasible, but no witness (bug)');
    return { branch: lit, ...(tableau && tableau.result().status === 'feasible' ? { tableau } : {}) };
  };

  /** Depth-first search below a path; yields once per node so searches can be interleaved. */
  function* explore(c: Case, base: LinRow[], path: Literal[], parent?: FloatTableau): Generator<void, Sub, void> {
    yield;
    const fixed = new Set(path.map((l) => `${l.unit}:${l.point}`));
    const step = evaluateNode(c, base, path, fixed, parent);
    if ('leaf' in step) return step.leaf;
    const lit = step.branch;
    const key = `${lit.j}:${lit.i}`;
    const first = yield* explore(c, base, [...path, { unit: lit.j, point: lit.i, active: lit.activeFirst }], step.tableau);
    if (!first.uses.has(key)) return first;
    const second = yield* explore(c, base, [...path, { unit: lit.j, point: lit.i, active: !lit.activeFirst }], step.tableau);
    return joinSplit(lit, first, second);
  }

  const cases = normalisationCases(inst);
  // built on first use, inside the search, so that a large instance's rows count against the deadline
  const bases: LinRow[][] = [];
  const baseOf = (idx: number): LinRow[] => (bases[idx] ??= baseRows(inst, cases[idx]!, deadline));
  return {
    stats,
    clock,
    cases,
    /** Searches the tasks interleaved, one node each in turn; a witness is thrown as Found, the deadline as Timeout. */
    run(tasks: Task[]): Sub[] {
      const it = interleave(tasks);
      for (let r = it.next(); ; r = it.next()) if (r.done) return r.value;
    },
  };

  /** One node of each unfinished task in turn (tasks in the strategy's order); returns every task's subtree. */
  function* interleave(tasks: Task[]): Generator<void, Sub[], void> {
    const order = tasks.map((_, idx) => idx);
    if (strategy.reverseCases) order.reverse();
    // a task below a prefix starts warm too: from the tableau of the prefix without its last literal
    const above = (t: Task): FloatTableau | undefined =>
      t.prefix.length === 0
        ? undefined
        : FloatTableau.root([...baseOf(t.caseIndex), ...t.prefix.slice(0, -1).flatMap((l) => literalRows(inst, cases[t.caseIndex]!, l))]);
    const searches = tasks.map((t) => explore(cases[t.caseIndex]!, baseOf(t.caseIndex), t.prefix, above(t)));
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
}

/**
 * Lemma L5 (docs/lemmas.md): for twin units j, j+1 (equal output weight in
 * the case, or the free case) only paths where unit j's pattern is
 * lexicographically >= unit j+1's need a proof. Returns the symmetry leaf
 * when the path already makes it smaller (k units, n points).
 */
export function symmetryCut(k: number, n: number, c: Case, path: Literal[]): Sub | undefined {
  if (path.length < 2) return undefined;
  const lit = new Map<string, boolean>();
  for (const l of path) lit.set(`${l.unit}:${l.point}`, l.active);
  for (let j = 0; j + 1 < k; j++) {
    if (c.a !== 'free' && !c.a[j]!.eq(c.a[j + 1]!)) continue;
    for (let i = 0; i < n; i++) {
      const x = lit.get(`${j}:${i}`);
      const y = lit.get(`${j + 1}:${i}`);
      if (x === undefined || y === undefined || x) {
        if (x === undefined || y === undefined || !y) break; // undecided, or unit j ahead
        continue; // both ACT
      }
      if (y) {
        const uses = new Set<string>();
        for (let t = 0; t <= i; t++) uses.add(`${j}:${t}`).add(`${j + 1}:${t}`);
        return { node: { leaf: 'symmetry', units: [j, j + 1], point: i }, uses };
      }
      // both INACT: equal, go on
    }
  }
  return undefined;
}

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
 * Combines the two children of a split. Conflict lifting: a child whose proof
 * uses no row of the split literal is valid without it and replaces the split.
 */
export function joinSplit(lit: { j: number; i: number; activeFirst: boolean }, first: Sub, second: Sub): Sub {
  const key = `${lit.j}:${lit.i}`;
  if (!first.uses.has(key)) return first;
  if (!second.uses.has(key)) return second;
  const uses = new Set([...first.uses, ...second.uses]);
  uses.delete(key);
  const [act, inact] = lit.activeFirst ? [first.node, second.node] : [second.node, first.node];
  return { node: { split: { unit: lit.j, point: lit.i }, act, inact }, uses };
}

/** The certificate's proof from one proof tree per case. */
export function proofOf(inst: Instance, cases: Case[], trees: ProofNode[]): Proof {
  const list: ProofCase[] = cases.map((c, idx) => ({ a: caseLabel(c), tree: trees[idx]! }));
  return { lemmas: lemmasUsed(inst, list), cases: list };
}

/** Runs `body`, turning Found and Timeout into results. */
export function settle(clock: SearchClock, body: () => Proof): SolveResult {
  try {
    const proof = body();
    return { verdict: 'infeasible', proof, stats: clock.finish() };
  } catch (e) {
    const stats = clock.finish();
    if (e instanceof Found) return { verdict: 'feasible', network: e.network, loss: e.loss, stats };
    if (e instanceof Timeout) return { verdict: 'unknown', reason: e.reason, stats };
    throw e;
  }
}

/** The exact engine, one thread: every case searched, interleaved. */
export function exactSolve(inst: Instance, opts: SolveOptions = {}, strategy: Strategy = {}): SolveResult {
  if (inst.loss.type === 'l2') return l2Solve(inst, opts, 'violated'); // an exact QP per node (l2.ts)
  const search = makeSearch(inst, opts, strategy);
  return settle(search.clock, () => {
    const subs = search.run(search.cases.map((_, caseIndex) => ({ caseIndex, prefix: [] })));
    return proofOf(
      inst,
      search.cases,
      subs.map((x) => x.node),
    );
  });
}
