/**
 * relucert gram INSTANCE --kernel poly:Q[:C] [--pivots R] [--decay [C:]P]
 *   [--cert FILE] [--plot FILE.svg] [--timeout SEC] [--json]
 * Certified upper bounds on the eigenvalue tails of the exact Gram matrix
 * (docs/learnability.md, docs/gram-certificates.md), beside float64
 * eigenvalues from ml-matrix. Exit 0 certified, 1 a claimed decay law does not
 * follow from the bounds (the certificate is written without it), 2 bad input.
 */
import type { Command } from 'commander';
import { DEFAULT_LIMITS } from '../../check/index.js';
import type { Q } from '../../core/rational.js';
import type { Instance } from '../../core/types.js';
import { readInstance } from '../../format/schema.js';
import { toFloat } from '../../interop/import.js';
import { COLOURS, lineChart } from '../../learn/chart.js';
import { type GramRun, certifyGram, decimalText } from '../../learn/gram.js';
import { GRAM_LIMITS, floatGram, kernelText, parseKernel } from '../../learn/kernel.js';
import { eigenvaluesDescending, tailSums } from '../../learn/spectrum.js';
import { nameOf } from '../../format/text.js';
import { EXIT, type Io, parseSeconds, reportStream } from '../io.js';
import { outputTarget, shownAs, tryWrites, writeOutput } from '../../format/files.js';
import { parseDecay, parseIntIn } from '../learn-options.js';

const sci = (x: number): string => (x === 0 ? '0' : x.toExponential(4));
const num = (x: number | null): string => (x === null ? '-' : sci(x));

/** Numerical eigenvalues are computed by default up to this many points (ml-matrix's dense eigensolver: about 5 s at 500). */
const NUMERIC_AUTO = 400;

export function register(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('gram')
    .description(
      "certify upper bounds on the eigenvalue tails of the exact Gram matrix of (C + x.y)^Q on an instance's points (exit 0; 1 when a claimed --decay does not follow)",
    )
    .argument('<instance>', 'a relucert-instance/1 file (its points are used; labels and architecture are not)')
    .requiredOption('--kernel <spec>', `poly:Q or poly:Q:C, the kernel (C + x.y)^Q with Q in 1..${GRAM_LIMITS.maxDegree} and C >= 0 (default C = 1)`)
    .option('--pivots <r>', `pivot on at most this many points (at most n - 1 and ${GRAM_LIMITS.maxPivots})`, '20')
    .option('--decay <spec>', 'also certify lambda_i <= C i^(-P) for every i: C:P, or P alone to find the least C (3 significant digits)')
    .option('--cert <file>', 'write the relucert-gram-certificate/1 here (checked by the independent checker first; "-": standard output)')
    .option('--plot <file>', 'write an SVG plot: certified bounds and float64 eigenvalues against r ("-": standard output)')
    .option('--numeric', `compute the float64 eigenvalues also when n > ${NUMERIC_AUTO} (slow: O(n^3))`)
    .option('--timeout <sec>', 'stop taking pivots after this many seconds and certify the bounds found so far')
    .option('--json', 'print one JSON object on stdout')
    .action((file: string, o: GramOptions) => done(gramCommand(file, o, io)));
}

interface GramOptions {
  kernel: string;
  pivots: string;
  decay?: string;
  cert?: string;
  plot?: string;
  timeout?: string;
  numeric?: boolean;
  json?: boolean;
}

/** One row of the table: certified bounds beside the float64 values at r pivots. */
interface GramRow {
  r: number;
  tailBound: string;
  tailNumerical: number | null;
  nextBound: string;
  nextNumerical: number | null;
}

