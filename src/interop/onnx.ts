/**
 * Two-layer networks in and out of ONNX (docs/interop.md, "ONNX").
 *
 * The protobuf is decoded and encoded by protobufjs with the ONNX message
 * definitions that the npm package onnx-proto generates from the official
 * onnx.proto (IR version 8); nothing here reads protobuf bytes by hand.
 *
 * Reading: the graph must be one chain from its single input to its single
 * output, made of linear stages (Gemm, or MatMul with an optional Add of a
 * constant bias) and activation stages (Relu; LeakyRelu; a threshold written
 * as Greater(h, t) then Cast, or Sign then Relu), with Identity and Flatten
 * (axis 1) passed through. Weights are initializers or Constant nodes; every
 * float (float16, bfloat16, float32, float64) is decoded from its bits as an
 * exact dyadic rational, so the network read is exactly the one the file
 * holds. Anything else is an InputError naming the node or tensor.
 *
 * Writing: one Gemm (transB = 1) per layer with float64 initializers, Relu or
 * Greater + Cast for the activations. A weight that is not a float64 number
 * is rounded to the nearest one, and the caller is told how many and by how
 * much at most (`OnnxWritten.rounding`).
 */
import onnxProto from 'onnx-proto';
import { Q } from '../core/rational.js';
import type { Layer, LayerActivation, Network } from '../core/types.js';
import { assertNever } from '../core/types.js';
import { InputError } from '../format/errors.js';
import { readBytes } from '../format/schema.js';
import { type Element, type ElementType, decodeElements, decodeFloatBits, exactOfDouble, toFloat64 } from './binary-numbers.js';
import { type Tensor, elementCount, finiteData, rowsOf, shapeText } from './tensor.js';

const { onnx } = onnxProto;
type TensorProto = onnxProto.onnx.ITensorProto;
type AttributeProto = onnxProto.onnx.IAttributeProto;

/** A graph node with protobuf's optional fields filled in. */
interface Node {
  name: string;
  opType: string;
  domain: string;
  input: string[];
  output: string[];
  attribute: AttributeProto[];
}
const DataType = onnx.TensorProto.DataType;
const AttributeType = onnx.AttributeProto.AttributeType;

/** ONNX operator set version of the files written (Gemm, Relu, Greater, Cast as of opset 13). */
export const ONNX_OPSET = 13;
/** The opset of a model with a LeakyRelu node: onnxruntime runs LeakyRelu on float64 from LeakyRelu-16 on. */
export const ONNX_OPSET_LEAKY = 16;

/** The opset networkToOnnx writes for this network. */
export function onnxOpsetOf(net: Network): number {
  return net.layers.some((l) => l.activation === 'leaky-relu') ? ONNX_OPSET_LEAKY : ONNX_OPSET;
}

export interface OnnxRead {
  network: Network;
  /** The node that starts each layer, for messages. */
  layerNodes: string[];
  /** How the file was read: which nodes and initializers, and what was assumed. */
  notes: string[];
}

export interface OnnxReadConstraints {
  /** The most linear layers accepted (default 2: a hidden layer and the output layer). */
  maxLayers?: number;
}

/** Reads an ONNX file into a relucert network, exactly. Throws InputError naming the file and node or tensor. */
export function readOnnx(file: string, c: OnnxReadConstraints = {}): OnnxRead {
  return parseOnnx(readBytes(file), file, c);
}

/** A hidden activation as ONNX expresses it. */
type OnnxActivation = { kind: 'relu' } | { kind: 'leaky-relu'; slope: Q } | { kind: 'threshold' };

/** One linear map (weights units x inputs, bias units) and the activation after it, if any. */
interface Stage {
  weights: Q[][];
  bias: Q[];
  activation?: OnnxActivation;
  /** The node that starts the stage, and the activation's node, for messages. */
  node: string;
  activationNode?: string;
  ops: string[];
}

