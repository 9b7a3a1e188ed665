/**
 * The big-M MILP and pattern-LP exports.
 *
 * What is asserted on every shipped instance, for glpsol and cbc (skipped,
 * with a warning, only when the binary is absent):
 *  - relucert infeasible => the solver finds no MILP solution (the MILP only
 *    has normalised networks as solutions, so any solution would be a fit);
 *  - the solver finds a solution => it rebuilds to an exact witness that
 *    passes acceptWitness, and relucert's verdict is feasible;
 *  - relucert feasible and the solver finds none => that is allowed only if
 *    relucert's witness (normalised) is not a point of the MILP, i.e. needs a
 *    weight beyond M (never happens with M = 100 on the shipped instances,
 *    which the last assertion records).
 * Properties (fast-check): every row is written with exact integer
 * coefficients; the normal form of every witness of a random small instance
 * is a point of its MILP once M is large enough.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Q } from '../../src/core/rational.js';
import { buildMilp } from '../../src/encode/milp/big-m.js';
import { integerRow, writeCplexLp } from '../../src/encode/milp/cplex-lp.js';
import { toJsLpModel } from '../../src/encode/milp/js-lp-model.js';
import { classificationMargin, milpMeaning } from '../../src/encode/milp/meaning.js';
import { parsePattern, patternLp } from '../../src/encode/milp/pattern.js';
import { largestViolation, milpPointOf, milpViolation, normaliseForMilp } from '../../src/encode/milp/point.js';
import { runMilpSolver } from '../../src/interop/solvers.js';
import { compare } from '../../src/run/crosscheck.js';
import { evaluate } from '../../src/core/evaluate.js';
import type { Network } from '../../src/core/types.js';
import { readInstance } from '../../src/format/schema.js';
import { instanceToJson } from '../../src/format/write.js';
import { cli } from '../helpers.js';

const outputAt = (net: Network, x: Q[]): Q => evaluate(net, x)[0]!;
import { engines } from '../../src/engines/index.js';
import type { SolveResult } from '../../src/engines/result.js';
import { acceptWitness } from '../../src/engines/witness.js';
import { InputError } from '../../src/format/errors.js';
import { smallInstance } from '../arbitraries.js';
import { INSTANCE_DIR, installed, shippedInstances, verdictOf } from './verdicts.js';
import { CASES } from '../paths.js';

/** the MILP does not cover the squared loss (docs/export.md); its refusal is tested in tests/encode/l2-export.test.ts */
const instances = shippedInstances().filter(({ inst }) => inst.loss.type !== 'l2');

describe('CPLEX LP text', () => {
  it('states M, what "infeasible" means, and epsilon where a strict bound uses it, at the top', () => {
    const inst = instances.find((x) => x.inst.name === 'abs-3-k1-l1-half')!.inst;
    const text = writeCplexLp(buildMilp(inst, { bigM: Q.of(7) }));
    const head = text.split('\n').slice(0, 6).join('\n');
    expect(head).toMatch(/big-M M = 7/);
    expect(head).toContain('"infeasible" here means exactly: no network with all weights in [-7, 7] has l1 loss <= 1/2');
    expect(head).toMatch(/no strict rows/);
    expect(text.trimEnd().endsWith('End')).toBe(true);
    const strict = writeCplexLp(buildMilp({ ...inst, loss: { type: 'l1', bound: Q.of(1, 2), strict: true } }, { bigM: Q.of(7) }));
    expect(strict).toContain('no network with all weights in [-7, 7] has l1 loss <= 499/1000 (the strict bound < 1/2 minus the margin epsilon = 1/1000');
    expect(strict).toMatch(/epsilon = 1\/1000: the strict bound "< 1\/2" is written "<= 1\/2 - epsilon"/);
  });
  it('scales every row to integer coefficients with the same meaning', () => {
    fc.assert(
      fc.property(smallInstance({ maxPoints: 4 }), (inst) => {
        for (const r of buildMilp(inst, { bigM: Q.of(3) }).rows) {
          const ir = integerRow(r);
          const ratio = r.rhs.isZero() ? undefined : Q.of(ir.rhs).div(r.rhs);
          for (const [v, c] of ir.coefs) {
            const orig = r.coefs.get(v)!;
            const scale = Q.of(c).div(orig);
            expect(scale.sign()).toBe(1);
            if (ratio) expect(scale.eq(ratio)).toBe(true);
          }
        }
      }),
      { numRuns: 30 },
    );
  });
  it('the javascript-lp-solver model has the same rows and binaries', () => {
    const m = buildMilp(instances[0]!.inst);
    const js = toJsLpModel(m);
    expect(Object.keys(js.binaries).length).toBe(m.vars.filter((v) => v.kind === 'binary').length);
    for (const r of m.rows) expect(js.constraints[`r_${r.name}`]).toBeDefined();
  });
});

