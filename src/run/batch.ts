/**
 * A batch: many instances solved one after another (`relucert solve DIR
 * --summary results.csv`, docs/formats.md "Batch summary").
 *
 * Each instance is solved and certified as `solve` does (solve.ts), with its
 * own time limit; a bad file is reported in its row and the batch goes on.
 * Certificates are written, as they are found, into the certificate
 * directory. The summary rows are returned; `summaryCsv` is their CSV text.
 */
import { readdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { Instance } from '../core/types.js';
import { countCaseLeaves } from '../engines/result.js';
import { InputError } from '../format/errors.js';
import { WriteError, isDirectory, writeFileAtomic } from '../format/files.js';
import { readInstance } from '../format/schema.js';
import { checkSolvableSize } from './limits.js';
import { type Solution, engineNamed, solve } from './solve.js';

export interface BatchConstraints {
  engine: string;
  threads: number;
  /** Seconds per instance. */
  timeout?: number;
  /** Write each certificate as DIR/NAME.cert.json (NAME: the instance file's name without .json). */
  certDir?: string;
  /** The question asked of each instance read (e.g. overridden fields); absent: the file's own. An InputError it throws is that row's bad input. */
  question?: (inst: Instance, file: string) => Instance;
  /**
   * Stops the batch when aborted (a signal): the instance being solved
   * answers 'unknown' (its search runs in a worker thread, interrupt.ts),
   * its row says 'interrupted', and no further instance is started.
   */
  stop?: AbortSignal;
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

/** The verdicts counted so far. */
export interface BatchCounts {
  feasible: number;
  infeasible: number;
  unknown: number;
  bad: number;
}

/**
 * How one instance of the batch went: solved (and whether engines
 * disagreed), or an error: its certificate could not be written (the
 * verdict stands), the file was bad input, or relucert failed internally.
 */
export type BatchEvent = { kind: 'solved'; disagreement: boolean } | { kind: 'write-error' | 'bad-input' | 'internal-error'; message: string };

/** Called as the batch runs: before each instance (with the counts so far), and with each finished row. */
export interface BatchHooks {
  onStart?: (index: number, file: string, counts: Readonly<BatchCounts>) => void;
  onRow?: (row: BatchRow, event: BatchEvent) => void;
}

/** The summary's columns, in order. */
export const SUMMARY_COLUMNS: (keyof BatchRow)[] = ['name', 'file', 'verdict', 'seconds', 'nodes', 'leaves', 'certificate', 'checked', 'detail'];

/**
 * Solves every instance file in turn (expandInputs lists a directory's).
 * Throws InputError for an unknown engine (--engine) before any work; every
 * other failure is one instance's row.
 */
export async function solveBatch(files: readonly string[], c: BatchConstraints, hooks: BatchHooks = {}): Promise<{ rows: BatchRow[]; counts: BatchCounts }> {
  engineNamed(c.engine);
  const rows: BatchRow[] = [];
  const counts: BatchCounts = { feasible: 0, infeasible: 0, unknown: 0, bad: 0 };
  const certNames = certificateNames(files);
  for (const [i, file] of files.entries()) {
    if (c.stop?.aborted) break;
    const started = Date.now();
    const row: BatchRow = { name: '', file, verdict: '', seconds: '', nodes: '', leaves: '', certificate: '', checked: '', detail: '' };
    hooks.onStart?.(i, file, counts);
    let event: BatchEvent;
    try {
      const read = readInstance(file);
      row.name = read.name;
      const inst = c.question ? c.question(read, file) : read;
      // the size limit of solve (docs/formats.md, Limits): too large an instance is this row's bad input
      checkSolvableSize(inst, file, inst.architecture.hidden, c.engine);
      const cert = c.certDir !== undefined ? join(c.certDir, `${certNames[i]!}.cert.json`) : undefined;
      const solution = await solve(inst, {
        engine: c.engine,
        threads: c.threads,
        certify: cert !== undefined,
        ...(c.timeout !== undefined ? { deadline: started + c.timeout * 1000 } : {}),
        ...(c.stop ? { stop: c.stop } : {}),
      });
      fillRow(row, solution);
      if (solution.verdict === 'unknown' && c.stop?.aborted) row.detail = `interrupted (${String(c.stop.reason)})`;
      if (cert && solution.certificate !== undefined) {
        writeFileAtomic(cert, solution.certificate);
        row.certificate = cert;
        row.checked = 'true';
      }
      counts[solution.verdict]++;
      event = { kind: 'solved', disagreement: solution.crossCheck?.disagreement === true };
    } catch (e) {
      event = failedRow(row, e, counts);
    }
    row.seconds = ((Date.now() - started) / 1000).toFixed(3);
    rows.push(row);
    hooks.onRow?.(row, event);
  }
  return { rows, counts };
}

/** The summary as CSV (csv-stringify): a header of SUMMARY_COLUMNS, then one line per row. */
export function summaryCsv(rows: readonly BatchRow[]): string {
  return stringify([SUMMARY_COLUMNS, ...rows.map((r) => SUMMARY_COLUMNS.map((k) => r[k]))]);
}

/** Fills the row of an instance whose solve threw, and says how it failed. */
function failedRow(row: BatchRow, e: unknown, counts: BatchCounts): BatchEvent {
  if (e instanceof WriteError) {
    // the verdict stands; its certificate could not be written
    row.detail = e.message;
    return { kind: 'write-error', message: e.message };
  }
  if (e instanceof InputError) {
    row.verdict = 'bad-input';
    row.detail = e.message;
    counts.bad++;
    return { kind: 'bad-input', message: e.message };
  }
  row.verdict = 'internal-error';
  row.detail = (e as Error).message ?? String(e);
  return { kind: 'internal-error', message: row.detail };
}

/** The instance files of a batch: directories become their *.json files but certificates (sorted by name, not recursive); files stay as given. */
export function expandInputs(inputs: string[]): string[] {
  return inputs.flatMap((p) =>
    isDirectory(p)
      ? readdirSync(p)
          .filter((f) => f.endsWith('.json') && !f.endsWith('.cert.json'))
          .sort()
          .map((f) => join(p, f))
      : [p],
  );
}

/**
 * The name of each instance file's certificate in a batch (`--cert-dir DIR`
 * writes DIR/NAME.cert.json): the file name without its extension, then
 * NAME-2, NAME-3, ... for a name already used.
 */
export function certificateNames(files: readonly string[]): string[] {
  const used = new Map<string, number>();
  return files.map((f) => uniqueName(stem(f), used));
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

function fillRow(row: BatchRow, r: Solution): void {
  row.verdict = r.verdict;
  row.nodes = String(r.stats.nodes);
  if (r.verdict === 'infeasible') row.leaves = String(r.proof.cases.reduce((s, cs) => s + countCaseLeaves(cs), 0));
  if (r.verdict === 'unknown') row.detail = r.reason;
  if (r.crossCheck?.disagreement) row.detail = `ENGINES DISAGREE: ${r.crossCheck.comparisons.map((x) => `${x.engine} ${x.verdict}`).join(', ')}`;
}
