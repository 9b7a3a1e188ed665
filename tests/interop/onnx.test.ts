import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import onnxProto from 'onnx-proto';
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/core/evaluate.js';
import { Q } from '../../src/core/rational.js';
import type { Layer, LayerActivation, Network } from '../../src/core/types.js';
import { readInstance, readNetwork } from '../../src/format/schema.js';
import { exactOfDouble, toFloat64 } from '../../src/interop/binary-numbers.js';
import { parseRational as exactDecimal } from '../../src/core/rational.js';
import { networkToOnnx, parseOnnx } from '../../src/interop/onnx.js';
import { cli, tempDir } from '../helpers.js';
import { float32Bytes, float64Bytes } from './files.js';

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const DOUBLE = onnx.TensorProto.DataType.DOUBLE;

/** Runs an ONNX model on points with onnxruntime-node; returns the first output column. */
async function runOnnx(bytes: Uint8Array, points: readonly (readonly number[])[], type: 'float64' | 'float32' = 'float64'): Promise<number[]> {
  const session = await ort.InferenceSession.create(bytes);
  const d = points[0]!.length;
  const flat = points.flat();
  const x = new ort.Tensor(type, type === 'float64' ? Float64Array.from(flat) : Float32Array.from(flat), [points.length, d]);
  const out = await session.run({ [session.inputNames[0]!]: x });
  const y = out[session.outputNames[0]!]!;
  return Array.from(y.data as Float64Array | Float32Array, Number);
}

/** max |a - b| / (1 + |b|) */
function relativeGap(a: readonly number[], b: readonly number[]): number {
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!) / (1 + Math.abs(b[i]!))), 0);
}

const exactOutputs = (net: Network, points: Q[][]): number[] => points.map((p) => toFloat64(evaluate(net, p)[0]!).value);

// ---------------------------------------------------------------- arbitraries

const quarter = fc.integer({ min: -12, max: 12 }).map((v) => Q.of(v, 4));
const anyRational = fc.tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: 1, max: 30 })).map(([n, d]) => Q.of(n, d));

function twoLayer(weight: fc.Arbitrary<Q>, activations: LayerActivation[]): fc.Arbitrary<{ net: Network; points: Q[][] }> {
  return fc
    .record({ d: fc.integer({ min: 1, max: 3 }), k: fc.integer({ min: 1, max: 4 }), n: fc.integer({ min: 1, max: 6 }), act: fc.constantFrom(...activations) })
    .chain(({ d, k, n, act }) =>
      fc.record({
        w: fc.array(fc.array(weight, { minLength: d, maxLength: d }), { minLength: k, maxLength: k }),
        b: fc.array(weight, { minLength: k, maxLength: k }),
        a: fc.array(weight, { minLength: k, maxLength: k }),
        c: weight,
        points: fc.array(fc.array(quarter, { minLength: d, maxLength: d }), { minLength: n, maxLength: n }),
        act: fc.constant(act),
        // a leaky ReLU's slope: float32 numbers, so that the exported alpha is exact (0 would read back as relu)
        slope: fc.constantFrom(Q.of(1, 4), Q.of(1, 8), Q.of(3, 4)),
      }),
    )
    .map(({ w, b, a, c, points, act, slope }) => ({
      net: {
        layers: [
          { activation: act, ...(act === 'leaky-relu' ? { slope } : {}), weights: w, bias: b },
          { activation: 'identity', weights: [a], bias: [c] },
        ] as Layer[],
      },
      points,
    }));
}

// ---------------------------------------------------------------- building models by hand (as other exporters write them)

interface Built {
  nodes: onnxProto.onnx.INodeProto[];
  inits: onnxProto.onnx.ITensorProto[];
  inputs?: string[];
  outputs?: string[];
  opset?: number;
}

function build(b: Built): Uint8Array {
  const vi = (name: string): onnxProto.onnx.IValueInfoProto => ({
    name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimParam: 'batch' }, {}] } } },
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'test',
    opsetImport: [{ domain: '', version: b.opset ?? 13 }],
    graph: { name: 'g', node: b.nodes, initializer: b.inits, input: (b.inputs ?? ['input']).map(vi), output: (b.outputs ?? ['output']).map(vi) },
  });
  return onnx.ModelProto.encode(model).finish();
}

