// A reduction plugin, written from scratch in docs/reductions.md (section 5):
// k-line (polyhedral) separability in the plane -> k threshold units whose
// outputs are simply added up.
//
//   relucert fuzz examples/reductions/polygon-separability.mjs --runs 200 --seed 1
//   relucert fuzz examples/reductions/polygon-separability.mjs --exhaustive --max-size 6
//   relucert reduce examples/reductions/polygon-separability.mjs examples/reductions/polygon.json
import { InputError, Q, combinations, defineReduction, gridPoints, parseRational, separate, twoLayerNetwork } from 'relucert';

// 1. The source problem. Points P and Q in the plane and a number k of lines:
//    are there k open half-planes H_1..H_k with P inside all of them and each
//    point of Q outside at least one? (P inside a convex region cut out by k
//    lines, Q outside it: Megiddo's polyhedral separability, in the plane.)
//    In memory a source is { k, P, Q } with exact rationals Q (from relucert).

// 2. Its file format: {"format": "polygon-separability/1", "k": 2, "P": [[0, 0]], "Q": [[1, "1/2"]]}.
function parseSource(data, file) {
  const { format, k, P, Q: N, ...rest } = data;
  for (const field of Object.keys(rest)) throw new InputError(file, field, 'unknown field');
  if (!Number.isInteger(k) || k < 1 || k > 8) throw new InputError(file, 'k', `expected an integer 1..8, got ${JSON.stringify(k)}`);
  const points = (list, name, min) => {
    if (!Array.isArray(list) || list.length < min) throw new InputError(file, name, `expected an array of at least ${min} points`);
    return list.map((x, i) => {
      if (!Array.isArray(x) || x.length !== 2) throw new InputError(file, `${name}[${i}]`, 'expected a point [x, y]');
      return x.map((v, t) => {
        const r = parseRational(v);
        if (r === undefined) throw new InputError(file, `${name}[${i}][${t}]`, `not an exact rational: ${JSON.stringify(v)}`);
        return r;
      });
    });
  };
  return { k, P: points(P, 'P', 1), Q: points(N, 'Q', 0) };
}
const sourceToJson = (s) => ({ k: s.k, P: s.P.map((x) => x.map(String)), Q: s.Q.map((x) => x.map(String)) });

// 3. A solution is k half-planes {x : w . x + b > 0}, each { w: [w1, w2], b }.
const value = (h, x) => h.w[0].mul(x[0]).add(h.w[1].mul(x[1])).add(h.b);
function checkSolution(s, halfPlanes) {
  if (halfPlanes.length !== s.k) return `expected ${s.k} half-planes, got ${halfPlanes.length}`;
  for (const [i, p] of s.P.entries()) if (halfPlanes.some((h) => value(h, p).sign() <= 0)) return `P[${i}] is not inside every half-plane`;
  for (const [i, q] of s.Q.entries()) if (halfPlanes.every((h) => value(h, q).sign() > 0)) return `Q[${i}] is inside every half-plane`;
  return undefined;
}

// 4. The brute-force decider: share Q among at most k groups, each of which
//    one half-plane must cut off from P (an exact LP, `separate`). A point goes
//    into a group already open, or opens the next one.
function decide(s) {
  const groups = [];
  const memo = new Map();
  const cut = (group) => {
    const key = group.join(',');
    if (!memo.has(key))
      memo.set(
        key,
        separate(
          s.P,
          group.map((i) => s.Q[i]),
          2,
        ),
      );
    return memo.get(key);
  };
  const place = (i) => {
    if (i === s.Q.length) return true;
    for (const g of groups) {
      g.push(i);
      if (cut(g) && place(i + 1)) return true;
      g.pop();
    }
    if (groups.length === s.k) return false;
    groups.push([i]);
    if (cut([i]) && place(i + 1)) return true;
    groups.pop();
    return false;
  };
  const searched = `the ways to share Q among at most ${s.k} half-planes, one exact LP per group`;
  if (!place(0)) return { answer: 'no', searched };
  const whole = { w: [Q.ZERO, Q.ZERO], b: Q.ONE }; // the whole plane, for unused lines
  const halfPlanes = groups.map(cut);
  while (halfPlanes.length < s.k) halfPlanes.push(whole);
  return { answer: 'yes', solution: halfPlanes, searched };
}

