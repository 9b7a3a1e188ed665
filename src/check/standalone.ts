/**
 * The command of the standalone checker (checker/relucert-check.mjs,
 * docs/artifacts.md): `node relucert-check.mjs CERT [--instance FILE |
 * --network FILE] [--max-bytes N] [--max-work N] [--json]`, the same
 * checks, limits, statements and exit codes as `relucert check` (0 valid, 1
 * rejected with the reason on stderr, 2 bad input), with node built-ins
 * only. `npm run checker` bundles this file and the files of src/check it
 * imports into that one file, which exports `main` and calls runAsCommand:
 * run by node, it is the command; imported (by the tests), it only exports
 * `main`.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_LIMITS, checkCertificate } from './index.js';
import { isJsonError, parseJson } from './json.js';
import { printable } from './rejection.js';

/** Where the command writes: standard output and standard error (tests capture them). */
export interface StandaloneIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** The exit codes of `relucert check`. */
const EXIT = { valid: 0, rejected: 1, badInput: 2 } as const;

/** The largest file --max-bytes may allow (the reader's limit for any text file, docs/formats.md). */
const MOST_BYTES = 256 * 1024 * 1024;
/** The largest --max-work: every unit count stays an exact integer (2^53 - 1). */
const MOST_WORK = 9_007_199_254_740_991;

const USAGE = 'usage: node relucert-check.mjs CERT [--instance FILE | --network FILE] [--max-bytes N] [--max-work N] [--json]';

/** Bad input: one line naming the file and the field, exit 2. */
class BadInput extends Error {}

/**
 * Runs the standalone checker on the command line `argv` (without node and
 * the script). Returns the exit code: 0 valid, 1 rejected, 2 bad input
 * (a missing, unreadable or too large file, not JSON, an instance or network
 * given as a certificate, a bad option). Never throws.
 */
export function main(argv: string[], io: StandaloneIo): number {
  const say: StandaloneIo = { out: (t) => io.out(printable(t)), err: (t) => io.err(printable(t)) };
  try {
    return run(argv, say);
  } catch (e) {
    if (e instanceof BadInput) {
      say.err(`relucert-check: ${e.message}\n`);
      return EXIT.badInput;
    }
    say.err(`relucert-check: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT.badInput;
  }
}

/**
 * Runs `main` on the process's arguments and sets the exit code, when the
 * module at `moduleUrl` (the bundle's import.meta.url) is the script node
 * was started with; does nothing when it is imported.
 */
export function runAsCommand(moduleUrl: string): void {
  let script: string | undefined;
  try {
    script = process.argv[1] === undefined ? undefined : realpathSync(process.argv[1]);
  } catch {
    script = undefined;
  }
  if (script === undefined || script !== realpathSync(fileURLToPath(moduleUrl))) return;
  process.exitCode = main(process.argv.slice(2), { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) });
}

function parseCommandLine(argv: string[]): {
  cert: string;
  instance?: string;
  network?: string;
  maxBytes?: string;
  maxWork?: string;
  json?: boolean;
  help?: boolean;
} {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        instance: { type: 'string' },
        network: { type: 'string' },
        'max-bytes': { type: 'string' },
        'max-work': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    });
    if (values.help) return { cert: '', help: true };
    if (positionals.length !== 1) throw new BadInput(`expected one certificate file, got ${positionals.length}`);
    const { instance, network, 'max-bytes': maxBytes, 'max-work': maxWork, json } = values;
    return {
      cert: positionals[0]!,
      ...(instance !== undefined ? { instance } : {}),
      ...(network !== undefined ? { network } : {}),
      ...(maxBytes !== undefined ? { maxBytes } : {}),
      ...(maxWork !== undefined ? { maxWork } : {}),
      ...(json !== undefined ? { json } : {}),
    };
  } catch (e) {
    throw new BadInput(`command line: ${e instanceof Error ? e.message : String(e)}; ${USAGE}`);
  }
}

function run(argv: string[], io: StandaloneIo): number {
  const o = parseCommandLine(argv);
  if (o.help) {
    io.out(`${USAGE}\nchecks a relucert certificate (training, region or Gram) exactly; exit 0 valid, 1 rejected, 2 bad input\n`);
    return EXIT.valid;
  }
  if (o.instance !== undefined && o.network !== undefined) throw new BadInput('command line: --network: give --instance or --network, not both');
  const maxBytes = parseLimit(o.maxBytes, '--max-bytes', MOST_BYTES) ?? DEFAULT_LIMITS.maxBytes;
  const work = parseLimit(o.maxWork, '--max-work', MOST_WORK) ?? DEFAULT_LIMITS.work;
  const certText = readWithin(o.cert, maxBytes);
  const instance = o.instance !== undefined ? { text: readWithin(o.instance, maxBytes), file: o.instance } : undefined;
  const network = o.network !== undefined ? { text: readWithin(o.network, maxBytes), file: o.network } : undefined;
  const r = checkCertificate(certText, o.cert, { kind: 'any', ...(instance ? { instance } : {}), ...(network ? { network } : {}), limits: { maxBytes, work } });
  if (r.status === 'rejected' && r.rule === 'C1') {
    // an instance or a network given as a certificate: named as such, not rejected clause by clause
    const format = formatOf(certText);
    if (format === 'relucert-instance/1' || format === 'relucert-network/1')
      throw new BadInput(`${o.cert}: format: this is ${format === 'relucert-instance/1' ? 'an instance' : 'a network'} (${format}), not a certificate`);
  }
  if (r.status === 'bad-input') throw new BadInput(r.field ? `${r.file}: ${r.field}: ${r.message}` : `${r.file}: ${r.message}`);
  if (o.json) io.out(JSON.stringify(r) + '\n');
  if (r.status === 'valid') {
    if (!o.json) io.out(`valid: ${r.statement}\n`);
    return EXIT.valid;
  }
  const hint = r.rule === 'C4' ? ' (--max-work raises the limit)' : '';
  io.err(`${o.cert}: ${r.message}${hint}\n`);
  return EXIT.rejected;
}

/** A positive integer option up to `most` (read digit by digit: the checker reads no number as a float); bad values are bad input naming the option. */
function parseLimit(v: string | undefined, option: string, most: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^[1-9][0-9]{0,15}$/.test(v) || BigInt(v) > BigInt(most))
    throw new BadInput(`command line: ${option}: expected a positive integer of at most ${most}, got ${JSON.stringify(v)}`);
  let n = 0;
  for (const digit of v) n = n * 10 + (digit.charCodeAt(0) - 48);
  return n;
}

/** A file's text, refused before it is read when it is larger than the limit (docs/certificates.md section 6); a missing or unreadable file is bad input naming it. */
function readWithin(file: string, maxBytes: number): string {
  let size = 0;
  try {
    size = statSync(file).size;
  } catch {
    // readFileSync names the problem
  }
  if (size > maxBytes)
    throw new BadInput(`${file}: larger than ${maxBytes} bytes (the checker's size limit, docs/certificates.md section 6; --max-bytes raises it)`);
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new BadInput(
      `${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a file' : `cannot read (${code ?? 'error'})`}`,
    );
  }
}

/** The value of the top-level "format" field, if the text is a JSON object that has one (read with the checker's own reader). */
function formatOf(text: string): string | undefined {
  const json = parseJson(text);
  const value = isJsonError(json) ? json.value : json;
  if (value?.type !== 'object') return undefined;
  const format = value.entries.get('format');
  return format?.type === 'string' ? format.value : undefined;
}
