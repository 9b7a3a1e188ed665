/**
 * relucert solve DIR|FILES... --summary results.csv [--cert-dir DIR]: the
 * batch runner (src/run/batch.ts) with its report: a line per instance, a
 * progress bar (cli-progress) on stderr when it is a terminal or with
 * --progress, and the summary CSV, written once, at the end, atomically.
 * Exit code: 70 if relucert failed internally on any instance, else 3 if
 * engines disagreed on any (--engine all), else 2 if any input was bad,
 * else 0 (74 when a certificate or the summary could not be written).
 */
import { basename } from 'node:path';
import type { Instance } from '../core/types.js';
import cliProgress from 'cli-progress';
import { printable, quote } from '../check/rejection.js';
import { outputDirectory, outputTarget, shownAs, tryWrites, writeOutput } from '../format/files.js';
import { type BatchEvent, type BatchRow, expandInputs, solveBatch, summaryCsv } from '../run/batch.js';
import { engineNamed } from '../run/solve.js';
import { EXIT, type Io, reportStream, signalExit, stopOnSignals } from './io.js';

export interface BatchOptions {
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
  /** The question asked of each instance read (solve's --hidden, --loss, ... overrides); absent: the file's own. */
  question?: (inst: Instance, file: string) => Instance;
}

/** Solves every instance and reports; returns the exit code. */
export async function runBatch(inputs: string[], c: BatchOptions, io: Io): Promise<number> {
  engineNamed(c.engine);
  // every output is checked before the work ("-": the summary on stdout, the report on stderr)
  const report = reportStream(io, [['--summary', c.summary]], c.json === true);
  const summaryTarget = c.summary !== undefined ? outputTarget(c.summary) : undefined;
  if (c.certDir !== undefined) outputDirectory(c.certDir, '--cert-dir');
  const files = expandInputs(inputs);
  const showBar = (io.progress || c.progress === true) && !c.quiet;
  const bar = showBar ? startBar(files.length, io) : undefined;
  // A line on stdout or stderr first clears the bar's line; the bar redraws below it.
  const say = (text: string, stream: 'out' | 'err'): void => {
    if (bar && io.progress) (io.terminal ?? io.err)('\r\x1b[2K');
    (stream === 'out' ? report.out : io.err)(text);
  };
  let code: number = EXIT.ok;
  // SIGINT / SIGTERM: the instance being solved answers unknown, no other starts, and the summary so far is written
  const stop = stopOnSignals(io, 'stopping the batch; the summary so far is written');
  const { rows, counts } = await solveBatch(
    files,
    {
      engine: c.engine,
      threads: c.threads,
      ...(c.timeout !== undefined ? { timeout: c.timeout } : {}),
      ...(c.certDir !== undefined ? { certDir: c.certDir } : {}),
      ...(c.question ? { question: c.question } : {}),
      ...(stop.signal ? { stop: stop.signal } : {}),
    },
    {
      onStart: (i, file, sofar) => bar?.update(i, { name: printable(basename(file)), ...sofar }),
      onRow: (row, event) => {
        code = foldExitCode(code, event);
        if (event.kind !== 'solved')
          say(event.kind === 'internal-error' ? `relucert: internal error on ${row.file}: ${event.message}\n` : `relucert: ${event.message}\n`, 'err');
        if (!c.json) say(`${rowLine(row)}\n`, 'out');
      },
    },
  ).finally(stop.dispose);
  const interrupted = stop.signal?.aborted ? (stop.signal.reason as 'SIGINT' | 'SIGTERM') : undefined;
  bar?.update(files.length, { name: '', ...counts });
  bar?.stop();
  const failed = summaryTarget ? tryWrites(() => writeOutput(summaryTarget, summaryCsv(rows), io)) : undefined;
  const summaryShown = summaryTarget && !failed ? shownAs(summaryTarget) : undefined;
  const solved = interrupted
    ? `${rows.length} of ${files.length} instances (interrupted: ${interrupted})`
    : `${files.length} instance${files.length === 1 ? '' : 's'}`;
  const total = `${solved}: ${counts.feasible} feasible, ${counts.infeasible} infeasible, ${counts.unknown} unknown, ${counts.bad} bad input`;
  if (c.json)
    report.out(
      JSON.stringify({
        instances: rows,
        counts,
        ...(interrupted ? { interrupted } : {}),
        ...(c.summary !== undefined ? { summary: summaryShown ?? null } : {}),
      }) + '\n',
    );
  else report.out(`${total}${summaryShown !== undefined ? `; summary: ${summaryShown}` : ''}\n`);
  if (failed) throw failed;
  return interrupted ? signalExit(interrupted) : code;
}

/** The batch's exit code after one more instance (the order matters: an internal failure overrides what came before). */
function foldExitCode(code: number, event: BatchEvent): number {
  switch (event.kind) {
    case 'solved':
      return event.disagreement ? Math.max(code, EXIT.disagreement) : code;
    case 'write-error':
      return Math.max(code, EXIT.cannotWrite);
    case 'bad-input':
      return code === EXIT.ok ? EXIT.badInput : code;
    case 'internal-error':
      return EXIT.internal;
  }
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
