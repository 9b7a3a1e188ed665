/** Running the CLI in-process with captured output. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../src/cli/main.js';

export interface Ran {
  code: number;
  out: string;
  err: string;
}

export async function cli(...argv: string[]): Promise<Ran> {
  let out = '';
  let err = '';
  const code = await run(argv, { out: (t) => (out += t), err: (t) => (err += t), progress: false });
  return { code, out, err };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'relucert-test-'));
}

/** Writes `content` (a string, or JSON for anything else) to a fresh temporary file. */
export function tempFile(name: string, content: unknown): string {
  const f = join(tempDir(), name);
  writeFileSync(f, typeof content === 'string' ? content : JSON.stringify(content));
  return f;
}
