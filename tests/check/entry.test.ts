/**
 * src/check/index.ts, the checker's entry point, called in-process: the
 * statement of every verdict (shape and goal texts), each C1 and C3
 * rejection and each bad-input outcome asserted whole, the rule of a repeated
 * key (F1 in multipliers, else C1), the instance file's errors and the C4
 * rejection (docs/mutation.md, "rational.ts, json.ts, fields.ts,
 * rejection.ts, index.ts").
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type CheckOutcome, DEFAULT_LIMITS, checkCertificate } from '../../src/check/index.js';
import { type Json, check, checkText, clone, makeInstance, solveToCertificate } from './helpers.js';

/** A rejection outcome as [rule, path, expected, got], after checking that its message is their one line. */
function rejection(o: CheckOutcome): unknown {
  if (o.status !== 'rejected') return o;
  expect(o.message).toBe(`rejected at ${o.path === '' ? '(top level)' : o.path} (${o.rule}): expected ${o.expected}, got ${o.got}`);
  return [o.rule, o.path, o.expected, o.got];
}

const infeasible = solveToCertificate(makeInstance());
const feasible = solveToCertificate(makeInstance({}, { hidden: 2 }));

describe('the statement of a valid certificate', () => {
  it.each<[string, Json, string]>([
    [
      'relu, signs, exact, infeasible',
      makeInstance(),
      'no network with 1 relu unit (output weights signs, no output bias) fits "test" with zero error on 3 points',
    ],
    [
      'two units, feasible',
      makeInstance({}, { hidden: 2 }),
      'the network with 2 relu units (output weights signs, no output bias) fits "test" with zero error on 3 points',
    ],
    [
      'fixed output weights and an output bias, classification, feasible (the margin reached)',
      makeInstance({ labels: ['1', '-1', '1'], loss: { type: 'classification' } }, { hidden: 2, outputWeights: ['1', '-1'], outputBias: true }),
      'the network with 2 relu units (output weights [1, -1], with output bias) classifies all 3 points of "test" correctly (least margin y f(x) = 1)',
    ],
    [
      'leaky-relu with its slope, bounded weights and output weights, classification, infeasible',
      makeInstance(
        { labels: ['1', '-1', '1'], loss: { type: 'classification' } },
        { activation: 'leaky-relu', slope: '1/10', outputWeights: 'free', weightBound: '2', boundOutputWeights: true },
      ),
      'no network with 1 leaky-relu unit of slope 1/10 (output weights free, no output bias, hidden weights and biases and output weights in [-2, 2]) classifies all 3 points of "test" correctly',
    ],
    [
      'threshold, positive, bounded hidden weights only',
      makeInstance({}, { activation: 'threshold', outputWeights: 'positive', weightBound: '1' }),
      'no network with 1 threshold unit (output weights positive, no output bias, hidden weights and biases in [-1, 1]) fits "test" with zero error on 3 points',
    ],
    [
      'l1, infeasible',
      makeInstance({ loss: { type: 'l1', bound: '1/2' } }),
      'no network with 1 relu unit (output weights signs, no output bias) fits "test" with l1 loss <= 1/2 on 3 points',
    ],
    [
      'linf strict, infeasible',
      makeInstance({ loss: { type: 'linf', bound: '1/4', strict: true } }),
      'no network with 1 relu unit (output weights signs, no output bias) fits "test" with linf loss < 1/4 on 3 points',
    ],
    [
      'l2, infeasible',
      makeInstance({ loss: { type: 'l2', bound: '1/10' } }),
      'no network with 1 relu unit (output weights signs, no output bias) fits "test" with l2 loss <= 1/10 on 3 points',
    ],
    [
      'l1, feasible (the loss reached)',
      makeInstance({ loss: { type: 'l1', bound: '3' } }),
      'the network with 1 relu unit (output weights signs, no output bias) fits "test" with l1 loss 1 <= 3 on 3 points',
    ],
    [
      'l2 strict, feasible',
      makeInstance({ loss: { type: 'l2', bound: '3', strict: true } }),
      'the network with 1 relu unit (output weights signs, no output bias) fits "test" with l2 loss 2 < 3 on 3 points',
    ],
    [
      'one point',
      makeInstance({ points: [['1']], labels: ['1'] }),
      'the network with 1 relu unit (output weights signs, no output bias) fits "test" with zero error on 1 point',
    ],
  ])('%s', (_what, instance, statement) => {
    const cert = solveToCertificate(instance);
    const o = check(cert);
    expect(o.status === 'valid' && [o.verdict, o.statement, o.instanceHash]).toEqual([cert.verdict, statement, cert.instanceHash]);
  });
  it('names the instance by the instance file, whose name is not hashed, and quotes it', () => {
    const o = check(infeasible, { ...makeInstance(), name: 'other "name"\u202e' });
    expect(o.status === 'valid' && o.statement).toBe(
      'no network with 1 relu unit (output weights signs, no output bias) fits "other \\u0022name\\u0022\\u202e" with zero error on 3 points',
    );
    const f = check(feasible, { ...makeInstance({}, { hidden: 2 }), name: 'x' });
    expect(f.status === 'valid' && f.statement).toBe(
      'the network with 2 relu units (output weights signs, no output bias) fits "x" with zero error on 3 points',
    );
  });
  it('counts no nodes or leaves for a witness, and those of the proof for an infeasible certificate', () => {
    expect(check(feasible)).toMatchObject({ status: 'valid', kind: 'training', verdict: 'feasible', nodes: 0, leaves: 0 });
    const o = check(infeasible);
    expect(o.status === 'valid' && o.nodes > 0 && o.leaves > 0 && o.leaves <= o.nodes).toBe(true);
  });
});

