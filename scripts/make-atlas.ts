/**
 * Regenerates the certified atlas (docs/atlas.md): writes each question of
 * the atlas as an instance in instances/atlas/, solves it with the default
 * engine, writes its certificate to certificates/atlas/, re-checks it with
 * the independent checker, and rewrites the table of docs/atlas.md between
 * its markers with the verdicts and the measured solve and check times.
 *
 * Run: npx tsx scripts/make-atlas.ts [--timeout SECONDS] (default 120 per
 * question). A question that ends `unknown` stops the script (nothing is
 * guessed); the verdicts are relucert's, the facts they are compared with
 * are the sources' (the table says both; tests/atlas.test.ts re-checks the
 * certificates and compares).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { check, solve, toInstance } from '../src/index.js';

const ROOT = join(import.meta.dirname, '..');
const INSTANCES = join(ROOT, 'instances', 'atlas');
const CERTIFICATES = join(ROOT, 'certificates', 'atlas');

type Activation = 'relu' | 'threshold';
interface Question {
  name: string;
  description: string;
  source: string;
  points: string[][];
  labels: string[];
  hidden: number;
  activation: Activation;
  outputWeights: 'signs' | 'free';
  outputBias: boolean;
  loss: { type: 'classification' } | { type: 'l1' | 'l2'; bound: string; strict?: boolean };
}
/** One row of the atlas: a published fact and the questions whose verdicts certify it (or, for a least width, the question at width k). */
interface Entry {
  fact: string;
  source: string;
  question: string;
  questions: Question[] | ((k: number) => Question);
}

/** The vertices of {0,1}^n in binary order. */
function cube(n: number): string[][] {
  return Array.from({ length: 2 ** n }, (_, i) => Array.from({ length: n }, (_, j) => String((i >> (n - 1 - j)) & 1)));
}

/** n points on the moment curve (t, t^2, ..., t^d), t = 0..n-1: in general position in R^d. */
function momentCurve(n: number, d: number): string[][] {
  return Array.from({ length: n }, (_, t) => Array.from({ length: d }, (_, j) => String(t ** (j + 1))));
}

function parity(n: number, k: number, activation: Activation): Question {
  const points = cube(n);
  return {
    name: `parity${n}-${activation}-k${k}`,
    description: `parity of ${n} bits (label 1 for an odd number of ones, else -1) classified by ${k} ${activation} unit${k === 1 ? '' : 's'} with free output weights and an output bias`,
    source: 'docs/atlas.md, row parity',
    points,
    labels: points.map((p) => (p.filter((x) => x === '1').length % 2 === 1 ? '1' : '-1')),
    hidden: k,
    activation,
    outputWeights: 'free',
    outputBias: true,
    loss: { type: 'classification' },
  };
}

/** Every labelling of n points in general position in R^d, one threshold unit each (Cover 1965). */
function coverLabellings(n: number, d: number, k: number, prefix: string, source: string): Question[] {
  const points = momentCurve(n, d);
  return Array.from({ length: 2 ** n }, (_, m) => {
    const labels = points.map((_, i) => ((m >> (n - 1 - i)) & 1 ? '1' : '-1'));
    return {
      name: `${prefix}-n${n}-d${d}-${labels.map((l) => (l === '1' ? 'p' : 'm')).join('')}`,
      description: `labelling ${labels.join(' ')} of ${n} points on the moment curve in R^${d} (general position) by ${k} threshold unit${k === 1 ? '' : 's'}`,
      source,
      points,
      labels,
      hidden: k,
      activation: 'threshold' as const,
      outputWeights: 'free' as const,
      outputBias: true,
      loss: { type: 'classification' as const },
    };
  });
}

/** The least loss v: "loss <= v" feasible and "loss < v" infeasible. */
function leastLoss(base: Omit<Question, 'name' | 'loss'>, name: string, type: 'l1' | 'l2', v: string): Question[] {
  return [
    { ...base, name: `${name}-le`, loss: { type, bound: v } },
    { ...base, name: `${name}-lt`, loss: { type, bound: v, strict: true } },
  ];
}

const binom = (n: number, k: number): number => (k < 0 || k > n ? 0 : k === 0 ? 1 : (binom(n - 1, k - 1) * n) / k);
const coverCount = (n: number, d: number): number => 2 * Array.from({ length: d + 1 }, (_, i) => binom(n - 1, i)).reduce((a, b) => a + b, 0);

