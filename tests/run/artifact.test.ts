/**
 * `relucert artifact` (src/run/artifact.ts, docs/artifacts.md): the folder it
 * writes, moved elsewhere, re-checks with node alone; tampering is caught;
 * bad input writes nothing.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers.js';
import { ROOT } from '../paths.js';

const NAMES = ['xor-threshold-k1', 'abs-3-k2', 'abs-3-k1-l1-half'];

/** `node check.mjs` in `cwd` with no module path in the environment. */
function recheck(cwd: string): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, ['check.mjs'], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  return { code: r.status, out: r.stdout + r.stderr };
}

async function build(): Promise<{ out: string; stdout: string }> {
  const out = join(tempDir(), 'paper');
  const r = await cli(
    'artifact',
    ...NAMES.map((n) => join(ROOT, 'instances', `${n}.json`)),
    '--cert-dir',
    join(ROOT, 'certificates'),
    '--out',
    out,
    '--title',
    'XOR & |x|',
  );
  expect(r.code, r.err).toBe(0);
  return { out, stdout: r.out };
}

describe('relucert artifact', () => {
  it('writes a folder that, moved elsewhere, re-checks with node alone and prints each statement', async () => {
    const { out, stdout } = await build();
    const moved = join(tempDir(), 'elsewhere');
    renameSync(out, moved);
    expect(readdirSync(moved).sort()).toEqual([
      'README.md',
      'SHA256SUMS',
      'certificates',
      'check.mjs',
      'instances',
      'relucert-check.mjs',
      'results.json',
      'results.tex',
    ]);
    // the standalone checker, as committed
    expect(readFileSync(join(moved, 'relucert-check.mjs'), 'utf8')).toBe(readFileSync(join(ROOT, 'checker', 'relucert-check.mjs'), 'utf8'));
    const r = recheck(moved);
    expect(r.code, r.out).toBe(0);
    const readme = readFileSync(join(moved, 'README.md'), 'utf8');
    for (const name of NAMES) {
      const check = await cli('check', join(ROOT, 'certificates', `${name}.cert.json`), '--instance', join(ROOT, 'instances', `${name}.json`));
      const statement = check.out.replace(/^valid: /, '').trim();
      expect(r.out, name).toContain(`ok      certificates/${name}.cert.json`);
      expect(r.out, name).toContain(statement);
      expect(readme, name).toContain(statement);
      expect(stdout, name).toContain(statement);
      expect(readFileSync(join(moved, 'certificates', `${name}.cert.json`))).toEqual(readFileSync(join(ROOT, 'certificates', `${name}.cert.json`)));
    }
    expect(r.out).toContain(`all ${NAMES.length} certificates check`);
    // SHA256SUMS covers every file but itself, in sha256sum's format
    const sums = readFileSync(join(moved, 'SHA256SUMS'), 'utf8').trim().split('\n');
    expect(sums).toHaveLength(NAMES.length * 2 + 5);
    for (const line of sums) {
      const [sum, file] = line.split('  ');
      expect(
        createHash('sha256')
          .update(readFileSync(join(moved, file!)))
          .digest('hex'),
        file,
      ).toBe(sum);
    }
    // the LaTeX table: one row per result, special characters escaped
    const tex = readFileSync(join(moved, 'results.tex'), 'utf8');
    expect(tex.match(/\\\\$/gm)).toHaveLength(NAMES.length + 1);
    expect(tex).toContain('XOR \\& |x|');
    for (const name of NAMES) expect(tex).toContain(`\\texttt{${name}}`);
  });

  it('re-checking fails on a tampered certificate, and on a certificate whose sum was updated to match', async () => {
    const { out } = await build();
    const cert = join(out, 'certificates', 'xor-threshold-k1.cert.json');
    const tampered = readFileSync(cert, 'utf8').replace(/("multipliers":\{"[^"]+":")1"/, '$12"');
    expect(tampered).not.toBe(readFileSync(cert, 'utf8'));
    writeFileSync(cert, tampered);
    const bySum = recheck(out);
    expect(bySum.code).toBe(1);
    expect(bySum.out).toMatch(/FAILED {2}certificates\/xor-threshold-k1\.cert\.json: SHA-256/);
    const sums = join(out, 'SHA256SUMS');
    const newSum = createHash('sha256').update(tampered).digest('hex');
    writeFileSync(sums, readFileSync(sums, 'utf8').replace(/^[0-9a-f]{64}(?= {2}certificates\/xor-threshold-k1\.cert\.json$)/m, newSum));
    const byChecker = recheck(out);
    expect(byChecker.code).toBe(1);
    expect(byChecker.out).not.toContain('SHA-256');
    expect(byChecker.out).toMatch(/FAILED {2}certificates\/xor-threshold-k1\.cert\.json: .*rejected at .*\(F\d\)/);
  });

  it('refuses, writing nothing, a missing certificate, a rejected one, an existing folder', async () => {
    const dir = tempDir();
    const certs = join(dir, 'certs');
    mkdirSync(certs);
    copyFileSync(join(ROOT, 'certificates', 'xor-threshold-k1.cert.json'), join(certs, 'xor-threshold-k1.cert.json'));
    const out = join(dir, 'paper');
    const missing = await cli(
      'artifact',
      join(ROOT, 'instances', 'xor-threshold-k1.json'),
      join(ROOT, 'instances', 'abs-3-k2.json'),
      '--cert-dir',
      certs,
      '--out',
      out,
    );
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/abs-3-k2\.cert\.json: no such file/);
    // a certificate about another instance: the hash binding (C3) fails
    copyFileSync(join(ROOT, 'certificates', 'abs-3-k1.cert.json'), join(certs, 'abs-3-k2.cert.json'));
    const rejected = await cli(
      'artifact',
      join(ROOT, 'instances', 'xor-threshold-k1.json'),
      join(ROOT, 'instances', 'abs-3-k2.json'),
      '--cert-dir',
      certs,
      '--out',
      out,
    );
    expect(rejected.code).toBe(2);
    expect(rejected.err).toMatch(/the checker rejects it: .*\(C3\)/);
    expect(rejected.err.trim().split('\n')).toHaveLength(1);
    expect(readdirSync(dir).sort()).toEqual(['certs']);
    mkdirSync(out);
    const exists = await cli('artifact', join(ROOT, 'instances', 'xor-threshold-k1.json'), '--cert-dir', certs, '--out', out);
    expect(exists.code).toBe(2);
    expect(exists.err).toMatch(/exists already/);
    expect(existsSync(join(out, 'README.md'))).toBe(false);
  });
});
