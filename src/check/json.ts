/**
 * A strict JSON reader (RFC 8259) for the checker.
 *
 * Differences from JSON.parse, on purpose:
 * - number tokens are kept as their text (`{ type: 'number', text: '1e400' }`),
 *   so no number ever passes through a double; the caller decides which
 *   tokens it accepts and reads them exactly;
 * - an object that repeats a key is an error (JSON.parse keeps the last one
 *   silently, which would let a certificate say two things at once);
 * - objects are Maps, so keys like "__proto__" are plain keys;
 * - nesting is handled with an explicit stack: deep input cannot overflow
 *   the call stack.
 * A leading byte order mark is ignored.
 */
import { quote } from './rejection.js';

export type JsonValue =
  | { type: 'null' }
  | { type: 'boolean'; value: boolean }
  | { type: 'number'; text: string }
  | { type: 'string'; value: string }
  | { type: 'array'; items: JsonValue[] }
  | { type: 'object'; entries: Map<string, JsonValue> };

export type JsonObject = Extract<JsonValue, { type: 'object' }>;
export type JsonArray = Extract<JsonValue, { type: 'array' }>;

/** A syntax error, or a repeated key (`duplicateKey` set, `path` names the object). */
export interface JsonError {
  message: string;
  line: number;
  column: number;
  path: string;
  duplicateKey?: string;
}

/** Appends an object key or an array index to a field path: `a.b`, `a["x:1"]`, `a[3]`. */
export function fieldPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  if (IDENTIFIER.test(key)) return base === '' ? key : `${base}.${key}`;
  return `${base}[${quote(key)}]`;
}
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * An open container. Its field path is not stored (a path per level costs
 * memory quadratic in the depth) but rebuilt from the parents when an error
 * needs it: `slot` is the container's key or index in its parent.
 */
type Frame =
  | { kind: 'array'; parent: Frame | undefined; slot: string | number; items: JsonValue[] }
  | { kind: 'object'; parent: Frame | undefined; slot: string | number; entries: Map<string, JsonValue>; key: string };

/** The field path of a frame, e.g. `proof.cases[0].tree`. */
function pathOf(frame: Frame | undefined): string {
  const slots: (string | number)[] = [];
  for (let f = frame; f?.parent; f = f.parent) slots.push(f.slot);
  let path = '';
  for (let i = slots.length - 1; i >= 0; i--) path = fieldPath(path, slots[i]!);
  return path;
}

/**
 * Containers nested deeper than this are refused (a limit clause of
 * docs/certificates.md, "Limits"): far beyond any certificate (a proof
 * tree's nesting is about twice the literals on a path, at most 2 k n),
 * and it bounds the reader's memory on hostile input.
 */
export const MAX_NESTING = 200_000;

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const LITERALS: ReadonlyArray<[string, JsonValue]> = [
  ['true', { type: 'boolean', value: true }],
  ['false', { type: 'boolean', value: false }],
  ['null', { type: 'null' }],
];

