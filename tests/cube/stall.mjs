/**
 * Fault injection for tests/cube/slurm-cluster.test.ts only: that test loads this module into
 * every node process its cluster's jobs start (NODE_OPTIONS=--import). A process that solves cube
 * ID of the split directory DIR (`relucert solve DIR/cube-ID.json ...`) first waits while the file
 * DIR.stall/ID exists, as a slow cube would: the test then kills its node, cancels it, or lets it
 * run past its Slurm time limit. When it starts waiting it writes DIR.stall/ID.running (the name
 * of its node). If the control file holds "first", only the first run waits (a run after Slurm's
 * requeue, which has SLURM_RESTART_COUNT set, goes on at once). Any other process: nothing.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import process from 'node:process';

const cube = process.argv.find((a) => /\/cube-[^/]+\.json$/.test(a) && !a.endsWith('.cert.json'));
if (cube !== undefined) {
  const control = `${dirname(cube)}.stall/${basename(cube).slice('cube-'.length, -'.json'.length)}`;
  let mode;
  try {
    mode = readFileSync(control, 'utf8').trim();
  } catch {
    mode = undefined;
  }
  if (mode !== undefined && !(mode === 'first' && process.env.SLURM_RESTART_COUNT)) {
    writeFileSync(`${control}.running`, `${process.env.SLURMD_NODENAME ?? '?'}\n`);
    const cell = new Int32Array(new SharedArrayBuffer(4));
    while (existsSync(control)) Atomics.wait(cell, 0, 0, 200);
  }
}
