import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir, tempFile } from '../helpers.js';
import { CASES } from '../paths.js';

describe('relucert minimize', () => {
  it('--loss: the least l1 loss of abs-3 with one ReLU is 1, both sides certified and re-checkable', async () => {
    const out = tempDir();
    const r = await cli('minimize', 'instances/abs-3-k1-l1-half.json', '--loss', '--out', out, '--json');
    expect(r.code).toBe(0);
    const o = JSON.parse(r.out) as { value: string; witness: { instance: string; certificate: string }; lowerBound: { instance: string; certificate: string } };
    expect(o.value).toBe('1');
    const at = await cli('check', o.witness.certificate, '--instance', o.witness.instance);
    expect(at.code).toBe(0);
    expect(at.out).toMatch(/l1 loss 1 <= 1/);
    const below = await cli('check', o.lowerBound.certificate, '--instance', o.lowerBound.instance);
    expect(below.code).toBe(0);
    expect(JSON.parse(readFileSync(o.lowerBound.instance, 'utf8')).loss).toEqual({ type: 'l1', bound: '1', strict: true });
  });
  it('--width: zigzag on 6 points needs 4 ReLUs, with the proof for 3', async () => {
    const out = tempDir();
    const r = await cli('minimize', 'instances/zigzag6-k3.json', '--width', '--out', out, '--json');
    expect(r.code).toBe(0);
    const o = JSON.parse(r.out) as { value: string; lowerBound: { certificate: string } };
    expect(o.value).toBe('4');
    expect((await cli('check', o.lowerBound.certificate)).out).toMatch(/^valid: no network with 3 relu units/);
  });
  it('bad input: --loss on an exact-loss instance, both or neither flag', async () => {
    const a = await cli('minimize', 'instances/abs-3-k1.json', '--loss');
    expect(a).toMatchObject({
      code: 2,
      err: 'relucert: instances/abs-3-k1.json: loss.type: minimize --loss needs an l1, linf or l2 instance, got exact (or name the loss: --loss l2)\n',
    });
    const b = await cli('minimize', 'instances/abs-3-k1.json');
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/give exactly one of --loss and --width/);
    const c = await cli('minimize', 'instances/abs-3-k1.json', '--width', '--engine', 'milp');
    expect(c.code).toBe(2);
    expect(c.err).toMatch(/--engine: minimize needs an engine that proves infeasibility/);
  });
  it('--loss --timeout (anytime): exit 30, the interval printed, both sides written and checked (main: exit 0, nothing written)', async () => {
    const out = tempDir();
    const file = join(CASES, 'F-anytime-minimize-l1.json');
    const r = await cli('minimize', file, '--loss', '--timeout', '4', '--out', out, '--json');
    expect(r.code).toBe(30);
    const o = JSON.parse(r.out) as {
      status: string;
      lower: { value: string; instance: string; certificate: string };
      upper: { value: string; instance: string; certificate: string };
    };
    expect(o.status).toBe('bounds');
    const below = await cli('check', o.lower.certificate, '--instance', o.lower.instance);
    expect(below.code, below.err).toBe(0);
    expect(below.out).toMatch(/^valid: no network/);
    expect(JSON.parse(readFileSync(o.lower.instance, 'utf8')).loss).toEqual({ type: 'l1', bound: o.lower.value, strict: true });
    const above = await cli('check', o.upper.certificate, '--instance', o.upper.instance);
    expect(above.code, above.err).toBe(0);
    const upperLoss = JSON.parse(readFileSync(o.upper.instance, 'utf8')).loss as { type: string; bound: string; strict?: boolean };
    expect(upperLoss).toMatchObject({ type: 'l1', bound: o.upper.value });
    expect(upperLoss.strict ?? false).toBe(false);
    const text = await cli('minimize', file, '--loss', '--timeout', '2', '--out', tempDir());
    expect(text.code).toBe(30);
    expect(text.out).toMatch(
      /^"rand16-l1": l1 loss in \[\d+(\/\d+)?, \d+(\/\d+)?\] \(stopped: timeout\)\n {2}question: 3 relu units, [^\n]+; least l1 loss on [^\n]+\n {2}best network: f\(x\) = [^\n]+\n {2}at most .*upper-bound\.cert\.json \(witness, checked\)\n {2}at least .*lower-bound\.cert\.json \(proof that no network has l1 loss < /,
    );
  });
  it('--width --max-width K with no fit up to K: "width > K (proved)", the proof for K written (exit 30; main: "width unknown", nothing written)', async () => {
    const out = tempDir();
    // F-collinear8-width needs 7 threshold units (main proved every width up to 6 infeasible, then said "width unknown")
    const r = await cli('minimize', join(CASES, 'F-collinear8-width.json'), '--width', '--max-width', '6', '--out', out);
    expect(r.code).toBe(30);
    expect(r.out).toMatch(
      /^"collinear8": width > 6 \(proved; stopped: no width up to 6 fits\)\n {2}question: least number of threshold units, [^\n]+; every point classified correctly on 8 points in dimension 2\n {2}at least 7: .*width-6\.cert\.json \(infeasibility proof for width 6, checked\)\n$/,
    );
    // the folder: the name and the question's hash (one question per folder)
    const [folder] = readdirSync(out);
    expect(folder).toMatch(/^collinear8-[0-9a-f]{8}$/);
    const c = await cli('check', join(out, folder!, 'width-6.cert.json'), '--instance', join(out, folder!, 'width-6.instance.json'));
    expect(c.out).toMatch(/^valid: no network with 6 threshold units/);
  });
  it('two data sets with the same name never share a folder: each keeps its own certificates (main: the second overwrote the first)', async () => {
    const out = tempDir();
    const base = JSON.parse(readFileSync('instances/abs-3-k1-l1-half.json', 'utf8')) as { name: string; labels: string[] };
    const first = tempFile('x.json', { ...base, name: 'X' });
    const second = tempFile('x.json', { ...base, name: 'X', labels: ['2', '0', '2'] });
    const a = JSON.parse((await cli('minimize', first, '--loss', '--out', out, '--json')).out) as { witness: { certificate: string } };
    const before = readFileSync(a.witness.certificate, 'utf8');
    const b = JSON.parse((await cli('minimize', second, '--loss', '--out', out, '--json')).out) as { witness: { certificate: string } };
    const folders = readdirSync(out).sort();
    expect(folders).toHaveLength(2);
    for (const f of folders) expect(f).toMatch(/^X-[0-9a-f]{8}$/);
    expect(readFileSync(a.witness.certificate, 'utf8')).toBe(before);
    // each folder holds one run's two sides, and its certificates check
    expect(a.witness.certificate).not.toBe(b.witness.certificate);
    for (const cert of [a.witness.certificate, b.witness.certificate]) {
      expect((await cli('check', cert)).out).toMatch(/^valid: /);
      expect(readdirSync(join(cert, '..')).sort()).toEqual([
        'below-optimum.cert.json',
        'below-optimum.instance.json',
        'optimum.cert.json',
        'optimum.instance.json',
      ]);
    }
    // the same question asked again (another bound in the file) goes to the same folder
    const again = tempFile('x.json', { ...base, name: 'X', loss: { type: 'l1', bound: '5' } });
    await cli('minimize', again, '--loss', '--out', out);
    expect(readdirSync(out)).toHaveLength(2);
  });
});