/** Parses the bytes of an ONNX model; `file` names it in errors. */
export function parseOnnx(bytes: Uint8Array, file: string, c: OnnxReadConstraints = {}): OnnxRead {
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new InputError(file, '', `not an ONNX model (protobuf: ${(e as Error).message})`);
  }
  const chain = new OnnxChain(model, file);
  const stages = chain.walk();
  return {
    network: networkOf(stages, file, c.maxLayers ?? 2),
    layerNodes: stages.map((st) => st.node),
    notes: [describeRead(stages, chain.input, chain.output)],
  };
}

/** A node of the graph, its index, and its label for messages. */
interface GraphNode {
  n: Node;
  i: number;
  label: string;
}

/**
 * The graph read as one chain of stages from its single data input to its
 * single output (see the file comment): the constants (initializers and
 * Constant nodes), the nodes, who reads each value, and the stages found so
 * far. Every fault is an InputError naming the file and the node or value.
 */
class OnnxChain {
  readonly input: string;
  readonly output: string;
  private readonly constants = new Map<string, Tensor>();
  private readonly nodes: GraphNode[];
  private readonly consumers = new Map<string, GraphNode[]>();
  private readonly stages: Stage[] = [];
  private readonly visited = new Set<number>();

  constructor(
    model: onnxProto.onnx.ModelProto,
    private readonly file: string,
  ) {
    const g = model.graph;
    const graphNodes = g?.node ?? [];
    const graphInputs = (g?.input ?? []).map((v) => v.name ?? '');
    const graphOutputs = (g?.output ?? []).map((v) => v.name ?? '');
    if (!g || (graphNodes.length === 0 && graphInputs.length === 0)) throw new InputError(file, 'graph', 'missing or empty: not an ONNX model');
    for (const op of model.opsetImport ?? []) {
      if (op.domain && op.domain !== 'ai.onnx')
        throw new InputError(file, 'opset_import', `uses the operator domain ${JSON.stringify(op.domain)}; relucert reads the standard ONNX operators only`);
    }
    for (const t of g.initializer ?? []) this.constants.set(t.name ?? '', tensorOf(t, file, `initializer ${JSON.stringify(t.name ?? '')}`));
    this.nodes = graphNodes.map((p, i) => {
      const n: Node = {
        name: p.name ?? '',
        opType: p.opType ?? '',
        domain: p.domain ?? '',
        input: p.input ?? [],
        output: p.output ?? [],
        attribute: p.attribute ?? [],
      };
      return { n, i, label: nodeLabel(n, i) };
    });
    for (const { n, label } of this.nodes) {
      if (n.domain && n.domain !== 'ai.onnx')
        throw new InputError(file, label, `is in the operator domain ${JSON.stringify(n.domain)}; relucert reads the standard ONNX operators only`);
      if (n.opType === 'Constant') this.constants.set(n.output[0] ?? '', constantOf(n, file, label));
    }
    const inputs = graphInputs.filter((v) => !this.constants.has(v));
    if (inputs.length !== 1)
      throw new InputError(
        file,
        'graph.input',
        `has ${inputs.length} data inputs (${inputs.map((v) => JSON.stringify(v)).join(', ') || 'none'}); a network has exactly one`,
      );
    if (graphOutputs.length !== 1) throw new InputError(file, 'graph.output', `has ${graphOutputs.length} outputs; relucert reads networks with one output`);
    this.input = inputs[0]!;
    this.output = graphOutputs[0]!;
    for (const node of this.nodes) {
      if (node.n.opType === 'Constant') continue;
      for (const v of node.n.input) if (v !== '' && !this.constants.has(v)) this.consumers.set(v, [...(this.consumers.get(v) ?? []), node]);
    }
  }

