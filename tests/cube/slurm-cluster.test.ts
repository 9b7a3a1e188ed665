/**
 * Cube-and-conquer on a multi-node Slurm cluster, and the faults it survives
 * (docs/cluster.md, "What a fault costs"). scripts/slurm/cluster.sh starts 4
 * compute nodes on this machine, each slurmd in its own network and UTS
 * namespace, with one slurmctld and munged. On it:
 *
 * - the job array runs across the nodes, and three mergers run at once on
 *   the same folder (the round's merge job and two more);
 * - a node is killed (its slurmd and its running task) in the middle of the
 *   array: Slurm's requeue runs the task again on another node;
 * - a running task is cancelled, and another runs past its time limit: the
 *   merge job lists their cubes as open and `relucert slurm DIR` finishes;
 * - a cube certificate is corrupted on disk before the merge: the merge job
 *   names it and writes nothing, `relucert slurm DIR` sets it aside and
 *   solves the cube again.
 *
 * Every time, the merged certificate is complete and accepted by the
 * independent checker, it is exactly what merging the directory again gives
 * (each cube proof plugged once), every cube proof written before the fault is
 * still there unchanged, and nothing half-written is left behind.
 *
 * A task is made slow by tests/cube/stall.mjs (loaded into the tasks' node
 * processes through NODE_OPTIONS): it waits before solving while a control
 * file exists, so that the test knows it is running when the fault strikes.
 *
 * Needs root, Debian's slurm-wlm, munge and iproute2 (scripts/install-solvers.sh),
 * and permission to make network namespaces; without them the tests are skipped
 * with one line saying why (RELUCERT_NO_NETNS=1 simulates a machine that refuses
 * namespaces).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cubeCertFile } from '../../src/cube/format.js';
import { REJECTED_DIR } from '../../src/cube/resume.js';
import { readSplitDir } from '../../src/cube/split-dir.js';
import { cli, tempDir } from '../helpers.js';

const INSTANCE = 'bench/suite/perturbed-d2-k3-n8.json';
const NODES = 4;
const SCRIPT = 'scripts/slurm/cluster.sh';
const NEEDED = ['munged', 'mungekey', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'sinfo', 'scontrol', 'scancel', 'ip', 'nsenter', 'unshare'];

/** Why these tests cannot run here, or undefined. */
function skipReason(): string | undefined {
  const missing = NEEDED.filter((b) => spawnSync('sh', ['-c', `command -v ${b}`]).status !== 0);
  if (missing.length > 0) return `${missing.join(', ')} not on PATH (run scripts/install-solvers.sh)`;
  if (process.getuid?.() !== 0) return 'not root';
  const check = spawnSync('bash', [SCRIPT, 'netns-check'], { encoding: 'utf8' });
  if (check.status === 3) return check.stderr.trim().replace(/^cluster\.sh: /, '');
  return undefined;
}
const skip = skipReason();
if (skip !== undefined) console.warn(`tests/cube/slurm-cluster.test.ts: skipping the multi-node Slurm cluster tests: ${skip}`);

