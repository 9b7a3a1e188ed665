/**
 * Points that no convex function through the data can fit: (x_i, y_i) lies
 * above every affine function that stays below the labels of its nearest
 * neighbours. For such a point every child of its pattern split is
 * infeasible (the tight piece g_S + c is affine and would stay below those
 * labels), so the convex search branches on it first and refutes the node
 * with at most 2^k leaves (docs/engines.md, "The convex case"). A label
 * moved by a little at a point inside a linear piece of a convex teacher
 * makes it, or one of its neighbours, such a point.
 *
 * A GUIDE only: the test is in floating point over a few neighbours (a
 * subset of the data, so a point found is above the envelope of all the data
 * too, up to rounding); a point it names wrongly costs a split, never a
 * wrong answer.
 */
import type { Deadline } from '../../core/deadline.js';
import { DualSimplex } from './dual-simplex.js';
import type { ConvexModel, FloatRow } from './model.js';

/** Neighbours per point in the affine test: 4 (d + 1), enough to surround a point of a grid or of random points. */
const neighbourCount = (d: number): number => 4 * (d + 1);

/**
 * The indices of the points lying above the largest affine function below
 * their neighbours' labels, the largest gap first. O(n) cells of a grid and
 * one LP in d + 1 unknowns per point.
 */
export function envelopeViolators(m: ConvexModel, deadline: Deadline): number[] {
  const { n, d, xf, yf } = m;
  const near = nearestNeighbours(xf, neighbourCount(d), deadline);
  const found: { point: number; gap: number }[] = [];
  for (let i = 0; i < n; i++) {
    const rows: FloatRow[] = near[i]!.map((l) => scaledRow(xf[l]!, yf[l]!));
    const c = scaledRow(xf[i]!, 0).a;
    const lp = new DualSimplex(d + 1, c, 1e7);
    const out = lp.solve({ ids: rows.map((_, r) => r), row: (r) => rows[r]!, separate: () => [] }, deadline, 200);
    if (out.status !== 'optimal') continue;
    let best = out.theta[d]!;
    for (let t = 0; t < d; t++) best += out.theta[t]! * xf[i]![t]!;
    const gap = yf[i]! - best;
    if (gap > 1e-7 * (1 + Math.abs(yf[i]!))) found.push({ point: i, gap });
  }
  return found.sort((p, q) => q.gap - p.gap).map((v) => v.point);
}

/** The row a . x + b <= y over (a, b), scaled to largest coefficient 1. */
function scaledRow(x: Float64Array, y: number): FloatRow {
  let s = 1;
  for (const v of x) s = Math.max(s, Math.abs(v));
  const a = new Float64Array(x.length + 1);
  for (let t = 0; t < x.length; t++) a[t] = x[t]! / s;
  a[x.length] = 1 / s;
  return { a, b: y / s, eq: false };
}

/**
 * For every point, about `count` nearest other points (Euclidean), looked up
 * in the cells of a grid with about 4 points per cell, within 3 rings of its
 * own cell, else among all points.
 */
function nearestNeighbours(xf: Float64Array[], count: number, deadline: Deadline): number[][] {
  const n = xf.length;
  const d = xf[0]?.length ?? 0;
  const lo = Array.from({ length: d }, (_, t) => xf.reduce((v, x) => Math.min(v, x[t]!), Infinity));
  const hi = Array.from({ length: d }, (_, t) => xf.reduce((v, x) => Math.max(v, x[t]!), -Infinity));
  // the cell side from the coordinates that vary, so that collinear or repeated points do not make it vanish
  const spread = hi.map((h, t) => h - lo[t]!).filter((s) => s > 0);
  const side = spread.length === 0 ? 1 : Math.pow((4 * spread.reduce((p, s) => p * s, 1)) / n, 1 / spread.length) || 1;
  const cellOf = (x: Float64Array): number[] => Array.from(x, (v, t) => Math.floor((v - lo[t]!) / side));
  const cells = new Map<string, number[]>();
  xf.forEach((x, i) => {
    const key = cellOf(x).join(',');
    const list = cells.get(key);
    if (list) list.push(i);
    else cells.set(key, [i]);
  });
  const want = Math.min(count, n - 1);
  return xf.map((x, i) => {
    const home = cellOf(x);
    let found: number[] = [];
    for (let r = 1; r <= 3 && found.length < want; r++) found = pointsWithin(cells, home, r).filter((l) => l !== i);
    if (found.length < want) found = xf.map((_, l) => l).filter((l) => l !== i);
    deadline.tick(found.length * (d + 1));
    const dist = new Map<number, number>();
    for (const l of found) {
      let s = 0;
      for (let t = 0; t < d; t++) s += (xf[l]![t]! - x[t]!) ** 2;
      dist.set(l, s);
    }
    return found.sort((p, q) => dist.get(p)! - dist.get(q)!).slice(0, count);
  });
}

/** The points of the cells within r of `home` in every coordinate. */
function pointsWithin(cells: Map<string, number[]>, home: number[], r: number): number[] {
  const out: number[] = [];
  const offset = home.map(() => -r);
  for (;;) {
    for (const l of cells.get(home.map((h, t) => h + offset[t]!).join(',')) ?? []) out.push(l);
    let t = 0;
    while (t < offset.length && offset[t] === r) offset[t++] = -r;
    if (t === offset.length) return out;
    offset[t]!++;
  }
}
