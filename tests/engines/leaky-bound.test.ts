/**
 * Leaky ReLU and bounded weights (issue I, items 2 and 3): the engines
 * (reference, exact, cdcl) agree with an independent brute force that
 * builds its LPs from the definition of the network (no row of
 * src/encode/system.ts, no lemma: every sign vector, every activation
 * pattern, f written out directly), their certificates pass the
 * independent checker, a weight bound with free output weights excludes
 * nothing (lemma L7), the MILP's "no solution" is the instance's answer
 * where milpIsExact says so, and native z3 decides the SMT-LIB export as
 * relucert does.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCertificate } from '../../src/check/index.js';
import { lossOf, shapeErrors } from '../../src/core/evaluate.js';
import { Q } from '../../src/core/rational.js';
import type { Instance, Loss, OutputWeights } from '../../src/core/types.js';
import { milpIsExact } from '../../src/encode/milp/meaning.js';
import { type LinExpr, type LinRow, addTerm, row } from '../../src/encode/rows.js';
import { smtlibText } from '../../src/encode/smtlib.js';
import { cdclSolve } from '../../src/engines/cdcl/index.js';
import { certificateJson, certificateText } from '../../src/engines/certificate.js';
import { decideRows } from '../../src/engines/lp/exact-lp.js';
import { exactSolve } from '../../src/engines/exact.js';
import { milpSolve, solveMilpHere } from '../../src/engines/milp.js';
import { referenceSolve } from '../../src/engines/reference.js';
import type { SolveResult } from '../../src/engines/result.js';
import { installed } from '../encode/verdicts.js';
import { tempDir } from '../helpers.js';

const small = fc.integer({ min: -2, max: 2 }).map((v) => Q.of(v));

interface LeakyConstraints {
  /** output-weight modes to draw from (default signs, positive, fixed) */
  modes?: Array<'signs' | 'positive' | 'free' | 'fixed'>;
  /** always give a weight bound (default: sometimes) */
  bounded?: boolean;
  /** threshold units too (default: ReLU and leaky ReLU only) */
  threshold?: boolean;
}

/** Tiny ReLU / leaky ReLU instances (k n <= 6), with or without a weight bound, every loss. */
function leakyInstance(c: LeakyConstraints = {}): fc.Arbitrary<Instance> {
  const modes = c.modes ?? ['signs', 'positive', 'fixed'];
  return fc
    .record({
      n: fc.integer({ min: 2, max: 3 }),
      d: fc.integer({ min: 1, max: 2 }),
      k: fc.integer({ min: 1, max: 2 }),
      slope: fc.constantFrom(undefined, Q.ZERO, Q.of(1, 10), Q.of(1, 2), Q.of(3, 4)),
      threshold: c.threshold ? fc.boolean() : fc.constant(false),
      boundOutputWeights: fc.boolean(),
      mode: fc.constantFrom(...modes),
      outputBias: fc.boolean(),
      bound: c.bounded ? fc.constantFrom(Q.of(1, 2), Q.ONE, Q.of(2)) : fc.constantFrom(undefined, undefined, Q.of(1, 2), Q.ONE, Q.of(2)),
      lossType: fc.constantFrom('exact', 'l1', 'linf', 'classification'),
      strict: fc.boolean(),
    })
    .chain((s) =>
      fc
        .record({
          points: fc.uniqueArray(fc.array(small, { minLength: s.d, maxLength: s.d }), { minLength: s.n, maxLength: s.n, selector: (p) => p.join(',') }),
          labels: fc.array(s.lossType === 'classification' ? fc.constantFrom(Q.ONE, Q.MINUS_ONE) : small, { minLength: s.n, maxLength: s.n }),
          fixed: fc.array(fc.constantFrom(Q.ONE, Q.MINUS_ONE, Q.of(2), Q.of(1, 2)), { minLength: s.k, maxLength: s.k }),
          G: fc.integer({ min: 0, max: 4 }).map((v) => Q.of(v, 2)),
        })
        .map((r): Instance => {
          const outputWeights: OutputWeights = s.mode === 'fixed' ? { mode: 'fixed', values: r.fixed } : { mode: s.mode };
          const loss: Loss =
            s.lossType === 'exact' || s.lossType === 'classification' ? { type: s.lossType } : { type: s.lossType, bound: r.G, strict: s.strict };
          return {
            name: 'leaky',
            description: '',
            points: r.points,
            labels: r.labels,
            architecture: {
              hidden: s.k,
              activation: s.threshold ? 'threshold' : s.slope === undefined ? 'relu' : 'leaky-relu',
              ...(s.slope !== undefined && !s.threshold ? { slope: s.slope } : {}),
              outputWeights,
              outputBias: s.outputBias,
              ...(s.bound !== undefined ? { weightBound: s.bound } : {}),
              ...(s.bound !== undefined && s.mode === 'free' && s.boundOutputWeights ? { boundOutputWeights: true } : {}),
            },
            loss,
          };
        }),
    );
}

