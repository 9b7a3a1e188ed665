/**
 * Format /3 (docs/certificates.md 4.8, lemma L9): maps (A1-A4) and image
 * leaves (I1-I3), named accept and reject cases. The certificates are
 * written by hand, so that each one shows the rule it tests:
 *
 * - XOR on {0,1}^2 with one threshold unit (free output weight and bias,
 *   classification): infeasible. Its proof has three lemmas (two points of
 *   different labels with the same literal, ACT or INACT; the XOR pattern,
 *   not linearly separable) and closes every other node by an image of them
 *   under the swap of the coordinates (labels kept) or a flip of one
 *   coordinate (labels negated, which free output weights follow).
 * - x = -1, 1 with labels -1, 1 and one or two ReLUs with output weights
 *   signs, no bias, exact fit: the case (-1, ...) is the image of the case
 *   (1, ...) under x -> -x with the labels negated (a map between cases).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkLexLeaf, readMaps } from '../../src/check/image.js';
import { readInstance } from '../../src/check/instance.js';
import { isJsonError, parseJson } from '../../src/check/json.js';
import { Rejection } from '../../src/check/rejection.js';
import { automorphismOf } from '../../src/core/automorphism.js';
import { Q } from '../../src/core/rational.js';
import { instanceHash } from '../../src/format/write.js';
import { toInstance } from '../../src/format/schema.js';
import { type Json, check, clone, expectRejected, expectRejection, expectValid } from './helpers.js';

/** A format /3 infeasibility certificate (a copy of its parts: tests edit it freely). */
function certificate(instance: Json, proof: Json): Json {
  return clone({
    format: 'relucert-certificate/3',
    verdict: 'infeasible',
    instanceHash: instanceHash(toInstance(instance, 'test')),
    instance,
    proof,
  });
}

const split = (unit: number, point: number, act: Json, inact: Json): Json => ({ split: { unit, point }, act, inact });
const lemmaLeaf = (index: number): Json => ({ leaf: 'lemma', index });
const image = (lemma: number, map?: number, units?: number[]): Json => ({
  leaf: 'image',
  lemma,
  ...(map !== undefined ? { map } : {}),
  ...(units ? { units } : {}),
});

// ---------------------------------------------------------------- XOR, one threshold unit

const xor: Json = {
  format: 'relucert-instance/1',
  name: 'xor-threshold-k1',
  points: [
    ['0', '0'],
    ['1', '0'],
    ['0', '1'],
    ['1', '1'],
  ],
  labels: ['-1', '1', '1', '-1'],
  architecture: { hidden: 1, activation: 'threshold', outputWeights: 'free', outputBias: true },
  loss: { type: 'classification' },
};

/** Swap the coordinates: points 1 and 2 trade places, labels kept. */
const swap: Json = {
  linear: [
    ['0', '1'],
    ['1', '0'],
  ],
  shift: ['0', '0'],
  points: [0, 2, 1, 3],
  labels: 1,
};
/** x0 -> 1 - x0: points 0 <-> 1, 2 <-> 3, every label negated. */
const flip0: Json = {
  linear: [
    ['-1', '0'],
    ['0', '1'],
  ],
  shift: ['1', '0'],
  points: [1, 0, 3, 2],
  labels: -1,
};
/** x1 -> 1 - x1: points 0 <-> 2, 1 <-> 3, every label negated. */
const flip1: Json = {
  linear: [
    ['1', '0'],
    ['0', '-1'],
  ],
  shift: ['0', '1'],
  points: [2, 3, 0, 1],
  labels: -1,
};

/** Lemma 0: ACT at points 0 and 1 (labels -1, 1) gives f_0 = f_1. Lemma 1: the same with INACT. Lemma 2: the XOR pattern. */
const xorLemmas: Json[] = [
  { assume: ['act:0:0', 'act:0:1'], tree: { leaf: 'farkas', multipliers: { 'cls:0': '1', 'cls:1': '1', 'actv:0:0': '-1', 'actv:0:1': '1' } } },
  { assume: ['inact:0:0', 'inact:0:1'], tree: { leaf: 'farkas', multipliers: { 'cls:0': '1', 'cls:1': '1', 'inactv:0:0': '-1', 'inactv:0:1': '1' } } },
  {
    assume: ['act:0:0', 'act:0:3', 'inact:0:1', 'inact:0:2'],
    tree: { leaf: 'farkas', multipliers: { 'act:0:0': '1', 'act:0:3': '1', 'inact:0:1': '1', 'inact:0:2': '1' } },
  },
];

/**
 * Every pattern of the unit on the four points: two points of different
 * labels share a literal (lemma 0 or 1, or an image of it: the pairs (0,1),
 * (0,2) = swap(0,1), (2,3) = flip1(0,1)), or the pattern is XOR (lemma 2) or
 * its complement (flip0 of lemma 2).
 */
