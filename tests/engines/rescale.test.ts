/**
 * Badly scaled data (src/engines/rescale.ts, docs/engines.md "Badly scaled
 * data"): the exact change of inputs, and the answers mapped back. An
 * instance moved by x -> c + x / s with 30-digit c and s has the verdict of
 * its unmoved twin, and its certificate, built for the moved instance from
 * the search in rescaled coordinates, passes the checker.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCertificate } from '../../src/check/index.js';
import { automorphismOf, findAutomorphisms } from '../../src/core/automorphism.js';
import { floatsCanGuide } from '../../src/core/float-range.js';
import { Q, parseRational } from '../../src/core/rational.js';
import type { Instance } from '../../src/core/types.js';
import { cdclSolve } from '../../src/engines/cdcl/index.js';
import { certificateJson, certificateText } from '../../src/engines/certificate.js';
import { inputScaling, resultBack, scaledInstance, solveRescaled } from '../../src/engines/rescale.js';
import type { ProofMap, SolveResult } from '../../src/engines/result.js';
import { readInstance } from '../../src/format/schema.js';
import { smallInstance } from '../arbitraries.js';
import { CASES } from '../paths.js';
import { join } from 'node:path';

const E30 = 10n ** 30n;
/** x -> 10^30 + x / 10^30, coordinate by coordinate (61-digit numbers). */
const moved = (inst: Instance): Instance => ({ ...inst, points: inst.points.map((x) => x.map((v) => Q.of(E30).add(v.div(Q.of(E30))))) });

function certificateOutcome(inst: Instance, r: SolveResult): ReturnType<typeof checkCertificate> {
  if (r.verdict === 'unknown') throw new Error('unknown');
  const body = r.verdict === 'feasible' ? { verdict: r.verdict, network: r.network } : { verdict: r.verdict, proof: r.proof };
  return checkCertificate(certificateText(certificateJson(inst, body, {})), 'moved');
}

describe('inputScaling', () => {
  it('maps the 61-digit case onto small integers, and leaves its unmapped twin alone', () => {
    const far = readInstance(join(CASES, 'M-scaled-61-digits-064.json'));
    const near = readInstance(join(CASES, 'M-scaled-unmapped-064.json'));
    expect(inputScaling(near)).toBeUndefined();
    expect(floatsCanGuide(far)).toBe(false);
    const sc = inputScaling(far)!;
    const mapped = scaledInstance(far, sc);
    expect(floatsCanGuide(mapped)).toBe(true);
    // the twin's points, moved by the median: integer coordinates, the same differences
    expect(mapped.points.every((x) => x.every((v) => v.isInteger()))).toBe(true);
    for (let t = 0; t < 2; t++)
      expect(mapped.points.map((x) => x[t]!.sub(mapped.points[0]![t]!).toString())).toEqual(near.points.map((x) => x[t]!.sub(near.points[0]![t]!).toString()));
  });
  it('leaves instances with weight-bound rows alone, and scales coordinates whose spread a double cannot see', () => {
    const base = readInstance(join(CASES, 'M-scaled-unmapped-064.json'));
    const far = moved(base);
    expect(inputScaling({ ...far, architecture: { ...far.architecture, outputWeights: { mode: 'signs' }, weightBound: Q.ONE } })).toBeUndefined();
    // in range but spread below 2^-26 of the magnitude: 10^6 + x / 10^6
    const close = { ...base, points: base.points.map((x) => x.map((v) => Q.of(10n ** 6n).add(v.div(Q.of(10n ** 6n))))) };
    expect(floatsCanGuide(close)).toBe(true);
    expect(inputScaling(close)).toBeDefined();
  });
});

describe('solveRescaled', () => {
  it('gives a moved instance the verdict of its twin, with a certificate the checker accepts for the moved instance (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        smallInstance({ maxPoints: 4, maxDim: 2, maxHidden: 2 }).filter((i) => i.loss.type !== 'l2'),
        async (inst) => {
          const far = moved(inst);
          expect(inputScaling(far)).toBeDefined();
          const twin = cdclSolve(inst, { deadline: Date.now() + 20_000 });
          const r = await solveRescaled(far, async (i) => cdclSolve(i, { deadline: Date.now() + 20_000 }));
          expect(r.verdict).toBe(twin.verdict);
          const outcome = certificateOutcome(far, r);
          expect(outcome.status, JSON.stringify(outcome)).toBe('valid');
        },
      ),
      { numRuns: 40 },
    );
  });
  it('reads the maps of a proof back into the original coordinates (each an automorphism there, with the same permutation)', () => {
    const xor: Instance = {
      name: 'xor',
      description: '',
      points: [
        [Q.ZERO, Q.ZERO],
        [Q.ONE, Q.ZERO],
        [Q.ZERO, Q.ONE],
        [Q.ONE, Q.ONE],
      ],
      labels: [Q.MINUS_ONE, Q.ONE, Q.ONE, Q.MINUS_ONE],
      architecture: { hidden: 1, activation: 'threshold', outputWeights: { mode: 'free' }, outputBias: true },
      loss: { type: 'classification' },
    };
    const far = moved(xor);
    const sc = inputScaling(far)!;
    const mapped = scaledInstance(far, sc);
    const auts = findAutomorphisms(mapped, { allowNegation: true, keepBox: false });
    expect(auts.length).toBeGreaterThan(0);
    const maps: ProofMap[] = auts.map((a) => ({
      linear: a.map.linear.map((row) => row.map((x) => x.toString())),
      shift: a.map.shift.map((x) => x.toString()),
      points: a.points,
      labels: a.labelSign,
    }));
    const r = resultBack(far, sc, {
      verdict: 'infeasible',
      proof: { lemmas: [], maps, cases: [] },
      stats: { nodes: 0, leaves: 0, lps: 0, pivots: 0, maxDepth: 0, elapsedMs: 0 },
    });
    if (r.verdict !== 'infeasible') throw new Error('verdict');
    r.proof.maps!.forEach((m, g) => {
      const back = automorphismOf(
        far,
        { linear: m.linear.map((row) => row.map((x) => parseRational(x)!)), shift: m.shift.map((x) => parseRational(x)!) },
        true,
      );
      expect(back).toMatchObject({ points: auts[g]!.points, labelSign: auts[g]!.labelSign });
    });
  });
});
