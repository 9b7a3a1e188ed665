/**
 * src/check/json.ts against JSON.parse on small broken texts, and every error
 * of the reader asserted whole: message, line, column and field path
 * (docs/mutation.md, "rational.ts, json.ts, fields.ts, rejection.ts,
 * index.ts"). Milliseconds per test but the two at the nesting limit.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type JsonError, type JsonValue, MAX_NESTING, fieldPath, isJsonError, parseJson } from '../../src/check/json.js';
import { plain } from './json-plain.js';

const jsonParses = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/** Characters that matter to a JSON reader, and some that must not be taken for them. */
const ALPHABET = [...'{}[]",:0123456789-+.eE \n\r\t\\/ubfnrtalsx', '\f', '\v', '\u00a0', '\u0000', '\u001f', '\uFEFF', 'é'];

/** A JSON text with a few random single-character edits. */
const edited = fc
  .tuple(
    fc.json({ maxDepth: 3 }),
    fc.array(fc.tuple(fc.constantFrom('insert', 'delete', 'replace'), fc.nat(), fc.constantFrom(...ALPHABET)), { minLength: 1, maxLength: 3 }),
  )
  .map(([text, edits]) => {
    for (const [kind, at, ch] of edits) {
      const i = text.length === 0 ? 0 : at % (text.length + (kind === 'insert' ? 1 : 0));
      if (kind === 'insert') text = text.slice(0, i) + ch + text.slice(i);
      else if (kind === 'delete') text = text.slice(0, i) + text.slice(i + 1);
      else text = text.slice(0, i) + ch + text.slice(i + 1);
    }
    return text;
  });

/** Small texts over the alphabet: short tokens, odd literals, bare numbers. */
const tiny = fc.string({ unit: fc.constantFrom(...ALPHABET, 'true', 'false', 'null', 'tru', '\\u00', '"a"', '1e5', '-0.5'), maxLength: 8 });

