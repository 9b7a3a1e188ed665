/**
 * relucert fuzz REDUCTION|PLUGIN [--runs N] [--seed S] [--variant NAME] [--timeout SEC] [--out DIR] [--json]
 * relucert fuzz REDUCTION|PLUGIN --exhaustive --max-size S [--variant NAME] [--timeout SEC] [--out DIR] [--json]
 * relucert fuzz --list [PLUGIN] [--json]
 * Exit 0 every run agreed; 1 a disagreement (the counterexample, shrunk or
 * smallest, is printed and written to --out); 4 no disagreement but some
 * target answered unknown (never counted as agreement); 2 bad input,
 * including a plugin that does not load, has the wrong shape, or whose
 * member throws or returns a value of the wrong shape.
 */
import type { Command } from 'commander';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../format/errors.js';
import { type FuzzReport, fuzzExhaustive, fuzzReduction } from '../../reduce/fuzz.js';
import type { AnyReduction } from '../../reduce/reduction.js';
import { reductions, resolveReduction } from '../../reduce/registry.js';
import { EXIT, type Io, parsePositiveInt, parseSeconds } from '../io.js';
import { outputDirectory, tryWrites, writeFileAtomic } from '../../format/files.js';
import { REDUCTION_ARGUMENT, resolveVariant } from './reduce.js';

/** Some target answered unknown (deadline) and nothing disagreed. */
export const EXIT_INCONCLUSIVE = 4;

const ARTEFACTS = [
  'source.json',
  'source-solution.json',
  'instance.json',
  'target-certificate.json',
  'target-network.json',
  'witness-certificate.json',
  'back-mapped-solution.json',
  'report.json',
];

function listing(list: AnyReduction[]): { reductions: unknown[] } {
  return {
    reductions: list.map((r) => ({
      name: r.name,
      origin: r.origin,
      sourceFormat: r.sourceFormat,
      summary: r.summary,
      reference: r.reference,
      ...(r.exhaustive ? { size: r.exhaustive.size } : {}),
      variants: r.variants.map((v) => ({
        name: v.name,
        kind: v.kind,
        description: v.description,
        maps: [...(v.witness ? ['witness'] : []), ...(v.solutionFromWitness ? ['back-map'] : [])],
      })),
    })),
  };
}

function parseSeed(v: string | undefined): number {
  if (v === undefined) return Date.now() % 2 ** 31;
  if (!/^-?\d+$/.test(v) || Math.abs(Number(v)) >= 2 ** 31)
    throw new InputError('command line', '--seed', `expected an integer in (-2^31, 2^31), got ${JSON.stringify(v)}`);
  return Number(v);
}

const pct = (k: number, n: number): string => `${n ? Math.round((100 * k) / n) : 0}%`;

/** The yes/no balance of the sources, and a warning when one side is barely tested. */
function balance(r: FuzzReport): string {
  const decided = r.sourceYes + r.sourceNo;
  const line = `source yes ${r.sourceYes} (${pct(r.sourceYes, decided)}), no ${r.sourceNo} (${pct(r.sourceNo, decided)})`;
  const few = r.sourceYes < r.sourceNo ? 'yes' : 'no';
  const share = Math.min(r.sourceYes, r.sourceNo) / Math.max(1, decided);
  return decided >= 20 && share < 0.1 ? `${line} [warning: few '${few}' sources; that side of the reduction is barely tested]` : line;
}

function summaryLines(r: FuzzReport, outDir: string): string {
  const kind = r.kind === 'correct' ? 'the reduction as proved' : 'mutant';
  const how = r.mode === 'exhaustive' ? `exhaustive up to size ${r.maxSize} (size = ${r.sizeMeasure})` : `seed ${r.seed}`;
  const head = `fuzz ${r.reduction}, variant ${r.variant} (${kind}), ${how}${r.checkMaps ? '' : ', answers only (--no-maps)'}`;
  const counts = `${balance(r)}; witness map checked ${r.witnessChecked} times, back map ${r.backMapChecked} times`;
  const secs = `${(r.elapsedMs / 1000).toFixed(1)} s`;
  const sizes = (r.bySize ?? [])
    .filter((t) => t.sources + t.skipped > 0)
    .map(
      (t) =>
        `  size ${t.size}: ${t.sources} source${t.sources === 1 ? '' : 's'} (${t.yes} yes, ${t.no} no${t.unknown ? `, ${t.unknown} unknown` : ''})${t.skipped ? `, ${t.skipped} isomorphic copies skipped` : ''}\n`,
    )
    .join('');
  if (!r.counterexample) {
    const unk = r.unknown ? `; ${r.unknown} UNKNOWN (target timed out, not counted as agreement), first: ${JSON.stringify(r.firstUnknown)}` : '; 0 unknown';
    return `${head}\n${sizes}  agreed ${r.agreed} of ${r.runs} ${r.mode === 'exhaustive' ? 'sources' : 'runs'} (${counts})${unk}; ${secs}\n`;
  }
  const c = r.counterexample;
  const files = Object.keys(c.report.files).concat('report.json');
  const where =
    r.mode === 'exhaustive'
      ? `DISAGREEMENT at size ${c.size}, source ${r.runs} (every smaller source agreed); ${secs}\n  smallest counterexample: ${JSON.stringify(c.source)}\n`
      : `DISAGREEMENT at run ${r.runs} (fast-check path ${JSON.stringify(c.path)}, ${c.shrinks} shrink steps); ${secs}\n  minimal counterexample: ${JSON.stringify(c.source)}\n`;
  return (
    `${head}\n${sizes}  ${where}` +
    `  failed check: ${c.report.failed}: ${c.report.detail}\n` +
    (r.mode === 'random' ? `  first found as: ${JSON.stringify(c.original)}\n` : '') +
    `  so far: ${counts}\n` +
    `  files in ${outDir}: ${files.join(' ')}\n`
  );
}

