import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type JsonValue, MAX_NESTING, fieldPath, isJsonError, parseJson } from '../../src/check/json.js';
import { plain } from './json-plain.js';

describe('parseJson accepts JSON', () => {
  it('reads what JSON.parse reads (random JSON texts)', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        const v = parseJson(text);
        expect(isJsonError(v)).toBe(false);
        expect(plain(v as JsonValue)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });
  it('keeps number tokens as text', () => {
    expect(parseJson('[0.1, 1e400, -0, 12345678901234567890]')).toEqual({
      type: 'array',
      items: ['0.1', '1e400', '-0', '12345678901234567890'].map((text) => ({ type: 'number', text })),
    });
  });
  it('reads escapes and a byte order mark', () => {
    expect(parseJson('\uFEFF"a\\u00e9\\n\\"\\/"')).toEqual({ type: 'string', value: 'a\u00e9\n"/' });
  });
  it('treats __proto__ as a plain key', () => {
    const v = parseJson('{"__proto__": 1}');
    expect(!isJsonError(v) && v.type === 'object' && v.entries.get('__proto__')).toEqual({ type: 'number', text: '1' });
  });
  it('handles very deep nesting without recursion', () => {
    const depth = 100_000;
    const v = parseJson('['.repeat(depth) + ']'.repeat(depth));
    expect(isJsonError(v)).toBe(false);
  });
});

describe('parseJson rejects', () => {
  it.each([
    ['empty', ''],
    ['trailing comma', '[1,]'],
    ['trailing text', '{} x'],
    ['single quotes', "{'a': 1}"],
    ['leading zero', '01'],
    ['bare dot', '.5'],
    ['NaN', 'NaN'],
    ['raw newline in string', '"a\nb"'],
    ['bad escape', '"\\x"'],
    ['unterminated', '{"a": [1, 2}'],
    ['missing colon', '{"a" 1}'],
  ])('%s', (_name, text) => {
    expect(isJsonError(parseJson(text))).toBe(true);
  });
  it('a repeated key, naming the object and the key', () => {
    const v = parseJson('{"proof": {"m": {"zh:0:1": "1", "zh:0:1": "2"}}}');
    expect(isJsonError(v) && { path: v.path, key: v.duplicateKey }).toEqual({ path: 'proof.m', key: 'zh:0:1' });
  });
  it('a repeated key inside an array', () => {
    const v = parseJson('{"cases": [{}, {"a": 1, "a": 1}]}');
    expect(isJsonError(v) && v.path).toBe('cases[1]');
  });
  it('names the innermost open container of a syntax error, through arrays and odd keys', () => {
    const v = parseJson('{"proof": {"cases": [{"tree": {"x:1": [1, 2}]}]}}');
    expect(isJsonError(v) && v.path).toBe('proof.cases[0].tree["x:1"]');
  });
  it('nesting deeper than the limit, in bounded memory (no path kept per level)', () => {
    const depth = MAX_NESTING + 5;
    const v = parseJson('['.repeat(depth) + ']'.repeat(depth));
    expect(isJsonError(v) && v.message).toBe(`containers nested deeper than ${MAX_NESTING} levels (the limit)`);
    // just under the limit is read
    const ok = parseJson('{"a":'.repeat(MAX_NESTING - 1) + '1' + '}'.repeat(MAX_NESTING - 1));
    expect(isJsonError(ok)).toBe(false);
  });
});

describe('fieldPath', () => {
  it('writes identifiers with dots, other keys quoted, indices in brackets', () => {
    expect(fieldPath(fieldPath(fieldPath('', 'proof'), 'cases'), 1)).toBe('proof.cases[1]');
    expect(fieldPath('tree.multipliers', 'zh:0:1')).toBe('tree.multipliers["zh:0:1"]');
  });
});
