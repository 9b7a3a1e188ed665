/**
 * The convex engine (docs/engines.md, "The convex case"): it agrees with brute
 * force and with the conflict-driven search on random small convex instances
 * (planted teachers, the same with one label moved, random labels; ReLU and
 * leaky ReLU; output weights positive or a list >= 0; with and without output
 * bias and a weight bound), every certificate passes the checker, and the
 * default engine hands it the convex case.
 */
import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkCertificate } from '../../src/check/index.js';
import { lossOf } from '../../src/core/evaluate.js';
import { Q } from '../../src/core/rational.js';
import type { Instance } from '../../src/core/types.js';
import { certificateJson, certificateText } from '../../src/engines/certificate.js';
import { Deadline } from '../../src/core/deadline.js';
import { convexApplies, convexRefusal, convexSolve } from '../../src/engines/convex/index.js';
import { convexModel } from '../../src/engines/convex/model.js';
import { envelopeViolators } from '../../src/engines/convex/violators.js';
import { cdclSearch, defaultEngine, engines } from '../../src/engines/index.js';
import type { SolveResult } from '../../src/engines/result.js';
import { readInstance } from '../../src/format/schema.js';
import { bruteForceFeasible } from './brute-force.js';

const int = (lo: number, hi: number): fc.Arbitrary<number> => fc.integer({ min: lo, max: hi });

/** A convex instance: distinct integer points in [-3, 3]^d, labels from a planted teacher (moved by 1/2 at one point) or random. */
function convexInstance(maxPoints: number, maxHidden: number): fc.Arbitrary<Instance> {
  return fc
    .record({
      d: int(1, 2),
      k: int(1, maxHidden),
      n: int(2, maxPoints),
      bias: fc.boolean(),
      slope: fc.constantFrom(undefined, undefined, undefined, Q.of(1, 4), Q.of(1, 2)),
      fixed: fc.boolean(),
      bound: fc.constantFrom(undefined, undefined, undefined, Q.ONE, Q.of(3)),
      labels: fc.constantFrom('planted', 'perturbed', 'random'),
      seed: fc.integer(),
    })
    .chain((s) =>
      fc
        .record({
          points: fc.uniqueArray(fc.array(int(-3, 3), { minLength: s.d, maxLength: s.d }), { minLength: s.n, maxLength: s.n, selector: (p) => p.join(',') }),
          a: fc.array(fc.constantFrom(Q.ONE, Q.of(2), Q.of(1, 2), Q.ZERO), { minLength: s.k, maxLength: s.k }),
          w: fc.array(fc.array(int(-2, 2), { minLength: s.d, maxLength: s.d }), { minLength: s.k, maxLength: s.k }),
          b: fc.array(int(-3, 3), { minLength: s.k, maxLength: s.k }),
          c: int(-2, 2),
          random: fc.array(int(-2, 4), { minLength: s.n, maxLength: s.n }),
          at: int(0, s.n - 1),
          up: fc.boolean(),
        })
        .map((r): Instance => {
          const a = s.fixed ? r.a : r.a.map(() => Q.ONE);
          const teacher = (x: number[]): Q => {
            let f = Q.of(s.bias ? r.c : 0);
            for (let j = 0; j < s.k; j++) {
              const h = Q.of(x.reduce((t, xt, u) => t + xt * r.w[j]![u]!, r.b[j]!));
              f = f.add(a[j]!.mul(h.sign() > 0 ? h : h.mul(s.slope ?? Q.ZERO)));
            }
            return f;
          };
          let labels = s.labels === 'random' ? r.random.map((v) => Q.of(v)) : r.points.map(teacher);
          if (s.labels === 'perturbed') labels = labels.map((y, i) => (i === r.at ? y.add(Q.of(r.up ? 1 : -1, 2)) : y));
          return {
            name: `convex-${s.labels}`,
            description: '',
            points: r.points.map((p) => p.map((v) => Q.of(v))),
            labels,
            architecture: {
              hidden: s.k,
              activation: s.slope ? 'leaky-relu' : 'relu',
              ...(s.slope ? { slope: s.slope } : {}),
              outputWeights: s.fixed ? { mode: 'fixed', values: a } : { mode: 'positive' },
              outputBias: s.bias,
              ...(s.bound ? { weightBound: s.bound } : {}),
            },
            loss: { type: 'exact' },
          };
        }),
    );
}

