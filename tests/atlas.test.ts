/**
 * The certified atlas (docs/atlas.md): every certificate in
 * certificates/atlas/ is valid and bound to its instance in instances/atlas/,
 * each instance asks the question its name says, the verdicts are the
 * published facts (Cover's count computed here, Baum's bound, XOR), and the
 * table of docs/atlas.md states the verdicts the certificates prove.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../src/index.js';
import { artifactItems, buildArtifact, standaloneChecker } from '../src/run/artifact.js';
import { tempDir } from './helpers.js';
import { ROOT } from './paths.js';

const INSTANCES = join(ROOT, 'instances', 'atlas');
const CERTIFICATES = join(ROOT, 'certificates', 'atlas');

interface InstanceJson {
  name: string;
  points: string[][];
  labels: string[];
  architecture: { hidden: number; activation: string; outputWeights: string; outputBias: boolean };
  loss: { type: string; bound?: string; strict?: boolean };
}

const names = readdirSync(INSTANCES)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''))
  .sort();
const instance = (name: string): InstanceJson => JSON.parse(readFileSync(join(INSTANCES, `${name}.json`), 'utf8')) as InstanceJson;

/** The verdict each certificate proves, by the independent checker, bound to its instance. */
const verdicts = new Map<string, string>();
function verdictOf(name: string): string {
  const known = verdicts.get(name);
  if (known !== undefined) return known;
  const r = check(readFileSync(join(CERTIFICATES, `${name}.cert.json`), 'utf8'), {
    name: `${name}.cert.json`,
    instance: readFileSync(join(INSTANCES, `${name}.json`), 'utf8'),
    instanceName: `${name}.json`,
  });
  expect(r.status, `${name}: ${JSON.stringify(r)}`).toBe('valid');
  const v = r.status === 'valid' && 'verdict' in r ? r.verdict : 'not a training certificate';
  verdicts.set(name, v);
  return v;
}

const binom = (n: bigint, k: bigint): bigint => (k < 0n || k > n ? 0n : k === 0n ? 1n : (binom(n - 1n, k - 1n) * n) / k);

/** The determinant of a square matrix of bigints (Laplace expansion; the matrices here are at most 4 x 4). */
function det(m: bigint[][]): bigint {
  if (m.length === 1) return m[0]![0]!;
  return m[0]!.reduce((s, a, j) => s + (j % 2 === 0 ? 1n : -1n) * a * det(m.slice(1).map((row) => row.filter((_, c) => c !== j))), 0n);
}

/** Every (d+1)-subset of the points is affinely independent: no d + 1 of them on one hyperplane. */
function inGeneralPosition(points: string[][]): boolean {
  const d = points[0]!.length;
  const subsets = (from: number, size: number): number[][] =>
    size === 0 ? [[]] : from >= points.length ? [] : [...subsets(from + 1, size - 1).map((s) => [from, ...s]), ...subsets(from + 1, size)];
  return subsets(0, d + 1).every((s) => det(s.map((i) => [1n, ...points[i]!.map((x) => BigInt(x))])) !== 0n);
}

