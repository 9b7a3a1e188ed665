/**
 * Conflict-driven search over activation literals for one normalisation
 * case: CDCL(T) in the manner of MiniSat (Een & Sorensson, SAT 2003) with a
 * linear-arithmetic theory (Dutertre & de Moura, CAV 2006), every learned
 * clause carrying its proof so that the refutation can be written as a
 * certificate with lemmas (docs/certificates.md 4.6, lemma L6).
 *
 * Boolean variables: the activation of unit j at point i; literals ACT(j,i)
 * and INACT(j,i) (literals.ts). A clause is the negation of
 * a *cube* (a set of literals no normalised network satisfies together);
 * a clause's justification proves its cube:
 *  - leaf: a Farkas / Motzkin leaf (from exact multipliers, theory.ts) or a
 *    symmetry leaf (lemma L5), valid at any path containing the cube;
 *  - resolution: a start clause and resolution steps, each removing a true
 *    literal p from the cube with the reason clause of p (whose cube holds
 *    the opposite literal): in the certificate, a split on p whose other
 *    child is the reason's lemma.
 * Learning: first UIP, local minimisation, level-0 literals resolved away
 * (so learned clauses never mention them, and their proofs say why).
 * Also: two watched literals, VSIDS with phase from the LP point or saved
 * (heap.ts), Luby restarts (luby.ts), deletion of inactive learned clauses
 * (their proofs live on while a kept clause's proof refers to them),
 * symmetry propagation (L5, lexicographic order of twin units' patterns),
 * and witness probing at every theory-consistent node (probe.ts). The
 * literal encoding is literals.ts's, the tuning constants defaults.ts's.
 *
 * Soundness rests on the exact objects only: leaf multipliers checked
 * exactly (theory.ts), resolution steps whose shape proof.ts turns into
 * splits that the checker re-checks, and witnesses accepted by
 * acceptWitness.
 */
import { Deadline } from '../../core/deadline.js';
import type { Q } from '../../core/rational.js';
import type { Instance } from '../../core/types.js';
import type { Case } from '../../encode/system.js';
import { type ProofLemma, type ProofNode, Timeout } from '../result.js';
import { Found, acceptWitness, networkFromPoint } from '../witness.js';
import { CDCL_DEFAULTS } from './defaults.js';
import { VarHeap } from './heap.js';
import { SIGN_ACT, SIGN_INACT, litOf, litSign, litVar, negate, pointOf, unitOf, varOf } from './literals.js';
import { luby } from './luby.js';
import { type L2Conflict, l2Conflict } from './l2.js';
import { probeWitness } from './probe.js';
import type { BoundRef } from './simplex.js';
import { CaseTheory, type ExactConflict } from './theory.js';
import { type LexSink, LexPropagator } from './lex.js';

/** A proof of a clause's cube (see the file comment). */
export type Justification =
  | { kind: 'farkas' | 'motzkin'; multipliers: Map<string, Q> }
  /** the squared loss's weak-duality leaf (docs/certificates.md 4.7): residuals per point and row multipliers, exact (l2.ts) */
  | { kind: 'l2dual'; residuals: Q[]; multipliers: Map<string, Q> }
  /** a float Farkas certificate (row index -> multiplier), made exact only if the proof needs it (CaseTheory.certify) */
  | { kind: 'pending'; lambda: Map<number, number> }
  | { kind: 'symmetry'; units: [number, number]; point: number }
  /** a lex leaf (lemma L10): comparison `element` of the symmetry group (group.ts) with unit permutation `units`, cut at (unit, point) */
  | { kind: 'lex'; element: number; units: number[]; unit: number; point: number }
  | { kind: 'resolution'; start: Clause; steps: ResolutionStep[] }
  /** a clause learned by another search of the same case (a worker of `solve --workers`), with its proof as a certificate part: a tree valid at any path containing the cube, and the lemmas it uses */
  | { kind: 'imported'; proof: { tree: ProofNode; lemmas: ProofLemma[] } };

export interface ResolutionStep {
  /** the cube literal removed (true on the trail when the step was made) */
  pivot: number;
  /** the reason clause of that literal: its cube holds the opposite literal */
  reason: Clause;
}

export interface Clause {
  id: number;
  /** literals; lits[0] and lits[1] are watched */
  lits: number[];
  learnt: boolean;
  activity: number;
  lbd: number;
  just: Justification;
  deleted: boolean;
  /** the clause is imported or its derivation uses an imported clause: not shared again (proofs would nest) */
  usesImported?: boolean;
}

export interface CdclStats {
  decisions: number;
  theoryPropagations: number;
  conflicts: number;
  theoryConflicts: number;
  propagations: number;
  restarts: number;
  learnts: number;
  deleted: number;
  /** clauses imported from other searches (importClause) */
  imported: number;
}

/** One lex-leader comparison (src/engines/symmetry/group.ts LexElement): group element, unit permutation, phi as a map of variables. */
export interface LexComparison {
  element: number;
  units: number[];
  phi: Int32Array;
}

export interface CdclOptions {
  /** phase of a decision: from the LP point (default) or the saved phase */
  phase?: 'lp' | 'saved';
  /** conflicts per Luby unit (default CDCL_DEFAULTS.restartUnit) */
  restartUnit?: number;
  /** make every theory conflict exact at once (default: only those the final proof uses) */
  eager?: boolean;
  /** lemma L5 propagation between twin units (default true) */
  symmetry?: boolean;
  /**
   * lex-leader comparisons of the case (lemma L10, src/engines/symmetry/group.ts lexElements): each group
   * element with its unit permutation, and phi as a map of variables; propagated, each cut a lex leaf (default: none).
   * Called once, when the propagation starts (lexAfter): a search that ends sooner never builds them.
   */
  lex?: () => readonly LexComparison[];
  /** conflicts before the lex-leader propagation starts, at the next restart (default CDCL_DEFAULTS.lexAfterConflicts) */
  lexAfter?: number;
  /** theory propagation: literals the simplex bounds already decide (default true: measured 16% faster on bench/hard, 31% on its infeasible instances) */
  propagateTheory?: boolean;
  /**
   * literals decided first, one per level (a cube of a split, docs/cluster.md): a
   * refutation then proves a cube of these literals, not the empty cube
   */
  assumptions?: number[];
  /** called with every learned clause of at most `shareSize` literals whose derivation uses no imported clause (to share it with other searches of the case) */
  onShort?: (c: Clause) => void;
  /** the largest learned clause passed to onShort (default 0: none) */
  shareSize?: number;
  /** called at decision level 0 at every restart (to import clauses with importClause) */
  onRestart?: () => void;
  /** called once per decision; throws to stop (deadline) */
  tick?: (depth: number) => void;
  /** true when the float search should give up now (deadline), checked inside the simplex */
  interrupted?: () => boolean;
  /** the time limit of the exact work (exact LPs, Farkas solves, the rows of a large instance): throws Timeout past it */
  deadline?: Deadline;
}

