/**
 * Feasible certificates (section 3): the network itself is the proof.
 * W1 reads its shape, W2 its output weights and bias, W3 evaluates it exactly
 * on every point and compares the loss with the bound. No lemma is used.
 */
import { isRejection, readArray, readObject, readRat, readString } from './fields.js';
import type { Instance } from './instance.js';
import { type JsonValue, fieldPath } from './json.js';
import { Rat, sumRats } from './rational.js';
import { Rejection } from './rejection.js';

/** The network of W1: hidden layer w (k x d), b (k); output weights a (k), bias c. */
export interface Witness {
  w: Rat[][];
  b: Rat[];
  a: Rat[];
  c: Rat;
}

/** W1: a relucert-network/1 object with exactly the two layers of the instance's shape. */
export function readWitness(v: JsonValue | undefined, path: string, inst: Instance): Witness | Rejection {
  const net = readObject(v, 'W1', path, ['format', 'layers']);
  if (isRejection(net)) return net;
  const format = readString(net.entries.get('format'), 'W1', fieldPath(path, 'format'));
  if (isRejection(format)) return format;
  if (format !== 'relucert-network/1') return new Rejection('W1', fieldPath(path, 'format'), '"relucert-network/1"', JSON.stringify(format));
  const layersPath = fieldPath(path, 'layers');
  const layers = readArray(net.entries.get('layers'), 'W1', layersPath);
  if (isRejection(layers)) return layers;
  if (layers.items.length !== 2) return new Rejection('W1', layersPath, '2 layers (hidden, output)', `${layers.items.length}`);
  const hidden = readLayer(
    layers.items[0],
    fieldPath(layersPath, 0),
    inst.activation,
    inst.hidden,
    inst.d,
    inst.activation === 'leaky-relu' ? inst.slope : undefined,
  );
  if (isRejection(hidden)) return hidden;
  const out = readLayer(layers.items[1], fieldPath(layersPath, 1), 'identity', 1, inst.hidden);
  if (isRejection(out)) return out;
  return { w: hidden.weights, b: hidden.bias, a: out.weights[0]!, c: out.bias[0]! };
}

/** One layer with this activation; `slope` (leaky-relu only) is the slope its `slope` field must equal. */
function readLayer(
  v: JsonValue | undefined,
  path: string,
  activation: string,
  units: number,
  inputs: number,
  slope?: Rat,
): { weights: Rat[][]; bias: Rat[] } | Rejection {
  const layer = readObject(v, 'W1', path, ['activation', 'weights', 'bias', ...(slope !== undefined ? ['slope'] : [])]);
  if (isRejection(layer)) return layer;
  const act = readString(layer.entries.get('activation'), 'W1', fieldPath(path, 'activation'));
  if (isRejection(act)) return act;
  if (act !== activation) return new Rejection('W1', fieldPath(path, 'activation'), JSON.stringify(activation), JSON.stringify(act));
  if (slope !== undefined) {
    const got = readRat(layer.entries.get('slope'), 'W1', fieldPath(path, 'slope'));
    if (isRejection(got)) return got;
    if (!got.eq(slope)) return new Rejection('W1', fieldPath(path, 'slope'), `${slope} (the instance's slope)`, got.toString());
  }
  const rowsPath = fieldPath(path, 'weights');
  const rows = readArray(layer.entries.get('weights'), 'W1', rowsPath);
  if (isRejection(rows)) return rows;
  if (rows.items.length !== units) return new Rejection('W1', rowsPath, `${units} rows of weights (one per unit)`, `${rows.items.length}`);
  const weights: Rat[][] = [];
  for (const [u, r] of rows.items.entries()) {
    const row = readRatList(r, fieldPath(rowsPath, u), inputs, 'weights (one per input)');
    if (isRejection(row)) return row;
    weights.push(row);
  }
  const bias = readRatList(layer.entries.get('bias'), fieldPath(path, 'bias'), units, 'biases (one per unit)');
  if (isRejection(bias)) return bias;
  return { weights, bias };
}

function readRatList(v: JsonValue | undefined, path: string, length: number, what: string): Rat[] | Rejection {
  const arr = readArray(v, 'W1', path);
  if (isRejection(arr)) return arr;
  if (arr.items.length !== length) return new Rejection('W1', path, `${length} ${what}`, `${arr.items.length}`);
  const out: Rat[] = [];
  for (const [t, item] of arr.items.entries()) {
    const r = readRat(item, 'W1', fieldPath(path, t));
    if (isRejection(r)) return r;
    out.push(r);
  }
  return out;
}