const xorTree: Json = split(
  0,
  0,
  split(0, 1, lemmaLeaf(0), split(0, 2, image(0, 0), split(0, 3, lemmaLeaf(2), image(1, 2)))),
  split(0, 1, split(0, 2, split(0, 3, image(0, 2), image(2, 1)), image(1, 0)), lemmaLeaf(1)),
);

const xorCertificate = (): Json =>
  certificate(xor, { lemmas: ['L2', 'L3', 'L6', 'L9'], maps: [swap, flip0, flip1], cases: [{ a: 'free', lemmas: xorLemmas, tree: xorTree }] });

describe('image leaves (L9, I1-I3) and maps (A1-A4): accepted', () => {
  it('accepts the XOR proof whose nodes are closed by images of three lemmas under three maps', () => {
    const outcome = expectValid(check(xorCertificate()));
    expect(outcome.statement).toContain('no network with 1 threshold unit');
  });
  it('accepts a map written with other spellings of the same numbers', () => {
    const c = xorCertificate();
    c.proof.maps[1].linear[0][0] = '-2/2';
    c.proof.maps[1].shift[0] = 1;
    expectValid(check(c));
  });
  it('accepts a map of a weight-bound instance where the cases carry no bound rows (threshold units, L7)', () => {
    const bounded = { ...xor, architecture: { ...xor.architecture, weightBound: '1' } };
    expectValid(check(certificate(bounded, xorCertificate().proof)));
  });
});

describe('maps (A1-A4): rejected', () => {
  it('rejects a map that sends a point off the point set (A2)', () => {
    const c = xorCertificate();
    c.proof.maps[1].shift = ['2', '0'];
    expectRejection(check(c), {
      rule: 'A2',
      path: 'proof.maps[1].points',
      expected: 'coordinate 0 of the image of point 0 equal to that of point 1, 1',
      got: '2',
    });
  });
  it('rejects a stated permutation that the map does not make (A2), and one that is no permutation (A1)', () => {
    const c = xorCertificate();
    c.proof.maps[0].points = [0, 1, 2, 3];
    expectRejected(check(c), 'A2', 'proof.maps[0].points');
    c.proof.maps[0].points = [0, 2, 2, 3];
    expectRejected(check(c), 'A1', 'proof.maps[0].points[2]');
    c.proof.maps[0].points = [0, 2, 1];
    expectRejected(check(c), 'A1', 'proof.maps[0].points');
  });
  it('rejects a wrong label sign (A3)', () => {
    const c = xorCertificate();
    c.proof.maps[0].labels = -1;
    expectRejection(check(c), { rule: 'A3', path: 'proof.maps[0].labels', expected: 'label 1 at point 0 (the image of point 0, label -1)', got: '-1' });
    c.proof.maps[0].labels = 1;
    c.proof.maps[1].labels = 1;
    expectRejected(check(c), 'A3', 'proof.maps[1].labels');
    c.proof.maps[1].labels = '-1';
    expectRejected(check(c), 'A1', 'proof.maps[1].labels');
  });
  it('rejects a map of the wrong shape (A1)', () => {
    const c = xorCertificate();
    c.proof.maps[0].linear = [['0', '1']];
    expectRejected(check(c), 'A1', 'proof.maps[0].linear');
    const d = xorCertificate();
    d.proof.maps[0].extra = 1;
    expectRejected(check(d), 'A1', 'proof.maps[0].extra');
  });
  it('rejects a weight bound that the map does not keep, where the cases carry bound rows (A4)', () => {
    // ReLU units with output weights signs and a weight bound: bound rows in every case
    const line: Json = {
      format: 'relucert-instance/1',
      name: 'line',
      points: [
        ['-1', '0'],
        ['0', '0'],
        ['1', '0'],
      ],
      labels: ['1', '0', '1'],
      architecture: { hidden: 1, activation: 'relu', outputWeights: 'signs', outputBias: false, weightBound: '1' },
      loss: { type: 'exact' },
    };
    const proof = (map: Json): Json => ({ lemmas: ['L4'], maps: [map], cases: [] });
    // the shear x -> (x0 + x1, x1) fixes every point of the line x1 = 0, but a column of it has absolute sum 2
    const shear = {
      linear: [
        ['1', '1'],
        ['0', '1'],
      ],
      shift: ['0', '0'],
      points: [0, 1, 2],
      labels: 1,
    };
    expectRejection(check(certificate(line, proof(shear))), {
      rule: 'A4',
      path: 'proof.maps[0].linear',
      expected: 'column 1 with absolute sum <= 1 (the cases carry weight-bound rows)',
      got: '2',
    });
    const mirror = {
      linear: [
        ['-1', '0'],
        ['0', '1'],
      ],
      shift: ['0', '0'],
      points: [2, 1, 0],
      labels: 1,
    };
    // the mirror x0 -> -x0 keeps the box: the check goes on to the cases (P1: none given)
    expectRejected(check(certificate(line, proof(mirror))), 'P1', 'proof.cases');
    // a reflection with a translation moves the bias: b + w . t
    const shifted = {
      ...line,
      points: [
        ['0', '0'],
        ['1', '0'],
        ['2', '0'],
      ],
    };
    const reflect = {
      linear: [
        ['-1', '0'],
        ['0', '1'],
      ],
      shift: ['2', '0'],
      points: [2, 1, 0],
      labels: 1,
    };
    expectRejected(check(certificate(shifted, proof(reflect))), 'A4', 'proof.maps[0].shift');
  });
});

