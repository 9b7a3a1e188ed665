import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readInstance } from '../../src/format/schema.js';
import { exactOfDouble } from '../../src/interop/binary-numbers.js';
import { importWeights } from '../../src/interop/import.js';
import { parseSafetensors } from '../../src/interop/safetensors.js';
import { cli, tempDir } from '../helpers.js';
import { type SafeTensor, float32Bytes, float64Bytes, safetensorsBytes } from './files.js';

const ABS2 = 'instances/abs-3-k2.json';
const f32 = (name: string, shape: number[], values: number[]): SafeTensor => ({ name, dtype: 'F32', shape, bytes: float32Bytes(values) });
const ABS_TENSORS = [f32('0.weight', [2, 1], [2, -0.25]), f32('0.bias', [2], [0, 0]), f32('2.weight', [1, 2], [0.5, 4]), f32('2.bias', [1], [0])];

function file(bytes: Uint8Array, name = 'm.safetensors'): string {
  const f = join(tempDir(), name);
  writeFileSync(f, bytes);
  return f;
}

describe('safetensors in', () => {
  it('the file PyTorch-style names describe, exactly; fits after the L1 rescaling', async () => {
    const f = file(safetensorsBytes(ABS_TENSORS, { format: 'pt' }));
    const r = await cli('import-weights', f, '--format', 'safetensors', '--instance', ABS2);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toContain(`${f}: read 0.weight (2 x 1), 0.bias, 2.weight (1 x 2), 2.bias; hidden activation relu (from the instance), output identity`);
    expect(r.out).toContain('metadata: format="pt"');
    expect(r.out).toContain('as read: FITS "abs-3-k2"');
    expect((await cli('eval', ABS2, f)).code).toBe(0);
  });
  it('every float type and integer type, in any tensor order', () => {
    const t = parseSafetensors(
      safetensorsBytes([
        { name: 'h', dtype: 'F16', shape: [2], bytes: Uint8Array.from([0x00, 0x3c, 0x55, 0x35]) },
        { name: 'b', dtype: 'BF16', shape: [1], bytes: Uint8Array.from([0x49, 0x40]) },
        { name: 'd', dtype: 'F64', shape: [1, 1], bytes: float64Bytes([0.1]) },
        { name: 'i', dtype: 'I8', shape: [2], bytes: Uint8Array.from([0xff, 7]) },
        { name: 'u', dtype: 'U16', shape: [], bytes: Uint8Array.from([0x01, 0x01]) },
      ]),
      'm.safetensors',
    ).tensors;
    expect(t.get('h')!.data.map(String)).toEqual(['1', '1365/4096']);
    expect(t.get('b')!.data.map(String)).toEqual(['201/64']);
    expect(t.get('d')!).toEqual({ shape: [1, 1], data: [exactOfDouble(0.1)] });
    expect(t.get('i')!.data.map(String)).toEqual(['-1', '7']);
    expect(t.get('u')!).toMatchObject({ shape: [] });
    expect(t.get('u')!.data.map(String)).toEqual(['257']);
  });
  it('--tensors names them; an empty bias name means no bias', async () => {
    const f = file(safetensorsBytes([f32('enc.w', [2, 1], [1, -1]), f32('dec.w', [2], [1, 1])]));
    const inst = readInstance(ABS2);
    const rep = importWeights(f, 'safetensors', inst, { tensors: { hiddenWeight: 'enc.w', hiddenBias: '', outputWeight: 'dec.w', outputBias: '' } });
    expect(rep.fits).toBe(true);
    expect(rep.notes.join('\n')).toContain('dec.w is a vector; read as a 1 x 2 matrix');
    const r = await cli('eval', ABS2, f, '--tensors', 'enc.w,,dec.w,');
    expect(r.code, r.err).toBe(0);
    const missing = await cli('eval', ABS2, f);
    expect(missing.err).toContain('(top level): no two-layer MLP found');
    expect((await cli('eval', ABS2, f, '--tensors', 'a,b')).err).toBe(
      'relucert: command line: --tensors: expected 4 comma-separated names W1,b1,W2,b2 (a bias may be empty), got "a,b"\n',
    );
    expect((await cli('eval', ABS2, f, '--tensors', 'x.w,,dec.w,')).err).toContain('enc.w: unexpected tensor');
  });
  it('the header and data of any well-formed file read back exactly (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 10 }), (xs) => {
        const t = parseSafetensors(safetensorsBytes([{ name: 'w', dtype: 'F64', shape: [xs.length], bytes: float64Bytes(xs) }]), 'm.safetensors');
        expect(t.tensors.get('w')!.data).toEqual(xs.map(exactOfDouble));
      }),
      { numRuns: 100 },
    );
  });
});

