/** The shipped instances and relucert's verdict on each, for the export tests. */
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Instance } from '../../src/core/types.js';
import { engines } from '../../src/engines/index.js';
import { readInstance } from '../../src/format/schema.js';
import type { SolveResult } from '../../src/engines/result.js';

export const INSTANCE_DIR = join(import.meta.dirname, '..', '..', 'instances');

export function shippedInstances(): { file: string; inst: Instance }[] {
  return readdirSync(INSTANCE_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ file: f, inst: readInstance(join(INSTANCE_DIR, f)) }));
}

/**
 * The reference engine's verdict; where the reference search needs more than
 * `referenceSeconds` (zigzag6-k3 does), the exact engine's (whose proofs the
 * checker accepts as well). Never 'unknown' on the shipped instances.
 */
export async function verdictOf(inst: Instance, referenceSeconds = 2): Promise<SolveResult> {
  const r = await engines.reference!.solve(inst, { deadline: Date.now() + referenceSeconds * 1000 });
  if (r.verdict !== 'unknown' || !engines.exact) return r;
  return engines.exact.solve(inst, {});
}

export function installed(bin: string): boolean {
  const r = spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() !== '';
}
