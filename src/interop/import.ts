/**
 * Importing weights trained elsewhere and checking them exactly.
 *
 * Two input formats: `json` (a relucert-network/1 file) and `torch-json` (a
 * JSON dump of a PyTorch state dict of a two-layer MLP). Every number is read
 * exactly from its text (src/interop/json-text.ts); no float decides anything.
 * The imported network is brought to the instance's output-weight form by
 * lemma L1 when it is a ReLU network (a*relu(z) = sign(a)*relu(|a|z)), then
 * evaluated exactly. `roundToFit` is the one place floats appear: they only
 * propose rounded candidates, each of which is checked exactly.
 */
import { type LossReport, lossOf, shapeErrors } from '../core/evaluate.js';
import { Q, approximate, parseRational } from '../core/rational.js';
import type { Instance, Layer, Network } from '../core/types.js';
import { assertNever } from '../core/types.js';
import { InputError } from '../format/errors.js';
import { readJsonFile, readText, toNetwork } from '../format/schema.js';
import { type JsonText, JsonSyntaxError, parseJsonText } from './json-text.js';

export const weightFormats = ['json', 'torch-json'] as const;
export type WeightFormat = (typeof weightFormats)[number];

export interface ImportConstraints {
  /** Search for a nearby rational network when the weights as read do not fit (default false). */
  round?: boolean;
  /** Largest denominator --round tries (default 1000). */
  maxDen?: bigint;
}

/** Exact evaluation of one candidate network against the instance. */
export interface Verdict {
  loss: LossReport;
  /** Architecture mismatches (shapeErrors); empty when the shape is the instance's. */
  shape: string[];
  /** max_i |f(x_i) - y_i|, for every loss type. */
  maxResidual: Q;
  fits: boolean;
}

export interface Rounding {
  /** The denominator bounds tried, in order. */
  tried: bigint[];
  /** The first bound at which the rounded network fits, when one does. */
  found?: {
    bound: bigint;
    /** The largest denominator among the rounded weights (<= bound). */
    denominator: bigint;
    /** max over all weights and biases of |rounded - as read|. */
    maxChange: Q;
    network: Network;
    verdict: Verdict;
  };
}

export interface ImportReport {
  format: WeightFormat;
  /** How the file was read: which keys, defaults taken. */
  notes: string[];
  /** L1 rescalings applied, one line per unit. */
  rescaled: string[];
  /** The network as read (after the exact L1 rescaling, which does not change f). */
  network: Network;
  verdict: Verdict;
  /** Present when rounding was asked for and the network as read does not fit. */
  rounding?: Rounding;
  /** The network to report and write: the rounded one when rounding found one, else `network`. */
  final: Network;
  fits: boolean;
}

/** Reads, normalises and checks a weight file; throws InputError on bad input. */
export function importWeights(file: string, format: WeightFormat, inst: Instance, opts: ImportConstraints = {}): ImportReport {
  const { network: read, notes } = readWeights(file, format, inst);
  const { network, rescaled } = normalizeOutputWeights(inst, read);
  const verdict = judge(inst, network);
  const report: ImportReport = { format, notes, rescaled, network, verdict, final: network, fits: verdict.fits };
  if (opts.round && !verdict.fits) {
    const rounding = roundToFit(inst, network, opts.maxDen ?? 1000n);
    report.rounding = rounding;
    if (rounding.found) {
      report.final = rounding.found.network;
      report.fits = true;
    }
  }
  return report;
}

/** The network in the file, checked for dimensions against the instance. */
export function readWeights(file: string, format: WeightFormat, inst: Instance): { network: Network; notes: string[] } {
  switch (format) {
    case 'json':
      return readRelucertJson(file, inst);
    case 'torch-json':
      return readTorchJson(readText(file), file, inst);
    default:
      return assertNever(format);
  }
}

function readRelucertJson(file: string, inst: Instance): { network: Network; notes: string[] } {
  const net = toNetwork(readJsonFile(file), file);
  const d = inst.points[0]!.length;
  const first = net.layers[0]!;
  if (first.weights[0]!.length !== d)
    throw new InputError(file, 'layers[0].weights', `rows have ${first.weights[0]!.length} entries, the instance has dimension ${d}`);
  const lastAt = net.layers.length - 1;
  if (net.layers[lastAt]!.weights.length !== 1)
    throw new InputError(file, `layers[${lastAt}].weights`, `has ${net.layers[lastAt]!.weights.length} outputs, expected 1`);
  return { network: net, notes: [`read a relucert-network/1 file with ${net.layers.length} layers`] };
}

