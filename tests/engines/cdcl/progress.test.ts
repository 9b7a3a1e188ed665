/**
 * The cdcl engine's progress reports count what its final report counts
 * (SearchClock.sync): decisions as nodes, theory conflicts as leaves,
 * exact LPs. Before, a progress line counted every tick as a node (more
 * than the final report's nodes) and showed 0 leaves and 0 LPs throughout.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Q } from '../../../src/core/rational.js';
import { cdclSolve } from '../../../src/engines/cdcl/index.js';
import type { SearchStats } from '../../../src/engines/result.js';
import { readInstance } from '../../../src/format/schema.js';
import { CASES } from '../../paths.js';

describe('cdcl progress', () => {
  it('every progress report is at most the final counts, and they never go down', () => {
    const base = readInstance(join(CASES, 'F-anytime-minimize-l1.json'));
    const inst = { ...base, loss: { type: 'l1' as const, bound: Q.ONE, strict: false } };
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
