/**
 * A fast path for Farkas leaves: given rows that a float LP says form an
 * infeasible system, look for multipliers on exactly those rows by solving
 * the linear equations of Farkas' lemma exactly (Gaussian elimination over
 * Q), instead of running the exact simplex:
 *     sum_r lambda_r g_r = 0 (every variable),   sum_r lambda_r rhs_r = -1.
 * Free unknowns are set to 0. The result is returned only if it is a valid
 * Farkas certificate (signs checked, combination recomputed); otherwise
 * undefined, and the caller runs the exact simplex.
 * Throws Timeout (src/core/deadline.ts) once `deadline` has passed (ticked per row
 * operation of the elimination).
 */
import { Q, gcd, lcm } from '../../core/rational.js';
import type { LinRow } from '../../encode/rows.js';
import { Deadline, bigOpUnits, bitsOf } from '../../core/deadline.js';

export function farkasBySolve(rows: readonly LinRow[], deadline: Deadline = Deadline.NONE): Map<string, Q> | undefined {
  const vars = new Map<string, number>();
  for (const r of rows) for (const v of r.coefs.keys()) if (!vars.has(v)) vars.set(v, vars.size);
  const nEq = vars.size + 1;
  const nUnk = rows.length;
  // augmented matrix, one row per equation, columns = unknowns + right-hand side
  const A: Q[][] = Array.from({ length: nEq }, () => new Array<Q>(nUnk + 1).fill(Q.ZERO));
  rows.forEach((r, c) => {
    deadline.tick(r.coefs.size + nEq);
    for (const [v, coef] of r.coefs) A[vars.get(v)!]![c] = coef;
    A[nEq - 1]![c] = r.rhs;
  });
  A[nEq - 1]![nUnk] = Q.MINUS_ONE;
  // Gauss-Jordan elimination
  const pivotCol: number[] = [];
  let row = 0;
  for (let col = 0; col < nUnk && row < nEq; col++) {
    let p = -1;
    for (let i = row; i < nEq; i++)
      if (!A[i]![col]!.isZero()) {
        p = i;
        break;
      }
    if (p < 0) continue;
    [A[row], A[p]] = [A[p]!, A[row]!];
    const pr = A[row]!;
    const inv = pr[col]!.inv();
    // rational operations (with a gcd each) on numbers of about the pivot's size
    const units = (nUnk - col + 1) * bigOpUnits(bitsOf(inv.num) + bitsOf(inv.den));
    for (let j = col; j <= nUnk; j++) pr[j] = pr[j]!.mul(inv);
    for (let i = 0; i < nEq; i++) {
      if (i === row) continue;
      deadline.tick(units);
      const f = A[i]![col]!;
      if (f.isZero()) continue;
      const ri = A[i]!;
      for (let j = col; j <= nUnk; j++) if (!pr[j]!.isZero()) ri[j] = ri[j]!.sub(f.mul(pr[j]!));
    }
    pivotCol.push(col);
    row++;
  }
  // inconsistent: a zero row with a nonzero right-hand side
  for (let i = row; i < nEq; i++) if (!A[i]![nUnk]!.isZero()) return undefined;
  const lambda = new Array<Q>(nUnk).fill(Q.ZERO);
  pivotCol.forEach((col, i) => (lambda[col] = A[i]![nUnk]!));
  // verify: signs, combination 0, right-hand side < 0
  const out = new Map<string, Q>();
  const comb = new Map<string, Q>();
  let rhs = Q.ZERO;
  for (let c = 0; c < nUnk; c++) {
    const l = lambda[c]!;
    if (l.isZero()) continue;
    const r = rows[c]!;
    if (r.sense !== '=' && l.sign() < 0) return undefined;
    out.set(r.name, l);
    for (const [v, coef] of r.coefs) comb.set(v, (comb.get(v) ?? Q.ZERO).add(l.mul(coef)));
    rhs = rhs.add(l.mul(r.rhs));
  }
  for (const x of comb.values()) if (!x.isZero()) return undefined;
  if (rhs.sign() >= 0) return undefined;
  // scale to integers for a compact certificate
  let den = 1n;
  for (const l of out.values()) den = lcm(den, l.den);
  let g = 0n;
  for (const l of out.values()) g = gcd(g, (l.num * den) / l.den);
  for (const [k, l] of out) out.set(k, Q.of((l.num * den) / l.den / (g || 1n)));
  return out;
}
