/**
 * The crosscheck pipeline (`relucert crosscheck`, docs/export.md): relucert's
 * certified verdict, then external solvers (src/interop/solvers.ts) on
 * relucert's own exports of the same question, each answer compared with
 * the certificate.
 *
 * A solver whose answer contradicts a valid certificate is wrong, with the
 * certificate as evidence. A MILP's "infeasible" only claims what the MILP's
 * `meaning` states (no fit with weights in [-M, M], with the margin of a
 * strict bound): it is wrong only when the certificate's witness, in the
 * MILP's normal form, satisfies every MILP row exactly. A MILP solver's
 * "feasible" point is evaluated exactly against the exported rows; one that
 * violates them beyond POINT_TOLERANCE is INEXACT even when the answer
 * agrees.
 *
 * Time: the whole run has one limit; relucert and then each solver in turn
 * get an equal share of the time left (like solve --engine all).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Q } from '../core/rational.js';
import type { Instance, Network } from '../core/types.js';
import { buildMilp } from '../encode/milp/big-m.js';
import { writeCplexLp } from '../encode/milp/cplex-lp.js';
import { milpMeaning } from '../encode/milp/meaning.js';
import { DEFAULT_EPSILON, type MilpModel } from '../encode/milp/model.js';
import { milpPointOf, milpViolation, normaliseForMilp } from '../encode/milp/point.js';
import { smtlibText } from '../encode/smtlib.js';
import { certificateJson, certificateText } from '../engines/certificate.js';
import { defaultEngine, engines } from '../engines/index.js';
import { Deadline, type SolveResult, Timeout } from '../engines/result.js';
import { writeFileAtomic } from '../format/files.js';
import { SOLVER_KIND, type SolverAnswer, type SolverName, runMilpSolver, runSmtSolver } from '../interop/solvers.js';
import { selfCheck } from './self-check.js';

export interface Reference {
  engine: string;
  result: SolveResult;
  /** 'valid' when src/check accepted the certificate; otherwise why not. */
  certificate: string;
}

export type Agreement = 'agrees' | 'inexact' | 'wrong' | 'conflict' | 'consistent' | 'n/a';

export interface Row extends SolverAnswer {
  agreement: Agreement;
  evidence: string;
}

/** Compares one solver answer with relucert's result (see the file comment). */
export function compare(inst: Instance, a: SolverAnswer, ref: Reference, bigM: Q, model?: MilpModel): { agreement: Agreement; evidence: string } {
  const certified = ref.certificate === 'valid';
  const v = ref.result.verdict;
  const claimsFit = a.answer === 'sat' || a.answer === 'feasible';
  const claimsNone = a.answer === 'unsat' || a.answer === 'infeasible';
  if (!claimsFit && !claimsNone) return { agreement: 'n/a', evidence: '' };
  if (claimsFit) {
    if (v === 'feasible' && a.violation)
      return {
        agreement: 'inexact',
        evidence: `its "${a.answer}" point violates the exported MILP: row ${a.violation.row} by ${a.violation.amount} (exact evaluation of its values); the answer agrees`,
      };
    if (v === 'feasible') return { agreement: 'agrees', evidence: a.rebuilt ? 'its model checks exactly' : `its model ${a.model}` };
    if (v === 'infeasible') {
      if (a.rebuilt)
        return { agreement: 'conflict', evidence: `its model checks exactly, yet relucert says infeasible (certificate ${ref.certificate}): report this` };
      return certified
        ? { agreement: 'wrong', evidence: 'certificate of infeasibility (valid); its model does not check' }
        : { agreement: 'n/a', evidence: 'relucert infeasible but not certified' };
    }
    return { agreement: 'n/a', evidence: a.rebuilt ? 'its model checks exactly (relucert: unknown)' : '' };
  }
  // claims no fit
  const meaning = milpMeaning(inst, bigM, DEFAULT_EPSILON);
  if (v === 'infeasible') return { agreement: 'agrees', evidence: SOLVER_KIND[a.solver] === 'milp' ? `MILP infeasible: ${meaning}` : '' };
  if (v === 'feasible') {
    if (!certified) return { agreement: 'n/a', evidence: 'relucert feasible but its certificate was not checked' };
    if (SOLVER_KIND[a.solver] === 'smt') return { agreement: 'wrong', evidence: 'certificate with a witness network (valid)' };
    const net: Network = normaliseForMilp(inst, ref.result.network);
    const point = milpPointOf(inst, net);
    const bad = point ? milpViolation(model ?? buildMilp(inst, { bigM }), point) : 'shape';
    return bad === undefined
      ? { agreement: 'wrong', evidence: "the certificate's witness satisfies every row of this MILP exactly" }
      : { agreement: 'consistent', evidence: `the certificate's witness is not a point of this MILP (${bad}); MILP infeasible means only: ${meaning}` };
  }
  return { agreement: 'n/a', evidence: '' };
}

