/**
 * The squared loss l2 against independent oracles (issue I, item 1):
 *  - brute force: every sign vector and activation pattern of one ReLU, and
 *    for each every set S of its sign rows taken as equations, the exact
 *    least squares on that affine set (normal equations by Gaussian
 *    elimination, written here); a candidate counts when some minimiser on
 *    the set satisfies all the pattern's rows (an exact LP). Its least value
 *    is the optimum: the active set of an optimal point is one of the S, and
 *    on its affine set that point is a minimiser. No QP solver, no search,
 *    no lemma (sign vectors unsorted, free weights as signs by homogeneity
 *    only through the engine).
 *  - native z3 (QF_NRA) on the direct SMT-LIB export: sat at the optimum,
 *    unsat just below it.
 * Every certificate minimize writes is re-checked by the independent checker.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCertificate } from '../../src/check/index.js';
import { Q } from '../../src/core/rational.js';
import type { Instance } from '../../src/core/types.js';
import { smtlibText } from '../../src/encode/smtlib.js';
import type { LinRow } from '../../src/encode/rows.js';
import { certificateJson, certificateText } from '../../src/engines/certificate.js';
import { decideRows } from '../../src/engines/lp/exact-lp.js';
import { minimizeSquares } from '../../src/engines/lp/exact-qp.js';
import { engines } from '../../src/engines/index.js';
import { minimizeLoss } from '../../src/engines/minimize.js';
import { readInstance, toInstance } from '../../src/format/schema.js';
import { baseRows, normalisationCases, outputExpr } from '../../src/encode/system.js';
import { Deadline, Timeout } from '../../src/engines/result.js';
import { installed } from '../encode/verdicts.js';
import { smallInstance } from '../arbitraries.js';
import { CASES } from '../paths.js';

/** Solves A x = rhs exactly (any solution, free unknowns 0), or undefined when inconsistent. */
function solveLinear(A: Q[][], rhs: Q[], cols: number): Q[] | undefined {
  const M = A.map((row, i) => [...row, rhs[i]!]);
  const pivots: number[] = [];
  let r = 0;
  for (let c = 0; c < cols && r < M.length; c++) {
    const p = M.findIndex((row, i) => i >= r && !row[c]!.isZero());
    if (p < 0) continue;
    [M[r], M[p]] = [M[p]!, M[r]!];
    const inv = M[r]![c]!.inv();
    M[r] = M[r]!.map((x) => x.mul(inv));
    for (let i = 0; i < M.length; i++)
      if (i !== r && !M[i]![c]!.isZero()) {
        const f = M[i]![c]!;
        M[i] = M[i]!.map((x, t) => x.sub(f.mul(M[r]![t]!)));
      }
    pivots.push(c);
    r++;
  }
  if (M.slice(r).some((row) => !row[cols]!.isZero())) return undefined;
  const x = new Array<Q>(cols).fill(Q.ZERO);
  pivots.forEach((c, i) => (x[c] = M[i]![cols]!));
  return x;
}

/** min ||F v - y||^2 subject to E v = 0: the normal equations [F'F E'; E 0] solved exactly. */
function leastSquaresOn(F: Q[][], y: Q[], E: Q[][], nv: number): Q[] | undefined {
  const m = E.length;
  const K: Q[][] = [];
  const rhs: Q[] = [];
  for (let a = 0; a < nv; a++) {
    K.push([...Array.from({ length: nv }, (_, b) => Q.sum(F.map((row) => row[a]!.mul(row[b]!)))), ...E.map((e) => e[a]!)]);
    rhs.push(Q.sum(F.map((row, i) => row[a]!.mul(y[i]!))));
  }
  for (const e of E) {
    K.push([...e, ...new Array<Q>(m).fill(Q.ZERO)]);
    rhs.push(Q.ZERO);
  }
  return solveLinear(K, rhs, nv + m)?.slice(0, nv);
}

