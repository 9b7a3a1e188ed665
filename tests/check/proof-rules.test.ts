/**
 * Every rejection path of the proof-tree checker (src/check/proof.ts: P1,
 * P2, F1-F4, Q1-Q3, S1-S2, D1-D4, the C4 charge of a split), one `it` per
 * rule and branch, on small hand-written certificates checked in-process.
 * Each test asserts the whole rejection (rule, field path, expected, got),
 * so a checker that rejects for another reason, at another place, or with
 * other words fails it (docs/mutation.md: these tests kill the mutants of
 * proof.ts that the CLI-level and rule-only tests left alive).
 */
import { describe, expect, it } from 'vitest';
import { COST } from '../../src/check/cost.js';
import { type CheckOutcome, checkCertificate } from '../../src/check/index.js';
import { readInstance } from '../../src/check/instance.js';
import { isRejection } from '../../src/check/fields.js';
import { type JsonValue, isJsonError, parseJson } from '../../src/check/json.js';
import { checkProof } from '../../src/check/proof.js';
import { Rejection } from '../../src/check/rejection.js';
import { toInstance } from '../../src/format/schema.js';
import { instanceHash } from '../../src/format/write.js';
import { type Json, expectRejection, expectValid } from './helpers.js';

/**
 * ReLU units with output weights `ow` (default "positive"), exact loss, n points
 * 0, 1, ... in one dimension, label -1 at point 0 (0 elsewhere): with positive
 * output weights f_0 = sum_j z:j:0 >= 0 cannot be -1, so the Farkas leaf
 * `farkas(k)` closes every node.
 */
function relu(k: number, n: number, ow: Json = 'positive', loss: Json = { type: 'exact' }): Json {
  return {
    format: 'relucert-instance/1',
    name: 'rules',
    points: Array.from({ length: n }, (_, i) => [String(i)]),
    labels: Array.from({ length: n }, (_, i) => (i === 0 ? '-1' : '0')),
    architecture: { hidden: k, activation: 'relu', outputWeights: ow, outputBias: false },
    loss,
  };
}

/** fit:0 + sum_j zlb:j:0: lhs 0, rhs -1 (output weights 1). */
function farkas(k: number): Json {
  const multipliers: Json = { 'fit:0': '1' };
  for (let j = 0; j < k; j++) multipliers[`zlb:${j}:0`] = '1';
  return { leaf: 'farkas', multipliers };
}

/** k = 1 or 2 hidden units, 3 points, one case (1) or (1, 1); no lemmas for a plain tree. */
const POS1 = relu(1, 3);
const POS2 = relu(2, 3);
const F1 = farkas(1);
const F2 = farkas(2);

/** The certificate text for `proof` about `instance` (format /1, or /2 with lemmas). */
function certText(instance: Json, proof: Json, format: 1 | 2 = 1): string {
  return JSON.stringify({
    format: `relucert-certificate/${format}`,
    verdict: 'infeasible',
    instanceHash: instanceHash(toInstance(instance, 'test')),
    instance,
    proof,
  });
}

function run(instance: Json, proof: Json, format: 1 | 2 = 1, work?: number): CheckOutcome {
  return checkCertificate(certText(instance, proof, format), 'cert.json', work === undefined ? {} : { limits: { work } });
}

/** One case {a, tree} (and lemmas, format /2) of the positive-weights instances. */
function oneCase(k: number, tree: Json, lemmas?: Json): Json {
  return { a: Array.from({ length: k }, () => '1'), tree, ...(lemmas === undefined ? {} : { lemmas }) };
}

/**
 * A path of splits fixing `lits` in order ([unit, point, ACT?]), ending in
 * `leaf`; every child off the path is a valid Farkas leaf (k = 2). Returns
 * the tree and the leaf's path below `base`.
 */
function chain(lits: Array<[number, number, boolean]>, leaf: Json, base = 'proof.cases[0].tree', off: Json = F2): { tree: Json; path: string } {
  let tree = leaf;
  for (const [unit, point, active] of [...lits].reverse()) tree = { split: { unit, point }, act: active ? tree : off, inact: active ? off : tree };
  return { tree, path: base + lits.map(([, , a]) => (a ? '.act' : '.inact')).join('') };
}

const NODE_EXPECTED =
  'a node: {"split", "act", "inact"}, {"leaf": "farkas" | "motzkin", "multipliers"}, {"leaf": "l2dual", "residuals", "multipliers"}, {"leaf": "symmetry", "units", "point"} or {"leaf": "lemma", "index"}';