/** What `assign` holds for an unassigned variable, and what `value` says of its literals. */
const UNASSIGNED = -1;
/** What `value` says of a true literal, and of a false one. */
const TRUE = 1;
const FALSE = 0;

/** The outcome of `search`: refuted (with the final derivation), or out of conflict budget. */
export type SearchOutcome = { status: 'unsat'; root: Justification } | { status: 'budget' };

/**
 * The conflict-driven search of one normalisation case (see the file
 * comment): MiniSat's CDCL loop over the case's activation literals, its
 * theory the case's rows in a float bounded simplex (CaseTheory), every
 * learned clause carrying the justification that proof.ts writes as a
 * lemma. `search(budget)` runs until a refutation ('unsat', with the
 * level-0 derivation), a witness (thrown as Found) or the conflict budget;
 * it can be called again to go on, also under other assumptions (`assume`,
 * for cubes). The deadline and interruption throw (Timeout, Interrupted)
 * and leave the search resumable at level 0; FloatDoubt means the float
 * guide cannot be trusted on this case.
 */
export class CdclCase {
  // ------------------------------------------------------------ the problem

  /** the case's rows as bounds of a float simplex, and their exact side */
  readonly theory: CaseTheory;
  /** hidden units */
  readonly k: number;
  /** points */
  readonly n: number;
  /** activation variables, k n (literals.ts) */
  readonly nVars: number;
  /** ReLU or leaky ReLU (ACT iff h >= 0); false for threshold units (ACT iff h >= 1) */
  private readonly relu: boolean;
  /** twin units (j, j+1) whose patterns lemma L5 orders (none with opts.symmetry false) */
  private readonly twins: [number, number][] = [];
  /** the lex-leader propagator of opts.lex (undefined before it starts or without comparisons) */
  private lex: LexPropagator | undefined;
  /** the comparisons opts.lex gave when the propagation started (clause i of the propagator is comparison i) */
  private lexComparisons: readonly LexComparison[] = [];
  /** true once startLex asked opts.lex for the comparisons */
  private lexAsked = false;
  /** the lex propagator's conflict, waiting to be analysed */
  private lexConflict: Clause | undefined;
  /** the options, defaults filled in */
  private readonly opts: Required<Pick<CdclOptions, 'phase' | 'restartUnit'>> & CdclOptions;

  // ------------------------------------------------------------ assignment and trail

  /** per variable: the sign of its true literal (SIGN_ACT, SIGN_INACT), or UNASSIGNED */
  private readonly assign: Int8Array;
  /** per variable: the decision level it was assigned at */
  private readonly level: Int32Array;
  /** per variable: the clause that implied it; undefined for a decision (or an assumption) and when unassigned */
  private readonly reason: (Clause | undefined)[];
  /** per variable: its index on the trail */
  private readonly trailPos: Int32Array;
  /** the true literals, in the order they were assigned */
  private readonly trail: number[] = [];
  /** per decision level: the trail's length when it started */
  private readonly trailLim: number[] = [];
  /** per decision level: the simplex undo mark when it started */
  private readonly simplexLim: number[] = [];
  /** trail index of the next literal to propagate through the watches */
  private qhead = 0;
  /** trail index of the next literal whose rows go to the simplex */
  private theoryHead = 0;
  /** literals decided first, one per level (opts.assumptions, then assume()) */
  private assumptions: number[];

  // ------------------------------------------------------------ clauses

  /** per literal: the clauses that watch it (it is their lits[0] or lits[1]) */
  private readonly watches: Clause[][];
  /** imported clauses watched for good (never deleted) */
  private readonly clauses: Clause[] = [];
  /** learned clauses, the candidates of reduceDb */
  private readonly learnts: Clause[] = [];
  /** the id of the next clause: creation order, so a lemma uses only earlier ones */
  private nextId = 0;
  /** partial patterns (points and their literals) whose least squared error was found within the bound (l2Partial) */
  private readonly l2Seen = new Set<string>();
  /** the characters of the keys in l2Seen (the cache is emptied past CDCL_DEFAULTS.l2SeenChars) */
  private l2SeenChars = 0;
  /** the optimum of the last partial least squares found within the bound (l2Partial): the decisions' phase (phaseOf) */
  private l2Guide: ReadonlyMap<string, Q> | undefined;
  /** a conflict found outside propagation (decideComplete, importClause), analysed at the next step of the search */
  private pendingConflict: Clause | undefined;

  // ------------------------------------------------------------ heuristics (defaults.ts)

  /** per variable: its VSIDS activity */
  private readonly activity: Float64Array;
  /** what a bump adds to a variable's activity; grows by 1 / varDecay at every conflict */
  private varInc = 1;
  /** what a bump adds to a learned clause's activity; grows by 1 / clauseDecay at every conflict */
  private clauseInc = 1;
  /** the unassigned variables (and maybe some assigned ones, skipped when taken) by activity */
  private readonly heap: VarHeap;
  /** per variable: the sign it had when last unassigned (the saved phase) */
  private readonly savedPhase: Int8Array;
  /** the index in Luby's sequence of the next restart interval */
  private lubyIndex = 0;
  /** conflicts left before the next restart */
  private conflictsUntilRestart: number;
  /** learned clauses allowed before the next reduceDb */
  private maxLearnts: number;
  /** scratch of conflict analysis: per variable, 1 while it is marked */
  private readonly seen: Uint8Array;

  // ------------------------------------------------------------ outcome

  /** the refutation, once found: of the whole case (refutedAll), or of a cube of the assumptions */
  private refuted: Justification | undefined;
  /** the refutation proves the empty cube: no assumptions can revive the case */
  private refutedAll = false;
  /** init() has begun asserting the base rows */
  private initialised = false;
  /** init() has asserted every base row (false after a stop in between: the search cannot go on) */
  private initDone = false;
  /** counts of decisions, conflicts, propagations, restarts and clauses, for the engine's statistics */
  readonly stats: CdclStats = {
    decisions: 0,
    theoryPropagations: 0,
    conflicts: 0,
    theoryConflicts: 0,
    propagations: 0,
    restarts: 0,
    learnts: 0,
    deleted: 0,
    imported: 0,
  };

