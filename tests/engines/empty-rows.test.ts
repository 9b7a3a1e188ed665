/**
 * Rows with no coefficients. With every output weight 0 and no output bias, f = 0 and each
 * loss row reads "0 SENSE rhs": it holds or fails by itself, with no variable to bound. The
 * default engine crashed on such a row (tests/cases/R-zero-output-weights.json, exit 70). Every
 * engine must decide these instances, with certificates the checker accepts: checked against the
 * zero network's own loss, against brute force, and against the same instance without its
 * zero-weight units (a unit whose output weight is 0 adds nothing to f).
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCertificate } from '../../src/check/index.js';
import { evaluate, lossOf } from '../../src/core/evaluate.js';
import { Q } from '../../src/core/rational.js';
import type { Instance, Loss, Network } from '../../src/core/types.js';
import { cdclSolve } from '../../src/engines/cdcl/index.js';
import { certificateJson, certificateText } from '../../src/engines/certificate.js';
import { exactSolve } from '../../src/engines/exact.js';
import { engines } from '../../src/engines/index.js';
import { referenceSolve } from '../../src/engines/reference.js';
import type { SolveResult } from '../../src/engines/result.js';
import { readInstance } from '../../src/format/schema.js';
import { cli } from '../helpers.js';
import { CASES } from '../paths.js';
import { bruteForceFeasible } from './brute-force.js';

const CASE = join(CASES, 'R-zero-output-weights.json');

/** The certificate of a definite result, through the independent checker: 'valid' or the rejection. */
function checked(inst: Instance, r: SolveResult): string {
  if (r.verdict === 'unknown') return `unknown: ${r.reason}`;
  const body = r.verdict === 'feasible' ? { verdict: r.verdict, network: r.network } : { verdict: r.verdict, proof: r.proof };
  const outcome = checkCertificate(certificateText(certificateJson(inst, body, { test: true })), 'cert.json');
  return outcome.status === 'valid' ? 'valid' : JSON.stringify(outcome);
}

/** The network with every weight 0: f = 0 on every point. */
function zeroNetwork(inst: Instance): Network {
  const { hidden: k, activation } = inst.architecture;
  const d = inst.points[0]!.length;
  return {
    layers: [
      { activation, weights: Array.from({ length: k }, () => new Array<Q>(d).fill(Q.ZERO)), bias: new Array<Q>(k).fill(Q.ZERO) },
      { activation: 'identity', weights: [new Array<Q>(k).fill(Q.ZERO)], bias: [Q.ZERO] },
    ],
  };
}

const SYNC_ENGINES: [string, (inst: Instance) => SolveResult][] = [
  ['cdcl', (inst) => cdclSolve(inst)],
  ['exact', (inst) => exactSolve(inst)],
  ['reference', (inst) => referenceSolve(inst)],
];

/** Small instances whose fixed output weights contain at least one 0 (all of them 0 in about a third). */
function zeroWeightInstance(): fc.Arbitrary<Instance> {
  const small = fc.integer({ min: -2, max: 2 }).map((v) => Q.of(v));
  return fc
    .record({
      n: fc.integer({ min: 1, max: 3 }),
      d: fc.integer({ min: 1, max: 2 }),
      k: fc.integer({ min: 1, max: 2 }),
      activation: fc.constantFrom('relu' as const, 'threshold' as const),
      outputBias: fc.boolean(),
      lossType: fc.constantFrom('exact', 'l1', 'linf', 'classification'),
      strict: fc.boolean(),
      allZero: fc.integer({ min: 0, max: 2 }),
    })
    .chain((s) =>
      fc
        .record({
          points: fc.array(fc.array(small, { minLength: s.d, maxLength: s.d }), { minLength: s.n, maxLength: s.n }),
          labels: fc.array(s.lossType === 'classification' ? fc.constantFrom(Q.ONE, Q.MINUS_ONE) : small, { minLength: s.n, maxLength: s.n }),
          weights: fc.array(fc.constantFrom(Q.ZERO, Q.ONE, Q.MINUS_ONE, Q.of(1, 2)), { minLength: s.k, maxLength: s.k }),
          zeroAt: fc.integer({ min: 0, max: s.k - 1 }),
          bound: fc.integer({ min: 0, max: 4 }).map((b) => Q.of(b, 2)),
        })
        .map((r): Instance => {
          const values = s.allZero === 0 ? r.weights.map(() => Q.ZERO) : r.weights.map((w, j) => (j === r.zeroAt ? Q.ZERO : w));
          const loss: Loss =
            s.lossType === 'exact' || s.lossType === 'classification' ? { type: s.lossType } : { type: s.lossType, bound: r.bound, strict: s.strict };
          return {
            name: 'zero-weights',
            description: '',
            points: r.points,
            labels: r.labels,
            architecture: { hidden: s.k, activation: s.activation, outputWeights: { mode: 'fixed', values }, outputBias: s.outputBias },
            loss,
          };
        }),
    );
}

