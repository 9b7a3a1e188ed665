/** Symmetry leaves (S1, S2) and lemma L5: accept and reject cases. */
import { describe, expect, it } from 'vitest';
import { exactSolve } from '../../src/engines/exact.js';
import { type Json, check, clone, expectRejected, expectValid, leaves, makeInstance, readInstanceFile, solveToCertificate } from './helpers.js';

/** Zigzag with 3 ReLUs: in the cases with equal signs the exact engine cuts mirror images with L5. */
const cert = solveToCertificate(readInstanceFile('zigzag6-k3'), exactSolve);
const symLeaves = (c: Json) => leaves(c).filter((l) => l.node.leaf === 'symmetry');

/** Replaces the node at `path` (as printed by the checker, from the top) in a clone. */
function at(c: Json, path: string): Json {
  // paths look like proof.cases[0].tree.act.inact
  let node: Json = c;
  for (const part of path.match(/[A-Za-z]+|\[\d+\]/g)!) node = part.startsWith('[') ? node[Number(part.slice(1, -1))] : node[part];
  return node;
}

describe('S1-S2: symmetry leaves', () => {
  it('the engine emits symmetry leaves here, declares L5, and the checker accepts them', () => {
    expect(symLeaves(cert).length).toBeGreaterThan(0);
    expect(cert.proof.lemmas).toContain('L5');
    expectValid(check(cert));
  });
  it('rejects the proof when L5 is not declared', () => {
    const c = clone(cert);
    c.proof.lemmas = c.proof.lemmas.filter((l: string) => l !== 'L5');
    expectRejected(check(c), 'P1', 'proof.lemmas');
  });
  it('rejects L5 declared by a proof without symmetry leaves', () => {
    const c = solveToCertificate(makeInstance({}, { hidden: 1 }));
    c.proof.lemmas.push('L5');
    expectRejected(check(c), 'P1', 'proof.lemmas');
  });
  it('rejects units that are not consecutive', () => {
    const c = clone(cert);
    const leaf = at(c, symLeaves(c)[0]!.path);
    leaf.units = [leaf.units[0], leaf.units[0] + 2];
    expectRejected(check(c), 'S1');
  });
  it('rejects units that are not twins (different output weights)', () => {
    // sign vectors: in case (-1, 1) units 0 and 1 are not twins
    const c = solveToCertificate(readInstanceFile('zigzag-k2'));
    const k = c.proof.cases.findIndex((x: Json) => x.a[0] === '-1' && x.a[1] === '1');
    c.proof.cases[k].tree = { leaf: 'symmetry', units: [0, 1], point: 0 };
    c.proof.lemmas.push('L5');
    expectRejected(check(c), 'S1', `proof.cases[${k}].tree.units`);
  });
  it('rejects a symmetry leaf whose path does not order the units the wrong way', () => {
    const c = clone(cert);
    const { path } = symLeaves(c)[0]!;
    const leaf = at(c, path);
    leaf.point = leaf.point + 1 < 6 ? leaf.point + 1 : 0;
    expectRejected(check(c), 'S2');
  });
  it('rejects a symmetry leaf at the root of a case (no literals)', () => {
    const c = clone(cert);
    c.proof.cases[0].tree = { leaf: 'symmetry', units: [0, 1], point: 0 };
    expectRejected(check(c), 'S2', 'proof.cases[0].tree');
  });
  it('rejects the mirror image: ACT(j, i) and INACT(j+1, i)', () => {
    const c = clone(cert);
    const { path } = symLeaves(c)[0]!;
    const leaf = at(c, path);
    leaf.units = [leaf.units[1], leaf.units[1] + 1 < 3 ? leaf.units[1] + 1 : leaf.units[0]];
    const out = check(c);
    expect(out.status).toBe('rejected');
  });
  it('rejects extra fields and non-integer indices', () => {
    for (const mutate of [(l: Json) => (l.extra = 1), (l: Json) => (l.point = '0'), (l: Json) => (l.units = [0]), (l: Json) => (l.units = [-1, 0])]) {
      const c = clone(cert);
      mutate(at(c, symLeaves(c)[0]!.path));
      expect(check(c).status).toBe('rejected');
    }
  });
});
