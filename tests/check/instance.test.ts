import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalText, instanceHash, readInstance } from '../../src/check/instance.js';
import { isJsonError, parseJson } from '../../src/check/json.js';
import { Rejection } from '../../src/check/rejection.js';
import { toInstance } from '../../src/format/schema.js';
import { instanceHash as solverHash } from '../../src/format/write.js';
import { type Json, instanceArb, makeInstance } from './helpers.js';

/** Reads an instance object; a string "RAW:<token>" is written into the JSON text as a raw token. */
function read(obj: Json): ReturnType<typeof readInstance> {
  const v = parseJson(JSON.stringify(obj).replace(/"RAW:([^"]*)"/g, '$1'));
  if (isJsonError(v)) throw new Error(v.message);
  return readInstance(v, 'instance');
}

function expectC2(obj: Json, path: string): void {
  const r = read(obj);
  expect(r).toBeInstanceOf(Rejection);
  expect(r).toMatchObject({ rule: 'C2', path });
}

describe('canonical form and hash (section 2)', () => {
  const dir = new URL('../../instances/', import.meta.url);
  it.each(readdirSync(dir).filter((f) => f.endsWith('.json')))('agrees with the solver on shipped instance %s', (file) => {
    const text = readFileSync(new URL(file, dir), 'utf8');
    const mine = read(JSON.parse(text));
    if (mine instanceof Rejection) expect.fail(`rejected: ${JSON.stringify(mine)}`);
    expect(instanceHash(mine)).toBe(solverHash(toInstance(JSON.parse(text), file)));
  });

  it('agrees with the solver on random instances written in varied spellings', () => {
    fc.assert(
      fc.property(instanceArb({ spellings: true, maxPoints: 6, maxDim: 3, maxHidden: 4 }), (obj) => {
        const mine = read(obj);
        if (mine instanceof Rejection) throw new Error(`rejected: ${JSON.stringify(mine)}`);
        expect(instanceHash(mine)).toBe(solverHash(toInstance(obj, 'random')));
      }),
      { numRuns: 300 },
    );
  });

  it('is the documented text, without name, description or source', () => {
    const mine = read(makeInstance({ description: 'x', source: 'y', points: [['6/4'], [2], ['-0.5']], loss: { type: 'l1', bound: '1.0' } }));
    if (mine instanceof Rejection) expect.fail('rejected');
    expect(canonicalText(mine)).toBe(
      '{"format":"relucert-instance/1","points":[["3/2"],["2"],["-1/2"]],"labels":["1","0","1"],' +
        '"architecture":{"hidden":1,"activation":"relu","outputWeights":"signs","outputBias":false},' +
        '"loss":{"type":"l1","bound":"1","strict":false}}',
    );
  });

  it('does not depend on spelling or on the name', () => {
    const a = read(makeInstance({ name: 'a', points: [['-1'], ['0'], ['1']] }));
    const b = read(makeInstance({ name: 'b', points: [[-1], ['0/5'], ['2/2']] }));
    if (a instanceof Rejection || b instanceof Rejection) expect.fail('rejected');
    expect(instanceHash(a)).toBe(instanceHash(b));
  });

  it('changes when a point changes', () => {
    const a = read(makeInstance());
    const b = read(makeInstance({ points: [['-1'], ['0'], ['2']] }));
    if (a instanceof Rejection || b instanceof Rejection) expect.fail('rejected');
    expect(instanceHash(a)).not.toBe(instanceHash(b));
  });
});

describe('C2: instance fields', () => {
  it.each<[string, Json, string]>([
    ['wrong format', makeInstance({ format: 'relucert-instance/2' }), 'instance.format'],
    [
      'missing name',
      (() => {
        const i = makeInstance();
        delete i.name;
        return i;
      })(),
      'instance.name',
    ],
    ['unknown field', makeInstance({ comment: 'x' }), 'instance.comment'],
    ['no points', makeInstance({ points: [], labels: [] }), 'instance.points'],
    ['ragged points', makeInstance({ points: [['1'], ['1', '2'], ['3']] }), 'instance.points[1]'],
    ['float-y JSON number', makeInstance({ points: [['RAW:0.5'], ['0'], ['1']] }), 'instance.points[0][0]'],
    ['exponent JSON number', makeInstance({ points: [['RAW:1e3'], ['0'], ['1']] }), 'instance.points[0][0]'],
    ['bad number string', makeInstance({ labels: ['1', '1e', '1'] }), 'instance.labels[1]'],
    ['exponent on a fraction', makeInstance({ labels: ['1', '1/2e3', '1'] }), 'instance.labels[1]'],
    ['exponent past the digit limit', makeInstance({ labels: ['1', '1e1000000000', '1'] }), 'instance.labels[1]'],
    ['zero denominator', makeInstance({ labels: ['1', '1/0', '1'] }), 'instance.labels[1]'],
    ['label count', makeInstance({ labels: ['1', '0'] }), 'instance.labels'],
    ['hidden 0', makeInstance({}, { hidden: 0 }), 'instance.architecture.hidden'],
    ['hidden 65', makeInstance({}, { hidden: 65 }), 'instance.architecture.hidden'],
    ['integer with fraction', makeInstance({ points: [['RAW:1.0'], ['0'], ['1']] }), 'instance.points[0][0]'],
    ['huge exponent', makeInstance({ labels: ['1', 'RAW:1e400', '1'] }), 'instance.labels[1]'],
    ['JSON integer beyond 2^53', makeInstance({ points: [['RAW:9007199254740992'], ['0'], ['1']] }), 'instance.points[0][0]'],
    ['hidden as string', makeInstance({}, { hidden: '1' }), 'instance.architecture.hidden'],
    ['activation', makeInstance({}, { activation: 'sigmoid' }), 'instance.architecture.activation'],
    ['output weight mode', makeInstance({}, { outputWeights: 'any' }), 'instance.architecture.outputWeights'],
    ['output weight list length', makeInstance({}, { outputWeights: ['1', '2'] }), 'instance.architecture.outputWeights'],
    ['output bias not boolean', makeInstance({}, { outputBias: 0 }), 'instance.architecture.outputBias'],
    ['loss type', makeInstance({ loss: { type: 'l3', bound: '1' } }), 'instance.loss.type'],
    ['negative bound', makeInstance({ loss: { type: 'l1', bound: '-1' } }), 'instance.loss.bound'],
    ['missing bound', makeInstance({ loss: { type: 'linf' } }), 'instance.loss.bound'],
    ['bound on exact', makeInstance({ loss: { type: 'exact', bound: '1' } }), 'instance.loss.bound'],
    ['classification label 0', makeInstance({ loss: { type: 'classification' } }), 'instance.labels[1]'],
  ])('rejects %s', (_name, obj, path) => expectC2(obj, path));

  it.each<[string, Json]>([
    ['fractions and decimals', makeInstance({ points: [['-1/3'], ['.25'], ['2.']] })],
    ['big integers', makeInstance({ points: [['123456789012345678901234567890'], ['RAW:9007199254740991'], ['RAW:-9007199254740991']] })],
    ['description and source', makeInstance({ description: 'd', source: 's' })],
    ['a list of output weights', makeInstance({}, { hidden: 2, outputWeights: ['1/2', -3] })],
    ['l1 with strict', makeInstance({ loss: { type: 'l1', bound: '0', strict: true } })],
    ['classification', makeInstance({ labels: ['1', '-1', 1], loss: { type: 'classification' } })],
  ])('accepts %s', (_name, obj) => {
    expect(read(obj)).not.toBeInstanceOf(Rejection);
  });
});
