/**
 * Option parsers shared by the learnability commands (gram, nystrom, teacher,
 * subspace). Each throws InputError naming the option, so bad input is one
 * line and exit 2.
 */
import { type Q, parseRational } from '../core/rational.js';
import { InputError } from '../format/errors.js';
import { DECAY_LIMITS } from '../learn/gram.js';

const CL = 'command line';

/** An integer from min to max written in decimal digits (a leading "-" allowed when min < 0). */
export function parseIntIn(v: string, option: string, min: number, max: number): number {
  if (!/^-?[0-9]{1,10}$/.test(v) || Number(v) < min || Number(v) > max)
    throw new InputError(CL, option, `expected an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
  return Number(v);
}

/** An exact rational (integer, p/q or finite decimal) with no surrounding space. */
export function parseExact(v: string, option: string, what = ''): Q {
  const r = parseRational(v);
  if (r === undefined || v.trim() !== v) throw new InputError(CL, option, `${what}not an exact rational: ${JSON.stringify(v)}`);
  return r;
}

/** "C:P" (c > 0 given) or "P" (c found): p >= 0 a rational a/b with a <= 1000 and b <= 64. */
export function parseDecay(spec: string): { c?: Q; p: Q } {
  const parts = spec.split(':');
  if (parts.length > 2) throw new InputError(CL, '--decay', `expected C:P or P (lambda_i <= C i^(-P)), got ${JSON.stringify(spec)}`);
  const p = parseExact(parts[parts.length - 1]!, '--decay', 'P: ');
  if (p.sign() < 0 || p.num > DECAY_LIMITS.maxNumerator || p.den > DECAY_LIMITS.maxDenominator)
    throw new InputError(
      CL,
      '--decay',
      `P: expected a rational a/b >= 0 with a <= ${DECAY_LIMITS.maxNumerator} and b <= ${DECAY_LIMITS.maxDenominator}, got ${p}`,
    );
  if (parts.length === 1) return { p };
  const c = parseExact(parts[0]!, '--decay', 'C: ');
  if (c.sign() <= 0) throw new InputError(CL, '--decay', `C: must be > 0, got ${c}`);
  return { c, p };
}
