/**
 * Issue F section 4: big and deep inputs get a clean answer (an answer, or
 * exit 2 with one line naming the limit), never exit 70. Inputs are made
 * on the fly.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Q } from '../../src/core/rational.js';
import type { Instance } from '../../src/core/types.js';
import { baseRows, normalisationCases } from '../../src/encode/system.js';
import { plotSvg } from '../../src/interop/plot.js';
import { MAX_LITERALS } from '../../src/run/limits.js';
import { cli, tempDir } from '../helpers.js';

/** n points in d = 1 with integer coordinates and labels in [-9, 9] (a fixed pseudo-random sequence). */
function bigInstanceJson(n: number, extra: Record<string, unknown> = {}): string {
  const points: string[] = [];
  const labels: string[] = [];
  for (let i = 0, s = 7; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    points.push(`["${(s % 19) - 9}"]`);
    labels.push(`"${((s >> 8) % 19) - 9}"`);
  }
  const head = { format: 'relucert-instance/1', name: `big-${n}`, ...extra };
  return (
    JSON.stringify(head).slice(0, -1) +
    `,"points":[${points.join(',')}],"labels":[${labels.join(',')}],` +
    '"architecture":{"hidden":2,"activation":"relu","outputWeights":"signs","outputBias":false},"loss":{"type":"exact"}}'
  );
}

function write(name: string, text: string): string {
  const f = join(tempDir(), name);
  writeFileSync(f, text);
  return f;
}

function expectOneLine(r: { code: number; out: string; err: string }, pattern: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.out).toBe('');
  expect(r.err.trim().split('\n')).toHaveLength(1);
  expect(r.err).toMatch(pattern);
}

describe('instances too large for the engines are refused up front, naming the limit', () => {
  it.each([20_000, 200_000])('solve with %i points: exit 2, not 70', async (n) => {
    const f = write('big.json', bigInstanceJson(n));
    const r = await cli('solve', f, '--timeout', '5');
    expectOneLine(r, new RegExp(`points: ${n} points x 2 hidden units = ${2 * n} activation literals; the engines handle at most ${MAX_LITERALS}`));
  });
  it('the convex engine (and the default, which hands it the convex case) is not held to the limit: its LPs are over the weights', async () => {
    // |x| at 3,000 integer points, 2 units, output weights positive: 6,000 literals
    const xs = Array.from({ length: 3000 }, (_, i) => i - 1500);
    const f = write(
      'abs-3000.json',
      JSON.stringify({
        format: 'relucert-instance/1',
        name: 'abs-3000',
        points: xs.map((x) => [String(x)]),
        labels: xs.map((x) => String(Math.abs(x))),
        architecture: { hidden: 2, activation: 'relu', outputWeights: 'positive', outputBias: false },
        loss: { type: 'exact' },
      }),
    );
    for (const engine of ['convex', 'cdcl']) expect((await cli('solve', f, '--engine', engine, '--timeout', '60')).code, engine).toBe(10);
    expectOneLine(await cli('solve', f, '--engine', 'exact', '--timeout', '5'), /6000 activation literals; the engines handle at most/);
  });
  it('minimize --width counts the largest width it would try', async () => {
    const f = write('w.json', bigInstanceJson(1000));
    expectOneLine(await cli('minimize', f, '--width', '--max-width', '6', '--out', tempDir()), /6000 activation literals/);
  });
});

describe('code that spread large arrays into arguments', () => {
  const inst = (n: number, d: number): Instance => ({
    name: 'big',
    description: '',
    points: Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, t) => Q.of(((i * (t + 3)) % 19) - 9))),
    labels: Array.from({ length: n }, (_, i) => Q.of((i % 3) - 1)),
    architecture: { hidden: 1, activation: 'relu', outputWeights: { mode: 'signs' }, outputBias: false },
    loss: { type: 'l1', bound: Q.ONE, strict: false },
  });
  // node's limit on spread arguments is about 125,000
  it('baseRows builds the rows of 70,000 points with l1 loss (140,000 loss rows)', () => {
    const i = inst(70_000, 1);
    expect(baseRows(i, normalisationCases(i)[0]!).length).toBeGreaterThan(280_000);
  });
  it.each([1, 2])('plot draws 150,000 points in dimension %i', (d) => {
    expect(plotSvg(inst(150_000, d), undefined)).toMatch(/^<svg/);
  });
});

describe('deep and long inputs', () => {
  const deep = '['.repeat(100_000) + ']'.repeat(100_000);
  it('an instance nested 100,000 arrays deep: exit 2, one line naming the nesting limit', async () => {
    const f = write('deep.json', bigInstanceJson(3).replace(/"points":\[.*?\]\],/, `"points":${deep},`));
    expectOneLine(await cli('solve', f), /nested more than 64 levels deep/);
    expectOneLine(await cli('check', 'certificates/abs-3-k1.cert.json', '--instance', f), /points\[0\]\[0\]: expected an exact number/);
  });
  it('a certificate nested 100,000 arrays deep is rejected by the checker, clause by clause', async () => {
    const f = write('deep.cert.json', `{"format":"relucert-certificate/1","verdict":"feasible","instanceHash":"x","instance":${deep},"network":{}}`);
    const r = await cli('check', f);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/rejected at instance \(C2\)/);
  });
  it('a 50 MB description is read, solved and self-checked; relucert check refuses the 50 MB certificate unless --max-bytes allows it', async () => {
    const f = write('desc.json', bigInstanceJson(3, { description: 'x'.repeat(50_000_000) }));
    const cert = join(tempDir(), 'c.json');
    const r = await cli('solve', f, '--cert', cert);
    expect([10, 20]).toContain(r.code);
    // docs/certificates.md section 6: 10 MiB unless raised
    expectOneLine(await cli('check', cert, '--instance', f), /larger than 10485760 bytes .*--max-bytes raises it/);
    expect((await cli('check', cert, '--instance', f, '--max-bytes', '120000000')).code).toBe(0);
  });
});

describe('a batch holds each instance to the same size limit as solve', () => {
  it('a too-large instance is its row of bad input, naming the limit; the next instance is still solved', async () => {
    const { solveBatch } = await import('../../src/run/batch.js');
    const big = write('big.json', bigInstanceJson(20_000));
    const small = write('small.json', bigInstanceJson(4));
    const { rows, counts } = await solveBatch([big, small], { engine: 'cdcl', threads: 1, timeout: 20 });
    expect(rows[0]!.verdict).toBe('bad-input');
    expect(rows[0]!.detail).toMatch(/40000 activation literals; the engines handle at most/);
    expect(['feasible', 'infeasible']).toContain(rows[1]!.verdict);
    expect(counts.bad).toBe(1);
  });
});