const rowOf = (name: string, coefs: Q[], sense: '<=' | '=', rhs: Q): LinRow => ({
  name,
  coefs: new Map(coefs.flatMap((c, t) => (c.isZero() ? [] : [[`v${t}`, c] as [string, Q]]))),
  sense,
  rhs,
});

/** The least sum of squared errors of one ReLU unit by brute force (see the file comment). */
function bruteForceOneRelu(inst: Instance): Q {
  const { points: X, labels: y } = inst;
  const n = X.length;
  const d = X[0]!.length;
  const bias = inst.architecture.outputBias;
  const ow = inst.architecture.outputWeights.mode;
  const signs = ow === 'positive' ? [Q.ONE] : [Q.ONE, Q.MINUS_ONE];
  const nv = d + 1 + (bias ? 1 : 0); // w, b, c
  const h = (i: number): Q[] => [...X[i]!, Q.ONE, ...(bias ? [Q.ZERO] : [])];
  let best: Q | undefined;
  for (const a of signs)
    for (let mask = 0; mask < 1 << n; mask++) {
      const act = (i: number): boolean => ((mask >> i) & 1) === 1;
      // f_i = c + a [act] h_i; sign rows g_i v <= 0
      const F = X.map((_, i) => h(i).map((x, t) => (t === d + 1 ? Q.ONE : act(i) ? x.mul(a) : Q.ZERO)));
      const G = X.map((_, i) => h(i).map((x, t) => (t === d + 1 ? Q.ZERO : act(i) ? x.neg() : x)));
      for (let S = 0; S < 1 << n; S++) {
        const E = G.filter((_, i) => ((S >> i) & 1) === 1);
        const v = leastSquaresOn(F, y, E, nv);
        if (!v) continue;
        const fitted = F.map((row) => Q.sum(row.map((c, t) => c.mul(v[t]!))));
        const value = Q.sum(fitted.map((f, i) => f.sub(y[i]!).mul(f.sub(y[i]!))));
        if (best && value.ge(best)) continue;
        // some minimiser on the affine set is feasible: rows, S as equations, the same fitted values
        const rows = [
          ...G.map((g, i) => rowOf(`g${i}`, g, ((S >> i) & 1) === 1 ? '=' : '<=', Q.ZERO)),
          ...F.map((row, i) => rowOf(`f${i}`, row, '=', fitted[i]!)),
        ];
        if (decideRows(rows).status === 'feasible') best = value;
      }
    }
  return best!;
}

const small = fc.integer({ min: -2, max: 2 }).map((v) => String(v));
const tinyInstance = fc
  .record({
    n: fc.integer({ min: 2, max: 4 }),
    d: fc.integer({ min: 1, max: 2 }),
    outputBias: fc.boolean(),
    ow: fc.constantFrom('signs', 'free', 'positive'),
  })
  .chain((s) =>
    fc.record({
      points: fc.array(fc.array(small, { minLength: s.d, maxLength: s.d }), { minLength: s.n, maxLength: s.n }),
      labels: fc.array(small, { minLength: s.n, maxLength: s.n }),
      s: fc.constant(s),
    }),
  )
  .map(({ points, labels, s }) =>
    toInstance(
      {
        format: 'relucert-instance/1',
        name: 'tiny-l2',
        points,
        labels,
        architecture: { hidden: 1, activation: 'relu', outputWeights: s.ow, outputBias: s.outputBias },
        loss: { type: 'l2', bound: '0' },
      },
      'test',
    ),
  );

const solve = (i: Instance, o: object): ReturnType<(typeof engines)['cdcl']['solve']> => engines.cdcl!.solve(i, { ...o, deadline: Date.now() + 20_000 });

function checked(inst: Instance, body: Parameters<typeof certificateJson>[1]): string {
  const out = checkCertificate(certificateText(certificateJson(inst, body, {})), 'cert.json');
  return out.status === 'valid' ? 'valid' : out.status === 'rejected' ? out.message : out.message;
}

