/**
 * The independent certificate checker of relucert: the trust base.
 *
 * It checks the three certificate kinds clause by clause, each as its
 * specification says, with exact rational arithmetic, rebuilding everything
 * it compares from the data the certificate is about:
 *   training  relucert-certificate/1, /2 and /3: docs/certificates.md (C1-C4, W1-W3, P1-P2, F1-F4, Q1-Q3, S1-S2, D1-D4, A1-A4, I1-I3, X1-X3)
 *   region    relucert-region-certificate/1: docs/stochastic.md section 7 (R1-R10)
 *   gram      relucert-gram-certificate/1: docs/gram-certificates.md (G1-G10)
 * through one entry, `checkCertificate`, with one result type and one cost
 * model: every check runs within the size and work limits of
 * docs/certificates.md section 6 (C4 past the work limit, for every kind).
 * It imports only node built-ins and the files below; nothing from the
 * solver (tests/check/imports.test.ts enforces this, and that no floating
 * point is used).
 *
 * Files (read in this order):
 *   index.ts      the entry: limits, reading the files, the kind table, the outcome
 *   rejection.ts  a rejection as data {rule, path, expected, got}, one formatter; quoting names
 *   cost.ts       the cost model: one work budget, charged by every operation a certificate can make expensive
 *   rational.ts   exact rationals on bigint (Rat), read from text only, every operation charged
 *   json.ts       strict JSON reader: number tokens kept as text, repeated keys reported
 *   fields.ts     typed field readers (objects with a closed field list, numbers, integers, indices)
 *   instance.ts   relucert-instance/1 reader (C2), canonical form and SHA-256 (section 2), the name a statement uses
 *   training.ts   training certificates: C1 (top level), C2, C3 (binding), dispatch, statement
 *   witness.ts    feasible certificates: W1 shape, W2 output weights, W3 exact loss
 *   rows.ts       P1 cases and lemmas; the rows of section 4.3 rebuilt from their names
 *   proof.ts      infeasible certificates: P1 root, rule table for P2 splits, F1-F4 leaves, Q1-Q3 l2dual leaves,
 *                 S1-S2 symmetry leaves, D1-D4 lemmas and lemma leaves (format /2)
 *   image.ts      format /3: A1-A4 the maps of a proof (instance automorphisms), I1-I3 image leaves (lemma L9), X1-X3 lex leaves (L10)
 *   region.ts     relucert-region-certificate/1: R1-R10, the network (read, hashed, bound) and the tree walk
 *   fault.ts      the arithmetic of region certificates: fault counts (Lemmas 1-2), Miller-Rabin, intervals, Theorem 1
 *   gram.ts       relucert-gram-certificate/1: G1-G10, eigenvalue-tail bounds of an exact Gram matrix
 */
import { Buffer } from 'node:buffer';
import { WORK_LIMIT, metered } from './cost.js';
import { describe, isRejection } from './fields.js';
import { GRAM_FORMAT, type GramResult, checkGram } from './gram.js';
import { type Instance, readInstance } from './instance.js';
import { type JsonValue, fieldPath, isJsonError, parseJson } from './json.js';
import { REGION_FORMAT, type RegionNetwork, type RegionResult, checkRegion, readNetwork } from './region.js';
import { Rejection, formatRejection, quote } from './rejection.js';
import { TRAINING_FORMATS, type TrainingResult, checkTraining } from './training.js';

export { Rejection, formatRejection, printable, quote } from './rejection.js';
export { GRAM_FORMAT } from './gram.js';
export { REGION_FORMAT } from './region.js';
export { TRAINING_FORMATS } from './training.js';

export type CertificateKind = 'training' | 'region' | 'gram';

type Result = TrainingResult | RegionResult | GramResult;
/** What a valid certificate proves (by kind), with the units of work its check spent. */
export type Valid = Result & { status: 'valid'; work: number };
export type TrainingValid = Extract<Valid, { kind: 'training' }>;
export type RegionValid = Extract<Valid, { kind: 'region' }>;
export type GramValid = Extract<Valid, { kind: 'gram' }>;
export type Rejected = { status: 'rejected'; rule: string; path: string; expected: string; got: string; message: string; work: number };
export type BadInput = { status: 'bad-input'; file: string; field: string; message: string };
/** The outcome of a check: valid (of the kind asked for), rejected under a clause, or bad input (a file that cannot be read as one). */
export type CheckOutcome<V extends Valid = Valid> = V | Rejected | BadInput;
type ValidOf<K extends CertificateKind | 'any'> = K extends CertificateKind ? Extract<Valid, { kind: K }> : Valid;

