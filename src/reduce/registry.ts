/**
 * The reductions `relucert reduce` and `relucert fuzz` know. To add one:
 * write src/reduce/NAME.ts exporting a Reduction (see docs/reductions.md),
 * then add one import line and one array entry here.
 */
import type { AnyReduction } from './reduction.js';
import { setSplitting } from './set-splitting.js';
import { twoHyperplane } from './two-hyperplane.js';
import { singleRelu } from './single-relu.js';

export const reductions: AnyReduction[] = [setSplitting, twoHyperplane, singleRelu];

export function findReduction(name: string): AnyReduction | undefined {
  return reductions.find((r) => r.name === name);
}
