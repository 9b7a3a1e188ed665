/**
 * `relucert solve CUBE`: the middle step of cube-and-conquer (docs/cluster.md).
 * Solves one cube file with solveUnder under the same deadline rules as a
 * whole solve, and writes its certificate: a cube certificate (a subtree,
 * checked when the split is merged) or, for a witness, an ordinary
 * certificate checked at once, since a witness answers the whole instance.
 * Exit 20 cube infeasible, 10 feasible, 0 unknown, 2 bad input.
 */
import { CUBE_FORMAT, formatField } from '../../cube/format.js';
import { cubeCertificateText, readCubeForSolving } from '../../cube/split-dir.js';
import { CUBE_ENGINES, solveUnder } from '../../engines/solve-under.js';
import { type SearchStats, countLeaves } from '../../engines/result.js';
import { InputError } from '../../format/errors.js';
import { readJsonFile } from '../../format/schema.js';
import { EXIT, type Io } from '../io.js';
import { writeFileAtomic } from '../../format/files.js';
import { describeQuestion, nameOf, progressLine } from '../../format/text.js';

export interface CubeSolveOptions {
  engine: string;
  cert?: string;
  timeout?: number;
  json?: boolean;
  quiet?: boolean;
  progress?: boolean;
  workers?: number;
}

/** Whether `file` is a cube file (its `format` says so); other files are left to `solve` as instances. */
export function isCubeFile(file: string): boolean {
  return formatField(readJsonFile(file)) === CUBE_FORMAT;
}

/** Solves a cube file; returns the exit code. */
export function solveCube(file: string, o: CubeSolveOptions, io: Io): number {
  const engine = CUBE_ENGINES.find((e) => e === o.engine);
  if (!engine)
    throw new InputError(
      'command line',
      '--engine',
      `a cube is solved under its assumed literals, which ${CUBE_ENGINES.join(' and ')} support; not ${JSON.stringify(o.engine)}`,
    );
  if (o.workers !== undefined && o.workers > 1)
    throw new InputError('command line', '--workers', 'a cube is solved by one worker; --workers N applies to a whole instance');
  const { cube, inst, assume } = readCubeForSolving(file);
  const showProgress = (io.progress || o.progress === true) && !o.quiet;
  const outcome = solveUnder(
    inst,
    cube.case,
    assume,
    {
      ...(o.timeout !== undefined ? { deadline: Date.now() + o.timeout * 1000 } : {}),
      ...(showProgress ? { onProgress: (s: SearchStats) => io.err(progressLine(s) + '\n') } : {}),
    },
    engine,
  );
  const text = o.cert !== undefined ? cubeCertificateText(cube, inst, outcome, { engine }) : undefined;
  if (text !== undefined && o.cert !== undefined) writeFileAtomic(o.cert, text);
  const leaves = outcome.verdict === 'infeasible' ? countLeaves(outcome.tree) : undefined;
  const where = `cube ${cube.cube} of split ${cube.split} (case ${cube.case}, ${cube.assume.length} assumed literal${cube.assume.length === 1 ? '' : 's'})`;
  if (o.json) {
    io.out(
      JSON.stringify({
        instance: inst.name,
        cube: cube.cube,
        split: cube.split,
        verdict: outcome.verdict,
        ...(outcome.verdict === 'feasible' ? { loss: outcome.loss.toString() } : {}),
        ...(outcome.verdict === 'unknown' ? { reason: outcome.reason } : {}),
        ...(leaves !== undefined ? { proofLeaves: leaves } : {}),
        ...(text !== undefined ? { certificate: o.cert, certificateChecked: outcome.verdict === 'feasible' } : {}),
        stats: outcome.stats,
      }) + '\n',
    );
  } else {
    const extra =
      outcome.verdict === 'feasible'
        ? ` (loss ${outcome.loss}): a witness for the whole instance`
        : outcome.verdict === 'unknown'
          ? ` (${outcome.reason})`
          : ` (subtree with ${leaves} leaves)`;
    io.out(`${nameOf(inst)}, ${where}: ${outcome.verdict}${extra}\n`);
    io.out(`  question: ${describeQuestion(inst)}\n`);
    io.out(`  engine ${engine}: ${outcome.stats.nodes} nodes, ${outcome.stats.elapsedMs} ms\n`);
    if (text !== undefined)
      io.out(
        `  certificate: ${o.cert} (${outcome.verdict === 'feasible' ? 'checked by the independent checker: valid' : 'cube certificate; checked with the whole proof by relucert merge'})\n`,
      );
  }
  return outcome.verdict === 'feasible' ? EXIT.feasible : outcome.verdict === 'infeasible' ? EXIT.infeasible : EXIT.unknown;
}
