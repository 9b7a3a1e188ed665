/**
 * The fuzz harness (docs/reductions.md section 1): random small sources from a
 * reduction's arbitrary, both sides decided exactly, every map checked, and a
 * disagreement shrunk by fast-check to a minimal counterexample.
 *
 * One run (checkSource), in order:
 *   0. the source must survive a round trip through its file format
 *      (sourceToJson, parseSource), so that the files written reproduce it;
 *   1. decide the source by brute force; a 'yes' solution must solve it;
 *   2. map it to a relucert instance (validated as a relucert-instance/1 file
 *      by the Reduction's wrapper, defineReduction);
 *   3. solve the target with engines[defaultEngine] under a deadline and
 *      check the certificate of its answer with the independent checker;
 *   4. source yes  => target feasible, and the mapped witness network, as a
 *                     feasible certificate, is accepted by the checker;
 *      target feasible => the back-mapped solution solves the source;
 *      source no  => target infeasible, with an accepted proof.
 * A target 'unknown' (deadline) is its own verdict: never agreement, never a
 * counterexample. Guarantee: 'agree' only when every check above held.
 * A member of the reduction that throws, or returns a value of the wrong
 * shape, is a bug in the reduction's code, not a counterexample to its
 * theorem: checkSource lets the ReductionError (naming the member and the
 * source) propagate, and the fuzzers stop at it.
 *
 * Two ways to choose sources: fuzzReduction (random sources from the
 * reduction's arbitrary, a disagreement shrunk by fast-check and the
 * reduction's simplify) and fuzzExhaustive (every source of size 0, 1, ...,
 * maxSize from the reduction's enumeration, in order, so the first
 * disagreement is one of the smallest).
 */
import * as fc from 'fast-check';
import { checkCertificate } from '../check/index.js';
import type { Instance } from '../core/types.js';
import { certificateJson, certificateText } from '../engines/certificate.js';
import { defaultEngine, engines } from '../engines/index.js';
import type { SolveResult } from '../engines/result.js';
import { instanceToJson, networkToJson, prettyJson } from '../format/write.js';
import { type AnyReduction, ReductionError, errorLine } from './reduction.js';

export type RunVerdict = 'agree' | 'disagree' | 'unknown';

/** Which check failed (for a disagreement). */
export type FailedCheck =
  | 'source-solution-invalid'
  | 'engine-certificate-rejected'
  | 'source-yes-target-infeasible'
  | 'source-no-target-feasible'
  | 'witness-rejected'
  | 'back-map-failed';

export interface RunReport {
  verdict: RunVerdict;
  /** One line: what was established, or what failed. */
  detail: string;
  failed?: FailedCheck;
  sourceAnswer?: 'yes' | 'no';
  targetVerdict?: 'feasible' | 'infeasible' | 'unknown';
  /** Maps that were checked in this run: 'witness', 'back-map'. */
  mapsChecked: string[];
  /** Files describing the run (source, target, certificates, solutions), name -> text. */
  files: Record<string, string>;
  ms: number;
}

export interface RunOptions {
  /** Deadline for the target solve, in milliseconds from its start. */
  timeoutMs: number;
  /** Engine name; defaults to the registry's default engine. */
  engine?: string;
  /** false: compare only the yes/no answers, not the solution maps (default true). */
  checkMaps?: boolean;
}

const check = (text: string, file: string): { ok: boolean; message: string } => {
  const r = checkCertificate(text, file);
  return r.status === 'valid' ? { ok: true, message: r.statement } : { ok: false, message: r.message };
};

