/**
 * The library's solve (src/run/solve.ts), called as a script calls it: a
 * certified verdict is one the independent checker accepts for that very
 * instance, the verdict agrees with the reference engine, and option faults
 * are InputErrors naming the option.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instanceToJson, prettyJson } from '../../src/format/write.js';
import { InputError } from '../../src/format/errors.js';
import { check } from '../../src/run/check.js';
import { solve } from '../../src/run/solve.js';
import { readInstance } from '../../src/format/schema.js';
import { smallInstance } from '../arbitraries.js';

describe('solve', () => {
  it('certify: the certificate is about the instance solved, the checker accepts it, and the verdict agrees with the reference engine (property)', async () => {
    await fc.assert(
      fc.asyncProperty(smallInstance({ maxPoints: 3, maxHidden: 2 }), async (inst) => {
        const r = await solve(inst, { certify: true });
        const reference = await solve(inst, { engine: 'reference' });
        expect(r.verdict).toBe(reference.verdict);
        if (r.verdict === 'unknown') return expect(r.certificate).toBeUndefined();
        const outcome = check(r.certificate!, { instance: prettyJson(instanceToJson(inst)) });
        expect(outcome).toMatchObject({ status: 'valid', verdict: r.verdict });
      }),
      { numRuns: 25, seed: 20 },
    );
  }, 120_000);

  it('without certify, no certificate; a deadline already passed answers unknown', async () => {
    const inst = readInstance('instances/zigzag-k2.json');
    const r = await solve(inst);
    expect(r.verdict).not.toBe('unknown');
    expect(r.certificate).toBeUndefined();
    const late = await solve(inst, { certify: true, deadline: Date.now() - 1 });
    expect(late.verdict).toBe('unknown');
    expect(late.certificate).toBeUndefined();
  });

  it('an unknown engine, or workers with an engine that cannot solve cubes, is an InputError naming the option', async () => {
    const inst = readInstance('instances/abs-3-k1.json');
    await expect(solve(inst, { engine: 'nope' })).rejects.toBeInstanceOf(InputError);
    await expect(solve(inst, { engine: 'nope' })).rejects.toMatchObject({
      file: 'command line',
      field: '--engine',
      detail: expect.stringContaining('unknown engine "nope"'),
    });
    await expect(solve(inst, { engine: 'reference', workers: 2 })).rejects.toMatchObject({ file: 'command line', field: '--workers' });
  });
});
