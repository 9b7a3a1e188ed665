/**
 * The engine registry: every engine behind one interface (engine.ts) and one result type
 * (result.ts). The proving engines and the default come from proving.ts; the engines that only
 * claim infeasibility (z3, milp) have their claims certified by the default one.
 */
import { solveWithAll } from './all.js';
import type { Engine } from './engine.js';
import { milpEngine } from './milp.js';
import { defaultEngine, provingEngines } from './proving.js';
import { z3Engine } from './z3.js';

export { cdclSearch, defaultEngine } from './proving.js';
export type { Engine } from './engine.js';

export const engines: Record<string, Engine> = {
  ...provingEngines,
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
