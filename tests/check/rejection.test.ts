/**
 * rejection.ts: the one formatter of rejections, and how text read from a
 * certificate is shown (quoted and escaped, so that it cannot imitate the
 * checker's own words or move the cursor; issue F section 5).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rejection, formatRejection, printable, quote } from '../../src/check/rejection.js';

/** Controls, format characters, line/paragraph separators, lone surrogates. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

/** Reads back a quote(): JSON's escapes, plus \u{...} for code points beyond U+FFFF. */
const unquote = (q: string): string => JSON.parse(q.replace(/\\u\{([0-9a-f]+)\}/g, (_m, hex: string) => String.fromCodePoint(parseInt(hex, 16)))) as string;

describe('formatRejection', () => {
  it('names the path, the rule, what was expected and what was found', () => {
    expect(formatRejection(new Rejection('F3', 'proof.cases[0].tree.multipliers', 'zero', 'w:0:0 has 1'))).toBe(
      'rejected at proof.cases[0].tree.multipliers (F3): expected zero, got w:0:0 has 1',
    );
  });
  it('says "(top level)" for the empty path', () => {
    expect(formatRejection(new Rejection('C4', '', 'less work', 'more'))).toBe('rejected at (top level) (C4): expected less work, got more');
  });
  it('makes the whole line printable', () => {
    expect(formatRejection(new Rejection('C1', 'a\u202eb', 'x\ry', 'z\u2028'))).toBe('rejected at a\\u202eb (C1): expected x\\ry, got z\\u2028');
  });
});

/** The safe set of quote(): printable ASCII but the double quote, the apostrophe, the backtick and the backslash. */
const SAFE = /^[ !#-&(-[\]-_a-~]$/;

describe('quote', () => {
  it.each([
    ['plain', 'abs-3-k1', '"abs-3-k1"'],
    ['every safe character stays', ' !#$%&()*+,-./09:;<=>?@AZ[]^_az{|}~', '" !#$%&()*+,-./09:;<=>?@AZ[]^_az{|}~"'],
    ['a double quote: an escape with no quote in it', 'a"b', '"a\\u0022b"'],
    ['an apostrophe and a backtick (two of them pass for a double quote)', "''``", '"\\u0027\\u0027\\u0060\\u0060"'],
    ['a backslash', 'a\\b', '"a\\u005cb"'],
    ['newline, carriage return, tab', '\n\r\t', '"\\n\\r\\t"'],
    ['other C0 controls and DEL', '\u0000\u0007\u001b\u007f', '"\\u0000\\u0007\\u001b\\u007f"'],
    ['C1 controls', '\u0085\u009b', '"\\u0085\\u009b"'],
    ['bidirectional overrides and isolates', '\u202a\u202e\u2066\u2069\u061c\u200f', '"\\u202a\\u202e\\u2066\\u2069\\u061c\\u200f"'],
    ['zero-width characters and the byte order mark', '\u200b\u200d\ufeff\u00ad', '"\\u200b\\u200d\\ufeff\\u00ad"'],
    ['line and paragraph separators', '\u2028\u2029', '"\\u2028\\u2029"'],
    ['a lone surrogate', 'a\ud800b', '"a\\ud800b"'],
    ['a character beyond U+FFFF', 'x\u{e0001}\u{1d400}', '"x\\u{e0001}\\u{1d400}"'],
    [
      'letters, marks and symbols that look like quotes (U+02BA, U+1426, U+02DD, U+201C, U+FF02, U+030B)',
      '\u02ba\u1426\u02dd\u201c\uff02 \u030b',
      '"\\u02ba\\u1426\\u02dd\\u201c\\uff02 \\u030b"',
    ],
    ['any other letter too', 'é', '"\\u00e9"'],
  ])('%s', (_what, text, quoted) => {
    expect(quote(text)).toBe(quoted);
  });
  it('shows any string (full Unicode) with nothing outside the safe set between its quotes, and it reads back', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary-ascii' })), (s) => {
        const q = quote(s);
        expect(q.startsWith('"') && q.endsWith('"')).toBe(true);
        for (const ch of q.slice(1, -1)) expect(SAFE.test(ch) || ch === '\\', JSON.stringify(ch)).toBe(true);
        // a backslash only starts an escape: \n, \r, \t, \uXXXX or \u{X...}
        expect(q.slice(1, -1).replace(/\\(?:[nrt]|u[0-9a-f]{4}|u\{[0-9a-f]{5,6}\})/g, '')).not.toContain('\\');
        expect(unquote(q)).toBe(s);
      }),
      { numRuns: 500 },
    );
  });
});

describe('printable', () => {
  it('keeps newline and tab, escapes every other unsafe character, and leaves the rest', () => {
    expect(printable('a\nb\tc')).toBe('a\nb\tc');
    expect(printable('x\ry\u001b[2K\u202e"\\')).toBe('x\\ry\\u001b[2K\\u202e"\\');
    expect(printable('é — ∑ 𝐀')).toBe('é — ∑ 𝐀');
  });
  it('is idempotent and leaves nothing unsafe but newlines and tabs', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const p = printable(s);
        expect(printable(p)).toBe(p);
        expect(UNSAFE.test(p.replace(/[\n\t]/g, ''))).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
