/**
 * What a command may touch: its output streams. Commands never call
 * process.exit; they return an exit code, so tests can run them in-process.
 */
import { writeFileSync, renameSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '../format/errors.js';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** true when progress lines may be written to stderr. */
  progress: boolean;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  progress: process.stderr.isTTY === true,
};

/** Exit codes shared by the commands (MiniSat style for solve). */
export const EXIT = {
  ok: 0,
  unknown: 0,
  rejected: 1,
  notWithinBound: 1,
  badInput: 2,
  disagreement: 3,
  feasible: 10,
  infeasible: 20,
  internal: 70,
} as const;

/** Writes a file atomically (temp file + rename), so nothing is ever half-written. */
export function writeFileAtomic(file: string, text: string | Uint8Array): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (e) {
    throw new InputError(file, '', `cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** Parses a positive number of seconds for --timeout; bad values are InputErrors naming the option. */
export function parseSeconds(v: string | undefined, option: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(v) || Number(v) <= 0) throw new InputError('command line', option, `expected a positive number of seconds, got ${JSON.stringify(v)}`);
  return Number(v);
}

export function parsePositiveInt(v: string | undefined, option: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new InputError('command line', option, `expected a positive integer, got ${JSON.stringify(v)}`);
  return Number(v);
}