/** relucert's own verdict: the default engine, the certificate checked by the independent checker, both within `deadline`. */
export async function referenceVerdict(inst: Instance, deadline: Deadline): Promise<Reference> {
  const engine = engines[defaultEngine]!;
  const result = await engine.solve(inst, deadline.at !== undefined ? { deadline: deadline.at } : {});
  if (result.verdict === 'unknown') return { engine: engine.name, result, certificate: 'none' };
  const body = result.verdict === 'feasible' ? { verdict: result.verdict, network: result.network } : { verdict: result.verdict, proof: result.proof };
  const text = certificateText(certificateJson(inst, body, { engine: engine.name }));
  let certificate: string;
  try {
    const o = await selfCheck(text, '(crosscheck certificate)', deadline);
    certificate = o === 'timeout' ? 'not checked: the check did not finish in time' : o.status === 'valid' ? 'valid' : `rejected: ${o.message}`;
  } catch (e) {
    certificate = `not checked: ${(e as Error).message}`;
  }
  return { engine: engine.name, result, certificate };
}

export interface CrosscheckReport {
  instance: string;
  reference: { engine: string; verdict: string; certificate: string; reason?: string };
  bigM: string;
  /** what a MILP "infeasible" means for this instance (encode/milp.ts milpMeaning) */
  milpMeaning: string;
  rows: Row[];
  wrong: number;
}

/**
 * Runs relucert and the solvers on the instance. opts.timeout (seconds) is
 * the limit for the whole run (from opts.start, default now): relucert, then
 * each solver, gets an equal share of the time left when it starts.
 */
export async function crosscheck(
  inst: Instance,
  solvers: readonly SolverName[],
  opts: { timeout: number; bigM: Q; keep?: string; start?: number },
): Promise<CrosscheckReport> {
  const whole = Deadline.at((opts.start ?? Date.now()) + opts.timeout * 1000);
  const dir = opts.keep ?? mkdtempSync(join(tmpdir(), 'relucert-crosscheck-'));
  try {
    const smtFile = join(dir, 'instance.smt2');
    const lpFile = join(dir, 'instance.lp');
    const ref = await referenceVerdict(inst, whole.share(1 / (solvers.length + 1)));
    // the exports count against the solvers' time (writing a large MILP takes seconds)
    let model: MilpModel | undefined;
    try {
      writeFileAtomic(smtFile, smtlibText(inst, { deadline: whole }));
      if (solvers.some((s) => s === 'glpsol' || s === 'cbc')) {
        model = buildMilp(inst, { bigM: opts.bigM, deadline: whole });
        writeFileAtomic(lpFile, writeCplexLp(model, whole));
      }
    } catch (e) {
      if (!(e instanceof Timeout)) throw e;
      model = undefined;
    }
    const rows: Row[] = solvers.map((s, idx) => {
      const share = whole.remainingMs() / 1000 / (solvers.length - idx);
      const a: SolverAnswer =
        share <= 0
          ? { solver: s, answer: 'timeout', seconds: 0, model: 'none' }
          : s === 'z3' || s === 'cvc5'
            ? runSmtSolver(inst, s, smtFile, share)
            : !model
              ? { solver: s, answer: 'timeout', seconds: 0, model: 'none' }
              : runMilpSolver(inst, s, lpFile, dir, share, opts.bigM, model);
      return { ...a, ...compare(inst, a, ref, opts.bigM, model) };
    });
    return {
      instance: inst.name,
      reference: {
        engine: ref.engine,
        verdict: ref.result.verdict,
        certificate: ref.certificate,
        ...(ref.result.verdict === 'unknown' ? { reason: ref.result.reason } : {}),
      },
      bigM: opts.bigM.toString(),
      milpMeaning: milpMeaning(inst, opts.bigM, DEFAULT_EPSILON),
      rows,
      wrong: rows.filter((r) => r.agreement === 'wrong' || r.agreement === 'conflict').length,
    };
  } finally {
    if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  }
}
