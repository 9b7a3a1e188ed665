/**
 * From an LP point to a network, and the exact test of a candidate network.
 * Every witness any engine returns passes `acceptWitness` first; a search
 * that finds one ends by throwing it as `Found`.
 */
import { lossOf, shapeErrors, type LossReport } from '../core/evaluate.js';
import { Q } from '../core/rational.js';
import type { Instance, Network } from '../core/types.js';
import type { Case } from '../encode/system.js';

/** Thrown by a search that found a witness (a network that passed acceptWitness, with its exact loss), to end it at once. */
export class Found extends Error {
  constructor(
    readonly network: Network,
    readonly loss: Q,
  ) {
    super('found');
  }
}

/**
 * Reads w, b, c (and a for free threshold units) from a point; missing
 * variables are 0. Under a weight bound without bound rows, scaled into it
 * (scaledIntoBound).
 */
export function networkFromPoint(inst: Instance, c: Case, x: ReadonlyMap<string, Q>): Network {
  const { hidden: k, activation, outputBias, slope } = inst.architecture;
  const d = inst.points[0]!.length;
  const get = (v: string): Q => x.get(v) ?? Q.ZERO;
  const weights = Array.from({ length: k }, (_, j) => Array.from({ length: d }, (_, t) => get(`w:${j}:${t}`)));
  const bias = Array.from({ length: k }, (_, j) => get(`b:${j}`));
  const a = c.a === 'free' ? Array.from({ length: k }, (_, j) => get(`a:${j}`)) : [...c.a];
  const net: Network = {
    layers: [
      { activation, ...(slope !== undefined ? { slope } : {}), weights, bias },
      { activation: 'identity', weights: [a], bias: [outputBias ? get('c') : Q.ZERO] },
    ],
  };
  return scaledIntoBound(inst, net);
}

/**
 * The same function within the instance's weight bound B where a unit may be
 * rescaled (docs/lemmas.md L7, L8): a threshold unit whose largest |w|, |b|
 * exceeds B is divided by that / B (its outputs do not change); a ReLU /
 * leaky ReLU unit with free output weight a is divided by t and a multiplied
 * by t (the same a sigma(h)), with t = largest / B when a is unbounded, and
 * t = B / |a| (so |a| = B) when boundOutputWeights bounds it (a = 0: the unit
 * becomes w = b = 0). Units whose output weights the case fixes are left as
 * they are (their rows keep them in the bound). Without a bound, the network
 * itself. The result is checked (acceptWitness) like any witness.
 */
export function scaledIntoBound(inst: Instance, net: Network): Network {
  const { weightBound: B, boundOutputWeights, outputWeights } = inst.architecture;
  const [hid, out] = net.layers;
  if (B === undefined || !hid || !out || net.layers.length !== 2) return net;
  const weights = hid.weights.map((r) => [...r]);
  const bias = [...hid.bias];
  const a = [...out.weights[0]!];
  const threshold = hid.activation === 'threshold';
  if (!threshold && outputWeights.mode !== 'free') return net;
  for (let j = 0; j < weights.length; j++) {
    const largest = [...weights[j]!, bias[j]!].reduce((m, v) => Q.max(m, v.abs()), Q.ZERO);
    let t: Q;
    if (!threshold && boundOutputWeights === true) {
      if (a[j]!.isZero()) {
        weights[j] = weights[j]!.map(() => Q.ZERO);
        bias[j] = Q.ZERO;
        continue;
      }
      t = B.div(a[j]!.abs());
    } else if (largest.gt(B)) t = largest.div(B);
    else continue;
    weights[j] = weights[j]!.map((v) => v.div(t));
    bias[j] = bias[j]!.div(t);
    if (!threshold) a[j] = a[j]!.mul(t);
  }
  return {
    layers: [
      { ...hid, weights, bias },
      { ...out, weights: [a] },
    ],
  };
}

/** The exact loss report if the network has the instance's shape and meets its bound, else undefined. */
export function acceptWitness(inst: Instance, net: Network): LossReport | undefined {
  if (shapeErrors(inst, net).length > 0) return undefined;
  const rep = lossOf(inst, net);
  return rep.withinBound ? rep : undefined;
}
