import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Q, parseRational } from '../../src/core/rational.js';
import { parseRational as exactDecimal } from '../../src/core/rational.js';
import { JsonSyntaxError, parseJsonText } from '../../src/interop/json-text.js';

/** A JSON number literal: optional '-', no leading zeros, optional fraction and exponent. */
const jsonNumber = fc
  .tuple(
    fc.boolean(),
    fc.bigInt({ min: 0n, max: 10n ** 12n }),
    fc.option(fc.stringMatching(/^\d{1,9}$/), { nil: undefined }),
    fc.option(fc.integer({ min: -30, max: 30 }), { nil: undefined }),
  )
  .map(([neg, int, frac, exp]) => `${neg ? '-' : ''}${int}${frac !== undefined ? `.${frac}` : ''}${exp !== undefined ? `e${exp}` : ''}`);

describe('parseJsonText', () => {
  it('keeps every number literal as written', () => {
    const v = parseJsonText('{"a": [0.1, -1e-3, 2.50E+2, 0], "b": "x", "c": [true, null]}');
    expect(v.kind).toBe('object');
    if (v.kind !== 'object') return;
    expect(v.entries.get('a')).toEqual({ kind: 'array', items: ['0.1', '-1e-3', '2.50E+2', '0'].map((text) => ({ kind: 'number', text })) });
    expect(v.entries.get('b')).toEqual({ kind: 'string', value: 'x' });
  });
  it('reads Python NaN and Infinity as number tokens (for the caller to refuse by name)', () => {
    expect(parseJsonText('[NaN, -Infinity]')).toEqual({
      kind: 'array',
      items: [
        { kind: 'number', text: 'NaN' },
        { kind: 'number', text: '-Infinity' },
      ],
    });
  });
  it('agrees with JSON.parse on the structure of valid JSON (property)', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        const strip = (v: ReturnType<typeof parseJsonText>): unknown => {
          switch (v.kind) {
            case 'null':
              return null;
            case 'bool':
            case 'string':
              return v.value;
            case 'number':
              return Number(v.text);
            case 'array':
              return v.items.map(strip);
            case 'object':
              return Object.fromEntries([...v.entries].map(([k, x]) => [k, strip(x)]));
          }
        };
        expect(strip(parseJsonText(text))).toEqual(JSON.parse(text));
      }),
    );
  });
  const bad: [string, string][] = [
    ['{"a": 1,}', 'expected a key string'],
    ['[1 2]', "expected ',' or ']'"],
    ['{"a": 1, "a": 2}', 'duplicate key "a"'],
    ['[01]', "expected ',' or ']'"],
    ['[.5]', 'expected a value'],
    ['"abc', 'unterminated string'],
    ['[1] x', 'after the value'],
  ];
  for (const [text, msg] of bad) {
    it(`rejects ${text} with a line and column`, () => {
      expect(() => parseJsonText(text)).toThrow(JsonSyntaxError);
      expect(() => parseJsonText(text)).toThrow(msg);
    });
  }
});

describe('parseRational on the decimal literals of weight files', () => {
  it('reads decimals and scientific notation exactly', () => {
    expect(exactDecimal('0.1')!.toString()).toBe('1/10');
    expect(exactDecimal('1e-3')!.toString()).toBe('1/1000');
    expect(exactDecimal('-2.5E2')!.toString()).toBe('-250');
    expect(exactDecimal('1.25e-1')!.toString()).toBe('1/8');
    expect(exactDecimal('7/2')!.toString()).toBe('7/2');
  });
  it('refuses NaN, infinities, junk and huge exponents', () => {
    for (const s of ['NaN', 'Infinity', '-Infinity', 'abc', '', 'e5', '1e100000']) expect(exactDecimal(s), s).toBeUndefined();
  });
  it('equals the value of mantissa * 10^exponent (property)', () => {
    fc.assert(
      fc.property(jsonNumber, (text) => {
        const [mant, exp] = text.split('e') as [string, string | undefined];
        const base = parseRational(mant)!;
        const e = Number(exp ?? 0);
        const expected = e >= 0 ? base.mul(Q.of(10n ** BigInt(e))) : base.div(Q.of(10n ** BigInt(-e)));
        expect(exactDecimal(text)!.eq(expected)).toBe(true);
      }),
    );
  });
});
