/**
 * Lex-leader propagation (docs/lemmas.md L10, docs/engines.md "Symmetry"):
 * for every comparison phi of the case (src/engines/symmetry/group.ts
 * lexElements), the network's literals, read in variable order v = j n + i
 * with ACT above INACT, are at least their image, whose letter at v is the
 * network's at phi(v). At the first position p where the two may differ:
 * INACT at p forces INACT at phi(p); ACT at phi(p) forces ACT at p; INACT at
 * p with ACT at phi(p) is a conflict; ACT at p with INACT at phi(p)
 * satisfies the comparison. Each cut is a lex leaf naming the comparison and
 * p, whose cube is the literals of the positions before p that phi moves,
 * with those at p and phi(p).
 *
 * Incremental, as the watched literals of a SAT solver: each comparison
 * keeps the first position not yet known equal (pos) and whether it is
 * satisfied there (done); it watches the two variables of that position and
 * is looked at again only when one of them is assigned. Changes are undone
 * level by level on backtracking, and a comparison whose position moves
 * back watches its old position again.
 */

/** UNASSIGNED in `assign`; otherwise assign[v] is 0 (ACT true) or 1 (INACT true), the solver's encoding. */
const UNASSIGNED = -1;

/** What the propagator asks of the search: make a literal true (v, active), or report a conflict, for comparison e at position p. */
export interface LexSink {
  imply(v: number, active: boolean, e: number, p: number): void;
  conflict(e: number, p: number): void;
}

export class LexPropagator {
  /** per comparison: the first position not known equal */
  private readonly pos: Int32Array;
  /** per comparison: 1 when satisfied at pos (the network above its image) */
  private readonly done: Uint8Array;
  /** per variable: the comparisons that stop at a position involving it (possibly stale entries) */
  private readonly watch: number[][];
  /** undo records (comparison, old pos, old done), and where each decision level's records start */
  private readonly undo: number[] = [];
  private readonly levelStart: number[] = [];
  /** comparisons to look at again */
  private readonly dirty: number[] = [];
  private readonly isDirty: Uint8Array;
  /** how many implications and conflicts it found */
  readonly stats = { implied: 0, conflicts: 0 };

  constructor(
    /** per comparison, phi as a map of variables */
    readonly phis: readonly Int32Array[],
    readonly nVars: number,
    /** the search's assignment: UNASSIGNED, 0 (ACT) or 1 (INACT) per variable */
    private readonly assign: Int8Array,
  ) {
    this.pos = new Int32Array(phis.length);
    this.done = new Uint8Array(phis.length);
    this.isDirty = new Uint8Array(phis.length);
    this.watch = Array.from({ length: nVars }, () => []);
    for (let e = 0; e < phis.length; e++) this.markDirty(e);
  }

  /** The letter at v: 1 for ACT, 0 for INACT, -1 unassigned. */
  private letter(v: number): number {
    const a = this.assign[v]!;
    return a === UNASSIGNED ? -1 : a === 0 ? 1 : 0;
  }

  private markDirty(e: number): void {
    if (this.isDirty[e] === 1) return;
    this.isDirty[e] = 1;
    this.dirty.push(e);
  }

  /** Variable v was assigned: the comparisons watching it are looked at again. */
  assigned(v: number): void {
    const list = this.watch[v]!;
    if (list.length === 0) return;
    this.watch[v] = [];
    for (const e of list) this.markDirty(e);
  }

  /** A new decision level starts. */
  newLevel(): void {
    this.levelStart.push(this.undo.length);
  }

  /** Back to decision level `level`: the changes of the levels above are undone, and the comparisons whose position moved back watch it again. */
  backtrack(level: number): void {
    if (this.levelStart.length <= level) return;
    const start = this.levelStart[level]!;
    for (let r = this.undo.length - 3; r >= start; r -= 3) {
      const e = this.undo[r]!;
      this.pos[e] = this.undo[r + 1]!;
      this.done[e] = this.undo[r + 2]!;
      this.watchAt(e);
    }
    this.undo.length = start;
    this.levelStart.length = level;
  }

  /** Comparison e watches the two variables of its position (nothing when it is satisfied or past the end). */
  private watchAt(e: number): void {
    const p = this.pos[e]!;
    if (this.done[e] === 1 || p >= this.nVars) return;
    this.watch[p]!.push(e);
    const u = this.phis[e]![p]!;
    if (u !== p) this.watch[u]!.push(e);
  }

  /**
   * Looks at every comparison that may have changed, advancing each as far
   * as the assignment allows and implying or reporting as the file comment
   * says; stops at the first conflict (returns true). `sink.imply` must make
   * the literal true at once (the search enqueues it).
   */
  propagate(sink: LexSink): boolean {
    while (this.dirty.length > 0) {
      const e = this.dirty.pop()!;
      this.isDirty[e] = 0;
      if (this.done[e] === 1) continue;
      const phi = this.phis[e]!;
      const oldPos = this.pos[e]!;
      let p = oldPos;
      let done = 0;
      let conflict = false;
      for (; p < this.nVars; p++) {
        const u = phi[p]!;
        if (u === p) continue;
        const x = this.letter(p);
        const y = this.letter(u);
        if (x >= 0 && y >= 0) {
          if (x === y) continue;
          if (x > y) done = 1;
          else conflict = true;
          break;
        }
        if (x === 0) {
          sink.imply(u, false, e, p);
          this.stats.implied++;
          continue;
        }
        if (y === 1) {
          sink.imply(p, true, e, p);
          this.stats.implied++;
          continue;
        }
        break;
      }
      if (p !== oldPos || done === 1) {
        if (this.levelStart.length > 0) this.undo.push(e, oldPos, 0);
        this.pos[e] = p;
        this.done[e] = done;
      }
      if (conflict) {
        this.stats.conflicts++;
        // watched again where it stopped, so that after the backjump it is looked at
        this.watchAt(e);
        sink.conflict(e, p);
        return true;
      }
      this.watchAt(e);
    }
    return false;
  }
}
