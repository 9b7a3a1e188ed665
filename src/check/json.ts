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

/**
 * A JSON value. Values are never changed once read (the types say so), which
 * lets the reader share one value among equal ones: every empty object, every
 * empty array, and every short number token (the memory of a file of many
 * small values stays a small multiple of its size; section 6).
 */
export type JsonValue =
  | { readonly type: 'null' }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'number'; readonly text: string }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'array'; readonly items: readonly JsonValue[] }
  | { readonly type: 'object'; readonly entries: ReadonlyMap<string, JsonValue> };

export type JsonObject = Extract<JsonValue, { type: 'object' }>;
export type JsonArray = Extract<JsonValue, { type: 'array' }>;

/**
 * A syntax error, or a repeated key (`duplicateKey` set, `path` names the
 * object: the first repeat in the text, reported only when the rest of the
 * text is valid JSON; `value` is then the text read with the first value of
 * each repeated key, so the caller can tell what kind of file it is).
 */
export interface JsonError {
  message: string;
  line: number;
  column: number;
  path: string;
  duplicateKey?: string;
  value?: JsonValue;
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
  | { kind: 'object'; parent: Frame | undefined; slot: string | number; entries: Map<string, JsonValue>; key: string; repeated: boolean };

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
const EMPTY_OBJECT: JsonValue = { type: 'object', entries: new Map() };
const EMPTY_ARRAY: JsonValue = { type: 'array', items: [] };
/** Number tokens of at most this many characters are shared: one value per distinct text (at most 11^4 of them). */
const SHARED_NUMBER_LENGTH = 4;
const LITERALS: ReadonlyArray<[string, JsonValue]> = [
  ['true', { type: 'boolean', value: true }],
  ['false', { type: 'boolean', value: false }],
  ['null', { type: 'null' }],
];

/** Reads one JSON text. Never throws on bad input: returns a JsonError instead. */
export function parseJson(text: string): JsonValue | JsonError {
  return new JsonReader(text).read();
}

/**
 * The reader's state: the text, the position, and the containers still open
 * (innermost last). `read` alternates two steps until the top-level value is
 * complete: read a value (a scalar, or the opening of a container), then
 * attach it to the innermost open container and close every container that
 * ends there.
 */
class JsonReader {
  private pos: number;
  private readonly stack: Frame[] = [];
  /** The short number tokens read so far, one value each. */
  private readonly numbers = new Map<string, JsonValue>();
  /** The first repeated key, reported once the whole text has been read. */
  private duplicate: JsonError | undefined;

  constructor(private readonly text: string) {
    this.pos = text.startsWith('\uFEFF') ? 1 : 0;
  }

  read(): JsonValue | JsonError {
    for (;;) {
      this.skipWhitespace();
      const value = this.readValue();
      if (value === 'opened') continue;
      if (isJsonError(value)) return value;
      const done = this.attach(value);
      if (done === undefined) continue;
      return this.duplicate === undefined || isJsonError(done) ? done : { ...this.duplicate, value: done };
    }
  }

  /** A scalar or an empty container; 'opened' when a non-empty container was opened (its first key read). */
  private readValue(): JsonValue | JsonError | 'opened' {
    const ch = this.text[this.pos];
    if (ch === '{' || ch === '[') return this.open(ch);
    if (ch === '"') {
      const s = this.readString();
      return typeof s === 'string' ? { type: 'string', value: s } : s;
    }
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return this.readNumber();
    const lit = LITERALS.find(([word]) => this.text.startsWith(word, this.pos));
    if (!lit) return this.fail(`expected a value, found ${this.what()}`);
    this.pos += lit[0].length;
    return lit[1];
  }

  /** After `{` or `[`: an empty container as a value, or a new frame (with an object's first key read). */
  private open(ch: '{' | '['): JsonValue | JsonError | 'opened' {
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === (ch === '{' ? '}' : ']')) {
      this.pos++;
      return ch === '{' ? EMPTY_OBJECT : EMPTY_ARRAY;
    }
    if (this.stack.length >= MAX_NESTING) return { ...this.fail(`containers nested deeper than ${MAX_NESTING} levels (the limit)`), path: '' };
    const top = this.stack[this.stack.length - 1];
    const place = { parent: top, slot: !top ? '' : top.kind === 'array' ? top.items.length : top.key };
    if (ch === '[') {
      this.stack.push({ kind: 'array', ...place, items: [] });
      return 'opened';
    }
    const frame: Frame = { kind: 'object', ...place, entries: new Map(), key: '', repeated: false };
    this.stack.push(frame);
    return this.readKey(frame) ?? 'opened';
  }

