/**
 * Badly scaled data (docs/engines.md, "Badly scaled data"): an exact affine
 * change of the inputs, x'_t = (x_t - center_t) / scale_t, applied before
 * the search to the coordinates the float guide cannot use
 * (src/core/float-range.ts, badlyScaledCoordinate), and the result mapped
 * back.
 *
 * Why the answer carries over exactly. With w'_t = scale_t w_t and
 * b' = b + sum_t w_t center_t, every pre-activation is the same number,
 * h'_ij = w' . x'_i + b' = w . x_i + b = h_ij, and the outputs, the
 * activation patterns and the loss are those of the network read back,
 * w_t = w'_t / scale_t, b = b' - sum_t w_t center_t. Without weight-bound
 * rows (the only rows on w and b other than through h) every constraint row
 * of docs/certificates.md 4.3 of the original instance is the mapped one
 * composed with this invertible linear change of (w, b): a combination of
 * rows is 0 in every variable in one instance exactly when it is in the
 * other, and the right-hand sides are equal. So a proof for the mapped
 * instance is, word for word, a proof for the original one (the checker
 * verifies it there), and only the maps of image leaves are rewritten into
 * the original coordinates. Instances whose cases carry bound rows on the
 * hidden weights are left as they are.
 */
import type { AffineMap, Automorphism } from '../core/automorphism.js';
import { badlyScaledCoordinate } from '../core/float-range.js';
import { Q, gcd, parseRational } from '../core/rational.js';
import type { Instance, Network } from '../core/types.js';
import { hiddenBoundOfRows } from '../encode/system.js';
import type { Proof, SolveResult } from './result.js';
import { acceptWitness, scaledIntoBound } from './witness.js';

/** x'_t = (x_t - center[t]) / scale[t], scale[t] > 0. */
export interface InputScaling {
  center: Q[];
  scale: Q[];
}

/** Mapped coordinates of at most this many bits stay small integers: the common factor of the differences is the scale. */
const INTEGER_BITS = 32n;

/**
 * The change of inputs for this instance, or undefined when no coordinate is
 * badly scaled or the cases carry bound rows on the hidden weights. A badly
 * scaled coordinate is centred at its middle value (the median of the data,
 * an exact number) and divided by the largest rational dividing every
 * difference from it, which makes its values integers, when these stay
 * below 2^32; otherwise by the power of two at or below its largest
 * difference. Other coordinates are left alone (center 0, scale 1).
 */
export function inputScaling(inst: Instance): InputScaling | undefined {
  if (hiddenBoundOfRows(inst) !== undefined) return undefined;
  const d = inst.points[0]?.length ?? 0;
  const bad = Array.from({ length: d }, (_, t) => badlyScaledCoordinate(inst, t));
  if (!bad.includes(true)) return undefined;
  const center: Q[] = [];
  const scale: Q[] = [];
  for (let t = 0; t < d; t++) {
    if (!bad[t]) {
      center.push(Q.ZERO);
      scale.push(Q.ONE);
      continue;
    }
    const values = inst.points.map((x) => x[t]!).sort((a, b) => a.cmp(b));
    const m = values[values.length >> 1]!;
    center.push(m);
    scale.push(coordinateScale(values.map((v) => v.sub(m).abs())));
  }
  return { center, scale };
}

/** The scale for differences `deltas` (>= 0): their rational gcd if the quotients stay small, else a power of two near the largest. */
function coordinateScale(deltas: Q[]): Q {
  const nonzero = deltas.filter((x) => !x.isZero());
  if (nonzero.length === 0) return Q.ONE;
  let num = 0n;
  let den = 1n;
  for (const x of nonzero) {
    num = gcd(num, x.num);
    den = (den / gcd(den, x.den)) * x.den;
  }
  const common = Q.of(num, den);
  const largest = nonzero.reduce((m, x) => Q.max(m, x));
  if (largest.div(common).lt(Q.of(1n << INTEGER_BITS))) return common;
  // 2^e <= largest < 2^(e+1)
  let e = BigInt(largest.num.toString(2).length - largest.den.toString(2).length);
  const pow = (k: bigint): Q => (k >= 0n ? Q.of(1n << k) : Q.of(1n, 1n << -k));
  while (pow(e).gt(largest)) e--;
  while (pow(e + 1n).le(largest)) e++;
  return pow(e);
}

