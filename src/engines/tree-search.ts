/**
 * What the tree searches share (docs/engines.md: the exact engine and the squared-loss search,
 * l2.ts): a subtree with the literals its leaves use, leaves from exact multipliers, conflict
 * lifting at a split, the symmetry cut of lemma L5, and the step from subtrees to a proof or a
 * result.
 */
import type { Q } from '../core/rational.js';
import type { Instance } from '../core/types.js';
import { type Case, type Literal, caseLabel, litKey, literalOfRow } from '../encode/system.js';
import { lemmasUsed } from './certificate.js';
import { type Proof, type ProofCase, type ProofNode, type SearchClock, type SolveResult, Timeout } from './result.js';
import { Found } from './witness.js';

/** A proof subtree below a path, with the literal keys "j:i" (litKey) whose rows some leaf below uses. */
export interface Sub {
  node: ProofNode;
  /** literal keys "j:i" whose rows some leaf below uses */
  uses: Set<string>;
}

/** A literal to split on: unit j at point i, and which child to search first. */
export interface Branch {
  j: number;
  i: number;
  activeFirst: boolean;
}

/** The literal keys "j:i" whose rows carry one of the multipliers (base and loss rows name no literal). */
export function usesOf(multipliers: ReadonlyMap<string, Q>): Set<string> {
  const uses = new Set<string>();
  for (const name of multipliers.keys()) {
    const lit = literalOfRow(name);
    if (lit) uses.add(litKey(lit.unit, lit.point));
  }
  return uses;
}

/** Multipliers as the certificate writes them: row name -> exact text. */
export function multiplierText(m: ReadonlyMap<string, Q>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, v] of m) out[name] = v.toString();
  return out;
}

/** A Farkas or Motzkin leaf (docs/certificates.md 4.4) from exact multipliers. */
export function leafOf(kind: 'farkas' | 'motzkin', multipliers: ReadonlyMap<string, Q>): Sub {
  return { node: { leaf: kind, multipliers: multiplierText(multipliers) }, uses: usesOf(multipliers) };
}

/**
 * Lemma L5 (docs/lemmas.md): for twin units j, j+1 (equal output weight in
 * the case, or the free case) only paths where unit j's pattern is
 * lexicographically >= unit j+1's need a proof. Returns the symmetry leaf
 * when the path already makes it smaller (k units, n points).
 */
export function symmetryCut(k: number, n: number, c: Case, path: Literal[]): Sub | undefined {
  if (path.length < 2) return undefined;
  const lit = new Map<string, boolean>();
  for (const l of path) lit.set(litKey(l.unit, l.point), l.active);
  for (let j = 0; j + 1 < k; j++) {
    if (c.a !== 'free' && !c.a[j]!.eq(c.a[j + 1]!)) continue;
    for (let i = 0; i < n; i++) {
      const x = lit.get(litKey(j, i));
      const y = lit.get(litKey(j + 1, i));
      if (x === undefined || y === undefined || x) {
        if (x === undefined || y === undefined || !y) break; // undecided, or unit j ahead
        continue; // both ACT
      }
      if (y) {
        const uses = new Set<string>();
        for (let t = 0; t <= i; t++) uses.add(litKey(j, t)).add(litKey(j + 1, t));
        return { node: { leaf: 'symmetry', units: [j, j + 1], point: i }, uses };
      }
      // both INACT: equal, go on
    }
  }
  return undefined;
}

/**
 * Combines the two children of a split. Conflict lifting: a child whose proof
 * uses no row of the split literal is valid without it and replaces the split.
 */
export function joinSplit(lit: Branch, first: Sub, second: Sub): Sub {
  const key = litKey(lit.j, lit.i);
  if (!first.uses.has(key)) return first;
  if (!second.uses.has(key)) return second;
  const uses = new Set([...first.uses, ...second.uses]);
  uses.delete(key);
  const [act, inact] = lit.activeFirst ? [first.node, second.node] : [second.node, first.node];
  return { node: { split: { unit: lit.j, point: lit.i }, act, inact }, uses };
}

/** The certificate's proof from one proof tree per case. */
export function proofOf(inst: Instance, cases: Case[], trees: ProofNode[]): Proof {
  const list: ProofCase[] = cases.map((c, idx) => ({ a: caseLabel(c), tree: trees[idx]! }));
  return { lemmas: lemmasUsed(inst, list), cases: list };
}

/** Runs `body`, turning Found and Timeout into results. */
export function settle(clock: SearchClock, body: () => Proof): SolveResult {
  try {
    const proof = body();
    return { verdict: 'infeasible', proof, stats: clock.finish() };
  } catch (e) {
    const stats = clock.finish();
    if (e instanceof Found) return { verdict: 'feasible', network: e.network, loss: e.loss, stats };
    if (e instanceof Timeout) return { verdict: 'unknown', reason: e.reason, stats };
    throw e;
  }
}