/**
 * One turn of the event loop. The engines' searches and the reductions' code
 * are synchronous, and a promise that is already resolved yields only to
 * microtasks; without this, a whole fuzz run would hold the event loop (no
 * timers, no I/O, no messages from a parent process) until it ends.
 */
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Runs every check of one source through one variant. Never throws for a wrong map: that is a 'disagree'. */
export async function checkSource(red: AnyReduction, variantName: string, source: unknown, opts: RunOptions): Promise<RunReport> {
  await tick();
  const t0 = Date.now();
  const variant = red.variants.find((v) => v.name === variantName);
  if (!variant) throw new RangeError(`reduction ${red.name} has no variant ${variantName}`);
  const sourceJson = red.sourceToJson(source);
  const files: Record<string, string> = { 'source.json': prettyJson(sourceJson) };
  const mapsChecked: string[] = [];
  const done = (verdict: RunVerdict, detail: string, extra: Partial<RunReport> = {}): RunReport => ({
    verdict,
    detail,
    mapsChecked,
    files,
    ms: Date.now() - t0,
    ...extra,
  });

  // 0. the source file written must read back as the same source
  let back: unknown;
  try {
    back = red.parseSource(JSON.parse(files['source.json']!), 'source.json');
  } catch (e) {
    throw new ReductionError(red.origin, 'parseSource', `rejects what sourceToJson wrote (${errorLine(e)}): ${JSON.stringify(sourceJson)}`);
  }
  const again = JSON.stringify(red.sourceToJson(back));
  if (again !== JSON.stringify(sourceJson))
    throw new ReductionError(
      red.origin,
      'sourceToJson',
      `does not round-trip through parseSource: ${JSON.stringify(sourceJson)} reads back as ${again} (define both parseSource and sourceToJson)`,
    );

  // 1. the source, by brute force
  const ans = red.decide(source);
  if (ans.answer === 'yes') {
    files['source-solution.json'] = prettyJson(red.solutionToJson(ans.solution));
    const bad = red.checkSolution(source, ans.solution);
    if (bad) return done('disagree', `the brute-force decider's own solution fails: ${bad}`, { failed: 'source-solution-invalid', sourceAnswer: 'yes' });
  }
  const sourceAnswer = ans.answer;
  const searched = ans.searched ?? 'brute force';

  // 2. the target instance, validated as a relucert-instance/1 file by the Reduction
  const inst: Instance = variant.toInstance(source);
  files['instance.json'] = prettyJson(instanceToJson(inst));

  // 3. the target, by the default engine, its answer checked
  const engineName = opts.engine ?? defaultEngine;
  const engine = engines[engineName];
  if (!engine) throw new RangeError(`unknown engine ${engineName}`);
  const res: SolveResult = await engine.solve(inst, { deadline: Date.now() + opts.timeoutMs });
  const targetVerdict = res.verdict;
  const base = { sourceAnswer, targetVerdict };
  if (res.verdict === 'unknown') return done('unknown', `source ${sourceAnswer}; target unknown (${res.reason})`, base);
  const body = res.verdict === 'feasible' ? { verdict: res.verdict, network: res.network } : { verdict: res.verdict, proof: res.proof };
  const certText = certificateText(certificateJson(inst, body, { engine: engineName, fuzz: `${red.name}/${variant.name}` }));
  files['target-certificate.json'] = certText;
  const certCheck = check(certText, 'target-certificate.json');
  if (!certCheck.ok)
    return done('disagree', `the checker rejects the engine's ${res.verdict} certificate: ${certCheck.message}`, {
      ...base,
      failed: 'engine-certificate-rejected',
    });

  // 4. the two sides must agree, and every map must hold
  if (sourceAnswer === 'yes' && res.verdict === 'infeasible')
    return done('disagree', 'source yes (solution in source-solution.json), but the target is proved infeasible (checked)', {
      ...base,
      failed: 'source-yes-target-infeasible',
    });
  if (sourceAnswer === 'no' && res.verdict === 'feasible')
    return done('disagree', `source no (decided by brute force: ${searched}), but the target is feasible (witness checked)`, {
      ...base,
      failed: 'source-no-target-feasible',
    });

  const maps = opts.checkMaps !== false;
  if (maps && ans.answer === 'yes' && variant.witness) {
    mapsChecked.push('witness');
    const net = variant.witness(source, ans.solution);
    const text = certificateText(certificateJson(inst, { verdict: 'feasible', network: net }, { map: `${red.name}/${variant.name} witness` }));
    files['witness-certificate.json'] = text;
    const w = check(text, 'witness-certificate.json');
    if (!w.ok) return done('disagree', `the mapped witness of the source solution is rejected: ${w.message}`, { ...base, failed: 'witness-rejected' });
  }
  if (maps && res.verdict === 'feasible' && variant.solutionFromWitness) {
    mapsChecked.push('back-map');
    files['target-network.json'] = prettyJson(networkToJson(res.network));
    const sol: unknown = variant.solutionFromWitness(source, res.network);
    files['back-mapped-solution.json'] = prettyJson(red.solutionToJson(sol));
    const bad = red.checkSolution(source, sol);
    if (bad)
      return done('disagree', `the solution mapped back from the engine's network does not solve the source: ${bad}`, { ...base, failed: 'back-map-failed' });
  }
  const checked = mapsChecked.length ? `; ${mapsChecked.join(' and ')} map checked` : '';
  return done('agree', `source ${sourceAnswer}, target ${res.verdict} (certificate checked)${checked}`, base);
}

