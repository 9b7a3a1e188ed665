/**
 * The trust split (docs/architecture.md section 3): the checker imports nothing but
 * node built-ins and its own files, and never touches floating point.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dir = new URL('../../src/check/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

/** Source text without comments (block comments, and line comments that start a line or follow whitespace). */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '$1');
}

const code = (file: string): string => withoutComments(readFileSync(new URL(file, dir), 'utf8'));

/** The module specifiers a source imports or re-exports from, static imports only (dynamic ones are in FORBIDDEN). */
function importSpecifiers(text: string): string[] {
  return [...text.matchAll(/\b(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*['"]([^'"]+)['"]/g)].map((m) => m[1] ?? m[2]!);
}

/** A specifier the checker may import: a node built-in or a file beside it. */
const allowed = (specifier: string): boolean => specifier.startsWith('node:') || /^\.\/[\w.-]+\.js$/.test(specifier);

/** What of FORBIDDEN a source uses. */
const forbiddenUses = (text: string): string[] => FORBIDDEN.filter(([, re]) => re.test(text)).map(([what]) => what);

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
    for (const s of importSpecifiers(code(file))) expect(allowed(s), `${file} imports ${s}`).toBe(true);
  });

  it.each(files)('%s uses no floating point, no dynamic import and no eval', (file) => {
    expect(forbiddenUses(code(file)), file).toEqual([]);
  });

  it('the scan itself, the same functions on a bad source: every kind of import and every forbidden use is caught, comments are not', () => {
    const imports = [
      "import { Q } from '../core/rational.js';",
      "import type {\n  Instance,\n} from '../format/schema.js';",
      "export { solve } from '../engines/index.js';",
      "import 'z3-solver';",
      "import * as fs from 'fs';",
      "import { Rat } from './rational.js';",
      "import { createHash } from 'node:crypto';",
    ];
    const comments = ['// import { x } from "../commented-out.js";', '/* Number(s) in a comment */'];
    const uses = [
      'const a = Number(s);',
      'const b = Number.MAX_SAFE_INTEGER;',
      'const c = parseFloat(s);',
      'const d = parseInt(s, 10);',
      'const e = Math.floor(x);',
      'const f = x.toFixed(2);',
      'const g = q.toNumber();',
      'const h = JSON.parse(text);',
      'const i = +text;',
      "const j = require('x');",
      "const k = await import('./rows.js');",
      "const l = eval('1');",
      "const m = new Function('return 1');",
    ];
    const bad = [...imports, ...comments, ...uses].join('\n');
    const text = withoutComments(bad);
    expect(importSpecifiers(text)).toEqual([
      '../core/rational.js',
      '../format/schema.js',
      '../engines/index.js',
      'z3-solver',
      'fs',
      './rational.js',
      'node:crypto',
    ]);
    expect(importSpecifiers(text).filter((s) => !allowed(s))).toEqual(['../core/rational.js', '../format/schema.js', '../engines/index.js', 'z3-solver', 'fs']);
    expect(forbiddenUses(text)).toEqual(FORBIDDEN.map(([what]) => what));
    // each pattern alone, on its own line: no pattern depends on another to be caught
    for (const line of uses) expect(forbiddenUses(line), line).toHaveLength(1);
  });
});
