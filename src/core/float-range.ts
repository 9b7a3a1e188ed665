/**
 * The one rule that says where floating point may guide a search
 * (docs/engines.md, "Floats guide only where they can"): every engine that
 * uses a float LP or a float MILP asks `floatsCanGuide` before it does, and
 * src/engines/rescale.ts asks `badlyScaledCoordinate` to decide whether an
 * exact affine change of the inputs would bring the data into range.
 */
import { Q } from './rational.js';
import type { Instance } from './types.js';

/**
 * Magnitudes (powers of two) within which every nonzero number of an
 * instance must lie for a float LP to guide the search: beyond them its
 * tolerances (1e-9 on rows scaled to a largest entry of 1) no longer tell
 * the instance's numbers from 0 or from each other, or they do not fit a
 * double at all.
 */
export const FLOAT_RANGE = { minExp: -64, maxExp: 64 } as const;

const LO = Q.of(1n, 1n << BigInt(-FLOAT_RANGE.minExp));
const HI = Q.of(1n << BigInt(FLOAT_RANGE.maxExp));

/** Is q zero, or of magnitude in [2^FLOAT_RANGE.minExp, 2^FLOAT_RANGE.maxExp]? */
export function inFloatRange(q: Q): boolean {
  return q.isZero() || (q.abs().ge(LO) && q.abs().le(HI));
}

/**
 * Can a float LP guide the search on this instance? True when every nonzero
 * coordinate, label, loss bound, fixed output weight, weight bound and slope
 * is in the float range (inFloatRange). Otherwise the engines decide with
 * exact arithmetic only (docs/engines.md).
 */
export function floatsCanGuide(inst: Instance): boolean {
  const a = inst.architecture;
  const ow = a.outputWeights;
  const loss = inst.loss;
  return (
    inst.points.every((x) => x.every(inFloatRange)) &&
    inst.labels.every(inFloatRange) &&
    (ow.mode !== 'fixed' || ow.values.every(inFloatRange)) &&
    (loss.type === 'exact' || loss.type === 'classification' || inFloatRange(loss.bound)) &&
    (a.weightBound === undefined || inFloatRange(a.weightBound)) &&
    (a.slope === undefined || inFloatRange(a.slope))
  );
}

/** Fewer significant bits than this for the spread of a coordinate, and a double no longer tells its values apart well. */
const SPREAD_BITS = 26;

/**
 * Is coordinate t badly scaled for floats: some nonzero value out of the
 * float range, or values so close together relative to their size (spread
 * below 2^-26 of the largest magnitude: fewer than 27 of a double's 53 bits
 * left for the differences) that the float guide sees nearly one point?
 * An exact affine change of that coordinate removes both (rescale.ts).
 */
export function badlyScaledCoordinate(inst: Instance, t: number): boolean {
  const values = inst.points.map((x) => x[t]!);
  if (!values.every(inFloatRange)) return true;
  let lo = values[0]!;
  let hi = values[0]!;
  let big = Q.ZERO;
  for (const v of values) {
    lo = Q.min(lo, v);
    hi = Q.max(hi, v);
    big = Q.max(big, v.abs());
  }
  const spread = hi.sub(lo);
  return !spread.isZero() && spread.mul(Q.of(1n << BigInt(SPREAD_BITS))).lt(big);
}