  /** Follows the chain from the input to the output; the stages, once every node is on the chain. */
  walk(): Stage[] {
    let value = this.input;
    for (;;) {
      const at = this.next(value);
      if (at === undefined) {
        if (value !== this.output)
          throw new InputError(this.file, `value ${JSON.stringify(value)}`, `is used by no node and is not the graph's output ${JSON.stringify(this.output)}`);
        break;
      }
      if (value === this.output)
        throw new InputError(this.file, at.label, `reads the graph's output ${JSON.stringify(this.output)}; the output must be the end of the chain`);
      this.visited.add(at.i);
      value = this.step(at, value);
    }
    for (const { n, i, label } of this.nodes) {
      if (!this.visited.has(i) && n.opType !== 'Constant') throw new InputError(this.file, label, 'is not on the chain from the input to the output');
    }
    return this.stages;
  }

  /** The one node that reads `value` (undefined: none); a value read by several nodes is not a chain. */
  private next(value: string): GraphNode | undefined {
    const users = this.consumers.get(value) ?? [];
    if (users.length > 1)
      throw new InputError(
        this.file,
        `value ${JSON.stringify(value)}`,
        `is used by ${users.length} nodes (${users.map((u) => u.label).join(', ')}); relucert reads a chain of layers`,
      );
    return users[0];
  }

  /** The stored tensor `name` (an initializer or a Constant's output), the `role` it plays for the node `label`. */
  private constant(name: string | undefined, label: string, role: string): Tensor {
    const t = name === undefined || name === '' ? undefined : this.constants.get(name);
    if (t === undefined)
      throw new InputError(
        this.file,
        label,
        `its ${role} ${JSON.stringify(name ?? '')} is not an initializer or Constant: relucert reads weights stored in the model`,
      );
    return t;
  }

  /** The node's input k must be the data flowing along the chain. */
  private dataInput({ n, label }: GraphNode, k: number, value: string): void {
    if (n.input[k] !== value)
      throw new InputError(this.file, label, `expected the data ${JSON.stringify(value)} as input ${k}, found ${JSON.stringify(n.input[k] ?? '')}`);
  }

  /** The linear stage an activation node follows; an InputError when it follows the input or another activation. */
  private needLinear({ n, label }: GraphNode): Stage {
    const last = this.stages[this.stages.length - 1];
    if (last === undefined || last.activation !== undefined)
      throw new InputError(
        this.file,
        label,
        `an activation must follow a linear layer (Gemm or MatMul), found ${n.opType} after ${last ? 'an activation' : 'the input'}`,
      );
    return last;
  }

  /** Reads one node of the chain (and the nodes it pairs with); the value the chain continues with. */
  private step(at: GraphNode, value: string): string {
    const { n, label } = at;
    const out = n.output[0] ?? '';
    switch (n.opType) {
      case 'Identity':
        this.dataInput(at, 0, value);
        return out;
      case 'Flatten':
        this.dataInput(at, 0, value);
        if (intAttribute(n, 'axis', 1n, this.file, label) !== 1n) throw new InputError(this.file, label, 'Flatten with axis other than 1 is not supported');
        return out;
      case 'Gemm':
        this.dataInput(at, 0, value);
        this.stages.push(this.gemm(at));
        return out;
      case 'MatMul':
        this.dataInput(at, 0, value);
        return this.matMul(at);
      case 'Add':
        throw new InputError(this.file, label, 'an Add that is not the bias of a MatMul (a constant added right after it) is not supported');
      case 'Relu': {
        this.dataInput(at, 0, value);
        const stage = this.needLinear(at);
        stage.activation = { kind: 'relu' };
        stage.ops.push('Relu');
        return out;
      }
      case 'LeakyRelu': {
        this.dataInput(at, 0, value);
        const slope = floatAttribute(n, 'alpha', exactFloat32(0.01), this.file, label);
        const stage = this.needLinear(at);
        stage.activation = slope.isZero() ? { kind: 'relu' } : { kind: 'leaky-relu', slope };
        stage.activationNode = label;
        stage.ops.push('LeakyRelu');
        return out;
      }
      case 'Sign':
        this.dataInput(at, 0, value);
        return this.signThreshold(at);
      case 'Greater':
        this.dataInput(at, 0, value);
        return this.greaterThreshold(at);
      default:
        throw new InputError(
          this.file,
          label,
          `unsupported operator ${n.opType}; relucert reads Gemm, MatMul + Add, Relu, LeakyRelu, Greater + Cast, Sign + Relu, Identity and Flatten`,
        );
    }
  }

