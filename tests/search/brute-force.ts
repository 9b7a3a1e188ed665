/**
 * An independent decision procedure for tiny instances: every normalisation
 * case times every full activation pattern (2^(k n) of them), one exact LP
 * each, no tree and no pruning. Shares only the row builder and the exact LP
 * with the engines.
 */
import type { Instance } from '../../src/core/types.js';
import { baseRows, literalRows, normalisationCases } from '../../src/encode/system.js';
import { decideRows } from '../../src/engines/exact-lp.js';

export function bruteForceFeasible(inst: Instance): boolean {
  const k = inst.architecture.hidden;
  const n = inst.points.length;
  const lits = k * n;
  for (const c of normalisationCases(inst)) {
    const base = baseRows(inst, c);
    for (let mask = 0; mask < 1 << lits; mask++) {
      const rows = [...base];
      for (let b = 0; b < lits; b++) rows.push(...literalRows(inst, c, { unit: b % k, point: Math.floor(b / k), active: ((mask >> b) & 1) === 1 }));
      if (decideRows(rows).status === 'feasible') return true;
    }
  }
  return false;
}
