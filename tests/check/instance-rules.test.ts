/**
 * Every rejection of the checker's instance reader (src/check/instance.ts,
 * clause C2), one case per branch, read in-process and asserted whole (rule,
 * field path, expected, got), and the Instance it returns for valid input,
 * field for field (docs/mutation.md: these tests kill the mutants of
 * instance.ts that the rule-and-path tests of instance.test.ts left alive).
 */
import { describe, expect, it } from 'vitest';
import { type Instance, readInstance } from '../../src/check/instance.js';
import { isJsonError, parseJson } from '../../src/check/json.js';
import { Rat } from '../../src/check/rational.js';
import { Rejection } from '../../src/check/rejection.js';
import { type Json, makeInstance } from './helpers.js';

function read(obj: Json): Instance | Rejection {
  const v = parseJson(JSON.stringify(obj));
  if (isJsonError(v)) throw new Error(v.message);
  return readInstance(v, 'instance');
}

const q = (text: string): Rat => Rat.parse(text)!;
const without = (obj: Json, key: string): Json => {
  const out = { ...obj };
  delete out[key];
  return out;
};
const NUMBER = 'an exact number (a JSON integer, or a string "-3", "7/2", "0.125" or "1e-3")';

describe('C2: each rejection of the instance reader, whole', () => {
  it.each<[string, Json, string, string, string]>([
    // [case, instance, path, expected, got]
    ['format not a string', makeInstance({ format: 1 }), 'instance.format', 'a string', 'the JSON number 1'],
    ['another format', makeInstance({ format: 'relucert-instance/2' }), 'instance.format', '"relucert-instance/1"', '"relucert-instance/2"'],
    ['name not a string', makeInstance({ name: 1 }), 'instance.name', 'a string', 'the JSON number 1'],
    ['an empty name', makeInstance({ name: '' }), 'instance.name', 'a non-empty name', '""'],
    ['description not a string', makeInstance({ description: 1 }), 'instance.description', 'a string', 'the JSON number 1'],
    ['source not a string', makeInstance({ source: true }), 'instance.source', 'a string', 'true'],
    ['points not an array', makeInstance({ points: 'x' }), 'instance.points', 'an array', '"x"'],
    ['no points', makeInstance({ points: [], labels: [] }), 'instance.points', 'at least one point', 'an empty array'],
    ['a point of no coordinates', makeInstance({ points: [[], [], []] }), 'instance.points[0]', 'at least 1 coordinates', '0'],
    ['a point of one coordinate too many', makeInstance({ points: [['1'], ['1', '2'], ['3']] }), 'instance.points[1]', '1 coordinates', '2'],
    ['a point of one coordinate too few', makeInstance({ points: [['1', '2'], ['3', '4'], ['5']] }), 'instance.points[2]', '2 coordinates', '1'],
    ['a point not an array', makeInstance({ points: [['1'], '2', ['3']] }), 'instance.points[1]', 'an array', '"2"'],
    ['a coordinate not a number', makeInstance({ points: [['1'], ['x'], ['3']] }), 'instance.points[1][0]', NUMBER, '"x"'],
    ['labels not an array', makeInstance({ labels: {} }), 'instance.labels', 'an array', 'an object'],
    ['one label too few', makeInstance({ labels: ['1', '0'] }), 'instance.labels', '3 labels (one per point)', '2'],
    ['architecture not an object', makeInstance({ architecture: [] }), 'instance.architecture', 'an object', 'an array of 0'],
    ['hidden as a string', makeInstance({}, { hidden: '1' }), 'instance.architecture.hidden', 'hidden units: an integer from 1 to 64', '"1"'],
    ['hidden 65', makeInstance({}, { hidden: 65 }), 'instance.architecture.hidden', 'hidden units: an integer from 1 to 64', 'the JSON number 65'],
    ['hidden 0', makeInstance({}, { hidden: 0 }), 'instance.architecture.hidden', 'hidden units: an integer from 1 to 64', 'the JSON number 0'],
    ['activation not a string', makeInstance({}, { activation: 1 }), 'instance.architecture.activation', 'a string', 'the JSON number 1'],
    [
      'an unknown activation',
      makeInstance({}, { activation: 'sigmoid' }),
      'instance.architecture.activation',
      '"relu", "leaky-relu" or "threshold"',
      '"sigmoid"',
    ],
    ['leaky-relu without a slope', makeInstance({}, { activation: 'leaky-relu' }), 'instance.architecture.slope', 'a slope (leaky-relu)', 'none'],
    ['a slope not a number', makeInstance({}, { activation: 'leaky-relu', slope: 'x' }), 'instance.architecture.slope', NUMBER, '"x"'],
    ['a slope of 1', makeInstance({}, { activation: 'leaky-relu', slope: '1' }), 'instance.architecture.slope', 'a slope in [0, 1)', '1'],
    ['a negative slope', makeInstance({}, { activation: 'leaky-relu', slope: '-1/10' }), 'instance.architecture.slope', 'a slope in [0, 1)', '-1/10'],
    ['a slope on relu', makeInstance({}, { slope: '0' }), 'instance.architecture.slope', 'no slope (activation relu)', '"0"'],
    [
      'a slope on threshold',
      makeInstance({}, { activation: 'threshold', slope: '1/2' }),
      'instance.architecture.slope',
      'no slope (activation threshold)',
      '"1/2"',
    ],
    ['a weight bound not a number', makeInstance({}, { weightBound: 'x' }), 'instance.architecture.weightBound', NUMBER, '"x"'],
    ['a weight bound of 0', makeInstance({}, { weightBound: '0' }), 'instance.architecture.weightBound', 'a weight bound > 0', '0'],
    ['a negative weight bound', makeInstance({}, { weightBound: '-2' }), 'instance.architecture.weightBound', 'a weight bound > 0', '-2'],
    [
      'an unknown output-weight mode',
      makeInstance({}, { outputWeights: 'any' }),
      'instance.architecture.outputWeights',
      '"signs", "positive", "free" or a list of numbers',
      '"any"',
    ],
    ['output weights neither string nor list', makeInstance({}, { outputWeights: 1 }), 'instance.architecture.outputWeights', 'an array', 'the JSON number 1'],
    ['an output weight not a number', makeInstance({}, { outputWeights: ['x'] }), 'instance.architecture.outputWeights[0]', NUMBER, '"x"'],
    [
      'one output weight too many',
      makeInstance({}, { outputWeights: ['1', '2'] }),
      'instance.architecture.outputWeights',
      '1 output weights (one per hidden unit)',
      '2',
    ],
    ['output bias not a boolean', makeInstance({}, { outputBias: 0 }), 'instance.architecture.outputBias', 'true or false', 'the JSON number 0'],
    [
      'boundOutputWeights not a boolean',
      makeInstance({}, { outputWeights: 'free', weightBound: '1', boundOutputWeights: 1 }),
      'instance.architecture.boundOutputWeights',
      'true or false',
      'the JSON number 1',
    ],
    [
      'boundOutputWeights without a weight bound',
      makeInstance({}, { outputWeights: 'free', boundOutputWeights: true }),
      'instance.architecture.boundOutputWeights',
      'a weightBound with boundOutputWeights',
      'none',
    ],
    [
      'boundOutputWeights with signs',
      makeInstance({}, { weightBound: '1', boundOutputWeights: true }),
      'instance.architecture.boundOutputWeights',
      'free output weights with boundOutputWeights',
      'signs',
    ],
    [
      'boundOutputWeights with a list',
      makeInstance({}, { outputWeights: ['2'], weightBound: '1', boundOutputWeights: true }),
      'instance.architecture.boundOutputWeights',
      'free output weights with boundOutputWeights',
      'a list',
    ],
    ['loss not an object', makeInstance({ loss: 'exact' }), 'instance.loss', 'an object', '"exact"'],
    ['loss type not a string', makeInstance({ loss: { type: 1 } }), 'instance.loss.type', 'a string', 'the JSON number 1'],
    [
      'an unknown loss type',
      makeInstance({ loss: { type: 'l3', bound: '1' } }),
      'instance.loss.type',
      '"exact", "l1", "linf", "l2" or "classification"',
      '"l3"',
    ],
    ['a bound on exact', makeInstance({ loss: { type: 'exact', bound: '1' } }), 'instance.loss.bound', 'only the fields type', 'unknown field "bound"'],
    [
      'strict on classification',
      makeInstance({ labels: ['1', '-1', '1'], loss: { type: 'classification', strict: true } }),
      'instance.loss.strict',
      'only the fields type',
      'unknown field "strict"',
    ],
    ['a classification label 0', makeInstance({ loss: { type: 'classification' } }), 'instance.labels[1]', 'a classification label 1 or -1', '0'],
    [
      'a classification label 2',
      makeInstance({ labels: ['-1', '1', '2'], loss: { type: 'classification' } }),
      'instance.labels[2]',
      'a classification label 1 or -1',
      '2',
    ],
    ['l1 without a bound', makeInstance({ loss: { type: 'l1' } }), 'instance.loss.bound', 'field "bound"', 'nothing (missing)'],
    ['a bound not a number', makeInstance({ loss: { type: 'linf', bound: 'x' } }), 'instance.loss.bound', NUMBER, '"x"'],
    ['a negative bound', makeInstance({ loss: { type: 'l2', bound: '-1/2' } }), 'instance.loss.bound', 'a bound >= 0', '-1/2'],
    ['strict not a boolean', makeInstance({ loss: { type: 'l1', bound: '1', strict: 'yes' } }), 'instance.loss.strict', 'true or false', '"yes"'],
    [
      'an unknown loss field',
      makeInstance({ loss: { type: 'l1', bound: '1', margin: '1' } }),
      'instance.loss.margin',
      'only the fields type, bound, strict',
      'unknown field "margin"',
    ],
    // symmetries: read for their shape only (not part of the question)
    ['symmetries not a list', makeInstance({ symmetries: {} }), 'instance.symmetries', 'an array', 'an object'],
    ['a symmetry without linear', makeInstance({ symmetries: [{ shift: ['0'] }] }), 'instance.symmetries[0].linear', 'field "linear"', 'nothing (missing)'],
    [
      'a symmetry with another field',
      makeInstance({ symmetries: [{ linear: [['1']], labels: -1 }] }),
      'instance.symmetries[0].labels',
      'only the fields linear, shift',
      'unknown field "labels"',
    ],
    ['a symmetry whose linear part is not a list', makeInstance({ symmetries: [{ linear: '1' }] }), 'instance.symmetries[0].linear', 'an array', '"1"'],
    ['a symmetry with two rows in dimension 1', makeInstance({ symmetries: [{ linear: [['1'], ['1']] }] }), 'instance.symmetries[0].linear', '1 rows', '2'],
    ['a symmetry row of two numbers', makeInstance({ symmetries: [{ linear: [['1', '0']] }] }), 'instance.symmetries[0].linear[0]', '1 numbers', '2'],
    ['a symmetry shift of no numbers', makeInstance({ symmetries: [{ linear: [['1']], shift: [] }] }), 'instance.symmetries[0].shift', '1 numbers', '0'],
    ['a symmetry entry not a number', makeInstance({ symmetries: [{ linear: [['x']] }] }), 'instance.symmetries[0].linear[0][0]', NUMBER, '"x"'],
  ])('%s', (_case, obj, path, expected, got) => {
    expect(read(obj)).toStrictEqual(new Rejection('C2', path, expected, got));
  });

  it('names the first missing required field, and the first unknown one', () => {
    expect(read(without(makeInstance(), 'format'))).toStrictEqual(new Rejection('C2', 'instance.format', 'field "format"', 'nothing (missing)'));
    expect(read(makeInstance({ comment: 'x' }))).toStrictEqual(
      new Rejection(
        'C2',
        'instance.comment',
        'only the fields format, name, points, labels, architecture, loss, description, source, symmetries',
        'unknown field "comment"',
      ),
    );
  });
});

