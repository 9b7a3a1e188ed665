/**
 * relucert table INSTANCE --widths 1..K [--loss TYPE] [--activation A] [--output-weights W] [--out DIR] [--timeout SEC] [--engine E] [--json | --latex | --csv]
 * The least loss per width, every entry certified on both sides and its
 * certificates written (DIR/NAME-HASH/, one folder per width); printed as
 * text, JSON, a LaTeX tabular (booktabs) or CSV. The work is the library's
 * leastLossTable (src/run/table.ts); this file parses and prints.
 * Exit 0 every entry optimal and certified, 30 some entry only bounded
 * (its time limit), 2 bad input, 74 a certificate could not be written.
 */
import type { Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { Q } from '../../core/rational.js';
import type { Instance } from '../../core/types.js';
import { defaultEngine } from '../../engines/index.js';
import { InputError } from '../../format/errors.js';
import { outputDirectory } from '../../format/files.js';
import { readInstance } from '../../format/schema.js';
import { describeMinimizeQuestion, nameOf, networkFormula, progressLine } from '../../format/text.js';
import { networkToJson } from '../../format/write.js';
import { type CertifiedSide, checkMinimizable, provingEngine } from '../../run/minimize.js';
import { warmSelfCheck } from '../../run/self-check.js';
import { type TableEntry, leastLossTable } from '../../run/table.js';
import { EXIT, type Io, parseSeconds, stopOnSignals } from '../io.js';
import { type QuestionOptions, overrideQuestion, parseLossSpec, questionOptions } from '../question-options.js';

interface TableOptions extends QuestionOptions {
  widths: string;
  out: string;
  engine: string;
  timeout?: string;
  json?: boolean;
  latex?: boolean;
  csv?: boolean;
  quiet?: boolean;
}

/** The most widths one table asks for (each is a minimize run). */
const MAX_WIDTHS = 64;

export function register(program: Command, io: Io, done: (code: number) => void): void {
  const cmd = program
    .command('table')
    .description(
      'the least l1 / l-inf / l2 loss for each width, every entry certified on both sides and written; exit 0 all optimal, 30 some entry only bounded (its --timeout), 2 bad input, 74 a file could not be written',
    )
    .argument('<instance>', "a relucert-instance/1 file: its data, and the question's other fields")
    .requiredOption('--widths <list>', 'the widths: 1..K, a comma-separated list (1,2,4), or both (1..3,6)')
    .option('--out <dir>', "directory for each entry's certificates (DIR/NAME-HASH/, as minimize writes them)", 'out/table')
    .option('--engine <name>', 'engine deciding each question', defaultEngine)
    .option('--timeout <sec>', 'stop each entry after this many seconds; it then shows the bounds proved (exit 30)')
    .option('--json', 'print one JSON object on stdout')
    .option('--latex', 'print a LaTeX tabular (needs \\usepackage{booktabs})')
    .option('--csv', 'print CSV: width, status, value, lower, upper, approx, folder')
    .option('--quiet', 'no progress lines on stderr');
  questionOptions(cmd, 'l1, linf or l2 (no bound: the table finds it)');
  cmd.action(async (file: string, o: TableOptions) => done(await tableCommand(file, o, io)));
}

/**
 * The widths of --widths: "1..K", "1,2,4", or both ("1..3,6"), each a
 * positive integer, in increasing order without repeats. Throws InputError
 * naming --widths.
 */
export function parseWidths(spec: string): number[] {
  const bad = (why: string): InputError => new InputError('command line', '--widths', `${why}, got ${JSON.stringify(spec)} (expected e.g. 1..4 or 1,2,4)`);
  const widths: number[] = [];
  for (const part of spec.split(',')) {
    const m = /^\s*(\d+)\s*(?:\.\.\s*(\d+)\s*)?$/.exec(part);
    if (!m) throw bad('not a width or a range');
    const from = Number(m[1]);
    const to = m[2] !== undefined ? Number(m[2]) : from;
    if (from < 1) throw bad('a width is at least 1');
    if (to < from) throw bad(`the range ${from}..${to} is empty`);
    if (to - from + 1 + widths.length > MAX_WIDTHS) throw bad(`at most ${MAX_WIDTHS} widths`);
    for (let k = from; k <= to; k++) widths.push(k);
  }
  const sorted = [...new Set(widths)].sort((a, b) => a - b);
  if (sorted.length !== widths.length || sorted.some((k, i) => k !== widths[i])) throw bad('widths must increase, each once');
  return widths;
}

/** The command: options, every width's question (validated before any search), the run, the report. */
async function tableCommand(file: string, o: TableOptions, io: Io): Promise<number> {
  const formats = [o.json && '--json', o.latex && '--latex', o.csv && '--csv'].filter((f): f is string => typeof f === 'string');
  if (formats.length > 1) throw new InputError('command line', formats.join('/'), 'give at most one output format');
  if (o.hidden !== undefined) throw new InputError('command line', '--hidden', 'the table asks every width of --widths; give --widths instead');
  const widths = parseWidths(o.widths);
  if (o.loss !== undefined && parseLossSpec(o.loss).bound !== undefined)
    throw new InputError('command line', '--loss', 'the table finds the least loss: give the type alone (--loss l2), not a bound');
  const timeout = parseSeconds(o.timeout, '--timeout');
  if (timeout !== undefined) warmSelfCheck();
  provingEngine(o.engine);
  outputDirectory(o.out, '--out');
  const read = readInstance(file);
  // every question is built and checked before the first search, so a bad width never ends a long run
  const questions = widths.map((width) => {
    const instance = overrideQuestion(read, { ...o, hidden: String(width) }, file, 'any');
    checkMinimizable(instance, 'loss', width, file);
    return { width, instance };
  });
  const progress = io.progress && !o.quiet;
  // SIGINT / SIGTERM: the entry under way keeps its certified bounds, no further width starts, the table so far is printed (exit 30)
  const stop = stopOnSignals(io, 'stopping; the entries so far are certified, written and printed');
  const entries = await leastLossTable(questions, {
    ...(stop.signal ? { stop: stop.signal } : {}),
    engine: o.engine,
    dir: o.out,
    source: file,
    ...(timeout !== undefined ? { entryMs: timeout * 1000 } : {}),
    ...(progress ? { onStart: (k: number) => io.err(`  width ${k} ...\n`), onProgress: (s) => io.err(progressLine(s) + '\n') } : {}),
  }).finally(stop.dispose);
  const inst = questions[0]!.instance;
  if (o.json) io.out(tableJson(inst, entries) + '\n');
  else if (o.latex) io.out(tableLatex(inst, entries));
  else if (o.csv) io.out(tableCsv(entries));
  else io.out(tableText(inst, entries));
  const failed = entries.find((e) => e.answer.writeError)?.answer.writeError;
  if (failed) throw failed;
  return entries.length === widths.length && entries.every(complete) ? EXIT.ok : EXIT.bounds;
}

/** An entry whose optimum is certified on both sides (the lower side may be absent only at width 1 of --width, never here). */
function complete(e: TableEntry): boolean {
  const a = e.answer;
  return a.status === 'optimal' && a.attained.status === 'certified' && a.below?.status !== 'timeout';
}

/** The certified bounds of an entry: equal at an optimum; lower 0 when no proof finished (a loss is never negative); upper undefined when no witness was certified. */
function boundsOf(e: TableEntry): { lower: Q; upper?: Q } {
  const a = e.answer;
  const certified = (s: CertifiedSide | undefined): Q | undefined => (s?.status === 'certified' ? s.value : undefined);
  if (a.status === 'optimal') {
    const up = certified(a.attained);
    const low = a.below === undefined || a.below.status === 'certified' ? a.value : Q.ZERO;
    return { lower: low, ...(up !== undefined ? { upper: up } : {}) };
  }
  const up = certified(a.upper);
  return { lower: certified(a.lower) ?? Q.ZERO, ...(up !== undefined ? { upper: up } : {}) };
}

/** A rational to about 6 significant digits, for the eye only (the exact value is beside it). */
function approx(q: Q): string {
  return q.isZero() ? '0' : String(Number(q.toNumber().toPrecision(6)));
}

/** The value of an entry: "2/3" at a certified optimum, else "[lo, hi]" ("[lo, ?]" with no certified witness). */
function valueText(e: TableEntry): string {
  const { lower, upper } = boundsOf(e);
  return complete(e) ? lower.toString() : `[${lower}, ${upper ?? '?'}]`;
}

/** The question of the table, its width left open: "k relu units, ...; least l2 loss on 3 points in dimension 1". */
function tableQuestion(inst: Instance): string {
  return describeMinimizeQuestion(inst, 'loss').replace(/^\d+ (\S+) units?/, 'k $1 units');
}

/** The table for people: one line per width, the exact value, a decimal, the folder of its certificates. */
function tableText(inst: Instance, entries: readonly TableEntry[]): string {
  const head = ['width', `least ${inst.loss.type} loss`, 'approx.', 'certificates'];
  const rows = entries.map((e) => [String(e.width), valueText(e), complete(e) ? approx(boundsOf(e).lower) : '', e.folder ?? '']);
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (r: string[]): string => `  ${r.map((x, c) => x.padEnd(widths[c]!)).join('  ')}`.trimEnd() + '\n';
  const notes = entries
    .filter((e) => !complete(e))
    .map(
      (e) =>
        `  width ${e.width}: ${e.answer.status === 'bounds' ? `stopped (${e.answer.reason})` : 'a side was not certified in time'}; the interval holds the certified bounds\n`,
    );
  const nets = entries.flatMap((e) => {
    const w = e.answer.status === 'optimal' ? e.answer.attained : e.answer.upper;
    return w?.status === 'certified' && w.network ? [`  width ${e.width}: ${networkFormula(w.network)}\n`] : [];
  });
  return [
    `${nameOf(inst)}: least ${inst.loss.type} loss by width (every entry certified: a witness and a proof that nothing has less)\n`,
    `  question: ${tableQuestion(inst)}\n`,
    line(head),
    ...rows.map(line),
    ...notes,
    ...(nets.length > 0 ? ['  networks:\n', ...nets.map((n) => `  ${n}`)] : []),
  ].join('');
}

/** A side's files for --json: { instance, certificate }, or null. */
function filesOf(side: CertifiedSide | undefined): { instance: string; certificate: string } | null {
  return side?.status === 'certified' && side.files ? side.files : null;
}

/** --json: the question and one object per width. */
function tableJson(inst: Instance, entries: readonly TableEntry[]): string {
  return JSON.stringify({
    instance: inst.name,
    loss: inst.loss.type,
    question: tableQuestion(inst),
    entries: entries.map((e) => {
      const a = e.answer;
      const { lower, upper } = boundsOf(e);
      const witness = a.status === 'optimal' ? a.attained : a.upper;
      const below = a.status === 'optimal' ? a.below : a.lower;
      return {
        width: e.width,
        status: complete(e) ? 'optimal' : 'bounds',
        ...(complete(e) ? { value: lower.toString() } : { lower: lower.toString(), upper: upper?.toString() ?? null }),
        ...(a.status === 'bounds' ? { reason: a.reason } : {}),
        ...(witness?.status === 'certified' && witness.network ? { network: networkToJson(witness.network) } : {}),
        witness: filesOf(witness),
        lowerBound: filesOf(below),
        folder: e.folder ?? null,
        elapsedMs: a.elapsedMs,
      };
    }),
  });
}

/** A rational in LaTeX math: "0", "3", "\tfrac{2}{3}". */
function texQ(q: Q): string {
  return q.den === 1n ? q.toString() : `${q.sign() < 0 ? '-' : ''}\\tfrac{${q.num < 0n ? -q.num : q.num}}{${q.den}}`;
}

/** --latex: a booktabs tabular, k and the exact least loss (an interval where only bounds were certified) and a decimal. */
function tableLatex(inst: Instance, entries: readonly TableEntry[]): string {
  const lossTex = { l1: '\\ell_1', linf: '\\ell_\\infty', l2: '\\ell_2' }[inst.loss.type as 'l1' | 'linf' | 'l2'];
  const rows = entries.map((e) => {
    const { lower, upper } = boundsOf(e);
    const value = complete(e) ? texQ(lower) : `[${texQ(lower)}, ${upper !== undefined ? texQ(upper) : '?'}]`;
    return `${e.width} & $${value}$ & ${complete(e) ? `$${approx(lower)}$` : ''} \\\\\n`;
  });
  return [
    `% relucert table: least ${inst.loss.type} loss of ${nameOf(inst).replace(/%/g, '\\%')} by width k; ${tableQuestion(inst).replace(/%/g, '\\%')}\n`,
    '% every entry certified: a witness network and a proof that no network has less, both checked by the independent checker\n',
    '\\begin{tabular}{rll}\n\\toprule\n',
    `$k$ & least $${lossTex}$ loss & $\\approx$ \\\\\n\\midrule\n`,
    ...rows,
    '\\bottomrule\n\\end{tabular}\n',
  ].join('');
}

/** --csv: one row per width. */
function tableCsv(entries: readonly TableEntry[]): string {
  return stringify([
    ['width', 'status', 'value', 'lower', 'upper', 'approx', 'folder'],
    ...entries.map((e) => {
      const { lower, upper } = boundsOf(e);
      return [
        e.width,
        complete(e) ? 'optimal' : 'bounds',
        complete(e) ? lower.toString() : '',
        lower.toString(),
        upper?.toString() ?? '',
        complete(e) ? approx(lower) : '',
        e.folder ?? '',
      ];
    }),
  ]);
}
