import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lossOf, shapeErrors } from '../../src/core/evaluate.js';
import { exactSolve } from '../../src/engines/exact.js';
import { referenceSolve } from '../../src/engines/reference.js';
import { smallInstance } from '../arbitraries.js';
import { bruteForceFeasible } from './brute-force.js';

describe('reference search', () => {
  it('agrees with brute-force enumeration of all activation patterns', () => {
    const seen = { feasible: 0, infeasible: 0, unknown: 0 };
    fc.assert(
      fc.property(
        smallInstance({ maxPoints: 3, maxHidden: 2, maxDim: 2 }).filter((i) => i.architecture.hidden * i.points.length <= 6),
        (inst) => {
          const r = referenceSolve(inst);
          seen[r.verdict]++;
          expect(r.verdict).toBe(bruteForceFeasible(inst) ? 'feasible' : 'infeasible');
          if (r.verdict === 'feasible') {
            expect(shapeErrors(inst, r.network)).toEqual([]);
            expect(lossOf(inst, r.network).withinBound).toBe(true);
          }
        },
      ),
      { numRuns: 80 },
    );
    // the generator must exercise both verdicts, or the property says little
    expect(seen.feasible).toBeGreaterThan(5);
    expect(seen.infeasible).toBeGreaterThan(5);
  });
});

describe('exact engine', () => {
  it('agrees with the reference search, and its witnesses fit exactly', () => {
    const seen = { feasible: 0, infeasible: 0, unknown: 0 };
    fc.assert(
      fc.property(smallInstance({ maxPoints: 5, maxHidden: 2, maxDim: 2 }), (inst) => {
        const a = exactSolve(inst);
        const b = referenceSolve(inst);
        seen[a.verdict]++;
        expect(a.verdict).toBe(b.verdict);
        if (a.verdict === 'feasible') expect(lossOf(inst, a.network).withinBound).toBe(true);
      }),
      { numRuns: 150 },
    );
    expect(seen.feasible).toBeGreaterThan(10);
    expect(seen.infeasible).toBeGreaterThan(10);
  });

  it('answers unknown, not a verdict, when the deadline has passed', () => {
    fc.assert(
      fc.property(smallInstance(), (inst) => {
        const r = exactSolve(inst, { deadline: Date.now() - 1 });
        expect(r.verdict).toBe('unknown');
      }),
      { numRuns: 10 },
    );
  });
});
