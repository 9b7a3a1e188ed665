/**
 * solveStoppable (src/run/interrupt.ts): a search in a worker thread gives
 * the engine's own answer, and an abort stops it with 'unknown'
 * ('cancelled'), the search having run until then.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lossOf } from '../../src/core/evaluate.js';
import { engines } from '../../src/engines/index.js';
import { readInstance } from '../../src/format/schema.js';
import { solveStoppable } from '../../src/run/interrupt.js';
import { ROOT } from '../paths.js';

describe('solveStoppable', () => {
  it("answers as the engine does on the main thread (a witness that meets the bound, a proof's verdict)", async () => {
    const never = new AbortController().signal;
    for (const file of ['instances/abs-3-k1.json', 'instances/abs-3-k2.json']) {
      const inst = readInstance(file);
      const here = await engines.cdcl!.solve(inst, {});
      const there = await solveStoppable('cdcl', never)(inst, {});
      expect(there.verdict, file).toBe(here.verdict);
      if (there.verdict === 'feasible') expect(lossOf(inst, there.network).loss.eq(there.loss)).toBe(true);
      if (there.verdict === 'infeasible' && here.verdict === 'infeasible') expect(there.proof).toEqual(here.proof);
    }
  });
  it("an abort stops a long search: 'unknown', reason 'cancelled', with the work done until then", async () => {
    // a refutation of bench/hard that takes one core well over 10 s
    const inst = readInstance(join(ROOT, 'bench', 'hard', 'random-d3-k3-n14.json'));
    const stop = new AbortController();
    const seen: number[] = [];
    const running = solveStoppable('cdcl', stop.signal)(inst, { onProgress: (s) => seen.push(s.nodes) });
    // abort once the search reports progress (it runs, and the main thread is free to hear the abort)
    while (seen.length === 0) await new Promise((r) => setTimeout(r, 50));
    stop.abort('test');
    const r = await running;
    expect(r.verdict).toBe('unknown');
    if (r.verdict === 'unknown') expect(r.reason).toBe('cancelled');
    expect(r.stats.nodes).toBeGreaterThanOrEqual(seen.at(-1)!);
  });
});
