/**
 * CPLEX LP text of a MILP model (docs/export.md), for glpsol, cbc and other
 * solvers: every row scaled to integer coefficients, so the text is exact.
 */
import { Q, finiteDecimal, lcm } from '../../core/rational.js';
import { Deadline } from '../../core/deadline.js';
import type { MilpModel, MilpRow } from './model.js';

/** The row scaled by the positive lcm of its denominators: integer coefficients, same meaning. */
export function integerRow(r: MilpRow): { coefs: [string, bigint][]; rhs: bigint } {
  let L = r.rhs.den;
  for (const c of r.coefs.values()) L = lcm(L, c.den);
  const scale = Q.of(L);
  return {
    coefs: [...r.coefs].map(([v, c]) => [v, c.mul(scale).num]),
    rhs: r.rhs.mul(scale).num,
  };
}

/** A bound written exactly when it is a finite decimal, else to 17 significant digits (noted). */
function decimal(x: Q): string {
  return finiteDecimal(x) ?? x.toNumber().toPrecision(17);
}

/** CPLEX LP format text. Rows are scaled to integer coefficients, so they are exact. Throws Timeout past `deadline`. */
export function writeCplexLp(m: MilpModel, deadline: Deadline = Deadline.NONE): string {
  const out: string[] = [];
  for (const note of [m.title, ...m.notes]) out.push(`\\ ${note}`);
  out.push('\\ each row is scaled by the lcm of its denominators, so every coefficient is an exact integer');
  out.push('Minimize');
  out.push(' obj: 0 ' + (m.vars[0]?.name ?? 'x'));
  out.push('Subject To');
  for (const r of m.rows) {
    deadline.tick(r.coefs.size);
    const { coefs, rhs } = integerRow(r);
    const terms =
      coefs.length === 0
        ? ['0 ' + (m.vars[0]?.name ?? 'x')]
        : coefs.map(([v, c], idx) => `${c < 0n ? '- ' : idx === 0 ? '' : '+ '}${c === 1n || c === -1n ? '' : `${c < 0n ? -c : c} `}${v}`);
    const line = ` ${r.name}: ${terms.join(' ')} ${r.sense} ${rhs}`;
    out.push(wrap(line));
  }
  out.push('Bounds');
  for (const v of m.vars) {
    if (v.kind === 'binary') continue;
    if (v.lb === undefined && v.ub === undefined) out.push(` ${v.name} free`);
    else if (v.lb !== undefined && v.ub !== undefined) out.push(` ${decimal(v.lb)} <= ${v.name} <= ${decimal(v.ub)}`);
    else if (v.lb !== undefined) out.push(v.lb.isZero() ? ` ${v.name} >= 0` : ` ${decimal(v.lb)} <= ${v.name}`);
    else out.push(` -inf <= ${v.name} <= ${decimal(v.ub!)}`);
  }
  const bins = m.vars.filter((v) => v.kind === 'binary').map((v) => v.name);
  if (bins.length > 0) {
    out.push('Binaries');
    for (let i = 0; i < bins.length; i += 10) out.push(' ' + bins.slice(i, i + 10).join(' '));
  }
  out.push('End');
  return out.join('\n') + '\n';
}

/** CPLEX LP lines should stay under 255 characters; break long rows between terms. */
function wrap(line: string): string {
  if (line.length <= 200) return line;
  const parts = line.split(/ (?=[+-] )/);
  const lines: string[] = [];
  let cur = '';
  for (const p of parts) {
    if (cur.length + p.length > 200 && cur) {
      lines.push(cur);
      cur = '   ' + p;
    } else cur = cur ? `${cur} ${p}` : p;
  }
  if (cur) lines.push(cur);
  return lines.join('\n');
}
