/**
 * relucert check CERT [--instance INSTANCE] [--json]
 * Exit 0 valid, 1 rejected (reason on stderr), 2 bad input (including a file
 * of another relucert format, named as such). Uses only src/check.
 * Dispatches on the certificate's `format`: training certificates
 * (relucert-certificate/1), region certificates (relucert-region-certificate/1)
 * and Gram eigenvalue-tail certificates (relucert-gram-certificate/1), by the
 * library's `check` (src/run/check.ts).
 */
import type { Command } from 'commander';
import { REGION_FORMAT } from '../../check/region.js';
import { InputError } from '../../format/errors.js';
import { EXIT, type Io } from '../io.js';
import { readText, wrongKind } from '../../format/schema.js';
import { certificateFormat as formatOf, check } from '../../run/check.js';

export function register(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('check')
    .description('check a certificate with the independent checker (exit 0 valid, 1 rejected, 2 bad input)')
    .argument('<cert>', 'a relucert-certificate/1, relucert-region-certificate/1 or relucert-gram-certificate/1 file')
    .option('--instance <file>', 'also require the certificate to be about this instance (hash binding)')
    .option('--json', 'print one JSON object on stdout')
    .action((certFile: string, o: { instance?: string; json?: boolean }) => {
      const certText = readText(certFile);
      const format = formatOf(certText);
      // an instance or a network given as a certificate: named as such, not rejected clause by clause
      if (format === 'relucert-instance/1' || format === 'relucert-network/1') throw wrongKind(certFile, format, 'a certificate');
      if (format === REGION_FORMAT && o.instance !== undefined)
        throw new InputError('command line', '--instance', 'region certificates carry their network; --instance does not apply');
      const r = check(certText, { name: certFile, ...(o.instance !== undefined ? { instance: readText(o.instance), instanceName: o.instance } : {}) });
      if (r.status === 'bad-input') throw new InputError(r.file, r.field, r.message);
      if (o.json) io.out(JSON.stringify(r) + '\n');
      if (r.status === 'valid') {
        if (!o.json) io.out(`valid: ${r.statement}\n`);
        done(EXIT.ok);
      } else {
        io.err(`${certFile}: ${r.message}\n`);
        done(EXIT.rejected);
      }
    });
}
