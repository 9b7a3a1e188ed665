/**
 * Upper bounds from float fits (src/engines/float-fit.ts) and the exact
 * pattern optima under them (src/engines/pattern-optimum.ts), against
 * independent oracles:
 *  - the pattern optimum on the eliminated system (w, b, c only) equals the
 *    exact optimum of the same pattern on the full rows (unit variables kept);
 *  - a fit's bound is a network the exact evaluation accepts at that loss,
 *    and never below the brute-force least loss (every case and pattern);
 *  - the fit is deterministic for a seed;
 *  - start networks: their loss, then their pattern's optimum, bound
 *    minimize from above; `solve` takes a start whose pattern fits.
 */
import fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCertificate } from '../../src/check/index.js';
import { lossOf } from '../../src/core/evaluate.js';
import { Q } from '../../src/core/rational.js';
import type { Instance, Network } from '../../src/core/types.js';
import { type LinExpr, type LinRow, addTerm, row } from '../../src/encode/rows.js';
import { type Case, type Literal, baseRows, literalRows, normalisationCases, outputExpr } from '../../src/encode/system.js';
import { fitUpperBound, proposePatterns } from '../../src/engines/float-fit.js';
import { minimizeRows } from '../../src/engines/lp/exact-lp.js';
import { minimizeSquares } from '../../src/engines/lp/exact-qp.js';
import { minimizeLoss } from '../../src/engines/minimize.js';
import { bestOnPattern, patternKey, patternOf } from '../../src/engines/pattern-optimum.js';
import { emptyStats } from '../../src/engines/result.js';
import { acceptWitness } from '../../src/engines/witness.js';
import { readInstance } from '../../src/format/schema.js';
import { solve } from '../../src/run/solve.js';
import { smallInstance } from '../arbitraries.js';
import { CASES } from '../paths.js';

/** The exact optimum of one full pattern on the full rows (unit variables and all), as the brute force of tests/engines/brute-force.ts builds them. */
function fullOptimum(inst: Instance, c: Case, lits: readonly Literal[]): Q | undefined {
  const n = inst.points.length;
  const rows: LinRow[] = [...baseRows(inst, c).filter((r) => !/^(l1p|l1n|l1sum|linfu|linfl)/.test(r.name)), ...lits.flatMap((l) => literalRows(inst, c, l))];
  const outputs = Array.from({ length: n }, (_, i) => outputExpr(inst, c, i));
  if (inst.loss.type === 'l2') {
    const r = minimizeSquares(rows, outputs, inst.labels);
    return r.status === 'optimal' ? r.value : undefined;
  }
  const obj: LinExpr = new Map();
  for (let i = 0; i < n; i++) {
    const slack = inst.loss.type === 'l1' ? `e:${i}` : 'g';
    const f = outputs[i]!;
    rows.push(row(`u${i}`, addTerm(new Map(f), slack, Q.MINUS_ONE), '<=', inst.labels[i]!));
    rows.push(row(`l${i}`, addTerm(new Map([...f].map(([v, q]) => [v, q.neg()])), slack, Q.MINUS_ONE), '<=', inst.labels[i]!.neg()));
    if (inst.loss.type === 'l1') addTerm(obj, `e:${i}`, Q.ONE);
  }
  if (inst.loss.type === 'linf') addTerm(obj, 'g', Q.ONE);
  const r = minimizeRows(rows, obj);
  return r.status === 'optimal' ? r.value : undefined;
}

/** The least loss over every case and full pattern (fullOptimum each). */
function bruteLeast(inst: Instance): Q {
  const k = inst.architecture.hidden;
  const n = inst.points.length;
  let best: Q | undefined;
  for (const c of normalisationCases(inst))
    for (let mask = 0; mask < 1 << (k * n); mask++) {
      const lits = Array.from({ length: k * n }, (_, b) => ({ unit: b % k, point: Math.floor(b / k), active: ((mask >> b) & 1) === 1 }));
      const v = fullOptimum(inst, c, lits);
      if (v !== undefined && (best === undefined || v.lt(best))) best = v;
    }
  if (best === undefined) throw new Error('no pattern is feasible: impossible for l1, linf, l2');
  return best;
}