/** The instance without its units of output weight 0, or undefined when every unit has weight 0. */
function withoutZeroUnits(inst: Instance): Instance | undefined {
  const ow = inst.architecture.outputWeights;
  if (ow.mode !== 'fixed') return undefined;
  const values = ow.values.filter((a) => !a.isZero());
  if (values.length === 0) return undefined;
  return { ...inst, architecture: { ...inst.architecture, hidden: values.length, outputWeights: { mode: 'fixed', values } } };
}

describe('rows with no coefficients (output weights 0, no output bias)', () => {
  it('R-zero-output-weights: every registered engine answers feasible with f = 0, and the certificate checks', async () => {
    const inst = readInstance(CASE);
    for (const e of Object.values(engines)) {
      const r = await e.solve(inst, { deadline: Date.now() + 60_000 });
      expect(r.verdict, e.name).toBe('feasible');
      if (r.verdict !== 'feasible') continue;
      expect(evaluate(r.network, inst.points[0]!)[0]!.isZero(), e.name).toBe(true);
      expect(checked(inst, r), e.name).toBe('valid');
    }
  }, 120_000);

  it('R-zero-output-weights: `relucert solve` exits 10 with the witness f(x) = 0 (it crashed with exit 70)', async () => {
    const r = await cli('solve', CASE);
    expect(r.err).toBe('');
    expect(r.code).toBe(10);
    expect(r.out).toContain('f(x) = 0');
  });

  it('every engine agrees with the zero network, with brute force and without the zero-weight units; certificates check', () => {
    const seen = { feasible: 0, infeasible: 0, allZero: 0, dropped: 0 };
    fc.assert(
      fc.property(zeroWeightInstance(), (inst) => {
        const expected = bruteForceFeasible(inst) ? 'feasible' : 'infeasible';
        seen[expected]++;
        const ow = inst.architecture.outputWeights;
        if (ow.mode === 'fixed' && ow.values.every((a) => a.isZero()) && !inst.architecture.outputBias) {
          // f = 0 whatever the hidden weights: feasible exactly when the zero network meets the bound
          seen.allZero++;
          expect(expected).toBe(lossOf(inst, zeroNetwork(inst)).withinBound ? 'feasible' : 'infeasible');
        }
        const smaller = withoutZeroUnits(inst);
        if (smaller) {
          seen.dropped++;
          expect(bruteForceFeasible(smaller) ? 'feasible' : 'infeasible').toBe(expected);
        }
        for (const [name, solve] of SYNC_ENGINES) {
          const r = solve(inst);
          expect(r.verdict, name).toBe(expected);
          expect(checked(inst, r), name).toBe('valid');
        }
      }),
      { numRuns: 120 },
    );
    // both verdicts, and both oracles, or the property says little
    expect(seen.feasible).toBeGreaterThan(10);
    expect(seen.infeasible).toBeGreaterThan(10);
    expect(seen.allZero).toBeGreaterThan(10);
    expect(seen.dropped).toBeGreaterThan(10);
  }, 120_000);
});
