/**
 * The search for the squared loss l2 (sum of squared errors <= G, or < G):
 * branch and bound over activation literals with an exact convex QP at every
 * node (lp/exact-qp.ts). The `reference`, `exact` and `cdcl` engines all answer
 * l2 instances with this search (docs/engines.md, "Squared loss").
 *
 * At a node (a normalisation case plus the literals on its path) the rows
 * are the base rows and the literal rows of certificates.md 4.3 (an l2
 * instance has no loss rows) and the least sum of squares over them is
 * solved exactly:
 *  - rows infeasible: a Farkas leaf (the pattern's polyhedron is empty);
 *  - least value > G (>= G when strict): an l2dual leaf whose residuals and
 *    multipliers are the QP's optimal dual, so its dual value is the optimum;
 *  - otherwise the optimal point, read as a network, is tested exactly
 *    (acceptWitness); if it fits, the search ends with that witness; if
 *    not, branch on a literal not yet fixed: in index order (point-major,
 *    `order: 'index'`, the reference engine) or the literal whose relaxed
 *    value is furthest from its activation at the point (`'violated'`).
 * With every literal fixed the optimal point is a network with exactly that
 * pattern whose loss is the QP value, so one of the three cases always ends
 * the path. Conflict lifting as in exact.ts: a child whose subtree uses no
 * row of the split literal replaces the split; in the `'violated'` order,
 * symmetry leaves (lemma L5) cut the mirror images of twin units.
 *
 * Guarantees: 'feasible' carries a network accepted by acceptWitness;
 * 'infeasible' a proof over every case of normalisationCases whose leaves
 * were re-checked exactly (lp/exact-qp.ts checks each dual); 'unknown' only on
 * the deadline (ticked inside every LP and QP pivot).
 */
import { Q } from '../core/rational.js';
import type { Instance } from '../core/types.js';
import { type LinExpr, type LinRow, addTerm } from '../encode/rows.js';
import { type Case, type Literal, baseRows, literalRows, normalisationCases, outputExpr, unitVar } from '../encode/system.js';
import { dualValue, minimizeSquares } from './lp/exact-qp.js';
import { type ProofNode, type SolveOptions, type SolveResult, SearchClock } from './result.js';
import { type Branch, type Sub, joinSplit, leafOf, multiplierText, proofOf, settle, symmetryCut, usesOf } from './tree-search.js';
import { fitUpperBound } from './float-fit.js';
import { Found, acceptWitness, networkFromPoint } from './witness.js';

/** Does a least sum of squares `value` already exceed what the instance allows? */
export function beyondBound(inst: Instance, value: Q): boolean {
  const loss = inst.loss;
  if (loss.type !== 'l2') throw new Error('beyondBound: not an l2 instance (bug)');
  return loss.strict ? value.ge(loss.bound) : value.gt(loss.bound);
}

/**
 * One node's rows solved exactly: a leaf (Farkas, or l2dual when the least
 * squared error is beyond the bound) with the literals it uses, or the
 * optimal point. Throws Found when that point is a fitting network.
 */
export function l2Node(
  inst: Instance,
  c: Case,
  rows: LinRow[],
  stats: { lps: number; pivots: number },
  deadline: SearchClock['deadline'],
): Sub | { point: Map<string, Q> } {
  const n = inst.points.length;
  const r = leastSquaresOn(
    inst,
    c,
    rows,
    Array.from({ length: n }, (_, i) => i),
    stats,
    deadline,
  );
  if (r.status === 'infeasible') return leafOf(r.kind, r.multipliers);
  if (beyondBound(inst, r.value)) {
    if (!dualCloses(inst, c, rows, r.residuals, r.multipliers)) throw new Error('l2 search: the dual does not close the leaf (bug)');
    return {
      node: { leaf: 'l2dual', residuals: r.residuals.map((u) => u.toString()), multipliers: multiplierText(r.multipliers) },
      uses: usesOf(r.multipliers),
    };
  }
  const net = networkFromPoint(inst, c, r.point);
  const rep = acceptWitness(inst, net);
  if (rep) throw new Found(net, rep.loss);
  return { point: r.point };
}

/**
 * The exact least sum of squared errors over `rows` counting only the errors
 * at `points` (indices into the instance's points): the QP of lp/exact-qp.ts
 * with the unit variables of fixed literals eliminated (see `eliminated`).
 * The residuals of the result have one entry per point of the instance, 0
 * outside `points`, so (residuals, multipliers) is an `l2dual` leaf over
 * `rows` whose dual value is the value (docs/lemmas.md, "L2 dual leaves":
 * a residual 0 drops that point's error from the bound, which only weakens
 * it). Counts one LP and its pivots in `stats`; throws Timeout past
 * `deadline`.
 */
