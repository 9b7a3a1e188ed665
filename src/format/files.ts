/**
 * Every file relucert writes goes through this module (docs/architecture.md section 6):
 * - "-" is standard output for every file option (`outputTarget`);
 * - a target is checked before the work that produces it (`outputTarget`,
 *   `outputDirectory`): a symbolic link is followed to the regular file it
 *   names; a device, pipe, socket, directory or dangling link is refused;
 *   the directory must accept a new file (probed by creating one);
 * - a file is written atomically (`writeFileAtomic`): a temporary file next
 *   to the target, renamed over it; the temporary file is removed on any
 *   failure, so nothing is ever half-written or left behind;
 * - missing directories are made one level at a time (node's recursive
 *   mkdir loops forever under /proc), and recorded, so that the command
 *   can say which it made (`watchMadeDirectories`): a typo in an output
 *   path never leaves a stray tree unannounced.
 * A check that fails before the work is an InputError (exit 2 in the CLI); a
 * write that still fails after the work is a WriteError (exit 74), reported
 * after the answer (`tryWrites`).
 */
import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  lstatSync,
  mkdirSync,
  openSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError } from './errors.js';

/** A write that failed after the work was done: the answer stands, the file was not written (exit 74). */
export class WriteError extends InputError {}

/** Where one output goes: standard output, or a file whose target was checked. */
export type Output = { kind: 'stdout' } | { kind: 'file'; file: string };

/**
 * Checks a file option before the work that fills it: "-" is standard
 * output; anything else must be a regular file, a symbolic link to one, or a
 * new file in a directory that accepts one. Throws InputError naming the file.
 */
export function outputTarget(file: string): Output {
  if (file === '-') return { kind: 'stdout' };
  const target = regularTarget(file);
  probeDirectory(target === undefined ? dirname(file) : dirname(target), file);
  return { kind: 'file', file };
}

/**
 * Checks a directory option (minimize --out, fuzz --out, crosscheck --keep)
 * before the work: an existing directory, or a new one under a directory
 * that accepts files. "-" is refused: several files cannot share stdout.
 */
export function outputDirectory(dir: string, option: string): string {
  if (dir === '-') throw new InputError('command line', option, 'takes a directory: several files cannot all go to standard output ("-")');
  probeDirectory(dir, dir);
  return dir;
}

/** How the report names an output: its file, or "standard output". */
export function shownAs(target: Output): string {
  return target.kind === 'stdout' ? 'standard output' : target.file;
}

/** Writes one output: to standard output (`stdout.out`, the command's output stream), or atomically to its file. */
export function writeOutput(target: Output, text: string, stdout: { out(text: string): void }): void {
  if (target.kind === 'stdout') stdout.out(text);
  else writeFileAtomic(target.file, text);
}

/**
 * Writes a file atomically: a temporary file (created exclusively, so it
 * never follows a link) in the target's directory, renamed over the target.
 * A symbolic link is written through (the link stays, its file changes); an
 * existing file keeps its permissions. On any failure the temporary file is
 * removed and a WriteError names the file.
 */
export function writeFileAtomic(file: string, text: string | Uint8Array): void {
  let tmp: string | undefined;
  try {
    const existing = regularTarget(file);
    const path = existing ?? file;
    makeDirectories(dirname(path));
    tmp = `${path}.tmp-${process.pid}-${++tmpCounter}`;
    const fd = openSync(tmp, 'wx', 0o666);
    try {
      const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
      for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at);
    } finally {
      closeSync(fd);
    }
    if (existing !== undefined) chmodSync(tmp, statSync(existing).mode & 0o7777);
    renameSync(tmp, path);
    tmp = undefined;
  } catch (e) {
    if (e instanceof InputError) throw new WriteError(e.file, e.field, e.detail);
    throw new WriteError(file, '', `cannot write (${codeOf(e)})`);
  } finally {
    if (tmp !== undefined) removeQuietly(tmp);
  }
}
let tmpCounter = 0;

/**
 * Runs the writes of a command after its work; returns the first failure
 * (the later writes are not attempted) for the command to report after its
 * answer, by throwing it once the answer is printed.
 */
