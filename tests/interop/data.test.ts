import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Q } from '../../src/core/rational.js';
import { readInstance } from '../../src/format/schema.js';
import { readCsvData, readNpyData } from '../../src/interop/data.js';
import { exactOfDouble } from '../../src/interop/binary-numbers.js';
import { parseNpy } from '../../src/interop/npy.js';
import { cli, tempDir, tempFile } from '../helpers.js';
import { float32Bytes, float64Bytes, npyBytes } from './files.js';

const QUESTION = ['--hidden', '2', '--activation', 'relu', '--output-weights', 'signs', '--loss', 'exact'];

describe('CSV data, read exactly', () => {
  it('decimals, scientific notation and fractions are exact rationals', () => {
    const f = tempFile('d.csv', 'x1,x2,y\n0.1,1e-3,1\n-2.5E2,7/2,-1\n"3",  4 ,0.3333\n');
    const d = readCsvData(f, { label: 'y' });
    expect(d.points.map((p) => p.map(String))).toEqual([
      ['1/10', '1/1000'],
      ['-250', '7/2'],
      ['3', '4'],
    ]);
    expect(d.labels.map(String)).toEqual(['1', '-1', '3333/10000']);
  });
  it('--columns picks and orders the features; the label may be any column', () => {
    const f = tempFile('d.csv', 'id,y,a,b\n7,1,2,3\n8,0,4,5\n');
    const d = readCsvData(f, { label: 'y', columns: ['b', 'a'] });
    expect(d.points.map((p) => p.map(String))).toEqual([
      ['3', '2'],
      ['5', '4'],
    ]);
    expect(readCsvData(f, { label: 'y' }).points[0]!.map(String)).toEqual(['7', '2', '3']);
  });
  it('quoted fields, a byte order mark, CRLF, empty lines, other delimiters, no header', () => {
    const f = tempFile('d.csv', '\uFEFF"x";"y"\r\n"1,5";2\r\n\r\n3;4\r\n');
    expect(() => readCsvData(f, { label: 'y', delimiter: ';' })).toThrow('line 2, column "x": not an exact number: "1,5"');
    const g = tempFile('d.csv', '\uFEFFx;y\r\n1.5;2\r\n\r\n3;4\r\n');
    expect(readCsvData(g, { label: 'y', delimiter: ';' }).points.map((p) => p.map(String))).toEqual([['3/2'], ['3']]);
    const h = tempFile('d.csv', '1,2,3\n4,5,6\n');
    const d = readCsvData(h, { label: '3', header: false });
    expect(d.points.map((p) => p.map(String))).toEqual([
      ['1', '2'],
      ['4', '5'],
    ]);
    expect(d.labels.map(String)).toEqual(['3', '6']);
  });
  it('any decimal text reads as the rational of its digits (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: -20, max: 20 }),
        (digits, point, exp) => {
          const s = digits.toString().replace('-', '');
          const padded = s.padStart(point + 1, '0');
          const text = `${digits < 0n ? '-' : ''}${padded.slice(0, padded.length - point)}${point ? `.${padded.slice(padded.length - point)}` : ''}e${exp}`;
          const f = tempFile('d.csv', `x,y\n${text},0\n`);
          const expected = Q.of(digits, 10n ** BigInt(point)).mul(exp >= 0 ? Q.of(10n ** BigInt(exp)) : Q.of(1n, 10n ** BigInt(-exp)));
          expect(readCsvData(f, { label: 'y' }).points[0]![0]!.eq(expected)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('NumPy .npy data, read exactly from the bits', () => {
  it('float64, float32, integers, both byte orders, Fortran order, version 2', () => {
    const x = parseNpy(npyBytes('<f8', [2, 2], float64Bytes([0.1, -2, 3.5, 1e-300])), 'X.npy');
    expect(x.shape).toEqual([2, 2]);
    expect(x.data.map(String)).toEqual([0.1, -2, 3.5, 1e-300].map((v) => String(exactOfDouble(v))));
    const f32 = parseNpy(npyBytes('<f4', [2], float32Bytes([0.1, 0.5])), 'f.npy');
    expect(f32.data.map(String)).toEqual(['13421773/134217728', '1/2']);
    const be = parseNpy(npyBytes('>f8', [1], float64Bytes([-0.75], false)), 'b.npy');
    expect(be.data.map(String)).toEqual(['-3/4']);
    const ints = parseNpy(npyBytes('<i8', [3], new Uint8Array(new BigInt64Array([-1n, 5n, 2n ** 62n]).buffer), { version: 2 }), 'i.npy');
    expect(ints.data.map(String)).toEqual(['-1', '5', String(2n ** 62n)]);
    const u1 = parseNpy(npyBytes('|u1', [2], Uint8Array.from([255, 0])), 'u.npy');
    expect(u1.data.map(String)).toEqual(['255', '0']);
    // column-major [[1, 2, 3], [4, 5, 6]] is stored 1 4 2 5 3 6
    const fo = parseNpy(npyBytes('<f8', [2, 3], float64Bytes([1, 4, 2, 5, 3, 6]), { fortran: true }), 'fo.npy');
    expect(fo.data.map(String)).toEqual(['1', '2', '3', '4', '5', '6']);
  });
  it('points (n x d or n) and labels (n or n x 1)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'X.npy'), npyBytes('<f8', [3], float64Bytes([-1, 0, 1])));
    writeFileSync(join(dir, 'y.npy'), npyBytes('<f8', [3, 1], float64Bytes([1, 0, 1])));
    const d = readNpyData(join(dir, 'X.npy'), join(dir, 'y.npy'));
    expect(d.points.map((p) => p.map(String))).toEqual([['-1'], ['0'], ['1']]);
    expect(d.labels.map(String)).toEqual(['1', '0', '1']);
  });
  const bad: [string, Uint8Array, string][] = [
    ['NaN names the index', npyBytes('<f8', [2, 2], float64Bytes([1, 2, NaN, 4])), 'X.npy: [1][0]: NaN is not a finite number'],
    ['-Infinity in float32', npyBytes('<f4', [3], float32Bytes([1, -Infinity, 0])), 'X.npy: [1]: -Infinity is not a finite number'],
    ['not npy', new TextEncoder().encode('x,y\n1,2\n'), 'X.npy: not a NumPy .npy file'],
    ['short data', npyBytes('<f8', [2, 2], float64Bytes([1, 2, 3])), 'X.npy: data: has 24 bytes; shape (2, 2) of <f8 needs 32'],
    ['booleans', npyBytes('|b1', [2], Uint8Array.from([1, 0])), "X.npy: descr: '|b1': booleans are not numbers relucert reads"],
    ['complex', npyBytes('<c16', [1], new Uint8Array(16)), "X.npy: descr: '<c16': complex numbers"],
    ['structured', npyBytes('', [1], new Uint8Array(8), { header: "{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,), }" }), 'structured arrays'],
    [
      'unknown key',
      npyBytes('', [1], new Uint8Array(8), { header: "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': 1}" }),
      "X.npy: header: unknown key 'x'",
    ],
    [
      'bad shape',
      npyBytes('', [1], new Uint8Array(8), { header: "{'descr': '<f8', 'fortran_order': False, 'shape': (-1,)}" }),
      'X.npy: header: expected a non-negative integer',
    ],
    ['long double', npyBytes('<f16', [1], new Uint8Array(16)), "X.npy: descr: '<f16': not a supported element type"],
  ];
  for (const [what, bytes, msg] of bad) {
    it(`refuses ${what}`, () => {
      expect(() => parseNpy(bytes, 'X.npy')).toThrow(msg);
    });
  }
  it('a truncated header is refused, not read past the end', () => {
    const full = npyBytes('<f8', [1], float64Bytes([1]));
    for (const cut of [3, 9, 20, 60]) expect(() => parseNpy(full.subarray(0, cut), 'X.npy')).toThrow(/X\.npy/);
  });
  it('random float64 arrays round-trip exactly (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 12 }), (xs) => {
        const t = parseNpy(npyBytes('<f8', [xs.length], float64Bytes(xs)), 'X.npy');
        expect(t.data).toEqual(xs.map(exactOfDouble));
      }),
      { numRuns: 100 },
    );
  });
});

