/**
 * The reductions `relucert reduce` and `relucert fuzz` know by name, and the
 * way the CLI resolves its REDUCTION argument: a built-in name, or a plugin
 * file (src/reduce/plugin.ts). To add a built-in: write src/reduce/NAME.ts
 * exporting `defineReduction({...}, 'built-in')` (docs/reductions.md), then
 * add one import line and one array entry here.
 */
import { InputError } from '../format/errors.js';
import { isPluginPath, loadReductionPlugin } from './plugin.js';
import type { AnyReduction } from './reduction.js';
import { setSplitting } from './set-splitting.js';
import { singleRelu } from './single-relu.js';
import { twoHyperplane } from './two-hyperplane.js';

export const reductions: AnyReduction[] = [setSplitting, twoHyperplane, singleRelu];

export function findReduction(name: string): AnyReduction | undefined {
  return reductions.find((r) => r.name === name);
}

/**
 * A built-in reduction by name, or the plugin a path names (`./x.mjs`,
 * `x.ts`, `dir/x.js`). Throws InputError: an unknown name (listing the known
 * ones), or a plugin that does not load or has the wrong shape.
 */
export async function resolveReduction(arg: string): Promise<AnyReduction> {
  const builtin = findReduction(arg);
  if (builtin) return builtin;
  if (isPluginPath(arg)) return loadReductionPlugin(arg);
  throw new InputError(
    'command line',
    'REDUCTION',
    `unknown reduction ${JSON.stringify(arg)} (known: ${reductions.map((r) => r.name).join(', ')}; or a plugin file such as ./my-reduction.mjs)`,
  );
}
