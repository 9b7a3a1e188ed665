/**
 * Hostile certificates for the checker's cost model (docs/certificates.md
 * section 6): one generator per shape of the table there, each scaled by its
 * arguments. The tests check small versions with their cost counted
 * (tests/check/cost.test.ts); scripts/checker-bound.ts writes versions of
 * up to 10 MB and measures time and memory.
 *
 * Each generator returns the certificate's text and its kind.
 */
import { toInstance } from '../../src/format/schema.js';
import { instanceHash } from '../../src/format/write.js';

export interface Hostile {
  kind: 'training' | 'region' | 'gram';
  text: string;
}

type Json = any;

/** A relucert-instance/1 object on n points of dimension d (coordinates 0/1 patterns), k units, given output weights and loss. */
export function instanceOf(n: number, d: number, k: number, outputWeights: Json = 'positive', loss: Json = { type: 'exact' }): Json {
  return {
    format: 'relucert-instance/1',
    name: 'hostile',
    points: Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, t) => String((i >> (t % 20)) & 1 ? 1 : i % 7))),
    labels: Array.from({ length: n }, (_, i) => String(i % 3)),
    architecture: { hidden: k, activation: 'relu', outputWeights, outputBias: false },
    loss,
  };
}

function training(instance: Json, body: Json): Hostile {
  const cert = { format: 'relucert-certificate/2', instanceHash: instanceHash(toInstance(instance, 't')), instance, ...body };
  return { kind: 'training', text: withTrees(JSON.stringify(cert)) };
}

/**
 * Trees too deep for JSON.stringify are written as text: a generator puts
 * the placeholder "TREE:i" where tree i goes, and its text here.
 */
const deepTrees: string[] = [];
function deepTree(text: string): string {
  deepTrees.push(text);
  return `TREE:${deepTrees.length - 1}`;
}
function withTrees(json: string): string {
  const out = json.replace(/"TREE:(\d+)"/g, (_m, i: string) => deepTrees[Number(i)]!);
  deepTrees.length = 0;
  return out;
}

/** A chain of `depth` nodes as text: open(t) for t = 0..depth-1 around `inner`, each closed by close(t). */
function chain(depth: number, open: (t: number) => string, inner: string, close: (t: number) => string): string {
  const parts: string[] = [];
  for (let t = 0; t < depth; t++) parts.push(open(t));
  parts.push(inner);
  for (let t = depth - 1; t >= 0; t--) parts.push(close(t));
  return parts.join('');
}

/** The one-unit |x| instance (abs-3-k1): two sign cases, each refuted by one Farkas leaf. */
const ABS = {
  format: 'relucert-instance/1',
  name: 'abs-3-k1',
  points: [['-1'], ['0'], ['1']],
  labels: ['1', '0', '1'],
  architecture: { hidden: 1, activation: 'relu', outputWeights: 'signs', outputBias: false },
  loss: { type: 'exact' },
};
/** The cases of certificates/abs-3-k1.cert.json: a valid proof. */
const ABS_CASES = [
  {
    a: ['1'],
    tree: {
      split: { unit: 0, point: 2 },
      act: {
        split: { unit: 0, point: 0 },
        act: { leaf: 'farkas', multipliers: { 'fit:1': '2', 'zh:0:1': '2', 'actv:0:0': '1', 'fit:0': '-1', 'fit:2': '-1', 'actv:0:2': '1' } },
        inact: { leaf: 'farkas', multipliers: { 'inactv:0:0': '1', 'fit:0': '-1' } },
      },
      inact: { leaf: 'farkas', multipliers: { 'inactv:0:2': '1', 'fit:2': '-1' } },
    },
  },
  { a: ['-1'], tree: { leaf: 'farkas', multipliers: { 'fit:0': '-1', 'zlb:0:0': '1' } } },
];

/** `proof.lemmas` with `count` distinct names (R-lemmas-150k: a quadratic repeat check before). */
export function lemmaNames(count: number): Hostile {
  return training(ABS, { verdict: 'infeasible', proof: { lemmas: Array.from({ length: count }, (_, i) => `L${i}`), cases: ABS_CASES } });
}

