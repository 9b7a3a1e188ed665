/**
 * `relucert slurm`: cube-and-conquer on a Slurm cluster, with the cluster's
 * own scheduler (docs/cluster.md). For one round over a split directory it
 * writes an sbatch job array (one task per open cube; a task finds its cube
 * in tasks.txt at line SLURM_ARRAY_TASK_ID + 1) and a merge job, and submits
 * the merge with --dependency=afterany on the array, so it runs however the
 * tasks end (a timed-out cube stays open and the merge lists it).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../format/errors.js';
import { writeFileAtomic } from '../format/files.js';

export interface SlurmRound {
  /** 1 for the first submission of a split directory, then 2, 3, ... */
  round: number;
  /** the round's directory, DIR/slurm/round-N */
  roundDir: string;
  tasksFile: string;
  solveScript: string;
  mergeScript: string;
  /** the merged certificate the merge job writes */
  certificate: string;
  /** open cubes, one array task each, in this order */
  cubes: string[];
}

export interface SlurmOptions {
  partition?: string;
  /** Slurm time limit per task (sbatch --time), e.g. "30:00" */
  time?: string;
  /** seconds each cube may run before it answers unknown (relucert solve --timeout) */
  timeout?: number;
  /** the engine of the cubes (relucert solve --engine), when not the default */
  engine?: string;
}

