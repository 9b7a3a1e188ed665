/**
 * Region certificates, relucert-region-certificate/1 (docs/stochastic.md
 * section 7): "for every real input in the box, the probability that the
 * stochastic network's class differs from its fault-free class is at most
 * BOUND".
 *
 * The certificate supplies only the network, the claim and the split tree;
 * the checker re-derives everything else itself (fault.ts): quantisation,
 * the closed-form fault counts (Lemma 1), their maximum over an interval
 * (Lemma 2), interval propagation and the Theorem 1 bound on every leaf. A
 * leaf's stated bound, if present, must equal the recomputed one.
 *
 * R1 reads the envelope, R2 the network (exactly, then hashed, bound to a
 * network file when one is given, and quantised), R3-R6 the quantisation,
 * fault model, region and claim. Each node of the tree is then checked by
 * one rule chosen from NODE_RULES by its kind: `split` (R7) and `leaf` (R7
 * shape, R8-R10). The walk keeps one box, changed in place on the way down
 * and restored on the way back, so a pending child holds one interval, not a
 * copy of the box; every node is charged to the work budget when visited.
 */
import { createHash } from 'node:crypto';
import { COST, charge } from './cost.js';
import { type Ctx, type Interval, type Layer, type Model, fieldRange, isOddPrime, quantise, theorem1 } from './fault.js';
import { describe, isRejection, readArray, readIndex, readInteger, readObject, readRat, readString, shortText } from './fields.js';
import { type JsonObject, type JsonValue, fieldPath } from './json.js';
import type { Rat } from './rational.js';
import { Rejection, quote } from './rejection.js';

export const REGION_FORMAT = 'relucert-region-certificate/1';

/** A layer of the network as the certificate writes it: exact weights (units x inputs) and biases. */
interface ExactLayer {
  relu: boolean;
  weights: Rat[][];
  bias: Rat[];
}

/** The network of R2, exactly as read (before quantisation). */
export interface RegionNetwork {
  layers: ExactLayer[];
}

/** What a valid region certificate proves. */
export interface RegionResult {
  kind: 'region';
  statement: string;
  /** the hash of the canonical form of the network (section 7) */
  networkHash: string;
  leaves: number;
}

/** R3: fracBits in [0, 64]. R4: t in [0, 4096], p below the bound of the deterministic Miller-Rabin test. */
const MAX_FRAC_BITS = 64;
const MAX_T = 4096;
const PRIME_LIMIT = 3_317_044_064_679_887_385_961_981n;

/**
 * Checks a region certificate's JSON, clause by clause (R1-R10, in that
 * order). `bound` is the network file of `--network`, already read: the
 * certificate's network must have its hash (R2), and the statement names it.
 */
export function checkRegion(cert: JsonValue, bound: { network: RegionNetwork; file: string } | undefined): RegionResult | Rejection {
  // R1: the envelope.
  const top = readObject(cert, 'R1', '', ['format', 'network', 'quantisation', 'faultModel', 'region', 'claim', 'tree']);
  if (isRejection(top)) return top;
  const get = (key: string): JsonValue | undefined => top.entries.get(key);
  const format = readString(get('format'), 'R1', 'format');
  if (isRejection(format)) return format;
  if (format !== REGION_FORMAT) return new Rejection('R1', 'format', quote(REGION_FORMAT), quote(format));

  const net = readNetwork(get('network'), 'network');
  if (isRejection(net)) return net;
  const hash = checkNetworkBinding(net, bound);
  if (isRejection(hash)) return hash;
  const frac = readQuantisation(get('quantisation'));
  if (isRejection(frac)) return frac;
  const scale = 1n << BigInt(frac);
  const model = readFaultModel(get('faultModel'));
  if (isRejection(model)) return model;
  const inputs = net.layers[0]!.weights[0]!.length;
  const region = readRegion(get('region'), inputs, scale);
  if (isRejection(region)) return region;
  const claim = readClaim(get('claim'));
  if (isRejection(claim)) return claim;

  const layers: Layer[] = net.layers.map((l) => ({
    relu: l.relu,
    weights: l.weights.map((row) => row.map((w) => quantise(w, scale))),
    bias: l.bias.map((b) => quantise(b, scale)),
  }));
  const walk: Walk = { ctx: { layers, scale, model }, box: region.box, claim, inputs, leaves: 0 };
  const tree = walkTree(get('tree'), walk);
  if (tree) return tree;

  const realBox = region.lower.map((lo, k) => `[${lo}, ${region.upper[k]!}]`).join(' x ');
  const network = bound === undefined ? `the network in the certificate (${hash})` : `the network ${quote(bound.file)} (${hash})`;
  const classRule = layers[layers.length - 1]!.weights.length === 1 ? 'sign class' : 'argmax class';
  const leaves = `${walk.leaves} ${walk.leaves === 1 ? 'leaf' : 'leaves'}`;
  return {
    kind: 'region',
    statement:
      `${network}, quantised with ${frac} fractional bits, with stochastic ReLUs (p = ${model.p}, t = ${model.t}, ${model.variant}): for every input in ` +
      `${realBox}, the probability that its ${classRule} differs from its fault-free class is at most ${claim} (${leaves})`,
    networkHash: hash,
    leaves: walk.leaves,
  };
}

