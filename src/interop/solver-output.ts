/**
 * What external solvers print, read back (docs/export.md): an SMT solver's
 * answer and model, glpsol's and cbc's MILP solution files. Values are read
 * as they are printed: exact rationals from SMT-LIB, doubles from the MILP
 * solvers (made exact later, by the caller).
 */
import type { Q } from '../core/rational.js';
import { type SExpr, parseSExprs, smtValue } from './sexpr.js';

/**
 * Reads "sat"/"unsat"/"unknown" and the model from an SMT solver's stdout:
 * the (define-fun NAME () Real VALUE) list that `:dump-models` prints (z3
 * and cvc5, possibly wrapped as (model ...)), or (get-value ...) pairs.
 */
export function readSmtOutput(stdout: string): {
  answer: 'sat' | 'unsat' | 'unknown' | 'timeout' | 'error';
  values: Map<string, Q | undefined>;
  detail?: string;
} {
  const values = new Map<string, Q | undefined>();
  let exprs: SExpr[];
  try {
    exprs = parseSExprs(stdout);
  } catch (e) {
    return { answer: 'error', values, detail: `unreadable output: ${(e as Error).message}` };
  }
  const first = exprs[0];
  if (first === 'sat' || first === 'unsat') {
    for (const e of exprs.slice(1)) {
      if (!Array.isArray(e)) continue;
      const items = e[0] === 'model' ? e.slice(1) : e;
      for (const p of items) {
        if (!Array.isArray(p)) continue;
        if (p.length === 2 && typeof p[0] === 'string') values.set(p[0], smtValue(p[1]!));
        else if (p.length === 5 && p[0] === 'define-fun' && typeof p[1] === 'string' && Array.isArray(p[2]) && p[2].length === 0)
          values.set(p[1], smtValue(p[4]!));
      }
    }
    return { answer: first, values };
  }
  if (first === 'unknown') return { answer: 'unknown', values };
  if (first === 'timeout') return { answer: 'timeout', values };
  return { answer: 'error', values, detail: stdout.trim().split('\n')[0]?.slice(0, 200) ?? '' };
}

/** Reads glpsol's --write solution ("s mip ROWS COLS STATUS OBJ", "j COL VALUE") with names from its --wglp file ("n j COL NAME"). */
export function readGlpkSolution(sol: string, glp: string): { status: 'feasible' | 'infeasible' | 'unknown'; values: Map<string, number> } {
  const names = new Map<number, string>();
  for (const line of glp.split('\n')) {
    const m = /^n j (\d+) (\S+)/.exec(line);
    if (m) names.set(Number(m[1]), m[2]!);
  }
  const values = new Map<string, number>();
  let status: 'feasible' | 'infeasible' | 'unknown' = 'unknown';
  for (const line of sol.split('\n')) {
    const s = /^s (mip|bas|ipt) \d+ \d+ (\w)/.exec(line);
    if (s) status = s[2] === 'o' || s[2] === 'f' ? 'feasible' : s[2] === 'n' ? 'infeasible' : 'unknown';
    const j = /^j (\d+) (\S+)(?: (\S+))?/.exec(line);
    if (j) {
      const name = names.get(Number(j[1]));
      // mip lines are "j COL VAL"; basic-solution lines are "j COL STAT PRIM DUAL"
      const val = Number(s ? j[2] : /^[a-z]+$/i.test(j[2]!) ? j[3] : j[2]);
      if (name !== undefined && Number.isFinite(val)) values.set(name, val);
    }
  }
  return { status, values };
}

/** Reads cbc's `solution FILE` output: a status line, then "IDX NAME VALUE REDUCED" lines. */
export function readCbcSolution(sol: string): { status: 'feasible' | 'infeasible' | 'unknown'; values: Map<string, number> } {
  const lines = sol.split('\n');
  const head = lines[0] ?? '';
  const status = /^Optimal/i.test(head)
    ? 'feasible'
    : /infeasible/i.test(head)
      ? 'infeasible'
      : /Stopped.*objective/i.test(head) && !/no solution/i.test(head)
        ? 'unknown'
        : 'unknown';
  const values = new Map<string, number>();
  for (const line of lines.slice(1)) {
    const m = /^\s*(?:\*\*\s*)?\d+\s+(\S+)\s+(\S+)/.exec(line);
    if (m && Number.isFinite(Number(m[2]))) values.set(m[1]!, Number(m[2]));
  }
  return { status, values };
}
