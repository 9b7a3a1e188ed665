/**
 * An "infeasible" from a solver that proves nothing (z3's unsat, a float
 * MILP's "no solution" where the MILP is exactly the instance's question) is
 * a claim. certifyClaim has the default exact engine decide the instance;
 * its answer, with its proof or witness, is the one returned.
 */
import type { Instance } from '../core/types.js';
import { defaultEngine, provingEngines } from './proving.js';
import type { SearchStats, SolveOptions, SolveResult } from './result.js';

/**
 * `claim` names the claim in an 'unknown' ("z3 says unsat"); `claimStats`
 * are the claimant's statistics (its time is added, and certifyMs is the
 * certifier's). A 'feasible' from the certifier means the claim was wrong;
 * its witness has passed acceptWitness.
 */
export async function certifyClaim(inst: Instance, opts: SolveOptions, claim: string, claimStats: SearchStats): Promise<SolveResult> {
  const certifier = provingEngines[defaultEngine];
  const r = await certifier.solve(inst, opts);
  const stats: SearchStats = { ...r.stats, elapsedMs: r.stats.elapsedMs + claimStats.elapsedMs, certifyMs: r.stats.elapsedMs };
  switch (r.verdict) {
    case 'infeasible':
    case 'feasible':
      return { ...r, stats };
    case 'unknown':
      return { verdict: 'unknown', reason: `${claim} (a claim, not certified: ${certifier.name} engine stopped: ${r.reason})`, stats };
  }
}
