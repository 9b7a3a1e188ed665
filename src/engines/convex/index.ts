/**
 * The `convex` engine (docs/engines.md, "The convex case"): exact fit by a
 * sum of ReLU or leaky ReLU units with non-negative output weights, decided
 * by Froese & Hertrich's search over the tight envelope pieces (search.ts),
 * whose depth is bounded by the number of parameters, not by the data.
 */
import type { Instance } from '../../core/types.js';
import { lemmasUsed } from '../certificate.js';
import { settle } from '../tree-search.js';
import { type SolveOptions, type SolveResult, SearchClock, emptyStats } from '../result.js';
import { caseLabel } from '../../encode/system.js';
import { type ConvexStrategy, ConvexSearch } from './search.js';
import { convexModel } from './model.js';

/** Envelope rows name a set of units as a bit mask of at most 9 decimal digits (docs/certificates.md 4.3): k <= 29. */
export const MAX_UNITS = 29;

/**
 * Why the convex engine does not apply to an instance, or undefined when it
 * does: the loss is `exact`, the units are ReLU or leaky ReLU, and the output
 * weights are `positive` or a fixed list of numbers >= 0 (so f is convex and
 * the max of the linear pieces g_S, model.ts), with at most MAX_UNITS units.
 * Output bias and a weight bound are allowed.
 */
export function convexRefusal(inst: Instance): string | undefined {
  const { activation, outputWeights: ow } = inst.architecture;
  if (inst.loss.type !== 'exact') return `the loss is ${inst.loss.type}, not exact`;
  if (activation === 'threshold') return 'the units are threshold units';
  if (ow.mode === 'signs' || ow.mode === 'free') return `the output weights are ${ow.mode}, not positive`;
  if (ow.mode === 'fixed' && ow.values.some((v) => v.sign() < 0)) return 'a fixed output weight is negative';
  if (inst.points.length === 0) return 'the instance has no points';
  if (inst.architecture.hidden > MAX_UNITS) return `it has more than ${MAX_UNITS} units (an envelope row names its set of units as a bit mask below 10^9)`;
  return undefined;
}

/** Does the convex engine decide this instance (convexRefusal)? */
export function convexApplies(inst: Instance): boolean {
  return convexRefusal(inst) === undefined;
}

/**
 * The convex engine: a witness (checked by acceptWitness), a proof tree for
 * the single normalisation case whose leaves name only rows of
 * docs/certificates.md 4.3, or 'unknown' at the deadline or node budget.
 * Where it does not apply it answers 'unknown' and says why.
 */
export function convexSolve(inst: Instance, opts: SolveOptions = {}, strategy: ConvexStrategy = {}): SolveResult {
  const refusal = convexRefusal(inst);
  if (refusal !== undefined) return { verdict: 'unknown', reason: `the convex engine does not apply: ${refusal}`, stats: emptyStats() };
  const clock = new SearchClock(opts);
  const model = convexModel(inst);
  return settle(clock, () => {
    const tree = new ConvexSearch(model, clock, strategy).run().node;
    const cases = [{ a: caseLabel(model.case), tree }];
    return { lemmas: lemmasUsed(inst, cases), cases };
  });
}
