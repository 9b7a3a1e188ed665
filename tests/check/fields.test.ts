/**
 * src/check/fields.ts: the typed field readers, each rejection asserted whole
 * (rule, path, expected, got), called in-process on values from parseJson
 * (docs/mutation.md, "rational.ts, json.ts, fields.ts, rejection.ts,
 * index.ts").
 */
import fc from 'fast-check';
import { describe as group, expect, it } from 'vitest';
import { describe, isRejection, readArray, readBoolean, readIndex, readObject, readRat, readString, smallInteger } from '../../src/check/fields.js';
import { type JsonValue, isJsonError, parseJson } from '../../src/check/json.js';
import { MAX_DIGITS, Rat } from '../../src/check/rational.js';
import { Rejection } from '../../src/check/rejection.js';

const json = (text: string): JsonValue => {
  const v = parseJson(text);
  if (isJsonError(v)) throw new Error(`bad test JSON ${text}: ${v.message}`);
  return v;
};
/** A rejection as a plain tuple, to compare whole. */
const whole = (r: unknown): unknown => (r instanceof Rejection ? [r.rule, r.path, r.expected, r.got] : r);

group('describe: the "got" part of a rejection', () => {
  it.each([
    ['null', 'null'],
    ['true', 'true'],
    ['false', 'false'],
    ['-12.5e3', 'the JSON number -12.5e3'],
    ['"abc"', '"abc"'],
    ['"a\\nb"', '"a\\nb"'],
    ['[]', 'an array of 0'],
    ['[1, [2, 3]]', 'an array of 2'],
    ['{}', 'an object'],
    ['{"a": 1}', 'an object'],
  ])('%s -> %s', (text, got) => {
    expect(describe(json(text))).toBe(got);
  });
  it('says "nothing (missing)" for a missing field', () => {
    expect(describe(undefined)).toBe('nothing (missing)');
  });
  it('cuts numbers and strings longer than 60 characters to 57 and "..."', () => {
    const n60 = '1'.repeat(60);
    const n61 = '1'.repeat(61);
    expect(describe(json(n60))).toBe(`the JSON number ${n60}`);
    expect(describe(json(n61))).toBe(`the JSON number ${'1'.repeat(57)}...`);
    expect(describe(json(`"${'x'.repeat(60)}"`))).toBe(`"${'x'.repeat(60)}"`);
    expect(describe(json(`"${'x'.repeat(58)}yz!"`))).toBe(`"${'x'.repeat(57)}..."`);
  });
});

group('readObject', () => {
  const read = (text: string | undefined, required: string[], optional?: string[]): unknown =>
    whole(readObject(text === undefined ? undefined : json(text), 'C1', 'top', required, optional));
  it('returns the object itself when it has the fields', () => {
    const v = json('{"a": 1, "b": 2}');
    expect(readObject(v, 'C1', 'top', ['a'], ['b'])).toBe(v);
    expect(readObject(v, 'C1', 'top', ['b', 'a'])).toBe(v);
    expect(readObject(json('{"a": 1}'), 'C1', 'top', ['a'], ['b'])).toEqual(json('{"a": 1}'));
    expect(readObject(json('{}'), 'C1', 'top', [])).toEqual(json('{}'));
  });
  it.each<[string | undefined, string[], string[] | undefined, unknown]>([
    [undefined, ['a'], undefined, ['C1', 'top', 'an object', 'nothing (missing)']],
    ['[1]', ['a'], undefined, ['C1', 'top', 'an object', 'an array of 1']],
    ['"x"', [], undefined, ['C1', 'top', 'an object', '"x"']],
    ['null', [], undefined, ['C1', 'top', 'an object', 'null']],
    ['{"b": 1}', ['a', 'b'], undefined, ['C1', 'top.a', 'field "a"', 'nothing (missing)']],
    ['{"a": 1}', ['a', 'b'], ['c'], ['C1', 'top.b', 'field "b"', 'nothing (missing)']],
    ['{"a": 1, "z:1": 2}', ['a'], ['b', 'c'], ['C1', 'top["z:1"]', 'only the fields a, b, c', 'unknown field "z:1"']],
    ['{"a": 1, "b": 2}', ['a'], undefined, ['C1', 'top.b', 'only the fields a', 'unknown field "b"']],
    ['{"c": 1}', [], ['a', 'b'], ['C1', 'top.c', 'only the fields a, b', 'unknown field "c"']],
    ['{"__proto__": 1}', [], undefined, ['C1', 'top.__proto__', 'only the fields ', 'unknown field "__proto__"']],
  ])('%s with %j and %j', (text, required, optional, want) => {
    expect(read(text, required, optional)).toEqual(want);
  });
  it('names the first missing field, then the first unknown one', () => {
    expect(read('{"x": 1}', ['a', 'b'])).toEqual(['C1', 'top.a', 'field "a"', 'nothing (missing)']);
    expect(read('{"x": 1, "y": 2, "a": 3}', ['a'])).toEqual(['C1', 'top.x', 'only the fields a', 'unknown field "x"']);
  });
  it('keeps the rule and path it is given', () => {
    expect(whole(readObject(json('1'), 'F2', '', ['a']))).toEqual(['F2', '', 'an object', 'the JSON number 1']);
    expect(whole(readObject(json('{}'), 'P1', '', ['a']))).toEqual(['P1', 'a', 'field "a"', 'nothing (missing)']);
  });
});

