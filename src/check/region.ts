/* eslint-disable @typescript-eslint/only-throw-error -- Reject is thrown as data; the rewrite in the style of proof.ts (rejections returned) removes this */
/**
 * Checker for relucert-region-certificate/1 (docs/stochastic.md section 7):
 * "for every real input in the box, the probability that the stochastic
 * network's class differs from its fault-free class is at most BOUND".
 *
 * Part of the independent checker: imports only src/check files, no floating
 * point. It re-derives everything it uses from the certificate's own data:
 * quantisation, the closed-form fault counts (Lemma 1), their maximum over an
 * interval (Lemma 2), interval propagation and the Theorem 1 bound on every
 * leaf. The certificate supplies only the network, the claim and the split
 * tree; a leaf's stated bound, if present, must equal the recomputed one.
 * Clause numbers (R1..R10) are those of docs/stochastic.md section 7.
 */
import { type JsonValue, fieldPath, isJsonError, parseJson } from './json.js';
import { MAX_DIGITS, Rat, WORK_LIMIT, metered, overDigitLimit } from './rational.js';
import { smallInteger } from './fields.js';
import { printable, quote } from './rejection.js';

export type RegionCheckOutcome =
  | { status: 'valid'; statement: string }
  | { status: 'rejected'; rule: string; path: string; message: string }
  | { status: 'bad-input'; file: string; field: string; message: string };

export const REGION_FORMAT = 'relucert-region-certificate/1';

/** Resource limits of the checker (R7). */
const MAX_NODES = 1_000_000;
/**
 * Multiply-adds of interval arithmetic over all leaves (R7). Measured at
 * about 17 million per second of CPU time: half a minute at the limit.
 */
export const MAX_REGION_WORK = 500_000_000n;
const MAX_DEPTH = 100_000;
const MAX_FRAC_BITS = 64;
const PRIME_LIMIT = 3_317_044_064_679_887_385_961_981n;

class Reject {
  constructor(
    readonly rule: string,
    readonly path: string,
    readonly message: string,
  ) {}
}

/** Checks a region certificate. Never throws on bad certificates. */
export function checkRegionCertificate(text: string, file: string): RegionCheckOutcome {
  const doc = parseJson(text);
  if (isJsonError(doc))
    return { status: 'bad-input', file, field: doc.path, message: `not valid JSON at line ${doc.line} column ${doc.column}: ${doc.message}` };
  try {
    const outcome = metered(() => checkDocument(doc));
    if (outcome === 'work-limit')
      throw new Reject('R7', '', `the numbers need more than ${WORK_LIMIT} units of arithmetic work (docs/certificates.md section 6)`);
    return outcome;
  } catch (e) {
    if (e instanceof Reject)
      return { status: 'rejected', rule: e.rule, path: e.path, message: printable(`${e.rule} at ${e.path || '(top level)'}: ${e.message}`) };
    throw e;
  }
}

// ---------------------------------------------------------------------------
// Reading fields.

type Obj = Map<string, JsonValue>;

function object(v: JsonValue | undefined, rule: string, path: string, required: string[], optional: string[] = []): Obj {
  if (v === undefined) throw new Reject(rule, path, 'missing');
  if (v.type !== 'object') throw new Reject(rule, path, `expected an object, got ${v.type}`);
  for (const k of v.entries.keys()) if (!required.includes(k) && !optional.includes(k)) throw new Reject(rule, fieldPath(path, k), 'unknown field');
  for (const k of required) if (!v.entries.has(k)) throw new Reject(rule, fieldPath(path, k), 'missing');
  return v.entries;
}

function array(v: JsonValue | undefined, rule: string, path: string): JsonValue[] {
  if (v === undefined) throw new Reject(rule, path, 'missing');
  if (v.type !== 'array') throw new Reject(rule, path, `expected an array, got ${v.type}`);
  return v.items;
}

function string(v: JsonValue | undefined, rule: string, path: string): string {
  if (v === undefined || v.type !== 'string') throw new Reject(rule, path, 'expected a string');
  return v.value;
}

