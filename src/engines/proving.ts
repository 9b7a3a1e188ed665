/**
 * The engines that prove their own answers (docs/engines.md): `exact`, `reference`, `cdcl` and
 * `convex`, and which of them is the default. An engine that only claims infeasibility (z3's unsat, a MILP's
 * "no solution") hands the instance to the default one (certify-claim.ts), so this module must not
 * depend on those engines: the registry (index.ts) puts them all together.
 */
import { type CdclEngineOptions, cdclSolve } from './cdcl/index.js';
import { convexApplies, convexSolve } from './convex/index.js';
import type { Engine } from './engine.js';
import { exactSolve } from './exact.js';
import { solveWithPortfolio } from './portfolio.js';
import { referenceSolve } from './reference.js';

/** The second search of the cdcl portfolio: no symmetry propagation, so a different order of search (docs/engines.md). */
const SECOND_SEARCH: CdclEngineOptions = { symmetry: false };
/** The second search starts after this much time without an answer, so easy instances pay nothing. */
export const PORTFOLIO_START_MS = 1000;

/**
 * The conflict-driven search alone, whatever the instance: the registered
 * `cdcl` (the default) hands the convex case to the convex engine
 * (docs/engines.md, "The convex case"); the benchmark runs this one as
 * `cdcl-search` to measure the search itself there.
 */
export const cdclSearch: Engine = {
  name: 'cdcl-search',
  summary: 'the conflict-driven search of cdcl on every instance, the convex case included',
  provesInfeasibility: true,
  solve: async (inst, opts) =>
    (opts.threads ?? 1) >= 2
      ? solveWithPortfolio(inst, opts, (o) => cdclSolve(inst, o), { engine: 'cdcl', options: SECOND_SEARCH }, PORTFOLIO_START_MS)
      : cdclSolve(inst, opts),
};

/** The engines whose every answer is a certificate: a witness checked exactly, or a proof tree. */
export const provingEngines: Record<'exact' | 'reference' | 'cdcl' | 'convex', Engine> = {
  exact: {
    name: 'exact',
    summary: 'branch and bound over activation literals, float-guided, every leaf and witness exact (default; --threads 2 adds a second searcher)',
    provesInfeasibility: true,
    solve: async (inst, opts) =>
      (opts.threads ?? 1) >= 2
        ? solveWithPortfolio(
            inst,
            opts,
            (o) => exactSolve(inst, o),
            { engine: 'exact', options: { inactiveFirst: true, reverseCases: true } },
            PORTFOLIO_START_MS,
          )
        : exactSolve(inst, opts),
  },
  reference: {
    name: 'reference',
    summary: 'complete search, exact LP at every node, one thread (slow, simple)',
    provesInfeasibility: true,
    solve: async (inst, opts) => referenceSolve(inst, opts),
  },
  cdcl: {
    name: 'cdcl',
    summary:
      'conflict-driven search over activation literals: learned clauses become certificate lemmas (format /2); --threads 2 adds a second search; exact fit with output weights >= 0 (the convex case) goes to the convex engine',
    provesInfeasibility: true,
    solve: async (inst, opts) => (convexApplies(inst) ? convexSolve(inst, opts) : cdclSearch.solve(inst, opts)),
  },
  convex: {
    name: 'convex',
    summary:
      "exact fit by ReLU or leaky ReLU units with output weights >= 0 (the convex case): Froese & Hertrich's search, depth bounded by the number of weights, not by the data",
    provesInfeasibility: true,
    solve: async (inst, opts) => convexSolve(inst, opts),
  },
};

/** The engine `solve`, `minimize`, `fuzz` and `crosscheck` use unless told, and the one that certifies claims (docs/benchmark.md: it wins on the benchmark); it chooses the convex engine where that applies. */
export const defaultEngine = 'cdcl';
