/**
 * The `cdcl` engine (docs/engines.md, "The conflict-driven engine"): conflict-driven search over activation
 * literals with learned clauses that become certificate lemmas
 * (docs/engines.md, "The conflict-driven engine"). One CdclCase per
 * normalisation case; the cases are searched in turn, a growing number of
 * conflicts each, so a witness in a later case is not held up by the
 * refutation of an earlier one. When the float guide cannot represent the
 * instance (src/core/float-range.ts, the rule of every engine) or loses its
 * footing, the tree search of the `exact` engine answers instead, with the
 * time that is left; the statistics it reports are the whole engine's, the
 * attempts before the fallback included.
 */
import { floatsCanGuide } from '../../core/float-range.js';
import type { Q } from '../../core/rational.js';
import type { Instance, Network } from '../../core/types.js';
import { type Literal, caseLabel, normalisationCases } from '../../encode/system.js';
import { lemmasUsed } from '../certificate.js';
import { exactSolve } from '../exact.js';
import { fittedWitness } from '../l2.js';
import { type ProofCase, type SearchStats, type SolveOptions, type SolveResult, SearchClock, Timeout, emptyStats } from '../result.js';
import { Found } from '../witness.js';
import { duplicateGroups, subsetCaseProof } from './core.js';
import { CDCL_DEFAULTS } from './defaults.js';
import { litOfLiteral, litVar, negate } from './literals.js';
import { type CaseProof, caseProof, certifyPending } from './proof.js';
import { CdclCase, type CdclOptions, type Clause, FloatDoubt, Interrupted } from './solver.js';
import { FloatRange } from './theory.js';
import { type SymmetryGroup, lexElements, symmetryGroup, withStatedMaps } from '../symmetry/group.js';

/** The engine's options: the search knobs of CdclOptions, and the first turn's conflicts per case. */
export interface CdclEngineOptions extends Pick<CdclOptions, 'phase' | 'restartUnit' | 'symmetry' | 'propagateTheory' | 'shareSize' | 'lexAfter'> {
  /** conflicts per case per turn (doubling every turn; default CDCL_DEFAULTS.turnConflicts) */
  turnConflicts?: number;
  /** lex-leader propagation under the instance's automorphisms (lemma L10; default true, off with symmetry false) */
  lexLeader?: boolean;
}

/**
 * The `cdcl` engine on a whole instance (see the file comment): one CdclCase
 * per normalisation case, searched in turns after the small cores (core.ts).
 * 'feasible' carries a network that passed acceptWitness; 'infeasible' a
 * proof with one case per normalisation case, each learned clause the proof
 * uses a lemma (format /2) whose float conflicts were made exact
 * (certifyPending); 'unknown' when the deadline passes, the search is
 * cancelled or the node budget runs out. The squared loss is decided
 * exactly at full patterns (l2.ts), after the patterns a float fit
 * proposes; a float guide that fails falls back to the exact engine.
 */
export function cdclSolve(inst: Instance, opts: SolveOptions = {}, engineOpts: CdclEngineOptions = {}): SolveResult {
  const clock = new SearchClock(opts);
  if (opts.deadline !== undefined && Date.now() > opts.deadline) return { verdict: 'unknown', reason: 'timeout', stats: clock.finish() };
  // lazily exact first; if a float conflict it learned does not hold exactly, again with every conflict exact at once
  // the work of every attempt counts, in the progress lines and in the final report
  let spent = emptyStats();
  // l2: the patterns float fits propose first, as the l2 tree search does (docs/engines.md, "Squared loss")
  if (inst.loss.type === 'l2' && opts.noFit !== true) {
    try {
      fittedWitness(inst, clock.deadline);
    } catch (e) {
      if (e instanceof Found) return { verdict: 'feasible', network: e.network, loss: e.loss, stats: clock.finish() };
      if (e instanceof Timeout) return { verdict: 'unknown', reason: e.reason, stats: clock.finish() };
      throw e;
    }
  }
  if (floatsCanGuide(inst))
    for (const eager of [false, true]) {
      const r = runCdcl(inst, opts, engineOpts, clock, eager, spent);
      if (r !== 'float-doubt') return r;
      spent = { ...clock.stats };
    }
  // no float guide: the exact tree search answers, and the time reported is the whole engine's (every attempt included)
  const r = exactSolve(inst, opts);
  addWork(r.stats, spent);
  r.stats.elapsedMs = clock.finish().elapsedMs;
  return r;
}

/** Adds the work counted in `more` (nodes, leaves, LPs, pivots; the larger depth) to `into`. */
function addWork(into: SearchStats, more: SearchStats): void {
  into.nodes += more.nodes;
  into.leaves += more.leaves;
  into.lps += more.lps;
  into.pivots += more.pivots;
  into.maxDepth = Math.max(into.maxDepth, more.maxDepth);
}

