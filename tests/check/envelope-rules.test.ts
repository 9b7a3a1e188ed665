/**
 * Envelope rows env:S:i (docs/certificates.md 4.3, docs/lemmas.md L11):
 * g_S(x_i) + c <= y_i with g_S(x) = sum_j a_j (h_j(x) if j in S, else
 * slope h_j(x)), S a set of units written as a bit mask. Accept and reject
 * cases, each named after what it shows; the rows written out term by term.
 */
import { describe, expect, it } from 'vitest';
import { type Instance, readInstance } from '../../src/check/instance.js';
import { isJsonError, parseJson } from '../../src/check/json.js';
import { Rat } from '../../src/check/rational.js';
import { Rejection } from '../../src/check/rejection.js';
import { type Row, caseSystem, rowNamed } from '../../src/check/rows.js';
import { convexSolve } from '../../src/engines/convex/index.js';
import { instanceHash, instanceToJson } from '../../src/format/write.js';
import { toInstance } from '../../src/format/schema.js';
import { type Json, check, clone, expectRejected, expectRejection, expectValid, leaves, makeInstance, solveToCertificate } from './helpers.js';

/** An infeasibility certificate for the instance object with one tree per case, the cases and lemmas as given. */
function certificate(instance: Json, cases: Json[], lemmas: string[] = []): Json {
  const inst = toInstance(instance, 'test');
  return {
    format: 'relucert-certificate/1',
    verdict: 'infeasible',
    instanceHash: instanceHash(inst),
    instance: instanceToJson(inst),
    proof: { lemmas, cases },
  };
}

/** Labels 1, -2, 1 at -1, 0, 1: no sum of ReLUs with positive output weights and no output bias reaches -2 (f >= 0). */
const NEGATIVE = makeInstance({ labels: ['1', '-2', '1'] }, { hidden: 2, outputWeights: 'positive' });
/** The root leaf: env:0:1 is 0 <= -2 (no unit in S, slope 0, no bias). */
const ROOT_LEAF = { leaf: 'farkas', multipliers: { 'env:0:1': '1' } };
const ONES = ['1', '1'];

