/**
 * Blum & Rivest (Neural Networks 5(1), 1992; NIPS 1988): Set Splitting ->
 * training 2 threshold units with a threshold output ("3-node network").
 *
 * Source (`set-splitting/1`): elements 0..n-1 and sets S_1..S_m (nonempty).
 * Question: is there a 2-colouring of the elements with no monochromatic set?
 *
 * The textbook labelling in R^n: the origin +, each unit vector e_i -, each
 * set's indicator vector +. With an AND output it is exact. relucert's output
 * layer f = a1 s1 + a2 s2 + c cannot be pinned to AND: whichever output model
 * we choose ("free", or a fixed list like ["1","1"], with the bias that
 * classification needs), a free c lets the same network compute an OR, and
 * the textbook points are OR-separable whenever every set has >= 2 elements:
 *   s1 = [1/2 - sum x > 0] (origin), s2 = [sum x - 3/2 > 0] (the sets).
 * (Blum & Rivest face the same problem for their general 3-node network.)
 *
 * relucert's fix, one extra coordinate u and two extra points: every source
 * point gets u = 0, and the gadget adds (0, u=+1) and (0, u=-1), both labelled
 * -. The origin (+) is their midpoint, so the negatives are not inside any
 * convex set that misses a positive: no OR, no single half-space. With the
 * patterns (o1, not o2) and (not o1, o2) both negative, the only threshold
 * output pattern left is AND (XOR is not a threshold function). Proof in
 * docs/reductions.md; the fuzzer confirms it, and the mutants without the
 * gadget are caught.
 *
 * Target: 2 threshold units, output weights free, output bias, classification.
 * Solution maps: colouring -> the network of Blum & Rivest (weights -1 on one
 * colour, n on the other, bias 1/2) plus +-1 on u; network -> colouring by
 * "e_i is cut off by unit 0" (colour 0) or not (colour 1).
 */
import * as fc from 'fast-check';
import { z } from 'zod';
import { Q } from '../core/rational.js';
import type { Instance, Network, OutputWeights } from '../core/types.js';
import { InputError } from '../format/errors.js';
import { parseWith } from '../format/schema.js';
import { type Reduction, type Variant, constructionVariant, hiddenPreActivation, twoLayerNetwork } from './reduction.js';

export interface SetSplitting {
  elements: number;
  sets: number[][];
}

/** colours[i] in {0, 1} for element i. */
export interface Colouring {
  colours: number[];
}

const sourceSchema = z.strictObject({
  format: z.literal('set-splitting/1'),
  elements: z.number().int().min(1).max(64),
  sets: z.array(z.array(z.number().int().min(0))),
});

function parseSource(data: unknown, file: string): SetSplitting {
  const raw = parseWith(sourceSchema, data, file);
  raw.sets.forEach((s, j) => {
    if (s.length === 0) throw new InputError(file, `sets[${j}]`, 'is empty (an empty set can never be split; the reduction needs nonempty sets)');
    s.forEach((e, t) => {
      if (e >= raw.elements) throw new InputError(file, `sets[${j}][${t}]`, `element ${e} out of range (elements are 0..${raw.elements - 1})`);
    });
    if (new Set(s).size !== s.length) throw new InputError(file, `sets[${j}]`, 'lists an element twice');
  });
  return { elements: raw.elements, sets: raw.sets };
}

function checkSolution(src: SetSplitting, sol: Colouring): string | undefined {
  if (sol.colours.length !== src.elements) return `colouring has ${sol.colours.length} entries for ${src.elements} elements`;
  if (sol.colours.some((c) => c !== 0 && c !== 1)) return 'colours must be 0 or 1';
  for (const [j, s] of src.sets.entries()) {
    const cs = new Set(s.map((e) => sol.colours[e]));
    if (cs.size < 2) return `set ${j} [${s.join(', ')}] is monochromatic`;
  }
  return undefined;
}