/** The command: options, the certified run (learn/gram.ts certifyGram), the files, the report; returns the exit code. */
function gramCommand(file: string, o: GramOptions, io: Io): number {
  const kernel = parseKernel(o.kernel);
  const pivots = parseIntIn(o.pivots, '--pivots', 0, GRAM_LIMITS.maxPivots);
  const decay = o.decay !== undefined ? parseDecay(o.decay) : undefined;
  const timeout = parseSeconds(o.timeout, '--timeout');
  const report = reportStream(
    io,
    [
      ['--cert', o.cert],
      ['--plot', o.plot],
    ],
    o.json === true,
  );
  const certTarget = o.cert !== undefined ? outputTarget(o.cert) : undefined;
  const plotTarget = o.plot !== undefined ? outputTarget(o.plot) : undefined;
  const inst = readInstance(file);
  const run = certifyGram(inst, kernel, {
    pivots,
    file,
    ...(decay ? { decay } : {}),
    ...(timeout !== undefined ? { deadline: Date.now() + timeout * 1000 } : {}),
  });
  const n = inst.points.length;
  const numeric = o.numeric === true || n <= NUMERIC_AUTO;
  const xs = floatPoints(inst.points);
  const eigs = numeric ? eigenvaluesDescending(floatGram(xs, xs, kernel)) : undefined;
  const tails = eigs ? tailSums(eigs) : undefined;
  const rows: GramRow[] = run.bounds.map((b) => ({
    r: b.r,
    tailBound: decimalText(b.tail),
    tailNumerical: tails ? tails[b.r]! : null,
    nextBound: decimalText(b.next),
    nextNumerical: eigs ? (eigs[b.r] ?? 0) : null,
  }));
  const failed = tryWrites(() => {
    if (certTarget) writeOutput(certTarget, run.text, io);
    if (plotTarget) writeOutput(plotTarget, gramPlot(inst.name, kernelText(kernel), n, run, tails, eigs), io);
  });
  const shown = { certificate: certTarget && !failed ? shownAs(certTarget) : undefined, plot: plotTarget && !failed ? shownAs(plotTarget) : undefined };
  if (o.json) printGramJson(inst, kernelText(kernel), run, rows, shown, failed?.message, report);
  else printGramText(inst, kernelText(kernel), run, rows, numeric, shown, report);
  if (failed) {
    if (!o.json) report.out('  files: NOT all written (below)\n');
    throw failed;
  }
  return run.decayFailure ? EXIT.notWithinBound : EXIT.ok;
}

/** The files written, as the report names them (absent: not asked for, or not written). */
interface GramFiles {
  certificate: string | undefined;
  plot: string | undefined;
}

/** gram --json: one JSON object. */
function printGramJson(inst: Instance, kernel: string, run: GramRun, rows: GramRow[], files: GramFiles, writeError: string | undefined, report: Io): void {
  report.out(
    JSON.stringify({
      instance: inst.name,
      kernel,
      points: inst.points.length,
      dimension: inst.points[0]!.length,
      entryDigits: run.gram.entryDigits,
      pivots: run.elimination.pivots,
      stoppedBy: run.elimination.stoppedBy,
      rows,
      ...(run.decay ? { decay: { c: decimalText(run.decay.c), p: run.decay.p.toString(), certified: true } } : {}),
      ...(run.decayFailure
        ? {
            decay: {
              c: decimalText(run.decayFailure.law.c),
              p: run.decayFailure.law.p.toString(),
              certified: false,
              failsAt: run.decayFailure.index,
              leastC: decimalText(run.decayFailure.leastC),
            },
          }
        : {}),
      statement: run.statement,
      ...(files.certificate !== undefined ? { certificate: files.certificate } : {}),
      ...(files.plot !== undefined ? { plot: files.plot } : {}),
      ...(writeError !== undefined ? { writeError } : {}),
    }) + '\n',
  );
}

