/**
 * The standalone checker, checker/relucert-check.mjs (README "Re-checking
 * without relucert"): it is what scripts/make-checker.ts generates from
 * today's src/check, the README states its true size and SHA-256, and,
 * copied alone into an empty folder, it checks valid and tampered
 * certificates with node and nothing else.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKER_FILE, checkerStamp, generateChecker } from '../../scripts/make-checker.js';
import { tempDir } from '../helpers.js';
import { ROOT } from '../paths.js';

const checkerPath = join(ROOT, CHECKER_FILE);

/** Runs `node relucert-check.mjs ARGS` in `cwd`, with an environment that names no module path. */
function node(cwd: string, ...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['relucert-check.mjs', ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('checker/relucert-check.mjs', () => {
  it('is what `npm run checker` generates from src/check now (regenerate it after changing src/check)', async () => {
    expect(readFileSync(checkerPath, 'utf8') === (await generateChecker()), `${CHECKER_FILE} is stale: run npm run checker`).toBe(true);
  });

  it('imports node built-ins only and stays under 4,000 lines (the target is about 3,000; docs/artifacts.md)', () => {
    const text = readFileSync(checkerPath, 'utf8');
    const specifiers = [...text.matchAll(/^\s*(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
    expect(specifiers.length).toBeGreaterThan(0);
    for (const s of specifiers) expect(s, s).toMatch(/^node:/);
    expect(text).not.toMatch(/\bimport\s*\(|\brequire\s*\(/);
    expect(text.split('\n').length).toBeLessThanOrEqual(4000);
  });

  it('has the size and SHA-256 the README states', () => {
    const bytes = readFileSync(checkerPath);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const stamp = checkerStamp(bytes.toString('utf8'));
    expect(stamp).toContain(`(${statSync(checkerPath).size} bytes, `);
    expect(stamp).toContain(`SHA-256 \`${sha}\``);
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(stamp);
  });

  it('alone in an empty folder, checks a valid certificate, rejects tampered ones, and refuses bad input', () => {
    const dir = tempDir();
    copyFileSync(checkerPath, join(dir, 'relucert-check.mjs'));
    copyFileSync(join(ROOT, 'certificates', 'xor-threshold-k1.cert.json'), join(dir, 'xor.cert.json'));
    copyFileSync(join(ROOT, 'instances', 'xor-threshold-k1.json'), join(dir, 'xor.json'));
    copyFileSync(join(ROOT, 'examples', 'stochastic', 'moons-region.cert.json'), join(dir, 'region.cert.json'));
    copyFileSync(join(ROOT, 'examples', 'learn', 'teacher.gram.json'), join(dir, 'gram.cert.json'));

    const valid = node(dir, 'xor.cert.json', '--instance', 'xor.json');
    expect(valid, valid.err).toMatchObject({ code: 0, err: '' });
    expect(valid.out).toMatch(/^valid: no network with 1 threshold unit .* "xor-threshold-k1"/);
    for (const f of ['region.cert.json', 'gram.cert.json']) expect(node(dir, f).code, f).toBe(0);
    // the limits of docs/certificates.md section 6: past the work limit, C4
    const c4 = node(dir, 'xor.cert.json', '--max-work', '1000');
    expect(c4.code, c4.err).toBe(1);
    expect(c4.err).toMatch(/\(C4\).*--max-work raises the limit/);

    // tampered: a Farkas multiplier changed, the instance changed under its hash, a region bound lowered
    const cert = JSON.parse(readFileSync(join(dir, 'xor.cert.json'), 'utf8')) as { instance: { labels: string[] } };
    const text = JSON.stringify(cert);
    const multiplier = /("multipliers":\{"[^"]+":")([0-9]+)(")/.exec(text);
    expect(multiplier).not.toBeNull();
    writeFileSync(join(dir, 'farkas.cert.json'), text.replace(multiplier![0], `${multiplier![1]}${BigInt(multiplier![2]!) + 1n}${multiplier![3]}`));
    cert.instance.labels[0] = cert.instance.labels[0] === '1' ? '-1' : '1';
    writeFileSync(join(dir, 'labels.cert.json'), JSON.stringify(cert));
    const region = readFileSync(join(dir, 'region.cert.json'), 'utf8');
    writeFileSync(join(dir, 'bound.cert.json'), region.replace(/"bound":"(\d+)\//, '"bound":"0/'));
    for (const [f, rule] of [
      ['farkas.cert.json', /\(F\d\)/],
      ['labels.cert.json', /\(C3\)/],
      ['bound.cert.json', /\bR10\b/],
    ] as const) {
      const r = node(dir, f);
      expect(r.code, `${f}: ${r.err}`).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toMatch(rule);
    }

    // bad input: one line, exit 2
    for (const args of [
      ['missing.cert.json'],
      ['xor.json'],
      ['xor.cert.json', '--bogus'],
      [],
      ['xor.cert.json', '--instance', 'xor.json', '--network', 'xor.json'],
      ['xor.cert.json', '--max-bytes', '100'],
      ['xor.cert.json', '--max-work', '0'],
    ]) {
      const r = node(dir, ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.trim().split('\n'), r.err).toHaveLength(1);
      expect(r.err).toMatch(/^relucert-check: /);
    }
  });
});
