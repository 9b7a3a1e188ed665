/**
 * The command line on leaky ReLU and weight bounds: bad slopes and bounds are
 * one line naming the file and the field (exit 2), `solve --engine milp`
 * turns a MILP "no solution" into a certified verdict where the MILP is the
 * instance's question, and the exports carry the leaky rows and the bound.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir, tempFile } from '../helpers.js';

const leaky = JSON.parse(readFileSync('instances/abs-3-leaky-k1.json', 'utf8')) as { architecture: Record<string, unknown> };
const withArch = (patch: Record<string, unknown>): unknown => ({ ...leaky, architecture: { ...leaky.architecture, ...patch } });

describe('bad slope or weight bound: one line naming file and field, exit 2, nothing written', () => {
  const cases: [string, unknown, string][] = [
    ['slope 1', withArch({ slope: '1' }), 'architecture.slope: slope must be a rational in [0, 1)'],
    ['slope 2', withArch({ slope: 2 }), 'architecture.slope: slope must be a rational in [0, 1)'],
    ['negative slope', withArch({ slope: '-1/100' }), 'architecture.slope: slope must be a rational in [0, 1)'],
    ['bad slope', withArch({ slope: '1/0' }), 'architecture.slope: not an exact rational'],
    ['no slope', withArch({ slope: undefined }), 'architecture.slope: missing: leaky-relu needs a slope'],
    ['slope with relu', withArch({ activation: 'relu' }), 'architecture.slope: only a leaky-relu has a slope'],
    ['negative bound', withArch({ weightBound: '-1' }), 'architecture.weightBound: weightBound must be > 0'],
    ['zero bound', withArch({ weightBound: 0 }), 'architecture.weightBound: weightBound must be > 0'],
    ['bound not a number', withArch({ weightBound: 'big' }), 'architecture.weightBound: not an exact rational'],
    [
      'boundOutputWeights without a bound',
      withArch({ outputWeights: 'free', boundOutputWeights: true }),
      'architecture.boundOutputWeights: needs a weightBound',
    ],
    [
      'boundOutputWeights with signs',
      withArch({ weightBound: '1', boundOutputWeights: true }),
      'architecture.boundOutputWeights: only free output weights can be bounded (outputWeights is signs)',
    ],
  ];
  it.each(cases)('%s', async (_name, content, msg) => {
    const file = tempFile('inst.json', content);
    const cert = join(tempDir(), 'c.json');
    const r = await cli('solve', file, '--cert', cert);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain(`relucert: ${file}: ${msg}`);
    expect(existsSync(cert)).toBe(false);
  });
});

describe('solve --engine milp under a weight bound', () => {
  it('M covers the bound: a certified infeasible (exit 20), the certificate checks', async () => {
    const cert = join(tempDir(), 'c.json');
    const r = await cli('solve', 'instances/abs-3-k2-bound-half.json', '--engine', 'milp', '--cert', cert, '--json');
    expect(r.code).toBe(20);
    expect(JSON.parse(r.out)).toMatchObject({ verdict: 'infeasible', certificateChecked: true });
    const c = await cli('check', cert, '--instance', 'instances/abs-3-k2-bound-half.json');
    expect(c.code).toBe(0);
    expect(c.out).toContain('hidden weights and biases in [-1/2, 1/2]');
  });
  it('without the bound the same MILP answer is no verdict (exit 0, unknown)', async () => {
    const r = await cli('solve', 'instances/abs-3-k1.json', '--engine', 'milp', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).reason).toMatch(/^milp: no solution: no network with all weights in \[-100, 100\]/);
  });
});

describe('exports', () => {
  it('SMT-LIB: the leaky disjunction with the slope, and the bound asserted', async () => {
    const inst = tempFile('inst.json', withArch({ weightBound: '1' }));
    const r = await cli('export', inst, '--smtlib', '-');
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      '(assert (or (and (>= (+ (- w_0_0) b_0) 0.0) (= z_0_0 (+ (- w_0_0) b_0))) (and (<= (+ (- w_0_0) b_0) 0.0) (= z_0_0 (* (/ 1.0 10.0) (+ (- w_0_0) b_0))))))',
    );
    expect(r.out).toContain('(assert (and (<= (- 1.0) w_0_0) (<= w_0_0 1.0)))');
  });
  it('LP: the leaky rows, the hidden weights within the bound, and the exact meaning', async () => {
    const r = await cli('export', 'instances/abs-3-leaky-k2-bound-1.json', '--lp', '-');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/zlb_0_0: /);
    expect(r.out).toContain('-1 <= w_0_0 <= 1');
    expect(r.out).toContain('"infeasible" here means exactly: no network of the instance\'s shape fits: the instance is infeasible');
  });
});
