/**
 * Test helpers for the checker: instances built inline, certificates produced
 * by the solver (tests only: the checker itself never imports the solver),
 * and small tools to tamper with a certificate's JSON.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { type CheckOutcome, type GramValid, type RegionValid, type TrainingValid, checkCertificate } from '../../src/check/index.js';
import { certificateJson, certificateText } from '../../src/engines/certificate.js';
import { referenceSolve } from '../../src/engines/reference.js';
import { toInstance } from '../../src/format/schema.js';

export type Json = any;

export const readInstanceFile = (name: string): Json => JSON.parse(readFileSync(new URL(`../../instances/${name}.json`, import.meta.url), 'utf8'));

/** A relucert-instance/1 object; `over` replaces top-level fields, `arch` architecture fields. */
export function makeInstance(over: Json = {}, arch: Json = {}): Json {
  return {
    format: 'relucert-instance/1',
    name: 'test',
    points: [['-1'], ['0'], ['1']],
    labels: ['1', '0', '1'],
    architecture: { hidden: 1, activation: 'relu', outputWeights: 'signs', outputBias: false, ...arch },
    loss: { type: 'exact' },
    ...over,
  };
}

/**
 * Runs a solver (the reference search unless told) on an instance object and returns its certificate as JSON.
 * The text is remembered per solver and instance for the life of the process (the solvers are deterministic),
 * so test files that run again in the same worker (mutation testing, vitest.mutate.config.ts) do not solve again.
 */
export function solveToCertificate(instance: Json, solve: typeof referenceSolve = referenceSolve): Json {
  const key = `${solve.name}:${JSON.stringify(instance)}`;
  let text = solvedCertificates.get(key);
  if (text === undefined) {
    const inst = toInstance(instance, 'test');
    const r = solve(inst, { deadline: Date.now() + 20_000 });
    if (r.verdict === 'unknown') throw new Error('reference solver timed out in a test');
    const body = r.verdict === 'feasible' ? { verdict: r.verdict, network: r.network } : { verdict: r.verdict, proof: r.proof };
    text = certificateText(certificateJson(inst, body, { test: true }));
    solvedCertificates.set(key, text);
  }
  return JSON.parse(text);
}
/** On globalThis, so that it outlives a re-import of this module in the same worker. */
const solvedCertificates: Map<string, string> = ((globalThis as { relucertSolvedCertificates?: Map<string, string> }).relucertSolvedCertificates ??= new Map());

export const clone = (v: Json): Json => JSON.parse(JSON.stringify(v));

export function check(cert: Json, instance?: Json): CheckOutcome<TrainingValid> {
  return checkText(JSON.stringify(cert), instance === undefined ? undefined : JSON.stringify(instance));
}

/** Checks a certificate given as raw text (for tokens JSON.stringify cannot write). */
export function checkText(certText: string, instanceText?: string): CheckOutcome<TrainingValid> {
  return checkCertificate(certText, 'cert.json', instanceText === undefined ? {} : { instance: { text: instanceText, file: 'inst.json' } });
}

/** A Gram certificate's text checked in-process, with an instance file's text if given (named `instanceFile`, else "instance file"). */
export function checkGramText(certText: string, certFile = 'cert.json', instanceText?: string, instanceFile = 'instance file'): CheckOutcome<GramValid> {
  return checkCertificate(certText, certFile, {
    kind: 'gram',
    ...(instanceText === undefined ? {} : { instance: { text: instanceText, file: instanceFile } }),
  });
}

/** A region certificate's text checked in-process, with a network file's text if given (named `networkFile`). */
export function checkRegionText(certText: string, certFile = 'cert.json', networkText?: string, networkFile = 'net.json'): CheckOutcome<RegionValid> {
  return checkCertificate(certText, certFile, { kind: 'region', ...(networkText === undefined ? {} : { network: { text: networkText, file: networkFile } }) });
}

export function expectValid<V extends CheckOutcome>(outcome: V): Extract<V, { status: 'valid' }> {
  if (outcome.status !== 'valid') expect.fail(`expected valid, got ${JSON.stringify(outcome)}`);
  return outcome as Extract<V, { status: 'valid' }>;
}

export function expectRejected(outcome: CheckOutcome, rule: string, path?: string): Extract<CheckOutcome, { status: 'rejected' }> {
  if (outcome.status !== 'rejected') expect.fail(`expected a rejection (${rule}), got ${JSON.stringify(outcome)}`);
  expect(outcome.rule, outcome.message).toBe(rule);
  if (path !== undefined) expect(outcome.path, outcome.message).toBe(path);
  return outcome;
}

/** A rejection, every part of it. */
export interface ExpectedRejection {
  rule: string;
  path: string;
  expected: string;
  got: string;
}

/** The outcome (of a certificate of any kind) is this rejection, every part of it (rule, field path, expected, got). */
export function expectRejection(outcome: CheckOutcome, want: ExpectedRejection): void {
  if (outcome.status !== 'rejected') expect.fail(`expected a rejection (${want.rule}), got ${JSON.stringify(outcome)}`);
  const { rule, path, expected, got } = outcome;
  expect({ rule, path, expected, got }).toEqual(want);
}

