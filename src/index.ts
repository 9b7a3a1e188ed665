/**
 * The relucert package (`import { defineReduction } from 'relucert'`): what a
 * reduction plugin needs (docs/reductions.md, section 5), and the fuzzers to
 * run one from a script. The command-line tool is bin/relucert.js.
 */

// writing a reduction
export {
  type AnyReduction,
  type ConstructionMaps,
  type ExhaustiveSpec,
  type FastCheckModule,
  type InstanceLike,
  type MapsSpec,
  type MutantSpec,
  type NetworkLike,
  type Reduction,
  type ReductionSpec,
  type SourceAnswer,
  type Variant,
  ReductionError,
  defineReduction,
  hiddenPreActivation,
  qs,
  twoLayerNetwork,
  withConstruction,
} from './reduce/reduction.js';
export { compositions, combinations, gridPoints, permutations } from './reduce/enumerate.js';
export { type Inequality, separate, separationRows, solveInequalities } from './reduce/fm.js';

// exact data
export { Q, parseRational } from './core/rational.js';
export type { Activation, Architecture, Instance, Layer, LayerActivation, Loss, Network, OutputWeights } from './core/types.js';
export { InputError } from './format/errors.js';
export { toInstance, toNetwork } from './format/schema.js';
export { instanceToJson, networkToJson } from './format/write.js';

// running the fuzzers from a script
export {
  type ExhaustiveOptions,
  type FailedCheck,
  type FuzzOptions,
  type FuzzReport,
  type RunOptions,
  type RunReport,
  type RunVerdict,
  type SizeTally,
  checkSource,
  fuzzExhaustive,
  fuzzReduction,
} from './reduce/fuzz.js';
export { loadReductionPlugin } from './reduce/plugin.js';
export { reductions as builtinReductions, resolveReduction } from './reduce/registry.js';
