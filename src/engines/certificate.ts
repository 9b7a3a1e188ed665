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
    // format /2 only when some case carries lemmas, so lemma-free certificates stay /1 byte for byte
    format: body.verdict === 'infeasible' && body.proof.cases.some((c) => (c.lemmas?.length ?? 0) > 0) ? 'relucert-certificate/2' : 'relucert-certificate/1',
    verdict: body.verdict,
    instanceHash: instanceHash(inst),
    instance: instanceToJson(inst),
    ...(body.verdict === 'feasible' ? { network: networkToJson(body.network) } : { proof: body.proof }),
    producer: { tool: 'relucert', ...producer },
  };
}

/** Compact JSON for proofs (they can be large); the instance and network stay readable. */
export function certificateText(cert: Record<string, unknown>): string {
  return JSON.stringify(cert) + '\n';
}
