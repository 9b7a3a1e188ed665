/**
 * Instance automorphisms (docs/lemmas.md L9): affine maps T(x) = A x + t of
 * input space that permute the points, T(x_i) = x_pi(i), and map the labels
 * by one sign s, y_pi(i) = s y_i. Everything here is exact: the map is
 * applied to every point in rationals and the permutation is found by exact
 * comparison, never trusted.
 *
 * Detection (findAutomorphisms) covers the signed coordinate permutations
 * with a translation, x'_r = e_r x_phi(r) + t_r, which map Boolean cubes,
 * grids and symmetric designs onto themselves. It returns generators of that
 * group, found level by level along the coordinates (a stabiliser chain, as
 * in Schreier-Sims: Seress, Permutation Group Algorithms, 2003, ch. 4): at
 * coordinate r, one element fixing the coordinates before r for every signed
 * coordinate r can be sent to that the generators so far do not reach.
 */
import { Q } from './rational.js';
import type { AffineMap, Automorphism, Instance } from './types.js';

export type { AffineMap, Automorphism } from './types.js';

/** linear x + shift, exactly. Throws when the dimensions differ (a caller's bug). */
export function applyAffine(m: AffineMap, x: readonly Q[]): Q[] {
  if (m.linear.length !== x.length || m.shift.length !== x.length) throw new Error('applyAffine: dimensions differ (bug)');
  return m.linear.map((row, r) => row.reduce((s, a, t) => (a.isZero() ? s : s.add(a.mul(x[t]!))), m.shift[r]!));
}

/** The identity map of R^d. */
export function identityMap(d: number): AffineMap {
  return { linear: Array.from({ length: d }, (_, r) => Array.from({ length: d }, (_, t) => (r === t ? Q.ONE : Q.ZERO))), shift: Array(d).fill(Q.ZERO) as Q[] };
}

const pointKey = (x: readonly Q[]): string => x.map((v) => v.toString()).join(',');

/** Point indices by their exact coordinates (several for a point listed more than once). */
function pointIndex(inst: Instance): Map<string, number[]> {
  const index = new Map<string, number[]>();
  inst.points.forEach((x, i) => {
    const key = pointKey(x);
    const list = index.get(key);
    if (list) list.push(i);
    else index.set(key, [i]);
  });
  return index;
}

/**
 * The automorphism `m` is, or a sentence saying why it is none: every point's
 * image must be a point of the instance, the images must be all n points
 * (a permutation), and the labels must be kept (s = 1) or all negated
 * (s = -1; tried only when `allowNegation`). A point listed more than once
 * may go to any of its copies: the first unused copy with the required
 * label is taken, which finds a permutation whenever one exists (the
 * copies of one point with one label are interchangeable).
 */
export function automorphismOf(inst: Instance, m: AffineMap, allowNegation: boolean): Automorphism | string {
  const d = inst.points[0]?.length ?? 0;
  if (m.linear.length !== d || m.linear.some((row) => row.length !== d) || m.shift.length !== d) return `a map of dimension ${d} is needed`;
  const index = pointIndex(inst);
  const images: string[] = [];
  for (const [i, x] of inst.points.entries()) {
    const y = applyAffine(m, x);
    const key = pointKey(y);
    if (!index.has(key)) return `maps point ${i} to (${key.replace(/,/g, ', ')}), which is not a point of the instance`;
    images.push(key);
  }
  let why = '';
  for (const labelSign of allowNegation ? ([1, -1] as const) : ([1] as const)) {
    const used = new Uint8Array(inst.points.length);
    const points: number[] = [];
    for (const [i, key] of images.entries()) {
      const want = labelSign === 1 ? inst.labels[i]! : inst.labels[i]!.neg();
      const j = index.get(key)!.find((c) => used[c] === 0 && inst.labels[c]!.eq(want));
      if (j === undefined) {
        why ||= `maps point ${i} (label ${inst.labels[i]!}) to a point labelled otherwise`;
        break;
      }
      used[j] = 1;
      points.push(j);
    }
    if (points.length === inst.points.length) return { map: m, points, labelSign };
  }
  return allowNegation ? `${why}, and does not negate every label either` : why;
}

