/**
 * A rejection is data: the clause of docs/certificates.md that failed, where
 * (a field path with the certificate's own JSON names), what the clause
 * expected and what the certificate has. One formatter turns it into the one
 * line the CLI prints. Checking functions return a Rejection, never throw
 * one: exceptions are for bugs in the checker itself.
 */

export class Rejection {
  constructor(
    /** Clause of docs/certificates.md: 'C1'..'C4', 'W1'..'W3', 'P1', 'P2', 'F1'..'F4', 'S1', 'S2'. */
    readonly rule: string,
    /** e.g. `proof.cases[1].tree.act.inact.multipliers["zh:0:1"]`. */
    readonly path: string,
    readonly expected: string,
    readonly got: string,
  ) {}
}

/** The one line printed for a rejection; text from the certificate in it is made printable. */
export function formatRejection(r: Rejection): string {
  return printable(`rejected at ${r.path === '' ? '(top level)' : r.path} (${r.rule}): expected ${r.expected}, got ${r.got}`);
}

/**
 * Characters that can move the cursor, reorder or hide text on a terminal:
 * controls (C0, DEL, C1), format characters (bidirectional embeddings,
 * overrides and isolates, zero-width characters, the byte order mark),
 * line and paragraph separators, and unpaired surrogates.
 */
const UNSAFE_IN_TEXT = /(?![\n\t])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/**
 * The characters a quoted string shows as themselves: printable ASCII
 * (U+0020 to U+007E) but the double quote, the apostrophe, the backtick
 * (two of them pass for a double quote) and the backslash (it starts an
 * escape). Everything else is outside the safe set and written as an escape:
 * a rule, not a list of known tricks, so no letter, mark or symbol of any
 * script that looks like a quote or a line break can appear inside quotes.
 */
const OUTSIDE_SAFE_SET = /[^ !#-&(-[\]-_a-~]/gu;

const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `\n`, `\r`, `\t`, or `\uXXXX` (`\u{XXXXX}` beyond U+FFFF): never a character that looks like a quote. */
function escapeChar(ch: string): string {
  const short = SHORT_ESCAPES[ch];
  if (short !== undefined) return short;
  const hex = (ch.codePointAt(0) ?? 0).toString(16);
  return hex.length <= 4 ? `\\u${hex.padStart(4, '0')}` : `\\u{${hex}}`;
}

/**
 * A string from a file as the checker shows it: in double quotes, every
 * character outside the safe set (above) written as an escape (`"` as
 * `\u0022`, `\` as `\u005c`, a newline as `\n`, `é` as `\u00e9`). The only
 * quote characters of the result are its two delimiters, and it holds no line
 * break, so a name shown this way cannot end its quotes early, start a line,
 * or imitate the words around it.
 */
export function quote(text: string): string {
  return `"${text.replace(OUTSIDE_SAFE_SET, escapeChar)}"`;
}

/** Text to print: every unsafe character but newline and tab written as an escape. Idempotent. */
export function printable(text: string): string {
  return text.replace(UNSAFE_IN_TEXT, escapeChar);
}
