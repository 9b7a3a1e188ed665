/**
 * Froese, Hertrich & Niedermeier (JAIR 74, 2022): fitting one ReLU with zero
 * error is a linear program, because the labels fix the activation pattern:
 * y_i > 0 forces w . x_i + b = y_i, y_i = 0 forces w . x_i + b <= 0, and a
 * negative label cannot be fit at all. The simplest end-to-end reduction: the
 * source is the data, the target is the same data as a relucert instance with
 * one ReLU, output weight 1, no output bias, exact loss.
 *
 * Source (`single-relu/1`): points in Q^d and labels. Decider: that LP, solved
 * by exact Fourier-Motzkin elimination (fm.ts). Solution: (w, b).
 */
import * as fc from 'fast-check';
import { z } from 'zod';
import { Q } from '../core/rational.js';
import type { Instance, Network, OutputWeights } from '../core/types.js';
import { InputError } from '../format/errors.js';
import { parseWith, rational } from '../format/schema.js';
import { type Inequality, solveInequalities } from './fm.js';
import { combinations, gridPoints } from './enumerate.js';
import { type SourceAnswer, defineReduction, qs, twoLayerNetwork, withConstruction } from './reduction.js';

export interface SingleRelu {
  points: Q[][];
  labels: Q[];
}

/** The unit relu(w . x + b). */
export interface ReluUnit {
  w: Q[];
  b: Q;
}

const sourceSchema = z.strictObject({
  format: z.literal('single-relu/1'),
  points: z.array(z.array(rational).min(1)).min(1),
  labels: z.array(rational),
});

function parseSource(data: unknown, file: string): SingleRelu {
  const raw = parseWith(sourceSchema, data, file);
  const d = raw.points[0]!.length;
  raw.points.forEach((x, i) => {
    if (x.length !== d) throw new InputError(file, `points[${i}]`, `has ${x.length} coordinates, points[0] has ${d}`);
  });
  if (raw.labels.length !== raw.points.length) throw new InputError(file, 'labels', `has ${raw.labels.length} entries for ${raw.points.length} points`);
  return { points: raw.points, labels: raw.labels };
}

const relu = (u: ReluUnit, x: readonly Q[]): Q => Q.max(Q.ZERO, Q.sum(u.w.map((c, t) => c.mul(x[t]!))).add(u.b));

function checkSolution(src: SingleRelu, sol: ReluUnit): string | undefined {
  const d = src.points[0]!.length;
  if (sol.w.length !== d) return `unit has ${sol.w.length} weights, data has dimension ${d}`;
  for (const [i, x] of src.points.entries()) {
    const f = relu(sol, x);
    if (!f.eq(src.labels[i]!)) return `point ${i}: relu gives ${f}, label ${src.labels[i]}`;
  }
  return undefined;
}

function decide(src: SingleRelu): SourceAnswer<ReluUnit> {
  const d = src.points[0]!.length;
  if (src.labels.some((y) => y.sign() < 0)) return { answer: 'no', searched: 'a label is negative, and relu >= 0' };
  const rows: Inequality[] = [];
  src.points.forEach((x, i) => {
    const y = src.labels[i]!;
    const h = [...x, Q.ONE];
    rows.push({ coef: h, rhs: y }); // w . x + b <= y (<= 0 when y = 0)
    if (y.sign() > 0) rows.push({ coef: h.map((c) => c.neg()), rhs: y.neg() }); // w . x + b >= y
  });
  const v = solveInequalities(rows, d + 1);
  const searched = 'one LP (the labels fix the pattern), exact Fourier-Motzkin';
  return v ? { answer: 'yes', solution: { w: v.slice(0, d), b: v[d]! }, searched } : { answer: 'no', searched };
}

interface Construction {
  outputWeights: OutputWeights;
  outputBias: boolean;
  labelShift: number;
}

function buildInstance(src: SingleRelu, con: Construction): Instance {
  return {
    name: `single-relu-n${src.points.length}-d${src.points[0]!.length}`,
    description: `one ReLU with zero error (Froese, Hertrich & Niedermeier 2022; relucert construction: output weights ${con.outputWeights.mode}, output bias ${con.outputBias}, label shift ${con.labelShift})`,
    source: 'relucert reduce single-relu',
    points: src.points,
    labels: src.labels.map((y) => y.add(Q.of(con.labelShift))),
    architecture: { hidden: 1, activation: 'relu', outputWeights: con.outputWeights, outputBias: con.outputBias },
    loss: { type: 'exact' },
  };
}

