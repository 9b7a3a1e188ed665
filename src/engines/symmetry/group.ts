/**
 * The symmetries a search uses (docs/lemmas.md L9, L10; docs/engines.md,
 * "Symmetry"): the group the instance's automorphisms generate, as a list
 * of elements in a fixed order, and, per normalisation case, the elements
 * with a unit permutation that the lex-leader constraints of the
 * conflict-driven search compare the network with.
 *
 * The generators are the automorphisms src/core/automorphism.ts finds
 * (signed coordinate permutations with a translation) and those the
 * instance declares, kept where the question allows them (negating labels,
 * a weight bound: src/encode/symmetry.ts). The group is enumerated breadth
 * first from the identity (short words first) as permutations of the
 * points, up to a cap; an element's exact affine map, the product of its
 * generators' maps, is computed only when a certificate states it.
 * An element's index in that list is its name in a search's proofs; a
 * certificate states the maps of the elements its leaves name (mapsFor,
 * withStatedMaps), so that the checker verifies each one (A1-A4).
 */
import { type AffineMap, type Automorphism, findAutomorphisms } from '../../core/automorphism.js';
import { Q } from '../../core/rational.js';
import type { Instance } from '../../core/types.js';
import { labelNegationAllowed, sourceCase, unusableBecause } from '../../encode/symmetry.js';
import { hiddenBoundOfRows } from '../../encode/system.js';
import type { Proof, ProofMap, ProofNode } from '../result.js';

/** The most group elements enumerated (parity on the 5-cube has 3,840; the 6-cube 46,080). */
export const MAX_GROUP_ELEMENTS = 4000;

/** An element of the group: its point permutation and label sign, and how it was reached (the generator applied after its parent). */
export interface GroupElement {
  points: number[];
  labelSign: 1 | -1;
  /** the element this one is `generator` after (-1 for the identity) */
  parent: number;
  generator: number;
}

/** The instance's symmetry group, in a fixed order (element 0 is the identity). */
export interface SymmetryGroup {
  generators: Automorphism[];
  elements: GroupElement[];
  /** true when the group has more elements than the list holds */
  truncated: boolean;
  /** the maps computed so far, by element */
  maps: Map<number, AffineMap>;
}

/** x -> A (B x + s) + t: the map `outer` after `inner`. */
function compose(outer: AffineMap, inner: AffineMap): AffineMap {
  const A = outer.linear;
  const linear = A.map((row) => inner.linear[0]!.map((_, c) => row.reduce((acc, a, m) => (a.isZero() ? acc : acc.add(a.mul(inner.linear[m]![c]!))), Q.ZERO)));
  const shift = A.map((row, r) => row.reduce((acc, a, m) => (a.isZero() ? acc : acc.add(a.mul(inner.shift[m]!))), outer.shift[r]!));
  return { linear, shift };
}

/**
 * The group the instance's usable automorphisms generate (found and
 * declared), breadth first from the identity, at most `cap` elements.
 * Just the identity when the instance has no symmetry.
 */
export function symmetryGroup(inst: Instance, cap = MAX_GROUP_ELEMENTS): SymmetryGroup {
  const d = inst.points[0]?.length ?? 0;
  const found = findAutomorphisms(inst, { allowNegation: labelNegationAllowed(inst), keepBox: hiddenBoundOfRows(inst) !== undefined });
  const declared = (inst.symmetries ?? []).filter((a) => unusableBecause(inst, a) === undefined);
  const generators = [...found, ...declared];
  const identity: GroupElement = { points: inst.points.map((_, i) => i), labelSign: 1, parent: -1, generator: -1 };
  const idMap: AffineMap = {
    linear: Array.from({ length: d }, (_, r) => Array.from({ length: d }, (_, c) => (r === c ? Q.ONE : Q.ZERO))),
    shift: Array<Q>(d).fill(Q.ZERO),
  };
  const group: SymmetryGroup = { generators, elements: [identity], truncated: false, maps: new Map([[0, idMap]]) };
  const seen = new Set([permutationKey(identity.points)]);
  // each product is formed in one scratch array and copied only when new (the group is enumerated once per search)
  const product = new Array<number>(inst.points.length);
  for (let next = 0; next < group.elements.length; next++) {
    const e = group.elements[next]!;
    for (const [gi, g] of generators.entries()) {
      for (let i = 0; i < product.length; i++) product[i] = g.points[e.points[i]!]!;
      const key = permutationKey(product);
      if (seen.has(key)) continue;
      if (group.elements.length >= cap) return { ...group, truncated: true };
      seen.add(key);
      group.elements.push({ points: product.slice(), labelSign: (e.labelSign * g.labelSign) as 1 | -1, parent: next, generator: gi });
    }
  }
  return group;
}

/** A permutation of the points as a string the seen-set hashes: one UTF-16 code unit per point up to 8,192 points (a comma-joined list beyond, where an argument list that long is unsafe). */
function permutationKey(points: readonly number[]): string {
  if (points.length > 8192) return points.join(',');
  return String.fromCharCode.apply(null, points as number[]);
}

