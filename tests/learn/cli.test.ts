/**
 * The learnability commands end to end: gram (with check), teacher, nystrom,
 * subspace; their outputs, their files, and one-line errors (exit 2, nothing
 * written) for bad input.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/core/evaluate.js';
import { readInstance, readNetwork } from '../../src/format/schema.js';
import { cli, tempDir, tempFile } from '../helpers.js';

const dir = tempDir();
const inst = join(dir, 'teacher.json');
const net = join(dir, 'teacher.teacher.json');
const test = join(dir, 'teacher-test.json');

beforeAll(async () => {
  const r = await cli(
    'teacher',
    '--depth',
    '2',
    '--width',
    '3',
    '--dim',
    '4',
    '--samples',
    '40',
    '--seed',
    '7',
    '-o',
    inst,
    '--test',
    test,
    '--test-samples',
    '20',
  );
  expect(r.code, r.err).toBe(0);
});

/** Exit 2, one line on stderr naming `field`, nothing on stdout. */
function expectBadInput(r: { code: number; out: string; err: string }, field: string): void {
  expect(r.code, r.out + r.err).toBe(2);
  expect(r.out).toBe('');
  expect(r.err.trim().split('\n')).toHaveLength(1);
  expect(r.err).toContain(field);
}

describe('relucert teacher', () => {
  it("writes an instance, the teacher network and a held-out instance; the labels are the teacher's exact outputs", () => {
    const i = readInstance(inst);
    const n = readNetwork(net);
    expect(i.points).toHaveLength(40);
    expect(n.layers).toHaveLength(3);
    i.points.forEach((x, k) => expect(evaluate(n, x)[0]!.eq(i.labels[k]!)).toBe(true));
    expect(readInstance(test).points).toHaveLength(20);
    expect(i.description).toContain('rounded to the nearest multiple of 10^-2');
    expect(i.source).toContain('relucert teacher --depth 2 --width 3 --dim 4 --samples 40 --seed 7');
  });
  it('gives the same bytes for the same seed', async () => {
    const other = join(tempDir(), 'again.json');
    await cli('teacher', '--depth', '2', '--width', '3', '--dim', '4', '--samples', '40', '--seed', '7', '-o', other);
    expect(readFileSync(other, 'utf8')).toBe(readFileSync(inst, 'utf8'));
    expect(readFileSync(other.replace(/\.json$/, '.teacher.json'), 'utf8')).toBe(readFileSync(net, 'utf8'));
  });
  it('writes the two-layer question asked for: classification labels are +-1', async () => {
    const f = join(tempDir(), 'cls.json');
    const r = await cli(
      'teacher',
      '--depth',
      '1',
      '--width',
      '2',
      '--dim',
      '2',
      '--samples',
      '10',
      '-o',
      f,
      '--hidden',
      '2',
      '--activation',
      'threshold',
      '--output-weights',
      '1,-1',
      '--output-bias',
      '--loss',
      'classification',
      '--name',
      'cls',
    );
    expect(r.code, r.err).toBe(0);
    const i = readInstance(f);
    expect(i.name).toBe('cls');
    expect(i.architecture).toMatchObject({ hidden: 2, activation: 'threshold', outputBias: true });
    expect(i.labels.every((y) => y.abs().toString() === '1')).toBe(true);
    const l1 = join(tempDir(), 'l1.json');
    expect((await cli('teacher', '--depth', '1', '--width', '2', '--dim', '2', '--samples', '5', '-o', l1, '--loss', 'l1:1/2')).code).toBe(0);
    expect(readInstance(l1).loss).toMatchObject({ type: 'l1' });
  });
  it.each([
    [['--width', '3', '--dim', '4', '--samples', '5'], '--depth'],
    [['--depth', '0', '--width', '3', '--dim', '4', '--samples', '5'], '--depth'],
    [['--depth', '1', '--width', '3', '--dim', '4', '--samples', '5', '--hidden', '65'], '--hidden'],
    [['--depth', '1', '--width', '3', '--dim', '4', '--samples', '5', '--output-weights', '1,2'], '--output-weights'],
    [['--depth', '1', '--width', '3', '--dim', '4', '--samples', '5', '--loss', 'l2'], '--loss'],
    [['--depth', '1', '--width', '3', '--dim', '4', '--samples', '5', '--loss', 'linf:-1'], '--loss'],
    [['--depth', '1', '--width', '3', '--dim', '4', '--samples', '5', '--test', 'x.json'], '--test-samples'],
    [['--depth', '1', '--width', '3', '--dim', '4', '--samples', '5', '--seed', '-3'], '--seed'],
    [['--depth', '1', '--width', '3', '--dim', '4', '--samples', '5', '--input-digits', '7'], '--input-digits'],
  ])('rejects %j naming %s, and writes nothing', async (args, field) => {
    const f = join(tempDir(), 'out.json');
    expectBadInput(await cli('teacher', ...args, '-o', f), field);
    expect(existsSync(f)).toBe(false);
  });
});

