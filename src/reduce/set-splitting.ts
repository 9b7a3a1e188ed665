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
import { permutations } from './enumerate.js';
import { type SourceAnswer, defineReduction, hiddenPreActivation, twoLayerNetwork, withConstruction } from './reduction.js';

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

function decide(src: SetSplitting): SourceAnswer<Colouring> {
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

function buildInstance(src: SetSplitting, con: Construction): Instance {
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
    description: `Blum-Rivest reduction (relucert construction: gadget ${con.gadget}, origin ${con.originLabel > 0 ? '+' : '-'}, set shift ${con.shift}, output weights ${con.outputWeights.mode}) of a Set Splitting instance with ${n} elements and sets ${JSON.stringify(src.sets)}`,
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

const maps = { toInstance: buildInstance, witness, solutionFromWitness };

const sortSets = (sets: number[][]): number[][] => sets.map((x) => [...x].sort((a, b) => a - b));

/** 1..4 elements, 0..3 nonempty sets, mostly pairs (a singleton can never be split: a 'no' for a trivial reason). */
function randomSystems(): fc.Arbitrary<SetSplitting> {
  return fc.integer({ min: 1, max: 4 }).chain((n) => {
    const elem = fc.integer({ min: 0, max: n - 1 });
    const anySet = fc.uniqueArray(elem, { minLength: 1, maxLength: n });
    const set = n >= 2 ? fc.oneof({ arbitrary: fc.uniqueArray(elem, { minLength: 2, maxLength: 2 }), weight: 3 }, { arbitrary: anySet, weight: 1 }) : anySet;
    return fc.array(set, { maxLength: 3 }).map((sets) => ({ elements: n, sets: sortSets(sets) }));
  });
}

/**
 * The smallest set systems that cannot be split, each minimal (drop any set and
 * it splits): a singleton; the triangle (the odd cycle of pairs); the star
 * {0,1} {0,2} {0,3} with the triple {1,2,3}, a 'no' with no odd cycle of pairs.
 */
const NO_CORES: { elements: number; sets: number[][] }[] = [
  { elements: 1, sets: [[0]] },
  {
    elements: 3,
    sets: [
      [0, 1],
      [1, 2],
      [0, 2],
    ],
  },
  {
    elements: 4,
    sets: [
      [0, 1],
      [0, 2],
      [0, 3],
      [1, 2, 3],
    ],
  },
];

/** A 'no' by construction: an unsplittable core (the triangle most often) on random elements, at most one element more, plus up to 2 random sets. */
function plantedNo(): fc.Arbitrary<SetSplitting> {
  const core = fc.oneof({ arbitrary: fc.constant(NO_CORES[1]!), weight: 2 }, fc.constant(NO_CORES[0]!), fc.constant(NO_CORES[2]!));
  return fc.record({ c: core, more: fc.integer({ min: 0, max: 1 }) }).chain(({ c, more }) => {
    const elements = Math.min(4, c.elements + more);
    const elem = fc.integer({ min: 0, max: elements - 1 });
    return fc
      .record({
        perm: fc.shuffledSubarray([...Array(elements).keys()], { minLength: elements, maxLength: elements }),
        extra: fc.array(fc.uniqueArray(elem, { minLength: 1, maxLength: elements }), { maxLength: c.sets.length >= 4 ? 1 : 2 }),
      })
      .map(({ perm, extra }) => ({ elements, sets: sortSets([...c.sets.map((x) => x.map((e) => perm[e]!)), ...extra]) }));
  });
}

/**
 * A tight 'yes': a planted colouring with both colours, and 1..4 sets each
 * split by it, so few colourings (often one, up to swapping) survive.
 */
function tightYes(): fc.Arbitrary<SetSplitting> {
  return fc.integer({ min: 2, max: 4 }).chain((n) => {
    const elem = fc.integer({ min: 0, max: n - 1 });
    const colours = fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n, maxLength: n }).filter((c) => c.includes(0) && c.includes(1));
    return fc
      .record({ colours, sets: fc.array(fc.uniqueArray(elem, { minLength: 1, maxLength: n }), { minLength: 1, maxLength: 4 }) })
      .map(({ colours, sets }) => ({
        elements: n,
        sets: sortSets(
          sets.map((x) => {
            const missing = [0, 1].find((c) => !x.some((e) => colours[e] === c));
            return missing === undefined ? x : [...x, colours.indexOf(missing)];
          }),
        ),
      }));
  });
}

