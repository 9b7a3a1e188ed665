/**
 * Every rejection path of the Gram certificate checker (src/check/gram.ts:
 * G1-G10, the limits of section 4 and bad input), one `it` per branch, on
 * small hand-made certificates checked in-process (checkCertificate, so
 * the source runs, not dist/). Each test asserts the whole outcome: rule,
 * field path, expected and got of a rejection, file, field and message of
 * bad input, the whole statement of a valid certificate. The values are small
 * enough to compute by hand; the comments give them (docs/gram-certificates.md
 * section 2: M = L K, scale prev L). docs/mutation.md: these tests kill the
 * mutants of gram.ts that tests/check/gram.test.ts (rule and path only) left.
 */
import { describe, expect, it } from 'vitest';
import { type CheckOutcome, type GramValid, checkCertificate } from '../../src/check/index.js';
import { toInstance } from '../../src/format/schema.js';
import { instanceHash } from '../../src/format/write.js';
import { type ExpectedRejection, type Json, clone, expectRejection, makeInstance, checkGramText } from './helpers.js';

const zeros = (k: number): string => '0'.repeat(k);
const FORMAT = 'relucert-gram-certificate/1';
const hashOf = (instance: Json): string => instanceHash(toInstance(instance, 't'));
const instanceOf = (points: Json[][]): Json => makeInstance({ points, labels: points.map(() => '0') });

interface Options {
  degree?: Json;
  offset?: Json;
  pivots?: Json;
  bounds?: Json;
  decay?: Json;
}

/** A certificate for the points (one array per point); bounds default to tail and next "1" for each r. */
function cert(points: Json[][], o: Options = {}): Json {
  const instance = instanceOf(points);
  const pivots = o.pivots ?? [];
  return {
    format: FORMAT,
    instanceHash: hashOf(instance),
    instance,
    kernel: { type: 'polynomial', degree: o.degree ?? 1, offset: o.offset ?? '0' },
    pivots,
    bounds: o.bounds ?? Array.from({ length: pivots.length + 1 }, (_, r) => ({ r, tail: '1', next: '1' })),
    ...(o.decay === undefined ? {} : { decay: o.decay }),
  };
}

const check = (c: Json, instanceText?: string, instanceFile?: string): CheckOutcome<GramValid> =>
  checkGramText(JSON.stringify(c), 'cert.json', instanceText, instanceFile);

const rejects = (c: Json, want: ExpectedRejection): void => expectRejection(check(c), want);

/**
 * Points 1 and 2 with (1 + x.y)^2: K = [[4, 9], [9, 25]], tr K = 29, ||K||_F^2 = 803;
 * after pivot 0 (pivot 4): E_1 = 25 - 81/4 = 19/4 (W = 4 * 25 - 81 = 19, scale 4).
 */
const small = (o: Options = {}): Json =>
  cert([['1'], ['2']], {
    degree: 2,
    offset: '1',
    pivots: [0],
    bounds: [
      { r: 0, tail: '29', next: '29' },
      { r: 1, tail: '19/4', next: '19/4' },
    ],
    ...o,
  });

/** Three points 1 with x.y: K = all ones, tr K = 3, ||K||_F = 3; beta_1 = 3, beta_2 = 3/2, beta_3 = 1 (Lemma E). */
const ones = (decay: Json): Json => cert([['1'], ['1'], ['1']], { bounds: [{ r: 0, tail: '3', next: '3' }], decay });

const G4_KERNEL = 'a Gram matrix whose integer form M has entries of at most 400 digits (section 4)';
const G5_WORK = 'n^2 R^2 digits / 2 at most 10000000000 (section 4)';
const G10_P = 'p = a/b >= 0 in lowest terms with a <= 1000, b <= 64';

