/** Infeasible certificates: P1 (cases, lemmas), P2 (splits), F1-F4 (leaves). */
import { describe, expect, it } from 'vitest';
import { fieldPath } from '../../src/check/json.js';
import { toInstance } from '../../src/format/schema.js';
import { instanceHash } from '../../src/format/write.js';
import {
  type Json,
  check,
  checkText,
  clone,
  expectRejected,
  expectValid,
  leaves,
  makeInstance,
  readInstanceFile,
  solveToCertificate,
  splits,
} from './helpers.js';

const abs1 = readInstanceFile('abs-3-k1');
/** Infeasible, relu signs k = 1: cases (1) with a tree, (-1) a leaf. */
const absCert = solveToCertificate(abs1);
/** Infeasible, relu signs k = 2 with output bias: cases (1,1), (-1,1), (-1,-1). */
const zigzag = makeInstance({ points: [['0'], ['1'], ['2'], ['3'], ['4']], labels: ['0', '1', '0', '1', '0'] }, { hidden: 2, outputBias: true });
const zigzagCert = solveToCertificate(zigzag);
/** Infeasible with a strict l1 bound: Motzkin leaves on l1sum. */
const strictL1Cert = solveToCertificate(makeInstance({ loss: { type: 'l1', bound: '1', strict: true } }));
/** Threshold units, fixed signs, classification without L3: strict cls rows. */
const thresholdCls = makeInstance(
  { points: [['0'], ['1'], ['2']], labels: ['1', '-1', '1'], loss: { type: 'classification' } },
  { activation: 'threshold', outputBias: true },
);
const thresholdClsCert = solveToCertificate(thresholdCls);

/** The first leaf whose multipliers include `row`. */
function leafWith(cert: Json, row: string): { node: Json; path: string } {
  const found = leaves(cert).find((l) => row in l.node.multipliers);
  if (!found) throw new Error(`no leaf uses ${row}`);
  return found;
}

describe('P1: normalisation cases and lemmas', () => {
  it('accepts the emitted proof for abs-3-k1 (k+1 = 2 sorted sign vectors, L4)', () => {
    const v = expectValid(check(absCert));
    expect(v.statement).toBe('no network with 1 relu unit (output weights signs, no output bias) fits "abs-3-k1" with zero error on 3 points');
    expect([v.nodes, v.leaves]).toEqual([10, 6]);
  });
  it('accepts the three sorted sign vectors for k = 2', () => {
    expect(zigzagCert.proof.cases.map((c: Json) => c.a.join(' '))).toEqual(['1 1', '-1 1', '-1 -1']);
    expectValid(check(zigzagCert));
  });
  it('accepts the cases in any order, and lemmas in any order', () => {
    const c = clone(zigzagCert);
    c.proof.cases.reverse();
    expectValid(check(c));
    const t = clone(thresholdClsCert);
    t.proof.lemmas.reverse();
    expectValid(check(t));
  });
  it('compares case labels exactly ("-2/2" is -1)', () => {
    const c = clone(absCert);
    c.proof.cases[1].a = ['-2/2'];
    expectValid(check(c));
  });
  it('accepts relu with free output weights as sign vectors (L1, L4, and L3 for classification)', () => {
    const inst = makeInstance(
      {
        points: [
          ['0', '0'],
          ['1', '0'],
          ['-1', '0'],
          ['0', '1'],
          ['0', '-1'],
        ],
        labels: ['1', '-1', '-1', '-1', '-1'],
        loss: { type: 'classification' },
      },
      { outputWeights: 'free', outputBias: true },
    );
    const cert = solveToCertificate(inst);
    expect(new Set(cert.proof.lemmas)).toEqual(new Set(['L1', 'L3', 'L4']));
    expectValid(check(cert));
  });
  it('accepts the one "free" case for threshold units with free output weights (L2, L3)', () => {
    const inst = makeInstance(
      {
        points: [
          ['0', '0'],
          ['0', '1'],
          ['1', '0'],
          ['1', '1'],
        ],
        labels: ['-1', '1', '1', '-1'],
        loss: { type: 'classification' },
      },
      { activation: 'threshold', outputWeights: 'free', outputBias: true },
    );
    const cert = solveToCertificate(inst);
    expect(cert.proof.cases.map((c: Json) => c.a)).toEqual(['free']);
    expectValid(check(cert));
  });
  it('accepts one all-ones case for positive output weights (no lemma)', () => {
    const cert = solveToCertificate(makeInstance({ labels: ['-1', '0', '-1'] }, { hidden: 2, outputWeights: 'positive' }));
    expectValid(check(cert));
  });

  it('rejects a missing case', () => {
    const c = clone(zigzagCert);
    c.proof.cases.splice(1, 1);
    const r = expectRejected(check(c), 'P1', 'proof.cases');
    expect(r.got).toBe('no case (-1, 1)');
  });
  it('rejects an extra (repeated) case', () => {
    const c = clone(absCert);
    c.proof.cases.push(clone(c.proof.cases[0]));
    expectRejected(check(c), 'P1', 'proof.cases[2].a');
  });
  it('rejects a case outside the table', () => {
    const c = clone(absCert);
    c.proof.cases[1].a = ['2'];
    expectRejected(check(c), 'P1', 'proof.cases[1].a');
  });
  it('rejects an unsorted sign vector (L4 gives only sorted ones)', () => {
    const c = clone(zigzagCert);
    c.proof.cases[1].a = ['1', '-1'];
    expectRejected(check(c), 'P1', 'proof.cases[1].a');
  });
  it('rejects "free" where the cases are sign vectors', () => {
    const c = clone(absCert);
    c.proof.cases[0].a = 'free';
    expectRejected(check(c), 'P1', 'proof.cases[0].a');
  });
  it('rejects a lemma list that differs from the lemmas applied', () => {
    for (const lemmas of [[], ['L4', 'L1'], ['L4', 'L4'], ['L2'], 'L4']) {
      const c = clone(absCert);
      c.proof.lemmas = lemmas;
      expectRejected(check(c), 'P1');
    }
  });
  it('rejects an unknown field in proof or in a case', () => {
    const c = clone(absCert);
    c.proof.note = 'x';
    expectRejected(check(c), 'P1', 'proof.note');
    const d = clone(absCert);
    d.proof.cases[0].hint = 1;
    expectRejected(check(d), 'P1', 'proof.cases[0].hint');
  });
});

