/**
 * Solving one cube file: the middle step of cube-and-conquer
 * (docs/cluster.md). The cube is solved under its assumed literals by
 * solveUnder, with the same deadline rules as a whole solve; its certificate
 * is a cube certificate (a subtree, checked when the split is merged) or,
 * for a witness, an ordinary certificate checked at once, since a witness
 * answers the whole instance.
 */
import type { Instance } from '../core/types.js';
import { CUBE_FORMAT, type CubeFile, formatField } from '../cube/format.js';
import { cubeCertificateText, readCubeForSolving } from '../cube/split-dir.js';
import type { SearchStats } from '../engines/result.js';
import { type CubeEngine, type CubeOutcome, solveUnder } from '../engines/solve-under.js';
import { readJsonFile } from '../format/schema.js';

/** Whether `file` is a cube file (its `format` says so); other files are left to `solve` as instances. */
export function isCubeFile(file: string): boolean {
  return formatField(readJsonFile(file)) === CUBE_FORMAT;
}

/** A solved cube: the cube, its instance, the outcome, and with `certify` the certificate text (none for 'unknown'). */
export interface CubeSolution {
  cube: CubeFile;
  inst: Instance;
  outcome: CubeOutcome;
  certificate?: string;
}

/**
 * Reads the cube file (and its instance, found beside it), solves the cube
 * with `engine` until `deadline` (absolute, Date.now() ms), and with
 * `certify` builds its certificate. Throws InputError for a cube file that
 * is malformed or does not fit its instance (naming the file and field).
 */
export function solveCubeFile(
  file: string,
  constraints: { engine: CubeEngine; deadline?: number; certify?: boolean; onProgress?: (stats: SearchStats) => void },
): CubeSolution {
  const { engine, deadline, onProgress } = constraints;
  const { cube, inst, assume } = readCubeForSolving(file);
  const outcome = solveUnder(inst, cube.case, assume, { ...(deadline !== undefined ? { deadline } : {}), ...(onProgress ? { onProgress } : {}) }, engine);
  const certificate = constraints.certify ? cubeCertificateText(cube, inst, outcome, { engine }) : undefined;
  return { cube, inst, outcome, ...(certificate !== undefined ? { certificate } : {}) };
}