describe('accepted: the whole statement', () => {
  it('a kernel with an offset, R = 1, no decay law', () => {
    const c = small();
    const o = check(c);
    expect(o).toEqual({
      status: 'valid',
      statement:
        `the Gram matrix K of (1 + x.y)^2 on the 2 points of "test" (${c.instanceHash}) has, for r = 0..1, ` +
        'sum_{i>r} lambda_i(K) <= bounds[r].tail and lambda_{r+1}(K) <= bounds[r].next; at r = 1: ' +
        'sum_{i>1} lambda_i(K) <= 19/4, lambda_2(K) <= 19/4',
      instanceHash: c.instanceHash,
      pivots: 1,
      kind: 'gram',
      work: expect.any(Number) as number,
    });
  });
  it('offset 0 and a decay law met with equality at every i (c = beta_i i = 3 for p = 1)', () => {
    const c = ones({ c: '3', p: '1' });
    expect(check(c)).toEqual({
      status: 'valid',
      statement:
        `the Gram matrix K of (x.y)^1 on the 3 points of "test" (${c.instanceHash}) has, for r = 0..0, ` +
        'sum_{i>r} lambda_i(K) <= bounds[r].tail and lambda_{r+1}(K) <= bounds[r].next; at r = 0: ' +
        'sum_{i>0} lambda_i(K) <= 3, lambda_1(K) <= 3; and lambda_i(K) <= 3 i^(-1) for every i = 1..3',
      instanceHash: c.instanceHash,
      pivots: 0,
      kind: 'gram',
      work: expect.any(Number) as number,
    });
  });
  it('decay laws at the limits: p = 0, p = 1000, p = 1/64, c of 1000 digits, c with a denominator of 1000 digits', () => {
    const valid = (decay: Json): void => expect(check(ones(decay)).status).toBe('valid');
    valid({ c: '3', p: '0' });
    valid({ c: '1' + zeros(600), p: '1000' }); // 3^1000 < 10^478
    valid({ c: '3', p: '1/64' });
    valid({ c: '1' + zeros(999), p: '1' });
    valid({ c: `${'3' + zeros(998)}1/1${zeros(999)}`, p: '0' }); // just above 3, 1000 digits over 1000
  });
  it('a Gram matrix of 400-digit entries with Q = 1 (b = 10^399 is below the root limit 10^400)', () => {
    // offset 10^399, points 0: M = all 10^399, tr K = 2 10^399: only G8 stops it
    rejects(cert([['0'], ['0']], { offset: '1' + zeros(399) }), {
      rule: 'G8',
      path: 'bounds[0].tail',
      expected: 'at least tr(E_0) = about 2.00000e399 (E_0 the Schur complement after 0 pivots)',
      got: '1',
    });
  });
});

describe('bad input and the instance file', () => {
  const good = small();
  const text = JSON.stringify(good);
  it('over the size limit (10 MiB of UTF-8, two bytes a character), and exactly 10 MiB read: the limit of every kind', () => {
    const defaults = (text: string): CheckOutcome<GramValid> => checkCertificate(text, 'cert.json', { kind: 'gram', limits: {} });
    expect(defaults('\u00e9'.repeat(5 * 2 ** 20) + ' ')).toEqual({
      status: 'bad-input',
      file: 'cert.json',
      field: '',
      message: 'larger than 10485760 bytes (the size limit, section 6)',
    });
    expect(defaults('\u00e9'.repeat(5 * 2 ** 20))).toEqual({
      status: 'bad-input',
      file: 'cert.json',
      field: '',
      message: 'not valid JSON: expected a value, found "\\u00e9" at line 1 column 1',
    });
  });
  it('a certificate that is not JSON', () => {
    expect(checkGramText('{\n "a" 1}', 'cert.json')).toEqual({
      status: 'bad-input',
      file: 'cert.json',
      field: '',
      message: `not valid JSON: expected ':' after a key, found "1" at line 2 column 6`,
    });
  });
  it('a top level that is not an object', () => {
    expect(checkGramText('[1, 2]', 'cert.json')).toEqual({
      status: 'bad-input',
      file: 'cert.json',
      field: '',
      message: 'not a certificate: the top level is an array of 2, expected an object',
    });
  });
  it('a repeated key in the certificate is G1', () => {
    expectRejection(checkGramText(text.replace('"kernel":{', '"kernel":{"degree":3,'), 'cert.json'), {
      rule: 'G1',
      path: 'kernel.degree',
      expected: 'each key once in an object',
      got: `"degree" again at line 1 column ${text.indexOf('"kernel":{') + 50}`,
    });
  });
  it('an instance file that is not JSON, named or not', () => {
    expect(check(good, '{', 'inst.json')).toEqual({
      status: 'bad-input',
      file: 'inst.json',
      field: '',
      message: 'not valid JSON: expected a string, found end of input at line 1 column 2',
    });
    expect(check(good, '{')).toEqual({
      status: 'bad-input',
      file: 'instance file',
      field: '',
      message: 'not valid JSON: expected a string, found end of input at line 1 column 2',
    });
  });
  it('an instance file with a repeated key is bad input, not G1', () => {
    expect(check(good, '{"format": 1, "format": 2}', 'inst.json')).toEqual({
      status: 'bad-input',
      file: 'inst.json',
      field: 'format',
      message: '"format" again at line 1 column 23: each key once in an object',
    });
  });
  it('an instance file that is not a valid instance', () => {
    const inst = clone(good.instance);
    inst.labels = ['0'];
    expect(check(good, JSON.stringify(inst), 'inst.json')).toEqual({
      status: 'bad-input',
      file: 'inst.json',
      field: 'labels',
      message: 'expected 2 labels (one per point), got 1',
    });
  });
  it("an instance file whose hash is not the certificate's (G3), named or not", () => {
    const other = instanceOf([['1'], ['3']]);
    expectRejection(check(good, JSON.stringify(other), 'inst.json'), {
      rule: 'G3',
      path: 'instanceHash',
      expected: `${hashOf(other)} (the hash of inst.json)`,
      got: good.instanceHash,
    });
    expectRejection(check(good, JSON.stringify(other)), {
      rule: 'G3',
      path: 'instanceHash',
      expected: `${hashOf(other)} (the hash of instance file)`,
      got: good.instanceHash,
    });
    expect(check(good, JSON.stringify(good.instance)).status).toBe('valid');
  });
});

