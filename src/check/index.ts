/**
 * The independent certificate checker of relucert: the trust base.
 *
 * It checks a relucert-certificate/1 (/2, /3) file clause by clause as
 * docs/certificates.md specifies (C1-C4, W1-W3, P1-P2, F1-F4, Q1-Q3, S1-S2, D1-D4, A1-A4, I1-I3) with exact
 * rational arithmetic, rebuilding every constraint row from the instance. It
 * imports only node built-ins and the files below; nothing from the solver
 * (tests/check/imports.test.ts enforces this, and that no floating point is
 * used).
 *
 * Files (read in this order):
 *   index.ts      entry point: C1 (top level), C2, C3 (binding), dispatch, statement
 *   rejection.ts  a rejection as data {rule, path, expected, got}, one formatter
 *   rational.ts   exact rationals on bigint (Rat), read from text only
 *   json.ts       strict JSON reader: number tokens kept as text, repeated keys rejected
 *   fields.ts     typed field readers (objects with a closed field list, numbers, indices)
 *   instance.ts   relucert-instance/1 reader (C2), canonical form and SHA-256 (section 2)
 *   witness.ts    feasible certificates: W1 shape, W2 output weights, W3 exact loss
 *   rows.ts       P1 cases and lemmas; the rows of section 4.3 rebuilt from their names
 *   proof.ts      infeasible certificates: P1 root, rule table for P2 splits, F1-F4 leaves, Q1-Q3 l2dual leaves,
 *                 S1-S2 symmetry leaves, D1-D4 lemmas and lemma leaves (format /2)
 *   image.ts      format /3: A1-A4 the maps of a proof (instance automorphisms), I1-I3 image leaves (lemma L9)
 * and, for the second certificate kind (docs/stochastic.md section 7), reusing json.ts and rational.ts:
 *   region.ts     relucert-region-certificate/1: bounds on stochastic-ReLU faults over a box
 * and, for the third (docs/gram-certificates.md), reusing json, fields, instance, rational, rejection:
 *   gram.ts       relucert-gram-certificate/1: eigenvalue-tail bounds of an exact Gram matrix
 */
import { Buffer } from 'node:buffer';
import { describe, isRejection, readObject, readString } from './fields.js';
import { type Instance, instanceHash, readInstance } from './instance.js';
import { type JsonValue, fieldPath, isJsonError, parseJson } from './json.js';
import { checkProof } from './proof.js';
import { metered, WORK_LIMIT } from './rational.js';
import { Rejection, formatRejection, quote } from './rejection.js';
import { checkLoss, checkOutputWeights, readWitness } from './witness.js';

export type CheckOutcome =
  | { status: 'valid'; verdict: 'feasible' | 'infeasible'; statement: string; instanceHash: string; nodes: number; leaves: number }
  | { status: 'rejected'; rule: string; path: string; expected: string; got: string; message: string }
  | { status: 'bad-input'; file: string; field: string; message: string };

export { Rejection, formatRejection, printable, quote } from './rejection.js';

/** Section 6: larger files are refused as bad input. */
const MAX_BYTES = 256 * 1024 * 1024;

/**
 * Checks one certificate text. certFile (and instanceFile) only name the
 * files in messages. With instanceText, the certificate must also be about
 * that instance (C3). The arithmetic may spend at most workLimit units
 * (C4; tests lower it). Never throws on any input; an exception is a bug of
 * the checker.
 */
export function checkCertificate(
  certText: string,
  certFile: string,
  instanceText?: string,
  instanceFile?: string,
  workLimit: bigint = WORK_LIMIT,
): CheckOutcome {
  const outcome = metered(() => checkTexts(certText, certFile, instanceText, instanceFile), workLimit);
  if (outcome !== 'work-limit') return outcome;
  const r = new Rejection('C4', '', `a check within ${workLimit} units of arithmetic work (section 6)`, 'numbers, or paths of splits, that need more');
  return { status: 'rejected', rule: r.rule, path: r.path, expected: r.expected, got: r.got, message: formatRejection(r) };
}

function checkTexts(certText: string, certFile: string, instanceText: string | undefined, instanceFile: string | undefined): CheckOutcome {
  const cert = readJsonFile(certText, certFile);
  if (!isJsonValue(cert)) return cert;
  let fileInstance: Instance | undefined;
  if (instanceText !== undefined) {
    const file = instanceFile ?? 'instance file';
    const json = readJsonFile(instanceText, file);
    if (!isJsonValue(json)) return json.status === 'rejected' ? badInput(file, json.path, `${json.got}: each key once in an object`) : json;
    const inst = readInstance(json, '');
    if (isRejection(inst)) return badInput(file, inst.path, `expected ${inst.expected}, got ${inst.got}`);
    fileInstance = inst;
  }
  if (cert.type !== 'object') return badInput(certFile, '', `not a certificate: the top level is ${describe(cert)}, expected an object`);
  const r = checkCertificateJson(cert, fileInstance, instanceFile ?? 'instance file');
  if (isRejection(r)) return { status: 'rejected', rule: r.rule, path: r.path, expected: r.expected, got: r.got, message: formatRejection(r) };
  return r;
}

type Valid = Extract<CheckOutcome, { status: 'valid' }>;
type BadInput = Extract<CheckOutcome, { status: 'bad-input' }>;

