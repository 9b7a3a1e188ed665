/**
 * The squared loss across engines and against native z3 (docs/benchmark.md,
 * "The l2 class"): on random small l2 instances the cdcl and exact engines
 * give the reference search's verdict, every certificate checked by the
 * independent checker; on random tiny ones, every verdict native z3 reaches
 * on the QF_NRA export (`relucert export --smtlib`) is relucert's (skipped
 * without z3 on PATH).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCertificate } from '../../src/check/index.js';
import { Q } from '../../src/core/rational.js';
import type { Instance } from '../../src/core/types.js';
import { smtlibText } from '../../src/encode/smtlib.js';
import { certificateJson, certificateText } from '../../src/engines/certificate.js';
import { engines } from '../../src/engines/index.js';
import type { SolveResult } from '../../src/engines/result.js';
import { installed } from '../encode/verdicts.js';
import { smallL2Instance } from '../arbitraries.js';

/** The checker's outcome on the certificate of a decided result. */
function checked(inst: Instance, r: SolveResult): string {
  if (r.verdict === 'unknown') return 'unknown';
  const body = r.verdict === 'feasible' ? { verdict: r.verdict, network: r.network } : { verdict: r.verdict, proof: r.proof };
  const out = checkCertificate(certificateText(certificateJson(inst, body, {})), 'cert.json');
  return out.status === 'valid' ? 'valid' : out.message;
}

/** Random small l2 instances: ReLU, leaky ReLU and threshold units, every output-weight mode, a bound in [0, 4]. */
const l2Instance = smallL2Instance({ maxPoints: 4, maxHidden: 2, maxBoundNumerator: 8, denominator: 2 });

describe('l2: the engines agree with the reference search', () => {
  it('cdcl and exact give the reference verdict on random small instances, every certificate checked', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(l2Instance, async (inst) => {
        const deadline = Date.now() + 10_000;
        const ref = await engines.reference!.solve(inst, { deadline });
        if (ref.verdict === 'unknown') return;
        for (const name of ['cdcl', 'exact']) {
          const r = await engines[name]!.solve(inst, { deadline: Date.now() + 10_000 });
          if (r.verdict === 'unknown') continue;
          expect([name, r.verdict]).toEqual([name, ref.verdict]);
          expect([name, checked(inst, r)]).toEqual([name, 'valid']);
        }
        expect(checked(inst, ref)).toBe('valid');
        seen.add(ref.verdict);
      }),
      { numRuns: 50, seed: 23 },
    );
    expect([...seen].sort()).toEqual(['feasible', 'infeasible']);
  }, 240_000);
});

const z3Missing = !installed('z3');
if (z3Missing) console.warn('tests/engines/l2-agreement.test.ts: skipping native z3: z3 not on PATH (run scripts/install-solvers.sh)');

describe('l2: native z3 on the QF_NRA export', () => {
  // one ReLU, 3 or 4 points on a line: native z3 decides these within seconds
  const tiny = fc
    .record({
      points: fc.uniqueArray(fc.integer({ min: -3, max: 3 }), { minLength: 3, maxLength: 4 }),
      labels: fc.array(fc.integer({ min: -2, max: 2 }), { minLength: 4, maxLength: 4 }),
      mode: fc.constantFrom('free' as const, 'signs' as const),
      bias: fc.boolean(),
      bound: fc.integer({ min: 0, max: 6 }),
    })
    .map((s): Instance => ({
      name: 'tiny',
      description: '',
      points: s.points.map((x) => [Q.of(x)]),
      labels: s.points.map((_, i) => Q.of(s.labels[i]!)),
      architecture: { hidden: 1, activation: 'relu', outputWeights: { mode: s.mode }, outputBias: s.bias },
      loss: { type: 'l2', bound: Q.of(s.bound, 4), strict: false },
    }));
  it.skipIf(z3Missing)(
    'every verdict native z3 reaches is relucert`s (skipped without z3)',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'relucert-l2-agree-'));
      let decided = 0;
      let run = 0;
      await fc.assert(
        fc.asyncProperty(tiny, async (inst) => {
          const r = await engines.cdcl!.solve(inst, { deadline: Date.now() + 20_000 });
          const file = join(dir, `tiny-${run++}.smt2`);
          writeFileSync(file, smtlibText(inst));
          const z3 = spawnSync('z3', ['-smt2', '-T:10', file], { encoding: 'utf8', timeout: 20_000 }).stdout.split('\n')[0];
          if (z3 !== 'sat' && z3 !== 'unsat') return;
          decided++;
          expect(r.verdict).toBe(z3 === 'sat' ? 'feasible' : 'infeasible');
          expect(checked(inst, r)).toBe('valid');
        }),
        { numRuns: 8, seed: 31 },
      );
      expect(decided).toBeGreaterThan(0);
    },
    300_000,
  );
});