  /** Builds the case's theory (its rows under opts.deadline: may throw Timeout, or FloatRange when the floats cannot hold them). */
  constructor(
    readonly inst: Instance,
    readonly c: Case,
    opts: CdclOptions = {},
  ) {
    this.opts = { phase: 'lp', restartUnit: CDCL_DEFAULTS.restartUnit, ...opts };
    this.theory = new CaseTheory(inst, c, opts.interrupted ?? (() => false), opts.deadline);
    this.k = inst.architecture.hidden;
    this.n = inst.points.length;
    this.nVars = this.k * this.n;
    this.relu = inst.architecture.activation !== 'threshold'; // ReLU or leaky ReLU: ACT iff h >= 0
    this.assign = new Int8Array(this.nVars).fill(UNASSIGNED);
    this.level = new Int32Array(this.nVars);
    this.reason = new Array<Clause | undefined>(this.nVars).fill(undefined);
    this.trailPos = new Int32Array(this.nVars);
    this.watches = Array.from({ length: 2 * this.nVars }, () => []);
    this.activity = new Float64Array(this.nVars);
    this.savedPhase = new Int8Array(this.nVars).fill(SIGN_ACT);
    this.seen = new Uint8Array(this.nVars);
    this.heap = new VarHeap(this.activity);
    for (let v = 0; v < this.nVars; v++) this.heap.insert(v);
    if (opts.symmetry !== false) for (let j = 0; j + 1 < this.k; j++) if (c.a === 'free' || c.a[j]!.eq(c.a[j + 1]!)) this.twins.push([j, j + 1]);
    this.maxLearnts = Math.max(CDCL_DEFAULTS.learntFloor, CDCL_DEFAULTS.learntsPerVar * this.nVars);
    this.conflictsUntilRestart = this.opts.restartUnit * luby(this.lubyIndex++);
    this.assumptions = [...(opts.assumptions ?? [])];
    if ((opts.lexAfter ?? CDCL_DEFAULTS.lexAfterConflicts) <= 0) this.startLex();
  }

  // ------------------------------------------------------------ cubes and clauses from other searches

  /**
   * Starts a new cube (docs/cluster.md; incremental solving under assumptions as in
   * MiniSat's solve(assumps), Een & Sorensson, SAT 2003): the next searches
   * decide `lits` first. Learned clauses are kept: assumptions are decisions,
   * never reasons, so every learned clause is implied by the case's rows
   * alone and holds in every cube (its proof says so). A refutation of the
   * whole case is kept; one under the old assumptions is dropped.
   */
  assume(lits: readonly number[]): void {
    if (!this.refutedAll) this.refuted = undefined;
    this.backtrack(0);
    this.assumptions = [...lits];
  }

  /**
   * Adds a clause learned by another search of this case, with its proof (a
   * certificate part for the clause's cube, the negated literals). Only at
   * decision level 0 (between cubes, or from onRestart). A clause with a
   * literal true at level 0 is ignored; one whose literals are all false
   * there refutes the case at the next search step; one with a single
   * literal left unassigned implies it at level 0; otherwise it is watched
   * like an original clause (never deleted).
   */
  importClause(lits: readonly number[], proof: { tree: ProofNode; lemmas: ProofLemma[] }): void {
    if (this.decisionLevel() !== 0) throw new Error('cdcl: importClause above level 0 (bug)');
    if (lits.some((l) => this.value(l) === TRUE)) return;
    // unassigned literals first: the watched pair, or the implied literal
    const open = lits.filter((l) => this.value(l) === UNASSIGNED);
    const c = this.newClause([...open, ...lits.filter((l) => this.value(l) === FALSE)], false, { kind: 'imported', proof });
    this.stats.imported++;
    if (open.length === 0) this.pendingConflict = c;
    else if (open.length === 1) this.enqueue(open[0]!, c);
    else {
      this.clauses.push(c);
      this.attach(c);
    }
  }

  // ------------------------------------------------------------ reading state

  /** TRUE, FALSE or UNASSIGNED. */
  private value(lit: number): number {
    const a = this.assign[litVar(lit)]!;
    return a === UNASSIGNED ? UNASSIGNED : a === litSign(lit) ? TRUE : FALSE;
  }

  /** Decisions (and assumptions) on the trail. */
  decisionLevel(): number {
    return this.trailLim.length;
  }

  // ------------------------------------------------------------ the base: rows valid everywhere

  /**
   * Asserts the base rows. Returns the refutation when they alone are
   * contradictory (a Farkas leaf with no literal).
   */
  private init(): Justification | undefined {
    this.initialised = true;
    for (let r = 0; r < this.theory.baseCount; r++) {
      const conflict = this.theory.assertRow(r);
      if (conflict) return this.baseConflict(conflict);
    }
    this.initDone = true;
    return undefined;
  }

  /** False when a stop (Timeout, Interrupted) came while the base rows were being asserted: such a search cannot go on. */
  get resumable(): boolean {
    return this.initDone || !this.initialised;
  }

  /** The base rows alone contradict each other: exact multipliers, or FloatDoubt when they do not hold. */
  private baseConflict(bounds: BoundRef[]): Justification {
    const ex = this.theory.certify(this.theory.floatCertificate(bounds).lambda);
    if (ex) return { kind: ex.kind, multipliers: ex.multipliers };
    const all = this.theory.exactDecide(this.assertedRows());
    if (all.status === 'infeasible') return { kind: all.kind, multipliers: all.multipliers };
    throw new FloatDoubt('base rows: float conflict not confirmed');
  }

  // ------------------------------------------------------------ assignment and propagation

  /** Makes `lit` true at the current level, implied by `from` (undefined: a decision). */
  private enqueue(lit: number, from: Clause | undefined): void {
    const v = litVar(lit);
    this.assign[v] = litSign(lit);
    this.level[v] = this.decisionLevel();
    this.reason[v] = from;
    this.trailPos[v] = this.trail.length;
    this.trail.push(lit);
    this.lex?.assigned(v);
  }

