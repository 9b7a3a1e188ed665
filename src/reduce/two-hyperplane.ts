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
import { type Reduction, type Variant, constructionVariant, hiddenPreActivation, qs, twoLayerNetwork } from './reduction.js';

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
  for (const [i, q] of src.Q.entries())
    if (sol.halfSpaces.every((h) => value(h, q).sign() > 0)) return `Q[${i}] is inside both half-spaces`;
  return undefined;
}

function decide(src: TwoHyperplane): ReturnType<Reduction<TwoHyperplane, TwoHalfSpaces>['decide']> {
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

function buildInstance(src: TwoHyperplane, con: Construction, variant: string): Instance {
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
    description: `2-hyperplane separability (Megiddo 1988) as a 3-node threshold network (relucert variant ${variant})`,
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
  const weights = con.gadget === 'none' ? [h1.w, h2.w] : [[...h1.w, big.neg()], [...h2.w, big]];
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

const variant = (name: string, kind: 'correct' | 'mutant', description: string, con: Construction): Variant<TwoHyperplane, TwoHalfSpaces> =>
  constructionVariant<TwoHyperplane, TwoHalfSpaces, Construction>({ toInstance: buildInstance, witness, solutionFromWitness }, name, kind, description, con);

/** Small sources: d in {1, 2}, 1..3 points in P, 0..3 in Q, integer coordinates in -2..2. */
function arbitrary(): fc.Arbitrary<TwoHyperplane> {
  return fc.integer({ min: 1, max: 2 }).chain((d) => {
    const pt = fc.array(fc.integer({ min: -2, max: 2 }), { minLength: d, maxLength: d }).map(qs);
    return fc.record({ P: fc.array(pt, { minLength: 1, maxLength: 3 }), Q: fc.array(pt, { maxLength: 3 }) });
  });
}

/** The same points with their last coordinate dropped (one dimension less). */
function simplify(src: TwoHyperplane): TwoHyperplane[] {
  const d = src.P[0]!.length;
  return d > 1 ? [{ P: src.P.map((x) => x.slice(0, d - 1)), Q: src.Q.map((x) => x.slice(0, d - 1)) }] : [];
}

const halfSpaceJson = (h: HalfSpace): unknown => ({ w: h.w.map(String), b: h.b.toString() });

export const twoHyperplane: Reduction<TwoHyperplane, TwoHalfSpaces> = {
  name: 'two-hyperplane',
  sourceFormat: 'two-hyperplane-separability/1',
  summary: '2-hyperplane separability -> 2 threshold units + threshold output, classification (Megiddo 1988, with an AND-forcing gadget)',
  reference: 'N. Megiddo, On the complexity of polyhedral separability, Discrete & Computational Geometry 3:325-337, 1988',
  parseSource,
  sourceToJson: (s) => ({ format: 'two-hyperplane-separability/1', P: s.P.map((x) => x.map(String)), Q: s.Q.map((x) => x.map(String)) }),
  arbitrary,
  simplify,
  decide,
  checkSolution,
  solutionToJson: (sol) => ({ halfSpaces: sol.halfSpaces.map(halfSpaceJson) }),
  variants: [
    variant('correct', 'correct', 'P +, Q - (u = 0), plus the gadget (p0, u=+-1) - that forces an AND output; output weights free', { gadget: 'midpoint' }),
    variant('no-gadget', 'mutant', 'P +, Q - without the gadget: the network may compute an OR', { gadget: 'none' }),
    variant('gadget-moved', 'mutant', 'the second gadget point moved from (p0, -1) to (p0, 2)', { gadget: 'moved' }),
    variant('gadget-flipped', 'mutant', 'the gadget point (p0, -1) labelled + instead of -', { gadget: 'flipped' }),
  ],
};
