/**
 * relucert stochastic relu | network | region: Circa's stochastic ReLUs
 * (docs/stochastic.md).
 *   relu     exact fault probability of one ReLU (exit 0)
 *   network  exact probability that the class changes at one input, and the
 *            Theorem 1 bound (exit 0)
 *   region   a bound for every input in a box, with a certificate the
 *            independent checker verifies; z3 searches for counterexamples to
 *            --bound (exit 0 certified or no target, 1 counterexample found,
 *            0 with status "unknown" when neither)
 * Bad input: exit 2 with one line naming the option or field.
 */
import type { Command } from 'commander';
import { warmSelfCheck } from '../../run/self-check.js';
import { Q, parseRational } from '../../core/rational.js';
import { evaluate } from '../../core/evaluate.js';
import type { Network } from '../../core/types.js';
import { InputError } from '../../format/errors.js';
import { readNetwork } from '../../format/schema.js';
import {
  CIRCA_P,
  type FaultModel,
  type Variant,
  VARIANTS,
  effectiveFaultProbability,
  faultCount,
  faultProbability,
  faultyOutput,
  fieldHalf,
  modelProblem,
} from '../../stochastic/fault.js';
import { exactChangeProbability, unionBound } from '../../stochastic/network.js';
import { type RegionAnswer, certifyRegion, checkField } from '../../stochastic/certify.js';
import { type QNetwork, classOf, point, quantiseInput, quantiseNetwork, traceFaultFree } from '../../stochastic/quantise.js';
import { count } from '../../format/text.js';
import { EXIT, type Io, parsePositiveInt, parseSeconds, reportStream } from '../io.js';
import { outputTarget, shownAs, tryWrites, writeOutput } from '../../format/files.js';

const CL = 'command line';

interface ModelOptions {
  p?: string;
  t?: string;
  variant?: string;
}

/** Reads --p, --t, --variant into a validated fault model. */
export function parseModel(o: ModelOptions): FaultModel {
  const pText = o.p ?? CIRCA_P.toString();
  if (!/^\d+$/.test(pText)) throw new InputError(CL, '--p', `expected an odd prime, got ${JSON.stringify(pText)}`);
  const tText = o.t ?? '0';
  if (!/^\d+$/.test(tText) || tText.length > 6) throw new InputError(CL, '--t', `expected a non-negative integer, got ${JSON.stringify(tText)}`);
  if (o.variant === undefined) throw new InputError(CL, '--variant', `required: one of ${VARIANTS.join(', ')}`);
  if (!(VARIANTS as readonly string[]).includes(o.variant))
    throw new InputError(CL, '--variant', `expected one of ${VARIANTS.join(', ')}, got ${JSON.stringify(o.variant)}`);
  const m: FaultModel = { p: BigInt(pText), t: Number(tText), variant: o.variant as Variant };
  const problem = modelProblem(m);
  if (problem) throw new InputError(CL, `--${problem[0]}`, problem[1]);
  return m;
}

function parseFrac(v: string | undefined): number {
  const s = v ?? '15';
  if (!/^\d+$/.test(s) || Number(s) > 64)
    throw new InputError(CL, '--frac', `expected an integer number of fractional bits in [0, 64], got ${JSON.stringify(s)}`);
  return Number(s);
}

function parseVector(v: string | undefined, option: string, dim: number): Q[] {
  if (v === undefined) throw new InputError(CL, option, 'required');
  const parts = v.split(',');
  const xs = parts.map((s, i) => {
    const r = parseRational(s.trim());
    if (r === undefined) throw new InputError(CL, option, `entry ${i + 1}: not an exact rational: ${JSON.stringify(s)}`);
    return r;
  });
  if (xs.length !== dim) throw new InputError(CL, option, `has ${xs.length} entries, the network has ${dim} inputs`);
  return xs;
}

function loadNetwork(file: string, frac: number): { net: Network; q: QNetwork } {
  const net = readNetwork(file);
  return { net, q: quantiseNetwork(net, frac, file) };
}

/** The exact (unquantised, fault-free) class of the rational network. */
function realClass(net: Network, x: Q[]): number {
  const out = evaluate(net, x);
  if (out.length === 1) return out[0]!.sign() > 0 ? 1 : 0;
  let best = 0;
  out.forEach((v, i) => {
    if (v.gt(out[best]!)) best = i;
  });
  return best;
}

function modelText(m: FaultModel): string {
  return `p = ${m.p}, t = ${m.t}, ${m.variant}`;
}

