/**
 * solve --workers N (src/cube/local.ts): the same verdicts as one thread,
 * certificates the checker accepts, a witness as soon as a cube finds one, and
 * 'unknown' at the deadline.
 */
import { describe, expect, it } from 'vitest';
import { checkCertificate } from '../../src/check/index.js';
import { solveWithWorkers } from '../../src/cube/local.js';
import { certificateJson, certificateText } from '../../src/engines/certificate.js';
import { exactSolve } from '../../src/engines/exact.js';
import type { SolveResult } from '../../src/engines/result.js';
import { readInstance } from '../../src/format/schema.js';
import type { Instance } from '../../src/core/types.js';

const certify = (inst: Instance, r: SolveResult): string => {
  if (r.verdict === 'unknown') return 'unknown';
  const body = r.verdict === 'feasible' ? { verdict: r.verdict, network: r.network } : { verdict: r.verdict, proof: r.proof };
  return checkCertificate(certificateText(certificateJson(inst, body, {})), 'test').status;
};

describe('cube-and-conquer on local worker threads', () => {
  // warmUpNodes 0: straight to the cubes, even on instances the main thread would answer alone
  for (const [file, workers] of [
    ['bench/suite/perturbed-d2-k3-n8.json', 2],
    ['bench/suite/teacher-d2-k3-n9.json', 2],
    ['instances/xor-threshold-k1.json', 3],
  ] as const)
    it(`${file} on ${workers} workers: the verdict of one thread, with a certificate the checker accepts`, async () => {
      const inst = readInstance(file);
      const { result, report } = await solveWithWorkers(inst, { workers, warmUpNodes: 0 });
      expect(result.verdict).toBe(exactSolve(inst).verdict);
      expect(certify(inst, result)).toBe('valid');
      expect(report.cubes).toBeGreaterThanOrEqual(inst.architecture.hidden);
    });

  it('with the cdcl engine: cube proofs with lemmas, merged into a certificate the checker accepts', async () => {
    const inst = readInstance('bench/suite/perturbed-d2-k3-n8.json');
    const { result } = await solveWithWorkers(inst, { workers: 2, warmUpNodes: 0, engine: 'cdcl' });
    expect(result.verdict).toBe('infeasible');
    expect(result.verdict === 'infeasible' && result.proof.cases.some((c) => (c.lemmas?.length ?? 0) > 0)).toBe(true);
    expect(certify(inst, result)).toBe('valid');
  });

  it('with the cdcl engine sharing learned clauses between workers: imported clauses become lemmas, the certificate checks', async () => {
    const inst = readInstance('bench/suite/perturbed-d2-k3-n8.json');
    // every learned clause is shared (shareSize far above any clause), so clauses do travel
    const { result, report } = await solveWithWorkers(inst, { workers: 2, warmUpNodes: 0, engine: 'cdcl', shareSize: 1000 });
    expect(result.verdict).toBe('infeasible');
    expect(report.shared).toBeGreaterThan(0);
    expect(certify(inst, result)).toBe('valid');
  });

  it("reports every cube run: each proved once, the workers' nodes add up to the search's, busy and idle time to the run's", async () => {
    const inst = readInstance('bench/suite/perturbed-d2-k3-n9.json');
    const { result, report } = await solveWithWorkers(inst, { workers: 2, warmUpNodes: 0, engine: 'cdcl' });
    expect(result.verdict).toBe('infeasible');
    const proved = report.cubeLog.filter((r) => r.end === 'proved');
    expect(proved).toHaveLength(report.solved);
    expect(new Set(proved.map((r) => r.id)).size).toBe(proved.length);
    expect(report.cubeLog.filter((r) => r.end === 'probe out').length).toBeGreaterThan(0);
    expect(report.workers).toHaveLength(2);
    const logged = report.cubeLog.reduce((t, r) => t + r.nodes, 0);
    expect(report.workers.reduce((t, w) => t + w.nodes, 0)).toBe(logged);
    const stopped = report.cubeLog.filter((r) => r.end === 'not needed' || r.end === 'split again').reduce((t, r) => t + r.nodes, 0);
    expect(stopped).toBe(report.stoppedNodes);
    expect(logged).toBe(result.stats.nodes + report.stoppedNodes);
    for (const w of report.workers) expect(w.busyMs + w.idleMs).toBe(result.stats.elapsedMs);
    for (const r of report.cubeLog) expect(r.endMs).toBeGreaterThanOrEqual(r.startMs);
  });

  it('answers an easy instance in the main thread, with no cubes', async () => {
    const inst = readInstance('instances/abs-3-k1.json');
    const { result, report } = await solveWithWorkers(inst, { workers: 2 });
    expect(result.verdict).toBe('infeasible');
    expect(certify(inst, result)).toBe('valid');
    expect(report.cubes).toBe(0);
  });

  it('answers unknown (timeout) at the deadline', async () => {
    const inst = readInstance('bench/suite/convex-perturbed-d2-k3-n10.json');
    const { result } = await solveWithWorkers(inst, { workers: 2, deadline: Date.now() + 300, warmUpNodes: 0 });
    expect(result.verdict).toBe('unknown');
    expect(result.verdict === 'unknown' && result.reason).toBe('timeout');
  });
});