describe('safetensors in: malformed files are one line naming the file and the tensor or field', () => {
  const header = (h: unknown, data: Uint8Array = new Uint8Array(0)): Uint8Array => concatHeader(JSON.stringify(h), data);
  const cases: [string, Uint8Array, string][] = [
    ['too short', Uint8Array.from([1, 2, 3]), 'not a safetensors file (3 bytes'],
    [
      'a header length past the end',
      Uint8Array.from([200, 0, 0, 0, 0, 0, 0, 0, 123]),
      'header: not a safetensors file: the header length 200 exceeds the 1 bytes after it',
    ],
    ['a header that is not JSON', concatHeader('{"a": ', new Uint8Array(0)), 'header: not valid JSON'],
    [
      'a repeated key',
      concatHeader(
        '{"w": {"dtype": "F32", "shape": [], "data_offsets": [0, 4]}, "w": {"dtype": "F32", "shape": [], "data_offsets": [0, 4]}}',
        new Uint8Array(4),
      ),
      'header: repeated key "w"',
    ],
    ['NaN names the tensor and index', safetensorsBytes([f32('w', [2, 2], [1, 2, 3, NaN])]), 'w[1][1]: NaN is not a finite number'],
    [
      'an unknown dtype',
      header({ w: { dtype: 'F8_E4M3', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1)),
      'w.dtype: "F8_E4M3" is not a number type relucert reads',
    ],
    ['BOOL', header({ w: { dtype: 'BOOL', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1)), 'w.dtype: "BOOL" is not a number type'],
    [
      'offsets that do not match the shape',
      header({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, new Uint8Array(4)),
      'w: data_offsets [0, 4] hold 4 bytes; a vector of 2 of float32 needs 8',
    ],
    [
      'offsets past the data',
      header({ w: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, new Uint8Array(2)),
      'w: data_offsets end at 4, after the 2 bytes of data',
    ],
    [
      'overlapping tensors',
      header({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, new Uint8Array(4)),
      "b: data_offsets overlap another tensor's (begin 0 < 4)",
    ],
    ['a hole', header({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, new Uint8Array(8)), 'a: data_offsets leave a hole of 4 bytes'],
    ['trailing bytes', header({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, new Uint8Array(6)), 'data: has 2 bytes after the last tensor'],
    ['an unknown field', header({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4], scale: 1 } }, new Uint8Array(4)), 'a: unknown field "scale"'],
    [
      'a negative dimension',
      header({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, new Uint8Array(4)),
      'a.shape[0]: must be a non-negative integer',
    ],
    ['metadata that is not strings', header({ __metadata__: { a: 1 } }), '__metadata__.a: must be a string'],
  ];
  for (const [what, bytes, msg] of cases) {
    it(what, async () => {
      const f = file(bytes);
      const r = await cli('import-weights', f, '--format', 'safetensors', '--instance', ABS2);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toContain(`relucert: ${f}: ${msg}`);
    });
  }
  const shapes: [string, SafeTensor[], string][] = [
    [
      'a wrong input dimension',
      [f32('0.weight', [2, 2], [1, 1, 1, 1]), f32('2.weight', [1, 2], [1, 1])],
      '0.weight: rows have 2 entries, the instance has dimension 1',
    ],
    [
      'a hidden weight that is a vector',
      [f32('0.weight', [2], [1, 1]), f32('2.weight', [1, 2], [1, 1])],
      '0.weight: is a vector of 2, expected a non-empty matrix',
    ],
    [
      'a wrong bias length',
      [f32('0.weight', [2, 1], [1, 1]), f32('0.bias', [3], [0, 0, 0]), f32('2.weight', [1, 2], [1, 1])],
      '0.bias: has 3 entries, expected 2',
    ],
    ['two outputs', [f32('0.weight', [2, 1], [1, 1]), f32('2.weight', [2, 2], [1, 1, 1, 1])], '2.weight: has shape 2 x 2, expected 1 x 2'],
    [
      'a third layer',
      [f32('0.weight', [2, 1], [1, 1]), f32('2.weight', [2, 2], [1, 1, 1, 1]), f32('4.weight', [1, 2], [1, 1])],
      '4.weight: unexpected tensor: a two-layer MLP has only 0.weight, 0.bias, 2.weight, 2.bias',
    ],
    [
      'an extra tensor',
      [...ABS_TENSORS, f32('bn.running_mean', [2], [0, 0])],
      'bn.running_mean: unexpected tensor: a two-layer MLP has only 0.weight, 0.bias, 2.weight, 2.bias',
    ],
  ];
  for (const [what, tensors, msg] of shapes) {
    it(what, async () => {
      const f = file(safetensorsBytes(tensors));
      const r = await cli('import-weights', f, '--format', 'safetensors', '--instance', ABS2);
      expect(r.code).toBe(2);
      expect(r.err.startsWith(`relucert: ${f}: ${msg}`)).toBe(true);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    });
  }
  it('random bytes never crash the reader', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => {
        try {
          parseSafetensors(bytes, 'm.safetensors');
        } catch (e) {
          expect((e as Error).name).toBe('InputError');
        }
      }),
      { numRuns: 300 },
    );
  });
});

function concatHeader(text: string, data: Uint8Array): Uint8Array {
  const h = new TextEncoder().encode(text);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}
