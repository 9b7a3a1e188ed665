import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir, tempFile } from '../helpers.js';

describe('relucert fuzz --list --json', () => {
  it('lists every reduction with its variants, each correct or mutant, at least two mutants each', async () => {
    const r = await cli('fuzz', '--list', '--json');
    expect(r.code).toBe(0);
    const l = JSON.parse(r.out) as { reductions: { name: string; variants: { name: string; kind: string }[] }[] };
    expect(l.reductions.map((x) => x.name)).toEqual(['set-splitting', 'two-hyperplane', 'single-relu']);
    for (const red of l.reductions) {
      expect(red.variants.filter((v) => v.kind === 'correct').map((v) => v.name)).toEqual(['correct']);
      expect(red.variants.filter((v) => v.kind === 'mutant').length).toBeGreaterThanOrEqual(2);
    }
  });
});

describe('relucert reduce', () => {
  it('writes the target instance of the issue example, and it solves feasible', async () => {
    const out = join(tempDir(), 'i.json');
    const r = await cli('reduce', 'set-splitting', 'examples/reductions/set-splitting.json', '-o', out);
    expect(r.code).toBe(0);
    const inst = JSON.parse(readFileSync(out, 'utf8')) as { points: string[][]; labels: string[] };
    expect(inst.points.length).toBe(1 + 4 + 2 + 2);
    expect(inst.points[0]).toEqual(['0', '0', '0', '0', '0']);
    expect(inst.labels.slice(0, 5)).toEqual(['1', '-1', '-1', '-1', '-1']);
    const s = await cli('solve', out, '--json');
    expect(s.code).toBe(10);
  });
  it('bad input: one line, exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['reduce', 'nope', 'examples/reductions/set-splitting.json'], /REDUCTION: unknown reduction "nope"/],
      [['reduce', 'set-splitting', tempFile('s.json', { format: 'set-splitting/1', elements: 2, sets: [[0, 2]] })], /sets\[0\]\[1\]: element 2 out of range/],
      [['reduce', 'set-splitting', 'examples/reductions/set-splitting.json', '--variant', 'zz'], /--variant: set-splitting has no variant "zz"/],
      [['fuzz', 'set-splitting', '--runs', '0'], /--runs: expected a positive integer/],
      [['fuzz'], /REDUCTION: missing/],
    ];
    for (const [argv, msg] of cases) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toMatch(msg);
      expect(r.err.trim().split('\n').length).toBe(1);
    }
  });
});

describe('relucert fuzz', () => {
  it('exit 0 on a correct reduction', async () => {
    const r = await cli('fuzz', 'single-relu', '--runs', '30', '--seed', '5', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ reduction: 'single-relu', variant: 'correct', runs: 30, agreed: 30, unknown: 0 });
  });
  it('exit 1 on a mutant, with the counterexample printed and written to --out', async () => {
    const dir = tempDir();
    const r = await cli('fuzz', 'set-splitting', '--variant', 'no-gadget', '--no-maps', '--runs', '300', '--seed', '1', '--out', dir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/DISAGREEMENT/);
    expect(r.out).toMatch(/minimal counterexample: \{"format":"set-splitting\/1","elements":3,"sets":\[/);
    for (const f of ['source.json', 'instance.json', 'target-certificate.json', 'report.json']) expect(existsSync(join(dir, f)), f).toBe(true);
    // the target certificate in the files checks, and the source file reduces again
    expect((await cli('check', join(dir, 'target-certificate.json'), '--instance', join(dir, 'instance.json'))).code).toBe(0);
    expect((await cli('reduce', 'set-splitting', join(dir, 'source.json'), '--variant', 'no-gadget')).code).toBe(0);
  }, 60_000);
});