/** The exact affine map of element `index`: its generator's map after its parent's (memoized). */
export function elementMap(group: SymmetryGroup, index: number): AffineMap {
  const known = group.maps.get(index);
  if (known) return known;
  const e = group.elements[index]!;
  const map = compose(group.generators[e.generator]!.map, elementMap(group, e.parent));
  group.maps.set(index, map);
  return map;
}

/** One lex-leader comparison of a case: group element `element` with unit permutation `units`, as a map of the variables v = j n + i. */
export interface LexElement {
  element: number;
  units: number[];
  /** phi(v) = units[j] n + points[i] for v = j n + i: sigma(N^e) at v is sigma(N) at phi(v) */
  phi: Int32Array;
}

/**
 * The lex-leader comparisons of case `caseIndex` (docs/lemmas.md L10): every
 * group element with the identity unit permutation, and with each swap of
 * unit 0 and another unit j (the network's first pattern at least the image
 * of every other unit's), and, for an element that negates the labels,
 * those permutations after the reversal of the units (which sends a sorted
 * sign vector to the sorted sign vector of the negated output weights); an
 * element is kept with the first of these under which the image network lies
 * in a case of P1 (sourceCase), and comparisons that move nothing are left
 * out. Twin swaps are lemma L5's own propagation. At most `cap`
 * comparisons, in group order.
 */
export function lexElements(inst: Instance, group: SymmetryGroup, caseIndex: number, cap = 4 * MAX_GROUP_ELEMENTS): LexElement[] {
  const k = inst.architecture.hidden;
  const n = inst.points.length;
  const id = Array.from({ length: k }, (_, j) => j);
  const swaps = [id, ...Array.from({ length: k - 1 }, (_, m) => id.map((j) => (j === 0 ? m + 1 : j === m + 1 ? 0 : j)))];
  const out: LexElement[] = [];
  // one buffer for every comparison's phi (a typed array each costs more to allocate than to fill)
  const phis = new Int32Array(Math.min(cap, swaps.length * group.elements.length) * k * n);
  for (const rho of swaps) {
    // which permutation an element keeps depends only on its label sign
    const unitsFor = new Map<1 | -1, number[] | undefined>();
    for (const sign of [1, -1] as const)
      unitsFor.set(
        sign,
        [rho, rho.map((j) => k - 1 - j)].find((u) => sourceCase(inst, caseIndex, sign, u) !== undefined),
      );
    for (const [index, e] of group.elements.entries()) {
      if (out.length >= cap) return out;
      const units = unitsFor.get(e.labelSign);
      if (!units || (index === 0 && units.every((j, t) => j === t))) continue;
      const phi = phis.subarray(out.length * k * n, (out.length + 1) * k * n);
      for (let j = 0; j < k; j++) for (let i = 0; i < n; i++) phi[j * n + i] = units[j]! * n + e.points[i]!;
      out.push({ element: index, units, phi });
    }
  }
  return out;
}

/** Element `index` as a certificate states it (docs/certificates.md 4.8). */
function proofMap(group: SymmetryGroup, index: number): ProofMap {
  const map = elementMap(group, index);
  const e = group.elements[index]!;
  return { linear: map.linear.map((row) => row.map((x) => x.toString())), shift: map.shift.map((x) => x.toString()), points: e.points, labels: e.labelSign };
}

/** Every node of a tree (explicit stack). */
function* nodes(tree: ProofNode): Generator<ProofNode> {
  for (const stack = [tree]; stack.length > 0;) {
    const t = stack.pop()!;
    yield t;
    if ('split' in t) stack.push(t.act, t.inact);
  }
}

/**
 * The proof as a certificate states it: the image and lex leaves of the
 * search name group elements (their `map` field an index into
 * group.elements; the identity is no map at all); here they are renumbered
 * to index the list of the maps they use, in order of first use, and that
 * list becomes proof.maps. A proof without image or lex leaves is returned
 * as it is (no maps field: format /1 or /2). The trees are changed in place.
 */
export function withStatedMaps(proof: Proof, group: SymmetryGroup): Proof {
  const index = new Map<number, number>();
  const maps: ProofMap[] = [];
  let leaves = 0;
  for (const c of proof.cases)
    for (const tree of [...(c.lemmas ?? []).map((l) => l.tree), c.tree])
      for (const t of nodes(tree)) {
        if (!('leaf' in t) || (t.leaf !== 'image' && t.leaf !== 'lex')) continue;
        leaves++;
        if (t.map === undefined) continue;
        if (t.map === 0) {
          delete t.map;
          continue;
        }
        let m = index.get(t.map);
        if (m === undefined) {
          m = maps.length;
          index.set(t.map, m);
          maps.push(proofMap(group, t.map));
        }
        t.map = m;
      }
  return leaves === 0 ? proof : { ...proof, maps };
}
