/**
 * Writes the hard benchmark classes of docs/benchmark.md to bench/hard/*.json, seeded,
 * so the suite is reproducible:
 *   npx tsx bench/make-hard.ts
 * Classes (docs/benchmark.md, "The hard suite"), each generated as the issue's table describes:
 * planted teachers (integer points in [-10, 10]^d, hidden weights in [-3, 3],
 * biases in [-5, 5], output weights alternating +1 / -1, output bias in
 * [-2, 2]; exact fit, output weights `signs` with output bias), the same with
 * one label raised by 1/2 ("perturbed"), random integer labels; d = 2 k = 3
 * with n = 14..24; d = 2 k = 4 with n = 12..16; d = 2 k = 2 with n = 40..80;
 * d = 3 k = 3 with n = 12..14; a point listed twice with two labels; and
 * threshold classification of parity on {0,1}^4 and {0,1}^5.
 * Verdicts are not computed here: the benchmark decides them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';

let seed = 20261130;
const rnd = (): number => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));

interface Inst {
  format: 'relucert-instance/1';
  name: string;
  description: string;
  source: string;
  points: string[][];
  labels: string[];
  architecture: { hidden: number; activation: 'relu' | 'threshold'; outputWeights: 'signs' | 'free'; outputBias: boolean };
  loss: { type: 'exact' } | { type: 'classification' };
}

function distinctPoints(n: number, d: number, r: number): number[][] {
  const seen = new Set<string>();
  const out: number[][] = [];
  while (out.length < n) {
    const p = Array.from({ length: d }, () => int(-r, r));
    const key = p.join(',');
    if (!seen.has(key)) {
      seen.add(key);
      out.push(p);
    }
  }
  return out;
}

/** A planted teacher of the hard suite, as exact label strings (integers). */
function teacher(d: number, k: number): (x: number[]) => number {
  const W = Array.from({ length: k }, () => Array.from({ length: d }, () => int(-3, 3)));
  const b = Array.from({ length: k }, () => int(-5, 5));
  const a = Array.from({ length: k }, (_, j) => (j % 2 === 0 ? 1 : -1));
  const c = int(-2, 2);
  return (x) =>
    a.reduce(
      (s, aj, j) =>
        s +
        aj *
          Math.max(
            0,
            W[j]!.reduce((t, w, i) => t + w * x[i]!, b[j]!),
          ),
      c,
    );
}

const relu = (name: string, description: string, pts: number[][], labels: string[], k: number): Inst => ({
  format: 'relucert-instance/1',
  name,
  description,
  source: 'bench/make-hard.ts (seeded)',
  points: pts.map((p) => p.map(String)),
  labels,
  architecture: { hidden: k, activation: 'relu', outputWeights: 'signs', outputBias: true },
  loss: { type: 'exact' },
});

const out: Inst[] = [];
const families: [d: number, k: number, ns: number[]][] = [
  [2, 3, [14, 16, 18, 20, 24]],
  [2, 4, [12, 14, 16]],
  [2, 2, [40, 60, 80]],
  [3, 3, [12, 14]],
];
for (const [d, k, ns] of families)
  for (const n of ns) {
    const tag = `d${d}-k${k}-n${n}`;
    const f = teacher(d, k);
    const pts = distinctPoints(n, d, 10);
    const labels = pts.map(f);
    out.push(relu(`planted-${tag}`, `planted teacher, ${k} ReLUs, d = ${d}, ${n} points (feasible by construction)`, pts, labels.map(String), k));
    const i = int(0, n - 1);
    const pert = labels.map((y, t) => (t === i ? `${2 * y + 1}/2` : String(y)));
    out.push(relu(`perturbed-${tag}`, `the planted teacher of planted-${tag} with label ${i} raised by 1/2`, pts, pert, k));
    if (n <= 20)
      out.push(
        relu(
          `random-${tag}`,
          `random integer labels in [-5, 5], ${k} ReLUs, d = ${d}, ${n} points`,
          distinctPoints(n, d, 10),
          pts.map(() => String(int(-5, 5))),
          k,
        ),
      );
  }
{
  // one point listed twice with labels 2 and 1: infeasible from two rows
  const pts = distinctPoints(17, 2, 10);
  const labels = pts.map(() => String(int(-5, 5)));
  const at = int(0, 16);
  pts.push([...pts[at]!]);
  labels[at] = '2';
  labels.push('1');
  out.push(relu('duplicate-d2-k3-n18', `random integer points and labels, point ${at} listed again (as point 17) with label 1 instead of 2`, pts, labels, 3));
}
for (const bits of [4, 5]) {
  const pts: number[][] = [];
  for (let m = 0; m < 2 ** bits; m++) pts.push(Array.from({ length: bits }, (_, t) => (m >> (bits - 1 - t)) & 1));
  const labels = pts.map((p) => (p.reduce((s, x) => s + x, 0) % 2 === 1 ? '1' : '-1'));
  out.push({
    format: 'relucert-instance/1',
    name: `parity${bits}-threshold-k${bits}`,
    description: `parity of ${bits} bits (+1 for odd), ${bits} threshold units, free output weights and bias, classification (feasible)`,
    source: 'bench/make-hard.ts',
    points: pts.map((p) => p.map(String)),
    labels,
    architecture: { hidden: bits, activation: 'threshold', outputWeights: 'free', outputBias: true },
    loss: { type: 'classification' },
  });
}

mkdirSync('bench/hard', { recursive: true });
for (const s of out) writeFileSync(`bench/hard/${s.name}.json`, JSON.stringify(s) + '\n');
console.log(`wrote ${out.length} instances to bench/hard/`);