/**
 * The direct question, decided from the definition: for every output-weight
 * vector (all 2^k sign vectors for `signs`) and every activation pattern,
 * one exact LP over w, b, c (and e) whose rows say h_ij >= 0 and
 * f_i = sum_j a_j h_ij + c ... (ACT) or h_ij <= 0 and slope h_ij (INACT),
 * the bound |w|, |b| <= B, and the loss with its strict rows strict. No
 * normalisation lemma is used. Output weights fixed by the mode only.
 */
function directFeasible(inst: Instance): boolean {
  const { hidden: k, outputWeights: ow, outputBias, weightBound: B } = inst.architecture;
  const slope = inst.architecture.slope ?? Q.ZERO;
  const n = inst.points.length;
  const d = inst.points[0]!.length;
  const vectors: Q[][] =
    ow.mode === 'signs'
      ? Array.from({ length: 1 << k }, (_, m) => Array.from({ length: k }, (_, j) => ((m >> j) & 1 ? Q.ONE : Q.MINUS_ONE)))
      : ow.mode === 'positive'
        ? [Array.from({ length: k }, () => Q.ONE)]
        : ow.mode === 'fixed'
          ? [ow.values]
          : [];
  if (ow.mode === 'free') throw new Error('directFeasible: output weights fixed by the mode only');
  const h = (j: number, i: number): LinExpr => {
    const e: LinExpr = new Map([[`b${j}`, Q.ONE]]);
    inst.points[i]!.forEach((x, t) => addTerm(e, `w${j}.${t}`, x));
    return e;
  };
  const scaled = (e: LinExpr, m: Q): LinExpr => {
    const out: LinExpr = new Map();
    for (const [v, c] of e) addTerm(out, v, c.mul(m));
    return out;
  };
  for (const a of vectors)
    for (let mask = 0; mask < 1 << (k * n); mask++) {
      const rows: LinRow[] = [];
      const f: LinExpr[] = Array.from({ length: n }, () => new Map(outputBias ? [['c', Q.ONE]] : []));
      for (let j = 0; j < k; j++)
        for (let i = 0; i < n; i++) {
          const act = ((mask >> (j * n + i)) & 1) === 1;
          rows.push(row(`sign${j}.${i}`, scaled(h(j, i), act ? Q.MINUS_ONE : Q.ONE), '<=', Q.ZERO));
          for (const [v, c] of h(j, i)) addTerm(f[i]!, v, c.mul(a[j]!).mul(act ? Q.ONE : slope));
        }
      if (B !== undefined)
        for (let j = 0; j < k; j++)
          for (const v of [`b${j}`, ...Array.from({ length: d }, (_, t) => `w${j}.${t}`)]) {
            rows.push(row(`${v}<=B`, new Map([[v, Q.ONE]]), '<=', B));
            rows.push(row(`${v}>=-B`, new Map([[v, Q.MINUS_ONE]]), '<=', B));
          }
      const loss = inst.loss;
      const sense = (loss.type === 'l1' || loss.type === 'linf') && loss.strict ? '<' : '<=';
      for (let i = 0; i < n; i++) {
        const y = inst.labels[i]!;
        const fi = f[i]!;
        if (loss.type === 'exact') rows.push(row(`fit${i}`, fi, '=', y));
        else if (loss.type === 'classification') rows.push(row(`cls${i}`, scaled(fi, y.neg()), '<', Q.ZERO));
        else if (loss.type === 'linf') {
          rows.push(row(`up${i}`, fi, sense, y.add(loss.bound)));
          rows.push(row(`lo${i}`, scaled(fi, Q.MINUS_ONE), sense, loss.bound.sub(y)));
        } else {
          rows.push(row(`up${i}`, addTerm(new Map(fi), `e${i}`, Q.MINUS_ONE), '<=', y));
          rows.push(row(`lo${i}`, addTerm(scaled(fi, Q.MINUS_ONE), `e${i}`, Q.MINUS_ONE), '<=', y.neg()));
        }
      }
      if (inst.loss.type === 'l1') rows.push(row('sum', new Map(Array.from({ length: n }, (_, i): [string, Q] => [`e${i}`, Q.ONE])), sense, inst.loss.bound));
      if (decideRows(rows).status === 'feasible') return true;
    }
  return false;
}