  /**
   * Attaches a complete value to the innermost open container, then reads
   * what follows: `,` (and an object's next key), or the container's end,
   * which completes it as a value in turn. Returns the top-level value when
   * it is complete, an error, or undefined to read the next value.
   */
  private attach(value: JsonValue): JsonValue | JsonError | undefined {
    for (;;) {
      const top = this.stack[this.stack.length - 1];
      if (!top) {
        this.skipWhitespace();
        return this.pos === this.text.length ? value : this.fail(`unexpected ${this.what()} after the JSON value`);
      }
      if (top.kind === 'array') top.items.push(value);
      else if (!top.repeated) top.entries.set(top.key, value);
      this.skipWhitespace();
      const c = this.text[this.pos];
      if (c === ',') {
        this.pos++;
        return top.kind === 'object' ? this.readKey(top) : undefined;
      }
      const close = top.kind === 'array' ? ']' : '}';
      if (c !== close) return this.fail(`expected ',' or '${close}', found ${this.what()}`);
      this.pos++;
      this.stack.pop();
      // a short list is copied to its exact length: a list grown by push keeps room for more (about 17 entries for 1)
      value = top.kind === 'array' ? { type: 'array', items: top.items.length < 16 ? top.items.slice() : top.items } : { type: 'object', entries: top.entries };
    }
  }

  private readNumber(): JsonValue | JsonError {
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (!m) return this.fail('bad number');
    const text = m[0];
    this.pos += text.length;
    if (text.length > SHARED_NUMBER_LENGTH) return { type: 'number', text };
    let value = this.numbers.get(text);
    if (value === undefined) {
      value = { type: 'number', text };
      this.numbers.set(text, value);
    }
    return value;
  }

  private readString(): string | JsonError {
    if (this.text[this.pos] !== '"') return this.fail(`expected a string, found ${this.what()}`);
    this.pos++;
    let out = '';
    for (;;) {
      // copy the run of characters that need no attention in one slice
      PLAIN.lastIndex = this.pos;
      const run = PLAIN.exec(this.text)![0];
      out += run;
      this.pos += run.length;
      if (this.pos >= this.text.length) return this.fail('unterminated string');
      const ch = this.text[this.pos]!;
      if (ch === '"') {
        this.pos++;
        return out;
      }
      if (ch !== '\\') return this.fail('control character in a string');
      const escaped = this.readEscape();
      if (typeof escaped !== 'string') return escaped;
      out += escaped;
    }
  }

  /** The character a backslash escape at `pos` stands for (`\n`, `\"`, `\u00e9`, ...). */
  private readEscape(): string | JsonError {
    const esc = this.text[this.pos + 1];
    const simple = esc === undefined ? undefined : ESCAPES[esc];
    if (simple !== undefined) {
      this.pos += 2;
      return simple;
    }
    if (esc !== 'u') return this.fail('bad escape in a string');
    let code = 0;
    for (let h = 2; h < 6; h++) {
      const v = HEX.indexOf((this.text[this.pos + h] ?? 'x').toLowerCase());
      if (v < 0) return this.fail('bad \\u escape in a string');
      code = code * 16 + v;
    }
    this.pos += 6;
    return String.fromCharCode(code);
  }

  /** Reads `"key" :` into the object frame; a key the object already has is noted (its value will be read and dropped). */
  private readKey(frame: Extract<Frame, { kind: 'object' }>): JsonError | undefined {
    this.skipWhitespace();
    const key = this.readString();
    if (typeof key !== 'string') return key;
    frame.repeated = frame.entries.has(key);
    if (frame.repeated) this.duplicate ??= this.fail(`duplicate key ${quote(key)}`, { duplicateKey: key });
    this.skipWhitespace();
    if (this.text[this.pos] !== ':') return this.fail(`expected ':' after a key, found ${this.what()}`);
    this.pos++;
    frame.key = key;
    return undefined;
  }

  private skipWhitespace(): void {
    const text = this.text;
    while (this.pos < text.length && (text[this.pos] === ' ' || text[this.pos] === '\n' || text[this.pos] === '\r' || text[this.pos] === '\t')) this.pos++;
  }

  /** The character at `pos`, quoted, or "end of input". */
  private what(): string {
    return this.pos >= this.text.length ? 'end of input' : quote(this.text[this.pos]!);
  }

  /** An error at `pos`, with its line and column and the path of the innermost open container. */
  private fail(message: string, extra: Partial<JsonError> = {}): JsonError {
    let line = 1;
    let lineStart = 0;
    for (let p = 0; p < this.pos && p < this.text.length; p++)
      if (this.text[p] === '\n') {
        line++;
        lineStart = p + 1;
      }
    return { message, line, column: this.pos - lineStart + 1, path: pathOf(this.stack[this.stack.length - 1]), ...extra };
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