const withLoss = fc
  .tuple(
    smallInstance({ maxPoints: 3, maxHidden: 2 }),
    fc.constantFrom('l1' as const, 'linf' as const, 'l2' as const),
    fc.boolean(),
    fc.integer({ min: 1, max: 3 }),
  )
  .map(([inst, type, leaky, s]): Instance => {
    const architecture =
      leaky && inst.architecture.activation === 'relu' ? { ...inst.architecture, activation: 'leaky-relu' as const, slope: Q.of(1, s + 1) } : inst.architecture;
    return { ...inst, architecture, loss: { type, bound: Q.ZERO, strict: false } };
  });

/** A random network of the instance's shape (small integer weights; output weights as the mode allows). */
const networkFor = (inst: Instance): fc.Arbitrary<Network> => {
  const { hidden: k, activation, slope, outputWeights: ow, outputBias } = inst.architecture;
  const d = inst.points[0]!.length;
  const v = fc.integer({ min: -3, max: 3 }).map((x) => Q.of(x));
  return fc
    .record({
      w: fc.array(fc.array(v, { minLength: d, maxLength: d }), { minLength: k, maxLength: k }),
      b: fc.array(v, { minLength: k, maxLength: k }),
      a: fc.array(v, { minLength: k, maxLength: k }),
      c: v,
    })
    .map(({ w, b, a, c }) => {
      const out =
        ow.mode === 'fixed'
          ? ow.values
          : ow.mode === 'positive'
            ? a.map(() => Q.ONE)
            : ow.mode === 'signs'
              ? a.map((x) => (x.sign() < 0 ? Q.MINUS_ONE : Q.ONE))
              : a;
      return {
        layers: [
          { activation, ...(slope !== undefined ? { slope } : {}), weights: w, bias: b },
          { activation: 'identity', weights: [out], bias: [outputBias ? c : Q.ZERO] },
        ],
      };
    });
};

describe('the exact optimum of a full pattern', () => {
  it('on the eliminated system equals the optimum on the full rows, and is at most the loss of the network the pattern was read from', () => {
    fc.assert(
      fc.property(
        withLoss.chain((inst) => fc.tuple(fc.constant(inst), networkFor(inst))),
        ([inst, net]) => {
          const pat = patternOf(inst, net);
          if (!pat) throw new Error('no pattern read off a network of the instance shape');
          const best = bestOnPattern(inst, pat.c, pat.lits);
          const full = fullOptimum(inst, pat.c, pat.lits);
          // a threshold pattern read off a network may need L2's rescaling (h in (0, 1)): then both are infeasible
          if (inst.architecture.activation === 'threshold' && full === undefined) {
            expect(best).toBeUndefined();
            return;
          }
          expect(best?.value.toString()).toBe(full?.toString());
          expect(acceptWitness({ ...inst, loss: { type: inst.loss.type as 'l2', bound: best!.value, strict: false } }, best!.network)).toBeDefined();
          if (inst.architecture.activation !== 'threshold') expect(best!.value.le(lossOf(inst, net).loss)).toBe(true);
        },
      ),
      { numRuns: 80, seed: 5 },
    );
  }, 120_000);
});

