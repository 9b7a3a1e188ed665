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
 *  - 'unknown': deadline, z3's own unknown, or a model that does not check.
 * Time limit: z3 runs in a worker thread (workers/z3-worker.ts) with its `timeout`
 * parameter set to the time left, and the worker is terminated at the
 * deadline if z3 has not answered by then (z3 does not check its timer while
 * parsing or in some preprocessing). The idle worker does not keep the
 * process alive (see shutdownZ3 for the explicit cleanup).
 */
import type { Instance } from '../core/types.js';
import { Q, parseRational } from '../core/rational.js';
import { smtlibText, smtVariables } from '../encode/smtlib.js';
import type { Case } from '../encode/system.js';
import type { Engine } from './engine.js';
import { fixedOutputWeights, networkFromValues, patternWitness, type Rebuilt } from './milp.js';
import { Deadline, type SearchStats, type SolveOptions, type SolveResult, Timeout, emptyStats } from './result.js';
import { KeptWorker } from './workers/worker.js';
import { acceptWitness, scaledIntoBound } from './witness.js';
import { certifyClaim } from './certify-claim.js';

/** A question for the z3 worker (workers/z3-worker.ts): SMT-LIB text, z3's own timeout, the variables whose model values to send back. */
export interface Z3Request {
  text: string;
  timeoutMs?: number;
  vars: string[];
}

/** The z3 worker's answer: values as exact text ("p/q", null when not a rational numeral) and signs, for sat. */
export type Z3Reply =
  | { verdict: 'sat'; values: Record<string, string | null>; signs: Record<string, -1 | 0 | 1> }
  | { verdict: 'unsat' }
  | { verdict: 'unknown'; reasonUnknown: string }
  | { verdict: 'error'; message: string }
  | { verdict: 'ready' };

/**
 * The one z3 worker thread (workers/worker.ts KeptWorker): started on first use and
 * kept between solves; terminated (and replaced) when a solve's deadline
 * passes while z3 works on it, since z3 cannot be relied on to stop.
 */
const z3Worker = new KeptWorker<Z3Request, Z3Reply>(import.meta.url, './workers/z3-worker');

/**
 * Terminates the z3 worker thread; the next solve starts a fresh one. Not
 * needed for the process to exit (the idle worker is unref'd).
 */
export async function shutdownZ3(): Promise<void> {
  await z3Worker.shutdown();
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
  deadline: Deadline = Deadline.NONE,
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
  const unitVar = activation !== 'threshold' ? 'z' : 's';
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
  return patternWitness(inst, { case: c, active }, deadline);
}

/**
 * The instance z3 is given: ReLU units with free output weights become the
 * same instance with output weights `signs` (lemma L1: a * relu(z) =
 * sign(a) * relu(|a| z), and a = 0 is a unit with a = 1, w = 0, b = 0), so
 * the encoding stays linear (QF_LRA) instead of multiplying a_j by z_j_i
 * (QF_NRA); the same for leaky ReLU, and a weight bound goes (lemma L7; the
 * witness is scaled back into it). A witness with weights +-1 is a witness with free weights; an
 * unsat of the signs instance is an unsat of the free one (and is certified
 * on the original instance anyway). Everything else is encoded as it is.
 */
export function encodedInstance(inst: Instance): Instance {
  const { activation, outputWeights } = inst.architecture;
  if (activation === 'threshold' || outputWeights.mode !== 'free') return inst;
  // L1 (leaky ReLU too); a weight bound is dropped with it (L7: with free output weights it excludes nothing),
  // or, when it bounds the output weights too, becomes B^2 on the hidden weights (L8)
  const { weightBound: B, boundOutputWeights, ...architecture } = inst.architecture;
  const bound = B !== undefined && boundOutputWeights === true ? { weightBound: B.mul(B) } : {};
  return { ...inst, architecture: { ...architecture, outputWeights: { mode: 'signs' }, ...bound } };
}

async function z3Solve(inst: Instance, opts: SolveOptions): Promise<SolveResult> {
  const t0 = Date.now();
  const stats = (): SearchStats => ({ ...emptyStats(), lps: 0, elapsedMs: Date.now() - t0 });
  const deadline = Deadline.at(opts.deadline);
  let reply: Z3Reply;
  let rebuilt: Rebuilt | undefined;
  try {
    deadline.check();
    const encoded = encodedInstance(inst);
    const text = smtlibText(encoded, { deadline });
    // z3's own timer a little before the deadline, so that it usually answers 'unknown' itself and its worker is kept
    reply = await z3Worker.ask(
      { text, vars: smtVariables(encoded), ...(deadline.at !== undefined ? { timeoutMs: Math.max(1, deadline.remainingMs() * 0.9 - 50) } : {}) },
      deadline,
    );
    if (reply.verdict === 'sat') {
      const { values, signs } = reply;
      const value = (name: string): ExactValue => {
        const v = values[name];
        return v === null || v === undefined ? undefined : parseRational(v);
      };
      rebuilt = rebuildSmtModel(encoded, value, (name) => signs[name] ?? 0, deadline);
      if (rebuilt && encoded !== inst) {
        const network = scaledIntoBound(inst, rebuilt.network);
        const rep = acceptWitness(inst, network);
        rebuilt = rep ? { ...rebuilt, network, loss: rep.loss } : undefined;
      }
    }
  } catch (e) {
    if (e instanceof Timeout) return { verdict: 'unknown', reason: 'timeout', stats: stats() };
    return { verdict: 'unknown', reason: `z3 failed: ${(e as Error).message}`, stats: stats() };
  }
  switch (reply.verdict) {
    case 'sat':
      if (!rebuilt) return { verdict: 'unknown', reason: 'z3 model does not check exactly', stats: stats() };
      return { verdict: 'feasible', network: rebuilt.network, loss: rebuilt.loss, stats: stats() };
    case 'unknown': {
      const timedOut = opts.deadline !== undefined && Date.now() >= opts.deadline - 5;
      return {
        verdict: 'unknown',
        reason: timedOut || /timeout|canceled/i.test(reply.reasonUnknown) ? 'timeout' : `z3: unknown (${reply.reasonUnknown || 'no reason given'})`,
        stats: stats(),
      };
    }
    case 'unsat':
      return certifyClaim(inst, opts, 'z3 says unsat', stats());
    case 'error':
    case 'ready':
      return { verdict: 'unknown', reason: `z3 failed: ${reply.verdict === 'error' ? reply.message : 'no answer'}`, stats: stats() };
  }
}

export const z3Engine: Engine = {
  name: 'z3',
  summary:
    'direct SMT encoding in z3 (WebAssembly; free ReLU output weights as signs, lemma L1); witnesses checked exactly, unsat certified by the default engine',
  // z3's unsat alone is a claim; the 'infeasible' this engine returns carries the exact engine's proof
  provesInfeasibility: true,
  solve: z3Solve,
};
