/**
 * relucert slurm INSTANCE --cubes N --out DIR [--partition P] [--time T] [--timeout SEC] [--engine E] [--dry-run] [--json]
 * relucert slurm DIR [--resplit M] [...]      (resume: the open cubes of a split directory)
 * Cube-and-conquer on a Slurm cluster (docs/cluster.md): splits the instance
 * (or takes the open cubes of DIR, each split again into M with --resplit),
 * writes an sbatch job array with one task per open cube and a merge job that
 * depends on it (afterany), submits both, and prints how to follow them.
 * --dry-run writes the scripts only. Exit 0, 2 bad input (also: sbatch
 * missing or refusing).
 */
import type { Command } from 'commander';
import { nameOf } from '../../format/text.js';
import { existsSync, statSync } from 'node:fs';
import { type SetAside, readForResume } from '../../cube/resume.js';
import { type SlurmRound, parseSlurmTime, sbatch, writeSlurmRound } from '../../cube/slurm.js';
import { createSplit, resplitCubes } from '../../cube/split-dir.js';
import { CUBE_ENGINES } from '../../engines/solve-under.js';
import { InputError } from '../../format/errors.js';
import { readInstance } from '../../format/schema.js';
import { checkCubeable } from '../../run/limits.js';
import { EXIT, type Io, parsePositiveInt, parseSeconds } from '../io.js';
import { idList } from './split.js';

interface SlurmCliOptions {
  cubes?: string;
  out?: string;
  partition?: string;
  time?: string;
  timeout?: string;
  resplit?: string;
  engine?: string;
  dryRun?: boolean;
  json?: boolean;
}

export function register(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('slurm')
    .description(
      'cube-and-conquer on a Slurm cluster: split, submit a job array (one task per cube) and a merge job after it; or resume a split directory (docs/cluster.md)',
    )
    .argument('<input>', 'a relucert-instance/1 file (with --cubes and --out), or a split directory to resume')
    .option('--cubes <n>', 'open cubes to split the instance into')
    .option('--out <dir>', 'the split directory (must not exist, or be empty)')
    .option('--partition <p>', 'Slurm partition (sbatch --partition)')
    .option('--time <t>', 'Slurm time limit per task, e.g. 30 (minutes) or 2:00:00 (sbatch --time)')
    .option('--timeout <sec>', 'each cube answers "unknown" after this many seconds (it stays open; split it again to go on)')
    .option('--resplit <m>', 'resuming: split each open cube again into M cubes first')
    .option('--engine <name>', `engine of the cubes (${CUBE_ENGINES.join(', ')}; default exact)`)
    .option('--dry-run', 'write the scripts, do not submit')
    .option('--json', 'print one JSON object on stdout')
    .action((input: string, o: SlurmCliOptions) => done(slurmCommand(input, o, io)));
}

/** The split directory a run works in: a new split of an instance, or a split directory resumed (its unmergeable cube certificates set aside). */
interface OpenedSplit {
  dir: string;
  /** the first line of the report */
  note: string;
  setAside: SetAside[];
}

/** `relucert slurm INPUT`: options checked, the split made or resumed, a round written and submitted; returns the exit code. */
function slurmCommand(input: string, o: SlurmCliOptions, io: Io): number {
  const time = o.time !== undefined ? parseSlurmTime(o.time) : undefined;
  const timeout = parseSeconds(o.timeout, '--timeout');
  if (o.engine !== undefined && !CUBE_ENGINES.some((e) => e === o.engine))
    throw new InputError('command line', '--engine', `cubes are solved by ${CUBE_ENGINES.join(' or ')}, not ${JSON.stringify(o.engine)}`);
  if (o.partition !== undefined && !/^[A-Za-z0-9_.,-]+$/.test(o.partition))
    throw new InputError('command line', '--partition', `not a partition name: ${JSON.stringify(o.partition)}`);
  const { dir, note, setAside } = existsSync(input) && statSync(input).isDirectory() ? resumeSplit(input, o) : newSplit(input, o);
  const after = readForResume(dir);
  setAside.push(...after.setAside);
  const status = after.status;
  const asideLines = setAside.map((a) => `  set aside (cube ${a.cube} is open again): ${a.reason}\n    moved to ${a.aside}\n`).join('');
  const asideJson = setAside.length > 0 ? { setAside } : {};
  if (status.verdict !== 'open') {
    if (o.json) io.out(JSON.stringify({ dir, submitted: false, verdict: status.verdict, ...asideJson }) + '\n');
    else io.out(`${note}\n${asideLines}  nothing to submit: no cube is open (${status.verdict}); relucert merge ${dir} -o CERT writes the certificate\n`);
    return EXIT.ok;
  }
  const round = writeSlurmRound(dir, status.open, {
    ...(o.partition !== undefined ? { partition: o.partition } : {}),
    ...(time !== undefined ? { time } : {}),
    ...(timeout !== undefined ? { timeout } : {}),
    ...(o.engine !== undefined && o.engine !== 'exact' ? { engine: o.engine } : {}),
  });
  let array: string | undefined;
  let merge: string | undefined;
  if (!o.dryRun) {
    array = sbatch([round.solveScript]);
    merge = sbatch([`--dependency=afterany:${array}`, round.mergeScript]);
  }
  if (o.json) {
    io.out(
      JSON.stringify({
        dir,
        round: round.round,
        cubes: round.cubes,
        solveScript: round.solveScript,
        mergeScript: round.mergeScript,
        certificate: round.certificate,
        submitted: !o.dryRun,
        ...(array ? { arrayJob: array, mergeJob: merge } : {}),
        ...asideJson,
      }) + '\n',
    );
    return EXIT.ok;
  }
  printRound(note + '\n' + asideLines, dir, round, o, array, merge, io);
  return EXIT.ok;
}

