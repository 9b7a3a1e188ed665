/**
 * The least loss per width (docs/formats.md, "relucert table"): for each
 * width asked, the least l1 / l-inf / l2 loss of a network of that width,
 * found by minimize and certified on both sides (the witness at the value,
 * the proof that nothing has less), each entry's certificates written in a
 * folder of its own. An entry stopped by its time limit keeps the bounds it
 * proved, certified the same way.
 */
import { join } from 'node:path';
import type { Instance } from '../core/types.js';
import { type MinimizeAnswer, minimize, questionFolder } from './minimize.js';
import type { SearchStats } from '../engines/result.js';

/** One row of the table: the width, the question asked at it, minimize's certified answer, and the folder its certificates went to. */
export interface TableEntry {
  width: number;
  instance: Instance;
  answer: MinimizeAnswer;
  /** DIR/NAME-HASH, when a directory was given. */
  folder?: string;
}

export interface TableConstraints {
  /** An engine that proves infeasibility (default cdcl). */
  engine?: string;
  /** Write each entry's certificates into DIR/NAME-HASH (questionFolder). */
  dir?: string;
  /** Milliseconds for each entry (its search and self-checks); absent: no limit. */
  entryMs?: number;
  /** Names the instance in errors. */
  source?: string;
  /** Called before each width is minimised. */
  onStart?: (width: number) => void;
  /** Called with each entry as it is certified. */
  onEntry?: (entry: TableEntry) => void;
  /** Progress of each entry's searches. */
  onProgress?: (stats: SearchStats) => void;
  /** Stops the table when aborted (a signal): the entry under way keeps the bounds it proved (minimize's stop), and no further width starts. */
  stop?: AbortSignal;
}

/**
 * Minimises the loss of each question in turn, `questions` being the
 * instance asked at each width (in the order given; the caller builds
 * them, e.g. with the question options). Returns one certified entry per
 * width asked (fewer when stopped). Throws what minimize throws: InputError for a question that
 * cannot be minimised (not an l1, linf or l2 loss, too large) or an
 * engine that proves nothing, Error when the checker rejects a
 * certificate just built.
 */
export async function leastLossTable(questions: ReadonlyArray<{ width: number; instance: Instance }>, c: TableConstraints = {}): Promise<TableEntry[]> {
  const entries: TableEntry[] = [];
  for (const { width, instance } of questions) {
    if (c.stop?.aborted) break;
    c.onStart?.(width);
    const folder = c.dir !== undefined ? join(c.dir, questionFolder(instance, 'loss')) : undefined;
    const answer = await minimize(instance, {
      objective: 'loss',
      ...(c.engine !== undefined ? { engine: c.engine } : {}),
      ...(folder !== undefined ? { dir: folder } : {}),
      ...(c.entryMs !== undefined ? { deadline: Date.now() + c.entryMs } : {}),
      ...(c.source !== undefined ? { source: c.source } : {}),
      ...(c.onProgress ? { onProgress: c.onProgress } : {}),
      ...(c.stop ? { stop: c.stop } : {}),
    });
    const entry: TableEntry = { width, instance, answer, ...(folder !== undefined ? { folder } : {}) };
    entries.push(entry);
    c.onEntry?.(entry);
  }
  return entries;
}
