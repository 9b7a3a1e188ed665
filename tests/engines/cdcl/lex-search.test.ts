/**
 * The cdcl search with lex-leader propagation under the instance's
 * automorphisms (lemma L10, src/engines/cdcl/lex.ts wired into solver.ts):
 * on small symmetric instances (cubes and grids with labels that depend on
 * the coordinates symmetrically) it agrees with the reference search and
 * with itself without the propagation, and every certificate it writes,
 * lex leaves and stated maps included, is accepted by the checker. The
 * propagation starts at once here (lexAfter 0), not after the default
 * number of conflicts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCertificate } from '../../../src/check/index.js';
import { lossOf } from '../../../src/core/evaluate.js';
import { Q } from '../../../src/core/rational.js';
import type { Activation, Instance, Loss, OutputWeights } from '../../../src/core/types.js';
import { cdclSolve } from '../../../src/engines/cdcl/index.js';
import { certificateJson, certificateText } from '../../../src/engines/certificate.js';
import { referenceSolve } from '../../../src/engines/reference.js';
import { type SolveResult, hasLeafKind } from '../../../src/engines/result.js';
import { symmetryGroup } from '../../../src/engines/symmetry/group.js';

/** The certificate of a decided result, through the checker. */
function checked(inst: Instance, r: Exclude<SolveResult, { verdict: 'unknown' }>) {
  const body = r.verdict === 'feasible' ? { verdict: r.verdict, network: r.network } : { verdict: r.verdict, proof: r.proof };
  return checkCertificate(certificateText(certificateJson(inst, body, { test: true })), 'cert.json');
}

/**
 * A symmetric instance: the points of {lo, hi}^d (or the grid {0, 1, 2}^2),
 * labels a function of how many coordinates in S sit at the top value (S a
 * subset of the coordinates), so that permutations of S and reflections of
 * the coordinates outside S are automorphisms; with `negate` the labels of
 * points with an odd count outside S are negated (a reflection outside S
 * then negates the labels).
 */
const symmetricParams = fc.record({
  shape: fc.constantFrom('01', 'pm1', 'grid'),
  d: fc.integer({ min: 2, max: 3 }),
  inS: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
  table: fc.array(fc.constantFrom(1, -1), { minLength: 4, maxLength: 4 }),
  negate: fc.boolean(),
  k: fc.integer({ min: 1, max: 3 }),
  activation: fc.constantFrom<Activation>('threshold', 'relu', 'leaky-relu'),
  ow: fc.constantFrom('free', 'signs', 'positive', 'fixed'),
  outputBias: fc.boolean(),
  lossType: fc.constantFrom('classification', 'exact', 'linf'),
  bound: fc.constantFrom(Q.ZERO, Q.of(1, 2), Q.ONE),
  weightBound: fc.option(fc.constantFrom(Q.ONE, Q.of(3)), { nil: undefined }),
});
type SymmetricParams = typeof symmetricParams extends fc.Arbitrary<infer T> ? T : never;

function symmetricInstanceOf(s: SymmetricParams): Instance {
  const values = s.shape === 'grid' ? [0, 1, 2] : s.shape === '01' ? [0, 1] : [-1, 1];
  const d = s.shape === 'grid' ? 2 : s.d;
  const top = values[values.length - 1]!;
  const points: number[][] = [[]];
  for (let t = 0; t < d; t++) points.splice(0, points.length, ...points.flatMap((p) => values.map((v) => [...p, v])));
  const labels = points.map((p) => {
    const inside = p.filter((v, t) => s.inS[t] && v === top).length;
    const outside = p.filter((v, t) => !s.inS[t] && v === top).length;
    return s.table[inside]! * (s.negate && outside % 2 === 1 ? -1 : 1);
  });
  const outputWeights: OutputWeights =
    s.ow === 'fixed' ? { mode: 'fixed', values: Array.from({ length: s.k }, (_, j) => (j % 2 === 0 ? Q.ONE : Q.MINUS_ONE)) } : { mode: s.ow };
  const loss: Loss = s.lossType === 'linf' ? { type: 'linf', bound: s.bound, strict: false } : { type: s.lossType };
  return {
    name: 'symmetric',
    description: '',
    points: points.map((p) => p.map((v) => Q.of(v))),
    labels: labels.map((y) => Q.of(y)),
    architecture: {
      hidden: s.k,
      activation: s.activation,
      outputWeights,
      outputBias: s.outputBias,
      ...(s.activation === 'leaky-relu' ? { slope: Q.of(1, 4) } : {}),
      ...(s.weightBound ? { weightBound: s.weightBound } : {}),
    },
    loss,
  };
}

const symmetricInstance: fc.Arbitrary<Instance> = symmetricParams
  .map(symmetricInstanceOf)
  // at most 16 literals keep a run (three searches) short
  .filter((i) => i.architecture.hidden * i.points.length <= 16);

/**
 * Instances of the family whose refutations cut with lex leaves (found by sampling the family,
 * seed 7): run first by the property below, so that its count of proofs with lex leaves does not
 * hang on the luck of the draw (fast-check favours the first constants, and at 80 random runs the
 * count fell to 2 once).
 */