  /** Gemm(x, B, C) = alpha x B' + beta C, B' = B or its transpose (transB): one linear stage. */
  private gemm({ n, label }: GraphNode): Stage {
    const file = this.file;
    if (intAttribute(n, 'transA', 0n, file, label) !== 0n) throw new InputError(file, label, 'transA = 1 is not supported: the data must be the rows of A');
    const b = this.constant(n.input[1], label, 'input B');
    if (b.shape.length !== 2) throw new InputError(file, label, `weight B ${JSON.stringify(n.input[1])} is ${shapeText(b.shape)}, expected a matrix`);
    const alpha = floatAttribute(n, 'alpha', Q.ONE, file, label);
    const beta = floatAttribute(n, 'beta', Q.ONE, file, label);
    const rows = rowsOf(b);
    let weights = intAttribute(n, 'transB', 0n, file, label) === 1n ? rows : transpose(rows, b.shape[1]!);
    if (!alpha.eq(Q.ONE)) weights = weights.map((r) => r.map((v) => v.mul(alpha)));
    const units = weights.length;
    let bias = Array.from({ length: units }, () => Q.ZERO);
    if (n.input[2]) bias = biasOf(this.constant(n.input[2], label, 'input C'), units, file, label).map((v) => v.mul(beta));
    return { weights, bias, node: label, ops: ['Gemm'] };
  }

  /** MatMul(x, B), with the Add of a constant right after it as the bias: one linear stage; the value after it. */
  private matMul({ n, label }: GraphNode): string {
    const b = this.constant(n.input[1], label, 'input B');
    if (b.shape.length !== 2)
      throw new InputError(this.file, label, `weight ${JSON.stringify(n.input[1])} is ${shapeText(b.shape)}, expected an inputs x units matrix`);
    const weights = transpose(rowsOf(b), b.shape[1]!);
    const stage: Stage = { weights, bias: weights.map(() => Q.ZERO), node: label, ops: ['MatMul'] };
    this.stages.push(stage);
    const out = n.output[0] ?? '';
    // An Add of a constant right after is the bias.
    const add = this.next(out);
    if (add?.n.opType === 'Add' && out !== this.output) {
      const other = add.n.input[0] === out ? add.n.input[1] : add.n.input[0];
      if (other !== undefined && this.constants.has(other)) {
        stage.bias = biasOf(this.constants.get(other)!, weights.length, this.file, add.label);
        stage.ops.push('Add');
        this.visited.add(add.i);
        return add.n.output[0] ?? '';
      }
    }
    return out;
  }

  /** Relu(Sign(h)) is 1 for h > 0 and 0 otherwise: a threshold unit; the value after the Relu. */
  private signThreshold(at: GraphNode): string {
    const stage = this.needLinear(at);
    const relu = this.next(at.n.output[0] ?? '');
    if (relu?.n.opType !== 'Relu') throw new InputError(this.file, at.label, 'Sign is read only as Relu(Sign(h)), a threshold unit');
    stage.activation = { kind: 'threshold' };
    stage.ops.push('Sign');
    this.visited.add(relu.i);
    return relu.n.output[0] ?? '';
  }

