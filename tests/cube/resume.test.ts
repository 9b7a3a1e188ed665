/**
 * Resuming a split directory after faults (src/cube/resume.ts, docs/cluster.md
 * "What a fault costs"), without a cluster: a cube certificate that cannot be
 * merged is named, set aside into DIR/rejected/ and its cube solved again, never
 * merged; a certificate rewritten after it was judged is never set aside; a
 * reader at the same time as a re-split, or after an interrupted one, sees the
 * split as it was; two rounds made at once get two numbers.
 */
import fc from 'fast-check';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cubeCertFile, cubeFile } from '../../src/cube/format.js';
import { mergeSplit } from '../../src/cube/merge.js';
import { REJECTED_DIR, readForResume, setAsideCertificate } from '../../src/cube/resume.js';
import { BadCubeCertificate, readSplitDir, resplitCubes } from '../../src/cube/split-dir.js';
import { cli, tempDir } from '../helpers.js';

const INFEASIBLE = 'bench/suite/perturbed-d2-k2-n8.json';

/** A split of INFEASIBLE with every cube solved by the exact engine (made once; each test gets a copy). */
let solvedSplit: string | undefined;
async function solvedCopy(): Promise<string> {
  if (!solvedSplit) {
    solvedSplit = join(tempDir(), 'split');
    expect((await cli('split', INFEASIBLE, '--cubes', '4', '-o', solvedSplit)).code).toBe(0);
    await solveOpen(solvedSplit);
    expect(mergeSplit(readSplitDir(solvedSplit)).verdict).toBe('infeasible');
  }
  const copy = join(tempDir(), 'copy');
  cpSync(solvedSplit, copy, { recursive: true });
  return copy;
}

/** Solves the open cubes of a directory with `relucert solve CUBE --cert`. */
async function solveOpen(dir: string): Promise<void> {
  const m = mergeSplit(readSplitDir(dir));
  for (const id of m.verdict === 'open' ? m.open : [])
    expect((await cli('solve', cubeFile(dir, id), '--cert', cubeCertFile(dir, id), '--engine', 'exact')).code).toBe(20);
}

/** The cube certificates of a directory, by cube id. */
function proofTexts(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of readdirSync(dir)) {
    const m = /^cube-(.*)\.cert\.json$/.exec(name);
    if (m) out.set(m[1]!, readFileSync(join(dir, name), 'utf8'));
  }
  return out;
}

/** The BadCubeCertificate that reading and merging `dir` throws. */
function judged(dir: string): BadCubeCertificate {
  try {
    mergeSplit(readSplitDir(dir));
  } catch (e) {
    if (e instanceof BadCubeCertificate) return e;
    throw e;
  }
  throw new Error(`${dir}: no bad cube certificate`);
}

/** One way of damaging a certificate's text. */
type Damage = { kind: 'cut'; at: number } | { kind: 'multiplier'; nth: number } | { kind: 'byte'; at: number; char: string } | { kind: 'other cube' };

function damage(text: string, d: Damage, other: string): string {
  switch (d.kind) {
    case 'cut':
      return text.slice(0, Math.floor(d.at * text.length));
    case 'multiplier': {
      // a multiplier's numerator, one more
      const rows = [...text.matchAll(/"([a-z]+:[\d:]+)":"(-?\d+)(\/\d+)?"/g)];
      if (rows.length === 0) return text.slice(0, -2);
      const m = rows[d.nth % rows.length]!;
      return text.slice(0, m.index) + `"${m[1]}":"${BigInt(m[2]!) + 1n}${m[3] ?? ''}"` + text.slice(m.index + m[0].length);
    }
    case 'byte': {
      const at = Math.floor(d.at * text.length);
      return text.slice(0, at) + d.char + text.slice(at + 1);
    }
    case 'other cube':
      return other;
  }
}

const damageArb: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constant('cut' as const), at: fc.double({ min: 0, max: 0.999, noNaN: true }) }),
  fc.record({ kind: fc.constant('multiplier' as const), nth: fc.nat(1000) }),
  fc.record({
    kind: fc.constant('byte' as const),
    at: fc.double({ min: 0, max: 0.999, noNaN: true }),
    char: fc.constantFrom('0', '9', '"', '}', 'x', '-', ' '),
  }),
  fc.record({ kind: fc.constant('other cube' as const) }),
);