describe('parseJson decides like JSON.parse', () => {
  it('on edited JSON texts and on small random texts (a repeated key is its only extra error)', () => {
    fc.assert(
      fc.property(fc.oneof(edited, tiny), (text) => {
        const v = parseJson(text);
        const ok = jsonParses(text.startsWith('\uFEFF') ? text.slice(1) : text);
        // a repeated key may come before a syntax error: then it is the error reported
        if (isJsonError(v)) {
          if (ok) expect(v.duplicateKey, `${JSON.stringify(text)}: ${v.message}`).toBeDefined();
        } else {
          expect(ok, JSON.stringify(text)).toBe(true);
          expect(plain(v), JSON.stringify(text)).toEqual(JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text));
        }
      }),
      { numRuns: 1500 },
    );
  });
  it('keeps every number token as its own text', () => {
    const number = fc.tuple(
      fc.boolean(),
      fc.constantFrom('0', '1', '10', '907'),
      fc.constantFrom('', '.5', '.25', '.0'),
      fc.constantFrom('', 'e5', 'E-1', 'e+20', 'E007'),
    );
    fc.assert(
      fc.property(
        fc.array(
          number.map(([neg, int, frac, exp]) => `${neg ? '-' : ''}${int}${frac}${exp}`),
          { maxLength: 4 },
        ),
        (tokens) => {
          expect(parseJson(`[${tokens.join(' ,\n')}]`)).toEqual({ type: 'array', items: tokens.map((text) => ({ type: 'number', text })) });
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('parseJson reads every construct', () => {
  it.each<[string, JsonValue]>([
    ['true', { type: 'boolean', value: true }],
    ['false', { type: 'boolean', value: false }],
    ['null', { type: 'null' }],
    [' \t\r\n 7 \t\r\n ', { type: 'number', text: '7' }],
    ['-0', { type: 'number', text: '-0' }],
    ['"\\"\\\\\\/\\b\\f\\n\\r\\t"', { type: 'string', value: '"\\/\b\f\n\r\t' }],
    ['"\\u0041\\u00e9\\u00E9\\uD83D\\ude00\\u0000"', { type: 'string', value: 'A\u00e9\u00e9\u{1F600}\u0000' }],
    ['"a\\u0062c"', { type: 'string', value: 'abc' }],
    ['"\u00e9\u{1F600}"', { type: 'string', value: '\u00e9\u{1F600}' }],
    ['\uFEFF[]', { type: 'array', items: [] }],
    ['[ ]', { type: 'array', items: [] }],
    ['{ }', { type: 'object', entries: new Map() }],
    [
      '[[],{},[1]]',
      {
        type: 'array',
        items: [
          { type: 'array', items: [] },
          { type: 'object', entries: new Map() },
          { type: 'array', items: [{ type: 'number', text: '1' }] },
        ],
      },
    ],
    [
      '{"a":[true,null],"b":{"c":"d"}}',
      {
        type: 'object',
        entries: new Map<string, JsonValue>([
          ['a', { type: 'array', items: [{ type: 'boolean', value: true }, { type: 'null' }] }],
          ['b', { type: 'object', entries: new Map([['c', { type: 'string', value: 'd' }]]) }],
        ]),
      },
    ],
    [
      ' { "" : 1 , "x" : 2 } ',
      {
        type: 'object',
        entries: new Map([
          ['', { type: 'number', text: '1' }],
          ['x', { type: 'number', text: '2' }],
        ]),
      },
    ],
  ])('%j', (text, value) => {
    expect(parseJson(text)).toEqual(value);
  });
  it('keeps the order of the keys', () => {
    const v = parseJson('{"b": 1, "a": 2, "c": 3}');
    expect(!isJsonError(v) && v.type === 'object' && [...v.entries.keys()]).toEqual(['b', 'a', 'c']);
  });
});

describe('parseJson: each error whole (message, line, column, path)', () => {
  it.each<[string, JsonError]>([
    ['', { message: 'expected a value, found end of input', line: 1, column: 1, path: '' }],
    ['   ', { message: 'expected a value, found end of input', line: 1, column: 4, path: '' }],
    ['x', { message: 'expected a value, found "x"', line: 1, column: 1, path: '' }],
    ['tru', { message: 'expected a value, found "t"', line: 1, column: 1, path: '' }],
    ['nul', { message: 'expected a value, found "n"', line: 1, column: 1, path: '' }],
    ['truefalse', { message: 'unexpected "f" after the JSON value', line: 1, column: 5, path: '' }],
    ['1 2', { message: 'unexpected "2" after the JSON value', line: 1, column: 3, path: '' }],
    ['{}\n\n  }', { message: 'unexpected "}" after the JSON value', line: 3, column: 3, path: '' }],
    ['\uFEFF\uFEFF1', { message: 'expected a value, found "\\ufeff"', line: 1, column: 2, path: '' }],
    ['-', { message: 'bad number', line: 1, column: 1, path: '' }],
    ['-x', { message: 'bad number', line: 1, column: 1, path: '' }],
    ['01', { message: 'unexpected "1" after the JSON value', line: 1, column: 2, path: '' }],
    ['1.', { message: 'unexpected "." after the JSON value', line: 1, column: 2, path: '' }],
    ['1e', { message: 'unexpected "e" after the JSON value', line: 1, column: 2, path: '' }],
    ['+1', { message: 'expected a value, found "+"', line: 1, column: 1, path: '' }],
    ['"abc', { message: 'unterminated string', line: 1, column: 5, path: '' }],
    ['"a\\', { message: 'bad escape in a string', line: 1, column: 3, path: '' }],
    ['"a\tb"', { message: 'control character in a string', line: 1, column: 3, path: '' }],
    ['"\u001f"', { message: 'control character in a string', line: 1, column: 2, path: '' }],
    ['"\\x"', { message: 'bad escape in a string', line: 1, column: 2, path: '' }],
    ['"\\U0041"', { message: 'bad escape in a string', line: 1, column: 2, path: '' }],
    ['"\\u12G4"', { message: 'bad \\u escape in a string', line: 1, column: 2, path: '' }],
    ['"\\u123"', { message: 'bad \\u escape in a string', line: 1, column: 2, path: '' }],
    ['"\\u12', { message: 'bad \\u escape in a string', line: 1, column: 2, path: '' }],
    ['"\\u/000"', { message: 'bad \\u escape in a string', line: 1, column: 2, path: '' }],
    ['"\\u:000"', { message: 'bad \\u escape in a string', line: 1, column: 2, path: '' }],
    ['"\\u`000"', { message: 'bad \\u escape in a string', line: 1, column: 2, path: '' }],
    ['"\\ug000"', { message: 'bad \\u escape in a string', line: 1, column: 2, path: '' }],
    ['[1,]', { message: 'expected a value, found "]"', line: 1, column: 4, path: '' }],
    ['[1 2]', { message: "expected ',' or ']', found \"2\"", line: 1, column: 4, path: '' }],
    ['[1', { message: "expected ',' or ']', found end of input", line: 1, column: 3, path: '' }],
    ['[', { message: 'expected a value, found end of input', line: 1, column: 2, path: '' }],
    ['{', { message: 'expected a string, found end of input', line: 1, column: 2, path: '' }],
    ['{"a" 1}', { message: 'expected \':\' after a key, found "1"', line: 1, column: 6, path: '' }],
    ['{"a":1,}', { message: 'expected a string, found "}"', line: 1, column: 8, path: '' }],
    ['{"a":1 "b":2}', { message: "expected ',' or '}', found \"\\u0022\"", line: 1, column: 8, path: '' }],
    ['{"a":1]', { message: "expected ',' or '}', found \"]\"", line: 1, column: 7, path: '' }],
    ['[1}', { message: "expected ',' or ']', found \"}\"", line: 1, column: 3, path: '' }],
    ['{1:2}', { message: 'expected a string, found "1"', line: 1, column: 2, path: '' }],
    ['{"a":{"b":[1,\n  {"c" 1}]}}', { message: 'expected \':\' after a key, found "1"', line: 2, column: 8, path: 'a.b[1]' }],
    ['{"a":\r\n[0, {"x:y": [\n\n tru]}]}', { message: 'expected a value, found "t"', line: 4, column: 2, path: 'a[1]["x:y"]' }],
    // the line and column count only what comes before the error, not a newline at it or after it
    ['[1 2\n\n]\n', { message: "expected ',' or ']', found \"2\"", line: 1, column: 4, path: '' }],
    ['"a\nb"\n', { message: 'control character in a string', line: 1, column: 3, path: '' }],
    ['[\n1,\n"\n"]', { message: 'control character in a string', line: 3, column: 2, path: '' }],
    ['[[[], [1, 2 3]]]', { message: "expected ',' or ']', found \"3\"", line: 1, column: 13, path: '[0][1]' }],
  ])('%j', (text, error) => {
    expect(parseJson(text)).toEqual(error);
  });
  // a repeated key: the column is just after the key; the text read keeps the first value of each key
  it.each<[string, JsonError, unknown]>([
    ['{"a": 1, "b": {"c": 2, "c": 3}}', { message: 'duplicate key "c"', line: 1, column: 27, path: 'b', duplicateKey: 'c' }, { a: 1, b: { c: 2 } }],
    ['{"a": 1,\n "a": 2}', { message: 'duplicate key "a"', line: 2, column: 5, path: '', duplicateKey: 'a' }, { a: 1 }],
    ['[{}, {"": 1, "": 2}]', { message: 'duplicate key ""', line: 1, column: 16, path: '[1]', duplicateKey: '' }, [{}, { '': 1 }]],
    ['{"a": {"b": 1, "b": [2]}, "a": {"c": 3, "c": 4}}', { message: 'duplicate key "b"', line: 1, column: 19, path: 'a', duplicateKey: 'b' }, { a: { b: 1 } }],
  ])('%j', (text, error, value) => {
    const v = parseJson(text);
    if (!isJsonError(v)) expect.fail('expected an error');
    const { value: read, ...rest } = v;
    expect(rest).toEqual(error);
    expect(read && plain(read)).toEqual(value);
  });
  it('a syntax error after a repeated key is the error reported', () => {
    expect(parseJson('{"a": 1, "a": 2')).toEqual({ message: "expected ',' or '}', found end of input", line: 1, column: 16, path: '' });
  });
  it('refuses nesting beyond MAX_NESTING open containers, at the first one too many', () => {
    const at = (depth: number): JsonValue | JsonError => parseJson('['.repeat(depth) + ']'.repeat(depth));
    // the innermost [] is empty and never opened as a container: depth - 1 open containers
    expect(isJsonError(at(MAX_NESTING + 1))).toBe(false);
    expect(at(MAX_NESTING + 2)).toEqual({
      message: `containers nested deeper than ${MAX_NESTING} levels (the limit)`,
      line: 1,
      column: MAX_NESTING + 2,
      path: '',
    });
  });
});

describe('fieldPath', () => {
  it.each<[string, string | number, string]>([
    ['', 'a', 'a'],
    ['', 0, '[0]'],
    ['', 'x:1', '["x:1"]'],
    ['', '', '[""]'],
    ['p', 'Ab_9', 'p.Ab_9'],
    ['p', '_', 'p._'],
    ['p', 'Z', 'p.Z'],
    ['p', '9a', 'p["9a"]'],
    ['p', 'a-b', 'p["a-b"]'],
    ['p', 'a b', 'p["a b"]'],
    ['p', 'ab\n', 'p["ab\\n"]'],
    ['p', '\nab', 'p["\\nab"]'],
    ['p', 'é', 'p["\\u00e9"]'],
    ['p', 12, 'p[12]'],
    ['p', '12', 'p["12"]'],
    ['p', 'a"b', 'p["a\\u0022b"]'],
  ])('fieldPath(%j, %j) = %s', (base, key, path) => {
    expect(fieldPath(base, key)).toBe(path);
  });
});

describe('isJsonError', () => {
  it('tells an error from a value, an object with a key "message" included', () => {
    expect(isJsonError(parseJson('{"message": 1}') as JsonValue)).toBe(false);
    expect(isJsonError(parseJson('[') as JsonError)).toBe(true);
  });
});
