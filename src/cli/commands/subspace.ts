/**
 * relucert subspace INSTANCE [--teacher NET] [--dim k] [--permutations P] [--seed S]
 *   [--sizes N1,N2,...] [--plot FILE.svg] [--json]
 * Filtered PCA (Chen, Klivans & Meka 2021; src/learn/subspace.ts): the span of the first
 * layer's weights estimated from the data, the recovered dimension, and with the teacher the
 * principal angles to the true span, also against the number of samples N. A float64
 * experiment, not a certificate. Exit 0, 2 bad input.
 */
import type { Command } from 'commander';
import type { Instance } from '../../core/types.js';
import { InputError } from '../../format/errors.js';
import { readInstance, readNetwork } from '../../format/schema.js';
import { toFloat } from '../../interop/import.js';
import { COLOURS, lineChart } from '../../learn/chart.js';
import { type FilteredPcaResult, SUBSPACE_LIMITS, filteredPca, principalAngles, rowSpaceBasis } from '../../learn/subspace.js';
import { nameOf } from '../../format/text.js';
import { EXIT, type Io, reportStream } from '../io.js';
import { outputTarget, shownAs, tryWrites, writeOutput } from '../../format/files.js';
import { parseIntIn } from '../learn-options.js';

const CL = 'command line';

interface SubspaceOptions {
  teacher?: string;
  dim?: string;
  permutations: string;
  seed: string;
  sizes?: string;
  plot?: string;
  json?: boolean;
}

const fmt = (x: number): string => x.toExponential(2);
const deg = (x: number): string => x.toFixed(1);

export function register(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('subspace')
    .description(
      "float64 experiment: filtered PCA (Chen, Klivans & Meka) estimates the span of the first layer's weights; with --teacher, principal angles to the true span",
    )
    .argument('<instance>', 'a relucert-instance/1 file, inputs assumed ~ N(0, I) (e.g. from relucert teacher)')
    .option('--teacher <file>', "the teacher network (relucert-network/1): compare with the span of its first layer's weights")
    .option('--dim <k>', 'use k directions instead of the dimension the permutation test recovers')
    .option('--permutations <P>', 'label permutations for the noise threshold (0..100)', '10')
    .option('--seed <s>', 'seed of the permutations', '1')
    .option('--sizes <list>', 'with --teacher: sample sizes N1,N2,... (first N points) for the angle against N (default N/8, N/4, N/2, N)')
    .option('--plot <file>', 'with --teacher: write an SVG plot of the largest principal angle against N ("-": standard output)')
    .option('--json', 'print one JSON object on stdout')
    .action((file: string, o: SubspaceOptions) => done(subspaceCommand(file, o, io)));
}

/** The teacher's first-layer span: an orthonormal basis, its dimension, the number of units. */
interface Truth {
  basis: number[][];
  rank: number;
  units: number;
}

/** The largest principal angle to the teacher's span against the number of samples N. */
type Curve = Array<{ n: number; largest: number; recovered: number }>;

/** The command: options, filtered PCA, the comparison with the teacher, the plot, the report; returns the exit code. */
function subspaceCommand(file: string, o: SubspaceOptions, io: Io): number {
  const permutations = parseIntIn(o.permutations, '--permutations', 0, 100);
  const seed = parseIntIn(o.seed, '--seed', 0, 2 ** 31 - 1);
  const report = reportStream(io, [['--plot', o.plot]], o.json === true);
  const plotTarget = o.plot !== undefined ? outputTarget(o.plot) : undefined;
  const inst = readInstance(file);
  const N = inst.points.length;
  const D = inst.points[0]!.length;
  if (D > SUBSPACE_LIMITS.maxDim) throw new InputError(file, 'points', `dimension ${D}; relucert subspace takes at most ${SUBSPACE_LIMITS.maxDim}`);
  const dim = o.dim === undefined ? undefined : parseIntIn(o.dim, '--dim', 1, D);
  if (N * D * D * (1 + permutations) > SUBSPACE_LIMITS.maxWork)
    throw new InputError(
      CL,
      '--permutations',
      `N D^2 (1 + P) = ${N * D * D * (1 + permutations)} exceeds ${SUBSPACE_LIMITS.maxWork.toExponential()}: use fewer permutations or fewer points`,
    );
  if (o.plot !== undefined && o.teacher === undefined) throw new InputError(CL, '--plot', 'needs --teacher (the plot shows angles to the true span)');
  if (o.sizes !== undefined && o.teacher === undefined) throw new InputError(CL, '--sizes', 'needs --teacher (angles to the true span)');
  const X = inst.points.map((p) => p.map(toFloat));
  const y = inst.labels.map(toFloat);
  const opts = { permutations, seed, ...(dim !== undefined ? { dim } : {}) };
  const result = filteredPca(X, y, opts);
  const truth = o.teacher !== undefined ? teacherSpan(o.teacher, D, file) : undefined;
  const angles = truth ? principalAngles(truth.basis, result.basis) : undefined;
  let curve: Curve | undefined;
  if (truth) {
    const sizes = o.sizes === undefined ? [8, 4, 2, 1].map((f) => Math.floor(N / f)).filter((n) => n > D) : parseSizes(o.sizes, N);
    curve = sizes.map((n) => {
      const r = filteredPca(X.slice(0, n), y.slice(0, n), { ...opts, dim: truth.rank });
      const a = principalAngles(truth.basis, r.basis);
      return { n, largest: a[a.length - 1] ?? 90, recovered: r.recovered };
    });
  }
  const plotted = curve && truth && plotTarget ? { target: plotTarget, svg: anglePlot(inst.name, D, truth.rank, curve) } : undefined;
  const failed = plotted ? tryWrites(() => writeOutput(plotted.target, plotted.svg, io)) : undefined;
  if (o.json) {
    report.out(
      JSON.stringify({
        instance: inst.name,
        experiment: 'filtered PCA, float64, not a certificate',
        points: N,
        dimension: D,
        filters: result.filters,
        eigenvalues: result.eigenvalues,
        nullThreshold: result.nullThreshold,
        recovered: result.recovered,
        used: result.dimension,
        ...(truth ? { teacherRank: truth.rank, angles, curve } : {}),
        ...(plotted && !failed ? { plot: shownAs(plotted.target) } : {}),
        ...(failed ? { writeError: failed.message } : {}),
      }) + '\n',
    );
    if (failed) throw failed;
    return EXIT.ok;
  }
  printText(inst, result, { permutations, dim, truth, angles, curve }, report);
  if (plotted && !failed) report.out(`  plot: ${shownAs(plotted.target)}\n`);
  if (failed) {
    report.out('  plot: NOT written (below)\n');
    throw failed;
  }
  return EXIT.ok;
}

