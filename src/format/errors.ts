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

/**
 * Why a label must be one number (docs/formats.md, "Instance"): relucert's
 * networks have one output. With two or more outputs, training is
 * existential-theory-of-the-reals complete and optimal weights may have to
 * be irrational (Bertschinger, Hertrich, Jungeblut, Miltzow and Weber,
 * "Training fully connected neural networks is ER-complete", NeurIPS 2023),
 * so exact rational certificates of the kind relucert writes need not exist.
 */
export const ONE_OUTPUT =
  'relucert fits one output per point, so each label is one number; with two or more outputs training is ∃R-complete and the best weights may be irrational (Bertschinger et al., NeurIPS 2023), beyond exact rational certificates';