group('readArray, readString, readBoolean', () => {
  it('return the value read', () => {
    const a = json('[1, 2]');
    expect(readArray(a, 'C1', 'p')).toBe(a);
    expect(readString(json('"abc"'), 'C1', 'p')).toBe('abc');
    expect(readString(json('""'), 'C1', 'p')).toBe('');
    expect(readBoolean(json('true'), 'C1', 'p')).toBe(true);
    expect(readBoolean(json('false'), 'C1', 'p')).toBe(false);
  });
  it.each([
    ['{}', 'an object'],
    ['"[]"', '"[]"'],
    ['0', 'the JSON number 0'],
  ])('readArray refuses %s', (text, got) => {
    expect(whole(readArray(json(text), 'W1', 'net.units'))).toEqual(['W1', 'net.units', 'an array', got]);
  });
  it.each([
    ['1', 'the JSON number 1'],
    ['null', 'null'],
    ['["a"]', 'an array of 1'],
  ])('readString refuses %s', (text, got) => {
    expect(whole(readString(json(text), 'C3', 'instanceHash'))).toEqual(['C3', 'instanceHash', 'a string', got]);
  });
  it.each([
    ['"true"', '"true"'],
    ['0', 'the JSON number 0'],
    ['null', 'null'],
  ])('readBoolean refuses %s', (text, got) => {
    expect(whole(readBoolean(json(text), 'C2', 'x.y'))).toEqual(['C2', 'x.y', 'true or false', got]);
  });
  it('refuse a missing field', () => {
    expect(whole(readArray(undefined, 'P1', 'a'))).toEqual(['P1', 'a', 'an array', 'nothing (missing)']);
    expect(whole(readString(undefined, 'P1', 'a'))).toEqual(['P1', 'a', 'a string', 'nothing (missing)']);
    expect(whole(readBoolean(undefined, 'P1', 'a'))).toEqual(['P1', 'a', 'true or false', 'nothing (missing)']);
  });
});

group('readRat', () => {
  const EXPECTED = 'an exact number (a JSON integer, or a string "-3", "7/2", "0.125" or "1e-3")';
  const read = (text: string): unknown => {
    const r = readRat(json(text), 'F2', 'm');
    return r instanceof Rat ? r.toString() : whole(r);
  };
  it.each([
    ['0', '0'],
    ['-0', '0'],
    ['7', '7'],
    ['-7', '-7'],
    ['9007199254740991', '9007199254740991'],
    ['-9007199254740991', '-9007199254740991'],
    ['"7/2"', '7/2'],
    ['"-0.125"', '-1/8'],
    ['"1e-3"', '1/1000'],
    ['"9007199254740993"', '9007199254740993'],
  ])('reads %s', (text, value) => {
    expect(read(text)).toBe(value);
  });
  it.each([
    ['0.5', 'the JSON number 0.5 (write it as a string)'],
    ['1e3', 'the JSON number 1e3 (write it as a string)'],
    ['1.0', 'the JSON number 1.0 (write it as a string)'],
    ['-0.0', 'the JSON number -0.0 (write it as a string)'],
    ['9007199254740992', 'the JSON number 9007199254740992 (beyond 2^53: write it as a string)'],
    ['-9007199254740992', 'the JSON number -9007199254740992 (beyond 2^53: write it as a string)'],
    ['99999999999999999', 'the JSON number 99999999999999999 (beyond 2^53: write it as a string)'],
    ['100000000000000000', 'the JSON number 100000000000000000 (beyond 2^53: write it as a string)'],
    ['-10000000000000000', 'the JSON number -10000000000000000 (beyond 2^53: write it as a string)'],
    ['"1/0"', '"1/0"'],
    ['"x"', '"x"'],
    ['""', '""'],
    ['" 1"', '" 1"'],
    ['null', 'null'],
    ['true', 'true'],
    ['[1]', 'an array of 1'],
    ['{}', 'an object'],
  ])('refuses %s', (text, got) => {
    expect(read(text)).toEqual(['F2', 'm', EXPECTED, got]);
  });
  it('refuses a missing field', () => {
    expect(whole(readRat(undefined, 'W2', 'a'))).toEqual(['W2', 'a', EXPECTED, 'nothing (missing)']);
  });
  it('refuses a string over the digit limit with its own expectation', () => {
    const digitRule = `a number of at most ${MAX_DIGITS} digits, an exponent e counting as |e| (section 6)`;
    expect(read('"1e100000"')).toEqual(['F2', 'm', digitRule, '"1e100000"']);
    expect(read(`"${'7'.repeat(MAX_DIGITS + 1)}"`)).toEqual(['F2', 'm', digitRule, `"${'7'.repeat(57)}..."`]);
    // over the limit and not a number at all: still the digit limit (decided from the text alone)
    expect(read(`"x${'7'.repeat(MAX_DIGITS + 1)}"`)).toEqual(['F2', 'm', digitRule, `"x${'7'.repeat(56)}..."`]);
    expect(read('"1e99999"')).toBe('1' + '0'.repeat(99999));
  });
  it('reads every JSON integer token of |n| < 2^53 and refuses the rest', () => {
    const limit = 2n ** 53n;
    fc.assert(
      fc.property(fc.bigInt({ min: -(limit * 4n), max: limit * 4n }), (n) => {
        const r = readRat(json(n.toString()), 'F2', 'm');
        if (n < limit && -n < limit) expect(r instanceof Rat && r.num === n && r.den === 1n).toBe(true);
        else expect(whole(r)).toEqual(['F2', 'm', EXPECTED, `the JSON number ${n} (beyond 2^53: write it as a string)`]);
      }),
      { numRuns: 200 },
    );
  });
});

