/**
 * Optimisation, certified on both sides, and anytime (docs/engines.md,
 * "Optimisation"): stopped by its time limit, it returns the best bounds it has
 * proved, each with its certificate.
 *
 * Least loss (l1, l-inf or l2) for the instance's width k. Invariant: hi is the
 * loss of a witness network (an upper bound); lo, once set, is a bound whose
 * "loss < lo" has an infeasibility proof (a lower bound).
 *   hi <- loss of the zero network (a valid network of every shape);
 *   upper step: decide "loss < hi" with the exact engine;
 *     feasible  -> take the witness's activation pattern, minimise the loss
 *                  exactly over that pattern (an LP; for l2 a convex QP,
 *                  lp/exact-qp.ts), hi <- that optimum;
 *     infeasible -> optimum = hi: the witness has loss hi, and the proof
 *                  shows no network has loss < hi.
 *   Each feasible round strictly lowers hi to the optimum of a new pattern,
 *   so without a time limit the loop ends after at most (number of
 *   patterns) rounds; in practice a few.
 * With a time limit every step gets half of the time left. When an upper
 * step runs out of its share (and hi has not moved since), lower steps
 * bisect instead: decide "loss < m" for a simple rational m in the middle
 * of [lo, hi] (lo = 0 before any proof); infeasible -> lo <- m with its
 * proof; feasible -> a new witness lowers hi; out of time -> the next m is
 * closer to lo. At the limit the result is 'bounds': the interval [lo, hi]
 * with the witness for hi and the proof for lo (either may be absent).
 *
 * Least width for the instance's loss: k = 1, 2, ... up to maxWidth; the first
 * feasible k is k*, and the proof for k* - 1 is the lower side. Stopped by
 * the time limit at width k, or with no fit up to maxWidth, the result is
 * 'bounds' with the proof for the largest width proved infeasible
 * ("width > k - 1").
 */
import { lossOf } from '../core/evaluate.js';
import { Q } from '../core/rational.js';
import type { Instance, Network } from '../core/types.js';
import { type LinExpr, type LinRow, addTerm, row } from '../encode/rows.js';
import { type Case, type Literal, baseRows, caseLabel, literalRows, lossRows, normalisationCases, outputExpr } from '../encode/system.js';
import { lemmasUsed } from './certificate.js';
import { decideRows, minimizeRows } from './lp/exact-lp.js';
import { minimizeSquares } from './lp/exact-qp.js';
import { l2Node } from './l2.js';
import { Deadline, type Proof, type ProofCase, type SearchStats, type SolveOptions, type SolveResult, Timeout } from './result.js';
import { Found, acceptWitness, networkFromPoint } from './witness.js';

/** A proved lower bound: `instance` asks for less than `value` (a strict loss bound, or width value - 1) and `proof` shows it infeasible. */
export interface LowerBound {
  value: Q;
  instance: Instance;
  proof: Proof;
}

/** A witness: `instance` asks for at most `value` (loss bound, or width) and `network` meets it. */
export interface UpperBound {
  value: Q;
  instance: Instance;
  network: Network;
}

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
  | {
      /** stopped before the optimum (time limit, or no width up to maxWidth): the bounds proved so far */
      status: 'bounds';
      reason: string;
      lower?: LowerBound;
      upper?: UpperBound;
      rounds: number;
      stats: SearchStats[];
    };

type Solver = (inst: Instance, opts: SolveOptions) => Promise<SolveResult>;

/** The solve options, and a hook for the proofs minimize relies on. */
export interface MinimizeOptions extends SolveOptions {
  /**
   * Called with every proof before it becomes a bound (the CLI runs the
   * self-check there, while time is left); false: the proof is not used,
   * as if its question had run out of time.
   */
  certify?: (question: Instance, proof: Proof) => Promise<boolean>;
}

/** `solve`, with every proof passed through `certify` (MinimizeOptions); a proof it refuses counts as a timeout. */
function certifying(solve: Solver, certify: MinimizeOptions['certify']): Solver {
  if (!certify) return solve;
  return async (q, o) => {
    const r = await solve(q, o);
    if (r.verdict !== 'infeasible' || (await certify(q, r.proof))) return r;
    return { verdict: 'unknown', reason: 'timeout', stats: r.stats };
  };
}

/** The network with all weights 0 (output weights allowed by the mode): a network of every shape. */
export function zeroNetwork(inst: Instance): Network {
  const { hidden: k, activation, slope, outputWeights: ow } = inst.architecture;
  const d = inst.points[0]!.length;
  const a = ow.mode === 'fixed' ? ow.values : Array.from({ length: k }, () => Q.ONE);
  return {
    layers: [
      {
        activation,
        ...(slope !== undefined ? { slope } : {}),
        weights: Array.from({ length: k }, () => Array.from({ length: d }, () => Q.ZERO)),
        bias: Array.from({ length: k }, () => Q.ZERO),
      },
      { activation: 'identity', weights: [a], bias: [Q.ZERO] },
    ],
  };
}