  /** Cast(Greater(h, t)) is 1 where h > t: a threshold unit with bias b - t; the value after the Cast. */
  private greaterThreshold(at: GraphNode): string {
    const { n, label } = at;
    const stage = this.needLinear(at);
    const t = biasOf(this.constant(n.input[1], label, 'input B'), stage.bias.length, this.file, label);
    const cast = this.next(n.output[0] ?? '');
    if (cast?.n.opType !== 'Cast') throw new InputError(this.file, label, 'Greater is read only as Cast(Greater(h, t)), a threshold unit');
    const to = intAttribute(cast.n, 'to', 0n, this.file, cast.label);
    if (!NUMERIC_TYPES.has(Number(to))) throw new InputError(this.file, cast.label, `casts to data type ${to}, expected a number type`);
    stage.bias = stage.bias.map((v, u) => v.sub(t[u]!));
    stage.activation = { kind: 'threshold' };
    stage.ops.push('Greater', 'Cast');
    this.visited.add(cast.i);
    return cast.n.output[0] ?? '';
  }
}

/** The stages as relucert layers: linear stages alternate with activations and the last is linear. */
function networkOf(stages: Stage[], file: string, maxLayers: number): Network {
  if (stages.length === 0) throw new InputError(file, 'graph', 'has no linear layer (Gemm or MatMul)');
  const layers: Layer[] = [];
  stages.forEach((s, l) => {
    if (l >= maxLayers)
      throw new InputError(
        file,
        s.node,
        `starts layer ${l + 1}; relucert reads ${maxLayers === 2 ? 'two-layer networks (a hidden layer and a linear output layer)' : `at most ${maxLayers} layers`}`,
      );
    const prev = stages[l - 1];
    if (prev && s.weights[0]!.length !== prev.weights.length)
      throw new InputError(file, s.node, `takes ${s.weights[0]!.length} inputs, the layer before has ${prev.weights.length} units`);
    const lastLayer = l === stages.length - 1;
    if (lastLayer && s.activation) throw new InputError(file, s.node, 'the output layer has an activation; relucert networks end with a linear output layer');
    if (!lastLayer && !s.activation) throw new InputError(file, s.node, 'two linear layers in a row with no activation between them');
    const act = s.activation;
    layers.push({
      activation: act ? layerActivation(act) : 'identity',
      ...(act?.kind === 'leaky-relu' ? { slope: act.slope } : {}),
      weights: s.weights,
      bias: s.bias,
    });
  });
  const outputs = layers[layers.length - 1]!.weights.length;
  if (outputs !== 1) throw new InputError(file, stages[stages.length - 1]!.node, `has ${outputs} outputs; relucert reads networks with one output`);
  return { layers };
}

/** The relucert activation for an ONNX one; the one place that decides which ONNX activations relucert networks hold. */
function layerActivation(a: OnnxActivation): LayerActivation {
  switch (a.kind) {
    case 'relu':
      return 'relu';
    case 'threshold':
      return 'threshold';
    case 'leaky-relu':
      return 'leaky-relu';
    default:
      return assertNever(a);
  }
}

function describeRead(stages: Stage[], input: string, output: string): string {
  const parts = stages.map((s) => `${s.ops.join(' + ')} (${s.weights.length} x ${s.weights[0]!.length})`);
  return `read an ONNX graph ${JSON.stringify(input)} -> ${parts.join(' -> ')} -> ${JSON.stringify(output)}; weights decoded exactly`;
}

function nodeLabel(n: Node, i: number): string {
  return n.name ? `node ${JSON.stringify(n.name)} (${n.opType})` : `node #${i} (${n.opType})`;
}

function transpose(rows: Q[][], cols: number): Q[][] {
  return Array.from({ length: cols }, (_, c) => rows.map((r) => r[c]!));
}

/** A bias: a vector of `units`, a 1 x units matrix, or one value (a scalar or a vector of 1) for every unit. */
function biasOf(t: Tensor, units: number, file: string, node: string): Q[] {
  const n = elementCount(t.shape);
  const broadcast = n === 1 && t.shape.every((d) => d === 1);
  if (broadcast) return Array.from({ length: units }, () => t.data[0]!);
  if ((t.shape.length === 1 || (t.shape.length === 2 && t.shape[0] === 1)) && n === units) return t.data;
  throw new InputError(file, node, `bias is ${shapeText(t.shape)}, expected a vector of ${units}`);
}

