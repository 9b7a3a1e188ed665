/**
 * The fuzzer passes every correct reduction and catches every mutant with a
 * shrunk counterexample. Run counts are modest; the 1000-run numbers are in
 * docs/reductions.md.
 */
import { describe, expect, it } from 'vitest';
import { checkSource, fuzzReduction } from '../../src/reduce/fuzz.js';
import { reductions } from '../../src/reduce/registry.js';
import { setSplitting } from '../../src/reduce/set-splitting.js';

const SEED = 20261122;

describe('correct reductions fuzz clean', () => {
  for (const red of reductions)
    it(`${red.name}: 80 runs agree, both maps checked on every yes`, async () => {
      const r = await fuzzReduction(red, { runs: 80, seed: SEED, variant: 'correct', timeoutMs: 20_000 });
      expect(r.counterexample, JSON.stringify(r.counterexample?.source)).toBeUndefined();
      expect(r).toMatchObject({ runs: 80, agreed: 80, unknown: 0 });
      // the generators reach both sides: at least a quarter of the sources each
      expect(r.sourceYes).toBeGreaterThan(20);
      expect(r.sourceNo).toBeGreaterThan(20);
      expect(r.witnessChecked).toBe(r.sourceYes);
      expect(r.backMapChecked).toBe(r.sourceYes);
    }, 60_000);
});

describe('every mutant is caught, with a shrunk counterexample', () => {
  for (const red of reductions)
    for (const v of red.variants.filter((x) => x.kind === 'mutant'))
      it(`${red.name} --variant ${v.name}`, async () => {
        const r = await fuzzReduction(red, { runs: 300, seed: SEED, variant: v.name, timeoutMs: 20_000 });
        const c = r.counterexample;
        expect(c, `mutant ${v.name} not caught in 300 runs`).toBeDefined();
        expect(c!.report.verdict).toBe('disagree');
        expect(c!.report.failed).toBeDefined();
        // the files a reader needs are there
        expect(Object.keys(c!.report.files)).toEqual(expect.arrayContaining(['source.json', 'instance.json']));
        // replaying the shrunk source alone reproduces the disagreement
        const again = await checkSource(red, v.name, red.parseSource(c!.source, 'counterexample'), { timeoutMs: 20_000 });
        expect(again.failed).toBe(c!.report.failed);
      }, 60_000);
});

describe('every mutant is caught at each of the seeds 1..10 within 200 random runs (the power table of docs/reductions.md)', () => {
  // no-gadget-ones meets the same sources as no-gadget (same generator and seeds), with targets ~10x slower to solve: scripts/mutant-power.ts measures it
  for (const red of reductions)
    for (const v of red.variants.filter((x) => x.kind === 'mutant' && x.name !== 'no-gadget-ones'))
      it(`${red.name} --variant ${v.name}`, async () => {
        const missed: number[] = [];
        for (let seed = 1; seed <= 10; seed++) {
          const r = await fuzzReduction(red, { runs: 200, seed, variant: v.name, timeoutMs: 20_000, shrink: false });
          if (!r.counterexample) missed.push(seed);
        }
        expect(missed, `seeds that fuzz clean`).toEqual([]);
      }, 120_000);
});

describe('the textbook Blum-Rivest labelling is wrong in its answers, not only in its maps', () => {
  for (const v of ['no-gadget', 'no-gadget-ones', 'gadget-moved'])
    it(`${v}: with --no-maps the fuzzer finds a 'no' source with a feasible target`, async () => {
      const r = await fuzzReduction(setSplitting, { runs: 300, seed: SEED, variant: v, timeoutMs: 20_000, checkMaps: false });
      expect(r.counterexample?.report.failed).toBe('source-no-target-feasible');
      const src = r.counterexample!.source as { elements: number; sets: number[][] };
      // a minimal 'no' with every set of size 2: an odd cycle, here the triangle
      expect(src.elements).toBe(3);
      expect(src.sets.map((s) => s.join('')).sort()).toEqual(['01', '02', '12']);
    }, 60_000);
  it('the triangle: correct variant proved infeasible (checked), textbook labelling feasible', async () => {
    const tri = {
      elements: 3,
      sets: [
        [0, 1],
        [1, 2],
        [0, 2],
      ],
    };
    const ok = await checkSource(setSplitting, 'correct', tri, { timeoutMs: 20_000 });
    expect(ok).toMatchObject({ verdict: 'agree', sourceAnswer: 'no', targetVerdict: 'infeasible' });
    const bad = await checkSource(setSplitting, 'no-gadget', tri, { timeoutMs: 20_000 });
    expect(bad).toMatchObject({ verdict: 'disagree', failed: 'source-no-target-feasible' });
  }, 60_000);
});
