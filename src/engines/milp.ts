/**
 * Engine `milp`: the big-M MILP of src/encode/milp/ solved by
 * javascript-lp-solver (floating point), its answer rebuilt exactly.
 *
 * Guarantees: 'feasible' carries a network accepted by acceptWitness (the
 * solver's floats are only a candidate: each weight is turned into a nearby
 * rational, and if that network does not check, the exact LP of the
 * activation pattern the MILP chose is solved with decideRows). A MILP
 * without solution only says what its `meaning` states ("no network with
 * all weights in [-M, M] ...", with the margin of a strict bound), which is
 * reported as 'unknown' with that sentence; except where the MILP is exactly
 * the instance's question (a weight bound that M covers: milpIsExact), where
 * the float "no solution" is a claim about the instance, handed to the
 * default exact engine, whose certified answer is returned ('infeasible'
 * with its proof).
 *
 * Time limit: with a deadline, javascript-lp-solver runs in a child process
 * (workers/milp-worker.ts) that is killed at the deadline, since the library's
 * own `timeout` option does not bound its branch and bound; the exact
 * rebuild checks the same deadline (result.ts Deadline).
 *
 * Also exported: the rebuild helpers that `relucert crosscheck` uses for the
 * solutions of glpsol and cbc, and `patternWitness` (also used by z3).
 */
import lpSolverModule from 'javascript-lp-solver';
import { FLOAT_RANGE, floatsCanGuide } from '../core/float-range.js';
import { Q, approximate } from '../core/rational.js';
import type { Instance, Network } from '../core/types.js';
import { assertNever } from '../core/types.js';
import { buildMilp } from '../encode/milp/big-m.js';
import { toJsLpModel } from '../encode/milp/js-lp-model.js';
import { milpIsExact, milpMeaning } from '../encode/milp/meaning.js';
import { DEFAULT_BIG_M, DEFAULT_EPSILON, MILP_NO_L2, type MilpOptions } from '../encode/milp/model.js';
import { type Pattern, patternRows } from '../encode/milp/pattern.js';
import { type Case, outputExpr } from '../encode/system.js';
import { decideRows } from './lp/exact-lp.js';
import { minimizeSquares } from './lp/exact-qp.js';
import { Deadline, type SolveOptions, type SolveResult, Timeout, emptyStats } from './result.js';
import { runProcess } from './workers/worker.js';
import { acceptWitness, networkFromPoint, scaledIntoBound } from './witness.js';
import { instanceToJson } from '../format/write.js';
import { certifyClaim } from './certify-claim.js';

/** A network and its exact loss, when it passed acceptWitness. */
export interface Rebuilt {
  network: Network;
  loss: Q;
  /** How it was obtained: the solver's values read directly, or the exact LP of their activation pattern. */
  via: 'values' | 'pattern-lp';
}

/**
 * The network whose weights are `get(name)` for the encodings' variable names
 * (w_j_t, b_j, c, and a_j when the output weights are variables); output
 * weights from `a` when given. Missing values are 0.
 */
export function networkFromValues(inst: Instance, get: (name: string) => Q | undefined, a: Q[]): Network {
  const { hidden: k, activation, slope, outputBias } = inst.architecture;
  const d = inst.points[0]?.length ?? 0;
  const v = (name: string): Q => get(name) ?? Q.ZERO;
  return {
    layers: [
      {
        activation,
        ...(slope !== undefined ? { slope } : {}),
        weights: Array.from({ length: k }, (_, j) => Array.from({ length: d }, (_, t) => v(`w_${j}_${t}`))),
        bias: Array.from({ length: k }, (_, j) => v(`b_${j}`)),
      },
      { activation: 'identity', weights: [a], bias: [outputBias ? v('c') : Q.ZERO] },
    ],
  };
}

/** The instance's fixed output weights, or undefined when they are variables. */
export function fixedOutputWeights(inst: Instance): Q[] | undefined {
  const ow = inst.architecture.outputWeights;
  switch (ow.mode) {
    case 'positive':
      return Array.from({ length: inst.architecture.hidden }, () => Q.ONE);
    case 'fixed':
      return ow.values;
    case 'signs':
    case 'free':
      return undefined;
    default:
      return assertNever(ow);
  }
}

/**
 * Solves the exact LP of one activation pattern (base rows + every literal
 * row) and returns its network if it passes acceptWitness. Sound for any
 * case and pattern: whatever it returns has been checked exactly.
 */