/** True once the search must stop: its deadline (ms since the epoch) has passed or its caller cancelled it. */
function stopRequested(opts: SolveOptions): boolean {
  return (opts.deadline !== undefined && Date.now() > opts.deadline) || (opts.cancelled?.() ?? false);
}

/**
 * One attempt of the cdcl search (lazily exact, or eager: every conflict exact at once) on the shared clock;
 * `before` is the work of the earlier attempts, which the counts of this one are added to.
 */
function runCdcl(
  inst: Instance,
  opts: SolveOptions,
  engineOpts: CdclEngineOptions,
  clock: SearchClock,
  eager: boolean,
  before: SearchStats,
): SolveResult | 'float-doubt' {
  const interrupted = (): boolean => stopRequested(opts);
  const cases = normalisationCases(inst);
  // the group is found only if a case's lex-leader propagation starts (after lexAfter conflicts)
  let group: SymmetryGroup | undefined | 'not yet' = 'not yet';
  const groupNow = (): SymmetryGroup | undefined => (group === 'not yet' ? (group = searchGroup(inst, engineOpts)) : group);
  let solvers: CdclCase[];
  try {
    solvers = cases.map(
      (c, t) =>
        new CdclCase(inst, c, {
          ...engineOpts,
          eager,
          tick: (depth) => clock.node(depth),
          interrupted,
          deadline: clock.deadline,
          lex: () => {
            const g = groupNow();
            return g ? lexElements(inst, g, t) : [];
          },
        }),
    );
  } catch (e) {
    if (e instanceof FloatRange) return 'float-doubt';
    // the rows of a large instance are built under the deadline
    if (e instanceof Timeout) return { verdict: 'unknown', reason: e.reason, stats: clock.finish() };
    throw e;
  }
  const stats = clock.stats;
  const sync = (): void => {
    stats.nodes = solvers.reduce((s, x) => s + x.stats.decisions, before.nodes);
    stats.leaves = solvers.reduce((s, x) => s + x.stats.theoryConflicts, before.leaves);
    stats.lps = solvers.reduce((s, x) => s + x.theory.exactLps, before.lps);
    stats.pivots = solvers.reduce((s, x) => s + x.theory.simplex.pivots + x.theory.exactPivots, before.pivots);
  };
  // progress lines count what the final report counts (decisions, theory conflicts, exact LPs)
  clock.sync = sync;
  try {
    // small cores first: cases refuted on points listed more than once
    const preset = coreProofs(inst, cases.length, { eager, tick: (depth) => clock.node(depth), interrupted, deadline: clock.deadline });
    const roots = new Array<ReturnType<CdclCase['search']> | undefined>(cases.length);
    let budget = engineOpts.turnConflicts ?? CDCL_DEFAULTS.turnConflicts;
    for (;;) {
      let open = 0;
      for (let t = 0; t < solvers.length; t++) {
        if (roots[t]?.status === 'unsat' || preset[t]) continue;
        roots[t] = solvers[t]!.search(budget);
        if (roots[t]!.status !== 'unsat') open++;
      }
      if (open === 0) break;
      budget *= 2;
    }
    const list: ProofCase[] = cases.map((c, t) => {
      const pre = preset[t];
      if (pre) return { a: caseLabel(c), ...(pre.lemmas.length > 0 ? { lemmas: pre.lemmas } : {}), tree: pre.tree };
      const r = roots[t]!;
      if (r.status !== 'unsat') throw new Error('cdcl engine: a case without a refutation (bug)');
      const root = certifyPending(r.root, (lambda) => solvers[t]!.theory.certify(lambda));
      if (!root) throw new FloatDoubt('a learned conflict does not hold exactly');
      const p = caseProof(root, inst.points.length);
      return { a: caseLabel(c), ...(p.lemmas.length > 0 ? { lemmas: p.lemmas } : {}), tree: p.tree };
    });
    sync();
    const proof = { lemmas: lemmasUsed(inst, list), cases: list };
    // lex leaves name group elements only if the group was found
    const found = group === 'not yet' ? undefined : group;
    return { verdict: 'infeasible', proof: found ? withStatedMaps(proof, found) : proof, stats: clock.finish() };
  } catch (e) {
    sync();
    if (e instanceof FloatDoubt) return 'float-doubt';
    const st = clock.finish();
    if (e instanceof Found) return { verdict: 'feasible', network: e.network, loss: e.loss, stats: st };
    if (e instanceof Timeout) return { verdict: 'unknown', reason: e.reason, stats: st };
    if (e instanceof Interrupted) return { verdict: 'unknown', reason: opts.cancelled?.() ? 'cancelled' : 'timeout', stats: st };
    throw e;
  }
}

