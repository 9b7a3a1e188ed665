/**
 * The fuzzer's measured power (docs/reductions.md, "Measured power"): for every
 * shipped reduction (the built-ins and the plugins in examples/reductions/)
 * and every variant,
 *   - random mode: at each of the seeds 1..S, at most R runs: the run at which
 *     the first disagreement appeared, or "-" when all R agreed;
 *   - exhaustive mode: the smallest size at which a disagreement appears
 *     (every source up to that size checked), up to a per-reduction cap.
 * For a mutant, every seed should catch it, and the exhaustive mode should;
 * for the correct variant, nothing should disagree anywhere.
 *
 *   npx tsx scripts/mutant-power.ts [--seeds 10] [--runs 200] [--timeout 20] [--write]
 *
 * Prints the markdown table; --write also replaces the table between the
 * markers <!-- mutant-power:begin --> and <!-- mutant-power:end --> in
 * docs/reductions.md. Exit 1 if a mutant escapes a seed or the exhaustive mode,
 * or if a correct variant disagrees or answers unknown anywhere.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { defaultEngine } from '../src/engines/index.js';
import { type FuzzReport, fuzzExhaustive, fuzzReduction } from '../src/reduce/fuzz.js';
import { loadReductionPlugin } from '../src/reduce/plugin.js';
import type { AnyReduction } from '../src/reduce/reduction.js';
import { reductions } from '../src/reduce/registry.js';

const { values: args } = parseArgs({
  options: {
    seeds: { type: 'string', default: '10' },
    runs: { type: 'string', default: '200' },
    timeout: { type: 'string', default: '20' },
    write: { type: 'boolean', default: false },
  },
});
const SEEDS = Number(args.seeds);
const RUNS = Number(args.runs);
const TIMEOUT_MS = Number(args.timeout) * 1000;
const DOC = 'docs/reductions.md';
const PLUGINS = ['examples/reductions/polygon-separability.mjs', 'examples/reductions/linear-separability.ts'];
/** The largest size the exhaustive mode tries, per reduction (the enumerations grow fast). */
const MAX_SIZE: Record<string, number> = { 'set-splitting': 10, 'two-hyperplane': 7, 'single-relu': 6, 'polygon-separability': 7, 'linear-separability': 8 };

interface Row {
  reduction: string;
  variant: string;
  kind: 'correct' | 'mutant';
  /** Per seed: the run of the first disagreement, or undefined. */
  caughtAt: (number | undefined)[];
  checks: Set<string>;
  unknown: number;
  randomMs: number;
  exhaustive: FuzzReport;
}

async function measure(red: AnyReduction, variant: AnyReduction['variants'][number]): Promise<Row> {
  const row: Row = {
    reduction: red.name,
    variant: variant.name,
    kind: variant.kind,
    caughtAt: [],
    checks: new Set(),
    unknown: 0,
    randomMs: 0,
    exhaustive: undefined as unknown as FuzzReport,
  };
  for (let seed = 1; seed <= SEEDS; seed++) {
    const r = await fuzzReduction(red, { runs: RUNS, seed, variant: variant.name, timeoutMs: TIMEOUT_MS });
    row.caughtAt.push(r.counterexample ? r.runs : undefined);
    if (r.counterexample?.report.failed) row.checks.add(r.counterexample.report.failed);
    row.unknown += r.unknown;
    row.randomMs += r.elapsedMs;
  }
  row.exhaustive = await fuzzExhaustive(red, { maxSize: MAX_SIZE[red.name] ?? 6, variant: variant.name, timeoutMs: TIMEOUT_MS });
  row.unknown += row.exhaustive.unknown;
  process.stderr.write(
    `${red.name} ${variant.name}: ${row.caughtAt.map((c) => c ?? '-').join(' ')}; exhaustive ${row.exhaustive.counterexample?.size ?? 'clean'}\n`,
  );
  return row;
}

const ok = (row: Row): boolean =>
  row.kind === 'mutant'
    ? row.caughtAt.every((c) => c !== undefined) && row.exhaustive.counterexample !== undefined
    : row.caughtAt.every((c) => c === undefined) && !row.exhaustive.counterexample && row.unknown === 0;

function table(rows: Row[]): string {
  const head =
    `| reduction | variant | random: run of the first disagreement at seeds 1..${SEEDS} (- = all ${RUNS} agree) | exhaustive: smallest disagreeing size (sources checked) | checks that failed |\n` +
    '|---|---|---|---|---|\n';
  const body = rows
    .map((r) => {
      const ex = r.exhaustive;
      const exText = ex.counterexample
        ? `**${ex.counterexample.size}** (${ex.runs}): \`${JSON.stringify(ex.counterexample.source).replace(/"format":"[^"]*",?/, '')}\``
        : `none up to size ${ex.maxSize} (${ex.runs} sources agree)`;
      const checks = [...new Set([...r.checks, ...(ex.counterexample?.report.failed ? [ex.counterexample.report.failed] : [])])].join(', ') || '-';
      const name = r.kind === 'correct' ? 'correct' : `\`${r.variant}\``;
      return `| ${r.reduction} | ${name} | ${r.caughtAt.map((c) => c ?? '-').join(' ')} | ${exText} | ${checks}${r.unknown ? `; ${r.unknown} unknown` : ''} |`;
    })
    .join('\n');
  return `${head}${body}\n`;
}

const all: AnyReduction[] = [...reductions];
for (const p of PLUGINS) all.push(await loadReductionPlugin(p));
const t0 = Date.now();
const rows: Row[] = [];
for (const red of all) for (const v of red.variants) rows.push(await measure(red, v));
const minutes = ((Date.now() - t0) / 60_000).toFixed(1);
const text =
  table(rows) +
  `\nGenerated by \`npx tsx scripts/mutant-power.ts --write\` (engine \`${defaultEngine}\`, ${TIMEOUT_MS / 1000} s deadline per target, ${minutes} min in all).\n`;
process.stdout.write(text);
if (args.write) {
  const doc = readFileSync(DOC, 'utf8');
  const begin = '<!-- mutant-power:begin -->\n';
  const end = '<!-- mutant-power:end -->';
  const i = doc.indexOf(begin);
  const j = doc.indexOf(end);
  if (i < 0 || j < i) throw new Error(`${DOC}: markers ${begin.trim()} ... ${end} not found`);
  writeFileSync(DOC, doc.slice(0, i + begin.length) + text + doc.slice(j));
}
process.exitCode = rows.every(ok) ? 0 : 1;