  /** Unit propagation over the watched literals; returns a falsified clause or undefined. */
  private propagate(): Clause | undefined {
    while (this.qhead < this.trail.length) {
      const p = this.trail[this.qhead++]!;
      const falseLit = negate(p);
      const ws = this.watches[falseLit]!;
      let i = 0;
      let j = 0;
      let conflict: Clause | undefined;
      while (i < ws.length) {
        const c = ws[i++]!;
        if (c.deleted) continue;
        const lits = c.lits;
        if (lits[0] === falseLit) {
          lits[0] = lits[1]!;
          lits[1] = falseLit;
        }
        if (this.value(lits[0]!) === TRUE) {
          ws[j++] = c;
          continue;
        }
        let moved = false;
        for (let t = 2; t < lits.length; t++)
          if (this.value(lits[t]!) !== FALSE) {
            lits[1] = lits[t]!;
            lits[t] = falseLit;
            this.watches[lits[1]]!.push(c);
            moved = true;
            break;
          }
        if (moved) continue;
        ws[j++] = c;
        if (this.value(lits[0]!) === FALSE) {
          conflict = c;
          while (i < ws.length) ws[j++] = ws[i++]!;
        } else {
          this.stats.propagations++;
          this.enqueue(lits[0]!, c);
        }
      }
      ws.length = j;
      if (conflict) {
        this.qhead = this.trail.length;
        return conflict;
      }
    }
    return undefined;
  }

  /**
   * Lemma L5 as propagation: for twin units (j, j+1), once their literals
   * agree at points 0..i-1, INACT(j,i) forces INACT(j+1,i) and ACT(j+1,i)
   * forces ACT(j,i); both together are a conflict. Reasons are clauses with
   * a symmetry leaf as their proof.
   */
  private propagateSymmetry(): Clause | undefined {
    for (const [j, j2] of this.twins) {
      for (let i = 0; i < this.n; i++) {
        const x = this.assign[varOf(j, i, this.n)]!;
        const y = this.assign[varOf(j2, i, this.n)]!;
        if (x !== UNASSIGNED && y !== UNASSIGNED) {
          if (x === y) continue;
          if (x === SIGN_ACT) break; // unit j ahead: ACT(j,i), INACT(j2,i)
          return this.symmetryClause(j, j2, i, undefined); // INACT(j,i), ACT(j2,i)
        }
        if (x === SIGN_INACT && y === UNASSIGNED) {
          const c = this.symmetryClause(j, j2, i, litOf(varOf(j2, i, this.n), false));
          this.enqueue(c.lits[0]!, c);
          this.stats.propagations++;
          continue;
        }
        if (y === SIGN_ACT && x === UNASSIGNED) {
          const c = this.symmetryClause(j, j2, i, litOf(varOf(j, i, this.n), true));
          this.enqueue(c.lits[0]!, c);
          this.stats.propagations++;
          continue;
        }
        break;
      }
    }
    return undefined;
  }

  /**
   * The clause refuting the cube {literals of j, j2 at points < i, INACT(j,i),
   * ACT(j2,i)}; with `implied`, that literal (unassigned) first, the rest false.
   */
  private symmetryClause(j: number, j2: number, i: number, implied: number | undefined): Clause {
    const lits: number[] = [];
    for (let t = 0; t < i; t++) {
      const u = varOf(j, t, this.n);
      const u2 = varOf(j2, t, this.n);
      lits.push(negate(litOf(u, this.assign[u] === SIGN_ACT)));
      lits.push(negate(litOf(u2, this.assign[u2] === SIGN_ACT)));
    }
    // cube literals INACT(j,i), ACT(j2,i): clause literals ACT(j,i), INACT(j2,i)
    const a = litOf(varOf(j, i, this.n), true);
    const b = litOf(varOf(j2, i, this.n), false);
    if (implied === b) lits.unshift(b, a);
    else if (implied === a) lits.unshift(a, b);
    else lits.push(a, b);
    return this.newClause(lits, false, { kind: 'symmetry', units: [j, j2], point: i });
  }

  /**
   * Lemma L10 as propagation (lex.ts): each literal the lex-leader
   * comparisons force is enqueued with a reason clause whose proof is a lex
   * leaf; a comparison that fails is returned as a conflict clause.
   */
  private propagateLex(): Clause | undefined {
    if (!this.lex) return undefined;
    this.lexConflict = undefined;
    const sink: LexSink = {
      imply: (v, active, e, p) => {
        const lit = litOf(v, active);
        const c = this.lexClause(e, p, lit);
        this.enqueue(lit, c);
        this.stats.propagations++;
      },
      conflict: (e, p) => {
        this.lexConflict = this.lexClause(e, p, undefined);
      },
    };
    this.lex.propagate(sink);
    return this.lexConflict;
  }

  /**
   * The clause refuting the cube of comparison e cut at position p (lex.ts):
   * the literals now at every position before p that phi moves and at its
   * image, INACT at p and ACT at phi(p); with `implied` (unassigned), that
   * literal first and the rest false.
   */
  private lexClause(e: number, p: number, implied: number | undefined): Clause {
    const cmp = this.lexComparisons[e]!;
    const phi = cmp.phi;
    const u = phi[p]!;
    // the cube's variables, each once (phi(q) may be p, and u a position before p)
    const vars: number[] = [];
    const inCube = this.seen; // scratch of analyze, not in use here; cleared below
    const add = (v: number): void => {
      if (inCube[v]) return;
      inCube[v] = 1;
      vars.push(v);
    };
    for (let q = 0; q < p; q++)
      if (phi[q] !== q) {
        add(q);
        add(phi[q]!);
      }
    add(p);
    add(u);
    for (const v of vars) inCube[v] = 0;
    // cube literals INACT(p), ACT(u), the others as assigned; the clause holds their negations, `implied` first
    const lits = vars.map((v) => (v === p ? litOf(p, true) : v === u ? litOf(u, false) : negate(litOf(v, this.assign[v] === SIGN_ACT))));
    if (implied !== undefined) {
      const t = lits.indexOf(implied);
      [lits[0], lits[t]] = [lits[t]!, lits[0]!];
    }
    return this.newClause(lits, false, { kind: 'lex', element: cmp.element, units: cmp.units, unit: unitOf(p, this.n), point: pointOf(p, this.n) });
  }

  /** Starts the lex-leader propagation of opts.lex (at level 0: every comparison is looked at by the next propagate). */
  private startLex(): void {
    if (this.lexAsked || !this.opts.lex) return;
    this.lexAsked = true;
    const lex = this.opts.lex();
    if (lex.length === 0) return;
    this.lexComparisons = lex;
    this.lex = new LexPropagator(
      lex.map((e) => e.phi),
      this.nVars,
      this.assign,
    );
  }

