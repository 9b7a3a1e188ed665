/**
 * The size limit of the commands that run the engines (docs/formats.md,
 * Limits): solve, minimize, crosscheck. Reading, checking, evaluating,
 * plotting and exporting have no limit beyond the readers'.
 *
 * The engines' LPs are dense (the float tableaus of the cdcl and exact
 * engines): the exact engine's for n points and k units has about (2k+1) n
 * rows and (3k+1) n columns, 8 bytes each (about 1 GB at 2,500 points and 2
 * units, 4 GB at 5,000), and typed arrays end at 2^32 entries (about 14,000
 * points for 2 units: 20,000 points failed with "Invalid typed array length"). So an instance with
 * more than MAX_LITERALS activation literals (points x hidden units) is
 * refused up front, as bad input, rather than failing in an allocation.
 */
import type { Instance } from '../core/types.js';
import { InputError } from '../format/errors.js';
import { convexApplies } from '../engines/convex/index.js';
import { defaultEngine } from '../engines/index.js';

export const MAX_LITERALS = 5000;

/**
 * Throws InputError (naming the file and `points`) when the instance, at
 * width `hidden` (default: its own), has more than MAX_LITERALS literals,
 * unless `engine` (the engine that will decide it, when one engine does) is
 * the convex engine or the default handing the instance to it: its LPs are
 * over the weights, with rows added lazily, not dense in n
 * (docs/engines.md, "The convex case").
 */
export function checkSolvableSize(inst: Instance, file: string, hidden = inst.architecture.hidden, engine?: string): void {
  const n = inst.points.length;
  if (n * hidden <= MAX_LITERALS) return;
  if ((engine === 'convex' || engine === defaultEngine) && convexApplies(inst)) return;
  throw new InputError(
    file,
    'points',
    `${n} points x ${hidden} hidden units = ${n * hidden} activation literals; the engines handle at most ${MAX_LITERALS} (docs/formats.md, Limits)`,
  );
}

/**
 * Cube-and-conquer (split, slurm, solve --workers) solves cubes with the cdcl
 * engine under assumed literals, which does not cover the squared loss l2:
 * throws InputError (naming `loss.type` of `file`) for an l2 instance.
 */
export function checkCubeable(inst: Instance, file: string): void {
  if (inst.loss.type === 'l2')
    throw new InputError(
      file,
      'loss.type',
      'cubes (split, slurm, solve --workers) do not cover the squared loss l2; solve it whole (docs/engines.md, "Squared loss")',
    );
}
