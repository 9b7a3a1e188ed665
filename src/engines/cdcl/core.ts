/**
 * Small cores first (docs/engines.md, "The conflict-driven engine"): a proof for a subset of the points
 * is a proof for the whole instance, since the subset's rows are rows of the
 * instance (same names, with point indices mapped back). The engine tries
 * the subsets most likely to be contradictory on their own before the full
 * search: points listed more than once (identical coordinates), whose
 * labels may disagree.
 *
 * The l1 loss sums over all points: the subset's row `l1sum` (sum over the
 * subset of e_i <= G) is the instance's `l1sum` plus, for every point i
 * outside the subset, one half of `l1p:i` + `l1n:i` (which sum to
 * -2 e_i <= 0); the remapped leaves carry those multipliers.
 *
 * An l2dual leaf of the subset is one of the instance with residual 0 at
 * every point outside the subset (the dual value does not change).
 *
 * Symmetry leaves (L5) compare patterns point by point from point 0, so a
 * subset's symmetry leaf does not carry over: subsets are searched without
 * lemma L5.
 */
import { Q, parseRational } from '../../core/rational.js';
import type { Instance } from '../../core/types.js';
import { normalisationCases, renumberPoint } from '../../encode/system.js';
import type { ProofNode } from '../result.js';
import { type CaseProof, caseProof, certifyPending } from './proof.js';
import { Found } from '../witness.js';
import { CdclCase, type CdclOptions, FloatDoubt } from './solver.js';

/** Groups (of two or more) of point indices with identical coordinates, largest first. */
export function duplicateGroups(inst: Instance): number[][] {
  const byKey = new Map<string, number[]>();
  inst.points.forEach((p, i) => {
    const key = p.map((x) => x.toString()).join(',');
    const g = byKey.get(key);
    if (g) g.push(i);
    else byKey.set(key, [i]);
  });
  return [...byKey.values()].filter((g) => g.length >= 2).sort((a, b) => b.length - a.length);
}

/** The instance restricted to the given points (in the given order). */
export function subInstance(inst: Instance, points: readonly number[]): Instance {
  return {
    ...inst,
    name: `${inst.name} (points ${points.join(', ')})`,
    points: points.map((i) => inst.points[i]!),
    labels: points.map((i) => inst.labels[i]!),
  };
}

/**
 * Refutes one normalisation case on a subset of the points, within a
 * conflict budget, and maps the proof back to the instance's indices.
 * Undefined when the subset is not refuted in the budget (or fits).
 */
export function subsetCaseProof(inst: Instance, caseIndex: number, points: readonly number[], budget: number, opts: CdclOptions): CaseProof | undefined {
  const sub = subInstance(inst, points);
  const c = normalisationCases(sub)[caseIndex]!;
  const solver = new CdclCase(sub, c, { ...opts, symmetry: false });
  let out;
  try {
    out = solver.search(budget);
  } catch (e) {
    // a witness for the subset, or the float guide's doubt: no core here
    if (e instanceof Found || e instanceof FloatDoubt) return undefined;
    throw e;
  }
  if (out.status !== 'unsat') return undefined;
  const root = certifyPending(out.root, (lambda) => solver.theory.certify(lambda));
  if (!root) return undefined;
  const proof = caseProof(root, sub.points.length);
  const excluded = inst.points.map((_, i) => i).filter((i) => !points.includes(i));
  const remap = (node: ProofNode): ProofNode => remapNode(node, points, excluded);
  return {
    lemmas: proof.lemmas.map((l) => ({ assume: l.assume.map((name) => renumberPoint(name, points)), tree: remap(l.tree) })),
    tree: remap(proof.tree),
  };
}

/** A subset proof node in the instance's indices (explicit stack). */
function remapNode(root: ProofNode, points: readonly number[], excluded: readonly number[]): ProofNode {
  const copy = (node: ProofNode): ProofNode => {
    if ('split' in node) return { split: { unit: node.split.unit, point: points[node.split.point]! }, act: node.act, inact: node.inact };
    if (node.leaf === 'farkas' || node.leaf === 'motzkin') {
      const m: Record<string, string> = {};
      for (const [name, v] of Object.entries(node.multipliers)) m[renumberPoint(name, points)] = v;
      const l1 = node.multipliers.l1sum;
      if (l1 !== undefined) {
        // the subset's l1sum = the instance's l1sum + half of l1p:i + l1n:i for every excluded point
        const half = parseRational(l1)!.div(Q.of(2)).toString();
        for (const i of excluded) {
          m[`l1p:${i}`] = half;
          m[`l1n:${i}`] = half;
        }
      }
      return { leaf: node.leaf, multipliers: m };
    }
    if (node.leaf === 'l2dual') {
      // the subset's squared error is the instance's with residual 0 at every excluded point (docs/lemmas.md, "L2 dual leaves")
      const m: Record<string, string> = {};
      for (const [name, v] of Object.entries(node.multipliers)) m[renumberPoint(name, points)] = v;
      const residuals = new Array<string>(points.length + excluded.length).fill('0');
      node.residuals.forEach((u, t) => (residuals[points[t]!] = u));
      return { leaf: 'l2dual', residuals, multipliers: m };
    }
    if (node.leaf === 'symmetry') throw new Error('cdcl core: a symmetry leaf in a subset proof (bug)');
    return { ...node };
  };
  const top = copy(root);
  for (const stack = [top]; stack.length > 0;) {
    const t = stack.pop()!;
    if ('split' in t) {
      t.act = copy(t.act);
      t.inact = copy(t.inact);
      stack.push(t.act, t.inact);
    }
  }
  return top;
}
