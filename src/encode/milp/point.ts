/**
 * Is a network a point of the MILP? A network in the MILP's normal form (the
 * lemmas it uses), every variable of buildMilp computed from it exactly, and
 * the exact violations of a point: how `relucert crosscheck` judges the
 * points that glpsol and cbc report (docs/export.md).
 */
import { Q } from '../../core/rational.js';
import type { Instance, Network } from '../../core/types.js';
import { reluSlope } from '../../core/types.js';
import { outputBoundRowsApply, weightBoundRowsApply } from '../system.js';
import { integerRow } from './cplex-lp.js';
import { classificationMargin } from './meaning.js';
import type { MilpModel } from './model.js';

/**
 * The network rewritten in the MILP's normal form, by the lemmas it uses:
 * ReLU L1 (a_j * relu(h) = sign(a_j) relu(|a_j| h); a_j = 0 becomes +1 with
 * w = b = 0), threshold L2 (a unit whose least positive pre-activation is
 * below 1 is scaled up to 1), classification L3 (ReLU: w, b, c scaled; free
 * threshold: a, c scaled, so that min y f = 1 when it was below), and for
 * classification with threshold units and fixed output weights the output
 * bias moved to the middle of the interval of biases that classify (the
 * exact margin of classificationMargin). Same outputs' signs and, for
 * non-classification losses, the same outputs.
 */
export function normaliseForMilp(inst: Instance, net: Network): Network {
  const [hid, out] = net.layers;
  if (!hid || !out) return net;
  const k = hid.weights.length;
  let W = hid.weights.map((r) => [...r]);
  let b = [...hid.bias];
  let a = [...(out.weights[0] ?? [])];
  let c = out.bias[0] ?? Q.ZERO;
  const { activation, outputWeights: ow } = inst.architecture;
  const h = (j: number, i: number): Q => inst.points[i]!.reduce((s, x, t) => s.add(x.mul(W[j]![t]!)), b[j]!);
  const slope = reluSlope(inst.architecture);
  if (activation !== 'threshold' && (ow.mode === 'signs' || ow.mode === 'free')) {
    for (let j = 0; j < k; j++) {
      const aj = a[j]!;
      if (aj.isZero()) {
        W[j] = W[j]!.map(() => Q.ZERO);
        b[j] = Q.ZERO;
        a[j] = Q.ONE;
      } else {
        const s = aj.abs();
        W[j] = W[j]!.map((v) => v.mul(s));
        b[j] = b[j]!.mul(s);
        a[j] = aj.sign() < 0 ? Q.MINUS_ONE : Q.ONE;
      }
    }
  }
  if (activation === 'threshold') {
    for (let j = 0; j < k; j++) {
      let least: Q | undefined;
      for (let i = 0; i < inst.points.length; i++) {
        const v = h(j, i);
        if (v.sign() > 0 && (least === undefined || v.lt(least))) least = v;
      }
      if (least !== undefined && least.lt(Q.ONE)) {
        const s = least.inv();
        W[j] = W[j]!.map((v) => v.mul(s));
        b[j] = b[j]!.mul(s);
      }
    }
  }
  const freeThreshold = activation === 'threshold' && ow.mode === 'free';
  if (inst.loss.type === 'classification' && !weightBoundRowsApply(inst) && !outputBoundRowsApply(inst) && (activation !== 'threshold' || freeThreshold)) {
    const f = (i: number): Q => {
      let s = c;
      for (let j = 0; j < k; j++) {
        const v = h(j, i);
        const act = slope !== undefined ? (v.sign() > 0 ? v : v.mul(slope)) : v.sign() > 0 ? Q.ONE : Q.ZERO;
        s = s.add(a[j]!.mul(act));
      }
      return s;
    };
    let least: Q | undefined;
    for (let i = 0; i < inst.points.length; i++) {
      const m = inst.labels[i]!.mul(f(i));
      if (least === undefined || m.lt(least)) least = m;
    }
    if (least !== undefined && least.sign() > 0 && least.lt(Q.ONE)) {
      const s = least.inv();
      if (activation !== 'threshold') {
        W = W.map((r) => r.map((v) => v.mul(s)));
        b = b.map((v) => v.mul(s));
      } else a = a.map((v) => v.mul(s));
      c = c.mul(s);
    }
  }
  if (inst.loss.type === 'classification' && activation === 'threshold' && !freeThreshold && inst.architecture.outputBias) {
    // the exact margin 1/(2L) (classificationMargin): move c to the middle of the interval of c that classify
    const S = inst.points.map((_, i) => {
      let s = Q.ZERO;
      for (let j = 0; j < k; j++) if (h(j, i).sign() > 0) s = s.add(a[j]!);
      return s;
    });
    let lo: Q | undefined; // c > lo: the largest -S_i over label +1
    let hi: Q | undefined; // c < hi: the smallest -S_i over label -1
    inst.labels.forEach((y, i) => {
      const v = S[i]!.neg();
      if (y.sign() > 0) lo = lo === undefined || v.gt(lo) ? v : lo;
      else hi = hi === undefined || v.lt(hi) ? v : hi;
    });
    const { margin } = classificationMargin(a);
    if (lo !== undefined && hi !== undefined) {
      if (lo.lt(hi)) c = lo.add(hi).div(Q.of(2));
    } else if (lo !== undefined) c = Q.max(c, lo.add(margin));
    else if (hi !== undefined) c = Q.min(c, hi.sub(margin));
  }
  return {
    layers: [
      { ...hid, weights: W, bias: b },
      { ...out, weights: [a], bias: [c] },
    ],
  };
}