describe('G1-G3', () => {
  it('G1: a format that is not a string, or another one', () => {
    rejects({ ...small(), format: 1 }, { rule: 'G1', path: 'format', expected: 'a string', got: 'the JSON number 1' });
    rejects(
      { ...small(), format: 'relucert-gram-certificate/2' },
      { rule: 'G1', path: 'format', expected: `"${FORMAT}"`, got: '"relucert-gram-certificate/2"' },
    );
  });
  it('G2: an invalid instance, and more than 1000 points', () => {
    const c = small();
    c.instance.labels = ['0'];
    rejects(c, { rule: 'G2', path: 'instance.labels', expected: '2 labels (one per point)', got: '1' });
    rejects(cert(Array.from({ length: 1001 }, (_, i) => [String(i)])), { rule: 'G2', path: 'instance.points', expected: 'at most 1000 points', got: '1001' });
  });
  it('G2: an instance that is missing or no object, points that are no array, a point that is no array: the instance rules answer (the digit pre-check reads only what is there)', () => {
    const withInstance = (instance: Json): Json => {
      const c = small();
      if (instance === undefined) delete c.instance;
      else c.instance = instance;
      return c;
    };
    for (const [instance, rule, path] of [
      [undefined, 'G1', 'instance'], // a missing field is G1's, before any field is read
      [3, 'G2', 'instance'],
      [{ ...instanceOf([['1'], ['2']]), points: undefined }, 'G2', 'instance.points'],
      [{ ...instanceOf([['1'], ['2']]), points: 3 }, 'G2', 'instance.points'],
      [{ ...instanceOf([['1'], ['2']]), points: [3, ['2']] }, 'G2', 'instance.points[0]'],
    ] as [Json, string, string][])
      expect(check(withInstance(instance)), JSON.stringify(instance)).toMatchObject({ status: 'rejected', rule, path });
  });
  it("G3: a hash that is not a string, or not the instance's", () => {
    rejects({ ...small(), instanceHash: 5 }, { rule: 'G3', path: 'instanceHash', expected: 'a string', got: 'the JSON number 5' });
    const c = small();
    rejects(
      { ...c, instanceHash: 'sha256:' + zeros(64) },
      {
        rule: 'G3',
        path: 'instanceHash',
        expected: `${c.instanceHash} (the hash of the canonical form of "instance")`,
        got: 'sha256:' + zeros(64),
      },
    );
  });
});

