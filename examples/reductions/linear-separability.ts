// A reduction plugin in TypeScript: linear separability -> one threshold unit.
//   relucert fuzz examples/reductions/linear-separability.ts --runs 200 --seed 7
// (relucert loads .ts plugins through tsx; the types come from 'relucert'.)
import { type Instance, type Network, Q, type SourceAnswer, combinations, defineReduction, qs, separate, twoLayerNetwork } from 'relucert';

/** Finite P and Q in Q^d: is there an open half-space {x : w . x + b > 0} holding all of P and none of Q? */
interface Separability {
  P: Q[][];
  Q: Q[][];
}
interface HalfSpace {
  w: Q[];
  b: Q;
}

const value = (h: HalfSpace, x: Q[]): Q => Q.sum(h.w.map((c, t) => c.mul(x[t]!))).add(h.b);

function decide(s: Separability): SourceAnswer<HalfSpace> {
  const h = separate(s.P, s.Q, s.P[0]!.length);
  return h ? { answer: 'yes', solution: h, searched: 'one exact LP' } : { answer: 'no', searched: 'one exact LP' };
}

/** P labelled +1, Q labelled -1, one threshold unit s, f = s + c: for c in (-1, 0), "+" exactly where the unit fires. */
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

/** Every source of size |P| + |Q| + c on the line: P (nonempty) and Q sets of points 0..c, touching 0 and c. */
function* enumerate(size: number): Generator<Separability> {
  for (let c = 0; c < size; c++) {
    const line = [...Array(c + 1).keys()].map((x) => [x]);
    for (let np = 1; np + c <= size; np++)
      for (const P of combinations(line, np))
        for (const N of combinations(line, size - c - np)) {
          const all = [...P, ...N].flat();
          if (all.includes(0) && all.includes(c)) yield { P: P.map(qs), Q: N.map(qs) };
        }
  }
}

const parsePoints = (v: unknown): Q[][] => (v as string[][]).map((x) => x.map((c) => Q.of(BigInt(c.split('/')[0]!), BigInt(c.split('/')[1] ?? '1'))));

export default defineReduction<Separability, HalfSpace>({
  name: 'linear-separability',
  sourceFormat: 'linear-separability/1',
  summary: 'linear separability -> 1 threshold unit, classification',
  reference: 'folklore (the perceptron question)',
  // sources hold rationals, so they are written as strings and read back
  sourceToJson: (s) => ({ P: s.P.map((x) => x.map(String)), Q: s.Q.map((x) => x.map(String)) }),
  parseSource: (data) => ({ P: parsePoints((data as Separability).P), Q: parsePoints((data as Separability).Q) }),
  arbitrary: (fc) =>
    fc.integer({ min: 1, max: 2 }).chain((d) => {
      const pt = fc.array(fc.integer({ min: -2, max: 2 }), { minLength: d, maxLength: d }).map(qs);
      return fc.record({ P: fc.array(pt, { minLength: 1, maxLength: 3 }), Q: fc.array(pt, { maxLength: 3 }) });
    }),
  decide,
  exhaustive: { size: '|P| + |Q| + c, points 0..c on the line', enumerate },
  checkSolution: (s, h) =>
    s.P.some((p) => value(h, p).sign() <= 0) ? 'a point of P is outside' : s.Q.some((q) => value(h, q).sign() > 0) ? 'a point of Q is inside' : undefined,
  toInstance: (s) => toInstance(s),
  witness: (_s, h) => twoLayerNetwork('threshold', [h.w], [h.b], [Q.ONE], Q.of(-1, 2)),
  solutionFromWitness: (s: Separability, net: Network): HalfSpace => {
    const d = s.P[0]!.length;
    const c = net.layers[1]!.bias[0]!;
    if (c.sign() > 0) return { w: qs(Array<number>(d).fill(0)), b: Q.ONE }; // f > 0 everywhere: Q is empty
    if (c.add(Q.ONE).sign() < 0) return { w: qs(Array<number>(d).fill(0)), b: Q.ZERO }; // f < 0 everywhere: P is empty
    return { w: net.layers[0]!.weights[0]!, b: net.layers[0]!.bias[0]! };
  },
  mutants: [{ name: 'q-positive', description: 'Q labelled + too', toInstance: (s) => toInstance(s, true) }],
});
