/**
 * relucert split INSTANCE --cubes N -o DIR [--json]
 * relucert split DIR --resplit CUBES [--cubes M] [--json]
 * Cube-and-conquer, first step (docs/cluster.md): split the instance into
 * cubes by lookahead and write them, with a manifest, into DIR; or split open
 * cubes of DIR again (a slow cube becomes M smaller ones). Exit 0, 2 bad input.
 */
import type { Command } from 'commander';
import { nameOf } from '../../format/text.js';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cubeCertFile, cubeFile } from '../../cube/format.js';
import type { PlannedCube } from '../../cube/plan.js';
import { createSplit, readSplitDir, resplitCubes } from '../../cube/split-dir.js';
import { mergeSplit } from '../../cube/merge.js';
import { literalName } from '../../encode/system.js';
import { InputError } from '../../format/errors.js';
import { readInstance } from '../../format/schema.js';
import { checkCubeable } from '../../run/limits.js';
import { EXIT, type Io, parsePositiveInt } from '../io.js';

/** At most this many ids, then "...". */
export function idList(ids: readonly string[], max = 12): string {
  return ids.length <= max ? ids.join(', ') : `${ids.slice(0, max).join(', ')}, ... (${ids.length} in all)`;
}

function printCubes(io: Io, dir: string, planned: PlannedCube[], proved: string[]): void {
  const open = planned.filter((p) => !proved.includes(p.id)).map((p) => p.id);
  if (open.length > 0) {
    io.out(`  ${open.length} open: ${idList(open)}\n`);
    io.out(`    solve each: relucert solve ${cubeFile(dir, 'ID')} --cert ${cubeCertFile(dir, 'ID')}\n`);
  }
  if (proved.length > 0) io.out(`  ${proved.length} proved while splitting (a side the LP refutes at once): ${idList(proved)}\n`);
}

export function register(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('split')
    .description('split an instance into cubes (lookahead) for cube-and-conquer, or split open cubes of a split directory again (docs/cluster.md)')
    .argument('<input>', 'a relucert-instance/1 file, or a split directory with --resplit')
    .option('--cubes <n>', 'open cubes to make (new split: in all, required; --resplit: per cube split again, default 2)')
    .option('-o, --out <dir>', 'directory for the new split (must not exist, or be empty; required for a new split)')
    .option('--resplit <cubes>', 'split these open cubes of the directory again: ids separated by commas, or "open" for every open cube')
    .option('--json', 'print one JSON object on stdout')
    .action((input: string, o: { cubes?: string; out?: string; resplit?: string; json?: boolean }) => {
      if (o.resplit !== undefined) {
        if (o.out !== undefined) throw new InputError('command line', '--out', '--resplit changes the split directory in place; no --out');
        const count = parsePositiveInt(o.cubes ?? '2', '--cubes')!;
        const sd = readSplitDir(input);
        let ids = o.resplit.split(',').map((s) => s.trim());
        if (o.resplit === 'open') {
          const m = mergeSplit(sd);
          ids = m.verdict === 'open' ? m.open : [];
        }
        const planned = resplitCubes(sd, ids, count);
        const proved = planned.filter((p) => existsSync(cubeCertFile(input, p.id))).map((p) => p.id);
        if (o.json)
          io.out(
            JSON.stringify({
              dir: input,
              split: sd.manifest.split,
              resplit: ids,
              cubes: planned.map((p) => ({ id: p.id, case: p.caseIndex, assume: p.assume.map(literalName), proved: proved.includes(p.id) })),
            }) + '\n',
          );
        else {
          io.out(
            `${nameOf(sd.inst)}: split ${ids.length === 0 ? 'no cube (none open)' : `cube${ids.length === 1 ? '' : 's'} ${idList(ids)}`} again into ${planned.length} cubes in ${input}\n`,
          );
          printCubes(io, input, planned, proved);
        }
        return done(EXIT.ok);
      }
      if (o.out === undefined) throw new InputError('command line', '--out', 'give the directory for the split: -o DIR');
      if (o.cubes === undefined) throw new InputError('command line', '--cubes', 'give the number of cubes: --cubes N');
      const count = parsePositiveInt(o.cubes, '--cubes')!;
      if (existsSync(input) && statSync(input).isDirectory()) throw new InputError(input, '', 'is a directory; to split its open cubes again, use --resplit');
      const inst = readInstance(input);
      checkCubeable(inst, input);
      const { manifest, planned, provedAtOnce } = createSplit(inst, o.out, count);
      if (o.json) {
        io.out(
          JSON.stringify({
            dir: o.out,
            split: manifest.split,
            instance: inst.name,
            cubes: planned.map((p) => ({ id: p.id, case: p.caseIndex, assume: p.assume.map(literalName), proved: provedAtOnce.includes(p.id) })),
          }) + '\n',
        );
      } else {
        io.out(`${nameOf(inst)}: split into ${planned.length} cubes in ${o.out} (split ${manifest.split})\n`);
        printCubes(io, o.out, planned, provedAtOnce);
        io.out(`  then: relucert merge ${o.out} -o ${join(o.out, 'merged.cert.json')}\n`);
      }
      done(EXIT.ok);
    });
}
