/**
 * The squared loss in the conflict-driven search (docs/engines.md, "Squared
 * loss"). An l2 instance has no loss rows, so the float simplex of the case
 * sees only the pattern's rows (base rows and literal rows, docs/certificates.md
 * 4.3); the loss is decided here, exactly: the least sum of squared errors
 * at the points whose every literal is assigned, over those literals' rows
 * and the base rows of those points (the exact QP of lp/exact-qp.ts, through
 * l2.ts leastSquaresOn). The search asks at every consistent node where that
 * set of points changed (at least two points), and at every full pattern.
 *
 *  - rows infeasible: a Farkas (Motzkin) conflict over the rows the
 *    multipliers name;
 *  - least value within the bound: its optimum, read as a network, is
 *    tested exactly on every point and thrown as Found when it fits (at a
 *    full pattern it always does); at a partial pattern the point guides the
 *    phase of the next decisions (solver.ts);
 *  - least value beyond the bound: an `l2dual` conflict (docs/certificates.md
 *    4.7). Before it is learned it is shrunk to a subset S of the points
 *    whose errors alone exceed the bound: the points by their residual at
 *    the optimum, largest first, until the least squared error of those
 *    taken (with only their literals' rows) is beyond the bound, then
 *    greedy deletion among them, the smallest residual first, a point left
 *    out when the others stay beyond the bound. The leaf's residuals are 0 outside S and its multipliers use the
 *    rows of S's literals only, so the learned clause names literals at the
 *    points of S alone and cuts every pattern that agrees with this one on S.
 *
 * Every conflict returned is exact and re-checked (dualValue); no float
 * decides anything here, and the checker needs no new rule: the leaf is the
 * `l2dual` leaf it knows (docs/lemmas.md, "L2 dual leaves", whose bound only
 * weakens when a residual is 0).
 */
import type { Deadline } from '../../core/deadline.js';
import type { Q } from '../../core/rational.js';
import type { LinRow } from '../../encode/rows.js';
import { pointOfUnitVariable } from '../../encode/system.js';
import { beyondBound, dualCloses, leastSquaresOn } from '../l2.js';
import { Found, acceptWitness, networkFromPoint } from '../witness.js';
import { litVar, pointOf } from './literals.js';
import type { CaseTheory } from './theory.js';

/** An exact conflict of the squared loss: the multipliers (and residuals, for l2dual) and the literals whose rows they use. */
export type L2Conflict =
  | { kind: 'farkas' | 'motzkin'; multipliers: Map<string, Q>; literals: number[] }
  | { kind: 'l2dual'; residuals: Q[]; multipliers: Map<string, Q>; literals: number[] };

/**
 * The rows of the asserted pattern (`trail`: true literals, every one
 * asserted) that involve only the points in `keep`: the base rows without a
 * unit variable of another point, and both rows of every trail literal at a
 * point of `keep`.
 */
function rowsAt(theory: CaseTheory, trail: readonly number[], keep: ReadonlySet<number>): LinRow[] {
  const rows: LinRow[] = [];
  for (let r = 0; r < theory.baseCount; r++) {
    const row = theory.rows[r]!;
    if ([...row.coefs.keys()].every((v) => keep.has(pointOfUnitVariable(v) ?? -1) || pointOfUnitVariable(v) === undefined)) rows.push(row);
  }
  for (const lit of trail) {
    if (!keep.has(pointOf(litVar(lit), theory.n))) continue;
    const idx = theory.litRowIndex(lit);
    rows.push(theory.rows[idx]!, theory.rows[idx + 1]!);
  }
  return rows;
}

/** The literals whose rows carry a multiplier. */
function literalsOf(theory: CaseTheory, multipliers: ReadonlyMap<string, Q>): number[] {
  const lits = new Set<number>();
  for (const name of multipliers.keys()) {
    const l = theory.literalOfRow(name);
    if (l !== undefined) lits.add(l);
  }
  return [...lits];
}

type QpOn = (keep: ReadonlySet<number>) => ReturnType<typeof leastSquaresOn>;

