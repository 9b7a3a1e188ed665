/**
 * The benchmark (docs/benchmark.md): relucert's engines and the peers a
 * researcher would reach for, on the same instances, in the same run.
 *   npm run bench -- [--suite hard|small|boolean|all|convex-large] [--engines cdcl,exact,z3] [--peers z3,cvc5]
 *                    [--timeout SEC] [--filter TEXT] [--json FILE] [--from FILE]
 * Each relucert engine runs in its own process (bench/worker.ts): the time
 * reported for it is that whole process, start-up, solving, writing the
 * certificate and checking it included, as a user sees `relucert solve
 * --cert`; its peak memory is the process's maximum resident set
 * (/usr/bin/time, where installed). Peers are native solvers (Debian's z3
 * and cvc5, when installed) on `relucert export --smtlib` of the instance
 * (the same text the z3 engine reads), timed as whole processes; they give
 * no certificate. A timeout counts as the timeout, so a ratio involving one
 * is a bound and marked ">=" or "<=".
 * Times are CPU seconds (user + system, from /usr/bin/time) unless --clock
 * wall: on a machine shared with other work, CPU time is what each solver
 * itself spent; wall time is kept in the JSON either way. A timeout counts
 * as the timeout on either clock.
 * `--suite convex-large` is the convex class (bench/make-convex.ts; its instances
 * beyond n = 1,000 are written on first use, seeded), run as
 * `--engines convex,cdcl-search` (cdcl-search: the conflict-driven search itself,
 * which the default engine would hand these instances to convex instead of).
 * Reported per class (the instance name without its "-nN" size): median
 * ratios peer / relucert, check / solve, certificate bytes (and against the
 * `exact` engine's tree certificates), peak memory.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { smtlibText } from '../src/encode/smtlib.js';
import { readInstance } from '../src/format/schema.js';
import { writeConvexClass } from './make-convex.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const program = new Command()
  .option('--suite <name>', 'hard (bench/hard), small (bench/suite), boolean (bench/boolean), all (those three), or convex-large (bench/convex-large)', 'hard')
  .option('--engines <list>', 'relucert engines; the first is the one ratios are taken against', 'cdcl,exact,z3')
  .option('--peers <list>', 'native solvers on the SMT-LIB export (z3, cvc5; skipped when not installed)', 'z3,cvc5')
  .option('--timeout <sec>', 'per instance and solver', '60')
  .option('--filter <text>', 'only instances whose name contains this')
  .option('--clock <kind>', 'cpu (user + system of the process, the default) or wall', 'cpu')
  .option('--json <file>', 'write every measurement here')
  .option('--from <file>', 'do not run: print the tables of an earlier --json file')
  .parse();
const o = program.opts<{ suite: string; engines: string; peers: string; timeout: string; clock: string; filter?: string; json?: string; from?: string }>();
if (o.clock !== 'cpu' && o.clock !== 'wall') throw new Error(`--clock: cpu or wall, not ${o.clock}`);

interface Row {
  solver: string; // an engine name, or "native-z3" / "cvc5"
  instance: string;
  verdict: string;
  /** whole process, wall clock */
  wallMs: number;
  /** whole process, user + system CPU time (with /usr/bin/time) */
  cpuMs?: number;
  solveMs?: number;
  checkMs?: number;
  certBytes?: number;
  leaves?: number;
  lemmas?: number;
  maxRssKB?: number;
  reason?: string;
}
interface Saved {
  date: string;
  machine: string;
  timeout: number;
  engines: string[];
  peers: string[];
  clock?: 'cpu' | 'wall';
  rows: Row[];
}