/** For free output weights bounded by B (ReLU / leaky ReLU): the instance with sign output weights and hidden bound B^2 (lemma L8); any other instance itself. */
function signsEquivalent(inst: Instance): Instance {
  const { boundOutputWeights, weightBound: B, ...rest } = inst.architecture;
  if (boundOutputWeights !== true || B === undefined || inst.architecture.outputWeights.mode !== 'free') return inst;
  return { ...inst, architecture: { ...rest, outputWeights: { mode: 'signs' }, weightBound: B.mul(B) } };
}

/** The certificate of a verdict, checked by the independent checker: its statement, or a failure. */
function checked(inst: Instance, r: SolveResult): string {
  if (r.verdict === 'unknown') throw new Error(`unknown: ${r.reason}`);
  const body = r.verdict === 'feasible' ? { verdict: r.verdict, network: r.network } : { verdict: r.verdict, proof: r.proof };
  const out = checkCertificate(certificateText(certificateJson(inst, body, {})), 'cert.json');
  if (out.status !== 'valid') throw new Error(`certificate rejected: ${JSON.stringify(out)}`);
  expect(out.verdict).toBe(r.verdict);
  return out.statement;
}

const DEADLINE_MS = 20_000;
const ENGINES = [
  ['reference', referenceSolve],
  ['exact', exactSolve],
  ['cdcl', cdclSolve],
] as const;