describe('C1: the top level, each rejection whole', () => {
  const without = (cert: Json, key: string): Json => {
    const c = clone(cert);
    delete c[key];
    return c;
  };
  it.each<[string, () => Json, unknown]>([
    ['no format', () => without(infeasible, 'format'), ['C1', 'format', 'field "format"', 'nothing (missing)']],
    ['no instanceHash', () => without(infeasible, 'instanceHash'), ['C1', 'instanceHash', 'field "instanceHash"', 'nothing (missing)']],
    [
      'an unknown field',
      () => ({ ...infeasible, comment: 1 }),
      ['C1', 'comment', 'only the fields format, verdict, instanceHash, instance, network, proof, producer', 'unknown field "comment"'],
    ],
    ['a format that is not a string', () => ({ ...infeasible, format: 1 }), ['C1', 'format', 'a string', 'the JSON number 1']],
    [
      'an unknown format',
      () => ({ ...infeasible, format: 'relucert-certificate/4' }),
      ['C1', 'format', '"relucert-certificate/1", "relucert-certificate/2" or "relucert-certificate/3"', '"relucert-certificate/4"'],
    ],
    ['a verdict that is not a string', () => ({ ...infeasible, verdict: true }), ['C1', 'verdict', 'a string', 'true']],
    ['an unknown verdict', () => ({ ...infeasible, verdict: 'unknown' }), ['C1', 'verdict', '"feasible" or "infeasible"', '"unknown"']],
    ['infeasible without a proof', () => without(infeasible, 'proof'), ['C1', 'proof', 'field "proof" (verdict infeasible)', 'nothing (missing)']],
    ['feasible without a network', () => without(feasible, 'network'), ['C1', 'network', 'field "network" (verdict feasible)', 'nothing (missing)']],
    [
      'infeasible with a network',
      () => ({ ...infeasible, network: feasible.network }),
      ['C1', 'network', 'no field "network" (verdict infeasible)', 'a field "network"'],
    ],
    ['feasible with a proof', () => ({ ...feasible, proof: infeasible.proof }), ['C1', 'proof', 'no field "proof" (verdict feasible)', 'a field "proof"']],
    ['a proof called feasible', () => ({ ...infeasible, verdict: 'feasible' }), ['C1', 'network', 'field "network" (verdict feasible)', 'nothing (missing)']],
  ])('%s', (_what, cert, want) => {
    expect(rejection(check(cert()))).toEqual(want);
  });
  it('reads format /2 and /3 as well as /1 (lemmas allowed from /2, maps and image leaves in /3)', () => {
    expect(check({ ...infeasible, format: 'relucert-certificate/2' }).status).toBe('valid');
    expect(check({ ...feasible, format: 'relucert-certificate/2' }).status).toBe('valid');
    expect(check({ ...infeasible, format: 'relucert-certificate/3' }).status).toBe('valid');
    expect(check({ ...feasible, format: 'relucert-certificate/3' }).status).toBe('valid');
  });
});