  /** A clause with a fresh id (creation order), not yet watched. */
  private newClause(lits: number[], learnt: boolean, just: Justification): Clause {
    const c: Clause = { id: this.nextId++, lits, learnt, activity: 0, lbd: 0, just, deleted: false };
    // only a sharing search reads the mark: others skip the walk over the steps
    if (
      this.opts.onShort &&
      (just.kind === 'imported' || (just.kind === 'resolution' && (just.start.usesImported || just.steps.some((st) => st.reason.usesImported))))
    )
      c.usesImported = true;
    return c;
  }

  /** Rows asserted now: the base rows and the rows of every literal on the trail sent to the simplex. */
  private assertedRows(): number[] {
    const out: number[] = [];
    for (let r = 0; r < this.theory.baseCount; r++) out.push(r);
    for (let t = 0; t < this.theoryHead; t++) {
      const idx = this.theory.litRowIndex(this.trail[t]!);
      out.push(idx, idx + 1);
    }
    return out;
  }

  /**
   * Sends the new trail literals' bounds to the simplex and checks it. A
   * conflict comes back as a clause with exact multipliers; undefined when
   * consistent. Throws FloatDoubt when the float cannot be trusted.
   */
  private theoryPropagate(): Clause | undefined {
    let bounds: BoundRef[] | undefined;
    while (this.theoryHead < this.trail.length && !bounds) {
      bounds = this.theory.assertLiteral(this.trail[this.theoryHead]!);
      this.theoryHead++;
    }
    for (let attempt = 0; ; attempt++) {
      if (!bounds) {
        const r = this.theory.check();
        if (r.status === 'sat') return undefined;
        if (r.status === 'unsure') {
          if (this.opts.interrupted?.()) throw new Interrupted();
          if (attempt > 0) throw new FloatDoubt('the float simplex did not settle');
          this.theory.simplex.refactor();
          continue;
        }
        bounds = r.bounds;
      }
      const fc = this.theory.floatCertificate(bounds);
      if (fc.ok) {
        if (!this.opts.eager) {
          this.stats.theoryConflicts++;
          return this.newClause(fc.literals.map(negate), false, { kind: 'pending', lambda: fc.lambda });
        }
        const ex = this.theory.certify(fc.lambda);
        if (ex) return this.conflictClause(ex);
      }
      // the float combination does not hold up (rounding drift): wash it out and look again once
      if (attempt > 0) {
        if (process.env.RELUCERT_DEBUG_CDCL) this.theory.debugConflict(bounds);
        throw new FloatDoubt('float conflict not confirmed');
      }
      this.theory.simplex.refactor();
      bounds = undefined;
    }
  }

  /**
   * Enqueues the literals the simplex bounds imply (theory.implied), each
   * with a reason clause whose cube is the bounds' literals plus the
   * opposite literal, justified by their float certificate (made exact if
   * the proof uses it). Returns how many were enqueued.
   */
  private impliedLiterals(): number {
    let count = 0;
    for (let v = 0; v < this.nVars; v++) {
      if (this.assign[v] !== UNASSIGNED) continue;
      const imp = this.theory.implied(v);
      if (!imp) continue;
      const fc = this.theory.floatCertificate(imp.bounds);
      if (!fc.ok) continue;
      // the cube holds the opposite literal; the clause holds imp.lit first, the rest false now
      const others = fc.literals.filter((l) => litVar(l) !== v).map(negate);
      if (others.some((q) => this.value(q) !== FALSE)) continue;
      const just: Justification = this.opts.eager ? this.exactOrPending(fc.lambda) : { kind: 'pending', lambda: fc.lambda };
      const c = this.newClause([imp.lit, ...others], false, just);
      this.enqueue(imp.lit, c);
      this.stats.theoryPropagations++;
      count++;
    }
    return count;
  }

  /** Exact multipliers now (eager mode); a float certificate that does not hold exactly is the float's doubt. */
  private exactOrPending(lambda: Map<number, number>): Justification {
    const ex = this.theory.certify(lambda);
    if (!ex) throw new FloatDoubt('a theory propagation does not hold exactly');
    return { kind: ex.kind, multipliers: ex.multipliers };
  }

  /** The clause of an exact theory conflict: the negations of the literals whose rows it uses. */
  private conflictClause(ex: ExactConflict): Clause {
    this.stats.theoryConflicts++;
    return this.newClause(ex.literals.map(negate), false, { kind: ex.kind, multipliers: ex.multipliers });
  }

  // ------------------------------------------------------------ conflict analysis

  /**
   * First-UIP learning (MiniSat's analyze) with local minimisation; every
   * step recorded for the proof, literals at level 0 resolved away last.
   * Pre: every literal of `confl` is false, at least one at the current
   * level. Returns the learned clause (asserting literal first) and the
   * level to jump back to.
   */
  private analyze(confl: Clause): { learnt: Clause; backLevel: number } {
    const seen = this.seen;
    const out: number[] = [-1];
    const steps: ResolutionStep[] = [];
    const level0: number[] = [];
    const cur = this.decisionLevel();
    let pathC = 0;
    let p = -1;
    let idx = this.trail.length - 1;
    let c: Clause = confl;
    const touched: number[] = [];
    for (;;) {
      if (c.learnt) this.bumpClause(c);
      for (const q of c.lits) {
        if (q === p) continue; // c is the reason for p: p itself is not resolved on
        const v = litVar(q);
        if (seen[v]) continue;
        seen[v] = 1;
        touched.push(v);
        if (this.level[v] === 0) {
          level0.push(v);
          continue;
        }
        this.bumpVar(v);
        if (this.level[v]! >= cur) pathC++;
        else out.push(q);
      }
      while (!seen[litVar(this.trail[idx]!)] || this.level[litVar(this.trail[idx]!)] === 0) idx--;
      p = this.trail[idx]!;
      idx--;
      pathC--;
      if (pathC === 0) break;
      const r = this.reason[litVar(p)]!;
      steps.push({ pivot: p, reason: r });
      c = r;
    }
    out[0] = negate(p);
    // local minimisation: drop q when every other literal of its reason is in the clause or at level 0
    const inClause = new Set(out.map(litVar));
    const removable: number[] = [];
    for (let t = 1; t < out.length; t++) {
      const v = litVar(out[t]!);
      const r = this.reason[v];
      if (!r) continue;
      if (r.lits.every((q) => litVar(q) === v || inClause.has(litVar(q)) || this.level[litVar(q)] === 0)) removable.push(v);
    }
    removable.sort((a, b) => this.trailPos[b]! - this.trailPos[a]!);
    for (const v of removable) {
      const r = this.reason[v]!;
      steps.push({ pivot: litOf(v, this.assign[v] === SIGN_ACT), reason: r });
      for (const q of r.lits) {
        const u = litVar(q);
        if (this.level[u] === 0 && !seen[u]) {
          seen[u] = 1;
          touched.push(u);
          level0.push(u);
        }
      }
    }
    const drop = new Set(removable);
    const lits = out.filter((q, t) => t === 0 || !drop.has(litVar(q)));
    this.resolveLevel0(level0, steps, touched);
    for (const v of touched) seen[v] = 0;
    // backjump level: the highest level among the other literals (moved to position 1 for watching)
    let backLevel = 0;
    for (let t = 1; t < lits.length; t++) {
      const lv = this.level[litVar(lits[t]!)]!;
      if (lv > backLevel) {
        backLevel = lv;
        [lits[1], lits[t]] = [lits[t]!, lits[1]!];
      }
    }
    const learnt = this.newClause(lits, true, { kind: 'resolution', start: confl, steps });
    learnt.lbd = new Set(lits.map((q) => this.level[litVar(q)])).size;
    return { learnt, backLevel };
  }