/** A rational: a JSON integer token or a string "-3", "7/2", "0.125". */
function rational(v: JsonValue | undefined, rule: string, path: string): Rat {
  let r: Rat | undefined;
  if (v?.type === 'string') r = Rat.parse(v.value);
  else if (v?.type === 'number' && /^-?[0-9]+$/.test(v.text)) r = Rat.parse(v.text);
  if (r === undefined && v?.type === 'string' && overDigitLimit(v.value))
    throw new Reject(rule, path, `expected a number of at most ${MAX_DIGITS} digits, an exponent e counting as |e|`);
  if (r === undefined) throw new Reject(rule, path, 'expected an exact rational (an integer, "p/q", a finite decimal or "1e-3" string)');
  return r;
}

function integer(v: JsonValue | undefined, rule: string, path: string): bigint {
  const r = rational(v, rule, path);
  if (r.den !== 1n) throw new Reject(rule, path, `expected an integer, got ${r}`);
  return r.num;
}

function smallInt(v: JsonValue | undefined, rule: string, path: string, min: number, max: number): number {
  const n = integer(v, rule, path);
  if (n < BigInt(min) || n > BigInt(max)) throw new Reject(rule, path, `expected an integer in [${min}, ${max}], got ${n}`);
  // n is within [min, max] (small), so its decimal text converts without floating point
  const magnitude = smallInteger((n < 0n ? -n : n).toString());
  if (magnitude === undefined) throw new Reject(rule, path, `integer out of range: ${n}`);
  return n < 0n ? -magnitude : magnitude;
}

// ---------------------------------------------------------------------------
// The model.

interface Layer {
  relu: boolean;
  weights: bigint[][];
  bias: bigint[];
}

type Variant = 'exact' | 'wrap' | 'poszero' | 'negpass';

interface Model {
  p: bigint;
  t: number;
  T: bigint;
  variant: Variant;
}

interface Interval {
  lo: bigint;
  hi: bigint;
}

