/**
 * Every rule of the region certificate checker (src/check/region.ts,
 * docs/stochastic.md section 7), in-process on hand-made certificates: each
 * rejection asserted whole (rule, field path, message), and the arithmetic
 * (Lemma 1 counts, Lemma 2 maxima, quantisation, interval propagation,
 * Theorem 1) against brute-force references and the solver's own code.
 */
import { describe, expect, it } from 'vitest';
import { checkRegionCertificate, MAX_REGION_WORK, type RegionCheckOutcome } from '../../src/check/region.js';
import { Q } from '../../src/core/rational.js';
import type { FaultModel, Variant } from '../../src/stochastic/fault.js';
import { comparatorSaysNonNegative } from '../../src/stochastic/fault.js';
import { quantiseInput, quantiseNetwork } from '../../src/stochastic/quantise.js';
import { refineRegion, regionCertificate } from '../../src/stochastic/region.js';
import { SeededRandom } from '../../src/stochastic/simulate.js';
import { randomNetwork } from '../stochastic/random-network.js';
import type { Json } from './helpers.js';

/** One input, one hidden ReLU z = x, output y = z; frac 0, p = 67, t = 2, poszero; the box [1, 3]; one leaf. */
function base(): Json {
  return {
    format: 'relucert-region-certificate/1',
    network: {
      format: 'relucert-network/1',
      layers: [
        { activation: 'relu', weights: [['1']], bias: ['0'] },
        { activation: 'identity', weights: [['1']], bias: ['0'] },
      ],
    },
    quantisation: { fracBits: 0 },
    faultModel: { p: '67', t: 2, variant: 'poszero' },
    region: { lower: ['1'], upper: ['3'] },
    claim: { bound: '1' },
    tree: { kind: 'leaf' },
  };
}

function edited(edit: (c: Json) => void): Json {
  const c = base();
  edit(c);
  return c;
}

const run = (c: Json): RegionCheckOutcome => checkRegionCertificate(typeof c === 'string' ? c : JSON.stringify(c), 'cert.json');

/** The outcome is exactly this rejection: rule, path and the whole message. */
function rejects(c: Json, rule: string, path: string, message: string): void {
  expect(run(c)).toEqual({ status: 'rejected', rule, path, message: `${rule} at ${path || '(top level)'}: ${message}` });
}

function valid(c: Json): string {
  const r = run(c);
  if (r.status !== 'valid') expect.fail(`expected valid, got ${JSON.stringify(r)}`);
  return r.statement;
}

/** The leaf bound the checker computes for a one-leaf certificate (read from its R9 message). */
function leafBound(c: Json): string {
  const cc = JSON.parse(JSON.stringify(c));
  cc.tree = { kind: 'leaf', bound: '-1' };
  const r = run(cc);
  if (r.status !== 'rejected' || r.rule !== 'R9') expect.fail(`expected R9, got ${JSON.stringify(r)}`);
  const m = /expected (\S+), read -1$/.exec(r.message);
  if (!m) expect.fail(r.message);
  return m[1]!;
}

const RATIONAL = 'expected an exact rational (an integer, "p/q", a finite decimal or "1e-3" string)';

describe('accepted', () => {
  it('the base certificate, its statement whole', () => {
    expect(valid(base())).toBe(
      'for every input in [1, 3] (quantised with 0 fractional bits), the probability that the sign class of the stochastic network (p = 67, t = 2, poszero) differs from its fault-free class is at most 1 (1 leaf)',
    );
  });
  it('argmax class, several leaves, split boundaries', () => {
    const c = edited((c) => {
      c.network.layers[1] = { activation: 'identity', weights: [['1'], ['-1']], bias: ['0', '0'] };
      c.region = { lower: ['1/2'], upper: ['4'] };
      c.tree = {
        kind: 'split',
        coordinate: 0,
        at: '1',
        low: { kind: 'leaf' },
        high: { kind: 'split', coordinate: 0, at: 3, low: { kind: 'leaf' }, high: { kind: 'leaf' } },
      };
    });
    expect(valid(c)).toBe(
      'for every input in [1/2, 4] (quantised with 0 fractional bits), the probability that the argmax class of the stochastic network (p = 67, t = 2, poszero) differs from its fault-free class is at most 1 (3 leaves)',
    );
  });
  it('a split at the lowest and at the highest point allowed', () => {
    valid(edited((c) => (c.tree = { kind: 'split', coordinate: 0, at: '1', low: { kind: 'leaf' }, high: { kind: 'leaf' } })));
    valid(edited((c) => (c.tree = { kind: 'split', coordinate: 0, at: '2', low: { kind: 'leaf' }, high: { kind: 'leaf' } })));
  });
  it('lower = upper, a claim of 0 on a box where no fault matters, a JSON integer p', () => {
    valid(edited((c) => ((c.region = { lower: ['0'], upper: ['0'] }), (c.claim.bound = 0), (c.faultModel.p = 67))));
  });
  it('the largest t for p = 67 (2^6 = 64 < 67), negpass', () => {
    valid(edited((c) => ((c.faultModel.t = 5), (c.faultModel.variant = 'negpass'))));
  });
});