describe('P2: splits', () => {
  it('accepts splits whose children are written inact first', () => {
    const c = clone(absCert);
    const t = c.proof.cases[0].tree;
    c.proof.cases[0].tree = { inact: t.inact, split: t.split, act: t.act };
    expectValid(check(c));
  });
  it('accepts a leaf placed high in the tree (it needs only the literals it uses)', () => {
    // case (-1) is proved at the root from base rows alone
    expect('leaf' in absCert.proof.cases[1].tree).toBe(true);
    expectValid(check(absCert));
  });
  it('rejects a split with a missing child', () => {
    const c = clone(absCert);
    delete c.proof.cases[0].tree.inact;
    expectRejected(check(c), 'P2', 'proof.cases[0].tree.inact');
  });
  it('rejects a unit or point index out of range', () => {
    const c = clone(absCert);
    c.proof.cases[0].tree.split.unit = 1;
    expectRejected(check(c), 'P2', 'proof.cases[0].tree.split.unit');
    const d = clone(absCert);
    d.proof.cases[0].tree.split.point = 3;
    expectRejected(check(d), 'P2', 'proof.cases[0].tree.split.point');
    const e = clone(absCert);
    e.proof.cases[0].tree.split.point = -1;
    expectRejected(check(e), 'P2', 'proof.cases[0].tree.split.point');
  });
  it('rejects an index written as a string or a float', () => {
    const c = clone(absCert);
    c.proof.cases[0].tree.split.unit = '0';
    expectRejected(check(c), 'P2', 'proof.cases[0].tree.split.unit');
    const text = JSON.stringify(absCert).replace('"split":{"unit":0,"point":0}', '"split":{"unit":0.0,"point":0}');
    expectRejected(checkText(text), 'P2', 'proof.cases[0].tree.split.unit');
  });
  it('rejects a literal split twice on one path', () => {
    const c = clone(absCert);
    const root = c.proof.cases[0].tree;
    root.act = { split: { unit: 0, point: 0 }, act: root.act, inact: root.act };
    const r = expectRejected(check(c), 'P2', 'proof.cases[0].tree.act.split');
    expect(r.got).toContain('already ACT');
  });
  it('rejects a node that is neither a split nor a leaf', () => {
    const c = clone(absCert);
    c.proof.cases[1].tree = { cut: 1 };
    expectRejected(check(c), 'P2', 'proof.cases[1].tree');
    const d = clone(absCert);
    d.proof.cases[1].tree.leaf = 'simplex';
    expectRejected(check(d), 'P2', 'proof.cases[1].tree.leaf');
  });
  it('rejects an extra field in a split', () => {
    const c = clone(absCert);
    c.proof.cases[0].tree.depth = 0;
    expectRejected(check(c), 'P2', 'proof.cases[0].tree.depth');
  });
});