export function patternWitness(inst: Instance, p: Pattern, deadline: Deadline = Deadline.NONE): Rebuilt | undefined {
  if (inst.loss.type === 'l2') {
    // the least sum of squares on the pattern (lp/exact-qp.ts)
    const outputs = inst.points.map((_, i) => outputExpr(inst, p.case, i));
    const qp = minimizeSquares(patternRows(inst, p), outputs, inst.labels, undefined, deadline);
    if (qp.status !== 'optimal') return undefined;
    const net = networkFromPoint(inst, p.case, qp.point);
    const rep = acceptWitness(inst, net);
    return rep ? { network: net, loss: rep.loss, via: 'pattern-lp' } : undefined;
  }
  const lp = decideRows(patternRows(inst, p), undefined, deadline);
  if (lp.status !== 'feasible') return undefined;
  const net = networkFromPoint(inst, p.case, lp.point);
  const rep = acceptWitness(inst, net);
  return rep ? { network: net, loss: rep.loss, via: 'pattern-lp' } : undefined;
}

/**
 * Rebuilds a MILP solution (floating-point values of the src/encode/milp/
 * variables; missing = 0) into an exact witness, or undefined. Steps: round
 * every weight to a rational with denominator <= maxDen and check; else
 * solve the exact LP of the pattern given by the binaries (d_j_i or s_j_i,
 * and g_j for the signs).
 */
export function rebuildMilpSolution(
  inst: Instance,
  values: ReadonlyMap<string, number>,
  maxDen = 1_000_000n,
  deadline: Deadline = Deadline.NONE,
): Rebuilt | undefined {
  const { hidden: k, activation, outputWeights: ow } = inst.architecture;
  const n = inst.points.length;
  const num = (name: string): number => values.get(name) ?? 0;
  const bit = (name: string): boolean => num(name) >= 0.5;
  const fixed = fixedOutputWeights(inst);
  const freeThreshold = activation === 'threshold' && ow.mode === 'free';
  const signs = Array.from({ length: k }, (_, j) => (bit(`g_${j}`) ? Q.ONE : Q.MINUS_ONE));
  const approx = (name: string): Q | undefined => {
    const x = values.get(name);
    return x === undefined || !Number.isFinite(x) ? undefined : approximate(x, maxDen);
  };
  const a = fixed ?? (freeThreshold ? Array.from({ length: k }, (_, j) => approx(`a_${j}`) ?? Q.ZERO) : signs);
  const net = scaledIntoBound(inst, networkFromValues(inst, approx, a));
  const rep = acceptWitness(inst, net);
  if (rep) return { network: net, loss: rep.loss, via: 'values' };
  const c: Case = fixed ? { a: fixed } : freeThreshold ? { a: 'free' } : { a: signs };
  const bin = activation !== 'threshold' ? 'd' : 's';
  const active = Array.from({ length: k }, (_, j) => Array.from({ length: n }, (_, i) => bit(`${bin}_${j}_${i}`)));
  return patternWitness(inst, { case: c, active }, deadline);
}

/** The package's types describe its CommonJS build; under ESM the solver is the default export. */
interface JsLpSolver {
  Solve(model: unknown): unknown;
}
const lpModule = lpSolverModule as unknown as JsLpSolver & { default?: JsLpSolver };
const lpSolver: JsLpSolver = typeof lpModule.Solve === 'function' ? lpModule : lpModule.default!;

interface JsLpResult {
  feasible: boolean;
  [v: string]: number | boolean | undefined;
}

/**
 * The instance's MILP (bound M, margin epsilon) built, written as
 * javascript-lp-solver's model and solved, in this thread: the solver's
 * values of the model's variables, or undefined when it found no solution.
 * workers/milp-worker.ts runs the same in a child process.
 */
export function solveMilpHere(inst: Instance, opts: MilpOptions = {}): Record<string, number> | undefined {
  const model = toJsLpModel(buildMilp(inst, opts));
  // presolve off: javascript-lp-solver 1.0.3's presolve wrongly reports some feasible models infeasible (xor-threshold-k2)
  const res = lpSolver.Solve({ ...model, options: { presolve: false } }) as JsLpResult;
  if (!res.feasible) return undefined;
  const values: Record<string, number> = {};
  for (const [key, v] of Object.entries(res)) if (typeof v === 'number' && key in model.variables) values[key] = v;
  return values;
}

