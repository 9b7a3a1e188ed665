/**
 * How well --timeout is kept (docs/engines.md, "Time limits"): runs the built command
 * (node bin/relucert.js, so `npm run build` first) many times with small
 * time limits on growing inputs, and reports, per command and engine, the
 * overrun: wall-clock time from start to exit minus the limit.
 *   npx tsx scripts/overrun.ts [--sizes 30,100,300,1000,2000] [--limits 1,3] [--json FILE]
 * Inputs are generated with a fixed seed: n points in d = 1 with integer x
 * and labels in [-9, 9], 2 ReLUs, output weights signs, no output bias, exact
 * fit (the kind of tests/cases/F-timeout-*.json); for minimize --loss the same
 * points under an l1 bound with 3 ReLUs and an output bias; for minimize
 * --width threshold units classifying alternating labels on a line; for
 * stochastic region the moons network on boxes of radius 0.05 and 0.3 around
 * (1/2, 1/4) (its rows show the radius times 100 as n).
 * Each run is killed 60 s past its limit and then counts as such.
 * Prints a Markdown table (docs/benchmark.md has one).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import fc from 'fast-check';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const o = new Command()
  .option('--sizes <list>', 'numbers of points', '30,100,300,1000,2000')
  .option('--limits <list>', 'time limits in seconds', '1,3')
  .option('--json <file>', 'write every run here')
  .parse()
  .opts<{ sizes: string; limits: string; json?: string }>();
const sizes = o.sizes.split(',').map(Number);
const limits = o.limits.split(',').map(Number);
const dir = mkdtempSync(join(tmpdir(), 'relucert-overrun-'));

/** n random integer points in d = 1 with integer labels (seeded by n). */
function data(n: number): { points: string[][]; labels: string[] } {
  const [xs] = fc.sample(fc.array(fc.tuple(fc.integer({ min: -9, max: 9 }), fc.integer({ min: -9, max: 9 })), { minLength: n, maxLength: n }), {
    seed: n,
    numRuns: 1,
  });
  return { points: xs!.map(([x]) => [String(x)]), labels: xs!.map(([, y]) => String(y)) };
}

function write(name: string, inst: Record<string, unknown>): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ format: 'relucert-instance/1', name, ...inst }));
  return file;
}

const exactFit = (n: number): string =>
  write(`fit-${n}`, { ...data(n), architecture: { hidden: 2, activation: 'relu', outputWeights: 'signs', outputBias: false }, loss: { type: 'exact' } });
const l1 = (n: number): string =>
  write(`l1-${n}`, { ...data(n), architecture: { hidden: 3, activation: 'relu', outputWeights: 'signs', outputBias: true }, loss: { type: 'l1', bound: '1' } });
const zigzag = (n: number): string =>
  write(`zigzag-${n}`, {
    points: Array.from({ length: n }, (_, i) => [String(i), String(2 * i + 1)]),
    labels: Array.from({ length: n }, (_, i) => (i % 2 === 0 ? '1' : '-1')),
    architecture: { hidden: 1, activation: 'threshold', outputWeights: 'free', outputBias: true },
    loss: { type: 'classification' },
  });

interface RunRow {
  command: string;
  n: number;
  limit: number;
  wall: number;
  overrun: number;
  code: number | null;
  killed: boolean;
}

const rows: RunRow[] = [];
function measure(command: string, n: number, limit: number, args: string[]): void {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [join(root, 'bin', 'relucert.js'), ...args, '--timeout', String(limit)], {
    encoding: 'utf8',
    timeout: (limit + 60) * 1000,
    killSignal: 'SIGKILL',
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const row = { command, n, limit, wall, overrun: wall - limit, code: r.status, killed: r.signal !== null };
  rows.push(row);
  process.stderr.write(
    `  ${command.padEnd(28)} n=${String(n).padEnd(5)} T=${limit} s: ${wall.toFixed(2)} s (exit ${r.status}${row.killed ? ', KILLED' : ''})\n`,
  );
}

const load0 = loadavg()[0]!;
const started = Date.now();
for (const limit of limits) {
  for (const n of sizes) {
    const f = exactFit(n);
    for (const engine of ['exact', 'reference', 'z3', 'milp', 'all'])
      measure(`solve --engine ${engine}`, n, limit, ['solve', f, '--engine', engine, '--quiet']);
    measure('solve --cert (self-check)', n, limit, ['solve', f, '--cert', join(dir, 'c.cert.json'), '--quiet']);
    measure('crosscheck', n, limit, ['crosscheck', f]);
    if (n <= 300) measure('minimize --loss', n, limit, ['minimize', l1(n), '--loss', '--out', join(dir, 'min')]);
  }
  for (const n of [8, 12]) measure('minimize --width', n, limit, ['minimize', zigzag(n), '--width', '--max-width', '12', '--out', join(dir, 'min')]);
  // Circa region certificates: the box grows with the radius
  for (const r of ['0.05', '0.3'])
    measure('stochastic region', Number(r) * 100, limit, [
      'stochastic',
      'region',
      join(root, 'examples', 'stochastic', 'moons.network.json'),
      '--input',
      '0.5,0.25',
      '--radius',
      r,
      '--variant',
      'poszero',
      '--t',
      '12',
      '--max-leaves',
      '100000',
    ]);
}
rmSync(dir, { recursive: true, force: true });

const commands = [...new Set(rows.map((r) => r.command))];
const q = (xs: number[], f: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(f * s.length))]!;
};
let table = `Measured ${new Date().toISOString().slice(0, 10)}, node ${process.version}, load average ${load0.toFixed(1)} at the start and ${loadavg()[0]!.toFixed(1)} at the end (2 cores, shared), ${rows.length} runs in ${((Date.now() - started) / 1000).toFixed(0)} s; limits ${limits.join(', ')} s; sizes ${sizes.join(', ')} points.\n\n`;
table += '| command | runs | min overrun (s) | median (s) | max (s) | worst run | killed |\n|---|---|---|---|---|---|---|\n';
for (const c of commands) {
  const rs = rows.filter((r) => r.command === c);
  const ov = rs.map((r) => r.overrun);
  const worst = rs.reduce((a, b) => (b.overrun > a.overrun ? b : a));
  table += `| ${c} | ${rs.length} | ${Math.min(...ov).toFixed(2)} | ${q(ov, 0.5).toFixed(2)} | ${Math.max(...ov).toFixed(2)} | n = ${worst.n}, T = ${worst.limit} s | ${rs.filter((r) => r.killed).length} |\n`;
}
const all = rows.map((r) => r.overrun);
table += `| **all** | ${rows.length} | ${Math.min(...all).toFixed(2)} | ${q(all, 0.5).toFixed(2)} | ${Math.max(...all).toFixed(2)} | | ${rows.filter((r) => r.killed).length} |\n`;
if (o.json) writeFileSync(o.json, JSON.stringify({ rows }, null, 1) + '\n');
process.stdout.write(table);
