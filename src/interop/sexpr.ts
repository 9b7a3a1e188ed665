/**
 * S-expressions as SMT solvers print them (SMT-LIB 2, docs/export.md): a
 * small reader, and real numeral terms read as exact rationals.
 */
import { type Q, parseRational } from '../core/rational.js';

/** An s-expression: an atom (symbol, numeral, |quoted| symbol, "string") or a list. */
export type SExpr = string | SExpr[];

/** Parses s-expressions (atoms and lists; |quoted| symbols and "strings" kept as atoms). */
export function parseSExprs(text: string): SExpr[] {
  const out: SExpr[] = [];
  const stack: SExpr[][] = [];
  const re = /\s*(?:(\()|(\))|(\|[^|]*\|)|("(?:[^"]|"")*")|(;[^\n]*)|([^\s()|";]+))/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0].trim() === '') break;
    if (m[1]) stack.push([]);
    else if (m[2]) {
      const top = stack.pop();
      if (!top) throw new SyntaxError('unbalanced )');
      (stack.length ? stack[stack.length - 1]! : out).push(top);
    } else if (m[5]) continue;
    else {
      const atom = m[3] ?? m[4] ?? m[6]!;
      (stack.length ? stack[stack.length - 1]! : out).push(atom);
    }
  }
  if (stack.length) throw new SyntaxError('unbalanced (');
  return out;
}

/** An SMT-LIB real numeral term as an exact rational: 2, 2.5, (- x), (/ x y); undefined for anything else (root-obj, ...). */
export function smtValue(e: SExpr): Q | undefined {
  if (typeof e === 'string') return /^\d+(\.\d+)?$/.test(e) ? parseRational(e) : undefined;
  const [op, ...args] = e;
  if (op === '-' && args.length === 1) return smtValue(args[0]!)?.neg();
  if (op === '/' && args.length === 2) {
    const p = smtValue(args[0]!);
    const q = smtValue(args[1]!);
    return p !== undefined && q !== undefined && !q.isZero() ? p.div(q) : undefined;
  }
  return undefined;
}