/**
 * Runs javascript-lp-solver on the instance's MILP; the raw float values, or
 * undefined when it found none. With a deadline the whole of it (building
 * the model, which takes seconds for 20,000 points, and solving) runs in a
 * child process (workers/milp-worker.ts) that is killed at the deadline, and the
 * promise rejects with Timeout then.
 */
export async function solveMilpFloat(inst: Instance, opts: MilpOptions & { deadline?: Deadline } = {}): Promise<Map<string, number> | undefined> {
  const deadline = opts.deadline ?? Deadline.NONE;
  const milp: MilpOptions = { ...(opts.bigM ? { bigM: opts.bigM } : {}), ...(opts.epsilon ? { epsilon: opts.epsilon } : {}) };
  const values =
    deadline.at === undefined
      ? solveMilpHere(inst, milp)
      : (
          await runProcess<{ values?: Record<string, number> }>(
            import.meta.url,
            './workers/milp-worker',
            { instance: instanceToJson(inst), bigM: opts.bigM?.toString(), epsilon: opts.epsilon?.toString() },
            deadline,
          )
        ).values;
  return values === undefined ? undefined : new Map(Object.entries(values));
}

/** The reason the engine gives when the MILP has no solution: "milp: no solution: " and the MILP's exact meaning (encode/milp/meaning.ts milpMeaning). */
export const NO_FIT_PREFIX = 'milp: no solution: ';
export const DOES_NOT_CHECK = 'milp solution does not check exactly';
export const MILP_IS_EXACT = "the MILP is exactly the instance's question (M covers the weight bound: encode/milp/meaning.ts milpIsExact)";

/** The engine's solve (see the file comment). */
export async function milpSolve(inst: Instance, opts: SolveOptions, milp: MilpOptions = {}): Promise<SolveResult> {
  const t0 = Date.now();
  const stats = emptyStats();
  const finish = (): typeof stats => ({ ...stats, elapsedMs: Date.now() - t0 });
  const deadline = Deadline.at(opts.deadline);
  if (inst.loss.type === 'l2') return { verdict: 'unknown', reason: `milp: ${MILP_NO_L2}`, stats: finish() };
  if (!floatsCanGuide(inst)) return { verdict: 'unknown', reason: MILP_OUT_OF_RANGE, stats: finish() };
  try {
    deadline.check();
    const bigM = milp.bigM ?? DEFAULT_BIG_M;
    const epsilon = milp.epsilon ?? DEFAULT_EPSILON;
    const values = await solveMilpFloat(inst, { bigM, epsilon, deadline });
    stats.lps = 1;
    if (values === undefined) {
      // where the MILP is exactly the instance's question, its "no solution" is a claim about the instance: certified exactly
      if (milpIsExact(inst, bigM)) return await certifyClaim(inst, opts, `milp: no solution, and ${MILP_IS_EXACT}`, finish());
      return { verdict: 'unknown', reason: NO_FIT_PREFIX + milpMeaning(inst, bigM, epsilon), stats: finish() };
    }
    const rebuilt = rebuildMilpSolution(inst, values, undefined, deadline);
    if (rebuilt?.via === 'pattern-lp') stats.lps++;
    if (!rebuilt) return { verdict: 'unknown', reason: DOES_NOT_CHECK, stats: finish() };
    return { verdict: 'feasible', network: rebuilt.network, loss: rebuilt.loss, stats: finish() };
  } catch (e) {
    if (e instanceof Timeout) return { verdict: 'unknown', reason: 'timeout', stats: finish() };
    throw e;
  }
}

/** The answer where the float range rule (src/core/float-range.ts) says floats cannot represent the instance. */
export const MILP_OUT_OF_RANGE = `milp: a number of the instance lies outside the float range [2^${FLOAT_RANGE.minExp}, 2^${FLOAT_RANGE.maxExp}], where a float MILP cannot decide (docs/engines.md)`;

export const milpEngine = {
  name: 'milp',
  summary:
    'big-M MILP (javascript-lp-solver, floats); witnesses rebuilt exactly; "no solution" is a verdict only under a weight bound that M covers (then certified by the default engine)',
  provesInfeasibility: false,
  solve: (inst: Instance, opts: SolveOptions): Promise<SolveResult> => milpSolve(inst, opts),
};