// ---------------------------------------------------------------------------
// torch-json

/** Layer-name pairs (hidden, output) tried in order; `module.` prefixes (DataParallel) are dropped first. */
export const torchLayerNames: readonly (readonly [string, string])[] = [
  ['fc1', 'fc2'],
  ['0', '2'],
  ['hidden', 'output'],
  ['layer1', 'layer2'],
  ['linear1', 'linear2'],
  ['l1', 'l2'],
];

const WRAPPERS = ['state_dict', 'model_state_dict'];

/**
 * Reads a PyTorch state-dict dump: {"fc1.weight": k x d, "fc1.bias": k,
 * "fc2.weight": 1 x k, "fc2.bias": 1} (or the alternative names above, or
 * `P.0`/`P.2` for any prefix P); numbers as JSON numbers or strings, read
 * exactly. A missing bias (nn.Linear(bias=False)) is 0. Any other key is an
 * error: the dump must be exactly a two-layer MLP.
 */
export function readTorchJson(text: string, file: string, inst: Instance): { network: Network; notes: string[] } {
  let root: JsonText;
  try {
    root = parseJsonText(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new InputError(file, '', `not valid JSON (${e.message})`);
    throw e;
  }
  const notes: string[] = [];
  if (root.kind !== 'object') throw new InputError(file, '(top level)', `expected an object of tensors (a state dict), found ${kindName(root)}`);
  let entries = root.entries;
  let keyPrefix = '';
  for (const w of WRAPPERS) {
    const inner = entries.get(w);
    if (entries.size === 1 && inner?.kind === 'object') {
      entries = inner.entries;
      keyPrefix = `${w}.`;
      notes.push(`read the state dict under "${w}"`);
    }
  }
  const keys = [...entries.keys()];
  if (keys.length > 0 && keys.every((k) => k.startsWith('module.'))) {
    entries = new Map(keys.map((k) => [k.slice('module.'.length), entries.get(k)!]));
    keyPrefix += 'module.';
    notes.push('dropped the "module." prefix of every key');
  }
  const field = (k: string): string => keyPrefix + k;

  const [hiddenName, outputName] = findLayerNames(entries, file);
  const used = new Set([`${hiddenName}.weight`, `${hiddenName}.bias`, `${outputName}.weight`, `${outputName}.bias`]);
  for (const k of entries.keys()) {
    if (!used.has(k))
      throw new InputError(file, field(k), `unexpected key: a two-layer MLP has only ${[...used].join(', ')}`);
  }

  const d = inst.points[0]!.length;
  const w1Key = `${hiddenName}.weight`;
  const w1 = readMatrix(entries.get(w1Key)!, file, field(w1Key));
  const k = w1.length;
  if (w1[0]!.length !== d) throw new InputError(file, field(w1Key), `rows have ${w1[0]!.length} entries, the instance has dimension ${d}`);
  const b1 = readVector(entries.get(`${hiddenName}.bias`), file, field(`${hiddenName}.bias`), k, notes);

  const w2Key = `${outputName}.weight`;
  const w2Raw = entries.get(w2Key)!;
  let w2: Q[];
  if (w2Raw.kind === 'array' && w2Raw.items.every((it) => it.kind === 'array')) {
    const m = readMatrix(w2Raw, file, field(w2Key));
    if (m.length !== 1 || m[0]!.length !== k)
      throw new InputError(file, field(w2Key), `has shape ${m.length} x ${m[0]!.length}, expected 1 x ${k} (one output, ${k} hidden units)`);
    w2 = m[0]!;
  } else {
    w2 = readVector(w2Raw, file, field(w2Key), k, notes);
    notes.push(`${field(w2Key)} is a vector; read as a 1 x ${k} matrix`);
  }
  const b2Raw = entries.get(`${outputName}.bias`);
  const b2 =
    b2Raw?.kind === 'number' || b2Raw?.kind === 'string'
      ? readNumber(b2Raw, file, field(`${outputName}.bias`))
      : readVector(b2Raw, file, field(`${outputName}.bias`), 1, notes)[0]!;

  const activation = inst.architecture.activation;
  notes.unshift(
    `read ${[
      `${field(w1Key)} (${k} x ${d})`,
      ...(entries.has(`${hiddenName}.bias`) ? [field(`${hiddenName}.bias`)] : []),
      `${field(w2Key)} (1 x ${k})`,
      ...(b2Raw ? [field(`${outputName}.bias`)] : []),
    ].join(', ')}; hidden activation ${activation} (from the instance), output identity`,
  );
  return {
    network: {
      layers: [
        { activation, weights: w1, bias: b1 },
        { activation: 'identity', weights: [w2], bias: [b2] },
      ],
    },
    notes,
  };
}

function findLayerNames(entries: Map<string, JsonText>, file: string): [string, string] {
  for (const [h, o] of torchLayerNames) if (entries.has(`${h}.weight`) && entries.has(`${o}.weight`)) return [h, o];
  // Any prefix P with exactly two numbered linear layers P.i, P.j (nn.Sequential inside a module).
  const stems = [...entries.keys()].filter((k) => k.endsWith('.weight')).map((k) => k.slice(0, -'.weight'.length));
  const numbered = stems.map((s) => /^(.*?)(\d+)$/.exec(s));
  if (stems.length === 2 && numbered.every((m) => m !== null) && numbered[0]![1] === numbered[1]![1]) {
    const [a, b] = numbered as [RegExpExecArray, RegExpExecArray];
    return Number(a[2]) < Number(b[2]) ? [a[0], b[0]] : [b[0], a[0]];
  }
  const found = [...entries.keys()].map((k) => JSON.stringify(k)).join(', ') || 'none';
  throw new InputError(
    file,
    '(top level)',
    `no two-layer MLP found: expected fc1.weight and fc2.weight (or ${torchLayerNames
      .slice(1)
      .map(([h, o]) => `${h}.weight/${o}.weight`)
      .join(', ')}); keys found: ${found}`,
  );
}

function kindName(v: JsonText): string {
  return v.kind === 'bool' ? 'a boolean' : v.kind === 'null' ? 'null' : v.kind === 'array' ? 'an array' : `a ${v.kind}`;
}

function readNumber(v: JsonText, file: string, field: string): Q {
  if (v.kind === 'number') {
    const r = parseRational(v.text);
    if (r === undefined) throw new InputError(file, field, `${v.text} is not a finite number`);
    return r;
  }
  if (v.kind === 'string') {
    const r = parseRational(v.value);
    if (r === undefined) throw new InputError(file, field, `not a number: ${JSON.stringify(v.value)}`);
    return r;
  }
  throw new InputError(file, field, `expected a number, found ${kindName(v)}`);
}

function readVector(v: JsonText | undefined, file: string, field: string, length: number, notes: string[]): Q[] {
  if (v === undefined) {
    notes.push(`${field} is absent; taken as ${length === 1 ? '0' : 'zeros'}`);
    return Array.from({ length }, () => Q.ZERO);
  }
  if (v.kind !== 'array') throw new InputError(file, field, `expected an array of ${length} numbers, found ${kindName(v)}`);
  if (v.items.length !== length) throw new InputError(file, field, `has ${v.items.length} entries, expected ${length}`);
  return v.items.map((it, i) => readNumber(it, file, `${field}[${i}]`));
}

function readMatrix(v: JsonText, file: string, field: string): Q[][] {
  if (v.kind !== 'array' || v.items.length === 0) throw new InputError(file, field, `expected a non-empty matrix (array of rows), found ${v.kind === 'array' ? 'an empty array' : kindName(v)}`);
  const rows = v.items.map((row, u) => {
    if (row.kind !== 'array') throw new InputError(file, `${field}[${u}]`, `expected a row (array of numbers), found ${kindName(row)}`);
    return row.items.map((it, t) => readNumber(it, file, `${field}[${u}][${t}]`));
  });
  const width = rows[0]!.length;
  if (width === 0) throw new InputError(file, `${field}[0]`, 'is an empty row');
  rows.forEach((r, u) => {
    if (r.length !== width) throw new InputError(file, `${field}[${u}]`, `has ${r.length} entries, row 0 has ${width}`);
  });
  return rows;
}

// ---------------------------------------------------------------------------
// normalisation and exact checking

/**
 * Lemma L1 on a ReLU network: unit j with output weight a and target t of the
 * same sign becomes t * relu((a/t) w.x + (a/t) b), the same function; a unit
 * with a = 0 becomes (t, w = 0, b = 0), also the same function. Targets:
 * `signs` sign(a) (or +1 when a = 0), `positive` 1, a fixed list its entry,
 * `free` none. Threshold units and other shapes are returned unchanged
 * (a*step(cz) = a*step(z) for c > 0, so their output weights cannot move).
 */
export function normalizeOutputWeights(inst: Instance, net: Network): { network: Network; rescaled: string[] } {
  const unchanged = { network: net, rescaled: [] };
  if (net.layers.length !== 2) return unchanged;
  const [h, o] = net.layers as [Layer, Layer];
  if (h.activation !== 'relu' || o.activation !== 'identity' || o.weights.length !== 1) return unchanged;
  const mode = inst.architecture.outputWeights;
  const a = o.weights[0]!;
  const target = (j: number): Q | undefined => {
    switch (mode.mode) {
      case 'free':
        return undefined;
      case 'signs':
        return a[j]!.sign() < 0 ? Q.MINUS_ONE : Q.ONE;
      case 'positive':
        return Q.ONE;
      case 'fixed':
        return mode.values[j];
      default:
        return assertNever(mode);
    }
  };
  const rescaled: string[] = [];
  const weights = h.weights.map((r) => [...r]);
  const bias = [...h.bias];
  const out = [...a];
  a.forEach((aj, j) => {
    const t = target(j);
    if (t === undefined || t.isZero() || aj.eq(t)) return;
    if (aj.isZero()) {
      weights[j] = weights[j]!.map(() => Q.ZERO);
      bias[j] = Q.ZERO;
      out[j] = t;
      rescaled.push(`unit ${j}: output weight 0 -> ${t}, with w = 0 and b = 0 (the same zero function, L1)`);
    } else if (aj.sign() === t.sign()) {
      const c = aj.div(t);
      weights[j] = weights[j]!.map((v) => v.mul(c));
      bias[j] = bias[j]!.mul(c);
      out[j] = t;
      rescaled.push(`unit ${j}: output weight ${aj} -> ${t}, w and b scaled by ${c} (ReLU homogeneity, L1)`);
    }
  });
  if (rescaled.length === 0) return unchanged;
  return {
    network: { layers: [{ activation: h.activation, weights, bias }, { activation: o.activation, weights: [out], bias: o.bias }] },
    rescaled,
  };
}

/** Exact loss and shape of `net` on `inst`. Assumes the dimensions match (readWeights checks them). */
export function judge(inst: Instance, net: Network): Verdict {
  const loss = lossOf(inst, net);
  const shape = shapeErrors(inst, net);
  const maxResidual = loss.outputs.reduce((m, f, i) => Q.max(m, f.sub(inst.labels[i]!).abs()), Q.ZERO);
  return { loss, shape, maxResidual, fits: loss.withinBound && shape.length === 0 };
}

/** Denominator bounds 1, 2, 4, ... below maxDen, then maxDen. */
export function denominatorBounds(maxDen: bigint): bigint[] {
  const out: bigint[] = [];
  for (let d = 1n; d < maxDen; d *= 2n) out.push(d);
  out.push(maxDen);
  return out;
}

/**
 * For each bound D in denominatorBounds(maxDen), rounds every weight and bias
 * to `approximate(w, D)` and keeps the first network that fits exactly.
 * Floats only propose; `judge` decides.
 */
export function roundToFit(inst: Instance, net: Network, maxDen: bigint): Rounding {
  const tried: bigint[] = [];
  for (const bound of denominatorBounds(maxDen)) {
    tried.push(bound);
    const round = (x: Q): Q => (x.den <= bound ? x : approximate(toFloat(x), bound));
    const cand: Network = {
      layers: net.layers.map((l) => ({ activation: l.activation, weights: l.weights.map((r) => r.map(round)), bias: l.bias.map(round) })),
    };
    const verdict = judge(inst, cand);
    if (!verdict.fits) continue;
    let maxChange = Q.ZERO;
    let denominator = 1n;
    net.layers.forEach((l, li) => {
      const c = cand.layers[li]!;
      const pairs: [Q, Q][] = [...l.weights.flatMap((r, u) => r.map((v, t): [Q, Q] => [v, c.weights[u]![t]!])), ...l.bias.map((v, u): [Q, Q] => [v, c.bias[u]!])];
      for (const [x, y] of pairs) {
        maxChange = Q.max(maxChange, x.sub(y).abs());
        if (y.den > denominator) denominator = y.den;
      }
    });
    return { tried, found: { bound, denominator, maxChange, network: cand, verdict } };
  }
  return { tried };
}

/** A double close to x, also when num or den overflow a double (for proposing candidates only). */
export function toFloat(x: Q): number {
  const n = Number(x.num);
  const d = Number(x.den);
  if (Number.isFinite(n) && Number.isFinite(d)) return n / d;
  const bits = (v: bigint): number => (v < 0n ? -v : v).toString(2).length;
  const shift = BigInt(Math.max(bits(x.num), bits(x.den)) - 1000);
  const r = Number(x.num >> shift) / Number(x.den >> shift);
  return Number.isFinite(r) ? r : x.sign() * Number.MAX_VALUE;
}
