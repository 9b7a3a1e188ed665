/**
 * Optimisation, certified on both sides (issue B).
 *
 * Least loss (l1 or l-inf) for the instance's width k:
 *   gamma <- loss of the zero network (a valid network of every shape);
 *   repeat: decide "loss < gamma" with the exact engine;
 *     feasible  -> take the witness's activation pattern, minimise the loss
 *                  exactly over that pattern (an LP), gamma <- that optimum;
 *     infeasible -> gamma* = gamma: the last witness has loss gamma, and the
 *                  proof shows no network has loss < gamma.
 *   Each round strictly lowers gamma to the optimum of a new pattern, so the
 *   loop ends after at most (number of patterns) rounds; in practice a few.
 * Least width for the instance's loss: k = 1, 2, ... up to maxWidth; the first
 * feasible k is k*, and the proof for k* - 1 is the lower side.
 */
import { lossOf } from '../core/evaluate.js';
import { Q } from '../core/rational.js';
import type { Instance, Network } from '../core/types.js';
import { type LinExpr, type LinRow, addTerm, row } from '../encode/rows.js';
import { type Case, type Literal, baseRows, literalRows, normalisationCases, outputExpr } from '../encode/system.js';
import { minimizeRows } from './exact-lp.js';
import type { Proof, SearchStats, SolveOptions, SolveResult } from './result.js';
import { acceptWitness, networkFromPoint } from './witness.js';

export type OptimumResult =
  | {
      status: 'optimal';
      value: Q;
      /** the instance at the optimum (bound = value) and its witness */
      witness: { instance: Instance; network: Network };
      /** the instance asking for less (strict bound, or k* - 1) and its proof; absent when k* = 1 */
      below?: { instance: Instance; proof: Proof };
      rounds: number;
      stats: SearchStats[];
    }
  | { status: 'unknown'; reason: string; best?: { value: Q; instance: Instance; network: Network }; stats: SearchStats[] };

type Solver = (inst: Instance, opts: SolveOptions) => Promise<SolveResult>;

/** The network with all weights 0 (output weights allowed by the mode): a network of every shape. */
export function zeroNetwork(inst: Instance): Network {
  const { hidden: k, activation, outputWeights: ow } = inst.architecture;
  const d = inst.points[0]!.length;
  const a = ow.mode === 'fixed' ? ow.values : Array.from({ length: k }, () => Q.ONE);
  return {
    layers: [
      { activation, weights: Array.from({ length: k }, () => Array.from({ length: d }, () => Q.ZERO)), bias: Array.from({ length: k }, () => Q.ZERO) },
      { activation: 'identity', weights: [a], bias: [Q.ZERO] },
    ],
  };
}

/** The normalisation case and activation pattern a network realises (ReLU: h >= 0 is active; threshold: h > 0). */
function patternOf(inst: Instance, net: Network): { c: Case; lits: Literal[] } | undefined {
  const [hid, out] = net.layers as [Network['layers'][0], Network['layers'][0]];
  const a = out.weights[0]!;
  const cases = normalisationCases(inst);
  const c = cases.find((cc) => cc.a === 'free' || cc.a.every((v, j) => v.eq(a[j]!)));
  if (!c) return undefined;
  const lits: Literal[] = [];
  inst.points.forEach((x, i) =>
    hid.weights.forEach((w, j) => {
      let h = hid.bias[j]!;
      w.forEach((wt, t) => (h = h.add(wt.mul(x[t]!))));
      lits.push({ unit: j, point: i, active: inst.architecture.activation === 'relu' ? h.sign() >= 0 : h.sign() > 0 });
    }),
  );
  return { c, lits };
}

/**
 * The least loss over one activation pattern: min sum e_i (l1) or min g (l-inf)
 * subject to the pattern's rows. Returns an exact optimal network, or undefined
 * when the pattern is infeasible (cannot happen for a pattern read off a network,
 * except for threshold units whose h lies in (0, 1), which L2 rescales away).
 */
