/**
 * The `all` engine: the cross-check mode. Runs the certifying engine first,
 * then every other engine on the same instance, and compares definite
 * verdicts. Any two engines that answer feasible and infeasible on the same
 * instance disagree: one of them has a bug, and the result says so (the CLI
 * exits 3 and prints every engine's answer).
 *
 * Time: engines run one after another, each with its own share of the time
 * limit: engine i of N (in order) may use 1/(N - i) of the time left when it
 * starts, so each gets at least T/N and time an engine leaves unused passes
 * to the next. Without a limit, the certifying engine has none and each
 * other engine gets `OTHERS_LIMIT(t)` for a certifying time t (at least 10 s,
 * ten times t), so `all` always ends. Each comparison records its limit.
 *
 * The verdict returned is the certifying engine's, with its certificate; if
 * that engine stopped (unknown), the first other engine whose definite
 * answer is certified (a witness, or a proof from an engine that proves
 * infeasibility) answers instead.
 */
import type { Engine } from './engine.js';
import type { CrossCheck, SolveOptions, SolveResult } from './result.js';
import type { Instance } from '../core/types.js';

/** What `all` needs of an engine. */
export type EngineLike = Pick<Engine, 'name' | 'provesInfeasibility' | 'solve'>;

type Comparison = CrossCheck['comparisons'][number];

/** Without a time limit: what each non-certifying engine may use after the certifying one took `ms`. */
export const othersLimitMs = (ms: number): number => Math.max(10_000, 10 * ms);

export async function solveWithAll(inst: Instance, opts: SolveOptions, certifying: EngineLike, others: EngineLike[]): Promise<SolveResult> {
  const list = [certifying, ...others];
  const results: (SolveResult | undefined)[] = [];
  const comparisons: Comparison[] = [];
  for (const [idx, e] of list.entries()) {
    const t0 = Date.now();
    let deadline: number | undefined;
    if (opts.deadline !== undefined) deadline = t0 + Math.max(0, opts.deadline - t0) / (list.length - idx);
    else if (idx > 0) deadline = t0 + othersLimitMs(comparisons[0]!.elapsedMs);
    const limitMs = deadline === undefined ? undefined : Math.round(deadline - t0);
    try {
      const r = await e.solve(inst, { ...opts, ...(deadline !== undefined ? { deadline } : {}) });
      results[idx] = r;
      comparisons.push({
        engine: e.name,
        verdict: r.verdict,
        elapsedMs: Date.now() - t0,
        ...(limitMs !== undefined ? { limitMs } : {}),
        ...(r.verdict === 'unknown' ? { note: r.reason } : {}),
      });
    } catch (err) {
      if (idx === 0) throw err; // the certifying engine failing is a bug, not an answer
      comparisons.push({
        engine: e.name,
        verdict: 'unknown',
        elapsedMs: Date.now() - t0,
        ...(limitMs !== undefined ? { limitMs } : {}),
        note: `error: ${(err as Error).message}`,
      });
    }
  }
  const definite = new Set(comparisons.map((c) => c.verdict).filter((v) => v !== 'unknown'));
  const certified = (r: SolveResult | undefined, e: EngineLike): boolean =>
    r !== undefined && (r.verdict === 'feasible' || (r.verdict === 'infeasible' && e.provesInfeasibility));
  let main = results[0]!;
  if (main.verdict === 'unknown') {
    const idx = list.findIndex((e, i) => certified(results[i], e));
    if (idx >= 0) main = results[idx]!;
  }
  return { ...main, crossCheck: { comparisons, disagreement: definite.size > 1, shared: opts.deadline !== undefined } };
}
