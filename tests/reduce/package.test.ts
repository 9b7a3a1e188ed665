/**
 * The relucert package for real: build it (tsc, into a temporary folder, as
 * `prepare` does into dist/), pack it with `npm pack` and install the
 * tarball into a folder outside the repository, as a user without a clone
 * would (its dependencies from npm's cache when there, else the registry).
 * From there: run the shipped example plugins through the installed
 * bin/relucert.js under plain node (no vitest, no tsx CLI), import
 * 'relucert' from scripts (a plugin fuzzed; an instance solved, its
 * certificate checked, a loss minimised), and type-check TypeScript against
 * the package's declarations. Also checks what `npm pack` would ship from
 * the repository. Child processes run asynchronously: a test worker blocked
 * for a minute (tsc under load) misses vitest's own messages.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';

const REPO = resolve('.');
const root = tempDir();
const pkg = join(root, 'relucert');
const user = join(root, 'user');
/** The installed package's command. */
const bin = join(user, 'node_modules', 'relucert', 'bin', 'relucert.js');
/** The files in the tarball, as `npm pack --json` lists them. */
let packedFiles: string[] = [];

/** Runs a program to its end (at most `timeout` ms, default 4 minutes); never throws. */
function exec(
  file: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
  timeout = 240_000,
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    execFile(file, args, { cwd, encoding: 'utf8', timeout, env, maxBuffer: 1 << 24 }, (e, out, err) => {
      done({ code: e ? (typeof e.code === 'number' ? e.code : -1) : 0, out, err });
    });
  });
}

/** Runs node in the user's folder. */
const node = (...args: string[]): Promise<{ code: number; out: string; err: string }> => exec(process.execPath, args, user);

