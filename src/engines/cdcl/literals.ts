/**
 * The literal encoding of the conflict-driven engine, as MiniSat's SolverTypes.h has it (Een &
 * Sorensson, SAT 2003): every other file of the engine reads and writes literals through these
 * functions, never by their bits.
 *
 * Variable v = j n + i is the activation of hidden unit j at point i (n points, so k n variables).
 * Literal 2v is ACT(j,i) (the unit passes h_ij on), 2v + 1 is INACT(j,i); the low bit is the
 * literal's sign, and negation flips it. In a certificate the same literals are named
 * "act:j:i" / "inact:j:i" (docs/certificates.md 4.6) and own the rows of literalRows
 * (src/encode/system.ts).
 */
import { type Literal, literalName, literalOfRow } from '../../encode/system.js';

/** The sign of an ACT literal (what `assign` holds for a variable whose ACT literal is true). */
export const SIGN_ACT = 0;
/** The sign of an INACT literal. */
export const SIGN_INACT = 1;

/** The variable of a literal. */
export const litVar = (lit: number): number => lit >> 1;
/** The sign of a literal: SIGN_ACT or SIGN_INACT. */
export const litSign = (lit: number): number => lit & 1;
/** Is it an ACT literal? */
export const litActive = (lit: number): boolean => (lit & 1) === SIGN_ACT;
/** The literal of variable v: ACT when `active`, else INACT. */
export const litOf = (v: number, active: boolean): number => 2 * v + (active ? SIGN_ACT : SIGN_INACT);
/** The opposite literal: ACT(j,i) <-> INACT(j,i). */
export const negate = (lit: number): number => lit ^ 1;

/** The variable of unit j at point i (n points). */
export const varOf = (j: number, i: number, n: number): number => j * n + i;
/** The unit of variable v (n points). */
export const unitOf = (v: number, n: number): number => Math.floor(v / n);
/** The point of variable v (n points). */
export const pointOf = (v: number, n: number): number => v % n;

/** The literal of a Literal (unit, point, side), n points. */
export function litOfLiteral(l: Literal, n: number): number {
  return litOf(varOf(l.unit, l.point, n), l.active);
}

/** The Literal of a literal, n points. */
export function literalOfLit(lit: number, n: number): Literal {
  const v = litVar(lit);
  return { unit: unitOf(v, n), point: pointOf(v, n), active: litActive(lit) };
}

/** A literal's name in a certificate: "act:j:i" or "inact:j:i". */
export function litName(lit: number, n: number): string {
  return literalName(literalOfLit(lit, n));
}

/** The literal whose rows include the row named `name` (act, actv, inact, inactv), or undefined for a base or loss row. */
export function litOfRow(name: string, n: number): number | undefined {
  const l = literalOfRow(name);
  return l === undefined ? undefined : litOfLiteral(l, n);
}