describe('exact QP (Lemke) against the normal equations', () => {
  it('agrees with unconstrained least squares, and its dual value equals its optimum', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(small, small, small), { minLength: 1, maxLength: 5 }), (data) => {
        const F = data.map(([x1, x2]) => [Q.of(BigInt(x1)), Q.of(BigInt(x2)), Q.ONE]);
        const y = data.map(([, , yy]) => Q.of(BigInt(yy)));
        const v = leastSquaresOn(F, y, [], 3)!;
        const want = Q.sum(F.map((row, i) => Q.sum(row.map((c, t) => c.mul(v[t]!))).sub(y[i]!)).map((r) => r.mul(r)));
        const r = minimizeSquares(
          [],
          F.map((row) => rowOf('', row, '=', Q.ZERO).coefs),
          y,
        );
        expect(r.status).toBe('optimal');
        if (r.status === 'optimal') expect(r.value.toString()).toBe(want.toString());
      }),
      { numRuns: 30 },
    );
  });
});

describe('least squared error of one ReLU: minimize --loss against brute force', () => {
  it('equals the brute-force optimum, with both certificates valid', async () => {
    await fc.assert(
      fc.asyncProperty(tinyInstance, async (inst) => {
        const want = bruteForceOneRelu(inst);
        const r = await minimizeLoss(inst, solve, { deadline: Date.now() + 30_000 });
        expect(r.status).toBe('optimal');
        if (r.status !== 'optimal') return;
        expect(r.value.toString()).toBe(want.toString());
        expect(checked(r.witness.instance, { verdict: 'feasible', network: r.witness.network })).toBe('valid');
        expect(checked(r.below!.instance, { verdict: 'infeasible', proof: r.below!.proof })).toBe('valid');
      }),
      { numRuns: 25 },
    );
  }, 120_000);

  it('every engine that proves decides the bound at the optimum (feasible) and just below it (infeasible)', async () => {
    const inst = toInstance(
      {
        format: 'relucert-instance/1',
        name: 'xor',
        points: [
          ['0', '0'],
          ['1', '0'],
          ['0', '1'],
          ['1', '1'],
        ],
        labels: ['0', '1', '1', '0'],
        architecture: { hidden: 1, activation: 'relu', outputWeights: 'signs', outputBias: true },
        loss: { type: 'l2', bound: '0' },
      },
      'test',
    );
    const best = bruteForceOneRelu(inst);
    for (const name of ['reference', 'exact', 'cdcl']) {
      const at = await engines[name]!.solve({ ...inst, loss: { type: 'l2', bound: best, strict: false } }, { deadline: Date.now() + 20_000 });
      const under = await engines[name]!.solve({ ...inst, loss: { type: 'l2', bound: best, strict: true } }, { deadline: Date.now() + 20_000 });
      expect([name, at.verdict, under.verdict]).toEqual([name, 'feasible', 'infeasible']);
    }
  }, 60_000);
});

describe('random small l2 instances (ReLU and threshold, k <= 2, every output-weight mode)', () => {
  const l2Instance = fc
    .tuple(smallInstance({ maxPoints: 4, maxHidden: 2 }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 4 }), fc.boolean())
    .map(([inst, p, q, strict]): Instance => ({ ...inst, loss: { type: 'l2', bound: Q.of(p, q), strict } }));
  it('the reference and exact searches agree, and every answer is a certificate the checker accepts', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(l2Instance, async (inst) => {
        const a = await engines.reference!.solve(inst, { deadline: Date.now() + 10_000 });
        const b = await engines.exact!.solve(inst, { deadline: Date.now() + 10_000 });
        if (a.verdict === 'unknown' || b.verdict === 'unknown') return;
        expect(a.verdict).toBe(b.verdict);
        seen.add(`${a.verdict} ${inst.architecture.activation}`);
        for (const r of [a, b])
          expect(checked(inst, r.verdict === 'feasible' ? { verdict: 'feasible', network: r.network } : { verdict: 'infeasible', proof: r.proof })).toBe(
            'valid',
          );
      }),
      { numRuns: 60, seed: 12 },
    );
    expect([...seen].sort()).toEqual(['feasible relu', 'feasible threshold', 'infeasible relu', 'infeasible threshold']);
  }, 120_000);
});

