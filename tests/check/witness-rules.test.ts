/**
 * Every rejection path of the feasible-certificate checker
 * (src/check/witness.ts: W1 shape, W2 output weights and bounds, W3 exact
 * loss), one case per branch, on hand-written networks checked in-process;
 * each rejection is asserted whole (rule, field path, expected, got) and each
 * accepted certificate with its statement, whose loss part checkLoss writes
 * (docs/mutation.md: these tests kill the mutants of witness.ts that the
 * rule-and-path tests of witness.test.ts left alive).
 */
import { describe, expect, it } from 'vitest';
import { readInstance } from '../../src/check/instance.js';
import { isJsonError, parseJson } from '../../src/check/json.js';
import { Rat } from '../../src/check/rational.js';
import { Rejection } from '../../src/check/rejection.js';
import { checkLoss, evaluate, readWitness } from '../../src/check/witness.js';
import { toInstance } from '../../src/format/schema.js';
import { instanceHash } from '../../src/format/write.js';
import { type Json, check, expectRejection, expectValid, makeInstance } from './helpers.js';

/** A feasible certificate for an instance object and a network object. */
function cert(instance: Json, network: Json): Json {
  return { format: 'relucert-certificate/1', verdict: 'feasible', instanceHash: instanceHash(toInstance(instance, 'test')), instance, network };
}
const net = (hidden: Json, output: Json): Json => ({ format: 'relucert-network/1', layers: [hidden, output] });
const layer = (activation: string, weights: Json, bias: Json, extra: Json = {}): Json => ({ activation, weights, bias, ...extra });

/** 2 ReLU units, output weights signs: |x| = relu(x) + relu(-x) fits the labels 1, 0, 1 at -1, 0, 1. */
const ABS = makeInstance({}, { hidden: 2 });
const ABS_HIDDEN = layer('relu', [['1'], ['-1']], ['0', '0']);
const ABS_OUT = layer('identity', [['1', '1']], ['0']);
const NUMBER = 'an exact number (a JSON integer, or a string "-3", "7/2", "0.125" or "1e-3")';

/** The certificate of ABS with the network replaced. */
const abs = (network: Json): Json => cert(ABS, network);

describe('the hand-made witnesses', () => {
  it('|x| fits ABS with zero error', () => {
    expect(expectValid(check(abs(net(ABS_HIDDEN, ABS_OUT)))).statement).toBe(
      'the network with 2 relu units (output weights signs, no output bias) fits "test" with zero error on 3 points',
    );
  });
});

describe('W1: the network object', () => {
  it.each<[string, Json, string, string, string]>([
    // [case, network, path, expected, got]
    ['not an object', 5, 'network', 'an object', 'the JSON number 5'],
    ['no layers', { format: 'relucert-network/1' }, 'network.layers', 'field "layers"', 'nothing (missing)'],
    ['an unknown field', { ...net(ABS_HIDDEN, ABS_OUT), name: 'x' }, 'network.name', 'only the fields format, layers', 'unknown field "name"'],
    ['format not a string', { ...net(ABS_HIDDEN, ABS_OUT), format: 1 }, 'network.format', 'a string', 'the JSON number 1'],
    ['another format', { ...net(ABS_HIDDEN, ABS_OUT), format: 'relucert-network/2' }, 'network.format', '"relucert-network/1"', '"relucert-network/2"'],
    ['layers not an array', { format: 'relucert-network/1', layers: 'x' }, 'network.layers', 'an array', '"x"'],
    ['one layer', { format: 'relucert-network/1', layers: [ABS_HIDDEN] }, 'network.layers', '2 layers (hidden, output)', '1'],
    ['three layers', { format: 'relucert-network/1', layers: [ABS_HIDDEN, ABS_OUT, ABS_OUT] }, 'network.layers', '2 layers (hidden, output)', '3'],
  ])('%s', (_case, network, path, expected, got) => {
    expectRejection(check(abs(network)), { rule: 'W1', path, expected, got });
  });
});

