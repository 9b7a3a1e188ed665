/**
 * Megiddo (Discrete Comput. Geom. 3, 1988): 2-hyperplane separability, the
 * problem Megiddo proves NP-complete, is the question "does a 3-node threshold
 * network with an AND output classify P as + and Q as -". This module maps it
 * to the same relucert target as set-splitting.ts.
 *
 * Source (`two-hyperplane-separability/1`): finite P (nonempty) and Q in Q^d.
 * Question: are there two open half-spaces H1, H2 with P inside H1 and H2
 * and every point of Q outside H1 or outside H2?
 *
 * Target: the points of P (+) and Q (-) with an extra coordinate u = 0, plus
 * the AND-forcing gadget of set-splitting.ts centred at p0 = P[0]: (p0, u=+1)
 * and (p0, u=-1), both -. 2 threshold units, output weights free, output
 * bias, classification. Without the gadget the network may compute an OR
 * (P outside a wedge that holds Q), which the mutants show.
 *
 * Solution maps: (H1, H2) -> units w_j . x + b_j -+ M u with M = the larger of
 * h_1(p0), h_2(p0), output s1 + s2 - 3/2; network -> for each unit the side
 * of its hyperplane that holds p0, made open by a shift when it is closed.
 */
import * as fc from 'fast-check';
import { z } from 'zod';
import { Q } from '../core/rational.js';
import type { Instance, Network } from '../core/types.js';
import { InputError } from '../format/errors.js';
import { parseWith, rational } from '../format/schema.js';
import { separate } from './fm.js';
import { combinations, gridPoints } from './enumerate.js';
import { type SourceAnswer, defineReduction, hiddenPreActivation, qs, twoLayerNetwork, withConstruction } from './reduction.js';

export interface TwoHyperplane {
  P: Q[][];
  Q: Q[][];
}

/** The open half-space {x : w . x + b > 0}. */
export interface HalfSpace {
  w: Q[];
  b: Q;
}

export interface TwoHalfSpaces {
  halfSpaces: [HalfSpace, HalfSpace];
}

const point = z.array(rational).min(1);
const sourceSchema = z.strictObject({
  format: z.literal('two-hyperplane-separability/1'),
  P: z.array(point).min(1),
  Q: z.array(point),
});

function parseSource(data: unknown, file: string): TwoHyperplane {
  const raw = parseWith(sourceSchema, data, file);
  const d = raw.P[0]!.length;
  for (const key of ['P', 'Q'] as const)
    raw[key].forEach((x, i) => {
      if (x.length !== d) throw new InputError(file, `${key}[${i}]`, `has ${x.length} coordinates, P[0] has ${d}`);
    });
  return { P: raw.P, Q: raw.Q };
}

const dot = (w: readonly Q[], x: readonly Q[]): Q => Q.sum(w.map((c, t) => c.mul(x[t]!)));
const value = (h: HalfSpace, x: readonly Q[]): Q => dot(h.w, x).add(h.b);

function checkSolution(src: TwoHyperplane, sol: TwoHalfSpaces): string | undefined {
  const d = src.P[0]!.length;
  if (sol.halfSpaces.some((h) => h.w.length !== d)) return `half-spaces must have ${d} weights`;
  for (const [i, p] of src.P.entries())
    for (const [j, h] of sol.halfSpaces.entries()) if (value(h, p).sign() <= 0) return `P[${i}] is not inside half-space ${j}`;
  for (const [i, q] of src.Q.entries()) if (sol.halfSpaces.every((h) => value(h, q).sign() > 0)) return `Q[${i}] is inside both half-spaces`;
  return undefined;
}

function decide(src: TwoHyperplane): SourceAnswer<TwoHalfSpaces> {
  const d = src.P[0]!.length;
  const m = src.Q.length;
  const searched = `${2 ** m} ways to share Q between the half-spaces, each two exact Fourier-Motzkin systems`;
  for (let mask = 0; mask < 2 ** m; mask++) {
    const q1 = src.Q.filter((_, i) => (mask >> i) & 1);
    const q2 = src.Q.filter((_, i) => !((mask >> i) & 1));
    const h1 = separate(src.P, q1, d);
    if (!h1) continue;
    const h2 = separate(src.P, q2, d);
    if (!h2) continue;
    return { answer: 'yes', solution: { halfSpaces: [h1, h2] }, searched };
  }
  return { answer: 'no', searched };
}

interface Construction {
  gadget: 'midpoint' | 'none' | 'moved' | 'flipped';
}

