import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { cli, tempDir } from '../helpers.js';

/** A directory with two good instances, a bad one and a non-instance file. */
function batchDir(): string {
  const dir = tempDir();
  copyFileSync('instances/abs-3-k1.json', join(dir, 'abs-3-k1.json'));
  copyFileSync('instances/abs-3-k2.json', join(dir, 'abs-3-k2.json'));
  writeFileSync(join(dir, 'bad.json'), '{"format": "relucert-instance/1", "name": "bad"}');
  writeFileSync(join(dir, 'notes.txt'), 'not an instance');
  return dir;
}

const readCsv = (f: string): Record<string, string>[] => parse<Record<string, string>>(readFileSync(f, 'utf8'), { columns: true });

describe('relucert solve DIR|FILES... --summary', () => {
  it('solves every *.json of a directory, one CSV row each; a bad file is a row and a stderr line, and the batch goes on', async () => {
    const dir = batchDir();
    const out = tempDir();
    const summary = join(out, 'results.csv');
    const certs = join(out, 'certs');
    const r = await cli('solve', dir, '--summary', summary, '--cert-dir', certs);
    expect(r.code).toBe(2);
    // the bad file's line, and the folder --cert-dir made (announced: docs/architecture.md section 6)
    expect(r.err).toBe(`relucert: ${join(dir, 'bad.json')}: points: missing\nrelucert: made the folder ${certs} (it did not exist)\n`);
    const rows = readCsv(summary);
    expect(rows.map((x) => [x.name, x.file, x.verdict, x.leaves, x.certificate, x.checked])).toEqual([
      ['abs-3-k1', join(dir, 'abs-3-k1.json'), 'infeasible', '4', join(certs, 'abs-3-k1.cert.json'), 'true'],
      ['abs-3-k2', join(dir, 'abs-3-k2.json'), 'feasible', '', join(certs, 'abs-3-k2.cert.json'), 'true'],
      ['', join(dir, 'bad.json'), 'bad-input', '', '', ''],
    ]);
    expect(Object.keys(rows[0]!)).toEqual(['name', 'file', 'verdict', 'seconds', 'nodes', 'leaves', 'certificate', 'checked', 'detail']);
    expect(rows[2]!.detail).toBe(`${join(dir, 'bad.json')}: points: missing`);
    for (const row of rows.slice(0, 2)) {
      expect(Number(row.nodes)).toBeGreaterThan(0);
      expect(Number(row.seconds)).toBeGreaterThanOrEqual(0);
      const c = await cli('check', row.certificate!, '--instance', row.file!);
      expect(c.code).toBe(0);
    }
    expect(r.out.split('\n').slice(-2)[0]).toBe(`3 instances: 1 feasible, 1 infeasible, 0 unknown, 1 bad input; summary: ${summary}`);
  });
  it('several files, exit 0 when none is bad; names of certificates are made unique', async () => {
    const certs = join(tempDir(), 'c');
    const r = await cli('solve', 'instances/abs-3-k1.json', 'instances/abs-3-k1.json', '--cert-dir', certs);
    expect(r.code).toBe(0);
    expect(existsSync(join(certs, 'abs-3-k1.cert.json'))).toBe(true);
    expect(existsSync(join(certs, 'abs-3-k1-2.cert.json'))).toBe(true);
    expect(r.out).toContain('2 instances: 0 feasible, 2 infeasible, 0 unknown, 0 bad input\n');
  });
  it('--json: one object with every row', async () => {
    const r = await cli('solve', 'instances/abs-3-k2.json', 'instances/xor-threshold-k1.json', '--json');
    const j = JSON.parse(r.out) as { instances: { verdict: string }[]; counts: Record<string, number> };
    expect(j.instances.map((x) => x.verdict)).toEqual(['feasible', 'infeasible']);
    expect(j.counts).toEqual({ feasible: 1, infeasible: 1, unknown: 0, bad: 0 });
  });
  it('a missing file is a bad row; an unknown engine is refused before any work', async () => {
    const summary = join(tempDir(), 's.csv');
    const r = await cli('solve', '/nonexistent/a.json', 'instances/abs-3-k2.json', '--summary', summary);
    expect(r.code).toBe(2);
    expect(readCsv(summary).map((x) => x.verdict)).toEqual(['bad-input', 'feasible']);
    const e = await cli('solve', 'instances/abs-3-k2.json', 'instances/abs-3-k1.json', '--engine', 'nope', '--summary', summary);
    expect(e.code).toBe(2);
    expect(e.err).toContain('command line: --engine: unknown engine "nope"');
  });
  it('--cert and --onnx-out take one instance', async () => {
    const r = await cli('solve', 'instances/abs-3-k2.json', 'instances/abs-3-k1.json', '--cert', 'x.json');
    expect(r).toMatchObject({ code: 2, err: 'relucert: command line: --cert: takes one instance; for a batch use --cert-dir\n' });
  });
  it('a timeout answers unknown in its row', async () => {
    const summary = join(tempDir(), 's.csv');
    const r = await cli('solve', 'instances/zigzag6-k3.json', '--summary', summary, '--timeout', '0.001');
    expect(r.code).toBe(0);
    const [row] = readCsv(summary);
    expect(['unknown', 'infeasible', 'feasible']).toContain(row!.verdict);
    if (row!.verdict === 'unknown') expect(row!.detail).not.toBe('');
  });
  it('the progress bar: on stderr with --progress when it is not a terminal, never with --quiet, never on stdout', async () => {
    const dir = batchDir();
    let out = '';
    let err = '';
    const code = await run(['solve', dir, '--progress'], { out: (t) => (out += t), err: (t) => (err += t), progress: false });
    expect(code).toBe(2);
    expect(err).toContain('3/3 | 1 feasible, 1 infeasible, 0 unknown, 1 bad');
    expect(out).not.toContain('3/3');
    const quiet = await cli('solve', dir, '--progress', '--quiet');
    expect(quiet.err).not.toContain('3/3');
    // on a terminal: the bar is drawn with cursor controls, and lines printed during the batch clear it first
    let tty = '';
    await run(['solve', dir], { out: () => undefined, err: (t) => (tty += t), progress: true });
    expect(tty).toContain('\r\x1b[2K');
    expect(tty).toContain('3/3');
  });
  it('single-instance solve is unchanged: no summary line, MiniSat exit codes', async () => {
    const r = await cli('solve', 'instances/abs-3-k1.json');
    expect(r.code).toBe(20);
    expect(r.out.split('\n')[0]).toBe('"abs-3-k1": infeasible (proof with 4 leaves)');
    expect(r.out).not.toContain('instances:');
  });
  it('an empty directory is a batch of none', async () => {
    const d = join(tempDir(), 'empty');
    mkdirSync(d);
    const r = await cli('solve', d);
    expect(r).toMatchObject({ code: 0, out: '0 instances: 0 feasible, 0 infeasible, 0 unknown, 0 bad input\n' });
  });
});