describe('W1: the layers', () => {
  it.each<[string, Json, Json, string, string, string]>([
    // [case, hidden layer, output layer, path, expected, got]
    ['a hidden layer not an object', [], ABS_OUT, 'network.layers[0]', 'an object', 'an array of 0'],
    ['a layer without bias', { activation: 'relu', weights: [['1'], ['-1']] }, ABS_OUT, 'network.layers[0].bias', 'field "bias"', 'nothing (missing)'],
    [
      'an unknown field in a layer',
      layer('relu', [['1'], ['-1']], ['0', '0'], { dropout: '0' }),
      ABS_OUT,
      'network.layers[0].dropout',
      'only the fields activation, weights, bias',
      'unknown field "dropout"',
    ],
    [
      'a slope in a relu layer',
      layer('relu', [['1'], ['-1']], ['0', '0'], { slope: '0' }),
      ABS_OUT,
      'network.layers[0].slope',
      'only the fields activation, weights, bias',
      'unknown field "slope"',
    ],
    ['activation not a string', layer(1 as never, [['1'], ['-1']], ['0', '0']), ABS_OUT, 'network.layers[0].activation', 'a string', 'the JSON number 1'],
    ['another hidden activation', layer('threshold', [['1'], ['-1']], ['0', '0']), ABS_OUT, 'network.layers[0].activation', '"relu"', '"threshold"'],
    ['an output layer that is not identity', ABS_HIDDEN, layer('relu', [['1', '1']], ['0']), 'network.layers[1].activation', '"identity"', '"relu"'],
    ['weights not an array', layer('relu', '1', ['0', '0']), ABS_OUT, 'network.layers[0].weights', 'an array', '"1"'],
    ['one row of weights too few', layer('relu', [['1']], ['0', '0']), ABS_OUT, 'network.layers[0].weights', '2 rows of weights (one per unit)', '1'],
    ['a row that is not an array', layer('relu', [['1'], '-1'], ['0', '0']), ABS_OUT, 'network.layers[0].weights[1]', 'an array', '"-1"'],
    [
      'a row of one weight too many',
      layer('relu', [['1', '0'], ['-1']], ['0', '0']),
      ABS_OUT,
      'network.layers[0].weights[0]',
      '1 weights (one per input)',
      '2',
    ],
    ['a weight not a number', layer('relu', [['1'], ['x']], ['0', '0']), ABS_OUT, 'network.layers[0].weights[1][0]', NUMBER, '"x"'],
    ['bias not an array', layer('relu', [['1'], ['-1']], '0'), ABS_OUT, 'network.layers[0].bias', 'an array', '"0"'],
    ['one bias too few', layer('relu', [['1'], ['-1']], ['0']), ABS_OUT, 'network.layers[0].bias', '2 biases (one per unit)', '1'],
    ['a bias not a number', layer('relu', [['1'], ['-1']], ['0', 'y']), ABS_OUT, 'network.layers[0].bias[1]', NUMBER, '"y"'],
    [
      'two output rows',
      ABS_HIDDEN,
      layer(
        'identity',
        [
          ['1', '1'],
          ['1', '1'],
        ],
        ['0'],
      ),
      'network.layers[1].weights',
      '1 rows of weights (one per unit)',
      '2',
    ],
    ['an output row of one weight', ABS_HIDDEN, layer('identity', [['1']], ['0']), 'network.layers[1].weights[0]', '2 weights (one per input)', '1'],
    ['two output biases', ABS_HIDDEN, layer('identity', [['1', '1']], ['0', '0']), 'network.layers[1].bias', '1 biases (one per unit)', '2'],
  ])('%s', (_case, hidden, output, path, expected, got) => {
    expectRejection(check(abs(net(hidden, output))), { rule: 'W1', path, expected, got });
  });

  describe('leaky ReLU: the slope of the hidden layer', () => {
    const LEAKY = makeInstance({ labels: ['-1/10', '0', '1'] }, { activation: 'leaky-relu', slope: '1/10' });
    const OUT = layer('identity', [['1']], ['0']);
    it('is the instance slope, written any way (and f(-1) = slope * -1)', () => {
      expect(expectValid(check(cert(LEAKY, net(layer('leaky-relu', [['1']], ['0'], { slope: '0.1' }), OUT)))).statement).toBe(
        'the network with 1 leaky-relu unit of slope 1/10 (output weights signs, no output bias) fits "test" with zero error on 3 points',
      );
    });
    it.each<[string, Json, string, string, string]>([
      ['missing', layer('leaky-relu', [['1']], ['0']), 'network.layers[0].slope', 'field "slope"', 'nothing (missing)'],
      ['not a number', layer('leaky-relu', [['1']], ['0'], { slope: 'x' }), 'network.layers[0].slope', NUMBER, '"x"'],
      ['another slope', layer('leaky-relu', [['1']], ['0'], { slope: '1/5' }), 'network.layers[0].slope', "1/10 (the instance's slope)", '1/5'],
    ])('rejects a slope %s', (_case, hidden, path, expected, got) => {
      expectRejection(check(cert(LEAKY, net(hidden, OUT))), { rule: 'W1', path, expected, got });
    });
  });
});