/**
 * Does the map keep the box of a weight bound, |w_t| <= B and |b| <= B?
 * A fitting network N goes to s N(T x), whose hidden weights are A^T w and
 * biases b + w . t (docs/lemmas.md L9): that stays in every box exactly when
 * t = 0 and every column of A has absolute sum at most 1 (the largest
 * absolute row sum of A^T is its infinity norm).
 */
export function keepsWeightBox(m: AffineMap): boolean {
  if (m.shift.some((t) => !t.isZero())) return false;
  const d = m.linear.length;
  for (let t = 0; t < d; t++) if (Q.sum(m.linear.map((row) => row[t]!.abs())).gt(Q.ONE)) return false;
  return true;
}

/** Options of findAutomorphisms. */
export interface FindOptions {
  /** maps that negate the labels are wanted too (the output weights allow negating f) */
  allowNegation: boolean;
  /** only maps that keep a weight box (no translation: keepsWeightBox) */
  keepBox: boolean;
  /** work limit, in point-coordinate steps of the search (default 2e6): past it, the generators found so far */
  budget?: number;
}

/** x'_r = sign[r] x_{from[r]} + shift[r]: a signed coordinate permutation with a translation. */
interface SignedPermutation {
  from: number[];
  sign: (1 | -1)[];
  shift: Q[];
}

function affineOf(p: SignedPermutation): AffineMap {
  const d = p.from.length;
  return {
    linear: Array.from({ length: d }, (_, r) => Array.from({ length: d }, (_, t) => (p.from[r] === t ? (p.sign[r] === 1 ? Q.ONE : Q.MINUS_ONE) : Q.ZERO))),
    shift: p.shift,
  };
}

/**
 * Generators of the signed coordinate permutations with translation that
 * are automorphisms of the instance (see the file comment), each verified by
 * automorphismOf. Returns [] for an instance with one point.
 */
export function findAutomorphisms(inst: Instance, opts: FindOptions): Automorphism[] {
  const n = inst.points.length;
  const d = inst.points[0]?.length ?? 0;
  if (n < 2) return [];
  const search = new ChainSearch(inst, opts);
  const out: Automorphism[] = [];
  for (let r = 0; r < d; r++) {
    const levelGens: SignedPermutation[] = [];
    for (let q = r; q < d; q++)
      for (const e of [1, -1] as const) {
        if (q === r && e === 1) continue;
        if (reaches(levelGens, r, q, e)) continue;
        const found = search.extend(r, q, e);
        if (found === 'budget') return out;
        if (found === undefined) continue;
        levelGens.push(found.perm);
        out.push(found.aut);
      }
  }
  return out;
}

/** Is the signed coordinate (q, e) in the orbit of (r, +1) under the group the permutations generate? */
function reaches(gens: readonly SignedPermutation[], r: number, q: number, e: 1 | -1): boolean {
  const key = (t: number, s: number): number => 2 * t + (s === 1 ? 0 : 1);
  const seen = new Set([key(r, 1)]);
  const todo: [number, 1 | -1][] = [[r, 1]];
  while (todo.length > 0) {
    const [t, s] = todo.pop()!;
    if (t === q && s === e) return true;
    for (const g of gens) {
      const next: [number, 1 | -1] = [g.from[t]!, (s * g.sign[t]!) as 1 | -1];
      if (!seen.has(key(...next))) {
        seen.add(key(...next));
        todo.push(next);
      }
    }
  }
  return false;
}

/** The backtracking search of findAutomorphisms: coordinates r..d-1 assigned in order, pruned by value multisets and projections. */
class ChainSearch {
  private readonly d: number;
  private readonly labelKeys: string[];
  /** per coordinate, its values sorted */
  private readonly sorted: Q[][];
  private work = 0;
  private readonly budget: number;

  constructor(
    private readonly inst: Instance,
    private readonly opts: FindOptions,
  ) {
    this.d = inst.points[0]!.length;
    this.labelKeys = inst.labels.map((y) => y.toString());
    this.sorted = Array.from({ length: this.d }, (_, t) => inst.points.map((x) => x[t]!).sort((a, b) => a.cmp(b)));
    this.budget = opts.budget ?? 2e6;
  }