/** The independent checker on the result's certificate: 'valid', or the rejection. */
function checked(inst: Instance, r: SolveResult): string {
  if (r.verdict === 'unknown') return 'no certificate';
  const body = r.verdict === 'feasible' ? { verdict: r.verdict, network: r.network } : { verdict: r.verdict, proof: r.proof };
  const out = checkCertificate(certificateText(certificateJson(inst, body, { test: true })), 'convex.cert.json');
  return out.status === 'valid' ? 'valid' : JSON.stringify(out);
}

describe('convex engine', () => {
  it('agrees with brute force over every activation pattern on tiny convex instances; its certificates check', async () => {
    const seen = { feasible: 0, infeasible: 0, unknown: 0 };
    await fc.assert(
      fc.asyncProperty(
        convexInstance(4, 2).filter((i) => i.architecture.hidden * i.points.length <= 7),
        async (inst) => {
          await new Promise((resolve) => setImmediate(resolve)); // long synchronous runs starve the test runner's messages
          const r = convexSolve(inst, { deadline: Date.now() + 20_000 });
          seen[r.verdict]++;
          expect(r.verdict).toBe(bruteForceFeasible(inst) ? 'feasible' : 'infeasible');
          expect(checked(inst, r)).toBe('valid');
        },
      ),
      { numRuns: 100 },
    );
    expect(seen.feasible).toBeGreaterThan(10);
    expect(seen.infeasible).toBeGreaterThan(10);
  });

  it('agrees with the conflict-driven search on small convex instances with up to 3 units; witnesses fit exactly, certificates check', async () => {
    const seen = { feasible: 0, infeasible: 0, unknown: 0 };
    await fc.assert(
      fc.asyncProperty(convexInstance(7, 3), async (inst) => {
        await new Promise((resolve) => setImmediate(resolve));
        const r = convexSolve(inst, { deadline: Date.now() + 20_000 });
        seen[r.verdict]++;
        expect(r.verdict).not.toBe('unknown');
        const ow = inst.architecture.outputWeights;
        if (ow.mode === 'fixed' && ow.values.every((a) => a.isZero()) && !inst.architecture.outputBias)
          // f = 0 whatever the weights (the cdcl search throws on these: its theory meets a fit row without variables)
          expect(r.verdict).toBe(inst.labels.every((y) => y.isZero()) ? 'feasible' : 'infeasible');
        else {
          const other = await cdclSearch.solve(inst, { deadline: Date.now() + 20_000 });
          if (other.verdict !== 'unknown') expect(r.verdict).toBe(other.verdict);
        }
        if (r.verdict === 'feasible') expect(lossOf(inst, r.network).withinBound).toBe(true);
        expect(checked(inst, r)).toBe('valid');
      }),
      { numRuns: 150 },
    );
    expect(seen.feasible).toBeGreaterThan(15);
    expect(seen.infeasible).toBeGreaterThan(15);
  });

  it('agrees with the conflict-driven search on the convex instances of bench/suite; its certificates check', async () => {
    const files = readdirSync('bench/suite').filter((f) => f.startsWith('convex'));
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const f of files) {
      const inst = readInstance(`bench/suite/${f}`);
      const r = convexSolve(inst);
      const other = await cdclSearch.solve(inst, {});
      expect(r.verdict, f).not.toBe('unknown');
      expect(r.verdict, f).toBe(other.verdict);
      expect(checked(inst, r), f).toBe('valid');
    }
  });

  it('decides instances whose numbers floats cannot guide (points scaled by 10^400) exactly, as the same instance unscaled', () => {
    const big = Q.of(10n ** 400n);
    fc.assert(
      fc.property(
        convexInstance(4, 2).filter((i) => i.architecture.weightBound === undefined),
        (inst) => {
          const scaled: Instance = { ...inst, points: inst.points.map((p) => p.map((v) => v.mul(big))) };
          const r = convexSolve(scaled, { deadline: Date.now() + 20_000 });
          expect(r.verdict).toBe(convexSolve(inst, { deadline: Date.now() + 20_000 }).verdict);
          expect(checked(scaled, r)).toBe('valid');
        },
      ),
      { numRuns: 25 },
    );
  });

  it('decides and certifies the 100-point instances of bench/convex-large with d = 2 and k = 3', () => {
    for (const [file, verdict] of [
      ['bench/convex-large/convex-planted-d2-k3-n100.json', 'feasible'],
      ['bench/convex-large/convex-perturbed-d2-k3-n100.json', 'infeasible'],
    ] as const) {
      const inst = readInstance(file);
      const r = convexSolve(inst);
      expect(r.verdict, file).toBe(verdict);
      expect(checked(inst, r), file).toBe('valid');
    }
  });

  it('answers unknown, saying why, where it does not apply', () => {
    const base = readInstance('instances/convex-abs-positive-k2.json');
    const variants: [string, Instance][] = [
      ['the output weights are signs, not positive', { ...base, architecture: { ...base.architecture, outputWeights: { mode: 'signs' } } }],
      ['the output weights are free, not positive', { ...base, architecture: { ...base.architecture, outputWeights: { mode: 'free' } } }],
      [
        'a fixed output weight is negative',
        { ...base, architecture: { ...base.architecture, outputWeights: { mode: 'fixed', values: [Q.ONE, Q.MINUS_ONE] } } },
      ],
      ['the units are threshold units', { ...base, architecture: { ...base.architecture, activation: 'threshold' } }],
      ['the loss is l1, not exact', { ...base, loss: { type: 'l1', bound: Q.ONE, strict: false } }],
    ];
    for (const [why, inst] of variants) {
      expect(convexApplies(inst)).toBe(false);
      expect(convexRefusal(inst)).toBe(why);
      const r = convexSolve(inst);
      expect(r.verdict === 'unknown' && r.reason).toBe(`the convex engine does not apply: ${why}`);
    }
    expect(convexApplies(base)).toBe(true);
  });

  it('answers unknown, not a verdict, when the deadline has passed or the node budget is spent', () => {
    const inst = readInstance('bench/convex-large/convex-perturbed-d2-k3-n100.json');
    expect(convexSolve(inst, { deadline: Date.now() - 1 }).verdict).toBe('unknown');
    const r = convexSolve(inst, { nodeBudget: 2 });
    expect(r.verdict === 'unknown' && r.reason).toBe('budget');
  });
});