describe('G4: the kernel', () => {
  const withKernel = (kernel: Json): Json => ({ ...small(), kernel });
  it('not an object, a type that is not a string, another type', () => {
    rejects(withKernel(1), { rule: 'G4', path: 'kernel', expected: 'an object', got: 'the JSON number 1' });
    rejects(withKernel({ type: 1, degree: 2, offset: '1' }), { rule: 'G4', path: 'kernel.type', expected: 'a string', got: 'the JSON number 1' });
    rejects(withKernel({ type: 'rbf', degree: 2, offset: '1' }), { rule: 'G4', path: 'kernel.type', expected: '"polynomial"', got: '"rbf"' });
  });
  it('degree 13, degree 0', () => {
    rejects(withKernel({ type: 'polynomial', degree: 13, offset: '1' }), {
      rule: 'G4',
      path: 'kernel.degree',
      expected: 'the degree Q: an integer from 1 to 12',
      got: 'the JSON number 13',
    });
    rejects(withKernel({ type: 'polynomial', degree: 0, offset: '1' }), {
      rule: 'G4',
      path: 'kernel.degree',
      expected: 'the degree Q: an integer from 1 to 12',
      got: 'the JSON number 0',
    });
  });
  it('a negative offset', () => {
    rejects(withKernel({ type: 'polynomial', degree: 2, offset: '-1/2' }), {
      rule: 'G4',
      path: 'kernel.offset',
      expected: 'an offset C >= 0 (then the kernel is positive semidefinite)',
      got: '-1/2',
    });
  });
  it('an offset whose numerator or denominator has 401 digits (10^400), each alone', () => {
    const got = 'an offset C with more digits';
    rejects(cert([['1']], { offset: '1' + zeros(400) }), { rule: 'G4', path: 'kernel', expected: G4_KERNEL, got });
    rejects(cert([['1']], { offset: '1/1' + zeros(400) }), { rule: 'G4', path: 'kernel', expected: G4_KERNEL, got });
    // 400 nines pass this test, and the diagonal entry is then too large
    rejects(cert([['1']], { offset: '9'.repeat(400) }), { rule: 'G4', path: 'kernel', expected: G4_KERNEL, got: 'a diagonal entry with more digits' });
  });
  it('a common denominator of 10^400; two points over 10^200 share it (D = 10^200, not 10^600)', () => {
    rejects(cert([['1/1' + zeros(400)]]), { rule: 'G4', path: 'kernel', expected: G4_KERNEL, got: 'a common denominator of the coordinates with more digits' });
    // D = 10^200, C = 1: c D^2 = 10^400 on the diagonal
    rejects(cert([['1/1' + zeros(200)], ['1/1' + zeros(200)]], { offset: '1' }), {
      rule: 'G4',
      path: 'kernel',
      expected: G4_KERNEL,
      got: 'a diagonal entry with more digits',
    });
  });
  it('a coordinate times D of 10^400, positive or negative, in any point and any coordinate', () => {
    const got = 'a coordinate times the common denominator with more digits';
    rejects(cert([['1' + zeros(400)]]), { rule: 'G4', path: 'kernel', expected: G4_KERNEL, got });
    rejects(cert([['-1' + zeros(400)]]), { rule: 'G4', path: 'kernel', expected: G4_KERNEL, got });
    rejects(
      cert([
        ['0', '1'],
        ['0', '1' + zeros(400)],
      ]),
      { rule: 'G4', path: 'kernel', expected: G4_KERNEL, got },
    );
  });
  it('a diagonal entry over 400 digits: b^Q with b at the root limit, or b below it and b^Q over', () => {
    const got = 'a diagonal entry with more digits';
    // Q = 1: the root limit is 10^400, b = 10^400 - 1 + 1 (offset 10^400 - 1, one point 1): the test above
    // Q = 3: the root limit is 10^134; b = 5 10^133 is below it, b^3 = 1.25 10^401 is not
    rejects(cert([['0']], { degree: 3, offset: '5' + zeros(133) }), { rule: 'G4', path: 'kernel', expected: G4_KERNEL, got });
    // b = 10^133: b^3 = 10^399, read
    rejects(cert([['0']], { degree: 3, offset: '1' + zeros(133) }), {
      rule: 'G8',
      path: 'bounds[0].tail',
      expected: 'at least tr(E_0) = about 1.00000e399 (E_0 the Schur complement after 0 pivots)',
      got: '1',
    });
  });
});

