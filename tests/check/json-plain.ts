import type { JsonValue } from '../../src/check/json.js';

/** A value of the checker's JSON reader back as plain JS, numbers through Number() (tests only), to compare with JSON.parse. */
export function plain(v: JsonValue): unknown {
  switch (v.type) {
    case 'null':
      return null;
    case 'boolean':
      return v.value;
    case 'number':
      return Number(v.text);
    case 'string':
      return v.value;
    case 'array':
      return v.items.map(plain);
    case 'object':
      return Object.fromEntries([...v.entries].map(([k, x]) => [k, plain(x)]));
  }
}