/** A case lemma assuming `count` distinct literals, on 64 units (a quadratic repeat check before); its tree a lone leaf. */
export function lemmaAssumptions(count: number): Hostile {
  const n = Math.ceil(count / 64);
  const assume = Array.from({ length: count }, (_, t) => `${t % 2 ? 'act' : 'inact'}:${t % 64}:${Math.floor(t / 64)}`);
  const instance = instanceOf(n, 1, 64);
  const lemma = { assume, tree: { leaf: 'farkas', multipliers: {} } };
  return training(instance, {
    verdict: 'infeasible',
    proof: { lemmas: [], cases: [{ a: Array(64).fill('1'), lemmas: [lemma], tree: { leaf: 'lemma', index: 0 } }] },
  });
}

/** A valid witness whose weights have `digits` digits and cancel in pairs, over `points` points (R-witness-dos: integer products uncharged). */
export function witnessDigits(digits: number, points: number, units = 16): Hostile {
  const big = (seed: number): string => String(seed + 1).padEnd(digits, String(seed % 10));
  const instance = {
    ...instanceOf(points, 1, units, 'free'),
    points: Array.from({ length: points }, (_, i) => [String(i + 1)]),
    labels: Array(points).fill('0'),
  };
  const w = Array.from({ length: units }, (_, j) => [big(j >> 1)]);
  const a = Array.from({ length: units }, (_, j) => (j % 2 ? '-' : '') + big(7 + (j >> 1)));
  const network = {
    format: 'relucert-network/1',
    layers: [
      { activation: 'relu', weights: w, bias: Array(units).fill('0') },
      { activation: 'identity', weights: [a], bias: ['0'] },
    ],
  };
  return training(instance, { verdict: 'feasible', network });
}

/** One Farkas leaf naming `k * n` rows zh:j:i, each built with d + 2 coefficients (row construction uncharged before). */
export function rowConstruction(k: number, n: number, d: number): Hostile {
  const multipliers: Record<string, string> = {};
  for (let j = 0; j < k; j++) for (let i = 0; i < n; i++) multipliers[`zh:${j}:${i}`] = '1';
  const instance = instanceOf(n, d, k);
  return training(instance, { verdict: 'infeasible', proof: { lemmas: [], cases: [{ a: Array(k).fill('1'), tree: { leaf: 'farkas', multipliers } }] } });
}

/** A chain of `depth` splits (act: the next split, inact: a leaf) on k = 64 units; the deepest leaf fails F4. */
export function splitChain(depth: number): Hostile {
  const n = Math.ceil((depth + 1) / 64);
  const leaf = '{"leaf":"farkas","multipliers":{}}';
  const tree = deepTree(
    chain(
      depth,
      (t) => `{"split":{"unit":${t % 64},"point":${Math.floor(t / 64)}},"act":`,
      leaf,
      () => `,"inact":${leaf}}`,
    ),
  );
  return training(instanceOf(n, 1, 64), { verdict: 'infeasible', proof: { lemmas: [], cases: [{ a: Array(64).fill('1'), tree }] } });
}

/** abs-3-k1's proof with each multiplier of its last leaf scaled by p/q, p and q coprime of about `digits` digits (gcds charged by size; valid). */
export function bigFractions(digits: number): Hostile {
  const q = 10n ** BigInt(digits) + 7n;
  const p = 3n * q + 1n;
  const cases = JSON.parse(JSON.stringify(ABS_CASES));
  cases[1].tree.multipliers = { 'fit:0': `-${p}/${q}`, 'zlb:0:0': `${p}/${q}` };
  return training(ABS, { verdict: 'infeasible', proof: { lemmas: ['L4'], cases } });
}

/** A producer field holding `count` distinct integers of at least 6 digits (not shared by the reader). */
export function distinctNumbers(count: number): Hostile {
  return { kind: 'training', text: producerOf('0', 1).text.replace('[0]', `[${Array.from({ length: count }, (_, i) => 100000 + i).join(',')}]`) };
}