// ---------------------------------------------------------------- R2: the network

/**
 * R2: a relucert-network/1 object: `format`, and `layers`, a non-empty list
 * of layers, each exactly {activation, weights, bias}; every layer but the
 * last `relu`, the last `identity`; `weights` a non-empty list of rows of
 * exact numbers, every row as long as the layer's number of inputs (the
 * previous layer's units; the first layer's rows all as long as its first);
 * `bias` one number per unit. Also reads a network file (`--network`).
 */
export function readNetwork(v: JsonValue | undefined, path: string): RegionNetwork | Rejection {
  const net = readObject(v, 'R2', path, ['format', 'layers']);
  if (isRejection(net)) return net;
  const format = readString(net.entries.get('format'), 'R2', fieldPath(path, 'format'));
  if (isRejection(format)) return format;
  if (format !== 'relucert-network/1') return new Rejection('R2', fieldPath(path, 'format'), '"relucert-network/1"', quote(format));
  const layersPath = fieldPath(path, 'layers');
  const list = readArray(net.entries.get('layers'), 'R2', layersPath);
  if (isRejection(list)) return list;
  if (list.items.length === 0) return new Rejection('R2', layersPath, 'at least one layer', 'an array of 0');
  const layers: ExactLayer[] = [];
  let inputs: number | undefined;
  for (const [l, item] of list.items.entries()) {
    const layer = readLayer(item, fieldPath(layersPath, l), l === list.items.length - 1, inputs);
    if (isRejection(layer)) return layer;
    layers.push(layer);
    inputs = layer.weights.length;
  }
  return { layers };
}

/** One layer of R2 (`inputs`: the previous layer's units; undefined for the first layer). */
function readLayer(v: JsonValue | undefined, path: string, last: boolean, inputs: number | undefined): ExactLayer | Rejection {
  const obj = readObject(v, 'R2', path, ['activation', 'weights', 'bias']);
  if (isRejection(obj)) return obj;
  const actPath = fieldPath(path, 'activation');
  const act = readString(obj.entries.get('activation'), 'R2', actPath);
  if (isRejection(act)) return act;
  if (act !== (last ? 'identity' : 'relu')) return new Rejection('R2', actPath, last ? '"identity" (the output layer)' : '"relu" (a hidden layer)', quote(act));
  const rowsPath = fieldPath(path, 'weights');
  const rows = readArray(obj.entries.get('weights'), 'R2', rowsPath);
  if (isRejection(rows)) return rows;
  if (rows.items.length === 0) return new Rejection('R2', rowsPath, 'at least one unit (a row of weights)', 'an array of 0');
  const weights: Rat[][] = [];
  for (const [u, row] of rows.items.entries()) {
    const width = inputs ?? weights[0]?.length;
    const numbers = readNumbers(row, fieldPath(rowsPath, u), width, 'weights (one per input of the layer)');
    if (isRejection(numbers)) return numbers;
    weights.push(numbers);
  }
  const bias = readNumbers(obj.entries.get('bias'), fieldPath(path, 'bias'), weights.length, 'biases (one per unit)');
  if (isRejection(bias)) return bias;
  return { relu: !last, weights, bias };
}