/** x' for x. */
function mapPoint(sc: InputScaling, x: readonly Q[]): Q[] {
  return x.map((v, t) => v.sub(sc.center[t]!).div(sc.scale[t]!));
}

/**
 * An automorphism T(x) = A x + s between coordinate systems: into the
 * mapped one (A' = D^-1 A D, s' = D^-1 (A m + s - m), D = diag(scale),
 * m = center) or back out of it (A = D A' D^-1, s = D s' + m - A m). Its
 * permutation and label sign are the same.
 */
function conjugate(sc: InputScaling, map: AffineMap, into: boolean): AffineMap {
  const D = sc.scale;
  const m = sc.center;
  const linear = map.linear.map((row, r) => row.map((a, t) => (into ? a.mul(D[t]!).div(D[r]!) : a.mul(D[r]!).div(D[t]!))));
  const shift = map.shift.map((s, r) => {
    const am = into ? map.linear[r]!.reduce((acc, a, t) => acc.add(a.mul(m[t]!)), Q.ZERO) : linear[r]!.reduce((acc, a, t) => acc.add(a.mul(m[t]!)), Q.ZERO);
    return into ? am.add(s).sub(m[r]!).div(D[r]!) : s.mul(D[r]!).add(m[r]!).sub(am);
  });
  return { linear, shift };
}

/** The instance in the mapped coordinates (its declared symmetries too); labels, architecture and loss unchanged. */
export function scaledInstance(inst: Instance, sc: InputScaling): Instance {
  const out: Instance = { ...inst, points: inst.points.map((x) => mapPoint(sc, x)) };
  if (inst.symmetries) out.symmetries = inst.symmetries.map((a): Automorphism => ({ ...a, map: conjugate(sc, a.map, true) }));
  return out;
}

/** A network of the mapped instance read in the original coordinates: w_t = w'_t / scale_t, b = b' - sum_t w_t center_t. */
function networkBack(sc: InputScaling, net: Network): Network {
  const [hid, ...rest] = net.layers;
  const weights = hid!.weights.map((row) => row.map((w, t) => w.div(sc.scale[t]!)));
  const bias = hid!.bias.map((b, j) => weights[j]!.reduce((acc, w, t) => acc.sub(w.mul(sc.center[t]!)), b));
  return { layers: [{ ...hid!, weights, bias }, ...rest] };
}

/** A proof for the mapped instance as a proof for the original one: the same tree, its maps in the original coordinates. */
function proofBack(sc: InputScaling, proof: Proof): Proof {
  if (proof.maps === undefined) return proof;
  const exact = (x: string): Q => parseRational(x)!;
  const maps = proof.maps.map((m) => {
    const back = conjugate(sc, { linear: m.linear.map((row) => row.map(exact)), shift: m.shift.map(exact) }, false);
    return { ...m, linear: back.linear.map((row) => row.map((x) => x.toString())), shift: back.shift.map((x) => x.toString()) };
  });
  return { ...proof, maps };
}

/**
 * The result for the mapped instance as a result for `inst`: a witness read
 * back (and scaled into a weight bound without rows, docs/lemmas.md L7),
 * which must pass acceptWitness on `inst` (an engine bug otherwise: thrown);
 * a proof with its maps read back; 'unknown' as it is.
 */
export function resultBack(inst: Instance, sc: InputScaling, r: SolveResult): SolveResult {
  if (r.verdict === 'infeasible') return { ...r, proof: proofBack(sc, r.proof) };
  if (r.verdict !== 'feasible') return r;
  const network = scaledIntoBound(inst, networkBack(sc, r.network));
  const rep = acceptWitness(inst, network);
  if (!rep) throw new Error('rescale: the witness of the mapped instance does not fit the instance (bug)');
  return { ...r, network, loss: rep.loss };
}

/**
 * Solves `inst` with `solve`, on the mapped instance when some coordinate is
 * badly scaled (inputScaling), and maps the result back: the one place
 * where the change of inputs is applied.
 */
export async function solveRescaled(inst: Instance, solve: (i: Instance) => Promise<SolveResult>): Promise<SolveResult> {
  const sc = inputScaling(inst);
  if (!sc) return solve(inst);
  return resultBack(inst, sc, await solve(scaledInstance(inst, sc)));
}
