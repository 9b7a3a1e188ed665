/**
 * The library's check (src/run/check.ts): one entry for the three
 * certificate kinds, told apart by their format; the shipped certificates
 * of each kind are accepted, a binding to another instance is not, and a
 * file of another kind is named as such.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/format/errors.js';
import { check } from '../../src/run/check.js';

const text = (f: string): string => readFileSync(f, 'utf8');

describe('check', () => {
  it('accepts a training, a region and a Gram certificate, each by its own checker', () => {
    expect(check(text('certificates/abs-3-k1.cert.json'), { instance: text('instances/abs-3-k1.json') })).toMatchObject({
      status: 'valid',
      verdict: 'infeasible',
    });
    expect(check(text('examples/stochastic/moons-region.cert.json'))).toMatchObject({ status: 'valid', statement: expect.stringContaining('is at most') });
    expect(check(text('examples/learn/teacher.gram.json'), { instance: text('examples/learn/teacher.json') })).toMatchObject({
      status: 'valid',
      pivots: expect.any(Number),
    });
  });

  it('rejects a certificate bound to another instance (C3), and an instance given with a region certificate is bad input', () => {
    const other = check(text('certificates/abs-3-k1.cert.json'), { instance: text('instances/abs-3-k2.json') });
    expect(other).toMatchObject({ status: 'rejected', rule: 'C3' });
    const region = check(text('examples/stochastic/moons-region.cert.json'), { instance: text('instances/abs-3-k1.json'), instanceName: 'abs.json' });
    expect(region).toMatchObject({ status: 'bad-input', file: 'abs.json' });
  });

  it('an instance or a network given as a certificate is an InputError saying what it is', () => {
    expect(() => check(text('instances/abs-3-k1.json'), { name: 'abs.json' })).toThrow(InputError);
    expect(() => check(text('instances/abs-3-k1.json'), { name: 'abs.json' })).toThrow(/abs\.json: format: this is an instance/);
    expect(() => check(text('examples/abs-3-k2.network.json'))).toThrow(/this is a network/);
  });
});
