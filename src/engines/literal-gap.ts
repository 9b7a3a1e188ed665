/**
 * How far an LP point is from a real network at each undetermined
 * (unit, point) pair: the float search's guide for choosing a literal to
 * split on (exact.ts) and for lookahead (src/cube/lookahead.ts). A guide
 * only: nothing here decides a verdict.
 */
import { type Instance, reluSlope } from '../core/types.js';
import { type Case, unitVar } from '../encode/system.js';

export interface LiteralGap {
  unit: number;
  point: number;
  /** the relaxation error at the point: ReLU |z - relu(h)|; step and free step as in the comment below */
  gap: number;
  /** whether the point's pre-activation h puts the pair on the ACT side */
  activeAtPoint: boolean;
}

/**
 * The gap of one pair: `kind` the case's unit variable (unitVar), h the
 * pre-activation, u the unit's value, a the free step's output weight (used
 * by kind 'p' only), slope the leaky ReLU's (kind 'z'; 0 for ReLU). The formulas are those of literalGaps below.
 */
export function gapAt(kind: 'z' | 's' | 'p', h: number, u: number, a: number, slope = 0): { gap: number; activeAtPoint: boolean } {
  let gap: number;
  if (kind === 'z') gap = Math.abs(u - Math.max(slope * h, h));
  else if (kind === 's') gap = Math.min(u, 1 - u) + Math.abs(u - (h > 0.5 ? 1 : 0));
  else gap = Math.abs(u - (h > 0.5 ? a : 0)) + 1e-3;
  return { gap, activeAtPoint: kind === 'z' ? h >= 0 : h > 0.5 };
}

/**
 * The gap of every pair (j, i) not in `fixed` (keys "j:i") at the float LP
 * point `p` (variable name -> value), in the order i = 0..n-1, j = 0..k-1.
 * ReLU: |z - max(0, h)|; leaky ReLU: |z - max(slope h, h)|. Step with fixed output weights: distance of s from
 * {0, 1} plus its distance from the value h suggests (1 if h > 1/2). Step with
 * free output weights: |p - (a if h > 1/2 else 0)| + 1e-3 (so every free pair
 * stays a candidate).
 */
export function literalGaps(inst: Instance, c: Case, p: ReadonlyMap<string, number>, fixed: ReadonlySet<string>): LiteralGap[] {
  const kind = unitVar(inst, c);
  const slope = reluSlope(inst.architecture)?.toNumber() ?? 0; // a guide only
  const k = inst.architecture.hidden;
  const out: LiteralGap[] = [];
  inst.points.forEach((x, i) => {
    for (let j = 0; j < k; j++) {
      if (fixed.has(`${j}:${i}`)) continue;
      let h = p.get(`b:${j}`) ?? 0;
      x.forEach((xt, t) => (h += xt.toNumber() * (p.get(`w:${j}:${t}`) ?? 0)));
      out.push({ unit: j, point: i, ...gapAt(kind, h, p.get(`${kind}:${j}:${i}`) ?? 0, p.get(`a:${j}`) ?? 0, slope) });
    }
  });
  return out;
}
