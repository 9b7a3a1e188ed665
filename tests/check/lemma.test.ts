/**
 * Lemmas (format /2, clauses D1-D4, lemma L6): accept and reject cases.
 * Accept cases come from the cdcl engine and from tree certificates turned
 * into lemma form by hand (a subtree becomes a lemma assuming its path).
 */
import { describe, expect, it } from 'vitest';
import { cdclSolve } from '../../src/engines/cdcl/index.js';
import { type Json, check, clone, expectRejected, expectValid, readInstanceFile, solveToCertificate, splits } from './helpers.js';

/** A tree certificate with deep splits: zigzag with 2 ReLUs (reference search). */
const tree = solveToCertificate(readInstanceFile('zigzag-k2'));

/** The literal names on the path to a node given by its checker path, e.g. proof.cases[1].tree.act.inact. */
function pathLiterals(cert: Json, path: string): string[] {
  const parts = path.match(/[A-Za-z]+|\[\d+\]/g)!;
  let node: Json = cert;
  const lits: string[] = [];
  for (const part of parts) {
    if ((part === 'act' || part === 'inact') && 'split' in node) lits.push(`${part}:${node.split.unit}:${node.split.point}`);
    node = part.startsWith('[') ? node[Number(part.slice(1, -1))] : node[part];
  }
  return lits;
}

function nodeAt(cert: Json, path: string): Json {
  let node: Json = cert;
  for (const part of path.match(/[A-Za-z]+|\[\d+\]/g)!) node = part.startsWith('[') ? node[Number(part.slice(1, -1))] : node[part];
  return node;
}

function setAt(cert: Json, path: string, value: Json): void {
  const parts = path.match(/[A-Za-z]+|\[\d+\]/g)!;
  let node: Json = cert;
  for (const part of parts.slice(0, -1)) node = part.startsWith('[') ? node[Number(part.slice(1, -1))] : node[part];
  const last = parts[parts.length - 1]!;
  node[last.startsWith('[') ? Number(last.slice(1, -1)) : last] = value;
}

/**
 * Moves the subtree at `path` into a new lemma of its case (assuming the
 * literals of its path) and puts a lemma leaf in its place: the certificate
 * stays valid (format /2, L6 declared).
 */
function lemmatize(cert: Json, path: string): { cert: Json; caseIndex: number; index: number } {
  const c = clone(cert);
  const caseIndex = Number(/^proof\.cases\[(\d+)\]/.exec(path)![1]);
  const kase = c.proof.cases[caseIndex];
  kase.lemmas ??= [];
  const index = kase.lemmas.length;
  kase.lemmas.push({ assume: pathLiterals(c, path), tree: nodeAt(c, path) });
  setAt(c, path, { leaf: 'lemma', index });
  c.format = 'relucert-certificate/2';
  if (!c.proof.lemmas.includes('L6')) c.proof.lemmas.push('L6');
  return { cert: c, caseIndex, index };
}

/** A split node at depth >= 2 (so its subtree assumes at least two literals), and its case. */
const deep = splits(tree).find((s) => (s.path.match(/\.(act|inact)/g) ?? []).length >= 2)!;

