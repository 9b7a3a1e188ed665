/**
 * The command of the standalone checker (checker/relucert-check.mjs, README
 * "Re-checking without relucert"): `node relucert-check.mjs CERT [--instance
 * FILE] [--json]`, the same checks, statements and exit codes as `relucert
 * check` (0 valid, 1 rejected with the reason on stderr, 2 bad input), with
 * node built-ins only. `npm run checker` bundles this file and the files of
 * src/check it imports into that one file, which exports `main` and calls
 * runAsCommand: run by node, it is the command; imported (by the tests), it
 * only exports `main`.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkCertificate } from './index.js';
import { GRAM_FORMAT, checkGramCertificate } from './gram.js';
import { isJsonError, parseJson } from './json.js';
import { REGION_FORMAT, checkRegionCertificate } from './region.js';
import { printable } from './rejection.js';

/** Where the command writes: standard output and standard error (tests capture them). */
export interface StandaloneIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** The exit codes of `relucert check` (MiniSat-like; docs/certificates.md section 6). */
const EXIT = { valid: 0, rejected: 1, badInput: 2 } as const;

/** Files larger than this are refused before they are read (docs/formats.md, Limits). */
const MAX_TEXT_BYTES = 256 * 1024 * 1024;

const USAGE = 'usage: node relucert-check.mjs CERT [--instance FILE] [--json]';

/** Bad input: one line naming the file and the field, exit 2. */
class BadInput extends Error {}

/**
 * Runs the standalone checker on the command line `argv` (without node and
 * the script). Returns the exit code: 0 valid, 1 rejected, 2 bad input
 * (a missing or unreadable file, not JSON, an instance or network given as
 * a certificate, a bad option). Never throws.
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

function run(argv: string[], io: StandaloneIo): number {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { instance: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } } });
  } catch (e) {
    throw new BadInput(`command line: ${e instanceof Error ? e.message : String(e)}; ${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(`${USAGE}\nchecks a relucert certificate (training, region or Gram) exactly; exit 0 valid, 1 rejected, 2 bad input\n`);
    return EXIT.valid;
  }
  if (positionals.length !== 1) throw new BadInput(`command line: expected one certificate file, got ${positionals.length}; ${USAGE}`);
  const certFile = positionals[0]!;
  const certText = readText(certFile);
  const format = formatOf(certText);
  if (format === 'relucert-instance/1' || format === 'relucert-network/1')
    throw new BadInput(`${certFile}: format: this is ${format === 'relucert-instance/1' ? 'an instance' : 'a network'} (${format}), not a certificate`);
  if (format === REGION_FORMAT && values.instance !== undefined)
    throw new BadInput('command line: --instance: region certificates carry their network; --instance does not apply');
  const instance = values.instance !== undefined ? { text: readText(values.instance), file: values.instance } : undefined;
  const r =
    format === REGION_FORMAT
      ? checkRegionCertificate(certText, certFile)
      : format === GRAM_FORMAT
        ? checkGramCertificate(certText, certFile, instance?.text, instance?.file)
        : checkCertificate(certText, certFile, instance?.text, instance?.file);
  if (r.status === 'bad-input') throw new BadInput(r.field ? `${r.file}: ${r.field}: ${r.message}` : `${r.file}: ${r.message}`);
  if (values.json) io.out(JSON.stringify(r) + '\n');
  if (r.status === 'valid') {
    if (!values.json) io.out(`valid: ${r.statement}\n`);
    return EXIT.valid;
  }
  io.err(`${certFile}: ${r.message}\n`);
  return EXIT.rejected;
}

/** A file's text; a missing, unreadable or too large file is bad input naming it. */
function readText(file: string): string {
  let size = 0;
  try {
    size = statSync(file).size;
  } catch {
    // readFileSync names the problem
  }
  if (size > MAX_TEXT_BYTES) throw new BadInput(`${file}: larger than 256 MiB (docs/formats.md, Limits)`);
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
  if (isJsonError(json) || json.type !== 'object') return undefined;
  const format = json.entries.get('format');
  return format?.type === 'string' ? format.value : undefined;
}
