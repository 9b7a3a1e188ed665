import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/main.js';
import { checkCertificate } from '../../src/check/index.js';

async function relucert(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(argv, { out: (t) => (out += t), err: (t) => (err += t), progress: false });
  return { code, out, err };
}

const NET = 'examples/stochastic/moons.network.json';

describe('relucert stochastic relu', () => {
  it('--json gives the exact probability and the faulty output', async () => {
    const r = await relucert('stochastic', 'relu', '--x', '100', '--variant', 'wrap', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ probability: '101/2138816513', faultyOutput: '0', p: '2138816513' });
    const n = JSON.parse((await relucert('stochastic', 'relu', '--x', '-5', '--p', '17', '--t', '2', '--variant', 'negpass', '--json')).out);
    expect(n.faultyOutput).toBe('-5');
  });
  it('bad input: one line naming the option, exit 2', async () => {
    for (const [args, field] of [
      [['--x', '1', '--p', '15', '--variant', 'wrap'], '--p'],
      [['--x', '1', '--p', '17', '--t', '3', '--variant', 'wrap'], '--t'],
      [['--x', '9', '--p', '17', '--variant', 'wrap'], '--x'],
      [['--x', '1', '--variant', 'maybe'], '--variant'],
      [['--x', '1.5', '--variant', 'wrap'], '--x'],
    ] as [string[], string][]) {
      const r = await relucert('stochastic', 'relu', ...args);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(new RegExp(`^relucert: command line: ${field}: .*\\n$`));
    }
  });
});

describe('relucert stochastic network', () => {
  it('--json gives the exact probability and the bound, exact <= bound', async () => {
    const r = await relucert('stochastic', 'network', NET, '--input', '0.5,0.25', '--variant', 'poszero', '--t', '12', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.status).toBe('exact');
    expect(j.probability).toMatch(/^\d+\/\d+$/);
    expect(j.bound).toMatch(/^\d+\/2138816513$/);
    const [pn, pd] = j.probability.split('/').map(BigInt);
    const [bn, bd] = j.bound.split('/').map(BigInt);
    expect(pn * bd <= bn * pd).toBe(true);
  });
  it('rejects an input of the wrong dimension and values beyond the field', async () => {
    const a = await relucert('stochastic', 'network', NET, '--input', '0.5', '--variant', 'wrap');
    expect(a.code).toBe(2);
    expect(a.err).toContain('--input');
    const b = await relucert('stochastic', 'network', NET, '--input', '0.5,0.25', '--p', '65537', '--variant', 'wrap');
    expect(b.code).toBe(2);
    expect(b.err).toContain('(p-1)/2');
  });
});

describe('relucert stochastic region', () => {
  it('writes a certificate the independent checker accepts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relucert-region-'));
    const cert = join(dir, 'r.json');
    const r = await relucert(
      'stochastic',
      'region',
      NET,
      '--input',
      '0.5,0.25',
      '--radius',
      '1/32',
      '--variant',
      'negpass',
      '--t',
      '10',
      '--bound',
      '1/1000',
      '--max-leaves',
      '32',
      '--cert',
      cert,
      '--json',
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.status).toBe('certified');
    const c = checkCertificate(readFileSync(cert, 'utf8'), cert, { kind: 'region' });
    expect(c.status).toBe('valid');
  });
  it('reports a counterexample to a bound that is too small (exit 1)', async () => {
    const r = await relucert(
      'stochastic',
      'region',
      NET,
      '--input',
      '0.5,0.25',
      '--radius',
      '1/32',
      '--variant',
      'wrap',
      '--bound',
      '1/1000000',
      '--max-leaves',
      '4',
      '--json',
    );
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).status).toBe('counterexample');
  });
});