/** A list of exact numbers: `length` of them, or at least one when no length is set yet (the first row of the first layer). */
function readNumbers(v: JsonValue | undefined, path: string, length: number | undefined, what: string): Rat[] | Rejection {
  const list = readArray(v, 'R2', path);
  if (isRejection(list)) return list;
  if (length === undefined && list.items.length === 0) return new Rejection('R2', path, 'at least one weight', 'an array of 0');
  if (length !== undefined && list.items.length !== length) return new Rejection('R2', path, `${length} ${what}`, `${list.items.length}`);
  const out: Rat[] = [];
  for (const [t, item] of list.items.entries()) {
    const r = readRat(item, 'R2', fieldPath(path, t));
    if (isRejection(r)) return r;
    out.push(r);
  }
  return out;
}

/**
 * "sha256:" + the lowercase hex SHA-256 of the network's canonical form
 * (docs/stochastic.md section 7): `{"format":"relucert-network/1","layers":[
 * {"activation":A,"weights":[[...]],"bias":[...]},...]}`, no white space,
 * every number as its reduced fraction string, as for instances.
 */
export function networkHash(net: RegionNetwork): string {
  const list = (rs: Rat[]): string => `[${rs.map((r) => `"${r.toString()}"`).join(',')}]`;
  const layers = net.layers.map((l) => `{"activation":"${l.relu ? 'relu' : 'identity'}","weights":[${l.weights.map(list).join(',')}],"bias":${list(l.bias)}}`);
  const text = `{"format":"relucert-network/1","layers":[${layers.join(',')}]}`;
  return 'sha256:' + createHash('sha256').update(text, 'utf8').digest('hex');
}

/** R2 (binding): with a network file, the certificate's network has the file's hash. Returns the hash. */
function checkNetworkBinding(net: RegionNetwork, bound: { network: RegionNetwork; file: string } | undefined): string | Rejection {
  const hash = networkHash(net);
  if (bound === undefined) return hash;
  const fileHash = networkHash(bound.network);
  if (fileHash !== hash)
    return new Rejection('R2', 'network', `${fileHash} (the hash of ${bound.file})`, `${hash} (the hash of the canonical form of "network")`);
  return hash;
}

// ---------------------------------------------------------------- R3-R6

/** R3: `quantisation` is exactly {fracBits}, a JSON integer in [0, 64]. */
function readQuantisation(v: JsonValue | undefined): number | Rejection {
  const obj = readObject(v, 'R3', 'quantisation', ['fracBits']);
  if (isRejection(obj)) return obj;
  return readIndex(obj.entries.get('fracBits'), 'R3', 'quantisation.fracBits', MAX_FRAC_BITS + 1, 'fractional bits');
}

/**
 * R4: `faultModel` is exactly {p, t, variant}: p an odd prime below
 * PRIME_LIMIT (an exact integer); t a JSON integer in [0, 4096], 0 for the
 * variants exact and wrap, with 2^(t+1) < p; variant exact, wrap, poszero or
 * negpass.
 */
function readFaultModel(v: JsonValue | undefined): Model | Rejection {
  const obj = readObject(v, 'R4', 'faultModel', ['p', 't', 'variant']);
  if (isRejection(obj)) return obj;
  const pValue = obj.entries.get('p');
  const p = readInteger(pValue, 'R4', 'faultModel.p', 'the prime p');
  if (isRejection(p)) return p;
  if (p >= PRIME_LIMIT) return new Rejection('R4', 'faultModel.p', `a prime p below ${PRIME_LIMIT}`, describe(pValue));
  if (p < 3n || !isOddPrime(p)) return new Rejection('R4', 'faultModel.p', 'an odd prime p', `${p}, not an odd prime`);
  const t = readIndex(obj.entries.get('t'), 'R4', 'faultModel.t', MAX_T + 1, 'the truncation t');
  if (isRejection(t)) return t;
  const variant = readString(obj.entries.get('variant'), 'R4', 'faultModel.variant');
  if (isRejection(variant)) return variant;
  if (variant !== 'exact' && variant !== 'wrap' && variant !== 'poszero' && variant !== 'negpass')
    return new Rejection('R4', 'faultModel.variant', '"exact", "wrap", "poszero" or "negpass"', quote(variant));
  if ((variant === 'exact' || variant === 'wrap') && t !== 0) return new Rejection('R4', 'faultModel.t', `t = 0 (variant ${variant})`, `${t}`);
  if (1n << BigInt(t + 1) >= p) return new Rejection('R4', 'faultModel.t', `a truncation with 2^(t+1) < p = ${p}`, `${t}`);
  return { p, t, T: 1n << BigInt(t), variant };
}

