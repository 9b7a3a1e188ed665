/**
 * NumPy .npy arrays, read exactly.
 *
 * The format (numpy.lib.format, versions 1.0, 2.0 and 3.0): the magic bytes
 * "\x93NUMPY", a major and a minor version byte, the header length (2 bytes
 * little-endian in version 1, 4 bytes in 2 and 3), then the header: a Python
 * dict literal such as `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }`,
 * then the raw elements. Element types read: floats f2, f4, f8 (decoded from
 * their bits as exact dyadic rationals), signed and unsigned integers of 1, 2,
 * 4 and 8 bytes; either byte order. Refused, with the file and the field:
 * structured and object arrays, booleans, complex numbers, strings, dates,
 * long doubles (f16), a data part whose length does not match the shape, and
 * NaN / Infinity (naming the index).
 *
 * Written here rather than taken from npm: the only maintained reader
 * (npyjs 1.2.0) ships without its ES module entry, and the header grammar is
 * the few lines of `parseHeader` below.
 */
import { endianness } from 'node:os';
import { InputError } from '../format/errors.js';
import { readBytes } from '../format/schema.js';
import { type ElementType, decodeElements } from './binary-numbers.js';
import { type Tensor, elementCount, finiteData } from './tensor.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Reads a .npy file into an exact tensor (row-major). Throws InputError naming the file and field. */
export function readNpy(file: string): Tensor {
  return parseNpy(readBytes(file), file);
}