describe('pattern LP', () => {
  const abs = instances.find((x) => x.file === 'abs-3-k2.json')!.inst;
  it('parses act, units and signs', () => {
    expect(parsePattern(abs, 'act').active).toEqual([
      [true, true, true],
      [true, true, true],
    ]);
    const p = parsePattern(abs, '+-/011,110');
    expect(p.case.a !== 'free' && p.case.a.map(String)).toEqual(['1', '-1']);
    expect(p.active).toEqual([
      [false, true, true],
      [true, true, false],
    ]);
  });
  it('rejects malformed patterns as bad input naming --pattern-lp', () => {
    for (const bad of ['01,110', '+/011,110', '011', 'x11,110', '+-+/011,110']) expect(() => parsePattern(abs, bad)).toThrow(InputError);
  });
  it('names the rows as the certificate spec does', () => {
    const text = writeCplexLp(patternLp(abs, parsePattern(abs, '+-/011,110')));
    for (const name of ['zlb_0_0:', 'zh_1_2:', 'fit_0:', 'inact_0_0:', 'inactv_0_0:', 'act_0_1:', 'actv_0_1:']) expect(text).toContain(name);
  });
});

describe('every normalised witness is a point of the MILP (M large enough)', () => {
  it('holds on random small instances', async () => {
    await fc.assert(
      fc.asyncProperty(smallInstance({ maxPoints: 4, maxHidden: 2 }), async (inst) => {
        const r = await engines.reference!.solve(inst, { deadline: Date.now() + 3000 });
        if (r.verdict !== 'feasible') return;
        const net = normaliseForMilp(inst, r.network);
        expect(acceptWitness(inst, net)).toBeDefined();
        const pt = milpPointOf(inst, net)!;
        let big = Q.ONE;
        for (const v of pt.values()) if (v.abs().gt(big)) big = v.abs();
        const M = Q.of(big.floor() + 1n);
        expect(milpViolation(buildMilp(inst, { bigM: M, epsilon: Q.of(1, 10 ** 9) }), pt)).toBeUndefined();
      }),
      { numRuns: 25 },
    );
  });
});

const SOLVERS = ['glpsol', 'cbc'] as const;
const missing = SOLVERS.filter((s) => !installed(s));
if (missing.length) console.warn(`tests/encode/milp.test.ts: skipping ${missing.join(', ')}: binary not on PATH (run scripts/install-solvers.sh)`);