export function leastSquaresOn(
  inst: Instance,
  c: Case,
  rows: readonly LinRow[],
  points: readonly number[],
  stats: { lps: number; pivots: number },
  deadline: SearchClock['deadline'],
): ReturnType<typeof minimizeSquares> {
  const outputs = points.map((i) => outputExpr(inst, c, i));
  const labels = points.map((i) => inst.labels[i]!);
  stats.lps++;
  const qs = { pivots: 0 };
  const small = unitVar(inst, c) === 'z' ? eliminated(rows, outputs) : undefined;
  let r: ReturnType<typeof minimizeSquares>;
  try {
    r = small ? small.lift(minimizeSquares(small.rows, small.outputs, labels, qs, deadline)) : minimizeSquares(rows, outputs, labels, qs, deadline);
  } finally {
    stats.pivots += qs.pivots;
  }
  if (r.status !== 'optimal' || points.length === inst.points.length) return r;
  const residuals = inst.points.map(() => Q.ZERO);
  points.forEach((i, t) => (residuals[i] = r.residuals[t]!));
  return { ...r, residuals };
}

/**
 * Does the `l2dual` leaf (residuals `u`, multipliers `mu`) over `rows` hold
 * exactly: stationarity, signs, and a dual value beyond the instance's bound
 * (docs/certificates.md 4.7, re-checked with lp/exact-qp.ts dualValue)?
 */
export function dualCloses(inst: Instance, c: Case, rows: readonly LinRow[], u: readonly Q[], mu: ReadonlyMap<string, Q>): boolean {
  const outputs = inst.points.map((_, i) => outputExpr(inst, c, i));
  const d = dualValue(rows, outputs, inst.labels, u, mu);
  return typeof d !== 'string' && beyondBound(inst, d);
}

/** How the search picks the literal to split on (see the file comment). */
export type L2Order = 'index' | 'violated';

/** Decides an l2 instance (see the file comment). */
export function l2Solve(inst: Instance, opts: SolveOptions = {}, order: L2Order = 'violated'): SolveResult {
  if (inst.loss.type !== 'l2') throw new Error('l2Solve: not an l2 instance (bug)');
  const clock = new SearchClock(opts);
  const stats = clock.stats;
  const k = inst.architecture.hidden;
  const n = inst.points.length;

  /** The literal to split on at `point`, or undefined when every literal is fixed. */
  const choose = (c: Case, point: ReadonlyMap<string, Q>, fixed: ReadonlySet<string>): Branch | undefined => {
    const kind = unitVar(inst, c);
    const get = (v: string): Q => point.get(v) ?? Q.ZERO;
    let best: Branch | undefined;
    let bestGap = Q.MINUS_ONE;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < k; j++) {
        if (fixed.has(`${j}:${i}`)) continue;
        let h = get(`b:${j}`);
        inst.points[i]!.forEach((x, t) => (h = h.add(x.mul(get(`w:${j}:${t}`)))));
        const active = kind === 'z' ? h.sign() >= 0 : h.gt(Q.of(1, 2));
        if (order === 'index') return { j, i, activeFirst: active };
        const u = get(`${kind}:${j}:${i}`);
        const want = kind === 'z' ? Q.max(Q.ZERO, h) : kind === 's' ? (active ? Q.ONE : Q.ZERO) : active ? get(`a:${j}`) : Q.ZERO;
        const gap = u.sub(want).abs();
        if (gap.gt(bestGap)) {
          bestGap = gap;
          best = { j, i, activeFirst: active };
        }
      }
    return best;
  };

  const explore = (c: Case, base: LinRow[], path: Literal[]): Sub => {
    clock.node(path.length);
    // lemma L5 (unit order) in the engines' order; the reference search stays plain
    const cut = order === 'violated' ? symmetryCut(k, n, c, path) : undefined;
    if (cut) {
      stats.leaves++;
      return cut;
    }
    const rows = [...base, ...path.flatMap((l) => literalRows(inst, c, l))];
    const step = l2Node(inst, c, rows, stats, clock.deadline);
    if ('node' in step) {
      stats.leaves++;
      return step;
    }
    const fixed = new Set(path.map((l) => `${l.unit}:${l.point}`));
    const lit = choose(c, step.point, fixed);
    if (!lit) throw new Error('l2 search: every literal fixed, the loss within the bound, but no witness (bug)');
    const key = `${lit.j}:${lit.i}`;
    const first = explore(c, base, [...path, { unit: lit.j, point: lit.i, active: lit.activeFirst }]);
    if (!first.uses.has(key)) return first;
    const second = explore(c, base, [...path, { unit: lit.j, point: lit.i, active: !lit.activeFirst }]);
    return joinSplit(lit, first, second);
  };

  const cases = normalisationCases(inst);
  return settle(clock, () => {
    // the engines' order first tries the patterns float fits propose (float-fit.ts): a pattern optimum within the bound ends the search
    if (order === 'violated' && opts.noFit !== true) fittedWitness(inst, clock.deadline);
    const trees: ProofNode[] = cases.map((c) => explore(c, baseRows(inst, c, clock.deadline), []).node);
    return proofOf(inst, cases, trees);
  });
}

