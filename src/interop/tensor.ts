/**
 * Tensors read from other tools' files (NumPy, safetensors, ONNX, a PyTorch
 * JSON dump): a shape and its elements in row-major (C) order, each an exact
 * rational. Readers refuse NaN and the infinities with `finiteData`, which
 * names the file, the tensor and the index.
 */
import type { Q } from '../core/rational.js';
import { InputError } from '../format/errors.js';
import type { Element } from './binary-numbers.js';

export interface Tensor {
  /** Dimensions, outermost first; [] for a scalar. */
  shape: number[];
  /** prod(shape) elements, row-major. */
  data: Q[];
}

/** "2 x 3", "a vector of 4", "a scalar": a shape for messages. */
export function shapeText(shape: readonly number[]): string {
  if (shape.length === 0) return 'a scalar';
  if (shape.length === 1) return `a vector of ${shape[0]}`;
  return shape.join(' x ');
}

/** The number of elements of a shape (1 for a scalar). */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

/** The multi-index of flat (row-major) position i, as "[i][j]". */
export function indexText(shape: readonly number[], i: number): string {
  if (shape.length === 0) return '';
  const idx: number[] = [];
  for (let a = shape.length - 1; a >= 0; a--) {
    const d = shape[a]!;
    idx.push(d === 0 ? 0 : i % d);
    i = d === 0 ? 0 : Math.floor(i / d);
  }
  return idx
    .reverse()
    .map((v) => `[${v}]`)
    .join('');
}

/**
 * The elements as rationals; the first NaN or infinity is an InputError
 * naming `file`, `name` and the index (`W[1][0]: NaN is not a finite number`).
 */
export function finiteData(elements: readonly Element[], shape: readonly number[], file: string, name: string): Q[] {
  const out: Q[] = new Array<Q>(elements.length);
  for (let i = 0; i < elements.length; i++) {
    const e = elements[i]!;
    if (typeof e === 'string') throw new InputError(file, `${name}${indexText(shape, i)}`, `${e} is not a finite number`);
    out[i] = e;
  }
  return out;
}

/** The rows of a 2-D tensor. */
export function rowsOf(t: Tensor): Q[][] {
  const [rows = 0, cols = 0] = t.shape;
  return Array.from({ length: rows }, (_, r) => t.data.slice(r * cols, (r + 1) * cols));
}
