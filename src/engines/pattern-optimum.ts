/**
 * Activation patterns and their exact optima (docs/engines.md,
 * "Optimisation" and "Upper bounds from float fits"): the normalisation case
 * and pattern a network realises, and the least loss over one pattern (an
 * exact LP for l1 / l-inf, the exact convex QP for l2), read back as a
 * network. These are the upper-bound steps of minimize and of `--start`.
 */
import { lossOf, shapeErrors } from '../core/evaluate.js';
import { Q } from '../core/rational.js';
import type { Instance, Network } from '../core/types.js';
import { type LinExpr, type LinRow, addTerm, row } from '../encode/rows.js';
import { type Case, type Literal, baseRows, literalRows, normalisationCases, outputExpr, preActivation, unitVar } from '../encode/system.js';
import { reluSlope } from '../core/types.js';
import { minimizeRows } from './lp/exact-lp.js';
import { minimizeSquares } from './lp/exact-qp.js';
import { Deadline } from './result.js';
import { acceptWitness, networkFromPoint } from './witness.js';

/** A normalisation case and a full activation pattern (one literal per unit and point, units in the case's order). */
export interface Pattern {
  c: Case;
  lits: Literal[];
}

/**
 * The case and pattern of a network given by its output weights' signs
 * `aSign[j]` (-1, 0, +1), a test `matches` of a case against its exact
 * output weights, and `active(j, i)`: is unit j active on point i. Sign
 * output weights, and free ones of ReLU and leaky ReLU units, are
 * normalised (docs/lemmas.md L1: a sigma(h) = sign(a) sigma(|a| h), a
 * positive rescaling that keeps the pattern; L4: units sorted, negative
 * output weights first, a = 0 counted positive); other shapes need a case
 * equal to the output weights
 * (undefined when none is).
 */
export function patternFrom(
  inst: Instance,
  aSign: readonly number[],
  matches: (c: Case) => boolean,
  active: (j: number, i: number) => boolean,
): Pattern | undefined {
  const { hidden: k, activation, outputWeights: ow } = inst.architecture;
  const cases = normalisationCases(inst);
  let c: Case | undefined;
  let order = Array.from({ length: k }, (_, j) => j);
  if (ow.mode === 'signs' || (activation !== 'threshold' && ow.mode === 'free')) {
    const neg = (j: number): number => (aSign[j]! < 0 ? 0 : 1);
    order = order.sort((p, q) => neg(p) - neg(q) || p - q);
    c = cases[aSign.filter((s) => s < 0).length];
  } else c = cases.find(matches);
  if (!c) return undefined;
  const lits: Literal[] = [];
  inst.points.forEach((_, i) => order.forEach((j, u) => lits.push({ unit: u, point: i, active: active(j, i) })));
  return { c, lits };
}

/** The normalisation case and activation pattern an exact network realises (ReLU, leaky ReLU: h >= 0 is active; threshold: h > 0); see patternFrom. */
export function patternOf(inst: Instance, net: Network): Pattern | undefined {
  const [hid, out] = net.layers as [Network['layers'][0], Network['layers'][0]];
  const a = out.weights[0]!;
  const threshold = inst.architecture.activation === 'threshold';
  const pre = (j: number, i: number): Q => {
    let h = hid.bias[j]!;
    hid.weights[j]!.forEach((wt, t) => (h = h.add(wt.mul(inst.points[i]![t]!))));
    return h;
  };
  const matches = (c: Case): boolean => c.a === 'free' || c.a.every((v, j) => v.eq(a[j]!));
  return patternFrom(
    inst,
    a.map((v) => v.sign()),
    matches,
    (j, i) => (threshold ? pre(j, i).sign() > 0 : pre(j, i).sign() >= 0),
  );
}

/** A text key of a pattern, equal for equal patterns. */
export function patternKey(p: Pattern): string {
  return `${p.c.a === 'free' ? 'free' : p.c.a.join(',')}|${p.lits.map((l) => (l.active ? '1' : '0')).join('')}`;
}

/**
 * The least loss over one activation pattern: min sum u_i^2 (l2, the exact
 * QP of lp/exact-qp.ts), min sum e_i (l1) or min g (l-inf) subject to the
 * pattern's rows. Returns an exact optimal network with its exact loss, or
 * undefined when the pattern is infeasible (a pattern read off a network is
 * feasible, except for threshold units whose h lies in (0, 1), which L2
 * rescales away). Throws Timeout past `deadline`; the instance's loss must
 * be l1, linf or l2.
 */
