/**
 * The engine registry: one interface, one result type (src/engines/result.ts).
 */
import type { Instance } from '../core/types.js';
import { referenceSolve } from './reference.js';
import { exactSolve } from './exact.js';
import { solveWithAll } from './all.js';
import type { SolveOptions, SolveResult } from './result.js';
import { z3Engine } from './z3.js';
import { milpEngine } from './milp.js';
import { type CdclEngineOptions, cdclSolve } from './cdcl/index.js';
import { solveWithPortfolio } from './portfolio.js';
import { convexApplies, convexSolve } from './convex/index.js';

/** The second search of the cdcl portfolio: no symmetry propagation, so a different order of search (docs/engines.md). */
const SECOND_SEARCH: CdclEngineOptions = { symmetry: false };
/** The second search starts after this much time without an answer, so easy instances pay nothing. */
export const PORTFOLIO_START_MS = 1000;

export interface Engine {
  name: string;
  /** One line for --help. */
  summary: string;
  /** true when an 'infeasible' from this engine carries a checkable proof. */
  provesInfeasibility: boolean;
  solve(inst: Instance, opts: SolveOptions): Promise<SolveResult>;
}

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

export const engines: Record<string, Engine> = {
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
  z3: z3Engine,
  milp: milpEngine,
};

engines.all = {
  name: 'all',
  summary:
    'cross-check: runs the default engine (certifying), then every other registered engine, each with its share of the time limit, and reports any disagreement (exit 3)',
  provesInfeasibility: true,
  solve: async (inst, opts) => {
    // every registered engine, so engines added later are cross-checked too
    const others = Object.values(engines).filter((e) => e.name !== 'all' && e.name !== defaultEngine);
    return solveWithAll(inst, opts, engines[defaultEngine]!, others);
  },
};

/**
 * The engine `solve`, `minimize`, `fuzz` and `crosscheck` use unless told (docs/benchmark.md: it wins on the benchmark);
 * it chooses the convex engine where that applies.
 */
export const defaultEngine = 'cdcl';
