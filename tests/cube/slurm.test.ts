/**
 * Cube-and-conquer for real: a one-node Slurm cluster on localhost
 * (scripts/slurm/cluster.sh: munged, slurmctld, slurmd), `relucert slurm` on a
 * shipped instance, a first round whose cubes all time out, a resumed round
 * that splits them again, the merge job, and the merged certificate checked
 * with `relucert check`; then the same instance with `solve --workers 2`.
 *
 * Needs root and Debian's slurm-wlm and munge (scripts/install-solvers.sh
 * installs them; CI runs it). Without them the test is skipped with a
 * warning; with them, a daemon that does not start fails the test and its
 * log is printed. The daemons are stopped by their pid files in any case.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultEngine } from '../../src/engines/index.js';
import { cli, tempDir } from '../helpers.js';

const INSTANCE = 'bench/suite/perturbed-d2-k3-n9.json';
const NEEDED = ['munged', 'mungekey', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'sinfo'];
const installed = (bin: string): boolean => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;
const missing = NEEDED.filter((b) => !installed(b));
const root = process.getuid?.() === 0;
const skip = missing.length > 0 || !root;
if (skip)
  console.warn(
    `tests/cube/slurm.test.ts: skipping the Slurm cluster test: ${missing.length > 0 ? `${missing.join(', ')} not on PATH (run scripts/install-solvers.sh)` : 'not root'}`,
  );

let cluster: string | undefined;
afterAll(() => {
  if (cluster) spawnSync('bash', ['scripts/slurm/cluster.sh', 'stop', cluster], { encoding: 'utf8' });
});

/** Waits until none of the jobs is in the queue any more. */
async function waitFor(jobs: string[], limitMs: number): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const q = spawnSync('squeue', ['-h', '-j', jobs.join(','), '-o', '%i %T'], { encoding: 'utf8' });
    if (q.status === 0 && q.stdout.trim() === '') return;
    if (Date.now() - t0 > limitMs) throw new Error(`jobs ${jobs.join(',')} still queued after ${limitMs / 1000} s:\n${q.stdout}${q.stderr}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** The state Slurm reports for a finished job (scontrol keeps it for MinJobAge seconds). */
function jobState(job: string): string {
  const r = spawnSync('scontrol', ['show', 'job', job], { encoding: 'utf8' });
  return /JobState=(\S+)/.exec(r.stdout)?.[1] ?? `unknown (${r.stderr.trim()})`;
}

interface Submitted {
  arrayJob?: string;
  mergeJob?: string;
  certificate: string;
  round: number;
  cubes: string[];
}

describe.skipIf(skip)('relucert slurm on a one-node Slurm cluster', () => {
  it('runs the job array and the merge job; resumes timed-out cubes split again; the merged certificate checks', async () => {
    cluster = tempDir();
    const start = spawnSync('bash', ['scripts/slurm/cluster.sh', 'start', cluster], { encoding: 'utf8' });
    if (start.status !== 0) throw new Error(`the Slurm cluster did not start:\n${start.stderr}${start.stdout}`);
    process.env.SLURM_CONF = join(cluster, 'slurm.conf');
    try {
      const dir = join(tempDir(), 'split');
      // round 1: every cube gets 1 ms, so each one times out and stays open
      const r1 = await cli('slurm', INSTANCE, '--cubes', '4', '--out', dir, '--timeout', '0.001', '--json');
      expect(r1.err).toBe('');
      expect(r1.code).toBe(0);
      const s1 = JSON.parse(r1.out) as Submitted;
      expect(s1.round).toBe(1);
      expect(s1.cubes.length).toBeGreaterThan(1);
      await waitFor([s1.arrayJob!, s1.mergeJob!], 240_000);
      expect(jobState(s1.mergeJob!)).toBe('COMPLETED');
      const merge1 = readFileSync(join(dir, 'slurm', 'round-1', 'merge.out'), 'utf8');
      expect(merge1).toMatch(/unknown: \d+ cubes? still open/);
      expect(existsSync(s1.certificate)).toBe(false);

      // round 2: the open cubes, each split again into 2, without a time limit
      const r2 = await cli('slurm', dir, '--resplit', '2', '--json');
      expect(r2.code).toBe(0);
      const s2 = JSON.parse(r2.out) as Submitted;
      expect(s2.round).toBe(2);
      expect(s2.cubes.every((c) => c.includes('.'))).toBe(true);
      await waitFor([s2.arrayJob!, s2.mergeJob!], 240_000);
      expect(jobState(s2.mergeJob!)).toBe('COMPLETED');
      const merge2 = readFileSync(join(dir, 'slurm', 'round-2', 'merge.out'), 'utf8');
      expect(merge2).toContain('"perturbed-d2-k3-n9": infeasible (merged');
      const check = await cli('check', s2.certificate, '--instance', INSTANCE);
      expect(check.code).toBe(0);
      expect(check.out).toBe(
        'valid: no network with 3 relu units (output weights signs, no output bias) fits "perturbed-d2-k3-n9" with zero error on 9 points\n',
      );
      const task0 = readFileSync(join(dir, 'slurm', 'round-2', 'logs', 'task-0.out'), 'utf8');
      expect(task0).toMatch(/^cube \S+\.\d+ \(array task 0 of job \d+\)/);
    } finally {
      delete process.env.SLURM_CONF;
      const stop = spawnSync('bash', ['scripts/slurm/cluster.sh', 'stop', cluster], { encoding: 'utf8' });
      expect(stop.status).toBe(0);
      for (const d of ['munged', 'slurmctld', 'slurmd-relucert-node']) expect(existsSync(join(cluster, `${d}.pid`)), d).toBe(false);
      cluster = undefined;
    }
  });
});

describe('the same instance on local workers', () => {
  it('the same instance with solve --workers 2: the certificate checks', async () => {
    const cert = join(tempDir(), 'w2.cert.json');
    const r = await cli('solve', INSTANCE, '--workers', '2', '--cert', cert);
    expect(r.code).toBe(20);
    expect(r.out).toContain(`engine ${defaultEngine} on 2 workers:`);
    expect((await cli('check', cert, '--instance', INSTANCE)).code).toBe(0);
  });
});
