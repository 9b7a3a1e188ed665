/**
 * The relucert package for real: build it (tsc, into a temporary folder, as
 * `prepare` does into dist/), link it into a folder outside the repository,
 * and from there run the shipped example plugins through the package's own
 * bin/relucert.js under plain node (no vitest, no tsx CLI), import
 * 'relucert' from a script, and type-check a TypeScript plugin against the
 * package's declarations. Also checks what `npm pack` would ship.
 * Child processes run asynchronously: a test worker blocked for a minute
 * (tsc under load) misses vitest's own messages.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';

const REPO = resolve('.');
const root = tempDir();
const pkg = join(root, 'relucert');
const user = join(root, 'user');

/** Runs a program to its end (at most 4 minutes); never throws. */
function exec(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    execFile(file, args, { cwd, encoding: 'utf8', timeout: 240_000, env, maxBuffer: 1 << 24 }, (e, out, err) => {
      done({ code: e ? (typeof e.code === 'number' ? e.code : -1) : 0, out, err });
    });
  });
}

/** Runs node in the user's folder. */
const node = (...args: string[]): Promise<{ code: number; out: string; err: string }> => exec(process.execPath, args, user);

beforeAll(async () => {
  // the package: package.json, bin/, and dist/src built from src/ exactly as `npm run build` would
  mkdirSync(pkg, { recursive: true });
  const tsconfig = join(root, 'tsconfig.pkg.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: join(REPO, 'tsconfig.build.json'),
      compilerOptions: { outDir: join(pkg, 'dist'), rootDir: REPO, typeRoots: [join(REPO, 'node_modules/@types')] },
      include: [join(REPO, 'src')],
    }),
  );
  const built = await exec(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', tsconfig], root);
  if (built.code !== 0) throw new Error(`tsc failed: ${built.out}${built.err}`);
  cpSync(join(REPO, 'package.json'), join(pkg, 'package.json'));
  cpSync(join(REPO, 'bin'), join(pkg, 'bin'), { recursive: true });
  symlinkSync(join(REPO, 'node_modules'), join(pkg, 'node_modules'), 'dir');
  // a researcher's folder, outside the repository, with no package.json: relucert linked in, the example plugins copied
  mkdirSync(join(user, 'node_modules'), { recursive: true });
  symlinkSync(pkg, join(user, 'node_modules', 'relucert'), 'dir');
  for (const f of ['polygon-separability.mjs', 'linear-separability.ts', 'polygon.json']) cpSync(join(REPO, 'examples/reductions', f), join(user, f));
}, 240_000);

describe('the built package, linked into a folder outside the repository', () => {
  it('relucert fuzz runs a JavaScript plugin that imports relucert (exit 0), and catches its mutant (exit 1, files written)', async () => {
    const ok = await node(join(pkg, 'bin/relucert.js'), 'fuzz', 'polygon-separability.mjs', '--runs', '30', '--seed', '3', '--json');
    expect(ok.err).toBe('');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ reduction: 'polygon-separability', runs: 30, agreed: 30 });
    const bad = await node(
      join(pkg, 'bin/relucert.js'),
      'fuzz',
      'polygon-separability.mjs',
      '--variant',
      'fewer-lines',
      '--exhaustive',
      '--max-size',
      '5',
      '--out',
      'cx',
    );
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/DISAGREEMENT at size 3/);
    expect(JSON.parse(readFileSync(join(user, 'cx/source.json'), 'utf8'))).toEqual({ format: 'polygon-separability/1', k: 2, P: [['0', '0']], Q: [] });
    const red = await node(join(pkg, 'bin/relucert.js'), 'reduce', 'polygon-separability.mjs', 'polygon.json');
    expect(red.code).toBe(0);
    expect(JSON.parse(red.out)).toMatchObject({ format: 'relucert-instance/1', architecture: { hidden: 2, outputWeights: ['1', '1'] } });
  }, 120_000);
  it('relucert fuzz runs a TypeScript plugin (loaded with tsx, as an ES module though no package.json says so)', async () => {
    const ok = await node(join(pkg, 'bin/relucert.js'), 'fuzz', 'linear-separability.ts', '--runs', '30', '--seed', '7', '--json');
    expect(ok.err).toBe('');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ reduction: 'linear-separability', agreed: 30 });
    const bad = await node(
      join(pkg, 'bin/relucert.js'),
      'fuzz',
      'linear-separability.ts',
      '--variant',
      'q-positive',
      '--runs',
      '30',
      '--seed',
      '7',
      '--out',
      'cx2',
    );
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/minimal counterexample: \{"format":"linear-separability\/1","P":\[\["0"\]\],"Q":\[\["0"\]\]\}/);
  }, 120_000);
  it("a script imports 'relucert' and fuzzes a plugin; the plugin shares the package's modules", async () => {
    writeFileSync(
      join(user, 'script.mjs'),
      [
        "import { Q, fuzzExhaustive, loadReductionPlugin } from 'relucert';",
        "const red = await loadReductionPlugin('polygon-separability.mjs');",
        "const r = await fuzzExhaustive(red, { maxSize: 4, variant: 'correct', timeoutMs: 20000 });",
        'const source = red.parseSource({ format: red.sourceFormat, k: 1, P: [[0, 0]], Q: [] }, "x");',
        'console.log(JSON.stringify({ runs: r.runs, agreed: r.agreed, sameQ: source.P[0][0] instanceof Q }));',
      ].join('\n'),
    );
    const r = await node('script.mjs');
    expect(r.err).toBe('');
    expect(JSON.parse(r.out)).toEqual({ runs: 9, agreed: 9, sameQ: true });
  }, 120_000);
  it("a TypeScript plugin type-checks against the package's declarations (exports.types)", async () => {
    writeFileSync(
      join(user, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          strict: true,
          noUncheckedIndexedAccess: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        files: ['linear-separability.ts', 'typed.ts'],
      }),
    );
    // a wrong member type must be an error: the declarations are really used
    writeFileSync(
      join(user, 'typed.ts'),
      "import { defineReduction } from 'relucert';\n// @ts-expect-error decide must return an answer\ndefineReduction({ name: 'x', sourceFormat: 'x/1', arbitrary: (fc) => fc.constant(1), decide: () => 5, checkSolution: () => undefined, toInstance: () => ({}) });\n",
    );
    const r = await exec(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', join(user, 'tsconfig.json')], user);
    expect(r.out + r.err).toBe('');
    expect(r.code).toBe(0);
  }, 120_000);
  it('npm pack would ship bin/, dist/src/ with its declarations, docs/ and examples/, and nothing of tests/ or src/', async () => {
    const r = await exec('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], REPO, { ...process.env, npm_config_loglevel: 'silent' });
    expect(r.code, r.err).toBe(0);
    const files = (JSON.parse(r.out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    for (const f of ['package.json', 'bin/relucert.js', 'docs/reductions.md', 'examples/reductions/polygon-separability.mjs']) expect(files).toContain(f);
    expect(files.filter((f) => f.startsWith('tests/') || f.startsWith('src/'))).toEqual([]);
    // dist/ exists after `npm ci` (prepare); when it does, its entry point and declarations are in the pack
    const pkgJson = JSON.parse(readFileSync('package.json', 'utf8')) as { exports: { '.': { types: string; default: string } }; files: string[] };
    expect(pkgJson.exports['.']).toEqual({ types: './dist/src/index.d.ts', default: './dist/src/index.js' });
    expect(pkgJson.files).toContain('dist/src/');
  }, 60_000);
});