describe('leaky ReLU and weight bounds: engines against the direct brute force', () => {
  it.each(ENGINES)('%s agrees with the direct brute force; its witnesses fit within the bound; its certificates are valid', (_name, solve) => {
    const seen = { feasible: 0, infeasible: 0, unknown: 0 };
    fc.assert(
      fc.property(leakyInstance(), (inst) => {
        const r = solve(inst, { deadline: Date.now() + DEADLINE_MS });
        seen[r.verdict]++;
        expect(r.verdict).toBe(directFeasible(inst) ? 'feasible' : 'infeasible');
        if (r.verdict === 'feasible') {
          expect(shapeErrors(inst, r.network)).toEqual([]);
          expect(lossOf(inst, r.network).withinBound).toBe(true);
        }
        checked(inst, r);
      }),
      { numRuns: 40 },
    );
    expect(seen.feasible).toBeGreaterThan(3);
    expect(seen.infeasible).toBeGreaterThan(3);
  });

  it('a leaky ReLU of slope 0 is a ReLU: the same verdict', () => {
    fc.assert(
      fc.property(leakyInstance(), (inst) => {
        const relu: Instance = { ...inst, architecture: { ...inst.architecture, activation: 'relu' } };
        delete relu.architecture.slope;
        const zero: Instance = { ...inst, architecture: { ...inst.architecture, activation: 'leaky-relu', slope: Q.ZERO } };
        expect(cdclSolve(zero).verdict).toBe(cdclSolve(relu).verdict);
      }),
      { numRuns: 25 },
    );
  });

  it('L7: with free output weights a weight bound excludes nothing; witnesses are scaled into it', () => {
    let bounded = 0;
    fc.assert(
      fc.property(leakyInstance({ modes: ['free'], bounded: true }), (inst) => {
        fc.pre(inst.architecture.boundOutputWeights !== true);
        const { weightBound: _b, ...unboundedArch } = inst.architecture;
        const r = cdclSolve(inst, { deadline: Date.now() + DEADLINE_MS });
        expect(r.verdict).toBe(cdclSolve({ ...inst, architecture: unboundedArch }).verdict);
        if (r.verdict === 'feasible') {
          const B = inst.architecture.weightBound!;
          const hidden = r.network.layers[0]!;
          expect([...hidden.weights.flat(), ...hidden.bias].every((v) => v.abs().le(B))).toBe(true);
          bounded++;
        }
        checked(inst, r);
      }),
      { numRuns: 25 },
    );
    expect(bounded).toBeGreaterThan(3);
  });
});

describe('boundOutputWeights: free output weights bounded by B too', () => {
  it('L8: ReLU / leaky ReLU with |a|, |w|, |b| <= B has the verdict of sign output weights with |w|, |b| <= B^2; witnesses within B', () => {
    const seen = { feasible: 0, infeasible: 0, unknown: 0 };
    fc.assert(
      fc.property(leakyInstance({ modes: ['free'], bounded: true }), (inst) => {
        const B = inst.architecture.weightBound!;
        const bounded: Instance = { ...inst, architecture: { ...inst.architecture, boundOutputWeights: true } };
        const r = cdclSolve(bounded, { deadline: Date.now() + DEADLINE_MS });
        seen[r.verdict]++;
        expect(r.verdict).toBe(directFeasible(signsEquivalent(bounded)) ? 'feasible' : 'infeasible');
        if (r.verdict === 'feasible') {
          const [hid, out] = r.network.layers;
          expect([...hid!.weights.flat(), ...hid!.bias, ...out!.weights[0]!].every((v) => v.abs().le(B))).toBe(true);
        }
        checked(bounded, r);
      }),
      { numRuns: 30 },
    );
    expect(seen.feasible).toBeGreaterThan(3);
    expect(seen.infeasible).toBeGreaterThan(3);
  });
});