describe('the hand-made instances', () => {
  it('accept their Farkas leaves, plain trees and the lemma and symmetry forms used below', () => {
    expectValid(run(POS1, { lemmas: [], cases: [oneCase(1, F1)] }));
    expectValid(
      run(POS2, {
        lemmas: [],
        cases: [
          oneCase(
            2,
            chain(
              [
                [0, 0, true],
                [1, 2, false],
              ],
              F2,
            ).tree,
          ),
        ],
      }),
    );
    // a symmetry leaf at INACT(0,0), ACT(1,0)
    expectValid(
      run(POS2, {
        lemmas: ['L5'],
        cases: [
          oneCase(
            2,
            chain(
              [
                [0, 0, false],
                [1, 0, true],
              ],
              { leaf: 'symmetry', units: [0, 1], point: 0 },
            ).tree,
          ),
        ],
      }),
    );
    // equal literals at point 0 (both ACT), then INACT(0,1), ACT(1,1)
    const sym1 = { leaf: 'symmetry', units: [0, 1], point: 1 };
    expectValid(
      run(POS2, {
        lemmas: ['L5'],
        cases: [
          oneCase(
            2,
            chain(
              [
                [0, 0, true],
                [1, 0, true],
                [0, 1, false],
                [1, 1, true],
              ],
              sym1,
            ).tree,
          ),
        ],
      }),
    );
    // a lemma assuming ACT(0,1), used below ACT(0,1)
    const lemmaCase = oneCase(2, chain([[0, 1, true]], { leaf: 'lemma', index: 0 }).tree, [{ assume: ['act:0:1'], tree: F2 }]);
    expectValid(run(POS2, { lemmas: ['L6'], cases: [lemmaCase] }, 2));
  });
});

describe('P1: the declared lemmas', () => {
  it('a lemma name that is not a string', () => {
    expectRejection(run(POS1, { lemmas: [1], cases: [oneCase(1, F1)] }), {
      rule: 'P1',
      path: 'proof.lemmas[0]',
      expected: 'a string',
      got: 'the JSON number 1',
    });
  });
  it('a lemma listed twice is named at its second place', () => {
    expectRejection(run(POS1, { lemmas: ['L4', 'L4'], cases: [oneCase(1, F1)] }), {
      rule: 'P1',
      path: 'proof.lemmas[1]',
      expected: 'each lemma once',
      got: '"L4" twice',
    });
  });
  it('a lemma declared where none applies: "no lemmas []"', () => {
    expectRejection(run(POS1, { lemmas: ['L4'], cases: [oneCase(1, F1)] }), {
      rule: 'P1',
      path: 'proof.lemmas',
      expected: 'no lemmas [] for this instance and tree',
      got: '[L4]',
    });
  });
  it('two lemmas applied, two others declared: both lists written out', () => {
    // a symmetry leaf (L5) and a lemma leaf (L6) in one case
    const sym = chain(
      [
        [0, 0, false],
        [1, 0, true],
      ],
      { leaf: 'symmetry', units: [0, 1], point: 0 },
    ).tree;
    const tree = { split: { unit: 0, point: 1 }, act: { leaf: 'lemma', index: 0 }, inact: sym };
    const c = oneCase(2, tree, [{ assume: ['act:0:1'], tree: F2 }]);
    expectValid(run(POS2, { lemmas: ['L6', 'L5'], cases: [c] }, 2));
    expectRejection(run(POS2, { lemmas: ['L6', 'L4'], cases: [c] }, 2), {
      rule: 'P1',
      path: 'proof.lemmas',
      expected: 'the lemmas [L5, L6] for this instance and tree',
      got: '[L6, L4]',
    });
  });
});

