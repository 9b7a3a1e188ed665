/**
 * Witness probing (docs/engines.md, "The conflict-driven engine"): at every node where the float
 * simplex is consistent, its point is read as a network. A float pre-test of the network's loss
 * first (cheap, a guide only); when it passes, the point is rounded to rationals of small
 * denominators and the network is tested exactly with acceptWitness, which alone decides.
 */
import { approximate, type Q } from '../../core/rational.js';
import { type Instance, type Network, reluSlope } from '../../core/types.js';
import type { Case } from '../../encode/system.js';
import { acceptWitness, networkFromPoint } from '../witness.js';
import type { CaseTheory } from './theory.js';

/** The network at the theory's current simplex point, with its exact loss, when it fits; undefined otherwise. */
export function probeWitness(inst: Instance, c: Case, theory: CaseTheory): { network: Network; loss: Q } | undefined {
  if (!floatFits(inst, c, theory)) return undefined;
  const point = theory.point();
  for (const den of [1000n, 1_000_000n]) {
    const exact = new Map<string, Q>();
    for (const [name, x] of point) exact.set(name, approximate(x, den));
    const network = networkFromPoint(inst, c, exact);
    const rep = acceptWitness(inst, network);
    if (rep) return { network, loss: rep.loss };
  }
  return undefined;
}

/** Does the network read off the simplex point meet the loss bound in floats, within a relative tolerance of 1e-6? A guide only. */
function floatFits(inst: Instance, c: Case, theory: CaseTheory): boolean {
  const { hidden: k, activation, outputBias } = inst.architecture;
  const slope = reluSlope(inst.architecture)?.toNumber() ?? 0; // a guide only
  const n = inst.points.length;
  const d = inst.points[0]?.length ?? 0;
  const loss = inst.loss;
  const fl = (name: string): number => theory.valueOf(name);
  let ok = true;
  let sum = 0;
  for (let i = 0; i < n && ok; i++) {
    const x = inst.points[i]!;
    let f = outputBias ? fl('c') : 0;
    for (let j = 0; j < k; j++) {
      let h = fl(`b:${j}`);
      for (let t = 0; t < d; t++) h += x[t]!.toNumber() * fl(`w:${j}:${t}`);
      const a = c.a === 'free' ? fl(`a:${j}`) : c.a[j]!.toNumber();
      f += a * (activation !== 'threshold' ? Math.max(slope * h, h) : h > 1e-9 ? 1 : 0);
    }
    const y = inst.labels[i]!.toNumber();
    const err = Math.abs(f - y);
    const tol = 1e-6 * (1 + Math.abs(y));
    switch (loss.type) {
      case 'exact':
        ok = err <= tol;
        break;
      case 'linf':
        ok = err <= loss.bound.toNumber() + tol;
        break;
      case 'l1':
        sum += err;
        break;
      case 'classification':
        ok = y * f > -tol;
        break;
      case 'l2':
        sum += err * err;
        break;
    }
  }
  if (ok && loss.type === 'l1') ok = sum <= loss.bound.toNumber() + 1e-6 * (1 + n);
  if (ok && loss.type === 'l2') ok = sum <= loss.bound.toNumber() + 1e-6 * (1 + n);
  return ok;
}
