/**
 * Issue F section 3: writing files never destroys anything. "-" is standard
 * output for every file option; only regular files are replaced (symbolic
 * links are written through); the target is checked before the work; a write
 * that still fails prints the answer, then the error (exit 74), and leaves no
 * temporary file. Failing writes are simulated by a switchable node:fs mock.
 */
import type * as NodeFs from 'node:fs';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkCertificate } from '../../src/check/index.js';
import { WriteError, writeFileAtomic } from '../../src/format/files.js';
import { cli, tempDir } from '../helpers.js';
import { CASES } from '../paths.js';

/** When set, the next writes fail with this errno code (after the temporary file exists). */
const failing = vi.hoisted(() => ({ code: undefined as string | undefined }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof NodeFs>();
  const writeSync = ((...args: Parameters<typeof fs.writeSync>) => {
    if (failing.code) throw Object.assign(new Error(`${failing.code}: simulated`), { code: failing.code });
    return (fs.writeSync as (...a: unknown[]) => number)(...args);
  }) as typeof fs.writeSync;
  return { ...fs, default: { ...fs, writeSync }, writeSync };
});
afterEach(() => {
  failing.code = undefined;
});

const leftovers = (dir: string): string[] => readdirSync(dir).filter((f) => f.includes('.tmp-') || f.startsWith('.relucert-probe'));

describe('"-" is standard output for every file option', () => {
  it('solve --cert -: the certificate alone on stdout, the report on stderr', async () => {
    const r = await cli('solve', 'instances/abs-3-k1.json', '--cert', '-');
    expect(r.code).toBe(20);
    expect(checkCertificate(r.out, 'stdout').status).toBe('valid');
    expect(r.err).toContain('certificate: standard output');
    expect(existsSync('-')).toBe(false);
  });
  it('solve --network-out -, plot -o -, import-weights -o -, reduce -o -, stochastic region --cert -, export --smtlib -', async () => {
    const net = await cli('solve', 'instances/abs-3-k2.json', '--network-out', '-');
    expect(JSON.parse(net.out).format).toBe('relucert-network/1');
    const svg = await cli('plot', 'instances/abs-3-k2.json', '-o', '-');
    expect(svg.out).toMatch(/^<svg/);
    expect(svg.err).toContain('wrote standard output');
    const imp = await cli('import-weights', 'examples/abs-3-k2.network.json', '--format', 'json', '--instance', 'instances/abs-3-k2.json', '-o', '-');
    expect(JSON.parse(imp.out).format).toBe('relucert-network/1');
    const red = await cli('reduce', 'set-splitting', 'examples/reductions/set-splitting.json', '-o', '-');
    expect(JSON.parse(red.out).format).toBe('relucert-instance/1');
    const gram = await cli('gram', 'instances/teacher-d2-k2.json', '--kernel', 'poly:2', '--cert', '-');
    expect(JSON.parse(gram.out).format).toBe('relucert-gram-certificate/1');
    const teacher = await cli('teacher', '--depth', '1', '--width', '2', '--dim', '2', '--samples', '5', '-o', '-', '--teacher', join(tempDir(), 't.json'));
    expect(JSON.parse(teacher.out).format).toBe('relucert-instance/1');
    const region = await cli(
      'stochastic',
      'region',
      'examples/stochastic/moons.network.json',
      '--input',
      '1/2,1/4',
      '--radius',
      '1/1000',
      '--variant',
      'wrap',
      '--no-search',
      '--cert',
      '-',
    );
    expect(region.code).toBe(0);
    expect(JSON.parse(region.out).format).toBe('relucert-region-certificate/1');
    expect(existsSync('-')).toBe(false);
  });
  it('refuses two outputs on stdout, and "-" together with --json', async () => {
    const two = await cli('solve', 'instances/abs-3-k2.json', '--cert', '-', '--network-out', '-');
    expect(two.code).toBe(2);
    expect(two.err).toMatch(/only one output can go to standard output/);
    const json = await cli('solve', 'instances/abs-3-k2.json', '--cert', '-', '--json');
    expect(json.code).toBe(2);
    const dir = await cli('minimize', 'instances/abs-3-k1-l1-half.json', '--loss', '--out', '-');
    expect(dir.code).toBe(2);
    expect(dir.err).toMatch(/--out: takes a directory/);
  });
});