/** Every leaf of a proof tree with its JSON path (as the checker writes it). */
export function leaves(cert: Json): Array<{ node: Json; path: string }> {
  const out: Array<{ node: Json; path: string }> = [];
  const walk = (node: Json, path: string): void => {
    if ('leaf' in node) out.push({ node, path });
    else {
      walk(node.act, `${path}.act`);
      walk(node.inact, `${path}.inact`);
    }
  };
  cert.proof.cases.forEach((c: Json, t: number) => walk(c.tree, `proof.cases[${t}].tree`));
  return out;
}

/** Every split node of a proof tree with its JSON path. */
export function splits(cert: Json): Array<{ node: Json; path: string }> {
  const out: Array<{ node: Json; path: string }> = [];
  const walk = (node: Json, path: string): void => {
    if ('split' in node) {
      out.push({ node, path });
      walk(node.act, `${path}.act`);
      walk(node.inact, `${path}.inact`);
    }
  };
  cert.proof.cases.forEach((c: Json, t: number) => walk(c.tree, `proof.cases[${t}].tree`));
  return out;
}

export interface InstanceArbConstraints {
  /** points: 1..maxPoints (default 5) */
  maxPoints?: number;
  /** dimension: 1..maxDim (default 2) */
  maxDim?: number;
  /** hidden units: 1..maxHidden (default 2) */
  maxHidden?: number;
  /** largest |numerator| of coordinates and labels (default 3) */
  maxValue?: number;
  /** write numbers in varied spellings ("6/4", "1.5", JSON integers), not only canonical text (default false) */
  spellings?: boolean;
}

/** Random small relucert-instance/1 objects over every activation (leaky ReLU with a few slopes), output-weight mode, loss, with and without a weight bound. */
export function instanceArb(c: InstanceArbConstraints = {}): fc.Arbitrary<Json> {
  const { maxPoints = 5, maxDim = 2, maxHidden = 2, maxValue = 3, spellings = false } = c;
  const value = fc.tuple(fc.integer({ min: -maxValue, max: maxValue }), fc.constantFrom(1, 1, 1, 2)).chain(([n, d]) => {
    const canonical = d === 1 || n % d === 0 ? String(n / d) : `${n}/${d}`;
    if (!spellings) return fc.constant<Json>(canonical);
    return fc.constantFrom<Json>(canonical, `${n * 3}/${d * 3}`, ...(d === 1 ? [n, `${n}.0`] : d === 2 ? [`${n / 2}`.replace(/^(-?)0\./, '$1.')] : []));
  });
  return (
    fc
      .record({
        n: fc.integer({ min: 1, max: maxPoints }),
        d: fc.integer({ min: 1, max: maxDim }),
        k: fc.integer({ min: 1, max: maxHidden }),
        activation: fc.constantFrom('relu', 'threshold', 'leaky-relu'),
        slope: fc.constantFrom('0', '1/10', '1/2', '3/4'),
        weightBound: fc.constantFrom(undefined, undefined, undefined, '1', '1/2', '3'),
        boundOutputWeights: fc.boolean(),
        ow: fc.constantFrom('signs', 'positive', 'free', 'list'),
        outputBias: fc.boolean(),
        loss: fc.constantFrom('exact', 'l1', 'linf', 'classification'),
        strict: fc.constantFrom(undefined, false, true),
      })
      // one hidden unit for leaky ReLU and weight bounds: with two, some of these small instances take the
      // reference search several seconds (more on a loaded machine), and tests/engines/leaky-bound.test.ts covers k = 2
      .map((s) => (s.activation === 'leaky-relu' || s.weightBound !== undefined ? { ...s, k: 1 } : s))
      .chain((s) =>
        fc
          .record({
            points: fc.array(fc.array(value, { minLength: s.d, maxLength: s.d }), { minLength: s.n, maxLength: s.n }),
            labels:
              s.loss === 'classification'
                ? fc.array(fc.constantFrom<Json>('1', '-1', 1, -1), { minLength: s.n, maxLength: s.n })
                : fc.array(value, { minLength: s.n, maxLength: s.n }),
            list: fc.array(value, { minLength: s.k, maxLength: s.k }),
            bound: fc.tuple(fc.integer({ min: 0, max: 4 }), fc.constantFrom(1, 2, 3)).map(([p, q]) => `${p}/${q}`),
          })
          .map((v) => ({
            format: 'relucert-instance/1',
            name: 'random',
            points: v.points,
            labels: v.labels,
            architecture: {
              hidden: s.k,
              activation: s.activation,
              ...(s.activation === 'leaky-relu' ? { slope: s.slope } : {}),
              outputWeights: s.ow === 'list' ? v.list : s.ow,
              outputBias: s.outputBias,
              ...(s.weightBound !== undefined ? { weightBound: s.weightBound } : {}),
              ...(s.weightBound !== undefined && s.ow === 'free' && s.boundOutputWeights ? { boundOutputWeights: true } : {}),
            },
            loss:
              s.loss === 'l1' || s.loss === 'linf'
                ? { type: s.loss, bound: v.bound, ...(s.strict === undefined ? {} : { strict: s.strict }) }
                : { type: s.loss },
          })),
      )
  );
}