/** Quotes a string for bash (single quotes). */
function sh(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command that runs this relucert on the cluster's nodes, with absolute
 * paths: this node binary and bin/relucert.js; or, when running from the
 * TypeScript sources (tests), src/cli/entry.ts through tsx's loader.
 */
export function relucertCommand(): string {
  const here = import.meta.url;
  let root = dirname(fileURLToPath(here));
  for (let up = 0; up < 5 && !existsSync(join(root, 'bin', 'relucert.js')); up++) root = dirname(root);
  if (here.endsWith('.ts'))
    return [process.execPath, '--import', join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs'), join(root, 'src', 'cli', 'entry.ts')].map(sh).join(' ');
  return [process.execPath, join(root, 'bin', 'relucert.js')].map(sh).join(' ');
}

/** A Slurm time limit: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS (sbatch --time). */
export function parseSlurmTime(v: string): string {
  if (!/^(\d+|\d+:\d{2}|\d+:\d{2}:\d{2}|\d+-\d+|\d+-\d+:\d{2}|\d+-\d+:\d{2}:\d{2})$/.test(v))
    throw new InputError('command line', '--time', `not a Slurm time limit (minutes, MM:SS, HH:MM:SS or D-HH:MM:SS): ${JSON.stringify(v)}`);
  return v;
}

/**
 * Writes the scripts of the next round for the open cubes `cubes` of the
 * split directory `dir` (absolute paths inside the scripts, so they run from
 * any working directory on a shared file system).
 */
export function writeSlurmRound(dir: string, cubes: readonly string[], opts: SlurmOptions): SlurmRound {
  const abs = resolve(dir);
  const { round, roundDir } = newRoundDir(join(abs, 'slurm'));
  mkdirSync(join(roundDir, 'logs'));
  const relucert = relucertCommand();
  const tasksFile = join(roundDir, 'tasks.txt');
  const certificate = join(abs, 'merged.cert.json');
  const header = (name: string, output: string): string[] => [
    '#!/bin/bash',
    `#SBATCH --job-name=${name}`,
    `#SBATCH --output=${output}`,
    ...(opts.partition !== undefined ? [`#SBATCH --partition=${opts.partition}`] : []),
    ...(opts.time !== undefined ? [`#SBATCH --time=${opts.time}`] : []),
    // run again elsewhere if the node fails (Slurm's requeue); a run again adds to its log
    '#SBATCH --requeue',
    '#SBATCH --open-mode=append',
  ];
  // relucert's exit codes 0 (unknown), 10 (feasible), 20 (infeasible) are answers, not failures
  const exitAnswer = ['code=$?', 'case $code in 0|10|20) exit 0 ;; *) exit $code ;; esac', ''];
  const solve = [
    ...header('relucert-cubes', join(roundDir, 'logs', 'task-%a.out')),
    `#SBATCH --array=0-${cubes.length - 1}`,
    '#SBATCH --ntasks=1',
    '#SBATCH --cpus-per-task=1',
    `# relucert cube-and-conquer, round ${round}: one array task per open cube of ${abs}.`,
    'set -u',
    `dir=${sh(abs)}`,
    `cube=$(sed -n "$((SLURM_ARRAY_TASK_ID + 1))p" ${sh(tasksFile)})`,
    'if [ -z "$cube" ]; then echo "relucert: no cube for array task $SLURM_ARRAY_TASK_ID" >&2; exit 2; fi',
    'echo "cube $cube (array task $SLURM_ARRAY_TASK_ID of job ${SLURM_ARRAY_JOB_ID:-?}) on ${SLURMD_NODENAME:-?}${SLURM_RESTART_COUNT:+, run again after a requeue ($SLURM_RESTART_COUNT)}"',
    `${relucert} solve "$dir/cube-$cube.json" --cert "$dir/cube-$cube.cert.json" --quiet${opts.engine !== undefined ? ` --engine ${opts.engine}` : ''}${opts.timeout !== undefined ? ` --timeout ${opts.timeout}` : ''}`,
    ...exitAnswer,
  ];
  const merge = [
    ...header('relucert-merge', join(roundDir, 'merge.out')),
    '#SBATCH --ntasks=1',
    `# relucert: merge the cube certificates of ${abs} (runs after the array, however its tasks ended).`,
    'set -u',
    `${relucert} merge ${sh(abs)} -o ${sh(certificate)}`,
    ...exitAnswer,
  ];
  writeFileAtomic(tasksFile, cubes.map((c) => `${c}\n`).join(''));
  const solveScript = join(roundDir, 'solve.sbatch');
  const mergeScript = join(roundDir, 'merge.sbatch');
  writeFileAtomic(solveScript, solve.join('\n'));
  writeFileAtomic(mergeScript, merge.join('\n'));
  return { round, roundDir, tasksFile, solveScript, mergeScript, certificate, cubes: [...cubes] };
}

/**
 * Makes the directory of the next round, DIR/slurm/round-R with R one more
 * than the highest round there. The directory is created exclusively, so two
 * resumes at the same time get two rounds, never one round's files twice.
 */
function newRoundDir(slurmDir: string): { round: number; roundDir: string } {
  mkdirSync(slurmDir, { recursive: true });
  for (;;) {
    const round =
      Math.max(
        0,
        ...readdirSync(slurmDir)
          .map((n) => /^round-(\d+)$/.exec(n)?.[1] ?? '0')
          .map(Number),
      ) + 1;
    const roundDir = join(slurmDir, `round-${round}`);
    try {
      mkdirSync(roundDir);
      return { round, roundDir };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/** Runs `sbatch --parsable ARGS`; returns the job id. Errors (no sbatch, a refusal) are InputErrors quoting sbatch. */
export function sbatch(args: readonly string[]): string {
  const r = spawnSync('sbatch', ['--parsable', ...args], { encoding: 'utf8' });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    throw new InputError(
      'sbatch',
      '',
      code === 'ENOENT' ? 'not found: is this a Slurm login node? (--dry-run only writes the scripts)' : `cannot run (${code ?? r.error.message})`,
    );
  }
  if (r.status !== 0)
    throw new InputError('sbatch', '', `refused ${args[args.length - 1]}: ${(r.stderr || r.stdout).trim().split('\n')[0] ?? `exit ${r.status}`}`);
  const id = r.stdout.trim().split(';')[0] ?? '';
  if (!/^\d+$/.test(id)) throw new InputError('sbatch', '', `unexpected answer ${JSON.stringify(r.stdout.trim())} (expected a job id)`);
  return id;
}