describe('--start NETWORK (solve, minimize --loss)', () => {
  // |x| = 2 relu(x / 2) + 2 relu(-x / 2): output weights 2, brought to the signs form 1 (lemma L1) when read
  const absNet = {
    format: 'relucert-network/1',
    layers: [
      { activation: 'relu', weights: [['1/2'], ['-1/2']], bias: ['0', '0'] },
      { activation: 'identity', weights: [['2', '2']], bias: ['0'] },
    ],
  };
  it('solve: a start that fits is the witness, and its certificate checks', async () => {
    const dir = tempDir();
    const cert = join(dir, 'abs.cert.json');
    const r = await cli('solve', 'instances/abs-3-k2.json', '--start', tempFile('abs.json', absNet), '--cert', cert, '--json');
    expect(r.code).toBe(10);
    expect(JSON.parse(r.out)).toMatchObject({ verdict: 'feasible' });
    expect((await cli('check', cert)).code).toBe(0);
  });
  it('minimize --loss: a start network leaves the optimum as it is, both sides certified', async () => {
    const one = {
      ...absNet,
      layers: [
        { activation: 'relu', weights: [['1']], bias: ['0'] },
        { activation: 'identity', weights: [['1']], bias: ['0'] },
      ],
    };
    const r = await cli('minimize', 'instances/abs-3-k1-l1-half.json', '--loss', '--start', tempFile('one.json', one), '--out', tempDir(), '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ value: '1' });
  });
  it('bad input: a network of another shape, --start with --width, or with a batch: one line naming --start, exit 2', async () => {
    const one = {
      ...absNet,
      layers: [
        { activation: 'relu', weights: [['1']], bias: ['0'] },
        { activation: 'identity', weights: [['1']], bias: ['0'] },
      ],
    };
    const a = await cli('solve', 'instances/abs-3-k2.json', '--start', tempFile('one.json', one));
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/^relucert: command line: --start: the network does not have the instance's architecture: .*\n$/);
    const b = await cli('minimize', 'instances/abs-3-k2.json', '--width', '--start', tempFile('abs.json', absNet));
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/--start: goes with --loss/);
    const c = await cli('solve', 'instances/abs-3-k2.json', 'instances/abs-3-k1.json', '--start', tempFile('abs.json', absNet));
    expect(c.code).toBe(2);
    expect(c.err).toMatch(/--start: takes one instance/);
  });
});
