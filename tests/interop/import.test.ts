import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Q, parseRational } from '../../src/core/rational.js';
import { readInstance, toInstance } from '../../src/format/schema.js';
import { denominatorBounds, normalizeOutputWeights, readTorchJson } from '../../src/interop/import.js';
import { cli, tempDir, tempFile } from '../helpers.js';

const ABS2 = 'instances/abs-3-k2.json';
const abs2 = readInstance(ABS2);
const dump = (w1: string[], b1: string[], w2: string[], b2: string, l1 = 'fc1', l2 = 'fc2'): string =>
  `{"${l1}.weight": [${w1.map((w) => `[${w}]`).join(', ')}], "${l1}.bias": [${b1.join(', ')}], "${l2}.weight": [[${w2.join(', ')}]], "${l2}.bias": [${b2}]}`;
const importArgs = (file: string, inst = ABS2): string[] => ['import-weights', file, '--format', 'torch-json', '--instance', inst];

/** |x| / 3 on -1, 0, 1: needs weights +-1/3, which a float dump can only approximate. */
const third = tempFile('abs-third.json', {
  format: 'relucert-instance/1',
  name: 'abs-third',
  points: [['-1'], ['0'], ['1']],
  labels: ['1/3', '0', '1/3'],
  architecture: { hidden: 2, activation: 'relu', outputWeights: 'free', outputBias: false },
  loss: { type: 'exact' },
});

describe('torch-json: exact reading', () => {
  it('reads decimals exactly from their text (0.1 is 1/10, 1e-3 is 1/1000)', () => {
    const { network } = readTorchJson(dump(['0.1', '-1e-3'], ['0.0', '2.5E2'], ['1.0', '1'], '0'), 'd.json', abs2);
    const [hid] = network.layers;
    expect(hid!.weights.map((r) => r[0]!.toString())).toEqual(['1/10', '-1/1000']);
    expect(hid!.bias.map(String)).toEqual(['0', '250']);
  });
  it('reads numbers given as strings, including fractions', () => {
    const { network } = readTorchJson(dump(['"0.1"', '"-1/3"'], ['"1e-2"', '0'], ['1', '1'], '0'), 'd.json', abs2);
    expect(network.layers[0]!.weights.map((r) => r[0]!.toString())).toEqual(['1/10', '-1/3']);
    expect(network.layers[0]!.bias[0]!.toString()).toBe('1/100');
  });
  it('reads every decimal written as text exactly as parseRational does (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.integer({ min: 0, max: 12 }), (digits, places) => {
        const s = (digits < 0n ? -digits : digits).toString().padStart(places + 1, '0');
        const text = `${digits < 0n ? '-' : ''}${s.slice(0, s.length - places)}${places ? '.' + s.slice(s.length - places) : ''}`;
        const { network } = readTorchJson(dump([text, '1'], ['0', '0'], ['1', '1'], '0'), 'd.json', abs2);
        const w = network.layers[0]!.weights[0]![0]!;
        expect(w.eq(parseRational(text)!)).toBe(true);
        expect(w.eq(Q.of(digits, 10n ** BigInt(places)))).toBe(true);
      }),
    );
  });
  it('accepts nn.Sequential names (0 / 2), hidden / output, a module. prefix and a state_dict wrapper', () => {
    for (const text of [
      dump(['1', '-1'], ['0', '0'], ['1', '1'], '0', '0', '2'),
      dump(['1', '-1'], ['0', '0'], ['1', '1'], '0', 'hidden', 'output'),
      dump(['1', '-1'], ['0', '0'], ['1', '1'], '0', 'module.fc1', 'module.fc2'),
      dump(['1', '-1'], ['0', '0'], ['1', '1'], '0', 'net.0', 'net.2'),
      `{"state_dict": ${dump(['1', '-1'], ['0', '0'], ['1', '1'], '0')}}`,
    ]) {
      const { network } = readTorchJson(text, 'd.json', abs2);
      expect(
        network.layers[0]!.weights.map((r) => r[0]!.toString()),
        text,
      ).toEqual(['1', '-1']);
    }
  });
  it('a missing bias (bias=False) is 0 and says so', () => {
    const { network, notes } = readTorchJson('{"fc1.weight": [[1], [-1]], "fc2.weight": [[1, 1]]}', 'd.json', abs2);
    expect(network.layers[0]!.bias.map(String)).toEqual(['0', '0']);
    expect(notes.join('\n')).toContain('fc1.bias is absent');
  });
  it('takes the hidden activation from the instance', () => {
    const step = toInstance(
      { ...JSON.parse(readFileSync(ABS2, 'utf8')), architecture: { hidden: 2, activation: 'threshold', outputWeights: 'signs', outputBias: false } },
      's.json',
    );
    expect(readTorchJson(dump(['1', '-1'], ['0', '0'], ['1', '1'], '0'), 'd.json', step).network.layers[0]!.activation).toBe('threshold');
  });
});