describe('C2: what the reader returns', () => {
  it('declared symmetries of the right shape are read and leave the instance (and its hash) as it was', () => {
    const plain = read(makeInstance());
    const declared = read(makeInstance({ symmetries: [{ linear: [['-1']] }, { linear: [['1']], shift: ['0'] }] }));
    expect(declared).toStrictEqual(plain);
  });

  it('64 hidden units are allowed', () => {
    const inst = read(makeInstance({}, { hidden: 64 }));
    if (inst instanceof Rejection) expect.fail(JSON.stringify(inst));
    expect(inst.hidden).toBe(64);
  });

  it('threshold units: no slope; description, source, bounds and a strict l1 loss', () => {
    const obj = {
      format: 'relucert-instance/1',
      name: 't',
      description: 'd',
      source: 's',
      points: [
        ['1/2', '0'],
        ['-1', '3'],
      ],
      labels: ['1', '-2'],
      architecture: { hidden: 2, activation: 'threshold', outputWeights: 'free', outputBias: true, weightBound: '3', boundOutputWeights: true },
      loss: { type: 'l1', bound: '1.5', strict: true },
    };
    expect(read(obj)).toStrictEqual({
      name: 't',
      points: [
        [q('1/2'), q('0')],
        [q('-1'), q('3')],
      ],
      labels: [q('1'), q('-2')],
      n: 2,
      d: 2,
      hidden: 2,
      activation: 'threshold',
      slope: undefined,
      outputWeights: 'free',
      outputBias: true,
      weightBound: q('3'),
      boundOutputWeights: true,
      loss: { type: 'l1', bound: q('3/2'), strict: true },
    });
  });

  it('relu units: slope 0; a list of output weights; no bound; linf not strict by default', () => {
    const obj = makeInstance({ loss: { type: 'linf', bound: '0' } }, { hidden: 2, outputWeights: ['1', '-1/2'] });
    expect(read(obj)).toStrictEqual({
      name: 'test',
      points: [[q('-1')], [q('0')], [q('1')]],
      labels: [q('1'), q('0'), q('1')],
      n: 3,
      d: 1,
      hidden: 2,
      activation: 'relu',
      slope: Rat.ZERO,
      outputWeights: [q('1'), q('-1/2')],
      outputBias: false,
      weightBound: undefined,
      boundOutputWeights: false,
      loss: { type: 'linf', bound: Rat.ZERO, strict: false },
    });
  });

  it('leaky-relu units: their slope; boundOutputWeights false; classification', () => {
    const obj = makeInstance(
      { labels: ['1', '-1', '1'], loss: { type: 'classification' } },
      { activation: 'leaky-relu', slope: '1/10', outputWeights: 'positive', weightBound: '2', boundOutputWeights: false },
    );
    const inst = read(obj);
    if (inst instanceof Rejection) expect.fail(JSON.stringify(inst));
    expect([inst.activation, inst.slope, inst.outputWeights, inst.weightBound, inst.boundOutputWeights, inst.loss]).toStrictEqual([
      'leaky-relu',
      q('1/10'),
      'positive',
      q('2'),
      false,
      { type: 'classification' },
    ]);
  });
});
