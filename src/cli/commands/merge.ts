/**
 * relucert merge DIR [-o CERT] [--json]
 * Cube-and-conquer, last step (docs/cluster.md): one ordinary certificate from
 * the cube certificates of a split directory, checked by the independent
 * checker before it is written; or the first witness; or the cubes still
 * open. Exit 20 infeasible (merged), 10 feasible (a witness), 0 cubes still
 * open (nothing written), 2 bad input (a wrong, missing, duplicated or
 * corrupted cube: one line naming it; nothing written).
 */
import type { Command } from 'commander';
import { nameOf } from '../../format/text.js';
import { cubeCertFile, cubeFile } from '../../cube/format.js';
import { type MergeOutcome, mergeSplit } from '../../cube/merge.js';
import { readSplitDir } from '../../cube/split-dir.js';
import { EXIT, type Io } from '../io.js';
import { writeFileAtomic } from '../../format/files.js';
import { idList } from './split.js';

export function register(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('merge')
    .description(
      'merge the cube certificates of a split directory into one certificate (checked), or report the witness or the cubes still open; exit 20 infeasible, 10 feasible, 0 open, 2 bad input',
    )
    .argument('<dir>', 'a split directory (made by relucert split)')
    .option('-o, --out <cert>', 'write the merged certificate (or the witness certificate) here')
    .option('--json', 'print one JSON object on stdout')
    .action((dir: string, o: { out?: string; json?: boolean }) => {
      const sd = readSplitDir(dir);
      const m = mergeSplit(sd);
      const name = nameOf(sd.inst);
      if (m.verdict !== 'open' && o.out !== undefined) writeFileAtomic(o.out, m.text);
      if (o.json) {
        io.out(
          JSON.stringify({
            instance: name,
            split: sd.manifest.split,
            verdict: m.verdict === 'open' ? 'unknown' : m.verdict,
            cubes: sd.cubes.length,
            ...(m.verdict === 'open' ? { open: m.open, proved: m.proved, notNeeded: m.notNeeded, splitAgain: m.splitAgain } : {}),
            ...(m.verdict === 'feasible' ? { witnessCube: m.cube } : {}),
            ...(m.verdict === 'infeasible' ? { merged: m.plugged, lemmas: m.lemmas } : {}),
            ...(m.verdict !== 'open' && o.out !== undefined ? { certificate: o.out, certificateChecked: true } : {}),
          }) + '\n',
        );
      } else if (m.verdict === 'open') {
        printOpen(io, name, dir, sd.cubes.length, m);
      } else if (m.verdict === 'feasible') {
        io.out(`${name}: feasible (a witness from cube ${m.cube} answers the whole instance)\n`);
        io.out(`  ${m.statement}\n`);
        if (o.out !== undefined) io.out(`  certificate: ${o.out} (checked by the independent checker: valid)\n`);
      } else {
        io.out(
          `${name}: infeasible (merged ${m.plugged} cube proof${m.plugged === 1 ? '' : 's'} of split ${sd.manifest.split}${m.lemmas > 0 ? `, ${m.lemmas} lemmas` : ''})\n`,
        );
        if (o.out !== undefined) io.out(`  certificate: ${o.out} (checked by the independent checker: valid)\n`);
        else io.out(`  (checked by the independent checker: valid; give -o CERT to write it)\n`);
      }
      done(m.verdict === 'open' ? EXIT.unknown : m.verdict === 'feasible' ? EXIT.feasible : EXIT.infeasible);
    });
}

/**
 * The report of a split still open: every cube in one list, the counts
 * adding up to the total ("4 cubes still open (of 11: 6 proved, 1 not
 * needed)"), the cubes no longer needed and those split again named.
 */
function printOpen(io: Io, name: string, dir: string, total: number, m: Extract<MergeOutcome, { verdict: 'open' }>): void {
  const others = [
    `${m.proved} proved`,
    ...(m.notNeeded.length > 0 ? [`${m.notNeeded.length} not needed`] : []),
    ...(m.splitAgain.length > 0 ? [`${m.splitAgain.length} split again`] : []),
  ];
  io.out(`${name}: unknown: ${m.open.length} cube${m.open.length === 1 ? '' : 's'} still open (of ${total}: ${others.join(', ')}): ${idList(m.open)}\n`);
  if (m.notNeeded.length > 0)
    io.out(`  not needed: ${idList(m.notNeeded)} (a neighbour's proof does not use the literal that separates them; docs/cluster.md, "lifting")\n`);
  if (m.splitAgain.length > 0) io.out(`  split again: ${idList(m.splitAgain)} (their cubes stand for them)\n`);
  io.out(`  solve each:  relucert solve ${cubeFile(dir, 'ID')} --cert ${cubeCertFile(dir, 'ID')}\n`);
  io.out(`  or on Slurm: relucert slurm ${dir}   (a slow cube can be split again: relucert split ${dir} --resplit ID --cubes 4)\n`);
}