describe('R1 envelope', () => {
  it('not an object', () => rejects([], 'R1', '', 'expected an object, got array'));
  it('an unknown field', () =>
    rejects(
      edited((c) => (c.extra = 1)),
      'R1',
      'extra',
      'unknown field',
    ));
  it('a missing field', () =>
    rejects(
      edited((c) => delete c.tree),
      'R1',
      'tree',
      'missing',
    ));
  it('format not a string', () =>
    rejects(
      edited((c) => (c.format = 1)),
      'R1',
      'format',
      'expected a string',
    ));
  it('another format', () =>
    rejects(
      edited((c) => (c.format = 'relucert-region-certificate/2')),
      'R1',
      'format',
      'expected "relucert-region-certificate/1", got "relucert-region-certificate/2"',
    ));
  it('bad JSON is bad input', () => {
    expect(run('{"a":')).toEqual({ status: 'bad-input', file: 'cert.json', field: '', message: expect.stringMatching(/^not valid JSON at line 1 column 6: /) });
  });
});

describe('R3 quantisation', () => {
  it('missing', () =>
    rejects(
      edited((c) => delete c.quantisation),
      'R1',
      'quantisation',
      'missing',
    ));
  it('not an object', () =>
    rejects(
      edited((c) => (c.quantisation = 3)),
      'R3',
      'quantisation',
      'expected an object, got number',
    ));
  it('an unknown field', () =>
    rejects(
      edited((c) => (c.quantisation.round = 'even')),
      'R3',
      'quantisation.round',
      'unknown field',
    ));
  it('no fracBits', () =>
    rejects(
      edited((c) => delete c.quantisation.fracBits),
      'R3',
      'quantisation.fracBits',
      'missing',
    ));
  it('65 bits', () =>
    rejects(
      edited((c) => (c.quantisation.fracBits = 65)),
      'R3',
      'quantisation.fracBits',
      'expected an integer in [0, 64], got 65',
    ));
  it('-1 bits', () =>
    rejects(
      edited((c) => (c.quantisation.fracBits = '-1')),
      'R3',
      'quantisation.fracBits',
      'expected an integer in [0, 64], got -1',
    ));
  it('64 bits is allowed', () =>
    expect(
      run(edited((c) => ((c.quantisation.fracBits = 64), (c.faultModel.p = '2305843009213693951'), (c.region = { lower: ['0'], upper: ['0'] })))),
    ).toMatchObject({ status: 'valid' }));
  it('a fraction', () =>
    rejects(
      edited((c) => (c.quantisation.fracBits = '1/2')),
      'R3',
      'quantisation.fracBits',
      'expected an integer, got 1/2',
    ));
  it('a floating-point number', () =>
    rejects(
      edited((c) => (c.quantisation.fracBits = 1.5)),
      'R3',
      'quantisation.fracBits',
      RATIONAL,
    ));
  it('a JSON integer with an exponent', () =>
    rejects(
      '{"format":"relucert-region-certificate/1","quantisation":{"fracBits":1e0},"network":1,"faultModel":1,"region":1,"claim":1,"tree":1}',
      'R3',
      'quantisation.fracBits',
      RATIONAL,
    ));
  it('a boolean', () =>
    rejects(
      edited((c) => (c.quantisation.fracBits = true)),
      'R3',
      'quantisation.fracBits',
      RATIONAL,
    ));
  it('too many digits', () =>
    rejects(
      edited((c) => (c.quantisation.fracBits = '1'.repeat(100_001))),
      'R3',
      'quantisation.fracBits',
      'expected a number of at most 100000 digits, an exponent e counting as |e|',
    ));
  it('a JSON integer token of too many digits is no rational (the digit message is for strings)', () =>
    rejects(
      JSON.stringify(edited((c) => (c.quantisation.fracBits = 'TOKEN'))).replace('"TOKEN"', '1'.repeat(100_001)),
      'R3',
      'quantisation.fracBits',
      RATIONAL,
    ));
  it('a string that is no number', () =>
    rejects(
      edited((c) => (c.quantisation.fracBits = 'x')),
      'R3',
      'quantisation.fracBits',
      RATIONAL,
    ));
});

