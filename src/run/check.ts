/**
 * Checking a certificate of any kind with the independent checker
 * (src/check): a training certificate (relucert-certificate/1,
 * docs/certificates.md), a region certificate (relucert-region-certificate/1,
 * docs/stochastic.md section 7) or a Gram certificate
 * (relucert-gram-certificate/1, docs/gram-certificates.md), told apart by
 * their `format` field. Only the dispatch lives here; every rule is the
 * checker's.
 */
import { type CheckLimits, type CheckOutcome, checkCertificate } from '../check/index.js';
import { wrongKind } from '../format/schema.js';

/** The checker's outcome: 'valid' with the statement proved, 'rejected' with the rule and the place, or 'bad-input' naming the file and field. */
export type CertificateCheck = CheckOutcome;

export interface CheckOptions {
  /** Names the certificate in messages (its file). */
  name?: string;
  /** The text of the instance the certificate must be about (training and Gram certificates; the hash binds them). */
  instance?: string;
  /** Names the instance in messages (its file). */
  instanceName?: string;
  /** The text of the network a region certificate must be about (the hash binds them). */
  network?: string;
  /** Names the network in messages (its file). */
  networkName?: string;
  /** The limits of docs/certificates.md section 6: the defaults with these changes; by the certificate's size when absent. */
  limits?: Partial<CheckLimits>;
}

/** The value of the top-level "format" field, if the text is a JSON object that has one. */
export function certificateFormat(text: string): string | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && typeof (v as { format?: unknown }).format === 'string' ? (v as { format: string }).format : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks a certificate text of any kind with the independent checker (its
 * one entry, which takes the kind from the `format` field). Never throws
 * for a bad certificate (that is a 'rejected' or 'bad-input' outcome),
 * except InputError when the text is an instance or a network rather than
 * a certificate (named as such). A file given to bind the wrong kind (an
 * instance with a region certificate, a network with a training one) is a
 * 'bad-input' outcome naming that file.
 */
export function check(certificate: string, options: CheckOptions = {}): CertificateCheck {
  const name = options.name ?? 'certificate';
  const r = checkCertificate(certificate, name, {
    kind: 'any',
    ...(options.instance !== undefined ? { instance: { text: options.instance, file: options.instanceName ?? 'instance' } } : {}),
    ...(options.network !== undefined ? { network: { text: options.network, file: options.networkName ?? 'network' } } : {}),
    ...(options.limits !== undefined ? { limits: options.limits } : {}),
  });
  if (r.status === 'rejected' && r.rule === 'C1') {
    // an instance or a network given as a certificate: named as such, not rejected clause by clause (parsed again only then)
    const format = certificateFormat(certificate);
    if (format === 'relucert-instance/1' || format === 'relucert-network/1') throw wrongKind(name, format, 'a certificate');
  }
  return r;
}
