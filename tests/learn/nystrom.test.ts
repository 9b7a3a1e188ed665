/** The Nystrom ridge-regression baseline (float64). */
import { describe, expect, it } from 'vitest';
import { parseKernel } from '../../src/learn/kernel.js';
import { fitNystrom, meanSquaredError, predictNystrom, signErrorRate } from '../../src/learn/nystrom.js';

const X = Array.from({ length: 40 }, (_, i) => [Math.sin(i), Math.cos(3 * i)]);
// in the span of the kernel (1 + x.y)^2: a quadratic
const y = X.map(([a, b]) => 1 + a! - 2 * b! + a! * b! + 0.5 * a! * a!);
const k = parseKernel('poly:2');

describe('fitNystrom', () => {
  it('with no landmarks predicts 0 (MSE = mean y^2)', () => {
    const f = fitNystrom(X, y, [], k, 0);
    expect(meanSquaredError(predictNystrom(f, X), y)).toBeCloseTo(y.reduce((s, v) => s + v * v, 0) / y.length, 12);
  });
  it('fits a quadratic exactly with 6 landmarks (the feature space of (1 + x.y)^2 in d = 2 has dimension 6)', () => {
    const f = fitNystrom(X, y, [0, 1, 2, 3, 4, 5], k, 0);
    expect(meanSquaredError(predictNystrom(f, X), y)).toBeLessThan(1e-16);
    const few = fitNystrom(X, y, [0, 1, 2], k, 0);
    expect(meanSquaredError(predictNystrom(few, X), y)).toBeGreaterThan(1e-3);
  });
  it('ridge shrinks the fit', () => {
    const a = meanSquaredError(predictNystrom(fitNystrom(X, y, [0, 1, 2, 3, 4, 5], k, 0), X), y);
    const b = meanSquaredError(predictNystrom(fitNystrom(X, y, [0, 1, 2, 3, 4, 5], k, 1), X), y);
    expect(b).toBeGreaterThan(a);
  });
  it('signErrorRate counts sign mistakes', () => {
    expect(signErrorRate([1, -2, 0.5, 0], [1, 1, -1, -1])).toBe(0.5);
  });
});