/** Random systems, unsplittable cores ('no' by construction) and tight 'yes' sources, 2 : 1 : 1. */
function arbitrary(): fc.Arbitrary<SetSplitting> {
  return fc.oneof({ arbitrary: randomSystems(), weight: 2 }, { arbitrary: plantedNo(), weight: 1 }, { arbitrary: tightYes(), weight: 1 });
}

/**
 * Every source of size elements + sum of the set sizes: distinct nonempty
 * sets whose elements are 0..u-1 (the unused elements u..n-1 are
 * interchangeable, so they come last), sets sorted by bitmask.
 */
function* enumerate(size: number): Generator<SetSplitting> {
  for (let n = 1; n <= size; n++) {
    const budget = size - n;
    for (let u = 0; u <= Math.min(n, budget); u++) {
      const masks = [...Array(2 ** u).keys()].slice(1);
      const bits = (m: number): number[] => [...Array(u).keys()].filter((i) => (m >> i) & 1);
      const all = (1 << u) - 1;
      function* pick(from: number, left: number, used: number, chosen: number[]): Generator<number[]> {
        if (left === 0) {
          if (used === all) yield chosen;
          return;
        }
        for (let t = from; t < masks.length; t++) {
          const c = bits(masks[t]!).length;
          if (c <= left) yield* pick(t + 1, left - c, used | masks[t]!, [...chosen, masks[t]!]);
        }
      }
      for (const chosen of pick(0, budget, 0, [])) yield { elements: n, sets: chosen.map(bits) };
    }
  }
}

/** Equal for isomorphic sources: the least sorted set list over all renumberings of the used elements. */
function key(src: SetSplitting): string {
  const used = [...new Set(src.sets.flat())].sort((a, b) => a - b);
  let best: string | undefined;
  for (const perm of permutations(used.length)) {
    const map = new Map(used.map((e, i) => [e, perm[i]!]));
    const k = JSON.stringify(
      src.sets
        .map((x) => x.map((e) => map.get(e)!).sort((a, b) => a - b))
        .sort((a, b) => a.length - b.length || JSON.stringify(a).localeCompare(JSON.stringify(b))),
    );
    if (best === undefined || k < best) best = k;
  }
  return `${src.elements}:${best ?? '[]'}`;
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

export const setSplitting = defineReduction<SetSplitting, Colouring>(
  {
    name: 'set-splitting',
    sourceFormat: 'set-splitting/1',
    summary: 'Set Splitting -> 2 threshold units + threshold output, classification (Blum & Rivest 1992, with an AND-forcing gadget)',
    reference: 'A. Blum, R. L. Rivest, Training a 3-node neural network is NP-complete, Neural Networks 5(1):117-127, 1992',
    description: 'origin +, e_i -, set indicators +, plus the gadget (0, u=+-1) - that forces an AND output; output weights free',
    parseSource,
    sourceToJson: (s) => ({ format: 'set-splitting/1', elements: s.elements, sets: s.sets }),
    arbitrary,
    simplify,
    decide,
    checkSolution,
    solutionToJson: (sol) => ({ colours: sol.colours }),
    exhaustive: { size: 'elements + sum of the set sizes', enumerate, key },
    ...withConstruction(maps, CORRECT),
    mutants: [
      {
        name: 'no-gadget',
        description: 'the textbook labelling without the gadget (output weights free): the network may compute an OR',
        ...withConstruction(maps, { ...CORRECT, gadget: 'none' }),
      },
      {
        name: 'no-gadget-ones',
        description: 'the textbook labelling without the gadget, output weights fixed ["1","1"] with output bias: still an OR',
        ...withConstruction(maps, { ...CORRECT, gadget: 'none', outputWeights: { mode: 'fixed', values: [Q.ONE, Q.ONE] } }),
      },
      {
        name: 'gadget-moved',
        description: 'the second gadget point moved from u = -1 to u = 2: the origin leaves the segment between the gadget points',
        ...withConstruction(maps, { ...CORRECT, gadget: 'moved' }),
      },
      { name: 'origin-negative', description: 'the origin labelled - instead of +', ...withConstruction(maps, { ...CORRECT, originLabel: -1 }) },
      {
        name: 'shifted-sets',
        description: 'off by one: each set indicator marks element i + 1 (mod n) instead of i',
        ...withConstruction(maps, { ...CORRECT, shift: 1 }),
      },
    ],
  },
  'built-in',
);
