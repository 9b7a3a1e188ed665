/**
 * Every rule of the region certificate checker (src/check/region.ts and
 * fault.ts, docs/stochastic.md section 7), in-process on hand-made
 * certificates: each rejection asserted whole (rule, field path, expected,
 * got), the statement of a valid certificate whole, the binding to a network
 * file (--network), and the arithmetic (Lemma 1 counts, Lemma 2 maxima,
 * quantisation, interval propagation, Theorem 1) against brute-force
 * references and the solver's own code.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type CheckOutcome, type RegionValid, checkCertificate } from '../../src/check/index.js';
import { Q } from '../../src/core/rational.js';
import type { FaultModel, Variant } from '../../src/stochastic/fault.js';
import { comparatorSaysNonNegative } from '../../src/stochastic/fault.js';
import { quantiseInput, quantiseNetwork } from '../../src/stochastic/quantise.js';
import { refineRegion, regionCertificate } from '../../src/stochastic/region.js';
import { SeededRandom } from '../../src/core/random.js';
import { randomNetwork } from '../stochastic/random-network.js';
import { type Json, checkRegionText, expectRejection } from './helpers.js';

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

const run = (c: Json): CheckOutcome<RegionValid> => checkRegionText(typeof c === 'string' ? c : JSON.stringify(c), 'cert.json');

/** The outcome is exactly this rejection: rule, path, expected and got. */
function rejects(c: Json, rule: string, path: string, expected: string, got: string): void {
  expectRejection(run(c), { rule, path, expected, got });
}

function valid(c: Json): string {
  const r = run(c);
  if (r.status !== 'valid') expect.fail(`expected valid, got ${JSON.stringify(r)}`);
  return r.statement;
}

/** The leaf bound the checker computes for a one-leaf certificate (read from its R9 rejection). */
function leafBound(c: Json): string {
  const cc = JSON.parse(JSON.stringify(c));
  cc.tree = { kind: 'leaf', bound: '-1' };
  const r = run(cc);
  if (r.status !== 'rejected' || r.rule !== 'R9') expect.fail(`expected R9, got ${JSON.stringify(r)}`);
  const m = /^(\S+) \(the Theorem 1 bound on this leaf\)$/.exec(r.expected);
  if (!m) expect.fail(r.expected);
  return m[1]!;
}

/** The hash of a network's canonical form, written out here as docs/stochastic.md section 7 defines it. */
const hashOf = (canonical: string): string => 'sha256:' + createHash('sha256').update(canonical, 'utf8').digest('hex');
const BASE_HASH = hashOf(
  '{"format":"relucert-network/1","layers":[{"activation":"relu","weights":[["1"]],"bias":["0"]},{"activation":"identity","weights":[["1"]],"bias":["0"]}]}',
);

const EXACT = 'an exact number (a JSON integer, or a string "-3", "7/2", "0.125" or "1e-3")';