/** Reads one JSON text. Never throws on bad input: returns a JsonError instead. */
export function parseJson(text: string): JsonValue | JsonError {
  let pos = text.startsWith('\uFEFF') ? 1 : 0;
  const stack: Frame[] = [];

  const fail = (message: string, extra: Partial<JsonError> = {}): JsonError => {
    let line = 1;
    let lineStart = 0;
    for (let p = 0; p < pos && p < text.length; p++)
      if (text[p] === '\n') {
        line++;
        lineStart = p + 1;
      }
    return { message, line, column: pos - lineStart + 1, path: pathOf(stack[stack.length - 1]), ...extra };
  };
  const skipWhitespace = (): void => {
    while (pos < text.length && (text[pos] === ' ' || text[pos] === '\n' || text[pos] === '\r' || text[pos] === '\t')) pos++;
  };
  const what = (): string => (pos >= text.length ? 'end of input' : quote(text[pos]!));

  const readString = (): string | JsonError => {
    if (text[pos] !== '"') return fail(`expected a string, found ${what()}`);
    pos++;
    let out = '';
    for (;;) {
      // copy the run of characters that need no attention in one slice
      PLAIN.lastIndex = pos;
      const run = PLAIN.exec(text)![0];
      out += run;
      pos += run.length;
      if (pos >= text.length) return fail('unterminated string');
      const ch = text[pos]!;
      if (ch === '"') {
        pos++;
        return out;
      }
      if (ch !== '\\') return fail('control character in a string');
      const esc = text[pos + 1];
      const simple = esc === undefined ? undefined : ESCAPES[esc];
      if (simple !== undefined) {
        out += simple;
        pos += 2;
      } else if (esc === 'u') {
        let code = 0;
        for (let h = 2; h < 6; h++) {
          const v = HEX.indexOf((text[pos + h] ?? 'x').toLowerCase());
          if (v < 0) return fail('bad \\u escape in a string');
          code = code * 16 + v;
        }
        out += String.fromCharCode(code);
        pos += 6;
      } else return fail('bad escape in a string');
    }
  };

  /** Reads `"key" :` into the object frame; rejects a key the object already has. */
  const readKey = (frame: Extract<Frame, { kind: 'object' }>): JsonError | undefined => {
    skipWhitespace();
    const key = readString();
    if (typeof key !== 'string') return key;
    if (frame.entries.has(key)) return fail(`duplicate key ${quote(key)}`, { duplicateKey: key });
    skipWhitespace();
    if (text[pos] !== ':') return fail(`expected ':' after a key, found ${what()}`);
    pos++;
    frame.key = key;
    return undefined;
  };

  /** The new container's parent and its key or index there. */
  const child = (): { parent: Frame | undefined; slot: string | number } => {
    const top = stack[stack.length - 1];
    return { parent: top, slot: !top ? '' : top.kind === 'array' ? top.items.length : top.key };
  };

  for (;;) {
    // At the start of a value.
    skipWhitespace();
    let value: JsonValue;
    const ch = text[pos];
    if (ch === '{' || ch === '[') {
      pos++;
      skipWhitespace();
      const close = ch === '{' ? '}' : ']';
      if (text[pos] === close) {
        pos++;
        value = ch === '{' ? { type: 'object', entries: new Map() } : { type: 'array', items: [] };
      } else if (stack.length >= MAX_NESTING) {
        return { ...fail(`containers nested deeper than ${MAX_NESTING} levels (the limit)`), path: '' };
      } else if (ch === '[') {
        stack.push({ kind: 'array', ...child(), items: [] });
        continue;
      } else {
        const frame: Frame = { kind: 'object', ...child(), entries: new Map(), key: '' };
        stack.push(frame);
        const err = readKey(frame);
        if (err) return err;
        continue;
      }
    } else if (ch === '"') {
      const s = readString();
      if (typeof s !== 'string') return s;
      value = { type: 'string', value: s };
    } else if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) {
      NUMBER.lastIndex = pos;
      const m = NUMBER.exec(text);
      if (!m) return fail('bad number');
      pos += m[0].length;
      value = { type: 'number', text: m[0] };
    } else {
      const lit = LITERALS.find(([word]) => text.startsWith(word, pos));
      if (!lit) return fail(`expected a value, found ${what()}`);
      pos += lit[0].length;
      value = lit[1];
    }
    // Attach the value to its container; close containers that end here.
    for (;;) {
      const top = stack[stack.length - 1];
      if (!top) {
        skipWhitespace();
        if (pos !== text.length) return fail(`unexpected ${what()} after the JSON value`);
        return value;
      }
      if (top.kind === 'array') top.items.push(value);
      else top.entries.set(top.key, value);
      skipWhitespace();
      const c = text[pos];
      if (c === ',') {
        pos++;
        if (top.kind === 'object') {
          const err = readKey(top);
          if (err) return err;
        }
        break;
      }
      if (c !== (top.kind === 'array' ? ']' : '}')) return fail(`expected ',' or '${top.kind === 'array' ? ']' : '}'}', found ${what()}`);
      pos++;
      stack.pop();
      value = top.kind === 'array' ? { type: 'array', items: top.items } : { type: 'object', entries: top.entries };
    }
  }
}

/** A run of string characters other than the quote, the backslash and controls. */
// eslint-disable-next-line no-control-regex -- JSON forbids raw control characters in strings (RFC 8259 section 7)
const PLAIN = /[^"\\\u0000-\u001f]*/y;
const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const HEX = '0123456789abcdef';

export function isJsonError(v: JsonValue | JsonError): v is JsonError {
  return 'message' in v;
}
