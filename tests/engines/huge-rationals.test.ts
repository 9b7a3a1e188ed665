/**
 * Issue F section 2: any exact rational is an input the default engine
 * handles. Floats may guide, never decide: numbers beyond a double's range
 * (1e309, 1e-400), or spread too far for the float LP's tolerances, make the
 * exact engine decide every node exactly, and every engine that proves
 * (exact, reference, cdcl) agrees with brute force on instances whose coordinates,
 * labels and bounds run from 1e-400 to 1e400, written as exact strings.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCertificate } from '../../src/check/index.js';
import { Q, exactDouble, parseRational } from '../../src/core/rational.js';
import type { Instance } from '../../src/core/types.js';
import type { SolveResult } from '../../src/engines/result.js';
import { certificateJson, certificateText } from '../../src/engines/certificate.js';
import { floatsCanGuide } from '../../src/core/float-range.js';
import { exactSolve } from '../../src/engines/exact.js';
import { floatDecide } from '../../src/engines/lp/float-lp.js';
import { FloatTableau } from '../../src/engines/lp/float-tableau.js';
import { engines } from '../../src/engines/index.js';
import { referenceSolve } from '../../src/engines/reference.js';
import { cdclSolve } from '../../src/engines/cdcl/index.js';
import { acceptWitness } from '../../src/engines/witness.js';
import { row } from '../../src/encode/rows.js';
import { readInstance, toInstance } from '../../src/format/schema.js';
import { instanceToJson } from '../../src/format/write.js';
import { smallInstance } from '../arbitraries.js';
import { cli, tempDir } from '../helpers.js';
import { bruteForceFeasible } from './brute-force.js';
import { CASES } from '../paths.js';

/** 10^e as exact text times a small integer: "-2e400" written out as digits ("-2000...0" or "-2/1000...0"). */
const decimalText = (m: number, e: number): string => (m === 0 ? '0' : e >= 0 ? `${m}${'0'.repeat(e)}` : `${m}/1${'0'.repeat(-e)}`);

/**
 * A small instance whose coordinates, labels, loss bound and fixed output
 * weights are replaced by m * 10^e, e drawn by `exponent`, read back through
 * the instance reader from exact strings.
 */
const scaledInstance = (exponent: fc.Arbitrary<number>, size: { maxPoints: number; maxCells: number }): fc.Arbitrary<Instance> => {
  const scaled = fc.record({ m: fc.integer({ min: -2, max: 2 }), e: exponent });
  return (
    smallInstance({ maxPoints: size.maxPoints, maxHidden: 2, maxDim: 2 })
      .filter((i) => i.architecture.hidden * i.points.length <= size.maxCells)
      .chain((inst) =>
        fc
          .record({
            coords: fc.array(fc.array(scaled, { minLength: inst.points[0]!.length, maxLength: inst.points[0]!.length }), {
              minLength: inst.points.length,
              maxLength: inst.points.length,
            }),
            labels: fc.array(scaled, { minLength: inst.points.length, maxLength: inst.points.length }),
            bound: scaled,
            weights: fc.array(
              scaled.filter((s) => s.m !== 0),
              { minLength: inst.architecture.hidden, maxLength: inst.architecture.hidden },
            ),
          })
          .map(({ coords, labels, bound, weights }) => {
            const json = instanceToJson(inst);
            json.points = coords.map((p) => p.map((s) => decimalText(s.m, s.e)));
            if (inst.loss.type !== 'classification') json.labels = labels.map((s) => decimalText(s.m, s.e));
            if (inst.loss.type === 'l1' || inst.loss.type === 'linf')
              json.loss = { type: inst.loss.type, bound: decimalText(Math.abs(bound.m), bound.e), strict: inst.loss.strict };
            if (inst.architecture.outputWeights.mode === 'fixed')
              (json.architecture as Record<string, unknown>).outputWeights = weights.map((s) => decimalText(s.m, s.e));
            return toInstance(JSON.parse(JSON.stringify(json)), 'generated');
          }),
      )
      // distinct points (the generator's points were distinct; scaling may merge them)
      .filter((i) => new Set(i.points.map((p) => p.join(','))).size === i.points.length)
  );
};

const hugeInstance = scaledInstance(fc.oneof(fc.constantFrom(-400, -309, -308, -300, -64, 0, 64, 300, 308, 309, 400), fc.integer({ min: -400, max: 400 })), {
  maxPoints: 3,
  maxCells: 4,
});

/** Magnitudes the float guide takes on (1e-12 to 1e24), far enough apart to fall under its relative tolerances (fuzz 20261130 #3629). */
const spreadInstance = scaledInstance(fc.integer({ min: -12, max: 24 }), { maxPoints: 4, maxCells: 6 });

/** The certificate of a verdict, through the checker. */
const checked = (inst: Instance, r: Exclude<SolveResult, { verdict: 'unknown' }>) => {
  const body = r.verdict === 'feasible' ? { verdict: r.verdict, network: r.network } : { verdict: r.verdict, proof: r.proof };
  return checkCertificate(certificateText(certificateJson(inst, body, {})), 'scaled');
};