/** The limits of docs/certificates.md section 6. */
export interface CheckLimits {
  /** the largest file read (certificate, instance or network), in bytes of UTF-8 */
  maxBytes: number;
  /** the units of work (cost.ts) one check may spend */
  work: number;
}
/** About ten seconds and well under 1 GB for any certificate of up to 10 MiB (section 6): the limits of `relucert check`. */
export const DEFAULT_LIMITS: Readonly<CheckLimits> = { maxBytes: 10 * 1024 * 1024, work: WORK_LIMIT };

/**
 * The limits by size (section 6), for a caller that checks a certificate it
 * has just written (the commands' self-checks): the default limits up to
 * 10 MiB, and above that no size limit and the default work per 10 MiB, so
 * a large certificate a command writes is not refused for its size alone.
 */
export function limitsBySize(bytes: number): CheckLimits {
  const tens = bytes <= DEFAULT_LIMITS.maxBytes ? 1 : (bytes - (bytes % DEFAULT_LIMITS.maxBytes)) / DEFAULT_LIMITS.maxBytes + 1;
  return { maxBytes: tens * DEFAULT_LIMITS.maxBytes, work: tens * DEFAULT_LIMITS.work };
}

export interface CheckOptions<K extends CertificateKind | 'any' = 'training'> {
  /** The kind of certificate expected (training unless told); 'any' takes the kind from the certificate's `format`. */
  kind?: K;
  /** An instance file the certificate must be about (`--instance`: training and Gram certificates). */
  instance?: { text: string; file: string };
  /** A network file the certificate must be about (`--network`: region certificates). */
  network?: { text: string; file: string };
  /** The limits: the defaults with these changes (the user's `relucert check --max-bytes`, `--max-work`); by the text's size (limitsBySize) when not given. */
  limits?: Partial<CheckLimits>;
}

/** The files a certificate is bound to, read. */
export interface Bound {
  instance?: { instance: Instance; file: string };
  network?: { network: RegionNetwork; file: string };
}

/** One row per kind: its formats, the rule of a repeated key, the file it can be bound to, and its checker. */
interface KindEntry {
  formats: readonly string[];
  repeatedKeyRule: (path: string) => string;
  binds: 'instance' | 'network';
  check: (cert: JsonValue, bound: Bound) => Result | Rejection;
}
const KINDS: Readonly<Record<CertificateKind, KindEntry>> = {
  training: {
    formats: TRAINING_FORMATS,
    // a multipliers map is a leaf's (F1), every other object C1's
    repeatedKeyRule: (path) => (/\.multipliers$/.test(path) ? 'F1' : 'C1'),
    binds: 'instance',
    check: (cert, bound) => checkTraining(cert, bound.instance),
  },
  region: { formats: [REGION_FORMAT], repeatedKeyRule: () => 'R1', binds: 'network', check: (cert, bound) => checkRegion(cert, bound.network) },
  gram: { formats: [GRAM_FORMAT], repeatedKeyRule: () => 'G1', binds: 'instance', check: (cert, bound) => checkGram(cert, bound.instance) },
};

/**
 * Checks one certificate text. `certFile` (and the bound files' names) only
 * name the files in messages and statements. Never throws on any input; an
 * exception is a bug of the checker. Without `options.limits`, the limits
 * go by the certificate's size (limitsBySize). Order: the certificate's size and
 * syntax, the bound file, a repeated key, then the kind's clauses, all
 * within `limits.work` units (C4).
 */
