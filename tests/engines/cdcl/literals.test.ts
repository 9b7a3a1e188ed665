/**
 * The conflict-driven engine's literal encoding (src/engines/cdcl/literals.ts): variables, signs,
 * negation, and the names the certificate and the rows give the same literals.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Literal, literalName, literalRows, normalisationCases } from '../../../src/encode/system.js';
import {
  SIGN_ACT,
  SIGN_INACT,
  litActive,
  litName,
  litOf,
  litOfLiteral,
  litOfRow,
  litSign,
  litVar,
  literalOfLit,
  negate,
  pointOf,
  unitOf,
  varOf,
} from '../../../src/engines/cdcl/literals.js';
import { smallInstance } from '../../arbitraries.js';

/** k units, n points, and a literal of them. */
const literalArb = fc.record({ k: fc.integer({ min: 1, max: 6 }), n: fc.integer({ min: 1, max: 50 }) }).chain(({ k, n }) =>
  fc.record({
    n: fc.constant(n),
    lit: fc.record({ unit: fc.integer({ min: 0, max: k - 1 }), point: fc.integer({ min: 0, max: n - 1 }), active: fc.boolean() }),
  }),
);

describe('cdcl literals', () => {
  it('a literal and its (unit, point, side) determine each other; negation flips the side and keeps the variable', () => {
    fc.assert(
      fc.property(literalArb, ({ n, lit }) => {
        const l = litOfLiteral(lit, n);
        expect(literalOfLit(l, n)).toEqual(lit);
        const v = litVar(l);
        expect(v).toBe(varOf(lit.unit, lit.point, n));
        expect([unitOf(v, n), pointOf(v, n)]).toEqual([lit.unit, lit.point]);
        expect(litActive(l)).toBe(lit.active);
        expect(litSign(l)).toBe(lit.active ? SIGN_ACT : SIGN_INACT);
        expect(l).toBe(litOf(v, lit.active));
        const m = negate(l);
        expect(litVar(m)).toBe(v);
        expect(litActive(m)).toBe(!lit.active);
        expect(negate(m)).toBe(l);
      }),
    );
  });

  it('names a literal as the certificate does, and every row of a literal leads back to it', () => {
    fc.assert(
      fc.property(smallInstance(), fc.nat(), fc.nat(), fc.boolean(), (inst, j0, i0, active) => {
        const n = inst.points.length;
        const lit: Literal = { unit: j0 % inst.architecture.hidden, point: i0 % n, active };
        const l = litOfLiteral(lit, n);
        expect(litName(l, n)).toBe(literalName(lit));
        expect(litName(l, n)).toBe(`${active ? 'act' : 'inact'}:${lit.unit}:${lit.point}`);
        for (const r of literalRows(inst, normalisationCases(inst)[0]!, lit)) expect(litOfRow(r.name, n), r.name).toBe(l);
      }),
      { numRuns: 100 },
    );
    for (const name of ['fit:0', 'l1sum', 'cls:3', 'acts:0:1', 'act:0']) expect(litOfRow(name, 4), name).toBeUndefined();
  });
});
