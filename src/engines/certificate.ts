/**
 * Certificates as docs/certificates.md specifies them, assembled from an
 * engine's result. The checker (src/check) re-reads what is written here
 * without sharing this code.
 */
import type { Instance, Network } from '../core/types.js';
import { outputBoundRowsApply, weightBoundRowsApply } from '../encode/system.js';
import { instanceHash, instanceToJson, networkToJson } from '../format/write.js';
import { type Proof, type ProofCase, hasLeafKind } from './result.js';

export type CertificateBody = { verdict: 'feasible'; network: Network } | { verdict: 'infeasible'; proof: Proof };

export function certificateJson(inst: Instance, body: CertificateBody, producer: Record<string, unknown>): Record<string, unknown> {
  return {
    format: formatOf(body),
    verdict: body.verdict,
    instanceHash: instanceHash(inst),
    instance: instanceToJson(inst),
    ...(body.verdict === 'feasible' ? { network: networkToJson(body.network) } : { proof: body.proof }),
    producer: { tool: 'relucert', ...producer },
  };
}

/**
 * The lowest format that holds the proof, so older certificates stay byte for byte: /3 when it has a `maps` field
 * (the engines write one exactly when the proof has image leaves, docs/certificates.md 4.8; it may be empty when every
 * image is by a unit permutation alone), /2 when some case carries lemmas (4.6), else /1.
 */
function formatOf(body: CertificateBody): string {
  if (body.verdict !== 'infeasible') return 'relucert-certificate/1';
  if (body.proof.maps !== undefined) return 'relucert-certificate/3';
  return body.proof.cases.some((c) => (c.lemmas?.length ?? 0) > 0) ? 'relucert-certificate/2' : 'relucert-certificate/1';
}

/** Compact JSON for proofs (they can be large); the instance and network stay readable. */
export function certificateText(cert: Record<string, unknown>): string {
  return JSON.stringify(cert) + '\n';
}

/**
 * The lemmas a proof for this instance relies on (docs/lemmas.md; the checker
 * computes the same set): L5 exactly when the proof has a symmetry leaf, L6
 * when it has a lemma or an image leaf, L9 an image leaf, L10 a lex leaf.
 */
export function lemmasUsed(inst: Instance, cases: ProofCase[] = []): string[] {
  const relu = inst.architecture.activation !== 'threshold'; // ReLU or leaky ReLU
  const ow = inst.architecture.outputWeights.mode;
  const out: string[] = [];
  if (relu && ow === 'free') out.push('L1');
  if (!relu) out.push('L2');
  if (inst.loss.type === 'classification' && !weightBoundRowsApply(inst) && !outputBoundRowsApply(inst) && (relu || ow === 'free')) out.push('L3');
  if (ow === 'signs' || (relu && ow === 'free')) out.push('L4');
  const trees = cases.flatMap((c) => [c.tree, ...(c.lemmas ?? []).map((l) => l.tree)]);
  if (trees.some((t) => hasLeafKind(t, 'symmetry'))) out.push('L5');
  const images = trees.some((t) => hasLeafKind(t, 'image'));
  if (images || trees.some((t) => hasLeafKind(t, 'lemma'))) out.push('L6');
  if (images) out.push('L9');
  if (trees.some((t) => hasLeafKind(t, 'lex'))) out.push('L10');
  return out;
}