describe('huge and tiny exact rationals', () => {
  it('F-coordinate-1e309: the default engine finds the fit (exit 10, certificate checked), as reference and z3 do', async () => {
    const file = join(CASES, 'F-coordinate-1e309.json');
    const cert = join(tempDir(), 'big.cert.json');
    const r = await cli('solve', file, '--cert', cert);
    expect(r.err).toBe('');
    expect(r.code).toBe(10);
    expect((await cli('check', cert, '--instance', file)).code).toBe(0);
    const inst = readInstance(file);
    expect(floatsCanGuide(inst)).toBe(false);
    for (const e of ['reference', 'z3'] as const) expect((await engines[e]!.solve(inst, { deadline: Date.now() + 30_000 })).verdict, e).toBe('feasible');
  });

  it('Q.toNumber is the nearest double for every magnitude (never NaN; Infinity and 0 only beyond the range)', () => {
    const big = fc.bigInt({ min: 1n, max: 10n ** 420n });
    fc.assert(
      fc.property(big, big, fc.boolean(), (n, d, neg) => {
        const q = Q.of(neg ? -n : n, d);
        const x = q.toNumber();
        expect(Number.isNaN(x)).toBe(false);
        if (!Number.isFinite(x)) expect(q.abs().gt(exactDouble(Number.MAX_VALUE))).toBe(true);
        else if (x === 0) expect(q.abs().lt(exactDouble(Number.MIN_VALUE))).toBe(true);
        else if (Math.abs(x) >= 2.3e-308) {
          // normal range: relative error at most 2^-52
          const err = exactDouble(x).sub(q).abs();
          expect(err.le(q.abs().mul(Q.of(1n, 1n << 52n))), `${q} -> ${x}`).toBe(true);
        }
        expect(Math.sign(x) === q.sign() || x === 0).toBe(true);
      }),
      { numRuns: 300 },
    );
    expect(parseRational(`1${'0'.repeat(400)}/1${'0'.repeat(399)}`)!.toNumber()).toBe(10);
  });

  it('the float LPs answer "unsure" (never a wrong guide, never a crash) on numbers a double cannot hold', () => {
    const huge = parseRational(`1${'0'.repeat(309)}`)!;
    const rows = [row('a', new Map([['x', huge]]), '<=', Q.ONE), row('b', new Map([['x', Q.MINUS_ONE]]), '<=', Q.ZERO)];
    expect(floatDecide(rows).status).toBe('unsure');
    expect(FloatTableau.root(rows).result().status).toBe('unsure');
  });

  it('exact, reference and cdcl agree with brute force from 1e-400 to 1e400, and their certificates check', async () => {
    const seen = { feasible: 0, infeasible: 0, unknown: 0 };
    await fc.assert(
      fc.asyncProperty(hugeInstance, async (inst: Instance) => {
        await new Promise((r) => setImmediate(r)); // let the test runner hear from us between runs
        const a = exactSolve(inst, { deadline: Date.now() + 10_000 });
        const b = referenceSolve(inst, { deadline: Date.now() + 10_000 });
        const c = cdclSolve(inst, { deadline: Date.now() + 10_000 });
        seen[a.verdict]++;
        // exact LPs on numbers of hundreds of digits are slow: an engine past its limit says unknown, which is honest
        if (a.verdict !== 'unknown' && b.verdict !== 'unknown') {
          // brute force (2^(kn) exact LPs) where it is cheap; the two engines always
          const truth = inst.architecture.hidden * inst.points.length <= 3 ? (bruteForceFeasible(inst) ? 'feasible' : 'infeasible') : b.verdict;
          expect(a.verdict).toBe(truth);
          expect(b.verdict).toBe(truth);
          if (c.verdict !== 'unknown') expect(c.verdict).toBe(truth);
          for (const r of [a, b, c]) {
            if (r.verdict === 'unknown') continue;
            if (r.verdict === 'feasible') expect(acceptWitness(inst, r.network)).toBeDefined();
            const outcome = checked(inst, r);
            expect(outcome.status, JSON.stringify(outcome)).toBe('valid');
          }
        }
      }),
      { numRuns: 40 },
    );
    expect(seen.feasible).toBeGreaterThan(2);
    expect(seen.infeasible).toBeGreaterThan(2);
  });

  it('cdcl agrees with brute force on magnitudes from 1e-12 to 1e24, which the float guide takes on, and its certificates check', async () => {
    const seen = { feasible: 0, infeasible: 0, unknown: 0 };
    await fc.assert(
      fc.asyncProperty(spreadInstance, async (inst: Instance) => {
        await new Promise((r) => setImmediate(r));
        const c = cdclSolve(inst, { deadline: Date.now() + 10_000 });
        seen[c.verdict]++;
        if (c.verdict === 'unknown') return;
        expect(c.verdict).toBe(bruteForceFeasible(inst) ? 'feasible' : 'infeasible');
        const outcome = checked(inst, c);
        expect(outcome.status, JSON.stringify(outcome)).toBe('valid');
      }),
      { numRuns: 60 },
    );
    expect(seen.feasible).toBeGreaterThan(2);
    expect(seen.infeasible).toBeGreaterThan(2);
  });
});
