/**
 * Engine `z3`: the SMT-LIB text of src/encode/smtlib.ts, decided by the
 * z3-solver npm package (z3 compiled to WebAssembly).
 *
 * Guarantees:
 *  - 'feasible': the network read exactly from z3's model (rationals as
 *    numerator/denominator bigints, never through floats) passed
 *    acceptWitness; if the model has irrational values (QF_NRA) or does not
 *    check, the exact LP of the activation pattern z3 chose is solved instead.
 *  - 'infeasible': z3's unsat is only a claim, so it is certified by handing
 *    the instance to the exact engine (`exact`, else `reference`); the
 *    result returned is that engine's, proof tree included. If that engine
 *    stops, the answer is 'unknown' and says z3 claimed unsat.
 *  - 'unknown': deadline (z3's timeout parameter), z3's own unknown, or a
 *    model that does not check.
 * z3's WebAssembly worker threads do not keep the process alive (see
 * shutdownZ3 for the explicit cleanup).
 */
import type { Instance } from '../core/types.js';
import { Q } from '../core/rational.js';
import { smtlibText } from '../encode/smtlib.js';
import type { Case } from '../encode/system.js';
import type { Engine } from './index.js';
import { fixedOutputWeights, networkFromValues, patternWitness, type Rebuilt } from './milp.js';
import { type SearchStats, type SolveOptions, type SolveResult, emptyStats } from './result.js';
import { acceptWitness } from './witness.js';

type Z3Api = Awaited<ReturnType<typeof import('z3-solver').init>>;

let apiPromise: Promise<Z3Api> | undefined;

async function z3Api(): Promise<Z3Api> {
  apiPromise ??= import('z3-solver').then((m) => m.init());
  return apiPromise;
}

/**
 * Terminates z3's WebAssembly worker threads and forgets the module; the next
 * solve initialises a fresh one. Not needed for the process to exit: z3-solver
 * 4.16's Emscripten runtime unrefs its workers (tests/engines/z3.test.ts
 * checks that a process using the engine exits on its own). Never call it
 * between solves that reuse the module: z3's timer thread (the `timeout`
 * parameter) lives in the pool, and after terminateAllThreads the next
 * check with a timeout waits for it forever.
 */
export async function shutdownZ3(): Promise<void> {
  if (!apiPromise) return;
  const api = await apiPromise;
  apiPromise = undefined;
  const pthread = (api.em as { PThread?: { terminateAllThreads?: () => void } }).PThread;
  pthread?.terminateAllThreads?.();
}

/** Exact value of a model entry, or undefined when it is not a rational numeral. */
type ExactValue = Q | undefined;

/**
 * The exact witness in a model: values read as rationals; or, if some weight
 * is irrational or the network does not check, the exact LP of the pattern
 * read from the model (unit j active at point i iff z_j_i > 0, resp.
 * s_j_i = 1; signs from a_j; a unit with a_j = 0 is taken inactive with
 * a_j = +1, which by L1 changes nothing).
 */
export function rebuildSmtModel(
  inst: Instance,
  value: (name: string) => ExactValue,
  sign: (name: string) => -1 | 0 | 1,
): Rebuilt | undefined {
  const { hidden: k, activation, outputWeights: ow } = inst.architecture;
  const n = inst.points.length;
  const fixed = fixedOutputWeights(inst);
  const aVals = Array.from({ length: k }, (_, j) => value(`a_${j}`));
  if (fixed || aVals.every((v) => v !== undefined)) {
    const net = networkFromValues(inst, value, fixed ?? (aVals as Q[]));
    const rep = acceptWitness(inst, net);
    if (rep) return { network: net, loss: rep.loss, via: 'values' };
  }
  // pattern fallback
  const unitVar = activation === 'relu' ? 'z' : 's';
  const active = Array.from({ length: k }, (_, j) => Array.from({ length: n }, (_, i) => sign(`${unitVar}_${j}_${i}`) > 0));
  let c: Case;
  if (fixed) c = { a: fixed };
  else if (activation === 'threshold' && ow.mode === 'free') c = { a: 'free' };
  else {
    const a = Array.from({ length: k }, (_, j) => {
      const sa = sign(`a_${j}`);
      if (sa === 0) active[j] = active[j]!.map(() => false); // a_j = 0: the unit is dead weight
      return sa < 0 ? Q.MINUS_ONE : Q.ONE;
    });
    c = { a };
  }
  return patternWitness(inst, { case: c, active });
}

