/**
 * Interrupting long runs (src/run/interrupt.ts, src/cli/io.ts
 * stopOnSignals): the CLI run as a child process from the sources, sent
 * SIGINT or SIGTERM while it searches. minimize prints and writes the
 * bounds proved so far (exit 30), a batch writes its summary so far (exit
 * 128 + the signal's number). Before: the process ended at once, printing
 * and writing nothing.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers.js';
import { CASES, ROOT } from '../paths.js';

/** A search that runs for minutes: 3 ReLUs on 16 points in the plane. */
const HARD = join(CASES, 'F-anytime-minimize-l1.json');

interface Child {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** relucert ARGS in a child process, from the TypeScript sources (tsx). */
function relucert(...args: string[]): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/entry.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, out: () => out, err: () => err, exit };
}

/** Resolves once `text()` matches `re` (polled), or fails after `ms`. */
async function until(text: () => string, re: RegExp, ms = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!re.test(text())) {
    if (Date.now() - t0 > ms) throw new Error(`not seen within ${ms} ms: ${re}; got ${JSON.stringify(text())}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('signals', () => {
  it('minimize --loss, SIGINT while it searches: the bounds proved so far printed and written, each certificate valid, exit 30', async () => {
    const out = tempDir();
    const run = relucert('minimize', HARD, '--loss', '--out', out, '--json', '--progress');
    await until(run.err, /^relucert: minimizing the l1 loss of "rand16-l1" \(Ctrl-C: stop/m);
    await pause(1500);
    run.child.kill('SIGINT');
    const { code, signal } = await run.exit;
    expect(signal).toBeNull();
    expect(code, run.err()).toBe(30);
    expect(run.err()).toMatch(/relucert: SIGINT: stopping the search; the bounds proved so far are certified and written/);
    const o = JSON.parse(run.out()) as { status: string; reason: string; upper: { value: string; instance: string; certificate: string } | null };
    expect(o.status).toBe('bounds');
    expect(o.reason).toBe('interrupted (SIGINT)');
    // the zero network at least: an upper bound always exists, certified and written
    expect(o.upper).not.toBeNull();
    const c = await cli('check', o.upper!.certificate, '--instance', o.upper!.instance);
    expect(c.code, c.err).toBe(0);
  });
  it('a batch, SIGTERM during its second instance: the rows so far and the summary written, the third never started, exit 143', async () => {
    const dir = tempDir();
    copyFileSync('instances/abs-3-k1.json', join(dir, 'a.json'));
    // a refutation of bench/hard that takes one core well over 10 s
    copyFileSync(join(ROOT, 'bench', 'hard', 'random-d3-k3-n14.json'), join(dir, 'b.json'));
    copyFileSync('instances/abs-3-k1.json', join(dir, 'c.json'));
    const summary = join(tempDir(), 'summary.csv');
    const run = relucert('solve', dir, '--summary', summary, '--quiet');
    await until(run.out, /^"?abs-3-k1"?: infeasible/m);
    await pause(1500);
    run.child.kill('SIGTERM');
    const { code } = await run.exit;
    expect(code, run.err()).toBe(143);
    expect(run.out()).toMatch(/\n2 of 3 instances \(interrupted: SIGTERM\): 0 feasible, 1 infeasible, 1 unknown, 0 bad input; summary: /);
    expect(existsSync(summary)).toBe(true);
    const rows = parse<Record<string, string>>(readFileSync(summary, 'utf8'), { columns: true });
    expect(rows.map((r) => [r.file, r.verdict, r.detail])).toEqual([
      [join(dir, 'a.json'), 'infeasible', ''],
      [join(dir, 'b.json'), 'unknown', 'interrupted (SIGTERM)'],
    ]);
  });
});