const NUMERIC_TYPES = new Set<number>([
  DataType.FLOAT,
  DataType.UINT8,
  DataType.INT8,
  DataType.UINT16,
  DataType.INT16,
  DataType.INT32,
  DataType.INT64,
  DataType.FLOAT16,
  DataType.DOUBLE,
  DataType.UINT32,
  DataType.UINT64,
  DataType.BFLOAT16,
]);

/** Element types of the ONNX data types read. */
const ELEMENT_TYPES: Record<number, ElementType> = {
  [DataType.FLOAT]: { kind: 'float', bytes: 4 },
  [DataType.DOUBLE]: { kind: 'float', bytes: 8 },
  [DataType.FLOAT16]: { kind: 'float', bytes: 2 },
  [DataType.BFLOAT16]: { kind: 'bfloat', bytes: 2 },
  [DataType.INT8]: { kind: 'int', bytes: 1 },
  [DataType.INT16]: { kind: 'int', bytes: 2 },
  [DataType.INT32]: { kind: 'int', bytes: 4 },
  [DataType.INT64]: { kind: 'int', bytes: 8 },
  [DataType.UINT8]: { kind: 'uint', bytes: 1 },
  [DataType.UINT16]: { kind: 'uint', bytes: 2 },
  [DataType.UINT32]: { kind: 'uint', bytes: 4 },
  [DataType.UINT64]: { kind: 'uint', bytes: 8 },
};

/** An int64 field as protobufjs gives it (a number, or a Long, whose toString is exact), exactly. */
const int64 = (v: unknown): bigint => BigInt(typeof v === 'number' ? v : (v as { toString(): string }).toString());

/**
 * A TensorProto's elements, exactly: raw_data (little-endian, as the ONNX
 * spec fixes) or the typed fields (float_data holds float32 values, widened
 * exactly to doubles by protobuf; float16 / bfloat16 bits sit in int32_data).
 */
function tensorOf(t: TensorProto, file: string, name: string): Tensor {
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL)
    throw new InputError(file, name, 'is stored in an external file; save the model with its weights inside (save_as_external_data=False)');
  if (t.segment) throw new InputError(file, name, 'is a segment of a larger tensor; not supported');
  const shape = (t.dims ?? []).map((d) => {
    const v = int64(d);
    if (v < 0n || v > BigInt(Number.MAX_SAFE_INTEGER)) throw new InputError(file, name, `has a bad dimension ${v}`);
    return Number(v);
  });
  const type = ELEMENT_TYPES[t.dataType ?? 0];
  if (type === undefined) throw new InputError(file, name, `has data type ${DataType[t.dataType ?? 0] ?? t.dataType}, not a number type relucert reads`);
  const count = elementCount(shape);
  let elements: Element[];
  const raw = t.rawData;
  if (raw && raw.length > 0) {
    if (raw.length !== count * type.bytes)
      throw new InputError(file, name, `raw_data has ${raw.length} bytes, shape ${shapeText(shape)} needs ${count * type.bytes}`);
    elements = decodeElements(raw, type, count, true);
  } else {
    const dt = t.dataType;
    if (dt === DataType.FLOAT) elements = (t.floatData ?? []).map(exactOfDouble);
    else if (dt === DataType.DOUBLE) elements = (t.doubleData ?? []).map(exactOfDouble);
    else if (dt === DataType.FLOAT16 || dt === DataType.BFLOAT16) {
      const [e, f] = dt === DataType.FLOAT16 ? [5, 10] : [8, 7];
      elements = (t.int32Data ?? []).map((v) => decodeFloatBits(BigInt(v & 0xffff), e, f));
    } else if (dt === DataType.INT64) elements = (t.int64Data ?? []).map((v) => Q.of(int64(v)));
    else if (dt === DataType.UINT32 || dt === DataType.UINT64) elements = (t.uint64Data ?? []).map((v) => Q.of(BigInt.asUintN(64, int64(v))));
    else elements = (t.int32Data ?? []).map((v) => Q.of(BigInt(v)));
    if (elements.length !== count) throw new InputError(file, name, `holds ${elements.length} values, shape ${shapeText(shape)} needs ${count}`);
  }
  return { shape, data: finiteData(elements, shape, file, name) };
}