describe('R2 network', () => {
  const L = 'network.layers';
  it('not an object', () =>
    rejects(
      edited((c) => (c.network = [])),
      'R2',
      'network',
      'expected an object, got array',
    ));
  it('another format', () =>
    rejects(
      edited((c) => (c.network.format = 'relucert-network/2')),
      'R2',
      'network.format',
      'expected "relucert-network/1"',
    ));
  it('format not a string', () =>
    rejects(
      edited((c) => (c.network.format = 1)),
      'R2',
      'network.format',
      'expected a string',
    ));
  it('layers not an array', () =>
    rejects(
      edited((c) => (c.network.layers = {})),
      'R2',
      L,
      'expected an array, got object',
    ));
  it('no layers', () =>
    rejects(
      edited((c) => (c.network.layers = [])),
      'R2',
      L,
      'no layers',
    ));
  it('a layer not an object', () =>
    rejects(
      edited((c) => (c.network.layers[1] = 'x')),
      'R2',
      `${L}[1]`,
      'expected an object, got string',
    ));
  it('a layer without bias', () =>
    rejects(
      edited((c) => delete c.network.layers[0].bias),
      'R2',
      `${L}[0].bias`,
      'missing',
    ));
  it('an activation not a string', () =>
    rejects(
      edited((c) => (c.network.layers[0].activation = null)),
      'R2',
      `${L}[0].activation`,
      'expected a string',
    ));
  it('a hidden layer not relu', () =>
    rejects(
      edited((c) => (c.network.layers[0].activation = 'identity')),
      'R2',
      `${L}[0].activation`,
      'expected relu (hidden layer), got "identity"',
    ));
  it('the output layer not identity', () =>
    rejects(
      edited((c) => (c.network.layers[1].activation = 'relu')),
      'R2',
      `${L}[1].activation`,
      'expected identity (output layer), got "relu"',
    ));
  it('a single layer must be identity', () => valid(edited((c) => (c.network.layers = [c.network.layers[1]]))));
  it('weights not an array', () =>
    rejects(
      edited((c) => (c.network.layers[0].weights = '1')),
      'R2',
      `${L}[0].weights`,
      'expected an array, got string',
    ));
  it('no units', () =>
    rejects(
      edited((c) => (c.network.layers[0].weights = [])),
      'R2',
      `${L}[0].weights`,
      'no units',
    ));
  it('a row not an array', () =>
    rejects(
      edited((c) => (c.network.layers[0].weights = ['1'])),
      'R2',
      `${L}[0].weights[0]`,
      'expected an array, got string',
    ));
  it('an empty row', () =>
    rejects(
      edited((c) => (c.network.layers[0].weights = [[]])),
      'R2',
      `${L}[0].weights[0]`,
      'empty row',
    ));
  it('a ragged row', () =>
    rejects(
      edited((c) => (c.network.layers[0].weights = [['1'], ['1', '2']])),
      'R2',
      `${L}[0].weights[1]`,
      'has 2 entries, expected 1',
    ));
  it('a row not as long as the layer before has units', () =>
    rejects(
      edited((c) => (c.network.layers[1].weights = [['1', '1']])),
      'R2',
      `${L}[1].weights[0]`,
      'has 2 entries, expected 1',
    ));
  it('the first layer may have any width', () =>
    valid(edited((c) => ((c.network.layers[0].weights = [['1', '0']]), (c.region = { lower: ['1', '0'], upper: ['3', '0'] })))));
  it('a bad weight', () =>
    rejects(
      edited((c) => (c.network.layers[1].weights[0][0] = 0.5)),
      'R2',
      `${L}[1].weights[0][0]`,
      RATIONAL,
    ));
  it('bias of the wrong length', () =>
    rejects(
      edited((c) => (c.network.layers[0].bias = ['0', '0'])),
      'R2',
      `${L}[0].bias`,
      'has 2 entries for 1 units',
    ));
  it('bias not an array', () =>
    rejects(
      edited((c) => (c.network.layers[0].bias = '0')),
      'R2',
      `${L}[0].bias`,
      'expected an array, got string',
    ));
  it('a bad bias', () =>
    rejects(
      edited((c) => (c.network.layers[1].bias = [null])),
      'R2',
      `${L}[1].bias[0]`,
      RATIONAL,
    ));
});

describe('R4 fault model', () => {
  const P = 'faultModel.p';
  it('missing', () =>
    rejects(
      edited((c) => delete c.faultModel.variant),
      'R4',
      'faultModel.variant',
      'missing',
    ));
  it('p a fraction', () =>
    rejects(
      edited((c) => (c.faultModel.p = '67/2')),
      'R4',
      P,
      'expected an integer, got 67/2',
    ));
  it('p at the limit', () =>
    rejects(
      edited((c) => (c.faultModel.p = '3317044064679887385961981')),
      'R4',
      P,
      'must be below 3317044064679887385961981',
    ));
  it('2, 1, 0, -3, 9 are not odd primes', () => {
    for (const p of ['2', '1', '0', '-3', '9', '15', '49'])
      rejects(
        edited((c) => (c.faultModel.p = p)),
        'R4',
        P,
        `${p} is not an odd prime`,
      );
  });
  it('primality agrees with trial division up to 3000, and on strong pseudoprimes', () => {
    const isPrime = (n: number): boolean => {
      if (n < 2) return false;
      for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
      return true;
    };
    const says = (p: string): boolean => {
      const r = run(edited((c) => ((c.faultModel.p = p), (c.faultModel.t = 0), (c.region = { lower: ['0'], upper: ['0'] }))));
      return !(r.status === 'rejected' && r.path === P);
    };
    for (let n = 3; n <= 3000; n += 2) expect(says(String(n)), String(n)).toBe(isPrime(n));
    // strong pseudoprimes to several bases, Carmichael numbers, and primes with s > 1
    for (const n of [
      '2047',
      '1373653',
      '25326001',
      '3215031751',
      '2152302898747',
      '3474749660383',
      '341550071728321',
      '3825123056546413051',
      '318665857834031151167461',
      '561',
      '1105',
    ])
      expect(says(n), n).toBe(false);
    for (const n of ['2138816513', '65537', '2305843009213693951', '1000000007', '97', '41', '43']) expect(says(n), n).toBe(true);
  });
  it('t out of range', () =>
    rejects(
      edited((c) => (c.faultModel.t = 4097)),
      'R4',
      'faultModel.t',
      'expected an integer in [0, 4096], got 4097',
    ));
  it('t = 4096 is in range (and then too large for p)', () =>
    rejects(
      edited((c) => (c.faultModel.t = 4096)),
      'R4',
      'faultModel.t',
      '2^(t+1) must be below p',
    ));
  it('2^(t+1) = 128 >= 67', () =>
    rejects(
      edited((c) => (c.faultModel.t = 6)),
      'R4',
      'faultModel.t',
      '2^(t+1) must be below p',
    ));
  it('an unknown variant', () =>
    rejects(
      edited((c) => (c.faultModel.variant = 'lucky')),
      'R4',
      'faultModel.variant',
      'expected exact, wrap, poszero or negpass, got "lucky"',
    ));
  it('variant not a string', () =>
    rejects(
      edited((c) => (c.faultModel.variant = 1)),
      'R4',
      'faultModel.variant',
      'expected a string',
    ));
  it('exact and wrap need t = 0', () => {
    rejects(
      edited((c) => (c.faultModel.variant = 'exact')),
      'R4',
      'faultModel.t',
      'variant exact requires t = 0',
    );
    rejects(
      edited((c) => (c.faultModel.variant = 'wrap')),
      'R4',
      'faultModel.t',
      'variant wrap requires t = 0',
    );
    valid(edited((c) => ((c.faultModel.variant = 'wrap'), (c.faultModel.t = 0))));
    valid(edited((c) => ((c.faultModel.variant = 'exact'), (c.faultModel.t = 0))));
    valid(edited((c) => ((c.faultModel.variant = 'poszero'), (c.faultModel.t = 0))));
  });
});