const XOR_POINTS = cube(2);
const ENTRIES: Entry[] = [
  ...[2, 3, 4].map((n) => ({
    fact:
      n === 2
        ? 'XOR (parity of 2 bits) is not linearly separable; two threshold units suffice'
        : `parity of ${n} bits: ${n} threshold units suffice (one per count of ones); the least width`,
    source: n === 2 ? 'Minsky & Papert (1969), Perceptrons' : 'the upper bound is the staircase construction; the least width is certified here',
    question: `least k such that ${n}-bit parity is classified by k threshold units (free output weights, output bias)`,
    questions: (k: number) => parity(n, k, 'threshold'),
  })),
  ...[2, 3, 4].map((n) => ({
    fact: `parity of ${n} bits with ReLUs: the least width`,
    source: 'certified here (no published value known to us; compare the threshold row)',
    question: `least k such that ${n}-bit parity is classified by k ReLUs (free output weights, output bias)`,
    questions: (k: number) => parity(n, k, 'relu'),
  })),
  ...(
    [
      [4, 1],
      [4, 2],
      [5, 2],
      [5, 3],
    ] as const
  ).map(([n, d]) => ({
    fact: `one threshold unit with bias realises exactly C(${n}, ${d + 1}) = ${coverCount(n, d)} of the ${2 ** n} labellings of ${n} points in general position in R^${d}`,
    source: 'Cover (1965), Theorem 1 (function counting)',
    question: `each of the ${2 ** n} labellings of ${n} points on the moment curve in R^${d}, one threshold unit: feasible or infeasible`,
    questions: coverLabellings(n, d, 1, 'cover', 'Cover (1965), Theorem 1'),
  })),
  {
    fact: '⌈N/d⌉ threshold units realise every labelling of N points in general position in R^d; N = 4, d = 2: 2 units',
    source: 'Baum (1988), On the capabilities of multilayer perceptrons',
    question: 'each of the 16 labellings of 4 points on the moment curve in R^2, two threshold units: feasible',
    questions: coverLabellings(4, 2, 2, 'baum', 'Baum (1988)'),
  },
  {
    fact: 'the least l1 loss of one ReLU (no output bias) on abs(x) at -1, 0, 1 is 1',
    source: 'textbook example (instances/abs-3-k1-l1-half.json); certified here',
    question: 'l1 loss <= 1 feasible, l1 loss < 1 infeasible',
    questions: leastLoss(
      {
        description: 'abs(x) on -1, 0, 1 with one ReLU, no output bias',
        source: 'docs/atlas.md, least l1 loss',
        points: [['-1'], ['0'], ['1']],
        labels: ['1', '0', '1'],
        hidden: 1,
        activation: 'relu',
        outputWeights: 'signs',
        outputBias: false,
      },
      'abs3-relu-k1-l1',
      'l1',
      '1',
    ),
  },
  {
    fact: 'the least squared error of one ReLU with output bias on XOR (values 0, 1, 1, 0) is 2/3',
    source: 'instances/xor-relu-k1-l2.json (confirmed by brute force and z3 in tests/engines/l2.test.ts); certified here',
    question: 'sum of squares <= 2/3 feasible, < 2/3 infeasible',
    questions: leastLoss(
      {
        description: 'XOR values 0, 1, 1, 0 with one ReLU and an output bias',
        source: 'docs/atlas.md, least l2 loss',
        points: XOR_POINTS,
        labels: ['0', '1', '1', '0'],
        hidden: 1,
        activation: 'relu',
        outputWeights: 'signs',
        outputBias: true,
      },
      'xor-relu-k1-l2',
      'l2',
      '2/3',
    ),
  },
];

/** The table's row for parity of 5 bits with threshold units, filled by hand when the engine proves k = 4 infeasible (docs/atlas.md). */
const PARITY5_ROW =
  '| parity of 5 bits needs 5 threshold units | Sohler & Ziegler (2000) | least k such that 5-bit parity is classified by k threshold units | (to be certified: k = 4 infeasible, k = 5 feasible) | | |';

/** One solved question: its files, verdict and times (seconds, measured on this machine). */
interface Solved {
  name: string;
  verdict: 'feasible' | 'infeasible';
  solveSeconds: number;
  checkSeconds: number;
}

