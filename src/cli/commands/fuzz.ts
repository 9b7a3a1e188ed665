/**
 * relucert fuzz REDUCTION [--runs N] [--seed S] [--variant NAME] [--timeout SEC] [--out DIR] [--json]
 * relucert fuzz --list [--json]
 * Exit 0 every run agreed; 1 a disagreement (the shrunk counterexample is
 * printed and written to --out); 4 no disagreement but some target answered
 * unknown (never counted as agreement); 2 bad input.
 */
import type { Command } from 'commander';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../format/errors.js';
import { type FuzzReport, fuzzReduction } from '../../reduce/fuzz.js';
import { reductions } from '../../reduce/registry.js';
import { EXIT, type Io, outputDirectory, parsePositiveInt, parseSeconds, tryWrites, writeFileAtomic } from '../io.js';
import { resolveReduction } from './reduce.js';

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

function listing(): { reductions: unknown[] } {
  return {
    reductions: reductions.map((r) => ({
      name: r.name,
      sourceFormat: r.sourceFormat,
      summary: r.summary,
      reference: r.reference,
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
  if (!/^-?\d+$/.test(v) || Math.abs(Number(v)) >= 2 ** 31) throw new InputError('command line', '--seed', `expected an integer in (-2^31, 2^31), got ${JSON.stringify(v)}`);
  return Number(v);
}

function summaryLines(r: FuzzReport, outDir: string): string {
  const kind = r.kind === 'correct' ? 'the reduction as proved' : 'mutant';
  const head = `fuzz ${r.reduction}, variant ${r.variant} (${kind}), seed ${r.seed}${r.checkMaps ? '' : ', answers only (--no-maps)'}`;
  const counts = `source yes ${r.sourceYes}, no ${r.sourceNo}; witness map checked ${r.witnessChecked} times, back map ${r.backMapChecked} times`;
  const secs = `${(r.elapsedMs / 1000).toFixed(1)} s`;
  if (!r.counterexample) {
    const unk = r.unknown ? `; ${r.unknown} UNKNOWN (target timed out, not counted as agreement), first: ${JSON.stringify(r.firstUnknown)}` : '; 0 unknown';
    return `${head}\n  agreed ${r.agreed} of ${r.runs} runs (${counts})${unk}; ${secs}\n`;
  }
  const c = r.counterexample;
  const files = Object.keys(c.report.files).concat('report.json');
  return (
    `${head}\n  DISAGREEMENT at run ${r.runs} (fast-check path ${JSON.stringify(c.path)}, ${c.shrinks} shrink steps); ${secs}\n` +
    `  minimal counterexample: ${JSON.stringify(c.source)}\n` +
    `  failed check: ${c.report.failed}: ${c.report.detail}\n` +
    `  first found as: ${JSON.stringify(c.original)}\n` +
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

export function register(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('fuzz')
    .description('fuzz a reduction: random small sources, both sides decided exactly, all maps checked; exit 0 all agree, 1 counterexample, 4 some unknown')
    .argument('[reduction]', `the reduction (${reductions.map((r) => r.name).join(', ')})`)
    .option('--runs <n>', 'number of random sources', '100')
    .option('--seed <s>', 'fast-check seed (default: from the clock, and printed)')
    .option('--variant <name>', 'the variant to fuzz: correct, or a mutant (see --list)', 'correct')
    .option('--timeout <sec>', 'deadline for each target solve', '10')
    .option('--no-maps', 'compare only the yes/no answers of the two sides, not the solution maps')
    .option('--out <dir>', 'where to write a counterexample (default out/fuzz-REDUCTION/)')
    .option('--list', 'list the reductions and their variants (correct or mutant)')
    .option('--json', 'print one JSON object on stdout')
    .action(async (name: string | undefined, o: { runs: string; maps: boolean; seed?: string; variant: string; timeout: string; out?: string; list?: boolean; json?: boolean }) => {
      if (o.list) {
        const l = listing();
        if (o.json) io.out(JSON.stringify(l) + '\n');
        else
          for (const r of reductions) {
            io.out(`${r.name} (${r.sourceFormat}): ${r.summary}\n`);
            for (const v of r.variants) io.out(`  ${v.kind === 'correct' ? 'correct' : 'mutant '}  ${v.name}: ${v.description}\n`);
          }
        done(EXIT.ok);
        return;
      }
      if (name === undefined) throw new InputError('command line', 'REDUCTION', `missing (known: ${reductions.map((r) => r.name).join(', ')}; or use --list)`);
      const { red, variant } = resolveReduction(name, o.variant);
      const runs = parsePositiveInt(o.runs, '--runs')!;
      const timeout = parseSeconds(o.timeout, '--timeout')!;
      const seed = parseSeed(o.seed);
      const outDir = outputDirectory(o.out ?? join('out', `fuzz-${red.name}`), '--out');
      const step = Math.max(1, Math.floor(runs / 20));
      const rep = await fuzzReduction(red, {
        runs,
        seed,
        variant: variant.name,
        timeoutMs: timeout * 1000,
        checkMaps: o.maps,
        ...(io.progress && !o.json ? { onRun: (i: number) => (i % step === 0 ? io.err(`  ... ${i}/${runs} runs\n`) : undefined) } : {}),
      });
      const failed = rep.counterexample ? tryWrites(() => writeCounterexample(outDir, rep)) : undefined;
      if (o.json) {
        const c = rep.counterexample;
        io.out(JSON.stringify({ ...rep, ...(c ? { counterexample: { ...c, report: { ...c.report, files: Object.keys(c.report.files) } }, outDir } : {}) }) + '\n');
      } else io.out(summaryLines(rep, outDir));
      if (failed) throw failed;
      done(rep.counterexample ? EXIT.rejected : rep.unknown > 0 ? EXIT_INCONCLUSIVE : EXIT.ok);
    });
}