/** The round for people: the cubes, the scripts, the jobs submitted (or how to submit them), where the result goes. */
function printRound(head: string, dir: string, round: SlurmRound, o: SlurmCliOptions, array: string | undefined, merge: string | undefined, io: Io): void {
  io.out(head);
  io.out(`  round ${round.round}: ${round.cubes.length} open cube${round.cubes.length === 1 ? '' : 's'} (${idList(round.cubes)}), one array task each\n`);
  io.out(`  scripts: ${round.solveScript}\n           ${round.mergeScript}\n`);
  if (o.dryRun) {
    io.out(`  not submitted (--dry-run); to submit:\n`);
    io.out(`    jobid=$(sbatch --parsable ${round.solveScript})\n`);
    io.out(`    sbatch --dependency=afterany:$jobid ${round.mergeScript}\n`);
  } else {
    io.out(`  submitted: job array ${array} (${round.cubes.length} task${round.cubes.length === 1 ? '' : 's'}), merge job ${merge} (after ${array})\n`);
    io.out(`  follow:  squeue -j ${array},${merge}\n`);
    io.out(`  after:   sacct -j ${array},${merge} --format=JobID,State,Elapsed,ExitCode\n`);
    io.out(`  logs:    ${round.roundDir}/logs/task-N.out, ${round.roundDir}/merge.out\n`);
  }
  io.out(`  result:  ${round.certificate} (then: relucert check ${round.certificate})\n`);
  io.out(`  resume:  relucert slurm ${dir} [--resplit 4]   (submits the cubes still open)\n`);
}

/** Resuming a split directory: open cubes split again on --resplit; cube certificates that cannot be merged set aside. */
function resumeSplit(dir: string, o: SlurmCliOptions): OpenedSplit {
  if (o.cubes !== undefined) throw new InputError('command line', '--cubes', 'resuming a split directory: use --resplit M to split its open cubes again');
  if (o.out !== undefined && o.out !== dir) throw new InputError('command line', '--out', 'resuming a split directory works in that directory');
  const resplit = parsePositiveInt(o.resplit, '--resplit');
  // a cube certificate that cannot be merged is set aside, and its cube solved again
  const { sd, status: before, setAside } = readForResume(dir);
  if (resplit !== undefined && before.verdict === 'open') resplitCubes(sd, before.open, resplit);
  const again = resplit !== undefined && before.verdict === 'open' ? ` (open cubes ${idList(before.open)} split again into ${resplit} each)` : '';
  return { dir, note: `${nameOf(sd.inst)}: resuming ${dir}${again}`, setAside };
}

/** A new split of an instance into --cubes cubes in --out. */
function newSplit(input: string, o: SlurmCliOptions): OpenedSplit {
  if (o.resplit !== undefined) throw new InputError('command line', '--resplit', 'applies when resuming a split directory');
  if (o.cubes === undefined) throw new InputError('command line', '--cubes', 'give the number of cubes: --cubes N');
  if (o.out === undefined) throw new InputError('command line', '--out', 'give the split directory: --out DIR');
  const count = parsePositiveInt(o.cubes, '--cubes')!;
  const inst = readInstance(input);
  checkCubeable(inst, input);
  const { planned, manifest } = createSplit(inst, o.out, count);
  return { dir: o.out, note: `${nameOf(inst)}: split into ${planned.length} cubes in ${o.out} (split ${manifest.split})`, setAside: [] };
}
