/**
 * relucert solve DIR|FILES... --summary results.csv [--cert-dir DIR]: many
 * instances, one after another (docs/formats.md, "Batch summary").
 *
 * Each instance is solved as `relucert solve` would, with its own deadline;
 * a bad file is reported in its row and on stderr, and the batch goes on.
 * A progress bar (cli-progress) runs on stderr when it is a terminal, or
 * with --progress. The summary CSV (csv-stringify) is written once, at the
 * end, atomically. Exit code: 70 if relucert failed internally on any
 * instance, else 3 if engines disagreed on any (--engine all), else 2 if any
 * input was bad, else 0.
 */
import { readdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import cliProgress from 'cli-progress';
import { stringify } from 'csv-stringify/sync';
import { InputError } from '../format/errors.js';
import { readInstance } from '../format/schema.js';
import { countCaseLeaves } from '../engines/result.js';
import { EXIT, type Io, reportStream } from './io.js';
import { WriteError, isDirectory, outputDirectory, outputTarget, shownAs, tryWrites, writeFileAtomic, writeOutput } from '../format/files.js';
import { type SolveRun, engineNamed, exitCodeOf, solveAndCertify } from './commands/solve.js';
import { printable, quote } from '../check/rejection.js';

export interface BatchConstraints {
  engine: string;
  threads: number;
  /** Seconds per instance. */
  timeout?: number;
  /** Write each certificate as DIR/NAME.cert.json (NAME: the instance file's name without .json). */
  certDir?: string;
  /** Write the summary CSV here. */
  summary?: string;
  /** Show the progress bar even when stderr is not a terminal. */
  progress?: boolean;
  /** No progress bar. */
  quiet?: boolean;
  json?: boolean;
}

/** One row of the summary. */
export interface BatchRow {
  name: string;
  file: string;
  /** feasible | infeasible | unknown | bad-input | internal-error */
  verdict: string;
  seconds: string;
  nodes: string;
  leaves: string;
  certificate: string;
  checked: string;
  /** Why unknown, what was wrong with the file, or which engines disagreed. */
  detail: string;
}

/** The summary's columns, in order. */
export const SUMMARY_COLUMNS: (keyof BatchRow)[] = ['name', 'file', 'verdict', 'seconds', 'nodes', 'leaves', 'certificate', 'checked', 'detail'];

/** Whether a solve argument list asks for a batch (several files, a directory, or batch options). */
export function isBatch(inputs: string[], o: { summary?: string; certDir?: string }): boolean {
  return inputs.length !== 1 || o.summary !== undefined || o.certDir !== undefined || isDirectory(inputs[0]!);
}

/** Solves every instance; returns the exit code. */
export async function solveBatch(inputs: string[], c: BatchConstraints, io: Io): Promise<number> {
  engineNamed(c.engine);
  // every output is checked before the work ("-": the summary on stdout, the report on stderr)
  const report = reportStream(io, [['--summary', c.summary]], c.json === true);
  const summaryTarget = c.summary !== undefined ? outputTarget(c.summary) : undefined;
  if (c.certDir !== undefined) outputDirectory(c.certDir, '--cert-dir');
  const files = expandInputs(inputs);
  const rows: BatchRow[] = [];
  const counts = { feasible: 0, infeasible: 0, unknown: 0, bad: 0 };
  const showBar = (io.progress || c.progress === true) && !c.quiet;
  const bar = showBar ? startBar(files.length, io) : undefined;
  // A line on stdout or stderr first clears the bar's line; the bar redraws below it.
  const say = (text: string, stream: 'out' | 'err'): void => {
    if (bar && io.progress) (io.terminal ?? io.err)('\r\x1b[2K');
    (stream === 'out' ? report.out : io.err)(text);
  };
  const certNames = new Map<string, number>();
  let code: number = EXIT.ok;
  for (const [i, file] of files.entries()) {
    const started = Date.now();
    const row: BatchRow = { name: '', file, verdict: '', seconds: '', nodes: '', leaves: '', certificate: '', checked: '', detail: '' };
    bar?.update(i, { name: printable(basename(file)), ...counts });
    try {
      const inst = readInstance(file);
      row.name = inst.name;
      const cert = c.certDir !== undefined ? join(c.certDir, `${uniqueName(stem(file), certNames)}.cert.json`) : undefined;
      const run = await solveAndCertify(
        inst,
        c.engine,
        { threads: c.threads, quiet: true, certify: cert !== undefined, ...(c.timeout !== undefined ? { deadline: started + c.timeout * 1000 } : {}) },
        io,
      );
      fillRow(row, run);
      if (cert && run.certificate) {
        writeFileAtomic(cert, run.certificate.text);
        row.certificate = cert;
        row.checked = 'true';
      }
      counts[run.result.verdict]++;
      if (exitCodeOf(run.result) === EXIT.disagreement) code = Math.max(code, EXIT.disagreement);
    } catch (e) {
      if (e instanceof WriteError) {
        // the verdict stands; its certificate could not be written
        row.detail = e.message;
        code = Math.max(code, EXIT.cannotWrite);
        say(`relucert: ${e.message}\n`, 'err');
      } else if (e instanceof InputError) {
        row.verdict = 'bad-input';
        row.detail = e.message;
        counts.bad++;
        if (code === EXIT.ok) code = EXIT.badInput;
        say(`relucert: ${e.message}\n`, 'err');
      } else {
        row.verdict = 'internal-error';
        row.detail = (e as Error).message ?? String(e);
        code = EXIT.internal;
        say(`relucert: internal error on ${file}: ${row.detail}\n`, 'err');
      }
    }
    row.seconds = ((Date.now() - started) / 1000).toFixed(3);
    rows.push(row);
    if (!c.json) say(`${rowLine(row)}\n`, 'out');
  }
  bar?.update(files.length, { name: '', ...counts });
  bar?.stop();
  const failed = summaryTarget
    ? tryWrites(() => writeOutput(summaryTarget, stringify([SUMMARY_COLUMNS, ...rows.map((r) => SUMMARY_COLUMNS.map((k) => r[k]))]), io))
    : undefined;
  const summaryShown = summaryTarget && !failed ? shownAs(summaryTarget) : undefined;
  const total = `${files.length} instance${files.length === 1 ? '' : 's'}: ${counts.feasible} feasible, ${counts.infeasible} infeasible, ${counts.unknown} unknown, ${counts.bad} bad input`;
  if (c.json) report.out(JSON.stringify({ instances: rows, counts, ...(c.summary !== undefined ? { summary: summaryShown ?? null } : {}) }) + '\n');
  else report.out(`${total}${summaryShown !== undefined ? `; summary: ${summaryShown}` : ''}\n`);
  if (failed) throw failed;
  return code;
}

/** Directories become their *.json files (sorted by name, not recursive); files stay as given. */
function expandInputs(inputs: string[]): string[] {
  return inputs.flatMap((p) =>
    isDirectory(p)
      ? readdirSync(p)
          .filter((f) => f.endsWith('.json') && !f.endsWith('.cert.json'))
          .sort()
          .map((f) => join(p, f))
      : [p],
  );
}

function stem(file: string): string {
  return basename(file, extname(file));
}

/** name, then name-2, name-3, ... for names already used in this batch. */
function uniqueName(name: string, used: Map<string, number>): string {
  const n = (used.get(name) ?? 0) + 1;
  used.set(name, n);
  return n === 1 ? name : `${name}-${n}`;
}

function fillRow(row: BatchRow, run: SolveRun): void {
  const r = run.result;
  row.verdict = r.verdict;
  row.nodes = String(r.stats.nodes);
  if (r.verdict === 'infeasible') row.leaves = String(r.proof.cases.reduce((s, cs) => s + countCaseLeaves(cs), 0));
  if (r.verdict === 'unknown') row.detail = r.reason;
  if (r.crossCheck?.disagreement) row.detail = `ENGINES DISAGREE: ${r.crossCheck.comparisons.map((x) => `${x.engine} ${x.verdict}`).join(', ')}`;
}

function rowLine(r: BatchRow): string {
  const what =
    r.verdict === 'bad-input' || r.verdict === 'internal-error'
      ? r.verdict
      : `${r.verdict} (${r.nodes} nodes${r.leaves ? `, proof with ${r.leaves} leaves` : ''})`;
  return `${r.name ? quote(r.name) : r.file}: ${what}, ${r.seconds} s${r.certificate ? `; certificate ${r.certificate} (checked)` : ''}`;
}

/** A cli-progress bar on the command's stderr. */
function startBar(total: number, io: Io): cliProgress.SingleBar {
  const stream = {
    isTTY: io.progress,
    // a terminal's width; a log file gets whole lines
    columns: io.progress ? (process.stderr.columns ?? 80) : 1000,
    write: (s: string): boolean => {
      // the bar's own cursor controls pass unescaped; its fields are made printable when set
      (io.terminal ?? io.err)(s);
      return true;
    },
  } as unknown as NodeJS.WritableStream;
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: '{bar} {value}/{total} | {feasible} feasible, {infeasible} infeasible, {unknown} unknown, {bad} bad | {duration_formatted} | {name}',
      hideCursor: null,
      noTTYOutput: !io.progress,
      notTTYSchedule: 5000,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { name: '', feasible: 0, infeasible: 0, unknown: 0, bad: 0 });
  return bar;
}