/** The row as text, its terms sorted by variable. */
function rowText(r: Row | string): string {
  if (typeof r === 'string') return `(no row: ${r})`;
  const terms = [...r.coefs].filter(([, c]) => !c.isZero()).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${terms.map(([v, c]) => `${c} ${v}`).join(' + ') || '0'} ${r.sense} ${r.rhs}`;
}

function checkerInstance(obj: Json): Instance {
  const v = parseJson(JSON.stringify(obj));
  if (isJsonError(v)) throw new Error(v.message);
  const r = readInstance(v, 'instance');
  if (r instanceof Rejection) throw new Error(JSON.stringify(r));
  return r;
}

describe('env rows, accepted', () => {
  it('a root leaf of one envelope row: 0 <= -2 refutes positive output weights without output bias', () => {
    expectValid(check(certificate(NEGATIVE, [{ a: ONES, tree: ROOT_LEAF }])));
  });
  it("the convex engine's proofs name envelope rows, and the checker accepts them (ReLU, output bias)", () => {
    // |x| at -2..2 with the label at 0 raised to 3/2: above the convex envelope of its neighbours
    const inst = makeInstance(
      { points: [['-2'], ['-1'], ['0'], ['1'], ['2']], labels: ['2', '1', '3/2', '1', '2'] },
      { hidden: 2, outputWeights: 'positive', outputBias: true },
    );
    const cert = solveToCertificate(inst, convexSolve);
    expect(cert.verdict).toBe('infeasible');
    const names = leaves(cert).flatMap((l) => Object.keys(l.node.multipliers ?? {}));
    expect(names.some((n) => n.startsWith('env:'))).toBe(true);
    expectValid(check(cert));
  });
  it('with a leaky slope and a list of output weights >= 0 (the row carries the slope and the weights)', () => {
    const inst = makeInstance(
      { points: [['-2'], ['-1'], ['0'], ['1'], ['2']], labels: ['2', '1', '3/2', '1', '2'] },
      { hidden: 2, activation: 'leaky-relu', slope: '1/4', outputWeights: ['2', '0'], outputBias: true },
    );
    const cert = solveToCertificate(inst, convexSolve);
    expect(cert.verdict).toBe('infeasible');
    expect(leaves(cert).some((l) => Object.keys(l.node.multipliers ?? {}).some((n) => n.startsWith('env:')))).toBe(true);
    expectValid(check(cert));
  });
});

describe('env rows, rejected', () => {
  it('used with sign output weights: no envelope row exists (F1), even in the all-ones case', () => {
    const inst = { ...NEGATIVE, architecture: { ...NEGATIVE.architecture, outputWeights: 'signs' } };
    // the all-ones case first: the row is refused there too, where the case's weights happen to be positive
    const cases = [ONES, ['-1', '-1'], ['-1', '1']].map((a) => ({ a, tree: ROOT_LEAF }));
    expectRejection(check(certificate(inst, cases, ['L4'])), {
      rule: 'F1',
      path: 'proof.cases[0].tree.multipliers["env:0:1"]',
      expected: 'the name of a base row or of a literal row of the path',
      got: '"env:0:1": env rows exist only for ReLU and leaky ReLU units with output weights positive or a list of numbers >= 0, and loss exact',
    });
  });
  it('used with free output weights: no envelope row exists (F1)', () => {
    const inst = { ...NEGATIVE, architecture: { ...NEGATIVE.architecture, outputWeights: 'free' } };
    const cases = [['-1', '-1'], ['-1', '1'], ONES].map((a) => ({ a, tree: ROOT_LEAF }));
    expectRejected(check(certificate(inst, cases, ['L1', 'L4'])), 'F1', 'proof.cases[0].tree.multipliers["env:0:1"]');
  });
  it('used with a fixed list holding a negative output weight: no envelope row exists (F1)', () => {
    const inst = { ...NEGATIVE, architecture: { ...NEGATIVE.architecture, outputWeights: ['1', '-1'] } };
    expectRejected(check(certificate(inst, [{ a: ['1', '-1'], tree: ROOT_LEAF }])), 'F1', 'proof.cases[0].tree.multipliers["env:0:1"]');
  });
  it('used with threshold units: no envelope row exists (F1)', () => {
    const inst = { ...NEGATIVE, architecture: { ...NEGATIVE.architecture, activation: 'threshold' } };
    expectRejected(check(certificate(inst, [{ a: ONES, tree: ROOT_LEAF }], ['L2'])), 'F1', 'proof.cases[0].tree.multipliers["env:0:1"]');
  });
  it('with a loss other than exact (l1): no envelope row exists (F1)', () => {
    const inst = { ...NEGATIVE, loss: { type: 'l1', bound: '1' } };
    expectRejected(check(certificate(inst, [{ a: ONES, tree: ROOT_LEAF }])), 'F1', 'proof.cases[0].tree.multipliers["env:0:1"]');
  });
  it('with a leaky slope, the ReLU form of the row does not hold: env:0:1 is then 1/4 (h_0 + h_1) <= -2, not 0 <= -2 (F3)', () => {
    const inst = { ...NEGATIVE, architecture: { ...NEGATIVE.architecture, activation: 'leaky-relu', slope: '1/4' } };
    expectRejected(check(certificate(inst, [{ a: ONES, tree: ROOT_LEAF }])), 'F3', 'proof.cases[0].tree.multipliers');
  });
  it('a wrong subset: the subset of a needed row changed to another one (F3)', () => {
    const inst = makeInstance(
      { points: [['-2'], ['-1'], ['0'], ['1'], ['2']], labels: ['2', '1', '3/2', '1', '2'] },
      { hidden: 2, outputWeights: 'positive', outputBias: true },
    );
    const cert = clone(solveToCertificate(inst, convexSolve));
    const leaf = leaves(cert).find((l) => Object.keys(l.node.multipliers ?? {}).some((n) => n.startsWith('env:')))!;
    const m = leaf.node.multipliers as Record<string, string>;
    const name = Object.keys(m).find((n) => n.startsWith('env:'))!;
    const [, mask, point] = name.split(':');
    const other = Object.keys(m).includes(`env:${3 - Number(mask)}:${point}`) ? `env:${(Number(mask) + 1) % 4}:${point}` : `env:${3 - Number(mask)}:${point}`;
    expect(Object.keys(m)).not.toContain(other);
    leaf.node.multipliers = Object.fromEntries(Object.entries(m).map(([k, v]) => [k === name ? other : k, v]));
    expectRejected(check(cert), 'F3', `${leaf.path}.multipliers`);
  });
  it('a subset beyond the units (mask >= 2^k), a non-canonical mask, a missing or extra index, a point that is not a number: not a row name (F1)', () => {
    const why = 'env:S:i needs a set of units S as a bit mask from 0 to 2^2 - 1 and a point index i from 0 to 2';
    for (const name of ['env:4:1', 'env:01:1', 'env:0', 'env:0:3', 'env:1:0:0', 'env:1:x', 'env:1:']) {
      const tree = { leaf: 'farkas', multipliers: { [name]: '1' } };
      expectRejection(check(certificate(NEGATIVE, [{ a: ONES, tree }])), {
        rule: 'F1',
        path: `proof.cases[0].tree.multipliers["${name}"]`,
        expected: 'the name of a base row or of a literal row of the path',
        got: `"${name}": ${why}`,
      });
    }
  });
  it('a negative multiplier on an envelope row (an inequality) is rejected (F2)', () => {
    const tree = { leaf: 'farkas', multipliers: { 'env:0:0': '-1' } };
    expectRejected(check(certificate(NEGATIVE, [{ a: ONES, tree }])), 'F2', 'proof.cases[0].tree.multipliers["env:0:0"]');
  });
});

describe('env rows, term by term', () => {
  // points (1, 2), (-1, 3); labels 1, -1/2
  const pts = {
    points: [
      ['1', '2'],
      ['-1', '3'],
    ],
    labels: ['1', '-1/2'],
  };
  it.each<[string, Json, Json, Record<string, string>]>([
    [
      'ReLU, positive, output bias',
      makeInstance(pts, { hidden: 2, outputWeights: 'positive', outputBias: true }),
      ONES,
      {
        'env:0:1': '1 c <= -1/2',
        'env:1:0': '1 b:0 + 1 c + 1 w:0:0 + 2 w:0:1 <= 1',
        'env:3:1': '1 b:0 + 1 b:1 + 1 c + -1 w:0:0 + 3 w:0:1 + -1 w:1:0 + 3 w:1:1 <= -1/2',
      },
    ],
    [
      'leaky ReLU of slope 1/2, output weights (2, 0), no output bias',
      makeInstance(pts, { hidden: 2, activation: 'leaky-relu', slope: '1/2', outputWeights: ['2', '0'] }),
      ['2', '0'],
      {
        'env:0:0': '1 b:0 + 1 w:0:0 + 2 w:0:1 <= 1',
        'env:1:0': '2 b:0 + 2 w:0:0 + 4 w:0:1 <= 1',
        'env:2:1': '1 b:0 + -1 w:0:0 + 3 w:0:1 <= -1/2',
      },
    ],
    [
      // JavaScript shifts take the count mod 32: (mask >> 32) is mask itself, so units 32 and 33 must be
      // kept out by the bound on the bit (a mask is below 10^9 < 2^30), and 2^34 must not be computed as 1 << 34 = 4
      'ReLU, 34 positive units: a mask names units below 30 only, and masks up to 2^30 - 1 are names',
      makeInstance(pts, { hidden: 34, outputWeights: 'positive' }),
      Array.from({ length: 34 }, () => '1'),
      {
        'env:3:0': '1 b:0 + 1 b:1 + 1 w:0:0 + 2 w:0:1 + 1 w:1:0 + 2 w:1:1 <= 1',
        'env:5:1': '1 b:0 + 1 b:2 + -1 w:0:0 + 3 w:0:1 + -1 w:2:0 + 3 w:2:1 <= -1/2',
      },
    ],
  ])('%s', (_, instance, a, want) => {
    const sys = caseSystem(
      checkerInstance(instance),
      a.map((x: string) => Rat.parse(x)!),
    );
    expect(Object.fromEntries(Object.keys(want).map((n) => [n, rowText(rowNamed(sys, n, new Map()))]))).toEqual(want);
  });
});