describe('P1: the cases', () => {
  const SIGNS1 = relu(1, 1, 'signs');
  const SIGNS2 = relu(2, 1, 'signs');
  it('cases that are not a list', () => {
    expectRejection(run(POS1, { lemmas: [], cases: 5 }), { rule: 'P1', path: 'proof.cases', expected: 'an array', got: 'the JSON number 5' });
  });
  it('a case with a lemmas field in a format /1 certificate', () => {
    expectRejection(run(POS1, { lemmas: [], cases: [oneCase(1, F1, [])] }), {
      rule: 'P1',
      path: 'proof.cases[0].lemmas',
      expected: 'only the fields a, tree',
      got: 'unknown field "lemmas"',
    });
  });
  it('checkProof reads format /1 unless told (no lemmas field in a case)', () => {
    const json = (v: Json): JsonValue => {
      const r = parseJson(JSON.stringify(v));
      if (isJsonError(r)) throw new Error(r.message);
      return r;
    };
    const inst = readInstance(json(POS1), 'instance');
    if (isRejection(inst)) expect.fail(inst.got);
    const proof = json({ lemmas: [], cases: [oneCase(1, F1, [])] });
    expect(checkProof(proof, 'proof', inst)).toEqual(new Rejection('P1', 'proof.cases[0].lemmas', 'only the fields a, tree', 'unknown field "lemmas"'));
    expect(checkProof(proof, 'proof', inst, true)).toEqual({ nodes: 1, leaves: 1 });
  });
  it('a case label that is a string other than "free"', () => {
    expectRejection(run(POS1, { lemmas: [], cases: [{ a: 'x', tree: F1 }] }), {
      rule: 'P1',
      path: 'proof.cases[0].a',
      expected: '"free" or a list of 1 output weights',
      got: '"x"',
    });
  });
  it('a case label that is a number', () => {
    expectRejection(run(POS1, { lemmas: [], cases: [{ a: 5, tree: F1 }] }), {
      rule: 'P1',
      path: 'proof.cases[0].a',
      expected: '"free" or a list of 1 output weights',
      got: 'the JSON number 5',
    });
  });
  it('a case label with k+1 weights', () => {
    expectRejection(run(POS1, { lemmas: [], cases: [{ a: ['1', '1'], tree: F1 }] }), {
      rule: 'P1',
      path: 'proof.cases[0].a',
      expected: '1 output weights',
      got: '2',
    });
  });
  it('a case weight that is not a number', () => {
    expectRejection(run(POS1, { lemmas: [], cases: [{ a: ['x'], tree: F1 }] }), {
      rule: 'P1',
      path: 'proof.cases[0].a[0]',
      expected: 'an exact number (a JSON integer, or a string "-3", "7/2", "0.125" or "1e-3")',
      got: '"x"',
    });
  });
  it('a case that is not one of the expected cases lists them all', () => {
    expectRejection(run(SIGNS1, { lemmas: ['L4'], cases: [{ a: ['2'], tree: F1 }] }), {
      rule: 'P1',
      path: 'proof.cases[0].a',
      expected: 'one of the cases (1) (-1)',
      got: '(2)',
    });
  });
  it('a case twice names both places', () => {
    expectRejection(run(SIGNS1, { lemmas: ['L4'], cases: [oneCase(1, F1), oneCase(1, F1)] }), {
      rule: 'P1',
      path: 'proof.cases[1].a',
      expected: 'each case once',
      got: '(1) again (also at proof.cases[0])',
    });
  });
  it('missing cases are all listed', () => {
    expectRejection(run(SIGNS2, { lemmas: ['L4'], cases: [oneCase(2, F2)] }), {
      rule: 'P1',
      path: 'proof.cases',
      expected: 'the cases (1, 1) (-1, 1) (-1, -1)',
      got: 'no case (-1, 1) (-1, -1)',
    });
  });
});

describe('P2: nodes and splits', () => {
  const at = (tree: Json): CheckOutcome => run(POS2, { lemmas: [], cases: [oneCase(2, tree)] });
  it('a node that is null', () => {
    expectRejection(at(null), { rule: 'P2', path: 'proof.cases[0].tree', expected: NODE_EXPECTED, got: 'null' });
  });
  it('a node that is a number', () => {
    expectRejection(at(7), { rule: 'P2', path: 'proof.cases[0].tree', expected: NODE_EXPECTED, got: 'the JSON number 7' });
  });
  it('a node that is an array', () => {
    expectRejection(at([F2]), { rule: 'P2', path: 'proof.cases[0].tree', expected: NODE_EXPECTED, got: 'an array of 1' });
  });
  it('an empty object: "(none)"', () => {
    expectRejection(at({}), { rule: 'P2', path: 'proof.cases[0].tree', expected: NODE_EXPECTED, got: 'an object with the fields (none)' });
  });
  it('an object with neither split nor leaf lists its fields', () => {
    expectRejection(at({ act: F2, multipliers: {} }), {
      rule: 'P2',
      path: 'proof.cases[0].tree',
      expected: NODE_EXPECTED,
      got: 'an object with the fields act, multipliers',
    });
  });
  it('an unknown leaf kind', () => {
    expectRejection(at({ leaf: 'cut', multipliers: {} }), {
      rule: 'P2',
      path: 'proof.cases[0].tree.leaf',
      expected: '"farkas", "motzkin", "l2dual", "symmetry" or "lemma"',
      got: '"cut"',
    });
  });
  it('a split that is not an object', () => {
    expectRejection(at({ split: 5, act: F2, inact: F2 }), { rule: 'P2', path: 'proof.cases[0].tree.split', expected: 'an object', got: 'the JSON number 5' });
  });
  it('a split unit out of range', () => {
    expectRejection(at({ split: { unit: 2, point: 0 }, act: F2, inact: F2 }), {
      rule: 'P2',
      path: 'proof.cases[0].tree.split.unit',
      expected: 'unit: an integer from 0 to 1',
      got: 'the JSON number 2',
    });
  });
  it('a split point out of range', () => {
    expectRejection(at({ split: { unit: 0, point: 3 }, act: F2, inact: F2 }), {
      rule: 'P2',
      path: 'proof.cases[0].tree.split.point',
      expected: 'point: an integer from 0 to 2',
      got: 'the JSON number 3',
    });
  });
  it('a split on a literal already ACT above', () => {
    const { tree, path } = chain([[0, 1, true]], { split: { unit: 0, point: 1 }, act: F2, inact: F2 });
    expectRejection(at(tree), {
      rule: 'P2',
      path: `${path}.split`,
      expected: 'a literal not yet fixed on the path',
      got: 'unit 0, point 1, already ACT above',
    });
  });
  it('a split on a literal already INACT above (below another literal)', () => {
    const { tree, path } = chain(
      [
        [0, 1, false],
        [1, 1, true],
      ],
      { split: { unit: 0, point: 1 }, act: F2, inact: F2 },
    );
    expectRejection(at(tree), {
      rule: 'P2',
      path: `${path}.split`,
      expected: 'a literal not yet fixed on the path',
      got: 'unit 0, point 1, already INACT above',
    });
  });
});