/** A producer field holding `count` copies of the JSON text `item` (the JSON reader's time and memory per value). */
export function producerOf(item: string, count: number): Hostile {
  const cert = { format: 'relucert-certificate/1', verdict: 'infeasible', instanceHash: '', instance: ABS, proof: {}, producer: 'ITEMS' };
  return { kind: 'training', text: JSON.stringify(cert).replace('"ITEMS"', `[${Array(count).fill(item).join(',')}]`) };
}

// ---------------------------------------------------------------- region certificates

function region(network: Json, lower: string[], upper: string[], tree: Json, fracBits = 0): Hostile {
  const cert = {
    format: 'relucert-region-certificate/1',
    network: { format: 'relucert-network/1', layers: network },
    quantisation: { fracBits },
    faultModel: { p: '2138816513', t: 0, variant: 'wrap' },
    region: { lower, upper },
    claim: { bound: '1' },
    tree,
  };
  return { kind: 'region', text: withTrees(JSON.stringify(cert)) };
}

/** A chain of splits on coordinate 0 at 0, 1, ..., making `leaves` leaves (low: a leaf, high: the rest), as text. */
function leafChain(leaves: number): string {
  return deepTree(
    chain(
      leaves - 1,
      (i) => `{"kind":"split","coordinate":0,"at":"${i}","low":{"kind":"leaf"},"high":`,
      '{"kind":"leaf"}',
      () => '}',
    ),
  );
}

/** 4 ReLUs with `digits`-digit weights whose products cancel in the output, `leaves` leaves (products of that size uncharged before). */
export function regionBigWeights(digits: number, leaves: number): Hostile {
  const big = '7'.repeat(digits);
  const network = [
    { activation: 'relu', weights: [[big], [big], [big], [big]], bias: ['0', '0', '0', '0'] },
    { activation: 'identity', weights: [['1', '-1', '1', '-1']], bias: ['0'] },
  ];
  return region(network, ['0'], [String(leaves)], leafChain(leaves));
}

/** `depth` nested splits over `inputs` inputs whose high children are malformed (a box per pending child before). */
export function regionDeep(depth: number, inputs: number): Hostile {
  const network = [
    { activation: 'relu', weights: [Array(inputs).fill('0')], bias: ['0'] },
    { activation: 'identity', weights: [['1']], bias: ['0'] },
  ];
  const tree = deepTree(
    chain(
      depth,
      (t) => `{"kind":"split","coordinate":${t % inputs},"at":"${depth - t}","low":`,
      '{"kind":"leaf"}',
      () => ',"high":"malformed"}',
    ),
  );
  return region(network, Array(inputs).fill('0'), Array(inputs).fill(String(2 * depth + 2)), tree);
}

/** One ReLU and `outputs` outputs (argmax class), `leaves` leaves: the class of a box is found in time linear in the outputs (quadratic before). */
export function regionManyOutputs(outputs: number, leaves: number): Hostile {
  const network = [
    { activation: 'relu', weights: [['1']], bias: ['0'] },
    {
      activation: 'identity',
      weights: Array.from({ length: outputs }, (_, i) => [i === 0 ? '1' : '0']),
      bias: Array.from({ length: outputs }, (_, i) => (i === 0 ? '1' : '0')),
    },
  ];
  return region(network, ['0'], [String(leaves)], leafChain(leaves));
}

/** `layers` ReLU layers of `width` units on 2 inputs and a chain of splits making `leaves` leaves (valid: many multiply-adds). */
export function regionWide(width: number, layers: number, leaves: number): Hostile {
  let s = 1;
  const r = (): string => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return `${(s % 2001) - 1000}/100000`;
  };
  const net: Json[] = [];
  let inputs = 2;
  for (let l = 0; l < layers; l++) {
    net.push({ activation: 'relu', weights: Array.from({ length: width }, () => Array.from({ length: inputs }, r)), bias: Array.from({ length: width }, r) });
    inputs = width;
  }
  net.push({ activation: 'identity', weights: [Array.from({ length: inputs }, r)], bias: [r()] });
  return region(net, ['0', '0'], [String(leaves), '1'], leafChain(leaves), 0);
}