describe('image leaves (I1-I3): rejected', () => {
  it('rejects an image under a map not declared (I1)', () => {
    const c = xorCertificate();
    c.proof.cases[0].tree.act.inact.act = image(0, 3);
    expectRejected(check(c), 'I1', 'proof.cases[0].tree.act.inact.act.map');
    const d = xorCertificate();
    d.proof.maps = [];
    expectRejected(check(d), 'I1', 'proof.cases[0].tree.act.inact.act.map');
  });
  it('rejects image leaves and maps outside format /3 (P2, P1)', () => {
    const c = xorCertificate();
    c.format = 'relucert-certificate/2';
    expectRejected(check(c), 'P1', 'proof.maps');
    delete c.proof.maps;
    expectRejected(check(c), 'P2', 'proof.cases[0].tree.act.inact.act.leaf');
  });
  it('rejects a proof with image leaves that does not declare L9 (P1)', () => {
    const c = xorCertificate();
    c.proof.lemmas = ['L2', 'L3', 'L6'];
    expectRejected(check(c), 'P1', 'proof.lemmas');
  });
  it('rejects an image whose literals are not on the path (I3)', () => {
    const c = xorCertificate();
    // swap sends lemma 1's points (0, 1) to (0, 2); the node act.inact.act holds ACT(0,0), ACT(0,2), not INACT
    c.proof.cases[0].tree.act.inact.act = image(1, 0);
    expectRejection(check(c), {
      rule: 'I3',
      path: 'proof.cases[0].tree.act.inact.act',
      expected: 'the image INACT(0,0) of the assumed INACT(0,0) on the path',
      got: 'ACT(0,0)',
    });
  });
  it('rejects a forward or self reference to a lemma of the same case (I2)', () => {
    const c = xorCertificate();
    c.proof.cases[0].lemmas[1].tree = image(1, 0);
    expectRejected(check(c), 'I2', 'proof.cases[0].lemmas[1].tree.lemma');
    const d = xorCertificate();
    d.proof.cases[0].lemmas[0].tree = image(0, 0);
    expectRejection(check(d), {
      rule: 'I2',
      path: 'proof.cases[0].lemmas[0].tree.lemma',
      expected: 'a lemma of case free that may be named here',
      got: 'none may',
    });
  });
  it('counts image leaves as uses of a lemma (D4)', () => {
    const c = xorCertificate();
    // lemma 2 used only by image leaves (the identity image and flip0's): still used
    c.proof.cases[0].tree.act.inact.inact.act = image(2);
    expectValid(check(c));
  });
  it('rejects s = -1 where the output weights cannot follow: positive, or a fixed list (I2)', () => {
    for (const outputWeights of ['positive', ['1']]) {
      const inst = { ...xor, architecture: { ...xor.architecture, outputWeights } };
      // fixed output weights: cls is strict, so lemma 0 is a Motzkin leaf (y f > 0 only)
      const lemma = {
        assume: ['act:0:0', 'act:0:1'],
        tree: { leaf: 'motzkin', multipliers: { 'cls:0': '1', 'cls:1': '1', 'actv:0:0': '-1', 'actv:0:1': '1' } },
      };
      const tree = split(0, 0, split(0, 1, image(0, 1), lemmaLeaf(0)), lemmaLeaf(0));
      const c = certificate(inst, { lemmas: ['L2', 'L6', 'L9'], maps: [swap, flip0], cases: [{ a: ['1'], lemmas: [lemma], tree }] });
      expectRejection(check(c), {
        rule: 'I2',
        path: 'proof.cases[0].tree.act.act.lemma',
        expected: 'a lemma of case (-1) (output weights s * a[units[j]])',
        got: 'no such case',
      });
    }
  });
  it('rejects an image of a lemma whose proof uses a symmetry leaf (L5), directly or through a lemma leaf (I2)', () => {
    const two = { ...xor, architecture: { ...xor.architecture, hidden: 2 } };
    const lemmas = [
      { assume: ['inact:0:0', 'act:1:0'], tree: { leaf: 'symmetry', units: [0, 1], point: 0 } },
      { assume: ['inact:0:0', 'act:1:0', 'act:0:1'], tree: lemmaLeaf(0) },
    ];
    for (const m of [0, 1]) {
      // I2 comes before I3: the image leaf at the root fails on the lemma it names
      const c = certificate(two, { lemmas: ['L2', 'L3', 'L5', 'L6', 'L9'], maps: [swap, flip0], cases: [{ a: 'free', lemmas, tree: image(m, 1) }] });
      expectRejection(check(c), {
        rule: 'I2',
        path: 'proof.cases[0].tree.lemma',
        expected: 'a lemma whose proof does not depend on an order (no symmetry or lex leaf, directly or through its lemmas)',
        got: 'one that does',
      });
    }
  });
});