describe('normalisation (L1)', () => {
  it('brings nonzero output weights to +-1 for signs and leaves f unchanged', () => {
    const { network } = readTorchJson(dump(['0.5', '-4'], ['0', '0'], ['2', '-0.25'], '0'), 'd.json', abs2);
    const { network: n, rescaled } = normalizeOutputWeights(abs2, network);
    expect(n.layers[1]!.weights[0]!.map(String)).toEqual(['1', '-1']);
    expect(n.layers[0]!.weights.map((r) => r[0]!.toString())).toEqual(['1', '-1']);
    expect(rescaled).toHaveLength(2);
  });
  it('a zero output weight becomes +1 with a zero unit', () => {
    const { network } = readTorchJson(dump(['3', '-1'], ['5', '0'], ['0', '1'], '0'), 'd.json', abs2);
    const { network: n } = normalizeOutputWeights(abs2, network);
    expect(n.layers[0]!.weights[0]![0]!.isZero() && n.layers[0]!.bias[0]!.isZero()).toBe(true);
    expect(n.layers[1]!.weights[0]![0]!.toString()).toBe('1');
  });
});

describe('relucert import-weights', () => {
  it('exit 0 when the dump fits exactly, after rescaling by L1', async () => {
    const r = await cli(...importArgs(tempFile('d.json', dump(['0.5', '-2.0'], ['0.0', '0.0'], ['2.0', '0.5'], '0.0'))));
    expect(r.code).toBe(0);
    expect(r.out).toContain('normalised unit 0: output weight 2 -> 1');
    expect(r.out).toContain('as read: FITS "abs-3-k2"');
  });
  it('--json reports the verdict and the network', async () => {
    const r = await cli(...importArgs(tempFile('d.json', dump(['1.0', '-1.0'], ['0.0', '0.0'], ['1.0', '1.0'], '0.0'))), '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      instance: 'abs-3-k2',
      fits: true,
      asRead: { loss: '0', architectureMismatches: [] },
      network: { format: 'relucert-network/1' },
    });
  });
  it('an approximate fit is rejected (exit 1) and repaired by --round, writing the network', async () => {
    const f = tempFile('d.json', dump(['0.99999997', '-1.0000001'], ['1e-8', '-2e-8'], ['1.0', '1.0'], '0.0'));
    const plain = await cli(...importArgs(f));
    expect(plain.code).toBe(1);
    expect(plain.out).toMatch(/as read: does NOT fit "abs-3-k2": exact loss 3/);
    const out = join(tempDir(), 'net.json');
    const rounded = await cli(...importArgs(f), '--round', '-o', out);
    expect(rounded.code).toBe(0);
    expect(rounded.out).toContain('rounded: denominators <= 1 (largest used 1), max change per weight 1/10000000');
    const ev = await cli('eval', ABS2, out, '--json');
    expect(JSON.parse(ev.out)).toMatchObject({ loss: '0', withinBound: true, matchesArchitecture: true });
  });
  it('--round climbs the denominators until one fits (1/3 needs a bound of 4)', async () => {
    const f = tempFile('d.json', dump(['0.33333334', '-0.3333333'], ['0', '0'], ['1', '1'], '0'));
    const r = await cli(...importArgs(f, third), '--round', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).rounding).toMatchObject({ tried: ['1', '2', '4'], found: { bound: '4', denominator: '3', fits: true } });
  });
  it('--round reports failure when no denominator up to --max-den fits (exit 1)', async () => {
    const f = tempFile('d.json', dump(['0.33333334', '-0.3333333'], ['0', '0'], ['1', '1'], '0'));
    const r = await cli(...importArgs(f, third), '--round', '--max-den', '2');
    expect(r.code).toBe(1);
    expect(r.out).toContain('rounded: no network with denominators <= 2 fits (tried bounds 1, 2)');
  });
  it('a dump that does not fit at all stays rejected with --round', async () => {
    const r = await cli(...importArgs(tempFile('d.json', dump(['1', '1'], ['0', '0'], ['1', '1'], '0'))), '--round', '--max-den', '8');
    expect(r.code).toBe(1);
  });
  it('reports architecture mismatches (wrong number of units) as does-not-fit', async () => {
    const r = await cli(...importArgs(tempFile('d.json', '{"fc1.weight": [[1]], "fc1.bias": [0], "fc2.weight": [[1]], "fc2.bias": [0]}')));
    expect(r.code).toBe(1);
    expect(r.out).toContain('1 hidden units, expected 2');
  });
  it('--format json reads a relucert-network/1 file', async () => {
    const r = await cli('import-weights', 'examples/abs-3-k2.network.json', '--format', 'json', '--instance', ABS2);
    expect(r.code).toBe(0);
  });
  it('denominator bounds are 1, 2, 4, ... then the maximum', () => {
    expect(denominatorBounds(1000n).map(Number)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000]);
    expect(denominatorBounds(1n).map(Number)).toEqual([1]);
  });
});

