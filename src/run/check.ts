/**
 * Checking a certificate of any kind with the independent checker
 * (src/check): a training certificate (relucert-certificate/1,
 * docs/certificates.md), a region certificate (relucert-region-certificate/1,
 * docs/stochastic.md section 7) or a Gram certificate
 * (relucert-gram-certificate/1, docs/gram-certificates.md), told apart by
 * their `format` field. Only the dispatch lives here; every rule is the
 * checker's.
 */
import { type CheckOutcome, checkCertificate } from '../check/index.js';
import { GRAM_FORMAT, type GramCheckOutcome, checkGramCertificate } from '../check/gram.js';
import { REGION_FORMAT, type RegionCheckOutcome, checkRegionCertificate } from '../check/region.js';
import { wrongKind } from '../format/schema.js';

/** The checker's outcome: 'valid' with the statement proved, 'rejected' with the rule and the place, or 'bad-input' naming the file and field. */
export type CertificateCheck = CheckOutcome | RegionCheckOutcome | GramCheckOutcome;

export interface CheckOptions {
  /** Names the certificate in messages (its file). */
  name?: string;
  /** The text of the instance the certificate must be about (training and Gram certificates; the hash binds them). */
  instance?: string;
  /** Names the instance in messages (its file). */
  instanceName?: string;
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
 * Checks a certificate text with the independent checker. Never throws for
 * a bad certificate (that is a 'rejected' or 'bad-input' outcome), except
 * InputError when the text is an instance or a network rather than a
 * certificate (named as such). A region certificate carries its network, so
 * an `instance` given with one is a 'bad-input' outcome.
 */
export function check(certificate: string, options: CheckOptions = {}): CertificateCheck {
  const name = options.name ?? 'certificate';
  const format = certificateFormat(certificate);
  // an instance or a network given as a certificate: named as such, not rejected clause by clause
  if (format === 'relucert-instance/1' || format === 'relucert-network/1') throw wrongKind(name, format, 'a certificate');
  if (format === REGION_FORMAT) {
    if (options.instance !== undefined)
      return {
        status: 'bad-input',
        file: options.instanceName ?? 'instance',
        field: '',
        message: 'region certificates carry their network; an instance does not apply',
      };
    return checkRegionCertificate(certificate, name);
  }
  if (format === GRAM_FORMAT) return checkGramCertificate(certificate, name, options.instance, options.instanceName);
  return checkCertificate(certificate, name, options.instance, options.instanceName);
}
