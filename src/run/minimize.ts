/**
 * Minimize with certified writes (docs/architecture.md section 2): the least
 * loss at the instance's width, or the least width at its loss
 * (engines/minimize.ts searches), each side of the answer certified: the
 * question it answers ("NAME (l1 loss < 7/2)", "NAME (width 2)"), its
 * certificate, checked by the independent checker, and, with `dir`, both
 * written there. Stopped early (time limit, no width up to maxWidth), the
 * bounds proved so far are certified the same way.
 *
 * One run's state (the texts already checked, the first failed write)
 * belongs to one MinimizeRun object, so runs never share anything.
 */
import { join } from 'node:path';
import { Q } from '../core/rational.js';
import type { Instance, Network } from '../core/types.js';
import { type CertificateBody, certificateJson, certificateText } from '../engines/certificate.js';
import { type Engine, defaultEngine, engines } from '../engines/index.js';
import { type OptimumResult, minimizeLoss, minimizeWidth } from '../engines/minimize.js';
import { Deadline, type Proof, type SearchStats, type SolveOptions, type SolveResult } from '../engines/result.js';
import { InputError } from '../format/errors.js';
import { WriteError, writeFileAtomic } from '../format/files.js';
import { fileNameOf } from '../format/text.js';
import { instanceHash, instanceToJson, prettyJson } from '../format/write.js';
import { checkSolvableSize } from './limits.js';
import { stoppableSolver } from './interrupt.js';
import { selfCheck } from './self-check.js';
import { checkStart } from './solve.js';

/** What minimize minimises: the loss at the instance's width, or the width at its loss. */
export type Objective = 'loss' | 'width';

export interface MinimizeConstraints {
  objective: Objective;
  /** An engine that proves infeasibility (default cdcl); any other is an InputError naming --engine. */
  engine?: string;
  /** The largest width the width search tries (default 6). */
  maxWidth?: number;
  /** Absolute time (Date.now() milliseconds) for the whole run, self-checks included; then the bounds proved so far are the answer. */
  deadline?: number;
  /** Write each side's instance and certificate into this directory (made when missing): optimum.*, below-optimum.*, width-K.*, ... */
  dir?: string;
  /** Names the instance in errors (its file). */
  source?: string;
  /** Called now and then with the running statistics of each search. */
  onProgress?: (stats: SearchStats) => void;
  /** A network to start from (--start, --loss only): its loss, then its activation pattern's optimum, are upper bounds before any search. It must have the instance's shape (checkStart). */
  start?: Network;
  /**
   * Stops the run when aborted (a signal: SIGINT, SIGTERM): each search then
   * runs in a worker thread (interrupt.ts) and answers 'unknown' at once,
   * and the bounds proved so far are certified and written as on a time
   * limit, with the reason 'interrupted (REASON)', REASON the abort reason
   * (e.g. 'SIGINT').
   */
  stop?: AbortSignal;
  /**
   * Called when the search's bounds move, for a progress line: the least
   * loss found so far by a witness (`upper`) and the greatest bound proved
   * below it (`lower`), before the final certification (--loss only).
   */
  onBounds?: (lower: Q | undefined, upper: Q | undefined) => void;
}

/** The files one side was written to. */
export interface WrittenSide {
  instance: string;
  certificate: string;
}

/**
 * One side of the answer at `value`: the witness (an upper bound) or the
 * proof that nothing does better (a lower bound). 'certified': its question
 * and the certificate text the checker accepted, with the files when they
 * were written. 'timeout': the certificate's self-check did not finish
 * within the time limit, so the side is not certified and nothing was written.
 */
export type CertifiedSide =
  { status: 'certified'; value: Q; instance: Instance; certificate: string; files?: WrittenSide; network?: Network } | { status: 'timeout'; value: Q };

/**
 * The answer. 'optimal': the search found the optimum `value`, attained by
 * `attained` and refuted below by `below` (absent at width 1); either side
 * may still say 'timeout'. 'bounds': the search stopped (`reason`) with the
 * bounds proved so far. `writeError`: the first file that could not be
 * written (the answer stands; that side has no `files`).
 */
export type MinimizeAnswer = (
  | { status: 'optimal'; value: Q; attained: CertifiedSide; below?: CertifiedSide }
  | { status: 'bounds'; reason: string; upper?: CertifiedSide; lower?: CertifiedSide }
) & { objective: Objective; rounds: number; elapsedMs: number; writeError?: WriteError };

/** The engine of that name if it proves infeasibility (minimize needs its proofs); else an InputError naming --engine. */
export function provingEngine(name: string): Engine {
  const engine = engines[name];
  if (!engine || !engine.provesInfeasibility)
    throw new InputError(
      'command line',
      '--engine',
      `minimize needs an engine that proves infeasibility (${Object.values(engines)
        .filter((e) => e.provesInfeasibility)
        .map((e) => e.name)
        .join(', ')})`,
    );
  return engine;
}

