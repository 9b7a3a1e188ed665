/**
 * Writes the benchmark suite bench/suite/*.json: instances that are hard for
 * their size. Seeded, so the suite is reproducible:
 *   npx tsx bench/make-suite.ts
 * Families: planted ReLU teachers (d = 2, 3; k = 2..4), the same with one
 * label raised by 1 (the first label, from a seeded random start, whose
 * change makes the instance infeasible: near the boundary), random labels,
 * threshold units with classification, and convex (positive) cases.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { exactSolve } from '../src/engines/exact.js';
import { toInstance } from '../src/format/schema.js';

let seed = 20261122;
const rnd = (): number => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));

type Act = 'relu' | 'threshold';
interface Spec {
  name: string;
  description: string;
  points: number[][];
  labels: number[];
  hidden: number;
  activation: Act;
  outputWeights: 'signs' | 'positive' | 'free';
  outputBias: boolean;
  loss: { type: 'exact' } | { type: 'classification' } | { type: 'l1' | 'linf'; bound: string };
}

function distinctPoints(n: number, d: number, r0: number): number[][] {
  const r = d === 1 ? Math.max(r0, n) : r0; // enough distinct integer points
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

function teacher(d: number, k: number, positive: boolean): (x: number[]) => number {
  const W = Array.from({ length: k }, () => Array.from({ length: d }, () => int(-2, 2) || 1));
  const b = Array.from({ length: k }, () => int(-2, 2));
  const a = Array.from({ length: k }, (_, j) => (positive ? 1 : j % 2 === 0 ? 1 : -1));
  return (x) =>
    a.reduce(
      (s, aj, j) =>
        s +
        aj *
          Math.max(
            0,
            W[j]!.reduce((t, w, i) => t + w * x[i]!, b[j]!),
          ),
      0,
    );
}

const specs: Spec[] = [];
const fileOf = (s: Spec): Record<string, unknown> => ({
  format: 'relucert-instance/1',
  name: s.name,
  description: s.description,
  source: 'bench/make-suite.ts (seeded)',
  points: s.points.map((p) => p.map(String)),
  labels: s.labels.map(String),
  architecture: { hidden: s.hidden, activation: s.activation, outputWeights: s.outputWeights, outputBias: s.outputBias },
  loss: s.loss,
});
/** Used only to pick perturbations that make an instance infeasible, as the suite's description promises. */
const verdictOf = (s: Spec): string => exactSolve(toInstance(fileOf(s), s.name), { deadline: Date.now() + 60_000 }).verdict;
// planted teachers and their perturbations
for (const [d, k, n] of [
  [2, 2, 8],
  [2, 2, 10],
  [2, 3, 8],
  [2, 3, 9],
  [2, 4, 7],
  [3, 2, 8],
  [3, 2, 10],
  [3, 3, 8],
  [2, 2, 12],
  [3, 4, 6],
] as const) {
  const f = teacher(d, k, false);
  const pts = distinctPoints(n, d, 3);
  const labels = pts.map(f);
  const tag = `d${d}-k${k}-n${n}`;
  specs.push({
    name: `teacher-${tag}`,
    description: `planted teacher, ${k} ReLUs, d = ${d}, ${n} points`,
    points: pts,
    labels,
    hidden: k,
    activation: 'relu',
    outputWeights: 'signs',
    outputBias: false,
    loss: { type: 'exact' },
  });
  // one label raised by 1, the first (from a random start) that makes the instance infeasible: near the boundary
  const start = int(0, n - 1);
  for (let t = 0; t < n; t++) {
    const i = (start + t) % n;
    const pert = [...labels];
    pert[i] = pert[i]! + 1;
    const spec: Spec = {
      name: `perturbed-${tag}`,
      description: `planted teacher with label ${i} raised by 1 (infeasible)`,
      points: pts,
      labels: pert,
      hidden: k,
      activation: 'relu',
      outputWeights: 'signs',
      outputBias: false,
      loss: { type: 'exact' },
    };
    if (verdictOf(spec) === 'infeasible') {
      specs.push(spec);
      break;
    }
  }
}
// random labels with l1 / linf bounds
for (const [d, k, n, type, bound] of [
  [2, 2, 7, 'l1', '2'],
  [2, 2, 8, 'linf', '1/2'],
  [1, 3, 9, 'l1', '1'],
  [2, 3, 7, 'linf', '1'],
  [3, 2, 7, 'l1', '3'],
] as const) {
  const pts = distinctPoints(n, d, 3);
  specs.push({
    name: `random-${type}-d${d}-k${k}-n${n}`,
    description: `random labels in -2..2, ${type} loss <= ${bound}`,
    points: pts,
    labels: pts.map(() => int(-2, 2)),
    hidden: k,
    activation: 'relu',
    outputWeights: 'signs',
    outputBias: true,
    loss: { type, bound },
  });
}
// threshold units, classification
for (const [d, k, n] of [
  [2, 2, 8],
  [2, 2, 10],
  [2, 3, 9],
  [3, 2, 9],
  [2, 3, 11],
] as const) {
  const pts = distinctPoints(n, d, 3);
  specs.push({
    name: `threshold-cls-d${d}-k${k}-n${n}`,
    description: `random +-1 labels, ${k} threshold units, free threshold output`,
    points: pts,
    labels: pts.map(() => (rnd() < 0.5 ? 1 : -1)),
    hidden: k,
    activation: 'threshold',
    outputWeights: 'free',
    outputBias: true,
    loss: { type: 'classification' },
  });
}
// relu classification
for (const [d, k, n] of [
  [2, 2, 9],
  [2, 3, 10],
] as const) {
  const pts = distinctPoints(n, d, 3);
  specs.push({
    name: `relu-cls-d${d}-k${k}-n${n}`,
    description: `random +-1 labels, ${k} ReLUs, free output weights`,
    points: pts,
    labels: pts.map(() => (rnd() < 0.5 ? 1 : -1)),
    hidden: k,
    activation: 'relu',
    outputWeights: 'free',
    outputBias: true,
    loss: { type: 'classification' },
  });
}
// convex cases
for (const [d, k, n] of [
  [2, 2, 9],
  [2, 3, 10],
  [3, 2, 9],
] as const) {
  const f = teacher(d, k, true);
  const pts = distinctPoints(n, d, 3);
  const labels = pts.map(f);
  specs.push({
    name: `convex-d${d}-k${k}-n${n}`,
    description: `planted convex teacher (positive output weights)`,
    points: pts,
    labels,
    hidden: k,
    activation: 'relu',
    outputWeights: 'positive',
    outputBias: false,
    loss: { type: 'exact' },
  });
  for (let i = 0; i < n; i++) {
    const pert = [...labels];
    pert[i] = pert[i]! + 1;
    const spec: Spec = {
      name: `convex-perturbed-d${d}-k${k}-n${n}`,
      description: `planted convex teacher, label ${i} raised by 1 (infeasible)`,
      points: pts,
      labels: pert,
      hidden: k,
      activation: 'relu',
      outputWeights: 'positive',
      outputBias: false,
      loss: { type: 'exact' },
    };
    if (verdictOf(spec) === 'infeasible') {
      specs.push(spec);
      break;
    }
  }
}

mkdirSync('bench/suite', { recursive: true });
for (const s of specs) writeFileSync(`bench/suite/${s.name}.json`, JSON.stringify(fileOf(s)) + '\n');
console.log(`wrote ${specs.length} instances`);
