/**
 * Evaluating a network on an instance, exactly (`relucert eval`): its
 * outputs, its loss, whether the loss is within the instance's bound, and
 * where its shape differs from the instance's architecture.
 */
import { type LossReport, lossOf, shapeErrors } from '../core/evaluate.js';
import type { Instance, Network } from '../core/types.js';
import { InputError } from '../format/errors.js';

/** The exact outputs f(x_i), the loss, whether it is within the bound, the violating points, and the architecture mismatches ([] when none). */
export interface Evaluation extends LossReport {
  architectureMismatches: string[];
}

/**
 * Evaluates `net` on every point of `inst` in exact arithmetic. The network
 * may have any shape the instance's points fit (a deeper or wider network is
 * evaluated and its mismatches listed). Throws InputError naming
 * `networkName` when its input dimension is not the instance's or it has
 * more than one output.
 */
export function evaluate(inst: Instance, net: Network, networkName = 'network'): Evaluation {
  const d = inst.points[0]!.length;
  const first = net.layers[0]!;
  if (first.weights[0]!.length !== d)
    throw new InputError(networkName, 'layers[0].weights', `rows have ${first.weights[0]!.length} entries, the instance has dimension ${d}`);
  const last = net.layers[net.layers.length - 1]!;
  if (last.weights.length !== 1)
    throw new InputError(networkName, `layers[${net.layers.length - 1}].weights`, `has ${last.weights.length} outputs, expected 1`);
  return { ...lossOf(inst, net), architectureMismatches: shapeErrors(inst, net) };
}
