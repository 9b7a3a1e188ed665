/**
 * Starting a worker thread on one of relucert's own modules, from the
 * compiled JavaScript (dist/) or, under tests and tsx, from the TypeScript
 * sources (the worker then registers tsx before importing the module).
 */
import { Worker } from 'node:worker_threads';

/** `module` is a URL relative to `base` (import.meta.url of the caller), written with the .ts extension's stem, e.g. './exact-worker'. */
export function spawnWorker(base: string, module: string, workerData: unknown): Worker {
  if (base.endsWith('.ts')) {
    const url = JSON.stringify(new URL(`${module}.ts`, base).href);
    return new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${url}); });`, { eval: true, workerData });
  }
  return new Worker(new URL(`${module}.js`, base), { workerData });
}