// ---------------------------------------------------------------- lex leaves (L10)

const lex = (unit: number, point: number, map?: number, units?: number[]): Json => ({
  leaf: 'lex',
  unit,
  point,
  ...(map !== undefined ? { map } : {}),
  ...(units ? { units } : {}),
});

/**
 * The XOR proof with a lex leaf where the first image leaf was: the path ACT(0,0), INACT(0,1), ACT(0,2) reads
 * 1 0 1 . at points 0..3, and its image under swap (points 1 and 2 exchanged) reads 1 1 0 .: smaller at point 1.
 */
const xorLexCertificate = (): Json => {
  const c = xorCertificate();
  c.proof.cases[0].tree.act.inact.act = lex(0, 1, 0);
  c.proof.lemmas = ['L2', 'L3', 'L6', 'L9', 'L10'];
  return c;
};

describe('lex leaves (L10, X1-X3)', () => {
  it('accepts a lex leaf under a map, and one under a unit permutation alone (the L5 case)', () => {
    expectValid(check(xorLexCertificate()));
    // two units: INACT(0,0), ACT(1,0) is the symmetry leaf of L5, written as the lex leaf of the swap of units 0 and 1
    const two = { ...xor, architecture: { ...xor.architecture, hidden: 2 } };
    const c = certificate(two, {
      lemmas: ['L2', 'L3', 'L6', 'L10'],
      maps: [],
      cases: [{ a: 'free', lemmas: [{ assume: ['inact:0:0', 'act:1:0'], tree: lex(0, 0, undefined, [1, 0]) }], tree: lemmaLeaf(0) }],
    });
    // the main tree is the lemma leaf at the root, which its path does not prove (D3): the lex leaf itself was accepted
    expectRejected(check(c), 'D3', 'proof.cases[0].tree');
  });
  it('rejects a proof with a lex leaf that does not declare L10 (P1)', () => {
    const c = xorLexCertificate();
    c.proof.lemmas = ['L2', 'L3', 'L6', 'L9'];
    expectRejected(check(c), 'P1', 'proof.lemmas');
  });
  it('rejects a path that is not smaller than its image there (X3)', () => {
    const c = xorLexCertificate();
    // at point 2: the path has ACT(0,2) and its image position (0,1) INACT: larger, not smaller
    c.proof.cases[0].tree.act.inact.act = lex(0, 2, 0);
    expectRejection(check(c), {
      rule: 'X3',
      path: 'proof.cases[0].tree.act.inact.act',
      expected: 'equal literals at (0,1) and its image (0,2) (before (0,2))',
      got: 'INACT and ACT',
    });
    // at point 0, which swap keeps
    c.proof.cases[0].tree.act.inact.act = lex(0, 0, 0);
    expectRejection(check(c), {
      rule: 'X3',
      path: 'proof.cases[0].tree.act.inact.act',
      expected: 'a position the map and units move',
      got: '(0,0), which they keep',
    });
    // at the node act.act (ACT(0,0), ACT(0,1)) the point 1 is ACT: not smaller
    const d = xorLexCertificate();
    d.proof.cases[0].tree.act.act = lex(0, 1, 0);
    expectRejection(check(d), { rule: 'X3', path: 'proof.cases[0].tree.act.act', expected: 'INACT(0,1) and ACT(0,2) on the path', got: 'ACT and no literal' });
  });
  it('rejects an image case that is no case (X2) and malformed fields (X1)', () => {
    const inst = { ...xor, architecture: { ...xor.architecture, outputWeights: 'positive' } };
    const c = certificate(inst, { lemmas: ['L2', 'L10'], maps: [swap, flip0], cases: [{ a: ['1'], tree: lex(0, 1, 1) }] });
    expectRejection(check(c), {
      rule: 'X2',
      path: 'proof.cases[0].tree',
      expected: 'a map and units sending case (1) to a case of P1',
      got: 'output weights (-1)',
    });
    const d = xorLexCertificate();
    d.proof.cases[0].tree.act.inact.act = { ...lex(0, 1, 0), lemma: 0 };
    expectRejected(check(d), 'X1', 'proof.cases[0].tree.act.inact.act.lemma');
    d.proof.cases[0].tree.act.inact.act = lex(0, 4, 0);
    expectRejected(check(d), 'X1', 'proof.cases[0].tree.act.inact.act.point');
    d.proof.cases[0].tree.act.inact.act = lex(0, 1, 5);
    expectRejected(check(d), 'X1', 'proof.cases[0].tree.act.inact.act.map');
  });
  it('makes the lemma holding it ordered: an image of that lemma is rejected (I2)', () => {
    const c = xorLexCertificate();
    // lemma 3: the path of the lex leaf, proved by it; the main tree names it through an image leaf
    c.proof.cases[0].lemmas.push({ assume: ['act:0:0', 'inact:0:1', 'act:0:2'], tree: lex(0, 1, 0) });
    c.proof.cases[0].tree.act.inact.act = image(3);
    expectRejection(check(c), {
      rule: 'I2',
      path: 'proof.cases[0].tree.act.inact.act.lemma',
      expected: 'a lemma whose proof does not depend on an order (no symmetry or lex leaf, directly or through its lemmas)',
      got: 'one that does',
    });
    // named by a lemma leaf instead: accepted (L6)
    c.proof.cases[0].tree.act.inact.act = lemmaLeaf(3);
    expectValid(check(c));
  });
});

