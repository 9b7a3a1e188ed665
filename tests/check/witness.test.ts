/** Feasible certificates: W1 (shape), W2 (output weights), W3 (exact loss). */
import { describe, it } from 'vitest';
import { instanceHash } from '../../src/format/write.js';
import { toInstance } from '../../src/format/schema.js';
import { type Json, check, checkText, clone, expectRejected, expectValid, makeInstance, readInstanceFile, solveToCertificate } from './helpers.js';

/** A feasible certificate for an instance object and a hand-written network. */
function witnessCert(instance: Json, hidden: Json, output: Json): Json {
  return {
    format: 'relucert-certificate/1',
    verdict: 'feasible',
    instanceHash: instanceHash(toInstance(instance, 'test')),
    instance,
    network: { format: 'relucert-network/1', layers: [hidden, output] },
  };
}

const abs2 = readInstanceFile('abs-3-k2');
/** |x| = relu(x) + relu(-x) */
const absHidden = { activation: 'relu', weights: [['1'], ['-1']], bias: ['0', '0'] };
const absOutput = { activation: 'identity', weights: [['1', '1']], bias: ['0'] };
const absCert = witnessCert(abs2, absHidden, absOutput);

describe('W1: shape', () => {
  it('accepts the emitted witness for abs-3-k2', () => {
    expectValid(check(solveToCertificate(abs2)));
  });
  it('accepts a hand-written witness', () => {
    expectValid(check(absCert));
  });
  it('rejects one layer', () => {
    const c = clone(absCert);
    c.network.layers.pop();
    expectRejected(check(c), 'W1', 'network.layers');
  });
  it('rejects the wrong hidden activation', () => {
    expectRejected(check(witnessCert(abs2, { ...absHidden, activation: 'threshold' }, absOutput)), 'W1', 'network.layers[0].activation');
  });
  it('rejects a missing hidden unit', () => {
    expectRejected(check(witnessCert(abs2, { ...absHidden, weights: [['1']] }, absOutput)), 'W1', 'network.layers[0].weights');
  });
  it('rejects a weight row of the wrong dimension', () => {
    expectRejected(check(witnessCert(abs2, { ...absHidden, weights: [['1', '0'], ['-1']] }, absOutput)), 'W1', 'network.layers[0].weights[0]');
  });
  it('rejects an output layer that is not identity', () => {
    expectRejected(check(witnessCert(abs2, absHidden, { ...absOutput, activation: 'relu' })), 'W1', 'network.layers[1].activation');
  });
  it('rejects an unknown field in a layer', () => {
    expectRejected(check(witnessCert(abs2, { ...absHidden, dropout: '0' }, absOutput)), 'W1', 'network.layers[0].dropout');
  });
  it('rejects a float-y weight', () => {
    const text = JSON.stringify(absCert).replace('"weights":[["1"],["-1"]]', '"weights":[[1.0],["-1"]]');
    expectRejected(checkText(text), 'W1', 'network.layers[0].weights[0][0]');
  });
});

describe('W2: output weights and bias', () => {
  it('accepts signs 1 and -1', () => {
    const inst = makeInstance({ labels: ['-1', '0', '1'] }, { hidden: 2 });
    // x = relu(x) - relu(-x)
    expectValid(check(witnessCert(inst, absHidden, { ...absOutput, weights: [['1', '-1']] })));
  });
  it('rejects a sign weight that is not +-1', () => {
    expectRejected(check(witnessCert(abs2, absHidden, { ...absOutput, weights: [['2', '1']] })), 'W2', 'network.layers[1].weights[0][0]');
  });
  it('accepts any weight when free', () => {
    const inst = makeInstance({ labels: ['2', '0', '2'] }, { hidden: 2, outputWeights: 'free' });
    expectValid(check(witnessCert(inst, absHidden, { ...absOutput, weights: [['2', '2']] })));
  });
  it('rejects -1 when positive', () => {
    const inst = makeInstance({ labels: ['-1', '0', '1'] }, { hidden: 2, outputWeights: 'positive' });
    expectRejected(check(witnessCert(inst, absHidden, { ...absOutput, weights: [['1', '-1']] })), 'W2', 'network.layers[1].weights[0][1]');
  });
  it('accepts the instance list, written differently', () => {
    const inst = makeInstance({ labels: ['1/2', '0', '1/2'] }, { hidden: 2, outputWeights: ['1/2', '0.5'] });
    expectValid(check(witnessCert(inst, absHidden, { ...absOutput, weights: [['2/4', '1/2']] })));
  });
  it('rejects a weight off the instance list', () => {
    const inst = makeInstance({ labels: ['1/2', '0', '1/2'] }, { hidden: 2, outputWeights: ['1/2', '1/2'] });
    expectRejected(check(witnessCert(inst, { ...absHidden, weights: [['1/2'], ['-1']] }, { ...absOutput, weights: [['1', '1/2']] })), 'W2');
  });
  it('rejects an output bias without one in the instance', () => {
    expectRejected(check(witnessCert(abs2, absHidden, { ...absOutput, bias: ['1/3'] })), 'W2', 'network.layers[1].bias[0]');
  });
});

