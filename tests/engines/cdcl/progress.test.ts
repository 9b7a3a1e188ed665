/**
 * The cdcl engine's progress reports count what its final report counts
 * (SearchClock.sync): decisions as nodes, theory conflicts as leaves,
 * exact LPs. Before, a progress line counted every tick as a node (more
 * than the final report's nodes) and showed 0 leaves and 0 LPs throughout.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cdclSolve } from '../../../src/engines/cdcl/index.js';
import type { SearchStats } from '../../../src/engines/result.js';
import { readInstance } from '../../../src/format/schema.js';
import { ROOT } from '../../paths.js';

describe('cdcl progress', () => {
  it('every progress report is at most the final counts, and they never go down', () => {
    // a refutation of bench/hard that takes one core well over the time limit: reports come every second
    const inst = readInstance(join(ROOT, 'bench', 'hard', 'random-d3-k3-n14.json'));
    const reports: SearchStats[] = [];
    const r = cdclSolve(inst, { deadline: Date.now() + 3500, onProgress: (s) => reports.push(s) });
    expect(reports.length).toBeGreaterThan(0);
    for (const [i, p] of reports.entries()) {
      expect(p.nodes).toBeLessThanOrEqual(r.stats.nodes);
      expect(p.leaves).toBeLessThanOrEqual(r.stats.leaves);
      expect(p.lps).toBeLessThanOrEqual(r.stats.lps);
      const q = reports[i - 1];
      if (q) for (const k of ['nodes', 'leaves', 'lps'] as const) expect(p[k]).toBeGreaterThanOrEqual(q[k]);
    }
    // the search learns from conflicts: they show in the progress, not only at the end
    if (r.stats.leaves > 0) expect(reports.at(-1)!.leaves).toBeGreaterThan(0);
  });
});