describe('relucert gram', () => {
  it('prints certified bounds beside float64 ones, writes a certificate that relucert check accepts, bound to the instance', async () => {
    const cert = join(dir, 'g.gram.json');
    const plot = join(dir, 'g.svg');
    const r = await cli('gram', inst, '--kernel', 'poly:2', '--pivots', '6', '--decay', '1', '--cert', cert, '--plot', plot);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('Gram matrix of (1 + x.y)^2 on 40 points in dimension 4');
    expect(r.out).toContain('numerical: float64 eigenvalues (ml-matrix)');
    expect(r.out).toMatch(/decay: lambda_i <= [0-9.]+ i\^\(-1\) for every i = 1\.\.40 \(certified\)/);
    expect(r.out.split('\n').filter((l) => /^ +\d+ +\S+ +\S+ +\S+ +\S+$/.test(l))).toHaveLength(7);
    const c = await cli('check', cert, '--instance', inst);
    expect(c.code, c.err).toBe(0);
    expect(c.out).toMatch(/^valid: the Gram matrix K of \(1 \+ x\.y\)\^2 on the 40 points of "teacher-L2x3-d4-n40-s7"/);
    expect((await cli('check', cert, '--instance', test)).code).toBe(1);
    const svg = readFileSync(plot, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('tail bound (certified)');
  });
  it('--json: one object with the rows, exact bound text and float64 values', async () => {
    const r = await cli('gram', inst, '--kernel', 'poly:3:1/2', '--pivots', '3', '--json');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.kernel).toBe('(1/2 + x.y)^3');
    expect(j.rows).toHaveLength(4);
    for (const row of j.rows) expect(Number(row.tailBound)).toBeGreaterThanOrEqual(row.tailNumerical * (1 - 1e-9));
  });
  it('exit 1 when a claimed decay law does not follow; the certificate is still written (without it) and valid', async () => {
    const cert = join(tempDir(), 'g.json');
    const r = await cli('gram', inst, '--kernel', 'poly:2', '--pivots', '3', '--decay', '1/1000:2', '--cert', cert);
    expect(r.code).toBe(1);
    expect(r.out).toContain('does NOT follow from these bounds (first at i = 1)');
    expect(JSON.parse(readFileSync(cert, 'utf8')).decay).toBeUndefined();
    expect((await cli('check', cert)).code).toBe(0);
  });
  it.each([
    [['--kernel', 'rbf:1'], '--kernel'],
    [['--kernel', 'poly:13'], '--kernel'],
    [['--kernel', 'poly:0'], '--kernel'],
    [['--kernel', 'poly:2:-1'], '--kernel'],
    [['--kernel', 'poly:2', '--pivots', '-1'], '--pivots'],
    [['--kernel', 'poly:2', '--pivots', '201'], '--pivots'],
    [['--kernel', 'poly:2', '--decay', '1:2:3'], '--decay'],
    [['--kernel', 'poly:2', '--decay', '1:1/65'], '--decay'],
    [['--kernel', 'poly:2', '--decay', '0:1'], '--decay'],
    [['--kernel', 'poly:2', '--timeout', '0'], '--timeout'],
    [[], '--kernel'],
  ])('rejects %j naming %s, and writes nothing', async (args, field) => {
    const cert = join(tempDir(), 'c.json');
    expectBadInput(await cli('gram', inst, ...args, '--cert', cert), field);
    expect(existsSync(cert)).toBe(false);
  });
  it('rejects an instance without points, naming the file and the field', async () => {
    const f = tempFile('empty.json', {
      format: 'relucert-instance/1',
      name: 'e',
      points: [],
      labels: [],
      architecture: { hidden: 1, activation: 'relu', outputWeights: 'signs', outputBias: false },
      loss: { type: 'exact' },
    });
    const r = await cli('gram', f, '--kernel', 'poly:2');
    expectBadInput(r, 'points');
    expect(r.err).toContain('empty.json');
  });
  it('skips the O(n^3) float64 eigenvalues above 400 points unless --numeric; the bounds are certified all the same', async () => {
    const pts = Array.from({ length: 401 }, (_, i) => [String(i % 17), String(i % 5)]);
    const f = tempFile('many.json', {
      format: 'relucert-instance/1',
      name: 'many',
      points: pts,
      labels: pts.map(() => '0'),
      architecture: { hidden: 1, activation: 'relu', outputWeights: 'signs', outputBias: false },
      loss: { type: 'exact' },
    });
    const r = await cli('gram', f, '--kernel', 'poly:1:0', '--pivots', '5'); // rank 2: the bounds reach 0
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('numerical: not computed (n > 400');
    expect(r.out).toMatch(/\n +2 +0 +- +0 +-\n/);
  });
  it('rejects points whose exact Gram matrix is too large to eliminate', async () => {
    const f = tempFile('big.json', {
      format: 'relucert-instance/1',
      name: 'b',
      points: [['1' + '0'.repeat(80)], ['3']],
      labels: ['0', '0'],
      architecture: { hidden: 1, activation: 'relu', outputWeights: 'signs', outputBias: false },
      loss: { type: 'exact' },
    });
    expectBadInput(await cli('gram', f, '--kernel', 'poly:6'), 'entries of more than 400 digits');
  });
});

