/**
 * The benchmark (issue B): every engine on every instance of bench/suite,
 * each run in its own process with a per-instance timeout.
 *   npm run bench -- [--json FILE] [--timeout SEC] [--engines exact,z3,milp] [--filter TEXT]
 * Prints a table and the medians the targets are stated in: each engine's
 * time over `exact`'s (on instances both decided; a timeout counts as the
 * timeout, so that ratio is a lower bound and marked ">="), check time over
 * solve time, and at k = 3 the proof's leaves over the arrangement's cells.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const program = new Command()
  .option('--json <file>', 'write every measurement here')
  .option('--timeout <sec>', 'per instance and engine', '30')
  .option('--engines <list>', 'engines to run', 'exact,z3,milp')
  .option('--filter <text>', 'only instances whose name contains this')
  .option('--from <file>', 'do not run: print the table of an earlier --json file')
  .parse();
const o = program.opts<{ json?: string; timeout: string; engines: string; filter?: string; from?: string }>();
const earlier = o.from ? (JSON.parse(readFileSync(o.from, 'utf8')) as { timeout: number; engines: string[]; rows: Row[]; date: string }) : undefined;
const timeout = earlier ? earlier.timeout : Number(o.timeout);
const engineList = earlier ? earlier.engines : o.engines.split(',');
const suiteDir = join(root, 'bench', 'suite');
const files = readdirSync(suiteDir).filter((f) => f.endsWith('.json') && (!o.filter || f.includes(o.filter))).sort();

interface Row {
  engine: string;
  instance: string;
  verdict: string;
  solveMs: number;
  certifyMs?: number;
  checkMs?: number;
  checked?: boolean;
  certBytes?: number;
  leaves?: number;
  reason?: string;
}

/** Cells of the arrangement: dichotomies of n points in general position by one affine hyperplane, to the k, times the sign cases. */
function cells(n: number, d: number, k: number, cases: number): number {
  let c = 0;
  let binom = 1;
  for (let i = 0; i <= d; i++) {
    c += binom;
    binom = (binom * (n - 1 - i)) / (i + 1);
  }
  return (2 * c) ** k * cases;
}

const rows: Row[] = earlier ? earlier.rows : [];
const started = Date.now();
for (const f of earlier ? [] : files) {
  const inst = JSON.parse(readFileSync(join(suiteDir, f), 'utf8')) as { name: string; points: unknown[][]; architecture: { hidden: number; outputWeights: unknown } };
  for (const e of engineList) {
    const p = spawnSync(process.execPath, [join(here, 'worker.js'), e, join(suiteDir, f), String(timeout)], { encoding: 'utf8', timeout: (timeout + 15) * 1000 });
    let row: Row;
    try {
      row = JSON.parse(p.stdout.trim().split('\n').pop() ?? '') as Row;
    } catch {
      row = { engine: e, instance: inst.name, verdict: 'unknown', solveMs: timeout * 1000, reason: p.signal ? `killed (${p.signal})` : `crashed: ${p.stderr.split('\n')[0]}` };
    }
    // a run that hit the timeout counts as the timeout; other unknowns (milp's "no fit within M") keep their time
    if (row.verdict === 'unknown' && /timeout|killed/.test(row.reason ?? '')) row.solveMs = Math.max(row.solveMs, timeout * 1000);
    rows.push(row);
    process.stderr.write(`  ${inst.name.padEnd(36)} ${e.padEnd(6)} ${row.verdict.padEnd(10)} ${(row.solveMs / 1000).toFixed(2)} s\n`);
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const by = (e: string, i: string): Row | undefined => rows.find((r) => r.engine === e && r.instance === i);
const names = [...new Set(rows.map((r) => r.instance))];

let table = `| instance | verdict | ${engineList.map((e) => `${e} (s)`).join(' | ')} | leaves | cert (bytes) | check / solve |\n|${'---|'.repeat(engineList.length + 5)}\n`;
for (const n of names) {
  const ex = by('exact', n);
  const verdicts = new Set(rows.filter((r) => r.instance === n && r.verdict !== 'unknown').map((r) => r.verdict));
  const verdict = verdicts.size > 1 ? 'DISAGREE' : [...verdicts][0] ?? 'unknown';
  const cellsFor = engineList.map((e) => {
    const r = by(e, n);
    if (!r) return '';
    // z3's own time; the time `exact` took to certify its unsat is shown apart
    const t = ((r.solveMs - (r.certifyMs ?? 0)) / 1000).toFixed(2) + (r.certifyMs ? ` (+${(r.certifyMs / 1000).toFixed(2)} certify)` : '');
    return r.verdict === 'unknown' ? (/timeout|killed/.test(r.reason ?? '') ? `>${timeout} (timeout)` : `${(r.solveMs / 1000).toFixed(2)} (${r.reason ?? 'unknown'})`) : t;
  });
  table += `| ${n} | ${verdict} | ${cellsFor.join(' | ')} | ${ex?.leaves ?? ''} | ${ex?.certBytes ?? ''} | ${ex?.checkMs !== undefined ? (ex.checkMs / ex.solveMs).toFixed(3) : ''} |\n`;
}

let summary = '';
for (const e of engineList.filter((x) => x !== 'exact')) {
  const ratios: number[] = [];
  let lowerBound = false;
  for (const n of names) {
    const a = by('exact', n);
    const b = by(e, n);
    if (!a || !b || a.verdict === 'unknown') continue;
    // z3's time is its own decision; time spent certifying its unsat with `exact` is not counted
    const t = b.solveMs - (b.certifyMs ?? 0);
    if (b.verdict === 'unknown' && /timeout|killed/.test(b.reason ?? '')) lowerBound = true;
    ratios.push(t / a.solveMs);
  }
  summary += `- median time ${e} / exact: ${lowerBound ? '>= ' : ''}${median(ratios).toFixed(1)} (over ${ratios.length} instances exact decided)\n`;
}
const ex = rows.filter((r) => r.engine === 'exact' && r.checkMs !== undefined);
summary += `- median check time / solve time (exact): ${median(ex.map((r) => r.checkMs! / r.solveMs)).toFixed(3)}; total check / total solve: ${(ex.reduce((s, r) => s + r.checkMs!, 0) / ex.reduce((s, r) => s + r.solveMs, 0)).toFixed(3)}\n`;
const k3 = names.flatMap((n) => {
  const inst = JSON.parse(readFileSync(join(suiteDir, `${n}.json`), 'utf8')) as { points: unknown[][]; architecture: { hidden: number; outputWeights: unknown } };
  const r = by('exact', n);
  if (inst.architecture.hidden !== 3 || !r || r.leaves === undefined) return [];
  const cases = inst.architecture.outputWeights === 'positive' ? 1 : inst.architecture.hidden + 1;
  return [{ n, ratio: r.leaves / cells(inst.points.length, inst.points[0]!.length, 3, cases) }];
});
summary += k3.length
  ? `- k = 3 proofs, leaves / arrangement cells: ${k3.map((x) => `${x.n} ${(100 * x.ratio).toFixed(4)}%`).join(', ')}\n`
  : '- k = 3 proofs: none in this run (all k = 3 instances feasible)\n';
const header = `relucert benchmark, ${(earlier?.date ?? new Date().toISOString()).slice(0, 10)}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}, timeout ${timeout} s${earlier ? '' : `, total ${((Date.now() - started) / 1000).toFixed(0)} s`}\n\n`;
process.stdout.write(header + table + '\n' + summary);
if (o.json) writeFileSync(o.json, JSON.stringify({ date: new Date().toISOString(), timeout, engines: engineList, rows, summary }, null, 2) + '\n');
