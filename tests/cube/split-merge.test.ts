/**
 * relucert split / solve CUBE / merge: the round trip gives one certificate
 * the unchanged checker accepts (or the witness), open cubes are reported,
 * re-split cubes merge, and every kind of bad input stops merge with one line
 * naming the cube, exit 2, nothing written.
 */
import fc from 'fast-check';
import { copyFileSync, cpSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCertificate } from '../../src/check/index.js';
import { cubeCertFile, cubeFile } from '../../src/cube/format.js';
import { mergeSplit } from '../../src/cube/merge.js';
import { createSplit, cubeCertificateText, readCubeForSolving, readSplitDir } from '../../src/cube/split-dir.js';
import { exactSolve } from '../../src/engines/exact.js';
import { solveUnder } from '../../src/engines/solve-under.js';
import { writeFileAtomic } from '../../src/format/files.js';
import { smallInstance } from '../arbitraries.js';
import { cli, tempDir } from '../helpers.js';

const INFEASIBLE = 'bench/suite/perturbed-d2-k2-n8.json';
const FEASIBLE = 'instances/zigzag-k3.json';

/** The open cubes of a split directory, as `relucert merge --json` reports them. */
async function openCubes(dir: string): Promise<string[]> {
  const r = await cli('merge', dir, '--json');
  return (JSON.parse(r.out) as { open?: string[] }).open ?? [];
}

/** Solves every open cube with `relucert solve CUBE --cert [--engine E]`; returns their exit codes. */
async function solveAll(dir: string, engine?: string): Promise<number[]> {
  const codes: number[] = [];
  for (const id of await openCubes(dir))
    codes.push((await cli('solve', cubeFile(dir, id), '--cert', cubeCertFile(dir, id), ...(engine ? ['--engine', engine] : []))).code);
  return codes;
}

/** A split of INFEASIBLE with every cube solved by the exact engine (proofs without lemmas; made once, copied by each test that changes it). */
let solvedSplit: string | undefined;
async function solvedCopy(): Promise<string> {
  if (!solvedSplit) {
    solvedSplit = join(tempDir(), 'split');
    expect((await cli('split', INFEASIBLE, '--cubes', '4', '-o', solvedSplit)).code).toBe(0);
    expect(await solveAll(solvedSplit, 'exact')).toEqual(expect.arrayContaining([20]));
  }
  const copy = join(tempDir(), 'copy');
  cpSync(solvedSplit, copy, { recursive: true });
  return copy;
}