const LEX_EXAMPLES: SymmetricParams[] = [
  {
    shape: '01',
    d: 3,
    inS: [false, false, true],
    table: [-1, -1, -1, 1],
    negate: true,
    k: 1,
    activation: 'relu',
    ow: 'free',
    outputBias: true,
    lossType: 'exact',
    bound: Q.of(1, 2),
    weightBound: Q.of(3),
  },
  {
    shape: 'pm1',
    d: 2,
    inS: [true, true, false],
    table: [1, -1, -1, -1],
    negate: true,
    k: 1,
    activation: 'leaky-relu',
    ow: 'signs',
    outputBias: true,
    lossType: 'exact',
    bound: Q.ONE,
    weightBound: Q.ONE,
  },
  {
    shape: '01',
    d: 2,
    inS: [true, false, true],
    table: [-1, 1, -1, -1],
    negate: true,
    k: 2,
    activation: 'threshold',
    ow: 'free',
    outputBias: false,
    lossType: 'classification',
    bound: Q.of(1, 2),
    weightBound: undefined,
  },
  {
    shape: 'pm1',
    d: 2,
    inS: [false, false, false],
    table: [-1, -1, 1, -1],
    negate: true,
    k: 2,
    activation: 'threshold',
    ow: 'fixed',
    outputBias: true,
    lossType: 'linf',
    bound: Q.ZERO,
    weightBound: Q.ONE,
  },
];

describe('cdcl with lex-leader propagation', () => {
  it('agrees with the reference search and with itself without the propagation on symmetric instances; every certificate checks', async () => {
    const seen = { feasible: 0, infeasible: 0, unknown: 0 };
    let withLex = 0;
    let symmetric = 0;
    await fc.assert(
      fc.asyncProperty(symmetricInstance, async (inst) => {
        await new Promise((resolve) => setImmediate(resolve)); // let the test runner hear from us between runs
        if (symmetryGroup(inst).elements.length > 1) symmetric++;
        // 10 s each: a few instances are hard for every engine (8 points of the 3-cube, 2 leaky-ReLUs, a weight
        // bound and classification take cdcl about 20 s and z3 about 30 s), and a search past its limit says unknown
        const r = cdclSolve(inst, { deadline: Date.now() + 10_000 }, { lexAfter: 0 });
        const plain = cdclSolve(inst, { deadline: Date.now() + 10_000 }, { lexLeader: false });
        const ref = referenceSolve(inst, { deadline: Date.now() + 3_000 }); // exponential: 3 s, so the test's time stays bounded
        seen[r.verdict]++;
        if (r.verdict === 'unknown') return;
        if (ref.verdict !== 'unknown') expect(r.verdict).toBe(ref.verdict);
        if (plain.verdict !== 'unknown') expect(r.verdict).toBe(plain.verdict);
        if (r.verdict === 'feasible') expect(lossOf(inst, r.network).withinBound).toBe(true);
        if (r.verdict === 'infeasible' && r.proof.cases.some((c) => [c.tree, ...(c.lemmas ?? []).map((l) => l.tree)].some((t) => hasLeafKind(t, 'lex'))))
          withLex++;
        const outcome = checked(inst, r);
        expect(outcome.status, JSON.stringify(outcome)).toBe('valid');
      }),
      // 80 runs: fast-check biases its constants towards the first ones, so the counts below vary more from run
      // to run than independent draws would; at 40 runs 'infeasible > 5' failed once in seven runs
      { numRuns: 80, examples: LEX_EXAMPLES.map((p) => [symmetricInstanceOf(p)]) },
    );
    expect(seen.feasible).toBeGreaterThan(5);
    expect(seen.infeasible).toBeGreaterThan(5);
    expect(symmetric).toBeGreaterThan(40);
    // the property must reach proofs that cut with lex leaves
    expect(withLex).toBeGreaterThan(2);
  }, 300_000);

  it('refutes parity on the 3-cube with 2 threshold units with lex leaves, its maps stated and checked', () => {
    const points = Array.from({ length: 8 }, (_, m) => [0, 1, 2].map((t) => Q.of((m >> t) & 1)));
    const inst: Instance = {
      name: 'parity3',
      description: '',
      points,
      labels: points.map((p) => (p.filter((x) => !x.isZero()).length % 2 === 1 ? Q.ONE : Q.MINUS_ONE)),
      architecture: { hidden: 2, activation: 'threshold', outputWeights: { mode: 'free' }, outputBias: true },
      loss: { type: 'classification' },
    };
    const r = cdclSolve(inst, { deadline: Date.now() + 60_000 }, { lexAfter: 0 });
    expect(r.verdict).toBe('infeasible');
    if (r.verdict !== 'infeasible') return;
    expect(r.proof.lemmas).toContain('L10');
    expect((r.proof.maps ?? []).length).toBeGreaterThan(0);
    expect(checked(inst, r).status).toBe('valid');
    // a stated map changed to another permutation of the points is rejected
    const cert = JSON.parse(certificateText(certificateJson(inst, { verdict: 'infeasible', proof: r.proof }, { test: true })));
    const map = cert.proof.maps[0];
    map.points = [...map.points.slice(1), map.points[0]];
    expect(checkCertificate(JSON.stringify(cert), 'bad.json').status).toBe('rejected');
  });
});
