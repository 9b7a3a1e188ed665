/**
 * Importing weights trained elsewhere and checking them exactly.
 *
 * Four input formats: `json` (a relucert-network/1 file), `torch-json` (a
 * JSON dump of a PyTorch state dict of a two-layer MLP), `onnx` (src/interop/onnx.ts)
 * and `safetensors` (src/interop/safetensors.ts). Every number is read
 * exactly, from its text (src/interop/json-text.ts) or from its IEEE 754 bits
 * (src/interop/binary-numbers.ts); no float decides anything.
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
import { networkOrWitness, readJsonFile, readNetworkOrWitness, readText } from '../format/schema.js';
import { type JsonText, JsonSyntaxError, parseJsonText } from './json-text.js';
import { readOnnx } from './onnx.js';
import { readSafetensors } from './safetensors.js';
import { type Tensor, rowsOf, shapeText } from './tensor.js';

export const weightFormats = ['json', 'torch-json', 'onnx', 'safetensors'] as const;
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
export function importWeights(file: string, format: WeightFormat, inst: Instance, opts: ImportConstraints & ReadConstraints = {}): ImportReport {
  const { network: read, notes } = readWeights(file, format, inst, opts);
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

export interface ReadConstraints {
  /** safetensors and torch-json: the names of the tensors (default: found from PyTorch's usual names). */
  tensors?: TensorNames;
}

/** Reads a --format option; an unknown name is an InputError naming the option. */
export function parseWeightFormat(v: string): WeightFormat {
  if (!(weightFormats as readonly string[]).includes(v))
    throw new InputError('command line', '--format', `unknown format ${JSON.stringify(v)} (known: ${weightFormats.join(', ')})`);
  return v as WeightFormat;
}

/** The format a weight file's name suggests: .onnx, .safetensors, else relucert json. */
export function formatOfFile(file: string): WeightFormat {
  const lower = file.toLowerCase();
  return lower.endsWith('.onnx') ? 'onnx' : lower.endsWith('.safetensors') ? 'safetensors' : 'json';
}

/**
 * A network as `eval` and `--start` read it: a relucert-network/1 file or a
 * feasible certificate (its witness) for `json`, else readWeights in that
 * format (default: formatOfFile). Throws InputError naming the file and field.
 */
export function readAnyNetwork(file: string, inst: Instance, format: WeightFormat = formatOfFile(file), c: ReadConstraints = {}): Network {
  return format === 'json' ? readNetworkOrWitness(file) : readWeights(file, format, inst, c).network;
}

/** The network of `--start FILE` (readAnyNetwork), brought to the instance's output-weight form (normalizeOutputWeights). */
export function readStartNetwork(file: string, inst: Instance): Network {
  return normalizeOutputWeights(inst, readAnyNetwork(file, inst)).network;
}

/** The network in the file, checked for dimensions against the instance. */
export function readWeights(file: string, format: WeightFormat, inst: Instance, c: ReadConstraints = {}): { network: Network; notes: string[] } {
  if (c.tensors && format !== 'torch-json' && format !== 'safetensors')
    throw new InputError('command line', '--tensors', `goes with --format torch-json or safetensors, not ${format}`);
  switch (format) {
    case 'json':
      return readRelucertJson(file, inst);
    case 'torch-json':
      return readTorchJson(readText(file), file, inst, c.tensors);
    case 'onnx': {
      const { network, notes, layerNodes } = readOnnx(file);
      checkDimensions(network, inst, file, layerNodes[0]!, layerNodes[layerNodes.length - 1]!);
      return { network, notes };
    }
    case 'safetensors':
      return readSafetensorsNetwork(file, inst, c.tensors);
    default:
      return assertNever(format);
  }
}

function readRelucertJson(file: string, inst: Instance): { network: Network; notes: string[] } {
  const net = networkOrWitness(readJsonFile(file), file);
  const lastAt = net.layers.length - 1;
  checkDimensions(net, inst, file, 'layers[0].weights', `layers[${lastAt}].weights`);
  return { network: net, notes: [`read a relucert-network/1 file with ${net.layers.length} layers`] };
}