describe('F1: row names', () => {
  it('accepts a zero multiplier written out', () => {
    const c = clone(absCert);
    c.proof.cases[1].tree.multipliers['zh:0:0'] = '0';
    expectValid(check(c));
  });
  it('rejects a dropped subtree (a split replaced by one child)', () => {
    const c = clone(absCert);
    c.proof.cases[0].tree = c.proof.cases[0].tree.act;
    expectRejected(check(c), 'F1');
  });
  it('rejects swapped children (act <-> inact)', () => {
    const c = clone(absCert);
    const t = c.proof.cases[0].tree;
    [t.act, t.inact] = [t.inact, t.act];
    const r = expectRejected(check(c), 'F1');
    expect(r.got).toContain('is not on the path');
  });
  it('rejects a leaf row renamed to a literal not on its path', () => {
    const c = clone(absCert);
    const leaf = c.proof.cases[0].tree.inact; // path: INACT(0,0)
    leaf.multipliers = Object.fromEntries(Object.entries(leaf.multipliers).map(([k, v]) => [k === 'inactv:0:0' ? 'inactv:0:1' : k, v]));
    expectRejected(check(c), 'F1', 'proof.cases[0].tree.inact.multipliers["inactv:0:1"]');
  });
  it('rejects an unknown row name, an index out of range, a non-canonical index', () => {
    for (const name of ['foo:0', 'zh:0:3', 'zh:1:0', 'zh:0:01', 'zh:0', 'fit:0:0', 'l1sum', 'l1sum:0', 'slb:0:0', 'cls:0', 'zh:0:0:0', '']) {
      const c = clone(absCert);
      c.proof.cases[1].tree.multipliers[name] = '1';
      expectRejected(check(c), 'F1', fieldPath('proof.cases[1].tree.multipliers', name));
    }
  });
  it('rejects a row name repeated in the JSON text', () => {
    const text = JSON.stringify(absCert).replace('"fit:0":"-1","inactv:0:0":"1"', '"fit:0":"-1","inactv:0:0":"1","fit:0":"-1"');
    expect(text).not.toBe(JSON.stringify(absCert));
    expectRejected(checkText(text), 'F1', 'proof.cases[0].tree.inact.multipliers["fit:0"]');
  });
  it('rejects multipliers that are not an object', () => {
    const c = clone(absCert);
    c.proof.cases[1].tree.multipliers = [['fit:0', '1']];
    expectRejected(check(c), 'F1', 'proof.cases[1].tree.multipliers');
  });
});

