/**
 * Schemas (zod) for relucert-instance/1 and relucert-network/1, the exact
 * reading of numbers, and the cross-field checks a schema cannot express.
 * The formats are specified in docs/formats.md.
 */
import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { type JsonValue, isJsonError, parseJson } from '../check/json.js';
import { MAX_NUMBER_DIGITS, Q, numberDigits, parseRational } from '../core/rational.js';
import type { Architecture, Instance, Layer, Loss, Network, OutputWeights } from '../core/types.js';
import { type Automorphism, automorphismOf } from '../core/automorphism.js';
import { unusableBecause } from '../encode/symmetry.js';
import { InputError, count, fieldName } from './errors.js';

/**
 * A JSON number token that is not an integer (`0.5`, `1e2`, `1.0`). Files are
 * read with a text-preserving reader, so such a token never becomes a double;
 * it is rejected all the same, as docs/formats.md says (the checker does too).
 */
export class NonIntegerToken {
  constructor(readonly text: string) {}
}

/** Up to 60 characters of a number text, for messages. */
const shown = (text: string): string => (text.length > 60 ? `${text.slice(0, 57)}...` : text);
const OVER_LIMIT = `more than ${MAX_NUMBER_DIGITS} digits (an exponent e counts as |e| digits; docs/formats.md, Limits)`;

/** An exact number: a JSON integer, or a string "-3", "7/2", "0.125", "1e-3". */
export const rational = z.union([z.number(), z.string(), z.instanceof(NonIntegerToken)]).transform((v, ctx) => {
  if (v instanceof NonIntegerToken) {
    const over = numberDigits(v.text) > MAX_NUMBER_DIGITS;
    ctx.addIssue({
      code: 'custom',
      message: `not an exact rational: ${shown(v.text)} (${over ? OVER_LIMIT : `a JSON number must be an integer; write "${shown(v.text)}" as a string`})`,
    });
    return z.NEVER;
  }
  const r = parseRational(v);
  if (r === undefined) {
    const over = typeof v === 'string' && numberDigits(v.trim()) > MAX_NUMBER_DIGITS;
    ctx.addIssue({
      code: 'custom',
      message: `not an exact rational: ${typeof v === 'string' ? JSON.stringify(shown(v)) : v} (${over ? OVER_LIMIT : 'use an integer, "p/q", a finite decimal or "1e-3" as a string'})`,
    });
    return z.NEVER;
  }
  return r;
});

const bound = rational.refine((v) => v.sign() >= 0, 'bound must be >= 0');

const lossSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('exact') }),
  z.strictObject({ type: z.literal('l1'), bound, strict: z.boolean().optional() }),
  z.strictObject({ type: z.literal('linf'), bound, strict: z.boolean().optional() }),
  z.strictObject({ type: z.literal('l2'), bound, strict: z.boolean().optional() }),
  z.strictObject({ type: z.literal('classification') }),
]);

/** A leaky ReLU's slope: a rational in [0, 1) (docs/formats.md). */
const slope = rational.refine((v) => v.sign() >= 0 && v.lt(Q.ONE), 'slope must be a rational in [0, 1) (0 <= slope < 1)');

const architectureSchema = z.strictObject({
  hidden: z.number().int().min(1).max(64),
  activation: z.enum(['relu', 'leaky-relu', 'threshold']),
  slope: slope.optional(),
  outputWeights: z.union([z.enum(['signs', 'positive', 'free']), z.array(rational)]),
  outputBias: z.boolean(),
  weightBound: rational.refine((v) => v.sign() > 0, 'weightBound must be > 0').optional(),
  boundOutputWeights: z.boolean().optional(),
});

export const instanceSchema = z.strictObject({
  format: z.literal('relucert-instance/1'),
  name: z.string().min(1),
  description: z.string().optional(),
  source: z.string().optional(),
  points: z.array(z.array(rational).min(1)).min(1),
  labels: z.array(rational),
  architecture: architectureSchema,
  loss: lossSchema,
  symmetries: z.array(z.strictObject({ linear: z.array(z.array(rational)), shift: z.array(rational).optional() })).optional(),
});

