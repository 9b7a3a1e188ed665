/**
 * Instance automorphisms (src/core/automorphism.ts) acting on the
 * normalisation cases and the activation literals of the constraint system
 * (docs/lemmas.md L9, docs/certificates.md 4.8).
 *
 * An automorphism (T, pi, s) with a unit permutation rho sends a network N of
 * case C' to N^ = s N(T x) with unit j of N^ the unit rho(j) of N: its output
 * weights are s a_rho(j), and unit j is active at point i under N^ exactly
 * when unit rho(j) is active at point pi(i) under N. So the literal (j, i) of
 * a cube of case C = the case of N^ goes to the literal (rho(j), pi(i)) of C'.
 */
import type { Automorphism } from '../core/automorphism.js';
import { keepsWeightBox } from '../core/automorphism.js';
import type { Q } from '../core/rational.js';
import type { Instance } from '../core/types.js';
import { type Case, hiddenBoundOfRows, normalisationCases } from './system.js';

/**
 * Can a map negate the labels (s = -1)? Only when negating every output
 * weight gives output weights the instance allows, up to the order of the
 * units: `signs` and `free` (any sign), a fixed list equal to its negation
 * reordered; never `positive`. The output bias is negated too, and c = 0
 * stays 0, so the output bias does not matter; every loss compares f with
 * y, both negated (docs/lemmas.md L9).
 */
export function labelNegationAllowed(inst: Instance): boolean {
  const ow = inst.architecture.outputWeights;
  switch (ow.mode) {
    case 'signs':
    case 'free':
      return true;
    case 'positive':
      return false;
    case 'fixed': {
      const key = (xs: readonly Q[]): string =>
        xs
          .map((x) => x.toString())
          .sort()
          .join(',');
      return key(ow.values) === key(ow.values.map((x) => x.neg()));
    }
  }
}

/**
 * Why the automorphism cannot be used for this instance's question, or
 * undefined when it can: s = -1 where the output weights cannot follow, or a
 * map that does not keep the weight box where the cases carry bound rows
 * (docs/lemmas.md L7, L9; without bound rows the bound excludes nothing).
 */
export function unusableBecause(inst: Instance, aut: Automorphism): string | undefined {
  if (aut.labelSign === -1 && !labelNegationAllowed(inst))
    return `it negates the labels, which output weights ${describeWeights(inst)} cannot follow (docs/lemmas.md L9)`;
  if (hiddenBoundOfRows(inst) !== undefined && !keepsWeightBox(aut.map))
    return 'it does not keep the weight bound: it has a translation, or a column of its matrix with absolute sum above 1 (docs/lemmas.md L9)';
  return undefined;
}

function describeWeights(inst: Instance): string {
  const ow = inst.architecture.outputWeights;
  return ow.mode === 'fixed' ? `[${ow.values.join(', ')}]` : ow.mode;
}

/**
 * The index (in normalisationCases order) of the case whose networks the
 * map with label sign s and unit permutation rho sends into case
 * `caseIndex`: the case with output weights a_j = s a'_rho(j) (a' those of
 * case `caseIndex`), or undefined when no case has them. The `free`
 * threshold case goes to itself.
 */
export function sourceCase(inst: Instance, caseIndex: number, labelSign: 1 | -1, units: readonly number[]): number | undefined {
  const cases = normalisationCases(inst);
  const here = cases[caseIndex]!;
  if (here.a === 'free') return caseIndex;
  const a = here.a;
  const want = units.map((r) => (labelSign === 1 ? a[r]! : a[r]!.neg()));
  const t = cases.findIndex((c: Case) => c.a !== 'free' && c.a.every((x, j) => x.eq(want[j]!)));
  return t < 0 ? undefined : t;
}
