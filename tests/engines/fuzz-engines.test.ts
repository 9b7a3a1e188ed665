/**
 * Differential fuzzing of the engines (issue F section 11), the short run of
 * `npm run fuzz:engines` (scripts/fuzz-engines.ts): 300 instances over every
 * activation x output-weight mode x output bias x loss class, degenerate
 * geometry, tiny and huge rationals, degenerate shapes (output weights 0,
 * constant labels, one point, a point at the origin); every proving engine of the registry,
 * brute force where small, z3 and cvc5 on the export where installed (on
 * every fifth instance, as the z3 engine), every certificate through the
 * checker. No two definite verdicts may differ; no certificate may be
 * rejected. docs/engines.md has the table of a 1,000-instance run.
 */
import { describe, expect, it } from 'vitest';
import { checkCertificate } from '../../src/check/index.js';
import { certificateJson, certificateText } from '../../src/engines/certificate.js';
import { engines } from '../../src/engines/index.js';
import type { Q } from '../../src/core/rational.js';
import { readInstance } from '../../src/format/schema.js';
import { instanceHash } from '../../src/format/write.js';
import { ACTIVATIONS, BIASES, LOSSES, OUTPUT_WEIGHTS, classOf, fuzzEngines, fuzzInstances, fuzzTable, provingEngines } from '../../scripts/fuzz-engines.js';

describe('fuzz:engines', () => {
  it('cycles through all 96 classes, and draws degenerate geometry, d > n, k beyond the teacher, tiny and huge numbers', () => {
    const xs = fuzzInstances(300, 2026);
    const classes = new Set(xs.map((x) => JSON.stringify(x.cls)));
    expect(classes.size).toBe(ACTIVATIONS.length * OUTPUT_WEIGHTS.length * BIASES.length * LOSSES.length);
    expect(JSON.stringify(classOf(0))).not.toBe(JSON.stringify(classOf(1)));
    const has = (f: (x: (typeof xs)[number]) => boolean): boolean => xs.some(f);
    expect(has((x) => new Set(x.inst.points.map(String)).size < x.inst.points.length)).toBe(true); // duplicate points
    expect(has((x) => x.inst.points[0]!.length > x.inst.points.length)).toBe(true); // d > n
    expect(has((x) => x.draw.teacherK < x.inst.architecture.hidden)).toBe(true); // more units than the teacher uses
    expect(has((x) => x.inst.points.some((p) => p.some((v) => v.num.toString().length > 300)))).toBe(true);
    expect(has((x) => x.inst.points.some((p) => p.some((v) => v.den.toString().length > 300)))).toBe(true);
    expect(has((x) => x.inst.loss.type === 'l1' && x.inst.loss.strict)).toBe(true);
  });

  it('draws degenerate shapes in a stream of their own: without them, every instance is the one an older run of the seed drew', () => {
    const xs = fuzzInstances(300, 2026);
    const ordinary = fuzzInstances(300, 2026, { degenerate: false });
    const has = (f: (x: (typeof xs)[number]) => boolean): boolean => xs.some(f);
    const weights = (x: (typeof xs)[number]): readonly Q[] => {
      const ow = x.inst.architecture.outputWeights;
      return ow.mode === 'fixed' ? ow.values : [];
    };
    expect(has((x) => weights(x).length > 1 && weights(x).some((a) => a.isZero()) && weights(x).some((a) => !a.isZero()))).toBe(true); // some zeros
    expect(has((x) => weights(x).length > 0 && weights(x).every((a) => a.isZero()) && !x.inst.architecture.outputBias)).toBe(true); // f = 0
    expect(has((x) => x.inst.points.length > 1 && x.inst.labels.every((y) => y.eq(x.inst.labels[0]!)))).toBe(true); // constant labels
    expect(has((x) => x.inst.points.length === 1)).toBe(true);
    expect(has((x) => x.inst.points.some((p) => p.every((v) => v.isZero())))).toBe(true); // a point at the origin
    for (const [i, x] of xs.entries()) {
      const o = ordinary[i]!;
      expect(o.draw.degenerate.shapes).toEqual([]);
      // the ordinary draws are shared: an instance without degenerate shapes is the same in both
      if (x.draw.degenerate.shapes.length === 0) expect(instanceHash(x.inst), `instance ${i}`).toBe(instanceHash(o.inst));
    }
    expect(xs.filter((x) => x.draw.degenerate.shapes.length > 0).length).toBeGreaterThan(100);
  });

  it("found: cdcl's core proofs on duplicate points did not rename l1p / l1n rows (exit 70 on main); fixed, the certificates check", async () => {
    // instances 44, 56 and 181 of seed 2026: threshold units, fixed weights, a strict l1 bound, a point listed twice
    const xs = fuzzInstances(182, 2026, { degenerate: false });
    for (const i of [44, 56, 181]) {
      const inst = xs[i]!.inst;
      const r = await engines.cdcl!.solve(inst, { deadline: Date.now() + 60_000 });
      expect(r.verdict, `instance ${i}`).toBe('infeasible');
      if (r.verdict !== 'infeasible') continue;
      expect(checkCertificate(certificateText(certificateJson(inst, { verdict: 'infeasible', proof: r.proof }, {})), `fuzz-${i}`).status, `instance ${i}`).toBe(
        'valid',
      );
    }
  });

  it('takes its engines from the registry', () => {
    expect(provingEngines()).toEqual(
      Object.values(engines)
        .filter((e) => e.provesInfeasibility && e.name !== 'all')
        .map((e) => e.name),
    );
    expect(provingEngines()).toEqual(expect.arrayContaining(['exact', 'reference', 'z3']));
  });

  it('300 instances: no disagreement, no rejected certificate, no error', async () => {
    // z3 starts its WebAssembly worker outside the time limits
    await engines.z3!.solve(readInstance('instances/abs-3-k2.json'), { deadline: Date.now() + 60_000 });
    const rep = await fuzzEngines({
      count: 300,
      seed: 2026,
      timeoutMs: 300,
      native: true,
      bruteForceMax: 4,
      sparse: { engines: ['z3'], every: 5, timeoutMs: 2000 },
    });
    const failures = rep.outcomes.filter((o) => o.disagreement || o.badCertificate || o.error);
    expect(failures, fuzzTable(rep)).toEqual([]);
    // not vacuous: both verdicts, from more than one decider, and brute force on many
    const answered = (name: string): number => rep.outcomes.filter((o) => o.decisions.some((d) => d.decider === name && d.verdict !== 'unknown')).length;
    expect(answered('exact')).toBeGreaterThan(150);
    expect(answered('reference')).toBeGreaterThan(150);
    expect(answered('brute force')).toBeGreaterThan(50);
    expect(answered('z3')).toBeGreaterThan(10);
    const verdicts = rep.outcomes.flatMap((o) => o.decisions.filter((d) => d.decider === 'exact').map((d) => d.verdict));
    expect(verdicts.filter((v) => v === 'feasible').length).toBeGreaterThan(50);
    expect(verdicts.filter((v) => v === 'infeasible').length).toBeGreaterThan(30);
  }, 300_000); // about 40 s of CPU; more on a loaded machine
});