/** The tensor of a Constant node (attribute value, value_float(s) or value_int(s)). */
function constantOf(n: Node, file: string, label: string): Tensor {
  const a = n.attribute[0];
  if (n.attribute.length !== 1 || !a) throw new InputError(file, label, 'a Constant must have exactly one attribute');
  switch (a.name) {
    case 'value':
      return tensorOf(a.t ?? {}, file, `${label} value`);
    case 'value_float':
      return { shape: [], data: finiteData([exactOfDouble(a.f ?? 0)], [], file, `${label} value_float`) };
    case 'value_floats': {
      const fs = a.floats ?? [];
      return { shape: [fs.length], data: finiteData(fs.map(exactOfDouble), [fs.length], file, `${label} value_floats`) };
    }
    case 'value_int':
      return { shape: [], data: [Q.of(int64(a.i ?? 0))] };
    case 'value_ints': {
      const is = a.ints ?? [];
      return { shape: [is.length], data: is.map((v) => Q.of(int64(v))) };
    }
    default:
      throw new InputError(file, label, `Constant attribute ${a.name} is not supported`);
  }
}

function attributeOf(n: Node, name: string): AttributeProto | undefined {
  return n.attribute.find((a) => a.name === name);
}

function intAttribute(n: Node, name: string, fallback: bigint, file: string, label: string): bigint {
  const a = attributeOf(n, name);
  if (a === undefined) return fallback;
  if (a.type !== AttributeType.INT) throw new InputError(file, label, `attribute ${name} is not an integer`);
  return int64(a.i ?? 0);
}

/** A FLOAT attribute (a float32), exactly. */
function floatAttribute(n: Node, name: string, fallback: Q, file: string, label: string): Q {
  const a = attributeOf(n, name);
  if (a === undefined) return fallback;
  if (a.type !== AttributeType.FLOAT) throw new InputError(file, label, `attribute ${name} is not a float`);
  const v = exactOfDouble(a.f ?? 0);
  if (typeof v === 'string') throw new InputError(file, label, `attribute ${name} is ${v}`);
  return v;
}

/** The float32 nearest to x, exactly (ONNX's default LeakyRelu alpha 0.01 is a float32). */
function exactFloat32(x: number): Q {
  return exactOfDouble(Math.fround(x)) as Q;
}

// ---------------------------------------------------------------------------
// writing

export interface OnnxRounding {
  /** Weights and biases in the network, and the slopes of its LeakyRelu nodes. */
  total: number;
  /** How many of them are not float64 numbers and were rounded to the nearest one. */
  rounded: number;
  /** The largest |float64 - exact| over all of them (0 when nothing was rounded). */
  maxChange: Q;
}

export interface OnnxWritten {
  bytes: Uint8Array;
  rounding: OnnxRounding;
}

/**
 * The network as an ONNX model: input "x" (n x d, float64), one Gemm
 * "layerL" (transB = 1, initializers "layerL.weight" units x inputs and
 * "layerL.bias") per layer, Relu, LeakyRelu (alpha: the slope as a float32) or Greater(h, 0) + Cast for the
 * activations, output "y" (n x 1). `file` and `field` name the network in
 * errors (a weight beyond the float64 range).
 */
