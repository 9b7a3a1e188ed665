/** Planted deep teachers: deterministic for a seed, rounding as stated, labels exact. */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/core/evaluate.js';
import { Q } from '../../src/core/rational.js';
import { GaussianSource, drawTeacher, roundDecimal } from '../../src/learn/teacher.js';

const spec = { depth: 3, width: 5, dim: 4, samples: 30, seed: 9 };

describe('drawTeacher', () => {
  it('is deterministic for a seed and changes with it', () => {
    const a = drawTeacher(spec, 5);
    const b = drawTeacher(spec, 5);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(drawTeacher({ ...spec, seed: 10 }))).not.toBe(JSON.stringify(a));
  });
  it('has depth hidden ReLU layers of width units, an identity output, and no biases unless asked', () => {
    const t = drawTeacher(spec);
    expect(t.network.layers.map((l) => [l.activation, l.weights.length, l.weights[0]!.length])).toEqual([
      ['relu', 5, 4],
      ['relu', 5, 5],
      ['relu', 5, 5],
      ['identity', 1, 5],
    ]);
    expect(t.network.layers.every((l) => l.bias.every((b) => b.isZero()))).toBe(true);
    expect(drawTeacher({ ...spec, biases: true }).network.layers.some((l) => l.bias.some((b) => !b.isZero()))).toBe(true);
  });
  it('rounds inputs and weights to the stated decimals and labels every point exactly', () => {
    const t = drawTeacher({ ...spec, inputDigits: 1, weightDigits: 3 }, 7);
    for (const p of [...t.points, ...t.testPoints]) for (const v of p) expect(10n % v.den).toBe(0n);
    for (const l of t.network.layers) for (const row of l.weights) for (const w of row) expect(1000n % w.den).toBe(0n);
    t.points.forEach((x, i) => expect(evaluate(t.network, x)[0]!.eq(t.labels[i]!)).toBe(true));
    t.testPoints.forEach((x, i) => expect(evaluate(t.network, x)[0]!.eq(t.testLabels[i]!)).toBe(true));
    expect(t.testPoints.length).toBe(7);
  });
  it('the training points do not depend on how many held-out points follow them', () => {
    expect(JSON.stringify(drawTeacher(spec, 0).points)).toBe(JSON.stringify(drawTeacher(spec, 50).points));
  });
});

describe('roundDecimal and GaussianSource', () => {
  it('rounds to the nearest multiple of 10^-digits, ties away from zero', () => {
    expect(roundDecimal(0.125, 2).eq(Q.of(13, 100))).toBe(true);
    expect(roundDecimal(-0.125, 2).eq(Q.of(-13, 100))).toBe(true);
    expect(roundDecimal(1.234, 0).eq(Q.ONE)).toBe(true);
    expect(roundDecimal(-0.004, 2).isZero()).toBe(true);
  });
  it('draws standard normals (mean ~ 0, variance ~ 1, |x| > 1.96 about 5% of the time over 20,000 draws)', () => {
    const g = new GaussianSource(42);
    const xs = Array.from({ length: 20_000 }, () => g.next());
    const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
    const variance = xs.reduce((s, v) => s + (v - mean) ** 2, 0) / xs.length;
    const tails = xs.filter((v) => Math.abs(v) > 1.96).length / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.04);
    expect(Math.abs(tails - 0.05)).toBeLessThan(0.01);
  });
});
