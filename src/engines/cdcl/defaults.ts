/**
 * The tuning constants of the conflict-driven engine in one table (docs/engines.md, "The
 * conflict-driven engine"). They steer the search only: any value gives the same verdicts and
 * certificates the checker accepts, but a different order of search, so changing one changes node
 * counts and the benchmark (docs/benchmark.md). The values are MiniSat's where MiniSat has the
 * same knob (Een & Sorensson, SAT 2003; MiniSat 2.2's defaults), else measured on bench/hard.
 */
export const CDCL_DEFAULTS = {
  /** conflicts per Luby unit: the i-th restart comes restartUnit * luby(i) conflicts after the one before (MiniSat: 100) */
  restartUnit: 100,
  /** VSIDS: variable activities decay by this factor at every conflict, done as a bump that grows by 1 / varDecay (MiniSat: 0.95) */
  varDecay: 0.95,
  /** the same for learned clauses' activities (MiniSat: 0.999) */
  clauseDecay: 0.999,
  /** when a variable's activity exceeds this, every activity and the bump are multiplied by varRescale (MiniSat: 1e100, 1e-100) */
  varActivityLimit: 1e100,
  varRescale: 1e-100,
  /** the same for learned clauses (MiniSat: 1e20, 1e-20) */
  clauseActivityLimit: 1e20,
  clauseRescale: 1e-20,
  /** learned clauses kept before the first reduction: max(learntFloor, learntsPerVar * variables) */
  learntFloor: 2000,
  learntsPerVar: 4,
  /** after each reduction the limit grows by this factor (MiniSat: 1.1) */
  learntGrowth: 1.1,
  /** a reduction keeps glue clauses: at most this many decision levels (LBD), or at most two literals */
  glueLbd: 2,
  /** a decision takes the LP point's side when its pre-activation is this far from the threshold, else the saved phase */
  phaseMargin: 1e-9,
  /** conflicts per case in cdclSolve's first turn (doubling every turn), and per cube turn */
  turnConflicts: 200,
  /** the conflict budget of a small-core search (core.ts) */
  coreConflicts: 300,
  /**
   * conflicts of a case's search before its lex-leader propagation starts (at the next restart): the cuts
   * keep only lex-leading networks, which the LP phase does not aim at, so a witness that the search without
   * them finds at once can take far longer (parity on the 5-cube with 5 threshold units: 838 conflicts
   * without, over 8,000 with them from the start or after 300), while a refutation pays the delay (parity on
   * the 4-cube with 3 threshold units: 3,854 decisions without, 1,023 from the start, 3,110 after 2,000). On
   * parity of the 5-cube with 4 threshold units the count is chaotic: 50,523 decisions from the start, 108,548
   * after 1,000 (a certificate beyond the checker's default work limit), 64,272 after 2,000
   */
  lexAfterConflicts: 2000,
  /** characters of the keys of partial l2 patterns remembered as within the bound (solver.ts l2Partial) before the cache is emptied (about 40 MB) */
  l2SeenChars: 20_000_000,
} as const;