function buildInstance(src: TwoHyperplane, con: Construction): Instance {
  const lift = con.gadget === 'none' ? (x: Q[]): Q[] => x : (x: Q[]): Q[] => [...x, Q.ZERO];
  const points = [...src.P.map(lift), ...src.Q.map(lift)];
  const labels = [...src.P.map(() => Q.ONE), ...src.Q.map(() => Q.MINUS_ONE)];
  if (con.gadget !== 'none') {
    const p0 = src.P[0]!;
    points.push([...p0, Q.ONE], [...p0, con.gadget === 'moved' ? Q.of(2) : Q.MINUS_ONE]);
    labels.push(Q.MINUS_ONE, con.gadget === 'flipped' ? Q.ONE : Q.MINUS_ONE);
  }
  return {
    name: `two-hyperplane-p${src.P.length}-q${src.Q.length}-d${src.P[0]!.length}`,
    description: `2-hyperplane separability (Megiddo 1988) as a 3-node threshold network (relucert construction: gadget ${con.gadget})`,
    source: 'relucert reduce two-hyperplane',
    points,
    labels,
    architecture: { hidden: 2, activation: 'threshold', outputWeights: { mode: 'free' }, outputBias: true },
    loss: { type: 'classification' },
  };
}

function witness(src: TwoHyperplane, sol: TwoHalfSpaces, con: Construction): Network {
  const [h1, h2] = sol.halfSpaces;
  const p0 = src.P[0]!;
  const big = Q.max(Q.max(value(h1, p0), value(h2, p0)), Q.ONE);
  const weights =
    con.gadget === 'none'
      ? [h1.w, h2.w]
      : [
          [...h1.w, big.neg()],
          [...h2.w, big],
        ];
  return twoLayerNetwork('threshold', weights, [h1.b, h2.b], [Q.ONE, Q.ONE], Q.of(-3, 2));
}

/** For each unit, the side of its hyperplane (at u = 0) that holds p0, as an open half-space. */
function solutionFromWitness(src: TwoHyperplane, net: Network, con: Construction): TwoHalfSpaces {
  const d = src.P[0]!.length;
  const lift = (x: Q[]): Q[] => (con.gadget === 'none' ? x : [...x, Q.ZERO]);
  const all = [...src.P, ...src.Q];
  const halfSpace = (j: number): HalfSpace => {
    const w = net.layers[0]!.weights[j]!.slice(0, d);
    const b = net.layers[0]!.bias[j]!;
    if (hiddenPreActivation(net, j, lift(src.P[0]!)).sign() > 0) return { w, b };
    // p0 is on the closed side {w . x + b <= 0}: use {-w . x - b + eps > 0}, eps below every strictly negative value.
    const neg = { w: w.map((c) => c.neg()), b: b.neg() };
    const gaps = all.map((x) => value(neg, x)).filter((v) => v.sign() < 0);
    const eps = gaps.length ? gaps.reduce((m, v) => Q.min(m, v.neg()), gaps[0]!.neg()).div(Q.of(2)) : Q.ONE;
    return { w: neg.w, b: neg.b.add(eps) };
  };
  return { halfSpaces: [halfSpace(0), halfSpace(1)] };
}

const maps = { toInstance: buildInstance, witness, solutionFromWitness };

const gridPoint = (d: number, lo: number, hi: number): fc.Arbitrary<Q[]> => fc.array(fc.integer({ min: lo, max: hi }), { minLength: d, maxLength: d }).map(qs);

/** d in {1, 2}, 1..3 points in P, 0..3 in Q, integer coordinates in -2..2. */
function randomSets(): fc.Arbitrary<TwoHyperplane> {
  return fc
    .integer({ min: 1, max: 2 })
    .chain((d) => fc.record({ P: fc.array(gridPoint(d, -2, 2), { minLength: 1, maxLength: 3 }), Q: fc.array(gridPoint(d, -2, 2), { maxLength: 3 }) }));
}

/**
 * A 'no' by construction: a point q of Q halfway between two points of P, so
 * inside their convex hull, which both half-spaces contain. Plus up to one
 * more point of each; P in random order (P[0] carries the gadget).
 */
function plantedNo(): fc.Arbitrary<TwoHyperplane> {
  return fc.integer({ min: 1, max: 2 }).chain((d) =>
    fc
      .record({
        p: gridPoint(d, -2, 2),
        v: gridPoint(d, -1, 1).filter((v) => v.some((c) => !c.isZero())),
        extraP: fc.array(gridPoint(d, -2, 2), { maxLength: 1 }),
        extraQ: fc.array(gridPoint(d, -2, 2), { maxLength: 1 }),
        order: fc.nat(),
      })
      .map(({ p, v, extraP, extraQ, order }) => {
        const P = [p, p.map((c, t) => c.add(v[t]!).add(v[t]!)), ...extraP];
        const k = order % P.length;
        return { P: [...P.slice(k), ...P.slice(0, k)], Q: [p.map((c, t) => c.add(v[t]!)), ...extraQ] };
      }),
  );
}

/**
 * A tight 'yes': two planted half-spaces h1, h2 with small integer
 * coefficients; the points inside both go to P, the others to Q. Points on a
 * boundary line (h = 0, outside the open half-space) are common.
 */
function tightYes(): fc.Arbitrary<TwoHyperplane> {
  return fc.integer({ min: 1, max: 2 }).chain((d) =>
    fc
      .record({
        h: fc.array(fc.tuple(gridPoint(d, -2, 2), fc.integer({ min: -2, max: 2 })), { minLength: 2, maxLength: 2 }),
        pts: fc.array(gridPoint(d, -2, 2), { minLength: 2, maxLength: 6 }),
      })
      .map(({ h, pts }) => {
        const inside = (x: Q[]): boolean => h.every(([w, b]) => dot(w, x).add(Q.of(b)).sign() > 0);
        return { P: pts.filter(inside).slice(0, 3), Q: pts.filter((x) => !inside(x)).slice(0, 3) };
      })
      .filter((s) => s.P.length > 0),
  );
}

