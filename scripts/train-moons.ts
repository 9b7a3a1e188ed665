/**
 * Trains the small two-moons classifier shipped in examples/stochastic/.
 *
 *   npx tsx scripts/train-moons.ts [outdir]     (default examples/stochastic)
 *
 * Data: the two-moons set, generated here with a seeded PRNG (xoshiro128**,
 * seed 2021): class 0 on the upper half circle (cos a, sin a), class 1 on
 * (1 - cos a, 0.5 - sin a), a uniform on [0, pi], plus Gaussian noise of
 * standard deviation 0.15 (Box-Muller). 300 training and 100 test points.
 * Network: 2 -> 8 ReLU -> 6 ReLU -> 2 identity (argmax class), He-initialised,
 * trained by full-batch gradient descent with momentum on the softmax
 * cross-entropy (plain TypeScript, floating point: training is untrusted).
 * The weights are then rounded to 3 decimals and written as
 * relucert-network/1 with decimal strings; the test points are rounded to 3
 * decimals as well. Everything reported about the network afterwards is
 * computed exactly from these files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SeededRandom } from '../src/core/random.js';

const outDir = process.argv[2] ?? 'examples/stochastic';
const rng = new SeededRandom(2021);

function gaussian(): number {
  const u = 1 - rng.nextFloat();
  const v = rng.nextFloat();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function moons(n: number): { x: [number, number]; y: number }[] {
  const out: { x: [number, number]; y: number }[] = [];
  for (let i = 0; i < n; i++) {
    const y = i % 2;
    const a = Math.PI * rng.nextFloat();
    const base: [number, number] = y === 0 ? [Math.cos(a), Math.sin(a)] : [1 - Math.cos(a), 0.5 - Math.sin(a)];
    out.push({ x: [base[0] + 0.15 * gaussian(), base[1] + 0.15 * gaussian()], y });
  }
  return out;
}

const train = moons(300);
const test = moons(100);

const sizes = [2, 8, 6, 2];
type Mat = number[][];
const W: Mat[] = [];
const B: number[][] = [];
for (let l = 0; l + 1 < sizes.length; l++) {
  const fanIn = sizes[l]!;
  W.push(Array.from({ length: sizes[l + 1]! }, () => Array.from({ length: fanIn }, () => gaussian() * Math.sqrt(2 / fanIn))));
  B.push(Array.from({ length: sizes[l + 1]! }, () => 0));
}

function forward(x: number[]): { acts: number[][]; pres: number[][] } {
  const acts = [x];
  const pres: number[][] = [];
  for (let l = 0; l < W.length; l++) {
    const z = W[l]!.map((row, i) => row.reduce((s, w, j) => s + w * acts[l]![j]!, B[l]![i]!));
    pres.push(z);
    acts.push(l === W.length - 1 ? z : z.map((v) => Math.max(0, v)));
  }
  return { acts, pres };
}

const vW = W.map((m) => m.map((r) => r.map(() => 0)));
const vB = B.map((b) => b.map(() => 0));
const lr = 0.05;
const momentum = 0.9;
for (let epoch = 0; epoch < 4000; epoch++) {
  const gW = W.map((m) => m.map((r) => r.map(() => 0)));
  const gB = B.map((b) => b.map(() => 0));
  let loss = 0;
  for (const { x, y } of train) {
    const { acts, pres } = forward(x);
    const out = acts[acts.length - 1]!;
    const mx = Math.max(...out);
    const e = out.map((v) => Math.exp(v - mx));
    const s = e.reduce((a, b) => a + b, 0);
    const prob = e.map((v) => v / s);
    loss -= Math.log(prob[y]!);
    let delta = prob.map((v, k) => v - (k === y ? 1 : 0));
    for (let l = W.length - 1; l >= 0; l--) {
      const a = acts[l]!;
      delta.forEach((d, i) => {
        gB[l]![i]! += d;
        a.forEach((av, j) => (gW[l]![i]![j]! += d * av));
      });
      if (l > 0) {
        const z = pres[l - 1]!;
        delta = z.map((zv, j) => (zv > 0 ? delta.reduce((s2, d, i) => s2 + d * W[l]![i]![j]!, 0) : 0));
      }
    }
  }
  for (let l = 0; l < W.length; l++) {
    W[l]!.forEach((row, i) =>
      row.forEach((_, j) => {
        vW[l]![i]![j] = momentum * vW[l]![i]![j]! - (lr * gW[l]![i]![j]!) / train.length;
        W[l]![i]![j]! += vW[l]![i]![j]!;
      }),
    );
    B[l]!.forEach((_, i) => {
      vB[l]![i] = momentum * vB[l]![i]! - (lr * gB[l]![i]!) / train.length;
      B[l]![i]! += vB[l]![i]!;
    });
  }
  if (epoch % 1000 === 0) console.error(`epoch ${epoch}: mean loss ${(loss / train.length).toFixed(4)}`);
}

const dec = (v: number): string => {
  const s = v.toFixed(3);
  return s === '-0.000' ? '0.000' : s;
};
const network = {
  format: 'relucert-network/1',
  layers: W.map((m, l) => ({
    activation: l === W.length - 1 ? 'identity' : 'relu',
    weights: m.map((r) => r.map(dec)),
    bias: B[l]!.map(dec),
  })),
};
const accuracy = (set: { x: [number, number]; y: number }[]): number =>
  set.filter(({ x, y }) => {
    const out = forward(x).acts[W.length]!;
    return (out[1]! > out[0]! ? 1 : 0) === y;
  }).length / set.length;
console.error(`float accuracy: train ${accuracy(train)}, test ${accuracy(test)}`);

mkdirSync(outDir, { recursive: true });
// One weight row per line: readable, and diffs stay small.
const layerText = network.layers.map(
  (l) =>
    `  {\n   "activation": "${l.activation}",\n   "weights": [\n${l.weights.map((r) => `    ${JSON.stringify(r)}`).join(',\n')}\n   ],\n   "bias": ${JSON.stringify(l.bias)}\n  }`,
);
writeFileSync(join(outDir, 'moons.network.json'), `{\n "format": "relucert-network/1",\n "layers": [\n${layerText.join(',\n')}\n ]\n}\n`);
writeFileSync(
  join(outDir, 'moons-test.json'),
  JSON.stringify(
    {
      description: 'two-moons test points (seed 2021, noise 0.15), coordinates rounded to 3 decimals; label 0 = upper moon, 1 = lower moon',
      points: test.map(({ x }) => x.map(dec)),
      labels: test.map(({ y }) => y),
    },
    null,
    1,
  ) + '\n',
);
console.error(`wrote ${join(outDir, 'moons.network.json')} and moons-test.json`);
