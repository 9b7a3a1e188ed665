/**
 * How good is minimize's early upper bound for the squared loss? (docs/benchmark.md, "The l2 class")
 *   npm run build && node dist/bench/l2-upper.js [--first SEC] [--final SEC] [--json FILE] INSTANCE...
 *
 * For each instance, `relucert minimize INSTANCE --loss --json` runs twice,
 * each in its own process with its own output folder: once with --timeout
 * FIRST (default 5), once with --timeout FINAL (default 120). The first run's
 * upper bound is the checked bound available within FIRST seconds; the final
 * run's [lower, upper] brackets the least loss. Printed per instance: both
 * brackets, and the first upper bound over the final upper and lower bounds
 * (with a closed final bracket both are the ratio to the optimum; an open one
 * gives the two sides of it). A ratio of at most 2 meets the target of
 * "a first checked upper bound within 2x of the optimum in under 5 s".
 * Every bound printed is one relucert certified and self-checked (exact
 * rationals; the ratios alone are floats, for the table).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const program = new Command()
  .argument('<instances...>')
  .option('--first <sec>', 'the time limit of the first run', '5')
  .option('--final <sec>', 'the time limit of the final run', '120')
  .option('--json <file>', 'write every measurement here')
  .parse();
const o = program.opts<{ first: string; final: string; json?: string }>();

interface Bracket {
  status: string;
  lower: string;
  upper: string;
  wallMs: number;
}

/** One minimize run: its bracket (bounds as exact rational text) and wall time; throws on anything but exit 0 or 30. */
function minimize(file: string, timeout: string): Bracket {
  const out = mkdtempSync(join(tmpdir(), 'l2-upper-'));
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(root, 'bin', 'relucert.js'), 'minimize', file, '--loss', '--timeout', timeout, '--json', '--out', out], {
    encoding: 'utf8',
  });
  const wallMs = performance.now() - t0;
  rmSync(out, { recursive: true, force: true });
  if (r.status !== 0 && r.status !== 30) throw new Error(`${file}: minimize exited ${r.status}: ${r.stderr.trim().split('\n')[0] ?? ''}`);
  const j = JSON.parse(r.stdout) as { status: string; value?: string; lower?: { value: string }; upper?: { value: string } };
  const lower = j.value ?? j.lower?.value ?? '0';
  const upper = j.value ?? j.upper?.value ?? 'none';
  return { status: j.status, lower, upper, wallMs };
}

/** A rational's text "p/q" or "p" as a float, for the ratio column only. */
const approx = (t: string): number => {
  const [p, q] = t.split('/');
  return Number(p) / (q === undefined ? 1 : Number(q));
};

const rows: { instance: string; first: Bracket; final: Bracket }[] = [];
console.log(`| instance | within ${o.first} s: upper | within ${o.final} s: [lower, upper] | first upper / final upper | first upper / final lower |`);
console.log('|---|---|---|---|---|');
for (const file of program.args) {
  const first = minimize(file, o.first);
  const final = minimize(file, o.final);
  rows.push({ instance: basename(file, '.json'), first, final });
  const ratio = (den: string): string => (first.upper === 'none' || approx(den) === 0 ? '-' : (approx(first.upper) / approx(den)).toFixed(3));
  const bracket = final.lower === final.upper ? `${final.upper} (optimum, ${(final.wallMs / 1000).toFixed(1)} s)` : `[${final.lower}, ${final.upper}]`;
  console.log(
    `| ${basename(file, '.json')} | ${first.upper} (${(first.wallMs / 1000).toFixed(1)} s) | ${bracket} | ${ratio(final.upper)} | ${ratio(final.lower)} |`,
  );
}
if (o.json) writeFileSync(o.json, JSON.stringify({ date: new Date().toISOString(), first: o.first, final: o.final, rows }, null, 2) + '\n');
