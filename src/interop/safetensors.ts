/**
 * safetensors files, read exactly (docs/interop.md, "safetensors").
 *
 * The format (huggingface/safetensors): 8 bytes, little-endian unsigned, the
 * length N of a UTF-8 JSON header; the header maps each tensor name to
 * {"dtype", "shape", "data_offsets": [begin, end]} (offsets into the byte
 * buffer that follows the header), and may hold "__metadata__", a map of
 * strings to strings. The tensors are little-endian, row-major, and together
 * cover the byte buffer exactly, without holes or overlaps. Element types
 * read: F64, F32, F16, BF16 (decoded from their bits as exact dyadic
 * rationals) and I8..I64, U8..U64; BOOL, the 8-bit floats and complex types
 * are refused by name. The header is read by the project's strict JSON reader
 * (a repeated key is an error) and checked field by field.
 */
import { type JsonValue, isJsonError, parseJson } from '../check/json.js';
import { InputError } from '../format/errors.js';
import { readBytes } from '../format/schema.js';
import { type ElementType, decodeElements } from './binary-numbers.js';
import { type Tensor, elementCount, finiteData, shapeText } from './tensor.js';

/** Element types by safetensors dtype name. */
const DTYPES: Record<string, ElementType> = {
  F64: { kind: 'float', bytes: 8 },
  F32: { kind: 'float', bytes: 4 },
  F16: { kind: 'float', bytes: 2 },
  BF16: { kind: 'bfloat', bytes: 2 },
  I64: { kind: 'int', bytes: 8 },
  I32: { kind: 'int', bytes: 4 },
  I16: { kind: 'int', bytes: 2 },
  I8: { kind: 'int', bytes: 1 },
  U64: { kind: 'uint', bytes: 8 },
  U32: { kind: 'uint', bytes: 4 },
  U16: { kind: 'uint', bytes: 2 },
  U8: { kind: 'uint', bytes: 1 },
};

/** The header may not be larger than this (the reference implementation's limit, 100 MB). */
export const MAX_HEADER_BYTES = 100_000_000;

export interface Safetensors {
  /** Tensors in header order. */
  tensors: Map<string, Tensor>;
  /** The optional "__metadata__" map. */
  metadata: Map<string, string>;
}

/** Reads a .safetensors file. Throws InputError naming the file and the tensor or header field. */
export function readSafetensors(file: string): Safetensors {
  return parseSafetensors(readBytes(file), file);
}

/** Parses the bytes of a safetensors file; `file` names it in errors. */
export function parseSafetensors(bytes: Uint8Array, file: string): Safetensors {
  if (bytes.length < 8) throw new InputError(file, '', `not a safetensors file (${bytes.length} bytes; the header length alone takes 8)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES) || n > BigInt(bytes.length - 8))
    throw new InputError(
      file,
      'header',
      `not a safetensors file: the header length ${n} exceeds ${n > BigInt(MAX_HEADER_BYTES) ? `the limit of ${MAX_HEADER_BYTES} bytes` : `the ${bytes.length - 8} bytes after it`}`,
    );
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + Number(n)));
  } catch {
    throw new InputError(file, 'header', 'not a safetensors file: the header is not UTF-8');
  }
  const doc = parseJson(text);
  if (isJsonError(doc)) {
    if (doc.duplicateKey !== undefined) throw new InputError(file, 'header', `repeated key ${JSON.stringify(doc.duplicateKey)}`);
    throw new InputError(file, 'header', `not valid JSON (${doc.message} at column ${doc.column}): not a safetensors file`);
  }
  if (doc.type !== 'object') throw new InputError(file, 'header', 'must be a JSON object');
  const buffer = bytes.subarray(8 + Number(n));
  const tensors = new Map<string, Tensor>();
  const metadata = new Map<string, string>();
  const spans: [number, number, string][] = [];
  for (const [name, v] of doc.entries) {
    if (name === '__metadata__') {
      if (v.type !== 'object') throw new InputError(file, '__metadata__', 'must be an object of strings');
      for (const [k, m] of v.entries) {
        if (m.type !== 'string') throw new InputError(file, `__metadata__.${k}`, 'must be a string');
        metadata.set(k, m.value);
      }
      continue;
    }
    const { type, shape, begin, end } = entryOf(v, file, name);
    const count = elementCount(shape);
    if (end - begin !== count * type.bytes)
      throw new InputError(
        file,
        name,
        `data_offsets [${begin}, ${end}] hold ${end - begin} bytes; ${shapeText(shape)} of ${type.kind}${8 * type.bytes} needs ${count * type.bytes}`,
      );
    if (end > buffer.length) throw new InputError(file, name, `data_offsets end at ${end}, after the ${buffer.length} bytes of data`);
    spans.push([begin, end, name]);
    const elements = decodeElements(buffer.subarray(begin, end), type, count, true);
    tensors.set(name, { shape, data: finiteData(elements, shape, file, name) });
  }
  // The tensors must tile the byte buffer: sorted by offset, each starts where the last ended.
  spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let at = 0;
  for (const [begin, end, name] of spans) {
    if (begin !== at)
      throw new InputError(
        file,
        name,
        begin < at ? `data_offsets overlap another tensor's (begin ${begin} < ${at})` : `data_offsets leave a hole of ${begin - at} bytes before this tensor`,
      );
    at = end;
  }
  if (at !== buffer.length) throw new InputError(file, 'data', `has ${buffer.length - at} bytes after the last tensor`);
  return { tensors, metadata };
}

/** One header entry: {"dtype", "shape", "data_offsets"}, nothing else. */
function entryOf(v: JsonValue, file: string, name: string): { type: ElementType; shape: number[]; begin: number; end: number } {
  if (v.type !== 'object') throw new InputError(file, name, 'must be an object with dtype, shape and data_offsets');
  for (const k of v.entries.keys()) if (!['dtype', 'shape', 'data_offsets'].includes(k)) throw new InputError(file, name, `unknown field ${JSON.stringify(k)}`);
  const dtype = v.entries.get('dtype');
  if (dtype?.type !== 'string') throw new InputError(file, `${name}.dtype`, 'missing or not a string');
  const type = DTYPES[dtype.value];
  if (type === undefined)
    throw new InputError(file, `${name}.dtype`, `${JSON.stringify(dtype.value)} is not a number type relucert reads (F64, F32, F16, BF16, I8..I64, U8..U64)`);
  const shape = naturals(v.entries.get('shape'), file, `${name}.shape`);
  const offsets = naturals(v.entries.get('data_offsets'), file, `${name}.data_offsets`);
  if (offsets.length !== 2 || offsets[0]! > offsets[1]!) throw new InputError(file, `${name}.data_offsets`, 'must be [begin, end] with begin <= end');
  return { type, shape, begin: offsets[0]!, end: offsets[1]! };
}

function naturals(v: JsonValue | undefined, file: string, field: string): number[] {
  if (v?.type !== 'array') throw new InputError(file, field, 'missing or not an array');
  return v.items.map((it, i) => {
    if (it.type !== 'number' || !/^(0|[1-9]\d{0,14})$/.test(it.text)) throw new InputError(file, `${field}[${i}]`, 'must be a non-negative integer');
    return Number(it.text);
  });
}