export interface FuzzOptions extends RunOptions {
  runs: number;
  seed: number;
  variant: string;
  /** false: report the first disagreeing source as found, without shrinking it (default true). */
  shrink?: boolean;
  /** Called after each run of the main phase (not during shrinking). */
  onRun?: (index: number, report: RunReport) => void;
}

export interface ExhaustiveOptions extends RunOptions {
  /** Every source of size 0..maxSize (the reduction's own measure, ExhaustiveSpec.size). */
  maxSize: number;
  variant: string;
  /** Called after each source checked. */
  onRun?: (index: number, report: RunReport, size: number) => void;
  /** Called when a size is done. */
  onSize?: (size: SizeTally) => void;
}

/** The sources of one size in an exhaustive run. */
export interface SizeTally {
  size: number;
  /** Sources checked (isomorphic copies not counted). */
  sources: number;
  /** Sources left out as isomorphic to one already checked (ExhaustiveSpec.key). */
  skipped: number;
  yes: number;
  no: number;
  unknown: number;
}

export interface FuzzReport {
  reduction: string;
  variant: string;
  kind: 'correct' | 'mutant';
  /** 'random': fast-check sources (seed, runs); 'exhaustive': every source up to maxSize. */
  mode: 'random' | 'exhaustive';
  seed?: number;
  maxSize?: number;
  /** What a size is, for this reduction (exhaustive mode). */
  sizeMeasure?: string;
  /** Exhaustive mode: one entry per size reached. */
  bySize?: SizeTally[];
  /** false when only the yes/no answers were compared. */
  checkMaps: boolean;
  /** Runs of the main phase that completed (stops at the first disagreement). */
  runs: number;
  agreed: number;
  unknown: number;
  sourceYes: number;
  sourceNo: number;
  /** Main-phase runs in which each map was checked. */
  witnessChecked: number;
  backMapChecked: number;
  elapsedMs: number;
  /** The first unknown source (JSON), if any. */
  firstUnknown?: unknown;
  counterexample?: {
    source: unknown;
    report: RunReport;
    /** Random mode: fast-check's replay path, and the number of successful shrink steps (fast-check's and the reduction's simplify). */
    path?: string;
    shrinks?: number;
    /** Exhaustive mode: the size of the counterexample (no smaller source disagrees). */
    size?: number;
    /** The source as first found, before shrinking. */
    original: unknown;
  };
}

function newReport(red: AnyReduction, variantName: string, opts: RunOptions, mode: FuzzReport['mode']): FuzzReport {
  const variant = red.variants.find((v) => v.name === variantName);
  if (!variant) throw new RangeError(`reduction ${red.name} has no variant ${variantName}`);
  return {
    reduction: red.name,
    variant: variant.name,
    kind: variant.kind,
    mode,
    checkMaps: opts.checkMaps !== false,
    runs: 0,
    agreed: 0,
    unknown: 0,
    sourceYes: 0,
    sourceNo: 0,
    witnessChecked: 0,
    backMapChecked: 0,
    elapsedMs: 0,
  };
}

/** Counts one main-phase run into the report. */
function tally(red: AnyReduction, rep: FuzzReport, source: unknown, r: RunReport): void {
  rep.runs++;
  if (r.sourceAnswer === 'yes') rep.sourceYes++;
  if (r.sourceAnswer === 'no') rep.sourceNo++;
  if (r.mapsChecked.includes('witness')) rep.witnessChecked++;
  if (r.mapsChecked.includes('back-map')) rep.backMapChecked++;
  if (r.verdict === 'agree') rep.agreed++;
  if (r.verdict === 'unknown') {
    rep.unknown++;
    rep.firstUnknown ??= red.sourceToJson(source);
  }
}

/**
 * Fuzzes one variant with `runs` random sources; a disagreement is shrunk to a
 * minimal source and re-run to collect its files. Deterministic for a given
 * seed (up to target deadlines). Throws ReductionError at the first member
 * that throws or returns a value of the wrong shape.
 */