describe('split, solve each cube, merge', () => {
  it('gives one certificate that the independent checker accepts for the instance', async () => {
    const dir = join(tempDir(), 'split');
    const s = await cli('split', INFEASIBLE, '--cubes', '4', '-o', dir);
    expect(s.code).toBe(0);
    expect(s.out).toMatch(/^"perturbed-d2-k2-n8": split into \d+ cubes in /);
    const codes = await solveAll(dir);
    expect(codes.length).toBeGreaterThan(1);
    expect(codes.every((c) => c === 20)).toBe(true);
    const cert = join(tempDir(), 'merged.cert.json');
    const m = await cli('merge', dir, '-o', cert);
    expect(m.code).toBe(20);
    expect(m.out).toContain('infeasible (merged');
    const c = await cli('check', cert, '--instance', INFEASIBLE);
    expect(c.code).toBe(0);
    expect(c.out).toBe('valid: no network with 2 relu units (output weights signs, no output bias) fits "perturbed-d2-k2-n8" with zero error on 8 points\n');
  });

  it('reports the open cubes and writes nothing while some are unsolved; resumes with only those', async () => {
    const dir = join(tempDir(), 'split');
    await cli('split', INFEASIBLE, '--cubes', '4', '-o', dir);
    const open = await openCubes(dir);
    expect(open.length).toBeGreaterThan(1);
    const first = open[0]!;
    expect((await cli('solve', cubeFile(dir, first), '--cert', cubeCertFile(dir, first))).code).toBe(20);
    const cert = join(tempDir(), 'merged.cert.json');
    const m = await cli('merge', dir, '-o', cert);
    expect(m.code).toBe(0);
    expect(m.out).toMatch(/unknown: \d+ cubes? still open/);
    expect(existsSync(cert)).toBe(false);
    const rest = await openCubes(dir);
    expect(rest).not.toContain(first);
    await solveAll(dir);
    expect((await cli('merge', dir, '-o', cert)).code).toBe(20);
  });

  it('a split still open: every cube in exactly one list (open, proved, not needed, split again), counts adding up (property)', async () => {
    // 8 cubes of INFEASIBLE: about 30 cubes, every one proved while splitting (any subset of proofs can be taken away);
    // and 4 cubes solved by the exact engine, whose cubes can be split again
    const split8 = join(tempDir(), 'split8');
    expect((await cli('split', INFEASIBLE, '--cubes', '8', '-o', split8)).code).toBe(0);
    const fixtures = [split8, await solvedCopy()].map((dir) => ({ dir, ids: readSplitDir(dir).cubes.map((c) => c.id) }));
    const seen = { notNeeded: 0, splitAgain: 0 };
    const cases = fc
      .constantFrom(...fixtures)
      .chain((f) => fc.record({ solved: fc.constant(f.dir), removed: fc.subarray(f.ids, { minLength: 1 }), resplit: fc.boolean() }));
    await fc.assert(
      fc.asyncProperty(cases, async ({ solved, removed, resplit }) => {
        const dir = join(tempDir(), 'partial');
        cpSync(solved, dir, { recursive: true });
        for (const id of removed) rmSync(cubeCertFile(dir, id));
        // a cube split again (no certificates for its new cubes yet) counts as split again, never vanishes
        if (resplit) await cli('split', dir, '--resplit', removed[0]!, '--cubes', '2');
        const sd = readSplitDir(dir);
        const m = mergeSplit(sd);
        if (m.verdict !== 'open') return;
        seen.notNeeded += m.notNeeded.length;
        seen.splitAgain += m.splitAgain.length;
        const lists = [...m.open, ...m.notNeeded, ...m.splitAgain, ...sd.cubes.filter((c) => sd.proofs.has(c.id)).map((c) => c.id)];
        expect(lists.sort()).toEqual(sd.cubes.map((c) => c.id).sort());
        expect(m.proved).toBe(sd.proofs.size);
        const r = await cli('merge', dir);
        const head = /still open \(of (\d+): (\d+) proved(?:, (\d+) not needed)?(?:, (\d+) split again)?\)/.exec(r.out);
        expect(head, r.out).not.toBeNull();
        const [total, ...parts] = head!.slice(1).map((x) => Number(x ?? 0));
        expect(m.open.length + parts.reduce((a, b) => a + b, 0)).toBe(total);
      }),
      { numRuns: 20, seed: 1 },
    );
    // the runs met both kinds (else the property would say little)
    expect(seen.notNeeded).toBeGreaterThan(0);
    expect(seen.splitAgain).toBeGreaterThan(0);
  });

  it('merges a cube split again, by its sub-cubes or by its own proof', async () => {
    const dir = join(tempDir(), 'split');
    await cli('split', INFEASIBLE, '--cubes', '4', '-o', dir);
    const [target] = await openCubes(dir);
    const r = await cli('split', dir, '--resplit', target!, '--cubes', '3');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`split cube ${target} again into`);
    const manifest = readFileSync(join(dir, 'manifest.json'), 'utf8');
    expect(manifest).toContain(`"${target}.0"`);
    // a second re-split of the same cube is refused
    expect((await cli('split', dir, '--resplit', target!)).code).toBe(2);
    const byOwn = join(tempDir(), 'own');
    cpSync(dir, byOwn, { recursive: true });
    await solveAll(dir);
    const cert = join(tempDir(), 'a.cert.json');
    expect((await cli('merge', dir, '-o', cert)).code).toBe(20);
    expect(checkCertificate(readFileSync(cert, 'utf8'), cert).status).toBe('valid');
    // the original cube's own certificate closes it just as well
    expect((await cli('solve', cubeFile(byOwn, target!), '--cert', cubeCertFile(byOwn, target!))).code).toBe(20);
    expect(await openCubes(byOwn)).not.toContain(`${target}.0`);
  });

  it('a witness in one cube answers the whole instance; merge writes it (exit 10)', async () => {
    const dir = join(tempDir(), 'split');
    await cli('split', FEASIBLE, '--cubes', '4', '-o', dir);
    const codes = await solveAll(dir);
    expect(codes).toContain(10);
    const cert = join(tempDir(), 'w.cert.json');
    const m = await cli('merge', dir, '-o', cert);
    expect(m.code).toBe(10);
    expect(m.out).toMatch(/feasible \(a witness from cube \S+ answers the whole instance\)/);
    const c = await cli('check', cert, '--instance', FEASIBLE);
    expect(c.code).toBe(0);
    expect(c.out).toMatch(/^valid: the network with 3 relu units/);
  });

  it('a cube that runs out of time answers unknown and writes nothing', async () => {
    const dir = join(tempDir(), 'split');
    await cli('split', 'bench/suite/perturbed-d2-k3-n9.json', '--cubes', '2', '-o', dir);
    const [id] = await openCubes(dir);
    const r = await cli('solve', cubeFile(dir, id!), '--cert', cubeCertFile(dir, id!), '--timeout', '0.001');
    expect(r.code).toBe(0);
    expect(r.out).toContain(': unknown (timeout)');
    expect(existsSync(cubeCertFile(dir, id!))).toBe(false);
  });

  it('every emitted merge is accepted and agrees with the exact engine (random small instances)', () => {
    fc.assert(
      fc.property(smallInstance({ maxPoints: 5, maxHidden: 2 }), fc.integer({ min: 1, max: 6 }), (inst, cubes) => {
        const dir = join(tempDir(), 'split');
        createSplit(inst, dir, cubes);
        let sd = readSplitDir(dir);
        for (const c of sd.cubes) {
          if (existsSync(cubeCertFile(dir, c.id)) || c.node.split) continue;
          const { cube, inst: i2, assume } = readCubeForSolving(cubeFile(dir, c.id));
          const text = cubeCertificateText(cube, i2, solveUnder(i2, cube.case, assume), { engine: 'exact' });
          if (text) writeFileAtomic(cubeCertFile(dir, c.id), text);
        }
        sd = readSplitDir(dir);
        const m = mergeSplit(sd);
        const direct = exactSolve(inst);
        expect(m.verdict).toBe(direct.verdict);
        if (m.verdict !== 'open') expect(checkCertificate(m.text, 'merged').status).toBe('valid');
        rmSync(dir, { recursive: true });
      }),
      { numRuns: 25 },
    );
  });
});