  /**
   * The translation t with {e x_q + t} = {x_r} as multisets over the points,
   * or undefined (then no automorphism sends coordinate q to r with sign e).
   */
  private shiftFor(r: number, q: number, e: 1 | -1): Q | undefined {
    const target = this.sorted[r]!;
    const source = e === 1 ? this.sorted[q]! : this.sorted[q]!.map((v) => v.neg()).reverse();
    const t = target[0]!.sub(source[0]!);
    if (this.opts.keepBox && !t.isZero()) return undefined;
    for (let i = 0; i < target.length; i++) if (!source[i]!.add(t).eq(target[i]!)) return undefined;
    return t;
  }

  /**
   * An automorphism fixing coordinates 0..r-1 with x'_r = e x_q + t, or
   * undefined when there is none, or 'budget'.
   */
  extend(r: number, q: number, e: 1 | -1): { perm: SignedPermutation; aut: Automorphism } | undefined | 'budget' {
    const d = this.d;
    const from = Array.from({ length: d }, (_, t) => t);
    const sign: (1 | -1)[] = Array(d).fill(1) as (1 | -1)[];
    const shift: Q[] = Array(d).fill(Q.ZERO) as Q[];
    const t0 = this.shiftFor(r, q, e);
    if (t0 === undefined) return undefined;
    from[r] = q;
    sign[r] = e;
    shift[r] = t0;
    const used = new Set([...Array.from({ length: r }, (_, t) => t), q]);
    for (const labelSign of this.opts.allowNegation ? ([1, -1] as const) : ([1] as const)) {
      const found = this.assign(r + 1, { from, sign, shift }, used, labelSign);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** Assigns coordinates r.. (those before are fixed); depth-first, first complete automorphism wins. */
  private assign(r: number, p: SignedPermutation, used: Set<number>, labelSign: 1 | -1): { perm: SignedPermutation; aut: Automorphism } | undefined | 'budget' {
    if (!this.projectionsAgree(r, p, labelSign)) return undefined;
    if (this.work > this.budget) return 'budget';
    if (r === this.d) {
      const aut = automorphismOf(this.inst, affineOf(p), labelSign === -1);
      if (typeof aut === 'string' || aut.labelSign !== labelSign) return undefined;
      if (this.opts.keepBox && !keepsWeightBox(aut.map)) return undefined;
      return { perm: { from: [...p.from], sign: [...p.sign], shift: [...p.shift] }, aut };
    }
    for (let q = 0; q < this.d; q++) {
      if (used.has(q)) continue;
      for (const e of [1, -1] as const) {
        const t = this.shiftFor(r, q, e);
        if (t === undefined) continue;
        p.from[r] = q;
        p.sign[r] = e;
        p.shift[r] = t;
        used.add(q);
        const found = this.assign(r + 1, p, used, labelSign);
        used.delete(q);
        if (found !== undefined) return found;
      }
    }
    p.from[r] = r;
    p.sign[r] = 1;
    p.shift[r] = Q.ZERO;
    return undefined;
  }

  /**
   * A necessary condition on the coordinates assigned so far (0..r-1): the
   * multiset of the points' images projected on them, each with its label
   * times labelSign, equals the multiset of the points projected, each with
   * its label.
   */
  private projectionsAgree(r: number, p: SignedPermutation, labelSign: 1 | -1): boolean {
    const count = new Map<string, number>();
    const pts = this.inst.points;
    this.work += pts.length * (r + 1);
    for (const [i, x] of pts.entries()) {
      const key = `${this.labelKeys[i]}|${x.slice(0, r).join(',')}`;
      count.set(key, (count.get(key) ?? 0) + 1);
    }
    for (const [i, x] of pts.entries()) {
      const y = labelSign === 1 ? this.labelKeys[i]! : this.inst.labels[i]!.neg().toString();
      const image = Array.from({ length: r }, (_, t) => {
        const v = x[p.from[t]!]!;
        return (p.sign[t] === 1 ? v : v.neg()).add(p.shift[t]!).toString();
      });
      const key = `${y}|${image.join(',')}`;
      const c = count.get(key);
      if (c === undefined || c === 0) return false;
      count.set(key, c - 1);
    }
    return true;
  }
}
