/**
 * Planted deep teachers (the setting of Chen, Klivans & Meka, FOCS 2021:
 * Gaussian inputs labelled by a deep ReLU network): a random network of
 * `depth` hidden ReLU layers of `width` units and one identity output, and
 * inputs x ~ N(0, I_dim), both rounded to exact decimals, labelled exactly.
 *
 * Deterministic for a seed: xoshiro128** (src/core/random.ts)
 * seeded with the seed, Gaussians by Marsaglia's polar method, drawn in a
 * fixed order (all weights layer by layer, row by row, then the biases, then
 * the inputs point by point). A float g is rounded to the nearest multiple of
 * 10^-digits, ties away from zero; from there on everything is exact.
 */
import { evaluate } from '../core/evaluate.js';
import { Q } from '../core/rational.js';
import type { Layer, Network } from '../core/types.js';
import { SeededRandom } from '../core/random.js';

export interface TeacherSpec {
  /** Hidden ReLU layers L >= 1. */
  depth: number;
  /** Units per hidden layer K >= 1. */
  width: number;
  /** Input dimension D >= 1. */
  dim: number;
  /** Number of labelled points N >= 1. */
  samples: number;
  seed: number;
  /** Decimals of the rounded weights and biases (default 2). */
  weightDigits?: number;
  /** Decimals of the rounded inputs (default 2). */
  inputDigits?: number;
  /** Draw biases ~ N(0, 1) (default: all biases 0). */
  biases?: boolean;
}

export const TEACHER_LIMITS = { maxDepth: 16, maxWidth: 256, maxDim: 1000, maxSamples: 100_000, maxDigits: 6 } as const;

/** Standard normal draws: Marsaglia's polar method on a seeded xoshiro128**. */
export class GaussianSource {
  private readonly rng: SeededRandom;
  private spare: number | undefined;
  constructor(seed: number) {
    this.rng = new SeededRandom(seed);
  }
  next(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    for (;;) {
      const u = 2 * this.rng.nextFloat() - 1;
      const v = 2 * this.rng.nextFloat() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const f = Math.sqrt((-2 * Math.log(s)) / s);
        this.spare = v * f;
        return u * f;
      }
    }
  }
}

/** The nearest multiple of 10^-digits to x, ties away from zero, exactly. */
export function roundDecimal(x: number, digits: number): Q {
  const scale = 10 ** digits;
  const m = Math.floor(Math.abs(x) * scale + 0.5);
  return Q.of(BigInt(x < 0 ? -m : m), 10n ** BigInt(digits));
}

export interface Teacher {
  network: Network;
  points: Q[][];
  labels: Q[];
  /** Held-out points of the same teacher (drawn after the training points), and their labels. */
  testPoints: Q[][];
  testLabels: Q[];
}

/**
 * Draws the teacher and its data. Weights of a ReLU layer with fan-in m are
 * N(0, 2/m) (He et al. 2015, so the scale of the signal is kept from layer to
 * layer), of the output layer N(0, 1/m); biases N(0, 1) or 0; inputs
 * N(0, I): first `samples` training points, then `testSamples` held-out ones.
 * Labels are the network's exact outputs f(x).
 */
export function drawTeacher(spec: TeacherSpec, testSamples = 0): Teacher {
  const g = new GaussianSource(spec.seed);
  const wd = spec.weightDigits ?? 2;
  const xd = spec.inputDigits ?? 2;
  const layers: Layer[] = [];
  let fanIn = spec.dim;
  for (let l = 0; l <= spec.depth; l++) {
    const units = l < spec.depth ? spec.width : 1;
    const sd = Math.sqrt((l < spec.depth ? 2 : 1) / fanIn);
    const weights = Array.from({ length: units }, () => Array.from({ length: fanIn }, () => roundDecimal(sd * g.next(), wd)));
    const bias = Array.from({ length: units }, () => (spec.biases ? roundDecimal(g.next(), wd) : Q.ZERO));
    layers.push({ activation: l < spec.depth ? 'relu' : 'identity', weights, bias });
    fanIn = units;
  }
  const network: Network = { layers };
  const draw = (count: number): Q[][] => Array.from({ length: count }, () => Array.from({ length: spec.dim }, () => roundDecimal(g.next(), xd)));
  const label = (xs: Q[][]): Q[] => xs.map((x) => evaluate(network, x)[0]!);
  const points = draw(spec.samples);
  const testPoints = draw(testSamples);
  return { network, points, labels: label(points), testPoints, testLabels: label(testPoints) };
}
