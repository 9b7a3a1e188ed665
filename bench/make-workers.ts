/**
 * Writes bench/workers/*.json, the instances of the `--workers` measurement
 * (docs/benchmark.md, "Cubes on two workers"). The measurement wants
 * instances that take at least 20 s with the default engine on one worker;
 * with the conflict-driven default (cdcl) the perturbed teachers of bench/hard
 * take 1-3 s, and random integer labels with k = 4 are the hard family
 * (bench/hard/random-d2-k4-n16: about 50 s). So: random labels in [-5, 5]
 * on distinct integer points of [-10, 10]^2, 4 ReLUs with output weights
 * `signs` and an output bias, exact fit, n = 13..16, two seeds each, made as
 * bench/make-hard.ts makes its random class. Deterministic:
 *   npx tsx bench/make-workers.ts
 * Verdicts and times are not computed here: bench/workers.ts measures them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'bench', 'workers');
mkdirSync(out, { recursive: true });
let written = 0;
for (const n of [13, 14, 15, 16])
  for (const seed of [1, 2]) {
    // a linear congruential generator per instance, so each file depends only on its own n and seed
    let state = 20261201 + 1000 * n + seed;
    const int = (lo: number, hi: number): number => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return lo + Math.floor((state / 2147483648) * (hi - lo + 1));
    };
    const seen = new Set<string>();
    const points: string[][] = [];
    while (points.length < n) {
      const p = [int(-10, 10), int(-10, 10)];
      if (seen.has(p.join(','))) continue;
      seen.add(p.join(','));
      points.push(p.map(String));
    }
    const name = `random-d2-k4-n${n}-s${seed}`;
    const inst = {
      format: 'relucert-instance/1',
      name,
      description: `random integer labels in [-5, 5], 4 ReLUs, d = 2, ${n} points (seed ${seed})`,
      source: 'bench/make-workers.ts (seeded)',
      points,
      labels: points.map(() => String(int(-5, 5))),
      architecture: { hidden: 4, activation: 'relu', outputWeights: 'signs', outputBias: true },
      loss: { type: 'exact' },
    };
    writeFileSync(join(out, `${name}.json`), JSON.stringify(inst) + '\n');
    written++;
  }
console.log(`wrote ${written} instances to bench/workers/`);