describe('cube certificates with lemmas (format /2)', () => {
  /**
   * Turns the act child of a cube proof's root split into a lemma of the case
   * (assuming the cube's literals and the split's ACT literal), used by a
   * lemma leaf in its place: the hand-made kind of lemma list a
   * conflict-driven engine produces. Returns false when the root is a leaf.
   */
  function withLemma(file: string, assumeExtra: string[] = []): boolean {
    const cert = JSON.parse(readFileSync(file, 'utf8')) as {
      assume: string[];
      tree: { split?: { unit: number; point: number }; act: unknown };
      lemmas?: unknown[];
    };
    if (!cert.tree.split) return false;
    const { unit, point } = cert.tree.split;
    cert.lemmas = [{ assume: [...cert.assume, `act:${unit}:${point}`, ...assumeExtra], tree: cert.tree.act }];
    cert.tree.act = { leaf: 'lemma', index: 0 };
    writeFileSync(file, JSON.stringify(cert));
    return true;
  }

  it('merges lemma lists per case, renumbered, into a certificate the checker accepts', async () => {
    const dir = await solvedCopy();
    const sd = readSplitDir(dir);
    // two proved cubes of one case whose proofs start with a split
    const byCase = new Map<number, string[]>();
    for (const c of sd.cubes)
      if ((sd.proofs.get(c.id)?.tree as { split?: unknown } | undefined)?.split) byCase.set(c.caseIndex, [...(byCase.get(c.caseIndex) ?? []), c.id]);
    const [caseIndex, ids] = [...byCase].find(([, l]) => l.length >= 2)!;
    for (const id of ids.slice(0, 2)) expect(withLemma(cubeCertFile(dir, id))).toBe(true);
    const cert = join(tempDir(), 'lemmas.cert.json');
    const m = await cli('merge', dir, '-o', cert);
    expect(m.err).toBe('');
    expect(m.code).toBe(20);
    expect(m.out).toContain(', 2 lemmas)');
    const text = readFileSync(cert, 'utf8');
    const merged = JSON.parse(text) as { format: string; proof: { lemmas: string[]; cases: { lemmas?: { assume: string[] }[]; tree: unknown }[] } };
    expect(merged.format).toBe('relucert-certificate/2');
    expect(merged.proof.lemmas).toContain('L6');
    expect(merged.proof.cases[caseIndex]!.lemmas).toHaveLength(2);
    // the second cube's leaf now names lemma 1
    expect(JSON.stringify(merged.proof.cases[caseIndex]!.tree)).toContain('{"leaf":"lemma","index":1}');
    expect((await cli('check', cert, '--instance', INFEASIBLE)).code).toBe(0);
  });

  it('cubes solved by the cdcl engine (with its learned lemmas) merge into a certificate the checker accepts', async () => {
    const dir = join(tempDir(), 'split');
    await cli('split', 'bench/suite/perturbed-d2-k3-n8.json', '--cubes', '4', '-o', dir);
    const open = await openCubes(dir);
    for (const id of open) expect((await cli('solve', cubeFile(dir, id), '--cert', cubeCertFile(dir, id), '--engine', 'cdcl')).code).toBe(20);
    const withLemmas = open.filter((id) => ((JSON.parse(readFileSync(cubeCertFile(dir, id), 'utf8')) as { lemmas?: unknown[] }).lemmas?.length ?? 0) > 0);
    const cert = join(tempDir(), 'cdcl.cert.json');
    const m = await cli('merge', dir, '-o', cert);
    expect(m.err).toBe('');
    expect(m.code).toBe(20);
    expect(withLemmas.length).toBeGreaterThan(1);
    const merged = JSON.parse(readFileSync(cert, 'utf8')) as { format: string; proof: { cases: { lemmas?: unknown[] }[] } };
    expect(merged.format).toBe('relucert-certificate/2');
    expect(merged.proof.cases.some((c) => (c.lemmas?.length ?? 0) > 0)).toBe(true);
    expect((await cli('check', cert, '--instance', 'bench/suite/perturbed-d2-k3-n8.json')).code).toBe(0);
    // a wrong multiplier inside a lemma: merge names the cube and the lemma, in the cube's own numbering
    const id = withLemmas[0]!;
    const f = cubeCertFile(dir, id);
    const c = JSON.parse(readFileSync(f, 'utf8')) as { lemmas: { tree: unknown }[] };
    const last = c.lemmas.length - 1;
    const text = JSON.stringify(c.lemmas[last]!.tree);
    const broken = text.replace(/"((?:fit|zh|zlb):\d+(?::\d+)?)":"(-?\d+)"/, (_m, row: string, v: string) => `"${row}":"${BigInt(v) + 1n}"`);
    expect(broken).not.toBe(text);
    c.lemmas[last]!.tree = JSON.parse(broken);
    writeFileSync(f, JSON.stringify(c));
    const bad = await cli('merge', dir, '-o', join(tempDir(), 'bad.cert.json'));
    expect(bad.code).toBe(2);
    expect(bad.err).toContain(`cube-${id}.cert.json: lemmas[${last}].tree`);
    expect(bad.err).toContain(`cube ${id}: rejected by the checker`);
  });

  it('a lemma that assumes a literal missing from the path is rejected by the checker, and merge names the cube', async () => {
    const dir = await solvedCopy();
    const sd = readSplitDir(dir);
    const c = sd.cubes.find((x) => (sd.proofs.get(x.id)?.tree as { split?: unknown } | undefined)?.split && x.assume.length < 16)!;
    const used = new Set(c.assume.map((l) => `${l.unit}:${l.point}`));
    const split = (sd.proofs.get(c.id)!.tree as { split: { unit: number; point: number } }).split;
    used.add(`${split.unit}:${split.point}`);
    let extra = '';
    for (let i = 0; i < 8 && !extra; i++) for (let j = 0; j < 2 && !extra; j++) if (!used.has(`${j}:${i}`)) extra = `inact:${j}:${i}`;
    withLemma(cubeCertFile(dir, c.id), [extra]);
    const out = join(tempDir(), 'x.cert.json');
    const r = await cli('merge', dir, '-o', out);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`cube-${c.id}.cert.json: tree.act`);
    expect(r.err).toContain(`cube ${c.id}: rejected by the checker (D3)`);
    expect(existsSync(out)).toBe(false);
  });
});

