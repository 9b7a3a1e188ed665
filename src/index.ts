/**
 * The relucert package (`import { solve, check, minimize } from 'relucert'`,
 * README "The library"): the pipeline of the relucert command as functions
 * (read an instance, solve and certify, check, minimize, evaluate, certify a
 * region), what a reduction plugin needs (docs/reductions.md, section 5),
 * and the fuzzers to run one from a script. The command-line tool
 * (bin/relucert.js, src/cli) is a client of these same functions.
 */

// the pipeline: read, solve and certify, check, minimize, evaluate; batches, cubes, external solvers, regions
export { readInstance, readNetwork, readNetworkOrWitness } from './format/schema.js';
export { SELF_CHECK_TIMEOUT, type Solution, type SolveConstraints, solve } from './run/solve.js';
export { type CertificateCheck, type CheckOptions, check } from './run/check.js';
export { type CertifiedSide, type MinimizeAnswer, type MinimizeConstraints, type Objective, type WrittenSide, minimize } from './run/minimize.js';
export { type TableConstraints, type TableEntry, leastLossTable } from './run/table.js';
export { type Evaluation, evaluate } from './run/evaluate.js';
export { type BatchConstraints, type BatchCounts, type BatchEvent, type BatchHooks, type BatchRow, expandInputs, solveBatch, summaryCsv } from './run/batch.js';
export { type CubeSolution, isCubeFile, solveCubeFile } from './run/cube.js';
export { type Agreement, type CrosscheckReport, type Reference, type Row as CrosscheckRow, compare, crosscheck } from './run/crosscheck.js';
export { SOLVERS, type SolverAnswer, type SolverName, solverInstalled } from './interop/solvers.js';
export { type RegionAnswer, type RegionOptions, type RegionQuestion, certifyRegion } from './stochastic/certify.js';
export { CIRCA_P, type FaultModel, VARIANTS } from './stochastic/fault.js';
export type { Proof, ProofCase, ProofNode, SearchStats, SolveResult } from './engines/result.js';
export { WriteError, writeFileAtomic } from './format/files.js';
export { describeQuestion, networkFormula } from './format/text.js';

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