function checkDocument(doc: JsonValue): RegionCheckOutcome {
  // R1: the envelope.
  const top = object(doc, 'R1', '', ['format', 'network', 'quantisation', 'faultModel', 'region', 'claim', 'tree']);
  const format = string(top.get('format'), 'R1', 'format');
  if (format !== REGION_FORMAT) throw new Reject('R1', 'format', `expected "${REGION_FORMAT}", got ${quote(format)}`);

  // R3: quantisation (read first: the network is quantised as it is read).
  const quant = object(top.get('quantisation'), 'R3', 'quantisation', ['fracBits']);
  const frac = smallInt(quant.get('fracBits'), 'R3', 'quantisation.fracBits', 0, MAX_FRAC_BITS);
  const scale = 1n << BigInt(frac);

  // R2: the network, quantised with round-to-nearest, ties away from zero.
  const net = object(top.get('network'), 'R2', 'network', ['format', 'layers']);
  if (string(net.get('format'), 'R2', 'network.format') !== 'relucert-network/1') throw new Reject('R2', 'network.format', 'expected "relucert-network/1"');
  const rawLayers = array(net.get('layers'), 'R2', 'network.layers');
  if (rawLayers.length === 0) throw new Reject('R2', 'network.layers', 'no layers');
  const layers: Layer[] = [];
  let width = -1;
  rawLayers.forEach((raw, l) => {
    const path = fieldPath('network.layers', l);
    const o = object(raw, 'R2', path, ['activation', 'weights', 'bias']);
    const act = string(o.get('activation'), 'R2', fieldPath(path, 'activation'));
    const last = l === rawLayers.length - 1;
    if (act !== (last ? 'identity' : 'relu'))
      throw new Reject('R2', fieldPath(path, 'activation'), `expected ${last ? 'identity (output layer)' : 'relu (hidden layer)'}, got ${quote(act)}`);
    const rows = array(o.get('weights'), 'R2', fieldPath(path, 'weights'));
    if (rows.length === 0) throw new Reject('R2', fieldPath(path, 'weights'), 'no units');
    const weights = rows.map((row, u) => {
      const rp = fieldPath(fieldPath(path, 'weights'), u);
      const items = array(row, 'R2', rp);
      if (width >= 0 && items.length !== width) throw new Reject('R2', rp, `has ${items.length} entries, expected ${width}`);
      if (items.length === 0) throw new Reject('R2', rp, 'empty row');
      width = items.length;
      return items.map((w, k) => roundRat(rational(w, 'R2', fieldPath(rp, k)).mul(Rat.of(scale))));
    });
    const biasItems = array(o.get('bias'), 'R2', fieldPath(path, 'bias'));
    if (biasItems.length !== rows.length) throw new Reject('R2', fieldPath(path, 'bias'), `has ${biasItems.length} entries for ${rows.length} units`);
    const bias = biasItems.map((b, u) => roundRat(rational(b, 'R2', fieldPath(fieldPath(path, 'bias'), u)).mul(Rat.of(scale))));
    layers.push({ relu: !last, weights, bias });
    width = rows.length;
  });
  const inputDim = layers[0]!.weights[0]!.length;

  // R4: the fault model.
  const fm = object(top.get('faultModel'), 'R4', 'faultModel', ['p', 't', 'variant']);
  const p = integer(fm.get('p'), 'R4', 'faultModel.p');
  if (p >= PRIME_LIMIT) throw new Reject('R4', 'faultModel.p', `must be below ${PRIME_LIMIT}`);
  if (p < 3n || !isOddPrime(p)) throw new Reject('R4', 'faultModel.p', `${p} is not an odd prime`);
  const t = smallInt(fm.get('t'), 'R4', 'faultModel.t', 0, 4096);
  const variant = string(fm.get('variant'), 'R4', 'faultModel.variant');
  if (variant !== 'exact' && variant !== 'wrap' && variant !== 'poszero' && variant !== 'negpass')
    throw new Reject('R4', 'faultModel.variant', `expected exact, wrap, poszero or negpass, got ${quote(variant)}`);
  if ((variant === 'exact' || variant === 'wrap') && t !== 0) throw new Reject('R4', 'faultModel.t', `variant ${variant} requires t = 0`);
  if (1n << BigInt(t + 1) >= p) throw new Reject('R4', 'faultModel.t', `2^(t+1) must be below p`);
  const model: Model = { p, t, T: 1n << BigInt(t), variant };

  // R5: the region, and its quantised box.
  const region = object(top.get('region'), 'R5', 'region', ['lower', 'upper']);
  const lower = array(region.get('lower'), 'R5', 'region.lower');
  const upper = array(region.get('upper'), 'R5', 'region.upper');
  if (lower.length !== inputDim) throw new Reject('R5', 'region.lower', `has ${lower.length} entries, the network has ${inputDim} inputs`);
  if (upper.length !== inputDim) throw new Reject('R5', 'region.upper', `has ${upper.length} entries, the network has ${inputDim} inputs`);
  const box: Interval[] = lower.map((lv, k) => {
    const lo = rational(lv, 'R5', fieldPath('region.lower', k));
    const hi = rational(upper[k], 'R5', fieldPath('region.upper', k));
    if (hi.lt(lo)) throw new Reject('R5', fieldPath('region.upper', k), `${hi} is below the lower end ${lo}`);
    return { lo: roundRat(lo.mul(Rat.of(scale))), hi: roundRat(hi.mul(Rat.of(scale))) };
  });

  // R6: the claim.
  const claim = object(top.get('claim'), 'R6', 'claim', ['bound']);
  const bound = rational(claim.get('bound'), 'R6', 'claim.bound');
  if (bound.sign() < 0) throw new Reject('R6', 'claim.bound', 'must be >= 0');

  // R7: the work the leaves need, before any of it is done.
  const leafCount = countLeaves(top.get('tree'));
  const work = BigInt(leafCount) * leafWork(layers);
  if (work > MAX_REGION_WORK)
    throw new Reject('R7', 'tree', `${leafCount} leaves need ${work} multiply-adds of interval arithmetic, more than the limit ${MAX_REGION_WORK}`);

  // R7..R10: the tree, with an explicit stack.
  const ctx: Ctx = { layers, scale, model };
  const stack: { node: JsonValue | undefined; path: string; box: Interval[]; depth: number }[] = [{ node: top.get('tree'), path: 'tree', box, depth: 0 }];
  let nodes = 0;
  let leaves = 0;
  while (stack.length > 0) {
    const { node, path, box: b, depth } = stack.pop()!;
    if (++nodes > MAX_NODES) throw new Reject('R7', path, `more than ${MAX_NODES} nodes`);
    if (depth > MAX_DEPTH) throw new Reject('R7', path, `deeper than ${MAX_DEPTH}`);
    if (node === undefined) throw new Reject('R7', path, 'missing');
    if (node.type !== 'object') throw new Reject('R7', path, `expected a node object, got ${node.type}`);
    const kind = string(node.entries.get('kind'), 'R7', fieldPath(path, 'kind'));
    if (kind === 'split') {
      const o = object(node, 'R7', path, ['kind', 'coordinate', 'at', 'low', 'high']);
      const c = smallInt(o.get('coordinate'), 'R7', fieldPath(path, 'coordinate'), 0, inputDim - 1);
      const at = integer(o.get('at'), 'R7', fieldPath(path, 'at'));
      const iv = b[c]!;
      if (at < iv.lo || at >= iv.hi) throw new Reject('R7', fieldPath(path, 'at'), `must satisfy ${iv.lo} <= at < ${iv.hi} (both halves non-empty), got ${at}`);
      stack.push({ node: o.get('high'), path: fieldPath(path, 'high'), box: b.map((v, k) => (k === c ? { lo: at + 1n, hi: v.hi } : v)), depth: depth + 1 });
      stack.push({ node: o.get('low'), path: fieldPath(path, 'low'), box: b.map((v, k) => (k === c ? { lo: v.lo, hi: at } : v)), depth: depth + 1 });
    } else if (kind === 'leaf') {
      const o = object(node, 'R7', path, ['kind'], ['bound']);
      leaves++;
      // R8: every reachable pre-activation is a signed field element.
      const problem = fieldRange(ctx, b);
      if (problem) throw new Reject('R8', path, problem);
      // R9: Theorem 1 on this leaf.
      const leafBound = theorem1(ctx, b);
      if (o.has('bound')) {
        const stated = rational(o.get('bound'), 'R9', fieldPath(path, 'bound'));
        if (!stated.eq(leafBound)) throw new Reject('R9', fieldPath(path, 'bound'), `expected ${leafBound}, read ${stated}`);
      }
      // R10: the leaf's bound is within the claim.
      if (bound.lt(leafBound)) throw new Reject('R10', path, `leaf bound ${leafBound} exceeds the claimed bound ${bound} on box ${boxText(b)}`);
    } else throw new Reject('R7', fieldPath(path, 'kind'), `expected "split" or "leaf", got ${quote(kind)}`);
  }

  const realBox = lower.map((_, k) => `[${rational(lower[k], 'R5', '')}, ${rational(upper[k], 'R5', '')}]`).join(' x ');
  const classRule = layers[layers.length - 1]!.weights.length === 1 ? 'sign class' : 'argmax class';
  return {
    status: 'valid',
    statement:
      `for every input in ${realBox} (quantised with ${frac} fractional bits), the probability that the ${classRule} of the ` +
      `stochastic network (p = ${p}, t = ${t}, ${variant}) differs from its fault-free class is at most ${bound} (${leaves} ${leaves === 1 ? 'leaf' : 'leaves'})`,
  };
}