/** The first layer takes the instance's dimension; the last has one output. */
function checkDimensions(net: Network, inst: Instance, file: string, firstField: string, lastField: string): void {
  const d = inst.points[0]!.length;
  const width = net.layers[0]!.weights[0]!.length;
  if (width !== d) throw new InputError(file, firstField, `rows have ${width} entries, the instance has dimension ${d}`);
  const outputs = net.layers[net.layers.length - 1]!.weights.length;
  if (outputs !== 1) throw new InputError(file, lastField, `has ${outputs} outputs, expected 1`);
}

// ---------------------------------------------------------------------------
// state dicts: torch-json and safetensors

/** Layer-name pairs (hidden, output) tried in order; `module.` prefixes (DataParallel) are dropped first. */
export const torchLayerNames: readonly (readonly [string, string])[] = [
  ['fc1', 'fc2'],
  ['0', '2'],
  ['hidden', 'output'],
  ['layer1', 'layer2'],
  ['linear1', 'linear2'],
  ['l1', 'l2'],
];

/** The tensors of a two-layer MLP by name; a bias may be absent (nn.Linear(bias=False)). */
export interface TensorNames {
  hiddenWeight: string;
  hiddenBias: string;
  outputWeight: string;
  outputBias: string;
}

/**
 * Reads `--tensors W1,b1,W2,b2`: the names of the hidden weight, hidden bias,
 * output weight and output bias (an empty name for a bias the file does not have).
 */
export function parseTensorNames(list: string): TensorNames {
  const parts = list.split(',').map((p) => p.trim());
  if (parts.length !== 4 || parts[0] === '' || parts[2] === '')
    throw new InputError('command line', '--tensors', `expected 4 comma-separated names W1,b1,W2,b2 (a bias may be empty), got ${JSON.stringify(list)}`);
  const [hiddenWeight, hiddenBias, outputWeight, outputBias] = parts as [string, string, string, string];
  return { hiddenWeight, hiddenBias, outputWeight, outputBias };
}

const WRAPPERS = ['state_dict', 'model_state_dict'];

/**
 * Reads a PyTorch state-dict dump: {"fc1.weight": k x d, "fc1.bias": k,
 * "fc2.weight": 1 x k, "fc2.bias": 1} (or the alternative names above, or
 * `P.0`/`P.2` for any prefix P); numbers as JSON numbers or strings, read
 * exactly. A missing bias (nn.Linear(bias=False)) is 0. Any other key is an
 * error: the dump must be exactly a two-layer MLP.
 */
export function readTorchJson(text: string, file: string, inst: Instance, names?: TensorNames): { network: Network; notes: string[] } {
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
  const dict: StateDict = {
    names: [...entries.keys()],
    field: (k) => keyPrefix + k,
    tensor: (k) => {
      const v = entries.get(k);
      return v === undefined ? undefined : jsonTensor(v, file, keyPrefix + k);
    },
    kind: 'key',
  };
  return networkFromStateDict(dict, file, inst, names, notes);
}

/**
 * Reads a safetensors file of a two-layer MLP: the tensor names as in a
 * PyTorch state dict (nn.Sequential: 0.weight, 0.bias, 2.weight, 2.bias; or
 * the other names torch-json knows), or as given by `names`.
 */
export function readSafetensorsNetwork(file: string, inst: Instance, names?: TensorNames): { network: Network; notes: string[] } {
  const { tensors, metadata } = readSafetensors(file);
  const notes =
    metadata.size > 0 ? [`metadata: ${[...metadata].map(([k, v]) => `${k}=${JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v)}`).join(', ')}`] : [];
  return networkFromStateDict({ names: [...tensors.keys()], field: (k) => k, tensor: (k) => tensors.get(k), kind: 'tensor' }, file, inst, names, notes);
}