describe('R5 region', () => {
  it('not an object', () =>
    rejects(
      edited((c) => (c.region = 1)),
      'R5',
      'region',
      'expected an object, got number',
    ));
  it('lower not an array', () =>
    rejects(
      edited((c) => (c.region.lower = '1')),
      'R5',
      'region.lower',
      'expected an array, got string',
    ));
  it('upper not an array', () =>
    rejects(
      edited((c) => (c.region.upper = '1')),
      'R5',
      'region.upper',
      'expected an array, got string',
    ));
  it('lower too long', () =>
    rejects(
      edited((c) => (c.region.lower = ['1', '1'])),
      'R5',
      'region.lower',
      'has 2 entries, the network has 1 inputs',
    ));
  it('upper too short', () =>
    rejects(
      edited((c) => (c.region.upper = [])),
      'R5',
      'region.upper',
      'has 0 entries, the network has 1 inputs',
    ));
  it('a bad lower end', () =>
    rejects(
      edited((c) => (c.region.lower = [true])),
      'R5',
      'region.lower[0]',
      RATIONAL,
    ));
  it('a bad upper end', () =>
    rejects(
      edited((c) => (c.region.upper = ['1/0'])),
      'R5',
      'region.upper[0]',
      RATIONAL,
    ));
  it('upper below lower', () =>
    rejects(
      edited((c) => (c.region.upper = ['1/2'])),
      'R5',
      'region.upper[0]',
      '1/2 is below the lower end 1',
    ));
});

describe('R6 claim', () => {
  it('an unknown field', () =>
    rejects(
      edited((c) => (c.claim.confidence = '1')),
      'R6',
      'claim.confidence',
      'unknown field',
    ));
  it('a bad bound', () =>
    rejects(
      edited((c) => (c.claim.bound = 0.5)),
      'R6',
      'claim.bound',
      RATIONAL,
    ));
  it('a negative bound', () =>
    rejects(
      edited((c) => (c.claim.bound = '-1/100')),
      'R6',
      'claim.bound',
      'must be >= 0',
    ));
});