export function networkToOnnx(net: Network, file: string, docString = ''): OnnxWritten {
  let total = 0;
  let rounded = 0;
  let maxChange = Q.ZERO;
  const initializer: onnxProto.onnx.ITensorProto[] = [];
  const node: onnxProto.onnx.INodeProto[] = [];
  const tensor = (name: string, dims: number[], values: Q[], field: (i: number) => string): string => {
    const bytes = new Uint8Array(values.length * 8);
    const view = new DataView(bytes.buffer);
    values.forEach((v, i) => {
      const r = toFloat64(v);
      if (!Number.isFinite(r.value)) throw new InputError(file, field(i), `${v} is beyond the float64 range; an ONNX model cannot hold it`);
      total++;
      if (!r.exact) {
        rounded++;
        maxChange = Q.max(maxChange, (exactOfDouble(r.value) as Q).sub(v).abs());
      }
      view.setFloat64(i * 8, r.value, true);
    });
    initializer.push({ name, dims, dataType: DataType.DOUBLE, rawData: bytes });
    return name;
  };
  let value = 'x';
  net.layers.forEach((layer, l) => {
    const units = layer.weights.length;
    const inputs = layer.weights[0]!.length;
    const name = `layer${l}`;
    const w = tensor(`${name}.weight`, [units, inputs], layer.weights.flat(), (i) => `layers[${l}].weights[${Math.floor(i / inputs)}][${i % inputs}]`);
    const b = tensor(`${name}.bias`, [units], layer.bias, (i) => `layers[${l}].bias[${i}]`);
    const last = l === net.layers.length - 1;
    const h = last && layer.activation === 'identity' ? 'y' : `${name}.h`;
    node.push({ name, opType: 'Gemm', input: [value, w, b], output: [h], attribute: [{ name: 'transB', type: AttributeType.INT, i: 1 }] });
    value = h;
    const act = layer.activation;
    switch (act) {
      case 'identity':
        break;
      case 'relu': {
        const z = last ? 'y' : `${name}.z`;
        node.push({ name: `${name}.relu`, opType: 'Relu', input: [h], output: [z] });
        value = z;
        break;
      }
      case 'leaky-relu': {
        // ONNX keeps LeakyRelu's alpha as a float32: rounded like a weight, and counted in the rounding report
        const slope = layer.slope ?? Q.ZERO;
        const alpha = Math.fround(slope.toNumber());
        total++;
        if (!exactFloat32(alpha).eq(slope)) {
          rounded++;
          maxChange = Q.max(maxChange, exactFloat32(alpha).sub(slope).abs());
        }
        const z = last ? 'y' : `${name}.z`;
        node.push({
          name: `${name}.leakyrelu`,
          opType: 'LeakyRelu',
          input: [h],
          output: [z],
          attribute: [{ name: 'alpha', type: AttributeType.FLOAT, f: alpha }],
        });
        value = z;
        break;
      }
      case 'threshold': {
        const zero = `${name}.zero`;
        initializer.push({ name: zero, dims: [], dataType: DataType.DOUBLE, rawData: new Uint8Array(8) });
        const z = last ? 'y' : `${name}.z`;
        node.push({ name: `${name}.greater`, opType: 'Greater', input: [h, zero], output: [`${name}.positive`] });
        node.push({
          name: `${name}.cast`,
          opType: 'Cast',
          input: [`${name}.positive`],
          output: [z],
          attribute: [{ name: 'to', type: AttributeType.INT, i: DataType.DOUBLE }],
        });
        value = z;
        break;
      }
      default:
        assertNever(act);
    }
  });
  const d = net.layers[0]!.weights[0]!.length;
  const outputs = net.layers[net.layers.length - 1]!.weights.length;
  const valueInfo = (name: string, width: number): onnxProto.onnx.IValueInfoProto => ({
    name,
    type: { tensorType: { elemType: DataType.DOUBLE, shape: { dim: [{ dimParam: 'n' }, { dimValue: width }] } } },
  });
  const model = onnx.ModelProto.create({
    irVersion: onnx.Version.IR_VERSION,
    producerName: 'relucert',
    docString,
    opsetImport: [{ domain: '', version: onnxOpsetOf(net) }],
    graph: { name: 'relucert-network', node, initializer, input: [valueInfo('x', d)], output: [valueInfo('y', outputs)] },
  });
  return { bytes: onnx.ModelProto.encode(model).finish(), rounding: { total, rounded, maxChange } };
}
