/**
 * relucert nystrom INSTANCE --kernel poly:Q[:C] [--test FILE | --holdout FRAC] [--seed S]
 *   [--landmarks R] [--ridge X] [--cert FILE] [--plot FILE.svg] [--json]
 * The Goel & Klivans learner as a float64 baseline (src/learn/nystrom.ts): Nystrom kernel
 * ridge regression with the first r pivots of `relucert gram` on the training points as
 * landmarks, training and held-out error against r, beside the certified tail bound of the
 * training Gram matrix for the same landmarks. Exit 0, 2 bad input.
 */
import type { Command } from 'commander';
import { Q } from '../../core/rational.js';
import type { Instance } from '../../core/types.js';
import { InputError } from '../../format/errors.js';
import { readInstance } from '../../format/schema.js';
import { toFloat } from '../../interop/import.js';
import { COLOURS, lineChart } from '../../learn/chart.js';
import { type GramRun, certifyGram, decimalText } from '../../learn/gram.js';
import { GRAM_LIMITS, kernelText, parseKernel } from '../../learn/kernel.js';
import { fitNystrom, meanSquaredError, predictNystrom, signErrorRate } from '../../learn/nystrom.js';
import { SeededRandom } from '../../core/random.js';
import { nameOf } from '../../format/text.js';
import { EXIT, type Io, reportStream } from '../io.js';
import { outputTarget, shownAs, tryWrites, writeOutput } from '../../format/files.js';
import { parseExact, parseIntIn } from '../learn-options.js';

const CL = 'command line';

interface Split {
  train: Instance;
  test: Instance;
  testName: string;
}

/** Training and held-out parts: the --test instance, or a seeded random holdout of the instance. */
function splitOf(inst: Instance, file: string, o: { test?: string; holdout?: string; seed: string }): Split {
  if (o.test !== undefined) {
    if (o.holdout !== undefined) throw new InputError(CL, '--holdout', 'give --test or --holdout, not both');
    const test = readInstance(o.test);
    const d = inst.points[0]!.length;
    if (test.points[0]!.length !== d) throw new InputError(o.test, 'points', `dimension ${test.points[0]!.length}, but ${file} has dimension ${d}`);
    return { train: inst, test, testName: o.test };
  }
  const frac = parseExact(o.holdout ?? '1/4', '--holdout');
  if (frac.sign() <= 0 || frac.ge(Q.ONE)) throw new InputError(CL, '--holdout', `expected a fraction strictly between 0 and 1, got ${frac}`);
  const n = inst.points.length;
  const nTest = Math.round(n * frac.toNumber());
  if (nTest < 1 || n - nTest < 2)
    throw new InputError(file, 'points', `${n} points: too few to hold out ${frac} of them (need at least 1 held-out and 2 training points)`);
  const rng = new SeededRandom(parseIntIn(o.seed, '--seed', 0, 2 ** 31 - 1));
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Number(rng.below(BigInt(i + 1)));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const pick = (idx: number[], suffix: string): Instance => ({
    ...inst,
    name: inst.name + suffix,
    points: idx.map((i) => inst.points[i]!),
    labels: idx.map((i) => inst.labels[i]!),
  });
  const testIdx = order.slice(0, nTest).sort((a, b) => a - b);
  const trainIdx = order.slice(nTest).sort((a, b) => a - b);
  return { train: pick(trainIdx, '-train'), test: pick(testIdx, '-heldout'), testName: `${nTest} held-out points of ${file}` };
}

const floats = (xs: readonly (readonly Q[])[]): number[][] => xs.map((p) => p.map(toFloat));
const sci = (x: number): string => (x === 0 ? '0' : x.toExponential(3));

