/**
 * An independent decision procedure for tiny instances: every normalisation
 * case times every full activation pattern (2^(k n) of them), one exact LP
 * each, no tree and no pruning. Shares only the row builder and the exact LP
 * with the engines.
 */
import { Q } from '../../src/core/rational.js';
import type { Instance } from '../../src/core/types.js';
import { type LinExpr, type LinRow, addTerm, row } from '../../src/encode/rows.js';
import { baseRows, literalRows, normalisationCases, outputExpr } from '../../src/encode/system.js';
import { decideRows, minimizeRows } from '../../src/engines/lp/exact-lp.js';
import { Deadline } from '../../src/engines/result.js';

/** Throws Timeout (src/engines/result.ts) past `deadline`. */
export function bruteForceFeasible(inst: Instance, deadline: Deadline = Deadline.NONE): boolean {
  const k = inst.architecture.hidden;
  const n = inst.points.length;
  const lits = k * n;
  for (const c of normalisationCases(inst)) {
    const base = baseRows(inst, c);
    for (let mask = 0; mask < 1 << lits; mask++) {
      const rows = [...base];
      for (let b = 0; b < lits; b++) rows.push(...literalRows(inst, c, { unit: b % k, point: Math.floor(b / k), active: ((mask >> b) & 1) === 1 }));
      if (decideRows(rows, undefined, deadline).status === 'feasible') return true;
    }
  }
  return false;
}

/** The least l1 / l-inf loss by brute force: the minimum over every case and full pattern of the pattern's LP optimum. */
export function bruteForceLeastLoss(inst: Instance): Q {
  const k = inst.architecture.hidden;
  const n = inst.points.length;
  let best: Q | undefined;
  for (const c of normalisationCases(inst)) {
    const keep = baseRows(inst, c).filter((r) => !/^(l1p|l1n|l1sum|linfu|linfl)/.test(r.name));
    for (let mask = 0; mask < 1 << (k * n); mask++) {
      const rows: LinRow[] = [...keep];
      for (let b = 0; b < k * n; b++) rows.push(...literalRows(inst, c, { unit: b % k, point: Math.floor(b / k), active: ((mask >> b) & 1) === 1 }));
      const obj: LinExpr = new Map();
      for (let i = 0; i < n; i++) {
        const slack = inst.loss.type === 'l1' ? `e:${i}` : 'g';
        const f = outputExpr(inst, c, i);
        rows.push(row(`u${i}`, addTerm(new Map(f), slack, Q.MINUS_ONE), '<=', inst.labels[i]!));
        rows.push(row(`l${i}`, addTerm(new Map([...f].map(([v, q]) => [v, q.neg()])), slack, Q.MINUS_ONE), '<=', inst.labels[i]!.neg()));
        if (inst.loss.type === 'l1') addTerm(obj, `e:${i}`, Q.ONE);
      }
      if (inst.loss.type === 'linf') addTerm(obj, 'g', Q.ONE);
      const r = minimizeRows(rows, obj);
      if (r.status === 'optimal' && (best === undefined || r.value.lt(best))) best = r.value;
    }
  }
  if (best === undefined) throw new Error('no pattern is feasible: impossible for l1/linf');
  return best;
}
