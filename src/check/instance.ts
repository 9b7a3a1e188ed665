/**
 * The checker's own reading of a relucert-instance/1 object (clause C2), its
 * canonical form and its hash (section 2, used by C3).
 *
 * Fields, as in docs/formats.md / src/format/schema.ts: format, name,
 * description?, source?, points (n >= 1 arrays of d >= 1 numbers), labels (n
 * numbers; 1 or -1 for classification), architecture { hidden 1..64,
 * activation relu|leaky-relu|threshold, slope (leaky-relu only, in [0, 1)),
 * outputWeights signs|positive|free|[k numbers], outputBias boolean,
 * weightBound? (> 0), boundOutputWeights? (with weightBound and free output
 * weights only) }, loss { type exact|classification } or { type l1|linf|l2,
 * bound >= 0, strict? }, symmetries? (a list of {linear: d rows of d
 * numbers, shift?: d numbers}: read for its shape only, since it is not part
 * of the question; a proof's maps are verified where they are used, A1-A4
 * of docs/certificates.md 4.8).
 */
import { createHash } from 'node:crypto';
import { describe, isRejection, readArray, readBoolean, readIndex, readObject, readRat, readString } from './fields.js';
import { type JsonValue, fieldPath } from './json.js';
import { Rat } from './rational.js';
import { Rejection, quote } from './rejection.js';

export type Activation = 'relu' | 'leaky-relu' | 'threshold';
/** The output-weight mode, or the fixed list of weights. */
export type OutputWeights = 'signs' | 'positive' | 'free' | Rat[];
export type Loss = { type: 'exact' } | { type: 'classification' } | { type: 'l1' | 'linf' | 'l2'; bound: Rat; strict: boolean };

export interface Instance {
  name: string;
  /** n points of dimension d. */
  points: Rat[][];
  labels: Rat[];
  n: number;
  d: number;
  /** k, the number of hidden units. */
  hidden: number;
  activation: Activation;
  /** The slope of a unit for h <= 0: 0 for relu, the instance's for leaky-relu; undefined for threshold. */
  slope: Rat | undefined;
  outputWeights: OutputWeights;
  outputBias: boolean;
  /** |w|, |b| <= B for every hidden weight and bias; undefined: unbounded. */
  weightBound: Rat | undefined;
  /** |a_j| <= weightBound too (free output weights only). */
  boundOutputWeights: boolean;
  loss: Loss;
}

const RULE = 'C2';
const MAX_HIDDEN = 64;

