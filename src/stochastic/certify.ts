/**
 * Region certification (docs/stochastic.md sections 6 and 7): a bound on
 * P(class changes) under stochastic ReLUs valid for every input in a box,
 * as a relucert-region-certificate/1 the independent checker has accepted.
 * The box is refined (region.ts refineRegion) until every piece meets the
 * target or the budget is spent; with a target still unmet, z3 looks for a
 * counterexample (region.ts searchCounterexample); the certificate is then
 * self-checked (src/run/self-check.ts), within the time limit.
 */
import type { Q } from '../core/rational.js';
import { Deadline } from '../core/deadline.js';
import { InputError } from '../format/errors.js';
import { selfCheckRegion } from '../run/self-check.js';
import type { FaultModel } from './fault.js';
import { fieldProblem } from './network.js';
import { type Interval, type QNetwork, quantiseInput, quantiseNetwork } from './quantise.js';
import { type RegionClaim, type SearchOutcome, refineRegion, regionCertificate, searchCounterexample } from './region.js';

/**
 * The question: the network, its fixed point (`frac` fractional bits), the
 * fault model, the box [lower, upper] of real inputs; `quantised`, the
 * network in fixed point when the caller has it (quantise.ts
 * quantiseNetwork), else it is made here.
 */
export interface RegionQuestion extends RegionClaim {
  quantised?: QNetwork;
}

export interface RegionOptions {
  /** Refine until every piece's bound is at most this, then look for counterexamples when it is not met. */
  target?: Q;
  /** Most pieces in the subdivision (default 512). */
  maxLeaves?: number;
  /** Look for counterexamples with z3 when the target is not met (default true). */
  search?: boolean;
  /** Absolute time (Date.now() ms) by which refinement and search stop (without it, the search alone stops after 60 s). */
  deadline?: number;
  /** Absolute time by which the certificate's self-check must finish; past it the answer is 'timeout'. */
  checkDeadline?: number;
  /** Names the certificate in the self-check's messages. */
  name?: string;
  /** Names the network in errors (its file). */
  networkName?: string;
}

/**
 * The answer. 'timeout': the certificate was built but its self-check did
 * not finish in time (`leaves` pieces); nothing is certified. Otherwise the
 * certificate text (checked: `statement` is what the checker says it
 * proves) with the proved `bound` over the whole box, and `status`:
 * 'certified' (no target, or the bound meets it), 'counterexample' (a
 * quantised input whose exact probability exceeds the target), or
 * 'unknown' (neither; `search` says what z3 tried).
 */
export type RegionAnswer =
  | { checked: 'timeout'; leaves: number }
  | {
      checked: 'valid';
      status: 'certified' | 'counterexample' | 'unknown';
      bound: Q;
      leaves: number;
      openLeaves: number;
      /** the box in fixed point (units of 2^-frac) */
      box: Interval[];
      certificate: string;
      statement: string;
      counterexample?: { input: bigint[]; probability: Q };
      /** what the counterexample search tried, when it found none */
      search?: Extract<SearchOutcome, { status: 'none-found' }>;
    };

/** The box [lower, upper] of real inputs in fixed point: each corner quantised to `frac` fractional bits. */
export function quantisedBox(lower: readonly Q[], upper: readonly Q[], frac: number): Interval[] {
  return quantiseInput(lower, frac).map((lo, k) => ({ lo, hi: quantiseInput([upper[k]!], frac)[0]! }));
}

/** Throws InputError (naming --p) when the fault model's field cannot represent every pre-activation reachable on the box (network.ts fieldProblem). */
export function checkField(q: QNetwork, m: FaultModel, box: readonly Interval[]): void {
  const problem = fieldProblem(q, m, box);
  if (problem) throw new InputError('command line', '--p', problem);
}

/**
 * Certifies a bound on the box (see RegionAnswer). Throws InputError when
 * the network cannot be put in fixed point (quantiseNetwork: a layer that is
 * not ReLU or identity, ...) or the field is too small for the box
 * (checkField); throws Error if the
 * checker rejects the certificate just built (a bug: it is never returned).
 */
export async function certifyRegion(question: RegionQuestion, options: RegionOptions = {}): Promise<RegionAnswer> {
  const m = question.model;
  const q = question.quantised ?? quantiseNetwork(question.network, question.frac, options.networkName ?? 'network');
  const target = options.target;
  const box = quantisedBox(question.lower, question.upper, question.frac);
  checkField(q, m, box);
  const deadline = options.deadline;
  const region = refineRegion(q, m, box, {
    maxLeaves: options.maxLeaves ?? 512,
    ...(target ? { target } : {}),
    ...(deadline !== undefined ? { deadline } : {}),
  });
  let status: 'certified' | 'counterexample' | 'unknown' = target === undefined || region.bound.le(target) ? 'certified' : 'unknown';
  let counterexample: { input: bigint[]; probability: Q } | undefined;
  let search: Extract<SearchOutcome, { status: 'none-found' }> | undefined;
  if (status === 'unknown' && target !== undefined && options.search !== false) {
    const s = await searchCounterexample(q, m, region.openLeaves, target, { deadline: deadline ?? Date.now() + 60_000 });
    if (s.status === 'counterexample') {
      status = 'counterexample';
      counterexample = { input: s.input, probability: s.probability };
    } else search = s;
  }
  const certificate = regionCertificate(question, region);
  const checked = await selfCheckRegion(certificate, options.name ?? '(certificate)', Deadline.at(options.checkDeadline));
  if (checked === 'timeout') return { checked: 'timeout', leaves: region.leaves };
  if (checked.status !== 'valid') throw new Error(`internal error: the emitted region certificate does not check: ${JSON.stringify(checked)}`);
  return {
    checked: 'valid',
    status,
    bound: region.bound,
    leaves: region.leaves,
    openLeaves: region.openLeaves.length,
    box,
    certificate,
    statement: checked.statement,
    ...(counterexample ? { counterexample } : {}),
    ...(search ? { search } : {}),
  };
}