// 5. The reduction. With output weights fixed to 1 and no output bias, the
//    network computes f(x) = the number of units that fire at x, an integer
//    in 0..k. Label P with (3k-1)/2, Q with (k-1)/2, and ask for l-infinity
//    error at most (k-1)/2: a point of P then needs f = k (every unit fires),
//    a point of Q needs f <= k - 1 (some unit does not). A unit fires on the
//    open half-plane w . x + b > 0. So a network fits exactly when the source
//    is a yes, and the maps below read one from the other.
function instance(s, { hidden = s.k, bound = s.k - 1, outputBias = false } = {}) {
  return {
    format: 'relucert-instance/1',
    name: `polygon-separability-k${s.k}`,
    points: [...s.P, ...s.Q].map((x) => x.map(String)),
    labels: [...s.P.map(() => `${3 * s.k - 1}/2`), ...s.Q.map(() => `${s.k - 1}/2`)],
    architecture: { hidden, activation: 'threshold', outputWeights: Array(hidden).fill('1'), outputBias },
    loss: { type: 'linf', bound: `${bound}/2` },
  };
}
const witness = (s, halfPlanes) =>
  twoLayerNetwork(
    'threshold',
    halfPlanes.map((h) => h.w),
    halfPlanes.map((h) => h.b),
    halfPlanes.map(() => Q.ONE),
    Q.ZERO,
  );
const solutionFromWitness = (s, net) => net.layers[0].weights.map((w, j) => ({ w, b: net.layers[0].bias[j] }));

// 6. Small random sources: k = 1..3, integer coordinates in -2..2. Plain
//    random ones are mostly 'yes', so two more kinds are mixed in: a planted
//    'no' (a point of Q halfway between two points of P, inside every convex
//    region that holds P) and a tight 'yes' (k planted half-planes, P = the
//    points inside all of them, Q = the rest, often right on a line).
function arbitrary(fc) {
  const int = fc.integer({ min: -2, max: 2 });
  const point = fc.tuple(int, int).map(([x, y]) => [Q.of(x), Q.of(y)]);
  const k = fc.integer({ min: 1, max: 3 });
  const random = fc.record({ k, P: fc.array(point, { minLength: 1, maxLength: 3 }), Q: fc.array(point, { maxLength: 4 }) });
  const step = fc.tuple(fc.integer({ min: -1, max: 1 }), fc.integer({ min: -1, max: 1 })).filter(([a, b]) => a !== 0 || b !== 0);
  const plantedNo = fc
    .record({ k, p: point, v: step, moreP: fc.array(point, { maxLength: 1 }), moreQ: fc.array(point, { maxLength: 2 }) })
    .map(({ k, p, v, moreP, moreQ }) => ({
      k,
      P: [p, [p[0].add(Q.of(2 * v[0])), p[1].add(Q.of(2 * v[1]))], ...moreP],
      Q: [[p[0].add(Q.of(v[0])), p[1].add(Q.of(v[1]))], ...moreQ],
    }));
  const line = fc.record({ w: fc.tuple(int, int).map(([a, b]) => [Q.of(a), Q.of(b)]), b: int.map((b) => Q.of(b)) });
  const tight = fc
    .record({ k, lines: fc.array(line, { minLength: 3, maxLength: 3 }), points: fc.array(point, { minLength: 2, maxLength: 6 }) })
    .map(({ k, lines, points }) => {
      const inside = (x) => lines.slice(0, k).every((h) => value(h, x).sign() > 0);
      return { k, P: points.filter(inside).slice(0, 3), Q: points.filter((x) => !inside(x)).slice(0, 4) };
    })
    .filter((s) => s.P.length > 0);
  return fc.oneof({ arbitrary: random, weight: 2 }, { arbitrary: plantedNo, weight: 1 }, { arbitrary: tight, weight: 1 });
}

