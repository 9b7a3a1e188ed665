/**
 * Building binary test files by their specifications: NumPy .npy
 * (numpy.lib.format) and safetensors. The committed examples in
 * examples/interop were written by NumPy and PyTorch themselves
 * (scripts/make-interop-examples.py); these builders make the hostile and
 * random cases.
 */

/** Little-endian (or big-endian) float64 bytes. */
export function float64Bytes(values: readonly number[], littleEndian = true): Uint8Array {
  const b = new Uint8Array(values.length * 8);
  const v = new DataView(b.buffer);
  values.forEach((x, i) => v.setFloat64(i * 8, x, littleEndian));
  return b;
}

export function float32Bytes(values: readonly number[]): Uint8Array {
  const b = new Uint8Array(values.length * 4);
  const v = new DataView(b.buffer);
  values.forEach((x, i) => v.setFloat32(i * 4, x, true));
  return b;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A .npy file: magic, version, header dict padded to 64 bytes, data. */
export function npyBytes(
  descr: string,
  shape: readonly number[],
  data: Uint8Array,
  o: { fortran?: boolean; version?: 1 | 2; header?: string } = {},
): Uint8Array {
  const version = o.version ?? 1;
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = o.header ?? `{'descr': '${descr}', 'fortran_order': ${o.fortran ? 'True' : 'False'}, 'shape': ${tuple}, }`;
  const lengthBytes = version === 1 ? 2 : 4;
  const pad = 64 - ((8 + lengthBytes + header.length + 1) % 64);
  header += ' '.repeat(pad % 64) + '\n';
  const pre = new Uint8Array(8 + lengthBytes);
  pre.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const v = new DataView(pre.buffer);
  if (version === 1) v.setUint16(8, header.length, true);
  else v.setUint32(8, header.length, true);
  return concat(pre, new TextEncoder().encode(header), data);
}

export interface SafeTensor {
  name: string;
  dtype: string;
  shape: number[];
  bytes: Uint8Array;
}

/** A safetensors file: 8-byte header length, JSON header, tensors back to back in the given order. */
export function safetensorsBytes(tensors: readonly SafeTensor[], metadata?: Record<string, string>, headerText?: string): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let at = 0;
  for (const t of tensors) {
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [at, at + t.bytes.length] };
    at += t.bytes.length;
  }
  const text = new TextEncoder().encode(headerText ?? JSON.stringify(header));
  const len = new Uint8Array(8);
  new DataView(len.buffer).setBigUint64(0, BigInt(text.length), true);
  return concat(len, text, ...tensors.map((t) => t.bytes));
}
