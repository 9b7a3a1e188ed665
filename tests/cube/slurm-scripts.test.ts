/**
 * relucert slurm without a cluster: --dry-run writes the job array and the
 * merge job (one task per open cube, the options as #SBATCH lines), resuming
 * writes the next round for the open cubes only, and bad options or a missing
 * sbatch are one-line errors.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cubeCertFile, cubeFile } from '../../src/cube/format.js';
import { cli, tempDir } from '../helpers.js';

const INSTANCE = 'bench/suite/perturbed-d2-k2-n8.json';

interface DryRun {
  round: number;
  cubes: string[];
  solveScript: string;
  mergeScript: string;
  certificate: string;
  submitted: boolean;
}

describe('relucert slurm --dry-run', () => {
  it('writes an array with one task per open cube and a merge job, and submits nothing', async () => {
    const dir = join(tempDir(), 'split');
    const r = await cli('slurm', INSTANCE, '--cubes', '4', '--out', dir, '--partition', 'short', '--time', '30', '--timeout', '20', '--dry-run', '--json');
    expect(r.code).toBe(0);
    const d = JSON.parse(r.out) as DryRun;
    expect(d.submitted).toBe(false);
    expect(d.round).toBe(1);
    const open = (JSON.parse((await cli('merge', dir, '--json')).out) as { open: string[] }).open;
    expect(d.cubes).toEqual(open);
    expect(readFileSync(join(dir, 'slurm', 'round-1', 'tasks.txt'), 'utf8')).toBe(open.map((c) => `${c}\n`).join(''));
    const solve = readFileSync(d.solveScript, 'utf8');
    expect(solve).toContain(`#SBATCH --array=0-${open.length - 1}\n`);
    expect(solve).toContain('#SBATCH --partition=short\n');
    expect(solve).toContain('#SBATCH --time=30\n');
    expect(solve).toContain('solve "$dir/cube-$cube.json" --cert "$dir/cube-$cube.cert.json" --quiet --timeout 20');
    expect(solve).toContain('$((SLURM_ARRAY_TASK_ID + 1))p');
    const merge = readFileSync(d.mergeScript, 'utf8');
    expect(merge).toContain(` merge '${dir}' -o '${d.certificate}'`);
    expect(d.certificate).toBe(join(dir, 'merged.cert.json'));
    // the scripts are valid bash
    for (const f of [d.solveScript, d.mergeScript]) expect(spawnSync('bash', ['-n', f]).status, f).toBe(0);
  });

  it('the array script, run as task 0 outside Slurm, solves the first open cube', async () => {
    const dir = join(tempDir(), 'split');
    const d = JSON.parse((await cli('slurm', INSTANCE, '--cubes', '2', '--out', dir, '--dry-run', '--json')).out) as DryRun;
    const run = spawnSync('bash', [d.solveScript], { env: { ...process.env, SLURM_ARRAY_TASK_ID: '0' }, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`cube ${d.cubes[0]} (array task 0 of job ?)`);
    expect(readFileSync(cubeCertFile(dir, d.cubes[0]!), 'utf8')).toContain('"relucert-cube-certificate/1"');
  });

  it('resuming writes round 2 for the cubes still open only, and nothing when none is open', async () => {
    const dir = join(tempDir(), 'split');
    const d1 = JSON.parse((await cli('slurm', INSTANCE, '--cubes', '4', '--out', dir, '--dry-run', '--json')).out) as DryRun;
    const first = d1.cubes[0]!;
    expect((await cli('solve', cubeFile(dir, first), '--cert', cubeCertFile(dir, first))).code).toBe(20);
    const d2 = JSON.parse((await cli('slurm', dir, '--dry-run', '--json')).out) as DryRun;
    expect(d2.round).toBe(2);
    expect(d2.cubes).toEqual(d1.cubes.filter((c) => c !== first));
    for (const c of d2.cubes) await cli('solve', cubeFile(dir, c), '--cert', cubeCertFile(dir, c));
    const d3 = await cli('slurm', dir, '--dry-run');
    expect(d3.code).toBe(0);
    expect(d3.out).toContain('nothing to submit: no cube is open (infeasible)');
  });

  it('refuses bad options with one line, and says when sbatch is missing', async () => {
    const dir = join(tempDir(), 'split');
    for (const [args, text] of [
      [['--cubes', '4', '--out', dir, '--time', '1h'], '--time: not a Slurm time limit'],
      [['--cubes', '4', '--out', dir, '--partition', 'a b'], '--partition: not a partition name'],
      [['--out', dir], '--cubes'],
      [['--cubes', '4'], '--out'],
      [['--cubes', '4', '--out', dir, '--resplit', '2'], '--resplit: applies when resuming'],
    ] as const) {
      const r = await cli('slurm', INSTANCE, ...args);
      expect(r.code, text).toBe(2);
      expect(r.err, text).toContain(text);
    }
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const r = await cli('slurm', INSTANCE, '--cubes', '2', '--out', dir);
      expect(r.code).toBe(2);
      expect(r.err).toBe('relucert: sbatch: not found: is this a Slurm login node? (--dry-run only writes the scripts)\n');
    } finally {
      process.env.PATH = path;
    }
  });
});

describe('scripts/slurm/cluster.sh where network namespaces are refused', () => {
  const script = 'scripts/slurm/cluster.sh';
  it('netns-check and start --nodes say so in one line, exit 3, and start nothing (RELUCERT_NO_NETNS=1)', () => {
    const env = { ...process.env, RELUCERT_NO_NETNS: '1' };
    const check = spawnSync('bash', [script, 'netns-check'], { env, encoding: 'utf8' });
    expect(check.status).toBe(3);
    expect(check.stderr).toBe('cluster.sh: network namespaces are not permitted here (RELUCERT_NO_NETNS=1)\n');
    if (process.getuid?.() !== 0 || spawnSync('sh', ['-c', 'command -v slurmd && command -v munged']).status !== 0) return;
    const dir = tempDir();
    const start = spawnSync('bash', [script, 'start', dir, '--nodes', '3'], { env, encoding: 'utf8' });
    expect(start.status).toBe(3);
    expect(start.stderr).toBe('cluster.sh: network namespaces are not permitted here (RELUCERT_NO_NETNS=1)\n');
    expect(readdirSync(dir)).toEqual([]);
  });
  it('as a user without CAP_NET_ADMIN, netns-check reports that ip netns add is refused', () => {
    if (process.getuid?.() !== 0 || spawnSync('sh', ['-c', 'command -v setpriv && command -v ip']).status !== 0) return;
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'bash', script, 'netns-check'], { encoding: 'utf8' });
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/^cluster\.sh: network namespaces are not permitted here \(ip netns add: .+\)\n$/);
  });
});
