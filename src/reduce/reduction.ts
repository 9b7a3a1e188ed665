/**
 * The shape of a reduction (shared/DESIGN.md section 5): a source problem with
 * its own JSON format, a fast-check arbitrary for small sources, a brute-force
 * decider, and one or more variants of the map source -> relucert-instance/1.
 *
 * Exactly one variant is the reduction as proved (kind 'correct'); the others
 * are deliberately broken copies (kind 'mutant') that the fuzzer must catch.
 * A variant may also carry the two solution maps the proof provides:
 *   witness:            source solution -> network fitting the target
 *   solutionFromWitness: network fitting the target -> source solution
 * The fuzz harness (fuzz.ts) checks every map it is given; a map a variant
 * does not provide is simply not checked (and the report says so).
 */
import type * as fc from 'fast-check';
import { Q } from '../core/rational.js';
import type { Activation, Instance, Network } from '../core/types.js';

/** The brute-force decider's answer: 'yes' always carries a solution. */
export type SourceAnswer<Sol> = { answer: 'yes'; solution: Sol; searched: string } | { answer: 'no'; searched: string };

export interface Variant<S, Sol> {
  /** 'correct' for the reduction as proved; anything else names a mutant. */
  name: string;
  kind: 'correct' | 'mutant';
  /** One line: what this variant does (for a mutant, what was broken). */
  description: string;
  toInstance(source: S): Instance;
  witness?(source: S, solution: Sol): Network;
  solutionFromWitness?(source: S, network: Network): Sol;
}

/** The maps of a reduction, parametrised by a construction (its correct form, or a mutant's). */
export interface ConstructionMaps<S, Sol, C> {
  toInstance(source: S, con: C, variantName: string): Instance;
  witness?(source: S, solution: Sol, con: C): Network;
  solutionFromWitness?(source: S, network: Network, con: C): Sol;
}

/** A variant built from a construction: the maps with the construction filled in. */
export function constructionVariant<S, Sol, C>(
  maps: ConstructionMaps<S, Sol, C>,
  name: string,
  kind: 'correct' | 'mutant',
  description: string,
  con: C,
): Variant<S, Sol> {
  const { witness, solutionFromWitness } = maps;
  return {
    name,
    kind,
    description,
    toInstance: (s) => maps.toInstance(s, con, name),
    ...(witness ? { witness: (s: S, sol: Sol) => witness(s, sol, con) } : {}),
    ...(solutionFromWitness ? { solutionFromWitness: (s: S, net: Network) => solutionFromWitness(s, net, con) } : {}),
  };
}

export interface Reduction<S, Sol> {
  /** The name used on the command line: `relucert fuzz NAME`. */
  name: string;
  /** The source file's `format` field, e.g. "set-splitting/1". */
  sourceFormat: string;
  /** One line for --list and --help. */
  summary: string;
  /** Where the reduction comes from (paper, section). */
  reference: string;
  /** Validates a parsed JSON object; bad input throws InputError(file, field, message). */
  parseSource(data: unknown, file: string): S;
  sourceToJson(source: S): Record<string, unknown>;
  /** Small sources only: every target must solve well under a second. */
  arbitrary(): fc.Arbitrary<S>;
  decide(source: S): SourceAnswer<Sol>;
  /** undefined when `solution` solves `source`, else the reason it does not. */
  checkSolution(source: S, solution: Sol): string | undefined;
  solutionToJson(solution: Sol): unknown;
  /**
   * Optional extra shrink steps, tried after fast-check's own shrinking:
   * smaller or more canonical sources (e.g. elements renumbered 0..k-1, one
   * coordinate dropped) that fast-check's per-value shrinkers cannot reach.
   * The harness keeps a candidate only if it still disagrees.
   */
  simplify?(source: S): S[];
  /** The correct variant first, then the mutants. */
  variants: Variant<S, Sol>[];
}

/**
 * A reduction with its types erased, as the registry and the CLI hold it.
 * Every function still receives only values produced by the same reduction.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyReduction = Reduction<any, any>;

/** Finds a variant by name; undefined when the reduction has none of that name. */
export function findVariant(r: AnyReduction, name: string): AnyReduction['variants'][number] | undefined {
  return r.variants.find((v) => v.name === name);
}

/** f(x) = sum_j a_j sigma(w_j . x + b_j) + c as a relucert network. */
export function twoLayerNetwork(activation: Activation, weights: Q[][], bias: Q[], a: Q[], c: Q): Network {
  return {
    layers: [
      { activation, weights, bias },
      { activation: 'identity', weights: [a], bias: [c] },
    ],
  };
}

/** Integers as exact rationals. */
export const qs = (xs: readonly number[]): Q[] => xs.map((x) => Q.of(x));

/** The value of step(w . x + b) on x (1 if > 0 else 0), read from a network's hidden layer. */
export function hiddenPreActivation(net: Network, unit: number, x: readonly Q[]): Q {
  const layer = net.layers[0];
  const row = layer?.weights[unit];
  const b = layer?.bias[unit];
  if (!row || !b) throw new RangeError(`network has no hidden unit ${unit}`);
  let s = b;
  for (let t = 0; t < row.length; t++) s = s.add(row[t]!.mul(x[t] ?? Q.ZERO));
  return s;
}
