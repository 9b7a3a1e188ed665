/**
 * Reduction plugins: `relucert fuzz ./my-reduction.mjs` and
 * `relucert reduce ./my-reduction.ts SOURCE` load a module whose default
 * export (or export named `reduction`) is a reduction spec, usually written
 * `export default defineReduction({...})` with defineReduction imported from
 * 'relucert' (docs/reductions.md, section 5).
 *
 * JavaScript modules (.mjs, .js, .cjs) are imported by node itself.
 * TypeScript (.ts, .mts, .cts) is imported natively where node can, and
 * otherwise through tsx's ESM loader (`tsx/esm/api` register(), a dependency
 * of relucert), registered once, on the first TypeScript plugin, with
 * ts-module-hooks.ts so that a .ts file is an ES module whatever the nearest
 * package.json says (the plugin then shares relucert's modules with the CLI).
 *
 * Errors (InputError, so the CLI prints one line and exits 2): a missing
 * file, a module that does not load (syntax error, missing import), a module
 * without the export, and a spec of the wrong shape (ReductionError naming
 * the member, from defineReduction).
 */
import { existsSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError } from '../format/errors.js';
import { type AnyReduction, defineReduction, errorLine } from './reduction.js';

const TYPESCRIPT = new Set(['.ts', '.mts', '.cts']);
const MODULE = new Set(['.mjs', '.js', '.cjs', ...TYPESCRIPT]);

/** True when a command-line argument names a plugin file rather than a built-in reduction: it has a path separator or a module extension. */
export function isPluginPath(arg: string): boolean {
  return /[\\/]/.test(arg) || MODULE.has(extname(arg));
}

let tsxRegistered = false;

async function importModule(abs: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(abs).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (e) {
    if (!TYPESCRIPT.has(extname(abs)) || (e as NodeJS.ErrnoException).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw e;
  }
  if (!tsxRegistered) {
    const { register } = await import('tsx/esm/api');
    register();
    // registered after tsx's, so they run first: every .ts file is an ES module (ts-module-hooks.ts)
    const { register: registerHooks } = await import('node:module');
    registerHooks(new URL('./ts-module-hooks.js', import.meta.url));
    tsxRegistered = true;
  }
  // a new URL: node keeps the failed load of the plain one
  return (await import(`${url}?relucert-tsx`)) as Record<string, unknown>;
}

/**
 * Loads a reduction plugin. `file` is the path as the user gave it; errors
 * name it, and it becomes the Reduction's origin (so every later error of a
 * member names it too).
 */
export async function loadReductionPlugin(file: string): Promise<AnyReduction> {
  const abs = resolve(file);
  if (!existsSync(abs)) throw new InputError(file, '', 'no such file');
  if (!statSync(abs).isFile()) throw new InputError(file, '', 'not a file');
  if (!MODULE.has(extname(abs))) throw new InputError(file, '', `not a module (a plugin is a .mjs, .js, .cjs, .ts, .mts or .cts file)`);
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(abs);
  } catch (e) {
    throw new InputError(file, '', `cannot load (${errorLine(e)})`);
  }
  const exported = mod.default ?? mod.reduction;
  if (exported === undefined)
    throw new InputError(file, '(export)', 'no default export and no export named "reduction" (write `export default defineReduction({...})`)');
  // a CommonJS module's `module.exports = defineReduction(...)` arrives as default; one with exports.default inside, one level down
  const spec = typeof exported === 'object' && exported !== null && 'default' in exported && !('name' in exported) ? exported.default : exported;
  return defineReduction(spec as Parameters<typeof defineReduction>[0], file);
}
