import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers.js';

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
    expect(a).toMatchObject({ code: 2, err: 'relucert: instances/abs-3-k1.json: loss.type: minimize --loss needs an l1 or linf instance, got exact\n' });
    const b = await cli('minimize', 'instances/abs-3-k1.json');
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/give exactly one of --loss and --width/);
    const c = await cli('minimize', 'instances/abs-3-k1.json', '--width', '--engine', 'milp');
    expect(c.code).toBe(2);
    expect(c.err).toMatch(/--engine: minimize needs an engine that proves infeasibility/);
  });
});
