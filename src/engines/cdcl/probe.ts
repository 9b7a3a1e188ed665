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

/** The instance's points and labels as floats (a guide only), computed once per instance. */
const floatData = new WeakMap<Instance, { points: number[][]; labels: number[] }>();
function floatsOf(inst: Instance): { points: number[][]; labels: number[] } {
  let f = floatData.get(inst);
  if (!f) {
    f = { points: inst.points.map((x) => x.map((v) => v.toNumber())), labels: inst.labels.map((y) => y.toNumber()) };
    floatData.set(inst, f);
  }
  return f;
}

/** Does the network read off the simplex point meet the loss bound in floats, within a relative tolerance of 1e-6? A guide only. */
function floatFits(inst: Instance, c: Case, theory: CaseTheory): boolean {
  const { hidden: k, activation, outputBias } = inst.architecture;
  const slope = reluSlope(inst.architecture)?.toNumber() ?? 0; // a guide only
  const { points, labels } = floatsOf(inst);
  const n = points.length;
  const d = points[0]?.length ?? 0;
  const loss = inst.loss;
  const fl = (name: string): number => theory.valueOf(name);
  // the network's parameters, read once: per unit its weights, bias and output weight
  const c0 = outputBias ? fl('c') : 0;
  const w = Array.from({ length: k }, (_, j) => Array.from({ length: d }, (_, t) => fl(`w:${j}:${t}`)));
  const b = Array.from({ length: k }, (_, j) => fl(`b:${j}`));
  const a = Array.from({ length: k }, (_, j) => (c.a === 'free' ? fl(`a:${j}`) : c.a[j]!.toNumber()));
  let ok = true;
  let sum = 0;
  for (let i = 0; i < n && ok; i++) {
    const x = points[i]!;
    let f = c0;
    for (let j = 0; j < k; j++) {
      let h = b[j]!;
      const wj = w[j]!;
      for (let t = 0; t < d; t++) h += x[t]! * wj[t]!;
      f += a[j]! * (activation !== 'threshold' ? Math.max(slope * h, h) : h > 1e-9 ? 1 : 0);
    }
    const y = labels[i]!;
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