describe('relucert instance', () => {
  it('--from-csv writes an instance that solve reads, with the question asked', async () => {
    const dir = tempDir();
    const csv = join(dir, 'abs.csv');
    writeFileSync(csv, 'x,y\n-1,1\n0,0\n1,1\n');
    const out = join(dir, 'abs.json');
    const r = await cli('instance', '--from-csv', csv, '--label', 'y', ...QUESTION, '-o', out);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toBe(`wrote ${out}: "abs": 2 relu units, output weights signs, no output bias; zero error on 3 points in dimension 1\n`);
    const inst = readInstance(out);
    expect(inst.points.map((p) => p.map(String))).toEqual([['-1'], ['0'], ['1']]);
    const s = await cli('solve', out);
    expect(s.code).toBe(10);
  });
  it('--from-npy with the loss options, a fixed output-weight list and --output-bias', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'X.npy'), npyBytes('<f4', [2, 2], float32Bytes([0.5, 0.25, 1, -1])));
    writeFileSync(join(dir, 'y.npy'), npyBytes('<i4', [2], new Uint8Array(new Int32Array([1, -1]).buffer)));
    const out = join(dir, 'i.json');
    const r = await cli(
      'instance',
      '--from-npy',
      join(dir, 'X.npy'),
      '--labels',
      join(dir, 'y.npy'),
      '--hidden',
      '2',
      '--activation',
      'threshold',
      '--output-weights',
      '1,-1/2',
      '--output-bias',
      '--loss',
      'l1',
      '--bound',
      '0.5',
      '--strict',
      '--name',
      'np',
      '-o',
      out,
      '--json',
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ written: out, name: 'np', points: 2, dimension: 2 });
    const inst = readInstance(out);
    expect(inst.points.map((p) => p.map(String))).toEqual([
      ['1/2', '1/4'],
      ['1', '-1'],
    ]);
    expect(inst.architecture).toMatchObject({ activation: 'threshold', outputBias: true, outputWeights: { mode: 'fixed' } });
    expect(inst.loss).toMatchObject({ type: 'l1', strict: true });
    expect(String((inst.loss as { bound: Q }).bound)).toBe('1/2');
  });
  const csvText = 'x,y\n1,1\n2,nan\n3,1\n';
  const bad: [string, string[], string][] = [
    ['a non-number names line and column', ['--label', 'y'], 'd.csv: line 3, column "y": not an exact number: "nan"'],
    ['an unknown label column', ['--label', 'z'], 'command line: --label: '],
    ['an unknown feature column', ['--label', 'y', '--columns', 'x,w'], 'command line: --columns: '],
  ];
  for (const [what, args, msg] of bad) {
    it(`bad input: ${what}`, async () => {
      const dir = tempDir();
      const f = join(dir, 'd.csv');
      writeFileSync(f, csvText);
      const out = join(dir, 'out.json');
      const r = await cli('instance', '--from-csv', f, ...args, ...QUESTION, '-o', out);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toContain(msg);
      expect(existsSync(out)).toBe(false);
    });
  }
  const options: [string, string[], string][] = [
    ['l1 without a bound', ['--hidden', '1', '--activation', 'relu', '--output-weights', 'signs', '--loss', 'l1'], 'command line: --bound: missing'],
    [
      'a bound for exact loss',
      ['--hidden', '1', '--activation', 'relu', '--output-weights', 'signs', '--loss', 'exact', '--bound', '1'],
      'command line: --bound: not part of this question',
    ],
    ['an unknown loss', ['--hidden', '1', '--activation', 'relu', '--output-weights', 'signs', '--loss', 'l3'], 'command line: --loss: '],
    ['an unknown activation', ['--hidden', '1', '--activation', 'gelu', '--output-weights', 'signs', '--loss', 'exact'], 'command line: --activation: '],
    [
      'a slope of 1',
      ['--hidden', '1', '--activation', 'leaky-relu', '--slope', '1', '--output-weights', 'signs', '--loss', 'exact'],
      'command line: --slope: slope must be a rational in [0, 1)',
    ],
    [
      'leaky-relu without --slope',
      ['--hidden', '1', '--activation', 'leaky-relu', '--output-weights', 'signs', '--loss', 'exact'],
      'command line: --slope: missing: leaky-relu needs a slope',
    ],
    [
      'a slope for relu',
      ['--hidden', '1', '--activation', 'relu', '--slope', '1/2', '--output-weights', 'signs', '--loss', 'exact'],
      'command line: --slope: only a leaky-relu has a slope',
    ],
    [
      'a negative weight bound',
      ['--hidden', '1', '--activation', 'relu', '--weight-bound', '-1', '--output-weights', 'signs', '--loss', 'exact'],
      'command line: --weight-bound: weightBound must be > 0',
    ],
    ['too many hidden units', ['--hidden', '65', '--activation', 'relu', '--output-weights', 'signs', '--loss', 'exact'], 'command line: --hidden: '],
    [
      'a fixed list of the wrong length',
      ['--hidden', '2', '--activation', 'relu', '--output-weights', '1', '--loss', 'exact'],
      'command line: --output-weights: has 1 entry for 2 hidden units',
    ],
    [
      'classification labels not +-1',
      ['--hidden', '1', '--activation', 'relu', '--output-weights', 'signs', '--loss', 'classification'],
      'd.csv: line 3, column "y": classification labels must be 1 or -1, got 2',
    ],
  ];
  for (const [what, args, msg] of options) {
    it(`bad option: ${what}`, async () => {
      const dir = tempDir();
      const f = join(dir, 'd.csv');
      writeFileSync(f, 'x,y\n1,1\n2,2\n');
      const out = join(dir, 'out.json');
      const r = await cli('instance', '--from-csv', f, '--label', 'y', ...args, '-o', out);
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toContain(msg);
      expect(existsSync(out)).toBe(false);
    });
  }
  it('bad CSV files: ragged lines, unclosed quotes, repeated names, no data', async () => {
    const cases: [string, string][] = [
      ['x,y\n1,2\n3\n', 'line 3: has 1 fields, the header has 2'],
      ['x,y\n1,"2\n', 'not valid CSV (Quote Not Closed'],
      ['x,x,y\n1,2,3\n', 'line 1: column name "x" appears twice'],
      ['x,y\n', 'has a header but no data lines'],
      ['', 'is empty'],
      ['x,y\n1,\n', 'line 2, column "y": empty'],
    ];
    for (const [text, msg] of cases) {
      const f = tempFile('d.csv', text);
      const r = await cli('instance', '--from-csv', f, '--label', 'y', ...QUESTION, '-o', join(tempDir(), 'o.json'));
      expect(r.code, text).toBe(2);
      expect(r.err).toContain(`relucert: ${f}: `);
      expect(r.err).toContain(msg);
    }
  });
  it('data sources: exactly one, with its own options', async () => {
    const o = ['-o', join(tempDir(), 'o.json'), ...QUESTION];
    expect((await cli('instance', ...o)).err).toContain('--from-csv, --from-npy: give exactly one data source');
    expect((await cli('instance', '--from-csv', 'a.csv', ...o)).err).toContain('--label: missing');
    expect((await cli('instance', '--from-npy', 'X.npy', ...o)).err).toContain('--labels: missing');
    expect((await cli('instance', '--from-npy', 'X.npy', '--labels', 'y.npy', '--label', 'y', ...o)).err).toContain('--label: goes with --from-csv');
    expect((await cli('instance', '--from-npy', '/nonexistent/X.npy', '--labels', 'y.npy', ...o)).err).toBe('relucert: /nonexistent/X.npy: no such file\n');
  });
  it('npy shapes must agree', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'X.npy'), npyBytes('<f8', [2, 1], float64Bytes([1, 2])));
    writeFileSync(join(dir, 'y.npy'), npyBytes('<f8', [3], float64Bytes([1, 2, 3])));
    writeFileSync(join(dir, 'y2.npy'), npyBytes('<f8', [2, 2], float64Bytes([1, 2, 3, 4])));
    const o = ['-o', join(dir, 'o.json'), ...QUESTION];
    expect((await cli('instance', '--from-npy', join(dir, 'X.npy'), '--labels', join(dir, 'y.npy'), ...o)).err).toContain('y.npy: shape: has 3 labels, ');
    expect((await cli('instance', '--from-npy', join(dir, 'X.npy'), '--labels', join(dir, 'y2.npy'), ...o)).err).toContain(
      'y2.npy: shape: is 2 x 2; labels must be',
    );
  });
});

