/**
 * Exact Fourier-Motzkin elimination for the tiny systems the source deciders
 * need (at most a handful of variables and rows). It is deliberately not the
 * engines' simplex: a source decider must not share code with the target side.
 *
 * solveInequalities(rows, n) returns a point v in Q^n with coef . v <= rhs for
 * every row, or undefined when there is none. Exact, no floating point.
 */
import { Q } from '../core/rational.js';

export interface Inequality {
  /** n coefficients. */
  coef: Q[];
  rhs: Q;
}

const ceil = (x: Q): Q => Q.of(-x.neg().floor());

/** Eliminates variable t: pairs every row with a positive coefficient with every row with a negative one. */
function eliminate(rows: Inequality[], t: number): Inequality[] {
  const pos: Inequality[] = [];
  const neg: Inequality[] = [];
  const out: Inequality[] = [];
  for (const r of rows) {
    const s = r.coef[t]!.sign();
    if (s > 0) pos.push(r);
    else if (s < 0) neg.push(r);
    else out.push(r);
  }
  for (const p of pos)
    for (const n of neg) {
      const lp = n.coef[t]!.neg(); // > 0
      const ln = p.coef[t]!; // > 0
      out.push({ coef: p.coef.map((c, i) => (i === t ? Q.ZERO : c.mul(lp).add(n.coef[i]!.mul(ln)))), rhs: p.rhs.mul(lp).add(n.rhs.mul(ln)) });
    }
  return dedupe(out);
}

/** Drops rows that are trivially true and exact duplicates (after scaling to a canonical form). */
function dedupe(rows: Inequality[]): Inequality[] {
  const seen = new Map<string, Inequality>();
  for (const r of rows) {
    const lead = r.coef.find((c) => !c.isZero());
    if (!lead) {
      seen.set(`0<=${r.rhs.sign() >= 0 ? 'ok' : r.rhs.toString()}`, r);
      continue;
    }
    const scale = lead.abs().inv();
    const c = r.coef.map((x) => x.mul(scale));
    const key = c.join(',');
    const rhs = r.rhs.mul(scale);
    const prev = seen.get(key);
    if (!prev || rhs.lt(prev.rhs)) seen.set(key, { coef: c, rhs });
  }
  return [...seen.values()].filter((r) => r.coef.some((c) => !c.isZero()) || r.rhs.sign() < 0);
}

/** A value in [lo, hi] (either may be absent), preferring 0, then small integers. */
function pick(lo: Q | undefined, hi: Q | undefined): Q {
  if ((lo === undefined || lo.sign() <= 0) && (hi === undefined || hi.sign() >= 0)) return Q.ZERO;
  if (lo !== undefined && lo.sign() > 0) {
    const c = ceil(lo);
    return hi === undefined || c.le(hi) ? c : lo.add(hi).div(Q.of(2));
  }
  const f = Q.of(hi!.floor());
  return lo === undefined || f.ge(lo) ? f : lo.add(hi!).div(Q.of(2));
}

export function solveInequalities(rows: readonly Inequality[], n: number): Q[] | undefined {
  const stages: Inequality[][] = [dedupe([...rows])];
  for (let t = n - 1; t >= 0; t--) stages.push(eliminate(stages[stages.length - 1]!, t));
  // stages[n - t] involves variables 0..t-1 only; stages[n] has none.
  if (stages[n]!.some((r) => r.rhs.sign() < 0)) return undefined;
  const v: Q[] = Array.from({ length: n }, () => Q.ZERO);
  for (let t = 0; t < n; t++) {
    let lo: Q | undefined;
    let hi: Q | undefined;
    for (const r of stages[n - t - 1]!) {
      const a = r.coef[t]!;
      if (a.isZero()) continue;
      let rest = r.rhs;
      for (let i = 0; i < t; i++) rest = rest.sub(r.coef[i]!.mul(v[i]!));
      const bound = rest.div(a);
      if (a.sign() > 0) hi = hi === undefined ? bound : Q.min(hi, bound);
      else lo = lo === undefined ? bound : Q.max(lo, bound);
    }
    v[t] = pick(lo, hi);
  }
  if (!rows.every((r) => Q.sum(r.coef.map((c, i) => c.mul(v[i]!))).le(r.rhs))) throw new Error('fourier-motzkin: back-substituted point violates a row (bug)');
  return v;
}

/** Rows for "w . x + b >= 1" (x in `inside`) and "w . x + b <= 0" (x in `outside`) over v = (w, b). */
export function separationRows(inside: readonly Q[][], outside: readonly Q[][], d: number): Inequality[] {
  const rows: Inequality[] = [];
  for (const x of inside) rows.push({ coef: [...x.slice(0, d).map((c) => c.neg()), Q.MINUS_ONE], rhs: Q.MINUS_ONE });
  for (const x of outside) rows.push({ coef: [...x.slice(0, d), Q.ONE], rhs: Q.ZERO });
  return rows;
}

/** An open half-space {x : w . x + b > 0} containing `inside` and missing `outside`, or undefined. */
export function separate(inside: readonly Q[][], outside: readonly Q[][], d: number): { w: Q[]; b: Q } | undefined {
  const v = solveInequalities(separationRows(inside, outside, d), d + 1);
  return v === undefined ? undefined : { w: v.slice(0, d), b: v[d]! };
}
