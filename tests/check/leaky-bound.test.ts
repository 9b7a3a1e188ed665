/**
 * The checker on leaky ReLU and weight bounds (docs/certificates.md 4.3, W1-W2,
 * docs/lemmas.md L1-L7): accepted certificates, and certificates built for
 * one question offered for another (another slope, no bound, a looser bound,
 * a witness outside the bound, a lemma that does not apply) rejected.
 */
import { describe, expect, it } from 'vitest';
import { toInstance } from '../../src/format/schema.js';
import { instanceHash } from '../../src/format/write.js';
import { type Json, check, clone, expectRejected, expectValid, leaves, makeInstance, readInstanceFile, solveToCertificate } from './helpers.js';

/** The certificate re-bound to another instance (embedded and hashed), as a forger would. */
function reboundTo(cert: Json, instance: Json): Json {
  return { ...clone(cert), instance, instanceHash: instanceHash(toInstance(instance, 'test')) };
}

const withArch = (instance: Json, arch: Json): Json => ({ ...clone(instance), architecture: { ...instance.architecture, ...arch } });
const withoutBound = (instance: Json): Json => {
  const c = clone(instance);
  delete c.architecture.weightBound;
  return c;
};

const abs1 = readInstanceFile('abs-3-k1');
const reluCert = solveToCertificate(abs1);
const leaky1 = readInstanceFile('abs-3-leaky-k1');
const leakyCert = solveToCertificate(leaky1);
const leaky2 = readInstanceFile('abs-3-leaky-k2');
const leakyWitness = solveToCertificate(leaky2);
const boundHalf = readInstanceFile('abs-3-k2-bound-half');
const boundCert = solveToCertificate(boundHalf);

describe('leaky ReLU: accepted', () => {
  it('accepts the infeasibility proof of abs-3-leaky-k1 and names the slope', () => {
    const v = expectValid(check(leakyCert, leaky1));
    expect(v.statement).toBe(
      'no network with 1 leaky-relu unit of slope 1/10 (output weights signs, no output bias) fits "abs-3-leaky-k1" with zero error on 3 points',
    );
    // its leaves use the leaky rows: zlb (slope h - z <= 0) or inactv (z - slope h = 0)
    expect(leaves(leakyCert).some((l) => Object.keys(l.node.multipliers).some((r) => /^(zlb|inactv):/.test(r)))).toBe(true);
  });
  it('accepts the witness of abs-3-leaky-k2 (a leaky-relu layer with the slope)', () => {
    expect(leakyWitness.network.layers[0]).toMatchObject({ activation: 'leaky-relu', slope: '1/10' });
    expectValid(check(leakyWitness, leaky2));
  });
});

describe('leaky ReLU: a certificate for one slope offered for another is rejected', () => {
  it('the ReLU proof of abs-3-k1 (slope 0) for slope 1/10 (F3: the rows differ)', () => {
    const forged = reboundTo(reluCert, withArch(abs1, { activation: 'leaky-relu', slope: '1/10' }));
    expectRejected(check(forged), 'F3');
  });
  it('the slope-1/10 proof for slope 1/2', () => {
    const forged = reboundTo(leakyCert, withArch(leaky1, { slope: '1/2' }));
    expectRejected(check(forged), 'F3');
  });
  it('the slope-1/10 proof for a ReLU, and for leaky-relu with slope 0 (the rows differ)', () => {
    const relu = withArch(leaky1, { activation: 'relu' });
    delete relu.architecture.slope;
    expectRejected(check(reboundTo(leakyCert, relu)), 'F3');
    expectRejected(check(reboundTo(leakyCert, withArch(leaky1, { slope: '0' }))), 'F3');
  });
  it('the slope-1/10 witness for slope 1/2 (W1: the layer says 1/10)', () => {
    const forged = reboundTo(leakyWitness, withArch(leaky2, { slope: '1/2' }));
    expectRejected(check(forged), 'W1', 'network.layers[0].slope');
  });
  it('a leaky witness without its slope, or written as relu (W1)', () => {
    const noSlope = clone(leakyWitness);
    delete noSlope.network.layers[0].slope;
    expectRejected(check(noSlope), 'W1', 'network.layers[0].slope');
    const asRelu = clone(leakyWitness);
    asRelu.network.layers[0].activation = 'relu';
    expectRejected(check(asRelu), 'W1', 'network.layers[0].activation');
  });
  it('a slope on a ReLU witness layer (W1: unknown field)', () => {
    const c = solveToCertificate(readInstanceFile('abs-3-k2'));
    c.network.layers[0].slope = '0';
    expectRejected(check(c), 'W1');
  });
});