export function register(program: Command, io: Io, done: (code: number) => void): void {
  const cmd = program
    .command('stochastic')
    .description("Circa's stochastic ReLUs: exact fault probabilities, network-level probabilities and certified region bounds");
  registerRelu(cmd, io, done);
  registerNetwork(cmd, io, done);
  registerRegion(cmd, io, done);
}

/** The options every subcommand shares: the fault model, and --json. */
function modelOptions(c: Command): Command {
  return c
    .option('--p <prime>', `the field's odd prime (default Circa's ${CIRCA_P})`)
    .option('--t <bits>', 'low bits dropped by the truncated sign test (default 0)')
    .requiredOption('--variant <v>', `sign test: ${VARIANTS.join(' | ')} (exact and wrap need t = 0)`)
    .option('--json', 'print one JSON object on stdout');
}

/** stochastic relu: the exact fault probability of one ReLU. */
function registerRelu(cmd: Command, io: Io, done: (code: number) => void): void {
  modelOptions(
    cmd
      .command('relu')
      .description('exact probability that one stochastic ReLU gets the sign of the integer x wrong (closed form over the share randomness r)')
      .requiredOption('--x <int>', 'the pre-activation, a signed integer with |x| <= (p-1)/2'),
  ).action((o: ModelOptions & { x: string; json?: boolean }) => {
    const m = parseModel(o);
    if (!/^[+-]?\d+$/.test(o.x)) throw new InputError(CL, '--x', `expected an integer, got ${JSON.stringify(o.x)}`);
    const x = BigInt(o.x);
    const half = fieldHalf(m.p);
    if (x > half || x < -half) throw new InputError(CL, '--x', `must satisfy |x| <= (p-1)/2 = ${half}, got ${x}`);
    const count = faultCount(m, x);
    const prob = faultProbability(m, x);
    const correct = x > 0n ? x : 0n;
    const faulty = faultyOutput(x);
    const eff = effectiveFaultProbability(m, x);
    if (o.json) {
      io.out(
        JSON.stringify({
          x: x.toString(),
          p: m.p.toString(),
          t: m.t,
          variant: m.variant,
          wrongSignCount: count.toString(),
          probability: prob.toString(),
          correctOutput: correct.toString(),
          faultyOutput: faulty.toString(),
          outputChangeProbability: eff.toString(),
        }) + '\n',
      );
    } else {
      io.out(`sign wrong for ${count} of the ${m.p} values of r: probability ${prob} (~${prob.toNumber().toExponential(4)})\n`);
      io.out(`ReLU(${x}) = ${correct}; a faulty ReLU outputs ${faulty}${faulty === correct ? ' (the fault is harmless)' : ''}\n`);
    }
    done(EXIT.ok);
  });
}

/** stochastic network: the exact probability that the class changes at one input, and the union bound. */
function registerNetwork(cmd: Command, io: Io, done: (code: number) => void): void {
  modelOptions(
    cmd
      .command('network')
      .description('exact probability that the class of the quantised network changes under stochastic ReLUs at one input, and the union bound')
      .argument('<network>', 'a relucert-network/1 file (ReLU hidden layers, identity output)')
      .requiredOption('--input <x1,x2,...>', 'the input, exact rationals separated by commas')
      .option('--frac <bits>', 'fractional bits of the fixed point (default 15)')
      .option('--max-nodes <n>', 'enumeration budget for the exact probability (default 200000)'),
  ).action((file: string, o: ModelOptions & { input: string; frac?: string; maxNodes?: string; json?: boolean }) => {
    const m = parseModel(o);
    const frac = parseFrac(o.frac);
    const maxNodes = parsePositiveInt(o.maxNodes, '--max-nodes') ?? 200_000;
    const { net, q } = loadNetwork(file, frac);
    const xr = parseVector(o.input, '--input', q.inputDim);
    const x = quantiseInput(xr, frac);
    const box = x.map(point);
    checkField(q, m, box);
    const trace = traceFaultFree(q, x);
    const base = classOf(trace.output);
    const ub = unionBound(q, m, box);
    const ex = exactChangeProbability(q, m, x, maxNodes);
    const relus = ub.terms.length;
    const faultable = ub.terms.filter((t) => t.maxCount > 0n).length;
    const mattering = ub.terms.filter((t) => t.canChange).length;
    if (o.json) {
      io.out(
        JSON.stringify({
          input: xr.map(String),
          quantisedInput: x.map(String),
          frac,
          p: m.p.toString(),
          t: m.t,
          variant: m.variant,
          quantisedOutput: trace.output.map(String),
          faultFreeClass: base,
          realClass: realClass(net, xr),
          status: ex.status,
          probability: ex.status === 'exact' ? ex.probability.toString() : null,
          bound: ub.bound.toString(),
          relus,
          faultableRelus: faultable,
          relusThatCanChangeClass: mattering,
          nodes: ex.nodes,
        }) + '\n',
      );
    } else {
      io.out(`fault-free quantised class ${base} (outputs ${trace.output.join(', ')} in units of 2^-${frac}); exact rational class ${realClass(net, xr)}\n`);
      if (ex.status === 'exact')
        io.out(`P(class changes) = ${ex.probability} (~${ex.probability.toNumber().toExponential(4)}), exact, ${ex.nodes} enumeration nodes\n`);
      else io.out(`P(class changes): unknown (${ex.reason})\n`);
      io.out(
        `union bound (Theorem 1): ${ub.bound} (~${ub.bound.toNumber().toExponential(4)}); ${mattering} of ${relus} ReLUs can change the class, ${faultable} can fault\n`,
      );
    }
    done(EXIT.ok);
  });
}

