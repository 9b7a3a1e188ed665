/**
 * This tree against another checkout of relucert (an older commit, built),
 * instance by instance: the bench worker (worker.ts) of each tree in its own
 * process, in turn (A B A B ..., the first of each pair alternating), so that
 * a drift of the machine's speed falls on both. Prints per instance the
 * median CPU time (user + sys, GNU time) of each and their ratio, whether
 * the two searches agree (verdict, nodes, certificate bytes), then the
 * median ratio and the total. Used for "no drop beyond noise" claims
 * (docs/benchmark.md, "The whole hard suite, before and after").
 *   git worktree add ../before OLD && (cd ../before && npm ci && npm run build)
 *   npm run build && node dist/bench/before-after.js --before ../before [--runs 3] [--timeout 30] [--json FILE] INSTANCE...
 * A run that hits the timeout counts as the timeout; such instances are
 * listed but left out of the median. Needs /usr/bin/time (GNU time).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';

const after = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const program = new Command()
  .argument('<instances...>')
  .requiredOption('--before <dir>', 'the other checkout (built: dist/bench/worker.js)')
  .option('--runs <n>', 'runs of each tree per instance', '3')
  .option('--timeout <sec>', 'per run', '30')
  .option('--json <file>', 'write every measurement here')
  .parse();
const o = program.opts<{ before: string; runs: string; timeout: string; json?: string }>();
const before = resolve(o.before);
for (const dir of [before, after])
  if (!existsSync(join(dir, 'dist', 'bench', 'worker.js'))) program.error(`before-after: ${dir}: no dist/bench/worker.js (run npm run build there)`);
const runs = Number(o.runs);
const timeout = Number(o.timeout);

interface Run {
  tree: 'before' | 'after';
  cpuMs: number;
  verdict: string;
  nodes?: number;
  certBytes?: number;
}

/** One worker process of `tree` on `file`: CPU time from GNU time, the worker's JSON line. */
function once(tree: 'before' | 'after', file: string): Run {
  const dir = tree === 'before' ? before : after;
  const p = spawnSync(
    '/usr/bin/time',
    ['-f', 'BEFORE_AFTER_CPU %U %S', process.execPath, join(dir, 'dist', 'bench', 'worker.js'), 'cdcl', file, String(timeout), ''],
    {
      encoding: 'utf8',
      timeout: (timeout + 30) * 1000,
      maxBuffer: 1 << 26,
    },
  );
  const t = /BEFORE_AFTER_CPU ([\d.]+) ([\d.]+)/.exec(p.stderr ?? '');
  const cpuMs = t ? (Number(t[1]) + Number(t[2])) * 1000 : NaN;
  try {
    const w = JSON.parse((p.stdout ?? '').trim().split('\n').pop() ?? '') as { verdict: string; nodes?: number; certBytes?: number };
    return {
      tree,
      cpuMs,
      verdict: w.verdict,
      ...(w.nodes !== undefined ? { nodes: w.nodes } : {}),
      ...(w.certBytes !== undefined ? { certBytes: w.certBytes } : {}),
    };
  } catch {
    return { tree, cpuMs, verdict: 'unknown' };
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const table: { instance: string; before: number; after: number; ratio: number; same: boolean; decided: boolean; runs: Run[] }[] = [];
process.stdout.write(`| instance | verdict | before CPU (s) | after CPU (s) | after / before | same search |\n|---|---|---|---|---|---|\n`);
for (const file of program.args) {
  const got: Run[] = [];
  for (let r = 0; r < runs; r++) for (const tree of r % 2 === 0 ? (['before', 'after'] as const) : (['after', 'before'] as const)) got.push(once(tree, file));
  const of = (tree: string): Run[] => got.filter((g) => g.tree === tree);
  const b = median(of('before').map((g) => g.cpuMs));
  const a = median(of('after').map((g) => g.cpuMs));
  const first = (tree: string): Run => of(tree)[0]!;
  const same = got.every((g) => g.verdict === first('before').verdict && g.nodes === first('before').nodes && g.certBytes === first('before').certBytes);
  const decided = got.every((g) => g.verdict !== 'unknown');
  const name = basename(file, '.json');
  table.push({ instance: name, before: b, after: a, ratio: a / b, same, decided, runs: got });
  process.stdout.write(
    `| ${name} | ${first('after').verdict} | ${(b / 1000).toFixed(2)} | ${(a / 1000).toFixed(2)} | ${decided ? (a / b).toFixed(2) : '-'} | ${same ? 'yes' : 'no'} |\n`,
  );
}
const decided = table.filter((t) => t.decided);
const tb = decided.reduce((s, t) => s + t.before, 0);
const ta = decided.reduce((s, t) => s + t.after, 0);
process.stdout.write(
  `\n${table.length} instances, ${runs} runs of each tree, in turn; same search on ${table.filter((t) => t.same).length}; ` +
    `after / before CPU over the ${decided.length} decided: median ${median(decided.map((t) => t.ratio)).toFixed(3)}, ` +
    `min ${Math.min(...decided.map((t) => t.ratio)).toFixed(2)}, max ${Math.max(...decided.map((t) => t.ratio)).toFixed(2)}; ` +
    `total ${(tb / 1000).toFixed(1)} s before, ${(ta / 1000).toFixed(1)} s after (${(ta / tb).toFixed(3)})\n`,
);
if (o.json) writeFileSync(o.json, JSON.stringify({ before, after, runs, timeout, rows: table }, null, 1) + '\n');