describe('C2 and C3, each rejection whole', () => {
  it('C2: the embedded instance, at its path', () => {
    const c = clone(infeasible);
    c.instance.name = '';
    expect(rejection(check(c))).toEqual(['C2', 'instance.name', 'a non-empty name', '""']);
  });
  it('C3: a hash that is not a string', () => {
    expect(rejection(check({ ...infeasible, instanceHash: 7 }))).toEqual(['C3', 'instanceHash', 'a string', 'the JSON number 7']);
  });
  it('C3: a hash that is not that of the embedded instance', () => {
    const claimed = 'sha256:' + '0'.repeat(64);
    expect(rejection(check({ ...infeasible, instanceHash: claimed }))).toEqual([
      'C3',
      'instanceHash',
      `${infeasible.instanceHash} (the hash of the canonical form of "instance")`,
      claimed,
    ]);
  });
  it('C3: a certificate about another instance than the instance file', () => {
    const other = makeInstance({ labels: ['1', '0', '2'] });
    const hash = solveToCertificate(other).instanceHash;
    expect(rejection(check(infeasible, other))).toEqual(['C3', 'instanceHash', `${hash} (the hash of inst.json)`, infeasible.instanceHash]);
    const named = checkCertificate(JSON.stringify(infeasible), 'cert.json', { instance: { text: JSON.stringify(other), file: 'other.json' } });
    expect(rejection(named)).toEqual(['C3', 'instanceHash', `${hash} (the hash of other.json)`, infeasible.instanceHash]);
  });
  it('checks the witness (W1) and the proof (P1) after C3, at their paths', () => {
    expect((rejection(check({ ...feasible, network: 1 })) as string[]).slice(0, 2)).toEqual(['W1', 'network']);
    expect((rejection(check({ ...infeasible, proof: 1 })) as string[]).slice(0, 2)).toEqual(['P1', 'proof']);
  });
});