describe('only regular files are replaced', () => {
  it('writes through a symbolic link: the link stays, its file gets the certificate', async () => {
    const dir = tempDir();
    const real = join(dir, 'real.json');
    writeFileSync(real, 'old');
    const link = join(dir, 'link.json');
    symlinkSync(real, link);
    const r = await cli('solve', 'instances/abs-3-k1.json', '--cert', link);
    expect(r.code).toBe(20);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(real);
    expect(checkCertificate(readFileSync(real, 'utf8'), real).status).toBe('valid');
    expect(leftovers(dir)).toEqual([]);
  });
  it('keeps the permissions of the file it replaces', async () => {
    const f = join(tempDir(), 'c.json');
    writeFileSync(f, 'old', { mode: 0o640 });
    expect((await cli('solve', 'instances/abs-3-k1.json', '--cert', f)).code).toBe(20);
    expect(statSync(f).mode & 0o777).toBe(0o640);
  });
  it.each([
    ['a device', '/dev/null', /is a device/],
    ['a directory', '.', /is a directory/],
  ])('refuses %s before solving (exit 2, nothing printed on stdout)', async (_what, target, message) => {
    const r = await cli('solve', 'instances/abs-3-k1.json', '--cert', target);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });
  it('refuses a symbolic link to a device and a dangling link, and leaves them alone', async () => {
    const dir = tempDir();
    const toDevice = join(dir, 'null.json');
    symlinkSync('/dev/null', toDevice);
    const dangling = join(dir, 'dangling.json');
    symlinkSync(join(dir, 'missing', 'x.json'), dangling);
    for (const link of [toDevice, dangling]) {
      const r = await cli('solve', 'instances/abs-3-k1.json', '--cert', link);
      expect(r.code).toBe(2);
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
    }
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });
  it('every file option checks its target the same way', async () => {
    for (const args of [
      ['plot', 'instances/abs-3-k2.json', '-o', '/dev/null'],
      ['reduce', 'set-splitting', 'examples/reductions/set-splitting.json', '-o', '/dev/null'],
      ['import-weights', 'examples/abs-3-k2.network.json', '--format', 'json', '--instance', 'instances/abs-3-k2.json', '-o', '/dev/null'],
      ['export', 'instances/abs-3-k2.json', '--smtlib', '/dev/null'],
      ['solve', 'instances/abs-3-k2.json', '--network-out', '/dev/null'],
      [
        'stochastic',
        'region',
        'examples/stochastic/moons.network.json',
        '--input',
        '1/2,1/4',
        '--radius',
        '1/1000',
        '--variant',
        'wrap',
        '--cert',
        '/dev/null',
      ],
      ['gram', 'instances/teacher-d2-k2.json', '--kernel', 'poly:2', '--cert', '/dev/null'],
      ['gram', 'instances/teacher-d2-k2.json', '--kernel', 'poly:2', '--plot', '/dev/null'],
      ['nystrom', 'instances/teacher-d2-k2.json', '--kernel', 'poly:2', '--plot', '/dev/null'],
      ['teacher', '--depth', '1', '--width', '2', '--dim', '2', '--samples', '5', '-o', '/dev/null'],
      ['teacher', '--depth', '1', '--width', '2', '--dim', '2', '--samples', '5', '-o', join(tempDir(), 't.json'), '--teacher', '/dev/null'],
    ]) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(/is a device/);
    }
  });
});