/** R5: `region` is exactly {lower, upper}, one exact number per network input each, lower <= upper; and its quantised box. */
function readRegion(v: JsonValue | undefined, inputs: number, scale: bigint): { lower: Rat[]; upper: Rat[]; box: Interval[] } | Rejection {
  const obj = readObject(v, 'R5', 'region', ['lower', 'upper']);
  if (isRejection(obj)) return obj;
  const ends: Rat[][] = [];
  for (const key of ['lower', 'upper']) {
    const path = fieldPath('region', key);
    const list = readArray(obj.entries.get(key), 'R5', path);
    if (isRejection(list)) return list;
    if (list.items.length !== inputs) return new Rejection('R5', path, `${inputs} numbers (one per network input)`, `${list.items.length}`);
    const numbers: Rat[] = [];
    for (const [k, item] of list.items.entries()) {
      const r = readRat(item, 'R5', fieldPath(path, k));
      if (isRejection(r)) return r;
      numbers.push(r);
    }
    ends.push(numbers);
  }
  const [lower, upper] = ends as [Rat[], Rat[]];
  for (const [k, hi] of upper.entries())
    if (hi.lt(lower[k]!)) return new Rejection('R5', fieldPath('region.upper', k), `a number >= ${lower[k]!} (the lower end)`, hi.toString());
  return { lower, upper, box: lower.map((lo, k) => ({ lo: quantise(lo, scale), hi: quantise(upper[k]!, scale) })) };
}

/** R6: `claim` is exactly {bound}, an exact number >= 0. */
function readClaim(v: JsonValue | undefined): Rat | Rejection {
  const obj = readObject(v, 'R6', 'claim', ['bound']);
  if (isRejection(obj)) return obj;
  const bound = readRat(obj.entries.get('bound'), 'R6', 'claim.bound');
  if (isRejection(bound)) return bound;
  if (bound.sign() < 0) return new Rejection('R6', 'claim.bound', 'a bound >= 0', bound.toString());
  return bound;
}

// ---------------------------------------------------------------- R7-R10: the tree

/** The walk's state: the leaf checks' context, the box of the node being visited (changed in place), the claim, the leaves so far. */
interface Walk {
  ctx: Ctx;
  box: Interval[];
  claim: Rat;
  inputs: number;
  leaves: number;
}

/** A node to visit, and the interval its coordinate takes there (none at the root). */
interface Visit {
  node: JsonValue | undefined;
  path: string;
  coordinate: number;
  interval: Interval | undefined;
}

/** After a split's children: its coordinate's interval to put back. */
interface Restore {
  restore: number;
  interval: Interval;
}

type NodeRule = (node: JsonObject, at: Visit, walk: Walk) => Visit[] | Rejection;

const NODE_RULES: Readonly<Record<'split' | 'leaf', NodeRule>> = { split: checkSplit, leaf: checkLeaf };

