/**
 * Linear rows over named variables: the common currency of the encoders, the
 * LP solvers and the certificate emitter. Row and variable names are the ones
 * docs/certificates.md specifies (section "Rows"), so a certificate can name a
 * row and the checker can rebuild it.
 */
import { Q } from '../core/rational.js';

export type Sense = '<=' | '=' | '<';

export interface LinRow {
  name: string;
  /** variable name -> coefficient; no zero entries. */
  coefs: Map<string, Q>;
  sense: Sense;
  rhs: Q;
}

export type LinExpr = Map<string, Q>;

export function addTerm(e: LinExpr, v: string, c: Q): LinExpr {
  if (c.isZero()) return e;
  const s = (e.get(v) ?? Q.ZERO).add(c);
  if (s.isZero()) e.delete(v);
  else e.set(v, s);
  return e;
}

/** a*e1 + b*e2 as a new expression. */
export function combine(e1: LinExpr, a: Q, e2: LinExpr, b: Q): LinExpr {
  const out: LinExpr = new Map();
  for (const [v, c] of e1) addTerm(out, v, c.mul(a));
  for (const [v, c] of e2) addTerm(out, v, c.mul(b));
  return out;
}

export function row(name: string, coefs: LinExpr, sense: Sense, rhs: Q): LinRow {
  return { name, coefs, sense, rhs };
}
