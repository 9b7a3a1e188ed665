/**
 * The fuzz harness (shared/DESIGN.md section 5): random small sources from a
 * reduction's arbitrary, both sides decided exactly, every map checked, and a
 * disagreement shrunk by fast-check to a minimal counterexample.
 *
 * One run (checkSource), in order:
 *   1. decide the source by brute force; a 'yes' solution must solve it;
 *   2. map it to a relucert instance, which must survive a round trip through
 *      the instance file format;
 *   3. solve the target with engines[defaultEngine] under a deadline and
 *      check the certificate of its answer with the independent checker;
 *   4. source yes  => target feasible, and the mapped witness network, as a
 *                     feasible certificate, is accepted by the checker;
 *      target feasible => the back-mapped solution solves the source;
 *      source no  => target infeasible, with an accepted proof.
 * A target 'unknown' (deadline) is its own verdict: never agreement, never a
 * counterexample. Guarantee: 'agree' only when every check above held.
 */
import * as fc from 'fast-check';
import { checkCertificate } from '../check/index.js';
import type { Instance, Network } from '../core/types.js';
import { certificateJson, certificateText } from '../engines/certificate.js';
import { defaultEngine, engines } from '../engines/index.js';
import type { SolveResult } from '../engines/result.js';
import { toInstance } from '../format/schema.js';
import { instanceToJson, networkToJson, prettyJson } from '../format/write.js';
import type { AnyReduction } from './reduction.js';

export type RunVerdict = 'agree' | 'disagree' | 'unknown';

/** Which check failed (for a disagreement). */
export type FailedCheck =
  | 'source-solution-invalid'
  | 'target-invalid'
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

/** Runs every check of one source through one variant. Never throws for a wrong map: that is a 'disagree'. */
export async function checkSource(red: AnyReduction, variantName: string, source: unknown, opts: RunOptions): Promise<RunReport> {
  const t0 = Date.now();
  const variant = red.variants.find((v) => v.name === variantName);
  if (!variant) throw new RangeError(`reduction ${red.name} has no variant ${variantName}`);
  const files: Record<string, string> = { 'source.json': prettyJson(red.sourceToJson(source)) };
  const mapsChecked: string[] = [];
  const done = (verdict: RunVerdict, detail: string, extra: Partial<RunReport> = {}): RunReport => ({
    verdict,
    detail,
    mapsChecked,
    files,
    ms: Date.now() - t0,
    ...extra,
  });

  // 1. the source, by brute force
  const ans = red.decide(source);
  if (ans.answer === 'yes') {
    files['source-solution.json'] = prettyJson(red.solutionToJson(ans.solution));
    const bad = red.checkSolution(source, ans.solution);
    if (bad) return done('disagree', `the brute-force decider's own solution fails: ${bad}`, { failed: 'source-solution-invalid', sourceAnswer: 'yes' });
  }
  const sourceAnswer = ans.answer;

  // 2. the target instance, round-tripped through the file format
  let inst: Instance;
  try {
    const json = instanceToJson(variant.toInstance(source));
    files['instance.json'] = prettyJson(json);
    inst = toInstance(JSON.parse(JSON.stringify(json)), 'instance.json');
  } catch (e) {
    return done('disagree', `the map does not produce a valid instance: ${(e as Error).message}`, { failed: 'target-invalid', sourceAnswer });
  }

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
  if (!certCheck.ok) return done('disagree', `the checker rejects the engine's ${res.verdict} certificate: ${certCheck.message}`, { ...base, failed: 'engine-certificate-rejected' });

  // 4. the two sides must agree, and every map must hold
  if (sourceAnswer === 'yes' && res.verdict === 'infeasible')
    return done('disagree', 'source yes (solution in source-solution.json), but the target is proved infeasible (checked)', { ...base, failed: 'source-yes-target-infeasible' });
  if (sourceAnswer === 'no' && res.verdict === 'feasible')
    return done('disagree', `source no (decided by brute force: ${ans.searched}), but the target is feasible (witness checked)`, { ...base, failed: 'source-no-target-feasible' });

  const maps = opts.checkMaps !== false;
  if (maps && ans.answer === 'yes' && variant.witness) {
    mapsChecked.push('witness');
    let net: Network;
    try {
      net = variant.witness(source, ans.solution);
    } catch (e) {
      return done('disagree', `the witness map throws: ${(e as Error).message}`, { ...base, failed: 'witness-rejected' });
    }
    const text = certificateText(certificateJson(inst, { verdict: 'feasible', network: net }, { map: `${red.name}/${variant.name} witness` }));
    files['witness-certificate.json'] = text;
    const w = check(text, 'witness-certificate.json');
    if (!w.ok) return done('disagree', `the mapped witness of the source solution is rejected: ${w.message}`, { ...base, failed: 'witness-rejected' });
  }
  if (maps && res.verdict === 'feasible' && variant.solutionFromWitness) {
    mapsChecked.push('back-map');
    files['target-network.json'] = prettyJson(networkToJson(res.network));
    let bad: string | undefined;
    try {
      const sol = variant.solutionFromWitness(source, res.network);
      files['back-mapped-solution.json'] = prettyJson(red.solutionToJson(sol));
      bad = red.checkSolution(source, sol);
    } catch (e) {
      bad = `the back map throws: ${(e as Error).message}`;
    }
    if (bad) return done('disagree', `the solution mapped back from the engine's network does not solve the source: ${bad}`, { ...base, failed: 'back-map-failed' });
  }
  const checked = mapsChecked.length ? `; ${mapsChecked.join(' and ')} map checked` : '';
  return done('agree', `source ${sourceAnswer}, target ${res.verdict} (certificate checked)${checked}`, base);
}