describe('the order of the walk: the first fault in document order is reported', () => {
  const SIGNS1 = relu(1, 1, 'signs');
  it('of two cases, the first', () => {
    expectRejection(
      run(SIGNS1, {
        lemmas: ['L4'],
        cases: [
          { a: ['1'], tree: {} },
          { a: ['-1'], tree: null },
        ],
      }),
      {
        rule: 'P2',
        path: 'proof.cases[0].tree',
        expected: NODE_EXPECTED,
        got: 'an object with the fields (none)',
      },
    );
  });
  it('of the two children of a split, act', () => {
    expectRejection(run(POS2, { lemmas: [], cases: [oneCase(2, { split: { unit: 0, point: 0 }, act: {}, inact: null })] }), {
      rule: 'P2',
      path: 'proof.cases[0].tree.act',
      expected: NODE_EXPECTED,
      got: 'an object with the fields (none)',
    });
  });
  it("of a case's lemma and its main tree, the lemma", () => {
    const c = oneCase(2, null, [{ assume: [], tree: {} }]);
    expectRejection(run(POS2, { lemmas: ['L6'], cases: [c] }, 2), {
      rule: 'P2',
      path: 'proof.cases[0].lemmas[0].tree',
      expected: NODE_EXPECTED,
      got: 'an object with the fields (none)',
    });
  });
});

describe('F1-F4: farkas and motzkin leaves', () => {
  const at = (tree: Json, k = 2): CheckOutcome => run(k === 2 ? POS2 : POS1, { lemmas: [], cases: [oneCase(k, tree)] });
  it('a leaf with an unknown field (F1)', () => {
    expectRejection(at({ ...F2, note: 'x' }), {
      rule: 'F1',
      path: 'proof.cases[0].tree.note',
      expected: 'only the fields leaf, multipliers',
      got: 'unknown field "note"',
    });
  });
  it('multipliers that are not an object (F1)', () => {
    expectRejection(at({ leaf: 'farkas', multipliers: 5 }), {
      rule: 'F1',
      path: 'proof.cases[0].tree.multipliers',
      expected: 'an object {row name: multiplier}',
      got: 'the JSON number 5',
    });
  });
  it('a multiplier of a literal row whose literal is not on the path (F1)', () => {
    expectRejection(at({ leaf: 'farkas', multipliers: { 'act:0:0': '1' } }), {
      rule: 'F1',
      path: 'proof.cases[0].tree.multipliers["act:0:0"]',
      expected: 'the name of a base row or of a literal row of the path',
      got: '"act:0:0": ACT(0,0) is not on the path',
    });
  });
  it('a negative multiplier of a <= row (F2)', () => {
    expectRejection(at({ leaf: 'farkas', multipliers: { 'zlb:0:0': '-1' } }), {
      rule: 'F2',
      path: 'proof.cases[0].tree.multipliers["zlb:0:0"]',
      expected: 'a multiplier >= 0 (the row is <=)',
      got: '-1',
    });
  });
  it('a combination that does not cancel names its first variable in sorted order (F3)', () => {
    // zlb:0:0 = -z:0:0 <= 0 first, then zh:0:0 = b:0 + 0 w:0:0 - z:0:0 <= 0: b:0 comes before z:0:0 only when sorted
    expectRejection(at({ leaf: 'farkas', multipliers: { 'zlb:0:0': '1', 'zh:0:0': '1' } }, 1), {
      rule: 'F3',
      path: 'proof.cases[0].tree.multipliers',
      expected: 'the combination of left-hand sides to be 0 in every variable',
      got: 'b:0 has 1',
    });
  });
  it('a farkas leaf whose right-hand sides sum to 0 (F4)', () => {
    expectRejection(at({ leaf: 'farkas', multipliers: {} }), {
      rule: 'F4',
      path: 'proof.cases[0].tree.multipliers',
      expected: 'the combination of right-hand sides < 0 (farkas)',
      got: '0',
    });
  });
  it('a motzkin leaf whose right-hand sides sum to > 0 (F4)', () => {
    // below INACT(0,0), INACT(1,0): inactv:j:0 is z:j:0 = 0; minus fit:0 (z:0:0 + z:1:0 = -1) cancels them with rhs 1
    const { tree, path } = chain(
      [
        [0, 0, false],
        [1, 0, false],
      ],
      { leaf: 'motzkin', multipliers: { 'inactv:0:0': '1', 'inactv:1:0': '1', 'fit:0': '-1' } },
    );
    expectRejection(at(tree), { rule: 'F4', path: `${path}.multipliers`, expected: 'the combination of right-hand sides <= 0 (motzkin)', got: '1' });
  });
  it('a motzkin leaf without strict rows (F4)', () => {
    expectRejection(at({ leaf: 'motzkin', multipliers: F2.multipliers }), {
      rule: 'F4',
      path: 'proof.cases[0].tree.multipliers',
      expected: 'multipliers of strict (<) rows summing to > 0 (motzkin)',
      got: '0',
    });
  });
});