/**
 * The folder, inside minimize's output directory, for the certificates of
 * one question: the instance's name made safe (fileNameOf), '-', and the
 * first 8 hex digits of the hash of what minimize answers: the instance
 * with its loss bound set to 0 for the loss (the bound is what it finds)
 * and its width set to 1 for the width (docs/formats.md, "minimize's
 * folders"). The hash leaves the name out, so two data sets of the same
 * name get two folders, and one folder never holds two questions'
 * certificates; the same question asked again (a sweep run twice) gets the
 * same folder. E.g. "abs-3-k1-l1-half-6f0c2e1a".
 */
export function questionFolder(inst: Instance, objective: Objective): string {
  const l = inst.loss;
  const asked: Instance =
    objective === 'loss'
      ? { ...inst, loss: l.type === 'l1' || l.type === 'linf' || l.type === 'l2' ? { type: l.type, bound: Q.ZERO, strict: false } : l }
      : { ...inst, architecture: { ...inst.architecture, hidden: 1 } };
  return `${fileNameOf(inst.name)}-${instanceHash(asked).slice('sha256:'.length, 'sha256:'.length + 8)}`;
}

/**
 * Throws InputError (naming `source` and the field) unless the instance can
 * be minimised: --loss needs an l1, linf or l2 loss; --width needs output
 * weights that are not a fixed list; and no width tried may exceed the
 * engines' size limit (limits.ts).
 */
export function checkMinimizable(inst: Instance, objective: Objective, maxWidth: number, source: string): void {
  if (objective === 'loss' && inst.loss.type !== 'l1' && inst.loss.type !== 'linf' && inst.loss.type !== 'l2')
    throw new InputError(source, 'loss.type', `minimize --loss needs an l1, linf or l2 instance, got ${inst.loss.type} (or name the loss: --loss l2)`);
  checkSolvableSize(inst, source, objective === 'width' ? maxWidth : inst.architecture.hidden);
  if (objective === 'width' && inst.architecture.outputWeights.mode === 'fixed')
    throw new InputError(source, 'architecture.outputWeights', 'minimize --width needs signs, positive or free output weights (a fixed list fixes the width)');
}

/**
 * Minimises the loss or the width of the instance and certifies both sides
 * of the answer (see MinimizeAnswer). Throws InputError for an engine that
 * does not prove infeasibility or an instance that cannot be minimised
 * (checkMinimizable); throws Error if the checker rejects a certificate just
 * built (a solver bug: it is never written).
 */
export async function minimize(inst: Instance, c: MinimizeConstraints): Promise<MinimizeAnswer> {
  const engine = provingEngine(c.engine ?? defaultEngine);
  const maxWidth = c.maxWidth ?? 6;
  checkMinimizable(inst, c.objective, maxWidth, c.source ?? 'instance');
  if (c.start) checkStart(inst, c.start);
  const deadline = Deadline.at(c.deadline);
  const run = new MinimizeRun(engine.name, deadline, c.dir);
  const opts = {
    ...(deadline.at !== undefined ? { deadline: deadline.at } : {}),
    ...(c.onProgress ? { onProgress: c.onProgress } : {}),
    ...(c.start ? { start: c.start } : {}),
    // with a time limit, every proof is self-checked as soon as it is found, while time is left; one whose check cannot finish counts as a timeout
    ...(deadline.at !== undefined ? { certify: (q: Instance, proof: Proof) => run.certifyProof(q, proof) } : {}),
  };
  // with a stop signal every search runs in one worker thread kept for the run (interrupt.ts)
  const stoppable = c.stop ? stoppableSolver(engine.name, c.stop) : undefined;
  const search = stoppable ? stoppable.solve : (i: Instance, so: SolveOptions): Promise<SolveResult> => engine.solve(i, so);
  const solve = c.onBounds && c.objective === 'loss' ? watchBounds(search, c.onBounds) : search;
  let searched: OptimumResult;
  try {
    searched = c.objective === 'loss' ? await minimizeLoss(inst, solve, opts) : await minimizeWidth(inst, solve, maxWidth, opts);
  } finally {
    await stoppable?.close();
  }
  const res: OptimumResult = searched.status === 'bounds' && c.stop?.aborted ? { ...searched, reason: `interrupted (${String(c.stop.reason)})` } : searched;
  const common = { objective: c.objective, rounds: res.rounds, elapsedMs: res.stats.reduce((s, x) => s + x.elapsedMs, 0) };
  const answer = await certifySides(run, res, c.objective, inst.loss.type);
  return { ...answer, ...common, ...(run.writeError ? { writeError: run.writeError } : {}) };
}

/**
 * The solver `solve`, telling `onBounds` when an answer moves the bounds of
 * a loss search: a witness's loss lowers the upper bound, a proof that no
 * network has loss < G raises the lower bound to G.
 */
function watchBounds(solve: (i: Instance, so: SolveOptions) => Promise<SolveResult>, onBounds: (lower: Q | undefined, upper: Q | undefined) => void) {
  let lower: Q | undefined;
  let upper: Q | undefined;
  return async (question: Instance, so: SolveOptions): Promise<SolveResult> => {
    const r = await solve(question, so);
    const l = question.loss;
    if (r.verdict === 'feasible' && (upper === undefined || r.loss.lt(upper))) upper = r.loss;
    else if (r.verdict === 'infeasible' && l.type !== 'exact' && l.type !== 'classification' && (lower === undefined || l.bound.gt(lower))) lower = l.bound;
    else return r;
    onBounds(lower, upper);
    return r;
  };
}