export function register(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('nystrom')
    .description(
      'float64 baseline: Nystrom kernel ridge regression (Goel & Klivans) with the pivots of relucert gram as landmarks; errors against r beside the certified tail bound',
    )
    .argument('<instance>', 'a relucert-instance/1 file (points and labels)')
    .requiredOption('--kernel <spec>', `poly:Q or poly:Q:C, the kernel (C + x.y)^Q (Q in 1..${GRAM_LIMITS.maxDegree})`)
    .option('--test <file>', 'held-out data: an instance of the same dimension (e.g. relucert teacher --test)')
    .option('--holdout <frac>', 'without --test: hold out this fraction of the points, chosen with --seed (default 1/4)')
    .option('--seed <s>', 'seed of the holdout split', '1')
    .option('--landmarks <r>', `largest number of landmarks (pivots) r (at most ${GRAM_LIMITS.maxPivots})`, '20')
    .option('--ridge <x>', 'relative ridge: lambda = x tr(K) / n', '1/1000000')
    .option('--cert <file>', 'write the gram certificate of the training points (checked first; "-": standard output)')
    .option('--plot <file>', 'write an SVG plot of the errors and the tail bound against r, each relative to r = 0 ("-": standard output)')
    .option('--json', 'print one JSON object on stdout')
    .action((file: string, o: NystromOptions) => done(nystromCommand(file, o, io)));
}

interface NystromOptions {
  kernel: string;
  test?: string;
  holdout?: string;
  seed: string;
  landmarks: string;
  ridge: string;
  cert?: string;
  plot?: string;
  json?: boolean;
}

/** float64 errors of one fit: mean squared errors, and sign error rates when every label is -1 or +1. */
interface Errors {
  trainMse: number;
  testMse: number;
  trainErrors?: number;
  testErrors?: number;
}

/** The command: options, the certified tails of the training points, the fits against r, the files, the report; returns the exit code. */
function nystromCommand(file: string, o: NystromOptions, io: Io): number {
  const kernel = parseKernel(o.kernel);
  const R = parseIntIn(o.landmarks, '--landmarks', 0, GRAM_LIMITS.maxPivots);
  const ridge = parseExact(o.ridge, '--ridge');
  if (ridge.sign() < 0) throw new InputError(CL, '--ridge', `must be >= 0, got ${ridge}`);
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
  const split = splitOf(inst, file, o);
  const run = certifyGram(split.train, kernel, { pivots: R, file });
  const errorsWith = fitter(split, kernel, ridge.toNumber());
  const rows = run.bounds.map((b) => ({ r: b.r, tailBound: decimalText(b.tail), ...errorsWith(run.elimination.pivots.slice(0, b.r)) }));
  const all = errorsWith(split.train.points.map((_, i) => i));
  const failed = tryWrites(() => {
    if (certTarget) writeOutput(certTarget, run.text, io);
    if (plotTarget)
      writeOutput(
        plotTarget,
        nystromPlot(
          split,
          kernelText(kernel),
          rows,
          run.bounds.map((b) => toFloat(b.tail)),
        ),
        io,
      );
  });
  if (o.json) {
    report.out(
      JSON.stringify({
        instance: inst.name,
        kernel: kernelText(kernel),
        train: split.train.points.length,
        test: split.test.points.length,
        heldOut: split.testName,
        ridge: ridge.toString(),
        float: true,
        rows,
        allLandmarks: all,
        statement: run.statement,
        ...(certTarget && !failed ? { certificate: shownAs(certTarget) } : {}),
        ...(failed ? { writeError: failed.message } : {}),
      }) + '\n',
    );
    if (failed) throw failed;
    return EXIT.ok;
  }
  report.out(
    `${nameOf(inst)}: Nystrom kernel ridge regression with ${kernelText(kernel)}, ridge ${ridge} tr(K)/n; ${split.train.points.length} training points, held out: ${split.testName} (${split.test.points.length})\n`,
  );
  report.out(
    `  errors: float64, NOT certified (a baseline); tail bound: certified for the training Gram matrix with the same landmarks (checked by the independent checker)\n`,
  );
  printTable(rows, all, run, report);
  if (certTarget && !failed) report.out(`  certificate: ${shownAs(certTarget)} (the training points' Gram matrix; checked: valid)\n`);
  if (plotTarget && !failed) report.out(`  plot: ${shownAs(plotTarget)}\n`);
  if (failed) {
    report.out('  files: NOT all written (below)\n');
    throw failed;
  }
  return EXIT.ok;
}

