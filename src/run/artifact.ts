/**
 * Publication artifacts (docs/artifacts.md): a folder a paper can cite, with
 * the instances, their certificates, the standalone checker
 * (checker/relucert-check.mjs), SHA-256 sums, a README stating each result
 * in words, `check.mjs` (re-checks everything with node alone and prints each
 * statement) and a LaTeX table of the results.
 *
 * Every certificate is checked by the independent checker before anything
 * is written; a rejected one stops the build. The folder is built beside
 * its target and renamed into place, so a failed build leaves nothing.
 */
import { createHash } from 'node:crypto';
import { Buffer } from 'node:buffer';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { InputError } from '../format/errors.js';
import { writeFileAtomic } from '../format/files.js';
import { readText } from '../format/schema.js';
import { certificateNames, expandInputs } from './batch.js';
import { check } from './check.js';

/** One result of an artifact: an instance file and the certificate about it. */
export interface ArtifactItem {
  instance: string;
  certificate: string;
}

/** What the artifact states about one item; file names are relative to the artifact's folder. */
export interface ArtifactRow {
  name: string;
  instance: string;
  certificate: string;
  /** feasible or infeasible (training certificates) */
  verdict: string;
  /** the checker's statement, built from the instance */
  statement: string;
  bytes: number;
  sha256: string;
  /** the time the independent checker took when the artifact was built (milliseconds, this machine) */
  checkMs: number;
}

/**
 * The items of a batch: the instance files of `inputs` (files, or folders of
 * *.json files, as `relucert solve` takes them) with the certificates that
 * `relucert solve --cert-dir CERT_DIR` wrote for them (CERT_DIR/NAME.cert.json).
 * Throws InputError naming a missing certificate.
 */
export function artifactItems(inputs: string[], certDir: string): ArtifactItem[] {
  const files = expandInputs(inputs);
  const names = certificateNames(files);
  return files.map((instance, i) => {
    const certificate = join(certDir, `${names[i]!}.cert.json`);
    if (!existsSync(certificate)) throw new InputError(certificate, '', `no such file (the certificate of ${instance}; --cert-dir names the folder)`);
    return { instance, certificate };
  });
}

/**
 * Checks every item and writes the artifact folder `out` (which must not
 * exist yet). `checker` is the text of the standalone checker. Returns the
 * rows the README states. Throws InputError for an unreadable file, a
 * certificate the checker rejects or that is not bound to its instance, or
 * an existing `out`.
 */
