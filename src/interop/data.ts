/**
 * Data sets from the files researchers have: CSV text and NumPy .npy arrays,
 * read exactly into points and labels (docs/formats.md, "Data in").
 *
 * CSV is parsed by csv-parse (quoting, embedded newlines, byte order mark);
 * every cell is then read by the shared exact reader of numbers: an integer,
 * a finite decimal ("0.1" is 1/10), scientific notation ("1e-3" is 1/1000)
 * or a fraction ("7/2"). A .npy array is decoded from its bits (src/interop/npy.ts).
 * Errors name the file and the place: `data.csv: line 4, column x2: ...`,
 * `X.npy: [3][1]: NaN is not a finite number`.
 */
import { parse } from 'csv-parse/sync';
import { type Q, parseRational } from '../core/rational.js';
import { InputError, ONE_OUTPUT } from '../format/errors.js';
import { readText } from '../format/schema.js';
import { readNpy } from './npy.js';
import { shapeText } from './tensor.js';

/** Points and labels with the place each number came from. */
export interface DataSet {
  points: Q[][];
  labels: Q[];
  /** The file and field of point i's coordinate j, or of its label when j is undefined. */
  where(i: number, j?: number): { file: string; field: string };
  /** One line saying where the data came from, for the instance's description. */
  origin: string;
}

export interface CsvConstraints {
  /** The label column: a header name, or with `header: false` a 1-based column number. */
  label: string;
  /** The feature columns, in order (default: every column but the label). */
  columns?: string[];
  /** Field delimiter (default ","). */
  delimiter?: string;
  /** Whether the first line names the columns (default true). */
  header?: boolean;
}

/**
 * Reads a CSV file: one point per data line, the label column and the feature
 * columns chosen by name. Empty lines are skipped; every data line must have
 * as many fields as the header. Throws InputError naming the file, the line
 * and the column.
 */
export function readCsvData(file: string, c: CsvConstraints): DataSet {
  const text = readText(file);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // with info: true each record comes as { record, info } (the types do not say so)
    records = parse(text, {
      bom: true,
      delimiter: c.delimiter ?? ',',
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as typeof records;
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new InputError(file, err.lines !== undefined ? `line ${err.lines}` : '', `not valid CSV (${err.message})`);
  }
  const header = c.header ?? true;
  const first = records[0];
  if (first === undefined) throw new InputError(file, '', 'is empty: no header and no data');
  const names = header ? first.record : first.record.map((_, t) => String(t + 1));
  const body = header ? records.slice(1) : records;
  if (body.length === 0) throw new InputError(file, '', 'has a header but no data lines');
  const seen = new Map<string, number>();
  names.forEach((n, t) => {
    if (seen.has(n)) throw new InputError(file, 'line 1', `column name ${JSON.stringify(n)} appears twice (columns ${seen.get(n)! + 1} and ${t + 1})`);
    seen.set(n, t);
  });
  const known = `${header ? 'columns' : 'column numbers'}: ${names.map((n) => JSON.stringify(n)).join(', ')}`;
  const column = (name: string, option: string): number => {
    const t = seen.get(name);
    if (t === undefined) throw new InputError('command line', option, `${file} has no column ${JSON.stringify(name)} (${known})`);
    return t;
  };
  const labelAt = column(c.label, '--label');
  const featureNames = c.columns ?? names.filter((_, t) => t !== labelAt);
  if (featureNames.length === 0) throw new InputError('command line', '--columns', `no feature columns: ${file} has only the label column`);
  const featureAt = featureNames.map((n) => column(n, '--columns'));
  if (featureAt.includes(labelAt)) throw new InputError('command line', '--columns', `the label column ${JSON.stringify(c.label)} cannot also be a feature`);
  const lines = body.map((r) => r.info.lines);
  const where = (i: number, j?: number): { file: string; field: string } => ({
    file,
    field: `line ${lines[i]}, column ${JSON.stringify(j === undefined ? c.label : featureNames[j])}`,
  });
  const cell = (row: string[], i: number, t: number, j?: number): Q => {
    const text = row[t]!;
    const v = parseRational(text);
    if (v === undefined) {
      const { field } = where(i, j);
      throw new InputError(file, field, text === '' ? 'empty' : `not an exact number: ${JSON.stringify(text)} (use an integer, a decimal, 1e-3 or p/q)`);
    }
    return v;
  };
  const points: Q[][] = [];
  const labels: Q[] = [];
  body.forEach(({ record }, i) => {
    if (record.length !== names.length)
      throw new InputError(file, `line ${lines[i]}`, `has ${record.length} fields, the ${header ? 'header' : 'first line'} has ${names.length}`);
    points.push(featureAt.map((t, j) => cell(record, i, t, j)));
    labels.push(cell(record, i, labelAt));
  });
  const shown = (ns: string[]): string => ns.map((n) => (header ? n : `#${n}`)).join(', ');
  return { points, labels, where, origin: `${file}: ${points.length} rows; features ${shown(featureNames)}; label ${shown([c.label])}` };
}

/**
 * Reads points from X.npy (shape (n, d), or (n,) for d = 1) and labels from
 * y.npy (shape (n,) or (n, 1)). Throws InputError naming the array and index.
 */
export function readNpyData(xFile: string, yFile: string): DataSet {
  const x = readNpy(xFile);
  const y = readNpy(yFile);
  if (x.shape.length !== 1 && x.shape.length !== 2)
    throw new InputError(xFile, 'shape', `is ${shapeText(x.shape)}; points must be an n x d matrix (or a vector of n for d = 1)`);
  const n = x.shape[0]!;
  const d = x.shape.length === 2 ? x.shape[1]! : 1;
  if (n === 0 || d === 0) throw new InputError(xFile, 'shape', `is ${x.shape.join(' x ')}: no points`);
  if (!(y.shape.length === 1 || (y.shape.length === 2 && y.shape[1] === 1)))
    throw new InputError(
      yFile,
      'shape',
      `is ${shapeText(y.shape)}; labels must be a vector of n (or an n x 1 matrix)${y.shape.length === 2 ? `: ${ONE_OUTPUT}` : ''}`,
    );
  if (y.shape[0] !== n) throw new InputError(yFile, 'shape', `has ${y.shape[0]} labels, ${xFile} has ${n} points`);
  const points = Array.from({ length: n }, (_, i) => x.data.slice(i * d, (i + 1) * d));
  const where = (i: number, j?: number): { file: string; field: string } =>
    j === undefined
      ? { file: yFile, field: y.shape.length === 1 ? `[${i}]` : `[${i}][0]` }
      : { file: xFile, field: x.shape.length === 1 ? `[${i}]` : `[${i}][${j}]` };
  return { points, labels: y.data, where, origin: `${xFile} (${n} x ${d}) and ${yFile}` };
}
