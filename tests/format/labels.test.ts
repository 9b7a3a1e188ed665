/**
 * One output per point: a label given as a list (two outputs, as in
 * tests/cases/N-two-output.json) is refused with the reason, naming the
 * file and the label, where the schema alone said "labels[0]: Invalid input".
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/format/errors.js';
import { toInstance } from '../../src/format/schema.js';
import { instanceToJson } from '../../src/format/write.js';
import { smallInstance } from '../arbitraries.js';
import { cli, tempDir } from '../helpers.js';
import { float64Bytes, npyBytes } from '../interop/files.js';
import { CASES } from '../paths.js';

describe('labels with more than one output', () => {
  it('tests/cases/N-two-output.json: one line naming the file and labels[0], saying why (exit 2)', async () => {
    const file = join(CASES, 'N-two-output.json');
    const r = await cli('solve', file);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      `relucert: ${file}: labels[0]: is a list of 2 numbers: relucert fits one output per point, so each label is one number; ` +
        'with two or more outputs training is ∃R-complete and the best weights may be irrational (Bertschinger et al., NeurIPS 2023), beyond exact rational certificates\n',
    );
  });

  it('any instance with one label made a list: the error names that label (the first such), never "Invalid input"', () => {
    fc.assert(
      fc.property(smallInstance(), fc.nat(), fc.integer({ min: 0, max: 3 }), (inst, at, width) => {
        const json = instanceToJson(inst) as { labels: unknown[] };
        const i = at % json.labels.length;
        json.labels[i] = Array.from({ length: width }, () => '1');
        try {
          toInstance(json, 'x.json');
          expect.unreachable('a list label was accepted');
        } catch (e) {
          expect(e).toBeInstanceOf(InputError);
          expect((e as InputError).field).toBe(`labels[${i}]`);
          expect((e as InputError).detail).toMatch(/^is a list of \d+ numbers?: relucert fits one output per point/);
        }
      }),
    );
  });

  it('relucert instance --from-npy with labels of shape (n, 2) says the same', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'X.npy'), npyBytes('<f8', [2], float64Bytes([0, 1])));
    writeFileSync(join(dir, 'y.npy'), npyBytes('<f8', [2, 2], float64Bytes([0, 1, 1, 0])));
    const r = await cli(
      'instance',
      '--from-npy',
      join(dir, 'X.npy'),
      '--labels',
      join(dir, 'y.npy'),
      '--hidden',
      '1',
      '--activation',
      'relu',
      '--output-weights',
      'signs',
      '--loss',
      'exact',
      '-o',
      join(dir, 'i.json'),
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/y\.npy: shape: is 2 x 2; labels must be a vector of n \(or an n x 1 matrix\): relucert fits one output per point/);
  });
});