describe('G5: the pivots', () => {
  it('not an array', () => {
    rejects({ ...small(), pivots: {} }, { rule: 'G5', path: 'pivots', expected: 'an array', got: 'an object' });
  });
  it('n pivots for n = 2 (at most n - 1)', () => {
    rejects(small({ pivots: [0, 1], bounds: [] }), { rule: 'G5', path: 'pivots', expected: 'at most 1 pivots (n - 1 and 200)', got: '2' });
  });
  it('200 pivots for n = 200 (at most 199), 201 for n = 202 (at most 200)', () => {
    const line = (n: number): string[][] => Array.from({ length: n }, (_, i) => [String(i)]);
    const upTo = (R: number): number[] => Array.from({ length: R }, (_, i) => i);
    rejects(cert(line(200), { pivots: upTo(200), bounds: [] }), { rule: 'G5', path: 'pivots', expected: 'at most 199 pivots (n - 1 and 200)', got: '200' });
    rejects(cert(line(202), { pivots: upTo(201), bounds: [] }), { rule: 'G5', path: 'pivots', expected: 'at most 200 pivots (n - 1 and 200)', got: '201' });
  });
  it('an index out of range, a repeated index', () => {
    rejects(small({ pivots: [2] }), { rule: 'G5', path: 'pivots[0]', expected: 'a point index: an integer from 0 to 1', got: 'the JSON number 2' });
    const c = cert([['1'], ['2'], ['3']], { pivots: [1, 1] });
    rejects(c, { rule: 'G5', path: 'pivots[1]', expected: 'a point not already a pivot', got: 'point 1 again' });
  });
  describe('the work n^2 R^2 digits / 2, with n = 1000 and R = 100 (digits: of the largest diagonal entry of M)', () => {
    // x.y on 1000 points in one dimension: M_ii = x_i^2; the bounds are left out, so a certificate that passes G5 stops at G6
    const work = (first: string): Json =>
      cert(
        Array.from({ length: 1000 }, (_, i) => [i === 0 ? first : '1']),
        { pivots: Array.from({ length: 100 }, (_, i) => i), bounds: [] },
      );
    const g6 = { rule: 'G6', path: 'bounds', expected: '101 entries (r = 0..100, one per number of pivots)', got: '0' };
    it('digits 1: 5 10^9 passes', () => rejects(work('1'), g6));
    it('digits 2 (16 first): exactly 10^10 passes', () => rejects(work('4'), g6));
    it('digits 3 (400 first, then 1s): 1.5 10^10 is over', () => {
      rejects(work('20'), { rule: 'G5', path: 'pivots', expected: G5_WORK, got: '15000000000' });
    });
  });
});

describe('G6: the bounds, shape', () => {
  it('not an array, one entry too few', () => {
    rejects(small({ bounds: 'none' }), { rule: 'G6', path: 'bounds', expected: 'an array', got: '"none"' });
    rejects(small({ bounds: [{ r: 0, tail: '29', next: '29' }] }), {
      rule: 'G6',
      path: 'bounds',
      expected: '2 entries (r = 0..1, one per number of pivots)',
      got: '1',
    });
  });
  it('r not an index, or out of order', () => {
    const c = small();
    c.bounds[1].r = '1';
    rejects(c, { rule: 'G6', path: 'bounds[1].r', expected: 'the number of pivots r: an integer from 0 to 1', got: '"1"' });
    c.bounds[1].r = 0;
    rejects(c, { rule: 'G6', path: 'bounds[1].r', expected: '1 (entries in order of r)', got: '0' });
  });
  it('a tail or a next that is not a number', () => {
    const number = 'an exact number (a JSON integer, or a string "-3", "7/2", "0.125" or "1e-3")';
    const c = small();
    c.bounds[1].tail = true;
    rejects(c, { rule: 'G6', path: 'bounds[1].tail', expected: number, got: 'true' });
    const d = small();
    d.bounds[1].next = null;
    rejects(d, { rule: 'G6', path: 'bounds[1].next', expected: number, got: 'null' });
  });
});

