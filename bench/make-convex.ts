/**
 * Writes the benchmark class `convex-large` (docs/benchmark.md, "The convex class") to
 * bench/convex-large/*.json, seeded, so the class is reproducible:
 *   npx tsx bench/make-convex.ts [--max-n N] [--out DIR]
 * Planted convex teachers: n distinct integer points drawn from the box [-R, R]^d with
 * (2R + 1)^d about 4n, k ReLUs with integer weights in [-3, 3] and integer biases in
 * [-R, R], each unit active on at least a tenth of the points and inactive on another tenth,
 * output weights all +1 and an integer output bias in [-3, 3] (`positive`, output bias, exact fit);
 * and the same data with one label moved by +1/2 or -1/2 ("perturbed"), d = 2, 3, k = 2, 3, 4,
 * n = 100, 300, 1,000, 3,000, 10,000. Each instance is drawn from its own seed, so
 * `--max-n 1000` writes the same small instances as a full run; the instances with n <= 1,000
 * are in the repository and the larger ones (several hundred kilobytes each) are made on
 * demand. Verdicts are not computed here: the benchmark decides them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';

export const CONVEX_SIZES = [100, 300, 1000, 3000, 10000];
export const CONVEX_FAMILIES: [d: number, k: number][] = [
  [2, 2],
  [2, 3],
  [2, 4],
  [3, 2],
  [3, 3],
  [3, 4],
];

/** Mulberry32 (a 32-bit generator with integer arithmetic only), from a seed. */
function generator(seed: number): { int: (lo: number, hi: number) => number } {
  let s = seed >>> 0;
  const rnd = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { int: (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1)) };
}

export interface ConvexInstance {
  format: 'relucert-instance/1';
  name: string;
  description: string;
  source: string;
  points: string[][];
  labels: string[];
  architecture: { hidden: number; activation: 'relu'; outputWeights: 'positive'; outputBias: true };
  loss: { type: 'exact' };
}

/** The planted instance and its perturbed twin for one (d, k, n). */
export function convexPair(d: number, k: number, n: number): [ConvexInstance, ConvexInstance] {
  const { int } = generator(20261201 + 7919 * n + 104729 * d + 1299709 * k);
  const R = Math.ceil((Math.pow(4 * n, 1 / d) - 1) / 2);
  const seen = new Set<string>();
  const pts: number[][] = [];
  while (pts.length < n) {
    const p = Array.from({ length: d }, () => int(-R, R));
    const key = p.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    pts.push(p);
  }
  const units: { w: number[]; b: number }[] = [];
  while (units.length < k) {
    const w = Array.from({ length: d }, () => int(-3, 3));
    const b = int(-R, R);
    const active = pts.filter((x) => x.reduce((s, xt, t) => s + xt * w[t]!, b) > 0).length;
    if (w.every((v) => v === 0) || active < n / 10 || active > n - n / 10) continue;
    if (units.some((u) => u.w.every((v, t) => v === w[t]) && u.b === b)) continue;
    units.push({ w, b });
  }
  const c = int(-3, 3);
  const labels = pts.map((x) =>
    units.reduce(
      (s, u) =>
        s +
        Math.max(
          0,
          x.reduce((h, xt, t) => h + xt * u.w[t]!, u.b),
        ),
      c,
    ),
  );
  const tag = `d${d}-k${k}-n${n}`;
  const at = int(0, n - 1);
  const up = int(0, 1) === 1;
  const shape = { hidden: k, activation: 'relu', outputWeights: 'positive', outputBias: true } as const;
  const base = { format: 'relucert-instance/1', source: 'bench/make-convex.ts (seeded)', points: pts.map((p) => p.map(String)), architecture: shape } as const;
  const teacher = units.map((u) => `relu(${u.w.map((v, t) => `${v} x${t}`).join(' + ')} + ${u.b})`).join(' + ') + ` + ${c}`;
  return [
    {
      ...base,
      name: `convex-planted-${tag}`,
      description: `planted convex teacher f = ${teacher}, integer points in [-${R}, ${R}]^${d} (feasible by construction)`,
      labels: labels.map(String),
      loss: { type: 'exact' },
    },
    {
      ...base,
      name: `convex-perturbed-${tag}`,
      description: `the data of convex-planted-${tag} with label ${at} ${up ? 'raised' : 'lowered'} by 1/2`,
      labels: labels.map((y, i) => (i === at ? `${2 * y + (up ? 1 : -1)}/2` : String(y))),
      loss: { type: 'exact' },
    },
  ];
}

/** Writes every instance with n <= maxN to dir; returns the files written. */
export function writeConvexClass(dir: string, maxN = Infinity): string[] {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const [d, k] of CONVEX_FAMILIES)
    for (const n of CONVEX_SIZES) {
      if (n > maxN) continue;
      for (const inst of convexPair(d, k, n)) {
        const file = join(dir, `${inst.name}.json`);
        writeFileSync(file, JSON.stringify(inst) + '\n');
        files.push(file);
      }
    }
  return files;
}

if (process.argv[1]?.endsWith('make-convex.ts') || process.argv[1]?.endsWith('make-convex.js')) {
  const o = new Command()
    .option('--max-n <n>', 'only the sizes up to n', String(Infinity))
    .option('--out <dir>', 'where to write', 'bench/convex-large')
    .parse()
    .opts<{ maxN: string; out: string }>();
  const files = writeConvexClass(o.out, Number(o.maxN));
  console.log(`wrote ${files.length} instances to ${o.out}/`);
}