/** The certified tails for people: the matrix, the pivots, the table of bounds beside float64, the decay law, the files. */
function printGramText(inst: Instance, kernel: string, run: GramRun, rows: GramRow[], numeric: boolean, files: GramFiles, report: Io): void {
  const n = inst.points.length;
  const R = run.elimination.pivots.length;
  report.out(
    `${nameOf(inst)}: Gram matrix of ${kernel} on ${n} point${n === 1 ? '' : 's'} in dimension ${inst.points[0]!.length} (exact integer entries of up to ${run.gram.entryDigits} digits)\n`,
  );
  report.out(`  ${R} pivot${R === 1 ? '' : 's'} (greedy pivoted Cholesky, exact); ${stopText(run)}\n`);
  report.out(
    `  certified: exact, checked by the independent checker; numerical: ${numeric ? 'float64 eigenvalues (ml-matrix), for comparison only' : `not computed (n > ${NUMERIC_AUTO}: --numeric computes them, in O(n^3) float64 work)`}\n`,
  );
  report.out(`  ${'r'.padStart(4)}  ${'sum_{i>r} lambda_i <='.padEnd(22)} ${'numerical'.padEnd(12)} ${'lambda_{r+1} <='.padEnd(16)} numerical\n`);
  for (const row of rows)
    report.out(
      `  ${String(row.r).padStart(4)}  ${sci(toFloat(run.bounds[row.r]!.tail)).padEnd(22)} ${num(row.tailNumerical).padEnd(12)} ${sci(toFloat(run.bounds[row.r]!.next)).padEnd(16)} ${num(row.nextNumerical)}\n`,
    );
  if (run.decay) report.out(`  decay: lambda_i <= ${decimalText(run.decay.c)} i^(-${run.decay.p}) for every i = 1..${n} (certified)\n`);
  if (run.decayFailure) {
    const f = run.decayFailure;
    report.out(
      `  decay: lambda_i <= ${decimalText(f.law.c)} i^(-${f.law.p}) does NOT follow from these bounds (first at i = ${f.index}); the least c they certify for p = ${f.law.p} is ${decimalText(f.leastC)}\n`,
    );
  }
  if (files.certificate !== undefined)
    report.out(`  certificate: ${files.certificate} (checked by the independent checker: valid${run.decayFailure ? '; without the decay law' : ''})\n`);
  if (files.certificate !== undefined && run.checkWork > DEFAULT_LIMITS.work)
    report.out(`  note: its check takes ${run.checkWork} units of work, more than relucert check's default limit: check it with --max-work ${run.checkWork}\n`);
  if (files.plot !== undefined) report.out(`  plot: ${files.plot}\n`);
}

function floatPoints(points: readonly (readonly Q[])[]): number[][] {
  return points.map((p) => p.map(toFloat));
}

function stopText(run: GramRun): string {
  const R = run.elimination.pivots.length;
  switch (run.elimination.stoppedBy) {
    case 'rank':
      return `the Schur complement is 0 after ${R} pivots: rank(K) = ${R}, every further eigenvalue is 0`;
    case 'deadline':
      return `stopped at the --timeout after ${R} pivots (the bounds found so far are certified)`;
    case 'pivot limit':
      return `stopped at the pivot limit`;
  }
}

/** Certified bounds (solid) against float64 values (dashed), log scale, against r. */
function gramPlot(name: string, kernel: string, n: number, run: GramRun, tails: number[] | undefined, eigs: number[] | undefined): string {
  // zeros (rank reached) and float64 round-off are drawn at the floor: 1/100 of the smallest positive certified bound
  const positive = run.bounds.flatMap((x) => [toFloat(x.tail), toFloat(x.next)]).filter((v) => v > 0);
  const floor = Math.max(Math.min(...positive, Infinity) / 100, (eigs?.[0] ?? 1) * 1e-13, 1e-300);
  const b = run.bounds;
  return lineChart({
    title: `${name}: eigenvalue tails of the Gram matrix of ${kernel}`,
    subtitle: `${n} points; solid: certified upper bounds (exact); dashed: float64; 0 and round-off drawn at the bottom`,
    xName: 'r (number of pivots / Nystrom landmarks)',
    yName: 'eigenvalue sums (log scale)',
    logY: true,
    floor,
    series: [
      { label: 'tail bound (certified)', colour: COLOURS.certified, points: b.map((x) => [x.r, toFloat(x.tail)]) },
      ...(tails ? [{ label: 'tail (float64)', colour: COLOURS.certified, dashed: true, points: b.map((x): [number, number] => [x.r, tails[x.r]!]) }] : []),
      { label: 'lambda_r+1 bound (certified)', colour: COLOURS.second, points: b.map((x) => [x.r, toFloat(x.next)]) },
      ...(eigs ? [{ label: 'lambda_r+1 (float64)', colour: COLOURS.second, dashed: true, points: b.map((x): [number, number] => [x.r, eigs[x.r] ?? 0]) }] : []),
    ],
  });
}