export function bestOnPattern(
  inst: Instance,
  c: Case,
  lits: readonly Literal[],
  deadline: Deadline = Deadline.NONE,
): { network: Network; value: Q } | undefined {
  const n = inst.points.length;
  const { rows, outputs } = patternSystem(inst, c, lits);
  if (inst.loss.type === 'l2') {
    const r = minimizeSquares(rows, outputs, inst.labels, undefined, deadline);
    if (r.status !== 'optimal') return undefined;
    const network = networkFromPoint(inst, c, r.point);
    return { network, value: lossOf(inst, network).loss };
  }
  if (inst.loss.type !== 'l1' && inst.loss.type !== 'linf') throw new Error('bestOnPattern needs an l1, linf or l2 instance (bug)');
  const objective: LinExpr = new Map();
  for (let i = 0; i < n; i++) {
    const f = outputs[i]!;
    const y = inst.labels[i]!;
    const slack = inst.loss.type === 'l1' ? `e:${i}` : 'g';
    rows.push(row(`up:${i}`, addTerm(new Map(f), slack, Q.MINUS_ONE), '<=', y));
    const neg: LinExpr = new Map();
    for (const [v, q] of f) neg.set(v, q.neg());
    rows.push(row(`lo:${i}`, addTerm(neg, slack, Q.MINUS_ONE), '<=', y.neg()));
    if (inst.loss.type === 'l1') addTerm(objective, `e:${i}`, Q.ONE);
  }
  if (inst.loss.type === 'linf') addTerm(objective, 'g', Q.ONE);
  const r = minimizeRows(rows, objective, undefined, deadline);
  if (r.status !== 'optimal') return undefined;
  const network = networkFromPoint(inst, c, r.point);
  return { network, value: lossOf(inst, network).loss };
}

/**
 * The rows and outputs f_i of a full pattern, without loss rows. ReLU and
 * leaky ReLU: the unit variables eliminated (z_ij = h_ij when active,
 * slope h_ij when inactive; docs/certificates.md 4.3), leaving the weight
 * bound rows and one sign row per literal over (w, b, c), so the exact QP
 * or LP has d k + k + 1 variables. Threshold units: the base rows (loss
 * rows dropped) and the literal rows as they are.
 */
function patternSystem(inst: Instance, c: Case, lits: readonly Literal[]): { rows: LinRow[]; outputs: LinExpr[] } {
  const n = inst.points.length;
  const lossRow = /^(fit|l1p|l1n|l1sum|linfu|linfl|cls)(:|$)/;
  if (unitVar(inst, c) !== 'z') {
    const rows = [...baseRows(inst, c).filter((r) => !lossRow.test(r.name)), ...lits.flatMap((l) => literalRows(inst, c, l))];
    return { rows, outputs: Array.from({ length: n }, (_, i) => outputExpr(inst, c, i)) };
  }
  const slope = reluSlope(inst.architecture) ?? Q.ZERO;
  const rows = baseRows(inst, c).filter((r) => /^(wub|wlb|bub|blb)(:|$)/.test(r.name));
  const outputs: LinExpr[] = Array.from({ length: n }, (): LinExpr => (inst.architecture.outputBias ? new Map([['c', Q.ONE]]) : new Map<string, Q>()));
  for (const l of lits) {
    const h = preActivation(inst, l.unit, l.point);
    const a = (c.a as readonly Q[])[l.unit]!.mul(l.active ? Q.ONE : slope);
    // the literal's sign row (act / inact), the first of literalRows
    rows.push(literalRows(inst, c, l)[0]!);
    for (const [v, q] of h) addTerm(outputs[l.point]!, v, q.mul(a));
  }
  return { rows, outputs };
}

/**
 * A witness from a start network (solve --start): the network itself when it
 * has the instance's shape and meets the bound, else (l1, l-inf, l2) the
 * exact optimum of its activation pattern when that meets the bound; else
 * undefined (the search decides). Throws Timeout past `deadline`.
 */
export function startWitness(inst: Instance, start: Network, deadline: Deadline = Deadline.NONE): { network: Network; loss: Q } | undefined {
  const own = acceptWitness(inst, start);
  if (own) return { network: start, loss: own.loss };
  const type = inst.loss.type;
  if (shapeErrors(inst, start).length > 0 || (type !== 'l1' && type !== 'linf' && type !== 'l2')) return undefined;
  const pat = patternOf(inst, start);
  const best = pat ? bestOnPattern(inst, pat.c, pat.lits, deadline) : undefined;
  const rep = best ? acceptWitness(inst, best.network) : undefined;
  return best && rep ? { network: best.network, loss: rep.loss } : undefined;
}
