/**
 * A subcommand's module is loaded only when it runs (src/cli/commands/index.ts,
 * docs/architecture.md): `relucert check` does not load the solve command and
 * the engines behind it, `relucert --version` loads no command, and --help and
 * an unknown name load them all (to list them, or to suggest the nearest).
 * Each command module below records its first load through vi.mock.
 */
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { cli } from '../helpers.js';
import { ROOT } from '../paths.js';

const loaded = vi.hoisted(() => new Set<string>());
vi.mock('../../src/cli/commands/solve.js', async (original) => {
  loaded.add('solve');
  return original();
});
vi.mock('../../src/cli/commands/check.js', async (original) => {
  loaded.add('check');
  return original();
});
vi.mock('../../src/cli/commands/stochastic.js', async (original) => {
  loaded.add('stochastic');
  return original();
});

// one file: the module registry is per file, so the order of these tests matters (each loads more)
describe('subcommands are loaded when they run', () => {
  it('--version loads none', async () => {
    const r = await cli('--version');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^\d+\.\d+\.\d+/);
    expect([...loaded]).toEqual([]);
  });

  it('check loads the check command only', async () => {
    const r = await cli('check', join(ROOT, 'certificates', 'abs-3-k1.cert.json'));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^valid:/);
    expect([...loaded]).toEqual(['check']);
  });

  it('an unknown name loads them all, and commander suggests the nearest', async () => {
    const r = await cli('solvee');
    expect(r.code).toBe(2);
    expect(r.err).toContain('Did you mean solve?');
    expect([...loaded].sort()).toEqual(['check', 'solve', 'stochastic']);
  });
});
