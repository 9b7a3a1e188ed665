/**
 * Writes bench/workers/*.json, the instances of the `--workers` measurement
 * (docs/benchmark.md, "Cubes on two workers"): perturbed teachers with d = 2,
 * k = 3 and n = 14, 16, 18, made from the planted teachers of bench/hard
 * (planted-d2-k3-nN, from bench/make-hard.ts) by raising one label by 1/2,
 * at points 0, 5 and 10: other perturbations of the same teachers than
 * bench/hard's own perturbed-d2-k3-nN (labels 12, 7 and 3), so the
 * measurement has more instances of the kind the issue names. Deterministic:
 *   npx tsx bench/make-workers.ts
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'bench', 'workers');
mkdirSync(out, { recursive: true });
let written = 0;
for (const n of [14, 16, 18]) {
  const planted = JSON.parse(readFileSync(join(root, 'bench', 'hard', `planted-d2-k3-n${n}.json`), 'utf8')) as { labels: string[]; [key: string]: unknown };
  for (const i of [0, 5, 10]) {
    const labels = planted.labels.map((y, t) => (t === i ? `${2 * Number(y) + 1}/2` : y));
    const name = `perturbed-d2-k3-n${n}-p${i}`;
    const inst = { ...planted, name, description: `the planted teacher of bench/hard/planted-d2-k3-n${n} with label ${i} raised by 1/2`, source: 'bench/make-workers.ts', labels };
    writeFileSync(join(out, `${name}.json`), JSON.stringify(inst) + '\n');
    written++;
  }
}
console.log(`wrote ${written} instances to bench/workers/`);
