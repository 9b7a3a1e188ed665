/**
 * Certificates as docs/certificates.md specifies them, assembled from an
 * engine's result. The checker (src/check) re-reads what is written here
 * without sharing this code.
 */
import type { Instance } from '../core/types.js';
import { instanceHash, instanceToJson, networkToJson } from '../format/write.js';
import type { Proof } from './result.js';
import type { Network } from '../core/types.js';

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