describe('time limits', () => {
  it('the l2 search answers unknown at its deadline on 100 points (the QP is ticked per pivot and per ratio test)', async () => {
    const n100 = readInstance(join(CASES, 'F-timeout-n100-d1-k2.json'));
    const inst: Instance = { ...n100, loss: { type: 'l2', bound: Q.ZERO, strict: false } };
    for (const name of ['reference', 'exact']) {
      const r = await engines[name]!.solve(inst, { deadline: Date.now() + 1000 });
      expect([name, r.verdict]).toEqual([name, 'unknown']);
    }
    // cdcl refutes bound 0 in about a second (its l2 conflicts need two points each); l2 <= 300 it does not decide in 20 s
    const hard: Instance = { ...n100, loss: { type: 'l2', bound: Q.of(300), strict: false } };
    const r = await engines.cdcl!.solve(hard, { deadline: Date.now() + 1000 });
    expect(['cdcl', r.verdict]).toEqual(['cdcl', 'unknown']);
    const rows = baseRows(inst, normalisationCases(inst)[0]!);
    const outputs = inst.points.map((_, i) => outputExpr(inst, normalisationCases(inst)[0]!, i));
    expect(() => minimizeSquares(rows, outputs, inst.labels, undefined, Deadline.at(Date.now() + 200))).toThrow(Timeout);
  }, 60_000);
});

const z3Missing = !installed('z3');
if (z3Missing) console.warn('tests/engines/l2.test.ts: skipping the z3 oracle: z3 not on PATH (run scripts/install-solvers.sh)');

describe('native z3 (QF_NRA) on the direct encoding', () => {
  const dir = mkdtempSync(join(tmpdir(), 'relucert-l2-z3-'));
  const cases: Array<[string, string[][], string[], { hidden: number; outputBias: boolean; outputWeights: string }]> = [
    ['abs', [['-1'], ['0'], ['1']], ['1', '0', '1'], { hidden: 1, outputBias: true, outputWeights: 'signs' }],
    [
      'xor',
      [
        ['0', '0'],
        ['1', '0'],
        ['0', '1'],
        ['1', '1'],
      ],
      ['0', '1', '1', '0'],
      { hidden: 1, outputBias: true, outputWeights: 'free' },
    ],
    ['steps', [['0'], ['1'], ['2'], ['3']], ['0', '2', '1', '3'], { hidden: 1, outputBias: true, outputWeights: 'signs' }],
    ['valley', [['-2'], ['-1'], ['0'], ['1'], ['2']], ['2', '1', '0', '1', '2'], { hidden: 1, outputBias: false, outputWeights: 'positive' }],
  ];
  for (const [name, points, labels, arch] of cases)
    it.skipIf(z3Missing)(
      `${name}: sat at relucert's least l2 loss, unsat below it (skipped without z3)`,
      async () => {
        const inst = toInstance(
          { format: 'relucert-instance/1', name, points, labels, architecture: { activation: 'relu', ...arch }, loss: { type: 'l2', bound: '0' } },
          'test',
        );
        const r = await minimizeLoss(inst, solve, { deadline: Date.now() + 30_000 });
        expect(r.status).toBe('optimal');
        if (r.status !== 'optimal') return;
        const z3 = (strict: boolean): string => {
          const file = join(dir, `${name}-${strict}.smt2`);
          writeFileSync(file, smtlibText({ ...inst, loss: { type: 'l2', bound: r.value, strict } }));
          expect(smtlibText(inst)).toContain('(set-logic QF_NRA)');
          const out = spawnSync('z3', ['-smt2', '-T:30', file], { encoding: 'utf8', timeout: 40_000 });
          return out.stdout.split('\n')[0]!;
        };
        expect([z3(false), z3(true)]).toEqual(['sat', 'unsat']);
      },
      60_000,
    );
});