/** Parses the bytes of a .npy file; `file` names it in errors. */
export function parseNpy(bytes: Uint8Array, file: string): Tensor {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw new InputError(file, '', 'not a NumPy .npy file (it does not start with "\\x93NUMPY")');
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw new InputError(file, 'version', `unknown .npy format version ${major}.${bytes[7]} (known: 1.0, 2.0, 3.0)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) throw new InputError(file, 'header', 'the file ends inside the header length');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = 8 + lengthBytes;
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length) throw new InputError(file, 'header', `the header is said to have ${headerLength} bytes, the file ends before that`);
  const headerText = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart));
  const header = parseHeader(headerText, file);

  const type = elementType(header.descr, file);
  const count = elementCount(header.shape);
  const need = count * type.bytes;
  const data = bytes.subarray(dataStart);
  if (data.length !== need) throw new InputError(file, 'data', `has ${data.length} bytes; shape (${header.shape.join(', ')}) of ${header.descr} needs ${need}`);
  const elements = decodeElements(data, type.element, count, type.littleEndian);
  const rowMajor = header.fortranOrder ? fromFortranOrder(elements, header.shape) : elements;
  return { shape: header.shape, data: finiteData(rowMajor, header.shape, file, '') };
}

interface Header {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
}

type PyValue = string | boolean | number[] | number;

/**
 * The header dict: keys 'descr' (a string), 'fortran_order' (True/False) and
 * 'shape' (a tuple of non-negative integers), nothing else. A small reader of
 * exactly that subset of Python literals; a list for 'descr' (a structured
 * array) is refused by name.
 */
function parseHeader(text: string, file: string): Header {
  let pos = 0;
  const fail = (msg: string): never => {
    throw new InputError(file, 'header', `${msg} (header ${JSON.stringify(text.trim().slice(0, 120))})`);
  };
  const skip = (): void => {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  };
  const expect = (c: string): void => {
    skip();
    if (text[pos] !== c) fail(`expected "${c}" at character ${pos + 1}`);
    pos++;
  };
  const peek = (): string | undefined => {
    skip();
    return text[pos];
  };
  const str = (): string => {
    const q = peek();
    if (q !== "'" && q !== '"') return fail(`expected a quoted string at character ${pos + 1}`);
    const end = text.indexOf(q, pos + 1);
    if (end < 0) return fail('unterminated string');
    const s = text.slice(pos + 1, end);
    if (s.includes('\\')) fail('escapes in strings are not supported');
    pos = end + 1;
    return s;
  };
  const int = (): number => {
    skip();
    const m = /^(\d+)L?/.exec(text.slice(pos));
    if (!m) return fail(`expected a non-negative integer at character ${pos + 1}`);
    pos += m[0].length;
    const v = Number(m[1]);
    if (!Number.isSafeInteger(v)) fail(`dimension ${m[1]} is too large`);
    return v;
  };
  const value = (): PyValue => {
    const c = peek();
    if (c === "'" || c === '"') return str();
    if (c === '(') {
      pos++;
      const items: number[] = [];
      while (peek() !== ')') {
        items.push(int());
        if (peek() === ',') pos++;
        else if (peek() !== ')') fail(`expected "," or ")" at character ${pos + 1}`);
      }
      pos++;
      return items;
    }
    if (c === '[') return fail("'descr' is a list: structured arrays (named fields) are not supported; save a plain numeric array");
    for (const [word, v] of [
      ['True', true],
      ['False', false],
    ] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return v;
      }
    }
    return int();
  };

  const entries = new Map<string, PyValue>();
  expect('{');
  while (peek() !== '}') {
    if (pos >= text.length) fail('unterminated dict');
    const key = str();
    expect(':');
    if (entries.has(key)) fail(`key '${key}' appears twice`);
    entries.set(key, value());
    if (peek() === ',') pos++;
    else if (peek() !== '}') fail(`expected "," or "}" at character ${pos + 1}`);
  }
  pos++;
  skip();
  if (pos !== text.length) fail(`unexpected text after the dict at character ${pos + 1}`);
  for (const k of entries.keys()) if (!['descr', 'fortran_order', 'shape'].includes(k)) fail(`unknown key '${k}'`);
  const descr = entries.get('descr');
  const fortranOrder = entries.get('fortran_order');
  const shape = entries.get('shape');
  if (typeof descr !== 'string') return fail("'descr' must be a string such as '<f8'");
  if (typeof fortranOrder !== 'boolean') return fail("'fortran_order' must be True or False");
  if (!Array.isArray(shape)) return fail("'shape' must be a tuple of integers");
  return { descr, fortranOrder, shape };
}

/** The element type of a NumPy type string such as '<f8', '>i4', '|u1'. */
function elementType(descr: string, file: string): { element: ElementType; bytes: number; littleEndian: boolean } {
  const m = /^([<>|=]?)([a-zA-Z])(\d+)$/.exec(descr);
  const kinds: Record<string, ElementType['kind']> = { f: 'float', i: 'int', u: 'uint' };
  const kind = m ? kinds[m[2]!] : undefined;
  const bytes = m ? Number(m[3]) : 0;
  const supported = kind === 'float' ? [2, 4, 8] : [1, 2, 4, 8];
  if (!m || kind === undefined || !supported.includes(bytes)) {
    const what: Record<string, string> = {
      b: 'booleans',
      c: 'complex numbers',
      U: 'strings',
      S: 'byte strings',
      O: 'Python objects',
      M: 'dates',
      m: 'time deltas',
      V: 'raw bytes',
    };
    const named = m && what[m[2]!] ? `${what[m[2]!]} are not numbers relucert reads` : 'not a supported element type';
    throw new InputError(file, 'descr', `'${descr}': ${named} (supported: float16/32/64 f2 f4 f8, signed and unsigned integers i1..i8 u1..u8)`);
  }
  // NumPy writes '<' or '>' explicitly, and '|' for single bytes; '=' is the native order.
  const littleEndian = m[1] === '=' ? endianness() === 'LE' : m[1] !== '>';
  return { element: { kind, bytes: bytes as ElementType['bytes'] }, bytes, littleEndian };
}

/** Column-major (Fortran) order to row-major (C) order. */
function fromFortranOrder<T>(elements: readonly T[], shape: readonly number[]): T[] {
  const out = new Array<T>(elements.length);
  const n = shape.length;
  const idx = new Array<number>(n).fill(0);
  for (let c = 0; c < elements.length; c++) {
    // idx is the multi-index of row-major position c; its column-major position:
    let f = 0;
    for (let a = n - 1; a >= 0; a--) f = f * shape[a]! + idx[a]!;
    out[c] = elements[f]!;
    for (let a = n - 1; a >= 0; a--) {
      if (++idx[a]! < shape[a]!) break;
      idx[a] = 0;
    }
  }
  return out;
}
