/**
 * Engine milp (javascript-lp-solver): never claims infeasibility; every
 * witness passes acceptWitness; on random small instances it agrees with the
 * reference search wherever it answers (feasible only when the reference is
 * feasible; 'unknown' with the big-M reason otherwise). The rebuild helpers
 * turn float solutions into exact witnesses or say they cannot.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { engines } from '../../src/engines/index.js';
import { DOES_NOT_CHECK, NO_FIT_PREFIX, rebuildMilpSolution } from '../../src/engines/milp.js';
import { acceptWitness } from '../../src/engines/witness.js';
import { readInstance } from '../../src/format/schema.js';
import { smallInstance } from '../arbitraries.js';

const ROOT = join(import.meta.dirname, '..', '..');
const milp = engines.milp!;

describe('engine milp', () => {
  it('is registered and does not prove infeasibility', () => {
    expect(milp.name).toBe('milp');
    expect(milp.provesInfeasibility).toBe(false);
  });

  it('agrees with the reference search on random small instances', async () => {
    let feasibleBoth = 0;
    await fc.assert(
      fc.asyncProperty(smallInstance({ maxPoints: 5, maxDim: 2, maxHidden: 2 }), async (inst) => {
        const r = await milp.solve(inst, { deadline: Date.now() + 3000 });
        expect(r.verdict).not.toBe('infeasible');
        if (r.verdict === 'unknown') expect(r.reason === DOES_NOT_CHECK || r.reason === 'timeout' || r.reason.startsWith(NO_FIT_PREFIX), r.reason).toBe(true);
        if (r.verdict !== 'feasible') return;
        expect(acceptWitness(inst, r.network)).toBeDefined();
        const ref = await engines.reference!.solve(inst, { deadline: Date.now() + 2000 });
        if (ref.verdict !== 'unknown') expect(ref.verdict).toBe('feasible');
        feasibleBoth++;
      }),
      { numRuns: 30 },
    );
    expect(feasibleBoth).toBeGreaterThan(0);
  });

  it('says "no fit within M", never infeasible, on an infeasible instance', async () => {
    const inst = readInstance(join(ROOT, 'instances', 'abs-3-k1.json'));
    const r = await milp.solve(inst, {});
    expect(r.verdict).toBe('unknown');
    if (r.verdict === 'unknown') expect(r.reason).toBe('milp: no solution: no network with all weights in [-100, 100] fits every label exactly');
  });

  it('finds exact witnesses on feasible shipped instances', async () => {
    for (const f of ['abs-3-k2', 'xor-threshold-k2', 'teacher-d2-k2', 'hat-step-k3']) {
      const inst = readInstance(join(ROOT, 'instances', `${f}.json`));
      const r = await milp.solve(inst, {});
      expect(r.verdict, f).toBe('feasible');
      if (r.verdict === 'feasible') expect(acceptWitness(inst, r.network)).toBeDefined();
    }
  });
});

describe('rebuilding float solutions', () => {
  const inst = readInstance(join(ROOT, 'instances', 'abs-3-k2.json'));
  it('reads slightly-off floats as the exact network (|x| = relu(x) + relu(-x))', () => {
    const v = new Map([
      ['w_0_0', 1.0000000001],
      ['b_0', -1e-11],
      ['w_1_0', -0.9999999999],
      ['b_1', 0],
      ['g_0', 1],
      ['g_1', 0.9999999],
    ]);
    const r = rebuildMilpSolution(inst, v);
    expect(r?.via).toBe('values');
    expect(r && acceptWitness(inst, r.network)).toBeDefined();
  });
  it('falls back to the exact LP of the pattern when the rounded weights do not fit', () => {
    // weights far off, but the binaries name a feasible pattern: unit 0 active at x = 1, 0; unit 1 at x = -1, 0
    const v = new Map([
      ['w_0_0', 0.3],
      ['b_0', 0.1],
      ['g_0', 1],
      ['d_0_1', 1],
      ['d_0_2', 1],
      ['w_1_0', -0.3],
      ['g_1', 1],
      ['d_1_0', 1],
      ['d_1_1', 1],
    ]);
    const r = rebuildMilpSolution(inst, v);
    expect(r?.via).toBe('pattern-lp');
    expect(r && acceptWitness(inst, r.network)).toBeDefined();
  });
  it('gives up (undefined) when neither the values nor the pattern fit', () => {
    expect(
      rebuildMilpSolution(
        inst,
        new Map([
          ['g_0', 0],
          ['g_1', 0],
        ]),
      ),
    ).toBeUndefined();
  });
});
