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
import {
  buildMilp,
  integerRow,
  milpPointOf,
  milpViolation,
  normaliseForMilp,
  parsePattern,
  patternLp,
  toJsLpModel,
  writeCplexLp,
} from '../../src/encode/milp.js';
import { runMilpSolver } from '../../src/cli/commands/crosscheck.js';
import { engines } from '../../src/engines/index.js';
import type { SolveResult } from '../../src/engines/result.js';
import { acceptWitness } from '../../src/engines/witness.js';
import { InputError } from '../../src/format/errors.js';
import { smallInstance } from '../arbitraries.js';
import { installed, shippedInstances, verdictOf } from './verdicts.js';

const instances = shippedInstances();

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
    expect(parsePattern(abs, 'act').active).toEqual([[true, true, true], [true, true, true]]);
    const p = parsePattern(abs, '+-/011,110');
    expect(p.case.a !== 'free' && p.case.a.map(String)).toEqual(['1', '-1']);
    expect(p.active).toEqual([[false, true, true], [true, true, false]]);
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