let cluster: string | undefined;
const savedEnv = { SLURM_CONF: process.env.SLURM_CONF, PATH: process.env.PATH, NODE_OPTIONS: process.env.NODE_OPTIONS };

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` every half second until it gives a value; fails after `limitMs` naming `what`. */
async function until<T>(what: string, limitMs: number, probe: () => T | undefined): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() - t0 > limitMs) throw new Error(`${what}: still not so after ${limitMs / 1000} s`);
    await sleep(500);
  }
}

/** Runs a Slurm command (the cluster's wrappers are first on PATH); its stdout, or an error with its stderr. */
function slurm(cmd: string, ...args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** Waits until none of the jobs is in the queue any more. */
async function waitGone(jobs: string[], limitMs: number): Promise<void> {
  await until(`jobs ${jobs.join(',')} leave the queue`, limitMs, () =>
    slurm('squeue', '-h', '-j', jobs.join(','), '-o', '%i').trim() === '' ? true : undefined,
  );
}

/** A job's fields as scontrol shows them (kept for MinJobAge seconds after it ends). */
function job(id: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of slurm('scontrol', 'show', 'job', id).matchAll(/(\w+)=(\S*)/g)) out[m[1]!] ??= m[2]!;
  return out;
}

interface Submitted {
  round: number;
  cubes: string[];
  arrayJob: string;
  mergeJob: string;
  mergeScript: string;
  certificate: string;
  setAside?: { cube: string; file: string; aside: string; reason: string }[];
}

/** `relucert slurm ARGS --json`, which must submit. */
async function submit(...args: string[]): Promise<Submitted> {
  const r = await cli('slurm', ...args, '--json');
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  const s = JSON.parse(r.out) as Submitted;
  expect(s.arrayJob).toMatch(/^\d+$/);
  return s;
}

/** A split of INSTANCE made once (no round submitted), its open cubes, and those whose proofs the merge needs. */
let pristine: { dir: string; open: string[]; needed: string[] } | undefined;

/** A new split directory: a copy of the pristine split, so that every test has the same cubes. */
function split(): { dir: string; open: string[]; needed: string[] } {
  const dir = join(tempDir(), 'split');
  cpSync(pristine!.dir, dir, { recursive: true });
  return { ...pristine!, dir };
}

/**
 * The cubes whose proofs the merge needs once every other cube is proved
 * (conflict lifting can make a cube unneeded once its neighbours are proved),
 * found on a copy of a finished directory by taking each proof away in turn.
 */
async function neededCubes(dir: string, open: readonly string[]): Promise<string[]> {
  const copy = join(tempDir(), 'copy');
  cpSync(dir, copy, { recursive: true });
  const needed: string[] = [];
  for (const id of open) {
    const text = readFileSync(cubeCertFile(copy, id), 'utf8');
    rmSync(cubeCertFile(copy, id));
    const m = JSON.parse((await cli('merge', copy, '--json')).out) as { open?: string[] };
    if (m.open?.includes(id)) needed.push(id);
    writeFileSync(cubeCertFile(copy, id), text);
  }
  return needed;
}

/** Makes cube `id`'s task wait before solving (tests/cube/stall.mjs); `first`: only its first run. Returns the control file. */
function stall(dir: string, id: string, first = false): string {
  mkdirSync(`${dir}.stall`, { recursive: true });
  const control = join(`${dir}.stall`, id);
  writeFileSync(control, first ? 'first\n' : 'always\n');
  return control;
}

/** Waits until the stalled task of `control` runs; returns its node. */
async function stalledOn(control: string): Promise<string> {
  return until(`the task of ${control} runs`, 120_000, () =>
    existsSync(`${control}.running`) ? readFileSync(`${control}.running`, 'utf8').trim() : undefined,
  );
}

/** The cube certificates of a split directory, by cube id. */
function proofs(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of readdirSync(dir)) {
    const m = /^cube-(.*)\.cert\.json$/.exec(name);
    if (m) out.set(m[1]!, readFileSync(join(dir, name), 'utf8'));
  }
  return out;
}

/** The array task of job `array` that solves `cube` in that round. */
function taskOf(array: string, cubes: readonly string[], cube: string): string {
  return `${array}_${cubes.indexOf(cube)}`;
}

/**
 * The end of every fault: the merge job of round `s` completed and merged;
 * its certificate is valid for the instance, and byte for byte what merging
 * the directory again gives; the cube proofs of `before` are still there,
 * unchanged; no temporary file is left. Returns the number of cube proofs merged.
 */
async function expectFinished(dir: string, s: Submitted, before: ReadonlyMap<string, string>): Promise<number> {
  expect(job(s.mergeJob).JobState).toBe('COMPLETED');
  const log = readFileSync(join(dir, 'slurm', `round-${s.round}`, 'merge.out'), 'utf8');
  const merged = /"perturbed-d2-k3-n8": infeasible \(merged (\d+) cube proofs/.exec(log);
  expect(merged, log).not.toBeNull();
  const check = await cli('check', s.certificate, '--instance', INSTANCE);
  expect(check.out).toBe('valid: no network with 3 relu units (output weights signs, no output bias) fits "perturbed-d2-k3-n8" with zero error on 8 points\n');
  expect(check.code).toBe(0);
  const again = join(tempDir(), 'again.cert.json');
  const r = await cli('merge', dir, '-o', again, '--json');
  expect(r.code).toBe(20);
  expect((JSON.parse(r.out) as { merged: number }).merged).toBe(Number(merged![1]));
  expect(readFileSync(again, 'utf8')).toBe(readFileSync(s.certificate, 'utf8'));
  const now = proofs(dir);
  for (const [id, text] of before) expect(now.get(id), `cube ${id}'s proof`).toBe(text);
  expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  return Number(merged![1]);
}