describe('G7-G9: the elimination', () => {
  it('G8: a tail below tr(E_1) = 19/4', () => {
    const c = small();
    c.bounds[1].tail = '4';
    rejects(c, { rule: 'G8', path: 'bounds[1].tail', expected: 'at least tr(E_1) = 19/4 (E_1 the Schur complement after 1 pivots)', got: '4' });
  });
  it('G8: a negative tail where tr(E_0) = 0', () => {
    rejects(cert([['0']], { bounds: [{ r: 0, tail: '-1', next: '0' }] }), {
      rule: 'G8',
      path: 'bounds[0].tail',
      expected: 'at least tr(E_0) = 0 (E_0 the Schur complement after 0 pivots)',
      got: '-1',
    });
  });
  it('G8: a negative tail where tr(E_1) = 0 over a scale of 61 digits (L = 10^60)', () => {
    // points 10^-30 and 2 10^-30 with x.y: D = 10^30, M = [[1, 2], [2, 4]], L = 10^60; E_1 = 0
    const c = cert([['1/1' + zeros(30)], ['2/1' + zeros(30)]], {
      pivots: [0],
      bounds: [
        { r: 0, tail: '1', next: '1' },
        { r: 1, tail: '-1', next: '0' },
      ],
    });
    rejects(c, { rule: 'G8', path: 'bounds[1].tail', expected: 'at least tr(E_1) = 0 (E_1 the Schur complement after 1 pivots)', got: '-1' });
  });
  it('G9: a next whose square is below ||E_1||_F^2 = 361/16, and a negative one', () => {
    const c = small();
    c.bounds[1].next = '4';
    rejects(c, { rule: 'G9', path: 'bounds[1].next', expected: 'a number >= 0 whose square is at least ||E_1||_F^2 = 361/16', got: '4' });
    rejects(cert([['0']], { bounds: [{ r: 0, tail: '0', next: '-1' }] }), {
      rule: 'G9',
      path: 'bounds[0].next',
      expected: 'a number >= 0 whose square is at least ||E_0||_F^2 = 0',
      got: '-1',
    });
  });
  it('G7: a second pivot with det = 0 (points 1, 2, 3 with x.y have rank 1)', () => {
    const c = cert([['1'], ['2'], ['3']], {
      pivots: [0, 1],
      bounds: [
        { r: 0, tail: '14', next: '14' },
        { r: 1, tail: '0', next: '0' },
        { r: 2, tail: '0', next: '0' },
      ],
    });
    rejects(c, {
      rule: 'G7',
      path: 'pivots[1]',
      expected: 'a pivot with det M[S,S] > 0 for its first 2 pivots (K on them positive definite)',
      got: 'det = 0 at point 1',
    });
  });
  it('later pivots: the Schur complement of three points after two pivots', () => {
    // points 0, 1, 2 with (1 + x.y): K = [[1, 1, 1], [1, 2, 3], [1, 3, 5]]; pivots 2, 0:
    // E_1 on (0, 1) = [[1 - 1/5, 1 - 3/5], [., 2 - 9/5]] = [[4/5, 2/5], [2/5, 1/5]], rank 1, so E_2 = 0
    const c = cert([['0'], ['1'], ['2']], {
      offset: '1',
      pivots: [2, 0],
      bounds: [
        { r: 0, tail: '8', next: '8' },
        { r: 1, tail: '1', next: '1' },
        { r: 2, tail: '0', next: '0' },
      ],
    });
    expect(check(c).status).toBe('valid');
    c.bounds[1].tail = '0.99';
    rejects(c, { rule: 'G8', path: 'bounds[1].tail', expected: 'at least tr(E_1) = 1 (E_1 the Schur complement after 1 pivots)', got: '99/100' });
  });
});

describe('the numbers in messages (valueText)', () => {
  const tail = (x: string, offset = '0'): string => {
    const o = check(cert([[x]], { offset, bounds: [{ r: 0, tail: '-1', next: '1' }] }));
    if (o.status !== 'rejected') expect.fail(JSON.stringify(o));
    return o.expected.replace(/^at least tr\(E_0\) = /, '').replace(/ \(E_0 the Schur complement after 0 pivots\)$/, '');
  };
  it('exact up to 60 digits in numerator and denominator together', () => {
    expect(tail('1' + zeros(29))).toBe('1' + zeros(58)); // 59 + 1 digits
    expect(tail('3')).toBe('9');
    expect(tail('1/2')).toBe('1/4');
  });
  it('6 significant digits from 61 on, rounded down', () => {
    expect(tail('1' + zeros(30))).toBe('about 1.00000e60');
    expect(tail('4' + zeros(29))).toBe('about 1.60000e59');
    expect(tail('123456789' + zeros(30))).toBe('about 1.52415e76');
    // a small value: 1 / 10^60
    expect(tail('1/1' + zeros(30))).toBe('about 1.00000e-60');
    expect(tail('7/3' + zeros(30))).toBe('about 5.44444e-60');
    // (1 + 3 (6 10^29)^2) / 3 = 3.6 10^59 + 1/3: the first estimate of the exponent (60) is one too high
    expect(tail('6' + zeros(29), '1/3')).toBe('about 3.60000e59');
  });
});