function decide(src: SetSplitting): ReturnType<Reduction<SetSplitting, Colouring>['decide']> {
  const n = src.elements;
  const searched = `${2 ** n} colourings`;
  for (let mask = 0; mask < 2 ** n; mask++) {
    const colours = Array.from({ length: n }, (_, i) => (mask >> i) & 1);
    if (checkSolution(src, { colours }) === undefined) return { answer: 'yes', solution: { colours }, searched };
  }
  return { answer: 'no', searched };
}

/** How a variant builds its points; the correct variant is { gadget: 'midpoint', ... }. */
interface Construction {
  gadget: 'midpoint' | 'none' | 'moved';
  originLabel: 1 | -1;
  /** 0 = correct; 1 = every set's indicator uses element i + 1 (mod n). */
  shift: number;
  outputWeights: OutputWeights;
}

const CORRECT: Construction = { gadget: 'midpoint', originLabel: 1, shift: 0, outputWeights: { mode: 'free' } };

const zeros = (n: number): Q[] => Array.from({ length: n }, () => Q.ZERO);

function unit(n: number, i: number): Q[] {
  return Array.from({ length: n }, (_, t) => (t === i ? Q.ONE : Q.ZERO));
}

function buildInstance(src: SetSplitting, con: Construction, variant: string): Instance {
  const n = src.elements;
  const extra = con.gadget === 'none' ? [] : [Q.ZERO];
  const points: Q[][] = [];
  const labels: Q[] = [];
  const add = (x: Q[], y: number): void => {
    points.push([...x, ...extra]);
    labels.push(Q.of(y));
  };
  add(zeros(n), con.originLabel);
  for (let i = 0; i < n; i++) add(unit(n, i), -1);
  for (const s of src.sets) {
    const x = Array.from({ length: n }, () => Q.ZERO);
    for (const e of s) x[(e + con.shift) % n] = Q.ONE;
    add(x, 1);
  }
  if (con.gadget !== 'none') {
    const zero = zeros(n);
    points.push([...zero, Q.ONE]);
    labels.push(Q.MINUS_ONE);
    points.push([...zero, con.gadget === 'midpoint' ? Q.MINUS_ONE : Q.of(2)]);
    labels.push(Q.MINUS_ONE);
  }
  return {
    name: `set-splitting-n${n}-m${src.sets.length}`,
    description: `Blum-Rivest reduction (relucert variant ${variant}) of a Set Splitting instance with ${n} elements and sets ${JSON.stringify(src.sets)}`,
    source: 'relucert reduce set-splitting',
    points,
    labels,
    architecture: { hidden: 2, activation: 'threshold', outputWeights: con.outputWeights, outputBias: true },
    loss: { type: 'classification' },
  };
}

/** Blum & Rivest's network for a colouring: unit j cuts off exactly the unit vectors of colour j. */
function witness(src: SetSplitting, sol: Colouring, con: Construction): Network {
  const n = src.elements;
  const big = Q.of(n);
  const weights = [0, 1].map((j) => {
    const w = sol.colours.map((c) => (c === j ? Q.MINUS_ONE : big));
    return con.gadget === 'none' ? w : [...w, j === 0 ? Q.MINUS_ONE : Q.ONE];
  });
  const half = Q.of(1, 2);
  return twoLayerNetwork('threshold', weights, [half, half], [Q.ONE, Q.ONE], Q.of(-3, 2));
}

/** Colour 0: e_i is on the other side of unit 0 than the origin; colour 1 otherwise. */
function solutionFromWitness(src: SetSplitting, net: Network, con: Construction): Colouring {
  const n = src.elements;
  const extra = con.gadget === 'none' ? [] : [Q.ZERO];
  const side = (x: Q[]): boolean => hiddenPreActivation(net, 0, [...x, ...extra]).sign() > 0;
  const origin = side(zeros(n));
  return { colours: Array.from({ length: n }, (_, i) => (side(unit(n, i)) !== origin ? 0 : 1)) };
}