const maps = {
  toInstance: buildInstance,
  witness: (_s: SingleRelu, u: ReluUnit) => twoLayerNetwork('relu', [u.w], [u.b], [Q.ONE], Q.ZERO),
  solutionFromWitness: (_s: SingleRelu, net: Network): ReluUnit => ({ w: net.layers[0]!.weights[0]!, b: net.layers[0]!.bias[0]! }),
};

/** Small sources: d in {1, 2}, 1..4 points in -2..2; labels planted from a random unit (sometimes one changed) or random in -1..3. */
function arbitrary(): fc.Arbitrary<SingleRelu> {
  return fc.integer({ min: 1, max: 2 }).chain((d) => {
    const small = fc.integer({ min: -2, max: 2 });
    const pts = fc.array(fc.array(small, { minLength: d, maxLength: d }).map(qs), { minLength: 1, maxLength: 4 });
    const planted = fc
      .tuple(
        pts,
        fc.array(small, { minLength: d, maxLength: d }).map(qs),
        small,
        fc.option(fc.tuple(fc.nat(), fc.integer({ min: -1, max: 2 })), { nil: undefined }),
      )
      .map(([points, w, b, change]) => {
        const labels = points.map((x) => relu({ w, b: Q.of(b) }, x));
        if (change) labels[change[0] % labels.length] = Q.of(change[1]);
        return { points, labels };
      });
    const random = pts.chain((points) =>
      fc.array(fc.integer({ min: -1, max: 3 }), { minLength: points.length, maxLength: points.length }).map((ys) => ({ points, labels: qs(ys) })),
    );
    return fc.oneof(planted, random);
  });
}

/**
 * Every source of size n + (d - 1) + c + m, d in {1, 2}: n distinct points of
 * the grid {0..c}^d, touching 0 on every axis and c on some axis (a translate
 * of any source spanning c), with integer labels in -1..m, some label at m
 * (or all -1 when m = 0 is not reached). Translating the points is an
 * isomorphism (the bias absorbs it); negative labels other than -1 add
 * nothing (any negative label makes both sides 'no').
 */
function* enumerate(size: number): Generator<SingleRelu> {
  for (let d = 1; d <= 2; d++)
    for (let c = 0; c + d - 1 < size; c++) {
      const grid = [...gridPoints(d, 0, c)];
      for (let n = 1; n + (d - 1) + c <= size; n++) {
        const m = size - n - (d - 1) - c;
        for (const pts of combinations(grid, n)) {
          const touches = [...Array(d).keys()].every((t) => pts.some((x) => x[t] === 0)) && pts.some((x) => x.some((v) => v === c));
          if (!touches) continue;
          for (const ys of gridPoints(n, -1, m)) if (Math.max(...ys.map(Math.abs)) === m) yield { points: pts.map(qs), labels: qs(ys) };
        }
      }
    }
}

/** The same data with the last coordinate dropped. */
function simplify(src: SingleRelu): SingleRelu[] {
  const d = src.points[0]!.length;
  return d > 1 ? [{ points: src.points.map((x) => x.slice(0, d - 1)), labels: src.labels }] : [];
}

const CORRECT: Construction = { outputWeights: { mode: 'positive' }, outputBias: false, labelShift: 0 };

export const singleRelu = defineReduction<SingleRelu, ReluUnit>(
  {
    name: 'single-relu',
    sourceFormat: 'single-relu/1',
    summary: 'one ReLU with zero error is an LP (Froese, Hertrich & Niedermeier 2022): the direct map',
    reference:
      'V. Froese, C. Hertrich, R. Niedermeier, The computational complexity of ReLU network training parameterized by data dimensionality, JAIR 74, 2022',
    description: 'the same data; 1 ReLU, output weight 1, no output bias, exact loss',
    parseSource,
    sourceToJson: (s) => ({ format: 'single-relu/1', points: s.points.map((x) => x.map(String)), labels: s.labels.map(String) }),
    arbitrary,
    simplify,
    decide,
    checkSolution,
    solutionToJson: (u) => ({ w: u.w.map(String), b: u.b.toString() }),
    exhaustive: { size: 'n + (d - 1) + c + m: n points of the grid {0..c}^d, labels in -1..m', enumerate },
    ...withConstruction(maps, CORRECT),
    mutants: [
      {
        name: 'output-bias',
        description: 'an output bias is allowed: negative labels become fittable',
        ...withConstruction(maps, { ...CORRECT, outputBias: true }),
      },
      { name: 'signs-output', description: 'output weight -1 or 1 instead of 1', ...withConstruction(maps, { ...CORRECT, outputWeights: { mode: 'signs' } }) },
      { name: 'label-shift', description: 'off by one: every target label is y + 1', ...withConstruction(maps, { ...CORRECT, labelShift: 1 }) },
    ],
  },
  'built-in',
);