describe('the certified atlas', () => {
  it('ships one certificate per instance, and nothing else', () => {
    expect(names.length).toBeGreaterThan(0);
    const certs = readdirSync(CERTIFICATES).sort();
    expect(certs).toEqual(names.map((n) => `${n}.cert.json`));
    for (const n of names) expect(instance(n).name, n).toBe(n);
  });

  it.each(names)('%s is valid and bound to its instance', (name) => {
    expect(['feasible', 'infeasible']).toContain(verdictOf(name));
  });

  it('Cover (1965), Theorem 1: one threshold unit realises 2 * sum_{i<=d} binom(n-1, i) labellings of n points in general position in R^d', () => {
    const groups = new Map<string, string[]>();
    for (const n of names.filter((m) => m.startsWith('cover-'))) {
      const key = n.replace(/-[pm]+$/, '');
      groups.set(key, [...(groups.get(key) ?? []), n]);
    }
    expect(groups.size).toBeGreaterThanOrEqual(3);
    for (const [key, group] of groups) {
      const [, n, d] = /^cover-n(\d+)-d(\d+)$/.exec(key)!.map(Number) as [number, number, number];
      const first = instance(group[0]!);
      expect(first.points.length, key).toBe(n);
      expect(first.points[0]!.length, key).toBe(d);
      expect(inGeneralPosition(first.points), key).toBe(true);
      // every labelling of the same points, once, by one threshold unit with free output weights and a bias
      const labellings = new Set(group.map((g) => instance(g).labels.join(' ')));
      expect(labellings.size, key).toBe(2 ** n);
      for (const g of group) {
        const inst = instance(g);
        expect(inst.points, g).toEqual(first.points);
        expect(inst.architecture, g).toEqual({ hidden: 1, activation: 'threshold', outputWeights: 'free', outputBias: true });
        expect(inst.loss.type, g).toBe('classification');
      }
      const expected = 2n * Array.from({ length: d + 1 }, (_, i) => binom(BigInt(n - 1), BigInt(i))).reduce((a, b) => a + b, 0n);
      expect(BigInt(group.filter((g) => verdictOf(g) === 'feasible').length), key).toBe(expected);
    }
  });

  it('Baum (1988): ceil(N/d) threshold units realise every labelling of N points in general position', () => {
    const group = names.filter((m) => m.startsWith('baum-'));
    expect(group.length).toBeGreaterThan(0);
    const { points, architecture } = instance(group[0]!);
    const [N, d] = [points.length, points[0]!.length];
    expect(inGeneralPosition(points)).toBe(true);
    expect(new Set(group.map((g) => instance(g).labels.join(' '))).size).toBe(2 ** N);
    expect(architecture.hidden).toBe(Math.ceil(N / d));
    for (const g of group) expect(verdictOf(g), g).toBe('feasible');
  });

  it('parity: the labels are parity, XOR needs two threshold units, and each least width is one above an infeasible width', () => {
    const widths = new Map<string, { infeasible: number[]; feasible: number[] }>();
    for (const name of names.filter((m) => m.startsWith('parity'))) {
      const [, n, act, k] = /^parity(\d+)-(\w+)-k(\d+)$/.exec(name)!;
      const inst = instance(name);
      expect(inst.points.length, name).toBe(2 ** Number(n));
      for (const [i, p] of inst.points.entries()) expect(inst.labels[i], name).toBe(p.filter((x) => x === '1').length % 2 === 1 ? '1' : '-1');
      expect(inst.architecture.hidden, name).toBe(Number(k));
      const w = widths.get(`${n}-${act}`) ?? { infeasible: [], feasible: [] };
      (verdictOf(name) === 'feasible' ? w.feasible : w.infeasible).push(Number(k));
      widths.set(`${n}-${act}`, w);
    }
    for (const [key, w] of widths) {
      expect(w.feasible, key).toHaveLength(1);
      expect(Math.max(...w.infeasible), key).toBe(w.feasible[0]! - 1);
    }
    // Minsky & Papert: XOR is not linearly separable
    expect(widths.get('2-threshold')!.feasible).toEqual([2]);
  });

  it('each least loss v: loss <= v feasible, loss < v infeasible, on the same question', () => {
    const le = names.filter((m) => m.endsWith('-le'));
    expect(le.length).toBeGreaterThanOrEqual(2);
    for (const name of le) {
      const lt = name.replace(/-le$/, '-lt');
      const [a, b] = [instance(name), instance(lt)];
      expect({ ...b, name: a.name, loss: { ...b.loss, strict: undefined } }, lt).toEqual({ ...a, loss: { ...a.loss, strict: undefined } });
      expect(b.loss.strict, lt).toBe(true);
      expect(verdictOf(name), name).toBe('feasible');
      expect(verdictOf(lt), lt).toBe('infeasible');
    }
  });

  it('docs/atlas.md states the verdicts the certificates prove', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'atlas.md'), 'utf8');
    const stated = [...doc.matchAll(/\b(feasible|infeasible) \(`([\w-]+)`\)/g)];
    expect(stated.length).toBeGreaterThan(10);
    for (const [, verdict, name] of stated) expect(verdictOf(name!), name).toBe(verdict);
    for (const m of doc.matchAll(/(\d+) of (\d+) feasible, (\d+) infeasible \(`([\w-]+)-\*`\)/g)) {
      const group = names.filter((n) => n.startsWith(`${m[4]!}-`));
      expect(group.length, m[4]).toBe(Number(m[2]));
      expect(group.filter((g) => verdictOf(g) === 'feasible').length, m[4]).toBe(Number(m[1]));
    }
  });

  it('as a publication artifact, moved elsewhere, re-checks with node alone (docs/atlas.md)', () => {
    const out = join(tempDir(), 'atlas');
    buildArtifact(artifactItems([INSTANCES], CERTIFICATES), out, standaloneChecker(), 'relucert atlas');
    const moved = join(tempDir(), 'moved');
    renameSync(out, moved);
    const r = spawnSync(process.execPath, ['check.mjs'], { cwd: moved, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`all ${names.length} certificates check`);
    expect(r.stdout.match(/^ok {6}/gm)).toHaveLength(names.length);
  });
});
