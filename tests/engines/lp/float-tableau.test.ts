import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LinRow } from '../../../src/encode/rows.js';
import { type Literal, baseRows, literalRows, normalisationCases } from '../../../src/encode/system.js';
import { decideRows } from '../../../src/engines/lp/exact-lp.js';
import { FloatTableau } from '../../../src/engines/lp/float-tableau.js';
import { smallInstance } from '../../arbitraries.js';

const closure = (rows: LinRow[]): LinRow[] => rows.map((r) => (r.sense === '<' ? { ...r, sense: '<=' } : r));

describe('warm-started float tableau (a guide; checked here against the exact simplex)', () => {
  it('along random paths, its feasible / infeasible answers agree with the exact LP of the closure', () => {
    let compared = 0;
    fc.assert(
      fc.property(smallInstance({ maxPoints: 4 }), fc.array(fc.tuple(fc.nat(), fc.nat(), fc.boolean()), { maxLength: 8 }), (inst, steps) => {
        const c = normalisationCases(inst)[0]!;
        const k = inst.architecture.hidden;
        const n = inst.points.length;
        let rows = baseRows(inst, c);
        let tab: FloatTableau | undefined = FloatTableau.root(rows);
        const seen = new Set<string>();
        for (const [j0, i0, active] of steps) {
          const lit: Literal = { unit: j0 % k, point: i0 % n, active };
          const key = `${lit.unit}:${lit.point}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const r = tab.result();
          if (r.status !== 'unsure') {
            compared++;
            expect(r.status, JSON.stringify([...seen])).toBe(decideRows(closure(rows)).status);
          }
          if (r.status !== 'feasible') return;
          const lr = literalRows(inst, c, lit);
          rows = [...rows, ...lr];
          tab = tab.child(lr);
          if (!tab) return;
        }
      }),
      { numRuns: 150 },
    );
    expect(compared).toBeGreaterThan(100);
  });
});
