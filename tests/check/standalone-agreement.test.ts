/**
 * The standalone checker (checker/relucert-check.mjs) and `relucert check`
 * agree: on every certificate the tests ship, and on certificates mutated by
 * fast-check, both give the same exit code and the same outcome (verdict and
 * statement, or rule, path, expected and got; for bad input, one line each).
 *
 * The number of mutated certificates is RELUCERT_AGREE_RUNS (default 100);
 * the recorded run of 10,000 is in docs/artifacts.md section 3.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHECKER_FILE } from '../../scripts/make-checker.js';
import { cli, tempDir } from '../helpers.js';
import { CASES, ROOT } from '../paths.js';

interface Ran {
  code: number;
  out: string;
  err: string;
}
type Main = (argv: string[], io: { out: (t: string) => void; err: (t: string) => void }) => number;
const { main } = (await import(pathToFileURL(join(ROOT, CHECKER_FILE)).href)) as { main: Main };

function standalone(...argv: string[]): Ran {
  let out = '';
  let err = '';
  const code = main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

/** A certificate the tests ship, with the instance it is bound to (if any). */
interface Shipped {
  cert: string;
  instance?: string;
  network?: string;
}

/** The options binding a shipped certificate to its file. */
const binding = (s: Shipped): string[] => [
  ...(s.instance ? ['--instance', join(ROOT, s.instance)] : []),
  ...(s.network ? ['--network', join(ROOT, s.network)] : []),
];

const list = (dir: string, re: RegExp): string[] =>
  readdirSync(join(ROOT, dir))
    .filter((f) => re.test(f))
    .sort()
    .map((f) => join(dir, f));

const shipped: Shipped[] = [
  ...list('certificates', /\.cert\.json$/).map((cert) => ({ cert, instance: cert.replace(/^certificates/, 'instances').replace(/\.cert\.json$/, '.json') })),
  ...list('certificates/atlas', /\.cert\.json$/).map((cert) => ({
    cert,
    instance: cert.replace(/^certificates/, 'instances').replace(/\.cert\.json$/, '.json'),
  })),
  ...list('examples/stochastic', /\.cert\.json$/).map((cert) => ({ cert })),
  { cert: 'examples/learn/teacher.gram.json', instance: 'examples/learn/teacher.json' },
  { cert: 'examples/stochastic/moons-region.cert.json', network: 'examples/stochastic/moons.network.json' },
  ...readdirSync(CASES)
    .filter((f) => f.endsWith('.cert.json'))
    .sort()
    .map((f) => ({ cert: join('tests/cases', f) })),
];

/** Both checkers on one command line; the outcomes they must share. */
async function both(argv: string[]): Promise<{ mine: Ran; theirs: Ran }> {
  return { mine: standalone(...argv), theirs: await cli('check', ...argv) };
}

function expectAgreement(mine: Ran, theirs: Ran, what: string): void {
  expect(mine.code, `${what}\nstandalone: ${mine.err}\nrelucert check: ${theirs.err}`).toBe(theirs.code);
  if (theirs.code === 2) {
    // bad input: one line each, naming the same file (the program's name differs)
    expect(mine.err.replace(/^relucert-check: /, '').split(':')[0], what).toBe(theirs.err.replace(/^relucert: /, '').split(':')[0]);
    expect(mine.err.trim().split('\n'), what).toHaveLength(1);
    return;
  }
  expect(mine.out, what).toBe(theirs.out);
  expect(mine.err, what).toBe(theirs.err);
}

describe('the standalone checker agrees with relucert check', () => {
  it('ships certificates of every kind to compare', () => {
    const kinds = new Set(shipped.map((s) => (JSON.parse(readFileSync(join(ROOT, s.cert), 'utf8')) as { format: string }).format));
    for (const format of ['relucert-certificate/1', 'relucert-gram-certificate/1', 'relucert-region-certificate/1']) expect(kinds, format).toContain(format);
  });

  for (const s of shipped)
    it(`${s.cert}${s.instance ? ' with its instance' : s.network ? ' with its network' : ''}, as text and as --json`, async () => {
      const args = [join(ROOT, s.cert), ...binding(s)];
      const text = await both(args);
      expectAgreement(text.mine, text.theirs, s.cert);
      const json = await both([...args, '--json']);
      expectAgreement(json.mine, json.theirs, `${s.cert} --json`);
    });

  it('on mutated certificates: the same exit code, statement or rule and path', async () => {
    const runs = Number(process.env.RELUCERT_AGREE_RUNS ?? '100');
    const dir = tempDir();
    const file = join(dir, 'mutated.cert.json');
    const texts = shipped.map((s) => readFileSync(join(ROOT, s.cert), 'utf8'));
    const seen = { valid: 0, rejected: 0, badInput: 0 };
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: shipped.length - 1 }), mutationArb, fc.boolean(), async (index, mutation, bind) => {
        const s = shipped[index]!;
        writeFileSync(file, applyMutation(texts[index]!, mutation));
        const { mine, theirs } = await both([file, '--json', ...(bind ? binding(s) : [])]);
        expectAgreement(mine, theirs, `${s.cert} ${JSON.stringify(mutation)}`);
        seen[theirs.code === 0 ? 'valid' : theirs.code === 1 ? 'rejected' : 'badInput']++;
        // let the test runner's messages through between runs (a long run would block them)
        await new Promise((resolve) => setImmediate(resolve));
      }),
      { numRuns: runs },
    );
    // the mutations reach the rules: most are rejected rather than valid or unreadable
    expect(seen.rejected).toBeGreaterThan(runs / 4);
    console.log(`standalone agreement: ${runs} mutated certificates, ${seen.valid} valid, ${seen.rejected} rejected, ${seen.badInput} bad input`);
  }, 3_600_000);
});