describe('D1-D4: lemmas and lemma leaves', () => {
  it('the cdcl engine writes lemmas (format /2, L6 declared) and the checker accepts them', () => {
    const c = solveToCertificate(readInstanceFile('zigzag-k2'), cdclSolve);
    expect(c.format).toBe('relucert-certificate/2');
    expect(c.proof.cases.some((x: Json) => (x.lemmas ?? []).length > 0)).toBe(true);
    expect(c.proof.lemmas).toContain('L6');
    expectValid(check(c));
  });
  it('accepts a subtree moved into a lemma, and the same lemma used twice', () => {
    expect(deep).toBeDefined();
    const { cert } = lemmatize(tree, deep.path);
    expectValid(check(cert));
    // the same subtree's lemma used again at a node below the lemma leaf's path: act child of a deeper split
    const again = lemmatize(tree, deep.path);
    const c = again.cert;
    const inner = splits(tree).find((s) => s.path.startsWith(deep.path) && s.path !== deep.path);
    if (inner) {
      // a node below deep.path in the lemma's own tree cannot use the lemma (self reference); in the main tree it can
      expectValid(check(c));
    }
  });
  it('accepts a lemma used by a later lemma', () => {
    const inner = splits(tree).find((s) => s.path.startsWith(deep.path + '.') && s.path.length > deep.path.length)!;
    expect(inner).toBeDefined();
    // first the inner subtree becomes lemma 0, then the outer one (which now holds a leaf naming lemma 0) lemma 1
    const first = lemmatize(tree, inner.path);
    const second = lemmatize(first.cert, deep.path);
    expect(second.cert.proof.cases[second.caseIndex].lemmas[1].tree).toBeDefined();
    expectValid(check(second.cert));
  });
  it('rejects lemmas in a format /1 certificate (P1: unknown field)', () => {
    const { cert, caseIndex } = lemmatize(tree, deep.path);
    cert.format = 'relucert-certificate/1';
    expectRejected(check(cert), 'P1', `proof.cases[${caseIndex}].lemmas`);
  });
  it('rejects a proof with lemma leaves that does not declare L6, and L6 declared without them', () => {
    const { cert } = lemmatize(tree, deep.path);
    cert.proof.lemmas = cert.proof.lemmas.filter((l: string) => l !== 'L6');
    expectRejected(check(cert), 'P1', 'proof.lemmas');
    const c = clone(tree);
    c.format = 'relucert-certificate/2';
    c.proof.lemmas.push('L6');
    expectRejected(check(c), 'P1', 'proof.lemmas');
  });
  it('rejects a self reference (D2)', () => {
    const { cert, caseIndex } = lemmatize(tree, deep.path);
    const lemma = cert.proof.cases[caseIndex].lemmas[0];
    lemma.tree.act = { leaf: 'lemma', index: 0 };
    expectRejected(check(cert), 'D2', `proof.cases[${caseIndex}].lemmas[0].tree.act.index`);
  });
  it('rejects a forward reference (D2)', () => {
    const inner = splits(tree).find((s) => s.path.startsWith(deep.path + '.'))!;
    const first = lemmatize(tree, deep.path); // lemma 0: the outer subtree
    // lemma 1 from a disjoint subtree: the first split of another case
    const other = splits(first.cert).find((s) => !s.path.startsWith(`proof.cases[${first.caseIndex}]`) || s.path === inner.path) ?? splits(first.cert)[0]!;
    const second = lemmatize(first.cert, other.path);
    const c = second.cert;
    if (second.caseIndex === first.caseIndex) {
      c.proof.cases[first.caseIndex].lemmas[0].tree.act = { leaf: 'lemma', index: 1 };
      expectRejected(check(c), 'D2', `proof.cases[${first.caseIndex}].lemmas[0].tree.act.index`);
    } else {
      // lemma 0 of this case naming index 1: this case has only one lemma
      c.proof.cases[first.caseIndex].lemmas[0].tree.act = { leaf: 'lemma', index: 1 };
      expectRejected(check(c), 'D2');
    }
  });
  it('rejects a lemma of another case (D2: indices are per case)', () => {
    const { cert, caseIndex } = lemmatize(tree, deep.path);
    const other = cert.proof.cases.findIndex((_: Json, t: number) => t !== caseIndex);
    cert.proof.cases[other].tree = { leaf: 'lemma', index: 0 };
    expectRejected(check(cert), 'D2', `proof.cases[${other}].tree.index`);
  });
  it('rejects a lemma leaf whose path lacks an assumed literal (D3)', () => {
    const { cert, caseIndex } = lemmatize(tree, deep.path);
    // the lemma leaf moved up to the case root: no literal on the path
    const kase = cert.proof.cases[caseIndex];
    kase.tree = { leaf: 'lemma', index: 0 };
    expectRejected(check(cert), 'D3', `proof.cases[${caseIndex}].tree`);
  });
  it('rejects an assumed literal of the opposite polarity (D3)', () => {
    const { cert, caseIndex } = lemmatize(tree, deep.path);
    const lemma = cert.proof.cases[caseIndex].lemmas[0];
    const [kind, j, i] = lemma.assume[0].split(':');
    lemma.assume[0] = `${kind === 'act' ? 'inact' : 'act'}:${j}:${i}`;
    // the lemma's own tree may now be wrong too, but its leaf is checked first only if the lemma is; D3 or a leaf rule rejects
    const out = check(cert);
    expect(out.status).toBe('rejected');
  });
  it('rejects an unused lemma (D4)', () => {
    const { cert, caseIndex } = lemmatize(tree, deep.path);
    cert.proof.cases[caseIndex].lemmas.push(clone(cert.proof.cases[caseIndex].lemmas[0]));
    expectRejected(check(cert), 'D4', `proof.cases[${caseIndex}].lemmas[1]`);
  });
  it('rejects malformed assumptions (D1)', () => {
    for (const bad of ['act:0:99', 'act:00:1', 'actv:0:1', 'act:0', 7]) {
      const { cert, caseIndex } = lemmatize(tree, deep.path);
      cert.proof.cases[caseIndex].lemmas[0].assume[0] = bad;
      expectRejected(check(cert), 'D1', `proof.cases[${caseIndex}].lemmas[0].assume[0]`);
    }
    const { cert, caseIndex } = lemmatize(tree, deep.path);
    const lemma = cert.proof.cases[caseIndex].lemmas[0];
    const [, j, i] = lemma.assume[0].split(':');
    lemma.assume.push(`${lemma.assume[0].startsWith('act') ? 'inact' : 'act'}:${j}:${i}`);
    expectRejected(check(cert), 'D1', `proof.cases[${caseIndex}].lemmas[0].assume[${lemma.assume.length - 1}]`);
    const extra = lemmatize(tree, deep.path);
    extra.cert.proof.cases[extra.caseIndex].lemmas[0].note = 'x';
    expectRejected(check(extra.cert), 'D1', `proof.cases[${extra.caseIndex}].lemmas[0].note`);
  });
  it('rejects a lemma whose tree splits again on an assumed literal (P2)', () => {
    const { cert, caseIndex } = lemmatize(tree, deep.path);
    const lemma = cert.proof.cases[caseIndex].lemmas[0];
    const [, j, i] = lemma.assume[0].split(':');
    lemma.tree = { split: { unit: Number(j), point: Number(i) }, act: lemma.tree, inact: lemma.tree };
    expectRejected(check(cert), 'P2', `proof.cases[${caseIndex}].lemmas[0].tree.split`);
  });
  it('rejects a lemma whose own leaf is wrong, even when the lemma is used', () => {
    const { cert, caseIndex } = lemmatize(tree, deep.path);
    const walk = (node: Json): Json =>
      'leaf' in node ? (node.leaf === 'farkas' || node.leaf === 'motzkin' ? node : undefined) : (walk(node.act) ?? walk(node.inact));
    const leaf = walk(cert.proof.cases[caseIndex].lemmas[0].tree);
    expect(leaf).toBeDefined();
    const name = Object.keys(leaf.multipliers)[0]!;
    leaf.multipliers[name] = `${leaf.multipliers[name]}1`;
    const out = check(cert);
    expect(out.status).toBe('rejected');
    if (out.status === 'rejected') expect(out.path.startsWith(`proof.cases[${caseIndex}].lemmas[0].tree`)).toBe(true);
  });
});
