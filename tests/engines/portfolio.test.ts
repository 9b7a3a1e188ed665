/**
 * The portfolio (src/engines/portfolio.ts): a second search in a worker
 * thread. Its answer flows back with a valid certificate when it finishes
 * first; the second search orders agree with the default ones; deadlines
 * hold on one and two threads.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCertificate } from '../../src/check/index.js';
import type { Instance } from '../../src/core/types.js';
import { cdclSolve } from '../../src/engines/cdcl/index.js';
import { certificateJson, certificateText } from '../../src/engines/certificate.js';
import { exactSolve } from '../../src/engines/exact.js';
import { engines } from '../../src/engines/index.js';
import { solveWithPortfolio } from '../../src/engines/portfolio.js';
import { type SolveOptions, type SolveResult, emptyStats } from '../../src/engines/result.js';
import { readInstance } from '../../src/format/schema.js';
import { smallInstance } from '../arbitraries.js';

const certifies = (inst: Instance, r: SolveResult): string => {
  if (r.verdict === 'unknown') return 'unknown';
  const body = r.verdict === 'feasible' ? { verdict: r.verdict, network: r.network } : { verdict: r.verdict, proof: r.proof };
  return checkCertificate(certificateText(certificateJson(inst, body, {})), 'test').status;
};

/** A main search that does nothing but wait to be cancelled: only the second search can answer. */
const idleMain = (o: SolveOptions): SolveResult => {
  const until = Date.now() + 60_000;
  while (!o.cancelled?.() && Date.now() < until) {
    /* spin: the worker thread runs meanwhile */
  }
  return { verdict: 'unknown', reason: 'cancelled', stats: emptyStats() };
};

describe('the second search orders', () => {
  it('exact with the other order agrees with the default order, and its certificates check', () => {
    fc.assert(
      fc.property(smallInstance({ maxPoints: 5 }), (inst) => {
        const a = exactSolve(inst);
        const b = exactSolve(inst, {}, { inactiveFirst: true, reverseCases: true });
        expect(b.verdict).toBe(a.verdict);
        expect(certifies(inst, b)).toBe('valid');
      }),
      { numRuns: 40 },
    );
  });
  it('cdcl without symmetry propagation agrees with cdcl with it, and its certificates check', () => {
    fc.assert(
      fc.property(smallInstance({ maxPoints: 5 }), (inst) => {
        const a = cdclSolve(inst);
        const b = cdclSolve(inst, {}, { symmetry: false });
        expect(b.verdict).toBe(a.verdict);
        expect(certifies(inst, b)).toBe('valid');
      }),
      { numRuns: 40 },
    );
  });
});

describe('portfolio', () => {
  for (const [engine, name] of [
    ['cdcl', 'zigzag-k2'],
    ['cdcl', 'abs-3-k2'],
    ['exact', 'zigzag-k2'],
  ] as const)
    it(`the second search (${engine}) answers ${name} when the main search does not, with a valid certificate`, async () => {
      const inst = readInstance(`instances/${name}.json`);
      const second = engine === 'cdcl' ? { engine, options: { symmetry: false } } : { engine, options: { inactiveFirst: true, reverseCases: true } };
      const r = await solveWithPortfolio(inst, { deadline: Date.now() + 60_000 }, idleMain, second, 0);
      expect(r.verdict).toBe(cdclSolve(inst).verdict);
      expect(certifies(inst, r)).toBe('valid');
    });
  it('answers unknown at the deadline, on one or two threads, for both engines', async () => {
    const inst = readInstance('bench/hard/random-d2-k4-n16.json');
    for (const e of ['cdcl', 'exact'])
      for (const threads of [1, 2]) {
        const r = await engines[e]!.solve(inst, { threads, deadline: Date.now() + 1500 });
        expect(r.verdict, `${e} on ${threads} thread(s)`).toBe('unknown');
      }
  });
});