  /**
   * Appends the steps that remove level-0 literals from a cube, latest on
   * the trail first (their reasons hold only earlier level-0 literals).
   * `pending` lists variables already marked in `seen`.
   */
  private resolveLevel0(pending: number[], steps: ResolutionStep[], touched: number[]): void {
    const seen = this.seen;
    const queue = [...pending].sort((a, b) => this.trailPos[b]! - this.trailPos[a]!);
    // a max-heap by trail position would do; the level-0 trail is short, so sort as we go
    while (queue.length > 0) {
      const v = queue.shift()!;
      const r = this.reason[v]!;
      steps.push({ pivot: litOf(v, this.assign[v] === SIGN_ACT), reason: r });
      let added = false;
      for (const q of r.lits) {
        const u = litVar(q);
        if (u === v || seen[u]) continue;
        seen[u] = 1;
        touched.push(u);
        queue.push(u);
        added = true;
      }
      if (added) queue.sort((a, b) => this.trailPos[b]! - this.trailPos[a]!);
    }
  }

  /**
   * The refutation at level 0 (or below the assumptions): every literal of
   * the falsified clause resolved away with its reason, latest first, until
   * only decisions remain (none at level 0).
   */
  private finalDerivation(confl: Clause): Justification {
    const seen = this.seen;
    const touched: number[] = [];
    const steps: ResolutionStep[] = [];
    const pending: number[] = [];
    for (const q of confl.lits) {
      const v = litVar(q);
      if (seen[v]) continue;
      seen[v] = 1;
      touched.push(v);
      pending.push(v);
    }
    // resolve every literal that has a reason, latest on the trail first
    const queue = pending.filter((v) => this.reason[v] !== undefined).sort((a, b) => this.trailPos[b]! - this.trailPos[a]!);
    while (queue.length > 0) {
      const v = queue.shift()!;
      const r = this.reason[v]!;
      steps.push({ pivot: litOf(v, this.assign[v] === SIGN_ACT), reason: r });
      let added = false;
      for (const q of r.lits) {
        const u = litVar(q);
        if (u === v || seen[u]) continue;
        seen[u] = 1;
        touched.push(u);
        if (this.reason[u] !== undefined) {
          queue.push(u);
          added = true;
        }
      }
      if (added) queue.sort((a, b) => this.trailPos[b]! - this.trailPos[a]!);
    }
    for (const v of touched) seen[v] = 0;
    return steps.length === 0 ? confl.just : { kind: 'resolution', start: confl, steps };
  }

  // ------------------------------------------------------------ activities

  /** Raises v's activity by the current bump, rescaling every activity past the limit (defaults.ts). */
  private bumpVar(v: number): void {
    this.activity[v] = this.activity[v]! + this.varInc;
    if (this.activity[v] > CDCL_DEFAULTS.varActivityLimit) {
      for (let u = 0; u < this.nVars; u++) this.activity[u]! *= CDCL_DEFAULTS.varRescale;
      this.varInc *= CDCL_DEFAULTS.varRescale;
    }
    this.heap.update(v);
  }

  /** The same for a learned clause. */
  private bumpClause(c: Clause): void {
    if ((c.activity += this.clauseInc) > CDCL_DEFAULTS.clauseActivityLimit) {
      for (const l of this.learnts) l.activity *= CDCL_DEFAULTS.clauseRescale;
      this.clauseInc *= CDCL_DEFAULTS.clauseRescale;
    }
  }

  /** Decays every activity, by growing the bumps (MiniSat's varDecayActivity, claDecayActivity). */
  private decayActivities(): void {
    this.varInc /= CDCL_DEFAULTS.varDecay;
    this.clauseInc /= CDCL_DEFAULTS.clauseDecay;
  }

  // ------------------------------------------------------------ backtracking and learned clauses

  /** Undoes every assignment above `level` (MiniSat's cancelUntil), saving phases, and the simplex bounds with them. */
  private backtrack(level: number): void {
    if (this.decisionLevel() <= level) return;
    const lim = this.trailLim[level]!;
    for (let t = this.trail.length - 1; t >= lim; t--) {
      const v = litVar(this.trail[t]!);
      this.savedPhase[v] = this.assign[v]!;
      this.assign[v] = UNASSIGNED;
      this.reason[v] = undefined;
      this.heap.insert(v);
    }
    this.trail.length = lim;
    this.trailLim.length = level;
    this.qhead = lim;
    if (this.theoryHead > lim) {
      this.theoryHead = lim;
      this.theory.simplex.backtrack(this.simplexLim[level]!);
    }
    this.simplexLim.length = level;
    this.lex?.backtrack(level);
  }

  /** Watches the clause's first two literals. */
  private attach(c: Clause): void {
    this.watches[c.lits[0]!]!.push(c);
    if (c.lits.length > 1) this.watches[c.lits[1]!]!.push(c);
  }

  /** Adds a learned clause after the backjump: watched (unless a unit), and its first literal implied. */
  private addLearnt(c: Clause): void {
    this.stats.learnts++;
    if (c.lits.length === 1) {
      this.enqueue(c.lits[0]!, c);
      if (this.shareable(c)) this.opts.onShort?.(c);
      return;
    }
    this.learnts.push(c);
    this.attach(c);
    this.bumpClause(c);
    this.enqueue(c.lits[0]!, c);
    if (this.shareable(c)) this.opts.onShort?.(c);
  }