describe('merge refuses bad input: one line naming the cube, exit 2, nothing written', () => {
  /** Runs merge -o on a corrupted copy; returns stderr after checking exit 2, one line and no output file. */
  async function refused(corrupt: (dir: string) => void | Promise<void>): Promise<string> {
    const dir = await solvedCopy();
    await corrupt(dir);
    const out = join(tempDir(), 'merged.cert.json');
    const r = await cli('merge', dir, '-o', out);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^relucert: /);
    expect(existsSync(out)).toBe(false);
    return r.err;
  }
  const proved = (dir: string): string =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.cert.json'))
      .sort()[0]!
      .replace(/^cube-|\.cert\.json$/g, '');

  it('a cube file for another instance', async () => {
    const other = join(tempDir(), 'other');
    await cli('split', 'instances/zigzag6-k3.json', '--cubes', '2', '-o', other);
    const err = await refused((dir) => copyFileSync(cubeFile(other, '1'), cubeFile(dir, '1')));
    expect(err).toContain('cube-1.json: instanceHash: cube 1 is for another instance');
  });
  it('a cube from another split of the same instance', async () => {
    const other = join(tempDir(), 'other');
    await cli('split', INFEASIBLE, '--cubes', '2', '-o', other);
    const err = await refused((dir) => copyFileSync(cubeFile(other, '1'), cubeFile(dir, '1')));
    expect(err).toContain('cube-1.json: split: cube 1 is from another split');
  });
  it('a cube certificate from another split', async () => {
    const other = join(tempDir(), 'other');
    await cli('split', INFEASIBLE, '--cubes', '2', '-o', other);
    await solveAll(other);
    const id = proved(other);
    const err = await refused((dir) => copyFileSync(cubeCertFile(other, id), cubeCertFile(dir, id)));
    expect(err).toContain(`cube ${id}: the certificate is from another split`);
  });
  it('a missing cube', async () => {
    const err = await refused((dir) => rmSync(cubeFile(dir, '2')));
    expect(err).toContain('cube 2 is missing');
  });
  it('a duplicated cube', async () => {
    const err = await refused((dir) => copyFileSync(cubeFile(dir, '1'), cubeFile(dir, '1.0')));
    expect(err).toContain('duplicated cube: the file of cube 1.0 holds cube 1');
  });
  it('a cube certificate cut short', async () => {
    const err = await refused((dir) => {
      const f = cubeCertFile(dir, proved(dir));
      writeFileSync(f, readFileSync(f, 'utf8').slice(0, 200));
    });
    expect(err).toMatch(/cube \S+: not valid JSON/);
  });
  it('a cube certificate with a wrong multiplier: the checker rejects it, and merge names the cube and the field', async () => {
    let id = '';
    const err = await refused((dir) => {
      // the largest cube proof, so it is surely part of the merged tree
      const sd = readSplitDir(dir);
      const sizes = [...sd.proofs].map(([cid, p]) => [cid, JSON.stringify(p.tree).length] as const).sort((a, b) => b[1] - a[1]);
      id = sizes[0]![0];
      const f = cubeCertFile(dir, id);
      writeFileSync(
        f,
        readFileSync(f, 'utf8').replace(/"(fit:\d+)":"(-?\d+)"/, (_m, row: string, v: string) => `"${row}":"${BigInt(v) + 1n}"`),
      );
    });
    expect(err).toContain(`cube-${id}.cert.json: tree`);
    expect(err).toContain(`cube ${id}: rejected by the checker (F`);
  });
  it('a lemma leaf outside its cube lemma list', async () => {
    const err = await refused((dir) => {
      const id = proved(dir);
      const f = cubeCertFile(dir, id);
      const cert = JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>;
      cert.lemmas = [{ assume: [], tree: cert.tree }];
      cert.tree = { leaf: 'lemma', index: 1 };
      writeFileSync(f, JSON.stringify(cert));
    });
    expect(err).toMatch(/cube \S+: a lemma leaf's index is not one of the cube's lemmas/);
  });
  it('a certificate for a cube the manifest does not have', async () => {
    const err = await refused((dir) => copyFileSync(cubeCertFile(dir, proved(dir)), cubeCertFile(dir, '77')));
    expect(err).toContain('a certificate for cube 77, which is not in manifest.json');
  });
  it('a directory that is not a split', async () => {
    const r = await cli('merge', tempDir(), '-o', join(tempDir(), 'x.json'));
    expect(r.code).toBe(2);
    expect(r.err).toContain('not a split directory');
  });
});

