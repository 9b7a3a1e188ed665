/**
 * `relucert export` and `relucert crosscheck`, in-process: files written,
 * bad input as one line with exit 2, the crosscheck table and its verdicts
 * (including a simulated wrong solver and a missing one).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Q } from '../../src/core/rational.js';
import type { SolverAnswer } from '../../src/interop/solvers.js';
import { compare, crosscheck, type Reference } from '../../src/run/crosscheck.js';
import { engines } from '../../src/engines/index.js';
import { readInstance } from '../../src/format/schema.js';
import { cli, tempDir } from '../helpers.js';
import { INSTANCE_DIR, installed } from './verdicts.js';

const K1 = join(INSTANCE_DIR, 'abs-3-k1.json');
const K2 = join(INSTANCE_DIR, 'abs-3-k2.json');

describe('relucert export', () => {
  it('writes SMT-LIB, CPLEX LP and javascript-lp-solver files', async () => {
    const dir = tempDir();
    const r = await cli('export', K2, '--smtlib', join(dir, 'a.smt2'), '--lp', join(dir, 'a.lp'), '--big-m', '50', '--jslp', join(dir, 'a.json'));
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'a.smt2'), 'utf8')).toContain('(set-logic QF_LRA)');
    expect(readFileSync(join(dir, 'a.lp'), 'utf8')).toMatch(/big-M M = 50/);
    expect(JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8')).relucert.bigM).toBe('50');
  });
  it('writes the pattern LP to stdout with "-"', async () => {
    const r = await cli('export', K2, '--lp', '-', '--pattern-lp', '+-/011,110');
    expect(r.code).toBe(0);
    expect(r.out).toContain('actv_0_1:');
    expect(r.out).not.toContain('Binaries');
  });
  it('rejects bad options as one line, exit 2', async () => {
    for (const args of [
      [K2],
      [K2, '--lp', '-', '--big-m', '0'],
      [K2, '--lp', '-', '--big-m', '1.5'],
      [K2, '--pattern-lp', 'act'],
      [K2, '--lp', '-', '--pattern-lp', '01,110'],
      [K2, '--lp', '-', '--pattern-lp', 'act', '--big-m', '5'],
      [join(INSTANCE_DIR, 'no-such.json'), '--lp', '-'],
    ]) {
      const r = await cli('export', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('relucert crosscheck', () => {
  it('rejects unknown solvers', async () => {
    const r = await cli('crosscheck', K1, '--solvers', 'z3,gurobi');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--solvers: unknown solver "gurobi"/);
  });
  it.skipIf(!installed('z3') || !installed('glpsol'))('prints a table of agreeing verdicts (skipped without z3 and glpsol)', async () => {
    const r = await cli('crosscheck', K1, '--solvers', 'z3,glpsol', '--json');
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.out);
    expect(rep.reference.verdict).toBe('infeasible');
    expect(rep.reference.certificate).toBe('valid');
    expect(rep.rows.map((x: { answer: string }) => x.answer)).toEqual(['unsat', 'infeasible']);
    expect(rep.rows.every((x: { agreement: string }) => x.agreement === 'agrees')).toBe(true);
  });
  it('reports a missing solver as "not installed", not an error', async () => {
    const inst = readInstance(K2);
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const rep = await crosscheck(inst, ['z3', 'cbc'], { timeout: 5, bigM: Q.of(100) });
      expect(rep.rows.map((x) => x.answer)).toEqual(['not installed', 'not installed']);
      expect(rep.wrong).toBe(0);
    } finally {
      process.env.PATH = path;
    }
  });
  it('calls a solver that contradicts a valid certificate wrong', async () => {
    const inst = readInstance(K2);
    const result = await engines.reference!.solve(inst, {});
    const ref: Reference = { engine: 'reference', result, certificate: 'valid' };
    const unsat: SolverAnswer = { solver: 'cvc5', answer: 'unsat', seconds: 0, model: 'none' };
    expect(compare(inst, unsat, ref, Q.of(100)).agreement).toBe('wrong');
    // a MILP "infeasible" is wrong only if the witness is a point of its MILP ...
    const milpNo: SolverAnswer = { solver: 'cbc', answer: 'infeasible', seconds: 0, model: 'none' };
    expect(compare(inst, milpNo, ref, Q.of(100)).agreement).toBe('wrong');
    // ... and merely consistent when the witness needs weights beyond M (|x| = relu(x) + relu(-x) needs |w| = 1 > 1/2)
    expect(compare(inst, milpNo, ref, Q.of(1, 2)).agreement).toBe('consistent');
    const sat: SolverAnswer = { solver: 'z3', answer: 'sat', seconds: 0, model: 'does not check' };
    const k1 = readInstance(K1);
    const refK1 = await engines.reference!.solve(k1, {});
    expect(compare(k1, sat, { engine: 'reference', result: refK1, certificate: 'valid' }, Q.of(100)).agreement).toBe('wrong');
    expect(compare(k1, sat, { engine: 'reference', result: refK1, certificate: 'not checked' }, Q.of(100)).agreement).toBe('n/a');
  });
});