/** R7-R10 on every node, depth first (low before high), with an explicit stack. */
function walkTree(tree: JsonValue | undefined, walk: Walk): Rejection | undefined {
  const todo: (Visit | Restore)[] = [{ node: tree, path: 'tree', coordinate: -1, interval: undefined }];
  for (let task = todo.pop(); task !== undefined; task = todo.pop()) {
    if ('restore' in task) {
      walk.box[task.restore] = task.interval;
      continue;
    }
    charge(COST.node);
    if (task.interval !== undefined) walk.box[task.coordinate] = task.interval;
    const node = task.node;
    if (node?.type !== 'object') return new Rejection('R7', task.path, 'a node {"kind": "split", ...} or {"kind": "leaf"}', describe(node));
    const kind = node.entries.get('kind');
    if (kind?.type !== 'string' || (kind.value !== 'split' && kind.value !== 'leaf'))
      return new Rejection('R7', fieldPath(task.path, 'kind'), '"split" or "leaf"', describe(kind));
    const children = NODE_RULES[kind.value](node, task, walk);
    if (isRejection(children)) return children;
    if (children.length === 0) continue;
    // both children change the same coordinate: its interval here is put back after them
    const c = children[0]!.coordinate;
    todo.push({ restore: c, interval: walk.box[c]! });
    todo.push(...children.reverse());
  }
  return undefined;
}

/**
 * R7, a split: exactly {kind, coordinate, at, low, high}; `coordinate` a
 * JSON integer below the number of inputs, `at` an integer with
 * lo <= at < hi for that coordinate of the node's box (both halves
 * non-empty). `low` gets [lo, at], `high` [at + 1, hi], so the leaves
 * partition the root box by construction.
 */
function checkSplit(node: JsonObject, at: Visit, walk: Walk): Visit[] | Rejection {
  const obj = readObject(node, 'R7', at.path, ['kind', 'coordinate', 'at', 'low', 'high']);
  if (isRejection(obj)) return obj;
  const c = readIndex(obj.entries.get('coordinate'), 'R7', fieldPath(at.path, 'coordinate'), walk.inputs, 'an input coordinate');
  if (isRejection(c)) return c;
  const atPath = fieldPath(at.path, 'at');
  const point = readInteger(obj.entries.get('at'), 'R7', atPath, 'a split point');
  if (isRejection(point)) return point;
  const iv = walk.box[c]!;
  if (point < iv.lo || point >= iv.hi)
    return new Rejection('R7', atPath, `a split point with ${iv.lo} <= at < ${iv.hi} (both halves non-empty)`, describe(obj.entries.get('at')));
  return [
    { node: obj.entries.get('low'), path: fieldPath(at.path, 'low'), coordinate: c, interval: { lo: iv.lo, hi: point } },
    { node: obj.entries.get('high'), path: fieldPath(at.path, 'high'), coordinate: c, interval: { lo: point + 1n, hi: iv.hi } },
  ];
}

/**
 * A leaf: exactly {kind} and optionally {bound} (R7); on its box, R8 every
 * pre-activation reachable under any fault pattern is a signed field
 * element; R9 the Theorem 1 bound, which a stated `bound` must equal; R10
 * that bound is at most the claim.
 */
function checkLeaf(node: JsonObject, at: Visit, walk: Walk): Visit[] | Rejection {
  const obj = readObject(node, 'R7', at.path, ['kind'], ['bound']);
  if (isRejection(obj)) return obj;
  walk.leaves++;
  const { ctx, box } = walk;
  const out = fieldRange(ctx, box);
  if (out !== undefined) {
    const half = (ctx.model.p - 1n) / 2n;
    return new Rejection(
      'R8',
      at.path,
      `every pre-activation within [-${half}, ${half}] (that is, [-(p-1)/2, (p-1)/2]) under any fault pattern`,
      `layer ${out.layer} unit ${out.unit} may reach [${shortText(out.z.lo.toString())}, ${shortText(out.z.hi.toString())}]`,
    );
  }
  const leafBound = theorem1(ctx, box);
  const stated = obj.entries.get('bound');
  if (stated !== undefined) {
    const boundPath = fieldPath(at.path, 'bound');
    const r = readRat(stated, 'R9', boundPath);
    if (isRejection(r)) return r;
    if (!r.eq(leafBound)) return new Rejection('R9', boundPath, `${leafBound} (the Theorem 1 bound on this leaf)`, r.toString());
  }
  if (walk.claim.lt(leafBound))
    return new Rejection(
      'R10',
      at.path,
      `a leaf bound <= ${walk.claim} (the claim)`,
      `${leafBound} on the box ${box.map((v) => `[${v.lo}, ${v.hi}]`).join(' x ')}`,
    );
  return [];
}