const earlier = o.from ? (JSON.parse(readFileSync(o.from, 'utf8')) as Saved) : undefined;
const timeout = earlier ? earlier.timeout : Number(o.timeout);
const engineList = earlier ? earlier.engines : o.engines.split(',').filter(Boolean);
const main = engineList[0]!;
const have = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const peerList = earlier ? earlier.peers : o.peers.split(',').filter((p) => p && have(p === 'z3' ? 'z3' : p));
const gnuTime = existsSync('/usr/bin/time');
const SUITES: Record<string, string[]> = {
  hard: ['hard'],
  small: ['suite'],
  boolean: ['boolean'],
  all: ['hard', 'suite', 'boolean'],
  'convex-large': ['convex-large'],
};
const suites = SUITES[o.suite];
if (!suites) throw new Error(`--suite: hard, small, boolean, all or convex-large, not ${o.suite}`);
// the convex class's large instances are not in the repository: written here, the same bytes on every machine
if (!earlier && o.suite === 'convex-large') writeConvexClass(join(root, 'bench', 'convex-large'));
// an instance in two suites (parity4-threshold-k4 is in hard and boolean) runs once
const seenFiles = new Set<string>();
const files = suites.flatMap((s) =>
  readdirSync(join(root, 'bench', s))
    .filter((f) => f.endsWith('.json') && (!o.filter || f.includes(o.filter)) && !seenFiles.has(f) && seenFiles.add(f))
    .sort()
    .map((f) => join(root, 'bench', s, f)),
);

/** Runs a command, timing it as a whole; with GNU time, also its peak memory. */
function timed(
  cmd: string,
  args: string[],
  killAfterSec: number,
): { stdout: string; stderr: string; wallMs: number; cpuMs?: number; maxRssKB?: number; signal: string | null } {
  const t0 = performance.now();
  const p = gnuTime
    ? spawnSync('/usr/bin/time', ['-f', 'RELUCERT_BENCH_RSS %M %U %S', cmd, ...args], { encoding: 'utf8', timeout: killAfterSec * 1000, maxBuffer: 1 << 26 })
    : spawnSync(cmd, args, { encoding: 'utf8', timeout: killAfterSec * 1000, maxBuffer: 1 << 26 });
  const wallMs = performance.now() - t0;
  const rss = /RELUCERT_BENCH_RSS (\d+) ([\d.]+) ([\d.]+)/.exec(p.stderr ?? '');
  return {
    stdout: p.stdout ?? '',
    stderr: p.stderr ?? '',
    wallMs,
    ...(rss ? { maxRssKB: Number(rss[1]), cpuMs: (Number(rss[2]) + Number(rss[3])) * 1000 } : {}),
    signal: p.signal,
  };
}

const rows: Row[] = earlier ? earlier.rows : [];
const started = Date.now();
const tmp = mkdtempSync(join(tmpdir(), 'relucert-bench-'));
for (const file of earlier ? [] : files) {
  const inst = readInstance(file);
  const name = inst.name;
  for (const e of engineList) {
    const cert = join(tmp, `${name}.${e}.cert.json`);
    const p = timed(process.execPath, [join(here, 'worker.js'), e, file, String(timeout), cert], timeout + 30);
    let row: Row;
    try {
      const w = JSON.parse(p.stdout.trim().split('\n').pop() ?? '') as Omit<Row, 'solver' | 'wallMs'> & { engine: string };
      row = {
        ...w,
        solver: e,
        wallMs: p.wallMs,
        ...(p.cpuMs !== undefined ? { cpuMs: p.cpuMs } : {}),
        ...(p.maxRssKB !== undefined ? { maxRssKB: p.maxRssKB } : {}),
      };
    } catch {
      row = {
        solver: e,
        instance: name,
        verdict: 'unknown',
        wallMs: p.wallMs,
        reason: p.signal ? `killed (${p.signal})` : `crashed: ${p.stderr.split('\n')[0]}`,
      };
    }
    if (row.verdict === 'unknown' && /timeout|killed/.test(row.reason ?? '')) {
      row.wallMs = Math.max(row.wallMs, timeout * 1000);
      if (row.cpuMs !== undefined) row.cpuMs = Math.max(row.cpuMs, timeout * 1000);
    }
    rows.push(row);
    process.stderr.write(
      `  ${name.padEnd(34)} ${e.padEnd(10)} ${row.verdict.padEnd(10)} ${(row.wallMs / 1000).toFixed(2)} s wall, ${((row.cpuMs ?? NaN) / 1000).toFixed(2)} s cpu\n`,
    );
  }
  if (peerList.length === 0) continue;
  const smt = join(tmp, `${name}.smt2`);
  writeFileSync(smt, smtlibText(inst));
  for (const peer of peerList) {
    const [cmd, args] = peer === 'z3' ? ['z3', [`-T:${timeout}`, smt]] : ['cvc5', ['--lang', 'smt2', `--tlimit=${timeout * 1000}`, smt]];
    const p = timed(cmd, args, timeout + 15);
    const first = p.stdout.trim().split('\n')[0] ?? '';
    const verdict = first === 'sat' ? 'feasible' : first === 'unsat' ? 'infeasible' : 'unknown';
    const out = (ms: number): number => (verdict === 'unknown' ? Math.max(ms, timeout * 1000) : ms);
    const row: Row = {
      solver: peer === 'z3' ? 'native-z3' : peer,
      instance: name,
      verdict,
      wallMs: out(p.wallMs),
      ...(p.cpuMs !== undefined ? { cpuMs: out(p.cpuMs) } : {}),
      ...(p.maxRssKB !== undefined ? { maxRssKB: p.maxRssKB } : {}),
    };
    if (verdict === 'unknown') row.reason = p.signal ? 'killed' : first || 'timeout';
    rows.push(row);
    process.stderr.write(
      `  ${name.padEnd(34)} ${row.solver.padEnd(10)} ${row.verdict.padEnd(10)} ${(row.wallMs / 1000).toFixed(2)} s wall, ${((row.cpuMs ?? NaN) / 1000).toFixed(2)} s cpu\n`,
    );
  }
}