const layerSchema = z.strictObject({
  activation: z.enum(['relu', 'leaky-relu', 'threshold', 'identity']),
  slope: slope.optional(),
  weights: z.array(z.array(rational)).min(1),
  bias: z.array(rational),
});

export const networkSchema = z.strictObject({
  format: z.literal('relucert-network/1'),
  layers: z.array(layerSchema).min(1),
});

/** Runs a schema; the first issue becomes an InputError naming file and field. */
export function parseWith<T extends z.ZodType>(schema: T, data: unknown, file: string, prefix: readonly PropertyKey[] = []): z.output<T> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const path = [...prefix, ...issue.path];
  let msg = issue.message;
  if (issue.code === 'unrecognized_keys') msg = `unknown field ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
  if (issue.code === 'invalid_type' && msg.includes('received undefined')) msg = 'missing';
  // a union (a number's spellings) reports a missing field as "Invalid input": say missing
  if (issue.path.length > 0 && valueAt(data, issue.path) === undefined && issue.code !== 'unrecognized_keys') msg = 'missing';
  throw new InputError(file, fieldName(path) || '(top level)', msg);
}

/** The value at `path` inside parsed JSON, or undefined. */
function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const key of path) {
    if (typeof v !== 'object' || v === null || !Object.prototype.hasOwnProperty.call(v, key)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** A file's text; a missing or unreadable file is an InputError naming it. */
/** The largest text file read (docs/formats.md, Limits): larger ones are refused before reading. */
export const MAX_TEXT_BYTES = 256 * 1024 * 1024;

export function readText(file: string): string {
  let size = 0;
  try {
    size = statSync(file).size;
  } catch {
    // readBytes names the problem
  }
  if (size > MAX_TEXT_BYTES) throw new InputError(file, '', 'larger than 256 MiB (docs/formats.md, Limits)');
  return readBytes(file).toString('utf8');
}

/** A file's bytes (binary formats: .npy, safetensors, ONNX); a missing or unreadable file is an InputError naming it. */
export function readBytes(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(file, '', code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a file' : `cannot read (${code ?? 'error'})`);
  }
}

export function readJsonFile(file: string): unknown {
  const text = readText(file);
  const doc = parseJson(text);
  if (isJsonError(doc)) {
    if (doc.duplicateKey !== undefined) throw new InputError(file, doc.path || '(top level)', `repeated key ${JSON.stringify(doc.duplicateKey)}`);
    throw new InputError(file, '', `not valid JSON (${doc.message} at line ${doc.line}, column ${doc.column})`);
  }
  return plain(doc, file);
}

const SAFE_INTEGER_TOKEN = /^-?(0|[1-9][0-9]{0,14})$/;

/** docs/formats.md, Limits: arrays and objects nest at most this deep (the formats need 5 levels). */
export const MAX_NESTING = 64;

/**
 * The reader's value as plain JS: integer tokens as numbers (or strings when
 * large), others as NonIntegerToken. Nesting beyond MAX_NESTING is bad input
 * (the reader itself copes with any depth; this conversion recurses).
 */
function plain(v: JsonValue, file: string, path: PropertyKey[] = []): unknown {
  switch (v.type) {
    case 'null':
      return null;
    case 'boolean':
    case 'string':
      return v.value;
    case 'number':
      if (SAFE_INTEGER_TOKEN.test(v.text)) return Number(v.text);
      return /^-?(0|[1-9][0-9]*)$/.test(v.text) ? v.text : new NonIntegerToken(v.text);
    case 'array':
    case 'object': {
      if (path.length >= MAX_NESTING) throw new InputError(file, fieldName(path), `nested more than ${MAX_NESTING} levels deep (docs/formats.md, Limits)`);
      if (v.type === 'array') return v.items.map((x, i) => plain(x, file, [...path, i]));
      const o: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (const [k, x] of v.entries) o[k] = plain(x, file, [...path, k]);
      return o;
    }
  }
}

/** Validates a parsed instance object; file names the source in errors. */
export function toInstance(data: unknown, file: string): Instance {
  const raw = parseWith(instanceSchema, data, file);
  const d = raw.points[0]!.length;
  raw.points.forEach((p, i) => {
    if (p.length !== d) throw new InputError(file, `points[${i}]`, `has ${p.length} coordinates, points[0] has ${d}`);
  });
  if (raw.labels.length !== raw.points.length)
    throw new InputError(file, 'labels', `has ${count(raw.labels.length, 'entry', 'entries')} for ${count(raw.points.length, 'point')}`);
  const a = raw.architecture;
  let outputWeights: OutputWeights;
  if (Array.isArray(a.outputWeights)) {
    if (a.outputWeights.length !== a.hidden)
      throw new InputError(
        file,
        'architecture.outputWeights',
        `has ${count(a.outputWeights.length, 'entry', 'entries')} for ${count(a.hidden, 'hidden unit')}`,
      );
    outputWeights = { mode: 'fixed', values: a.outputWeights };
  } else outputWeights = { mode: a.outputWeights };
  checkSlope(a.activation, a.slope, file, 'architecture');
  if (a.boundOutputWeights === true && a.weightBound === undefined)
    throw new InputError(file, 'architecture.boundOutputWeights', 'needs a weightBound (the bound it puts on the output weights)');
  if (a.boundOutputWeights === true && outputWeights.mode !== 'free')
    throw new InputError(
      file,
      'architecture.boundOutputWeights',
      `only free output weights can be bounded (outputWeights is ${Array.isArray(a.outputWeights) ? 'a list' : a.outputWeights})`,
    );
  const architecture: Architecture = {
    hidden: a.hidden,
    activation: a.activation,
    outputWeights,
    outputBias: a.outputBias,
    ...(a.slope !== undefined ? { slope: a.slope } : {}),
    ...(a.weightBound !== undefined ? { weightBound: a.weightBound } : {}),
    ...(a.boundOutputWeights === true ? { boundOutputWeights: true } : {}),
  };
  let loss: Loss;
  switch (raw.loss.type) {
    case 'l1':
    case 'linf':
    case 'l2':
      loss = { type: raw.loss.type, bound: raw.loss.bound, strict: raw.loss.strict ?? false };
      break;
    case 'classification':
      raw.labels.forEach((y, i) => {
        if (!y.abs().eq(Q.ONE)) throw new InputError(file, `labels[${i}]`, `classification labels must be 1 or -1, got ${y}`);
      });
      loss = { type: 'classification' };
      break;
    case 'exact':
      loss = { type: 'exact' };
      break;
  }
  const inst: Instance = {
    name: raw.name,
    description: raw.description ?? '',
    ...(raw.source !== undefined ? { source: raw.source } : {}),
    points: raw.points,
    labels: raw.labels,
    architecture,
    loss,
  };
  if (raw.symmetries !== undefined) inst.symmetries = raw.symmetries.map((m, g) => declaredSymmetry(inst, m.linear, m.shift, file, `symmetries[${g}]`));
  return inst;
}

/**
 * A declared symmetry (docs/formats.md, "Symmetries"): x -> linear x +
 * shift (shift 0 when absent), verified exactly to map the points onto the
 * points and the labels as the question allows (src/core/automorphism.ts,
 * src/encode/symmetry.ts); anything else is bad input naming the field.
 */
function declaredSymmetry(inst: Instance, linear: Q[][], shift: Q[] | undefined, file: string, where: string): Automorphism {
  const d = inst.points[0]!.length;
  if (linear.length !== d) throw new InputError(file, `${where}.linear`, `has ${count(linear.length, 'row')}, the points have dimension ${d}`);
  linear.forEach((row, r) => {
    if (row.length !== d) throw new InputError(file, `${where}.linear[${r}]`, `has ${count(row.length, 'entry', 'entries')}, the points have dimension ${d}`);
  });
  if (shift !== undefined && shift.length !== d)
    throw new InputError(file, `${where}.shift`, `has ${count(shift.length, 'entry', 'entries')}, the points have dimension ${d}`);
  const aut = automorphismOf(inst, { linear, shift: shift ?? (Array(d).fill(Q.ZERO) as Q[]) }, true);
  if (typeof aut === 'string') throw new InputError(file, where, `not a symmetry of the instance: it ${aut}`);
  const why = unusableBecause(inst, aut);
  if (why !== undefined) throw new InputError(file, where, `not a symmetry of the question: ${why}`);
  return aut;
}

/** `slope` is required with leaky-relu and refused with any other activation. */
function checkSlope(activation: string, slope: Q | undefined, file: string, where: string): void {
  if (activation === 'leaky-relu' && slope === undefined)
    throw new InputError(file, `${where}.slope`, 'missing: leaky-relu needs a slope in [0, 1), e.g. "1/100"');
  if (activation !== 'leaky-relu' && slope !== undefined)
    throw new InputError(file, `${where}.slope`, `only a leaky-relu has a slope (activation is ${activation})`);
}

export function toNetwork(data: unknown, file: string, prefix: readonly PropertyKey[] = []): Network {
  const raw = parseWith(networkSchema, data, file, prefix);
  const layers: Layer[] = raw.layers.map((l) => ({
    activation: l.activation,
    weights: l.weights,
    bias: l.bias,
    ...(l.slope !== undefined ? { slope: l.slope } : {}),
  }));
  layers.forEach((layer, l) => {
    const where = fieldName([...prefix, 'layers', l]);
    checkSlope(layer.activation, layer.slope, file, where);
    const width = layer.weights[0]!.length;
    layer.weights.forEach((row, u) => {
      if (row.length !== width) throw new InputError(file, `${where}.weights[${u}]`, `has ${count(row.length, 'entry', 'entries')}, row 0 has ${width}`);
    });
    if (layer.bias.length !== layer.weights.length)
      throw new InputError(file, `${where}.bias`, `has ${count(layer.bias.length, 'entry', 'entries')} for ${count(layer.weights.length, 'unit')}`);
    if (l > 0 && width !== layers[l - 1]!.weights.length)
      throw new InputError(
        file,
        `${where}.weights`,
        `rows have ${count(width, 'entry', 'entries')} but the previous layer has ${count(layers[l - 1]!.weights.length, 'unit')}`,
      );
  });
  return { layers };
}

/**
 * The error for a relucert file given where another kind belongs: what the
 * file is and which command reads it, e.g. "this is a network
 * (relucert-network/1), not an instance (relucert-instance/1); `relucert
 * eval INSTANCE FILE` evaluates it". `format` is the file's own `format`
 * field (relucert-*), `expected` the kind wanted, as "an instance
 * (relucert-instance/1)". The one table of kinds and their readers.
 */
export function wrongKind(file: string, format: string, expected: string): InputError {
  const [what, reader] = format.startsWith('relucert-instance/')
    ? ['an instance', '`relucert solve FILE --cert CERT` decides it and writes a certificate']
    : format.startsWith('relucert-network/')
      ? ['a network', '`relucert eval INSTANCE FILE` evaluates it']
      : format.includes('certificate')
        ? ['a certificate', '`relucert check FILE` checks it']
        : [`a ${format.replace(/^relucert-|\/\d+$/g, '')} file`, 'see `relucert --help`'];
  return new InputError(file, 'format', `this is ${what} (${format}), not ${expected}; ${reader}`);
}

export function readInstance(file: string): Instance {
  const data = readJsonFile(file);
  const format = typeof data === 'object' && data !== null ? (data as { format?: unknown }).format : undefined;
  // another relucert file given where an instance belongs: say what it is and what reads it
  if (typeof format === 'string' && format !== 'relucert-instance/1' && format.startsWith('relucert-'))
    throw wrongKind(file, format, 'an instance (relucert-instance/1)');
  return toInstance(data, file);
}

export function readNetwork(file: string): Network {
  return toNetwork(readJsonFile(file), file);
}

/**
 * A network from a relucert-network/1 file, or the witness network of a
 * feasible relucert-certificate/1 (read as a network, not checked: `relucert
 * check` checks certificates). An infeasibility certificate has no network.
 */
export function readNetworkOrWitness(file: string): Network {
  const data = readJsonFile(file);
  const format = typeof data === 'object' && data !== null ? (data as Record<string, unknown>).format : undefined;
  if (format !== 'relucert-certificate/1') return toNetwork(data, file);
  const cert = data as Record<string, unknown>;
  if (cert.verdict !== 'feasible' || cert.network === undefined)
    throw new InputError(file, 'verdict', 'an infeasibility certificate has no network; give a network file or a feasible certificate');
  return toNetwork(cert.network, file, ['network']);
}