/** Certifies (and writes) the sides of the search's result, in order: the witness first, then the proof below it. */
async function certifySides(
  run: MinimizeRun,
  res: OptimumResult,
  objective: Objective,
  lossType: string,
): Promise<
  | { status: 'optimal'; value: Q; attained: CertifiedSide; below?: CertifiedSide }
  | { status: 'bounds'; reason: string; upper?: CertifiedSide; lower?: CertifiedSide }
> {
  const loss = objective === 'loss';
  if (res.status === 'optimal') {
    const v = res.value;
    const attained = await run.side(loss ? 'optimum' : `width-${v}`, res.witness.instance, loss ? `${lossType} loss <= ${v}` : `width ${v}`, v, {
      verdict: 'feasible',
      network: res.witness.network,
    });
    const below = res.below
      ? await run.side(loss ? 'below-optimum' : `width-${v.num - 1n}`, res.below.instance, loss ? `${lossType} loss < ${v}` : `width ${v.num - 1n}`, v, {
          verdict: 'infeasible',
          proof: res.below.proof,
        })
      : undefined;
    return { status: 'optimal', value: v, attained, ...(below ? { below } : {}) };
  }
  // stopped before the optimum: certify what is proved
  const { upper: u, lower: l } = res;
  const upper = u
    ? await run.side(loss ? 'upper-bound' : `width-${u.value}`, u.instance, loss ? `${lossType} loss <= ${u.value}` : `width ${u.value}`, u.value, {
        verdict: 'feasible',
        network: u.network,
      })
    : undefined;
  const lower = l
    ? await run.side(
        loss ? 'lower-bound' : `width-${l.value.num - 1n}`,
        l.instance,
        loss ? `${lossType} loss < ${l.value}` : `width ${l.value.num - 1n}`,
        l.value,
        { verdict: 'infeasible', proof: l.proof },
      )
    : undefined;
  return { status: 'bounds', reason: res.reason, ...(upper ? { upper } : {}), ...(lower ? { lower } : {}) };
}

/**
 * The state of one minimize run: the certificate texts that already passed
 * the self-check (proofs are checked as soon as they are found, while time
 * is left, and not again when written) and the first write that failed.
 */
class MinimizeRun {
  /** Certificate texts the independent checker has accepted in this run. */
  private readonly checked = new Set<string>();
  /** The first file that could not be written (the run goes on; reported with the answer). */
  writeError: WriteError | undefined;

  constructor(
    private readonly engine: string,
    private readonly deadline: Deadline,
    private readonly dir: string | undefined,
  ) {}

  /** The certificate text of a side (no timings, so the same answer gives the same bytes). */
  private certificateOf(inst: Instance, body: CertificateBody): string {
    return certificateText(certificateJson(inst, body, { engine: this.engine, purpose: 'minimize' }));
  }

  /** The self-check (within the time limit), once per text; 'timeout' when it did not finish; throws when the checker rejects. */
  private async checkOnce(text: string, name: string): Promise<'valid' | 'timeout'> {
    if (this.checked.has(text)) return 'valid';
    const outcome = await selfCheck(text, name, this.deadline);
    if (outcome === 'timeout') return 'timeout';
    if (outcome.status !== 'valid') throw new Error(`the checker rejects the certificate just produced: ${outcome.message}`);
    this.checked.add(text);
    return 'valid';
  }

  /** engines/minimize.ts's `certify` hook: true when the proof's certificate checks in time. */
  async certifyProof(question: Instance, proof: Proof): Promise<boolean> {
    return (await this.checkOnce(this.certificateOf(question, { verdict: 'infeasible', proof }), 'lower-bound.cert.json')) === 'valid';
  }

  /**
   * Certifies one side: its question is the instance renamed "NAME (asks)"
   * (so it never passes for the original question), its certificate is
   * checked (unless already checked), and with a directory both are written
   * as STEM.instance.json and STEM.cert.json.
   */
  async side(stem: string, original: Instance, asks: string, value: Q, body: CertificateBody): Promise<CertifiedSide> {
    const inst = { ...original, name: `${original.name} (${asks})` };
    const certificate = this.certificateOf(inst, body);
    if ((await this.checkOnce(certificate, `${stem}.cert.json`)) === 'timeout') return { status: 'timeout', value };
    const side: CertifiedSide = { status: 'certified', value, instance: inst, certificate, ...(body.verdict === 'feasible' ? { network: body.network } : {}) };
    if (this.dir === undefined) return side;
    const files = { instance: join(this.dir, `${stem}.instance.json`), certificate: join(this.dir, `${stem}.cert.json`) };
    try {
      writeFileAtomic(files.instance, prettyJson(instanceToJson(inst)));
      writeFileAtomic(files.certificate, certificate);
    } catch (e) {
      if (!(e instanceof WriteError)) throw e;
      this.writeError ??= e;
      return side;
    }
    return { ...side, files };
  }
}
