import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Instance } from '../../src/core/types.js';
import { solveWithAll } from '../../src/engines/all.js';
import { defaultEngine, engines } from '../../src/engines/index.js';
import type { SolveResult } from '../../src/engines/result.js';
import { readInstance } from '../../src/format/schema.js';
import { cli } from '../helpers.js';

const abs1 = readInstance('instances/abs-3-k1.json');

describe('engine all (cross-check mode)', () => {
  it('reports a disagreement when an engine contradicts the certified verdict', async () => {
    const liar = {
      name: 'liar',
      provesInfeasibility: false,
      solve: async (inst: Instance): Promise<SolveResult> => {
        const r = await engines.exact!.solve(inst, {});
        return r.verdict === 'infeasible' ? { verdict: 'feasible', network: { layers: [] }, loss: abs1.labels[0]!, stats: r.stats } : r;
      },
    };
    const r = await solveWithAll(abs1, {}, engines.exact!, [liar]);
    expect(r.crossCheck?.disagreement).toBe(true);
    expect(r.verdict).toBe('infeasible'); // the certified answer is still the one returned
  });
  it('does not count unknown as a disagreement', async () => {
    const quitter = {
      name: 'quitter',
      provesInfeasibility: false,
      solve: async (): Promise<SolveResult> => ({ verdict: 'unknown', reason: 'timeout', stats: (await engines.exact!.solve(abs1, {})).stats }),
    };
    const r = await solveWithAll(abs1, {}, engines.exact!, [quitter]);
    expect(r.crossCheck?.disagreement).toBe(false);
  });
  it('agrees with every engine on every shipped instance (exit 10 / 20, never 3)', async () => {
    for (const f of readdirSync('instances').filter((x) => x.endsWith('.json'))) {
      // each engine gets its share of the 10 s (all.ts); the slow ones answer unknown on the largest instances
      const r = await cli('solve', `instances/${f}`, '--engine', 'all', '--timeout', '10', '--json');
      expect([10, 20], `${f}: ${r.err}`).toContain(r.code);
      const o = JSON.parse(r.out) as { disagreement: boolean; comparisons: { engine: string }[] };
      expect(o.disagreement, f).toBe(false);
      expect(o.comparisons.map((c) => c.engine)).toEqual([defaultEngine, ...Object.keys(engines).filter((n) => n !== 'all' && n !== defaultEngine)]);
    }
  }, 300_000);
});