describe('relucert slurm DIR after a cube certificate is damaged on disk', () => {
  it('names every damaged certificate it cannot merge, sets it aside and solves its cube again, until the merged certificate checks; intact proofs stay untouched', async () => {
    const base = await solvedCopy();
    const ids = [...proofTexts(base).keys()];
    expect(ids.length).toBeGreaterThanOrEqual(2);
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.constantFrom(...ids), { minLength: 1, maxLength: 3 }),
        fc.array(damageArb, { minLength: 3, maxLength: 3 }),
        async (victims, damages) => {
          const dir = join(tempDir(), 'split');
          cpSync(base, dir, { recursive: true });
          const original = proofTexts(dir);
          const damaged = new Map<string, string>();
          victims.forEach((id, t) => {
            const other = original.get(ids.find((x) => x !== id)!)!;
            const text = damage(original.get(id)!, damages[t]!, other);
            if (text === original.get(id)) return;
            writeFileSync(cubeCertFile(dir, id), text);
            damaged.set(id, text);
          });
          const setAside: { cube: string; aside: string; reason: string }[] = [];
          let status = readForResume(dir);
          for (let round = 0; round < 4 && status.status.verdict === 'open'; round++) {
            setAside.push(...status.setAside);
            await solveOpen(dir);
            status = readForResume(dir);
          }
          setAside.push(...status.setAside);
          expect(status.status.verdict).toBe('infeasible');
          // what was set aside is a damaged file, as it was damaged, and named with its cube
          for (const a of setAside) {
            expect(damaged.has(a.cube), a.reason).toBe(true);
            expect(readFileSync(a.aside, 'utf8')).toBe(damaged.get(a.cube));
            expect(a.reason).toContain(`cube ${a.cube}`);
            expect(a.reason.startsWith(cubeCertFile(dir, a.cube))).toBe(true);
          }
          expect(existsSync(join(dir, REJECTED_DIR)) ? readdirSync(join(dir, REJECTED_DIR)).length : 0).toBe(setAside.length);
          // the intact proofs are untouched; a set-aside cube has a new proof
          for (const [id, text] of original) if (!damaged.has(id)) expect(readFileSync(cubeCertFile(dir, id), 'utf8')).toBe(text);
          for (const a of setAside)
            if (existsSync(cubeCertFile(dir, a.cube))) expect(readFileSync(cubeCertFile(dir, a.cube), 'utf8')).not.toBe(damaged.get(a.cube));
          // the merge is the unchanged checker's: valid, and the strict merge agrees
          const cert = join(tempDir(), 'merged.cert.json');
          const m = await cli('merge', dir, '-o', cert);
          expect(m.code, m.err).toBe(20);
          expect((await cli('check', cert, '--instance', INFEASIBLE)).code).toBe(0);
        },
      ),
      { numRuns: 8 },
    );
  }, 240_000);

  it('a damaged certificate is refused by relucert merge (exit 2, nothing written) until relucert slurm DIR sets it aside', async () => {
    const dir = await solvedCopy();
    const id = [...proofTexts(dir).keys()][0]!;
    const text = readFileSync(cubeCertFile(dir, id), 'utf8').slice(0, 100);
    writeFileSync(cubeCertFile(dir, id), text);
    const refused = await cli('merge', dir, '-o', join(dir, 'merged.cert.json'));
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(`${cubeCertFile(dir, id)}: cube ${id}: not valid JSON`);
    const r = await cli('slurm', dir, '--dry-run');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`  set aside (cube ${id} is open again): ${cubeCertFile(dir, id)}: cube ${id}: not valid JSON`);
    expect(r.out).toMatch(new RegExp(`\\n    moved to ${join(dir, REJECTED_DIR)}/cube-${id.replace('.', '\\.')}\\.cert\\.json\\.\\d{8}T\\d{6}Z-\\S+-\\d+\\n`));
    expect(r.out).toContain(`round 1: 1 open cube (${id}), one array task each`);
    expect(existsSync(cubeCertFile(dir, id))).toBe(false);
  });
});