describe('W3: exact loss', () => {
  it('rejects a witness with one weight changed', () => {
    const c = solveToCertificate(abs2);
    c.network.layers[0].weights[0][0] = c.network.layers[0].weights[0][0] === '2' ? '3' : '2';
    expectRejected(check(c), 'W3', 'network');
  });
  it('rejects a witness with one bias changed by 1/1000', () => {
    expectRejected(check(witnessCert(abs2, { ...absHidden, bias: ['1/1000', '0'] }, absOutput)), 'W3');
  });
  it('accepts l1 loss exactly at the bound, rejects it when strict', () => {
    const inst = makeInstance({ loss: { type: 'l1', bound: '1' } }, { hidden: 1 });
    const net = [
      { activation: 'relu', weights: [['1']], bias: ['0'] },
      { activation: 'identity', weights: [['1']], bias: ['0'] },
    ];
    expectValid(check(witnessCert(inst, net[0], net[1]))); // errors 1, 0, 0
    const strict = makeInstance({ loss: { type: 'l1', bound: '1', strict: true } }, { hidden: 1 });
    expectRejected(check(witnessCert(strict, net[0], net[1])), 'W3');
  });
  it('accepts linf loss within the bound, rejects above', () => {
    const net = [
      { activation: 'relu', weights: [['1']], bias: ['0'] },
      { activation: 'identity', weights: [['1']], bias: ['1/2'] },
    ];
    const bias = { architecture: { hidden: 1, activation: 'relu', outputWeights: 'signs', outputBias: true } };
    expectValid(check(witnessCert(makeInstance({ ...bias, loss: { type: 'linf', bound: '1/2' } }), net[0], net[1])));
    expectRejected(check(witnessCert(makeInstance({ ...bias, loss: { type: 'linf', bound: '49/100' } }), net[0], net[1])), 'W3');
  });
  it('threshold(0) = 0: a point on the boundary is inactive', () => {
    const inst = makeInstance({ points: [['0'], ['1']], labels: ['0', '1'] }, { activation: 'threshold' });
    const net = (b: string): Json[] => [
      { activation: 'threshold', weights: [['1']], bias: [b] },
      { activation: 'identity', weights: [['1']], bias: ['0'] },
    ];
    expectValid(check(witnessCert(inst, ...(net('0') as [Json, Json]))));
    expectRejected(check(witnessCert(inst, ...(net('1/2') as [Json, Json]))), 'W3');
  });
  it('classification needs y f > 0 strictly', () => {
    const inst = makeInstance({ points: [['-1'], ['1']], labels: ['-1', '1'], loss: { type: 'classification' } }, { outputBias: true });
    const net = (c: string): [Json, Json] => [
      { activation: 'relu', weights: [['1']], bias: ['0'] },
      { activation: 'identity', weights: [['1']], bias: [c] },
    ];
    expectValid(check(witnessCert(inst, ...net('-1/2'))));
    expectRejected(check(witnessCert(inst, ...net('-1'))), 'W3'); // f(1) = 0
  });
});
