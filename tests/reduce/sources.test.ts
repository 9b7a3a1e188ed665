import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/format/errors.js';
import { toInstance } from '../../src/format/schema.js';
import { instanceToJson } from '../../src/format/write.js';
import { reductions } from '../../src/reduce/registry.js';
import { setSplitting } from '../../src/reduce/set-splitting.js';
import { singleRelu } from '../../src/reduce/single-relu.js';
import { twoHyperplane } from '../../src/reduce/two-hyperplane.js';

const bad = (f: () => unknown, field: string, msg: RegExp): void => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).field).toBe(field);
    expect((e as InputError).detail).toMatch(msg);
    return;
  }
  throw new Error('expected an InputError');
};

describe('source formats', () => {
  it('set-splitting/1: the format of the issue is accepted', () => {
    const s = setSplitting.parseSource(
      {
        format: 'set-splitting/1',
        elements: 4,
        sets: [
          [0, 1],
          [1, 2, 3],
        ],
      },
      'f.json',
    );
    expect(s).toEqual({
      elements: 4,
      sets: [
        [0, 1],
        [1, 2, 3],
      ],
    });
    expect(setSplitting.sourceToJson(s)).toEqual({
      format: 'set-splitting/1',
      elements: 4,
      sets: [
        [0, 1],
        [1, 2, 3],
      ],
    });
  });
  it('set-splitting/1: bad input names the field', () => {
    const p = (d: unknown) => () => setSplitting.parseSource(d, 'f.json');
    bad(p({ format: 'set-splitting/1', elements: 3, sets: [[0, 3]] }), 'sets[0][1]', /out of range/);
    bad(p({ format: 'set-splitting/1', elements: 3, sets: [[]] }), 'sets[0]', /empty/);
    bad(p({ format: 'set-splitting/1', elements: 3, sets: [[1, 1]] }), 'sets[0]', /twice/);
    bad(p({ format: 'set-splitting/1', elements: 0, sets: [] }), 'elements', /./);
    bad(p({ format: 'set-splitting/1', elements: 2, sets: [], extra: 1 }), '(top level)', /unknown field "extra"/);
    bad(p({ format: 'set-splitting/2', elements: 2, sets: [] }), 'format', /./);
  });
  it('two-hyperplane-separability/1 and single-relu/1: dimensions and lengths are checked', () => {
    bad(() => twoHyperplane.parseSource({ format: 'two-hyperplane-separability/1', P: [[0, 0]], Q: [[1]] }, 'f'), 'Q[0]', /1 coordinates/);
    bad(() => twoHyperplane.parseSource({ format: 'two-hyperplane-separability/1', P: [], Q: [] }, 'f'), 'P', /./);
    bad(() => twoHyperplane.parseSource({ format: 'two-hyperplane-separability/1', P: [['0.5.1']], Q: [] }, 'f'), 'P[0][0]', /not an exact rational/);
    bad(() => singleRelu.parseSource({ format: 'single-relu/1', points: [[0], [1]], labels: [1] }, 'f'), 'labels', /1 entries for 2 points/);
  });
});

describe('brute-force deciders', () => {
  it('set splitting: the triangle cannot be split, the issue example can', () => {
    expect(
      setSplitting.decide({
        elements: 3,
        sets: [
          [0, 1],
          [1, 2],
          [0, 2],
        ],
      }).answer,
    ).toBe('no');
    const yes = setSplitting.decide({
      elements: 4,
      sets: [
        [0, 1],
        [1, 2, 3],
      ],
    });
    expect(yes.answer).toBe('yes');
    if (yes.answer === 'yes')
      expect(
        setSplitting.checkSolution(
          {
            elements: 4,
            sets: [
              [0, 1],
              [1, 2, 3],
            ],
          },
          yes.solution,
        ),
      ).toBeUndefined();
    expect(setSplitting.decide({ elements: 2, sets: [[1]] }).answer).toBe('no');
  });
  it('two-hyperplane: a point between two others of P is not separable; a strip is', () => {
    const src = twoHyperplane.parseSource({ format: 'two-hyperplane-separability/1', P: [[-1], [1]], Q: [[0]] }, 'f');
    expect(twoHyperplane.decide(src).answer).toBe('no');
    const strip = twoHyperplane.parseSource({ format: 'two-hyperplane-separability/1', P: [[0]], Q: [[-1], [1]] }, 'f');
    expect(twoHyperplane.decide(strip).answer).toBe('yes');
  });
  it('single ReLU: labels fix the pattern', () => {
    const yes = singleRelu.parseSource({ format: 'single-relu/1', points: [[0], [1], [2]], labels: [0, 0, 1] }, 'f');
    expect(singleRelu.decide(yes).answer).toBe('yes');
    const no = singleRelu.parseSource({ format: 'single-relu/1', points: [[0], [1], [2]], labels: [1, 0, 1] }, 'f');
    expect(singleRelu.decide(no).answer).toBe('no');
  });
});

describe('every variant of every reduction produces a valid instance file', () => {
  for (const red of reductions)
    it(red.name, () => {
      const sources = fc.sample(red.arbitrary(fc), { numRuns: 30, seed: 100 });
      for (const v of red.variants)
        for (const s of sources) {
          const json = instanceToJson(v.toInstance(s));
          expect(() => toInstance(JSON.parse(JSON.stringify(json)), 'x')).not.toThrow();
        }
    });
});