/**
 * A small set of points whose least squared error (`qp`) is still beyond the
 * bound, from `first`, the optimum over all of `points` (beyond the bound):
 * the points taken by their residual in `first`, largest first, until the
 * error of those taken is beyond the bound (small QPs), then greedy deletion
 * among them, the smallest residual first, a point left out when the others
 * stay beyond the bound (see the file comment). Returns that set with its
 * optimum's residuals and multipliers, or a Farkas conflict met on the way.
 */
function shrunk(
  theory: CaseTheory,
  first: Extract<ReturnType<typeof leastSquaresOn>, { status: 'optimal' }>,
  points: readonly number[],
  qp: QpOn,
): Exclude<L2Conflict, { kind: 'l2dual' }> | { kind: 'core'; keep: Set<number>; residuals: Q[]; multipliers: Map<string, Q> } {
  const inst = theory.inst;
  const byResidual = [...points].sort((p, q) => first.residuals[q]!.abs().cmp(first.residuals[p]!.abs()));
  let best = first;
  const keep = new Set<number>();
  for (const i of byResidual) {
    keep.add(i);
    if (keep.size < 2 || keep.size === points.length) continue;
    const r = qp(keep);
    if (r.status === 'infeasible') return { kind: r.kind, multipliers: r.multipliers, literals: literalsOf(theory, r.multipliers) };
    if (beyondBound(inst, r.value)) {
      best = r;
      break;
    }
  }
  // the point taken last is needed (without it the error was within the bound), unless nothing was tried without it
  const taken = [...keep];
  const needed = points.length > 2 ? taken[taken.length - 1] : undefined;
  for (const i of taken.reverse()) {
    if (keep.size === 1) break;
    if (i === needed) continue;
    keep.delete(i);
    const r = qp(keep);
    if (r.status === 'infeasible') return { kind: r.kind, multipliers: r.multipliers, literals: literalsOf(theory, r.multipliers) };
    if (beyondBound(inst, r.value)) best = r;
    else keep.add(i);
  }
  return { kind: 'core', keep, residuals: best.residuals, multipliers: best.multipliers };
}

/**
 * The exact least squared error at the points `points` (every unit's
 * literal at each of them on `trail`, the true literals, all asserted in
 * `theory`), over the rows of those points' literals (see the file
 * comment). Returns the exact conflict, shrunk to fewer points when it is an
 * l2dual one; or, when the least value is within the bound, the optimum's
 * point ('within', a guide for the decisions' phase) unless that point read
 * as a network fits every point, which is thrown as Found (with every point
 * it always does). Throws Timeout past `deadline`. Exact LPs and pivots
 * are counted in the theory's statistics.
 */
export function l2Conflict(
  theory: CaseTheory,
  trail: readonly number[],
  points: readonly number[],
  deadline: Deadline,
): L2Conflict | { kind: 'within'; point: Map<string, Q> } {
  const { inst, c, n } = theory;
  const stats = { lps: 0, pivots: 0 };
  try {
    const keep = new Set(points);
    const first = leastSquaresOn(inst, c, rowsAt(theory, trail, keep), points, stats, deadline);
    if (first.status === 'infeasible') return { kind: first.kind, multipliers: first.multipliers, literals: literalsOf(theory, first.multipliers) };
    if (!beyondBound(inst, first.value)) {
      // the optimum read as a network may fit all the points (at a full pattern it does)
      const net = networkFromPoint(inst, c, first.point);
      const rep = acceptWitness(inst, net);
      if (rep) throw new Found(net, rep.loss);
      if (points.length < n) return { kind: 'within', point: first.point };
      throw new Error('cdcl l2: a full pattern whose least squared error meets the bound, but its network does not fit (bug)');
    }
    const core = shrunk(theory, first, points, (keep) => {
      const pts = points.filter((t) => keep.has(t));
      return leastSquaresOn(inst, c, rowsAt(theory, trail, keep), pts, stats, deadline);
    });
    if (core.kind !== 'core') return core;
    if (!dualCloses(inst, c, rowsAt(theory, trail, core.keep), core.residuals, core.multipliers))
      throw new Error('cdcl l2: the dual of a pattern does not close its conflict (bug)');
    return { kind: 'l2dual', residuals: core.residuals, multipliers: core.multipliers, literals: literalsOf(theory, core.multipliers) };
  } finally {
    theory.exactLps += stats.lps;
    theory.exactPivots += stats.pivots;
  }
}