/** The span of the teacher network's first-layer weights; InputError when its inputs are not the instance's dimension. */
function teacherSpan(teacher: string, D: number, file: string): Truth {
  const net = readNetwork(teacher);
  const W = net.layers[0]!.weights;
  if (W[0]!.length !== D) throw new InputError(teacher, 'layers[0].weights', `rows have ${W[0]!.length} entries, ${file} has dimension ${D}`);
  const basis = rowSpaceBasis(W.map((r) => r.map(toFloat)));
  return { basis, rank: basis[0]?.length ?? 0, units: W.length };
}

/** The experiment for people: filters, eigenvalues, the noise threshold, the recovered dimension, and the comparison with the teacher. */
function printText(
  inst: Instance,
  result: FilteredPcaResult,
  c: { permutations: number; dim: number | undefined; truth: Truth | undefined; angles: number[] | undefined; curve: Curve | undefined },
  report: Io,
): void {
  const N = inst.points.length;
  const D = inst.points[0]!.length;
  report.out(`${nameOf(inst)}: filtered PCA (Chen, Klivans & Meka 2021) on ${N} points in dimension ${D}\n`);
  report.out(`  an EXPERIMENT in float64, not a certificate: it assumes x ~ N(0, I), which relucert does not check\n`);
  report.out(`  filters g: ${result.filters.join(', ') || '(none: the labels are constant)'}; S = sum_g M_g^2, M_g = mean of g(y) (x x^T - I)\n`);
  report.out(`  eigenvalues of S: ${result.eigenvalues.slice(0, 10).map(fmt).join(' ')}${D > 10 ? ' ...' : ''}\n`);
  report.out(
    `  noise threshold (largest top eigenvalue over ${c.permutations} label permutation${c.permutations === 1 ? '' : 's'}): ${fmt(result.nullThreshold)}\n`,
  );
  report.out(`  recovered dimension: ${result.recovered}${c.dim !== undefined ? ` (using --dim ${c.dim})` : ''}\n`);
  const { truth, angles, curve } = c;
  if (!truth || !angles || !curve) return;
  report.out(`  teacher: first layer ${truth.units} x ${D}, its weights span dimension ${truth.rank}\n`);
  report.out(
    `  principal angles to that span (degrees): ${angles.map(deg).join(' ') || '(none)'}${result.dimension < truth.rank ? ` (${truth.rank - result.dimension} direction${truth.rank - result.dimension === 1 ? '' : 's'} not recovered)` : ''}\n`,
  );
  report.out(`  against N (first N points, ${truth.rank} directions):\n`);
  report.out(`  ${'N'.padStart(7)}  ${'largest angle'.padEnd(14)} recovered dimension\n`);
  for (const x of curve) report.out(`  ${String(x.n).padStart(7)}  ${deg(x.largest).padEnd(14)} ${x.recovered}\n`);
}

function parseSizes(spec: string, N: number): number[] {
  return spec.split(',').map((t) => parseIntIn(t.trim(), '--sizes', 2, N));
}

function anglePlot(name: string, D: number, rank: number, curve: Array<{ n: number; largest: number }>): string {
  return lineChart({
    title: `${name}: filtered PCA against the teacher`,
    subtitle: `d = ${D}, teacher span of dimension ${rank}, estimated from the first N points; float64 experiment, not a certificate`,
    xName: 'N (samples, log scale)',
    yName: 'largest principal angle (degrees)',
    logX: true,
    series: [{ label: 'largest angle', colour: COLOURS.second, dashed: true, points: curve.map((c) => [c.n, c.largest]) }],
  });
}
