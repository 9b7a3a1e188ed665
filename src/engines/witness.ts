/**
 * From an LP point to a network, and the exact test of a candidate network.
 * Every witness any engine returns passes `acceptWitness` first.
 */
import { lossOf, shapeErrors, type LossReport } from '../core/evaluate.js';
import { Q } from '../core/rational.js';
import type { Instance, Network } from '../core/types.js';
import type { Case } from '../encode/system.js';

/** Reads w, b, c (and a for free threshold units) from a point; missing variables are 0. */
export function networkFromPoint(inst: Instance, c: Case, x: ReadonlyMap<string, Q>): Network {
  const { hidden: k, activation, outputBias } = inst.architecture;
  const d = inst.points[0]!.length;
  const get = (v: string): Q => x.get(v) ?? Q.ZERO;
  const weights = Array.from({ length: k }, (_, j) => Array.from({ length: d }, (_, t) => get(`w:${j}:${t}`)));
  const bias = Array.from({ length: k }, (_, j) => get(`b:${j}`));
  const a = c.a === 'free' ? Array.from({ length: k }, (_, j) => get(`a:${j}`)) : c.a;
  return {
    layers: [
      { activation, weights, bias },
      { activation: 'identity', weights: [a], bias: [outputBias ? get('c') : Q.ZERO] },
    ],
  };
}

/** The exact loss report if the network has the instance's shape and meets its bound, else undefined. */
export function acceptWitness(inst: Instance, net: Network): LossReport | undefined {
  if (shapeErrors(inst, net).length > 0) return undefined;
  const rep = lossOf(inst, net);
  return rep.withinBound ? rep : undefined;
}
