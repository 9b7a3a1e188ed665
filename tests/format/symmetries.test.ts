/**
 * Declared symmetries in an instance file (docs/formats.md, "Symmetries";
 * src/format/schema.ts): verified exactly when read, each fault one line
 * naming the field; not part of the question, so the hash is unchanged.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/format/errors.js';
import { toInstance } from '../../src/format/schema.js';
import { instanceHash } from '../../src/format/write.js';

const xor = {
  format: 'relucert-instance/1',
  name: 'xor',
  points: [
    ['0', '0'],
    ['1', '0'],
    ['0', '1'],
    ['1', '1'],
  ],
  labels: ['-1', '1', '1', '-1'],
  architecture: { hidden: 1, activation: 'threshold', outputWeights: 'free', outputBias: true },
  loss: { type: 'classification' },
};
const swap = {
  linear: [
    ['0', '1'],
    ['1', '0'],
  ],
};
const flip = {
  linear: [
    ['-1', '0'],
    ['0', '1'],
  ],
  shift: ['1', '0'],
};

function error(data: unknown): string {
  try {
    toInstance(data, 'inst.json');
  } catch (e) {
    if (e instanceof InputError) return e.message;
    throw e;
  }
  throw new Error('no error');
}

describe('declared symmetries', () => {
  it('are read with their permutation and label sign, and leave the hash as it was', () => {
    const inst = toInstance({ ...xor, symmetries: [swap, flip] }, 'inst.json');
    expect(inst.symmetries!.map((s) => [s.points, s.labelSign])).toEqual([
      [[0, 2, 1, 3], 1],
      [[1, 0, 3, 2], -1],
    ]);
    expect(instanceHash(inst)).toBe(instanceHash(toInstance(xor, 'inst.json')));
    expect(toInstance(xor, 'inst.json').symmetries).toBeUndefined();
  });
  it('refuse a map that is no symmetry, naming the field and the reason', () => {
    expect(error({ ...xor, symmetries: [swap, { ...flip, shift: ['2', '0'] }] })).toBe(
      'inst.json: symmetries[1]: not a symmetry of the instance: it maps point 0 to (2, 0), which is not a point of the instance',
    );
    const and = { ...xor, labels: ['-1', '-1', '-1', '1'] };
    expect(error({ ...and, symmetries: [flip] })).toBe(
      'inst.json: symmetries[0]: not a symmetry of the instance: it maps point 2 (label -1) to a point labelled otherwise, and does not negate every label either',
    );
    expect(error({ ...xor, architecture: { ...xor.architecture, outputWeights: 'positive' }, symmetries: [flip] })).toBe(
      'inst.json: symmetries[0]: not a symmetry of the question: it negates the labels, which output weights positive cannot follow (docs/lemmas.md L9)',
    );
    const bounded = { ...xor, architecture: { hidden: 1, activation: 'relu', outputWeights: 'signs', outputBias: true, weightBound: '2' } };
    expect(error({ ...bounded, symmetries: [flip] })).toContain('symmetries[0]: not a symmetry of the question: it does not keep the weight bound');
    expect(toInstance({ ...bounded, symmetries: [swap] }, 'inst.json').symmetries).toHaveLength(1);
  });
  it('refuse a map of the wrong shape', () => {
    expect(error({ ...xor, symmetries: [{ linear: [['1']] }] })).toBe('inst.json: symmetries[0].linear: has 1 row, the points have dimension 2');
    expect(error({ ...xor, symmetries: [{ linear: [['1', '0'], ['0']] }] })).toBe(
      'inst.json: symmetries[0].linear[1]: has 1 entry, the points have dimension 2',
    );
    expect(error({ ...xor, symmetries: [{ ...swap, shift: ['0'] }] })).toBe('inst.json: symmetries[0].shift: has 1 entry, the points have dimension 2');
    expect(error({ ...xor, symmetries: [{ ...swap, labels: -1 }] })).toBe('inst.json: symmetries[0]: unknown field "labels"');
    expect(
      error({
        ...xor,
        symmetries: [
          {
            linear: [
              ['x', '0'],
              ['0', '1'],
            ],
          },
        ],
      }),
    ).toContain('inst.json: symmetries[0].linear[0][0]: not an exact rational');
  });
});