/** The normalisation case and activation pattern a network realises (ReLU, leaky ReLU: h >= 0 is active; threshold: h > 0). */
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
      lits.push({ unit: j, point: i, active: inst.architecture.activation !== 'threshold' ? h.sign() >= 0 : h.sign() > 0 });
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
function bestOnPattern(inst: Instance, c: Case, lits: Literal[], deadline: Deadline): { network: Network; value: Q } | undefined {
  const n = inst.points.length;
  if (inst.loss.type === 'l2') {
    // the least sum of squares on the pattern: an exact convex QP (lp/exact-qp.ts)
    const rows = [...baseRows(inst, c), ...lits.flatMap((l) => literalRows(inst, c, l))];
    const r = minimizeSquares(
      rows,
      Array.from({ length: n }, (_, i) => outputExpr(inst, c, i)),
      inst.labels,
      undefined,
      deadline,
    );
    if (r.status !== 'optimal') return undefined;
    const network = networkFromPoint(inst, c, r.point);
    return { network, value: lossOf(inst, network).loss };
  }
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
  const r = minimizeRows(rows, objective, undefined, deadline);
  if (r.status !== 'optimal') return undefined;
  const network = networkFromPoint(inst, c, r.point);
  return { network, value: lossOf(inst, network).loss };
}

const withBound = (inst: Instance, bound: Q, strict: boolean): Instance => {
  if (inst.loss.type !== 'l1' && inst.loss.type !== 'linf' && inst.loss.type !== 'l2') throw new Error('withBound needs an l1, linf or l2 instance');
  return { ...inst, loss: { type: inst.loss.type, bound, strict } };
};

/**
 * The simplest rational (least denominator, then least numerator) in the
 * closed interval [lo, hi], 0 <= lo <= hi: the bisection points of
 * minimizeLoss, so that printed bounds stay short (Stern-Brocot descent).
 */
export function simplestBetween(lo: Q, hi: Q): Q {
  const fl = lo.floor();
  const f = Q.of(fl);
  if (f.eq(lo)) return lo;
  if (Q.of(fl + 1n).le(hi)) return Q.of(fl + 1n);
  // same integer part: x in [lo, hi] iff 1 / (x - fl) in [1 / (hi - fl), 1 / (lo - fl)]
  return f.add(simplestBetween(hi.sub(f).inv(), lo.sub(f).inv()).inv());
}

export async function minimizeLoss(inst: Instance, solveRaw: Solver, options: MinimizeOptions = {}): Promise<OptimumResult> {
  const { certify, ...opts } = options;
  const solve = certifying(solveRaw, certify);
  if (inst.loss.type !== 'l1' && inst.loss.type !== 'linf' && inst.loss.type !== 'l2') throw new Error('minimizeLoss needs an l1, linf or l2 instance');
  const deadline = Deadline.at(opts.deadline);
  let network = zeroNetwork(inst);
  let value = lossOf(inst, network).loss;
  let lower: LowerBound | undefined;
  /** hi at which "loss < hi" last ran out of time (then lower steps run until hi moves) */
  let upperStalled: Q | undefined;
  /** the next lower step's target, once one ran out of time */
  let nextTarget: Q | undefined;
  const stats: SearchStats[] = [];
  if (deadline.at !== undefined) {
    // anytime: start from the lower bound the root LPs prove (loss >= 0 at least), so there is always one to write
    try {
      const question = withBound(inst, Q.ZERO, true);
      const proof = rootProof(question, deadline);
      if (proof && (!certify || (await certify(question, proof)))) lower = { value: Q.ZERO, instance: question, proof };
    } catch (e) {
      if (!(e instanceof Timeout)) throw e;
    }
  }
  /** a new witness: its loss, then the best loss on its activation pattern */
  const improve = (net: Network, loss: Q): void => {
    network = net;
    value = loss;
    nextTarget = undefined;
    const pat = patternOf(inst, net);
    let best: ReturnType<typeof bestOnPattern>;
    try {
      // the pattern's own optimum only improves hi: with a time limit it gets a quarter of the time left
      best = pat ? bestOnPattern(inst, pat.c, pat.lits, deadline.share(0.25)) : undefined;
    } catch (e) {
      if (!(e instanceof Timeout)) throw e;
    }
    if (best && best.value.lt(value) && acceptWitness(withBound(inst, best.value, false), best.network)) {
      network = best.network;
      value = best.value;
    }
  };
  for (let rounds = 1; ; rounds++) {
    // a lower bound never exceeds a witness's loss (the proof would refute the witness); equal means optimal
    if (lower && lower.value.gt(value)) throw new Error(`minimize: proved loss >= ${lower.value} but found a witness with loss ${value} (bug)`);
    if (lower && lower.value.eq(value)) return optimal(inst, value, network, lower, rounds, stats);
    if (deadline.expired())
      return {
        status: 'bounds',
        reason: 'timeout',
        ...(lower ? { lower } : {}),
        upper: { value, instance: withBound(inst, value, false), network },
        rounds,
        stats,
      };
    const lo = lower?.value ?? Q.ZERO;
    const upperStep = upperStalled === undefined || !upperStalled.eq(value);
    const target = upperStep ? value : (nextTarget ?? simplestBetween(lo.add(value.sub(lo).div(Q.of(4))), lo.add(value.sub(lo).mul(Q.of(3, 4)))));
    const question = withBound(inst, target, true);
    const share = deadline.share(0.5);
    const r = await solve(question, { ...opts, ...(share.at !== undefined ? { deadline: share.at } : {}) });
    stats.push(r.stats);
    if (r.verdict === 'infeasible') {
      lower = { value: target, instance: question, proof: r.proof };
      if (upperStep) return optimal(inst, value, network, lower, rounds, stats);
      nextTarget = undefined;
    } else if (r.verdict === 'feasible') improve(r.network, r.loss);
    else if (share.at !== undefined && share.expired()) {
      if (upperStep) upperStalled = value;
      else nextTarget = simplestBetween(lo.add(target.sub(lo).div(Q.of(4))), lo.add(target.sub(lo).mul(Q.of(3, 4))));
    } else
      return {
        status: 'bounds',
        reason: r.reason,
        ...(lower ? { lower } : {}),
        upper: { value, instance: withBound(inst, value, false), network },
        rounds,
        stats,
      };
  }
}

