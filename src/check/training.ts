/**
 * Training certificates, relucert-certificate/1, /2 and /3 (docs/certificates.md):
 * C1 the top level, C2 the instance, C3 the binding, then the witness
 * (witness.ts, W1-W3) or the proof (proof.ts), and the statement proved,
 * built from the instance the checker read (section 7, "Statements").
 */
import { isRejection, readObject, readString } from './fields.js';
import { type Instance, instanceHash, readInstance, statementName } from './instance.js';
import type { JsonValue } from './json.js';
import { checkProof } from './proof.js';
import { Rejection, quote } from './rejection.js';
import { checkLoss, checkOutputWeights, readWitness } from './witness.js';

export const TRAINING_FORMATS: readonly string[] = ['relucert-certificate/1', 'relucert-certificate/2', 'relucert-certificate/3'];

/** What a valid training certificate proves, and how large its proof is. */
export interface TrainingResult {
  kind: 'training';
  verdict: 'feasible' | 'infeasible';
  statement: string;
  instanceHash: string;
  nodes: number;
  leaves: number;
}

/**
 * Checks a training certificate's JSON, clause by clause in the order of
 * docs/certificates.md section 5. `bound` is the instance file of
 * `--instance`, already read (C3 binds the certificate to it, and the
 * statement names the instance by its name).
 */
export function checkTraining(cert: JsonValue, bound: { instance: Instance; file: string } | undefined): TrainingResult | Rejection {
  // C1: the top level.
  const top = readObject(cert, 'C1', '', ['format', 'verdict', 'instanceHash', 'instance'], ['network', 'proof', 'producer']);
  if (isRejection(top)) return top;
  const format = readString(top.entries.get('format'), 'C1', 'format');
  if (isRejection(format)) return format;
  const version = TRAINING_FORMATS.indexOf(format) + 1;
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
  const hash = checkBinding(top.entries.get('instanceHash'), 'C3', inst, bound);
  if (isRejection(hash)) return hash;
  const named = statementName(inst, bound?.instance);

  if (verdict === 'feasible') {
    const net = readWitness(top.entries.get('network'), 'network', inst);
    if (isRejection(net)) return net;
    const weights = checkOutputWeights(net, inst, 'network');
    if (weights) return weights;
    const reached = checkLoss(net, inst, 'network');
    if (isRejection(reached)) return reached;
    const statement = `the network with ${shapeText(inst)} ${goalText(inst, named, reached)}`;
    return { kind: 'training', verdict, statement, instanceHash: hash, nodes: 0, leaves: 0 };
  }
  // format /2 adds lemmas to the cases of a proof (section 4.6)
  // format /2 adds lemmas to the cases of a proof (section 4.6), /3 maps and image leaves (4.8)
  const proof = checkProof(top.entries.get('proof'), 'proof', inst, version >= 2, version >= 3);
  if (isRejection(proof)) return proof;
  return { kind: 'training', verdict, statement: `no network with ${shapeText(inst)} ${goalText(inst, named)}`, instanceHash: hash, ...proof };
}

/**
 * The binding of a certificate to its instance (C3 here, G3 for Gram
 * certificates): `instanceHash` is a string equal to the hash of the
 * embedded instance's canonical form (section 2), and to the hash of the
 * instance file when one was given. Returns the hash.
 */
export function checkBinding(
  v: JsonValue | undefined,
  rule: string,
  inst: Instance,
  bound: { instance: Instance; file: string } | undefined,
): string | Rejection {
  const claimed = readString(v, rule, 'instanceHash');
  if (isRejection(claimed)) return claimed;
  const hash = instanceHash(inst);
  if (claimed !== hash) return new Rejection(rule, 'instanceHash', `${hash} (the hash of the canonical form of "instance")`, claimed);
  if (bound !== undefined) {
    const fileHash = instanceHash(bound.instance);
    if (fileHash !== claimed) return new Rejection(rule, 'instanceHash', `${fileHash} (the hash of ${bound.file})`, claimed);
  }
  return hash;
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

/** What the network does (feasible, with the loss reached) or would have to do (infeasible); `name` is already quoted. */
function goalText(inst: Instance, name: string, reached?: string): string {
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
