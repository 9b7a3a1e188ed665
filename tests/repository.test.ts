/**
 * The repository stands on its own (docs/architecture.md): a public clone has
 * nothing beside it, so no file under src/, tests/, bench/ or scripts/ may
 * refer to a path outside the repository, and source files cite sections of
 * docs/, not the letters of issues.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './paths.js';

const FOLDERS = ['src', 'tests', 'bench', 'scripts'];
const TEXT = /\.(ts|mts|cts|js|mjs|cjs|sh|py|json|md|txt|toml|ya?ml)$/;

/** Every text file below the folders (generated output and node_modules aside). */
function textFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist') out.push(...textFiles(p));
    } else if (entry.isFile() && TEXT.test(entry.name)) out.push(p);
  }
  return out;
}

/** What reads as a path outside the repository; each with the reason it is one. */
const OUTSIDE: [RegExp, string][] = [
  [/(?:^|[^\w.])\.\.\/(?:\.\.\/)*shared\b/, 'the folder beside the repository, by a relative path'],
  [/\bshared\/(?:DESIGN|STYLE)\.md|\bshared\/(?:cases|design|hooks)\//, 'the folder beside the repository, by its file names'],
  [/['"`\s(](?:\/work|\/home|\/Users|\/root|\/mnt|\/srv)\/[\w.-]/, 'a path of one machine'],
  [/['"`]shared['"`]\s*,\s*['"`](?:cases|design|DESIGN\.md|STYLE\.md)['"`]/, 'the folder beside the repository, by path segments'],
];

/**
 * Paths built by join or resolve from the file's own folder
 * (import.meta.dirname, __dirname) or from ROOT, with literal segments;
 * and relative paths in quotes (import specifiers among them): where each
 * one ends up, so that one climbing out of the repository is caught
 * whatever it is called.
 */
function builtPaths(file: string, text: string): string[] {
  const out: string[] = [];
  const call = /\b(?:join|resolve)\(\s*(import\.meta\.dirname|__dirname|ROOT)\s*((?:,\s*'[^']*'\s*)+)/g;
  for (const m of text.matchAll(call)) {
    const base = m[1] === 'ROOT' ? ROOT : dirname(file);
    const segments = [...m[2]!.matchAll(/'([^']*)'/g)].map((s) => s[1]!);
    out.push(resolve(base, ...segments));
  }
  for (const m of text.matchAll(/['"]((?:\.\.\/)+[^'"\s]*)['"]/g)) out.push(resolve(dirname(file), m[1]!));
  return out;
}

const inside = (p: string): boolean => p === ROOT || p.startsWith(ROOT + sep);

const files = FOLDERS.flatMap((f) => textFiles(join(ROOT, f)));

describe('the repository stands on its own', () => {
  it('reads the files of every folder it checks', () => {
    for (const f of FOLDERS) expect(files.some((p) => relative(ROOT, p).startsWith(f + sep))).toBe(true);
    expect(files.length).toBeGreaterThan(200);
  });

  it('no file under src/, tests/, bench/, scripts/ names a path outside the repository', () => {
    const found: string[] = [];
    for (const file of files) {
      if (statSync(file).size > 1 << 20) continue; // data files of tests/cases (megabytes of numbers)
      const text = readFileSync(file, 'utf8');
      const rel = relative(ROOT, file);
      text.split('\n').forEach((line, i) => {
        for (const [pattern, why] of OUTSIDE) if (pattern.test(line)) found.push(`${rel}:${i + 1}: ${why}: ${line.trim()}`);
      });
      for (const p of builtPaths(file, text)) if (!inside(p)) found.push(`${rel}: builds ${p}, outside the repository`);
    }
    expect(found).toEqual([]);
  });

  it('source files cite sections of docs/, not the letters of issues', () => {
    const found: string[] = [];
    for (const file of files.filter((p) => relative(ROOT, p).startsWith('src' + sep))) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/\bissues? [A-Z](?:\b|\/)/.test(line)) found.push(`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(found).toEqual([]);
  });
});

describe('the scan itself', () => {
  // the hostile examples are spelled with stand-ins (§ for /, ° for ., ¦ for a quote), so this file itself stays clean
  const h = (s: string): string => s.replaceAll('§', '/').replaceAll('°', '.').replaceAll('¦', "'");
  const flagged = (line: string): boolean =>
    OUTSIDE.some(([p]) => p.test(line)) || builtPaths(join(ROOT, 'tests', 'x', 'y.test.ts'), line).some((p) => !inside(p));
  it.each([
    'const CASES = join(import°meta°dirname, ¦°°¦, ¦°°¦, ¦°°¦, ¦shared¦, ¦cases¦, ¦turn2¦);',
    '// see °°§shared§DESIGN°md',
    ' * Mathematics (shared§DESIGN°md section 7)',
    'readFileSync(¦§work§helpers§G-format°md¦)',
    'const f = ¦§home§me§data°json¦;',
    'join(import°meta°dirname, ¦°°¦, ¦°°¦, ¦°°¦, ¦not-this-repository¦)', // (a folder named like the clone, e.g. x, would resolve into it)
    'import x from ¦°°§°°§°°§y°js¦;',
  ])('flags %s', (line) => {
    expect(flagged(h(line))).toBe(true);
  });
  it.each([
    'const CASES = join(import°meta°dirname, ¦cases¦);',
    'import { cli } from ¦°°§helpers°js¦;',
    'const dev = ¦§dev§null¦;',
    '/** shared by the search and certificate tests */',
    'join(ROOT, ¦instances¦, ¦abs-3-k1°json¦)',
    'join(import°meta°dirname, ¦°°¦, ¦°°¦, ¦x¦)',
  ])('passes %s', (line) => {
    expect(flagged(h(line))).toBe(false);
  });
});