/** Random sets, planted 'no' (a point of Q inside the hull of P) and tight 'yes' sources, 2 : 1 : 1. */
function arbitrary(): fc.Arbitrary<TwoHyperplane> {
  return fc.oneof({ arbitrary: randomSets(), weight: 2 }, { arbitrary: plantedNo(), weight: 1 }, { arbitrary: tightYes(), weight: 1 });
}

/**
 * Every source of size |P| + |Q| + (d - 1) + c, d in {1, 2}: P (nonempty) and
 * Q sets of distinct points of the grid {0..c}^d that touch both ends 0 and c
 * of some axis' range and coordinate 0 of every axis (a translate of any
 * source with coordinates spanning c is one of these).
 */
function* enumerate(size: number): Generator<TwoHyperplane> {
  for (let d = 1; d <= 2; d++)
    for (let c = 0; c <= size - d; c++) {
      const grid = [...gridPoints(d, 0, c)];
      for (let np = 1; np + (d - 1) + c <= size; np++) {
        const nq = size - np - (d - 1) - c;
        for (const P of combinations(grid, np))
          for (const Qs of combinations(grid, nq)) {
            const all = [...P, ...Qs];
            const touches = [...Array(d).keys()].every((t) => all.some((x) => x[t] === 0)) && all.some((x) => x.some((v) => v === c));
            if (touches) yield { P: P.map(qs), Q: Qs.map(qs) };
          }
      }
    }
}

/** Equal for sources that a reflection of an axis, a swap of the axes or a translation maps onto each other. */
function key(src: TwoHyperplane): string {
  const d = src.P[0]!.length;
  const all = [...src.P, ...src.Q];
  const lo = [...Array(d).keys()].map((t) => all.reduce((m, x) => Q.min(m, x[t]!), all[0]![t]!));
  const hi = [...Array(d).keys()].map((t) => all.reduce((m, x) => Q.max(m, x[t]!), all[0]![t]!));
  const images: string[] = [];
  const axesOrders =
    d === 2
      ? [
          [0, 1],
          [1, 0],
        ]
      : [[0]];
  for (let flips = 0; flips < 2 ** d; flips++)
    for (const axes of axesOrders) {
      const img = (x: Q[]): string => axes.map((t) => ((flips >> t) & 1 ? hi[t]!.sub(x[t]!) : x[t]!.sub(lo[t]!)).toString()).join(',');
      const set = (xs: Q[][]): string => [...new Set(xs.map(img))].sort().join(' ');
      images.push(`${set(src.P)} | ${set(src.Q)}`);
    }
  return `${d}:${images.sort()[0]}`;
}

/** The same points with their last coordinate dropped (one dimension less). */
function simplify(src: TwoHyperplane): TwoHyperplane[] {
  const d = src.P[0]!.length;
  return d > 1 ? [{ P: src.P.map((x) => x.slice(0, d - 1)), Q: src.Q.map((x) => x.slice(0, d - 1)) }] : [];
}

const halfSpaceJson = (h: HalfSpace): unknown => ({ w: h.w.map(String), b: h.b.toString() });

export const twoHyperplane = defineReduction<TwoHyperplane, TwoHalfSpaces>(
  {
    name: 'two-hyperplane',
    sourceFormat: 'two-hyperplane-separability/1',
    summary: '2-hyperplane separability -> 2 threshold units + threshold output, classification (Megiddo 1988, with an AND-forcing gadget)',
    reference: 'N. Megiddo, On the complexity of polyhedral separability, Discrete & Computational Geometry 3:325-337, 1988',
    description: 'P +, Q - (u = 0), plus the gadget (p0, u=+-1) - that forces an AND output; output weights free',
    parseSource,
    sourceToJson: (s) => ({ format: 'two-hyperplane-separability/1', P: s.P.map((x) => x.map(String)), Q: s.Q.map((x) => x.map(String)) }),
    arbitrary,
    simplify,
    decide,
    checkSolution,
    solutionToJson: (sol) => ({ halfSpaces: sol.halfSpaces.map(halfSpaceJson) }),
    exhaustive: { size: '|P| + |Q| + (d - 1) + the side c of the grid {0..c}^d of integer coordinates', enumerate, key },
    ...withConstruction(maps, { gadget: 'midpoint' }),
    mutants: [
      { name: 'no-gadget', description: 'P +, Q - without the gadget: the network may compute an OR', ...withConstruction(maps, { gadget: 'none' }) },
      { name: 'gadget-moved', description: 'the second gadget point moved from (p0, -1) to (p0, 2)', ...withConstruction(maps, { gadget: 'moved' }) },
      { name: 'gadget-flipped', description: 'the gadget point (p0, -1) labelled + instead of -', ...withConstruction(maps, { gadget: 'flipped' }) },
    ],
  },
  'built-in',
);
