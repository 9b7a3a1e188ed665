/**
 * The trust split (docs/architecture.md section 3): the checker imports nothing but
 * node built-ins and its own files, and never touches floating point.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dir = new URL('../../src/check/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

/** Source without comments (block comments, and line comments that start a line or follow whitespace). */
function code(file: string): string {
  return readFileSync(new URL(file, dir), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|\s)\/\/.*$/gm, '$1');
}

const FORBIDDEN: Array<[string, RegExp]> = [
  ['Number(...) / Number.*', /\bNumber\s*[(.]/],
  ['parseFloat', /\bparseFloat\b/],
  ['parseInt', /\bparseInt\b/],
  ['Math.*', /\bMath\s*\./],
  ['toFixed / toPrecision / toExponential', /\.to(?:Fixed|Precision|Exponential)\s*\(/],
  ['.toNumber()', /\.toNumber\s*\(/],
  ['JSON.parse (the checker has its own reader)', /\bJSON\s*\.\s*parse\b/],
  ['parseFloat-like unary plus on a string', /=\s*\+\s*[A-Za-z_$][\w$.]*\s*;/],
  ['require() / dynamic import()', /\brequire\s*\(|\bimport\s*\(/],
  ['eval / new Function', /\beval\s*\(|\bnew\s+Function\b/],
];

describe('src/check is self-contained', () => {
  it('has the files the header of index.ts lists', () => {
    const header = readFileSync(new URL('index.ts', dir), 'utf8');
    for (const f of files) if (f !== 'index.ts') expect(header, `index.ts does not list ${f}`).toContain(f);
  });

  it.each(files)('%s imports only node: built-ins and files of src/check', (file) => {
    const specifiers = [...code(file).matchAll(/\b(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*['"]([^'"]+)['"]/g)].map(
      (m) => m[1] ?? m[2]!,
    );
    for (const s of specifiers) expect(s.startsWith('node:') || /^\.\/[\w.-]+\.js$/.test(s), `${file} imports ${s}`).toBe(true);
  });

  it.each(files)('%s uses no floating point', (file) => {
    const text = code(file);
    for (const [what, re] of FORBIDDEN) expect(re.test(text), `${file} uses ${what}`).toBe(false);
  });

  it('the scan itself catches a bad import and a float', () => {
    const bad = "import { Q } from '../core/rational.js';\nconst x = Number(s);";
    expect(/\bNumber\s*[(.]/.test(bad)).toBe(true);
    expect([...bad.matchAll(/\bfrom\s*['"]([^'"]+)['"]/g)].map((m) => m[1])).toEqual(['../core/rational.js']);
  });
});