describe('relucert import-weights: bad input is one line naming the file and key, exit 2', () => {
  const cases: [string, string][] = [
    ['{"fc1.weight": [[1]]}', 'd.json: (top level): no two-layer MLP found'],
    ['{"fc1.weight": [["x"], [1]], "fc2.weight": [[1, 1]]}', 'fc1.weight[0][0]: not a number: "x"'],
    ['{"fc1.weight": [[NaN], [1]], "fc2.weight": [[1, 1]]}', 'fc1.weight[0][0]: NaN is not a finite number'],
    [
      '{"fc1.weight": [[1, 2], [1, 2]], "fc1.bias": [0, 0], "fc2.weight": [[1, 1]], "fc2.bias": [0]}',
      'fc1.weight: rows have 2 entries, the instance has dimension 1',
    ],
    ['{"fc1.weight": [[1], [1]], "fc1.bias": [0], "fc2.weight": [[1, 1]]}', 'fc1.bias: has 1 entries, expected 2'],
    ['{"fc1.weight": [[1], [1]], "fc2.weight": [[1, 1], [1, 1]]}', 'fc2.weight: has shape 2 x 2, expected 1 x 2'],
    ['{"fc1.weight": [[1], [1]], "fc2.weight": [[1, 1]], "fc3.weight": [[1]]}', 'fc3.weight: unexpected key'],
    ['{"fc1.weight": [[1], [1, 2]], "fc2.weight": [[1, 1]]}', 'fc1.weight[1]: has 2 entries, row 0 has 1'],
    ['{"fc1.weight": [[1]], "fc1.weight": [[2]]}', 'not valid JSON (line 1 column 23: duplicate key "fc1.weight")'],
    ['not json', 'not valid JSON (line 1 column 1: expected a value'],
    ['[1, 2]', '(top level): expected an object of tensors'],
  ];
  for (const [text, msg] of cases) {
    it(msg, async () => {
      const f = tempFile('d.json', text);
      const r = await cli(...importArgs(f));
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toContain(`relucert: ${f}: `);
      expect(r.err).toContain(msg.replace(/^d\.json: /, ''));
    });
  }
  it('unknown --format is a command-line error', async () => {
    const r = await cli('import-weights', 'x.json', '--format', 'keras', '--instance', ABS2);
    expect(r).toMatchObject({ code: 2, err: 'relucert: command line: --format: unknown format "keras" (known: json, torch-json, onnx, safetensors)\n' });
  });
  it('a missing file names it', async () => {
    const r = await cli(...importArgs('/nonexistent/d.json'));
    expect(r).toMatchObject({ code: 2, err: 'relucert: /nonexistent/d.json: no such file\n' });
  });
});