describe('bad input and repeated keys', () => {
  it('a certificate that is not JSON, or not an object', () => {
    expect(checkText('')).toEqual({
      status: 'bad-input',
      file: 'cert.json',
      field: '',
      message: 'not valid JSON: expected a value, found end of input at line 1 column 1',
    });
    expect(checkText('{\n "a" 1}')).toEqual({
      status: 'bad-input',
      file: 'cert.json',
      field: '',
      message: `not valid JSON: expected ':' after a key, found "1" at line 2 column 6`,
    });
    expect(checkText('[]')).toEqual({
      status: 'bad-input',
      file: 'cert.json',
      field: '',
      message: 'not a certificate: the top level is an array of 0, expected an object',
    });
    expect(checkText('"x"')).toEqual({
      status: 'bad-input',
      file: 'cert.json',
      field: '',
      message: 'not a certificate: the top level is "x", expected an object',
    });
  });
  it('a certificate over the size limit (10 MiB of UTF-8 by default, section 6), before reading it', () => {
    expect(DEFAULT_LIMITS.maxBytes).toBe(10 * 1024 * 1024);
    const defaults = (text: string): CheckOutcome => checkCertificate(text, 'cert.json', { limits: {} });
    // 3,495,254 characters of three bytes each: 10,485,762 bytes > 10 MiB (but fewer UTF-16 units)
    const text = '\u20ac'.repeat(3_495_254);
    expect(defaults(text)).toEqual({ status: 'bad-input', file: 'cert.json', field: '', message: 'larger than 10485760 bytes (the size limit, section 6)' });
    // exactly 10 MiB is read (and is not JSON)
    const limit = '\u20ac'.repeat(3_495_253) + ' ';
    expect(defaults(limit)).toEqual({
      status: 'bad-input',
      file: 'cert.json',
      field: '',
      message: 'not valid JSON: expected a value, found "\\u20ac" at line 1 column 1',
    });
    // a limit the caller raises (relucert check --max-bytes), or lowers; the instance file has the same limit
    expect(checkCertificate(text, 'cert.json', { limits: { maxBytes: 11 * 1024 * 1024 } })).toMatchObject({
      status: 'bad-input',
      message: expect.stringMatching(/^not valid JSON/),
    });
    expect(checkCertificate('{}  ', 'cert.json', { limits: { maxBytes: 3 } })).toMatchObject({
      status: 'bad-input',
      message: 'larger than 3 bytes (the size limit, section 6)',
    });
    expect(checkCertificate('{}', 'cert.json', { instance: { text: '{}  ', file: 'inst.json' }, limits: { maxBytes: 3 } })).toEqual({
      status: 'bad-input',
      file: 'inst.json',
      field: '',
      message: 'larger than 3 bytes (the size limit, section 6)',
    });
    // without limits (a command's self-check), they go by the size: a text over 10 MiB is read, with twice the work
    expect(checkCertificate(text, 'cert.json')).toMatchObject({ status: 'bad-input', message: expect.stringMatching(/^not valid JSON/) });
  });
  it.each<[string, string, string, string]>([
    ['{"proof": {"multipliers": {"k": 1, "k": 2}}}', 'F1', 'proof.multipliers.k', '"k" again at line 1 column 39'],
    ['{"a": {"b": {"multipliers": {"z:1": 1,\n"z:1": 2}}}}', 'F1', 'a.b.multipliers["z:1"]', '"z:1" again at line 2 column 6'],
    ['{"multipliers": {"k": 1, "k": 2}}', 'C1', 'multipliers.k', '"k" again at line 1 column 29'],
    ['{"a": {"multipliersX": {"k": 1, "k": 2}}}', 'C1', 'a.multipliersX.k', '"k" again at line 1 column 36'],
    ['{"a": {"multipliers": {"b": {"k": 1, "k": 2}}}}', 'C1', 'a.multipliers.b.k', '"k" again at line 1 column 41'],
    ['{"a": {"xmultipliers": {"k": 1, "k": 2}}}', 'C1', 'a.xmultipliers.k', '"k" again at line 1 column 36'],
    ['{"verdict": 1, "verdict": 2}', 'C1', 'verdict', '"verdict" again at line 1 column 25'],
  ])('a repeated key: %s', (text, rule, path, got) => {
    expect(rejection(checkText(text))).toEqual([rule, path, 'each key once in an object', got]);
  });
  it('an instance file that is not JSON, repeats a key or is not an instance', () => {
    const cert = JSON.stringify(infeasible);
    const withFile = (text: string, file = 'inst.json'): CheckOutcome => checkCertificate(cert, 'cert.json', { instance: { text, file } });
    expect(withFile('{')).toEqual({
      status: 'bad-input',
      file: 'inst.json',
      field: '',
      message: 'not valid JSON: expected a string, found end of input at line 1 column 2',
    });
    expect(withFile('{"name": "a", "name": "b"}')).toEqual({
      status: 'bad-input',
      file: 'inst.json',
      field: 'name',
      message: '"name" again at line 1 column 21: each key once in an object',
    });
    expect(withFile(JSON.stringify({ ...makeInstance(), name: 3 }))).toEqual({
      status: 'bad-input',
      file: 'inst.json',
      field: 'name',
      message: 'expected a string, got the JSON number 3',
    });
    expect(withFile('[]', 'other.json')).toEqual({
      status: 'bad-input',
      file: 'other.json',
      field: '',
      message: 'expected an object, got an array of 0',
    });
    // the instance file is read before the certificate's top level is looked at (but after its syntax)
    expect(checkCertificate('[]', 'cert.json', { instance: { text: '[]', file: 'inst.json' } })).toMatchObject({ status: 'bad-input', file: 'inst.json' });
    expect(checkCertificate('', 'cert.json', { instance: { text: '[]', file: 'inst.json' } })).toMatchObject({ status: 'bad-input', file: 'cert.json' });
  });
  it('a repeated key after which the text is not JSON: bad input, the syntax first', () => {
    expect(checkText('{"verdict": 1, "verdict": 2')).toMatchObject({ status: 'bad-input', message: expect.stringMatching(/^not valid JSON: expected/) });
  });
});