describe('every shipped instance: glpsol and cbc on the LP export', () => {
  const dir = mkdtempSync(join(tmpdir(), 'relucert-lp-'));
  const verdicts = new Map<string, SolveResult>();
  beforeAll(async () => {
    for (const { file, inst } of instances) verdicts.set(file, await verdictOf(inst));
  });
  for (const solver of SOLVERS)
    for (const { file, inst } of instances)
      it.skipIf(missing.includes(solver))(`${solver} on ${file} (skipped if ${solver} is not installed)`, () => {
        const lp = join(dir, file.replace(/\.json$/, '.lp'));
        writeFileSync(lp, writeCplexLp(buildMilp(inst)));
        const sub = mkdtempSync(join(dir, solver));
        const ans = runMilpSolver(inst, solver, lp, sub, 30);
        const v = verdicts.get(file)!;
        expect(['feasible', 'infeasible']).toContain(ans.answer);
        if (v.verdict === 'infeasible') expect(ans.answer).toBe('infeasible');
        if (ans.answer === 'feasible') {
          expect(v.verdict).toBe('feasible');
          expect(ans.rebuilt).toBeDefined();
          expect(acceptWitness(inst, ans.rebuilt!.network)).toBeDefined();
        }
        if (v.verdict === 'feasible' && ans.answer === 'infeasible') {
          const pt = milpPointOf(inst, normaliseForMilp(inst, v.network))!;
          expect(milpViolation(buildMilp(inst), pt)).toBeDefined();
        }
        // recorded fact: with M = 100 every feasible shipped instance has a MILP solution
        if (v.verdict === 'feasible') expect(ans.answer).toBe('feasible');
      });
});

