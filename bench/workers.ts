/**
 * `relucert solve --workers 2` against one worker (the default engine, one
 * thread), each run in its own process, alternating which goes first:
 *   npm run build && node dist/bench/workers.js [--runs R] [--timeout SEC] [--json FILE] INSTANCE...
 * Prints per instance the wall time of each, the speed-up (one worker's time
 * over two workers'), the nodes searched, and the machine's load average
 * (1 minute) before each run, since other processes share the cores; then
 * the median speed-up over the instances one worker decided. A run that hits
 * the timeout counts as the timeout (the speed-up is then a bound, marked).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const program = new Command()
  .argument('<instances...>')
  .option('--runs <n>', 'runs of each configuration per instance', '1')
  .option('--timeout <sec>', 'per run', '600')
  .option('--json <file>', 'write every measurement here')
  .parse();
const o = program.opts<{ runs: string; timeout: string; json?: string }>();
const files = program.args;

interface Run {
  instance: string;
  workers: number;
  verdict: string;
  wallMs: number;
  nodes?: number;
  load1: number;
}

function solve(file: string, workers: number): Run {
  const load1 = loadavg()[0]!;
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [join(root, 'bin', 'relucert.js'), 'solve', file, '--workers', String(workers), '--timeout', o.timeout, '--json', '--quiet'],
    { encoding: 'utf8' },
  );
  const wallMs = performance.now() - t0;
  let out: { verdict?: string; reason?: string; stats?: { nodes: number } } = {};
  try {
    out = JSON.parse(r.stdout) as typeof out;
  } catch {
    out = { verdict: `error (exit ${r.status}): ${r.stderr.trim().split('\n')[0] ?? ''}` };
  }
  const verdict = out.verdict === 'unknown' ? `unknown (${out.reason})` : (out.verdict ?? '?');
  return { instance: basename(file, '.json'), workers, verdict, wallMs, ...(out.stats ? { nodes: out.stats.nodes } : {}), load1 };
}

const runs: Run[] = [];
for (const file of files)
  for (let t = 0; t < Number(o.runs); t++)
    for (const w of t % 2 === 0 ? [1, 2] : [2, 1]) {
      const r = solve(file, w);
      runs.push(r);
      process.stderr.write(`${r.instance} workers=${w}: ${r.verdict} ${(r.wallMs / 1000).toFixed(1)} s, load ${r.load1.toFixed(2)}\n`);
    }

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
console.log('| instance | verdict | 1 worker (s) | 2 workers (s) | speed-up | nodes 1 / 2 | load (1 min) |');
console.log('|---|---|---|---|---|---|---|');
const speedups: number[] = [];
for (const file of files) {
  const name = basename(file, '.json');
  const one = runs.filter((r) => r.instance === name && r.workers === 1);
  const two = runs.filter((r) => r.instance === name && r.workers === 2);
  const t1 = median(one.map((r) => r.wallMs)) / 1000;
  const t2 = median(two.map((r) => r.wallMs)) / 1000;
  const timedOut = (rs: Run[]): boolean => rs.some((r) => r.verdict.startsWith('unknown'));
  const mark = timedOut(one) ? '>=' : timedOut(two) ? '<=' : '';
  if (!timedOut(one)) speedups.push(t1 / t2);
  const loads = [...one, ...two].map((r) => r.load1);
  console.log(
    `| ${name} | ${one[0]?.verdict ?? '?'} | ${t1.toFixed(1)} | ${t2.toFixed(1)} | ${mark}${(t1 / t2).toFixed(2)}x | ${one[0]?.nodes ?? '?'} / ${two[0]?.nodes ?? '?'} | ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)} |`,
  );
}
if (speedups.length > 0) console.log(`\nmedian speed-up (over ${speedups.length} instances one worker decided): ${median(speedups).toFixed(2)}x`);
if (o.json) writeFileSync(o.json, JSON.stringify({ date: new Date().toISOString(), timeout: Number(o.timeout), runs }, null, 1) + '\n');
