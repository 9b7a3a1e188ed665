import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCertificate } from '../../src/check/index.js';
import { certificateJson, certificateText } from '../../src/engines/certificate.js';
import { exactSolve } from '../../src/engines/exact.js';
import { exactSolveParallel } from '../../src/engines/exact-parallel.js';
import type { SolveResult } from '../../src/engines/result.js';
import { readInstance } from '../../src/format/schema.js';
import type { Instance } from '../../src/core/types.js';
import { smallInstance } from '../arbitraries.js';

const certifies = (inst: Instance, r: SolveResult): string => {
  if (r.verdict === 'unknown') return 'unknown';
  const body = r.verdict === 'feasible' ? { verdict: r.verdict, network: r.network } : { verdict: r.verdict, proof: r.proof };
  return checkCertificate(certificateText(certificateJson(inst, body, {})), 'test').status;
};

describe('the second searcher (other search order)', () => {
  it('agrees with the default order, and its certificates check', () => {
    fc.assert(
      fc.property(smallInstance({ maxPoints: 5 }), (inst) => {
        const a = exactSolve(inst);
        const b = exactSolve(inst, {}, { inactiveFirst: true, reverseCases: true });
        expect(b.verdict).toBe(a.verdict);
        expect(certifies(inst, b)).toBe('valid');
      }),
      { numRuns: 60 },
    );
  });
});

describe('exact engine on two threads', () => {
  it('starts the worker on a long search and still answers with a valid certificate', async () => {
    // 700+ nodes: past the warm-up, so the worker thread starts
    const inst = readInstance('bench/suite/threshold-cls-d2-k2-n10.json');
    const r = await exactSolveParallel(inst, { threads: 2 });
    expect(r.verdict).toBe(exactSolve(inst).verdict);
    expect(certifies(inst, r)).toBe('valid');
  });
  it('answers unknown at the deadline, on one or two threads', async () => {
    // about 2500 nodes and 1 s on the benchmark machine; the deadline is a third of that
    const inst = readInstance('bench/suite/perturbed-d2-k3-n9.json');
    for (const threads of [1, 2]) {
      const r = await exactSolveParallel(inst, { threads, deadline: Date.now() + 300 });
      expect(r.verdict).toBe('unknown');
    }
  });
});