describe('C4: the work limit', () => {
  it('rejects a check that needs more work than its limit, whole, with the work spent', () => {
    const o = checkCertificate(JSON.stringify(infeasible), 'cert.json', { limits: { work: 3 } });
    expect(rejection(o)).toEqual(['C4', '', 'a check within 3 units of work (section 6)', 'numbers, rows or nodes that need more']);
    expect(o.status === 'rejected' && o.work).toBeGreaterThan(3);
    const v = checkCertificate(JSON.stringify(infeasible), 'cert.json');
    expect(v.status).toBe('valid');
    expect(v.status === 'valid' && v.work).toBeGreaterThan(3);
    expect(checkCertificate(JSON.stringify(infeasible), 'cert.json', { limits: { work: v.status === 'valid' ? v.work : 0 } }).status).toBe('valid');
    expect(checkCertificate(JSON.stringify(infeasible), 'cert.json', { limits: { work: v.status === 'valid' ? v.work - 1 : 0 } }).status).toBe('rejected');
  });
  it('the same rule for every kind', () => {
    const o = checkCertificate(readFileSync('examples/learn/teacher.gram.json', 'utf8'), 'g.json', { kind: 'any', limits: { work: 1000 } });
    expect(rejection(o)).toEqual(['C4', '', 'a check within 1000 units of work (section 6)', 'numbers, rows or nodes that need more']);
    const r = checkCertificate(readFileSync('examples/stochastic/moons-region.cert.json', 'utf8'), 'r.json', { kind: 'region', limits: { work: 1000 } });
    expect(rejection(r)).toEqual(['C4', '', 'a check within 1000 units of work (section 6)', 'numbers, rows or nodes that need more']);
  });
});

describe('one entry for every kind', () => {
  it('kind "any" takes the kind from the format; a format of no kind is read as a training certificate (C1 names the formats)', () => {
    const gram = checkCertificate(readFileSync('examples/learn/teacher.gram.json', 'utf8'), 'g.json', { kind: 'any' });
    expect(gram).toMatchObject({ status: 'valid', kind: 'gram', pivots: 28 });
    const region = checkCertificate(readFileSync('examples/stochastic/moons-region.cert.json', 'utf8'), 'r.json', { kind: 'any' });
    expect(region).toMatchObject({ status: 'valid', kind: 'region', leaves: 64 });
    expect(checkCertificate(JSON.stringify(infeasible), 'c.json', { kind: 'any' })).toMatchObject({ status: 'valid', kind: 'training' });
    expect(rejection(checkCertificate('{"format": "relucert-gram-certificate/2"}', 'c.json', { kind: 'any' }))).toEqual([
      'C1',
      'verdict',
      'field "verdict"',
      'nothing (missing)',
    ]);
  });
  it('kind "any" on a top level that is no object, or a format that is missing or no string: read as training, whose rules answer', () => {
    expect(checkCertificate('[1]', 'c.json', { kind: 'any' })).toMatchObject({
      status: 'bad-input',
      file: 'c.json',
      field: '',
      message: expect.stringMatching(/^not a certificate: the top level is an array/) as string,
    });
    for (const text of ['{}', '{"format": 3}', '{"format": null}'])
      expect(checkCertificate(text, 'c.json', { kind: 'any' }), text).toMatchObject({ status: 'rejected', rule: 'C1' });
  });
  it('a file of the wrong kind binds nothing: a network file for a training certificate, an instance file for a region certificate', () => {
    const network = readFileSync('examples/stochastic/moons.network.json', 'utf8');
    expect(checkCertificate(JSON.stringify(infeasible), 'c.json', { network: { text: network, file: 'net.json' } })).toEqual({
      status: 'bad-input',
      file: 'net.json',
      field: '',
      message: 'a network file does not bind this certificate (training and Gram certificates take --instance, region certificates --network)',
    });
    const region = readFileSync('examples/stochastic/moons-region.cert.json', 'utf8');
    expect(checkCertificate(region, 'r.json', { kind: 'region', instance: { text: JSON.stringify(makeInstance()), file: 'inst.json' } })).toMatchObject({
      status: 'bad-input',
      file: 'inst.json',
      message: expect.stringMatching(/^an instance file does not bind/) as string,
    });
  });
  it('a kind asked for is the kind checked: a Gram certificate is no training certificate', () => {
    const o = checkCertificate(readFileSync('examples/learn/teacher.gram.json', 'utf8'), 'g.json');
    expect(rejection(o)).toEqual(['C1', 'verdict', 'field "verdict"', 'nothing (missing)']);
  });
});