// ---------------------------------------------------------------- every rejection of image.ts, whole

describe('A1-A4, I1-I3, X1-X3: each rejection whole', () => {
  const withMap = (edit: (m: Json) => void): Json => {
    const c = xorCertificate();
    edit(c.proof.maps[0]);
    return c;
  };
  it.each<[string, () => Json, Json]>([
    ['maps not a list', () => ({ ...xorCertificate(), proof: { ...xorCertificate().proof, maps: {} } }), ['A1', 'proof.maps', 'an array', 'an object']],
    [
      'a map not an object',
      () => ({ ...xorCertificate(), proof: { ...xorCertificate().proof, maps: [1] } }),
      ['A1', 'proof.maps[0]', 'an object', 'the JSON number 1'],
    ],
    ['linear not a list', () => withMap((m) => (m.linear = 'x')), ['A1', 'proof.maps[0].linear', 'an array', '"x"']],
    ['a row of one number', () => withMap((m) => (m.linear[1] = ['1'])), ['A1', 'proof.maps[0].linear[1]', '2 numbers', '1']],
    ['a row not a list', () => withMap((m) => (m.linear[1] = '1')), ['A1', 'proof.maps[0].linear[1]', 'an array', '"1"']],
    [
      'an entry not a number',
      () => withMap((m) => (m.linear[0][1] = 'one')),
      ['A1', 'proof.maps[0].linear[0][1]', 'an exact number (a JSON integer, or a string "-3", "7/2", "0.125" or "1e-3")', '"one"'],
    ],
    ['a shift of three numbers', () => withMap((m) => (m.shift = ['0', '0', '0'])), ['A1', 'proof.maps[0].shift', '2 numbers', '3']],
    ['points not a list', () => withMap((m) => (m.points = 3)), ['A1', 'proof.maps[0].points', 'an array', 'the JSON number 3']],
    [
      'a point index out of range',
      () => withMap((m) => (m.points = [0, 2, 1, 4])),
      ['A1', 'proof.maps[0].points[3]', 'point: an integer from 0 to 3', 'the JSON number 4'],
    ],
    [
      'a point twice',
      () => withMap((m) => (m.points = [0, 2, 2, 3])),
      ['A1', 'proof.maps[0].points[2]', 'a permutation of the 4 point indices (each once)', '2 again'],
    ],
    ['three points', () => withMap((m) => (m.points = [0, 2, 1])), ['A1', 'proof.maps[0].points', 'a permutation of the 4 point indices', '3 entries']],
    ['a label sign 2', () => withMap((m) => (m.labels = 2)), ['A1', 'proof.maps[0].labels', '1 or -1 (the label sign)', 'the JSON number 2']],
    ['a label sign "1"', () => withMap((m) => (m.labels = '1')), ['A1', 'proof.maps[0].labels', '1 or -1 (the label sign)', '"1"']],
    [
      'a map field more',
      () => withMap((m) => (m.name = 'swap')),
      ['A1', 'proof.maps[0].name', 'only the fields linear, shift, points, labels', 'unknown field "name"'],
    ],
  ])('%s', (_what, cert, want) => {
    const outcome = check(cert());
    if (outcome.status !== 'rejected') expect.fail(JSON.stringify(outcome));
    expect([outcome.rule, outcome.path, outcome.expected, outcome.got]).toEqual(want);
  });

  it('A4: the shift of a map under bound rows, whole', () => {
    const line: Json = {
      ...xor,
      architecture: { hidden: 1, activation: 'relu', outputWeights: 'signs', outputBias: true, weightBound: '1' },
      loss: { type: 'classification' },
    };
    const c = certificate(line, { lemmas: ['L4'], maps: [flip0], cases: [] });
    expectRejection(check(c), {
      rule: 'A4',
      path: 'proof.maps[0].shift',
      expected: 'no translation (the cases carry weight-bound rows)',
      got: 'a nonzero shift',
    });
  });

  it('I1, I2: fields and lemma indices, whole', () => {
    const at = 'proof.cases[0].tree.act.inact.act';
    const edit = (leaf: Json): Json => {
      const c = xorCertificate();
      c.proof.cases[0].tree.act.inact.act = leaf;
      return c;
    };
    expectRejection(check(edit({ ...image(0, 0), index: 0 })), {
      rule: 'I1',
      path: `${at}.index`,
      expected: 'only the fields leaf, lemma, map, units',
      got: 'unknown field "index"',
    });
    expectRejection(check(edit(image(0, 7))), {
      rule: 'I1',
      path: `${at}.map`,
      expected: 'a map of proof.maps: an integer from 0 to 2',
      got: 'the JSON number 7',
    });
    expectRejection(check(edit(image(0, 0, [0, 0]))), { rule: 'I1', path: `${at}.units`, expected: 'a permutation of the 1 unit indices', got: '2 entries' });
    expectRejection(check(edit(image(5, 0))), {
      rule: 'I2',
      path: `${at}.lemma`,
      expected: 'a lemma of case free that may be named here: an integer from 0 to 2',
      got: 'the JSON number 5',
    });
    const d = xorCertificate();
    d.proof.maps = [];
    d.proof.cases[0].tree.act.inact.act = image(0, 0);
    expectRejection(check(d), { rule: 'I1', path: `${at}.map`, expected: 'no map (the proof declares none)', got: 'the JSON number 0' });
  });

  it('I3: an image literal with nothing on the path at its unit and point, whole', () => {
    const c = xorCertificate();
    // lemma 2 (the XOR pattern) under swap needs point 3, which the path act.inact.act does not fix
    c.proof.cases[0].tree.act.inact.act = image(2, 0);
    expectRejection(check(c), {
      rule: 'I3',
      path: 'proof.cases[0].tree.act.inact.act',
      expected: 'the image ACT(0,3) of the assumed ACT(0,3) on the path',
      got: 'no literal on that unit and point',
    });
  });

  it('X1: unit and point out of range, whole', () => {
    const at = 'proof.cases[0].tree.act.inact.act';
    const c = xorLexCertificate();
    c.proof.cases[0].tree.act.inact.act = lex(1, 1, 0);
    expectRejection(check(c), { rule: 'X1', path: `${at}.unit`, expected: 'unit: an integer from 0 to 0', got: 'the JSON number 1' });
    c.proof.cases[0].tree.act.inact.act = lex(0, 4, 0);
    expectRejection(check(c), { rule: 'X1', path: `${at}.point`, expected: 'point: an integer from 0 to 3', got: 'the JSON number 4' });
    c.proof.cases[0].tree.act.inact.act = { leaf: 'lex', unit: 0, map: 0 };
    expectRejection(check(c), { rule: 'X1', path: `${at}.point`, expected: 'field "point"', got: 'nothing (missing)' });
  });

  it('X3: the positions a map keeps are skipped, every position it moves is compared, whole', () => {
    // checkLexLeaf on given paths: XOR with two units (free case), the maps of the XOR proof
    const two = { ...xor, architecture: { ...xor.architecture, hidden: 2 } };
    const json = parseJson(JSON.stringify(two));
    if (isJsonError(json)) throw new Error(json.message);
    const inst = readInstance(json, 'instance');
    if (inst instanceof Rejection) throw new Error(JSON.stringify(inst));
    const mapsJson = parseJson(JSON.stringify([swap]));
    if (isJsonError(mapsJson)) throw new Error(mapsJson.message);
    const maps = readMaps(mapsJson, 'proof.maps', inst);
    if (maps instanceof Rejection) throw new Error(JSON.stringify(maps));
    const lexAt = (lits: [number, number, boolean][], leaf: Json): Rejection | undefined => {
      const node = parseJson(JSON.stringify(leaf));
      if (isJsonError(node) || node.type !== 'object') throw new Error('node');
      const literals = new Map(lits.map(([j, i, act]) => [`${j}:${i}`, act]));
      return checkLexLeaf(node, 'leaf', { inst, maps, a: 'free', literals, isCase: (text) => text === 'free' });
    };
    const x3 = (expected: string, got: string): Rejection => new Rejection('X3', 'leaf', expected, got);
    // swap keeps point 0: with nothing at (0,0), the leaf at (0,1) holds (INACT(0,1), ACT(0,2))
    expect(
      lexAt(
        [
          [0, 1, false],
          [0, 2, true],
        ],
        lex(0, 1, 0),
      ),
    ).toBeUndefined();
    // before (0,3): nothing at (0,1) and (0,2), or at one of them
    expect(lexAt([[0, 3, false]], lex(0, 3, 0))).toEqual(x3('equal literals at (0,1) and its image (0,2) (before (0,3))', 'no literal and no literal'));
    expect(
      lexAt(
        [
          [0, 1, true],
          [0, 3, false],
        ],
        lex(0, 3, 0),
      ),
    ).toEqual(x3('equal literals at (0,1) and its image (0,2) (before (0,3))', 'ACT and no literal'));
    // the units swapped, the points kept: (0,0) against (1,0) first
    expect(
      lexAt(
        [
          [0, 0, true],
          [1, 0, false],
          [0, 1, false],
          [1, 1, true],
        ],
        lex(0, 1, undefined, [1, 0]),
      ),
    ).toEqual(x3('equal literals at (0,0) and its image (1,0) (before (0,1))', 'ACT and INACT'));
    expect(
      lexAt(
        [
          [0, 0, true],
          [1, 0, true],
          [0, 1, false],
          [1, 1, true],
        ],
        lex(0, 1, undefined, [1, 0]),
      ),
    ).toBeUndefined();
    // at unit 1: every position of unit 0 that swap moves is compared first
    expect(
      lexAt(
        [
          [1, 1, false],
          [1, 2, true],
        ],
        lex(1, 1, 0),
      ),
    ).toEqual(x3('equal literals at (0,1) and its image (0,2) (before (1,1))', 'no literal and no literal'));
    expect(
      lexAt(
        [
          [0, 1, true],
          [0, 2, true],
          [1, 1, false],
          [1, 2, true],
        ],
        lex(1, 1, 0),
      ),
    ).toBeUndefined();
    // at the position: INACT there and ACT at its image, nothing else
    const at = x3.bind(null, 'INACT(0,1) and ACT(0,2) on the path');
    expect(lexAt([[0, 1, false]], lex(0, 1, 0))).toEqual(at('INACT and no literal'));
    expect(lexAt([[0, 2, true]], lex(0, 1, 0))).toEqual(at('no literal and ACT'));
    expect(
      lexAt(
        [
          [0, 1, false],
          [0, 2, false],
        ],
        lex(0, 1, 0),
      ),
    ).toEqual(at('INACT and INACT'));
    expect(
      lexAt(
        [
          [0, 1, true],
          [0, 2, true],
        ],
        lex(0, 1, 0),
      ),
    ).toEqual(at('ACT and ACT'));
    expect(lexAt([], lex(0, 0, 0))).toEqual(x3('a position the map and units move', '(0,0), which they keep'));
  });
});