/** W2: output weights allowed by the instance; output bias 0 without an output bias. */
export function checkOutputWeights(net: Witness, inst: Instance, path: string): Rejection | undefined {
  const outPath = fieldPath(fieldPath(path, 'layers'), 1);
  const weightsPath = (j: number): string => fieldPath(fieldPath(fieldPath(outPath, 'weights'), 0), j);
  const ow = inst.outputWeights;
  for (const [j, a] of net.a.entries()) {
    if (ow === 'signs' && !a.abs().eq(Rat.ONE)) return new Rejection('W2', weightsPath(j), '1 or -1 (output weights signs)', a.toString());
    if (ow === 'positive' && !a.eq(Rat.ONE)) return new Rejection('W2', weightsPath(j), '1 (output weights positive)', a.toString());
    if (typeof ow !== 'string' && !a.eq(ow[j]!)) return new Rejection('W2', weightsPath(j), `${ow[j]!} (the instance's list)`, a.toString());
  }
  if (!inst.outputBias && !net.c.isZero())
    return new Rejection('W2', fieldPath(fieldPath(outPath, 'bias'), 0), '0 (the instance has no output bias)', net.c.toString());
  const B = inst.weightBound;
  if (B !== undefined) {
    const hiddenPath = fieldPath(fieldPath(path, 'layers'), 0);
    for (const [j, wj] of net.w.entries()) {
      for (const [t, w] of wj.entries())
        if (B.lt(w.abs()))
          return new Rejection('W2', fieldPath(fieldPath(fieldPath(hiddenPath, 'weights'), j), t), `a weight in [-${B}, ${B}] (weightBound)`, w.toString());
      if (B.lt(net.b[j]!.abs()))
        return new Rejection('W2', fieldPath(fieldPath(hiddenPath, 'bias'), j), `a bias in [-${B}, ${B}] (weightBound)`, net.b[j]!.toString());
    }
    if (inst.boundOutputWeights)
      for (const [j, a] of net.a.entries())
        if (B.lt(a.abs())) return new Rejection('W2', weightsPath(j), `an output weight in [-${B}, ${B}] (boundOutputWeights)`, a.toString());
  }
  return undefined;
}

/** f(x) = sum_j a_j sigma(w_j . x + b_j) + c, exactly; sigma(h) = h for h > 0, else slope h (ReLU, leaky ReLU) or step(h) (threshold). */
export function evaluate(net: Witness, inst: Pick<Instance, 'activation' | 'slope'>, x: readonly Rat[]): Rat {
  let f = net.c;
  for (const [j, wj] of net.w.entries()) {
    const h = sumRats(wj.map((w, t) => w.mul(x[t]!))).add(net.b[j]!);
    const slope = inst.slope;
    const sigma = inst.activation !== 'threshold' && slope !== undefined ? (h.sign() > 0 ? h : h.mul(slope)) : h.sign() > 0 ? Rat.ONE : Rat.ZERO;
    f = f.add(net.a[j]!.mul(sigma));
  }
  return f;
}

/** W3: the loss of the network meets the instance's bound. Returns the loss reached, for the statement. */
export function checkLoss(net: Witness, inst: Instance, path: string): string | Rejection {
  const f = inst.points.map((x) => evaluate(net, inst, x));
  const residual = f.map((fi, i) => fi.sub(inst.labels[i]!));
  const loss = inst.loss;
  switch (loss.type) {
    case 'exact': {
      const i = residual.findIndex((r) => !r.isZero());
      if (i >= 0) return new Rejection('W3', path, `f(x_${i}) = ${inst.labels[i]!} (loss exact)`, `f(x_${i}) = ${f[i]!}`);
      return 'zero error';
    }
    case 'classification': {
      const margins = f.map((fi, i) => fi.mul(inst.labels[i]!));
      const i = margins.findIndex((m) => m.sign() <= 0);
      if (i >= 0) return new Rejection('W3', path, `y_${i} f(x_${i}) > 0 (loss classification)`, `y_${i} f(x_${i}) = ${margins[i]!}`);
      const least = margins.reduce((m, x) => (x.lt(m) ? x : m));
      return `(least margin y f(x) = ${least})`;
    }
    case 'l1':
    case 'linf':
    case 'l2': {
      const abs = residual.map((r) => r.abs());
      const total =
        loss.type === 'l1' ? sumRats(abs) : loss.type === 'l2' ? sumRats(residual.map((r) => r.mul(r))) : abs.reduce((m, x) => (m.lt(x) ? x : m), Rat.ZERO);
      const op = loss.strict ? '<' : '<=';
      const ok = loss.strict ? total.lt(loss.bound) : total.le(loss.bound);
      if (!ok) return new Rejection('W3', path, `${loss.type} loss ${op} ${loss.bound}`, `${loss.type} loss ${total}`);
      return `${loss.type} loss ${total} ${op} ${loss.bound}`;
    }
  }
}
