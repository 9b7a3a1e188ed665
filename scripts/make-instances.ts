/**
 * Writes the curated instances in instances/. Run: npx tsx scripts/make-instances.ts
 * Each instance says in `description` what it is and in `source` where it comes from;
 * the verdicts are decided (and certified) by `relucert solve`, not asserted here.
 */
import { writeFileSync } from 'node:fs';

type Num = string;
interface Inst {
  name: string;
  description: string;
  source: string;
  points: Num[][];
  labels: Num[];
  architecture: {
    hidden: number;
    activation: 'relu' | 'leaky-relu' | 'threshold';
    slope?: Num;
    outputWeights: 'signs' | 'positive' | 'free' | Num[];
    outputBias: boolean;
    weightBound?: Num;
    boundOutputWeights?: boolean;
  };
  loss: { type: 'exact' } | { type: 'classification' } | { type: 'l1' | 'linf'; bound: Num };
}

const P = (...xs: number[]): Num[] => xs.map(String);
const arch = (hidden: number, activation: 'relu' | 'threshold', outputWeights: Inst['architecture']['outputWeights'], outputBias: boolean) => ({
  hidden,
  activation,
  outputWeights,
  outputBias,
});

// A planted teacher: f(x) = relu(x1 + x2 - 1) - relu(x1 - 2 x2) on a grid of 8 points
const teacher2 = (x1: number, x2: number): number => Math.max(0, x1 + x2 - 1) - Math.max(0, x1 - 2 * x2);
const grid2: [number, number][] = [
  [0, 0],
  [1, 0],
  [2, 0],
  [0, 1],
  [1, 1],
  [2, 1],
  [0, 2],
  [2, 2],
];
// A planted teacher in d = 3 with one unit: relu(x1 - x2 + 2 x3 - 1)
const teacher3 = (x: number[]): number => Math.max(0, x[0]! - x[1]! + 2 * x[2]! - 1);
const cube: number[][] = [
  [0, 0, 0],
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
  [1, 1, 0],
  [1, 0, 1],
  [0, 1, 1],
  [1, 1, 1],
];

/** A leaky ReLU architecture (slope in [0, 1)), optionally with a weight bound. */
const leaky = (hidden: number, slope: Num, outputWeights: Inst['architecture']['outputWeights'], outputBias: boolean, weightBound?: Num) => ({
  hidden,
  activation: 'leaky-relu' as const,
  slope,
  outputWeights,
  outputBias,
  ...(weightBound !== undefined ? { weightBound } : {}),
});

const xorPts = [P(0, 0), P(0, 1), P(1, 0), P(1, 1)];

