/**
 * The relucert command. Each subcommand lives in src/cli/commands/NAME.ts and
 * exports `register(program, io, done)`; `done(code)` records the exit code.
 * Errors: InputError -> one line `relucert: FILE: FIELD: MESSAGE`, exit 2;
 * commander's own errors (unknown option, missing argument) -> one line, exit 2.
 */
import { Command, CommanderError } from 'commander';
import { InputError } from '../format/errors.js';
import { EXIT, type Io, processIo } from './io.js';
import { commands } from './commands/index.js';

export async function run(argv: string[], io: Io = processIo): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command();
  program
    .name('relucert')
    .description(
      'Decide exact questions about training small ReLU / threshold networks, and prove the answers.\n' +
        'Every verdict comes with a certificate that `relucert check` re-checks with exact rationals.',
    )
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s),
      writeErr: (s) => io.err(s),
      outputError: (s, write) => write(`relucert: ${s.replace(/^error: /, '').trim()}\n`),
    });
  const done = (c: number): void => {
    code = c;
  };
  for (const register of commands) register(program, io, done);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.ok;
      if (e.code === 'commander.executeSubCommandAsync') return code;
      return EXIT.badInput;
    }
    if (e instanceof InputError) {
      io.err(`relucert: ${e.message}\n`);
      return EXIT.badInput;
    }
    // A bug in relucert itself: one line, no stack trace unless RELUCERT_DEBUG is set.
    io.err(`relucert: internal error: ${(e as Error).message ?? String(e)}\n`);
    if (process.env.RELUCERT_DEBUG) io.err(`${(e as Error).stack ?? ''}\n`);
    return EXIT.internal;
  }
}
