/**
 * relucert reduce REDUCTION|PLUGIN SOURCE.json [-o INSTANCE.json] [--variant NAME]
 * Maps a source instance (set-splitting/1, ..., or a plugin's format) to a
 * relucert-instance/1 file. REDUCTION is a built-in name or a plugin file
 * (./my-reduction.mjs, .ts: docs/reductions.md, section 5).
 * Exit 0 written, 2 bad input (including a plugin that does not load, has the
 * wrong shape, or whose map throws or returns an invalid instance).
 */
import type { Command } from 'commander';
import { InputError } from '../../format/errors.js';
import { readJsonFile } from '../../format/schema.js';
import { instanceToJson, prettyJson } from '../../format/write.js';
import type { AnyReduction } from '../../reduce/reduction.js';
import { reductions, resolveReduction } from '../../reduce/registry.js';
import { describeQuestion } from '../../format/text.js';
import { EXIT, type Io } from '../io.js';
import { outputTarget, writeOutput } from '../../format/files.js';

/** The reduction (built-in or plugin) and the named variant, or an InputError naming what is known. */
export async function resolveVariant(arg: string, variantName: string | undefined): Promise<{ red: AnyReduction; variant: AnyReduction['variants'][number] }> {
  const red = await resolveReduction(arg);
  const vname = variantName ?? 'correct';
  const variant = red.variants.find((v) => v.name === vname);
  if (!variant)
    throw new InputError(
      'command line',
      '--variant',
      `${red.name} has no variant ${JSON.stringify(vname)} (known: ${red.variants.map((v) => v.name).join(', ')})`,
    );
  return { red, variant };
}

export const REDUCTION_ARGUMENT = `the reduction: ${reductions.map((r) => r.name).join(', ')}, or a plugin file (./my-reduction.mjs or .ts)`;

export function register(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('reduce')
    .description('map a source instance (e.g. set-splitting/1) to a relucert-instance/1 file by a reduction (built-in or plugin)')
    .argument('<reduction>', REDUCTION_ARGUMENT)
    .argument('<source>', "a source file in the reduction's format")
    .option('-o, --output <file>', 'write the instance here (default, or "-": standard output)')
    .option('--variant <name>', 'a variant of the reduction (see `relucert fuzz --list`)', 'correct')
    .action(async (name: string, file: string, o: { output?: string; variant?: string }) => {
      const { red, variant } = await resolveVariant(name, o.variant);
      const target = outputTarget(o.output ?? '-');
      const source: unknown = red.parseSource(readJsonFile(file), file);
      const inst = variant.toInstance(source);
      const text = prettyJson(instanceToJson(inst));
      writeOutput(target, text, io);
      if (target.kind === 'file')
        io.out(`${target.file}: ${red.name}${variant.kind === 'mutant' ? ` (MUTANT variant ${variant.name})` : ''}: ${describeQuestion(inst)}\n`);
      done(EXIT.ok);
    });
}
