/**
 * Lookahead for cube-and-conquer: which literal to split a node on, chosen
 * with the float LP (a guide only: every cube is later proved exactly, and a
 * bad choice can only cost time).
 *
 * As in SAT lookahead solvers (the cube phase of cube-and-conquer, Heule et
 * al., HVC 2011), candidate literals are tried on both sides: the children's
 * float LPs are solved, warm-started from the node's tableau. A side whose LP
 * is infeasible makes a *failed literal*: that side closes at once, the other
 * side carries on with one literal more, and the split costs nothing. The
 * candidates are the pairs whose relaxed output is furthest from the true
 * activation at the LP point (literal-gap.ts), which the exact engine itself
 * branches on.
 */
import type { Instance } from '../core/types.js';
import type { LinRow } from '../encode/rows.js';
import { type Literal, baseRows, literalRows, normalisationCases, type Case } from '../encode/system.js';
import { floatDecide } from '../engines/lp/float-lp.js';
import { FloatTableau } from '../engines/lp/float-tableau.js';
import { type LiteralGap, literalGaps } from '../engines/literal-gap.js';

/** What the float LP says about a node (a case and the literals on its path). */
export interface NodeView {
  status: 'feasible' | 'infeasible' | 'unsure';
  /** undetermined pairs, with their gap at the LP point (feasible only) */
  gaps: LiteralGap[];
  /** pairs whose gap exceeds UNSTABLE (a tie-break when choosing which leaf to split) */
  unstable: number;
  tableau?: FloatTableau;
}

export interface SplitChoice {
  unit: number;
  point: number;
  act: NodeView;
  inact: NodeView;
}

/** A gap above this counts as unstable (float noise is far below it). */
const UNSTABLE = 1e-6;

export class Lookahead {
  readonly cases: Case[];
  private readonly bases: LinRow[][];

  constructor(
    private readonly inst: Instance,
    /** candidates tried on both sides per node: the pairs with the largest gaps */
    private readonly candidates = 8,
  ) {
    this.cases = normalisationCases(inst);
    this.bases = this.cases.map((c) => baseRows(inst, c));
  }

  /** The float LP at a node; from the parent's tableau when given (two rows more than the parent). */
  view(caseIndex: number, path: readonly Literal[], parent?: FloatTableau): NodeView {
    const c = this.cases[caseIndex]!;
    const last = path[path.length - 1];
    let tableau = parent && last ? parent.child(literalRows(this.inst, c, last)) : undefined;
    const rows = (): LinRow[] => [...this.bases[caseIndex]!, ...path.flatMap((l) => literalRows(this.inst, c, l))];
    if (!tableau) tableau = FloatTableau.root(rows());
    let r = tableau.result();
    if (r.status === 'unsure') {
      tableau = undefined;
      r = floatDecide(rows());
    }
    if (r.status !== 'feasible') return { status: r.status, gaps: [], unstable: 0 };
    const fixed = new Set(path.map((l) => `${l.unit}:${l.point}`));
    const gaps = literalGaps(this.inst, c, r.point, fixed);
    return { status: 'feasible', gaps, unstable: gaps.filter((g) => g.gap > UNSTABLE).length, ...(tableau ? { tableau } : {}) };
  }

  /**
   * The literal to split a feasible node on, with its children's views.
   * Lookahead tries the candidates (largest gaps first) on both sides; the
   * first failed literal (one side's LP infeasible, so that side closes at
   * once) is taken; otherwise the largest-gap literal, the exact engine's own
   * branching choice, so the cubes are the top of the tree the engine itself
   * would search (docs/cluster.md, "Choosing the split literals", has the
   * measurements behind this). Undefined when the node is not feasible or
   * has no undetermined pair left.
   */
  chooseSplit(caseIndex: number, path: readonly Literal[], node: NodeView): SplitChoice | undefined {
    if (node.status !== 'feasible' || node.gaps.length === 0) return undefined;
    const ranked = [...node.gaps].sort((x, y) => y.gap - x.gap).slice(0, this.candidates);
    let first: SplitChoice | undefined;
    for (const g of ranked) {
      const child = (active: boolean): NodeView => this.view(caseIndex, [...path, { unit: g.unit, point: g.point, active }], node.tableau);
      const choice = { unit: g.unit, point: g.point, act: child(true), inact: child(false) };
      if (choice.act.status === 'infeasible' || choice.inact.status === 'infeasible') return choice;
      first ??= choice;
    }
    return first;
  }
}