describe('setting a certificate aside compares before it moves', () => {
  it('a certificate written again after it was judged is not set aside (it is put back)', async () => {
    const dir = await solvedCopy();
    const id = [...proofTexts(dir).keys()][0]!;
    const file = cubeCertFile(dir, id);
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, '{');
    const bad = judged(dir);
    expect(bad.cube).toBe(id);
    // a task writes the cube's certificate again (a new file renamed into place), after the judgement
    writeFileSync(`${file}.tmp-task`, good);
    renameSync(`${file}.tmp-task`, file);
    expect(setAsideCertificate(dir, bad)).toBeUndefined();
    expect(readFileSync(file, 'utf8')).toBe(good);
    expect(readdirSync(join(dir, REJECTED_DIR))).toEqual([]);
    expect(readForResume(dir).setAside).toEqual([]);
  });

  it('a certificate that is gone (set aside by a resume at the same time) is not an error: its cube is open', async () => {
    const dir = await solvedCopy();
    const id = [...proofTexts(dir).keys()][0]!;
    writeFileSync(cubeCertFile(dir, id), '{');
    const bad = judged(dir);
    rmSync(cubeCertFile(dir, id));
    expect(setAsideCertificate(dir, bad)).toBeUndefined();
    const m = mergeSplit(readSplitDir(dir));
    expect(m.verdict === 'open' ? m.open : []).toContain(id);
  });
});

describe('a reader while a re-split is written', () => {
  it('skips the new cube files (and their certificates) until the manifest has them, and refuses other strays', async () => {
    const dir = join(tempDir(), 'split');
    expect((await cli('split', INFEASIBLE, '--cubes', '4', '-o', dir)).code).toBe(0);
    const sd = readSplitDir(dir);
    const open = mergeSplit(sd);
    expect(open.verdict).toBe('open');
    const id = open.verdict === 'open' ? open.open[0]! : '';
    // the same re-split made in a copy: its new cube files appear here before the manifest
    const copy = join(tempDir(), 'copy');
    cpSync(dir, copy, { recursive: true });
    const planned = resplitCubes(readSplitDir(copy), [id], 2);
    expect(planned.length).toBeGreaterThan(0);
    const manifest = readFileSync(join(dir, 'manifest.json'), 'utf8');
    for (const p of planned) {
      cpSync(cubeFile(copy, p.id), cubeFile(dir, p.id));
      await cli('solve', cubeFile(copy, p.id), '--cert', cubeCertFile(dir, p.id), '--engine', 'exact');
    }
    const during = mergeSplit(readSplitDir(dir));
    expect(during.verdict === 'open' ? during.open : []).toContain(id);
    expect(readFileSync(join(dir, 'manifest.json'), 'utf8')).toBe(manifest);
    // then the manifest: the sub-cubes are part of the split
    cpSync(join(copy, 'manifest.json'), join(dir, 'manifest.json'));
    expect(readSplitDir(dir).cubes.map((c) => c.id)).toEqual(expect.arrayContaining(planned.map((p) => p.id)));
    // a cube file below a cube that is not a leaf of the manifest is still refused
    cpSync(cubeFile(copy, planned[0]!.id), cubeFile(dir, `${planned[0]!.id}.0`));
    const r = await cli('merge', dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`cube-${planned[0]!.id}.0.json: cube: duplicated cube`);
  });
});

describe('rounds', () => {
  it('the next round is one more than the highest there, made exclusively (a gap is not reused)', async () => {
    const dir = join(tempDir(), 'split');
    expect((await cli('split', INFEASIBLE, '--cubes', '4', '-o', dir)).code).toBe(0);
    mkdirSync(join(dir, 'slurm', 'round-1'), { recursive: true });
    mkdirSync(join(dir, 'slurm', 'round-3'), { recursive: true });
    const r = await cli('slurm', dir, '--dry-run', '--json');
    expect(r.code, r.err).toBe(0);
    expect((JSON.parse(r.out) as { round: number }).round).toBe(4);
  });
});