const f32raw = (name: string, dims: number[], values: number[]): onnxProto.onnx.ITensorProto => ({
  name,
  dims,
  dataType: FLOAT,
  rawData: float32Bytes(values),
});
const f32data = (name: string, dims: number[], values: number[]): onnxProto.onnx.ITensorProto => ({ name, dims, dataType: FLOAT, floatData: values });
const f64raw = (name: string, dims: number[], values: number[]): onnxProto.onnx.ITensorProto => ({
  name,
  dims,
  dataType: DOUBLE,
  rawData: float64Bytes(values),
});
const INT = onnx.AttributeProto.AttributeType.INT;
const FLOAT_ATTR = onnx.AttributeProto.AttributeType.FLOAT;

/** What torch.onnx.export writes for nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)). */
function torchStyle(
  act: onnxProto.onnx.INodeProto[] = [{ name: '/1/Relu', opType: 'Relu', input: ['/0/Gemm_output_0'], output: ['/1/Relu_output_0'] }],
): Built {
  return {
    nodes: [
      {
        name: '/0/Gemm',
        opType: 'Gemm',
        input: ['input', '0.weight', '0.bias'],
        output: ['/0/Gemm_output_0'],
        attribute: [
          { name: 'alpha', type: FLOAT_ATTR, f: 1 },
          { name: 'beta', type: FLOAT_ATTR, f: 1 },
          { name: 'transB', type: INT, i: 1 },
        ],
      },
      ...act,
      {
        name: '/2/Gemm',
        opType: 'Gemm',
        input: [act.length ? act[act.length - 1]!.output![0]! : '/0/Gemm_output_0', '2.weight', '2.bias'],
        output: ['output'],
        attribute: [{ name: 'transB', type: INT, i: 1 }],
      },
    ],
    inits: [
      f32raw('0.weight', [3, 2], [0.1, -0.5, 1.25, 2, -1, 0.3]),
      f32raw('0.bias', [3], [0.2, -0.7, 0]),
      f32raw('2.weight', [1, 3], [1, -0.4, 0.9]),
      f32raw('2.bias', [1], [0.05]),
    ],
  };
}

const POINTS: number[][] = [
  [0, 0],
  [1, -1],
  [-2, 0.5],
  [0.25, 3],
  [1.5, 1.5],
];