describe('relucert nystrom', () => {
  it('reports float64 errors against r beside the certified tail, with a held-out instance', async () => {
    const r = await cli('nystrom', inst, '--kernel', 'poly:2', '--test', test, '--landmarks', '5');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('errors: float64, NOT certified');
    expect(r.out).toContain('40 training points, held out');
    expect(r.out).toMatch(/\n +all +\(every training point\)/);
  });
  it('holds out a seeded fraction, the same split for the same seed; writes the training certificate', async () => {
    const cert = join(tempDir(), 'train.gram.json');
    const a = await cli('nystrom', inst, '--kernel', 'poly:2', '--holdout', '1/4', '--seed', '3', '--landmarks', '4', '--json', '--cert', cert);
    const b = await cli('nystrom', inst, '--kernel', 'poly:2', '--holdout', '1/4', '--seed', '3', '--landmarks', '4', '--json');
    expect(a.code, a.err).toBe(0);
    const ja = JSON.parse(a.out);
    expect(ja).toMatchObject({ train: 30, test: 10, float: true });
    expect(ja.rows).toEqual(JSON.parse(b.out).rows);
    const c = await cli('check', cert);
    expect(c.code).toBe(0);
    expect(c.out).toContain('on the 30 points of "teacher-L2x3-d4-n40-s7-train"');
  });
  it.each([
    [['--holdout', '1'], '--holdout'],
    [['--holdout', 'half'], '--holdout'],
    [['--ridge', '-1'], '--ridge'],
    [['--landmarks', 'x'], '--landmarks'],
  ])('rejects %j naming %s', async (args, field) => {
    expectBadInput(await cli('nystrom', inst, '--kernel', 'poly:2', ...args), field);
  });
  it('rejects a held-out instance of another dimension, naming it', async () => {
    const other = tempFile('other.json', {
      format: 'relucert-instance/1',
      name: 'o',
      points: [['1']],
      labels: ['0'],
      architecture: { hidden: 1, activation: 'relu', outputWeights: 'signs', outputBias: false },
      loss: { type: 'exact' },
    });
    expectBadInput(await cli('nystrom', inst, '--kernel', 'poly:2', '--test', other), 'other.json: points');
  });
});

describe('relucert subspace', () => {
  it('estimates the span, and with the teacher reports principal angles and the curve against N', async () => {
    const big = join(tempDir(), 'big.json');
    expect((await cli('teacher', '--depth', '2', '--width', '2', '--dim', '6', '--samples', '2000', '--seed', '2', '-o', big)).code).toBe(0);
    const plot = join(tempDir(), 'angles.svg');
    const r = await cli('subspace', big, '--teacher', big.replace(/\.json$/, '.teacher.json'), '--plot', plot, '--permutations', '5');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('an EXPERIMENT in float64, not a certificate');
    expect(r.out).toContain('recovered dimension: 2');
    expect(r.out).toMatch(/principal angles to that span \(degrees\): [0-9.]+ [0-9.]+/);
    expect(readFileSync(plot, 'utf8')).toContain('largest angle');
    const j = JSON.parse(
      (await cli('subspace', big, '--teacher', big.replace(/\.json$/, '.teacher.json'), '--sizes', '500,2000', '--json', '--permutations', '3')).out,
    );
    expect(j.curve.map((c: { n: number }) => c.n)).toEqual([500, 2000]);
    expect(j.teacherRank).toBe(2);
    expect(j.angles).toHaveLength(Math.min(2, j.used));
  });
  it.each([
    [['--plot', 'x.svg'], '--plot'],
    [['--dim', '0'], '--dim'],
    [['--permutations', '101'], '--permutations'],
  ])('rejects %j naming %s', async (args, field) => {
    expectBadInput(await cli('subspace', inst, ...args), field);
  });
  it('rejects a teacher of another input dimension, naming its first layer', async () => {
    const n = tempFile('n.json', {
      format: 'relucert-network/1',
      layers: [
        { activation: 'relu', weights: [['1', '2']], bias: ['0'] },
        { activation: 'identity', weights: [['1']], bias: ['0'] },
      ],
    });
    expectBadInput(await cli('subspace', inst, '--teacher', n), 'layers[0].weights');
  });
});