describe('R7 tree', () => {
  const split = (over: Json = {}): Json => ({ kind: 'split', coordinate: 0, at: '2', low: { kind: 'leaf' }, high: { kind: 'leaf' }, ...over });
  it('not an object', () =>
    rejects(
      edited((c) => (c.tree = [])),
      'R7',
      'tree',
      'expected a node object, got array',
    ));
  it('no kind', () =>
    rejects(
      edited((c) => (c.tree = {})),
      'R7',
      'tree.kind',
      'expected a string',
    ));
  it('an unknown kind', () =>
    rejects(
      edited((c) => (c.tree = { kind: 'hole' })),
      'R7',
      'tree.kind',
      'expected "split" or "leaf", got "hole"',
    ));
  it('a leaf with an unknown field', () =>
    rejects(
      edited((c) => (c.tree = { kind: 'leaf', note: 1 })),
      'R7',
      'tree.note',
      'unknown field',
    ));
  it('a split with an unknown field', () =>
    rejects(
      edited((c) => (c.tree = split({ note: 1 }))),
      'R7',
      'tree.note',
      'unknown field',
    ));
  it('a split without high', () => {
    const s = split();
    delete s.high;
    rejects(
      edited((c) => (c.tree = s)),
      'R7',
      'tree.high',
      'missing',
    );
  });
  it('a missing child is found by the walk (low first)', () =>
    rejects(
      edited((c) => (c.tree = split({ low: { kind: 'split', coordinate: 0, at: '1', low: { kind: 'leaf' }, high: 5 } }))),
      'R7',
      'tree.low.high',
      'expected a node object, got number',
    ));
  it('a coordinate out of range', () =>
    rejects(
      edited((c) => (c.tree = split({ coordinate: 1 }))),
      'R7',
      'tree.coordinate',
      'expected an integer in [0, 0], got 1',
    ));
  it('a negative coordinate', () =>
    rejects(
      edited((c) => (c.tree = split({ coordinate: -1 }))),
      'R7',
      'tree.coordinate',
      'expected an integer in [0, 0], got -1',
    ));
  it('at = hi', () =>
    rejects(
      edited((c) => (c.tree = split({ at: '3' }))),
      'R7',
      'tree.at',
      'must satisfy 1 <= at < 3 (both halves non-empty), got 3',
    ));
  it('at = lo - 1', () =>
    rejects(
      edited((c) => (c.tree = split({ at: '0' }))),
      'R7',
      'tree.at',
      'must satisfy 1 <= at < 3 (both halves non-empty), got 0',
    ));
  it('at not an integer', () =>
    rejects(
      edited((c) => (c.tree = split({ at: '3/2' }))),
      'R7',
      'tree.at',
      'expected an integer, got 3/2',
    ));
  it('the halves get [lo, at] and [at+1, hi]', () => {
    // low is [1, 1]: a split in it at 1 leaves nothing above; high is [2, 3]: at = 1 is below it
    rejects(
      edited((c) => (c.tree = split({ at: '1', low: split({ at: '1' }) }))),
      'R7',
      'tree.low.at',
      'must satisfy 1 <= at < 1 (both halves non-empty), got 1',
    );
    rejects(
      edited((c) => (c.tree = split({ at: '1', high: split({ at: '1' }) }))),
      'R7',
      'tree.high.at',
      'must satisfy 2 <= at < 3 (both halves non-empty), got 1',
    );
    // the other coordinate keeps its interval
    const two = (c: Json): void => {
      c.network.layers[0].weights = [['1', '1']];
      c.region = { lower: ['1', '5'], upper: ['3', '9'] };
    };
    rejects(
      edited((c) => (two(c), (c.tree = split({ low: split({ coordinate: 1, at: '9' }) })))),
      'R7',
      'tree.low.at',
      'must satisfy 5 <= at < 9 (both halves non-empty), got 9',
    );
    rejects(
      edited((c) => (two(c), (c.tree = split({ high: split({ coordinate: 1, at: '4' }) })))),
      'R7',
      'tree.high.at',
      'must satisfy 5 <= at < 9 (both halves non-empty), got 4',
    );
  });
  it('the leaf boxes are those of the split (R10 names them)', () => {
    const c = edited((c) => {
      c.claim.bound = '0';
      c.network.layers[0].weights = [['1', '1']];
      c.region = { lower: ['1', '5'], upper: ['3', '9'] };
      c.tree = split({ coordinate: 1, at: '6', low: { kind: 'leaf' }, high: { kind: 'leaf' } });
    });
    const r = run(c);
    expect(r).toMatchObject({ status: 'rejected', rule: 'R10', path: 'tree.low' });
    expect(r.status === 'rejected' && r.message.endsWith('on box [1, 3] x [5, 6]')).toBe(true);
    c.tree = { ...c.tree, low: { kind: 'leaf', bound: '0' }, at: '5' };
    const r2 = run(c);
    expect(r2).toMatchObject({ status: 'rejected', rule: 'R9', path: 'tree.low.bound' });
  });
  it('the work limit, before any leaf is checked', () => {
    // 100 inputs, two ReLU layers of 100, one output: 2 (10^4 + 10^4 + 100) + 100 (10^4 + 100) + 100 * 100 = 1,060,200 per leaf
    const row = (n: number): string[] => Array.from({ length: n }, () => '0');
    const layer = (act: string, units: number, width: number): Json => ({
      activation: act,
      weights: Array.from({ length: units }, () => row(width)),
      bias: row(units),
    });
    let tree: Json = { kind: 'leaf' };
    for (let i = 0; i < 471; i++) tree = { kind: 'split', coordinate: 0, at: '0', low: { kind: 'leaf' }, high: tree };
    const c = edited((c) => {
      c.network.layers = [layer('relu', 100, 100), layer('relu', 100, 100), layer('identity', 1, 100)];
      c.region = { lower: row(100), upper: row(100) };
      c.tree = tree;
    });
    rejects(c, 'R7', 'tree', `472 leaves need ${472n * 1_060_200n} multiply-adds of interval arithmetic, more than the limit ${MAX_REGION_WORK}`);
    // malformed nodes count nothing; a node without a leaf kind is looked into
    c.tree = { kind: 'split', coordinate: 0, at: '0', low: 7, high: { kind: 3, low: tree, high: { kind: 'leaf' } } };
    rejects(c, 'R7', 'tree', `473 leaves need ${473n * 1_060_200n} multiply-adds of interval arithmetic, more than the limit ${MAX_REGION_WORK}`);
  });
  it('the arithmetic work limit of reading the numbers (C4), under R7', () => {
    // twelve fractions of about 49,000 digits over 49,000 digits: each gcd costs millions of units, 2^26 in all is reached
    const big = '7'.repeat(49_000) + '/' + '3'.repeat(48_999) + '1';
    const c = edited((c) => {
      c.network.layers = [{ activation: 'identity', weights: [Array(12).fill(big)], bias: ['0'] }];
      c.region = { lower: Array(12).fill('0'), upper: Array(12).fill('0') };
    });
    rejects(c, 'R7', '', 'the numbers need more than 67108864 units of arithmetic work (docs/certificates.md section 6)');
  });
  it('the work of an output layer of several units, hidden layers of different widths', () => {
    // input 3, ReLU 50 x 3, ReLU 40 x 50, output 7 x 40: sizes 150, 2000, 280; 2 * 2430 + 50 * 2280 + 40 * 280 = 130,060 per leaf
    const row = (n: number): string[] => Array.from({ length: n }, () => '0');
    const layer = (act: string, units: number, width: number): Json => ({
      activation: act,
      weights: Array.from({ length: units }, () => row(width)),
      bias: row(units),
    });
    let tree: Json = { kind: 'leaf' };
    for (let i = 0; i < 3844; i++) tree = { kind: 'split', coordinate: 0, at: '0', low: { kind: 'leaf' }, high: tree };
    const c = edited((c) => {
      c.network.layers = [layer('relu', 50, 3), layer('relu', 40, 50), layer('identity', 7, 40)];
      c.region = { lower: row(3), upper: row(3) };
      c.tree = tree;
    });
    rejects(c, 'R7', 'tree', `3845 leaves need ${3845n * 130_060n} multiply-adds of interval arithmetic, more than the limit ${MAX_REGION_WORK}`);
  });
});