/**
 * The MILP point of a network (every variable of buildMilp computed from
 * it exactly), or undefined when the network does not have the instance's
 * shape. Use with milpPointHolds to test "is this network a MILP solution".
 */
export function milpPointOf(inst: Instance, net: Network): Map<string, Q> | undefined {
  const [hid, out] = net.layers;
  if (!hid || !out || hid.weights.length !== inst.architecture.hidden) return undefined;
  const x = new Map<string, Q>();
  const k = hid.weights.length;
  const { activation, outputWeights: ow } = inst.architecture;
  const slope = reluSlope(inst.architecture);
  const a = out.weights[0] ?? [];
  hid.weights.forEach((r, j) => r.forEach((v, t) => x.set(`w_${j}_${t}`, v)));
  hid.bias.forEach((v, j) => x.set(`b_${j}`, v));
  x.set('c', out.bias[0] ?? Q.ZERO);
  const signVars = (activation !== 'threshold' && (ow.mode === 'signs' || ow.mode === 'free')) || (activation === 'threshold' && ow.mode === 'signs');
  for (let j = 0; j < k; j++) {
    const aj = a[j] ?? Q.ZERO;
    if (signVars) x.set(`g_${j}`, aj.sign() > 0 ? Q.ONE : Q.ZERO);
    if (activation === 'threshold' && ow.mode === 'free') x.set(`a_${j}`, aj);
  }
  inst.points.forEach((p, i) => {
    let f = x.get('c')!;
    for (let j = 0; j < k; j++) {
      const h = p.reduce((s, v, t) => s.add(v.mul(hid.weights[j]![t] ?? Q.ZERO)), hid.bias[j] ?? Q.ZERO);
      const id = `${j}_${i}`;
      const aj = a[j] ?? Q.ZERO;
      if (slope !== undefined) {
        const z = h.sign() > 0 ? h : h.mul(slope);
        x.set(`z_${id}`, z);
        x.set(`d_${id}`, h.sign() > 0 ? Q.ONE : Q.ZERO);
        if (signVars) x.set(`u_${id}`, aj.mul(z));
        f = f.add(aj.mul(z));
      } else {
        const s = h.sign() > 0 ? Q.ONE : Q.ZERO;
        x.set(`s_${id}`, s);
        if (ow.mode === 'signs') x.set(`p_${id}`, aj.sign() > 0 ? s : Q.ZERO);
        if (ow.mode === 'free') x.set(`p_${id}`, aj.mul(s));
        f = f.add(aj.mul(s));
      }
    }
    x.set(`f_${i}`, f);
    x.set(`e_${i}`, f.sub(inst.labels[i]!).abs());
  });
  return x;
}

/** Does the point satisfy every row and bound of the model exactly? Returns the first violated name, or undefined. */
export function milpViolation(m: MilpModel, x: ReadonlyMap<string, Q>): string | undefined {
  for (const v of m.vars) {
    const val = x.get(v.name) ?? Q.ZERO;
    if (v.kind === 'binary' && !(val.isZero() || val.eq(Q.ONE))) return `${v.name} (binary)`;
    if (v.lb !== undefined && val.lt(v.lb)) return `${v.name} >= ${v.lb}`;
    if (v.ub !== undefined && val.gt(v.ub)) return `${v.name} <= ${v.ub}`;
  }
  for (const r of m.rows) {
    let lhs = Q.ZERO;
    for (const [v, c] of r.coefs) lhs = lhs.add(c.mul(x.get(v) ?? Q.ZERO));
    const ok = r.sense === '<=' ? lhs.le(r.rhs) : r.sense === '>=' ? lhs.ge(r.rhs) : lhs.eq(r.rhs);
    if (!ok) return r.name;
  }
  return undefined;
}

/**
 * How far a point is from the model, exactly: the largest violation over
 * every row as written to CPLEX LP (scaled to integer coefficients,
 * integerRow), every bound, and the integrality of every binary, with its
 * name. 0 (name '') when the point satisfies the model exactly. Used to say
 * whether a solver's "optimal" float point really is a point of the MILP.
 */
export function largestViolation(m: MilpModel, x: ReadonlyMap<string, Q>): { name: string; amount: Q } {
  let worst = { name: '', amount: Q.ZERO };
  const see = (name: string, amount: Q): void => {
    if (amount.gt(worst.amount)) worst = { name, amount };
  };
  for (const v of m.vars) {
    const val = x.get(v.name) ?? Q.ZERO;
    if (v.kind === 'binary') see(`${v.name} (binary)`, Q.min(val.abs(), val.sub(Q.ONE).abs()));
    if (v.lb !== undefined) see(`${v.name} >= ${v.lb}`, v.lb.sub(val));
    if (v.ub !== undefined) see(`${v.name} <= ${v.ub}`, val.sub(v.ub));
  }
  for (const r of m.rows) {
    const { coefs, rhs } = integerRow(r);
    let lhs = Q.ZERO;
    for (const [v, c] of coefs) lhs = lhs.add(Q.of(c).mul(x.get(v) ?? Q.ZERO));
    const d = lhs.sub(Q.of(rhs));
    see(r.name, r.sense === '<=' ? d : r.sense === '>=' ? d.neg() : d.abs());
  }
  return worst;
}
