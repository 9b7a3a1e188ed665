/**
 * The problem and the network, as exact data. Parsing and validation live in
 * src/format; everything here is already well-formed.
 */
import { Q } from './rational.js';

/** relu max(0, z); leaky-relu max(z, slope z) with a rational slope in [0, 1); threshold 1 if z > 0 else 0. */
export type Activation = 'relu' | 'leaky-relu' | 'threshold';

/** How the output weights a_j may be chosen (docs/formats.md, "Instance"). */
export type OutputWeights = { mode: 'signs' } | { mode: 'positive' } | { mode: 'free' } | { mode: 'fixed'; values: Q[] };

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
  /** The leaky ReLU's slope, in [0, 1); present exactly when activation is 'leaky-relu'. */
  slope?: Q;
  /** B > 0: every hidden weight and bias has |w|, |b| <= B (docs/formats.md); absent: unbounded. */
  weightBound?: Q;
  /** With weightBound and free output weights: |a_j| <= B too. */
  boundOutputWeights?: boolean;
}

/** x -> linear x + shift: linear is d rows of d numbers, shift d numbers (an affine map of input space). */
export interface AffineMap {
  linear: Q[][];
  shift: Q[];
}

/**
 * An automorphism of an instance (docs/lemmas.md L9): an affine map that
 * permutes the points (points[i] = pi(i), T(x_i) = x_pi(i)) and multiplies
 * every label by labelSign (src/core/automorphism.ts finds and verifies them).
 */
export interface Automorphism {
  map: AffineMap;
  points: number[];
  labelSign: 1 | -1;
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
  /**
   * Automorphisms the file declares (docs/formats.md, "Symmetries"), each
   * verified when read. Not part of the question (docs/certificates.md
   * section 2): the search may use them, and a certificate states the maps it uses.
   */
  symmetries?: Automorphism[];
}

export type LayerActivation = 'relu' | 'leaky-relu' | 'threshold' | 'identity';

export interface Layer {
  activation: LayerActivation;
  /** The leaky ReLU's slope; present exactly when activation is 'leaky-relu'. */
  slope?: Q;
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

/**
 * The slope of the negative side for the piecewise-linear units: 0 for relu,
 * the slope for leaky-relu; undefined for threshold units. relu and leaky
 * ReLU share every row of docs/certificates.md 4.3 with this number.
 */
export function reluSlope(a: { activation: Activation; slope?: Q }): Q | undefined {
  if (a.activation === 'threshold') return undefined;
  if (a.activation === 'relu') return Q.ZERO;
  if (a.slope === undefined) throw new Error('leaky-relu without a slope (bug)');
  return a.slope;
}

export function assertNever(x: never): never {
  throw new Error(`unreachable: ${JSON.stringify(x)}`);
}
