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
import type { LinRow } from '../encode/rows.js';
import { type Case, type Literal, baseRows, literalRows, normalisationCases, outputExpr, unitVar } from '../encode/system.js';
import { dualValue, minimizeSquares } from './lp/exact-qp.js';
import { type ProofNode, type SolveOptions, type SolveResult, SearchClock } from './result.js';
import { type Branch, type Sub, joinSplit, leafOf, multiplierText, proofOf, settle, symmetryCut, usesOf } from './tree-search.js';
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
  const outputs = Array.from({ length: n }, (_, i) => outputExpr(inst, c, i));
  stats.lps++;
  const qs = { pivots: 0 };
  let r: ReturnType<typeof minimizeSquares>;
  try {
    r = minimizeSquares(rows, outputs, inst.labels, qs, deadline);
  } finally {
    stats.pivots += qs.pivots;
  }
  if (r.status === 'infeasible') return leafOf(r.kind, r.multipliers);
  if (beyondBound(inst, r.value)) {
    const d = dualValue(rows, outputs, inst.labels, r.residuals, r.multipliers);
    if (typeof d === 'string' || !beyondBound(inst, d))
      throw new Error(`l2 search: the dual does not close the leaf (${typeof d === 'string' ? d : d.toString()}) (bug)`);
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
    const trees: ProofNode[] = cases.map((c) => explore(c, baseRows(inst, c, clock.deadline), []).node);
    return proofOf(inst, cases, trees);
  });
}
