import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { checkRegionText as checkRegionCertificate } from '../check/helpers.js';
import { Q } from '../../src/core/rational.js';
import type { Network } from '../../src/core/types.js';
import { readNetwork } from '../../src/format/schema.js';
import type { FaultModel, Variant } from '../../src/stochastic/fault.js';
import { exactChangeProbability, fieldProblem } from '../../src/stochastic/network.js';
import { quantiseInput, quantiseNetwork } from '../../src/stochastic/quantise.js';
import { refineRegion, regionCertificate, searchCounterexample } from '../../src/stochastic/region.js';
import { SeededRandom } from '../../src/core/random.js';
import { randomNetwork } from './random-network.js';

function certify(net: Network, frac: number, m: FaultModel, lower: Q[], upper: Q[], maxLeaves: number): { text: string; bound: Q } {
  const q = quantiseNetwork(net, frac, 'test');
  const box = quantiseInput(lower, frac).map((lo, k) => ({ lo, hi: quantiseInput([upper[k]!], frac)[0]! }));
  const r = refineRegion(q, m, box, { maxLeaves });
  return { text: regionCertificate({ network: net, frac, model: m, lower, upper }, r), bound: r.bound };
}

const moons = readNetwork('examples/stochastic/moons.network.json');
const circa: FaultModel = { p: 2138816513n, t: 12, variant: 'poszero' };
const moonsCert = certify(moons, 15, circa, [Q.of(45, 100), Q.of(20, 100)], [Q.of(55, 100), Q.of(30, 100)], 24);

/** Parses, edits and re-serialises a certificate. */
function tamper(text: string, edit: (c: any) => void): string {
  const c = JSON.parse(text);
  edit(c);
  return JSON.stringify(c);
}
function firstLeaf(node: any): any {
  while (node.kind === 'split') node = node.low;
  return node;
}
function firstSplit(node: any): any {
  return node.kind === 'split' ? node : undefined;
}

describe('region certificates: accepted', () => {
  it('the shipped moons network, a box around (1/2, 1/4), Circa p, t = 12, poszero', () => {
    const r = checkRegionCertificate(moonsCert.text, 'moons');
    expect(r.status).toBe('valid');
    if (r.status === 'valid') expect(r.statement).toContain(`at most ${moonsCert.bound}`);
  });

  it('leaf bounds are optional', () => {
    const text = tamper(moonsCert.text, (c) => {
      const strip = (n: any): void => {
        if (n.kind === 'leaf') delete n.bound;
        else {
          strip(n.low);
          strip(n.high);
        }
      };
      strip(c.tree);
    });
    expect(checkRegionCertificate(text, 'x').status).toBe('valid');
  });

  it('a larger claimed bound is still valid (it is an upper bound)', () => {
    expect(
      checkRegionCertificate(
        tamper(moonsCert.text, (c) => (c.claim.bound = '1/1000')),
        'x',
      ).status,
    ).toBe('valid');
  });

  it('soundness: on random small networks the claim bounds the exact probability at every quantised point of the box', () => {
    const rng = new SeededRandom(99);
    let checked = 0;
    for (let trial = 0; trial < 12; trial++) {
      const net = randomNetwork(rng, trial % 2 ? [2, 3, 2] : [2, 3, 2, 1]);
      const variant: Variant = (['wrap', 'poszero', 'negpass'] as Variant[])[trial % 3]!;
      const m: FaultModel = { p: 1031n, t: variant === 'wrap' ? 0 : 3, variant };
      const c = [Q.of(Math.floor(rng.nextFloat() * 9) - 4, 4), Q.of(Math.floor(rng.nextFloat() * 9) - 4, 4)];
      const lower = c.map((v) => v.sub(Q.of(1, 4)));
      const upper = c.map((v) => v.add(Q.of(1, 4)));
      const q = quantiseNetwork(net, 3, 'test');
      const box = quantiseInput(lower, 3).map((lo, k) => ({ lo, hi: quantiseInput([upper[k]!], 3)[0]! }));
      if (fieldProblem(q, m, box)) continue;
      const { text, bound } = certify(net, 3, m, lower, upper, 8);
      expect(checkRegionCertificate(text, 'x').status).toBe('valid');
      for (let a = box[0]!.lo; a <= box[0]!.hi; a++)
        for (let b = box[1]!.lo; b <= box[1]!.hi; b++) {
          const ex = exactChangeProbability(q, m, [a, b]);
          if (ex.status !== 'exact') throw new Error('budget');
          expect(ex.probability.le(bound)).toBe(true);
        }
      checked++;
    }
    expect(checked).toBeGreaterThan(6);
  });
});