// 7. Every source of one size, for --exhaustive: size = k + |P| + |Q| + c,
//    with P and Q sets of points of the grid {0..c}^2 (a translate of any
//    integer source of that spread), and k up to 3. Sources that a symmetry of
//    the square maps onto each other are the same question: `key` names each
//    class, and the fuzzer checks one source of each.
function* enumerate(size) {
  for (let k = 1; k <= 3; k++)
    for (let c = 0; k + 1 + c <= size; c++) {
      const grid = [...gridPoints(2, 0, c)];
      for (let np = 1; k + c + np <= size; np++)
        for (const P of combinations(grid, np))
          for (const N of combinations(grid, size - k - c - np)) {
            const all = [...P, ...N];
            if (!all.some((x) => x[0] === 0) || !all.some((x) => x[1] === 0) || !all.some((x) => x[0] === c || x[1] === c)) continue;
            yield { k, P: P.map((x) => x.map((v) => Q.of(v))), Q: N.map((x) => x.map((v) => Q.of(v))) };
          }
    }
}
function key(s) {
  const all = [...s.P, ...s.Q];
  const lo = [0, 1].map((t) => all.reduce((m, x) => Q.min(m, x[t]), all[0][t]));
  const hi = [0, 1].map((t) => all.reduce((m, x) => Q.max(m, x[t]), all[0][t]));
  const images = [];
  for (const swap of [false, true])
    for (const flip of [0, 1, 2, 3]) {
      const image = (x) => {
        const y = [0, 1].map((t) => ((flip >> t) & 1 ? hi[t].sub(x[t]) : x[t].sub(lo[t])).toString());
        return (swap ? [y[1], y[0]] : y).join(',');
      };
      const set = (xs) => [...new Set(xs.map(image))].sort().join(' ');
      images.push(`${s.k}: ${set(s.P)} | ${set(s.Q)}`);
    }
  return images.sort()[0];
}

// 8. The reduction itself, its mutants, and the export relucert loads.
export default defineReduction({
  name: 'polygon-separability',
  sourceFormat: 'polygon-separability/1',
  summary: 'k-line (polyhedral) separability in the plane -> k threshold units summed, l-infinity loss',
  reference: 'N. Megiddo, On the complexity of polyhedral separability, Discrete & Computational Geometry 3:325-337, 1988 (the source problem)',
  description: 'P labelled (3k-1)/2, Q labelled (k-1)/2; k threshold units, output weights all 1, no output bias, l-infinity error <= (k-1)/2',
  parseSource,
  sourceToJson,
  solutionToJson: (halfPlanes) => halfPlanes.map((h) => ({ w: h.w.map(String), b: String(h.b) })),
  arbitrary,
  decide,
  checkSolution,
  toInstance: (s) => instance(s),
  witness,
  solutionFromWitness,
  exhaustive: { size: 'k + |P| + |Q| + c, points on the grid {0..c}^2, k <= 3', enumerate, key },
  mutants: [
    {
      name: 'output-bias',
      description: 'an output bias is allowed: the network may then ask for k - 1 of k lines',
      toInstance: (s) => instance(s, { outputBias: true }),
    },
    {
      name: 'loose-bound',
      description: 'l-infinity bound (k+1)/2 instead of (k-1)/2: Q is no longer constrained',
      toInstance: (s) => instance(s, { bound: s.k + 1 }),
    },
    { name: 'fewer-lines', description: 'k - 1 threshold units instead of k (k >= 2)', toInstance: (s) => instance(s, { hidden: Math.max(1, s.k - 1) }) },
  ],
});
