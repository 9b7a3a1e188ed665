/**
 * The import rules of docs/architecture.md section 5, checked by
 * dependency-cruiser with the repository's own .dependency-cruiser.cjs: no
 * import cycle between files (type-only and dynamic imports count), and
 * nothing outside src/cli imports src/cli. A second run on a small tree made
 * here shows that the same configuration catches both kinds of violation.
 * Child processes run asynchronously, so a slow run under load does not
 * block the test worker.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers.js';
import { ROOT } from './paths.js';

/** One violation as dependency-cruiser's JSON reporter gives it. */
interface Violation {
  from: string;
  to: string;
  rule: { name: string };
  cycle?: { name: string }[];
}

/** Runs dependency-cruiser in `cwd` on `paths` with `config`; its violations. */
function cruise(cwd: string, config: string, paths: string[]): Promise<Violation[]> {
  const bin = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      [bin, ...paths, '--config', config, '--output-type', 'json'],
      { cwd, encoding: 'utf8', maxBuffer: 1 << 26, timeout: 240_000 },
      (e, out, err) => {
        // exit 0 without violations, the number of errors with them; anything else is a failure of the run
        try {
          done((JSON.parse(out) as { summary: { violations: Violation[] } }).summary.violations);
        } catch {
          fail(new Error(`dependency-cruiser failed (${e?.message ?? 'no output'}): ${err}`));
        }
      },
    );
  });
}

/** The files of a cycle violation: where it starts and every file on the way back. */
const cycleFiles = (v: Violation): string[] => [v.from, ...(v.cycle ?? []).map((c) => c.name)];

const describeViolation = (v: Violation): string => (v.cycle ? `${v.rule.name}: ${cycleFiles(v).join(' -> ')}` : `${v.rule.name}: ${v.from} -> ${v.to}`);

describe('the import rules (dependency-cruiser, .dependency-cruiser.cjs)', () => {
  it('src, scripts and bench: no cycle, and nothing outside src/cli imports src/cli', async () => {
    const violations = await cruise(ROOT, '.dependency-cruiser.cjs', ['src', 'scripts', 'bench']);
    expect(violations.map(describeViolation)).toEqual([]);
  }, 240_000);

  it('the same configuration catches a cycle (through a type-only import) and an import of src/cli', async () => {
    const dir = tempDir();
    const files: Record<string, string> = {
      'src/cli/main.ts': "import { a } from '../core/a.js';\nexport const main = a;\n",
      'src/core/a.ts': "import type { B } from './b.js';\nexport const a = 1;\nexport type A = B;\n",
      'src/core/b.ts': "import { a } from './a.js';\nexport type B = typeof a;\n",
      'src/run/uses-cli.ts': "import { main } from '../cli/main.js';\nexport const x = main;\n",
    };
    for (const [f, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      writeFileSync(join(dir, f), text);
    }
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }));
    copyFileSync(join(ROOT, '.dependency-cruiser.cjs'), join(dir, 'config.cjs'));
    const violations = await cruise(dir, 'config.cjs', ['src']);
    // a cycle as the set of its files (dependency-cruiser reports it once, from one of them)
    const found = [
      ...new Set(violations.map((v) => (v.cycle ? `${v.rule.name}: ${[...new Set(cycleFiles(v))].sort().join(', ')}` : describeViolation(v)))),
    ].sort();
    expect(found).toEqual(['cli-is-a-client: src/run/uses-cli.ts -> src/cli/main.ts', 'no-circular: src/core/a.ts, src/core/b.ts']);
  }, 240_000);
});