describe('Q1-Q3: l2dual leaves', () => {
  /** k = 1, one point, label -1: (z + 1)^2 >= 1; residual 1 and zlb:0:0 give the dual value 1. */
  const L2 = relu(1, 1, 'positive', { type: 'l2', bound: '2', strict: true });
  const at = (tree: Json, instance: Json = L2): CheckOutcome => run(instance, { lemmas: [], cases: [oneCase(1, tree)] });
  const dual = (residuals: Json, multipliers: Json = { 'zlb:0:0': '1' }): Json => ({ leaf: 'l2dual', residuals, multipliers });
  it('accepts the dual value 1 against the strict bound 1', () => {
    expectValid(at(dual(['1']), relu(1, 1, 'positive', { type: 'l2', bound: '1', strict: true })));
  });
  it('an l2dual leaf for another loss (Q1)', () => {
    expectRejection(at(dual(['1', '0', '0']), POS1), {
      rule: 'Q1',
      path: 'proof.cases[0].tree.leaf',
      expected: 'an l2dual leaf only for the loss l2',
      got: 'loss exact',
    });
  });
  it('residuals that are not a list (Q1)', () => {
    expectRejection(at(dual(5)), { rule: 'Q1', path: 'proof.cases[0].tree.residuals', expected: 'an array', got: 'the JSON number 5' });
  });
  it('residuals not one per point (Q1)', () => {
    expectRejection(at(dual([])), { rule: 'Q1', path: 'proof.cases[0].tree.residuals', expected: '1 residuals (one per point)', got: '0' });
  });
  it('multipliers that are not an object (F1)', () => {
    expectRejection(at(dual(['1'], 5)), {
      rule: 'F1',
      path: 'proof.cases[0].tree.multipliers',
      expected: 'an object {row name: multiplier}',
      got: 'the JSON number 5',
    });
  });
  it('stationarity fails (Q2)', () => {
    expectRejection(at(dual(['1'], {})), {
      rule: 'Q2',
      path: 'proof.cases[0].tree',
      expected: 'sum_i residuals[i] * f_i + the combination of left-hand sides to be 0 in every variable',
      got: 'z:0:0 has 1',
    });
  });
  it('a dual value below a strict bound (Q3: ">=")', () => {
    expectRejection(at(dual(['1'])), { rule: 'Q3', path: 'proof.cases[0].tree', expected: 'a dual value >= 2 (the l2 bound)', got: '1' });
  });
});

