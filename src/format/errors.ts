/**
 * Bad input: one line that names the file and the field. The CLI prints
 * `relucert: FILE: FIELD: MESSAGE` and exits 2; nothing else catches it.
 */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    readonly detail: string,
  ) {
    super(field ? `${file}: ${field}: ${detail}` : `${file}: ${detail}`);
    this.name = 'InputError';
  }
}

/** Formats a path like ["points", 2, 0] as "points[2][0]". */
export function fieldName(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

/** "1 point" / "3 points": a count with its noun, singular for 1 (plural: noun + "s" unless given). */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}