describe('W2: output weights, output bias, weight bounds', () => {
  /** |x| with output weights (a0, a1), output bias c, and the instance's architecture changed by `arch`. */
  const absWith = (arch: Json, a: [string, string], c = '0', labels = ['1', '0', '1'], hidden: Json = ABS_HIDDEN): Json =>
    cert(makeInstance({ labels }, { hidden: 2, ...arch }), net(hidden, layer('identity', [a], [c])));
  const W2 = (path: string, expected: string, got: string) => ({ rule: 'W2', path, expected, got });

  it('signs: 1 and -1 pass, 2 does not', () => {
    expectValid(check(absWith({}, ['1', '-1'], '0', ['-1', '0', '1'])));
    expectRejection(check(absWith({}, ['2', '1'])), W2('network.layers[1].weights[0][0]', '1 or -1 (output weights signs)', '2'));
    expectRejection(check(absWith({}, ['1', '-2'])), W2('network.layers[1].weights[0][1]', '1 or -1 (output weights signs)', '-2'));
  });
  it('positive: -1 does not pass', () => {
    expectRejection(check(absWith({ outputWeights: 'positive' }, ['1', '-1'])), W2('network.layers[1].weights[0][1]', '1 (output weights positive)', '-1'));
  });
  it("a list: each weight is the instance's", () => {
    expectValid(check(absWith({ outputWeights: ['1', '1/2'] }, ['1', '0.5'], '0', ['1', '0', '1'], layer('relu', [['1'], ['-2']], ['0', '0']))));
    expectRejection(check(absWith({ outputWeights: ['1', '1/2'] }, ['1', '1'])), W2('network.layers[1].weights[0][1]', "1/2 (the instance's list)", '1'));
  });
  it('free: any weight, and no output bias without one', () => {
    expectValid(check(absWith({ outputWeights: 'free' }, ['3', '3'], '0', ['3', '0', '3'])));
    expectRejection(check(absWith({}, ['1', '1'], '1/3')), W2('network.layers[1].bias[0]', '0 (the instance has no output bias)', '1/3'));
    expectValid(check(absWith({ outputBias: true }, ['1', '1'], '1/3', ['4/3', '1/3', '4/3'])));
  });
  it('weightBound: hidden weights and biases within [-B, B], B itself included', () => {
    const hidden = (w0: string, w1: string, b1: string): Json => layer('relu', [[w0], [w1]], ['0', b1]);
    expectValid(check(absWith({ weightBound: '2', outputWeights: 'free' }, ['1/2', '1/2'], '0', ['1', '0', '1'], hidden('2', '-2', '0'))));
    expectRejection(
      check(absWith({ weightBound: '2' }, ['1', '1'], '0', ['1', '0', '1'], hidden('1', '-3', '0'))),
      W2('network.layers[0].weights[1][0]', 'a weight in [-2, 2] (weightBound)', '-3'),
    );
    expectRejection(
      check(absWith({ weightBound: '2' }, ['1', '1'], '0', ['1', '0', '1'], hidden('1', '-1', '5/2'))),
      W2('network.layers[0].bias[1]', 'a bias in [-2, 2] (weightBound)', '5/2'),
    );
  });
  it('boundOutputWeights: output weights within [-B, B] too, and only then', () => {
    const hidden = layer('relu', [['1'], ['-1']], ['0', '0']);
    expectValid(check(absWith({ weightBound: '2', outputWeights: 'free' }, ['3', '3'], '0', ['3', '0', '3'], hidden)));
    expectValid(check(absWith({ weightBound: '3', outputWeights: 'free', boundOutputWeights: true }, ['3', '-3'], '0', ['-3', '0', '3'], hidden)));
    expectRejection(
      check(absWith({ weightBound: '2', outputWeights: 'free', boundOutputWeights: true }, ['1', '-3'], '0', ['-3', '0', '1'], hidden)),
      W2('network.layers[1].weights[0][1]', 'an output weight in [-2, 2] (boundOutputWeights)', '-3'),
    );
  });
});