  /** Short enough to share with other searches of the case, and derived without imported clauses. */
  private shareable(c: Clause): boolean {
    return c.lits.length <= (this.opts.shareSize ?? 0) && !c.usesImported;
  }

  // ------------------------------------------------------------ restarts and reduction

  /** Time for a restart: the current Luby interval of conflicts has passed. */
  private restarting(): boolean {
    return this.conflictsUntilRestart <= 0;
  }

  /** Back to level 0, the next Luby interval; imports clauses from other searches (opts.onRestart). */
  private restart(): void {
    this.conflictsUntilRestart = this.opts.restartUnit * luby(this.lubyIndex++);
    this.stats.restarts++;
    this.backtrack(0);
    if (this.stats.conflicts >= (this.opts.lexAfter ?? CDCL_DEFAULTS.lexAfterConflicts)) this.startLex();
    this.opts.onRestart?.();
  }

  /** Time for reduceDb: as many learned clauses as the current limit. */
  private reducing(): boolean {
    return this.learnts.length >= this.maxLearnts;
  }

  /**
   * Deletes about half of the learned clauses, the least active first
   * (MiniSat's reduceDB); glue clauses and reasons stay. The limit then
   * grows by CDCL_DEFAULTS.learntGrowth.
   */
  private reduceDb(): void {
    const locked = (c: Clause): boolean => {
      const v = litVar(c.lits[0]!);
      return this.reason[v] === c && this.value(c.lits[0]!) === TRUE;
    };
    const sorted = [...this.learnts].sort((a, b) => a.activity - b.activity);
    const limit = sorted.length >> 1;
    let removed = 0;
    for (const c of sorted) {
      if (removed >= limit) break;
      if (c.lbd <= CDCL_DEFAULTS.glueLbd || c.lits.length <= 2 || locked(c)) continue;
      c.deleted = true;
      removed++;
    }
    this.stats.deleted += removed;
    const kept = this.learnts.filter((c) => !c.deleted);
    this.learnts.length = 0;
    this.learnts.push(...kept);
    for (const ws of this.watches) {
      let j = 0;
      for (const c of ws) if (!c.deleted) ws[j++] = c;
      ws.length = j;
    }
    this.maxLearnts = Math.floor(this.maxLearnts * CDCL_DEFAULTS.learntGrowth);
  }

  // ------------------------------------------------------------ decisions

  /**
   * The next assumption to decide (MiniSat's solve(assumps)): a literal, or
   * undefined once every assumption holds on its level; an assumption
   * already true gets an empty level, so levels and assumptions stay
   * aligned. An assumption already false ends the search: the derivation
   * of a cube of the assumptions is returned.
   */
  private nextAssumption(): number | Justification | undefined {
    const assumptions = this.assumptions;
    while (this.decisionLevel() < assumptions.length) {
      const p = assumptions[this.decisionLevel()]!;
      const val = this.value(p);
      if (val === FALSE) {
        const r = this.reason[litVar(p)];
        if (!r) throw new Error('cdcl: contradictory assumptions (a literal and its opposite)');
        return this.finalDerivation(r);
      }
      if (val === UNASSIGNED) return p;
      this.newDecisionLevel();
    }
    return undefined;
  }

  /** The next decision: the unassigned variable of largest activity, on its phase; undefined when every variable is assigned. */
  private pickBranch(): number | undefined {
    for (;;) {
      const v = this.heap.removeMax();
      if (v === undefined) return undefined;
      if (this.assign[v] !== UNASSIGNED) continue;
      return litOf(v, this.phaseOf(v));
    }
  }

  /**
   * ACT or INACT for a decision on v: the side the LP point lies on (for l2,
   * the point of the last partial least squares within the bound, l2Guide,
   * once there is one), or the saved phase on a tie.
   */
  private phaseOf(v: number): boolean {
    if (this.opts.phase === 'lp' && this.l2Guide) {
      const j = unitOf(v, this.n);
      const x = this.inst.points[pointOf(v, this.n)]!;
      let h = this.l2Guide.get(`b:${j}`)?.toNumber() ?? 0; // a guide only
      x.forEach((xt, t) => (h += xt.toNumber() * (this.l2Guide!.get(`w:${j}:${t}`)?.toNumber() ?? 0)));
      const threshold = this.relu ? 0 : 0.5;
      if (h > threshold + CDCL_DEFAULTS.phaseMargin) return true;
      if (h < threshold - CDCL_DEFAULTS.phaseMargin) return false;
    } else if (this.opts.phase === 'lp') {
      const h = this.theory.simplex.value[this.theory.preVar[v]!]!;
      const threshold = this.relu ? 0 : 0.5;
      if (h > threshold + CDCL_DEFAULTS.phaseMargin) return true;
      if (h < threshold - CDCL_DEFAULTS.phaseMargin) return false;
    }
    return this.savedPhase[v] === SIGN_ACT;
  }

  /** A decision: a new level with `lit` true. */
  private decide(lit: number): void {
    this.opts.tick?.(this.decisionLevel());
    this.stats.decisions++;
    this.newDecisionLevel();
    // the simplex mark must sit after every literal already sent: send them all first
    this.enqueue(lit, undefined);
  }

  /** Opens a decision level: the trail's length and the simplex's undo mark now. */
  private newDecisionLevel(): void {
    this.trailLim.push(this.trail.length);
    this.simplexLim.push(this.theory.simplex.mark());
    this.lex?.newLevel();
  }

  /**
   * Every literal assigned and the float consistent: the exact LP of all
   * rows decides (for l2, the exact QP of the pattern: l2.ts). Feasible:
   * the point is a network that fits (thrown as Found). Infeasible (for l2
   * also: least squared error beyond the bound): its multipliers become a
   * conflict clause, which the next round of search analyses.
   */
  private decideComplete(): void {
    if (this.inst.loss.type === 'l2') {
      // the squared loss: the exact QP of the pattern, its conflict shrunk to few points (l2.ts)
      const all = Array.from({ length: this.n }, (_, i) => i);
      const ex = l2Conflict(this.theory, this.trail, all, this.opts.deadline ?? Deadline.NONE);
      if (ex.kind === 'within') throw new Error('cdcl l2: a full pattern within the bound was not a witness (bug)');
      this.pendingConflict = this.l2Clause(ex);
      return;
    }
    const rows = this.assertedRows();
    const ex = this.theory.exactDecide(rows);
    if (ex.status === 'feasible') {
      const net = networkFromPoint(this.inst, this.c, ex.point);
      const rep = acceptWitness(this.inst, net);
      if (rep) throw new Found(net, rep.loss);
      throw new Error('cdcl engine: every literal fixed and the exact LP feasible, but the network does not fit (bug)');
    }
    this.pendingConflict = this.conflictClause(this.theory.conflictOfMultipliers(ex.kind, ex.multipliers));
  }

