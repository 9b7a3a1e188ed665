/**
 * Exact evaluation of a layered network and of the instance's loss.
 */
import { Q } from './rational.js';
import type { Instance, Layer, LayerActivation, Network } from './types.js';
import { assertNever } from './types.js';

/** sigma(z) for one layer's activation; `slope` is the leaky ReLU's (required for 'leaky-relu'). */
export function activate(kind: LayerActivation, z: Q, slope?: Q): Q {
  switch (kind) {
    case 'relu':
      return z.sign() > 0 ? z : Q.ZERO;
    case 'leaky-relu':
      if (slope === undefined) throw new Error('leaky-relu layer without a slope (bug)');
      return z.sign() > 0 ? z : z.mul(slope);
    case 'threshold':
      return z.sign() > 0 ? Q.ONE : Q.ZERO;
    case 'identity':
      return z;
    default:
      return assertNever(kind);
  }
}

export function preActivations(layer: Layer, x: readonly Q[]): Q[] {
  return layer.weights.map((row, u) => {
    let s = layer.bias[u]!;
    for (let t = 0; t < row.length; t++) s = s.add(row[t]!.mul(x[t]!));
    return s;
  });
}

/** Output vector of the network at x (exact). */
export function evaluate(net: Network, x: readonly Q[]): Q[] {
  let v: Q[] = [...x];
  for (const layer of net.layers) v = preActivations(layer, v).map((z) => activate(layer.activation, z, layer.slope));
  return v;
}

export interface LossReport {
  outputs: Q[];
  /** The loss value: l1 sum, l2 sum of squares, l-inf max, number of violations for exact/classification. */
  loss: Q;
  withinBound: boolean;
  /** Points that violate their constraint (exact: f != y; classification: y f <= 0). */
  violations: number[];
}

/** Exact loss of a one-output network on the instance, and whether it meets the bound. */
export function lossOf(inst: Instance, net: Network): LossReport {
  const outputs = inst.points.map((x) => {
    const out = evaluate(net, x);
    if (out.length !== 1) throw new RangeError(`network has ${out.length} outputs, expected 1`);
    return out[0]!;
  });
  const loss = inst.loss;
  const residuals = outputs.map((f, i) => f.sub(inst.labels[i]!));
  switch (loss.type) {
    case 'exact': {
      const violations = residuals.flatMap((r, i) => (r.isZero() ? [] : [i]));
      return { outputs, loss: Q.of(violations.length), withinBound: violations.length === 0, violations };
    }
    case 'classification': {
      const violations = outputs.flatMap((f, i) => (f.mul(inst.labels[i]!).sign() > 0 ? [] : [i]));
      return { outputs, loss: Q.of(violations.length), withinBound: violations.length === 0, violations };
    }
    case 'l1': {
      const total = Q.sum(residuals.map((r) => r.abs()));
      const ok = loss.strict ? total.lt(loss.bound) : total.le(loss.bound);
      return { outputs, loss: total, withinBound: ok, violations: [] };
    }
    case 'l2': {
      const total = Q.sum(residuals.map((r) => r.mul(r)));
      const ok = loss.strict ? total.lt(loss.bound) : total.le(loss.bound);
      return { outputs, loss: total, withinBound: ok, violations: [] };
    }
    case 'linf': {
      const worst = residuals.reduce((m, r) => Q.max(m, r.abs()), Q.ZERO);
      const ok = loss.strict ? worst.lt(loss.bound) : worst.le(loss.bound);
      const violations = residuals.flatMap((r, i) => ((loss.strict ? r.abs().lt(loss.bound) : r.abs().le(loss.bound)) ? [] : [i]));
      return { outputs, loss: worst, withinBound: ok, violations };
    }
    default:
      return assertNever(loss);
  }
}

/** Does the network have the instance's shape (k hidden units, activation, output-weight mode, bias)? */
export function shapeErrors(inst: Instance, net: Network): string[] {
  const errs: string[] = [];
  const a = inst.architecture;
  const d = inst.points[0]?.length ?? 0;
  if (net.layers.length !== 2) return [`network has ${net.layers.length} layers, expected 2`];
  const [h, o] = net.layers as [Layer, Layer];
  if (h.activation !== a.activation) errs.push(`hidden activation ${h.activation}, expected ${a.activation}`);
  else if (a.activation === 'leaky-relu' && !(h.slope !== undefined && a.slope !== undefined && h.slope.eq(a.slope)))
    errs.push(`leaky ReLU slope ${h.slope?.toString() ?? '(none)'}, expected ${a.slope?.toString() ?? '(none)'}`);
  if (h.weights.length !== a.hidden) errs.push(`${h.weights.length} hidden units, expected ${a.hidden}`);
  if (h.weights.some((r) => r.length !== d)) errs.push(`hidden weight rows must have ${d} entries`);
  if (o.activation !== 'identity') errs.push(`output activation ${o.activation}, expected identity`);
  if (o.weights.length !== 1 || o.weights[0]!.length !== h.weights.length) errs.push('output layer must be 1 x hidden');
  const ow = o.weights[0] ?? [];
  const mode = a.outputWeights;
  if (mode.mode === 'signs' && !ow.every((v) => v.abs().eq(Q.ONE))) errs.push('output weights must be -1 or 1');
  if (mode.mode === 'positive' && !ow.every((v) => v.eq(Q.ONE))) errs.push('output weights must all be 1');
  if (mode.mode === 'fixed' && !(ow.length === mode.values.length && ow.every((v, j) => v.eq(mode.values[j]!))))
    errs.push('output weights must equal the instance list');
  if (!a.outputBias && !(o.bias[0]?.isZero() ?? false)) errs.push('output bias must be 0 (instance has no output bias)');
  if (a.weightBound !== undefined) {
    const B = a.weightBound;
    if (![...h.weights.flat(), ...h.bias].every((v) => v.abs().le(B))) errs.push(`hidden weights and biases must be within [-${B}, ${B}] (weightBound)`);
    if (a.boundOutputWeights === true && !ow.every((v) => v.abs().le(B))) errs.push(`output weights must be within [-${B}, ${B}] (boundOutputWeights)`);
  }
  return errs;
}
