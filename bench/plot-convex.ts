/**
 * The plot of the convex class (docs/benchmark.md, "The convex class"): time against n on
 * log-log axes, from the measurements of a run of
 *   npm run bench -- --suite convex-large --engines convex,cdcl-search --json FILE
 * drawn as
 *   node dist/bench/plot-convex.js --from FILE -o docs/img/convex-large.svg
 * One line per (d, k) for the first engine of the run (the slower of the planted and the
 * perturbed instance at each n), the other engines and peers at d = 2, k = 3, and a dashed
 * reference line of slope 2 (time growing like n^2) through the first engine's d = 2, k = 3
 * time at n = 1,000. A timeout is drawn at the limit (the line then bounds the time from below);
 * a run that stopped otherwise (a crash) is left out.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { type Series, lineChart } from '../src/learn/chart.js';

interface Row {
  solver: string;
  instance: string;
  verdict: string;
  wallMs: number;
  cpuMs?: number;
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

const PALETTE = ['#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e', '#e6ab02', '#a6761d', '#666666', '#1f78b4'];
const NAME = /^convex-(planted|perturbed)-d(\d+)-k(\d+)-n(\d+)$/;

/** Per solver, family "d2-k3" and n: the slower of the planted and the perturbed instance, in seconds. */
export function convexSeries(saved: Saved): Series[] {
  const clock = saved.clock ?? 'cpu';
  const worst = new Map<string, Map<number, number>>();
  for (const r of saved.rows) {
    const m = NAME.exec(r.instance);
    // an unknown that is not a timeout (a crash) has no time to draw
    if (!m || (r.verdict === 'unknown' && !/timeout|killed/.test(r.reason ?? 'timeout'))) continue;
    const key = `${r.solver} d${m[2]}-k${m[3]}`;
    const n = Number(m[4]);
    const s = (r.verdict === 'unknown' ? saved.timeout * 1000 : clock === 'cpu' ? (r.cpuMs ?? r.wallMs) : r.wallMs) / 1000;
    const line = worst.get(key) ?? new Map<number, number>();
    line.set(n, Math.max(line.get(n) ?? 0, s));
    worst.set(key, line);
  }
  const main = saved.engines[0]!;
  const solvers = [...saved.engines, ...saved.peers.map((p) => (p === 'z3' ? 'native-z3' : p))];
  const keys = [...worst.keys()].filter((k) => k.startsWith(`${main} `) || (k.endsWith(' d2-k3') && solvers.includes(k.split(' ')[0]!)));
  const series: Series[] = keys.sort().map((key, idx) => ({
    label: key.startsWith(`${main} `) ? `${main}, ${key.slice(main.length + 1)}` : `${key.split(' ')[0]}, d2-k3`,
    colour: PALETTE[idx % PALETTE.length]!,
    points: [...worst.get(key)!].sort(([a], [b]) => a - b),
  }));
  const anchor = worst.get(`${main} d2-k3`)?.get(1000);
  if (anchor !== undefined)
    series.push({
      label: 'n^2 (slope 2)',
      colour: '#222222',
      dashed: true,
      points: [1000, 3000, 10000].map((n) => [n, anchor * (n / 1000) ** 2]),
    });
  return series;
}

if (process.argv[1]?.endsWith('plot-convex.ts') || process.argv[1]?.endsWith('plot-convex.js')) {
  const o = new Command().requiredOption('--from <file>', 'the --json file of a benchmark run').requiredOption('-o <file>', 'the SVG to write').parse().opts<{
    from: string;
    o: string;
  }>();
  const saved = JSON.parse(readFileSync(o.from, 'utf8')) as Saved;
  const svg = lineChart({
    title: 'convex-large: time to decide and certify against n',
    subtitle: `${saved.date.slice(0, 10)}, ${saved.machine}; ${saved.clock === 'wall' ? 'wall' : 'CPU'} time, the slower of planted and perturbed; limit ${saved.timeout} s`,
    xName: 'n (points)',
    yName: 'seconds',
    logX: true,
    logY: true,
    series: convexSeries(saved),
  });
  writeFileSync(o.o, svg);
  console.log(`wrote ${o.o}`);
}