// ---------------------------------------------------------------- a map between the sign cases

/** x = -1, 1 with labels -1, 1: k ReLUs with output weights signs and no bias, exact fit. */
const oddInstance = (k: number): Json => ({
  format: 'relucert-instance/1',
  name: `odd-k${k}`,
  points: [['-1'], ['1']],
  labels: ['-1', '1'],
  architecture: { hidden: k, activation: 'relu', outputWeights: 'signs', outputBias: false },
  loss: { type: 'exact' },
});
/** x -> -x: the points trade places, the labels change sign. */
const negate: Json = { linear: [['-1']], shift: ['0'], points: [1, 0], labels: -1 };
/** With all output weights 1 (and no bias), f >= 0 cannot reach the label -1 of point 0: fit:0 and every zlb:j:0. */
const positiveCase = (k: number): Json => ({
  a: Array(k).fill('1'),
  lemmas: [
    {
      assume: [],
      tree: { leaf: 'farkas', multipliers: Object.fromEntries([['fit:0', '1'], ...Array.from({ length: k }, (_, j) => [`zlb:${j}:0`, '1'])]) },
    },
  ],
  tree: lemmaLeaf(0),
});

describe('image leaves between cases (s = -1 with output weights signs)', () => {
  it('accepts the case (-1) closed by the image of case (1) under x -> -x (the checker computes the source case)', () => {
    const c = certificate(oddInstance(1), { lemmas: ['L4', 'L6', 'L9'], maps: [negate], cases: [positiveCase(1), { a: ['-1'], tree: image(0, 0) }] });
    expectValid(check(c));
  });
  it('rejects the same image when the source case is listed after the leaf (I2)', () => {
    const c = certificate(oddInstance(1), { lemmas: ['L4', 'L6', 'L9'], maps: [negate], cases: [{ a: ['-1'], tree: image(0, 0) }, positiveCase(1)] });
    expectRejection(check(c), {
      rule: 'I2',
      path: 'proof.cases[0].tree.lemma',
      expected: 'a lemma of case (1) (output weights s * a[units[j]])',
      got: 'a case listed after this one',
    });
  });
  it('computes the source case with the unit permutation: (-1, -1) from (1, 1), and no case for (-1, 1) unreversed (I2)', () => {
    const good = certificate(oddInstance(2), {
      lemmas: ['L4', 'L6', 'L9'],
      maps: [negate],
      cases: [positiveCase(2), { a: ['-1', '-1'], tree: image(0, 0, [1, 0]) }],
    });
    // not a proof (the case (-1, 1) is missing, which P1 finds before any tree is walked)
    expectRejected(check(good), 'P1', 'proof.cases');
    const bad = clone(good);
    bad.proof.cases.push({ a: ['-1', '1'], tree: image(0, 0) });
    expectRejection(check(bad), {
      rule: 'I2',
      path: 'proof.cases[2].tree.lemma',
      expected: 'a lemma of case (1, -1) (output weights s * a[units[j]])',
      got: 'no such case',
    });
    const wrongUnits = clone(bad);
    wrongUnits.proof.cases[1].tree = image(0, 0, [0, 0]);
    expectRejected(check(wrongUnits), 'I1', 'proof.cases[1].tree.units[1]');
  });
});

