#!/usr/bin/env node
import { run } from '../dist/src/cli/main.js';
// a closed pipe (relucert ... | head) ends the output quietly, not with a stack trace
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});
run(process.argv.slice(2)).then((code) => { process.exitCode = code; });