function checkCertificateJson(cert: JsonValue, fileInstance: Instance | undefined, instanceFile: string): Valid | Rejection {
  // C1: the top level.
  const top = readObject(cert, 'C1', '', ['format', 'verdict', 'instanceHash', 'instance'], ['network', 'proof', 'producer']);
  if (isRejection(top)) return top;
  const format = readString(top.entries.get('format'), 'C1', 'format');
  if (isRejection(format)) return format;
  const version = ['relucert-certificate/1', 'relucert-certificate/2', 'relucert-certificate/3'].indexOf(format) + 1;
  if (version === 0) return new Rejection('C1', 'format', '"relucert-certificate/1", "relucert-certificate/2" or "relucert-certificate/3"', quote(format));
  const verdict = readString(top.entries.get('verdict'), 'C1', 'verdict');
  if (isRejection(verdict)) return verdict;
  if (verdict !== 'feasible' && verdict !== 'infeasible') return new Rejection('C1', 'verdict', '"feasible" or "infeasible"', quote(verdict));
  const body = verdict === 'feasible' ? 'network' : 'proof';
  const other = verdict === 'feasible' ? 'proof' : 'network';
  if (!top.entries.has(body)) return new Rejection('C1', body, `field "${body}" (verdict ${verdict})`, 'nothing (missing)');
  if (top.entries.has(other)) return new Rejection('C1', other, `no field "${other}" (verdict ${verdict})`, `a field "${other}"`);

  // C2: the instance.
  const inst = readInstance(top.entries.get('instance'), 'instance');
  if (isRejection(inst)) return inst;

  // C3: the binding.
  const claimed = readString(top.entries.get('instanceHash'), 'C3', 'instanceHash');
  if (isRejection(claimed)) return claimed;
  const hash = instanceHash(inst);
  if (claimed !== hash) return new Rejection('C3', 'instanceHash', `${hash} (the hash of the canonical form of "instance")`, claimed);
  if (fileInstance !== undefined) {
    const fileHash = instanceHash(fileInstance);
    if (fileHash !== claimed) return new Rejection('C3', 'instanceHash', `${fileHash} (the hash of ${instanceFile})`, claimed);
  }
  // the name is not hashed (section 3): given the instance file, the statement names the instance by the file's name
  const named: Instance = fileInstance !== undefined ? { ...inst, name: fileInstance.name } : inst;

  if (verdict === 'feasible') {
    const net = readWitness(top.entries.get('network'), 'network', inst);
    if (isRejection(net)) return net;
    const weights = checkOutputWeights(net, inst, 'network');
    if (weights) return weights;
    const reached = checkLoss(net, inst, 'network');
    if (isRejection(reached)) return reached;
    return { status: 'valid', verdict, statement: `the network with ${shapeText(inst)} ${goalText(named, reached)}`, instanceHash: hash, nodes: 0, leaves: 0 };
  }
  // format /2 adds lemmas to the cases of a proof (section 4.6), /3 maps and image leaves (4.8)
  const proof = checkProof(top.entries.get('proof'), 'proof', inst, version >= 2, version >= 3);
  if (isRejection(proof)) return proof;
  return { status: 'valid', verdict, statement: `no network with ${shapeText(inst)} ${goalText(named)}`, instanceHash: hash, ...proof };
}

/** JSON text -> value; syntax errors are bad input; in a certificate a repeated key is a rejection (F1 in multipliers, else C1). */
function readJsonFile(text: string, file: string): JsonValue | BadInput | Extract<CheckOutcome, { status: 'rejected' }> {
  if (Buffer.byteLength(text, 'utf8') > MAX_BYTES) return badInput(file, '', 'larger than 256 MiB');
  const json = parseJson(text);
  if (!isJsonError(json)) return json;
  const where = `line ${json.line} column ${json.column}`;
  if (json.duplicateKey === undefined) return badInput(file, '', `not valid JSON: ${json.message} at ${where}`);
  const r = new Rejection(
    /\.multipliers$/.test(json.path) ? 'F1' : 'C1',
    fieldPath(json.path, json.duplicateKey),
    'each key once in an object',
    `${quote(json.duplicateKey)} again at ${where}`,
  );
  return { status: 'rejected', rule: r.rule, path: r.path, expected: r.expected, got: r.got, message: formatRejection(r) };
}

function isJsonValue(v: JsonValue | CheckOutcome): v is JsonValue {
  return 'type' in v;
}

function badInput(file: string, field: string, message: string): BadInput {
  return { status: 'bad-input', file, field, message };
}

/** "2 relu units (output weights signs, no output bias)", "1 leaky-relu unit of slope 1/10 (..., hidden weights and biases in [-2, 2])" */
function shapeText(inst: Instance): string {
  const ow = typeof inst.outputWeights === 'string' ? inst.outputWeights : `[${inst.outputWeights.join(', ')}]`;
  const slope = inst.activation === 'leaky-relu' ? ` of slope ${inst.slope?.toString() ?? '?'}` : '';
  const units = `${inst.hidden} ${inst.activation} unit${inst.hidden === 1 ? '' : 's'}${slope}`;
  const B = inst.weightBound;
  const bound = B === undefined ? '' : `, hidden weights and biases${inst.boundOutputWeights ? ' and output weights' : ''} in [-${B}, ${B}]`;
  return `${units} (output weights ${ow}, ${inst.outputBias ? 'with output bias' : 'no output bias'}${bound})`;
}

/** What the network does (feasible, with the loss reached) or would have to do (infeasible). */
function goalText(inst: Instance, reached?: string): string {
  const name = quote(inst.name);
  const points = `${inst.n} point${inst.n === 1 ? '' : 's'}`;
  const loss = inst.loss;
  switch (loss.type) {
    case 'exact':
      return `fits ${name} with zero error on ${points}`;
    case 'classification':
      return `classifies all ${points} of ${name} correctly${reached ? ' ' + reached : ''}`;
    case 'l1':
    case 'linf':
    case 'l2':
      return `fits ${name} with ${reached ?? `${loss.type} loss ${loss.strict ? '<' : '<='} ${loss.bound}`} on ${points}`;
  }
}