// ---------------------------------------------------------------- the checker's maps against src/core's

describe('A1-A4 agree with src/core/automorphism.ts (property)', () => {
  it('accepts the permutation and sign core finds, and accepts a stated permutation only where core finds an automorphism', () => {
    const arb = fc.integer({ min: 1, max: 2 }).chain((d) =>
      fc.record({
        d: fc.constant(d),
        base: fc.array(fc.array(fc.integer({ min: -2, max: 2 }), { minLength: d, maxLength: d }), { minLength: 1, maxLength: 3 }),
        mirrored: fc.boolean(),
        labels: fc.array(fc.constantFrom('1', '-1'), { minLength: 6, maxLength: 6 }),
        relu: fc.boolean(),
        bound: fc.boolean(),
        perm: fc.shuffledSubarray(
          Array.from({ length: d }, (_, t) => t),
          { minLength: d, maxLength: d },
        ),
        signs: fc.array(fc.constantFrom(1, -1), { minLength: d, maxLength: d }),
        shift: fc.array(fc.integer({ min: -1, max: 1 }), { minLength: d, maxLength: d }),
        stated: fc.array(fc.nat(), { minLength: 6, maxLength: 6 }),
        statedSign: fc.constantFrom(1, -1),
      }),
    );
    fc.assert(
      fc.property(arb, (r) => {
        const points = r.mirrored ? [...r.base, ...r.base.map((p) => p.map((x) => -x))] : r.base;
        const inst: Json = {
          format: 'relucert-instance/1',
          name: 'p',
          points: points.map((p) => p.map(String)),
          labels: r.labels.slice(0, points.length),
          architecture: {
            hidden: 1,
            activation: r.relu ? 'relu' : 'threshold',
            outputWeights: 'signs',
            outputBias: false,
            ...(r.bound ? { weightBound: '1' } : {}),
          },
          loss: { type: 'classification' },
        };
        const linear = Array.from({ length: r.d }, (_, row) => Array.from({ length: r.d }, (_, t) => (t === r.perm[row] ? String(r.signs[row]) : '0')));
        const shift = r.shift.map(String);
        const core = automorphismOf(
          toInstance(inst, 'p'),
          { linear: linear.map((row) => row.map((x) => Q.of(Number(x)))), shift: r.shift.map((x) => Q.of(x)) },
          true,
        );
        const json = parseJson(JSON.stringify(inst));
        if (isJsonError(json)) throw new Error(json.message);
        const checkerInstance = readInstance(json, 'instance');
        if (checkerInstance instanceof Rejection) throw new Error(JSON.stringify(checkerInstance));
        const maps = (points: number[], labels: number): ReturnType<typeof readMaps> => {
          const v = parseJson(JSON.stringify([{ linear, shift, points, labels }]));
          if (isJsonError(v)) throw new Error(v.message);
          return readMaps(v, 'proof.maps', checkerInstance);
        };
        const boxKept = r.shift.every((x) => x === 0); // a signed permutation: columns of absolute sum 1
        if (typeof core !== 'string') {
          const got = maps(core.points, core.labelSign);
          if (r.relu && r.bound && !boxKept) expect(got).toMatchObject({ rule: 'A4' });
          else expect(got).toEqual([{ points: core.points, labelSign: expect.anything() }]);
        }
        // a permutation made from random numbers: accepted only if core finds an automorphism too
        const order = points.map((_, i) => i).sort((a, b) => (r.stated[a]! % 7) - (r.stated[b]! % 7) || a - b);
        const got = maps(order, r.statedSign);
        if (!(got instanceof Rejection)) expect(typeof core).not.toBe('string');
      }),
      { numRuns: 300 },
    );
  });
});
