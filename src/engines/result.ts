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
  | { leaf: 'symmetry'; units: [number, number]; point: number }
  /** closes a node whose path holds every literal the case's lemma `index` assumes (format /2) */
  | { leaf: 'lemma'; index: number };

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

export interface Proof {
  lemmas: string[];
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
  for (const stack = [node]; stack.length > 0; ) {
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
export function hasLeafKind(node: ProofNode, kind: 'symmetry' | 'lemma'): boolean {
  for (const stack = [node]; stack.length > 0; ) {
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

/** The search stopped early: 'timeout' (the deadline), 'budget' (SolveOptions.nodeBudget), or 'cancelled' (another search won). */
export class Timeout extends Error {
  constructor(readonly reason: 'timeout' | 'budget' | 'cancelled' = 'timeout') {
    super(reason);
  }
}

/** Work units between two looks at the clock (see Deadline.tick). */
const CLOCK_EVERY = 1 << 14;

/**
 * Work units of one arithmetic operation on integers of about `bits` bits:
 * 1 up to a machine word, then growing like words^1.5 (between schoolbook
 * and Karatsuba multiplication). Exact loops tick `entries * bigOpUnits(bits)`
 * so that their clock reads stay frequent when numbers have thousands of
 * digits.
 */
export function bigOpUnits(bits: number): number {
  const words = 1 + bits / 64;
  return Math.ceil(words * Math.sqrt(words));
}

/** Number of bits of |x| (0 for 0), for bigOpUnits. */
export function bitsOf(x: bigint): number {
  if (x === 0n) return 0;
  return (x < 0n ? -x : x).toString(16).length * 4;
}

/**
 * A time limit that long computations honour cooperatively (issue F section 1;
 * docs/engines.md, "Time limits"). One object is created from
 * SolveOptions.deadline and passed down to every loop that can run long: the
 * float LPs and the exact simplex (every row operation of every pivot, and
 * while building a tableau), the exact Farkas solve, witness rounding.
 *
 * `tick(units)` counts work; one unit is about one arithmetic operation on
 * one table entry of machine size (a float, a small bigint or rational);
 * operations on big integers count bigOpUnits(bits) each. Every CLOCK_EVERY
 * units (16,384) it reads the clock and throws Timeout once the limit has
 * passed. Counting is an addition and a comparison, so loops may tick per
 * row; 16,384 units take well under 100 ms, so a computation stops within a
 * fraction of a second of the limit.
 * Engines catch Timeout and answer 'unknown'; a Timeout never escapes a
 * SolveResult.
 *
 * Deadline.NONE never expires and costs one comparison per tick.
 */
export class Deadline {
  private work = 0;
  private constructor(
    /** Absolute time (Date.now() milliseconds), or undefined for no limit. */
    readonly at: number | undefined,
  ) {}

  /** No time limit. */
  static readonly NONE = new Deadline(undefined);

  /** The deadline at absolute time `at` (Date.now() milliseconds); NONE when undefined. */
  static at(at: number | undefined): Deadline {
    return at === undefined ? Deadline.NONE : new Deadline(at);
  }

  /** Counts `units` of work; every CLOCK_EVERY units looks at the clock and throws Timeout past the limit. */
  tick(units = 1): void {
    if (this.at === undefined) return;
    this.work += units;
    if (this.work < CLOCK_EVERY) return;
    this.work = 0;
    if (Date.now() > this.at) throw new Timeout();
  }

  /** Looks at the clock now; throws Timeout past the limit. */
  check(): void {
    if (this.at !== undefined && Date.now() > this.at) throw new Timeout();
  }

  expired(): boolean {
    return this.at !== undefined && Date.now() > this.at;
  }

  /** Milliseconds left (Infinity without a limit; 0 once past it). */
  remainingMs(): number {
    return this.at === undefined ? Infinity : Math.max(0, this.at - Date.now());
  }

  /**
   * A deadline for one part of the work: `fraction` (0 < fraction <= 1) of
   * the time left now, never later than this one. Without a limit, NONE.
   */
  share(fraction: number): Deadline {
    if (this.at === undefined) return Deadline.NONE;
    const now = Date.now();
    return new Deadline(Math.min(this.at, now + Math.max(0, this.at - now) * fraction));
  }
}

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
