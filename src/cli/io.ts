/**
 * What a command may touch: its output streams. Commands never call
 * process.exit; they return an exit code, so tests can run them in-process.
 * The files a command writes go through src/format/files.ts.
 */
import { InputError } from '../format/errors.js';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** true when progress lines may be written to stderr. */
  progress: boolean;
  /**
   * stderr without the escaping of control characters that out and err get
   * (main.ts), for a progress bar's cursor controls only; the caller makes
   * every text it passes printable itself.
   */
  terminal?: (text: string) => void;
  /**
   * true when the command is the process (bin/relucert.js): long commands
   * then hear SIGINT and SIGTERM (stopOnSignals) and run their searches in
   * a worker thread so that a signal can stop them. A caller running
   * commands in its own process (tests, an embedding program) keeps its
   * signals, and searches run on its thread.
   */
  signals?: boolean;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  progress: process.stderr.isTTY === true,
  signals: true,
};

/** Exit codes shared by the commands (MiniSat style for solve). */
export const EXIT = {
  ok: 0,
  unknown: 0,
  rejected: 1,
  notWithinBound: 1,
  badInput: 2,
  disagreement: 3,
  /** minimize stopped before the optimum (time limit, --max-width): the bounds proved so far are printed and written */
  bounds: 30,
  feasible: 10,
  infeasible: 20,
  internal: 70,
  /** The answer was printed, but an output file could not be written (sysexits EX_IOERR). */
  cannotWrite: 74,
} as const;

/**
 * The stream for a command's report: stdout, unless one of its outputs goes
 * to stdout ("-"), then stderr. Two outputs on stdout, or one with --json,
 * are refused.
 */
export function reportStream(io: Io, outputs: ReadonlyArray<[option: string, value: string | undefined]>, json: boolean): Io {
  const onStdout = outputs.filter(([, v]) => v === '-').map(([o]) => o);
  if (onStdout.length > 1) throw new InputError('command line', onStdout.join(', '), 'only one output can go to standard output ("-")');
  if (onStdout.length === 1 && json)
    throw new InputError('command line', onStdout[0]!, 'with --json, standard output holds the JSON report; give a file instead of "-"');
  return onStdout.length === 0 ? io : { ...io, out: (t) => io.err(t) };
}

// ---------------------------------------------------------------- options

/** Parses a positive number of seconds for --timeout; bad values are InputErrors naming the option. */
export function parseSeconds(v: string | undefined, option: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(v) || Number(v) <= 0)
    throw new InputError('command line', option, `expected a positive number of seconds, got ${JSON.stringify(v)}`);
  return Number(v);
}

export function parsePositiveInt(v: string | undefined, option: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new InputError('command line', option, `expected a positive integer, got ${JSON.stringify(v)}`);
  return Number(v);
}

// ---------------------------------------------------------------- signals

/** The signals a long command hears, with their numbers (exit 128 + n: the shell's convention for a process ended by a signal). */
const SIGNALS = { SIGINT: 2, SIGTERM: 15 } as const;

/** The exit code of a run ended by `signal` (128 + its number), e.g. 130 for SIGINT. */
export function signalExit(signal: keyof typeof SIGNALS): number {
  return 128 + SIGNALS[signal];
}

/**
 * Hears SIGINT and SIGTERM while a long command runs (docs/architecture.md
 * section 7): the first aborts the returned signal (its reason: the
 * signal's name) and says on stderr what happens now (`then`); a second
 * ends the process at once (128 + the signal's number). `dispose` removes
 * the handlers, restoring Node's default (end at once). Without
 * `io.signals` (the command is not the process) it hears nothing: no
 * signal, and dispose does nothing.
 */
export function stopOnSignals(io: Io, then: string): { signal?: AbortSignal; dispose: () => void } {
  if (!io.signals) return { dispose: () => undefined };
  const controller = new AbortController();
  const handlers = (Object.keys(SIGNALS) as (keyof typeof SIGNALS)[]).map((name) => {
    const handler = (): void => {
      if (controller.signal.aborted) process.exit(signalExit(name));
      io.err(`relucert: ${name}: ${then} (${name === 'SIGINT' ? 'Ctrl-C' : name} again: quit at once)\n`);
      controller.abort(name);
    };
    process.on(name, handler);
    return [name, handler] as const;
  });
  return { signal: controller.signal, dispose: () => handlers.forEach(([name, h]) => process.off(name, h)) };
}