const all: Inst[] = [
  {
    name: 'abs-3-k1',
    description: '|x| on -1, 0, 1 with one ReLU (sign output weight, no output bias): a single ReLU is monotone and cannot make a valley. Infeasible.',
    source: 'textbook example; the smallest data set that needs two ReLUs',
    points: [P(-1), P(0), P(1)],
    labels: P(1, 0, 1),
    architecture: arch(1, 'relu', 'signs', false),
    loss: { type: 'exact' },
  },
  {
    name: 'abs-3-k2',
    description: '|x| on -1, 0, 1 with two ReLUs: |x| = relu(x) + relu(-x). Feasible.',
    source: 'textbook example',
    points: [P(-1), P(0), P(1)],
    labels: P(1, 0, 1),
    architecture: arch(2, 'relu', 'signs', false),
    loss: { type: 'exact' },
  },
  {
    name: 'abs-3-k1-l1',
    description:
      '|x| on -1, 0, 1 with one ReLU under l1 loss <= 1: relu(x) misses only the point -1 by 1. Feasible; `relucert minimize --loss` shows 1 is the least l1 loss.',
    source: 'textbook example, l1 variant',
    points: [P(-1), P(0), P(1)],
    labels: P(1, 0, 1),
    architecture: arch(1, 'relu', 'signs', false),
    loss: { type: 'l1', bound: '1' },
  },
  {
    name: 'abs-3-k1-l1-half',
    description: '|x| on -1, 0, 1 with one ReLU under l1 loss <= 1/2. Infeasible (the least l1 loss is 1).',
    source: 'textbook example, l1 variant',
    points: [P(-1), P(0), P(1)],
    labels: P(1, 0, 1),
    architecture: arch(1, 'relu', 'signs', false),
    loss: { type: 'l1', bound: '1/2' },
  },
  {
    name: 'abs-3-k1-linf-bias',
    description: '|x| on -1, 0, 1 with one ReLU and an output bias under l-inf loss <= 1/2: the constant 1/2 already achieves it. Feasible.',
    source: 'textbook example, l-inf variant',
    points: [P(-1), P(0), P(1)],
    labels: P(1, 0, 1),
    architecture: arch(1, 'relu', 'signs', true),
    loss: { type: 'linf', bound: '1/2' },
  },
  {
    name: 'abs-3-k1-linf-third',
    description: '|x| on -1, 0, 1 with one ReLU and an output bias under l-inf loss <= 1/3. Infeasible: one kink cannot follow both slopes.',
    source: 'textbook example, l-inf variant',
    points: [P(-1), P(0), P(1)],
    labels: P(1, 0, 1),
    architecture: arch(1, 'relu', 'signs', true),
    loss: { type: 'linf', bound: '1/3' },
  },
  {
    name: 'xor-threshold-k1',
    description: 'XOR with one linear threshold unit and a free threshold output: XOR is not linearly separable. Infeasible.',
    source: 'Minsky & Papert (1969)',
    points: xorPts,
    labels: P(-1, 1, 1, -1),
    architecture: arch(1, 'threshold', 'free', true),
    loss: { type: 'classification' },
  },
  {
    name: 'xor-threshold-k2',
    description: 'XOR with two linear threshold units and a free threshold output (the classic 2-2-1 network). Feasible.',
    source: 'Rumelhart, Hinton & Williams (1986)',
    points: xorPts,
    labels: P(-1, 1, 1, -1),
    architecture: arch(2, 'threshold', 'free', true),
    loss: { type: 'classification' },
  },
  {
    name: 'xor-relu-k1-exact',
    description: 'XOR values 0, 1, 1, 0 fit exactly by one ReLU with output bias. Infeasible.',
    source: 'XOR, regression form',
    points: xorPts,
    labels: P(0, 1, 1, 0),
    architecture: arch(1, 'relu', 'signs', true),
    loss: { type: 'exact' },
  },
  {
    name: 'xor-relu-k2-exact',
    description: 'XOR values fit exactly by two ReLUs: relu(x1 - x2) + relu(x2 - x1). Feasible.',
    source: 'XOR, regression form',
    points: xorPts,
    labels: P(0, 1, 1, 0),
    architecture: arch(2, 'relu', 'signs', true),
    loss: { type: 'exact' },
  },
  {
    name: 'bump-threshold-k1',
    description: 'A bump 0, 1, 1, 0 on x = 0..3 fit exactly by one threshold unit with a sign output weight and output bias. Infeasible: one step is monotone.',
    source: 'step-function fitting',
    points: [P(0), P(1), P(2), P(3)],
    labels: P(0, 1, 1, 0),
    architecture: arch(1, 'threshold', 'signs', true),
    loss: { type: 'exact' },
  },
  {
    name: 'bump-threshold-k2',
    description: 'The same bump with two threshold units: [x > 1/2] - [x > 5/2]. Feasible.',
    source: 'step-function fitting',
    points: [P(0), P(1), P(2), P(3)],
    labels: P(0, 1, 1, 0),
    architecture: arch(2, 'threshold', 'signs', true),
    loss: { type: 'exact' },
  },
  {
    name: 'teacher-d2-k2',
    description:
      'Labels of the planted teacher relu(x1 + x2 - 1) - relu(x1 - 2 x2) on 8 grid points, 2 ReLUs with sign output weights. Feasible (the teacher is a witness).',
    source: 'planted teacher network',
    points: grid2.map(([a, b]) => P(a, b)),
    labels: grid2.map(([a, b]) => String(teacher2(a, b))),
    architecture: arch(2, 'relu', 'signs', false),
    loss: { type: 'exact' },
  },
  {
    name: 'teacher-d2-k2-perturbed',
    description: 'The planted teacher of teacher-d2-k2 with the label of (1, 1) raised from 1 to 2.',
    source: 'planted teacher network, one label perturbed',
    points: grid2.map(([a, b]) => P(a, b)),
    labels: grid2.map(([a, b]) => String(teacher2(a, b) + (a === 1 && b === 1 ? 1 : 0))),
    architecture: arch(2, 'relu', 'signs', false),
    loss: { type: 'exact' },
  },
  {
    name: 'teacher-d3-k1',
    description: 'Labels of the planted teacher relu(x1 - x2 + 2 x3 - 1) on the 8 corners of the unit cube, one ReLU. Feasible.',
    source: 'planted teacher network',
    points: cube.map((x) => x.map(String)),
    labels: cube.map((x) => String(teacher3(x))),
    architecture: arch(1, 'relu', 'signs', false),
    loss: { type: 'exact' },
  },
  {
    name: 'teacher-d3-k1-perturbed',
    description: 'The teacher of teacher-d3-k1 with the label of (0, 0, 0) changed from 0 to 1: a single ReLU cannot fit the perturbed data. Infeasible.',
    source: 'planted teacher network, one label perturbed',
    points: cube.map((x) => x.map(String)),
    labels: cube.map((x) => String(x.join() === '0,0,0' ? 1 : teacher3(x))),
    architecture: arch(1, 'relu', 'signs', false),
    loss: { type: 'exact' },
  },
  {
    name: 'convex-abs-positive-k2',
    description: '|x| on -2..2 with two ReLUs and positive output weights (a convex network): relu(x) + relu(-x). Feasible.',
    source: 'convex case (Froese & Hertrich 2023)',
    points: [P(-2), P(-1), P(0), P(1), P(2)],
    labels: P(2, 1, 0, 1, 2),
    architecture: arch(2, 'relu', 'positive', false),
    loss: { type: 'exact' },
  },
  {
    name: 'concave-positive-k2',
    description: '-|x| on -1, 0, 1 with positive output weights: a sum of ReLUs is convex, the data is concave. Infeasible.',
    source: 'convex case (Froese & Hertrich 2023)',
    points: [P(-1), P(0), P(1)],
    labels: P(-1, 0, -1),
    architecture: arch(2, 'relu', 'positive', false),
    loss: { type: 'exact' },
  },
  {
    name: 'zigzag-k2',
    description:
      'Zigzag 0, 1, 0, 1, 0 on x = 0..4 with two ReLUs, sign output weights and an output bias: the slope changes at 1, 2 and 3, and two units give at most two kinks. Infeasible.',
    source: 'counting breakpoints of a one-dimensional ReLU network',
    points: [P(0), P(1), P(2), P(3), P(4)],
    labels: P(0, 1, 0, 1, 0),
    architecture: arch(2, 'relu', 'signs', true),
    loss: { type: 'exact' },
  },
  {
    name: 'zigzag-k3',
    description: 'The same zigzag 0, 1, 0, 1, 0 with three ReLUs: kinks at 1, 2 and 3 suffice. Feasible.',
    source: 'counting breakpoints of a one-dimensional ReLU network',
    points: [P(0), P(1), P(2), P(3), P(4)],
    labels: P(0, 1, 0, 1, 0),
    architecture: arch(3, 'relu', 'signs', true),
    loss: { type: 'exact' },
  },
  {
    name: 'zigzag6-k3',
    description: 'Zigzag 0, 1, 0, 1, 0, 1 on x = 0..5 with three ReLUs and an output bias: four slope changes, three kinks. Infeasible.',
    source: 'counting breakpoints of a one-dimensional ReLU network',
    points: [P(0), P(1), P(2), P(3), P(4), P(5)],
    labels: P(0, 1, 0, 1, 0, 1),
    architecture: arch(3, 'relu', 'signs', true),
    loss: { type: 'exact' },
  },
  {
    name: 'hat-step-k3',
    description: 'A hat followed by a ramp, 0, 1, 0, 0, 1 on x = 0..4, with three ReLUs and an output bias. Feasible.',
    source: 'one-dimensional ReLU fitting',
    points: [P(0), P(1), P(2), P(3), P(4)],
    labels: P(0, 1, 0, 0, 1),
    architecture: arch(3, 'relu', 'signs', true),
    loss: { type: 'exact' },
  },
  {
    name: 'fixed-weights-k2',
    description: 'Fixed output weights [2, -1]: fit 0, 2, 3 on x = 0, 1, 2 with f = 2 relu(.) - relu(.), e.g. 2 relu(x) - relu(x - 1). Feasible.',
    source: 'fixed output layer',
    points: [P(0), P(1), P(2)],
    labels: P(0, 2, 3),
    architecture: arch(2, 'relu', ['2', '-1'], false),
    loss: { type: 'exact' },
  },
  {
    name: 'ring-relu-classify-k1',
    description:
      'Classification of a point inside a ring of four (+1 inside, -1 outside) with one ReLU and output bias. Infeasible: the positive region of c - relu(h) is a half-plane or everything.',
    source: 'classification with ReLU units',
    points: [P(0, 0), P(1, 0), P(-1, 0), P(0, 1), P(0, -1)],
    labels: P(1, -1, -1, -1, -1),
    architecture: arch(1, 'relu', 'free', true),
    loss: { type: 'classification' },
  },
  {
    name: 'abs-3-leaky-k1',
    description:
      '|x| on -1, 0, 1 with one leaky ReLU of slope 1/10 (sign output weight, no output bias): a leaky ReLU unit is monotone too and cannot make a valley. Infeasible.',
    source: 'textbook example, leaky ReLU variant',
    points: [P(-1), P(0), P(1)],
    labels: P(1, 0, 1),
    architecture: leaky(1, '1/10', 'signs', false),
    loss: { type: 'exact' },
  },
  {
    name: 'abs-3-leaky-k2',
    description: '|x| on -1, 0, 1 with two leaky ReLUs of slope 1/10: leaky(t x) + leaky(-t x) = (1 - 1/10) t |x|, so t = 10/9. Feasible.',
    source: 'textbook example, leaky ReLU variant',
    points: [P(-1), P(0), P(1)],
    labels: P(1, 0, 1),
    architecture: leaky(2, '1/10', 'signs', false),
    loss: { type: 'exact' },
  },
  {
    name: 'abs-3-leaky-k2-bound-1',
    description: 'abs-3-leaky-k2 with every hidden weight and bias in [-1, 1]: the valley needs |w| = 10/9. Infeasible.',
    source: 'bounded-weights variant',
    points: [P(-1), P(0), P(1)],
    labels: P(1, 0, 1),
    architecture: leaky(2, '1/10', 'signs', false, '1'),
    loss: { type: 'exact' },
  },
  {
    name: 'abs-3-k2-bound-half',
    description:
      '|x| on -1, 0, 1 with two ReLUs (output weights +-1, no output bias) whose hidden weights and biases lie in [-1/2, 1/2]: with both output weights 1, f(0) = 0 forces b <= 0 and then f(1) + f(-1) <= |w_1| + |w_2| <= 1 < 2. Infeasible (abs-3-k2, without the bound, is feasible).',
    source: 'bounded-weights variant',
    points: [P(-1), P(0), P(1)],
    labels: P(1, 0, 1),
    architecture: { ...arch(2, 'relu', 'signs', false), weightBound: '1/2' },
    loss: { type: 'exact' },
  },
  {
    name: 'abs-3-k2-free-bound',
    description:
      '|x| on -1, 0, 1 with two ReLUs, free output weights, and every weight (hidden and output) in [-3/4, 3/4]. By lemma L8 this is sign output weights with hidden weights in [-9/16, 9/16], too small for the valley. Infeasible (with the output weights unbounded it is feasible: lemma L7).',
    source: 'bounded-weights variant',
    points: [P(-1), P(0), P(1)],
    labels: P(1, 0, 1),
    architecture: { ...arch(2, 'relu', 'free', false), weightBound: '3/4', boundOutputWeights: true },
    loss: { type: 'exact' },
  },
];

for (const i of all) {
  const file = `instances/${i.name}.json`;
  writeFileSync(
    file,
    JSON.stringify({ format: 'relucert-instance/1', ...i }, null, 2).replace(/\[\s+([^[\]{}]*?)\s+\]/g, (_m, s: string) => `[${s.split(/,\s+/).join(', ')}]`) +
      '\n',
  );
}
console.log(`wrote ${all.length} instances`);