describe('R8, R9, R10 on a leaf', () => {
  it('R8: a pre-activation outside the field, with its layer, unit and interval', () => {
    // hidden units x and 20x on [1, 3]; p = 67: (p-1)/2 = 33, 20 * 3 = 60
    rejects(
      edited((c) => ((c.network.layers[0] = { activation: 'relu', weights: [['1'], ['20']], bias: ['0', '0'] }), (c.network.layers[1].weights = [['1', '1']]))),
      'R8',
      'tree',
      'layer 0 unit 1 may reach [20, 60], outside [-(p-1)/2, (p-1)/2]',
    );
    // the output layer sees the hull of the ReLUs: [min(z, 0), max(z, 0)]
    rejects(
      edited((c) => ((c.network.layers[1].weights = [['-12']]), (c.region = { lower: ['-3'], upper: ['3'] }))),
      'R8',
      'tree',
      'layer 1 unit 0 may reach [-36, 36], outside [-(p-1)/2, (p-1)/2]',
    );
    rejects(
      edited((c) => ((c.network.layers[1].weights = [['12']]), (c.region = { lower: ['-3'], upper: ['-1'] }))),
      'R8',
      'tree',
      'layer 1 unit 0 may reach [-36, 0], outside [-(p-1)/2, (p-1)/2]',
    );
    rejects(
      edited((c) => (c.network.layers[1].bias = ['-34'])),
      'R8',
      'tree',
      'layer 1 unit 0 may reach [-34, -31], outside [-(p-1)/2, (p-1)/2]',
    );
    valid(edited((c) => (c.network.layers[1].bias = ['-33'])));
    rejects(
      edited((c) => ((c.network.layers[0].bias = ['-33']), (c.region = { lower: ['-1'], upper: ['0'] }))),
      'R8',
      'tree',
      'layer 0 unit 0 may reach [-34, -33], outside [-(p-1)/2, (p-1)/2]',
    );
    // the ends themselves are in the field
    valid(edited((c) => ((c.network.layers[0].bias = ['-33']), (c.region = { lower: ['0'], upper: ['66'] }))));
  });
  it('R9: a stated bound that is not the computed one', () => {
    rejects(
      edited((c) => (c.tree.bound = '1/67')),
      'R9',
      'tree.bound',
      'expected 51/67, read 1/67',
    );
    rejects(
      edited((c) => (c.tree.bound = 'x')),
      'R9',
      'tree.bound',
      RATIONAL,
    );
    valid(edited((c) => (c.tree.bound = '102/134')));
  });
  it('R10: the leaf bound above the claim', () => {
    rejects(
      edited((c) => (c.claim.bound = '50/67')),
      'R10',
      'tree',
      'leaf bound 51/67 exceeds the claimed bound 50/67 on box [1, 3]',
    );
    valid(edited((c) => (c.claim.bound = '51/67')));
  });
});

/** The number of r in Z_p for which the comparator decides the sign of x wrongly (the definition, Lemma 1), 0 at x = 0. */
function bruteCount(m: FaultModel, x: bigint): bigint {
  if (x === 0n) return 0n;
  let n = 0n;
  for (let r = 0n; r < m.p; r++) if (comparatorSaysNonNegative(m, x, r) !== x >= 0n) n++;
  return n;
}

const fraction = (n: bigint, d: bigint): string => Q.of(n, d).toString();

/** One ReLU z = x on the box [lo, hi] (frac 0), its output weighted so that a fault at z can change the class. */
function oneRelu(m: FaultModel, lo: bigint, hi: bigint): Json {
  return edited((c) => {
    c.faultModel = { p: m.p.toString(), t: m.t, variant: m.variant };
    c.region = { lower: [lo.toString()], upper: [hi.toString()] };
    c.network.layers[1].weights = [[hi > 0n ? '1' : '-1']];
  });
}

describe('Lemma 1 and Lemma 2 against the definition', () => {
  const models: FaultModel[] = [];
  for (const p of [23n, 37n]) {
    models.push({ p, t: 0, variant: 'exact' }, { p, t: 0, variant: 'wrap' });
    for (const t of [0, 1, 2, 3]) models.push({ p, t, variant: 'poszero' }, { p, t, variant: 'negpass' });
  }
  it('the count at every point of the field', () => {
    for (const m of models) {
      const half = (m.p - 1n) / 2n;
      for (let x = -half; x <= half; x++) {
        const want = fraction(bruteCount(m, x), m.p);
        expect(leafBound(oneRelu(m, x, x)), `${m.variant} p=${m.p} t=${m.t} x=${x}`).toBe(want);
      }
    }
  });
  it('the maximum over every interval of the field (p = 23)', () => {
    for (const m of models.filter((m) => m.p === 23n)) {
      const half = (m.p - 1n) / 2n;
      const counts = new Map<bigint, bigint>();
      for (let x = -half; x <= half; x++) counts.set(x, bruteCount(m, x));
      for (let lo = -half; lo <= half; lo++) {
        let best = 0n;
        for (let hi = lo; hi <= half; hi++) {
          const c = counts.get(hi)!;
          if (c > best) best = c;
          if (lo === 0n && hi === 0n) continue;
          expect(leafBound(oneRelu(m, lo, hi)), `${m.variant} t=${m.t} [${lo}, ${hi}]`).toBe(fraction(best, m.p));
        }
      }
    }
  });
});

