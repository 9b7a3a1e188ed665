/**
 * Issue F section 9: finite decimals in scientific notation are exact
 * rationals everywhere numbers are read, and an exponent cannot make a
 * reader allocate a billion digits.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir, tempFile } from '../helpers.js';

const abs = JSON.parse(readFileSync('instances/abs-3-k2.json', 'utf8')) as Record<string, unknown>;

describe('scientific notation in instances, networks, certificates and options', () => {
  it('an instance written with exponents asks the same question (same hash) as the plain one', async () => {
    const sci = tempFile('sci.json', { ...abs, points: [['-1e0'], ['0e5'], ['10E-1']], labels: ['1e0', '0.0e-3', '.1e+1'] });
    const cert = join(tempDir(), 'sci.cert.json');
    const r = await cli('solve', sci, '--cert', cert, '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(10);
    // the certificate binds to the canonical form, which is the plain instance's
    const c = await cli('check', cert, '--instance', 'instances/abs-3-k2.json');
    expect(c.code).toBe(0);
  });
  it('a network written with exponents evaluates exactly', async () => {
    const net = tempFile('net.json', {
      format: 'relucert-network/1',
      layers: [
        { activation: 'relu', weights: [['-1e0'], ['1.0E+0']], bias: ['0e0', '-0E-7'] },
        { activation: 'identity', weights: [['1', '10e-1']], bias: ['0'] },
      ],
    });
    const r = await cli('eval', 'instances/abs-3-k2.json', net, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ loss: '0', withinBound: true });
  });
  it('a JSON number with an exponent is refused with a hint that now works', async () => {
    const f = tempFile('inst.json', JSON.stringify({ ...abs, labels: ['1', '0', '1'] }).replace('"labels":["1","0","1"]', '"labels":[1,0,-1e0]'));
    const r = await cli('solve', f);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/labels\[2\]: not an exact rational: -1e0 \(a JSON number must be an integer; write "-1e0" as a string\)/);
    const fixed = tempFile('inst.json', { ...abs, labels: ['1', '0', '-1e0'] });
    expect((await cli('solve', fixed)).code).not.toBe(2);
  });
  it('refuses an exponent past the digit limit at once, naming the limit', async () => {
    for (const big of ['1e1000000000', '-1e-1000000000', '1e100000']) {
      const f = tempFile('inst.json', { ...abs, points: [['-1'], [big], ['1']] });
      const r = await cli('solve', f);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/points\[1\]\[0\]: not an exact rational: .*more than 100000 digits/);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
  });
  it('reads exponents in options that take rationals', async () => {
    const region = await cli(
      'stochastic',
      'region',
      'examples/stochastic/moons.network.json',
      '--input',
      '5e-1,2.5E-1',
      '--radius',
      '1e-3',
      '--variant',
      'wrap',
      '--no-search',
      '--json',
    );
    expect(region.err).toBe('');
    expect(JSON.parse(region.out).lower).toEqual(['499/1000', '249/1000']);
  });
});