describe('G10: the decay law', () => {
  it('c or p not a number, c <= 0, p out of range', () => {
    const number = 'an exact number (a JSON integer, or a string "-3", "7/2", "0.125" or "1e-3")';
    rejects(ones({ c: 'x', p: '1' }), { rule: 'G10', path: 'decay.c', expected: number, got: '"x"' });
    rejects(ones({ c: '-2', p: '1' }), { rule: 'G10', path: 'decay.c', expected: 'c > 0', got: '-2' });
    rejects(ones({ c: '3', p: [] }), { rule: 'G10', path: 'decay.p', expected: number, got: 'an array of 0' });
    for (const p of ['-1', '1001', '1/65', '1001/64']) rejects(ones({ c: '3', p }), { rule: 'G10', path: 'decay.p', expected: G10_P, got: p });
  });
  it('1001 digits in c (numerator or denominator) or in a claim', () => {
    rejects(ones({ c: '1' + zeros(1000), p: '1' }), {
      rule: 'G10',
      path: 'decay.c',
      expected: 'at most 1000 digits in numerator and denominator',
      got: 'more',
    });
    rejects(ones({ c: '3/1' + zeros(1000), p: '1' }), {
      rule: 'G10',
      path: 'decay.c',
      expected: 'at most 1000 digits in numerator and denominator',
      got: 'more',
    });
    const c = ones({ c: '3', p: '1' });
    c.bounds[0].next = `3${zeros(999)}1/1${zeros(1000)}`;
    rejects(c, { rule: 'G10', path: 'bounds[0].next', expected: 'with a decay law, at most 1000 digits in numerator and denominator', got: 'more' });
  });
  it('c below the least the bounds give at i = 1 (p = 1)', () => {
    rejects(ones({ c: '2', p: '1' }), {
      rule: 'G10',
      path: 'decay',
      expected: 'lambda_1 <= c 1^(-p) implied by the bounds',
      got: 'the least bound the bounds give for lambda_1 is 3, above 2 * 1^(-1)',
    });
  });
  it('c below the least only at the last i = n (p = 10, c = 3000: 3^10 3000^-1 ... fails only at i = 3)', () => {
    // beta_2 = 3/2 <= 3000 / 1024; beta_3 = tail_0 / 3 = 1 > 3000 / 59049
    rejects(ones({ c: '3000', p: '10' }), {
      rule: 'G10',
      path: 'decay',
      expected: 'lambda_3 <= c 3^(-p) implied by the bounds',
      got: 'the least bound the bounds give for lambda_3 is 1, above 3000 * 3^(-10)',
    });
  });
  it('a tie in beta_i keeps the first bound: next_0 (60 digits) before tail_0 / 2 (the same value, 61 digits unreduced)', () => {
    // tail_0 = 2 10^30 / (5 10^28 + 1), next_0 = tail_0 / 2 = 10^30 / (5 10^28 + 1), about 19.9996; c = 20, p = 1 fails at i = 2
    const den = '5' + zeros(27) + '1';
    const c = cert([['1'], ['1'], ['1']], { bounds: [{ r: 0, tail: `2${zeros(30)}/${den}`, next: `1${zeros(30)}/${den}` }], decay: { c: '20', p: '1' } });
    rejects(c, {
      rule: 'G10',
      path: 'decay',
      expected: 'lambda_2 <= c 2^(-p) implied by the bounds',
      got: `the least bound the bounds give for lambda_2 is 1${zeros(30)}/${den}, above 20 * 2^(-1)`,
    });
  });
  it('beta_i uses tail_r / (i - r) for r >= 1 too', () => {
    // points 0, 1, 2 with (1 + x.y), pivots 2, 0, claims (8, 8), (1, 3), (0, 0): beta_1 = 8,
    // beta_2 = min(8, 8/2, 3, 1/(2 - 1)) = 1 > 8 2^-4 (with 1/2 in place of 1/(2 - 1) it would pass)
    const c = cert([['0'], ['1'], ['2']], {
      offset: '1',
      pivots: [2, 0],
      bounds: [
        { r: 0, tail: '8', next: '8' },
        { r: 1, tail: '1', next: '3' },
        { r: 2, tail: '0', next: '0' },
      ],
      decay: { c: '8', p: '4' },
    });
    rejects(c, {
      rule: 'G10',
      path: 'decay',
      expected: 'lambda_2 <= c 2^(-p) implied by the bounds',
      got: 'the least bound the bounds give for lambda_2 is 1, above 8 * 2^(-4)',
    });
  });
});