// ---------------------------------------------------------------- tables
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const solvers = [...engineList, ...peerList.map((p) => (p === 'z3' ? 'native-z3' : p))];
const by = (s: string, i: string): Row | undefined => rows.find((r) => r.solver === s && r.instance === i);
const names = [...new Set(rows.map((r) => r.instance))];
const classOf = (n: string): string => n.replace(/-n\d+$/, '');
/** The compared time of a row: CPU time (the default) or wall time (--clock wall). */
const clock = earlier?.clock ?? o.clock;
const ms = (r: Row): number => (clock === 'cpu' ? (r.cpuMs ?? r.wallMs) : r.wallMs);
const secs = (r: Row | undefined): string =>
  !r
    ? ''
    : r.verdict === 'unknown'
      ? /timeout|killed/.test(r.reason ?? 'timeout')
        ? `>${timeout}`
        : `${(ms(r) / 1000).toFixed(2)} (${r.reason})`
      : (ms(r) / 1000).toFixed(2);

let table = `| instance | verdict | ${solvers.map((s) => `${s} (s)`).join(' | ')} | ${main} leaves / lemmas | ${main} cert (bytes) | ${main} check / solve | ${main} peak MB |\n|${'---|'.repeat(solvers.length + 6)}\n`;
for (const n of names) {
  const verdicts = new Set(rows.filter((r) => r.instance === n && r.verdict !== 'unknown').map((r) => r.verdict));
  const verdict = verdicts.size > 1 ? 'DISAGREE' : ([...verdicts][0] ?? 'unknown');
  const m = by(main, n);
  const cs = m?.checkMs !== undefined && m.solveMs ? (m.checkMs / m.solveMs).toFixed(3) : '';
  table += `| ${n} | ${verdict} | ${solvers.map((s) => secs(by(s, n))).join(' | ')} | ${m?.leaves !== undefined ? `${m.leaves} / ${m.lemmas ?? 0}` : ''} | ${m?.certBytes ?? ''} | ${cs} | ${m?.maxRssKB ? (m.maxRssKB / 1024).toFixed(0) : ''} |\n`;
}