/** Named tensors, read on demand (so that an unexpected name is reported before any value). */
interface StateDict {
  names: string[];
  /** How a name is shown in messages (with a wrapper or `module.` prefix). */
  field: (name: string) => string;
  tensor(name: string): Tensor | undefined;
  /** "key" (a JSON dump) or "tensor" (a binary file), for messages. */
  kind: string;
}

/**
 * A two-layer network from a state dict: hidden weight k x d (d the
 * instance's dimension), hidden bias k, output weight 1 x k (or a vector of
 * k), output bias 1 (or a scalar). Absent biases are 0. Any other name is an
 * error. The hidden activation is the instance's.
 */
function networkFromStateDict(
  dict: StateDict,
  file: string,
  inst: Instance,
  given: TensorNames | undefined,
  notes: string[],
): { network: Network; notes: string[] } {
  const names = given ?? defaultTensorNames(dict, file);
  const used = new Set([names.hiddenWeight, names.hiddenBias, names.outputWeight, names.outputBias].filter((n) => n !== ''));
  for (const k of dict.names) {
    if (!used.has(k)) throw new InputError(file, dict.field(k), `unexpected ${dict.kind}: a two-layer MLP has only ${[...used].map(dict.field).join(', ')}`);
  }
  const need = (k: string): Tensor => {
    const t = dict.tensor(k);
    if (t === undefined) throw new InputError(file, dict.field(k), `no such ${dict.kind} (${dict.kind}s: ${dict.names.map(dict.field).join(', ') || 'none'})`);
    return t;
  };
  const d = inst.points[0]!.length;
  const w1 = need(names.hiddenWeight);
  const w1Field = dict.field(names.hiddenWeight);
  if (w1.shape.length !== 2 || w1.data.length === 0)
    throw new InputError(file, w1Field, `is ${shapeText(w1.shape)}, expected a non-empty matrix (hidden units x inputs)`);
  const [k, width] = w1.shape as [number, number];
  if (width !== d) throw new InputError(file, w1Field, `rows have ${width} entries, the instance has dimension ${d}`);
  const vector = (name: string, length: number): Q[] => {
    if (name === '' || dict.tensor(name) === undefined) {
      notes.push(`${name === '' ? 'the bias' : dict.field(name)} is absent; taken as ${length === 1 ? '0' : 'zeros'}`);
      return Array.from({ length }, () => Q.ZERO);
    }
    const t = need(name);
    const ok = (t.shape.length === 1 && t.shape[0] === length) || (length === 1 && t.shape.length === 0);
    if (!ok)
      throw new InputError(
        file,
        dict.field(name),
        t.shape.length === 1 ? `has ${t.shape[0]} entries, expected ${length}` : `is ${shapeText(t.shape)}, expected a vector of ${length}`,
      );
    return t.data;
  };
  const b1 = vector(names.hiddenBias, k);
  const w2t = need(names.outputWeight);
  const w2Field = dict.field(names.outputWeight);
  let w2: Q[];
  if (w2t.shape.length === 2) {
    if (w2t.shape[0] !== 1 || w2t.shape[1] !== k)
      throw new InputError(file, w2Field, `has shape ${w2t.shape.join(' x ')}, expected 1 x ${k} (one output, ${k} hidden units)`);
    w2 = w2t.data;
  } else {
    w2 = vector(names.outputWeight, k);
    notes.push(`${w2Field} is a vector; read as a 1 x ${k} matrix`);
  }
  const b2 = vector(names.outputBias, 1)[0]!;
  const activation = inst.architecture.activation;
  const present = (n: string): boolean => n !== '' && dict.tensor(n) !== undefined;
  notes.unshift(
    `read ${[
      `${w1Field} (${k} x ${d})`,
      ...(present(names.hiddenBias) ? [dict.field(names.hiddenBias)] : []),
      `${w2Field} (1 x ${k})`,
      ...(present(names.outputBias) ? [dict.field(names.outputBias)] : []),
    ].join(', ')}; hidden activation ${activation} (from the instance), output identity`,
  );
  return {
    network: {
      layers: [
        { activation, ...(inst.architecture.slope !== undefined ? { slope: inst.architecture.slope } : {}), weights: rowsOf(w1), bias: b1 },
        { activation: 'identity', weights: [w2], bias: [b2] },
      ],
    },
    notes,
  };
}