describe('solve CUBE refuses a cube that does not fit its instance', () => {
  it('names the cube file and the field', async () => {
    const dir = join(tempDir(), 'split');
    await cli('split', INFEASIBLE, '--cubes', '2', '-o', dir);
    const f = cubeFile(dir, '0');
    const cube = JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>;
    for (const [field, value, message] of [
      ['case', 9, 'cases, not case 9'],
      ['assume', ['act:7:0'], 'act:7:0 is out of range'],
      ['assume', ['act:0:0', 'inact:0:0'], 'assumed twice'],
      ['instanceHash', `sha256:${'0'.repeat(64)}`, 'is for another instance'],
    ] as const) {
      writeFileSync(f, JSON.stringify({ ...cube, [field]: value }));
      const r = await cli('solve', f);
      expect(r.code, field).toBe(2);
      expect(r.err, field).toContain(`cube-0.json: ${field}`);
      expect(r.err, field).toContain(message);
    }
  });
  it('refuses another engine, and --workers, for a cube', async () => {
    const dir = join(tempDir(), 'split');
    await cli('split', INFEASIBLE, '--cubes', '2', '-o', dir);
    expect((await cli('solve', cubeFile(dir, '0'), '--engine', 'z3')).err).toContain('--engine');
    expect((await cli('solve', cubeFile(dir, '0'), '--workers', '2')).code).toBe(2);
  });
  it('split refuses a directory that is not empty, and says what it needs', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x'), '');
    expect((await cli('split', INFEASIBLE, '--cubes', '2', '-o', dir)).err).toContain('is not an empty directory');
    expect((await cli('split', INFEASIBLE, '-o', join(dir, 'y'))).err).toContain('--cubes');
  });
});
