/**
 * Measures the checker's bound (docs/certificates.md section 6): every
 * hostile shape of tests/check/hostile.ts at full size (up to 10 MB), and
 * the certificates given on the command line, checked by `relucert check`
 * (dist/, so run `npm run build` first) under /usr/bin/time: the answer, the
 * units of work charged, the CPU time, the peak memory, and the nanoseconds
 * per unit. On a shared machine, run it under `nice` and read the CPU time,
 * not the wall time.
 *
 *   npx tsx scripts/checker-bound.ts [--only NAME,...] [CERT...]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as hostile from '../tests/check/hostile.js';

const SHAPES: Array<[string, () => hostile.Hostile]> = [
  ['lemma names, 150,000 (R-lemmas-150k)', () => hostile.lemmaNames(150_000)],
  ['lemma names, 1,000,000', () => hostile.lemmaNames(1_000_000)],
  ['a lemma assuming 100,000 literals', () => hostile.lemmaAssumptions(100_000)],
  ['a lemma assuming 600,000 literals', () => hostile.lemmaAssumptions(600_000)],
  ['witness, 100,000-digit weights, 1,000 points (R-witness-dos)', () => hostile.witnessDigits(100_000, 1000)],
  ['witness, 1,000-digit weights, 100,000 points', () => hostile.witnessDigits(1000, 100_000)],
  ['one Farkas leaf naming 25,600 rows, d = 2,000', () => hostile.rowConstruction(64, 400, 2000)],
  ['one Farkas leaf naming 64,000 rows, d = 500', () => hostile.rowConstruction(64, 1000, 500)],
  ['a chain of 99,000 splits', () => hostile.splitChain(99_000)],
  ['two coprime fractions of 49,000 digits', () => hostile.bigFractions(49_000)],
  ['3.3 million empty objects', () => hostile.producerOf('{}', 3_300_000)],
  ['1.3 million objects of one key', () => hostile.producerOf('{"a":1}', 1_300_000)],
  ['5 million zeros', () => hostile.producerOf('0', 5_000_000)],
  ['1.4 million distinct numbers', () => hostile.distinctNumbers(1_400_000)],
  ['3.3 million empty strings', () => hostile.producerOf('""', 3_300_000)],
  ['2 million one-element arrays', () => hostile.producerOf('[[]]', 2_000_000)],
  ['a string of 1.6 million escapes', () => hostile.producerOf(`"${'\\u0041'.repeat(1_600_000)}"`, 1)],
  ['an object of 700,000 keys', () => hostile.producerOf(`{${Array.from({ length: 700_000 }, (_, i) => `"k${i}":0`).join(',')}}`, 1)],
  ['containers nested 199,000 deep', () => hostile.producerOf('['.repeat(199_000) + ']'.repeat(199_000), 1)],
  ['region, 4 ReLUs of 100,000-digit weights, 400 leaves', () => hostile.regionBigWeights(100_000, 400)],
  ['region, 99,990 nested splits over 6,000 inputs, malformed high children', () => hostile.regionDeep(99_990, 6000)],
  ['region, 3 ReLU layers of width 150, 600 leaves', () => hostile.regionWide(150, 3, 600)],
  ['region, 2 ReLU layers of width 8, 60,000 leaves', () => hostile.regionWide(8, 2, 60_000)],
  ['region, 100,000 outputs (argmax), 20 leaves', () => hostile.regionManyOutputs(100_000, 20)],
  ['region, 1,000 outputs (argmax), 50,000 leaves', () => hostile.regionManyOutputs(1000, 50_000)],
  ['gram, 2,000 coordinates "1e99999" (R-gram-exp-2000)', () => hostile.gramExponents(2000)],
  ['gram, 1,000 points, d = 10, 400-digit entries, 7 pivots', () => hostile.gramElimination(1000, 10, 90, 2, 7)],
  ['gram, 200 points, d = 10, 30 pivots', () => hostile.gramElimination(200, 10, 40, 2, 30)],
];

interface Measured {
  answer: string;
  work: string;
  cpu: number;
  peakMb: number;
  bytes: number;
}

function measure(file: string): Measured {
  const run = spawnSync('/usr/bin/time', ['-f', 'TIME %U %S %M', 'node', 'bin/relucert.js', 'check', file, '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const out = run.stdout;
  const err = run.stderr;
  const t = /TIME ([\d.]+) ([\d.]+) (\d+)/.exec(err);
  let answer = err.split('\n')[0]?.slice(0, 60) ?? '';
  let work = '-';
  try {
    const o = JSON.parse(out) as { status: string; rule?: string; path?: string; work?: number };
    answer = o.status === 'rejected' ? `${o.rule} at ${o.path?.slice(0, 30) || '(top)'}` : o.status;
    work = String(o.work ?? '-');
  } catch {
    // bad input: the first line of stderr
  }
  return { answer, work, cpu: t ? Number(t[1]) + Number(t[2]) : NaN, peakMb: t ? Number(t[3]) / 1024 : NaN, bytes: statSync(file).size };
}

const args = process.argv.slice(2);
const only = args[0] === '--only' ? args[1]!.split(',') : undefined;
const files = args[0] === '--only' ? args.slice(2) : args;
const dir = mkdtempSync(join(tmpdir(), 'checker-bound-'));
console.log('| shape | bytes | answer | units | CPU s | peak MB | ns per unit |');
console.log('|---|---|---|---|---|---|---|');
const row = (name: string, m: Measured): void =>
  console.log(
    `| ${name} | ${m.bytes} | ${m.answer} | ${m.work} | ${m.cpu.toFixed(2)} | ${m.peakMb.toFixed(0)} | ${m.work === '-' ? '-' : ((m.cpu * 1e9) / Number(m.work)).toFixed(2)} |`,
  );
try {
  for (const [name, make] of SHAPES) {
    if (only && !only.some((o) => name.includes(o))) continue;
    const file = join(dir, 'c.json');
    writeFileSync(file, make().text);
    row(name, measure(file));
  }
  for (const file of files) row(file, measure(file));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