  /** The clause of an exact l2 conflict (l2.ts): the negations of the literals whose rows it uses. */
  private l2Clause(ex: L2Conflict): Clause {
    this.stats.theoryConflicts++;
    const just: Justification =
      ex.kind === 'l2dual' ? { kind: 'l2dual', residuals: ex.residuals, multipliers: ex.multipliers } : { kind: ex.kind, multipliers: ex.multipliers };
    return this.newClause(ex.literals.map(negate), false, just);
  }

  /**
   * The squared loss at a consistent partial pattern (l2.ts): the points
   * whose every unit's literal is assigned, once at least two are and
   * those points with their literals are not known to be within the bound
   * (l2Seen); their exact least squared error beyond the bound is a
   * conflict clause. Undefined otherwise (and always for the other losses,
   * and at full patterns, which decideComplete decides); within the bound,
   * the optimum becomes the phase guide (l2Guide), or a witness (Found).
   */
  private l2Partial(): Clause | undefined {
    if (this.inst.loss.type !== 'l2') return undefined;
    const points: number[] = [];
    for (let i = 0; i < this.n; i++) {
      let all = true;
      for (let j = 0; j < this.k && all; j++) all = this.assign[varOf(j, i, this.n)] !== UNASSIGNED;
      if (all) points.push(i);
    }
    if (points.length < 2 || points.length === this.n) return undefined;
    const key = points.map((i) => `${i}:${Array.from({ length: this.k }, (_, j) => this.assign[varOf(j, i, this.n)]).join('')}`).join(',');
    if (this.l2Seen.has(key)) return undefined;
    const ex = l2Conflict(this.theory, this.trail, points, this.opts.deadline ?? Deadline.NONE);
    if (ex.kind === 'within') {
      // a cache only: forgetting costs QPs, never answers
      if (this.l2SeenChars + key.length > CDCL_DEFAULTS.l2SeenChars) {
        this.l2Seen.clear();
        this.l2SeenChars = 0;
      }
      this.l2Seen.add(key);
      this.l2SeenChars += key.length;
      this.l2Guide = ex.point;
      return undefined;
    }
    return this.l2Clause(ex);
  }

  // ------------------------------------------------------------ the search loop

  /**
   * Runs the search for at most `conflictBudget` conflicts. A witness is
   * thrown as Found. Returns 'unsat' with the level-0 refutation, or
   * 'budget'.
   */
  search(conflictBudget: number): SearchOutcome {
    try {
      return this.searchOn(conflictBudget);
    } catch (e) {
      // stopped from outside (deadline, node budget, cancellation): the clause database is whole (no
      // clause is half-added when tick, the simplex's interrupted or an exact solve's deadline throws),
      // so back to level 0 and the search can go on later, under the same or other assumptions
      if (e instanceof Interrupted || e instanceof Timeout) {
        this.pendingConflict = undefined;
        this.backtrack(0);
        // a branching variable taken from the heap just before the stop was never assigned: put it back
        for (let v = 0; v < this.nVars; v++) if (this.assign[v] === UNASSIGNED) this.heap.insert(v);
      }
      throw e;
    }
  }

  /** search's loop (MiniSat's search): propagate; on a conflict learn, restart, reduce; else probe for a witness and decide. */
  private searchOn(conflictBudget: number): SearchOutcome {
    if (this.refuted) return { status: 'unsat', root: this.refuted };
    if (!this.initialised) {
      const base = this.init();
      if (base) {
        this.refutedAll = true;
        return this.unsat(base);
      }
    }
    let conflictsHere = 0;
    for (;;) {
      let confl = this.pendingConflict;
      this.pendingConflict = undefined;
      if (!confl) {
        confl = this.propagate() ?? this.propagateSymmetry() ?? this.propagateLex();
        if (!confl && this.qhead < this.trail.length) continue; // symmetry or lex-leader propagated: unit propagation again
        if (!confl) confl = this.theoryPropagate();
        if (!confl && this.opts.propagateTheory !== false && this.impliedLiterals() > 0) continue;
        if (!confl) confl = this.l2Partial();
      }
      if (confl) {
        this.stats.conflicts++;
        conflictsHere++;
        this.opts.tick?.(this.decisionLevel());
        const refutation = this.learnFrom(confl);
        if (refutation) {
          this.refutedAll = true;
          return this.unsat(refutation);
        }
        if (this.restarting()) {
          this.restart();
          if (conflictsHere >= conflictBudget) return { status: 'budget' };
        }
        if (this.reducing()) this.reduceDb();
        continue;
      }
      // consistent: probe the LP point as a network, then decide (the assumptions first, one level each)
      const witness = probeWitness(this.inst, this.c, this.theory);
      if (witness) throw new Found(witness.network, witness.loss);
      const assumed = this.nextAssumption();
      if (typeof assumed === 'object') return this.unsat(assumed);
      const next = assumed ?? this.pickBranch();
      if (next === undefined) this.decideComplete();
      else this.decide(next);
    }
  }

  /**
   * One conflict: back to the highest level among its literals, first-UIP
   * analysis, backjump, the learned clause added and its literal implied;
   * the activities decay and the restart count goes down. Returns the
   * refutation instead when every literal of the conflict sits at level 0.
   */
  private learnFrom(confl: Clause): Justification | undefined {
    let maxLevel = 0;
    for (const q of confl.lits) maxLevel = Math.max(maxLevel, this.level[litVar(q)]!);
    if (maxLevel === 0) return this.finalDerivation(confl);
    if (maxLevel < this.decisionLevel()) this.backtrack(maxLevel);
    const { learnt, backLevel } = this.analyze(confl);
    this.backtrack(backLevel);
    this.addLearnt(learnt);
    this.decayActivities();
    this.conflictsUntilRestart--;
    return undefined;
  }

  private unsat(root: Justification): SearchOutcome {
    this.refuted = root;
    return { status: 'unsat', root };
  }
}

/** The float guide cannot be trusted here: the caller falls back to the tree search. */
export class FloatDoubt extends Error {}
/** The caller's interrupt (deadline) fired inside the simplex. */
export class Interrupted extends Error {}
