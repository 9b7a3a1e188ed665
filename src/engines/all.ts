/**
 * The `all` engine: the cross-check mode. Runs the certifying engine first,
 * then every other engine on the same instance with the same deadline, and
 * compares definite verdicts. Any two engines that answer feasible and
 * infeasible on the same instance disagree: one of them has a bug, and the
 * result says so (the CLI exits 3 and prints every engine's answer).
 * The verdict returned is the certifying engine's, with its certificate.
 */
import type { Instance } from '../core/types.js';
import type { CrossCheck, SolveOptions, SolveResult } from './result.js';

export interface EngineLike {
  name: string;
  provesInfeasibility: boolean;
  solve(inst: Instance, opts: SolveOptions): Promise<SolveResult>;
}

type Comparison = CrossCheck['comparisons'][number];

export async function solveWithAll(inst: Instance, opts: SolveOptions, certifying: EngineLike, others: EngineLike[]): Promise<SolveResult> {
  const main = await certifying.solve(inst, opts);
  const comparisons: Comparison[] = [{ engine: certifying.name, verdict: main.verdict, elapsedMs: main.stats.elapsedMs }];
  for (const e of others) {
    const t0 = Date.now();
    try {
      const r = await e.solve(inst, opts);
      comparisons.push({ engine: e.name, verdict: r.verdict, elapsedMs: Date.now() - t0, ...(r.verdict === 'unknown' ? { note: r.reason } : {}) });
    } catch (err) {
      comparisons.push({ engine: e.name, verdict: 'unknown', elapsedMs: Date.now() - t0, note: `error: ${(err as Error).message}` });
    }
  }
  const definite = new Set(comparisons.map((c) => c.verdict).filter((v) => v !== 'unknown'));
  return { ...main, crossCheck: { comparisons, disagreement: definite.size > 1 } };
}
