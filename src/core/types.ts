/**
 * The problem and the network, as exact data. Parsing and validation live in
 * src/format; everything here is already well-formed.
 */
import type { Q } from './rational.js';

export type Activation = 'relu' | 'threshold';

/** How the output weights a_j may be chosen (shared/DESIGN.md section 2). */
export type OutputWeights =
  | { mode: 'signs' }
  | { mode: 'positive' }
  | { mode: 'free' }
  | { mode: 'fixed'; values: Q[] };

export type Loss =
  | { type: 'exact' }
  | { type: 'l1'; bound: Q; strict: boolean }
  | { type: 'linf'; bound: Q; strict: boolean }
  /** sum of squared errors <= bound (< when strict); docs/formats.md */
  | { type: 'l2'; bound: Q; strict: boolean }
  | { type: 'classification' };

export interface Architecture {
  hidden: number;
  activation: Activation;
  outputWeights: OutputWeights;
  outputBias: boolean;
}

export interface Instance {
  name: string;
  description: string;
  source?: string;
  /** n points, each of dimension d. */
  points: Q[][];
  labels: Q[];
  architecture: Architecture;
  loss: Loss;
}

export type LayerActivation = 'relu' | 'threshold' | 'identity';

export interface Layer {
  activation: LayerActivation;
  /** rows = units of this layer, columns = inputs. */
  weights: Q[][];
  bias: Q[];
}

export interface Network {
  layers: Layer[];
}

export function dimension(inst: Instance): number {
  return inst.points[0]?.length ?? 0;
}

export function assertNever(x: never): never {
  throw new Error(`unreachable: ${JSON.stringify(x)}`);
}