beforeAll(() => {
  if (skip !== undefined) return;
  cluster = tempDir();
  const start = spawnSync('bash', [SCRIPT, 'start', cluster, '--nodes', String(NODES)], { encoding: 'utf8' });
  if (start.status !== 0) throw new Error(`the Slurm cluster did not start:\n${start.stderr}${start.stdout}`);
  process.env.SLURM_CONF = join(cluster, 'slurm.conf');
  process.env.PATH = `${join(cluster, 'bin')}:${process.env.PATH}`;
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --import=${pathToFileURL(resolve('tests/cube/stall.mjs')).href}`.trim();
}, 120_000);

afterAll(() => {
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  if (cluster === undefined) return;
  const stop = spawnSync('bash', [SCRIPT, 'stop', cluster], { encoding: 'utf8' });
  expect(stop.status, stop.stderr).toBe(0);
  const tag = spawnSync('sh', ['-c', `printf '%s' '${cluster}' | sha256sum | cut -c1-8`], { encoding: 'utf8' }).stdout.trim();
  expect(spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout).not.toContain(`relucert-${tag}-`);
  for (const d of ['munged', 'slurmctld']) expect(existsSync(join(cluster, `${d}.pid`)), d).toBe(false);
  cluster = undefined;
}, 120_000);

describe.skipIf(skip !== undefined)(`relucert slurm on a ${NODES}-node Slurm cluster (each node in its own network namespace)`, () => {
  it('runs the job array across the nodes; three mergers at once on the same folder leave one valid certificate', async () => {
    expect(slurm('sinfo', '-h', '-o', '%D %T').trim()).toBe(`${NODES} idle`);
    const made = join(tempDir(), 'split');
    expect((await cli('split', INSTANCE, '--cubes', '4', '-o', made)).code).toBe(0);
    const open = (JSON.parse((await cli('merge', made, '--json')).out) as { open: string[] }).open;
    expect(open.length).toBeGreaterThanOrEqual(3);
    pristine = { dir: made, open, needed: [] };
    const { dir } = split();
    const s = await submit(dir);
    // two more mergers of the same folder, after the same array: all three start when it ends
    const roundDir = join(dir, 'slurm', 'round-1');
    const extra = [2, 3].map((n) =>
      slurm('sbatch', '--parsable', `--dependency=afterany:${s.arrayJob}`, `--output=${join(roundDir, `merge-${n}.out`)}`, s.mergeScript).trim(),
    );
    await waitGone([s.arrayJob, s.mergeJob, ...extra], 180_000);
    await expectFinished(dir, s, new Map());
    const mergers = [s.mergeJob, ...extra].map(job);
    for (const m of mergers) expect(m.JobState).toBe('COMPLETED');
    for (const n of [2, 3]) expect(readFileSync(join(roundDir, `merge-${n}.out`), 'utf8')).toContain('"perturbed-d2-k3-n8": infeasible (merged');
    // they ran at the same time, on different nodes
    expect(new Set(mergers.map((m) => m.NodeList)).size).toBe(3);
    const starts = mergers.map((m) => Date.parse(m.StartTime!));
    const ends = mergers.map((m) => Date.parse(m.EndTime!));
    expect(Math.max(...starts)).toBeLessThanOrEqual(Math.min(...ends));
    // the tasks ran on several nodes, each named in its log
    const nodes = new Set<string>();
    for (const f of readdirSync(join(roundDir, 'logs'))) {
      const first = readFileSync(join(roundDir, 'logs', f), 'utf8').split('\n')[0]!;
      const m = /^cube \S+ \(array task \d+ of job \d+\) on (node\d+)$/.exec(first);
      expect(m, first).not.toBeNull();
      nodes.add(m![1]!);
    }
    expect(nodes.size).toBeGreaterThanOrEqual(2);
    pristine.needed = await neededCubes(dir, open);
    expect(pristine.needed.length).toBeGreaterThan(0);
  }, 240_000);

  describe.concurrent('faults', () => {
    it("a node killed in the middle of the array (its slurmd and its running task): Slurm's requeue runs the task on another node", async () => {
      const { dir, open } = split();
      const victim = open[0]!;
      const control = stall(dir, victim, true);
      const s = await submit(dir);
      const node = await stalledOn(control);
      // the middle of the array: another cube is proved by then
      await until('another cube is proved', 120_000, () => ([...proofs(dir).keys()].some((id) => open.includes(id) && id !== victim) ? true : undefined));
      const before = proofs(dir);
      expect(before.has(victim)).toBe(false);
      const kill = spawnSync('bash', [SCRIPT, 'kill-node', cluster!, node], { encoding: 'utf8' });
      expect(kill.status, kill.stderr).toBe(0);
      await waitGone([s.arrayJob, s.mergeJob], 200_000);
      expect(slurm('sinfo', '-h', '-n', node, '-o', '%T').trim()).toMatch(/^down/);
      const task = job(taskOf(s.arrayJob, s.cubes, victim));
      expect(task.JobState).toBe('COMPLETED');
      expect(task.Restarts).toBe('1');
      expect(task.NodeList).not.toBe(node);
      const log = readFileSync(join(dir, 'slurm', 'round-1', 'logs', `task-${s.cubes.indexOf(victim)}.out`), 'utf8');
      expect(log).toContain(`cube ${victim} (array task ${s.cubes.indexOf(victim)} of job ${s.arrayJob}) on ${node}\n`);
      expect(log).toContain(`on ${task.NodeList}, run again after a requeue (1)\n`);
      await expectFinished(dir, s, before);
      expect(proofs(dir).has(victim)).toBe(true);
    }, 300_000);

    it('a running task cancelled: the merge job lists its cube as open, and relucert slurm DIR solves it', async () => {
      const { dir, needed } = split();
      const victim = needed[needed.length - 1]!;
      const control = stall(dir, victim);
      const s1 = await submit(dir);
      await stalledOn(control);
      slurm('scancel', taskOf(s1.arrayJob, s1.cubes, victim));
      rmSync(control);
      await waitGone([s1.arrayJob, s1.mergeJob], 200_000);
      expect(job(taskOf(s1.arrayJob, s1.cubes, victim)).JobState).toBe('CANCELLED');
      expect(job(s1.mergeJob).JobState).toBe('COMPLETED');
      expect(readFileSync(join(dir, 'slurm', 'round-1', 'merge.out'), 'utf8')).toMatch(
        new RegExp(`unknown: 1 cube still open \\(of \\d+: \\d+ proved\\): ${victim.replace('.', '\\.')}\\n`),
      );
      const before = proofs(dir);
      const s2 = await submit(dir);
      expect(s2.round).toBe(2);
      expect(s2.cubes).toEqual([victim]);
      await waitGone([s2.arrayJob, s2.mergeJob], 200_000);
      await expectFinished(dir, s2, before);
    }, 300_000);

    it('a task past its Slurm time limit: Slurm ends it, and relucert slurm DIR --resplit 2 solves its cube split again', async () => {
      const { dir, needed } = split();
      const victim = needed[0]!;
      const control = stall(dir, victim);
      const s1 = await submit(dir, '--time', '1');
      await stalledOn(control);
      await waitGone([s1.arrayJob, s1.mergeJob], 240_000);
      const task = job(taskOf(s1.arrayJob, s1.cubes, victim));
      expect(task.JobState).toBe('TIMEOUT');
      expect(readFileSync(join(dir, 'slurm', 'round-1', 'merge.out'), 'utf8')).toContain(`unknown: 1 cube still open`);
      rmSync(control);
      const before = proofs(dir);
      // as docs/cluster.md advises for a cube that hits the limit: split it again
      const s2 = await submit(dir, '--resplit', '2');
      expect(s2.cubes.length).toBeGreaterThanOrEqual(1);
      for (const c of s2.cubes) expect(c.startsWith(`${victim}.`), c).toBe(true);
      await waitGone([s2.arrayJob, s2.mergeJob], 200_000);
      await expectFinished(dir, s2, before);
    }, 400_000);

    it('a cube certificate corrupted on disk: the merge job names it and writes nothing; relucert slurm DIR sets it aside and solves the cube again', async () => {
      const { dir } = split();
      const s1 = await submit(dir);
      slurm('scontrol', 'hold', s1.mergeJob);
      await waitGone([s1.arrayJob], 200_000);
      // the largest cube proof, surely part of the merged tree: one Farkas multiplier changed
      const sd = readSplitDir(dir);
      const victim = [...sd.proofs].map(([id, p]) => [id, JSON.stringify(p.tree).length] as const).sort((a, b) => b[1] - a[1])[0]![0];
      const file = cubeCertFile(dir, victim);
      const good = readFileSync(file, 'utf8');
      const bad = good.replace(/"(fit:\d+)":"(-?\d+)"/, (_m, row: string, v: string) => `"${row}":"${BigInt(v) + 1n}"`);
      expect(bad).not.toBe(good);
      writeFileSync(file, bad);
      const before = proofs(dir);
      before.delete(victim);
      slurm('scontrol', 'release', s1.mergeJob);
      await waitGone([s1.mergeJob], 120_000);
      expect(job(s1.mergeJob).JobState).toBe('FAILED');
      const merge1 = readFileSync(join(dir, 'slurm', 'round-1', 'merge.out'), 'utf8');
      expect(merge1).toContain(`relucert: ${file}: `);
      expect(merge1).toContain(`cube ${victim}: rejected by the checker`);
      expect(existsSync(s1.certificate)).toBe(false);

      const s2 = await submit(dir);
      expect(s2.cubes).toEqual([victim]);
      expect(s2.setAside).toHaveLength(1);
      const aside = s2.setAside![0]!;
      expect(aside.cube).toBe(victim);
      expect(aside.file).toBe(file);
      expect(aside.reason).toContain(`cube ${victim}: rejected by the checker`);
      expect(aside.aside.startsWith(join(dir, REJECTED_DIR, `cube-${victim}.cert.json.`))).toBe(true);
      expect(readFileSync(aside.aside, 'utf8')).toBe(bad);
      await waitGone([s2.arrayJob, s2.mergeJob], 200_000);
      await expectFinished(dir, s2, before);
      expect(readFileSync(file, 'utf8')).not.toBe(bad);
    }, 300_000);
  });
});