describe('accepted', () => {
  it('the base certificate, its statement whole, naming the network by its hash', () => {
    expect(valid(base())).toBe(
      `the network in the certificate (${BASE_HASH}), quantised with 0 fractional bits, with stochastic ReLUs (p = 67, t = 2, poszero): ` +
        'for every input in [1, 3], the probability that its sign class differs from its fault-free class is at most 1 (1 leaf)',
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
    const hash = hashOf(
      '{"format":"relucert-network/1","layers":[{"activation":"relu","weights":[["1"]],"bias":["0"]},{"activation":"identity","weights":[["1"],["-1"]],"bias":["0","0"]}]}',
    );
    expect(valid(c)).toBe(
      `the network in the certificate (${hash}), quantised with 0 fractional bits, with stochastic ReLUs (p = 67, t = 2, poszero): ` +
        'for every input in [1/2, 4], the probability that its argmax class differs from its fault-free class is at most 1 (3 leaves)',
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
  it('the canonical form of the network: every number as its reduced fraction, so other spellings hash alike', () => {
    const spelled = edited((c) => (c.network.layers[0] = { activation: 'relu', weights: [['2/2']], bias: ['0.0'] }));
    expect(valid(spelled)).toContain(`(${BASE_HASH})`);
  });
});

describe('R2 binding: --network', () => {
  const net = (): Json => base().network;
  const bound = (c: Json, network: Json, file = 'net.json'): CheckOutcome<RegionValid> =>
    checkRegionText(JSON.stringify(c), 'cert.json', typeof network === 'string' ? network : JSON.stringify(network), file);
  it('the same network (in other spellings too): the statement names the file and the hash', () => {
    const o = bound(base(), { ...net(), layers: [{ activation: 'relu', weights: [['1.0']], bias: ['0/5'] }, net().layers[1]] }, 'my "net".json');
    expect(o.status === 'valid' && o.statement.startsWith(`the network "my \\u0022net\\u0022.json" (${BASE_HASH}), quantised`)).toBe(true);
  });
  it('another network: rejected under R2, both hashes named', () => {
    const other = { ...net(), layers: [{ activation: 'relu', weights: [['2']], bias: ['0'] }, net().layers[1]] };
    const otherHash = hashOf(
      '{"format":"relucert-network/1","layers":[{"activation":"relu","weights":[["2"]],"bias":["0"]},{"activation":"identity","weights":[["1"]],"bias":["0"]}]}',
    );
    expectRejection(bound(base(), other), {
      rule: 'R2',
      path: 'network',
      expected: `${otherHash} (the hash of net.json)`,
      got: `${BASE_HASH} (the hash of the canonical form of "network")`,
    });
  });
  it('a network file that is not JSON, repeats a key or is not a network is bad input naming the file and the field', () => {
    expect(bound(base(), '{')).toEqual({
      status: 'bad-input',
      file: 'net.json',
      field: '',
      message: 'not valid JSON: expected a string, found end of input at line 1 column 2',
    });
    expect(bound(base(), '{"format": 1, "format": 2}')).toEqual({
      status: 'bad-input',
      file: 'net.json',
      field: 'format',
      message: '"format" again at line 1 column 23: each key once in an object',
    });
    expect(bound(base(), { ...net(), layers: [] })).toEqual({
      status: 'bad-input',
      file: 'net.json',
      field: 'layers',
      message: 'expected at least one layer, got an array of 0',
    });
  });
  it('an instance file does not bind a region certificate, nor a network file a training certificate', () => {
    expect(checkCertificate(JSON.stringify(base()), 'cert.json', { kind: 'any', instance: { text: '{}', file: 'inst.json' } })).toEqual({
      status: 'bad-input',
      file: 'inst.json',
      field: '',
      message: 'an instance file does not bind this certificate (training and Gram certificates take --instance, region certificates --network)',
    });
    expect(checkCertificate('{"format": "relucert-certificate/1"}', 'cert.json', { kind: 'any', network: { text: '{}', file: 'net.json' } })).toMatchObject({
      status: 'bad-input',
      file: 'net.json',
      field: '',
    });
  });
});

describe('R1 envelope', () => {
  it('not an object: bad input, as for every kind of certificate', () =>
    expect(run([])).toEqual({
      status: 'bad-input',
      file: 'cert.json',
      field: '',
      message: 'not a certificate: the top level is an array of 0, expected an object',
    }));
  it('an unknown field', () =>
    rejects(
      edited((c) => (c.extra = 1)),
      'R1',
      'extra',
      'only the fields format, network, quantisation, faultModel, region, claim, tree',
      'unknown field "extra"',
    ));
  it('a missing field', () =>
    rejects(
      edited((c) => delete c.tree),
      'R1',
      'tree',
      'field "tree"',
      'nothing (missing)',
    ));
  it('format not a string', () =>
    rejects(
      edited((c) => (c.format = 1)),
      'R1',
      'format',
      'a string',
      'the JSON number 1',
    ));
  it('another format', () =>
    rejects(
      edited((c) => (c.format = 'relucert-region-certificate/2')),
      'R1',
      'format',
      '"relucert-region-certificate/1"',
      '"relucert-region-certificate/2"',
    ));
  it('a repeated key, anywhere', () =>
    rejects(
      JSON.stringify(base()).replace('"claim":{', '"claim":{"bound":"0",'),
      'R1',
      'claim.bound',
      'each key once in an object',
      '"bound" again at line 1 column 353',
    ));
  it('bad JSON is bad input', () => {
    expect(run('{"a":')).toEqual({
      status: 'bad-input',
      file: 'cert.json',
      field: '',
      message: 'not valid JSON: expected a value, found end of input at line 1 column 6',
    });
  });
});

describe('R3 quantisation', () => {
  const BITS = 'fractional bits: an integer from 0 to 64';
  it('missing', () =>
    rejects(
      edited((c) => delete c.quantisation),
      'R1',
      'quantisation',
      'field "quantisation"',
      'nothing (missing)',
    ));
  it('not an object', () =>
    rejects(
      edited((c) => (c.quantisation = 3)),
      'R3',
      'quantisation',
      'an object',
      'the JSON number 3',
    ));
  it('an unknown field', () =>
    rejects(
      edited((c) => (c.quantisation.round = 'even')),
      'R3',
      'quantisation.round',
      'only the fields fracBits',
      'unknown field "round"',
    ));
  it('no fracBits', () =>
    rejects(
      edited((c) => delete c.quantisation.fracBits),
      'R3',
      'quantisation.fracBits',
      'field "fracBits"',
      'nothing (missing)',
    ));
  it('65 bits', () =>
    rejects(
      edited((c) => (c.quantisation.fracBits = 65)),
      'R3',
      'quantisation.fracBits',
      BITS,
      'the JSON number 65',
    ));
  it('-1 bits', () =>
    rejects(
      edited((c) => (c.quantisation.fracBits = -1)),
      'R3',
      'quantisation.fracBits',
      BITS,
      'the JSON number -1',
    ));
  it('64 bits is allowed', () =>
    expect(
      run(edited((c) => ((c.quantisation.fracBits = 64), (c.faultModel.p = '2305843009213693951'), (c.region = { lower: ['0'], upper: ['0'] })))),
    ).toMatchObject({ status: 'valid' }));
  it('a string, even of an integer: indices are JSON integers, as everywhere (docs/certificates.md section 7)', () => {
    rejects(
      edited((c) => (c.quantisation.fracBits = '12')),
      'R3',
      'quantisation.fracBits',
      BITS,
      '"12"',
    );
    rejects(
      edited((c) => (c.quantisation.fracBits = '1/2')),
      'R3',
      'quantisation.fracBits',
      BITS,
      '"1/2"',
    );
  });
  it('a floating-point number', () =>
    rejects(
      edited((c) => (c.quantisation.fracBits = 1.5)),
      'R3',
      'quantisation.fracBits',
      BITS,
      'the JSON number 1.5',
    ));
  it('a JSON integer with an exponent', () =>
    rejects(
      '{"format":"relucert-region-certificate/1","quantisation":{"fracBits":1e0},"network":' +
        JSON.stringify(base().network) +
        ',"faultModel":1,"region":1,"claim":1,"tree":1}',
      'R3',
      'quantisation.fracBits',
      BITS,
      'the JSON number 1e0',
    ));
  it('a boolean', () =>
    rejects(
      edited((c) => (c.quantisation.fracBits = true)),
      'R3',
      'quantisation.fracBits',
      BITS,
      'true',
    ));
  it('a JSON integer token of many digits', () =>
    rejects(
      JSON.stringify(edited((c) => (c.quantisation.fracBits = 'TOKEN'))).replace('"TOKEN"', '1'.repeat(100_001)),
      'R3',
      'quantisation.fracBits',
      BITS,
      `the JSON number ${'1'.repeat(57)}...`,
    ));
});

describe('R2 network', () => {
  const L = 'network.layers';
  it('not an object', () =>
    rejects(
      edited((c) => (c.network = [])),
      'R2',
      'network',
      'an object',
      'an array of 0',
    ));
  it('another format', () =>
    rejects(
      edited((c) => (c.network.format = 'relucert-network/2')),
      'R2',
      'network.format',
      '"relucert-network/1"',
      '"relucert-network/2"',
    ));
  it('format not a string', () =>
    rejects(
      edited((c) => (c.network.format = 1)),
      'R2',
      'network.format',
      'a string',
      'the JSON number 1',
    ));
  it('an unknown field', () =>
    rejects(
      edited((c) => (c.network.name = 'moons')),
      'R2',
      'network.name',
      'only the fields format, layers',
      'unknown field "name"',
    ));
  it('layers not an array', () =>
    rejects(
      edited((c) => (c.network.layers = {})),
      'R2',
      L,
      'an array',
      'an object',
    ));
  it('no layers', () =>
    rejects(
      edited((c) => (c.network.layers = [])),
      'R2',
      L,
      'at least one layer',
      'an array of 0',
    ));
  it('a layer not an object', () =>
    rejects(
      edited((c) => (c.network.layers[1] = 'x')),
      'R2',
      `${L}[1]`,
      'an object',
      '"x"',
    ));
  it('a layer without bias', () =>
    rejects(
      edited((c) => delete c.network.layers[0].bias),
      'R2',
      `${L}[0].bias`,
      'field "bias"',
      'nothing (missing)',
    ));
  it('an activation not a string', () =>
    rejects(
      edited((c) => (c.network.layers[0].activation = null)),
      'R2',
      `${L}[0].activation`,
      'a string',
      'null',
    ));
  it('a hidden layer not relu', () =>
    rejects(
      edited((c) => (c.network.layers[0].activation = 'identity')),
      'R2',
      `${L}[0].activation`,
      '"relu" (a hidden layer)',
      '"identity"',
    ));
  it('the output layer not identity', () =>
    rejects(
      edited((c) => (c.network.layers[1].activation = 'relu')),
      'R2',
      `${L}[1].activation`,
      '"identity" (the output layer)',
      '"relu"',
    ));
  it('a single layer must be identity', () => valid(edited((c) => (c.network.layers = [c.network.layers[1]]))));
  it('weights not an array', () =>
    rejects(
      edited((c) => (c.network.layers[0].weights = '1')),
      'R2',
      `${L}[0].weights`,
      'an array',
      '"1"',
    ));
  it('no units', () =>
    rejects(
      edited((c) => (c.network.layers[0].weights = [])),
      'R2',
      `${L}[0].weights`,
      'at least one unit (a row of weights)',
      'an array of 0',
    ));
  it('a row not an array', () =>
    rejects(
      edited((c) => (c.network.layers[0].weights = ['1'])),
      'R2',
      `${L}[0].weights[0]`,
      'an array',
      '"1"',
    ));
  it('an empty first row', () =>
    rejects(
      edited((c) => (c.network.layers[0].weights = [[]])),
      'R2',
      `${L}[0].weights[0]`,
      'at least one weight',
      'an array of 0',
    ));
  it('a ragged row', () =>
    rejects(
      edited((c) => (c.network.layers[0].weights = [['1'], ['1', '2']])),
      'R2',
      `${L}[0].weights[1]`,
      '1 weights (one per input of the layer)',
      '2',
    ));
  it('a row not as long as the layer before has units', () => {
    rejects(
      edited((c) => (c.network.layers[1].weights = [['1', '1']])),
      'R2',
      `${L}[1].weights[0]`,
      '1 weights (one per input of the layer)',
      '2',
    );
    rejects(
      edited((c) => (c.network.layers[1].weights = [[]])),
      'R2',
      `${L}[1].weights[0]`,
      '1 weights (one per input of the layer)',
      '0',
    );
  });
  it('the first layer may have any width', () =>
    valid(edited((c) => ((c.network.layers[0].weights = [['1', '0']]), (c.region = { lower: ['1', '0'], upper: ['3', '0'] })))));
  it('a bad weight', () =>
    rejects(
      edited((c) => (c.network.layers[1].weights[0][0] = 0.5)),
      'R2',
      `${L}[1].weights[0][0]`,
      EXACT,
      'the JSON number 0.5 (write it as a string)',
    ));
  it('bias of the wrong length', () =>
    rejects(
      edited((c) => (c.network.layers[0].bias = ['0', '0'])),
      'R2',
      `${L}[0].bias`,
      '1 biases (one per unit)',
      '2',
    ));
  it('bias not an array', () =>
    rejects(
      edited((c) => (c.network.layers[0].bias = '0')),
      'R2',
      `${L}[0].bias`,
      'an array',
      '"0"',
    ));
  it('a bad bias', () =>
    rejects(
      edited((c) => (c.network.layers[1].bias = [null])),
      'R2',
      `${L}[1].bias[0]`,
      EXACT,
      'null',
    ));
});

describe('R4 fault model', () => {
  const P = 'faultModel.p';
  it('missing', () =>
    rejects(
      edited((c) => delete c.faultModel.variant),
      'R4',
      'faultModel.variant',
      'field "variant"',
      'nothing (missing)',
    ));
  it('p a fraction', () =>
    rejects(
      edited((c) => (c.faultModel.p = '67/2')),
      'R4',
      P,
      'the prime p: an integer',
      '67/2',
    ));
  it('p a bare JSON integer beyond 2^53 (one rule for numbers everywhere: most JSON readers make it a double)', () =>
    rejects(
      JSON.stringify(edited((c) => (c.faultModel.p = 'TOKEN'))).replace('"TOKEN"', '2305843009213693951'),
      'R4',
      P,
      EXACT,
      'the JSON number 2305843009213693951 (beyond 2^53: write it as a string)',
    ));
  it('p at the limit', () =>
    rejects(
      edited((c) => (c.faultModel.p = '3317044064679887385961981')),
      'R4',
      P,
      'a prime p below 3317044064679887385961981',
      '"3317044064679887385961981"',
    ));
  it('2, 1, 0, -3, 9 are not odd primes', () => {
    for (const p of ['2', '1', '0', '-3', '9', '15', '49'])
      rejects(
        edited((c) => (c.faultModel.p = p)),
        'R4',
        P,
        'an odd prime p',
        `${p}, not an odd prime`,
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
  it('t out of range, or not a JSON integer', () => {
    rejects(
      edited((c) => (c.faultModel.t = 4097)),
      'R4',
      'faultModel.t',
      'the truncation t: an integer from 0 to 4096',
      'the JSON number 4097',
    );
    rejects(
      edited((c) => (c.faultModel.t = '2')),
      'R4',
      'faultModel.t',
      'the truncation t: an integer from 0 to 4096',
      '"2"',
    );
  });
  it('t = 4096 is in range (and then too large for p)', () =>
    rejects(
      edited((c) => (c.faultModel.t = 4096)),
      'R4',
      'faultModel.t',
      'a truncation with 2^(t+1) < p = 67',
      '4096',
    ));
  it('2^(t+1) = 128 >= 67', () =>
    rejects(
      edited((c) => (c.faultModel.t = 6)),
      'R4',
      'faultModel.t',
      'a truncation with 2^(t+1) < p = 67',
      '6',
    ));
  it('an unknown variant', () =>
    rejects(
      edited((c) => (c.faultModel.variant = 'lucky')),
      'R4',
      'faultModel.variant',
      '"exact", "wrap", "poszero" or "negpass"',
      '"lucky"',
    ));
  it('variant not a string', () =>
    rejects(
      edited((c) => (c.faultModel.variant = 1)),
      'R4',
      'faultModel.variant',
      'a string',
      'the JSON number 1',
    ));
  it('exact and wrap need t = 0', () => {
    rejects(
      edited((c) => (c.faultModel.variant = 'exact')),
      'R4',
      'faultModel.t',
      't = 0 (variant exact)',
      '2',
    );
    rejects(
      edited((c) => (c.faultModel.variant = 'wrap')),
      'R4',
      'faultModel.t',
      't = 0 (variant wrap)',
      '2',
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
      'an object',
      'the JSON number 1',
    ));
  it('lower not an array', () =>
    rejects(
      edited((c) => (c.region.lower = '1')),
      'R5',
      'region.lower',
      'an array',
      '"1"',
    ));
  it('upper not an array', () =>
    rejects(
      edited((c) => (c.region.upper = '1')),
      'R5',
      'region.upper',
      'an array',
      '"1"',
    ));
  it('lower too long', () =>
    rejects(
      edited((c) => (c.region.lower = ['1', '1'])),
      'R5',
      'region.lower',
      '1 numbers (one per network input)',
      '2',
    ));
  it('upper too short', () =>
    rejects(
      edited((c) => (c.region.upper = [])),
      'R5',
      'region.upper',
      '1 numbers (one per network input)',
      '0',
    ));
  it('a bad lower end', () =>
    rejects(
      edited((c) => (c.region.lower = [true])),
      'R5',
      'region.lower[0]',
      EXACT,
      'true',
    ));
  it('a bad upper end', () =>
    rejects(
      edited((c) => (c.region.upper = ['1/0'])),
      'R5',
      'region.upper[0]',
      EXACT,
      '"1/0"',
    ));
  it('upper below lower', () =>
    rejects(
      edited((c) => (c.region.upper = ['1/2'])),
      'R5',
      'region.upper[0]',
      'a number >= 1 (the lower end)',
      '1/2',
    ));
});

describe('R6 claim', () => {
  it('an unknown field', () =>
    rejects(
      edited((c) => (c.claim.confidence = '1')),
      'R6',
      'claim.confidence',
      'only the fields bound',
      'unknown field "confidence"',
    ));
  it('a bad bound', () =>
    rejects(
      edited((c) => (c.claim.bound = 0.5)),
      'R6',
      'claim.bound',
      EXACT,
      'the JSON number 0.5 (write it as a string)',
    ));
  it('a negative bound', () =>
    rejects(
      edited((c) => (c.claim.bound = '-1/100')),
      'R6',
      'claim.bound',
      'a bound >= 0',
      '-1/100',
    ));
});

describe('R7 tree', () => {
  const NODE = 'a node {"kind": "split", ...} or {"kind": "leaf"}';
  const split = (over: Json = {}): Json => ({ kind: 'split', coordinate: 0, at: '2', low: { kind: 'leaf' }, high: { kind: 'leaf' }, ...over });
  it('not an object', () =>
    rejects(
      edited((c) => (c.tree = [])),
      'R7',
      'tree',
      NODE,
      'an array of 0',
    ));
  it('no kind', () =>
    rejects(
      edited((c) => (c.tree = {})),
      'R7',
      'tree.kind',
      '"split" or "leaf"',
      'nothing (missing)',
    ));
  it('an unknown kind', () =>
    rejects(
      edited((c) => (c.tree = { kind: 'hole' })),
      'R7',
      'tree.kind',
      '"split" or "leaf"',
      '"hole"',
    ));
  it('a leaf with an unknown field', () =>
    rejects(
      edited((c) => (c.tree = { kind: 'leaf', note: 1 })),
      'R7',
      'tree.note',
      'only the fields kind, bound',
      'unknown field "note"',
    ));
  it('a split with an unknown field', () =>
    rejects(
      edited((c) => (c.tree = split({ note: 1 }))),
      'R7',
      'tree.note',
      'only the fields kind, coordinate, at, low, high',
      'unknown field "note"',
    ));
  it('a split without high', () => {
    const s = split();
    delete s.high;
    rejects(
      edited((c) => (c.tree = s)),
      'R7',
      'tree.high',
      'field "high"',
      'nothing (missing)',
    );
  });
  it('a malformed child is found by the walk (low first)', () =>
    rejects(
      edited((c) => (c.tree = split({ low: { kind: 'split', coordinate: 0, at: '1', low: { kind: 'leaf' }, high: 5 } }))),
      'R7',
      'tree.low.high',
      NODE,
      'the JSON number 5',
    ));
  it('a coordinate out of range', () =>
    rejects(
      edited((c) => (c.tree = split({ coordinate: 1 }))),
      'R7',
      'tree.coordinate',
      'an input coordinate: an integer from 0 to 0',
      'the JSON number 1',
    ));
  it('a negative coordinate, or one written as a string', () => {
    rejects(
      edited((c) => (c.tree = split({ coordinate: -1 }))),
      'R7',
      'tree.coordinate',
      'an input coordinate: an integer from 0 to 0',
      'the JSON number -1',
    );
    rejects(
      edited((c) => (c.tree = split({ coordinate: '0' }))),
      'R7',
      'tree.coordinate',
      'an input coordinate: an integer from 0 to 0',
      '"0"',
    );
  });
  it('at = hi', () =>
    rejects(
      edited((c) => (c.tree = split({ at: '3' }))),
      'R7',
      'tree.at',
      'a split point with 1 <= at < 3 (both halves non-empty)',
      '"3"',
    ));
  it('at = lo - 1', () =>
    rejects(
      edited((c) => (c.tree = split({ at: 0 }))),
      'R7',
      'tree.at',
      'a split point with 1 <= at < 3 (both halves non-empty)',
      'the JSON number 0',
    ));
  it('at not an integer', () =>
    rejects(
      edited((c) => (c.tree = split({ at: '3/2' }))),
      'R7',
      'tree.at',
      'a split point: an integer',
      '3/2',
    ));
  it('the halves get [lo, at] and [at+1, hi]', () => {
    // low is [1, 1]: a split in it at 1 leaves nothing above; high is [2, 3]: at = 1 is below it
    rejects(
      edited((c) => (c.tree = split({ at: '1', low: split({ at: '1' }) }))),
      'R7',
      'tree.low.at',
      'a split point with 1 <= at < 1 (both halves non-empty)',
      '"1"',
    );
    rejects(
      edited((c) => (c.tree = split({ at: '1', high: split({ at: '1' }) }))),
      'R7',
      'tree.high.at',
      'a split point with 2 <= at < 3 (both halves non-empty)',
      '"1"',
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
      'a split point with 5 <= at < 9 (both halves non-empty)',
      '"9"',
    );
    rejects(
      edited((c) => (two(c), (c.tree = split({ high: split({ coordinate: 1, at: '4' }) })))),
      'R7',
      'tree.high.at',
      'a split point with 5 <= at < 9 (both halves non-empty)',
      '"4"',
    );
  });
  it('a split deep in the low half puts its interval back before the high half is checked', () => {
    // low: [1, 2], split again at 1 into [1, 1] and [2, 2]; high: [3, 3] must see the root interval's top, not the low split's
    rejects(
      edited((c) => (c.tree = split({ low: split({ at: '1' }), high: split({ at: '3' }) }))),
      'R7',
      'tree.high.at',
      'a split point with 3 <= at < 3 (both halves non-empty)',
      '"3"',
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
    expect(r.status === 'rejected' && r.got.endsWith('on the box [1, 3] x [5, 6]')).toBe(true);
    c.tree = { ...c.tree, low: { kind: 'leaf', bound: '0' }, at: '5' };
    const r2 = run(c);
    expect(r2).toMatchObject({ status: 'rejected', rule: 'R9', path: 'tree.low.bound' });
  });
});

describe('R8, R9, R10 on a leaf', () => {
  const FIELD = 'every pre-activation within [-33, 33] (that is, [-(p-1)/2, (p-1)/2]) under any fault pattern';
  it('R8: a pre-activation outside the field, with its layer, unit and interval', () => {
    // hidden units x and 20x on [1, 3]; p = 67: (p-1)/2 = 33, 20 * 3 = 60
    rejects(
      edited((c) => ((c.network.layers[0] = { activation: 'relu', weights: [['1'], ['20']], bias: ['0', '0'] }), (c.network.layers[1].weights = [['1', '1']]))),
      'R8',
      'tree',
      FIELD,
      'layer 0 unit 1 may reach [20, 60]',
    );
    // the output layer sees the hull of the ReLUs: [min(z, 0), max(z, 0)]
    rejects(
      edited((c) => ((c.network.layers[1].weights = [['-12']]), (c.region = { lower: ['-3'], upper: ['3'] }))),
      'R8',
      'tree',
      FIELD,
      'layer 1 unit 0 may reach [-36, 36]',
    );
    rejects(
      edited((c) => ((c.network.layers[1].weights = [['12']]), (c.region = { lower: ['-3'], upper: ['-1'] }))),
      'R8',
      'tree',
      FIELD,
      'layer 1 unit 0 may reach [-36, 0]',
    );
    rejects(
      edited((c) => (c.network.layers[1].bias = ['-34'])),
      'R8',
      'tree',
      FIELD,
      'layer 1 unit 0 may reach [-34, -31]',
    );
    valid(edited((c) => (c.network.layers[1].bias = ['-33'])));
    rejects(
      edited((c) => ((c.network.layers[0].bias = ['-33']), (c.region = { lower: ['-1'], upper: ['0'] }))),
      'R8',
      'tree',
      FIELD,
      'layer 0 unit 0 may reach [-34, -33]',
    );
    // the ends themselves are in the field
    valid(edited((c) => ((c.network.layers[0].bias = ['-33']), (c.region = { lower: ['0'], upper: ['66'] }))));
  });
  it('R8: a reach of many digits is shortened in the message', () => {
    const r = run(edited((c) => (c.network.layers[0].weights = [['1' + '0'.repeat(80)]])));
    expect(r).toMatchObject({ status: 'rejected', rule: 'R8', got: `layer 0 unit 0 may reach [1${'0'.repeat(56)}..., 3${'0'.repeat(56)}...]` });
  });
  it('R9: a stated bound that is not the computed one', () => {
    rejects(
      edited((c) => (c.tree.bound = '1/67')),
      'R9',
      'tree.bound',
      '51/67 (the Theorem 1 bound on this leaf)',
      '1/67',
    );
    rejects(
      edited((c) => (c.tree.bound = 'x')),
      'R9',
      'tree.bound',
      EXACT,
      '"x"',
    );
    valid(edited((c) => (c.tree.bound = '102/134')));
  });
  it('R10: the leaf bound above the claim', () => {
    rejects(
      edited((c) => (c.claim.bound = '50/67')),
      'R10',
      'tree',
      'a leaf bound <= 50/67 (the claim)',
      '51/67 on the box [1, 3]',
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
    expect(r.status === 'rejected' && r.got.endsWith('on the box [-2, 3]')).toBe(true);
    // z = round(2 * x / 2) - 1 on [-2, 3]: [-3, 2]; with p = 5 (half 2) the lower end is out of the field
    c.faultModel = { p: '5', t: 0, variant: 'wrap' };
    rejects(c, 'R8', 'tree', 'every pre-activation within [-2, 2] (that is, [-(p-1)/2, (p-1)/2]) under any fault pattern', 'layer 0 unit 0 may reach [-3, 2]');
    // odd products: weight 3/2 -> 3; box [-1, 1] gives products -3 and 3, halved: -3/2 -> -2, 3/2 -> 2
    c.network.layers[0] = { activation: 'relu', weights: [['3/2']], bias: ['0'] };
    c.region = { lower: ['-1/2'], upper: ['1/2'] };
    c.faultModel = { p: '3', t: 0, variant: 'wrap' };
    rejects(c, 'R8', 'tree', 'every pre-activation within [-1, 1] (that is, [-(p-1)/2, (p-1)/2]) under any fault pattern', 'layer 0 unit 0 may reach [-2, 2]');
    // a negative weight takes the other ends: -3/2 -> -3 on [-1, 1]
    c.network.layers[0].weights = [['-3/2']];
    c.region = { lower: ['-1/2'], upper: ['0'] };
    rejects(c, 'R8', 'tree', 'every pre-activation within [-1, 1] (that is, [-(p-1)/2, (p-1)/2]) under any fault pattern', 'layer 0 unit 0 may reach [0, 2]');
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
      const out = checkRegionText(text, 'x');
      if (out.status === 'rejected' && out.rule === 'R8') continue;
      expect(out, text).toMatchObject({ status: 'valid' });
      checked++;
    }
    expect(checked).toBeGreaterThan(16);
  });
});