// ---------------------------------------------------------------- Gram certificates

function gram(instance: Json, kernel: Json, pivots: number[], decay?: Json): Hostile {
  const cert = {
    format: 'relucert-gram-certificate/1',
    instanceHash: instanceHash(toInstance(instance, 't')),
    instance,
    kernel,
    pivots,
    bounds: Array.from({ length: pivots.length + 1 }, (_, r) => ({ r, tail: '1e300', next: '1e300' })),
    ...(decay === undefined ? {} : { decay }),
  };
  return { kind: 'gram', text: JSON.stringify(cert) };
}

/** `count` coordinates "1e99999", on points of 20 coordinates (expanded and hashed before the sizes were checked). */
export function gramExponents(count: number): Hostile {
  const n = Math.ceil(count / 20);
  const instance = { ...ABS, points: Array.from({ length: n }, () => Array(20).fill('1e99999')), labels: Array(n).fill('0') };
  const cert = {
    format: 'relucert-gram-certificate/1',
    instanceHash: 'sha256:' + '0'.repeat(64),
    instance,
    kernel: { type: 'polynomial', degree: 1, offset: '0' },
    pivots: [],
    bounds: [],
  };
  return { kind: 'gram', text: JSON.stringify(cert) };
}

/** n points in dimension d with `digits`-digit integer coordinates, degree Q, R pivots: an elimination as heavy as G5 allows. */
export function gramElimination(n: number, d: number, digits: number, degree: number, R: number): Hostile {
  const coordinate = (i: number, t: number): string => String(BigInt(i * 31 + t * 17 + 1) * 10n ** BigInt(digits - 4) + BigInt(i * t + 3));
  const instance = { ...ABS, points: Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, t) => coordinate(i, t))), labels: Array(n).fill('0') };
  return gram(
    instance,
    { type: 'polynomial', degree, offset: '1' },
    Array.from({ length: R }, (_, r) => r),
  );
}

/**
 * 2^depth lex leaves (format /3, lemma L10) over an instance of n points [0]
 * (label -1 at point 0, 0 elsewhere; 2 ReLU units with positive output
 * weights: f >= 0 cannot fit -1), below INACT(0, 0) and ACT(1, 0), in a full
 * tree of splits on unit 0 at points 1..depth; with `leaf` 'farkas' the same
 * tree with Farkas leaves (0 <= -1 from fit:0 and zlb) in their place. Each
 * lex leaf without a map names the identity map of the n points, which was
 * built for every leaf, uncharged (3 MB, 1,024 leaves over 500,000 points:
 * 26 s before).
 */
export function lexLeaves(n: number, depth: number, leaf: 'lex' | 'farkas' = 'lex'): Hostile {
  const instance = {
    format: 'relucert-instance/1',
    name: 'lexn',
    points: Array.from({ length: n }, () => ['0']),
    labels: Array.from({ length: n }, (_, i) => (i === 0 ? '-1' : '0')),
    architecture: { hidden: 2, activation: 'relu', outputWeights: 'positive', outputBias: false },
    loss: { type: 'exact' },
  };
  const farkas = { leaf: 'farkas', multipliers: { 'fit:0': '1', 'zlb:0:0': '1', 'zlb:1:0': '1' } };
  const bottom = leaf === 'lex' ? { leaf: 'lex', unit: 0, point: 0, units: [1, 0] } : farkas;
  const tree = (level: number): Json => (level === depth ? bottom : { split: { unit: 0, point: level + 1 }, act: tree(level + 1), inact: tree(level + 1) });
  const root = { split: { unit: 0, point: 0 }, act: farkas, inact: { split: { unit: 1, point: 0 }, act: tree(0), inact: farkas } };
  const cert = {
    format: 'relucert-certificate/3',
    verdict: 'infeasible',
    instanceHash: instanceHash(toInstance(instance, 't')),
    instance,
    proof: { lemmas: leaf === 'lex' ? ['L10'] : [], cases: [{ a: ['1', '1'], tree: root }] },
  };
  return { kind: 'training', text: JSON.stringify(cert) };
}