/** Reads and validates an instance object; `path` is its place in the file ('' or 'instance'). */
export function readInstance(v: JsonValue | undefined, path: string): Instance | Rejection {
  const at = (key: string): string => fieldPath(path, key);
  const obj = readObject(v, RULE, path, ['format', 'name', 'points', 'labels', 'architecture', 'loss'], ['description', 'source', 'symmetries']);
  if (isRejection(obj)) return obj;
  const get = (key: string): JsonValue | undefined => obj.entries.get(key);

  const format = readString(get('format'), RULE, at('format'));
  if (isRejection(format)) return format;
  if (format !== 'relucert-instance/1') return new Rejection(RULE, at('format'), '"relucert-instance/1"', JSON.stringify(format));
  const name = readString(get('name'), RULE, at('name'));
  if (isRejection(name)) return name;
  if (name === '') return new Rejection(RULE, at('name'), 'a non-empty name', '""');
  for (const key of ['description', 'source']) {
    const s = get(key) === undefined ? '' : readString(get(key), RULE, at(key));
    if (isRejection(s)) return s;
  }

  // points and labels
  const pts = readArray(get('points'), RULE, at('points'));
  if (isRejection(pts)) return pts;
  if (pts.items.length === 0) return new Rejection(RULE, at('points'), 'at least one point', 'an empty array');
  const points: Rat[][] = [];
  for (const [i, p] of pts.items.entries()) {
    const row = readRats(p, fieldPath(at('points'), i));
    if (isRejection(row)) return row;
    const d = points[0]?.length ?? row.length;
    if (row.length === 0 || row.length !== d)
      return new Rejection(RULE, fieldPath(at('points'), i), `${d === 0 ? 'at least 1' : d} coordinates`, `${row.length}`);
    points.push(row);
  }
  const n = points.length;
  const d = points[0]!.length;
  const labels = readRats(get('labels'), at('labels'));
  if (isRejection(labels)) return labels;
  if (labels.length !== n) return new Rejection(RULE, at('labels'), `${n} labels (one per point)`, `${labels.length}`);

  // architecture
  const archPath = at('architecture');
  const arch = readObject(
    get('architecture'),
    RULE,
    archPath,
    ['hidden', 'activation', 'outputWeights', 'outputBias'],
    ['slope', 'weightBound', 'boundOutputWeights'],
  );
  if (isRejection(arch)) return arch;
  const hidden = readIndex(arch.entries.get('hidden'), RULE, fieldPath(archPath, 'hidden'), MAX_HIDDEN + 1, 'hidden units', 1);
  if (isRejection(hidden)) return hidden;
  const activation = readString(arch.entries.get('activation'), RULE, fieldPath(archPath, 'activation'));
  if (isRejection(activation)) return activation;
  if (activation !== 'relu' && activation !== 'leaky-relu' && activation !== 'threshold')
    return new Rejection(RULE, fieldPath(archPath, 'activation'), '"relu", "leaky-relu" or "threshold"', JSON.stringify(activation));
  const slopePath = fieldPath(archPath, 'slope');
  const slopeValue = arch.entries.get('slope');
  let slope: Rat | undefined = activation === 'relu' ? Rat.ZERO : undefined;
  if (activation === 'leaky-relu') {
    if (slopeValue === undefined) return new Rejection(RULE, slopePath, 'a slope (leaky-relu)', 'none');
    const r = readRat(slopeValue, RULE, slopePath);
    if (isRejection(r)) return r;
    if (r.sign() < 0 || !r.lt(Rat.ONE)) return new Rejection(RULE, slopePath, 'a slope in [0, 1)', r.toString());
    slope = r;
  } else if (slopeValue !== undefined) return new Rejection(RULE, slopePath, `no slope (activation ${activation})`, describe(slopeValue));
  const boundValue = arch.entries.get('weightBound');
  let weightBound: Rat | undefined;
  if (boundValue !== undefined) {
    const r = readRat(boundValue, RULE, fieldPath(archPath, 'weightBound'));
    if (isRejection(r)) return r;
    if (r.sign() <= 0) return new Rejection(RULE, fieldPath(archPath, 'weightBound'), 'a weight bound > 0', r.toString());
    weightBound = r;
  }
  const owValue = arch.entries.get('outputWeights');
  const owPath = fieldPath(archPath, 'outputWeights');
  let outputWeights: OutputWeights;
  if (owValue?.type === 'string') {
    if (owValue.value !== 'signs' && owValue.value !== 'positive' && owValue.value !== 'free')
      return new Rejection(RULE, owPath, '"signs", "positive", "free" or a list of numbers', describe(owValue));
    outputWeights = owValue.value;
  } else {
    const list = readRats(owValue, owPath);
    if (isRejection(list)) return list;
    if (list.length !== hidden) return new Rejection(RULE, owPath, `${hidden} output weights (one per hidden unit)`, `${list.length}`);
    outputWeights = list;
  }
  const outputBias = readBoolean(arch.entries.get('outputBias'), RULE, fieldPath(archPath, 'outputBias'));
  if (isRejection(outputBias)) return outputBias;
  const bowPath = fieldPath(archPath, 'boundOutputWeights');
  const bowValue = arch.entries.get('boundOutputWeights');
  const boundOutputWeights = bowValue === undefined ? false : readBoolean(bowValue, RULE, bowPath);
  if (isRejection(boundOutputWeights)) return boundOutputWeights;
  if (boundOutputWeights && weightBound === undefined) return new Rejection(RULE, bowPath, 'a weightBound with boundOutputWeights', 'none');
  if (boundOutputWeights && outputWeights !== 'free')
    return new Rejection(RULE, bowPath, 'free output weights with boundOutputWeights', typeof outputWeights === 'string' ? outputWeights : 'a list');

  // loss
  const loss = readLoss(get('loss'), at('loss'), labels, at('labels'));
  if (isRejection(loss)) return loss;
  const symmetries = get('symmetries') === undefined ? undefined : readSymmetryShapes(get('symmetries'), at('symmetries'), d);
  if (isRejection(symmetries)) return symmetries;
  return { name, points, labels, n, d, hidden, activation, slope, outputWeights, outputBias, weightBound, boundOutputWeights, loss };
}

/** `symmetries`: a list of {linear: d rows of d numbers, shift?: d numbers}; their content does not enter the question. */
function readSymmetryShapes(v: JsonValue | undefined, path: string, d: number): undefined | Rejection {
  const list = readArray(v, RULE, path);
  if (isRejection(list)) return list;
  for (const [g, item] of list.items.entries()) {
    const at = fieldPath(path, g);
    const obj = readObject(item, RULE, at, ['linear'], ['shift']);
    if (isRejection(obj)) return obj;
    const linearPath = fieldPath(at, 'linear');
    const rows = readArray(obj.entries.get('linear'), RULE, linearPath);
    if (isRejection(rows)) return rows;
    if (rows.items.length !== d) return new Rejection(RULE, linearPath, `${d} rows`, `${rows.items.length}`);
    const vectors = rows.items.map((row, r): [JsonValue | undefined, string] => [row, fieldPath(linearPath, r)]);
    if (obj.entries.has('shift')) vectors.push([obj.entries.get('shift'), fieldPath(at, 'shift')]);
    for (const [vector, vectorPath] of vectors) {
      const xs = readRats(vector, vectorPath);
      if (isRejection(xs)) return xs;
      if (xs.length !== d) return new Rejection(RULE, vectorPath, `${d} numbers`, `${xs.length}`);
    }
  }
  return undefined;
}

