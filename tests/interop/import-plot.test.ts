import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Q, parseRational } from '../../src/core/rational.js';
import { readInstance } from '../../src/format/schema.js';
import { readTorchJson } from '../../src/interop/import.js';
import { cli, tempDir, tempFile } from '../helpers.js';

const abs2 = readInstance('instances/abs-3-k2.json');
const dump = (w1: string[], b1: string[], w2: string[], b2: string): string =>
  `{"fc1.weight": [${w1.map((w) => `[${w}]`).join(', ')}], "fc1.bias": [${b1.join(', ')}], "fc2.weight": [[${w2.join(', ')}]], "fc2.bias": [${b2}]}`;

describe('import-weights --format torch-json', () => {
  it('reads decimals exactly from their text (0.1 is 1/10, 1e-3 is 1/1000)', () => {
    const { network } = readTorchJson(dump(['0.1', '-1e-3'], ['0.0', '2.5E2'], ['1.0', '1'], '0'), 'd.json', abs2);
    const [hid] = network.layers;
    expect(hid!.weights.map((r) => r[0]!.toString())).toEqual(['1/10', '-1/1000']);
    expect(hid!.bias.map(String)).toEqual(['0', '250']);
  });
  it('reads every decimal written as text exactly as parseRational does (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.integer({ min: 0, max: 12 }), (digits, places) => {
        const s = (digits < 0n ? -digits : digits).toString().padStart(places + 1, '0');
        const text = `${digits < 0n ? '-' : ''}${s.slice(0, s.length - places)}${places ? '.' + s.slice(s.length - places) : ''}`;
        const { network } = readTorchJson(dump([text, '1'], ['0', '0'], ['1', '1'], '0'), 'd.json', abs2);
        expect(network.layers[0]!.weights[0]![0]!.eq(parseRational(text)!)).toBe(true);
        expect(network.layers[0]!.weights[0]![0]!.eq(Q.of(digits, 10n ** BigInt(places)))).toBe(true);
      }),
    );
  });
  it('exit 0 when the dump fits exactly', async () => {
    const r = await cli('import-weights', tempFile('d.json', dump(['1.0', '-1.0'], ['0.0', '0.0'], ['1.0', '1.0'], '0.0')), '--format', 'torch-json', '--instance', 'instances/abs-3-k2.json', '--json');
    expect(r.code).toBe(0);
  });
  it('an approximate fit is rejected (exit 1) and repaired by --round, writing the network', async () => {
    const f = tempFile('d.json', dump(['0.99999997', '-1.0000001'], ['1e-8', '-2e-8'], ['1.0', '1.0'], '0.0'));
    const plain = await cli('import-weights', f, '--format', 'torch-json', '--instance', 'instances/abs-3-k2.json');
    expect(plain.code).toBe(1);
    expect(plain.out).toMatch(/does NOT fit/);
    const out = join(tempDir(), 'net.json');
    const rounded = await cli('import-weights', f, '--format', 'torch-json', '--instance', 'instances/abs-3-k2.json', '--round', '-o', out);
    expect(rounded.code).toBe(0);
    const ev = await cli('eval', 'instances/abs-3-k2.json', out, '--json');
    expect(JSON.parse(ev.out)).toMatchObject({ loss: '0', withinBound: true });
  });
  it('bad dumps give one line naming the file, exit 2', async () => {
    for (const text of ['{"fc1.weight": [[1]]}', '{"fc1.weight": [["x"]], "fc2.weight": [[1]]}', 'not json', '{"fc1.weight": [[1, 2]], "fc1.bias": [0], "fc2.weight": [[1]], "fc2.bias": [0]}']) {
      const f = tempFile('bad.json', text);
      const r = await cli('import-weights', f, '--format', 'torch-json', '--instance', 'instances/abs-3-k1.json');
      expect(r.code, text).toBe(2);
      expect(r.err.trim().split('\n'), text).toHaveLength(1);
      expect(r.err).toContain(f);
    }
  });
  it('unknown --format is a command-line error', async () => {
    const r = await cli('import-weights', 'x.json', '--format', 'onnx', '--instance', 'instances/abs-3-k1.json');
    expect(r).toMatchObject({ code: 2, err: 'relucert: command line: --format: unknown format "onnx" (known: json, torch-json)\n' });
  });
});

describe('plot', () => {
  const wellFormed = (svg: string): void => {
    expect(svg.startsWith('<svg')).toBe(true);
    const opens = (svg.match(/<[a-z]+[^>]*[^/]>/g) ?? []).length;
    const closes = (svg.match(/<\/[a-z]+>/g) ?? []).length;
    expect(opens).toBe(closes);
  };
  it('d = 1 with a network: one circle per point', async () => {
    const out = join(tempDir(), 'p.svg');
    const r = await cli('plot', 'instances/abs-3-k2.json', '--network', 'examples/abs-3-k2.network.json', '-o', out);
    expect(r.code).toBe(0);
    const svg = readFileSync(out, 'utf8');
    wellFormed(svg);
    expect((svg.match(/<circle/g) ?? []).length).toBeGreaterThanOrEqual(3);
  });
  it('d = 2 classification with a network', async () => {
    const out = join(tempDir(), 'p.svg');
    const r = await cli('plot', 'examples/xor-plot.json', '--network', 'examples/xor-plot.network.json', '-o', out);
    expect(r.code).toBe(0);
    wellFormed(readFileSync(out, 'utf8'));
  });
  it('d = 3 is refused naming the field', async () => {
    const r = await cli('plot', 'instances/teacher-d3-k1.json', '-o', join(tempDir(), 'p.svg'));
    expect(r).toMatchObject({ code: 2, err: 'relucert: instances/teacher-d3-k1.json: points: plot supports dimension 1 and 2, this instance has dimension 3\n' });
  });
});