function defaultTensorNames(dict: StateDict, file: string): TensorNames {
  const has = new Set(dict.names);
  const of = (h: string, o: string): TensorNames => ({
    hiddenWeight: `${h}.weight`,
    hiddenBias: `${h}.bias`,
    outputWeight: `${o}.weight`,
    outputBias: `${o}.bias`,
  });
  for (const [h, o] of torchLayerNames) if (has.has(`${h}.weight`) && has.has(`${o}.weight`)) return of(h, o);
  // Any prefix P with exactly two numbered linear layers P.i, P.j (nn.Sequential inside a module).
  const stems = dict.names.filter((k) => k.endsWith('.weight')).map((k) => k.slice(0, -'.weight'.length));
  const numbered = stems.map((s) => /^(.*?)(\d+)$/.exec(s));
  if (stems.length === 2 && numbered.every((m) => m !== null) && numbered[0]![1] === numbered[1]![1]) {
    const [a, b] = numbered as [RegExpExecArray, RegExpExecArray];
    return Number(a[2]) < Number(b[2]) ? of(a[0], b[0]) : of(b[0], a[0]);
  }
  const found = dict.names.map((k) => JSON.stringify(k)).join(', ') || 'none';
  throw new InputError(
    file,
    '(top level)',
    `no two-layer MLP found: expected fc1.weight and fc2.weight (or ${torchLayerNames
      .slice(1)
      .map(([h, o]) => `${h}.weight/${o}.weight`)
      .join(', ')}; or name them with --tensors W1,b1,W2,b2); ${dict.kind}s found: ${found}`,
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

/** A nested JSON array (or a single number) as a tensor; ragged rows are an error naming the row. */
function jsonTensor(v: JsonText, file: string, field: string): Tensor {
  if (v.kind !== 'array') return { shape: [], data: [readNumber(v, file, field)] };
  const shape: number[] = [];
  for (let probe: JsonText | undefined = v; probe?.kind === 'array'; probe = probe.items[0]) shape.push(probe.items.length);
  const data: Q[] = [];
  const walk = (x: JsonText, depth: number, at: string): void => {
    if (depth === shape.length) {
      data.push(readNumber(x, file, at));
      return;
    }
    if (x.kind !== 'array') throw new InputError(file, at, `expected an array (a row), found ${kindName(x)}`);
    if (x.items.length !== shape[depth])
      throw new InputError(file, at, `has ${x.items.length} entries, ${depth === 1 ? 'row 0' : `${field}${'[0]'.repeat(depth)}`} has ${shape[depth]}`);
    x.items.forEach((it, i) => walk(it, depth + 1, `${at}[${i}]`));
  };
  walk(v, 0, field);
  return { shape, data };
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
  // L1 holds for leaky ReLU too (positively homogeneous); not under a weight bound, which the rescaling could break
  if ((h.activation !== 'relu' && h.activation !== 'leaky-relu') || o.activation !== 'identity' || o.weights.length !== 1) return unchanged;
  if (inst.architecture.weightBound !== undefined) return unchanged;
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
    network: {
      layers: [
        { ...h, weights, bias },
        { activation: o.activation, weights: [out], bias: o.bias },
      ],
    },
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
      layers: net.layers.map((l) => ({ ...l, weights: l.weights.map((r) => r.map(round)), bias: l.bias.map(round) })),
    };
    const verdict = judge(inst, cand);
    if (!verdict.fits) continue;
    let maxChange = Q.ZERO;
    let denominator = 1n;
    net.layers.forEach((l, li) => {
      const c = cand.layers[li]!;
      const pairs: [Q, Q][] = [
        ...l.weights.flatMap((r, u) => r.map((v, t): [Q, Q] => [v, c.weights[u]![t]!])),
        ...l.bias.map((v, u): [Q, Q] => [v, c.bias[u]!]),
      ];
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