export async function fuzzReduction(red: AnyReduction, opts: FuzzOptions): Promise<FuzzReport> {
  const t0 = Date.now();
  const rep: FuzzReport = { ...newReport(red, opts.variant, opts, 'random'), seed: opts.seed };
  let shrinking = false;
  let original: unknown;
  // a ReductionError stops the run: every later call of the property passes at once
  let broken: ReductionError | undefined;
  const prop = fc.asyncProperty(red.arbitrary(fc), async (source: unknown) => {
    if (broken) return true;
    let r: RunReport;
    try {
      r = await checkSource(red, rep.variant, source, opts);
    } catch (e) {
      if (!(e instanceof ReductionError)) throw e;
      broken = e;
      return true;
    }
    if (!shrinking) {
      tally(red, rep, source, r);
      opts.onRun?.(rep.runs, r);
      if (r.verdict === 'disagree') {
        shrinking = true;
        original = red.sourceToJson(source);
      }
    }
    return r.verdict !== 'disagree';
  });
  let out: fc.RunDetails<[unknown]>;
  try {
    out = await fc.check(prop, { numRuns: opts.runs, seed: opts.seed, endOnFailure: opts.shrink === false });
  } catch (e) {
    // fast-check lets errors of generation through: they come from the reduction's arbitrary
    if (e instanceof ReductionError) throw e;
    throw new ReductionError(red.origin, 'arbitrary', `generating a source threw ${errorLine(e)}`);
  }
  if (broken) throw broken;
  if (out.failed && out.counterexample) {
    let source: unknown = out.counterexample[0];
    let report = await checkSource(red, rep.variant, source, opts);
    let shrinks = out.numShrinks;
    // the reduction's own shrink steps, greedily, while the disagreement persists
    for (let progress = opts.shrink !== false, rounds = 0; progress && red.simplify && rounds < 100; rounds++) {
      progress = false;
      for (const cand of red.simplify(source)) {
        const r = await checkSource(red, rep.variant, cand, opts);
        if (r.verdict === 'disagree') {
          source = cand;
          report = r;
          progress = true;
          shrinks++;
          break;
        }
      }
    }
    rep.counterexample = { source: red.sourceToJson(source), report, path: out.counterexamplePath ?? '', shrinks, original };
  } else if (out.failed) {
    const err: unknown = out.errorInstance;
    throw err instanceof Error ? err : new Error(`fuzz: property failed without a counterexample: ${String(err)}`);
  }
  rep.elapsedMs = Date.now() - t0;
  return rep;
}

/**
 * Bounded-exhaustive fuzzing: every source the reduction enumerates
 * (ExhaustiveSpec.enumerate) of size 0, 1, ..., maxSize, in that order,
 * leaving out a source whose key (ExhaustiveSpec.key) was already checked at
 * that size. Stops at the first disagreement, which is therefore one of the
 * smallest (as the reduction measures size): no shrinking. Deterministic.
 * Throws RangeError if the reduction declares no enumeration, ReductionError
 * as fuzzReduction does.
 */
export async function fuzzExhaustive(red: AnyReduction, opts: ExhaustiveOptions): Promise<FuzzReport> {
  const ex = red.exhaustive;
  if (!ex) throw new RangeError(`reduction ${red.name} declares no exhaustive enumeration`);
  const t0 = Date.now();
  const rep: FuzzReport = { ...newReport(red, opts.variant, opts, 'exhaustive'), maxSize: opts.maxSize, sizeMeasure: ex.size, bySize: [] };
  for (let size = 0; size <= opts.maxSize && !rep.counterexample; size++) {
    const t: SizeTally = { size, sources: 0, skipped: 0, yes: 0, no: 0, unknown: 0 };
    rep.bySize!.push(t);
    const seen = new Set<string>();
    for (const source of ex.enumerate(size)) {
      if (ex.key) {
        const k = ex.key(source);
        if (seen.has(k)) {
          t.skipped++;
          continue;
        }
        seen.add(k);
      }
      const r = await checkSource(red, rep.variant, source, opts);
      tally(red, rep, source, r);
      t.sources++;
      if (r.sourceAnswer === 'yes') t.yes++;
      if (r.sourceAnswer === 'no') t.no++;
      if (r.verdict === 'unknown') t.unknown++;
      opts.onRun?.(rep.runs, r, size);
      if (r.verdict === 'disagree') {
        const json = red.sourceToJson(source);
        rep.counterexample = { source: json, report: r, size, original: json };
        break;
      }
    }
    opts.onSize?.(t);
  }
  rep.elapsedMs = Date.now() - t0;
  return rep;
}