/** The float64 errors of a Nystrom fit with the given landmarks (indices of training points), on the training and held-out points. */
function fitter(split: Split, kernel: ReturnType<typeof parseKernel>, ridge: number): (landmarks: number[]) => Errors {
  const Xtr = floats(split.train.points);
  const ytr = split.train.labels.map(toFloat);
  const Xte = floats(split.test.points);
  const yte = split.test.labels.map(toFloat);
  const classify = [...split.train.labels, ...split.test.labels].every((y) => y.abs().eq(Q.ONE));
  return (landmarks) => {
    const fit = fitNystrom(Xtr, ytr, landmarks, kernel, ridge);
    const ptr = predictNystrom(fit, Xtr);
    const pte = predictNystrom(fit, Xte);
    return {
      trainMse: meanSquaredError(ptr, ytr),
      testMse: meanSquaredError(pte, yte),
      ...(classify ? { trainErrors: signErrorRate(ptr, ytr), testErrors: signErrorRate(pte, yte) } : {}),
    };
  };
}

/** The table: r, the certified tail, the float64 errors; then with every training point as a landmark. */
function printTable(rows: (Errors & { r: number })[], all: Errors, run: GramRun, report: Io): void {
  const classify = all.trainErrors !== undefined;
  const cls = classify ? `  ${'train sign err'.padEnd(15)} held-out sign err` : '';
  report.out(`  ${'r'.padStart(4)}  ${'sum_{i>r} lambda_i <='.padEnd(22)} ${'train MSE'.padEnd(11)} ${'held-out MSE'.padEnd(12)}${cls}\n`);
  const line = (r: string, tail: string, x: Errors): string =>
    (
      `  ${r.padStart(4)}  ${tail.padEnd(22)} ${sci(x.trainMse).padEnd(11)} ${sci(x.testMse).padEnd(12)}` +
      (x.trainErrors !== undefined ? `  ${pct(x.trainErrors).padEnd(15)} ${pct(x.testErrors!)}` : '')
    ).trimEnd() + '\n';
  for (const r of rows) report.out(line(String(r.r), sci(toFloat(run.bounds[r.r]!.tail)), r));
  report.out(line('all', '(every training point)', all));
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

function nystromPlot(split: Split, kernel: string, rows: Array<{ r: number; trainMse: number; testMse: number }>, tails: number[]): string {
  const base = (v: number | undefined): number => (v !== undefined && v > 0 ? v : 1);
  const t0 = base(tails[0]);
  const tr0 = base(rows[0]?.trainMse);
  const te0 = base(rows[0]?.testMse);
  return lineChart({
    title: `${split.train.name}: Nystrom ridge regression, ${kernel}`,
    subtitle: `${split.train.points.length} training, ${split.test.points.length} held-out points; solid: certified tail / tr(K); dashed: float64 MSE / MSE at r = 0`,
    xName: 'r (landmarks = first r pivots)',
    yName: 'relative to r = 0 (log scale)',
    logY: true,
    series: [
      { label: 'tail bound (certified)', colour: COLOURS.certified, points: rows.map((x) => [x.r, tails[x.r]! / t0]) },
      { label: 'train MSE (float64)', colour: COLOURS.numerical, dashed: true, points: rows.map((x) => [x.r, x.trainMse / tr0]) },
      { label: 'held-out MSE (float64)', colour: COLOURS.second, dashed: true, points: rows.map((x) => [x.r, x.testMse / te0]) },
    ],
  });
}
