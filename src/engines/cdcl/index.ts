/**
 * The `cdcl` engine (issue G): conflict-driven search over activation
 * literals with learned clauses that become certificate lemmas
 * (docs/engines.md, "The conflict-driven engine"). One CdclCase per
 * normalisation case; the cases are searched in turn, a growing number of
 * conflicts each, so a witness in a later case is not held up by the
 * refutation of an earlier one. When the float guide cannot represent the
 * instance (magnitudes beyond 1e150) or loses its footing, the tree search
 * of the `exact` engine answers instead, with the time that is left.
 */
import type { Instance } from '../../core/types.js';
import { caseLabel, normalisationCases } from '../../encode/system.js';
import { exactSolve } from '../exact.js';
import { lemmasUsed } from '../reference.js';
import { type ProofCase, type SolveOptions, type SolveResult, SearchClock, Timeout } from '../result.js';
import { caseProof } from './proof.js';
import { CdclCase, type CdclOptions, FloatDoubt, FoundWitness, Interrupted } from './solver.js';
import { FloatRange } from './theory.js';

export interface CdclEngineOptions extends Pick<CdclOptions, 'phase' | 'restartUnit'> {
  /** conflicts per case per turn (doubling every turn) */
  turnConflicts?: number;
}

export function cdclSolve(inst: Instance, opts: SolveOptions = {}, engineOpts: CdclEngineOptions = {}): SolveResult {
  const clock = new SearchClock(opts);
  const interrupted = (): boolean => opts.deadline !== undefined && Date.now() > opts.deadline;
  const cases = normalisationCases(inst);
  if (interrupted()) return { verdict: 'unknown', reason: 'timeout', stats: clock.finish() };
  let solvers: CdclCase[];
  try {
    solvers = cases.map((c) => new CdclCase(inst, c, { ...engineOpts, tick: (depth) => clock.node(depth), interrupted }));
  } catch (e) {
    if (e instanceof FloatRange) return exactSolve(inst, opts);
    throw e;
  }
  const stats = clock.stats;
  const sync = (): void => {
    stats.nodes = solvers.reduce((s, x) => s + x.stats.decisions, 0);
    stats.leaves = solvers.reduce((s, x) => s + x.stats.theoryConflicts, 0);
    stats.lps = solvers.reduce((s, x) => s + x.theory.exactLps, 0);
    stats.pivots = solvers.reduce((s, x) => s + x.theory.simplex.pivots + x.theory.exactPivots, 0);
  };
  try {
    const roots = new Array<ReturnType<CdclCase['search']> | undefined>(cases.length);
    let budget = engineOpts.turnConflicts ?? 200;
    for (;;) {
      let open = 0;
      for (let t = 0; t < solvers.length; t++) {
        if (roots[t]?.status === 'unsat') continue;
        roots[t] = solvers[t]!.search(budget);
        if (roots[t]!.status !== 'unsat') open++;
      }
      if (open === 0) break;
      budget *= 2;
    }
    const list: ProofCase[] = cases.map((c, t) => {
      const r = roots[t]!;
      if (r.status !== 'unsat') throw new Error('cdcl engine: a case without a refutation (bug)');
      const p = caseProof(r.root, inst.points.length);
      return { a: caseLabel(c), ...(p.lemmas.length > 0 ? { lemmas: p.lemmas } : {}), tree: p.tree };
    });
    sync();
    return { verdict: 'infeasible', proof: { lemmas: lemmasUsed(inst, list), cases: list }, stats: clock.finish() };
  } catch (e) {
    sync();
    const st = clock.finish();
    if (e instanceof FoundWitness) return { verdict: 'feasible', network: e.network, loss: e.loss, stats: st };
    if (e instanceof Timeout) return { verdict: 'unknown', reason: e.reason, stats: st };
    if (e instanceof Interrupted) return { verdict: 'unknown', reason: 'timeout', stats: st };
    if (e instanceof FloatDoubt) return exactSolve(inst, opts);
    throw e;
  }
}
