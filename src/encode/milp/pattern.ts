/**
 * The LP of one activation pattern (docs/export.md, `relucert export
 * --pattern-lp`): the exact rows of docs/certificates.md 4.3 for a
 * normalisation case with every literal fixed, as a MILP model without
 * binaries.
 */
import { Q } from '../../core/rational.js';
import type { Instance } from '../../core/types.js';
import { InputError } from '../../format/errors.js';
import type { LinRow } from '../rows.js';
import { smtName } from '../smtlib.js';
import { type Case, type Literal, baseRows, literalRows, normalisationCases } from '../system.js';
import { DEFAULT_EPSILON, type MilpModel, type MilpOptions, type MilpRow, type MilpSense } from './model.js';

/** One activation pattern: the normalisation case and, per unit and point, ACT (true) or INACT. */
export interface Pattern {
  case: Case;
  active: boolean[][];
}

/**
 * Parses a pattern for the instance: `act` (every literal ACT), or
 * `[SIGNS/]UNITS` where UNITS is k comma-separated strings of n characters,
 * 1 (ACT) or 0 (INACT), unit j's string giving points 0..n-1; SIGNS is k
 * characters + or - giving the output-weight case (only for signs / free ReLU
 * output weights; default all +). Throws InputError naming `--pattern-lp`.
 */
export function parsePattern(inst: Instance, text: string): Pattern {
  const { hidden: k } = inst.architecture;
  const n = inst.points.length;
  const bad = (msg: string): never => {
    throw new InputError('command line', '--pattern-lp', msg);
  };
  const cases = normalisationCases(inst);
  const needsSigns = cases.length > 1;
  let signs: string | undefined;
  let body = text.trim();
  const slash = body.indexOf('/');
  if (slash >= 0) {
    signs = body.slice(0, slash);
    body = body.slice(slash + 1);
  }
  let c: Case;
  if (signs !== undefined) {
    if (!needsSigns) bad(`this instance has a single output-weight case; drop the "${signs}/" prefix`);
    if (!new RegExp(`^[+-]{${k}}$`).test(signs)) bad(`signs must be ${k} characters + or -, got ${JSON.stringify(signs)}`);
    c = { a: [...signs].map((ch) => (ch === '+' ? Q.ONE : Q.MINUS_ONE)) };
  } else c = needsSigns ? { a: Array.from({ length: k }, () => Q.ONE) } : cases[0]!;
  let active: boolean[][];
  if (body.toLowerCase() === 'act') active = Array.from({ length: k }, () => Array.from({ length: n }, () => true));
  else {
    const units = body.split(',');
    if (units.length !== k) bad(`expected ${k} comma-separated unit patterns (or "act"), got ${units.length}`);
    active = units.map((u, j) => {
      if (!new RegExp(`^[01]{${n}}$`).test(u)) bad(`unit ${j}: expected ${n} characters 0 or 1, got ${JSON.stringify(u)}`);
      return [...u].map((ch) => ch === '1');
    });
  }
  return { case: c, active };
}

/** The exact rows of one pattern: base rows plus the literal rows of every (j, i). */
export function patternRows(inst: Instance, p: Pattern): LinRow[] {
  const rows = baseRows(inst, p.case);
  p.active.forEach((unit, j) =>
    unit.forEach((act, i) => {
      const lit: Literal = { unit: j, point: i, active: act };
      rows.push(...literalRows(inst, p.case, lit));
    }),
  );
  return rows;
}

/**
 * The pattern LP as a MILP model without binaries: every variable free, the
 * rows exactly those of patternRows (names with ':' written '_'); strict rows
 * get the epsilon margin.
 */
export function patternLp(inst: Instance, p: Pattern, opts: MilpOptions = {}): MilpModel {
  const eps = opts.epsilon ?? DEFAULT_EPSILON;
  const rows = patternRows(inst, p);
  const names: string[] = [];
  const seen = new Set<string>();
  const out: MilpRow[] = rows.map((r) => {
    const coefs = new Map<string, Q>();
    for (const [v, c] of r.coefs) {
      const nm = smtName(v);
      coefs.set(nm, c);
      if (!seen.has(nm)) {
        seen.add(nm);
        names.push(nm);
      }
    }
    const sense: MilpSense = r.sense === '=' ? '=' : '<=';
    return { name: smtName(r.name), coefs, sense, rhs: r.sense === '<' ? r.rhs.sub(eps) : r.rhs };
  });
  const caseText = p.case.a === 'free' ? 'free' : p.case.a.map(String).join(', ');
  const patText = p.active.map((u) => u.map((a) => (a ? '1' : '0')).join('')).join(',');
  return {
    title: `relucert pattern LP: ${inst.name}`,
    bigM: Q.ZERO,
    epsilon: eps,
    vars: names.map((name) => ({ name, kind: 'continuous' as const })),
    rows: out,
    notes: [
      `LP of one activation pattern of instance ${inst.name} (rows as docs/certificates.md names them, ':' written '_')`,
      `output weights a = (${caseText}); pattern per unit (1 = ACT, 0 = INACT, points 0..n-1): ${patText}`,
      `no big-M: every variable is free; threshold ACT rows use L2 (h >= 1), classification L3 where it applies`,
      rows.some((r) => r.sense === '<') ? `epsilon = ${eps}: strict rows are written "<= rhs - epsilon"` : 'no strict rows',
    ],
    meaning: `no point satisfies this pattern's rows${rows.some((r) => r.sense === '<') ? ` with every strict row tightened by epsilon = ${eps}` : ''}`,
  };
}