export interface FuzzOptions extends RunOptions {
  runs: number;
  seed: number;
  variant: string;
  /** Called after each run of the main phase (not during shrinking). */
  onRun?: (index: number, report: RunReport) => void;
}

export interface FuzzReport {
  reduction: string;
  variant: string;
  kind: 'correct' | 'mutant';
  seed: number;
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
    /** fast-check's replay path, and the number of successful shrink steps (fast-check's and the reduction's simplify). */
    path: string;
    shrinks: number;
    /** The source as first found, before shrinking. */
    original: unknown;
  };
}

/** Fuzzes one variant; a disagreement is shrunk to a minimal source and re-run to collect its files. */
export async function fuzzReduction(red: AnyReduction, opts: FuzzOptions): Promise<FuzzReport> {
  const variant = red.variants.find((v) => v.name === opts.variant);
  if (!variant) throw new RangeError(`reduction ${red.name} has no variant ${opts.variant}`);
  const t0 = Date.now();
  const rep: FuzzReport = {
    reduction: red.name,
    variant: variant.name,
    kind: variant.kind,
    seed: opts.seed,
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
  let shrinking = false;
  let original: unknown;
  const prop = fc.asyncProperty(red.arbitrary(), async (source: unknown) => {
    const r = await checkSource(red, variant.name, source, opts);
    if (!shrinking) {
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
      opts.onRun?.(rep.runs, r);
      if (r.verdict === 'disagree') {
        shrinking = true;
        original = red.sourceToJson(source);
      }
    }
    return r.verdict !== 'disagree';
  });
  const out = await fc.check(prop, { numRuns: opts.runs, seed: opts.seed, endOnFailure: false });
  if (out.failed && out.counterexample) {
    let source: unknown = out.counterexample[0];
    let report = await checkSource(red, variant.name, source, opts);
    let shrinks = out.numShrinks;
    // the reduction's own shrink steps, greedily, while the disagreement persists
    for (let progress = true, rounds = 0; progress && red.simplify && rounds < 100; rounds++) {
      progress = false;
      for (const cand of red.simplify(source)) {
        const r = await checkSource(red, variant.name, cand, opts);
        if (r.verdict === 'disagree') {
          [source, report, progress] = [cand, r, true];
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
