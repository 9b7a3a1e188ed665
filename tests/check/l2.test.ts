/**
 * The squared loss in the checker: witnesses (W3, exact sum of squares) and
 * l2dual leaves (F1-F2, Q1-Q3; docs/certificates.md 4.7, docs/lemmas.md
 * "L2 dual leaves"): accepted as emitted, rejected when tampered with, when
 * the bound moves past the dual value, and at equality without `strict`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Q, parseRational } from '../../src/core/rational.js';

const num = (s: string): Q => parseRational(s)!;
import { toInstance } from '../../src/format/schema.js';
import { instanceHash } from '../../src/format/write.js';
import { type Json, check, clone, expectRejected, expectValid, leaves, makeInstance, solveToCertificate } from './helpers.js';

/** |x| on -1, 0, 1, one ReLU with output bias: the least sum of squares is 1/2. */
const abs = (loss: Json): Json => makeInstance({ name: 'abs-l2', loss }, { outputBias: true });
const below = solveToCertificate(abs({ type: 'l2', bound: '1/2', strict: true }));
const at = solveToCertificate(abs({ type: 'l2', bound: '1/2' }));

/** The certificate with another loss in its instance (and the hash that goes with it). */
function withLoss(cert: Json, loss: Json): Json {
  const c = clone(cert);
  c.instance.loss = loss;
  c.instanceHash = instanceHash(toInstance(c.instance, 'test'));
  return c;
}

const dualLeaves = (cert: Json): Array<{ node: Json; path: string }> => leaves(cert).filter((l) => l.node.leaf === 'l2dual');

/** sum u_i^2 of a leaf: its dual value when (u, mu) is the QP's optimal dual (complementary slackness). */
const squares = (leaf: Json): Q => Q.sum(leaf.residuals.map((u: string) => num(u).mul(num(u))));

describe('l2 witnesses (W3)', () => {
  it('accepts a network at the least sum of squares, with the exact value in the statement', () => {
    expect(at.verdict).toBe('feasible');
    const v = expectValid(check(at));
    expect(v.statement).toBe('the network with 1 relu unit (output weights signs, with output bias) fits "abs-l2" with l2 loss 1/2 <= 1/2 on 3 points');
  });
  it('rejects the same network for "< 1/2" and for "<= 49/100" (W3)', () => {
    expectRejected(check(withLoss(at, { type: 'l2', bound: '1/2', strict: true })), 'W3');
    expectRejected(check(withLoss(at, { type: 'l2', bound: '49/100' })), 'W3');
  });
});

