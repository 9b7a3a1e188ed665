/**
 * Resuming a split directory after faults (docs/cluster.md, "What a fault
 * costs"): a cube certificate that cannot be merged (cut short, garbled, for
 * another cube, or rejected by the checker) is named, moved out of the way
 * into DIR/rejected/, and its cube is open again, so that the next round
 * solves it; it is never merged.
 *
 * Moving is a compare-and-rename: the file is renamed, then its identity
 * (device, inode, size, modification time) is compared with that of the file
 * that was judged. If a task wrote a new certificate for the cube in between
 * (every writer renames a new file into place, so it has another identity),
 * the new file is put back (a hard link, which never replaces a file that is
 * there by then), so a proof written at the same time is never set aside.
 */
import { linkSync, mkdirSync, readdirSync, renameSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { type MergeOutcome, mergeSplit } from './merge.js';
import { BadCubeCertificate, type SplitDir, fileIdentity, readSplitDir } from './split-dir.js';

/** The folder of a split directory that holds the certificates set aside. */
export const REJECTED_DIR = 'rejected';

/** A cube certificate moved out of the way, and why. */
export interface SetAside {
  cube: string;
  /** where it was */
  file: string;
  /** where it is now, in DIR/rejected/ */
  aside: string;
  /** the problem, as `relucert merge` reports it (file: field: detail) */
  reason: string;
}

/**
 * Moves the bad certificate file of `bad` into DIR/rejected/ (its name, then
 * a time stamp, the host and the process id), if it is still the file that
 * was judged. Returns the new path, or undefined when nothing was moved: the
 * file is gone, or was replaced by another one after the judgement (which is
 * then left, or put back, in place). Errors other than a vanished file are
 * thrown as they come (node's errors; the CLI reports them).
 */
export function setAsideCertificate(dir: string, bad: BadCubeCertificate): string | undefined {
  if (bad.identity === undefined) return undefined;
  const asideDir = join(dir, REJECTED_DIR);
  mkdirSync(asideDir, { recursive: true });
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const aside = join(asideDir, `${basename(bad.file)}.${stamp}-${hostname()}-${process.pid}`);
  try {
    renameSync(bad.file, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  if (fileIdentity(aside) === bad.identity) return aside;
  // a new certificate took its place after the judgement: put it back, unless a newer one is there already
  try {
    linkSync(aside, bad.file);
    unlinkSync(aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  return undefined;
}

/**
 * Reads a split directory for the next round (`relucert slurm DIR`), setting
 * aside every cube certificate that cannot be merged: one that readSplitDir
 * refuses, and, when no cube is open, one whose part of the merged proof the
 * checker rejects (mergeSplit). Returns the directory, its merge outcome
 * (the cubes of set-aside certificates are open again) and what was set
 * aside. Any other problem (a bad manifest, cube file or instance) is thrown
 * as readSplitDir throws it.
 */
export function readForResume(dir: string): { sd: SplitDir; status: MergeOutcome; setAside: SetAside[] } {
  const setAside: SetAside[] = [];
  // each turn moves a file, or finds one rewritten meanwhile; bounded all the same
  const turns = readdirSync(dir).length + 10;
  for (let turn = 0; ; turn++) {
    try {
      const sd = readSplitDir(dir);
      return { sd, status: mergeSplit(sd), setAside };
    } catch (e) {
      if (!(e instanceof BadCubeCertificate) || e.identity === undefined || turn >= turns) throw e;
      const aside = setAsideCertificate(dir, e);
      if (aside !== undefined) setAside.push({ cube: e.cube, file: e.file, aside, reason: e.message });
    }
  }
}