describe('S1-S2: symmetry leaves', () => {
  const sym = (over: Json = {}): Json => ({ leaf: 'symmetry', units: [0, 1], point: 0, ...over });
  /** The leaf below the literals `lits` of POS2 (L5 declared). */
  const below = (lits: Array<[number, number, boolean]>, leaf: Json): { outcome: CheckOutcome; path: string } => {
    const { tree, path } = chain(lits, leaf);
    return { outcome: run(POS2, { lemmas: ['L5'], cases: [oneCase(2, tree)] }), path };
  };
  const ORDERED: Array<[number, number, boolean]> = [
    [0, 0, false],
    [1, 0, true],
  ];
  it('a leaf with an unknown field (S1)', () => {
    const { outcome, path } = below(ORDERED, sym({ note: 1 }));
    expectRejection(outcome, { rule: 'S1', path: `${path}.note`, expected: 'only the fields leaf, units, point', got: 'unknown field "note"' });
  });
  it('units that are not a list (S1)', () => {
    const { outcome, path } = below(ORDERED, sym({ units: 'x' }));
    expectRejection(outcome, { rule: 'S1', path: `${path}.units`, expected: 'an array', got: '"x"' });
  });
  it('units that are not two (S1)', () => {
    const { outcome, path } = below(ORDERED, sym({ units: [0] }));
    expectRejection(outcome, { rule: 'S1', path: `${path}.units`, expected: 'two units [j, j+1]', got: '1 entries' });
  });
  it('a first unit that is not a unit (S1)', () => {
    const { outcome, path } = below(ORDERED, sym({ units: ['0', 1] }));
    expectRejection(outcome, { rule: 'S1', path: `${path}.units[0]`, expected: 'unit: an integer from 0 to 1', got: '"0"' });
  });
  it('a second unit that is not a unit (S1)', () => {
    const { outcome, path } = below(ORDERED, sym({ units: [0, 2] }));
    expectRejection(outcome, { rule: 'S1', path: `${path}.units[1]`, expected: 'unit: an integer from 0 to 1', got: 'the JSON number 2' });
  });
  it('units that are not consecutive (S1)', () => {
    const { outcome, path } = below(ORDERED, sym({ units: [1, 0] }));
    expectRejection(outcome, { rule: 'S1', path: `${path}.units`, expected: 'two consecutive units [j, j+1]', got: '[1, 0]' });
  });
  it('units with different fixed output weights (S1)', () => {
    const off = { leaf: 'farkas', multipliers: { 'fit:0': '1', 'zlb:0:0': '1', 'zlb:1:0': '2' } };
    const { tree, path } = chain(ORDERED, sym(), 'proof.cases[0].tree', off);
    const outcome = run(relu(2, 3, ['1', '2']), { lemmas: ['L5'], cases: [{ a: ['1', '2'], tree }] });
    expectRejection(outcome, { rule: 'S1', path: `${path}.units`, expected: 'twin units (equal output weights in the case)', got: 'output weights 1 and 2' });
  });
  it('units in the "free" case are twins (goes on to S2)', () => {
    const free = { ...relu(2, 3, 'free'), architecture: { hidden: 2, activation: 'threshold', outputWeights: 'free', outputBias: false } };
    const outcome = run(free, { lemmas: ['L2', 'L5'], cases: [{ a: 'free', tree: sym() }] });
    expectRejection(outcome, { rule: 'S2', path: 'proof.cases[0].tree', expected: 'INACT(0, 0) and ACT(1, 0) on the path', got: 'no literal and no literal' });
  });
  it('a point that is not a point (S2)', () => {
    const { outcome, path } = below(ORDERED, sym({ point: 3 }));
    expectRejection(outcome, { rule: 'S2', path: `${path}.point`, expected: 'point: an integer from 0 to 2', got: 'the JSON number 3' });
  });
  it('an earlier point with no literal on either unit (S2)', () => {
    const { outcome, path } = below(
      [
        [0, 1, false],
        [1, 1, true],
      ],
      sym({ point: 1 }),
    );
    expectRejection(outcome, { rule: 'S2', path, expected: 'equal literals on units 0 and 1 at point 0 (before point 1)', got: 'no literal and no literal' });
  });
  it('an earlier point with a literal on unit j+1 only (S2)', () => {
    const { outcome, path } = below(
      [
        [1, 0, true],
        [0, 1, false],
        [1, 1, true],
      ],
      sym({ point: 1 }),
    );
    expectRejection(outcome, { rule: 'S2', path, expected: 'equal literals on units 0 and 1 at point 0 (before point 1)', got: 'no literal and ACT' });
  });
  it('an earlier point with a literal on unit j only (S2)', () => {
    const { outcome, path } = below(
      [
        [0, 0, true],
        [0, 1, false],
        [1, 1, true],
      ],
      sym({ point: 1 }),
    );
    expectRejection(outcome, { rule: 'S2', path, expected: 'equal literals on units 0 and 1 at point 0 (before point 1)', got: 'ACT and no literal' });
  });
  it('an earlier point with different literals (S2)', () => {
    const { outcome, path } = below(
      [
        [0, 0, false],
        [1, 0, true],
        [0, 1, false],
        [1, 1, true],
      ],
      sym({ point: 1 }),
    );
    expectRejection(outcome, { rule: 'S2', path, expected: 'equal literals on units 0 and 1 at point 0 (before point 1)', got: 'INACT and ACT' });
  });
  it('a second earlier point that differs, after an equal first one (S2)', () => {
    const lits: Array<[number, number, boolean]> = [
      [0, 0, false],
      [1, 0, false],
      [0, 1, true],
      [0, 2, false],
      [1, 2, true],
    ];
    const { outcome, path } = below(lits, sym({ point: 2 }));
    expectRejection(outcome, { rule: 'S2', path, expected: 'equal literals on units 0 and 1 at point 1 (before point 2)', got: 'ACT and no literal' });
  });
  it('at the point, INACT(j) but no literal on j+1 (S2)', () => {
    const { outcome, path } = below([[0, 0, false]], sym());
    expectRejection(outcome, { rule: 'S2', path, expected: 'INACT(0, 0) and ACT(1, 0) on the path', got: 'INACT and no literal' });
  });
  it('at the point, ACT(j+1) but no literal on j (S2)', () => {
    const { outcome, path } = below([[1, 0, true]], sym());
    expectRejection(outcome, { rule: 'S2', path, expected: 'INACT(0, 0) and ACT(1, 0) on the path', got: 'no literal and ACT' });
  });
  it('at the point, the mirror image ACT(j), INACT(j+1) (S2)', () => {
    const { outcome, path } = below(
      [
        [0, 0, true],
        [1, 0, false],
      ],
      sym(),
    );
    expectRejection(outcome, { rule: 'S2', path, expected: 'INACT(0, 0) and ACT(1, 0) on the path', got: 'ACT and INACT' });
  });
});