/** npm, quiet, with no audit or funding requests. */
const npm = (args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> =>
  exec('npm', [...args, '--no-audit', '--no-fund'], cwd, { ...process.env, npm_config_loglevel: 'error', npm_config_update_notifier: 'false' }, 600_000);

beforeAll(async () => {
  // the package's folder: package.json, bin/, docs/, examples/, README.md, and dist/src built from src/ exactly as `npm run build` would
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
  // the whole of src/ through tsc: a minute on idle cores, several on a loaded machine
  const built = await exec(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', tsconfig], root, process.env, 600_000);
  if (built.code !== 0) throw new Error(`tsc failed (exit ${built.code}): ${built.out}${built.err}`);
  for (const f of ['package.json', 'README.md', 'bin', 'docs', 'examples']) cpSync(join(REPO, f), join(pkg, f), { recursive: true });
  // the tarball (no prepare: dist/ is built above), installed into a researcher's folder outside the repository
  const packed = await npm(['pack', '--json', '--ignore-scripts', '--pack-destination', root], pkg);
  if (packed.code !== 0) throw new Error(`npm pack failed: ${packed.err}`);
  packedFiles = (JSON.parse(packed.out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
  const tarball = readdirSync(root).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack wrote no tarball: ${packed.out}`);
  mkdirSync(user, { recursive: true });
  const installed = await npm(['install', '--prefer-offline', '--ignore-scripts', join(root, tarball)], user);
  if (installed.code !== 0) throw new Error(`npm install of the tarball failed: ${installed.err}`);
  // the example plugins and instances beside the user's scripts
  for (const f of ['polygon-separability.mjs', 'linear-separability.ts', 'polygon.json']) cpSync(join(REPO, 'examples/reductions', f), join(user, f));
  for (const f of ['abs-3-k1.json', 'abs-3-k1-l1-half.json', 'abs-3-k2.json']) {
    cpSync(join(REPO, 'instances', f), join(user, f));
    cpSync(join(REPO, 'instances', f), join(user, 'instances', f));
  }
  cpSync(join(REPO, 'examples/abs-3-k2.network.json'), join(user, 'abs-3-k2.network.json'));
}, 1_500_000);

describe('the packed package, installed from its tarball into a folder outside the repository', () => {
  it('relucert fuzz runs a JavaScript plugin that imports relucert (exit 0), and catches its mutant (exit 1, files written)', async () => {
    const ok = await node(bin, 'fuzz', 'polygon-separability.mjs', '--runs', '30', '--seed', '3', '--json');
    expect(ok.err).toBe('');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ reduction: 'polygon-separability', runs: 30, agreed: 30 });
    const bad = await node(bin, 'fuzz', 'polygon-separability.mjs', '--variant', 'fewer-lines', '--exhaustive', '--max-size', '5', '--out', 'cx');
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/DISAGREEMENT at size 3/);
    expect(JSON.parse(readFileSync(join(user, 'cx/source.json'), 'utf8'))).toEqual({ format: 'polygon-separability/1', k: 2, P: [['0', '0']], Q: [] });
    const red = await node(bin, 'reduce', 'polygon-separability.mjs', 'polygon.json');
    expect(red.code).toBe(0);
    expect(JSON.parse(red.out)).toMatchObject({ format: 'relucert-instance/1', architecture: { hidden: 2, outputWeights: ['1', '1'] } });
  }, 120_000);
  it('relucert fuzz runs a TypeScript plugin (loaded with tsx, as an ES module though no package.json says so)', async () => {
    const ok = await node(bin, 'fuzz', 'linear-separability.ts', '--runs', '30', '--seed', '7', '--json');
    expect(ok.err).toBe('');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ reduction: 'linear-separability', agreed: 30 });
    const bad = await node(bin, 'fuzz', 'linear-separability.ts', '--variant', 'q-positive', '--runs', '30', '--seed', '7', '--out', 'cx2');
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
  it("a script imports 'relucert' and solves, checks and minimizes with the functions the CLI calls", async () => {
    writeFileSync(
      join(user, 'api.mjs'),
      [
        "import { readFileSync } from 'node:fs';",
        "import { check, evaluate, minimize, readInstance, readNetwork, solve } from 'relucert';",
        "const inst = readInstance('abs-3-k1.json');",
        '// with a time limit, the certificate is self-checked in the worker thread the package ships',
        'const solved = await solve(inst, { certify: true, deadline: Date.now() + 120_000 });',
        "const checked = check(solved.certificate, { name: 'abs-3-k1.cert.json', instance: readFileSync('abs-3-k1.json', 'utf8') });",
        "const other = check(solved.certificate, { instance: readFileSync('abs-3-k2.json', 'utf8') });",
        "const m = await minimize(readInstance('abs-3-k1-l1-half.json'), { objective: 'loss', dir: 'minimize' });",
        "const written = (side) => check(readFileSync(side.files.certificate, 'utf8'), { instance: readFileSync(side.files.instance, 'utf8') }).status;",
        "const fit = evaluate(readInstance('abs-3-k2.json'), readNetwork('abs-3-k2.network.json'));",
        'console.log(JSON.stringify({',
        '  verdict: solved.verdict, checked: checked.status, statement: checked.statement, other: other.status,',
        '  minimize: [m.status, String(m.value), written(m.attained), written(m.below)], fit: [String(fit.loss), fit.withinBound],',
        '}));',
      ].join('\n'),
    );
    const r = await node('api.mjs');
    expect(r.err).toBe('');
    expect(JSON.parse(r.out)).toEqual({
      verdict: 'infeasible',
      checked: 'valid',
      statement: 'no network with 1 relu unit (output weights signs, no output bias) fits "abs-3-k1" with zero error on 3 points',
      other: 'rejected',
      minimize: ['optimal', '1', 'valid', 'valid'],
      fit: ['0', true],
    });
    expect(existsSync(join(user, 'minimize', 'optimum.cert.json'))).toBe(true);
  }, 120_000);
  it("the README's library example runs as it is and prints what the README shows", async () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## The library'));
    const example = /```js\n([\s\S]*?)```/.exec(section)?.[1];
    const shown = /\nprints\n\n```\n([\s\S]*?)```/.exec(section)?.[1];
    expect(example, 'a js block under "## The library"').toBeDefined();
    expect(shown, 'the block after "prints"').toBeDefined();
    writeFileSync(join(user, 'readme-example.mjs'), example!);
    const r = await node('readme-example.mjs');
    expect(r.err).toBe('');
    expect(r.out).toBe(shown);
    expect(existsSync(join(user, 'out', 'minimize', 'below-optimum.cert.json'))).toBe(true);
  }, 120_000);
  it("a TypeScript plugin, and a script using solve and minimize, type-check against the package's declarations (exports.types)", async () => {
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
      [
        "import { type MinimizeAnswer, type Solution, defineReduction, minimize, readInstance, solve } from 'relucert';",
        '// @ts-expect-error decide must return an answer',
        "defineReduction({ name: 'x', sourceFormat: 'x/1', arbitrary: (fc) => fc.constant(1), decide: () => 5, checkSolution: () => undefined, toInstance: () => ({}) });",
        "export const solved: Promise<Solution> = solve(readInstance('abs-3-k1.json'), { engine: 'exact', certify: true });",
        "export const least: Promise<MinimizeAnswer> = minimize(readInstance('abs-3-k1-l1-half.json'), { objective: 'loss' });",
        '// @ts-expect-error the objective is the loss or the width',
        "void minimize(readInstance('abs-3-k1-l1-half.json'), { objective: 'depth' });",
        'export const reason = async (): Promise<string> => {',
        "  const r = await solve(readInstance('abs-3-k1.json'));",
        "  // @ts-expect-error only an 'unknown' has a reason",
        '  return r.reason;',
        '};',
      ].join('\n'),
    );
    const r = await exec(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', join(user, 'tsconfig.json')], user);
    expect(r.out + r.err).toBe('');
    expect(r.code).toBe(0);
  }, 120_000);
  it('the tarball holds bin/, dist/src/ with its declarations, docs/ and examples/, and nothing of tests/ or src/', () => {
    for (const f of ['package.json', 'bin/relucert.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/run/check-worker.js', 'docs/reductions.md'])
      expect(packedFiles).toContain(f);
    expect(packedFiles).toContain('examples/reductions/polygon-separability.mjs');
    expect(packedFiles.filter((f) => f.startsWith('tests/') || f.startsWith('src/'))).toEqual([]);
    const pkgJson = JSON.parse(readFileSync('package.json', 'utf8')) as { exports: { '.': { types: string; default: string } }; files: string[] };
    expect(pkgJson.exports['.']).toEqual({ types: './dist/src/index.d.ts', default: './dist/src/index.js' });
  });
});
