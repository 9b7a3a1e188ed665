// A complete reduction: linear separability -> one threshold unit.
// Run it with:  npx tsx examples/reductions/linear-separability.ts
import * as fc from 'fast-check';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { Q } from '../../src/core/rational.js';
import type { Instance, Network } from '../../src/core/types.js';
import { InputError } from '../../src/format/errors.js';
import { parseWith, rational } from '../../src/format/schema.js';
import { separate } from '../../src/reduce/fm.js';
import { fuzzReduction } from '../../src/reduce/fuzz.js';
import { type Reduction, type Variant, qs, twoLayerNetwork } from '../../src/reduce/reduction.js';

// 1. The source: finite P and Q in Q^d. Is there an open half-space
//    {x : w . x + b > 0} holding all of P and none of Q?
export interface Separability {
  P: Q[][];
  Q: Q[][];
}
export interface HalfSpace {
  w: Q[];
  b: Q;
}

// 2. Its JSON format, validated with zod; bad input is an InputError.
const schema = z.strictObject({
  format: z.literal('linear-separability/1'),
  P: z.array(z.array(rational).min(1)).min(1),
  Q: z.array(z.array(rational).min(1)),
});
function parseSource(data: unknown, file: string): Separability {
  const raw = parseWith(schema, data, file);
  const d = raw.P[0]!.length;
  [...raw.P, ...raw.Q].forEach((x, i) => {
    if (x.length !== d) throw new InputError(file, `point ${i}`, `has ${x.length} coordinates, expected ${d}`);
  });
  return { P: raw.P, Q: raw.Q };
}

// 3. Checking a solution, and a brute-force decider (here one exact LP).
const value = (h: HalfSpace, x: Q[]): Q => Q.sum(h.w.map((c, t) => c.mul(x[t]!))).add(h.b);
function checkSolution(s: Separability, h: HalfSpace): string | undefined {
  if (s.P.some((p) => value(h, p).sign() <= 0)) return 'a point of P is outside';
  if (s.Q.some((q) => value(h, q).sign() > 0)) return 'a point of Q is inside';
  return undefined;
}
function decide(s: Separability): ReturnType<Reduction<Separability, HalfSpace>['decide']> {
  const h = separate(s.P, s.Q, s.P[0]!.length);
  return h ? { answer: 'yes', solution: h, searched: 'one LP' } : { answer: 'no', searched: 'one LP' };
}

// 4. The map to a relucert instance: P labelled +1, Q labelled -1, one
//    threshold unit s, f = 1 * s + c. For c in (-1, 0) the network says
//    "+" exactly where the unit fires; other c make f constant, which fits
//    only when P or Q is empty, and then the source is trivially yes.
function toInstance(s: Separability, flipQ = false): Instance {
  return {
    name: 'linear-separability',
    description: 'linear separability as one threshold unit',
    points: [...s.P, ...s.Q],
    labels: [...s.P.map(() => Q.ONE), ...s.Q.map(() => (flipQ ? Q.ONE : Q.MINUS_ONE))],
    architecture: { hidden: 1, activation: 'threshold', outputWeights: { mode: 'fixed', values: [Q.ONE] }, outputBias: true },
    loss: { type: 'classification' },
  };
}

// 5. The two solution maps of the proof.
const maps = {
  witness: (_s: Separability, h: HalfSpace) => twoLayerNetwork('threshold', [h.w], [h.b], [Q.ONE], Q.of(-1, 2)),
  solutionFromWitness: (s: Separability, net: Network): HalfSpace => {
    const d = s.P[0]!.length;
    const c = net.layers[1]!.bias[0]!;
    if (c.sign() > 0) return { w: qs(Array(d).fill(0)), b: Q.ONE }; // f > 0 everywhere: Q is empty
    if (c.add(Q.ONE).sign() < 0) return { w: qs(Array(d).fill(0)), b: Q.ZERO }; // f < 0 everywhere: P is empty
    return { w: net.layers[0]!.weights[0]!, b: net.layers[0]!.bias[0]! };
  },
};
const correct: Variant<Separability, HalfSpace> = { name: 'correct', kind: 'correct', description: 'P +, Q -', toInstance: (s) => toInstance(s), ...maps };
const flipped: Variant<Separability, HalfSpace> = { name: 'q-positive', kind: 'mutant', description: 'Q labelled + too', toInstance: (s) => toInstance(s, true), ...maps };

// 6. Small random sources for the fuzzer: d = 1 or 2, coordinates in -2..2.
function arbitrary(): fc.Arbitrary<Separability> {
  return fc.integer({ min: 1, max: 2 }).chain((d) => {
    const pt = fc.array(fc.integer({ min: -2, max: 2 }), { minLength: d, maxLength: d }).map(qs);
    return fc.record({ P: fc.array(pt, { minLength: 1, maxLength: 3 }), Q: fc.array(pt, { maxLength: 3 }) });
  });
}

export const linearSeparability: Reduction<Separability, HalfSpace> = {
  name: 'linear-separability',
  sourceFormat: 'linear-separability/1',
  summary: 'linear separability -> 1 threshold unit, classification',
  reference: 'folklore (the perceptron question)',
  parseSource,
  sourceToJson: (s) => ({ format: 'linear-separability/1', P: s.P.map((x) => x.map(String)), Q: s.Q.map((x) => x.map(String)) }),
  arbitrary,
  decide,
  checkSolution,
  solutionToJson: (h) => ({ w: h.w.map(String), b: h.b.toString() }),
  variants: [correct, flipped],
};

// 7. Fuzz both variants: the correct one must agree on every run, the
//    mutant must be caught with a shrunk counterexample.
export async function fuzzBoth(): Promise<string[]> {
  const lines: string[] = [];
  for (const variant of ['correct', 'q-positive']) {
    const r = await fuzzReduction(linearSeparability, { runs: 200, seed: 7, variant, timeoutMs: 5000 });
    const c = r.counterexample;
    lines.push(
      c
        ? `${variant}: counterexample ${JSON.stringify(c.source)} (${c.report.failed})`
        : `${variant}: ${r.agreed} of ${r.runs} runs agree (${r.sourceYes} yes, ${r.sourceNo} no), ${r.unknown} unknown`,
    );
  }
  return lines;
}
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) console.log((await fuzzBoth()).join('\n'));