/**
 * Throws Found with the best pattern optimum a float fit proposes
 * (fitUpperBound, a fifth of the time left) when it meets the bound;
 * otherwise returns, and the search decides.
 */
export function fittedWitness(inst: Instance, deadline: SearchClock['deadline']): void {
  const best = fitUpperBound(inst, { deadline: deadline.share(0.2) });
  const rep = best ? acceptWitness(inst, best.network) : undefined;
  if (best && rep) throw new Found(best.network, rep.loss);
}

/**
 * The node's QP with the unit variables of fixed literals eliminated: each
 * value row actv:j:i / inactv:j:i (z_ij - g = 0 with g linear in w, b;
 * docs/certificates.md 4.3) is dropped and z_ij replaced by g in every other
 * row and output, so the exact QP has fewer variables and rows. `lift` maps
 * the small problem's answer back to the node's rows: the point gets
 * z_ij = g, and each dropped row gets the multiplier that makes z_ij's
 * column of the stationarity (or Farkas) sum vanish,
 * mu_R = -(sum_i u_i f_i[z] + sum_r mu_r A_r[z]) (u = 0 for Farkas); the
 * other columns and the dual value are unchanged because the dropped rows
 * have right-hand side 0 and A_R[z] = 1. Callers re-check the lifted dual
 * on the node's own rows (dualValue); the checker rebuilds it all.
 */
function eliminated(
  rows: readonly LinRow[],
  outputs: readonly LinExpr[],
): { rows: LinRow[]; outputs: LinExpr[]; lift: (r: ReturnType<typeof minimizeSquares>) => ReturnType<typeof minimizeSquares> } {
  /** z variable -> [its value row, g] */
  const defs = new Map<string, [LinRow, LinExpr]>();
  for (const r of rows) {
    if (!/^(actv|inactv):/.test(r.name) || r.sense !== '=' || !r.rhs.isZero()) continue;
    const z = [...r.coefs.keys()].find((v) => v.startsWith('z:') && r.coefs.get(v)!.eq(Q.ONE));
    if (!z || defs.has(z)) continue;
    const g: LinExpr = new Map();
    for (const [v, q] of r.coefs) if (v !== z) g.set(v, q.neg());
    defs.set(z, [r, g]);
  }
  const substitute = (e: ReadonlyMap<string, Q>): LinExpr => {
    const out: LinExpr = new Map();
    for (const [v, q] of e) {
      const d = defs.get(v);
      if (!d) addTerm(out, v, q);
      else for (const [w, p] of d[1]) addTerm(out, w, q.mul(p));
    }
    return out;
  };
  const dropped = new Set([...defs.values()].map(([r]) => r.name));
  const kept = rows.filter((r) => !dropped.has(r.name));
  // a row left with no coefficient that holds (0 <= rhs, 0 = rhs) is dropped, with multiplier 0
  const holds = (r: LinRow): boolean => r.coefs.size === 0 && (r.sense === '=' ? r.rhs.isZero() : r.rhs.sign() >= 0);
  const small = kept.map((r) => ({ ...r, coefs: substitute(r.coefs) })).filter((r) => !holds(r));
  const lift = (res: ReturnType<typeof minimizeSquares>): ReturnType<typeof minimizeSquares> => {
    const multipliers = new Map(res.multipliers);
    const u = res.status === 'optimal' ? res.residuals : [];
    for (const [z, [r]] of defs) {
      let col = Q.ZERO;
      outputs.forEach((f, i) => u[i] && f.has(z) && (col = col.add(u[i].mul(f.get(z)!))));
      for (const k of kept) if (k.coefs.has(z) && multipliers.has(k.name)) col = col.add(multipliers.get(k.name)!.mul(k.coefs.get(z)!));
      if (!col.isZero()) multipliers.set(r.name, col.neg());
    }
    if (res.status !== 'optimal') return { ...res, multipliers };
    const point = new Map(res.point);
    for (const [z, [, g]] of defs) point.set(z, Q.sum([...g].map(([v, q]) => q.mul(res.point.get(v) ?? Q.ZERO))));
    return { ...res, point, multipliers };
  };
  return { rows: small, outputs: outputs.map(substitute), lift };
}