describe('examples/interop: files written by NumPy and PyTorch (scripts/make-interop-examples.py)', () => {
  const QUESTION_ABS = ['--hidden', '2', '--activation', 'relu', '--output-weights', 'signs', '--loss', 'exact'];
  it('the CSV and the NumPy arrays hold the same points; float32 0.1 is not 1/10', async () => {
    const dir = tempDir();
    await cli('instance', '--from-csv', 'examples/interop/abs.csv', '--label', 'y', ...QUESTION_ABS, '-o', join(dir, 'csv.json'));
    await cli('instance', '--from-npy', 'examples/interop/X.npy', '--labels', 'examples/interop/y.npy', ...QUESTION_ABS, '-o', join(dir, 'npy.json'));
    const fromCsv = readInstance(join(dir, 'csv.json'));
    const fromNpy = readInstance(join(dir, 'npy.json'));
    expect(fromCsv.labels.map(String)).toEqual(['1', '1/2', '0', '1/10', '1']);
    expect(fromNpy.labels.map(String)).toEqual(['1', '1/2', '0', '13421773/134217728', '1']); // float32
    expect(fromNpy.points[3]!.map(String)).toEqual(['3602879701896397/36028797018963968']); // float64
    expect(fromCsv.points.map((p) => p.map(String))).toEqual([['-1'], ['-1/2'], ['0'], ['1/10'], ['1']]);
  });
  it('the PyTorch ONNX export and the safetensors state dict fit |x| exactly, and eval shows where float32 labels differ', async () => {
    const dir = tempDir();
    await cli('instance', '--from-csv', 'examples/interop/abs.csv', '--label', 'y', ...QUESTION_ABS, '-o', join(dir, 'csv.json'));
    await cli('instance', '--from-npy', 'examples/interop/X.npy', '--labels', 'examples/interop/y.npy', ...QUESTION_ABS, '-o', join(dir, 'npy.json'));
    for (const [f, format] of [
      ['examples/interop/abs-k2.onnx', 'onnx'],
      ['examples/interop/abs-k2.safetensors', 'safetensors'],
    ]) {
      const r = await cli('import-weights', f!, '--format', format!, '--instance', join(dir, 'csv.json'));
      expect(r.code, r.out + r.err).toBe(0);
      expect(r.out).toContain('as read: FITS "abs": exact loss 0');
      const e = await cli('eval', join(dir, 'npy.json'), f!, '--json');
      expect(e.code).toBe(1);
      expect(JSON.parse(e.out)).toMatchObject({ loss: '1', violations: [3] });
    }
  });
});