export function tryWrites(writes: () => void): WriteError | undefined {
  try {
    writes();
    return undefined;
  } catch (e) {
    if (e instanceof WriteError) return e;
    throw e;
  }
}

// ---------------------------------------------------------------- checks on paths

/**
 * The regular file a path names, following symbolic links; undefined when
 * nothing is there yet. Anything else (directory, device, pipe, socket,
 * dangling link) is an InputError.
 */
function regularTarget(file: string): string | undefined {
  let st;
  try {
    st = lstatSync(file);
  } catch (e) {
    // nothing there yet (or a path through a non-directory, which probeDirectory names)
    if (codeOf(e) === 'ENOENT' || codeOf(e) === 'ENOTDIR') return undefined;
    throw new InputError(file, '', `cannot write there (${codeOf(e)})`);
  }
  let path = file;
  if (st.isSymbolicLink()) {
    try {
      path = realpathSync(file);
      st = statSync(path);
    } catch (e) {
      throw new InputError(file, '', `is a symbolic link to nothing that can be written (${codeOf(e)}); relucert writes only regular files`);
    }
  }
  if (st.isFile()) {
    try {
      accessSync(path, constants.W_OK);
    } catch (e) {
      throw new InputError(file, '', `is read-only (${codeOf(e)}); relucert does not replace it`);
    }
    return path;
  }
  const kind = st.isDirectory()
    ? 'a directory'
    : st.isCharacterDevice() || st.isBlockDevice()
      ? 'a device'
      : st.isFIFO()
        ? 'a pipe'
        : st.isSocket()
          ? 'a socket'
          : 'not a regular file';
  throw new InputError(
    file,
    '',
    `is ${kind}${path !== file ? ` (through a symbolic link to ${path})` : ''}; relucert replaces only regular files (use "-" for standard output)`,
  );
}

/**
 * Checks that files can be created in dir, or in its nearest existing
 * ancestor when dir does not exist yet, by creating and removing one.
 */
function probeDirectory(dir: string, named: string): void {
  let existing = dir;
  for (;;) {
    let st;
    try {
      st = statSync(existing);
    } catch (e) {
      if (codeOf(e) !== 'ENOENT' || dirname(existing) === existing) throw new InputError(named, '', `cannot write there (${codeOf(e)} at ${existing})`);
      existing = dirname(existing);
      continue;
    }
    if (!st.isDirectory()) throw new InputError(named, '', `cannot write there: ${existing} is not a directory`);
    break;
  }
  const probe = join(existing, `.relucert-probe-${process.pid}-${++tmpCounter}`);
  try {
    closeSync(openSync(probe, 'wx'));
  } catch (e) {
    throw new InputError(named, '', `cannot write there: no new file can be created in ${existing} (${codeOf(e)})`);
  }
  removeQuietly(probe);
}

/** The lists that record the directories writeFileAtomic makes (watchMadeDirectories). */
const watchers = new Set<string[]>();

/**
 * Starts recording the directories that writes make from now on (missing
 * folders of an output path are made, never silently: a command says which;
 * docs/architecture.md section 6). `stop()` ends the recording and returns
 * them, outermost first, each once.
 */
export function watchMadeDirectories(): { stop(): string[] } {
  const list: string[] = [];
  watchers.add(list);
  return {
    stop: () => {
      watchers.delete(list);
      return [...new Set(list)];
    },
  };
}

/** Makes the missing directories of a path, one level at a time (recorded for watchMadeDirectories). */
function makeDirectories(dir: string): void {
  const missing: string[] = [];
  for (let d = dir; !isDirectory(d); d = dirname(d)) {
    if (dirname(d) === d) break;
    missing.push(d);
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
      for (const w of watchers) w.push(d);
    } catch (e) {
      if (codeOf(e) !== 'EEXIST') throw new InputError(d, '', `cannot make the directory (${codeOf(e)})`);
    }
  }
}

/** True when path names a directory (following links); false for anything else, or nothing. */
export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

function codeOf(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}