/**
 * The symmetry group whose lex-leader comparisons the search propagates
 * (docs/engines.md, "Symmetry"): undefined when the options turn it off or
 * the instance has no automorphism but the identity (twin units are then
 * L5's alone, as before).
 */
function searchGroup(inst: Instance, engineOpts: CdclEngineOptions): SymmetryGroup | undefined {
  if (engineOpts.symmetry === false || engineOpts.lexLeader === false) return undefined;
  const group = symmetryGroup(inst);
  return group.elements.length > 1 ? group : undefined;
}

/**
 * Case proofs found on small subsets of the points before the full search
 * (core.ts): the points that occur more than once, all together, then each
 * group of copies. Undefined where no subset was refuted quickly.
 */
function coreProofs(inst: Instance, nCases: number, opts: CdclOptions): (CaseProof | undefined)[] {
  const out = new Array<CaseProof | undefined>(nCases);
  const groups = duplicateGroups(inst);
  if (groups.length === 0) return out;
  const union = groups.flat().sort((a, b) => a - b);
  const subsets = [...(union.length < inst.points.length ? [union] : []), ...(groups.length > 1 ? groups : [])];
  for (let t = 0; t < nCases; t++)
    for (const subset of subsets) {
      out[t] = subsetCaseProof(inst, t, subset, CDCL_DEFAULTS.coreConflicts, opts);
      if (out[t]) break;
    }
  return out;
}

/** The answer for one cube: a witness (for the whole instance), or the cube's proof, or unknown. */
export type CubeResult =
  | { verdict: 'feasible'; network: Network; loss: Q; stats: SearchStats }
  /** proof.tree is valid below any path holding the assumed literals; proof.lemmas are lemmas of the case (valid anywhere in it) */
  | { verdict: 'infeasible'; proof: CaseProof; stats: SearchStats }
  | { verdict: 'unknown'; reason: string; stats: SearchStats };

/** A short clause learned by the search of one case: its literals (literals.ts) and the proof of its cube (the negated literals). */
export interface SharedClause {
  caseIndex: number;
  lits: number[];
  proof: CaseProof;
}

/**
 * How the cube sessions of different workers share the short clauses (one
 * or two literals) they learn (solve --workers, docs/cluster.md). A learned clause
 * is implied by its case's rows alone (assumptions are never reasons), so
 * it holds in every cube of the case; it travels with its proof, which
 * becomes a lemma of any cube proof that uses it (caseProof), so the
 * checker needs nothing new.
 */
export interface ClauseShare {
  /** sends a clause learned here to the other sessions */
  publish(clause: SharedClause): void;
  /** the clauses the other sessions published since the last call */
  take(): SharedClause[];
}

/**
 * Decides one normalisation case under assumed literals (a cube of a split,
 * docs/cluster.md): the assumptions are decided first, and a refutation is a proof
 * of a subset of them, written as a tree for the path of all of them (no
 * split on an assumed literal) plus the case's lemmas. A witness found here
 * is a witness for the whole instance. Throws on contradictory assumptions.
 * One cube with a fresh search; CdclCubeSession decides many.
 */
export function cdclSolveUnder(
  inst: Instance,
  caseIndex: number,
  assumed: readonly Literal[],
  opts: SolveOptions = {},
  engineOpts: CdclEngineOptions = {},
): CubeResult {
  return new CdclCubeSession(inst, engineOpts).solve(caseIndex, assumed, opts);
}

/**
 * Cubes of one instance decided one after another (a worker of `solve
 * --workers`, docs/cluster.md), with one conflict-driven search per normalisation
 * case that lives on from cube to cube: incremental solving under
 * assumptions (CdclCase.assume), so what one cube learned shortens the next.
 * Every cube's proof is self-contained all the same: the learned clauses it
 * uses, from whichever cube, become its lemmas (caseProof), so merging and
 * checking are unchanged.
 *
 * A search stopped from outside (deadline, node budget, cancellation) goes
 * back to level 0 and lives on; one whose float guide failed, or that threw
 * anything else, is dropped and the next cube of its case starts afresh. A
 * case whose float conflict failed exactly is searched with exact conflicts
 * from then on (as cdclSolve does).
 */
export class CdclCubeSession {
  private readonly live = new Map<number, { solver: CdclCase; deadline: number | undefined; imported: number }>();
  private readonly eagerCases = new Set<number>();
  /** clauses received from other sessions, per case, in arrival order */
  private readonly received = new Map<number, SharedClause[]>();
  /** the clock and options of the cube being decided (the live searches' tick and interrupted read them) */
  private clock = new SearchClock({});
  private opts: SolveOptions = {};

