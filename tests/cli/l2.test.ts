/**
 * The squared loss at the command line: the instance format and its errors,
 * solve and minimize --loss with certificates, the SMT-LIB export (QF_NRA),
 * and clear refusals where l2 is not covered (MILP/LP export, the milp
 * engine, MILP solvers in crosscheck, cubes).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { engines } from '../../src/engines/index.js';
import { readInstance } from '../../src/format/schema.js';
import { cli, tempDir, tempFile } from '../helpers.js';

const XOR = 'instances/xor-relu-k1-l2.json';
const xorJson = JSON.parse(readFileSync(XOR, 'utf8')) as Record<string, unknown>;
const withLoss = (loss: unknown): string => tempFile('inst.json', { ...xorJson, loss });

describe('the l2 loss in instance files (docs/formats.md)', () => {
  it('reads bound and strict exactly; strict defaults to false', () => {
    const inst = readInstance(withLoss({ type: 'l2', bound: '0.5' }));
    expect(inst.loss).toMatchObject({ type: 'l2', strict: false });
    expect(inst.loss.type === 'l2' && inst.loss.bound.toString()).toBe('1/2');
  });
  it('bad l2 losses: one line naming the file and the field, exit 2', async () => {
    for (const [loss, field, words] of [
      [{ type: 'l2' }, 'loss.bound', 'missing'],
      [{ type: 'l2', bound: '-1' }, 'loss.bound', 'bound must be >= 0'],
      [{ type: 'l2', bound: '1', strict: 'yes' }, 'loss.strict', 'boolean'],
      [{ type: 'l2', bound: '1', margin: 1 }, 'loss', 'unknown field "margin"'],
      [{ type: 'l3', bound: '1' }, 'loss.type', 'l2'],
    ] as const) {
      const file = withLoss(loss);
      const r = await cli('solve', file);
      expect(r.code, JSON.stringify(loss)).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toContain(`${file}: ${field}`);
      expect(r.err).toContain(words);
    }
  });
});

describe('solve and minimize', () => {
  it('solve proves "sum of squares < 2/3" infeasible and writes a certificate the checker accepts', async () => {
    const cert = join(tempDir(), 'c.json');
    const r = await cli('solve', XOR, '--cert', cert, '--timeout', '30');
    expect(r.code).toBe(20);
    expect(r.out).toContain('l2 loss < 2/3 on 4 points');
    expect(readFileSync(cert, 'utf8')).toContain('"leaf":"l2dual"');
    expect((await cli('check', cert, '--instance', XOR)).code).toBe(0);
  });
  it('minimize --loss gives the exact least sum of squares, 2/3, both sides certified (the README shows it)', async () => {
    const out = tempDir();
    const r = await cli('minimize', XOR, '--loss', '--out', out, '--timeout', '60');
    expect(r.code).toBe(0);
    const first = r.out.split('\n')[0]!;
    expect(first).toBe('"xor-relu-k1-l2": least l2 loss = 2/3');
    expect(readFileSync('README.md', 'utf8')).toContain(first);
    const [folder] = readdirSync(out);
    expect(folder).toMatch(/^xor-relu-k1-l2-[0-9a-f]{8}$/);
    for (const f of ['optimum.cert.json', 'below-optimum.cert.json']) expect((await cli('check', join(out, folder!, f))).code).toBe(0);
  });
  it('--engine all: reference, exact, cdcl and z3 agree; milp says why it cannot answer', async () => {
    // |x| on -1, 0, 1 with one ReLU and an output bias: least sum of squares 1/2 (z3 in WebAssembly decides this one quickly)
    const abs = { ...xorJson, name: 'abs', points: [['-1'], ['0'], ['1']], labels: ['1', '0', '1'], loss: { type: 'l2', bound: '1/2', strict: true } };
    const r = await engines.all!.solve(readInstance(tempFile('abs.json', abs)), { deadline: Date.now() + 40_000 });
    expect(r.verdict).toBe('infeasible');
    expect(r.crossCheck?.disagreement).toBe(false);
    const milp = r.crossCheck?.comparisons.find((c) => c.engine === 'milp');
    expect(milp?.verdict).toBe('unknown');
    expect(milp?.note ?? '').toContain('does not cover the squared loss l2');
  }, 60_000);
});

describe('teacher --loss l2:G', () => {
  it('writes an l2 instance with that bound', async () => {
    const out = join(tempDir(), 't.json');
    const r = await cli('teacher', '--depth', '1', '--width', '2', '--dim', '1', '--samples', '4', '--seed', '1', '--loss', 'l2:1/2', '-o', out);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).loss).toEqual({ type: 'l2', bound: '1/2' });
  });
});

describe('exports', () => {
  it('--smtlib writes QF_NRA with the sum of squares', async () => {
    const r = await cli('export', XOR, '--smtlib', '-');
    expect(r.code).toBe(0);
    expect(r.out).toContain('(set-logic QF_NRA)');
    expect(r.out).toContain('(assert (< (+ (* (- f_0 0.0) (- f_0 0.0)) (* (- f_1 1.0) (- f_1 1.0))');
  });
  it('--lp and --jslp refuse l2: one line naming the file and loss.type, exit 2, nothing written', async () => {
    for (const opt of ['--lp', '--jslp']) {
      const file = join(tempDir(), 'out');
      const r = await cli('export', XOR, opt, file);
      expect(r.code).toBe(2);
      expect(r.err.trim()).toBe(
        `relucert: ${XOR}: loss.type: the MILP/LP export does not cover the squared loss l2 (its loss is quadratic, not linear); use the SMT-LIB export (QF_NRA)`,
      );
      expect(existsSync(file)).toBe(false);
    }
  });
  it('crosscheck refuses MILP solvers for l2, exit 2', async () => {
    const r = await cli('crosscheck', XOR, '--solvers', 'z3,glpsol');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--solvers');
    expect(r.err).toContain('does not cover the squared loss l2');
  });
  it('cubes refuse l2: split and solve --workers, exit 2', async () => {
    const s = await cli('split', XOR, '--cubes', '4', '-o', join(tempDir(), 'cubes'));
    expect(s.code).toBe(2);
    expect(s.err).toContain(`${XOR}: loss.type: cubes`);
    const w = await cli('solve', XOR, '--workers', '2');
    expect(w.code).toBe(2);
    expect(w.err).toContain('loss.type: cubes');
  });
});
