/**
 * relucert artifact INSTANCES... --cert-dir DIR --out FOLDER [--title TEXT]
 * Writes a publication artifact (docs/artifacts.md): the instances (files,
 * or folders of them as `relucert solve` takes them), their certificates
 * (DIR/NAME.cert.json, as `relucert solve --cert-dir DIR` writes them), the
 * standalone checker, SHA-256 sums, a README stating each result, `check.mjs`
 * and a LaTeX table. The library's `buildArtifact` (src/run/artifact.ts) does
 * the work. Exit 0 written, 2 bad input (a missing file, a certificate the
 * checker rejects, an existing FOLDER).
 */
import type { Command } from 'commander';
import { artifactItems, buildArtifact, standaloneChecker } from '../../run/artifact.js';
import { quote } from '../../check/rejection.js';
import { EXIT, type Io } from '../io.js';

export function register(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('artifact')
    .description('write a folder a paper can cite: instances, certificates, the standalone checker, SHA-256 sums, README, check.mjs, LaTeX table')
    .argument('<instances...>', 'relucert-instance/1 files, or folders of them')
    .requiredOption('--cert-dir <dir>', 'the folder of their certificates, NAME.cert.json (as `relucert solve --cert-dir` writes them)')
    .requiredOption('--out <folder>', 'the artifact folder to create (must not exist)')
    .option('--title <text>', 'the title of its README and table', 'Certified results')
    .action((inputs: string[], o: { certDir: string; out: string; title: string }) => {
      const rows = buildArtifact(artifactItems(inputs, o.certDir), o.out, standaloneChecker(), o.title);
      for (const r of rows) io.out(`${r.verdict} ${quote(r.name)}: ${r.statement}\n`);
      io.out(`wrote ${o.out}: ${rows.length} certificate${rows.length === 1 ? '' : 's'}; re-check with: node ${o.out}/check.mjs\n`);
      done(EXIT.ok);
    });
}