/**
 * A proof with one leaf per normalisation case, each from the exact LP of the
 * case's loss rows alone (no literal fixed), when every one of them is
 * infeasible; otherwise undefined. Cheap: one small exact LP per case. It
 * proves, for example, "loss < 0" for any l1 / l-inf instance, which the
 * float-guided search cannot see at the root (its LP takes strict rows as
 * their closures).
 */
export function rootProof(inst: Instance, deadline: Deadline = Deadline.NONE): Proof | undefined {
  const cases: ProofCase[] = [];
  for (const c of normalisationCases(inst)) {
    if (inst.loss.type === 'l2') {
      // the least sum of squares over the base rows (l2 has no loss rows): an l2dual leaf when it is beyond the bound
      const stats = { lps: 0, pivots: 0 };
      let leaf: ReturnType<typeof l2Node>;
      try {
        leaf = l2Node(inst, c, baseRows(inst, c, deadline), stats, deadline);
      } catch (e) {
        if (e instanceof Found) return undefined;
        throw e;
      }
      if (!('node' in leaf)) return undefined;
      cases.push({ a: caseLabel(c), tree: leaf.node });
      continue;
    }
    const r = decideRows(lossRows(inst, c), undefined, deadline);
    if (r.status !== 'infeasible') return undefined;
    cases.push({ a: caseLabel(c), tree: { leaf: r.kind, multipliers: Object.fromEntries([...r.multipliers].map(([name, v]) => [name, v.toString()])) } });
  }
  return { lemmas: lemmasUsed(inst, cases), cases };
}

function optimal(inst: Instance, value: Q, network: Network, below: LowerBound, rounds: number, stats: SearchStats[]): OptimumResult {
  const at = withBound(inst, value, false);
  if (!acceptWitness(at, network)) throw new Error('minimize: the witness does not meet its own optimum (bug)');
  return { status: 'optimal', value, witness: { instance: at, network }, below: { instance: below.instance, proof: below.proof }, rounds, stats };
}

export async function minimizeWidth(inst: Instance, solveRaw: Solver, maxWidth: number, options: MinimizeOptions = {}): Promise<OptimumResult> {
  const { certify, ...opts } = options;
  const solve = certifying(solveRaw, certify);
  const stats: SearchStats[] = [];
  let previous: LowerBound | undefined;
  const ow = inst.architecture.outputWeights;
  if (ow.mode === 'fixed') throw new Error('minimizeWidth: fixed output weights have a fixed width');
  for (let k = 1; k <= maxWidth; k++) {
    const at: Instance = { ...inst, architecture: { ...inst.architecture, hidden: k } };
    const r = await solve(at, opts);
    stats.push(r.stats);
    if (r.verdict === 'unknown') return { status: 'bounds', reason: `${r.reason} at width ${k}`, ...(previous ? { lower: previous } : {}), rounds: k, stats };
    if (r.verdict === 'feasible')
      return {
        status: 'optimal',
        value: Q.of(k),
        witness: { instance: at, network: r.network },
        ...(previous ? { below: { instance: previous.instance, proof: previous.proof } } : {}),
        rounds: k,
        stats,
      };
    previous = { value: Q.of(k + 1), instance: at, proof: r.proof };
  }
  return { status: 'bounds', reason: `no width up to ${maxWidth} fits`, ...(previous ? { lower: previous } : {}), rounds: maxWidth, stats };
}