describe('ONNX out: onnxruntime-node runs the exported model and reproduces the exact outputs', () => {
  it('dyadic weights: every float operation is exact, so the outputs are equal (relu, leaky-relu and threshold)', async () => {
    await fc.assert(
      fc.asyncProperty(twoLayer(quarter, ['relu', 'threshold', 'leaky-relu']), async ({ net, points }) => {
        const { bytes, rounding } = networkToOnnx(net, 'net');
        expect(rounding.rounded).toBe(0);
        const got = await runOnnx(
          bytes,
          points.map((p) => p.map((v) => v.toNumber())),
        );
        expect(got).toEqual(exactOutputs(net, points));
      }),
      { numRuns: 25 },
    );
  });
  it('any rational weights (relu): rounded to float64, reported, and within float tolerance', async () => {
    await fc.assert(
      fc.asyncProperty(twoLayer(anyRational, ['relu']), async ({ net, points }) => {
        const { bytes, rounding } = networkToOnnx(net, 'net');
        const notDyadic = net.layers.flatMap((l) => [...l.weights.flat(), ...l.bias]).filter((v) => !toFloat64(v).exact).length;
        expect(rounding.rounded).toBe(notDyadic);
        expect(rounding.maxChange.le(Q.of(1, 2 ** 40))).toBe(true);
        const got = await runOnnx(
          bytes,
          points.map((p) => p.map((v) => v.toNumber())),
        );
        expect(relativeGap(got, exactOutputs(net, points))).toBeLessThan(1e-9);
      }),
      { numRuns: 25 },
    );
  });
  it('a deep teacher network (any depth) exports and runs', async () => {
    const net = readNetwork('examples/learn/teacher.teacher.json');
    const inst = readInstance('examples/learn/teacher.json');
    const pts = inst.points.slice(0, 20);
    const got = await runOnnx(
      networkToOnnx(net, 'teacher').bytes,
      pts.map((p) => p.map((v) => v.toNumber())),
    );
    expect(relativeGap(got, exactOutputs(net, pts))).toBeLessThan(1e-9);
  });
  it('relucert solve --onnx-out: the witness runs in onnxruntime and fits the instance points', async () => {
    const dir = tempDir();
    for (const name of ['abs-3-k2', 'xor-threshold-k2', 'xor-relu-k2-exact']) {
      const file = join(dir, `${name}.onnx`);
      const r = await cli('solve', `instances/${name}.json`, '--onnx-out', file);
      expect(r.code, r.err).toBe(10);
      expect(r.out).toContain(`  onnx: ${file}\n`);
      const inst = readInstance(`instances/${name}.json`);
      const got = await runOnnx(
        readFileSync(file),
        inst.points.map((p) => p.map((v) => v.toNumber())),
      );
      expect(
        relativeGap(
          got,
          inst.labels.map((y) => y.toNumber()),
        ),
      ).toBeLessThan(1e-9);
      // exact weights (no rounding note) fit exactly when read back
      if (!r.err.includes('rounded')) expect((await cli('eval', `instances/${name}.json`, file)).code).toBe(0);
    }
  });
  it('solve --onnx-out on an infeasible instance writes nothing and says so', async () => {
    const file = join(tempDir(), 'w.onnx');
    const r = await cli('solve', 'instances/abs-3-k1.json', '--onnx-out', file);
    expect(r.code).toBe(20);
    expect(r.err).toBe(`relucert: ${file} not written: the answer is infeasible, there is no witness network\n`);
  });
  it('export-network reports weights that are not float64 numbers on stderr', async () => {
    const dir = tempDir();
    const net = join(dir, 'n.json');
    writeFileSync(
      net,
      JSON.stringify({
        format: 'relucert-network/1',
        layers: [
          { activation: 'relu', weights: [['1/3']], bias: ['0.1'] },
          { activation: 'identity', weights: [['1']], bias: ['0'] },
        ],
      }),
    );
    const r = await cli('export-network', net, '--onnx', join(dir, 'n.onnx'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('2 weights rounded');
    const gap = Q.max((exactOfDouble(1 / 3) as Q).sub(Q.of(1, 3)).abs(), (exactOfDouble(0.1) as Q).sub(Q.of(1, 10)).abs());
    const m =
      /^relucert: note: (.*): 2 of the 4 weights and biases of (.*) are not float64 numbers and were rounded to the nearest float64, each by at most (\S+)\n$/.exec(
        r.err,
      );
    expect(m?.slice(1, 3)).toEqual([join(dir, 'n.onnx'), net]);
    const bound = exactDecimal(m![3]!)!;
    expect(bound.ge(gap) && bound.le(gap.mul(Q.of(101, 100)))).toBe(true);
    const exact = await cli('export-network', 'examples/abs-3-k2.network.json', '--onnx', join(dir, 'a.onnx'), '--json');
    expect(JSON.parse(exact.out)).toMatchObject({ exact: true, rounded: 0, maxChange: '0', layers: 2 });
    expect(exact.err).toBe('');
  });
});

describe('export-network reads what plot and eval read', () => {
  it('a feasible certificate: its witness is written, the same bytes as from the witness network itself', async () => {
    const dir = tempDir();
    const fromCert = await cli('export-network', 'certificates/abs-3-k2.cert.json', '--onnx', join(dir, 'c.onnx'));
    expect(fromCert.code, fromCert.err).toBe(0);
    const cert = JSON.parse(readFileSync('certificates/abs-3-k2.cert.json', 'utf8'));
    writeFileSync(join(dir, 'w.json'), JSON.stringify({ format: 'relucert-network/1', layers: cert.network.layers }));
    await cli('export-network', join(dir, 'w.json'), '--onnx', join(dir, 'w.onnx'));
    expect(readFileSync(join(dir, 'c.onnx'))).toEqual(readFileSync(join(dir, 'w.onnx')));
    const withInstance = await cli('export-network', 'certificates/abs-3-k2.cert.json', '--instance', 'instances/abs-3-k2.json', '--onnx', join(dir, 'i.onnx'));
    expect(withInstance.code, withInstance.err).toBe(0);
  });
  it('an infeasibility certificate: one line saying it has no network, nothing written', async () => {
    const out = join(tempDir(), 'n.onnx');
    const r = await cli('export-network', 'certificates/abs-3-k1.cert.json', '--onnx', out);
    expect(r).toMatchObject({
      code: 2,
      err: 'relucert: certificates/abs-3-k1.cert.json: verdict: an infeasibility certificate has no network; give a network file or a feasible certificate\n',
    });
    expect(existsSync(out)).toBe(false);
  });
});

describe('ONNX round trip: ONNX -> relucert network -> ONNX', () => {
  it('reading what relucert wrote gives the same network, and writing it again the same bytes (property)', () => {
    fc.assert(
      fc.property(twoLayer(quarter, ['relu', 'threshold', 'leaky-relu']), ({ net }) => {
        const first = networkToOnnx(net, 'net').bytes;
        const back = parseOnnx(first, 'm.onnx').network;
        expect(back).toEqual(net);
        expect(networkToOnnx(back, 'net').bytes).toEqual(first);
      }),
      { numRuns: 50 },
    );
  });
  it('through the CLI: import-weights -o then export-network gives the same file', async () => {
    const dir = tempDir();
    const a = join(dir, 'a.onnx');
    await cli('export-network', 'examples/abs-3-k2.network.json', '--onnx', a);
    const r = await cli('import-weights', a, '--format', 'onnx', '--instance', 'instances/abs-3-k2.json', '-o', join(dir, 'n.json'));
    expect(r.code, r.out + r.err).toBe(0);
    await cli('export-network', join(dir, 'n.json'), '--onnx', join(dir, 'b.onnx'));
    expect(readFileSync(join(dir, 'b.onnx'))).toEqual(readFileSync(a));
  });
});

describe('ONNX in: graphs as other exporters write them, read exactly and agreeing with onnxruntime', () => {
  const agree = async (bytes: Uint8Array): Promise<Network> => {
    const net = parseOnnx(bytes, 'm.onnx').network;
    const pts = POINTS.map((p) => p.map((v) => exactOfDouble(Math.fround(v)) as Q));
    const got = await runOnnx(bytes, POINTS, 'float32');
    // onnxruntime computes in float32 here; relucert exactly on the same weights
    expect(relativeGap(got, exactOutputs(net, pts))).toBeLessThan(1e-5);
    return net;
  };
  it('a real torch.onnx.export file (examples/interop/abs-k2.onnx) reads as |x| = relu(x) + relu(-x)', async () => {
    const net = parseOnnx(readFileSync('examples/interop/abs-k2.onnx'), 'abs-k2.onnx').network;
    expect(net.layers.map((l) => [l.activation, l.weights.map((r) => r.map(String)), l.bias.map(String)])).toEqual([
      ['relu', [['1'], ['-1']], ['0', '0']],
      ['identity', [['1', '1']], ['0']],
    ]);
    const got = await runOnnx(readFileSync('examples/interop/abs-k2.onnx'), [[-1.5], [0], [2]], 'float32');
    expect(got).toEqual([1.5, 0, 2]);
  });
  it('Gemm (transB = 1) + Relu + Gemm with float32 raw_data: the weights are the float32 values exactly', async () => {
    const net = await agree(build(torchStyle()));
    expect(net.layers[0]!.activation).toBe('relu');
    expect(net.layers[0]!.weights[0]!.map(String)).toEqual(['13421773/134217728', '-1/2']);
    expect(net.layers[1]!.weights).toHaveLength(1);
  });
  it('MatMul + Add (either order) with float_data, a Constant bias, Identity and Flatten', async () => {
    const bytes = build({
      nodes: [
        { opType: 'Flatten', input: ['input'], output: ['flat'], attribute: [{ name: 'axis', type: INT, i: 1 }] },
        { opType: 'MatMul', input: ['flat', 'W1'], output: ['mm'] },
        { opType: 'Add', input: ['B1', 'mm'], output: ['h'] },
        { opType: 'Relu', input: ['h'], output: ['z'] },
        { opType: 'Identity', input: ['z'], output: ['z2'] },
        { opType: 'Constant', output: ['B2'], attribute: [{ name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t: f32data('', [1], [0.5]) }] },
        { opType: 'MatMul', input: ['z2', 'W2'], output: ['mm2'] },
        { opType: 'Add', input: ['mm2', 'B2'], output: ['output'] },
      ],
      inits: [f32data('W1', [2, 3], [1, 0, -1, 0.5, 2, 1]), f32data('B1', [3], [0, 1, -0.25]), f32data('W2', [3, 1], [1, 1, -2])],
    });
    const net = await agree(bytes);
    expect(net.layers[0]!.weights.map((r) => r.map(String))).toEqual([
      ['1', '1/2'],
      ['0', '2'],
      ['-1', '1'],
    ]);
    expect(net.layers[1]!.bias.map(String)).toEqual(['1/2']);
  });
  it('Gemm without transB, with alpha and beta, and a broadcast bias', async () => {
    const bytes = build({
      nodes: [
        {
          opType: 'Gemm',
          input: ['input', 'W', 'C'],
          output: ['h'],
          attribute: [
            { name: 'alpha', type: FLOAT_ATTR, f: 2 },
            { name: 'beta', type: FLOAT_ATTR, f: 0.5 },
          ],
        },
        { opType: 'Relu', input: ['h'], output: ['z'] },
        { opType: 'Gemm', input: ['z', 'V'], output: ['output'], attribute: [{ name: 'transB', type: INT, i: 1 }] },
      ],
      inits: [f32raw('W', [2, 2], [1, 2, 3, 4]), f32raw('C', [], [3]), f32raw('V', [1, 2], [1, -1])],
    });
    const net = await agree(bytes);
    expect(net.layers[0]!.weights.map((r) => r.map(String))).toEqual([
      ['2', '6'],
      ['4', '8'],
    ]);
    expect(net.layers[0]!.bias.map(String)).toEqual(['3/2', '3/2']);
  });
  it('thresholds: Cast(Greater(h, t)) with t folded into the bias, and Relu(Sign(h))', async () => {
    const greater = torchStyle([
      { opType: 'Greater', input: ['/0/Gemm_output_0', 't'], output: ['gt'] },
      { opType: 'Cast', input: ['gt'], output: ['s'], attribute: [{ name: 'to', type: INT, i: FLOAT }] },
    ]);
    greater.inits.push(f32raw('t', [3], [0.5, 0, -1]));
    const g = await agree(build(greater));
    expect(g.layers[0]!.activation).toBe('threshold');
    expect(g.layers[0]!.bias.map(String)).toEqual([
      (exactOfDouble(Math.fround(0.2)) as Q).sub(Q.of(1, 2)).toString(),
      String(exactOfDouble(Math.fround(-0.7))),
      '1',
    ]);
    const sign = torchStyle([
      { opType: 'Sign', input: ['/0/Gemm_output_0'], output: ['sg'] },
      { opType: 'Relu', input: ['sg'], output: ['s'] },
    ]);
    expect((await agree(build(sign))).layers[0]!.activation).toBe('threshold');
  });
  it('LeakyRelu with alpha 0 is a ReLU; any other alpha is a leaky-relu layer with that float32 slope, exactly', async () => {
    const zero = torchStyle([
      { name: 'leaky', opType: 'LeakyRelu', input: ['/0/Gemm_output_0'], output: ['s'], attribute: [{ name: 'alpha', type: FLOAT_ATTR, f: 0 }] },
    ]);
    expect((await agree(build(zero))).layers[0]!.activation).toBe('relu');
    const leaky = torchStyle([{ name: 'leaky', opType: 'LeakyRelu', input: ['/0/Gemm_output_0'], output: ['s'] }]);
    const net = await agree(build(leaky));
    expect(net.layers[0]!.activation).toBe('leaky-relu');
    expect(String(net.layers[0]!.slope)).toBe(String(exactOfDouble(Math.fround(0.01))));
  });
  it('writes a leaky-relu layer as LeakyRelu (alpha the slope as a float32), which reads back with that slope', () => {
    const net: Network = {
      layers: [
        { activation: 'leaky-relu', slope: Q.of(1, 8), weights: [[Q.ONE], [Q.MINUS_ONE]], bias: [Q.ZERO, Q.of(1, 2)] },
        { activation: 'identity', weights: [[Q.ONE, Q.of(2)]], bias: [Q.ZERO] },
      ],
    };
    const written = networkToOnnx(net, 'n.json');
    expect(written.rounding.rounded).toBe(0);
    const back = parseOnnx(written.bytes, 'n.onnx').network;
    expect(back.layers[0]).toMatchObject({ activation: 'leaky-relu' });
    expect(String(back.layers[0]!.slope)).toBe('1/8');
    // 1/100 is no float32: rounded like a weight, and counted
    const rounded = networkToOnnx({ layers: [{ ...net.layers[0]!, slope: Q.of(1, 100) }, net.layers[1]!] }, 'n.json');
    expect(rounded.rounding.rounded).toBe(1);
    expect(String(parseOnnx(rounded.bytes, 'n.onnx').network.layers[0]!.slope)).toBe(String(exactOfDouble(Math.fround(0.01))));
  });
  it('float64, float16 and int64 initializers', async () => {
    const b = torchStyle();
    b.inits[0] = f64raw('0.weight', [3, 2], [0.1, -0.5, 1.25, 2, -1, 0.3]);
    b.inits[1] = { name: '0.bias', dims: [3], dataType: onnx.TensorProto.DataType.FLOAT16, int32Data: [0x3c00, 0xc000, 0x3555] };
    b.inits[3] = { name: '2.bias', dims: [1], dataType: onnx.TensorProto.DataType.INT64, int64Data: [-3] };
    const net = parseOnnx(build(b), 'm.onnx').network;
    expect(String(net.layers[0]!.weights[0]![0])).toBe('3602879701896397/36028797018963968');
    expect(net.layers[0]!.bias.map(String)).toEqual(['1', '-2', '1365/4096']);
    expect(net.layers[1]!.bias.map(String)).toEqual(['-3']);
  });
});

describe('ONNX in: anything else is one line naming the node or tensor', () => {
  const third = torchStyle();
  third.nodes[2]!.output = ['o2'];
  third.nodes.push(
    { name: '/3/Relu', opType: 'Relu', input: ['o2'], output: ['o3'] },
    { name: '/4/Gemm', opType: 'Gemm', input: ['o3', '2.weight'], output: ['output'] },
  );
  const nan = torchStyle();
  nan.inits[0] = f32raw('0.weight', [3, 2], [0.1, NaN, 1, 1, 1, 1]);
  const sigmoid = torchStyle([{ name: '/1/Sigmoid', opType: 'Sigmoid', input: ['/0/Gemm_output_0'], output: ['s'] }]);
  const external = torchStyle();
  external.inits[0] = {
    name: '0.weight',
    dims: [3, 2],
    dataType: FLOAT,
    dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
    externalData: [{ key: 'location', value: 'w.bin' }],
  };
  const noAct = torchStyle([]);
  const outAct = torchStyle();
  outAct.nodes[2]!.output = ['o2'];
  outAct.nodes.push({ name: '/3/Relu', opType: 'Relu', input: ['o2'], output: ['output'] });
  const shapes = torchStyle();
  shapes.inits[2] = f32raw('2.weight', [1, 2], [1, 1]);
  const twoOut = torchStyle();
  twoOut.inits[2] = f32raw('2.weight', [2, 3], [1, 1, 1, 1, 1, 1]);
  twoOut.inits[3] = f32raw('2.bias', [2], [0, 0]);
  const branch = torchStyle();
  branch.nodes.push({ name: 'side', opType: 'Relu', input: ['/0/Gemm_output_0'], output: ['side_out'] });
  const variable = torchStyle();
  variable.inits.splice(0, 1);
  variable.inputs = ['input', '0.weight'];
  const strings = torchStyle();
  strings.inits[1] = { name: '0.bias', dims: [3], dataType: onnx.TensorProto.DataType.STRING, stringData: [] };
  const short = torchStyle();
  short.inits[1] = { name: '0.bias', dims: [3], dataType: FLOAT, rawData: float32Bytes([1, 2]) };
  const cases: [string, Uint8Array, string][] = [
    ['a third layer', build(third), 'm.onnx: node "/4/Gemm" (Gemm): starts layer 3; relucert reads two-layer networks'],
    ['NaN in an initializer', build(nan), 'm.onnx: initializer "0.weight"[0][1]: NaN is not a finite number'],
    ['an unsupported operator', build(sigmoid), 'm.onnx: node "/1/Sigmoid" (Sigmoid): unsupported operator Sigmoid'],
    ['external data', build(external), 'm.onnx: initializer "0.weight": is stored in an external file'],
    ['two linear layers in a row', build(noAct), 'm.onnx: node "/0/Gemm" (Gemm): two linear layers in a row'],
    ['an activation on the output', build(outAct), 'm.onnx: node "/2/Gemm" (Gemm): the output layer has an activation'],
    ['mismatched layer widths', build(shapes), 'm.onnx: node "/2/Gemm" (Gemm): takes 2 inputs, the layer before has 3 units'],
    ['two outputs', build(twoOut), 'm.onnx: node "/2/Gemm" (Gemm): has 2 outputs; relucert reads networks with one output'],
    ['a branch', build(branch), 'm.onnx: value "/0/Gemm_output_0": is used by 2 nodes'],
    ['weights that are inputs', build(variable), 'm.onnx: graph.input: has 2 data inputs ("input", "0.weight")'],
    ['string tensors', build(strings), 'm.onnx: initializer "0.bias": has data type STRING, not a number type relucert reads'],
    ['short raw data', build(short), 'm.onnx: initializer "0.bias": raw_data has 8 bytes, shape a vector of 3 needs 12'],
    ['not protobuf', new TextEncoder().encode('{"format": "relucert-network/1"}'), 'm.onnx: '],
    ['an empty file', new Uint8Array(0), 'm.onnx: graph: missing or empty: not an ONNX model'],
  ];
  for (const [what, bytes, msg] of cases) {
    it(what, () => {
      let message = '';
      try {
        parseOnnx(bytes, 'm.onnx');
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toContain(msg);
      expect(message).not.toContain('\n');
    });
  }
  it('random bytes never crash the reader: a one-line InputError or a network', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          parseOnnx(bytes, 'm.onnx');
        } catch (e) {
          expect((e as Error).name).toBe('InputError');
        }
      }),
      { numRuns: 300 },
    );
  });
  it('import-weights and eval name the file; the dimension is checked against the instance', async () => {
    const dir = tempDir();
    const f = join(dir, 'm.onnx');
    writeFileSync(f, build(torchStyle()));
    const r = await cli('eval', 'instances/abs-3-k2.json', f);
    expect(r).toMatchObject({ code: 2, out: '', err: `relucert: ${f}: node "/0/Gemm" (Gemm): rows have 2 entries, the instance has dimension 1\n` });
    const t = await cli('import-weights', f, '--format', 'onnx', '--instance', 'instances/xor-relu-k2-exact.json');
    expect(t.code, t.err).toBe(1);
    expect(t.out).toContain('read an ONNX graph "input" -> Gemm + Relu (3 x 2) -> Gemm (1 x 3) -> "output"');
  });
});