describe('Theorem 1 and quantisation', () => {
  it('a sum of counts reaching p exactly is 1, one below is (p-1)/p', () => {
    // wrap, p = 67, two hidden units constant 33 and 32 (counts 34 and 33); y = z1 + z2 - 33: base class 1, either fault can change it
    const c = (b2: string): Json =>
      edited((c) => {
        c.faultModel = { p: '67', t: 0, variant: 'wrap' };
        c.region = { lower: ['0'], upper: ['0'] };
        c.network.layers = [
          { activation: 'relu', weights: [['0'], ['0']], bias: ['33', b2] },
          { activation: 'identity', weights: [['1', '1']], bias: ['-33'] },
        ];
      });
    expect(leafBound(c('32'))).toBe('1');
    expect(leafBound(c('31'))).toBe('66/67');
  });
  it('a fault that cannot change the class counts nothing; later units see the fault-free ReLUs before them', () => {
    // units z1 = 5, z2 = 3, y = z1 + z2 - 4 (wrap, counts 6 and 4): a fault at z1 gives y in [-4, 4], one at z2 y in [1, 4]
    const c = edited((c) => {
      c.faultModel = { p: '67', t: 0, variant: 'wrap' };
      c.region = { lower: ['0'], upper: ['0'] };
      c.network.layers = [
        { activation: 'relu', weights: [['0'], ['0']], bias: ['5', '3'] },
        { activation: 'identity', weights: [['1', '1']], bias: ['-4'] },
      ];
    });
    expect(leafBound(c)).toBe('6/67');
    // y <= 0 everywhere and no fault makes it positive: 0
    c.network.layers[1].bias = ['-9'];
    expect(leafBound(c)).toBe('0');
    // the output interval straddles 0 on the box: the class is not constant, every count is taken
    c.network.layers[0].weights = [['1'], ['0']];
    c.network.layers[1].bias = ['-6'];
    c.region = { lower: ['0'], upper: ['2'] };
    expect(leafBound(c)).toBe(fraction(6n + 2n + 4n, 67n));
  });
  it('a fault in the first layer propagates through the second (hull from the fault on)', () => {
    // z = x on [2, 2]; second ReLU layer w = relu(z) - 1; y = w: base 1; a fault at z: w in [-1, 1], y may be <= 0
    const c = edited((c) => {
      c.faultModel = { p: '67', t: 0, variant: 'wrap' };
      c.region = { lower: ['2'], upper: ['2'] };
      c.network.layers = [
        { activation: 'relu', weights: [['1']], bias: ['0'] },
        { activation: 'relu', weights: [['1']], bias: ['-1'] },
        { activation: 'identity', weights: [['1']], bias: ['0'] },
      ];
    });
    expect(leafBound(c)).toBe(fraction(3n + 2n, 67n));
    // y = w + 1: a fault at z gives w in [-1, 1], and the later ReLUs are hulls too (they may fail as well): y in [0, 2];
    // a fault at w (count 2) gives y in [1, 2]: only the first counts
    c.network.layers[2].bias = ['1'];
    expect(leafBound(c)).toBe('3/67');
    c.network.layers[2].bias = ['2'];
    expect(leafBound(c)).toBe('0');
    c.network.layers[2].bias = ['0'];
    c.network.layers[2].weights = [['1']];
    c.network.layers[1].bias = ['-2'];
    // w = 0: base class 0; a fault at z gives w in [-2, 0]: no change; the fault at w (count 0 at 0): none
    expect(leafBound(c)).toBe('0');
  });
  it('argmax: the lowest index wins a tie', () => {
    // outputs (z, 2): z = x on [2, 2]: class 0 (tie, lowest index); a fault at z (wrap, count 3) makes it class 1
    const c = edited((c) => {
      c.faultModel = { p: '67', t: 0, variant: 'wrap' };
      c.region = { lower: ['2'], upper: ['2'] };
      c.network.layers[1] = { activation: 'identity', weights: [['1'], ['0']], bias: ['0', '2'] };
    });
    expect(leafBound(c)).toBe('3/67');
    // outputs (2, z): class 0 on a tie; a fault makes z <= 2: still class 0
    c.network.layers[1] = { activation: 'identity', weights: [['0'], ['1']], bias: ['2', '0'] };
    expect(leafBound(c)).toBe('0');
    // outputs (1, z): class 1; a fault makes z in [0, 2]: class 0 possible
    c.network.layers[1] = { activation: 'identity', weights: [['0'], ['1']], bias: ['1', '0'] };
    expect(leafBound(c)).toBe('3/67');
    // three outputs (z, 1, 3): class 2 whatever z in [0, 2]
    c.network.layers[1] = { activation: 'identity', weights: [['1'], ['0'], ['0']], bias: ['0', '1', '3'] };
    expect(leafBound(c)).toBe('0');
    c.network.layers[1] = { activation: 'identity', weights: [['1'], ['0'], ['0']], bias: ['0', '1', '2'] };
    expect(leafBound(c)).toBe('3/67');
  });
  it('sign class: y = 0 is class 0', () => {
    // y = z - 2 on z = 2: class 0; a fault gives y in [-2, 0]: class 0
    const c = edited((c) => {
      c.faultModel = { p: '67', t: 0, variant: 'wrap' };
      c.region = { lower: ['2'], upper: ['2'] };
      c.network.layers[1].bias = ['-2'];
    });
    expect(leafBound(c)).toBe('0');
    c.network.layers[1].bias = ['-1'];
    expect(leafBound(c)).toBe('3/67');
  });
  it('rounding to nearest, ties away from zero, of weights, biases, the region and the products', () => {
    // frac 1: weight 3/4 -> round(3/2) = 2, bias -1/4 -> round(-1/2) = -1, region [-3/4, 5/4] -> [round(-3/2), round(5/2)] = [-2, 3]
    const c = edited((c) => {
      c.quantisation.fracBits = 1;
      c.claim.bound = '0';
      c.network.layers[0] = { activation: 'relu', weights: [['3/4']], bias: ['-1/4'] };
      c.region = { lower: ['-3/4'], upper: ['5/4'] };
    });
    const r = run(c);
    expect(r.status === 'rejected' && r.message.endsWith('on box [-2, 3]')).toBe(true);
    // z = round(2 * x / 2) - 1 on [-2, 3]: [-3, 2]; with p = 5 (half 2) the lower end is out of the field
    c.faultModel = { p: '5', t: 0, variant: 'wrap' };
    rejects(c, 'R8', 'tree', 'layer 0 unit 0 may reach [-3, 2], outside [-(p-1)/2, (p-1)/2]');
    // odd products: weight 3/2 -> 3; box [-1, 1] gives products -3 and 3, halved: -3/2 -> -2, 3/2 -> 2
    c.network.layers[0] = { activation: 'relu', weights: [['3/2']], bias: ['0'] };
    c.region = { lower: ['-1/2'], upper: ['1/2'] };
    c.faultModel = { p: '3', t: 0, variant: 'wrap' };
    rejects(c, 'R8', 'tree', 'layer 0 unit 0 may reach [-2, 2], outside [-(p-1)/2, (p-1)/2]');
    // a negative weight takes the other ends: -3/2 -> -3 on [-1, 1]
    c.network.layers[0].weights = [['-3/2']];
    c.region = { lower: ['-1/2'], upper: ['0'] };
    rejects(c, 'R8', 'tree', 'layer 0 unit 0 may reach [0, 2], outside [-(p-1)/2, (p-1)/2]');
    // 1/4 at frac 1 is 1/2: rounds to 1; -1/4 to -1; 1/8 to 0
    c.network.layers[0] = { activation: 'relu', weights: [['1/8']], bias: ['1/4'] };
    c.region = { lower: ['0'], upper: ['0'] };
    c.network.layers[1].bias = ['-1/4'];
    c.faultModel = { p: '67', t: 0, variant: 'wrap' };
    // z = 0 + 1 = 1, y = round(2 * 1 / 2) - 1 = 0: class 0; a fault at z gives y in [-1, 0]: 0
    expect(leafBound(c)).toBe('0');
    c.network.layers[1].bias = ['1/8'];
    // y = 1 + 0: class 1, a fault gives y in [0, 1]: 2/67 (wrap count of 1)
    expect(leafBound(c)).toBe('2/67');
  });
  it('the checker agrees with the solver on random networks, boxes and fault models', () => {
    const rng = new SeededRandom(7);
    let checked = 0;
    for (let trial = 0; trial < 24; trial++) {
      const sizes = [
        [2, 3, 2],
        [2, 3, 2, 1],
        [1, 2, 1],
        [2, 2, 3],
      ][trial % 4]!;
      const net = randomNetwork(rng, sizes);
      const variant: Variant = (['wrap', 'poszero', 'negpass', 'exact'] as Variant[])[trial % 4]!;
      const m: FaultModel = { p: 1031n, t: variant === 'wrap' || variant === 'exact' ? 0 : 1 + (trial % 4), variant };
      const frac = 1 + (trial % 3);
      const centre =
        sizes[0] === 1
          ? [Q.of(Math.floor(rng.nextFloat() * 9) - 4, 4)]
          : [Q.of(Math.floor(rng.nextFloat() * 9) - 4, 4), Q.of(Math.floor(rng.nextFloat() * 9) - 4, 4)];
      const lower = centre.map((v) => v.sub(Q.of(1, 3)));
      const upper = centre.map((v) => v.add(Q.of(1, 3)));
      const q = quantiseNetwork(net, frac, 'test');
      const box = quantiseInput(lower, frac).map((lo, k) => ({ lo, hi: quantiseInput([upper[k]!], frac)[0]! }));
      const r = refineRegion(q, m, box, { maxLeaves: 6 });
      const text = regionCertificate({ network: net, frac, model: m, lower, upper }, r);
      const out = checkRegionCertificate(text, 'x');
      if (out.status === 'rejected' && out.rule === 'R8') continue;
      expect(out, text).toMatchObject({ status: 'valid' });
      checked++;
    }
    expect(checked).toBeGreaterThan(16);
  });
});