function bestOnPattern(inst: Instance, c: Case, lits: Literal[]): { network: Network; value: Q } | undefined {
  const n = inst.points.length;
  const keep = baseRows(inst, c).filter((r) => !/^(l1p|l1n|l1sum|linfu|linfl):?/.test(r.name));
  const rows: LinRow[] = [...keep, ...lits.flatMap((l) => literalRows(inst, c, l))];
  const objective: LinExpr = new Map();
  for (let i = 0; i < n; i++) {
    const f = outputExpr(inst, c, i);
    const y = inst.labels[i]!;
    const slack = inst.loss.type === 'l1' ? `e:${i}` : 'g';
    rows.push(row(`up:${i}`, addTerm(new Map(f), slack, Q.MINUS_ONE), '<=', y));
    const neg: LinExpr = new Map();
    for (const [v, q] of f) neg.set(v, q.neg());
    rows.push(row(`lo:${i}`, addTerm(neg, slack, Q.MINUS_ONE), '<=', y.neg()));
    if (inst.loss.type === 'l1') addTerm(objective, `e:${i}`, Q.ONE);
  }
  if (inst.loss.type === 'linf') addTerm(objective, 'g', Q.ONE);
  const r = minimizeRows(rows, objective);
  if (r.status !== 'optimal') return undefined;
  const network = networkFromPoint(inst, c, r.point);
  return { network, value: lossOf(inst, network).loss };
}

const withBound = (inst: Instance, bound: Q, strict: boolean): Instance => {
  if (inst.loss.type !== 'l1' && inst.loss.type !== 'linf') throw new Error('withBound needs an l1 or linf instance');
  return { ...inst, loss: { type: inst.loss.type, bound, strict } };
};

export async function minimizeLoss(inst: Instance, solve: Solver, opts: SolveOptions = {}): Promise<OptimumResult> {
  if (inst.loss.type !== 'l1' && inst.loss.type !== 'linf') throw new Error('minimizeLoss needs an l1 or linf instance');
  let network = zeroNetwork(inst);
  let value = lossOf(inst, network).loss;
  const stats: SearchStats[] = [];
  for (let rounds = 1; ; rounds++) {
    const below = withBound(inst, value, true);
    const r = await solve(below, opts);
    stats.push(r.stats);
    if (r.verdict === 'unknown') return { status: 'unknown', reason: r.reason, best: { value, instance: withBound(inst, value, false), network }, stats };
    if (r.verdict === 'infeasible') {
      const at = withBound(inst, value, false);
      if (!acceptWitness(at, network)) throw new Error('minimize: the witness does not meet its own optimum (bug)');
      return { status: 'optimal', value, witness: { instance: at, network }, below: { instance: below, proof: r.proof }, rounds, stats };
    }
    network = r.network;
    value = r.loss;
    const pat = patternOf(inst, r.network);
    const best = pat ? bestOnPattern(inst, pat.c, pat.lits) : undefined;
    if (best && best.value.lt(value) && acceptWitness(withBound(inst, best.value, false), best.network)) {
      network = best.network;
      value = best.value;
    }
  }
}

export async function minimizeWidth(inst: Instance, solve: Solver, maxWidth: number, opts: SolveOptions = {}): Promise<OptimumResult> {
  const stats: SearchStats[] = [];
  let previous: { instance: Instance; proof: Proof } | undefined;
  for (let k = 1; k <= maxWidth; k++) {
    const ow = inst.architecture.outputWeights;
    if (ow.mode === 'fixed') throw new Error('minimizeWidth: fixed output weights have a fixed width');
    const at: Instance = { ...inst, architecture: { ...inst.architecture, hidden: k } };
    const r = await solve(at, opts);
    stats.push(r.stats);
    if (r.verdict === 'unknown') return { status: 'unknown', reason: `${r.reason} at width ${k}`, stats };
    if (r.verdict === 'feasible')
      return { status: 'optimal', value: Q.of(k), witness: { instance: at, network: r.network }, ...(previous ? { below: previous } : {}), rounds: k, stats };
    previous = { instance: at, proof: r.proof };
  }
  return { status: 'unknown', reason: `no width up to ${maxWidth} fits`, stats };
}
