/**
 * relucert check CERT [--instance INSTANCE | --network NETWORK] [--max-bytes N] [--max-work N] [--json]
 * Exit 0 valid, 1 rejected (reason on stderr), 2 bad input (including a file
 * of another relucert format, named as such). Uses only src/check, whose one
 * entry takes the certificate's kind from its `format`: training
 * (relucert-certificate/1, /2), region (relucert-region-certificate/1) or
 * Gram (relucert-gram-certificate/1). The limits of docs/certificates.md
 * section 6 apply unless raised here. The check is the library's
 * (src/run/check.ts).
 */
import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { DEFAULT_LIMITS } from '../../check/index.js';
import { InputError } from '../../format/errors.js';
import { EXIT, type Io } from '../io.js';
import { readText } from '../../format/schema.js';
import { check } from '../../run/check.js';

/** The largest file --max-bytes may allow (the reader's limit for any text file, docs/formats.md). */
const MOST_BYTES = 256 * 1024 * 1024;
/** The largest --max-work: every unit count stays an exact integer (2^53 - 1). */
const MOST_WORK = 9_007_199_254_740_991;

/** A positive integer option up to `most`; bad values are InputErrors naming the option. */
function parseLimit(v: string | undefined, option: string, most: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^[1-9][0-9]{0,15}$/.test(v) || Number(v) > most)
    throw new InputError('command line', option, `expected a positive integer of at most ${most}, got ${JSON.stringify(v)}`);
  return Number(v);
}

/** A file's text, refused before it is read when it is larger than the limit (section 6). */
function readWithin(file: string, maxBytes: number): { text: string; file: string } {
  let size = 0;
  try {
    size = statSync(file).size;
  } catch {
    // readText names the problem
  }
  if (size > maxBytes)
    throw new InputError(file, '', `larger than ${maxBytes} bytes (the checker's size limit, docs/certificates.md section 6; --max-bytes raises it)`);
  return { text: readText(file), file };
}

interface CheckCliOptions {
  instance?: string;
  network?: string;
  maxBytes?: string;
  maxWork?: string;
  json?: boolean;
}

export function register(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('check')
    .description('check a certificate with the independent checker (exit 0 valid, 1 rejected, 2 bad input)')
    .argument('<cert>', 'a relucert-certificate/1 or /2, relucert-region-certificate/1 or relucert-gram-certificate/1 file')
    .option('--instance <file>', 'also require a training or Gram certificate to be about this instance (hash binding); the statement names it')
    .option('--network <file>', 'also require a region certificate to be about this network (hash binding); the statement names it')
    .option('--max-bytes <n>', `the largest file read, in bytes (default ${DEFAULT_LIMITS.maxBytes}, at most ${MOST_BYTES})`)
    .option('--max-work <units>', `the work a check may spend, in units of about a nanosecond (default ${DEFAULT_LIMITS.work})`)
    .option('--json', 'print one JSON object on stdout')
    .action((certFile: string, o: CheckCliOptions) => {
      if (o.instance !== undefined && o.network !== undefined) throw new InputError('command line', '--network', 'give --instance or --network, not both');
      const maxBytes = parseLimit(o.maxBytes, '--max-bytes', MOST_BYTES) ?? DEFAULT_LIMITS.maxBytes;
      const work = parseLimit(o.maxWork, '--max-work', MOST_WORK) ?? DEFAULT_LIMITS.work;
      const cert = readWithin(certFile, maxBytes);
      const instance = o.instance !== undefined ? readWithin(o.instance, maxBytes) : undefined;
      const network = o.network !== undefined ? readWithin(o.network, maxBytes) : undefined;
      const r = check(cert.text, {
        name: certFile,
        ...(instance ? { instance: instance.text, instanceName: instance.file } : {}),
        ...(network ? { network: network.text, networkName: network.file } : {}),
        limits: { maxBytes, work },
      });
      if (r.status === 'bad-input') throw new InputError(r.file, r.field, r.message);
      if (o.json) io.out(JSON.stringify(r) + '\n');
      if (r.status === 'valid') {
        if (!o.json) io.out(`valid: ${r.statement}\n`);
        done(EXIT.ok);
      } else {
        const hint = r.rule === 'C4' ? ' (--max-work raises the limit)' : '';
        io.err(`${certFile}: ${r.message}${hint}\n`);
        done(EXIT.rejected);
      }
    });
}