/** stochastic region: a certified bound over a box (src/stochastic/certify.ts), and counterexamples to a target. */
function registerRegion(cmd: Command, io: Io, done: (code: number) => void): void {
  modelOptions(
    cmd
      .command('region')
      .description('a bound on P(class changes) valid for every input in a box, with a certificate; z3 searches for counterexamples to --bound')
      .argument('<network>', 'a relucert-network/1 file (ReLU hidden layers, identity output)')
      .option('--input <x1,x2,...>', 'centre of the box (with --radius)')
      .option('--radius <r>', 'half-width of the box in every coordinate (an exact rational)')
      .option('--lower <l1,l2,...>', 'lower corner (with --upper, instead of --input/--radius)')
      .option('--upper <u1,u2,...>', 'upper corner')
      .option('--frac <bits>', 'fractional bits of the fixed point (default 15)')
      .option('--bound <b>', 'target bound: refine until every piece meets it, then look for counterexamples')
      .option('--max-leaves <n>', 'most pieces in the subdivision (default 512)')
      .option(
        '--timeout <sec>',
        "wall-clock limit for the whole command: refinement and search get two thirds, the certificate's check the rest (without it, the search alone stops after 60 s)",
      )
      .option('--no-search', 'skip the z3 counterexample search')
      .option('--cert <file>', 'write the relucert-region-certificate/1 here ("-": standard output)'),
  ).action(async (file: string, o: RegionOptions) => done(await regionCommand(file, o, io)));
}

interface RegionOptions extends ModelOptions {
  input?: string;
  radius?: string;
  lower?: string;
  upper?: string;
  frac?: string;
  bound?: string;
  maxLeaves?: string;
  timeout?: string;
  search: boolean;
  cert?: string;
  json?: boolean;
}

/** The region command: options, the certification, the report; returns the exit code. */
async function regionCommand(file: string, o: RegionOptions, io: Io): Promise<number> {
  const m = parseModel(o);
  const frac = parseFrac(o.frac);
  const report = reportStream(io, [['--cert', o.cert]], o.json === true);
  const certTarget = o.cert !== undefined ? outputTarget(o.cert) : undefined;
  const maxLeaves = parsePositiveInt(o.maxLeaves, '--max-leaves') ?? 512;
  const seconds = parseSeconds(o.timeout, '--timeout');
  const start = Date.now();
  // refinement and search get two thirds of the limit; the certificate's check (about half as long as the refinement) the rest
  const deadline = seconds !== undefined ? start + (seconds * 1000 * 2) / 3 : undefined;
  if (seconds !== undefined) warmSelfCheck();
  let target: Q | undefined;
  if (o.bound !== undefined) {
    target = parseRational(o.bound);
    if (target === undefined || target.sign() < 0)
      throw new InputError(CL, '--bound', `expected a non-negative exact rational, got ${JSON.stringify(o.bound)}`);
  }
  const { net, q } = loadNetwork(file, frac);
  const { lower, upper } = parseBox(o, q.inputDim);
  const answer = await certifyRegion(
    { network: net, quantised: q, frac, model: m, lower, upper },
    {
      maxLeaves,
      search: o.search,
      name: o.cert ?? '(certificate)',
      ...(target ? { target } : {}),
      ...(deadline !== undefined ? { deadline } : {}),
      ...(seconds !== undefined ? { checkDeadline: start + seconds * 1000 } : {}),
    },
  );
  if (answer.checked === 'timeout') {
    const reason = 'the region certificate was built but its check did not finish within the time limit; nothing written';
    if (o.json) io.out(JSON.stringify({ status: 'unknown', reason, leaves: answer.leaves }) + '\n');
    else io.out(`unknown: ${reason} (${answer.leaves} pieces)\n`);
    return EXIT.unknown;
  }
  const failed = certTarget ? tryWrites(() => writeOutput(certTarget, answer.certificate, io)) : undefined;
  const certPlace = certTarget === undefined || failed ? null : shownAs(certTarget);
  const shown = { m, frac, target, lower, upper, certPlace, writeError: failed?.message };
  if (o.json) printRegionJson(answer, shown, report);
  else printRegionText(answer, shown, report);
  if (failed) throw failed;
  return answer.status === 'counterexample' ? EXIT.notWithinBound : EXIT.ok;
}