describe('W3: the loss, exactly, and the statement', () => {
  /** f(x) = relu(x) at the points -1, 0, 1: 0, 0, 1. */
  const RELU = net(layer('relu', [['1']], ['0']), layer('identity', [['1']], ['0']));
  const shape = '1 relu unit (output weights signs, no output bias)';
  const W3 = (expected: string, got: string) => ({ rule: 'W3', path: 'network', expected, got });

  it('exact: the first point off names its index and both values', () => {
    expectRejection(check(cert(makeInstance({ labels: ['0', '0', '1/2'] }), RELU)), W3('f(x_2) = 1/2 (loss exact)', 'f(x_2) = 1'));
    expectRejection(check(cert(makeInstance({ labels: ['0', '1', '2'] }), RELU)), W3('f(x_1) = 1 (loss exact)', 'f(x_1) = 0'));
  });
  it('exact: checkLoss reports zero error', () => {
    const obj = makeInstance({ labels: ['0', '0', '1'] });
    const v = parseJson(JSON.stringify(obj));
    const w = parseJson(JSON.stringify(RELU));
    if (isJsonError(v) || isJsonError(w)) expect.fail('bad JSON');
    const inst = readInstance(v, 'instance');
    if (inst instanceof Rejection) expect.fail(JSON.stringify(inst));
    const witness = readWitness(w, 'network', inst);
    if (witness instanceof Rejection) expect.fail(JSON.stringify(witness));
    expect(checkLoss(witness, inst, 'network')).toBe('zero error');
  });

  describe('classification', () => {
    /** f(x) = relu(x) + c with an output bias; labels -1, -1, 1. */
    const cls = makeInstance({ labels: ['-1', '-1', '1'], loss: { type: 'classification' } }, { outputBias: true });
    const withBias = (c: string): Json => net(layer('relu', [['1']], ['0']), layer('identity', [['1']], [c]));
    it('states the least margin y f(x), wherever it is', () => {
      // f = -1/4, -1/4, 3/4: margins 1/4, 1/4, 3/4
      expect(expectValid(check(cert(cls, withBias('-1/4')))).statement).toBe(
        'the network with 1 relu unit (output weights signs, with output bias) classifies all 3 points of "test" correctly (least margin y f(x) = 1/4)',
      );
      // f = -3/4, -3/4, 1/4: margins 3/4, 3/4, 1/4
      expect(expectValid(check(cert(cls, withBias('-3/4')))).statement).toContain('(least margin y f(x) = 1/4)');
      // points 1, -2, 2, labels 1, f = 4/3, 1/3, 7/3: the least margin in the middle
      const mid = makeInstance({ points: [['1'], ['-2'], ['2']], labels: ['1', '1', '1'], loss: { type: 'classification' } }, { outputBias: true });
      expect(expectValid(check(cert(mid, withBias('1/3')))).statement).toContain('(least margin y f(x) = 1/3)');
    });
    it('rejects y f(x) <= 0 at the first point where it fails, the first point included', () => {
      expectRejection(check(cert(cls, withBias('1'))), W3('y_0 f(x_0) > 0 (loss classification)', 'y_0 f(x_0) = -1'));
      expectRejection(check(cert(cls, withBias('-1'))), W3('y_2 f(x_2) > 0 (loss classification)', 'y_2 f(x_2) = 0'));
    });
  });

  describe('l1, l2, linf: residuals -1/2, 0, 1 (f = 0, 0, 1 against the labels 1/2, 0, 0)', () => {
    const lossOf = (loss: Json): Json => cert(makeInstance({ labels: ['1/2', '0', '0'], loss }), RELU);
    it.each<[string, Json, string]>([
      ['l1', { type: 'l1', bound: '2' }, 'l1 loss 3/2 <= 2'],
      ['l1 at its bound', { type: 'l1', bound: '3/2' }, 'l1 loss 3/2 <= 3/2'],
      ['l1 strict', { type: 'l1', bound: '2', strict: true }, 'l1 loss 3/2 < 2'],
      ['l2', { type: 'l2', bound: '2' }, 'l2 loss 5/4 <= 2'],
      ['l2 strict', { type: 'l2', bound: '5/3', strict: true }, 'l2 loss 5/4 < 5/3'],
      ['linf', { type: 'linf', bound: '1' }, 'linf loss 1 <= 1'],
      ['linf strict', { type: 'linf', bound: '2', strict: true }, 'linf loss 1 < 2'],
    ])('accepts %s and states the loss', (_case, loss, reached) => {
      expect(expectValid(check(lossOf(loss))).statement).toBe(`the network with ${shape} fits "test" with ${reached} on 3 points`);
    });
    it.each<[string, Json, string, string]>([
      ['l1 above its bound', { type: 'l1', bound: '7/5' }, 'l1 loss <= 7/5', 'l1 loss 3/2'],
      ['l1 at a strict bound', { type: 'l1', bound: '3/2', strict: true }, 'l1 loss < 3/2', 'l1 loss 3/2'],
      ['l2 above its bound', { type: 'l2', bound: '1' }, 'l2 loss <= 1', 'l2 loss 5/4'],
      ['linf above its bound', { type: 'linf', bound: '1/2' }, 'linf loss <= 1/2', 'linf loss 1'],
      ['linf at a strict bound', { type: 'linf', bound: '1', strict: true }, 'linf loss < 1', 'linf loss 1'],
    ])('rejects %s', (_case, loss, expected, got) => {
      expectRejection(check(lossOf(loss)), W3(expected, got));
    });
  });

  describe('evaluate: sigma of each activation', () => {
    const x = [Rat.of(-1n)];
    /** one unit, weight 2, bias 0, output weight 1: f(-1) = sigma(-2), f(1) = sigma(2) */
    const w = { w: [[Rat.of(2n)]], b: [Rat.ZERO], a: [Rat.ONE], c: Rat.ZERO };
    it('threshold: a step, whatever slope the caller passes', () => {
      expect(evaluate(w, { activation: 'threshold', slope: undefined }, x)).toEqual(Rat.ZERO);
      expect(evaluate(w, { activation: 'threshold', slope: undefined }, [Rat.ONE])).toEqual(Rat.ONE);
      expect(evaluate(w, { activation: 'threshold', slope: Rat.of(1n, 2n) }, x)).toEqual(Rat.ZERO);
      expect(evaluate(w, { activation: 'threshold', slope: Rat.of(1n, 2n) }, [Rat.ONE])).toEqual(Rat.ONE);
    });
    it('relu and leaky relu: h above 0, slope h below', () => {
      expect(evaluate(w, { activation: 'relu', slope: Rat.ZERO }, x)).toEqual(Rat.ZERO);
      expect(evaluate(w, { activation: 'relu', slope: Rat.ZERO }, [Rat.ONE])).toEqual(Rat.of(2n));
      expect(evaluate(w, { activation: 'leaky-relu', slope: Rat.of(1n, 10n) }, x)).toEqual(Rat.of(-1n, 5n));
    });
    it('a threshold witness: step(2x) fits 0, 0, 1 at -1, 0, 1; 2 relu(x) does not pass for it', () => {
      const inst = makeInstance({ labels: ['0', '0', '1'] }, { activation: 'threshold' });
      const step = (activation: string): Json => net(layer(activation, [['2']], ['0']), layer('identity', [['1']], ['0']));
      expectValid(check(cert(inst, step('threshold'))));
      expectRejection(check(cert(inst, step('relu'))), { rule: 'W1', path: 'network.layers[0].activation', expected: '"threshold"', got: '"relu"' });
    });
  });
});