describe('D1: the lemmas of a case', () => {
  /** POS2 with one lemma assuming `assume` (tree F2), used nowhere. */
  const withAssume = (assume: Json, instance: Json = POS2, k = 2): CheckOutcome =>
    run(instance, { lemmas: ['L6'], cases: [oneCase(k, farkas(k), [{ assume, tree: farkas(k) }])] }, 2);
  const LITERAL = 'a literal "act:j:i" or "inact:j:i" with j < 2 and i < 3';
  it('lemmas that are not a list', () => {
    expectRejection(run(POS2, { lemmas: [], cases: [oneCase(2, F2, 5)] }, 2), {
      rule: 'D1',
      path: 'proof.cases[0].lemmas',
      expected: 'an array',
      got: 'the JSON number 5',
    });
  });
  it('assume that is not a list', () => {
    expectRejection(withAssume('act:0:1'), { rule: 'D1', path: 'proof.cases[0].lemmas[0].assume', expected: 'an array', got: '"act:0:1"' });
  });
  it('an assumed literal that is not a string', () => {
    expectRejection(withAssume([5]), { rule: 'D1', path: 'proof.cases[0].lemmas[0].assume[0]', expected: 'a string', got: 'the JSON number 5' });
  });
  for (const name of ['xact:0:1', 'act:0:1x', 'act:01:1', 'act:0:01', 'act:a:1', 'act:0:1:2', 'ACT:0:1', 'act:0'])
    it(`an assumed literal ${JSON.stringify(name)} that is not a canonical literal name`, () => {
      expectRejection(withAssume([name]), { rule: 'D1', path: 'proof.cases[0].lemmas[0].assume[0]', expected: LITERAL, got: JSON.stringify(name) });
    });
  it('an assumed literal on unit k', () => {
    expectRejection(withAssume(['inact:2:0']), { rule: 'D1', path: 'proof.cases[0].lemmas[0].assume[0]', expected: LITERAL, got: '"inact:2:0"' });
  });
  it('an assumed literal on point n', () => {
    expectRejection(withAssume(['act:1:3']), { rule: 'D1', path: 'proof.cases[0].lemmas[0].assume[0]', expected: LITERAL, got: '"act:1:3"' });
  });
  it('an assumed literal with two-digit unit and point indices is read (k = n = 11)', () => {
    // the lemma goes unused: D4 is reached only if D1 read "act:10:10"
    expectRejection(withAssume(['act:10:10'], relu(11, 11), 11), {
      rule: 'D4',
      path: 'proof.cases[0].lemmas[0]',
      expected: 'a lemma used by at least one lemma leaf of its case',
      got: 'a lemma no leaf uses',
    });
  });
  it('the same unit and point assumed twice', () => {
    expectRejection(withAssume(['act:0:1', 'inact:0:1']), {
      rule: 'D1',
      path: 'proof.cases[0].lemmas[0].assume[1]',
      expected: 'each (unit, point) once among the assumed literals',
      got: 'unit 0, point 1 again',
    });
  });
});