/** One change to a certificate: at the `at`-th position of its JSON tree (counted modulo the number of positions). */
type Mutation =
  | { op: 'replace'; at: number; value: unknown }
  | { op: 'perturb'; at: number; by: number }
  | { op: 'delete'; at: number }
  | { op: 'add-key'; at: number; key: string; value: unknown }
  | { op: 'copy-from'; at: number; from: number }
  | { op: 'swap'; at: number; other: number }
  | { op: 'truncate'; at: number };

const valueArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('0', '1', '-1', '1/2', '-1/3', '1/0', '0/5', '2/4', '+1', '1.5', '1e3', '', 'x', 'act:0:0', 'inact:0:1', 'farkas', 'l2dual', 'feasible'),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
  fc.tuple(fc.bigInt({ min: -1000n, max: 1000n }), fc.bigInt({ min: 1n, max: 1000n })).map(([p, q]) => `${p}/${q}`),
  fc.constantFrom(null, true, false, 0, 1, -1, 0.5, [], {}, ['0'], { type: 'farkas' }),
  fc.string({ maxLength: 8 }),
);

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: valueArb }),
  fc.record({ op: fc.constant('perturb' as const), at: fc.nat(), by: fc.integer({ min: -3, max: 3 }) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({
    op: fc.constant('add-key' as const),
    at: fc.nat(),
    key: fc.constantFrom('extra', 'network', 'proof', 'type', 'rule', 'act', 'lemmas'),
    value: valueArb,
  }),
  fc.record({ op: fc.constant('copy-from' as const), at: fc.nat(), from: fc.nat() }),
  fc.record({ op: fc.constant('swap' as const), at: fc.nat(), other: fc.nat() }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** A position in the tree: the container and the key or index of a value in it. */
interface Position {
  parent: Json[] | { [key: string]: Json };
  key: string | number;
}

function positions(v: Json, out: Position[] = []): Position[] {
  if (Array.isArray(v))
    v.forEach((x, i) => {
      out.push({ parent: v, key: i });
      positions(x, out);
    });
  else if (v !== null && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      out.push({ parent: v, key: k });
      positions(x, out);
    }
  return out;
}

const get = (p: Position): Json => (p.parent as Record<string | number, Json>)[p.key]!;
const set = (p: Position, x: Json): void => {
  (p.parent as Record<string | number, Json>)[p.key] = x;
};

/** The certificate text with one mutation applied (the text unchanged when the mutation does not apply at that position). */
function applyMutation(text: string, m: Mutation): string {
  const root = JSON.parse(text) as Json;
  const all = positions(root);
  if (all.length === 0) return text;
  const p = all[m.at % all.length]!;
  const here = get(p);
  switch (m.op) {
    case 'replace':
      set(p, structuredClone(m.value) as Json);
      break;
    case 'perturb': {
      const r = typeof here === 'string' ? /^(-?\d+)(\/\d+)?$/.exec(here) : null;
      if (r) set(p, `${BigInt(r[1]!) + BigInt(m.by === 0 ? 1 : m.by)}${r[2] ?? ''}`);
      else set(p, typeof here === 'string' ? `${here}x` : '1');
      break;
    }
    case 'delete':
      if (Array.isArray(p.parent)) p.parent.splice(p.key as number, 1);
      else delete p.parent[p.key as string];
      break;
    case 'add-key':
      if (here !== null && typeof here === 'object' && !Array.isArray(here)) here[m.key] = structuredClone(m.value) as Json;
      else set(p, { [m.key]: structuredClone(m.value) as Json });
      break;
    case 'copy-from':
      set(p, structuredClone(get(all[m.from % all.length]!)));
      break;
    case 'swap': {
      // two values trade places (unless one holds the other)
      const q = all[m.other % all.length]!;
      const there = get(q);
      if (positions(here).some((r) => r.parent === q.parent) || positions(there).some((r) => r.parent === p.parent)) break;
      set(q, here);
      set(p, there);
      break;
    }
    case 'truncate':
      if (Array.isArray(here)) here.length = Math.floor(here.length / 2);
      else if (typeof here === 'string') set(p, here.slice(0, Math.floor(here.length / 2)));
      break;
  }
  return JSON.stringify(root);
}