group('readIndex and smallInteger', () => {
  const read = (text: string | undefined, limit: number): unknown => whole(readIndex(text === undefined ? undefined : json(text), 'W1', 'p', limit, 'a unit'));
  it.each([
    ['0', 1, 0],
    ['0', 5, 0],
    ['4', 5, 4],
    ['123456789', 123456790, 123456789],
  ])('reads %s below %d', (text, limit, value) => {
    expect(read(text, limit)).toBe(value);
  });
  it.each<[string | undefined, number, string]>([
    ['5', 5, 'the JSON number 5'],
    ['1', 1, 'the JSON number 1'],
    ['0', 0, 'the JSON number 0'],
    ['-1', 5, 'the JSON number -1'],
    ['-0', 5, 'the JSON number -0'],
    ['1.0', 5, 'the JSON number 1.0'],
    ['1e0', 5, 'the JSON number 1e0'],
    ['1234567890', 2 ** 31, 'the JSON number 1234567890'],
    ['"1"', 5, '"1"'],
    [undefined, 5, 'nothing (missing)'],
  ])('refuses %s below %d', (text, limit, got) => {
    expect(read(text, limit)).toEqual(['W1', 'p', `a unit: an integer from 0 to ${limit - 1}`, got]);
  });
  it('with a least value: reads it and above, refuses below it and names the range from it', () => {
    const count = (text: string): unknown => whole(readIndex(json(text), 'C2', 'k', 65, 'hidden units', 1));
    expect(count('1')).toBe(1);
    expect(count('64')).toBe(64);
    expect(count('0')).toEqual(['C2', 'k', 'hidden units: an integer from 1 to 64', 'the JSON number 0']);
    expect(count('65')).toEqual(['C2', 'k', 'hidden units: an integer from 1 to 64', 'the JSON number 65']);
  });
  it.each<[string, number | undefined]>([
    ['0', 0],
    ['7', 7],
    ['10', 10],
    ['908', 908],
    ['999999999', 999999999],
    ['123456789', 123456789],
    ['1000000000', undefined],
    ['00', undefined],
    ['01', undefined],
    ['-1', undefined],
    ['', undefined],
    ['1.5', undefined],
    ['1 ', undefined],
    [' 1', undefined],
    ['a', undefined],
    ['1a', undefined],
    ['٣', undefined],
  ])('smallInteger(%j) = %s', (text, value) => {
    expect(smallInteger(text)).toBe(value);
  });
  it('smallInteger reads every canonical decimal of up to 9 digits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999 }), (n) => {
        expect(smallInteger(String(n))).toBe(n);
      }),
      { numRuns: 200 },
    );
  });
});

group('isRejection', () => {
  it('is true for a Rejection only', () => {
    expect(isRejection(new Rejection('C1', '', 'a', 'b'))).toBe(true);
    expect(isRejection({ rule: 'C1', path: '', expected: 'a', got: 'b' })).toBe(false);
    expect(isRejection(undefined)).toBe(false);
    expect(isRejection('C1')).toBe(false);
  });
});
