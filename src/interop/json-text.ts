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
  let pos = 0;

  const fail = (detail: string, at = pos): never => {
    const before = text.slice(0, at);
    const line = before.split('\n').length;
    const column = at - before.lastIndexOf('\n');
    throw new JsonSyntaxError(line, column, detail);
  };
  const skip = (): void => {
    WHITESPACE.lastIndex = pos;
    WHITESPACE.exec(text);
    pos = WHITESPACE.lastIndex;
  };
  const found = (): string => (pos >= text.length ? 'end of input' : JSON.stringify(text.slice(pos, pos + 12)));

  const readString = (): string => {
    const start = pos;
    pos++; // opening quote
    for (;;) {
      const c = text.charCodeAt(pos);
      if (Number.isNaN(c)) fail('unterminated string', start);
      if (c === 0x22) break;
      if (c === 0x5c) pos += 2;
      else if (c < 0x20) fail('control character in string');
      else pos++;
    }
    pos++; // closing quote
    try {
      return JSON.parse(text.slice(start, pos)) as string;
    } catch {
      return fail('bad escape in string', start);
    }
  };

  const readValue = (depth: number): JsonText => {
    if (depth > 200) fail('nested too deeply');
    skip();
    const c = text[pos];
    if (c === '{') {
      pos++;
      const entries = new Map<string, JsonText>();
      skip();
      if (text[pos] === '}') {
        pos++;
        return { kind: 'object', entries };
      }
      for (;;) {
        skip();
        if (text[pos] !== '"') fail(`expected a key string, found ${found()}`);
        const keyAt = pos;
        const key = readString();
        if (entries.has(key)) fail(`duplicate key ${JSON.stringify(key)}`, keyAt);
        skip();
        if (text[pos] !== ':') fail(`expected ':', found ${found()}`);
        pos++;
        entries.set(key, readValue(depth + 1));
        skip();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === '}') {
          pos++;
          return { kind: 'object', entries };
        }
        fail(`expected ',' or '}', found ${found()}`);
      }
    }
    if (c === '[') {
      pos++;
      const items: JsonText[] = [];
      skip();
      if (text[pos] === ']') {
        pos++;
        return { kind: 'array', items };
      }
      for (;;) {
        items.push(readValue(depth + 1));
        skip();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === ']') {
          pos++;
          return { kind: 'array', items };
        }
        fail(`expected ',' or ']', found ${found()}`);
      }
    }
    if (c === '"') return { kind: 'string', value: readString() };
    for (const [word, value] of [
      ['true', { kind: 'bool', value: true }],
      ['false', { kind: 'bool', value: false }],
      ['null', { kind: 'null' }],
    ] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return value;
      }
    }
    for (const word of NON_FINITE) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return { kind: 'number', text: word };
      }
    }
    NUMBER.lastIndex = pos;
    const m = NUMBER.exec(text);
    if (m) {
      pos = NUMBER.lastIndex;
      return { kind: 'number', text: m[0] };
    }
    return fail(`expected a value, found ${found()}`);
  };

  const value = readValue(0);
  skip();
  if (pos < text.length) fail(`unexpected ${found()} after the value`);
  return value;
}