function readRats(v: JsonValue | undefined, path: string): Rat[] | Rejection {
  const arr = readArray(v, RULE, path);
  if (isRejection(arr)) return arr;
  const out: Rat[] = [];
  for (const [t, item] of arr.items.entries()) {
    const r = readRat(item, RULE, fieldPath(path, t));
    if (isRejection(r)) return r;
    out.push(r);
  }
  return out;
}

function readLoss(v: JsonValue | undefined, path: string, labels: Rat[], labelsPath: string): Loss | Rejection {
  const head = readObject(v, RULE, path, ['type'], ['bound', 'strict']);
  if (isRejection(head)) return head;
  const type = readString(head.entries.get('type'), RULE, fieldPath(path, 'type'));
  if (isRejection(type)) return type;
  switch (type) {
    case 'exact':
    case 'classification': {
      const obj = readObject(v, RULE, path, ['type']);
      if (isRejection(obj)) return obj;
      if (type === 'classification')
        for (const [i, y] of labels.entries())
          if (!y.abs().eq(Rat.ONE)) return new Rejection(RULE, fieldPath(labelsPath, i), 'a classification label 1 or -1', y.toString());
      return { type };
    }
    case 'l1':
    case 'linf':
    case 'l2': {
      const obj = readObject(v, RULE, path, ['type', 'bound'], ['strict']);
      if (isRejection(obj)) return obj;
      const bound = readRat(obj.entries.get('bound'), RULE, fieldPath(path, 'bound'));
      if (isRejection(bound)) return bound;
      if (bound.sign() < 0) return new Rejection(RULE, fieldPath(path, 'bound'), 'a bound >= 0', bound.toString());
      const s = obj.entries.get('strict');
      const strict = s === undefined ? false : readBoolean(s, RULE, fieldPath(path, 'strict'));
      if (isRejection(strict)) return strict;
      return { type, bound, strict };
    }
    default:
      return new Rejection(RULE, fieldPath(path, 'type'), '"exact", "l1", "linf", "l2" or "classification"', JSON.stringify(type));
  }
}

/**
 * The canonical form of docs/certificates.md section 2: fixed key order, no
 * whitespace, every number as its reduced fraction string, no name,
 * description or source, `strict` always present for l1/linf/l2, `slope` only
 * for leaky-relu, `weightBound` only when given, `boundOutputWeights` only
 * when true. Every string in
 * it is a number text or a fixed word, so no JSON escaping is needed.
 */
export function canonicalText(inst: Instance): string {
  const num = (r: Rat): string => `"${r.toString()}"`;
  const list = (rs: Rat[]): string => `[${rs.map(num).join(',')}]`;
  const ow = typeof inst.outputWeights === 'string' ? `"${inst.outputWeights}"` : list(inst.outputWeights);
  const loss = inst.loss;
  const lossText =
    loss.type === 'exact' || loss.type === 'classification'
      ? `{"type":"${loss.type}"}`
      : `{"type":"${loss.type}","bound":${num(loss.bound)},"strict":${loss.strict}}`;
  return (
    `{"format":"relucert-instance/1","points":[${inst.points.map(list).join(',')}],"labels":${list(inst.labels)},` +
    `"architecture":{"hidden":${inst.hidden},"activation":"${inst.activation}",` +
    (inst.activation === 'leaky-relu' && inst.slope !== undefined ? `"slope":${num(inst.slope)},` : '') +
    `"outputWeights":${ow},"outputBias":${inst.outputBias}` +
    (inst.weightBound !== undefined ? `,"weightBound":${num(inst.weightBound)}` : '') +
    (inst.boundOutputWeights ? ',"boundOutputWeights":true' : '') +
    `},` +
    `"loss":${lossText}}`
  );
}

/** "sha256:" + lowercase hex SHA-256 of the UTF-8 bytes of the canonical form. */
export function instanceHash(inst: Instance): string {
  return 'sha256:' + createHash('sha256').update(canonicalText(inst), 'utf8').digest('hex');
}

/**
 * How a statement names the instance it is about (docs/certificates.md
 * section 7, one rule for training and Gram certificates): by the name in
 * the instance file when one was given (`--instance`; names are not hashed,
 * so the file's is the one the reader chose), else by the embedded
 * instance's name; quoted (rejection.ts).
 */
export function statementName(inst: Instance, file: Instance | undefined): string {
  return quote((file ?? inst).name);
}