/** Median of other / main over instances main decided; a timeout of either side makes it a bound. */
function ratio(other: string, subset: string[]): string {
  const xs: number[] = [];
  let lower = false;
  let upper = false;
  for (const n of subset) {
    const a = by(main, n);
    const b = by(other, n);
    if (!a || !b) continue;
    const aOut = a.verdict === 'unknown';
    const bOut = b.verdict === 'unknown';
    if (aOut && bOut) continue;
    if (bOut) lower = true;
    if (aOut) upper = true;
    xs.push(ms(b) / ms(a));
  }
  if (xs.length === 0) return '';
  const mark = lower && !upper ? '>= ' : upper && !lower ? '<= ' : lower && upper ? '~ ' : '';
  return `${mark}${median(xs).toFixed(2)} (${xs.length})`;
}
const classes = [...new Set(names.map(classOf))];
const others = solvers.filter((s) => s !== main);
let perClass = `| class | ${others.map((s) => `${s} / ${main}`).join(' | ')} | check / solve | cert bytes | cert / exact's | peak MB |\n|${'---|'.repeat(others.length + 5)}\n`;
const classLine = (label: string, subset: string[]): string => {
  const mainRows = subset.map((n) => by(main, n)).filter((r): r is Row => r !== undefined && r.verdict !== 'unknown');
  const cs = mainRows.filter((r) => r.checkMs !== undefined && r.solveMs).map((r) => r.checkMs! / r.solveMs!);
  const bytes = mainRows.filter((r) => r.certBytes !== undefined).map((r) => r.certBytes!);
  const vsTree = subset.flatMap((n) => {
    const a = by(main, n);
    const b = by('exact', n);
    return a?.certBytes && b?.certBytes && a.verdict === 'infeasible' ? [a.certBytes / b.certBytes] : [];
  });
  const rss = mainRows.filter((r) => r.maxRssKB).map((r) => r.maxRssKB! / 1024);
  return `| ${label} | ${others.map((s) => ratio(s, subset)).join(' | ')} | ${cs.length ? median(cs).toFixed(3) : ''} | ${bytes.length ? median(bytes).toFixed(0) : ''} | ${vsTree.length ? median(vsTree).toFixed(2) : ''} | ${rss.length ? median(rss).toFixed(0) : ''} |\n`;
};
for (const c of classes)
  perClass += classLine(
    c,
    names.filter((n) => classOf(n) === c),
  );
perClass += classLine('**all**', names);
const slowForZ3 = names.filter((n) => {
  const z = by('native-z3', n);
  return z !== undefined && ms(z) >= 1000;
});
if (slowForZ3.length) perClass += classLine(`**native z3 >= 1 s** (${slowForZ3.length})`, slowForZ3);

let notes = '';
if (engineList.includes('exact') && main !== 'exact') {
  const lost = names.filter((n) => by('exact', n)?.verdict !== 'unknown' && by(main, n)?.verdict === 'unknown');
  notes += `- decided by \`exact\` but not by \`${main}\`: ${lost.length ? lost.join(', ') : 'none'}\n`;
}
const disagree = names.filter((n) => new Set(rows.filter((r) => r.instance === n && r.verdict !== 'unknown').map((r) => r.verdict)).size > 1);
notes += `- disagreements: ${disagree.length ? disagree.join(', ') : 'none'}\n`;
const unchecked = rows.filter((r) => engineList.includes(r.solver) && r.verdict !== 'unknown' && r.checkMs === undefined && r.solver !== 'milp');
if (unchecked.length) notes += `- verdicts without a checked certificate: ${unchecked.map((r) => `${r.solver} on ${r.instance}`).join(', ')}\n`;

const machine = earlier?.machine ?? `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`;
const header = `relucert benchmark, ${(earlier?.date ?? new Date().toISOString()).slice(0, 10)}, ${machine}, timeout ${timeout} s, ${clock === 'cpu' ? 'CPU' : 'wall'} time${earlier ? '' : `, total ${((Date.now() - started) / 1000).toFixed(0)} s`}\n\n`;
process.stdout.write(
  header +
    table +
    `\nPer class (median ratios; (N) instances; relucert times include start-up, certificate and check; ${clock === 'cpu' ? 'CPU' : 'wall'} time):\n\n` +
    perClass +
    '\n' +
    notes,
);
if (o.json)
  writeFileSync(
    o.json,
    JSON.stringify({ date: new Date().toISOString(), machine, timeout, engines: engineList, peers: peerList, clock, rows } satisfies Saved, null, 2) + '\n',
  );