describe('weight bounds: accepted', () => {
  it('accepts the proof of abs-3-k2-bound-half, whose leaves use the bound rows', () => {
    const v = expectValid(check(boundCert, boundHalf));
    expect(v.statement).toContain('hidden weights and biases in [-1/2, 1/2]');
    expect(leaves(boundCert).some((l) => Object.keys(l.node.multipliers).some((r) => /^(wub|wlb|bub|blb):/.test(r)))).toBe(true);
  });
  it('accepts a witness scaled into the bound with free output weights (no bound rows, L7)', () => {
    const inst = makeInstance({}, { hidden: 2, outputWeights: 'free', weightBound: '1/2' });
    const c = solveToCertificate(inst);
    expect(c.verdict).toBe('feasible');
    expectValid(check(c, inst));
  });
});

describe('weight bounds: rejected', () => {
  it('the bounded proof for the unbounded instance (F1: no bound rows there)', () => {
    const r = expectRejected(check(reboundTo(boundCert, withoutBound(boundHalf))), 'F1');
    expect(r.message).toMatch(/rows exist only for a weightBound/);
  });
  it('the bound-1/2 proof for bound 1 (where abs-3-k2 fits: F4 or F3)', () => {
    const r = check(reboundTo(boundCert, withArch(boundHalf, { weightBound: '1' })));
    expect(r.status).toBe('rejected');
    if (r.status === 'rejected') expect(['F3', 'F4']).toContain(r.rule);
  });
  it('bound rows in a case with free output weights, where they are not valid (F1)', () => {
    const inst = makeInstance({}, { outputWeights: 'free', weightBound: '1/2' });
    const c = solveToCertificate(inst);
    expect(c.verdict).toBe('infeasible');
    const leaf = leaves(c).find((l) => l.node.leaf === 'farkas')!;
    leaf.node.multipliers['wub:0:0'] = '1';
    expectRejected(check(c), 'F1');
  });
  it('a witness outside the bound (W2), although it computes the same function as one inside', () => {
    const inst = makeInstance({}, { hidden: 2, outputWeights: 'free', weightBound: '1/2' });
    const c = solveToCertificate(inst);
    const net = (w: string, a: string): Json => ({
      format: 'relucert-network/1',
      layers: [
        { activation: 'relu', weights: [[w], [`-${w}`]], bias: ['0', '0'] },
        { activation: 'identity', weights: [[a, a]], bias: ['0'] },
      ],
    });
    expectValid(check({ ...c, network: net('1/2', '2') }, inst)); // 2 relu(x/2) + 2 relu(-x/2) = |x|
    expectRejected(check({ ...c, network: net('1', '1') }, inst), 'W2', 'network.layers[0].weights[0][0]'); // relu(x) + relu(-x)
    const bias = net('1/2', '2');
    bias.layers[0].bias = ['0', '-3/4'];
    expectRejected(check({ ...c, network: bias }, inst), 'W2', 'network.layers[0].bias[1]');
  });
  it('lemma L3 declared for classification under bound rows (P1), and accepted without it', () => {
    const inst = makeInstance(
      { points: [['0'], ['1'], ['2']], labels: ['1', '-1', '1'], loss: { type: 'classification' } },
      { hidden: 1, outputBias: true, weightBound: '1' },
    );
    const c = solveToCertificate(inst);
    expect(c.verdict).toBe('infeasible');
    expect(c.proof.lemmas).not.toContain('L3');
    expectValid(check(c, inst));
    const forged = clone(c);
    forged.proof.lemmas.push('L3');
    expectRejected(check(forged), 'P1', 'proof.lemmas');
  });
});