export function checkCertificate<K extends CertificateKind | 'any' = 'training'>(
  certText: string,
  certFile: string,
  options: CheckOptions<K> = {},
): CheckOutcome<ValidOf<K>> {
  const limits: CheckLimits = options.limits === undefined ? limitsBySize(Buffer.byteLength(certText, 'utf8')) : { ...DEFAULT_LIMITS, ...options.limits };
  let spent = 0;
  const outcome = metered(
    () => checkTexts(certText, certFile, options, limits.maxBytes),
    limits.work,
    (units) => (spent = units),
  );
  if (outcome === 'work-limit')
    return rejected(new Rejection('C4', '', `a check within ${limits.work} units of work (section 6)`, 'numbers, rows or nodes that need more'), spent);
  if (isRejection(outcome)) return rejected(outcome, spent);
  if ('status' in outcome) return outcome;
  // the kind was the one asked for (or any): the result is of that kind
  return { status: 'valid', ...outcome, work: spent } as ValidOf<K>;
}

function checkTexts(certText: string, certFile: string, options: CheckOptions<CertificateKind | 'any'>, maxBytes: number): Result | Rejection | BadInput {
  const cert = readJsonFile(certText, certFile, maxBytes);
  if ('status' in cert) return cert;
  const entry = KINDS[options.kind === 'any' ? kindOf(cert.value) : (options.kind ?? 'training')];
  const bound = readBound(options, maxBytes, entry.binds);
  if ('status' in bound) return bound;
  if (cert.repeated !== undefined) return cert.repeated(entry.repeatedKeyRule);
  if (cert.value.type !== 'object') return badInput(certFile, '', `not a certificate: the top level is ${describe(cert.value)}, expected an object`);
  return entry.check(cert.value, bound);
}

/** The kind a certificate's `format` names (training for any other format, whose C1 then says what it expected). */
function kindOf(cert: JsonValue): CertificateKind {
  const format = cert.type === 'object' ? cert.entries.get('format') : undefined;
  if (format?.type !== 'string') return 'training';
  for (const kind of ['region', 'gram'] as const) if (KINDS[kind].formats.includes(format.value)) return kind;
  return 'training';
}

/** A file's JSON; bad input if it is over the size limit or not JSON. A repeated key is kept for the kind's rule to reject. */
function readJsonFile(text: string, file: string, maxBytes: number): { value: JsonValue; repeated?: (rule: (path: string) => string) => Rejection } | BadInput {
  // section 6: larger files are refused before they are read
  if (Buffer.byteLength(text, 'utf8') > maxBytes) return badInput(file, '', `larger than ${maxBytes} bytes (the size limit, section 6)`);
  const json = parseJson(text);
  if (!isJsonError(json)) return { value: json };
  const where = `line ${json.line} column ${json.column}`;
  if (json.duplicateKey === undefined || json.value === undefined) return badInput(file, '', `not valid JSON: ${json.message} at ${where}`);
  const key = json.duplicateKey;
  const path = fieldPath(json.path, key);
  return { value: json.value, repeated: (rule) => new Rejection(rule(json.path), path, 'each key once in an object', `${quote(key)} again at ${where}`) };
}

/** The instance or network file of the options, read as the kind's bound file; bad input naming the file and field otherwise. */
function readBound(options: CheckOptions<CertificateKind | 'any'>, maxBytes: number, binds: KindEntry['binds']): Bound | BadInput {
  const given = options.instance ?? options.network;
  if (given === undefined) return {};
  const what = options.instance !== undefined ? 'instance' : 'network';
  if (what !== binds)
    return badInput(
      given.file,
      '',
      `${what === 'instance' ? 'an instance' : 'a network'} file does not bind this certificate (training and Gram certificates take --instance, region certificates --network)`,
    );
  const json = readJsonFile(given.text, given.file, maxBytes);
  if ('status' in json) return json;
  if (json.repeated !== undefined) {
    const r = json.repeated(() => '');
    return badInput(given.file, r.path, `${r.got}: each key once in an object`);
  }
  if (what === 'instance') {
    const instance = readInstance(json.value, '');
    return isRejection(instance)
      ? badInput(given.file, instance.path, `expected ${instance.expected}, got ${instance.got}`)
      : { instance: { instance, file: given.file } };
  }
  const network = readNetwork(json.value, '');
  return isRejection(network)
    ? badInput(given.file, network.path, `expected ${network.expected}, got ${network.got}`)
    : { network: { network, file: given.file } };
}

function rejected(r: Rejection, work: number): Rejected {
  return { status: 'rejected', rule: r.rule, path: r.path, expected: r.expected, got: r.got, message: formatRejection(r), work };
}

function badInput(file: string, field: string, message: string): BadInput {
  return { status: 'bad-input', file, field, message };
}
