/**
 * One result type for every engine. Verdicts are an honest union: a
 * 'feasible' carries an exact witness, an 'infeasible' carries a proof tree
 * (or, for engines that cannot prove, is reported as a claim), 'unknown' says
 * why it stopped.
 */
import type { Q } from '../core/rational.js';
import type { Network } from '../core/types.js';

export type ProofNode =
  | { split: { unit: number; point: number }; act: ProofNode; inact: ProofNode }
  | { leaf: 'farkas' | 'motzkin'; multipliers: Record<string, string> }
  /** squared loss: residuals u (one per point) and row multipliers whose dual value exceeds the bound (docs/certificates.md 4.7) */
  | { leaf: 'l2dual'; residuals: string[]; multipliers: Record<string, string> }
  | { leaf: 'symmetry'; units: [number, number]; point: number }
  /** closes a node whose path holds every literal the case's lemma `index` assumes (format /2) */
  | { leaf: 'lemma'; index: number }
  /**
   * closes a node whose path holds the image of lemma `lemma` under proof.maps[map] (the identity when absent) and the
   * unit permutation `units` (unit j -> units[j]; the identity when absent); the lemma belongs to the case whose output
   * weights are s * a[units[j]] (format /3, docs/certificates.md 4.8, lemma L9)
   */
  | { leaf: 'image'; lemma: number; map?: number; units?: number[] }
  /** lex-leader (format /3, lemma L10): the path makes the literals, unit-major, smaller than their image under proof.maps[map] and `units` at (unit, point) */
  | { leaf: 'lex'; unit: number; point: number; map?: number; units?: number[] };

/** A lemma of a case (docs/certificates.md 4.6): base rows + rows(assume) admit no normalised network. */
export interface ProofLemma {
  /** literal names "act:j:i" / "inact:j:i" */
  assume: string[];
  tree: ProofNode;
}

export interface ProofCase {
  a: string[] | 'free';
  /** ordered; a lemma's tree uses only earlier lemmas (absent: none) */
  lemmas?: ProofLemma[];
  tree: ProofNode;
}

/** An automorphism of the instance as a certificate states it (docs/certificates.md 4.8): numbers as canonical text. */
export interface ProofMap {
  linear: string[][];
  shift: string[];
  points: number[];
  labels: 1 | -1;
}

export interface Proof {
  lemmas: string[];
  /** the automorphisms image leaves use (format /3; absent: none) */
  maps?: ProofMap[];
  cases: ProofCase[];
}

export interface SearchStats {
  nodes: number;
  leaves: number;
  lps: number;
  pivots: number;
  maxDepth: number;
  elapsedMs: number;
  /** time spent certifying another engine's claim, included in elapsedMs (z3's unsat) */
  certifyMs?: number;
}

/** Filled by the `all` engine: every engine's answer, and whether two definite answers differ. */
export interface CrossCheck {
  /** limitMs: the time the engine was given (its share of the limit; see all.ts). */
  comparisons: { engine: string; verdict: 'feasible' | 'infeasible' | 'unknown'; elapsedMs: number; limitMs?: number; note?: string }[];
  disagreement: boolean;
  /** true when the engines shared a time limit (--timeout), each in turn getting an equal share of what was left. */
  shared: boolean;
}

export type SolveResult = (
  | { verdict: 'feasible'; network: Network; loss: Q; stats: SearchStats }
  | { verdict: 'infeasible'; proof: Proof; stats: SearchStats }
  | { verdict: 'unknown'; reason: string; stats: SearchStats }
) & { crossCheck?: CrossCheck };

export interface SolveOptions {
  /** Absolute time (Date.now()) after which the search answers 'unknown'. */
  deadline?: number;
  /** Called now and then with the running statistics (for progress lines). */
  onProgress?: (s: SearchStats) => void;
  /** Stop with 'unknown' (reason 'budget') after this many nodes. */
  nodeBudget?: number;
  /** Worker threads for engines that use them (exact: default 1, at most 2 used). */
  threads?: number;
  /** Polled during the search: true stops it with 'unknown' (reason 'cancelled'), e.g. when a parallel search answered. */
  cancelled?: () => boolean;
}

export function emptyStats(): SearchStats {
  return { nodes: 0, leaves: 0, lps: 0, pivots: 0, maxDepth: 0, elapsedMs: 0 };
}

/** Leaves of a tree (explicit stack: no recursion depth limit). */
export function countLeaves(node: ProofNode): number {
  let leaves = 0;
  for (const stack = [node]; stack.length > 0;) {
    const t = stack.pop()!;
    if ('leaf' in t) leaves++;
    else stack.push(t.act, t.inact);
  }
  return leaves;
}

/** Leaves of a case: its tree and its lemmas' trees. */
export function countCaseLeaves(c: ProofCase): number {
  return countLeaves(c.tree) + (c.lemmas ?? []).reduce((s, l) => s + countLeaves(l.tree), 0);
}

/** Does some leaf of the tree have this kind? */
export function hasLeafKind(node: ProofNode, kind: 'symmetry' | 'lemma' | 'image' | 'lex'): boolean {
  for (const stack = [node]; stack.length > 0;) {
    const t = stack.pop()!;
    if ('leaf' in t) {
      if (t.leaf === kind) return true;
    } else stack.push(t.act, t.inact);
  }
  return false;
}

export function hasSymmetryLeaf(node: ProofNode): boolean {
  return hasLeafKind(node, 'symmetry');
}

// The time limit (Deadline, Timeout) lives in src/core/deadline.ts, so that encoders can honour it too; re-exported here for the engines.
export { Deadline, Timeout, bigOpUnits, bitsOf } from '../core/deadline.js';
import { Deadline, Timeout } from '../core/deadline.js';

/** Node counting, the deadline and throttled progress reports, shared by the searches. */
export class SearchClock {
  readonly stats: SearchStats = emptyStats();
  /** The search's time limit, to be passed to the LPs it calls. */
  readonly deadline: Deadline;
  private readonly t0 = Date.now();
  private last = this.t0;
  constructor(private readonly opts: SolveOptions) {
    this.deadline = Deadline.at(opts.deadline);
  }
  /** Counts a node at `depth`; throws Timeout past the deadline. */
  node(depth: number): void {
    const s = this.stats;
    s.nodes++;
    if (depth > s.maxDepth) s.maxDepth = depth;
    const now = Date.now();
    s.elapsedMs = now - this.t0;
    if (this.opts.deadline !== undefined && now > this.opts.deadline) throw new Timeout();
    if (this.opts.cancelled?.()) throw new Timeout('cancelled');
    if (this.opts.nodeBudget !== undefined && s.nodes > this.opts.nodeBudget) throw new Timeout('budget');
    if (this.opts.onProgress && now - this.last > 1000) {
      this.last = now;
      this.opts.onProgress({ ...s });
    }
  }
  finish(): SearchStats {
    this.stats.elapsedMs = Date.now() - this.t0;
    return this.stats;
  }
}