/** The box from --lower/--upper, or from --input/--radius; InputError naming the option otherwise. */
function parseBox(o: RegionOptions, dim: number): { lower: Q[]; upper: Q[] } {
  if (o.lower !== undefined || o.upper !== undefined) {
    if (o.input !== undefined || o.radius !== undefined) throw new InputError(CL, '--lower', 'give either --lower/--upper or --input/--radius');
    const lower = parseVector(o.lower, '--lower', dim);
    const upper = parseVector(o.upper, '--upper', dim);
    upper.forEach((u, k) => {
      if (u.lt(lower[k]!)) throw new InputError(CL, '--upper', `entry ${k + 1} is below --lower`);
    });
    return { lower, upper };
  }
  const c = parseVector(o.input, '--input', dim);
  const r = o.radius === undefined ? undefined : parseRational(o.radius);
  if (r === undefined || r.sign() < 0) throw new InputError(CL, '--radius', `expected a non-negative exact rational, got ${JSON.stringify(o.radius)}`);
  return { lower: c.map((v) => v.sub(r)), upper: c.map((v) => v.add(r)) };
}

/** What the region report shows besides the answer. */
interface RegionShown {
  m: FaultModel;
  frac: number;
  target: Q | undefined;
  lower: Q[];
  upper: Q[];
  certPlace: string | null;
  writeError: string | undefined;
}

type CheckedRegion = Extract<RegionAnswer, { checked: 'valid' }>;

/** stochastic region --json: one JSON object. */
function printRegionJson(a: CheckedRegion, s: RegionShown, report: Io): void {
  const scale = Q.of(1n << BigInt(s.frac));
  const cx = a.counterexample;
  report.out(
    JSON.stringify({
      status: a.status,
      bound: a.bound.toString(),
      target: s.target?.toString() ?? null,
      lower: s.lower.map(String),
      upper: s.upper.map(String),
      quantisedBox: a.box.map((b) => [b.lo.toString(), b.hi.toString()]),
      leaves: a.leaves,
      openLeaves: a.openLeaves,
      certificate: s.certPlace,
      ...(s.writeError !== undefined ? { writeError: s.writeError } : {}),
      checked: a.statement,
      counterexample: cx
        ? { quantisedInput: cx.input.map(String), input: cx.input.map((v) => Q.of(v).div(scale).toString()), probability: cx.probability.toString() }
        : null,
      search: a.search ?? null,
    }) + '\n',
  );
}

/** The region answer for people: the proved bound, the checker's statement, the certificate, the target. */
function printRegionText(a: CheckedRegion, s: RegionShown, report: Io): void {
  const scale = Q.of(1n << BigInt(s.frac));
  report.out(
    `proved: P(class changes) <= ${a.bound} (~${a.bound.toNumber().toExponential(4)}) on the whole box, ${count(a.leaves, 'piece')} (${modelText(s.m)}, ${s.frac} fractional bits)\n`,
  );
  report.out(`checker: valid: ${a.statement}\n`);
  if (s.certPlace) report.out(`certificate written to ${s.certPlace}\n`);
  else if (s.writeError !== undefined) report.out('certificate: NOT written (below)\n');
  const { target } = s;
  if (target === undefined) return;
  const cx = a.counterexample;
  if (a.status === 'certified') report.out(`target ${target}: certified\n`);
  else if (cx)
    report.out(
      `target ${target}: REFUTED at quantised input (${cx.input.join(', ')}) = (${cx.input.map((v) => Q.of(v).div(scale)).join(', ')}): exact P = ${cx.probability} (~${cx.probability.toNumber().toExponential(4)})\n`,
    );
  else
    report.out(
      `target ${target}: unknown (${count(a.openLeaves, 'piece')} above it${a.search ? `; z3: ${a.search.queries} queries, ${a.search.candidates} candidates, no counterexample` : ''})\n`,
    );
}
