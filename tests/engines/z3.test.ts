/**
 * Engine z3 (z3-solver, WebAssembly): agrees with the reference search on
 * random small instances; every witness passes acceptWitness; unsat comes
 * back as the exact engine's checkable proof; deadlines give 'unknown'; and
 * a process that used the engine exits on its own (z3's worker threads do
 * not keep Node alive).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { engines } from '../../src/engines/index.js';
import { certificateJson, certificateText } from '../../src/engines/certificate.js';
import { checkCertificate } from '../../src/check/index.js';
import { acceptWitness } from '../../src/engines/witness.js';
import { readInstance } from '../../src/format/schema.js';
import { smallInstance } from '../arbitraries.js';
import { encodedInstance } from '../../src/engines/z3.js';
import { smtlibText } from '../../src/encode/smtlib.js';
import { CASES } from '../paths.js';

const ROOT = join(import.meta.dirname, '..', '..');
const z3 = engines.z3!;

describe('engine z3', () => {
  it("is registered; its infeasible answers carry the exact engine's proof", () => {
    expect(z3.name).toBe('z3');
    expect(z3.provesInfeasibility).toBe(true);
  });

  it('agrees with the reference search on random small instances', async () => {
    await fc.assert(
      fc.asyncProperty(smallInstance({ maxPoints: 5, maxDim: 2, maxHidden: 2 }), async (inst) => {
        const ref = await engines.reference!.solve(inst, { deadline: Date.now() + 4000 });
        const r = await z3.solve(inst, { deadline: Date.now() + 10000 });
        if (r.verdict === 'feasible') expect(acceptWitness(inst, r.network)).toBeDefined();
        if (ref.verdict === 'unknown' || r.verdict === 'unknown') return;
        expect(r.verdict).toBe(ref.verdict);
      }),
      { numRuns: 25 },
    );
  });

  it('returns a proof the checker accepts for an infeasible instance', async () => {
    const inst = readInstance(join(ROOT, 'instances', 'abs-3-k1.json'));
    const r = await z3.solve(inst, {});
    expect(r.verdict).toBe('infeasible');
    if (r.verdict !== 'infeasible') return;
    const text = certificateText(certificateJson(inst, { verdict: 'infeasible', proof: r.proof }, { engine: 'z3' }));
    expect(checkCertificate(text, 'z3-proof').status).toBe('valid');
  });

  it('returns an exact witness for a feasible instance', async () => {
    const inst = readInstance(join(ROOT, 'instances', 'abs-3-k2.json'));
    const r = await z3.solve(inst, {});
    expect(r.verdict).toBe('feasible');
    if (r.verdict === 'feasible') expect(acceptWitness(inst, r.network)).toBeDefined();
  });

  it("encodes free ReLU output weights as signs (lemma L1): linear arithmetic, and the witness of issue G's W4 case fits (its nonlinear encoding took 57 s)", async () => {
    const inst = readInstance(join(CASES, 'G-z3-free-weights-W4.json'));
    expect(inst.architecture.outputWeights.mode).toBe('free');
    const encoded = encodedInstance(inst);
    expect(encoded.architecture.outputWeights.mode).toBe('signs');
    const text = smtlibText(encoded);
    expect(text).toContain('(set-logic QF_LRA)');
    expect(smtlibText(inst)).toContain('(set-logic QF_NRA)');
    const r = await z3.solve(inst, { deadline: Date.now() + 120_000 });
    expect(r.verdict).toBe('feasible');
    if (r.verdict === 'feasible') expect(acceptWitness(inst, r.network)?.withinBound).toBe(true);
  }, 150_000);

  it('answers unknown when the deadline has passed', async () => {
    const inst = readInstance(join(ROOT, 'instances', 'abs-3-k2.json'));
    const r = await z3.solve(inst, { deadline: Date.now() - 1 });
    expect(r.verdict).toBe('unknown');
    if (r.verdict === 'unknown') expect(r.reason).toBe('timeout');
  });

  it('keeps working after a solve with a timeout (worker pool intact)', async () => {
    const inst = readInstance(join(ROOT, 'instances', 'xor-relu-k2-exact.json'));
    for (let i = 0; i < 3; i++) expect((await z3.solve(inst, { deadline: Date.now() + 20000 })).verdict).toBe('feasible');
  });

  it('lets the process exit when it is done', () => {
    const dir = mkdtempSync(join(tmpdir(), 'relucert-z3-'));
    const script = join(dir, 'run.mts');
    writeFileSync(
      script,
      `import { engines } from ${JSON.stringify(join(ROOT, 'src/engines/index.ts'))};\n` +
        `import { readInstance } from ${JSON.stringify(join(ROOT, 'src/format/schema.ts'))};\n` +
        `const inst = readInstance(${JSON.stringify(join(ROOT, 'instances', 'abs-3-k2.json'))});\n` +
        `const r = await engines.z3.solve(inst, { deadline: Date.now() + 20000 });\n` +
        `console.log(r.verdict);\n`,
    );
    const t0 = Date.now();
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, encoding: 'utf8', timeout: 30000 });
    expect(r.stdout.trim()).toBe('feasible');
    expect(r.status).toBe(0);
    expect(Date.now() - t0).toBeLessThan(25000);
  });
});
