/**
 * Typed reading of JSON fields, each failure a Rejection under the caller's
 * rule and path. Every object is read with its full list of fields, so an
 * unknown field is never silently ignored.
 */
import { type JsonArray, type JsonObject, type JsonValue, fieldPath } from './json.js';
import { MAX_DIGITS, Rat, overDigitLimit, smallInteger } from './rational.js';

export { smallInteger };
import { Rejection, quote } from './rejection.js';

/** A short description of a JSON value for the "got" part of a rejection. */
export function describe(v: JsonValue | undefined): string {
  if (v === undefined) return 'nothing (missing)';
  switch (v.type) {
    case 'null':
      return 'null';
    case 'boolean':
      return String(v.value);
    case 'number':
      return `the JSON number ${shortText(v.text)}`;
    case 'string':
      return quote(shortText(v.value));
    case 'array':
      return `an array of ${v.items.length}`;
    case 'object':
      return 'an object';
  }
}

/** A text of at most 60 characters: longer ones cut to their first 57 and "...". */
export function shortText(text: string): string {
  return text.length > 60 ? text.slice(0, 57) + '...' : text;
}

/** A list for a message: "a, b, c", or its first 20 entries and how many there are in all. */
export function listText(items: readonly string[]): string {
  return items.length <= 20 ? items.join(', ') : `${items.slice(0, 20).join(', ')}, ... (${items.length} in all)`;
}

/** An object with all `required` fields and no field outside `required` and `optional`. */
export function readObject(
  v: JsonValue | undefined,
  rule: string,
  path: string,
  required: readonly string[],
  optional: readonly string[] = [],
): JsonObject | Rejection {
  if (v?.type !== 'object') return new Rejection(rule, path, 'an object', describe(v));
  for (const key of required) if (!v.entries.has(key)) return new Rejection(rule, fieldPath(path, key), `field "${key}"`, 'nothing (missing)');
  for (const key of v.entries.keys())
    if (!required.includes(key) && !optional.includes(key))
      return new Rejection(rule, fieldPath(path, key), `only the fields ${[...required, ...optional].join(', ')}`, `unknown field ${quote(key)}`);
  return v;
}

export function readArray(v: JsonValue | undefined, rule: string, path: string): JsonArray | Rejection {
  return v?.type === 'array' ? v : new Rejection(rule, path, 'an array', describe(v));
}

export function readString(v: JsonValue | undefined, rule: string, path: string): string | Rejection {
  return v?.type === 'string' ? v.value : new Rejection(rule, path, 'a string', describe(v));
}

export function readBoolean(v: JsonValue | undefined, rule: string, path: string): boolean | Rejection {
  return v?.type === 'boolean' ? v.value : new Rejection(rule, path, 'true or false', describe(v));
}

/**
 * An exact number (docs/formats.md): a JSON integer token with |n| < 2^53,
 * or a string holding an integer, a fraction p/q (q > 0), a finite decimal,
 * or an integer or decimal with an exponent ("1e-3"), of at most MAX_DIGITS
 * digits (section 6). A JSON number with a fraction or an exponent (0.1,
 * 1e400, 1.0) is rejected, and so is a larger JSON integer: to most JSON
 * readers these are doubles, so the file may not mean what it says.
 */
export function readRat(v: JsonValue | undefined, rule: string, path: string): Rat | Rejection {
  const expected = 'an exact number (a JSON integer, or a string "-3", "7/2", "0.125" or "1e-3")';
  if (v?.type === 'number') {
    if (!JSON_INTEGER.test(v.text)) return new Rejection(rule, path, expected, `${describe(v)} (write it as a string)`);
    const n = v.text.length <= 17 ? BigInt(v.text) : undefined;
    if (n === undefined || n > MAX_SAFE || -n > MAX_SAFE) return new Rejection(rule, path, expected, `${describe(v)} (beyond 2^53: write it as a string)`);
    return Rat.of(n);
  }
  if (v?.type === 'string') {
    const r = Rat.parse(v.value);
    if (r !== undefined) return r;
    if (overDigitLimit(v.value))
      return new Rejection(rule, path, `a number of at most ${MAX_DIGITS} digits, an exponent e counting as |e| (section 6)`, describe(v));
  }
  return new Rejection(rule, path, expected, describe(v));
}
const JSON_INTEGER = /^-?(?:0|[1-9][0-9]*)$/;
const MAX_SAFE = 2n ** 53n - 1n;

/** A JSON integer token in min..limit-1 (min 0 unless given: unit, point and similar indices; 1 for a count such as k). */
export function readIndex(v: JsonValue | undefined, rule: string, path: string, limit: number, what: string, min = 0): number | Rejection {
  const expected = `${what}: an integer from ${min} to ${limit - 1}`;
  if (v?.type !== 'number') return new Rejection(rule, path, expected, describe(v));
  const n = smallInteger(v.text);
  if (n === undefined || n < min || n >= limit) return new Rejection(rule, path, expected, describe(v));
  return n;
}

/** An exact number (as readRat) that is an integer: a JSON integer token, or a string such as "-3", "4/2" or "1e3". */
export function readInteger(v: JsonValue | undefined, rule: string, path: string, what: string): bigint | Rejection {
  const r = readRat(v, rule, path);
  if (isRejection(r)) return r;
  if (r.den !== 1n) return new Rejection(rule, path, `${what}: an integer`, r.toString());
  return r.num;
}

export function isRejection(v: unknown): v is Rejection {
  return v instanceof Rejection;
}