export function buildArtifact(items: readonly ArtifactItem[], out: string, checker: string, title = 'Certified results'): ArtifactRow[] {
  if (items.length === 0) throw new InputError('command line', '', 'no instances: nothing to put in an artifact');
  if (existsSync(out)) throw new InputError(out, '', 'exists already: an artifact is written into a new folder');
  const rows = checkItems(items);
  const files = new Map<string, string>([['relucert-check.mjs', checker]]);
  items.forEach((item, i) => {
    files.set(rows[i]!.instance, readText(item.instance));
    files.set(rows[i]!.certificate, readText(item.certificate));
  });
  files.set('results.json', JSON.stringify(rows, null, 2) + '\n');
  files.set('results.tex', latexTable(rows, title));
  files.set('check.mjs', CHECK_SCRIPT);
  files.set('README.md', readme(rows, title));
  files.set('SHA256SUMS', [...files].map(([f, text]) => `${sha256(text)}  ${f}\n`).join(''));
  const tmp = join(dirname(out), `.${basename(out)}.tmp-${process.pid}`);
  try {
    mkdirSync(join(tmp, 'instances'), { recursive: true });
    mkdirSync(join(tmp, 'certificates'), { recursive: true });
    for (const [f, text] of files) writeFileAtomic(join(tmp, f), text);
    renameSync(tmp, out);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return rows;
}

function checkItems(items: readonly ArtifactItem[]): ArtifactRow[] {
  const used = new Set<string>();
  return items.map((item) => {
    const text = readText(item.certificate);
    const start = performance.now();
    const r = check(text, { name: item.certificate, instance: readText(item.instance), instanceName: item.instance });
    const checkMs = performance.now() - start;
    if (r.status === 'bad-input') throw new InputError(r.file, r.field, r.message);
    if (r.status === 'rejected') throw new InputError(item.certificate, '', `the checker rejects it: ${r.message}`);
    let name = basename(item.instance, '.json');
    for (let k = 2; used.has(name); k++) name = `${basename(item.instance, '.json')}-${k}`;
    used.add(name);
    return {
      name,
      instance: `instances/${name}.json`,
      certificate: `certificates/${name}.cert.json`,
      verdict: 'verdict' in r ? r.verdict : 'certified',
      statement: r.statement,
      bytes: Buffer.byteLength(text, 'utf8'),
      sha256: sha256(text),
      checkMs: Math.round(checkMs * 10) / 10,
    };
  });
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The README of an artifact: what it is, how to re-check it, and each result in words. */
function readme(rows: readonly ArtifactRow[], title: string): string {
  const lines = [
    `# ${title}`,
    '',
    `This folder holds ${rows.length} result${rows.length === 1 ? '' : 's'} about training small two-layer networks, each proved by a certificate that`,
    'is checked with exact rational arithmetic. To re-check them all, with node (20 or later) and nothing else:',
    '',
    '    node check.mjs',
    '',
    'It verifies the SHA-256 sums in `SHA256SUMS`, then checks every certificate against its instance with',
    '`relucert-check.mjs` (the independent checker of relucert in one readable file, node built-ins only)',
    'and prints the statement each certificate proves; it exits 0 only if every check passes. One',
    'certificate alone: `node relucert-check.mjs certificates/NAME.cert.json --instance instances/NAME.json`.',
    '',
    '`results.tex` is a LaTeX table of the results (check times as measured when the folder was built);',
    '`results.json` the same data.',
    '',
    '## Results',
    '',
    ...rows.map((r) => `- \`${r.name}\` (${r.verdict}; \`${r.certificate}\`, ${r.bytes} bytes): ${r.statement}.`),
    '',
  ];
  return lines.join('\n');
}

/** LaTeX special characters, escaped for text mode. */
function latex(text: string): string {
  const escapes: Record<string, string> = {
    '\\': '\\textbackslash{}',
    '{': '\\{',
    '}': '\\}',
    $: '\\$',
    '&': '\\&',
    '#': '\\#',
    _: '\\_',
    '%': '\\%',
    '~': '\\textasciitilde{}',
    '^': '\\textasciicircum{}',
  };
  return text.replace(/[\\{}$&#_%~^]/g, (c) => escapes[c]!);
}

/** The results as a LaTeX table: question (the statement, as a question), verdict, certificate size, check time. */
function latexTable(rows: readonly ArtifactRow[], title: string): string {
  const question = (s: string): string => s.replace(/^(no network|the network) with /, 'a network with ');
  const body = rows.map(
    (r) => `\\texttt{${latex(r.name)}}: ${latex(question(r.statement))}? & ${r.verdict} & ${(r.bytes / 1024).toFixed(1)} & ${r.checkMs.toFixed(1)} \\\\`,
  );
  return [
    '% generated by `relucert artifact`; check times as measured when the artifact was built',
    '\\begin{table}',
    '\\centering',
    '\\begin{tabular}{p{0.6\\linewidth}lrr}',
    '\\hline',
    'Question & Verdict & Certificate (KiB) & Check (ms) \\\\',
    '\\hline',
    ...body,
    '\\hline',
    '\\end{tabular}',
    `\\caption{${latex(title)}: each verdict proved by a certificate re-checked by \\texttt{node check.mjs}.}`,
    '\\end{table}',
    '',
  ].join('\n');
}

/** The folder's `check.mjs`: node built-ins and the standalone checker only. */
const CHECK_SCRIPT = `#!/usr/bin/env node
// Re-checks this artifact with node alone: the SHA-256 sums of SHA256SUMS, then every certificate
// of results.json against its instance with the standalone checker relucert-check.mjs, printing
// the statement each one proves. Exit 0 if everything checks, 1 otherwise.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from './relucert-check.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
let failed = 0;
for (const line of readFileSync(join(here, 'SHA256SUMS'), 'utf8').split('\\n').filter((l) => l !== '')) {
  const sum = line.slice(0, 64);
  const file = line.slice(66);
  const got = createHash('sha256').update(readFileSync(join(here, file))).digest('hex');
  if (got !== sum) {
    console.log(\`FAILED  \${file}: SHA-256 \${got}, SHA256SUMS says \${sum}\`);
    failed++;
  }
}
const rows = JSON.parse(readFileSync(join(here, 'results.json'), 'utf8'));
const start = performance.now();
for (const row of rows) {
  let out = '';
  let err = '';
  const t = performance.now();
  const code = main([join(here, row.certificate), '--instance', join(here, row.instance)], { out: (s) => (out += s), err: (s) => (err += s) });
  const ms = (performance.now() - t).toFixed(1);
  const statement = out.replace(/^valid: /, '').trim();
  if (code === 0 && statement === row.statement) console.log(\`ok      \${row.certificate} (\${ms} ms): \${statement}\`);
  else {
    console.log(\`FAILED  \${row.certificate}: \${code === 0 ? 'a statement other than the README states: ' + statement : err.trim()}\`);
    failed++;
  }
}
const seconds = ((performance.now() - start) / 1000).toFixed(1);
console.log(failed === 0 ? \`all \${rows.length} certificates check (\${seconds} s)\` : \`\${failed} failure(s)\`);
process.exitCode = failed === 0 ? 0 : 1;
`;

/** The standalone checker's text, from the package (checker/relucert-check.mjs beside package.json); InputError when it is missing. */
export function standaloneChecker(): string {
  for (let dir = dirname(new URL(import.meta.url).pathname); ; dir = dirname(dir)) {
    const file = join(dir, 'checker', 'relucert-check.mjs');
    if (existsSync(join(dir, 'package.json')) && existsSync(file)) return readFileSync(file, 'utf8');
    if (dirname(dir) === dir) throw new InputError('checker/relucert-check.mjs', '', 'not found beside the package (npm run checker writes it)');
  }
}