  constructor(
    readonly inst: Instance,
    private readonly engineOpts: CdclEngineOptions = {},
    /** shares short learned clauses with the sessions of other workers (none: nothing shared) */
    private readonly share?: ClauseShare,
  ) {}

  /** Publishes a short clause the search of case `caseIndex` learned, with its exact proof (skipped if a float conflict in it does not hold exactly). */
  private publish(caseIndex: number, solver: CdclCase, c: Clause): void {
    if (!this.share) return;
    const cube = c.lits.map(negate);
    const root = certifyPending(c.just, (lambda) => solver.theory.certify(lambda), cube);
    if (!root) return;
    c.just = root;
    this.share.publish({ caseIndex, lits: [...c.lits], proof: caseProof(root, this.inst.points.length, cube) });
  }

  /** Imports into the search of case `caseIndex` (at decision level 0) every clause received for the case that it has not seen. */
  private importUnits(caseIndex: number): void {
    if (!this.share) return;
    for (const u of this.share.take()) {
      const list = this.received.get(u.caseIndex) ?? [];
      list.push(u);
      this.received.set(u.caseIndex, list);
    }
    const held = this.live.get(caseIndex);
    const list = this.received.get(caseIndex);
    if (!held || !list) return;
    for (; held.imported < list.length; held.imported++) held.solver.importClause(list[held.imported]!.lits, list[held.imported]!.proof);
  }

  /** Decides case `caseIndex` under `assumed`, as cdclSolveUnder; honours opts.deadline, opts.nodeBudget and opts.cancelled; `known`: as caseProof's. */
  solve(caseIndex: number, assumed: readonly Literal[], opts: SolveOptions = {}, known?: (assume: readonly string[]) => boolean): CubeResult {
    const inst = this.inst;
    const n = inst.points.length;
    const lits = assumed.map((l) => litOfLiteral(l, n));
    if (new Set(lits.map(litVar)).size !== lits.length) throw new Error('cdcl: an assumed (unit, point) twice');
    const c = normalisationCases(inst)[caseIndex];
    if (!c) throw new Error(`cdcl: no case ${caseIndex}`);
    const clock = new SearchClock(opts);
    this.clock = clock;
    this.opts = opts;
    for (let attempt = 0; attempt < 2; attempt++) {
      let before = { decisions: 0, theoryConflicts: 0 };
      try {
        const held = this.live.get(caseIndex);
        let solver: CdclCase;
        if (held && held.deadline === opts.deadline) {
          solver = held.solver;
          before = { ...solver.stats };
          solver.assume(lits);
          this.importUnits(caseIndex);
        } else {
          const fresh: CdclCase = new CdclCase(inst, c, {
            ...this.engineOpts,
            eager: this.eagerCases.has(caseIndex),
            assumptions: lits,
            tick: (depth) => this.clock.node(depth),
            interrupted: () => stopRequested(this.opts), // this.opts: the options of the cube being decided now
            deadline: clock.deadline,
            ...(this.share ? { onShort: (u: Clause) => this.publish(caseIndex, fresh, u), onRestart: () => this.importUnits(caseIndex) } : {}),
          });
          solver = fresh;
          this.live.set(caseIndex, { solver, deadline: opts.deadline, imported: 0 });
        }
        for (let budget = this.engineOpts.turnConflicts ?? CDCL_DEFAULTS.turnConflicts; ; budget *= 2) {
          const r = solver.search(budget);
          if (r.status !== 'unsat') continue;
          const root = certifyPending(r.root, (lambda) => solver.theory.certify(lambda), lits);
          if (!root) throw new FloatDoubt('a learned conflict does not hold exactly');
          clock.stats.nodes = solver.stats.decisions - before.decisions;
          clock.stats.leaves = solver.stats.theoryConflicts - before.theoryConflicts;
          return { verdict: 'infeasible', proof: caseProof(root, n, lits, known), stats: clock.finish() };
        }
      } catch (e) {
        // a search stopped from outside went back to level 0 whole (CdclCase.search) and goes on with the next cube
        const stopped = e instanceof Timeout || e instanceof Interrupted;
        if (!stopped || !this.live.get(caseIndex)?.solver.resumable) this.live.delete(caseIndex);
        if (e instanceof FloatDoubt || e instanceof FloatRange) {
          this.eagerCases.add(caseIndex);
          continue;
        }
        const st = clock.finish();
        if (e instanceof Found) return { verdict: 'feasible', network: e.network, loss: e.loss, stats: st };
        if (e instanceof Timeout) return { verdict: 'unknown', reason: e.reason, stats: st };
        if (e instanceof Interrupted) return { verdict: 'unknown', reason: opts.cancelled?.() ? 'cancelled' : 'timeout', stats: st };
        throw e;
      }
    }
    return { verdict: 'unknown', reason: 'the float guide failed on this cube', stats: clock.finish() };
  }
}
