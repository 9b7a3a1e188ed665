/**
 * Reading and writing instances (src/format/schema.ts, src/format/write.ts; docs/formats.md):
 * an instance survives its own file form, every spelling of the same rationals asks the same
 * question (the same hash), and a bad number is refused naming the file and the field.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Q } from '../../src/core/rational.js';
import type { Instance } from '../../src/core/types.js';
import { InputError } from '../../src/format/errors.js';
import { toInstance } from '../../src/format/schema.js';
import { instanceHash, instanceToJson } from '../../src/format/write.js';
import { smallInstance } from '../arbitraries.js';

/** The file object of an instance after a trip through JSON text. */
const fileOf = (inst: Instance): Record<string, unknown> => JSON.parse(JSON.stringify(instanceToJson(inst))) as Record<string, unknown>;

/** Another spelling of the same rational: an unreduced fraction, or for an integer a decimal or scientific form. */
function respell(q: Q, how: number): string {
  const m = BigInt(1 + (how % 3));
  if (q.den === 1n && how % 2 === 0) return how % 4 === 0 ? `${q.num}.0` : `${q.num}e0`;
  return `${q.num * m}/${q.den * m}`;
}

describe('instance files', () => {
  it('an instance read back from its own file form is the same instance', () => {
    fc.assert(
      fc.property(smallInstance({ maxPoints: 5, maxDim: 3, maxHidden: 3 }), (inst) => {
        const back = toInstance(fileOf(inst), 'inst.json');
        expect(instanceHash(back)).toBe(instanceHash(inst));
        expect(back.points.map((p) => p.map(String))).toEqual(inst.points.map((p) => p.map(String)));
        expect(back.labels.map(String)).toEqual(inst.labels.map(String));
        expect(back.architecture.outputWeights).toEqual(inst.architecture.outputWeights);
        expect(back.loss).toEqual(inst.loss);
      }),
      { numRuns: 200 },
    );
  });

  it('every spelling of the same numbers asks the same question: the same hash', () => {
    fc.assert(
      fc.property(smallInstance(), fc.nat(), (inst, how) => {
        const file = fileOf(inst);
        file.points = inst.points.map((p, i) => p.map((x, t) => respell(x, how + i + t)));
        file.labels = inst.labels.map((y, i) => respell(y, how + 7 * i));
        expect(instanceHash(toInstance(file, 'inst.json'))).toBe(instanceHash(inst));
      }),
      { numRuns: 200 },
    );
  });

  it('a number that is not an exact rational is refused naming the file and the field', () => {
    fc.assert(
      fc.property(smallInstance(), fc.nat(), fc.nat(), fc.constantFrom('1.2.3', '1/0', 'NaN', '0x10', ''), (inst, i0, t0, bad) => {
        const i = i0 % inst.points.length;
        const t = t0 % inst.points[0]!.length;
        const file = fileOf(inst);
        file.points = inst.points.map((p, a) => p.map((x, b) => (a === i && b === t ? bad : x.toString())));
        let err: unknown;
        try {
          toInstance(file, 'inst.json');
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(InputError);
        expect((err as InputError).file).toBe('inst.json');
        expect((err as InputError).field).toBe(`points[${i}][${t}]`);
        expect((err as InputError).message.split('\n')).toHaveLength(1);
      }),
      { numRuns: 100 },
    );
  });
});