function instanceJson(q: Question): string {
  const { name, description, source, points, labels, hidden, activation, outputWeights, outputBias, loss } = q;
  return (
    JSON.stringify(
      { format: 'relucert-instance/1', name, description, source, points, labels, architecture: { hidden, activation, outputWeights, outputBias }, loss },
      null,
      2,
    ) + '\n'
  );
}

/** Writes the instance, solves it with a certificate, writes the certificate and re-checks it with the independent checker. */
async function solveQuestion(q: Question, timeoutSeconds: number): Promise<Solved> {
  const text = instanceJson(q);
  writeFileSync(join(INSTANCES, `${q.name}.json`), text);
  const started = performance.now();
  const r = await solve(toInstance(JSON.parse(text) as unknown, `${q.name}.json`), { certify: true, deadline: Date.now() + timeoutSeconds * 1000 });
  const solveSeconds = (performance.now() - started) / 1000;
  if (r.verdict === 'unknown' || r.certificate === undefined)
    throw new Error(`${q.name}: unknown after ${timeoutSeconds} s (${r.verdict === 'unknown' ? r.reason : 'no certificate'})`);
  writeFileSync(join(CERTIFICATES, `${q.name}.cert.json`), r.certificate);
  const checkStart = performance.now();
  const c = check(r.certificate, { name: `${q.name}.cert.json`, instance: text, instanceName: `${q.name}.json` });
  const checkSeconds = (performance.now() - checkStart) / 1000;
  if (c.status !== 'valid') throw new Error(`${q.name}: the checker does not accept its certificate: ${JSON.stringify(c)}`);
  process.stdout.write(`${q.name}: ${r.verdict} (solve ${solveSeconds.toFixed(2)} s, check ${checkSeconds.toFixed(3)} s)\n`);
  return { name: q.name, verdict: r.verdict, solveSeconds, checkSeconds };
}

/** The questions of an entry, solved: a list as given; a least width from k = 1 up to the first feasible k (keeping k - 1 and k). */
async function solveEntry(e: Entry, timeoutSeconds: number): Promise<Solved[]> {
  if (Array.isArray(e.questions)) {
    const out: Solved[] = [];
    for (const q of e.questions) out.push(await solveQuestion(q, timeoutSeconds));
    return out;
  }
  const tried: Solved[] = [];
  for (let k = 1; k <= 8; k++) {
    const s = await solveQuestion(e.questions(k), timeoutSeconds);
    tried.push(s);
    if (s.verdict === 'feasible') break;
  }
  return tried;
}

const seconds = (x: number): string => (x < 0.1 ? x.toFixed(3) : x.toFixed(2));

/** One table row: the fact, its source, the question, the verdicts with their certificates, the summed solve and check times. */
function tableRow(e: Entry, solved: Solved[]): string {
  const feasible = solved.filter((s) => s.verdict === 'feasible').length;
  const verdicts =
    solved.length <= 4
      ? solved.map((s) => `${s.verdict} (\`${s.name}\`)`).join('; ')
      : `${feasible} of ${solved.length} feasible, ${solved.length - feasible} infeasible (\`${solved[0]!.name.replace(/-[pm]+$/, '')}-*\`)`;
  const solve = solved.reduce((a, s) => a + s.solveSeconds, 0);
  const chk = solved.reduce((a, s) => a + s.checkSeconds, 0);
  return `| ${e.fact} | ${e.source} | ${e.question} | ${verdicts} | ${seconds(solve)} | ${seconds(chk)} |`;
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--timeout');
  const timeoutSeconds = at > 0 ? Number(process.argv[at + 1]) : 120;
  mkdirSync(INSTANCES, { recursive: true });
  mkdirSync(CERTIFICATES, { recursive: true });
  const rows: string[] = [];
  for (const e of ENTRIES) rows.push(tableRow(e, await solveEntry(e, timeoutSeconds)));
  rows.push(PARITY5_ROW);
  const doc = join(ROOT, 'docs', 'atlas.md');
  const text = readFileSync(doc, 'utf8');
  const begin = '<!-- atlas table: written by scripts/make-atlas.ts -->';
  const end = '<!-- end of atlas table -->';
  const header = '| fact | source | relucert question | verdicts (certificates/atlas/NAME.cert.json) | solve (s) | check (s) |\n|---|---|---|---|---|---|';
  const table = `${begin}\n${header}\n${rows.join('\n')}\n${end}`;
  writeFileSync(doc, text.replace(new RegExp(`${begin}[\\s\\S]*${end}`), table));
}

await main();
