/**
 * The process entry of the relucert command: bin/relucert.js runs its
 * compiled form; job scripts written from the TypeScript sources (tests) run
 * it through tsx. Sets the exit code; a closed pipe (relucert ... | head)
 * ends the output quietly, not with a stack trace.
 */
import { run } from './main.js';

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});
void run(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