const variant = (name: string, kind: 'correct' | 'mutant', description: string, con: Construction): Variant<SetSplitting, Colouring> =>
  constructionVariant<SetSplitting, Colouring, Construction>({ toInstance: buildInstance, witness, solutionFromWitness }, name, kind, description, con);

/**
 * Small sources: 1..4 elements, 0..3 nonempty sets, mostly pairs: a set with
 * one element can never be split, so without pairs nearly every 'no' would be
 * a singleton, which is also 'no' on the target for a trivial reason.
 */
function arbitrary(): fc.Arbitrary<SetSplitting> {
  return fc.integer({ min: 1, max: 4 }).chain((n) => {
    const elem = fc.integer({ min: 0, max: n - 1 });
    const anySet = fc.uniqueArray(elem, { minLength: 1, maxLength: n });
    const set = n >= 2 ? fc.oneof({ arbitrary: fc.uniqueArray(elem, { minLength: 2, maxLength: 2 }), weight: 3 }, { arbitrary: anySet, weight: 1 }) : anySet;
    return fc.array(set, { maxLength: 3 }).map((sets) => ({ elements: n, sets: sets.map((s) => [...s].sort((a, b) => a - b)) }));
  });
}

/** Elements renumbered 0..k-1 by first use (unused ones dropped); then one fewer element when the last is unused. */
function simplify(src: SetSplitting): SetSplitting[] {
  const order: number[] = [];
  for (const s of src.sets) for (const e of s) if (!order.includes(e)) order.push(e);
  const out: SetSplitting[] = [];
  const compact = { elements: Math.max(1, order.length), sets: src.sets.map((s) => s.map((e) => order.indexOf(e)).sort((a, b) => a - b)) };
  if (JSON.stringify(compact) !== JSON.stringify(src)) out.push(compact);
  if (src.elements > 1 && !order.includes(src.elements - 1)) out.push({ elements: src.elements - 1, sets: src.sets });
  return out;
}

export const setSplitting: Reduction<SetSplitting, Colouring> = {
  name: 'set-splitting',
  sourceFormat: 'set-splitting/1',
  summary: 'Set Splitting -> 2 threshold units + threshold output, classification (Blum & Rivest 1992, with an AND-forcing gadget)',
  reference: 'A. Blum, R. L. Rivest, Training a 3-node neural network is NP-complete, Neural Networks 5(1):117-127, 1992',
  parseSource,
  sourceToJson: (s) => ({ format: 'set-splitting/1', elements: s.elements, sets: s.sets }),
  arbitrary,
  simplify,
  decide,
  checkSolution,
  solutionToJson: (sol) => ({ colours: sol.colours }),
  variants: [
    variant('correct', 'correct', 'origin +, e_i -, set indicators +, plus the gadget (0, u=+-1) - that forces an AND output; output weights free', CORRECT),
    variant('no-gadget', 'mutant', 'the textbook labelling without the gadget (output weights free): the network may compute an OR', { ...CORRECT, gadget: 'none' }),
    variant('no-gadget-ones', 'mutant', 'the textbook labelling without the gadget, output weights fixed ["1","1"] with output bias: still an OR', {
      ...CORRECT,
      gadget: 'none',
      outputWeights: { mode: 'fixed', values: [Q.ONE, Q.ONE] },
    }),
    variant('gadget-moved', 'mutant', 'the second gadget point moved from u = -1 to u = 2: the origin leaves the segment between the gadget points', {
      ...CORRECT,
      gadget: 'moved',
    }),
    variant('origin-negative', 'mutant', 'the origin labelled - instead of +', { ...CORRECT, originLabel: -1 }),
    variant('shifted-sets', 'mutant', 'off by one: each set indicator marks element i + 1 (mod n) instead of i', { ...CORRECT, shift: 1 }),
  ],
};
