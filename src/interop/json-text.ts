/**
 * A small JSON reader that keeps the text of every number.
 *
 * JSON.parse turns `0.1` into the nearest double and forgets the text, and
 * Node 20's revivers cannot see the source; so weight dumps written by other
 * tools (PyTorch, numpy) are read here, and each number token is turned into
 * the exact rational its decimal literal denotes (`0.1` -> 1/10, `1e-3` ->
 * 1/1000). Python's json module also writes NaN, Infinity and -Infinity; they
 * are read as number tokens so that the caller can reject them by name.
 */

export type JsonText =
  | { kind: 'null' }
  | { kind: 'bool'; value: boolean }
  | { kind: 'string'; value: string }
  /** text: the literal exactly as written ("-1.5e-3", "NaN", "-Infinity"). */
  | { kind: 'number'; text: string }
  | { kind: 'array'; items: JsonText[] }
  /** Keys in file order; duplicate keys are a parse error. */
  | { kind: 'object'; entries: Map<string, JsonText> };

/** A syntax error with a 1-based line and column. */
export class JsonSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    readonly detail: string,
  ) {
    super(`line ${line} column ${column}: ${detail}`);
    this.name = 'JsonSyntaxError';
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;
const NON_FINITE = ['NaN', 'Infinity', '-Infinity'] as const;

/** Parses JSON text (RFC 8259, plus Python's NaN / Infinity tokens); throws JsonSyntaxError. */
export function parseJsonText(text: string): JsonText {
  return new JsonTextReader(text).document();
}

/** A recursive-descent reader over one text; `pos` is the index of the next character. */
class JsonTextReader {
  private pos = 0;

  constructor(private readonly text: string) {}

  /** The whole text: one value, then nothing but whitespace. */
  document(): JsonText {
    const value = this.readValue(0);
    this.skip();
    if (this.pos < this.text.length) this.fail(`unexpected ${this.found()} after the value`);
    return value;
  }

  /** Throws JsonSyntaxError at `at` (default: the current position), with its 1-based line and column. */
  private fail(detail: string, at = this.pos): never {
    const before = this.text.slice(0, at);
    const line = before.split('\n').length;
    const column = at - before.lastIndexOf('\n');
    throw new JsonSyntaxError(line, column, detail);
  }

  private skip(): void {
    WHITESPACE.lastIndex = this.pos;
    WHITESPACE.exec(this.text);
    this.pos = WHITESPACE.lastIndex;
  }

  /** What stands at the current position, for messages. */
  private found(): string {
    return this.pos >= this.text.length ? 'end of input' : JSON.stringify(this.text.slice(this.pos, this.pos + 12));
  }

  /** A string literal starting at the current position (its escapes decoded by JSON.parse). */
  private readString(): string {
    const { text } = this;
    const start = this.pos;
    this.pos++; // opening quote
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (Number.isNaN(c)) this.fail('unterminated string', start);
      if (c === 0x22) break;
      if (c === 0x5c) this.pos += 2;
      else if (c < 0x20) this.fail('control character in string');
      else this.pos++;
    }
    this.pos++; // closing quote
    try {
      return JSON.parse(text.slice(start, this.pos)) as string;
    } catch {
      return this.fail('bad escape in string', start);
    }
  }

  private readValue(depth: number): JsonText {
    if (depth > 200) this.fail('nested too deeply');
    this.skip();
    const c = this.text[this.pos];
    if (c === '{') return this.readObject(depth);
    if (c === '[') return this.readArray(depth);
    if (c === '"') return { kind: 'string', value: this.readString() };
    return this.readWordOrNumber();
  }

  /** An object; the current character is its '{'. Duplicate keys are an error. */
  private readObject(depth: number): JsonText {
    const { text } = this;
    this.pos++;
    const entries = new Map<string, JsonText>();
    this.skip();
    if (text[this.pos] === '}') {
      this.pos++;
      return { kind: 'object', entries };
    }
    for (;;) {
      this.skip();
      if (text[this.pos] !== '"') this.fail(`expected a key string, found ${this.found()}`);
      const keyAt = this.pos;
      const key = this.readString();
      if (entries.has(key)) this.fail(`duplicate key ${JSON.stringify(key)}`, keyAt);
      this.skip();
      if (text[this.pos] !== ':') this.fail(`expected ':', found ${this.found()}`);
      this.pos++;
      entries.set(key, this.readValue(depth + 1));
      this.skip();
      if (text[this.pos] === ',') {
        this.pos++;
        continue;
      }
      if (text[this.pos] === '}') {
        this.pos++;
        return { kind: 'object', entries };
      }
      this.fail(`expected ',' or '}', found ${this.found()}`);
    }
  }

  /** An array; the current character is its '['. */
  private readArray(depth: number): JsonText {
    const { text } = this;
    this.pos++;
    const items: JsonText[] = [];
    this.skip();
    if (text[this.pos] === ']') {
      this.pos++;
      return { kind: 'array', items };
    }
    for (;;) {
      items.push(this.readValue(depth + 1));
      this.skip();
      if (text[this.pos] === ',') {
        this.pos++;
        continue;
      }
      if (text[this.pos] === ']') {
        this.pos++;
        return { kind: 'array', items };
      }
      this.fail(`expected ',' or ']', found ${this.found()}`);
    }
  }

  /** true, false, null, NaN, Infinity, -Infinity, or a number token (its text kept). */
  private readWordOrNumber(): JsonText {
    const { text } = this;
    for (const [word, value] of [
      ['true', { kind: 'bool', value: true }],
      ['false', { kind: 'bool', value: false }],
      ['null', { kind: 'null' }],
    ] as const) {
      if (text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    for (const word of NON_FINITE) {
      if (text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return { kind: 'number', text: word };
      }
    }
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(text);
    if (m) {
      this.pos = NUMBER.lastIndex;
      return { kind: 'number', text: m[0] };
    }
    return this.fail(`expected a value, found ${this.found()}`);
  }
}