describe('envelope violators (the convex search branches on them first)', () => {
  const grid = (label: (x: number, y: number) => number): Instance => {
    const points: Q[][] = [];
    for (let x = -3; x <= 3; x++) for (let y = -3; y <= 3; y++) points.push([Q.of(x), Q.of(y)]);
    return {
      name: 'grid',
      description: '',
      points,
      labels: points.map(([x, y]) => Q.of(label(Number(x!.num), Number(y!.num)))),
      architecture: { hidden: 2, activation: 'relu', outputWeights: { mode: 'positive' }, outputBias: true },
      loss: { type: 'exact' },
    };
  };
  const relu = (t: number): number => Math.max(0, t);
  it('finds none on convex data', () => {
    expect(envelopeViolators(convexModel(grid((x, y) => relu(x + y) + relu(x - 2 * y + 1))), Deadline.NONE)).toEqual([]);
  });
  it('finds a label raised inside a linear piece, and for a label lowered there, neighbours of it', () => {
    const at = (x: number, y: number): number => (x + 3) * 7 + (y + 3);
    const raised = grid((x, y) => relu(x + y) + (x === 2 && y === -2 ? 1 : 0));
    expect(envelopeViolators(convexModel(raised), Deadline.NONE)).toEqual([at(2, -2)]);
    const lowered = envelopeViolators(convexModel(grid((x, y) => relu(x + y + 1) - (x === 2 && y === 2 ? 1 : 0))), Deadline.NONE);
    expect(lowered.length).toBeGreaterThan(0);
    expect(lowered).not.toContain(at(2, 2));
  });
});

describe('the default engine and the convex case', () => {
  it('hands exact fit with positive output weights to the convex engine: the same proof, envelope rows and all', async () => {
    const inst = readInstance('bench/convex-large/convex-perturbed-d2-k2-n100.json');
    const r = await engines[defaultEngine]!.solve(inst, {});
    const own = convexSolve(inst);
    expect(r.verdict).toBe('infeasible');
    expect(r.verdict === 'infeasible' && JSON.stringify(r.proof)).toBe(own.verdict === 'infeasible' && JSON.stringify(own.proof));
    expect(JSON.stringify(r.verdict === 'infeasible' && r.proof)).toMatch(/"env:\d+:\d+"/);
  });
  it('keeps its own search elsewhere (signs): no envelope rows, format /2 lemmas as before', async () => {
    const inst = readInstance('instances/zigzag-k2.json');
    const r = await engines[defaultEngine]!.solve(inst, {});
    const own = await cdclSearch.solve(inst, {});
    expect(r.verdict).toBe(own.verdict);
    expect(JSON.stringify(r)).not.toMatch(/"env:/);
    expect(r.stats.nodes).toBe(own.stats.nodes);
  });
  it('is registered as `convex`, proving infeasibility', () => {
    expect(engines.convex?.provesInfeasibility).toBe(true);
  });
});
