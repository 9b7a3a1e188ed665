/**
 * Writes the benchmark class `boolean` of docs/benchmark.md to bench/boolean/*.json, seeded,
 * so the suite is reproducible:
 *   npx tsx bench/make-boolean.ts
 * Boolean functions on the cube {0,1}^n, classification (+1 / -1), free output weights and an
 * output bias: parity of n bits with n - 1 threshold units (n = 3, 4, 5; infeasible: n - 1
 * hyperplanes cut fewer than all edges of the n-cube, Sohler & Ziegler, CCCG 2000) and with n
 * (feasible); parity with ReLU units (n - 2 and n - 1 of them); majority and random functions on
 * {0,1}^4 and {0,1}^5 with 2 and 3 units, threshold and ReLU. These instances have many
 * automorphisms (signed permutations of the coordinates, docs/lemmas.md L9), which the search uses.
 * Verdicts are not computed here: the benchmark decides them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';

let seed = 20270105;
const rnd = (): number => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};

type Activation = 'relu' | 'threshold';

interface Inst {
  format: 'relucert-instance/1';
  name: string;
  description: string;
  source: string;
  points: string[][];
  labels: string[];
  architecture: { hidden: number; activation: Activation; outputWeights: 'free'; outputBias: true };
  loss: { type: 'classification' };
}

/** The cube {0,1}^n, point m having bit t of m (most significant first) as coordinate t. */
function cube(n: number): number[][] {
  return Array.from({ length: 2 ** n }, (_, m) => Array.from({ length: n }, (_, t) => (m >> (n - 1 - t)) & 1));
}

function instance(name: string, description: string, n: number, label: (x: number[]) => boolean, k: number, activation: Activation): Inst {
  const pts = cube(n);
  return {
    format: 'relucert-instance/1',
    name,
    description: `${description}; ${k} ${activation} unit${k === 1 ? '' : 's'}, free output weights and bias, classification`,
    source: 'bench/make-boolean.ts (seeded)',
    points: pts.map((p) => p.map(String)),
    labels: pts.map((p) => (label(p) ? '1' : '-1')),
    architecture: { hidden: k, activation, outputWeights: 'free', outputBias: true },
    loss: { type: 'classification' },
  };
}

const ones = (x: number[]): number => x.reduce((s, v) => s + v, 0);
const out: Inst[] = [];
for (const n of [3, 4, 5]) {
  const parity = (x: number[]): boolean => ones(x) % 2 === 1;
  for (const k of [n - 1, n]) out.push(instance(`parity${n}-threshold-k${k}`, `parity of ${n} bits (+1 for odd)`, n, parity, k, 'threshold'));
  for (const k of [n - 2, n - 1]) if (k >= 1) out.push(instance(`parity${n}-relu-k${k}`, `parity of ${n} bits (+1 for odd)`, n, parity, k, 'relu'));
}
for (const n of [4, 5])
  for (const activation of ['threshold', 'relu'] as const)
    for (const k of [2, 3]) {
      out.push(instance(`majority${n}-${activation}-k${k}`, `majority of ${n} bits (+1 for more ones than zeros)`, n, (x) => 2 * ones(x) > n, k, activation));
      // a random function: one bit per point, drawn from the seeded generator (the same table for both activations)
      const table = cube(n).map(() => rnd() < 0.5);
      const index = (x: number[]): number => x.reduce((m, v) => 2 * m + v, 0);
      out.push(instance(`random${n}-${activation}-k${k}`, `a random Boolean function of ${n} bits (seeded)`, n, (x) => table[index(x)]!, k, activation));
    }

mkdirSync('bench/boolean', { recursive: true });
for (const s of out) writeFileSync(`bench/boolean/${s.name}.json`, JSON.stringify(s) + '\n');
console.log(`wrote ${out.length} instances to bench/boolean/`);