describe('every claim about an MILP "infeasible" is true (issue F section 7)', () => {
  const margin = readInstance(join(CASES, 'F-milp-margin.json'));

  it('threshold units with fixed output weights: "y f > 0" is written with the exact margin 1/(2L), so F-milp-margin has a MILP solution', async () => {
    const m = buildMilp(margin);
    for (const r of m.rows.filter((x) => x.name.startsWith('cls_'))) expect(r.rhs.toString()).toBe('-1/12000');
    expect(classificationMargin([Q.of(1, 2000), Q.of(-1, 3000)])).toEqual({
      margin: Q.of(1, 12000),
      cBound: Q.of(1, 2000).add(Q.of(1, 3000)).add(Q.of(1, 12000)),
    });
    const r = await engines.exact!.solve(margin, {});
    expect(r.verdict).toBe('feasible');
    if (r.verdict !== 'feasible') return;
    // main wrote y f >= 1/1000, which no network with these output weights reaches: cls_0 was violated
    expect(milpViolation(m, milpPointOf(margin, normaliseForMilp(margin, r.network))!)).toBeUndefined();
    const milp = await engines.milp!.solve(margin, {});
    expect(milp.verdict).toBe('feasible');
  });

  it('the margin loses nothing: for threshold units with fixed weights, every fit has one with margin 1/(2L) and |c| <= A + 1/(2L)', async () => {
    const weights = fc.array(fc.constantFrom(Q.of(1, 2), Q.of(-1, 3), Q.of(2), Q.of(-3, 4), Q.ONE, Q.of(1, 7)), { minLength: 1, maxLength: 2 });
    await fc.assert(
      fc.asyncProperty(smallInstance({ maxPoints: 5, maxHidden: 2 }), weights, fc.boolean(), async (base, a, bias) => {
        const inst = {
          ...base,
          labels: base.labels.map((_, i) => (i % 3 === 1 ? Q.MINUS_ONE : Q.ONE)),
          architecture: { hidden: a.length, activation: 'threshold' as const, outputWeights: { mode: 'fixed' as const, values: a }, outputBias: bias },
          loss: { type: 'classification' as const },
        };
        const r = await engines.exact!.solve(inst, { deadline: Date.now() + 5000 });
        if (r.verdict !== 'feasible') return;
        const net = normaliseForMilp(inst, r.network);
        const { margin: eps, cBound } = classificationMargin(a);
        const f = inst.points.map((x) => outputAt(net, x));
        inst.labels.forEach((y, i) => expect(y.mul(f[i]!).ge(eps), `y f = ${y.mul(f[i]!)} < ${eps}`).toBe(true));
        expect(net.layers[1]!.bias[0]!.abs().le(cBound)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('says exactly what infeasible means: M, and the margin of a strict loss bound', () => {
    const abs = readInstance(join(INSTANCE_DIR, 'abs-3-k1-linf-third.json'));
    expect(milpMeaning(abs, Q.of(100), Q.of(1, 1000))).toBe('no network with all weights in [-100, 100] has linf loss <= 1/3');
    const strict = { ...abs, loss: { type: 'linf' as const, bound: Q.of(2001, 4000), strict: true } };
    expect(milpMeaning(strict, Q.of(100), Q.of(1, 1000))).toMatch(
      /^no network with all weights in \[-100, 100\] has linf loss <= 1997\/4000 \(the strict bound < 2001\/4000 minus the margin epsilon = 1\/1000; a fit with loss in \(1997\/4000, 2001\/4000\) is not excluded\)$/,
    );
    expect(buildMilp(strict).meaning).toBe(milpMeaning(strict, Q.of(100), Q.of(1, 1000)));
    expect(milpMeaning(margin, Q.of(100), Q.of(1, 1000))).toMatch(
      /^no network with hidden weights in \[-100, 100\] classifies every point \(margin 1\/12000 = 1\/\(2L\), which loses nothing/,
    );
  });

  it('crosscheck calls a solver\'s point that violates the exported MILP INEXACT, not "agrees"', async () => {
    const abs = readInstance(join(INSTANCE_DIR, 'abs-3-k2.json'));
    const ref = { engine: 'exact', result: await engines.exact!.solve(abs, {}), certificate: 'valid' as const };
    const a = { solver: 'glpsol' as const, answer: 'feasible' as const, seconds: 0, model: 'checks' as const, violation: { row: 'cls_0', amount: '0.00075' } };
    expect(compare(abs, a, ref, Q.of(100))).toMatchObject({
      agreement: 'inexact',
      evidence: expect.stringContaining('violates the exported MILP: row cls_0 by 0.00075'),
    });
    const { violation: _, ...exact } = a;
    expect(compare(abs, exact, ref, Q.of(100)).agreement).toBe('agrees');
    // the measure: 0 on an exact MILP point, the amount on a perturbed one
    const m = buildMilp(abs);
    const r = ref.result;
    if (r.verdict !== 'feasible') throw new Error('abs-3-k2 is feasible');
    const pt = milpPointOf(abs, normaliseForMilp(abs, r.network))!;
    expect(largestViolation(m, pt).amount.isZero()).toBe(true);
    pt.set('f_0', pt.get('f_0')!.add(Q.of(3, 4000)));
    expect(largestViolation(m, pt).amount.ge(Q.of(3, 4000))).toBe(true);
  });

  it.skipIf(missing.length > 0)(
    'glpsol and cbc on a strict l-inf bound just above the optimum: no "agrees" for a point that violates the MILP, and the margin named',
    async () => {
      const abs = readInstance(join(INSTANCE_DIR, 'abs-3-k1-linf-third.json'));
      const file = join(mkdtempSync(join(tmpdir(), 'relucert-inexact-')), 'near.json');
      // optimum 1/2; "< 2001/4000" is feasible, but the MILP asks <= 1997/4000, which nothing meets
      writeFileSync(file, JSON.stringify({ ...instanceToJson(abs), loss: { type: 'linf', bound: '2001/4000', strict: true } }));
      const r = await cli('crosscheck', file, '--solvers', 'glpsol,cbc', '--json', '--timeout', '30');
      expect(r.code).toBe(0);
      const o = JSON.parse(r.out) as { milpMeaning: string; rows: { solver: string; answer: string; agreement: string; evidence: string }[] };
      expect(o.milpMeaning).toContain('linf loss <= 1997/4000');
      for (const row of o.rows) {
        // the MILP is infeasible exactly, so a "feasible" answer comes with a point that violates it
        if (row.answer === 'feasible') expect(row.agreement, row.evidence).toBe('inexact');
        if (row.answer === 'infeasible') expect(row).toMatchObject({ agreement: 'consistent', evidence: expect.stringContaining('linf loss <= 1997/4000') });
      }
    },
  );
});
