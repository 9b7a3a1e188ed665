/**
 * relucert reduce REDUCTION SOURCE.json [-o INSTANCE.json] [--variant NAME]
 * Maps a source instance (set-splitting/1, ...) to a relucert-instance/1 file.
 * Exit 0 written, 2 bad input.
 */
import type { Command } from 'commander';
import { InputError } from '../../format/errors.js';
import { readJsonFile } from '../../format/schema.js';
import { instanceToJson, prettyJson } from '../../format/write.js';
import { findReduction, reductions } from '../../reduce/registry.js';
import type { AnyReduction } from '../../reduce/reduction.js';
import { describeQuestion } from '../describe.js';
import { EXIT, type Io, outputTarget, writeOutput } from '../io.js';

/** The named reduction and variant, or an InputError naming what is known. */
export function resolveReduction(name: string, variantName: string | undefined): { red: AnyReduction; variant: AnyReduction['variants'][number] } {
  const red = findReduction(name);
  if (!red) throw new InputError('command line', 'REDUCTION', `unknown reduction ${JSON.stringify(name)} (known: ${reductions.map((r) => r.name).join(', ')})`);
  const vname = variantName ?? 'correct';
  const variant = red.variants.find((v) => v.name === vname);
  if (!variant) throw new InputError('command line', '--variant', `${red.name} has no variant ${JSON.stringify(vname)} (known: ${red.variants.map((v) => v.name).join(', ')})`);
  return { red, variant };
}

export function register(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('reduce')
    .description('map a source instance (e.g. set-splitting/1) to a relucert-instance/1 file by a reduction')
    .argument('<reduction>', `the reduction (${reductions.map((r) => r.name).join(', ')})`)
    .argument('<source>', "a source file in the reduction's format")
    .option('-o, --output <file>', 'write the instance here (default, or "-": standard output)')
    .option('--variant <name>', 'a variant of the reduction (see `relucert fuzz --list`)', 'correct')
    .action((name: string, file: string, o: { output?: string; variant?: string }) => {
      const { red, variant } = resolveReduction(name, o.variant);
      const target = outputTarget(o.output ?? '-');
      const source = red.parseSource(readJsonFile(file), file);
      const inst = variant.toInstance(source);
      const text = prettyJson(instanceToJson(inst));
      writeOutput(target, text, io);
      if (target.kind === 'file') io.out(`${target.file}: ${red.name}${variant.kind === 'mutant' ? ` (MUTANT variant ${variant.name})` : ''}: ${describeQuestion(inst)}\n`);
      done(EXIT.ok);
    });
}