/** The number of nodes of kind "leaf" in the tree (malformed nodes are left to the walk that checks them). */
function countLeaves(tree: JsonValue | undefined): number {
  let leaves = 0;
  const stack = [tree];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node?.type !== 'object') continue;
    const kind = node.entries.get('kind');
    if (kind?.type === 'string' && kind.value === 'leaf') leaves++;
    else stack.push(node.entries.get('low'), node.entries.get('high'));
  }
  return leaves;
}

/**
 * Multiply-adds per leaf: R8 and the fault-free pass of R9 each go through
 * every layer once, and R9 propagates from every ReLU j of layer l through
 * the layers after l.
 */
function leafWork(layers: Layer[]): bigint {
  const size = layers.map((layer) => BigInt(layer.weights.length) * BigInt(layer.weights[0]!.length));
  const sum = (xs: bigint[]): bigint => xs.reduce((a, b) => a + b, 0n);
  let perUnit = 0n;
  layers.forEach((layer, l) => {
    if (layer.relu) perUnit += BigInt(layer.weights.length) * sum(size.slice(l + 1));
  });
  return 2n * sum(size) + perUnit;
}

function boxText(b: Interval[]): string {
  return b.map((v) => `[${v.lo}, ${v.hi}]`).join(' x ');
}

// ---------------------------------------------------------------------------
// Arithmetic (docs/stochastic.md sections 2 and 3).

