/**
 * Lex-leader propagation (src/engines/cdcl/lex.ts, docs/lemmas.md L10)
 * against a plain reading of the constraint: after every propagation, no
 * comparison has a forced literal left unassigned or a violation left
 * unreported, every implication it made was forced when it was made, and
 * backtracking restores what a fresh propagator would conclude.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LexPropagator } from '../../../src/engines/cdcl/lex.js';

/** The first position where sigma and its image under phi may differ, and what the assignment says there. */
function firstOpen(phi: Int32Array, assign: Int8Array): { p: number; state: 'equal' | 'above' | 'below' | 'forced' | 'open' } {
  const letter = (v: number): number => (assign[v] === -1 ? -1 : assign[v] === 0 ? 1 : 0);
  for (let p = 0; p < phi.length; p++) {
    const u = phi[p]!;
    if (u === p) continue;
    const x = letter(p);
    const y = letter(u);
    if (x >= 0 && y >= 0) {
      if (x === y) continue;
      return { p, state: x > y ? 'above' : 'below' };
    }
    if (x === 0 || y === 1) return { p, state: 'forced' };
    return { p, state: 'open' };
  }
  return { p: phi.length, state: 'equal' };
}

const permutation = (n: number): fc.Arbitrary<Int32Array> =>
  fc
    .shuffledSubarray(
      Array.from({ length: n }, (_, i) => i),
      { minLength: n, maxLength: n },
    )
    .map((p) => Int32Array.from(p));

describe('LexPropagator', () => {
  it('leaves no forced literal and no violation behind, and implies only forced literals, through decisions and backtracking (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 8 }).chain((n) =>
          fc.record({
            n: fc.constant(n),
            phis: fc.array(permutation(n), { minLength: 1, maxLength: 4 }),
            steps: fc.array(fc.record({ v: fc.nat(n - 1), active: fc.boolean(), back: fc.nat(3) }), { maxLength: 30 }),
          }),
        ),
        ({ n, phis, steps }) => {
          const assign = new Int8Array(n).fill(-1);
          const levelOf = new Int32Array(n);
          let level = 0;
          const lex = new LexPropagator(phis, n, assign);
          let conflict = false;
          const run = (): void => {
            conflict = lex.propagate({
              imply: (v, active, e, p) => {
                // forced when made: the comparison's first open position is p, and it forces this very literal
                const f = firstOpen(phis[e]!, assign);
                expect(f).toEqual({ p, state: 'forced' });
                expect(assign[v]).toBe(-1);
                assign[v] = active ? 0 : 1;
                levelOf[v] = level;
                lex.assigned(v);
              },
              conflict: (e, p) => expect(firstOpen(phis[e]!, assign)).toEqual({ p, state: 'below' }),
            });
          };
          run();
          for (const s of steps) {
            if (conflict || s.back === 0) {
              // backtrack some levels
              const to = Math.max(0, level - 1 - (s.back % 2));
              for (let v = 0; v < n; v++) if (assign[v] !== -1 && levelOf[v]! > to) assign[v] = -1;
              lex.backtrack(to);
              level = to;
              conflict = false;
              run();
              continue;
            }
            if (assign[s.v] !== -1) continue;
            level++;
            lex.newLevel();
            assign[s.v] = s.active ? 0 : 1;
            levelOf[s.v] = level;
            lex.assigned(s.v);
            run();
            if (!conflict) for (const phi of phis) expect(['equal', 'above', 'open']).toContain(firstOpen(phi, assign).state);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
  it('cuts the XOR of two positions swapped: INACT first forces INACT second, ACT second forces ACT first', () => {
    const assign = new Int8Array(2).fill(-1);
    const lex = new LexPropagator([Int32Array.from([1, 0])], 2, assign);
    const implied: string[] = [];
    const sink = {
      imply: (v: number, active: boolean) => {
        implied.push(`${active ? 'ACT' : 'INACT'}(${v})`);
        assign[v] = active ? 0 : 1;
        lex.assigned(v);
      },
      conflict: () => implied.push('conflict'),
    };
    expect(lex.propagate(sink)).toBe(false);
    lex.newLevel();
    assign[0] = 1; // INACT at 0
    lex.assigned(0);
    expect(lex.propagate(sink)).toBe(false);
    expect(implied).toEqual(['INACT(1)']);
    lex.backtrack(0);
    assign.fill(-1);
    lex.newLevel();
    assign[1] = 0; // ACT at 1
    lex.assigned(1);
    lex.propagate(sink);
    expect(implied).toEqual(['INACT(1)', 'ACT(0)']);
  });
});