function writeCounterexample(dir: string, r: FuzzReport): void {
  const c = r.counterexample!;
  for (const f of ARTEFACTS) rmSync(join(dir, f), { force: true });
  for (const [name, text] of Object.entries(c.report.files)) writeFileAtomic(join(dir, name), text);
  const { files: _files, ...report } = c.report;
  writeFileAtomic(join(dir, 'report.json'), JSON.stringify({ ...r, counterexample: { ...c, report } }, null, 2) + '\n');
}

interface FuzzFlags {
  runs?: string;
  maps: boolean;
  seed?: string;
  variant: string;
  timeout: string;
  out?: string;
  list?: boolean;
  json?: boolean;
  exhaustive?: boolean;
  maxSize?: string;
}

export function register(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('fuzz')
    .description(
      'fuzz a reduction (built-in or plugin): random or all small sources, both sides decided exactly, all maps checked; exit 0 all agree, 1 counterexample, 4 some unknown',
    )
    .argument('[reduction]', REDUCTION_ARGUMENT)
    .option('--runs <n>', 'number of random sources (default 100)')
    .option('--seed <s>', 'fast-check seed (default: from the clock, and printed)')
    .option('--exhaustive', 'check every source of size 0, 1, ..., --max-size instead of random ones (smallest counterexample first)')
    .option('--max-size <s>', 'with --exhaustive: the largest source size (see --list for what size means)')
    .option('--variant <name>', 'the variant to fuzz: correct, or a mutant (see --list)', 'correct')
    .option('--timeout <sec>', 'deadline for each target solve', '10')
    .option('--no-maps', 'compare only the yes/no answers of the two sides, not the solution maps')
    .option('--out <dir>', 'where to write a counterexample (default out/fuzz-REDUCTION/)')
    .option('--list', "list the reductions and their variants (correct or mutant); with a plugin file, that plugin's")
    .option('--json', 'print one JSON object on stdout')
    .action(async (name: string | undefined, o: FuzzFlags) => {
      if (o.list) {
        const list = name === undefined ? reductions : [await resolveReduction(name)];
        if (o.json) io.out(JSON.stringify(listing(list)) + '\n');
        else
          for (const r of list) {
            io.out(`${r.name} (${r.sourceFormat}${r.origin === 'built-in' ? '' : `, from ${r.origin}`}): ${r.summary}\n`);
            if (r.exhaustive) io.out(`  size (--exhaustive): ${r.exhaustive.size}\n`);
            for (const v of r.variants) io.out(`  ${v.kind === 'correct' ? 'correct' : 'mutant '}  ${v.name}: ${v.description}\n`);
          }
        done(EXIT.ok);
        return;
      }
      if (name === undefined)
        throw new InputError('command line', 'REDUCTION', `missing (known: ${reductions.map((r) => r.name).join(', ')}, or a plugin file; or use --list)`);
      if (o.exhaustive && (o.runs !== undefined || o.seed !== undefined))
        throw new InputError('command line', '--exhaustive', '--runs and --seed are for random sources; --exhaustive checks every source up to --max-size');
      if (o.exhaustive && o.maxSize === undefined) throw new InputError('command line', '--max-size', 'missing: --exhaustive needs the largest source size');
      if (!o.exhaustive && o.maxSize !== undefined) throw new InputError('command line', '--max-size', 'only with --exhaustive');
      const runs = parsePositiveInt(o.runs ?? '100', '--runs')!;
      const maxSize = parsePositiveInt(o.maxSize, '--max-size');
      const timeout = parseSeconds(o.timeout, '--timeout')!;
      const seed = parseSeed(o.seed);
      const { red, variant } = await resolveVariant(name, o.variant);
      if (o.exhaustive && !red.exhaustive)
        throw new InputError(
          red.origin === 'built-in' ? 'command line' : red.origin,
          'exhaustive',
          `${red.name} declares no enumeration of its sources (see docs/reductions.md, "Bounded-exhaustive fuzzing")`,
        );
      // a plugin's name may hold anything: only safe characters go into the default folder name
      const outDir = outputDirectory(o.out ?? join('out', `fuzz-${red.name.replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^\.+/, '')}`), '--out');
      const progress = io.progress && !o.json;
      const step = Math.max(1, Math.floor(runs / 20));
      const common = { variant: variant.name, timeoutMs: timeout * 1000, checkMaps: o.maps };
      const rep =
        maxSize !== undefined
          ? await fuzzExhaustive(red, {
              ...common,
              maxSize,
              ...(progress ? { onSize: (t) => io.err(`  ... size ${t.size}: ${t.sources} sources\n`) } : {}),
            })
          : await fuzzReduction(red, {
              ...common,
              runs,
              seed,
              ...(progress ? { onRun: (i: number) => (i % step === 0 ? io.err(`  ... ${i}/${runs} runs\n`) : undefined) } : {}),
            });
      const failed = rep.counterexample ? tryWrites(() => writeCounterexample(outDir, rep)) : undefined;
      if (o.json) {
        const c = rep.counterexample;
        io.out(
          JSON.stringify({ ...rep, ...(c ? { counterexample: { ...c, report: { ...c.report, files: Object.keys(c.report.files) } }, outDir } : {}) }) + '\n',
        );
      } else io.out(summaryLines(rep, outDir));
      if (failed) throw failed;
      done(rep.counterexample ? EXIT.rejected : rep.unknown > 0 ? EXIT_INCONCLUSIVE : EXIT.ok);
    });
}
