/**
 * Node module-customization hooks (module.register) that make every .ts file
 * an ES module, registered by plugin.ts after tsx's own hooks (so they run
 * first). tsx decides a .ts file's format the way node does for .js, from the
 * nearest package.json's "type"; a plugin written as `my-reduction.ts` in a
 * folder without `"type": "module"` would then be compiled to CommonJS and
 * would load a second copy of relucert. Plugins are ES modules (they import
 * 'relucert'), so .ts is resolved as 'module' here; .cts stays CommonJS.
 */
interface Resolved {
  url: string;
  format?: string | null;
}
type NextResolve = (specifier: string, context: unknown) => Promise<Resolved>;

export async function resolve(specifier: string, context: unknown, nextResolve: NextResolve): Promise<Resolved> {
  const r = await nextResolve(specifier, context);
  if (r.url.startsWith('file:') && new URL(r.url).pathname.endsWith('.ts') && (r.format === 'commonjs' || r.format === 'commonjs-typescript'))
    return { ...r, format: 'module' };
  return r;
}
