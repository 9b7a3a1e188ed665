/**
 * `relucert solve CUBE`: the middle step of cube-and-conquer (docs/cluster.md).
 * The work is the library's solveCubeFile (src/run/cube.ts); this file checks
 * the options, writes the certificate and prints. A cube certificate (a
 * subtree) is checked when the split is merged; a witness certificate is
 * checked at once, since a witness answers the whole instance.
 * Exit 20 cube infeasible, 10 feasible, 0 unknown, 2 bad input.
 */
import { countLeaves } from '../../engines/result.js';
import { CUBE_ENGINES } from '../../engines/solve-under.js';
import { InputError } from '../../format/errors.js';
import { writeFileAtomic } from '../../format/files.js';
import { describeQuestion, nameOf, progressLine } from '../../format/text.js';
import { solveCubeFile } from '../../run/cube.js';
import { EXIT, type Io } from '../io.js';

export interface CubeSolveOptions {
  engine: string;
  cert?: string;
  timeout?: number;
  json?: boolean;
  quiet?: boolean;
  progress?: boolean;
  workers?: number;
}

/** Solves a cube file; returns the exit code. */
export function solveCubeCommand(file: string, o: CubeSolveOptions, io: Io): number {
  const engine = CUBE_ENGINES.find((e) => e === o.engine);
  if (!engine)
    throw new InputError(
      'command line',
      '--engine',
      `a cube is solved under its assumed literals, which ${CUBE_ENGINES.join(' and ')} support; not ${JSON.stringify(o.engine)}`,
    );
  if (o.workers !== undefined && o.workers > 1)
    throw new InputError('command line', '--workers', 'a cube is solved by one worker; --workers N applies to a whole instance');
  const showProgress = (io.progress || o.progress === true) && !o.quiet;
  const solved = solveCubeFile(file, {
    engine,
    certify: o.cert !== undefined,
    ...(o.timeout !== undefined ? { deadline: Date.now() + o.timeout * 1000 } : {}),
    ...(showProgress ? { onProgress: (s) => io.err(progressLine(s) + '\n') } : {}),
  });
  const { cube, inst, outcome, certificate: text } = solved;
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
