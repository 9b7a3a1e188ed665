/**
 * The relucert command. Each subcommand lives in src/cli/commands/NAME.ts and
 * exports `register(program, io, done)`; `done(code)` records the exit code.
 * Errors: InputError -> one line `relucert: FILE: FIELD: MESSAGE`, exit 2;
 * commander's own errors (unknown option, missing argument) -> one line, exit 2.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Help } from 'commander';
import { printable } from '../check/rejection.js';
import { InputError } from '../format/errors.js';
import { EXIT, type Io, processIo } from './io.js';
import { WriteError, watchMadeDirectories } from '../format/files.js';
import { type CommandEntry, commands } from './commands/index.js';

export async function run(argv: string[], rawIo: Io = processIo): Promise<number> {
  // Everything printed passes through printable(): no text from a file can move
  // the cursor, reorder a line or start a new one (names are also quoted where printed).
  const io: Io = {
    out: (t) => rawIo.out(printable(t)),
    err: (t) => rawIo.err(printable(t)),
    progress: rawIo.progress,
    terminal: rawIo.terminal ?? ((t) => rawIo.err(t)),
    ...(rawIo.signals ? { signals: true } : {}),
  };
  let code: number = EXIT.ok;
  const program = new Command();
  program
    .name('relucert')
    .description(
      'Decide exact questions about training small ReLU / threshold networks, and prove the answers.\n' +
        'Every verdict comes with a certificate that `relucert check` re-checks with exact rationals.',
    )
    .version(packageVersion(), '-V, --version', 'print the version of relucert')
    // required options say so in --help (commander lists them like the others)
    .configureHelp({ optionDescription: (opt) => (opt.mandatory ? `${new Help().optionDescription(opt)} (required)` : new Help().optionDescription(opt)) })
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
  for (const entry of commandsFor(argv)) (await entry.load()).register(program, io, done);
  const made = watchMadeDirectories();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.ok;
      if (e.code === 'commander.executeSubCommandAsync') return code;
      return EXIT.badInput;
    }
    if (e instanceof WriteError) {
      io.err(`relucert: ${e.message}\n`);
      return EXIT.cannotWrite;
    }
    if (e instanceof InputError) {
      io.err(`relucert: ${e.message}\n`);
      return EXIT.badInput;
    }
    // A bug in relucert itself: one line, no stack trace unless RELUCERT_DEBUG is set.
    io.err(`relucert: internal error: ${(e as Error).message ?? String(e)}\n`);
    if (process.env.RELUCERT_DEBUG) io.err(`${(e as Error).stack ?? ''}\n`);
    return EXIT.internal;
  } finally {
    reportMadeDirectories(made.stop(), io);
  }
}

/**
 * The subcommands to load for this command line: the one it names; none for
 * `--version` alone; every one otherwise (--help, `help`, a typo: commander
 * lists them all or suggests the nearest). The command is the first argument
 * that is not an option: the program itself takes no option with a value.
 */
function commandsFor(argv: readonly string[]): readonly CommandEntry[] {
  const first = argv.find((a) => !a.startsWith('-'));
  const named = commands.find((c) => c.name === first);
  if (named) return [named];
  const versionOnly = first === undefined && argv.length > 0 && argv.every((a) => a === '-V' || a === '--version');
  return versionOnly ? [] : commands;
}

/** Says which folders the command made because an output path named them and they did not exist (stderr: stdout may hold --json). */
function reportMadeDirectories(dirs: readonly string[], io: Io): void {
  if (dirs.length === 0) return;
  const what = dirs.length === 1 ? `the folder ${dirs[0]!}` : `${dirs.length} folders: ${dirs.join(', ')}`;
  io.err(`relucert: made ${what} (${dirs.length === 1 ? 'it' : 'they'} did not exist)\n`);
}

/** The version in relucert's package.json (found upwards from this file: src/ when run from source, dist/src/ when built). */
function packageVersion(): string {
  for (let dir = new URL('.', import.meta.url); ; dir = new URL('..', dir)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'relucert' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // no package.json here
    }
    if (dir.pathname === '/') return 'unknown';
  }
}
