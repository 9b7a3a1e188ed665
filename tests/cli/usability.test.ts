/** Issue F section 10: what a new user trips on. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir, tempFile } from '../helpers.js';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

describe('relucert --version', () => {
  it('prints the version of package.json', async () => {
    for (const flag of ['--version', '-V']) {
      const r = await cli(flag);
      expect(r.code).toBe(0);
      expect(r.out.trim()).toBe(pkg.version);
    }
  });
});

describe('solve given a file of another format', () => {
  it('says a certificate is a certificate and names relucert check (exit 2)', async () => {
    const r = await cli('solve', 'certificates/abs-3-k1-l1-half.cert.json');
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe(
      'relucert: certificates/abs-3-k1-l1-half.cert.json: format: this is a certificate (relucert-certificate/1), not an instance (relucert-instance/1); `relucert check FILE` checks it',
    );
  });
  it('says a network is a network and names relucert eval', async () => {
    const r = await cli('solve', 'examples/abs-3-k2.network.json');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /format: this is a network \(relucert-network\/1\), not an instance \(relucert-instance\/1\); `relucert eval INSTANCE FILE` evaluates it/,
    );
  });
});

describe('check given a file of another format', () => {
  it('says an instance is an instance (exit 2), not "rejected at verdict"', async () => {
    const r = await cli('check', 'instances/abs-3-k1.json');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/instances\/abs-3-k1\.json: format: this is an instance \(relucert-instance\/1\), not a certificate/);
    expect(r.err).not.toMatch(/rejected/);
  });
  it('says a network is a network', async () => {
    const r = await cli('check', 'examples/abs-3-k2.network.json');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/this is a network/);
  });
});

describe('counts read as English', () => {
  it('"1 point", "1 relu unit", "proof with 1 leaf"', async () => {
    const one = tempFile('one.json', {
      format: 'relucert-instance/1',
      name: 'one',
      points: [['0']],
      labels: ['-1'],
      architecture: { hidden: 1, activation: 'relu', outputWeights: 'positive', outputBias: false },
      loss: { type: 'exact' },
    });
    const r = await cli('solve', one, '--cert', join(tempDir(), 'c.json'));
    expect(r.code).toBe(20);
    expect(r.out).toContain('proof with 1 leaf)');
    expect(r.out).toContain('question: 1 relu unit, output weights positive, no output bias; zero error on 1 point in dimension 1');
    const bad = tempFile('bad.json', { ...JSON.parse(readFileSync(one, 'utf8')), labels: ['1', '2'] });
    expect((await cli('solve', bad)).err).toMatch(/labels: has 2 entries for 1 point$/m);
  });
});

describe('solve shows the witness', () => {
  it('as a compact formula in text, as the network in --json, and in --network-out FILE', async () => {
    const text = await cli('solve', 'instances/abs-3-k2.json');
    expect(text.out).toMatch(/^ {2}witness: f\(x\) = /m);
    const json = JSON.parse((await cli('solve', 'instances/abs-3-k2.json', '--json')).out);
    expect(json.network.format).toBe('relucert-network/1');
    const file = join(tempDir(), 'net.json');
    const r = await cli('solve', 'instances/abs-3-k2.json', '--network-out', file);
    expect(r.out).toContain(`network: ${file}`);
    const ev = await cli('eval', 'instances/abs-3-k2.json', file);
    expect(ev.code).toBe(0);
  });
  it('the formula is the network: it reads back to the same outputs', async () => {
    const r = await cli('solve', 'instances/teacher-d2-k2.json', '--json');
    const net = JSON.parse(r.out).network;
    const t = await cli('solve', 'instances/teacher-d2-k2.json');
    const formula = /witness: (.*)/.exec(t.out)![1]!;
    // every non-zero hidden weight appears in the formula
    for (const row of net.layers[0].weights) for (const w of row) if (w !== '0') expect(formula).toContain(w.replace(/^-/, ''));
    expect(formula).toMatch(/^f\(x\) = .*x1/);
  });
  it('after unknown, says that no certificate was written', async () => {
    const cert = join(tempDir(), 'c.json');
    const r = await cli('solve', 'instances/zigzag6-k3.json', '--timeout', '0.001', '--cert', cert, '--engine', 'reference');
    expect(r.out).toMatch(/: unknown \(timeout\)/);
    expect(r.out).toContain('certificate: none written: there is no verdict to certify');
  });
});

describe('options that contradict or do nothing are refused', () => {
  it.each([
    [['--quiet', '--progress'], /--quiet\/--progress: give one of them/],
    [['--threads', '3'], /--threads: an engine uses at most 2 threads/],
    [['--threads', '2', '--engine', 'reference'], /--threads: only the exact and cdcl engines use threads/],
  ])('solve %j', async (args, message) => {
    const r = await cli('solve', 'instances/abs-3-k1.json', ...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });
});

describe('plot --network', () => {
  it('accepts a feasible certificate (its witness) and refuses an infeasibility certificate', async () => {
    const svg = join(tempDir(), 'p.svg');
    const r = await cli('plot', 'instances/abs-3-k2.json', '--network', 'certificates/abs-3-k2.cert.json', '-o', svg);
    expect(r.code).toBe(0);
    expect(r.out).toContain('2 units');
    expect(readFileSync(svg, 'utf8')).toMatch(/<polyline|<path/);
    const bad = await cli('plot', 'instances/abs-3-k1.json', '--network', 'certificates/abs-3-k1.cert.json', '-o', svg);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/an infeasibility certificate has no network/);
  });
});

describe('--help shows required options as required', () => {
  it.each([
    [['plot', '--help'], /-o, --output <file>[\s\S]*?\(required\)/],
    [['import-weights', '--help'], /--format <format>[\s\S]*?\(required\)[\s\S]*--instance <file>[\s\S]*?\(required\)/],
    [['stochastic', 'relu', '--help'], /--variant <v>[\s\S]*?\(required\)/],
  ])('%j', async (args, pattern) => {
    const r = await cli(...args);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(pattern);
  });
  it('optional options are not marked', async () => {
    const r = await cli('solve', '--help');
    expect(r.out).not.toContain('(required)');
  });
});
