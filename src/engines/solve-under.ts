/**
 * The one function through which cube-and-conquer (src/cube/) calls an
 * engine: decide one normalisation case of an instance under a set of assumed
 * literals (a cube, shared/DESIGN.md section 7 "Cubes").
 *
 * Today it runs the exact engine's search below the assumed literals as a
 * prefix (exact.ts, makeSearch(...).run([{ caseIndex, prefix }])), with the
 * same deadline and node-budget rules as a whole solve. A conflict-driven
 * engine plugs in here by returning its subtree and, per case, its lemma list
 * (docs/certificates.md, lemma leaves): lemmas are global to their case, so
 * the ones found under a cube are valid anywhere in that case.
 */
import type { Q } from '../core/rational.js';
import type { Instance, Network } from '../core/types.js';
import type { Literal } from '../encode/system.js';
import { Found, makeSearch } from './exact.js';
import { type ProofLemma, type ProofNode, type SearchStats, type SolveOptions, Timeout } from './result.js';

export type CubeOutcome =
  /** `tree` is valid for every path that starts with the assumed literals; `lemmas` are its case's lemmas it refers to */
  | { verdict: 'infeasible'; tree: ProofNode; lemmas: ProofLemma[]; stats: SearchStats }
  /** a network that fits the whole instance (a witness answers every cube) */
  | { verdict: 'feasible'; network: Network; loss: Q; stats: SearchStats }
  | { verdict: 'unknown'; reason: string; stats: SearchStats };

/**
 * Decides case `caseIndex` (an index into normalisationCases(inst)) under the
 * assumed literals `assumed` (no (unit, point) twice). Honours opts.deadline
 * and opts.nodeBudget like the engines ('unknown' when they run out).
 * Guarantees: an 'infeasible' tree's leaves use only base rows, rows of the
 * assumed literals and rows of the literals split on above them in the tree;
 * a 'feasible' network passed exact evaluation (acceptWitness).
 */
export function solveUnder(inst: Instance, caseIndex: number, assumed: readonly Literal[], opts: SolveOptions = {}): CubeOutcome {
  const search = makeSearch(inst, opts);
  if (!Number.isInteger(caseIndex) || caseIndex < 0 || caseIndex >= search.cases.length)
    throw new RangeError(`solveUnder: case ${caseIndex} out of range (the instance has ${search.cases.length} cases)`);
  try {
    const [sub] = search.run([{ caseIndex, prefix: [...assumed] }]);
    return { verdict: 'infeasible', tree: sub!.node, lemmas: [], stats: search.clock.finish() };
  } catch (e) {
    const stats = search.clock.finish();
    if (e instanceof Found) return { verdict: 'feasible', network: e.network, loss: e.loss, stats };
    if (e instanceof Timeout) return { verdict: 'unknown', reason: e.reason, stats };
    throw e;
  }
}