describe('D2-D4: lemma leaves', () => {
  const LEMMA0 = { assume: ['act:0:1'], tree: F2 };
  const at = (tree: Json, lemmas: Json[] = [LEMMA0]): CheckOutcome => run(POS2, { lemmas: ['L6'], cases: [oneCase(2, tree, lemmas)] }, 2);
  it('a lemma leaf with an unknown field (D2)', () => {
    const { tree, path } = chain([[0, 1, true]], { leaf: 'lemma', index: 0, note: 1 });
    expectRejection(at(tree), { rule: 'D2', path: `${path}.note`, expected: 'only the fields leaf, index', got: 'unknown field "note"' });
  });
  it('a lemma leaf in a case without lemmas (D2)', () => {
    expectRejection(at({ leaf: 'lemma', index: 0 }, []), {
      rule: 'D2',
      path: 'proof.cases[0].tree.index',
      expected: 'no lemma leaf here (no earlier lemma of this case)',
      got: 'the JSON number 0',
    });
  });
  it("a lemma leaf in the case's first lemma (D2)", () => {
    const lemmas = [{ assume: [], tree: { leaf: 'lemma', index: 0 } }];
    expectRejection(at(F2, lemmas), {
      rule: 'D2',
      path: 'proof.cases[0].lemmas[0].tree.index',
      expected: 'no lemma leaf here (no earlier lemma of this case)',
      got: 'the JSON number 0',
    });
  });
  it('a lemma leaf naming its own lemma (D2)', () => {
    const lemmas = [
      { assume: [], tree: F2 },
      { assume: [], tree: { leaf: 'lemma', index: 1 } },
    ];
    expectRejection(at({ leaf: 'lemma', index: 0 }, lemmas), {
      rule: 'D2',
      path: 'proof.cases[0].lemmas[1].tree.index',
      expected: 'an earlier lemma of this case: an integer from 0 to 0',
      got: 'the JSON number 1',
    });
  });
  it('a lemma leaf index that is not a number (D2)', () => {
    expectRejection(at({ leaf: 'lemma', index: '0' }), {
      rule: 'D2',
      path: 'proof.cases[0].tree.index',
      expected: 'an earlier lemma of this case: an integer from 0 to 0',
      got: '"0"',
    });
  });
  it('a lemma leaf where an assumed literal is missing from the path (D3)', () => {
    expectRejection(at({ leaf: 'lemma', index: 0 }), {
      rule: 'D3',
      path: 'proof.cases[0].tree',
      expected: 'every literal lemma 0 assumes on the path, ACT(0,1) among them',
      got: 'no literal on that unit and point',
    });
  });
  it('a lemma leaf where the path has the opposite literal (D3)', () => {
    const { tree, path } = chain(
      [
        [1, 2, false],
        [0, 1, true],
      ],
      { leaf: 'lemma', index: 0 },
    );
    expectRejection(at(tree, [{ assume: ['inact:1:2', 'inact:0:1'], tree: F2 }]), {
      rule: 'D3',
      path,
      expected: 'every literal lemma 0 assumes on the path, INACT(0,1) among them',
      got: 'ACT(0,1)',
    });
  });
  it('a lemma leaf where the path has INACT for an assumed ACT (D3)', () => {
    const { tree, path } = chain([[0, 1, false]], { leaf: 'lemma', index: 0 });
    expectRejection(at(tree), { rule: 'D3', path, expected: 'every literal lemma 0 assumes on the path, ACT(0,1) among them', got: 'INACT(0,1)' });
  });
  it('a lemma no leaf uses (D4), though a later one is used', () => {
    const { tree } = chain([[0, 1, true]], { leaf: 'lemma', index: 1 });
    expectRejection(at(tree, [{ assume: [], tree: F2 }, LEMMA0]), {
      rule: 'D4',
      path: 'proof.cases[0].lemmas[0]',
      expected: 'a lemma used by at least one lemma leaf of its case',
      got: 'a lemma no leaf uses',
    });
  });
});

describe('C4: the walk is charged per node and per lookup, whatever the depth (section 6)', () => {
  /** The work a valid check spends. */
  function work(instance: Json, proof: Json, format: 1 | 2 = 1): number {
    const o = expectValid(run(instance, proof, format));
    // the least limit that passes is exactly the work spent
    expectValid(run(instance, proof, format, o.work));
    expectRejection(run(instance, proof, format, o.work - 1), {
      rule: 'C4',
      path: '',
      expected: `a check within ${o.work - 1} units of work (section 6)`,
      got: 'numbers, rows or nodes that need more',
    });
    return o.work;
  }
  it('the same split deeper in the path ("inact" for "act", a longer field path) costs the same', () => {
    const inner = { split: { unit: 1, point: 1 }, act: F2, inact: F2 };
    const underAct = { split: { unit: 0, point: 0 }, act: inner, inact: F2 };
    const underInact = { split: { unit: 0, point: 0 }, act: F2, inact: inner };
    expect(work(POS2, { lemmas: [], cases: [oneCase(2, underInact)] })).toBe(work(POS2, { lemmas: [], cases: [oneCase(2, underAct)] }));
  });
  it('a lemma with one more assumed literal costs one lookup more for each of its uses and once for its start (COST.lookup each)', () => {
    const proof = (assume: string[]): Json => {
      const lemma = { assume, tree: { split: { unit: 1, point: 0 }, act: F2, inact: F2 } };
      const main = chain(
        [
          [0, 1, true],
          [0, 2, true],
        ],
        { leaf: 'lemma', index: 0 },
      ).tree;
      return { lemmas: ['L6'], cases: [oneCase(2, main, [lemma])] };
    };
    const one = work(POS2, proof(['act:0:1']), 2);
    const two = work(POS2, proof(['act:0:1', 'act:0:2']), 2);
    // reading the literal (D1: one lookup), putting it on the lemma's path (one), and checking it at the lemma leaf (D3: one),
    // besides reading its name: "act:0:2" has one more character than nothing, and the JSON reader is not charged
    expect(two - one).toBe(3 * COST.lookup);
  });
});
