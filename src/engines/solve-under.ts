/**
 * The one function through which cube-and-conquer (src/cube/) calls an
 * engine: decide one normalisation case of an instance under a set of assumed
 * literals (a cube, docs/cluster.md).
 *
 * Two engines: `exact` runs its search below the assumed literals as a prefix
 * (exact.ts, new ExactSearch(...).run([{ caseIndex, prefix }])); `cdcl` decides
 * the assumptions first and returns its subtree with the case's lemma list
 * (cdcl/index.ts, cdclSolveUnder; docs/certificates.md 4.6): lemmas are
 * global to their case, so the ones found under a cube are valid anywhere in
 * that case. Both follow the same deadline and node-budget rules as a whole
 * solve.
 */
import type { Q } from '../core/rational.js';
import type { Instance, Network } from '../core/types.js';
import type { Literal } from '../encode/system.js';
import { floatsCanGuide } from '../core/float-range.js';
import { CdclCubeSession, type ClauseShare } from './cdcl/index.js';
import { ExactSearch } from './exact.js';
import { type ProofLemma, type ProofNode, type SearchStats, type SolveOptions, Timeout } from './result.js';
import { Found } from './witness.js';

export type CubeOutcome =
  /** `tree` is valid for every path that starts with the assumed literals; `lemmas` are its case's lemmas it refers to */
  | { verdict: 'infeasible'; tree: ProofNode; lemmas: ProofLemma[]; stats: SearchStats }
  /** a network that fits the whole instance (a witness answers every cube) */
  | { verdict: 'feasible'; network: Network; loss: Q; stats: SearchStats }
  | { verdict: 'unknown'; reason: string; stats: SearchStats };

/** The engines that can solve a case under assumed literals. */
export const CUBE_ENGINES = ['exact', 'cdcl'] as const;
export type CubeEngine = (typeof CUBE_ENGINES)[number];

/**
 * Decides case `caseIndex` (an index into normalisationCases(inst)) under the
 * assumed literals `assumed` (no (unit, point) twice) with the named engine.
 * Honours opts.deadline, opts.nodeBudget and opts.cancelled like the engines
 * ('unknown' when they stop it).
 * Guarantees: an 'infeasible' tree's leaves use only base rows, rows of the
 * assumed literals, rows of the literals split on above them in the tree, and
 * the returned lemmas (lemmas of the case, valid anywhere in it); a
 * 'feasible' network passed exact evaluation (acceptWitness).
 */
export function solveUnder(inst: Instance, caseIndex: number, assumed: readonly Literal[], opts: SolveOptions = {}, engine: CubeEngine = 'exact'): CubeOutcome {
  return cubeSolver(inst, engine)(caseIndex, assumed, opts);
}

/**
 * Decides cubes of one instance, one call per cube, with solveUnder's
 * contract. `known` (cdcl): the lemmas, by their literals, whose proofs the
 * caller has already; their trees in the outcome are empty Farkas leaves
 * (caseProof), for the caller to replace.
 */
export type CubeSolver = (caseIndex: number, assumed: readonly Literal[], opts?: SolveOptions, known?: (assume: readonly string[]) => boolean) => CubeOutcome;

/**
 * A CubeSolver for many cubes of `inst` decided one after another (a worker
 * of `solve --workers`): with `cdcl`, one search per case lives on from cube
 * to cube and keeps its learned clauses (CdclCubeSession; each cube's proof
 * still carries every lemma it uses), and `share` (optional) exchanges the
 * learned clauses of at most `shareSize` literals with other workers (default
 * 0: none); `exact` keeps nothing.
 */
export function cubeSolver(inst: Instance, engine: CubeEngine = 'exact', share?: ClauseShare, shareSize = 0): CubeSolver {
  // cdcl's theory is a float simplex: out of the float range (src/core/float-range.ts) the exact search decides the cubes
  if (engine === 'cdcl' && floatsCanGuide(inst)) {
    const session = new CdclCubeSession(inst, { shareSize }, share);
    return (caseIndex, assumed, opts = {}, known) => {
      const r = session.solve(caseIndex, assumed, opts, known);
      return r.verdict === 'infeasible' ? { verdict: 'infeasible', tree: r.proof.tree, lemmas: r.proof.lemmas, stats: r.stats } : r;
    };
  }
  return (caseIndex, assumed, opts = {}) => exactUnder(inst, caseIndex, assumed, opts);
}

function exactUnder(inst: Instance, caseIndex: number, assumed: readonly Literal[], opts: SolveOptions): CubeOutcome {
  const search = new ExactSearch(inst, opts);
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