describe('boundOutputWeights', () => {
  /** |x| with 2 ReLUs, free output weights, |a|, |w|, |b| <= 3/4: a w <= 9/16 < 1, infeasible */
  const reluBow = makeInstance({}, { hidden: 2, outputWeights: 'free', weightBound: '3/4', boundOutputWeights: true });
  const reluBowCert = solveToCertificate(reluBow);
  /** one step unit must reach 5: a <= 1, infeasible */
  const stepBow = makeInstance(
    { points: [['0'], ['1']], labels: ['0', '5'] },
    { activation: 'threshold', outputWeights: 'free', weightBound: '1', boundOutputWeights: true },
  );
  const stepBowCert = solveToCertificate(stepBow);

  it('ReLU: the sign cases with hidden bound rows at B^2 = 9/16 (L1, L8) are accepted', () => {
    expect(reluBowCert.verdict).toBe('infeasible');
    expect(reluBowCert.proof.lemmas).toContain('L1');
    const v = expectValid(check(reluBowCert, reluBow));
    expect(v.statement).toContain('hidden weights and biases and output weights in [-3/4, 3/4]');
    expect(leaves(reluBowCert).some((l) => Object.keys(l.node.multipliers).some((r) => /^(wub|wlb|bub|blb):/.test(r)))).toBe(true);
  });
  it('ReLU: the same proof for unbounded output weights is rejected (F1: no bound rows), and for B = 1 (where |x| fits)', () => {
    const unbounded = clone(reluBow);
    delete unbounded.architecture.boundOutputWeights;
    expectRejected(check(reboundTo(reluBowCert, unbounded)), 'F1');
    const r = check(reboundTo(reluBowCert, withArch(reluBow, { weightBound: '1' })));
    expect(r.status).toBe('rejected');
  });
  it('threshold: the rows aub, alb (|a| <= 1) are accepted, and refused without boundOutputWeights (F1)', () => {
    expect(stepBowCert.verdict).toBe('infeasible');
    expect(leaves(stepBowCert).some((l) => Object.keys(l.node.multipliers).some((r) => /^(aub|alb):/.test(r)))).toBe(true);
    expectValid(check(stepBowCert, stepBow));
    const unbounded = clone(stepBow);
    delete unbounded.architecture.boundOutputWeights;
    expectRejected(check(reboundTo(stepBowCert, unbounded)), 'F1');
  });
  it('a witness whose output weight exceeds the bound (W2)', () => {
    const inst = makeInstance({}, { hidden: 2, outputWeights: 'free', weightBound: '1', boundOutputWeights: true });
    const c = solveToCertificate(inst);
    expect(c.verdict).toBe('feasible');
    expectValid(check(c, inst));
    const net = (w: string, a: string): Json => ({
      format: 'relucert-network/1',
      layers: [
        { activation: 'relu', weights: [[w], [`-${w}`]], bias: ['0', '0'] },
        { activation: 'identity', weights: [[a, a]], bias: ['0'] },
      ],
    });
    expectValid(check({ ...c, network: net('1', '1') }, inst));
    expectRejected(check({ ...c, network: net('1/2', '2') }, inst), 'W2', 'network.layers[1].weights[0][0]');
  });
  it('L3 is not applied to threshold units with bounded free output weights (P1)', () => {
    const inst = makeInstance(
      { points: [['0'], ['1'], ['2']], labels: ['1', '-1', '1'], loss: { type: 'classification' } },
      { activation: 'threshold', outputWeights: 'free', outputBias: false, weightBound: '1', boundOutputWeights: true },
    );
    const c = solveToCertificate(inst);
    expect(c.proof?.lemmas ?? []).not.toContain('L3');
    expectValid(check(c, inst));
    if (c.verdict === 'infeasible') {
      const forged = clone(c);
      forged.proof.lemmas.push('L3');
      expectRejected(check(forged), 'P1', 'proof.lemmas');
    }
  });
});

describe('C2: reading slope and weightBound', () => {
  const cases: Array<[string, Json, string]> = [
    ['slope 1', { activation: 'leaky-relu', slope: '1' }, 'instance.architecture.slope'],
    ['slope 3/2', { activation: 'leaky-relu', slope: '3/2' }, 'instance.architecture.slope'],
    ['negative slope', { activation: 'leaky-relu', slope: '-1/100' }, 'instance.architecture.slope'],
    ['slope not a number', { activation: 'leaky-relu', slope: 'x' }, 'instance.architecture.slope'],
    ['leaky-relu without a slope', { activation: 'leaky-relu' }, 'instance.architecture.slope'],
    ['a slope on relu', { slope: '1/2' }, 'instance.architecture.slope'],
    ['weightBound 0', { weightBound: '0' }, 'instance.architecture.weightBound'],
    ['negative weightBound', { weightBound: '-1' }, 'instance.architecture.weightBound'],
    [
      'boundOutputWeights without weightBound',
      { activation: 'relu', slope: undefined, outputWeights: 'free', boundOutputWeights: true },
      'instance.architecture.boundOutputWeights',
    ],
    [
      'boundOutputWeights with signs',
      { activation: 'relu', slope: undefined, weightBound: '1', boundOutputWeights: true },
      'instance.architecture.boundOutputWeights',
    ],
    ['boundOutputWeights not a boolean', { outputWeights: 'free', weightBound: '1', boundOutputWeights: 'yes' }, 'instance.architecture.boundOutputWeights'],
  ];
  it.each(cases)('%s', (_name, arch, path) => {
    const c = clone(reluCert);
    c.instance.architecture = { ...c.instance.architecture, ...arch };
    expectRejected(check(c), 'C2', path);
  });
});