describe('l2dual leaves (Q1-Q3)', () => {
  it('accepts the emitted proof of "l2 loss < 1/2"', () => {
    expect(below.verdict).toBe('infeasible');
    expect(dualLeaves(below).length).toBeGreaterThan(0);
    const v = expectValid(check(below));
    expect(v.statement).toBe('no network with 1 relu unit (output weights signs, with output bias) fits "abs-l2" with l2 loss < 1/2 on 3 points');
  });
  it('a proof for "< 1/2" also proves the weaker "< 1/3" and "<= 2/5"', () => {
    expectValid(check(withLoss(below, { type: 'l2', bound: '1/3', strict: true })));
    expectValid(check(withLoss(below, { type: 'l2', bound: '2/5' })));
  });
  it('strictness: the same proof does not prove "<= 1/2" (a dual value equal to G only refutes "< G")', () => {
    const r = expectRejected(check(withLoss(below, { type: 'l2', bound: '1/2' })), 'Q3');
    expect(r.expected).toContain('> 1/2');
  });
  it('wrong G: it does not prove "< 2/3" either', () => {
    expectRejected(check(withLoss(below, { type: 'l2', bound: '2/3', strict: true })), 'Q3');
  });
  it('tampered residual: stationarity fails (Q2)', () => {
    const c = clone(below);
    const { node, path } = dualLeaves(c)[0]!;
    node.residuals[0] = num(node.residuals[0]).add(Q.ONE).toString();
    expectRejected(check(c), 'Q2', path);
  });
  it('tampered multiplier: stationarity fails (Q2); a negative one on a <= row is F2', () => {
    const c = clone(below);
    const { node, path } = dualLeaves(c)[0]!;
    const name = Object.keys(node.multipliers)[0]!;
    node.multipliers[name] = num(node.multipliers[name]).add(Q.ONE).toString();
    expectRejected(check(c), 'Q2', path);
    const d = clone(below);
    const leaf = dualLeaves(d).find((l) => Object.keys(l.node.multipliers).some((m) => m.startsWith('zlb') || m.startsWith('zh') || /^(act|inact):/.test(m)))!;
    const ineq = Object.keys(leaf.node.multipliers).find((m) => m.startsWith('zlb') || m.startsWith('zh') || /^(act|inact):/.test(m))!;
    leaf.node.multipliers[ineq] = '-1';
    expectRejected(check(d), 'F2');
  });
  it('a row that is not in the leaf, or a literal row not on its path, is F1', () => {
    const c = clone(below);
    dualLeaves(c)[0]!.node.multipliers['l1sum'] = '1';
    expectRejected(check(c), 'F1');
    // a leaf at the top of a case has no literal on its path
    const d = clone(below);
    const top = d.proof.cases.find((x: Json) => 'split' in x.tree);
    top.tree = { leaf: 'l2dual', residuals: ['0', '0', '0'], multipliers: { 'act:0:0': '0' } };
    expectRejected(check(d), 'F1');
  });
  it('residuals: one number per point (Q1)', () => {
    const c = clone(below);
    dualLeaves(c)[0]!.node.residuals.pop();
    expectRejected(check(c), 'Q1');
    const d = clone(below);
    dualLeaves(d)[0]!.node.residuals[1] = 'half';
    expectRejected(check(d), 'Q1');
    const e = clone(below);
    delete dualLeaves(e)[0]!.node.residuals;
    expectRejected(check(e), 'Q1');
  });
  it('an l2dual leaf in an instance whose loss is not l2 is Q1', () => {
    expectRejected(check(withLoss(below, { type: 'l1', bound: '1/2', strict: true })), 'Q1');
  });
  it('the trivial leaf u = 0, mu = 0 (dual value 0) proves "< 0" and nothing more', () => {
    const trivial = (loss: Json): Json => {
      const c = withLoss(below, loss);
      for (const cs of c.proof.cases) cs.tree = { leaf: 'l2dual', residuals: ['0', '0', '0'], multipliers: {} };
      return c;
    };
    expectValid(check(trivial({ type: 'l2', bound: '0', strict: true })));
    expectRejected(check(trivial({ type: 'l2', bound: '0' })), 'Q3');
  });
  it('property: scaling a tight leaf by t != 1 lowers its dual value below G (Q3); t = 1 is accepted', () => {
    const tight = dualLeaves(below).find((l) => squares(l.node).eq(Q.of(1, 2)));
    expect(tight, 'a leaf whose dual value is exactly 1/2').toBeDefined();
    fc.assert(
      fc.property(fc.integer({ min: -20, max: 20 }), fc.integer({ min: 1, max: 7 }), (p, q) => {
        const t = Q.of(p, q);
        const c = clone(below);
        const leaf = dualLeaves(c).find((l) => l.path === tight!.path)!.node;
        leaf.residuals = leaf.residuals.map((u: string) => num(u).mul(t).toString());
        for (const name of Object.keys(leaf.multipliers)) leaf.multipliers[name] = num(leaf.multipliers[name]).mul(t).toString();
        const out = check(c);
        if (t.eq(Q.ONE)) expectValid(out);
        else if (t.sign() < 0 && Object.keys(leaf.multipliers).length > 0 && out.status === 'rejected' && out.rule === 'F2')
          return; // negative multiplier on an inequality row
        else expectRejected(out, 'Q3', tight!.path);
      }),
      { numRuns: 40 },
    );
  });
});