describe('the MILP under a weight bound', () => {
  it('where milpIsExact holds, the MILP has a solution exactly when the instance is feasible', () => {
    let exactCases = 0;
    fc.assert(
      fc.property(leakyInstance({ modes: ['signs', 'positive', 'fixed', 'free'], bounded: true }), (inst) => {
        fc.pre(milpIsExact(inst, Q.of(100)));
        exactCases++;
        const values = solveMilpHere(inst, { bigM: Q.of(100) });
        expect(values !== undefined).toBe(directFeasible(signsEquivalent(inst)));
      }),
      { numRuns: 30 },
    );
    expect(exactCases).toBeGreaterThan(10);
  });

  it('milpIsExact is false without a bound, below the bound, with a strict loss or classification', () => {
    const base: Instance = {
      name: 'm',
      description: '',
      points: [[Q.of(-1)], [Q.ZERO], [Q.ONE]],
      labels: [Q.ONE, Q.ZERO, Q.ONE],
      architecture: { hidden: 2, activation: 'relu', outputWeights: { mode: 'signs' }, outputBias: false, weightBound: Q.of(1, 2) },
      loss: { type: 'exact' },
    };
    expect(milpIsExact(base, Q.of(100))).toBe(true);
    expect(milpIsExact(base, Q.of(1, 4))).toBe(false);
    expect(milpIsExact({ ...base, architecture: { ...base.architecture, weightBound: undefined } }, Q.of(100))).toBe(false);
    expect(milpIsExact({ ...base, architecture: { ...base.architecture, outputWeights: { mode: 'free' } } }, Q.of(100))).toBe(false);
    // free output weights bounded too: exact when M covers B^2 (the hidden bound of L8's sign cases)
    const bow = { ...base, architecture: { ...base.architecture, outputWeights: { mode: 'free' as const }, weightBound: Q.of(3), boundOutputWeights: true } };
    expect(milpIsExact(bow, Q.of(9))).toBe(true);
    expect(milpIsExact(bow, Q.of(8))).toBe(false);
    expect(milpIsExact({ ...base, loss: { type: 'l1', bound: Q.ONE, strict: true } }, Q.of(100))).toBe(false);
    expect(milpIsExact({ ...base, loss: { type: 'l1', bound: Q.ONE, strict: false } }, Q.of(100))).toBe(true);
    expect(milpIsExact({ ...base, labels: [Q.ONE, Q.MINUS_ONE, Q.ONE], loss: { type: 'classification' } }, Q.of(100))).toBe(false);
    // with an output bias, M must also cover the bound on c: |y_i| + A B (|x_i|_1 + 1) = 0 + 2 * 1/2 * 1 = 1 at x = 0
    const withBias = { ...base, architecture: { ...base.architecture, outputBias: true } };
    expect(milpIsExact(withBias, Q.ONE)).toBe(true);
    expect(milpIsExact(withBias, Q.of(3, 4))).toBe(false);
  });

  it('solve --engine milp: "no solution" on a bounded instance becomes a certified infeasible', async () => {
    const inst: Instance = {
      name: 'abs-bounded',
      description: '',
      points: [[Q.of(-1)], [Q.ZERO], [Q.ONE]],
      labels: [Q.ONE, Q.ZERO, Q.ONE],
      architecture: { hidden: 2, activation: 'leaky-relu', slope: Q.of(1, 10), outputWeights: { mode: 'signs' }, outputBias: false, weightBound: Q.ONE },
      loss: { type: 'exact' },
    };
    const r = await milpSolve(inst, { deadline: Date.now() + DEADLINE_MS });
    expect(r.verdict).toBe('infeasible');
    expect(checked(inst, r)).toContain('no network with 2 leaky-relu units of slope 1/10');
    // the same question below the bound's M is not a verdict
    const low = await milpSolve(inst, { deadline: Date.now() + DEADLINE_MS }, { bigM: Q.of(1, 2) });
    expect(low.verdict).toBe('unknown');
    if (low.verdict === 'unknown') expect(low.reason).toMatch(/^milp: no solution: no network with all weights in \[-1\/2, 1\/2\]/);
  });
});

describe.skipIf(!installed('z3'))('native z3 on the SMT-LIB export of leaky and bounded instances', () => {
  it('decides the direct encoding as relucert does', async () => {
    const dir = tempDir();
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(leakyInstance({ modes: ['signs', 'positive', 'fixed', 'free'], threshold: true }), async (inst) => {
        const file = join(dir, `i${runs++}.smt2`);
        writeFileSync(file, smtlibText(inst));
        // z3 runs as a child process the worker waits for without blocking (vitest's RPC needs the event loop)
        const out = await new Promise<string>((done) => execFile('z3', ['-T:20', file], { encoding: 'utf8', timeout: 30_000 }, (_e, stdout) => done(stdout)));
        const answer = out.split('\n')[0]!.trim();
        fc.pre(answer === 'sat' || answer === 'unsat'); // QF_NRA (free output weights) may be unknown
        const r = cdclSolve(inst, { deadline: Date.now() + DEADLINE_MS });
        expect(r.verdict).toBe(answer === 'sat' ? 'feasible' : 'infeasible');
      }),
      { numRuns: 30 },
    );
  });
});