/** Nearest integer to a/d (d > 0), ties away from zero. */
function roundDiv(a: bigint, d: bigint): bigint {
  return a >= 0n ? (2n * a + d) / (2n * d) : -((-2n * a + d) / (2n * d));
}

function roundRat(v: Rat): bigint {
  return roundDiv(v.num, v.den);
}

function powMod(b: bigint, e: bigint, n: bigint): bigint {
  let r = 1n;
  b %= n;
  for (; e > 0n; e >>= 1n) {
    if (e & 1n) r = (r * b) % n;
    b = (b * b) % n;
  }
  return r;
}

/** Deterministic Miller-Rabin with the first 13 primes as bases (exact below PRIME_LIMIT). */
function isOddPrime(n: bigint): boolean {
  const bases = [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n, 41n];
  for (const b of bases) {
    if (n === b) return n !== 2n;
    if (n % b === 0n) return false;
  }
  let d = n - 1n;
  let s = 0;
  while (d % 2n === 0n) {
    d /= 2n;
    s++;
  }
  for (const a of bases) {
    let x = powMod(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    let ok = false;
    for (let i = 1; i < s && !ok; i++) {
      x = (x * x) % n;
      ok = x === n - 1n;
    }
    if (!ok) return false;
  }
  return true;
}

/** #{ r in [a, b] : floor((r + d)/T) = floor(r/T) }, d >= 0 (Lemma 1). */
function ties(a: bigint, b: bigint, d: bigint, T: bigint): bigint {
  if (b < a || d >= T) return 0n;
  const k = T - d;
  const low = (n: bigint): bigint => (n <= 0n ? 0n : (n / T) * k + (n % T < k ? n % T : k));
  return low(b + 1n) - low(a);
}

/** The number of r in Z_p giving a wrong sign at x (Lemma 1), 0 at x = 0 (harmless). */
function effectiveCount(m: Model, x: bigint): bigint {
  if (x === 0n) return 0n;
  const { p, T } = m;
  switch (m.variant) {
    case 'exact':
      return 0n;
    case 'wrap':
      return x > 0n ? x + 1n : -x - 1n;
    case 'poszero':
      return x > 0n ? 1n + x + ties(1n, p - 1n - x, x, T) : -x - 1n - ties(1n, -x - 1n, p + x, T);
    case 'negpass':
      return x > 0n ? (x / T < p / T ? 1n : 0n) + x - ties(0n, x - 1n, p - x, T) : ((p + x) / T === p / T ? 1n : 0n) - x - 1n + ties(0n, p - 1n + x, -x, T);
  }
}

/** Lemma 2: the maximum over [lo, hi] is at an end or at a piece end. */
function maxCount(m: Model, lo: bigint, hi: bigint): bigint {
  let best = 0n;
  for (const v of [lo, hi, -m.T, 1n - m.T, -1n, 1n, m.T - 1n, m.T]) {
    if (v < lo || v > hi) continue;
    const c = effectiveCount(m, v);
    if (c > best) best = c;
  }
  return best;
}

interface Ctx {
  layers: Layer[];
  scale: bigint;
  model: Model;
}

function affine(ctx: Ctx, layer: Layer, v: Interval[]): Interval[] {
  return layer.weights.map((row, i) => {
    let lo = 0n;
    let hi = 0n;
    row.forEach((w, j) => {
      const x = v[j]!;
      lo += w * (w >= 0n ? x.lo : x.hi);
      hi += w * (w >= 0n ? x.hi : x.lo);
    });
    return { lo: roundDiv(lo, ctx.scale) + layer.bias[i]!, hi: roundDiv(hi, ctx.scale) + layer.bias[i]! };
  });
}

const relu = (z: Interval): Interval => ({ lo: z.lo > 0n ? z.lo : 0n, hi: z.hi > 0n ? z.hi : 0n });
const hull = (z: Interval): Interval => ({ lo: z.lo < 0n ? z.lo : 0n, hi: z.hi > 0n ? z.hi : 0n });

/** The class of every output in the box (sign: 1 iff y > 0; argmax: lowest index on ties), or undefined. */
function boxClass(out: Interval[]): number | undefined {
  if (out.length === 1) return out[0]!.lo > 0n ? 1 : out[0]!.hi <= 0n ? 0 : undefined;
  for (let k = 0; k < out.length; k++) {
    if (out.every((o, i) => i === k || (i < k ? out[k]!.lo > o.hi : out[k]!.lo >= o.hi))) return k;
  }
  return undefined;
}

/** R8: hull intervals (every fault pattern) stay within [-(p-1)/2, (p-1)/2]. */
function fieldRange(ctx: Ctx, box: Interval[]): string | undefined {
  const half = (ctx.model.p - 1n) / 2n;
  let cur = box;
  for (let l = 0; l < ctx.layers.length; l++) {
    const layer = ctx.layers[l]!;
    const z = affine(ctx, layer, cur);
    const bad = z.findIndex((v) => v.lo < -half || v.hi > half);
    if (bad >= 0) return `layer ${l} unit ${bad} may reach [${z[bad]!.lo}, ${z[bad]!.hi}], outside [-(p-1)/2, (p-1)/2]`;
    cur = layer.relu ? z.map(hull) : z;
  }
  return undefined;
}

/**
 * R9, Theorem 1: min(1, sum over ReLUs j of [j can matter] * maxCount_j / p),
 * with fault-free intervals before j and hull intervals from j on.
 */
function theorem1(ctx: Ctx, box: Interval[]): Rat {
  const pre: Interval[][] = [];
  let cur = box;
  for (const layer of ctx.layers) {
    const z = affine(ctx, layer, cur);
    pre.push(z);
    cur = layer.relu ? z.map(relu) : z;
  }
  const base = boxClass(cur);
  let total = 0n;
  ctx.layers.forEach((layer, l) => {
    if (!layer.relu) return;
    const z = pre[l]!;
    z.forEach((zj, j) => {
      const c = maxCount(ctx.model, zj.lo, zj.hi);
      if (c === 0n) return;
      let matters = true;
      if (base !== undefined) {
        let v = z.map((zz, u) => (u < j ? relu(zz) : hull(zz)));
        for (let k = l + 1; k < ctx.layers.length; k++) {
          const w = affine(ctx, ctx.layers[k]!, v);
          v = ctx.layers[k]!.relu ? w.map(hull) : w;
        }
        matters = boxClass(v) !== base;
      }
      if (matters) total += c;
    });
  });
  return total >= ctx.model.p ? Rat.ONE : Rat.of(total, ctx.model.p);
}
