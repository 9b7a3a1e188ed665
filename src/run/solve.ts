/**
 * Solve and certify: the step that defines relucert (docs/architecture.md
 * section 2). An engine decides the instance; a verdict's certificate is
 * built and checked by the independent checker (self-check.ts) before the
 * caller sees it, so a certificate this returns is one the checker accepts.
 * Nothing is written here: `relucert solve` writes what it returns.
 */
import type { Instance } from '../core/types.js';
import { solveWithWorkers } from '../cube/local.js';
import { certificateJson, certificateText } from '../engines/certificate.js';
import { type Engine, defaultEngine, engines } from '../engines/index.js';
import { Deadline, type SearchStats, type SolveResult } from '../engines/result.js';
import { solveRescaled } from '../engines/rescale.js';
import { CUBE_ENGINES } from '../engines/solve-under.js';
import { InputError } from '../format/errors.js';
import { selfCheck } from './self-check.js';

/** What `solve` is asked to do besides deciding. Every field is optional. */
export interface SolveConstraints {
  /** The engine (docs/engines.md): cdcl (default), exact, reference, z3, milp, all. An unknown name is an InputError naming --engine. */
  engine?: string;
  /** Absolute time (Date.now() milliseconds) by which the engine and the self-check answer; past it the answer is 'unknown'. */
  deadline?: number;
  /** Build the certificate of a verdict and check it with the independent checker (within the deadline). */
  certify?: boolean;
  /** Threads of the exact and cdcl engines: 1 (default) or 2 (a second search). */
  threads?: number;
  /** Cube-and-conquer on this many local worker threads (docs/cluster.md); above 1 only for the cdcl and exact engines. */
  workers?: number;
  /** Called now and then with the running statistics of the search. */
  onProgress?: (stats: SearchStats) => void;
}

/**
 * An engine's verdict (feasible with an exact witness network, infeasible
 * with a proof, unknown with a reason) and, when `certify` was asked and the
 * verdict is feasible or infeasible, the certificate text
 * (relucert-certificate/1, docs/certificates.md) the independent checker
 * has accepted.
 */
export type Solution = SolveResult & { certificate?: string };

/** The reason `solve` answers 'unknown' when the certificate's self-check does not finish within the time limit. */
export const SELF_CHECK_TIMEOUT = 'timeout (the certificate was found but its self-check did not finish in time; nothing written)';

/**
 * Decides whether a network of the instance's shape meets its loss bound,
 * and with `certify` certifies the verdict. A certificate whose check does
 * not finish by the deadline makes the answer 'unknown'
 * (SELF_CHECK_TIMEOUT). Throws InputError for an unknown engine (--engine)
 * or workers with an engine that cannot solve cubes (--workers); throws
 * Error if the checker rejects the certificate just built (a solver bug:
 * such a certificate is never returned).
 */
export async function solve(inst: Instance, constraints: SolveConstraints = {}): Promise<Solution> {
  const engine = engineNamed(constraints.engine ?? defaultEngine);
  const workers = constraints.workers ?? 1;
  const solveOpts = {
    ...(constraints.threads !== undefined ? { threads: constraints.threads } : {}),
    ...(constraints.deadline !== undefined ? { deadline: constraints.deadline } : {}),
    ...(constraints.onProgress ? { onProgress: constraints.onProgress } : {}),
  };
  const cubeEngine = CUBE_ENGINES.find((e) => e === engine.name);
  if (workers > 1 && !cubeEngine)
    throw new InputError(
      'command line',
      '--workers',
      `cubes are solved under assumed literals, which ${CUBE_ENGINES.join(' and ')} support; not --engine ${engine.name}`,
    );
  // badly scaled inputs are searched in exactly rescaled coordinates, the answer mapped back (docs/engines.md, "Badly scaled data")
  const result = await solveRescaled(inst, async (i) =>
    workers > 1 ? (await solveWithWorkers(i, { ...solveOpts, workers, engine: cubeEngine! })).result : engine.solve(i, solveOpts),
  );
  // every 'infeasible' carries a proof (result.ts); milp's, where it has one, is the default engine's (certify-claim.ts)
  if (!constraints.certify || result.verdict === 'unknown') return result;
  const body = result.verdict === 'feasible' ? { verdict: result.verdict, network: result.network } : { verdict: result.verdict, proof: result.proof };
  // no timings in the file, so regenerating a certificate gives the same bytes
  const text = certificateText(certificateJson(inst, body, { engine: engine.name, nodes: result.stats.nodes, lps: result.stats.lps }));
  // Check before anyone writes it: a certificate the checker rejects is a solver bug and is never returned.
  const outcome = await selfCheck(text, '(certificate)', Deadline.at(constraints.deadline));
  if (outcome === 'timeout') {
    const { crossCheck, stats } = result;
    return { verdict: 'unknown', reason: SELF_CHECK_TIMEOUT, stats, ...(crossCheck ? { crossCheck } : {}) };
  }
  if (outcome.status !== 'valid') throw new Error(`internal error: the checker rejects the certificate just produced: ${outcome.message}`);
  return { ...result, certificate: text };
}

/** The engine of that name; an unknown name is an InputError naming --engine. */
export function engineNamed(name: string): Engine {
  const engine = engines[name];
  if (!engine) throw new InputError('command line', '--engine', `unknown engine ${JSON.stringify(name)} (known: ${Object.keys(engines).join(', ')})`);
  return engine;
}