describe('region certificates: rejected', () => {
  const cases: [string, (c: any) => void, string][] = [
    ['claimed bound below a leaf (R10)', (c) => (c.claim.bound = '1/2138816513'), 'R10'],
    ['a leaf bound changed (R9)', (c) => (firstLeaf(c.tree).bound = '0'), 'R9'],
    ['a weight changed (R9: leaf bounds no longer match)', (c) => (c.network.layers[0].weights[0][0] = '2.5'), 'R9'],
    ['a split outside its box (R7)', (c) => (firstSplit(c.tree).at = '999999999'), 'R7'],
    ['a split on a missing coordinate (R7)', (c) => (firstSplit(c.tree).coordinate = 2), 'R7'],
    ['a missing child (R7)', (c) => delete firstSplit(c.tree).high, 'R7'],
    ['an unknown node kind (R7)', (c) => (firstLeaf(c.tree).kind = 'hole'), 'R7'],
    ['an unknown field in a leaf (R7)', (c) => (firstLeaf(c.tree).note = 'trust me'), 'R7'],
    ['p not prime (R4)', (c) => (c.faultModel.p = '2138816511'), 'R4'],
    ['p even (R4)', (c) => (c.faultModel.p = '2'), 'R4'],
    ['wrap with t > 0 (R4)', (c) => (c.faultModel.variant = 'wrap'), 'R4'],
    ['2^(t+1) >= p (R4)', (c) => (c.faultModel.t = 30), 'R4'],
    ['unknown variant (R4)', (c) => (c.faultModel.variant = 'lucky'), 'R4'],
    ['region upper below lower (R5)', (c) => (c.region.upper[0] = '0.1'), 'R5'],
    ['region of the wrong dimension (R5)', (c) => c.region.lower.push('0'), 'R5'],
    ['negative claim (R6)', (c) => (c.claim.bound = '-1'), 'R6'],
    ['a floating-point claim (R6)', (c) => (c.claim.bound = 0.001), 'R6'],
    ['fracBits out of range (R3)', (c) => (c.quantisation.fracBits = 65), 'R3'],
    ['hidden layer not relu (R2)', (c) => (c.network.layers[0].activation = 'identity'), 'R2'],
    ['ragged weights (R2)', (c) => c.network.layers[1].weights[0].pop(), 'R2'],
    ['wrong format (R1)', (c) => (c.format = 'relucert-region-certificate/2'), 'R1'],
    ['unknown top-level field (R1)', (c) => (c.extra = 1), 'R1'],
    ['values leave the field (R8)', (c) => ((c.faultModel.p = '65537'), (c.faultModel.t = 3)), 'R8'],
  ];
  for (const [name, edit, rule] of cases)
    it(name, () => {
      const r = checkRegionCertificate(tamper(moonsCert.text, edit), 'x');
      expect(r.status).toBe('rejected');
      if (r.status === 'rejected') expect(r.rule).toBe(rule);
    });

  it('bad JSON is bad input; a repeated key is rejected under R1, as every kind of certificate rejects it under its top-level rule', () => {
    expect(checkRegionCertificate('{', 'f').status).toBe('bad-input');
    expect(checkRegionCertificate(moonsCert.text.replace('"claim":{', '"claim":{"bound":"1",'), 'f')).toMatchObject({
      status: 'rejected',
      rule: 'R1',
      path: 'claim.bound',
      expected: 'each key once in an object',
    });
  });
});

describe('counterexample search', () => {
  it('z3 finds the interior point where a truncated ReLU zeroes a small positive value', async () => {
    // y = relu(x - 37) - 1 (frac 0): class 1 for x >= 39; poszero with t = 4 zeroes
    // relu's small positive inputs with probability about 1 - (x-37)/16.
    const net: Network = {
      layers: [
        { activation: 'relu', weights: [[Q.ONE]], bias: [Q.of(-37)] },
        { activation: 'identity', weights: [[Q.ONE]], bias: [Q.of(-1)] },
      ],
    };
    const m: FaultModel = { p: 1009n, t: 4, variant: 'poszero' };
    const q = quantiseNetwork(net, 0, 'test');
    const r = refineRegion(q, m, [{ lo: -100n, hi: 100n }], { maxLeaves: 1, target: Q.of(1, 2) });
    expect(r.openLeaves.length).toBe(1);
    const s = await searchCounterexample(q, m, r.openLeaves, Q.of(1, 2));
    expect(s.status).toBe('counterexample');
    if (s.status === 'counterexample') {
      expect(s.input[0]! >= 39n && s.input[0]! <= 45n).toBe(true);
      expect(s.probability.gt(Q.of(1, 2))).toBe(true);
    }
  });
});

describe('trust split', () => {
  it('src/check/region.ts imports only src/check files and node built-ins', () => {
    const src = readFileSync('src/check/region.ts', 'utf8');
    const imports = [...src.matchAll(/from\s+'([^']+)'/g)].map((m) => m[1]!);
    for (const i of imports) expect(i.startsWith('./') || i.startsWith('node:')).toBe(true);
    // no floating point at all: bounded integers are converted from their decimal text (fields.ts smallInteger)
    expect(src).not.toMatch(/parseFloat|Math\.|toFixed|toExponential|JSON\.parse|toNumber|Number\(/);
  });
});