describe('F2: multiplier signs and numbers', () => {
  it('accepts negative multipliers on = rows', () => {
    expect(absCert.proof.cases[0].tree.inact.multipliers['fit:0']).toBe('-1');
    expectValid(check(absCert));
  });
  it('rejects a negative multiplier on a <= row', () => {
    const c = clone(absCert);
    const leaf = leafWith(c, 'zh:0:1');
    leaf.node.multipliers['zh:0:1'] = '-1';
    expectRejected(check(c), 'F2', `${leaf.path}.multipliers["zh:0:1"]`);
  });
  it('rejects a negative multiplier on a < row', () => {
    const c = clone(strictL1Cert);
    const leaf = leafWith(c, 'l1sum');
    leaf.node.multipliers.l1sum = '-1';
    expectRejected(check(c), 'F2', `${leaf.path}.multipliers.l1sum`);
  });
  it('rejects a float-y multiplier', () => {
    const text = JSON.stringify(absCert).replace('"fit:0":"-1","inactv:0:0":"1"', '"fit:0":-1.0,"inactv:0:0":"1"');
    expectRejected(checkText(text), 'F2', 'proof.cases[0].tree.inact.multipliers["fit:0"]');
    const exp = JSON.stringify(absCert).replace('"fit:0":"-1","inactv:0:0":"1"', '"fit:0":-1e0,"inactv:0:0":"1"');
    expectRejected(checkText(exp), 'F2', 'proof.cases[0].tree.inact.multipliers["fit:0"]');
  });
  it('accepts a multiplier written in scientific notation as a string (issue F section 9)', () => {
    const c = clone(absCert);
    c.proof.cases[0].tree.inact.multipliers['fit:0'] = '-1e0';
    c.proof.cases[0].tree.inact.multipliers['inactv:0:0'] = '10E-1';
    expectValid(check(c));
  });
});

describe('F3: the combination of left-hand sides is 0', () => {
  it('accepts every multiplier scaled by the same positive factor', () => {
    const c = clone(zigzagCert);
    for (const { node } of leaves(c)) for (const k of Object.keys(node.multipliers)) node.multipliers[k] = `${node.multipliers[k]}/7`;
    expectValid(check(c));
  });
  it('rejects one changed multiplier, naming a variable left over', () => {
    const c = clone(absCert);
    c.proof.cases[0].tree.inact.multipliers['inactv:0:0'] = '2';
    const r = expectRejected(check(c), 'F3', 'proof.cases[0].tree.inact.multipliers');
    expect(r.got).toBe('z:0:0 has 1');
  });
  it('rejects a dropped row', () => {
    const c = clone(absCert);
    delete c.proof.cases[1].tree.multipliers['zlb:0:1'];
    expectRejected(check(c), 'F3', 'proof.cases[1].tree.multipliers');
  });
});

describe('F4: Farkas and Motzkin bounds', () => {
  it('accepts Motzkin leaves on a strict l1 bound', () => {
    expect(leaves(strictL1Cert).some((l) => l.node.leaf === 'motzkin')).toBe(true);
    expectValid(check(strictL1Cert));
  });
  it('accepts Motzkin leaves on strict classification rows (threshold, fixed signs: no L3)', () => {
    expectValid(check(thresholdClsCert));
  });
  it('accepts a Farkas leaf that uses a strict row', () => {
    const leaf = leaves(strictL1Cert).find((l) => l.node.leaf === 'farkas' && 'l1sum' in l.node.multipliers);
    expect(leaf).toBeDefined();
    expectValid(check(strictL1Cert));
  });
  it('rejects a Farkas leaf whose right-hand side is 0', () => {
    const c = clone(absCert);
    c.proof.cases[1].tree.multipliers = {};
    expectRejected(check(c), 'F4', 'proof.cases[1].tree.multipliers');
  });
  it('rejects a Motzkin leaf relabelled Farkas (rhs = 0 is not < 0)', () => {
    const c = clone(strictL1Cert);
    const leaf = leaves(c).find((l) => l.node.leaf === 'motzkin')!;
    leaf.node.leaf = 'farkas';
    expectRejected(check(c), 'F4', `${leaf.path}.multipliers`);
  });
  it('rejects a Motzkin leaf without a strict row', () => {
    const c = clone(absCert);
    c.proof.cases[1].tree.leaf = 'motzkin';
    const r = expectRejected(check(c), 'F4', 'proof.cases[1].tree.multipliers');
    expect(r.expected).toContain('strict');
  });
  it('rejects a Motzkin leaf on a non-strict bound (the row is <=, not <)', () => {
    const c = clone(strictL1Cert);
    c.instance.loss.strict = false;
    c.instanceHash = instanceHash(toInstance(c.instance, 'test'));
    expectRejected(check(c), 'F4');
  });
});

describe('tree walking', () => {
  it('counts every split and leaf', () => {
    const v = expectValid(check(zigzagCert));
    expect(v.leaves).toBe(leaves(zigzagCert).length);
    expect(v.nodes).toBe(leaves(zigzagCert).length + splits(zigzagCert).length);
  });
});