describe('the output location is checked before the work', () => {
  it('a path under a regular file is refused before solving', async () => {
    const file = join(tempDir(), 'plain');
    writeFileSync(file, '');
    const r = await cli('solve', 'instances/abs-3-k1.json', '--cert', join(file, 'c.json'));
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/is not a directory/);
  });
  it("minimize --out /proc/x fails at once (node's recursive mkdir loops there forever)", async () => {
    const r = await cli('minimize', 'instances/abs-3-k1-l1-half.json', '--loss', '--out', '/proc/relucert-x');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/cannot write there/);
  });
  it('makes missing directories one level at a time, and says which it made (on stderr; a typo leaves no unannounced tree)', async () => {
    const top = tempDir();
    const deep = join(top, 'a', 'b', 'c', 'c.json');
    const r = await cli('solve', 'instances/abs-3-k1.json', '--cert', deep, '--json');
    expect(r.code).toBe(20);
    expect(existsSync(deep)).toBe(true);
    expect(JSON.parse(r.out).verdict).toBe('infeasible');
    const made = ['a', 'a/b', 'a/b/c'].map((d) => join(top, d));
    expect(r.err).toBe(`relucert: made 3 folders: ${made.join(', ')} (they did not exist)\n`);
    // the folder exists now: nothing to say
    expect((await cli('solve', 'instances/abs-3-k1.json', '--cert', join(top, 'a', 'b', 'c', 'd.json'))).err).toBe('');
    const one = await cli('solve', 'instances/abs-3-k1.json', '--cert', join(top, 'a', 'e', 'e.json'));
    expect(one.err).toBe(`relucert: made the folder ${join(top, 'a', 'e')} (it did not exist)\n`);
  });
  it('refused input makes no folder', async () => {
    const top = tempDir();
    const r = await cli('solve', join(CASES, 'N-two-output.json'), '--cert', join(top, 'new', 'c.json'));
    expect(r.code).toBe(2);
    expect(existsSync(join(top, 'new'))).toBe(false);
    expect(r.err).not.toMatch(/made/);
  });
  it('minimize writes under a safe directory name, whatever the instance is called', async () => {
    const inst = JSON.parse(readFileSync('instances/abs-3-k1-l1-half.json', 'utf8'));
    const dir = tempDir();
    const f = join(dir, 'evil.json');
    writeFileSync(f, JSON.stringify({ ...inst, name: '../../escaped' }));
    const out = join(dir, 'out');
    mkdirSync(out);
    const r = await cli('minimize', f, '--loss', '--out', out, '--json');
    expect(r.code).toBe(0);
    const made = readdirSync(out);
    expect(made).toHaveLength(1);
    expect(made[0]).toMatch(/^_\.\._escaped-[0-9a-f]{8}$/);
    expect(existsSync(join(dir, '..', 'escaped'))).toBe(false);
    // the lower side is named for what it asks, not for the original question
    const lower = JSON.parse(readFileSync(JSON.parse(r.out).lowerBound.instance, 'utf8'));
    expect(lower.name).toBe('../../escaped (l1 loss < 1)');
  });
});

describe('a write that fails after the work', () => {
  it('writeFileAtomic removes its temporary file and leaves the old file as it was (ENOSPC)', () => {
    const dir = tempDir();
    const f = join(dir, 'c.json');
    writeFileSync(f, 'old');
    failing.code = 'ENOSPC';
    expect(() => writeFileAtomic(f, 'new')).toThrow(WriteError);
    expect(() => writeFileAtomic(f, 'new')).toThrow(/cannot write \(ENOSPC\)/);
    expect(readFileSync(f, 'utf8')).toBe('old');
    expect(leftovers(dir)).toEqual([]);
  });
  it('solve prints the verdict, then the error, exits 74, and leaves nothing behind', async () => {
    const dir = tempDir();
    const cert = join(dir, 'c.json');
    failing.code = 'ENOSPC';
    const r = await cli('solve', 'instances/abs-3-k1.json', '--cert', cert);
    expect(r.code).toBe(74);
    expect(r.out).toMatch(/^"abs-3-k1": infeasible/);
    expect(r.out).toContain('certificate: none written: it could not be written (below)');
    expect(r.err).toMatch(/c\.json: cannot write \(ENOSPC\)/);
    expect(readdirSync(dir)).toEqual([]);
  });
  it('minimize and solve --json report the failure with the answer', async () => {
    const dir = tempDir();
    failing.code = 'EIO';
    const m = await cli('minimize', 'instances/abs-3-k1-l1-half.json', '--loss', '--out', dir, '--json');
    expect(m.code).toBe(74);
    expect(JSON.parse(m.out)).toMatchObject({ status: 'optimal', value: '1', witness: null });
    const s = await cli('solve', 'instances/abs-3-k2.json', '--network-out', join(dir, 'n.json'), '--json');
    expect(s.code).toBe(74);
    expect(JSON.parse(s.out)).toMatchObject({ verdict: 'feasible', networkFile: null });
    expect(s.err).toMatch(/cannot write \(EIO\)/);
  });
});
