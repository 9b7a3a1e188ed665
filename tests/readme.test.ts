/** The README's quick start stays true: its commands run and print what it shows (timings aside). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

const readme = readFileSync('README.md', 'utf8');

describe('README quick start', () => {
  it('solve abs-3-k1 prints the verdict and question the README shows, and check accepts the certificate', async () => {
    const cert = join(tempDir(), 'abs-3-k1.cert.json');
    const r = await cli('solve', 'instances/abs-3-k1.json', '--cert', cert);
    expect(r.code).toBe(20);
    const [verdict, question] = r.out.split('\n');
    expect(readme).toContain(verdict!);
    expect(readme).toContain(question!);
    const c = await cli('check', cert, '--instance', 'instances/abs-3-k1.json');
    expect(c.code).toBe(0);
    expect(readme).toContain(c.out.trim());
  });
  it('minimize prints the optimum the README shows', async () => {
    const r = await cli('minimize', 'instances/abs-3-k1-l1-half.json', '--loss', '--out', tempDir());
    expect(r.code).toBe(0);
    expect(readme).toContain(r.out.split('\n')[0]!);
  });
  it('names only commands that exist', async () => {
    const help = (await cli('--help')).out;
    for (const m of readme.matchAll(/relucert (\w[\w-]*) /g)) if (!['decides'].includes(m[1]!)) expect(help, m[1]).toContain(m[1]!);
  });
});