describe('float fits propose patterns; their exact optima are upper bounds', () => {
  it('every bound is a network accepted at its own loss, never below the brute-force least loss; none for threshold units', () => {
    let found = 0;
    fc.assert(
      fc.property(withLoss, (inst) => {
        const r = fitUpperBound(inst, { restarts: 6, steps: 300 });
        if (inst.architecture.activation === 'threshold') {
          expect(r).toBeUndefined();
          return;
        }
        // every ReLU pattern holds w = b = 0, so each proposal has an optimum
        expect(r).toBeDefined();
        found++;
        expect(acceptWitness({ ...inst, loss: { type: inst.loss.type as 'l2', bound: r!.value, strict: false } }, r!.network)).toBeDefined();
        expect(lossOf(inst, r!.network).loss.eq(r!.value)).toBe(true);
        expect(r!.value.ge(bruteLeast(inst))).toBe(true);
      }),
      { numRuns: 40, seed: 9 },
    );
    expect(found).toBeGreaterThan(10);
  }, 180_000);

  it('is deterministic for a seed', () => {
    const inst = readInstance(join(CASES, 'N-l2-noisy9-k3.json'));
    const keys = (seed: number): string[] => proposePatterns(inst, { seed, restarts: 8, steps: 400 }).map((p) => `${patternKey(p)} ${p.floatLoss}`);
    expect(keys(3)).toEqual(keys(3));
    expect(keys(3).length).toBeGreaterThan(0);
  });

  it('on 9 noisy points with 3 ReLUs, the first bound is below the loss 0.2495 of a rounded float fit', () => {
    const inst = readInstance(join(CASES, 'N-l2-noisy9-k3.json'));
    const r = fitUpperBound(inst);
    expect(r).toBeDefined();
    expect(r!.value.lt(Q.of(2495, 10000))).toBe(true);
    expect(acceptWitness({ ...inst, loss: { type: 'l2', bound: r!.value, strict: false } }, r!.network)).toBeDefined();
  });
});

describe('start networks', () => {
  const unknown = () => Promise.resolve({ verdict: 'unknown' as const, reason: 'stub', stats: emptyStats() });

  it('bound minimize from above: the start loss, improved to its pattern optimum; the fit only lowers it', async () => {
    await fc.assert(
      fc.asyncProperty(
        withLoss.filter((i) => i.architecture.activation !== 'threshold').chain((inst) => fc.tuple(fc.constant(inst), networkFor(inst))),
        async ([inst, net]) => {
          const plain = await minimizeLoss(inst, unknown, { fit: false, start: net });
          if (plain.status !== 'bounds') throw new Error('the stub solver proves nothing');
          const pat = patternOf(inst, net)!;
          const own = lossOf(inst, net).loss;
          const best = bestOnPattern(inst, pat.c, pat.lits)!;
          const zero = await minimizeLoss(inst, unknown, { fit: false });
          if (zero.status !== 'bounds') throw new Error('the stub solver proves nothing');
          // the zero network first, then the start (when lower) and its pattern optimum (when lower still)
          const expected = own.lt(zero.upper!.value) ? Q.min(own, best.value) : zero.upper!.value;
          expect(plain.upper!.value.toString()).toBe(expected.toString());
          const fitted = await minimizeLoss(inst, unknown, { fit: { restarts: 4, steps: 200 }, start: net });
          if (fitted.status !== 'bounds') throw new Error('the stub solver proves nothing');
          expect(fitted.upper!.value.le(plain.upper!.value)).toBe(true);
          expect(acceptWitness(fitted.upper!.instance, fitted.upper!.network)).toBeDefined();
        },
      ),
      { numRuns: 30, seed: 4 },
    );
  }, 120_000);

  it('solve: a start whose pattern optimum meets the bound is the witness, certified, with no search', async () => {
    const base = readInstance(join(CASES, 'N-l2-noisy9-k3.json'));
    const fit = fitUpperBound(base)!;
    const inst: Instance = { ...base, loss: { type: 'l2', bound: fit.value, strict: false } };
    // the fit's network with its output bias moved by 1: the same pattern, a larger loss
    const [hid, out] = fit.network.layers as [Network['layers'][0], Network['layers'][0]];
    const moved: Network = { layers: [hid, { ...out, bias: [out.bias[0]!.add(Q.ONE)] }] };
    expect(acceptWitness(inst, moved)).toBeUndefined();
    const r = await solve(inst, { start: moved, certify: true });
    expect(r.verdict).toBe('feasible');
    expect(r.stats.nodes).toBe(0);
    expect(checkCertificate(r.certificate!, 'start.cert.json').status).toBe('valid');
  });
});