/**
 * The instance z3 is given: ReLU units with free output weights become the
 * same instance with output weights `signs` (lemma L1: a * relu(z) =
 * sign(a) * relu(|a| z), and a = 0 is a unit with a = 1, w = 0, b = 0), so
 * the encoding stays linear (QF_LRA) instead of multiplying a_j by z_j_i
 * (QF_NRA). A witness with weights +-1 is a witness with free weights; an
 * unsat of the signs instance is an unsat of the free one (and is certified
 * on the original instance anyway). Everything else is encoded as it is.
 */
export function encodedInstance(inst: Instance): Instance {
  const { activation, outputWeights } = inst.architecture;
  if (activation !== 'relu' || outputWeights.mode !== 'free') return inst;
  return { ...inst, architecture: { ...inst.architecture, outputWeights: { mode: 'signs' } } };
}

async function z3Solve(inst: Instance, opts: SolveOptions): Promise<SolveResult> {
  const t0 = Date.now();
  const stats = (): SearchStats => ({ ...emptyStats(), lps: 0, elapsedMs: Date.now() - t0 });
  if (opts.deadline !== undefined && Date.now() >= opts.deadline) return { verdict: 'unknown', reason: 'timeout', stats: stats() };
  const api = await z3Api();
  let verdict: 'sat' | 'unsat' | 'unknown';
  let rebuilt: Rebuilt | undefined;
  let reasonUnknown = '';
  try {
    const ctx = api.Context('main');
    const solver = new ctx.Solver();
    if (opts.deadline !== undefined) solver.set('timeout', Math.max(1, opts.deadline - Date.now()));
    solver.fromString(smtlibText(encodedInstance(inst)));
    verdict = await solver.check();
    if (verdict === 'sat') {
      const model = solver.model();
      const value = (name: string): ExactValue => {
        const v = model.eval(ctx.Real.const(name), true);
        if (!ctx.isRealVal(v) && !ctx.isIntVal(v)) return undefined;
        if (ctx.isIntVal(v)) return Q.of(v.value());
        const { numerator, denominator } = v.value();
        return Q.of(numerator, denominator);
      };
      const sign = (name: string): -1 | 0 | 1 => {
        const x = ctx.Real.const(name);
        if (ctx.isTrue(model.eval(x.gt(0), true))) return 1;
        return ctx.isTrue(model.eval(x.lt(0), true)) ? -1 : 0;
      };
      rebuilt = rebuildSmtModel(encodedInstance(inst), value, sign);
    } else if (verdict === 'unknown') {
      try {
        reasonUnknown = solver.reasonUnknown();
      } catch {
        reasonUnknown = '';
      }
    }
  } catch (e) {
    return { verdict: 'unknown', reason: `z3 failed: ${(e as Error).message}`, stats: stats() };
  }
  switch (verdict) {
    case 'sat':
      if (!rebuilt) return { verdict: 'unknown', reason: 'z3 model does not check exactly', stats: stats() };
      return { verdict: 'feasible', network: rebuilt.network, loss: rebuilt.loss, stats: stats() };
    case 'unknown': {
      const timedOut = opts.deadline !== undefined && Date.now() >= opts.deadline - 5;
      return { verdict: 'unknown', reason: timedOut || /timeout|canceled/i.test(reasonUnknown) ? 'timeout' : `z3: unknown (${reasonUnknown || 'no reason given'})`, stats: stats() };
    }
    case 'unsat':
      return certifyUnsat(inst, opts, stats());
  }
}

/** z3 said unsat: a claim. Certify it with the exact engine; its answer (proof or witness) is the one returned. */
async function certifyUnsat(inst: Instance, opts: SolveOptions, z3Stats: SearchStats): Promise<SolveResult> {
  const { engines, defaultEngine } = await import('./index.js');
  const certifier = engines[defaultEngine] ?? engines['reference'];
  if (!certifier) return { verdict: 'unknown', reason: 'z3 says unsat (a claim); no exact engine to certify it', stats: z3Stats };
  const r = await certifier.solve(inst, opts);
  const stats: SearchStats = { ...r.stats, elapsedMs: r.stats.elapsedMs + z3Stats.elapsedMs, certifyMs: r.stats.elapsedMs };
  switch (r.verdict) {
    case 'infeasible':
      return { ...r, stats };
    case 'feasible':
      // z3's unsat was wrong: the exact engine's witness has passed acceptWitness.
      return { ...r, stats };
    case 'unknown':
      return { verdict: 'unknown', reason: `z3 says unsat (a claim, not certified: ${certifier.name} engine stopped: ${r.reason})`, stats };
  }
}

export const z3Engine: Engine = {
  name: 'z3',
  summary: 'direct SMT encoding in z3 (WebAssembly; free ReLU output weights as signs, lemma L1); witnesses checked exactly, unsat certified by the default engine',
  // z3's unsat alone is a claim; the 'infeasible' this engine returns carries the exact engine's proof
  provesInfeasibility: true,
  solve: z3Solve,
};

