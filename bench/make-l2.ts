/**
 * Writes the squared-loss benchmark class of docs/benchmark.md ("The l2
 * class") to bench/l2/*.json, seeded, so the class is reproducible:
 *   npx tsx bench/make-l2.ts
 * Held-out l2 instances (no engine was tuned on them): d = 1 and 2, k = 1, 2
 * and 3 ReLUs (free output weights, output bias), n = 6, 9 and 12 points.
 * Labels: a planted teacher of the same width (integer points in [-6, 6]
 * for d = 1, [-4, 4]^2 for d = 2; hidden weights in [-2, 2], biases in
 * [-3, 3], output weights alternating +1 / -1, output bias in [-1, 1]) plus
 * noise in {-1, -1/2, 0, 1/2, 1} (never all 0). The bound is the noise's sum
 * of squares E times 1/4, 1/2 or 1 in turn: at 1 the teacher fits (feasible
 * by construction), below it either verdict can hold. Verdicts are not
 * computed here: the benchmark decides them (with native z3 on the QF_NRA
 * export beside relucert).
 */
import { mkdirSync, writeFileSync } from 'node:fs';

let seed = 20261207;
const rnd = (): number => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));

/** n distinct integer points in [-r, r]^d. */
function distinctPoints(n: number, d: number, r: number): number[][] {
  const seen = new Set<string>();
  const out: number[][] = [];
  while (out.length < n) {
    const p = Array.from({ length: d }, () => int(-r, r));
    if (!seen.has(p.join(','))) {
      seen.add(p.join(','));
      out.push(p);
    }
  }
  return out;
}

/** A planted teacher with k ReLUs: integer outputs on integer points. */
function teacher(d: number, k: number): (x: number[]) => number {
  const W = Array.from({ length: k }, () => Array.from({ length: d }, () => int(-2, 2)));
  const b = Array.from({ length: k }, () => int(-3, 3));
  const c = int(-1, 1);
  return (x) =>
    W.reduce(
      (s, w, j) =>
        s +
        (j % 2 === 0 ? 1 : -1) *
          Math.max(
            0,
            w.reduce((t, v, i) => t + v * x[i]!, b[j]!),
          ),
      c,
    );
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
/** The rational p/q (q > 0) in lowest terms, as text. */
const ratio = (p: number, q: number): string => {
  const g = gcd(Math.abs(p), q) || 1;
  return q / g === 1 ? String(p / g) : `${p / g}/${q / g}`;
};
/** A rational a/2 as text. */
const halves = (twice: number): string => ratio(twice, 2);

const factors: [num: number, den: number, word: string][] = [
  [1, 4, 'a quarter of'],
  [1, 2, 'half'],
  [1, 1, 'all of'],
];
let turn = 0;
const out: { name: string; text: string }[] = [];
for (const d of [1, 2])
  for (const k of [1, 2, 3])
    for (const n of [6, 9, 12]) {
      const f = teacher(d, k);
      const pts = distinctPoints(n, d, d === 1 ? 6 : 4);
      const noise = pts.map(() => int(-2, 2));
      if (!noise.some((e) => e !== 0)) noise[int(0, n - 1)] = 1;
      // labels and bound in halves: y = f + e/2, E = sum (e/2)^2 = sum e^2 / 4
      const labels = pts.map((p, i) => halves(2 * f(p) + noise[i]!));
      const [num, den, word] = factors[turn++ % factors.length]!;
      const energy4 = noise.reduce((s, e) => s + e * e, 0);
      const bound = ratio(energy4 * num, 4 * den);
      const name = `l2-d${d}-k${k}-n${n}`;
      const inst = {
        format: 'relucert-instance/1',
        name,
        description: `planted teacher with ${k} ReLUs on ${n} points in d = ${d}, labels plus noise in halves; l2 bound ${word} the noise's sum of squares ${energy4}/4`,
        source: 'bench/make-l2.ts (seeded)',
        points: pts.map((p) => p.map(String)),
        labels,
        architecture: { hidden: k, activation: 'relu', outputWeights: 'free', outputBias: true },
        loss: { type: 'l2', bound },
      };
      out.push({ name, text: JSON.stringify(inst) + '\n' });
    }
mkdirSync('bench/l2', { recursive: true });
for (const s of out) writeFileSync(`bench/l2/${s.name}.json`, s.text);
console.log(`wrote ${out.length} instances to bench/l2/`);
