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

export const engines: Record<string, Engine> = {
  exact: {
    name: 'exact',
    summary: 'branch and bound over activation literals, float-guided, every leaf and witness exact (default; --threads 2 adds a second searcher)',
    provesInfeasibility: true,
    solve: async (inst, opts) =>
      (opts.threads ?? 1) >= 2
        ? solveWithPortfolio(inst, opts, (o) => exactSolve(inst, o), { engine: 'exact', options: { inactiveFirst: true, reverseCases: true } }, PORTFOLIO_START_MS)
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
    summary: 'conflict-driven search over activation literals: learned clauses become certificate lemmas (format /2); --threads 2 adds a second search',
    provesInfeasibility: true,
    solve: async (inst, opts) =>
      (opts.threads ?? 1) >= 2
        ? solveWithPortfolio(inst, opts, (o) => cdclSolve(inst, o), { engine: 'cdcl', options: SECOND_SEARCH }, PORTFOLIO_START_MS)
        : cdclSolve(inst, opts),
  },
  z3: z3Engine,
  milp: milpEngine,
};

engines.all = {
  name: 'all',
  summary: 'cross-check: runs the default engine (certifying), then exact, reference, z3 and milp, and reports any disagreement (exit 3)',
  provesInfeasibility: true,
  solve: async (inst, opts) => {
    const certifying = engines[defaultEngine]!;
    const others = ['cdcl', 'exact', 'reference', 'z3', 'milp'].filter((n) => n !== defaultEngine).flatMap((n) => (engines[n] ? [engines[n]] : []));
    // without a deadline, the others get ten times what exact needed (at least 10 s), so `all` always ends
    const t0 = Date.now();
    const main = await certifying.solve(inst, opts);
    const deadline = opts.deadline ?? Date.now() + Math.max(10_000, 10 * (Date.now() - t0));
    return solveWithAll(inst, { ...opts, deadline }, { ...certifying, solve: async () => main }, others);
  },
};

/** The engine `solve`, `minimize`, `fuzz` and `crosscheck` use unless told (docs/benchmark.md: it wins on the benchmark). */
export const defaultEngine = 'cdcl';
