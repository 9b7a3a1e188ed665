/**
 * relucert minimize INSTANCE (--loss [TYPE] | --width [--loss TYPE:BOUND]) [--hidden K] [--activation A] [--output-weights W] [--out DIR] [--start NETWORK] [--engine NAME] [--max-width K] [--timeout SEC] [--json]
 * The question options override the instance's fields (question-options.ts);
 * --loss TYPE names the loss to minimise, with no bound (the bound is what
 * minimize finds). Writes, into DIR/NAME-HASH (questionFolder), the instance at the optimum with its witness
 * certificate and the instance asking for less with its infeasibility
 * certificate; both are checked by the independent checker before they are
 * written. Stopped before the optimum (--timeout, or no width up to
 * --max-width), it writes the bounds proved so far the same way: the best
 * witness (upper bound) and the best infeasibility proof (lower bound).
 * The work is the library's `minimize` (src/run/minimize.ts); this file parses and prints.
 * Exit 0 optimum certified, 30 bounds only (EXIT.bounds), 2 bad input.
 */
import type { Command } from 'commander';
import { join } from 'node:path';
import type { Q } from '../../core/rational.js';
import type { Instance, Network } from '../../core/types.js';
import { defaultEngine } from '../../engines/index.js';
import { InputError } from '../../format/errors.js';
import { outputDirectory } from '../../format/files.js';
import { readInstance } from '../../format/schema.js';
import { describeMinimizeQuestion, nameOf, networkFormula, progressLine } from '../../format/text.js';
import { networkToJson } from '../../format/write.js';
import { type CertifiedSide, type MinimizeAnswer, type Objective, type WrittenSide, minimize, provingEngine, questionFolder } from '../../run/minimize.js';
import { warmSelfCheck } from '../../run/self-check.js';
import { EXIT, type Io, parsePositiveInt, parseSeconds, stopOnSignals } from '../io.js';
import { type QuestionOptions, overrideQuestion, parseLossSpec, questionOptions } from '../question-options.js';

interface MinimizeOptions extends Omit<QuestionOptions, 'loss'> {
  /** true: --loss alone (the instance's loss type); a string: --loss TYPE (the objective), or with --width the loss TYPE:BOUND asked. */
  loss?: boolean | string;
  width?: boolean;
  maxWidth: string;
  out: string;
  engine: string;
  timeout?: string;
  json?: boolean;
  quiet?: boolean;
  start?: string;
  progress?: boolean;
}

export function register(program: Command, io: Io, done: (code: number) => void): void {
  const cmd = program
    .command('minimize')
    .description(
      'the least l1 / l-inf / l2 (sum of squares) loss for the given width (--loss), or the least width for the given loss (--width), certified on both sides; exit 0 optimum, 30 stopped early with the bounds proved so far (written), 2 bad input',
    )
    .argument('<instance>', 'a relucert-instance/1 file (for --loss: an l1, linf or l2 instance, or any with --loss TYPE; its bound is ignored)')
    .option(
      '--loss [type]',
      "minimise the loss at the instance's width (TYPE: l1, linf or l2 in place of the instance's loss, no bound); with --width: the loss TYPE:BOUND asked",
    )
    .option('--width', "minimise the number of hidden units for the instance's loss")
    .option('--max-width <k>', 'largest width tried by --width', '6')
    .option('--out <dir>', 'directory for the instances and certificates of both sides (in DIR/NAME/)', 'out/minimize')
    .option('--engine <name>', 'engine deciding each question', defaultEngine)
    .option('--timeout <sec>', 'stop after this many seconds in total and write the bounds proved so far (exit 30)')
    .option(
      '--start <network>',
      "--loss: a network to start from (relucert-network/1, a feasible certificate, ONNX or safetensors); its loss and its activation pattern's optimum are the first upper bounds",
    )
    .option('--json', 'print one JSON object on stdout')
    .option('--quiet', 'no progress lines on stderr')
    .option('--progress', 'progress lines on stderr even when stderr is not a terminal');
  questionOptions(cmd, false);
  cmd.action(async (file: string, o: MinimizeOptions) => done(await minimizeCommand(file, o, io)));
}

/**
 * The objective and the question options of minimize's command line:
 * --width, or --loss (alone, or naming the type to minimise: --loss l2);
 * with --width a --loss TYPE:BOUND is the loss asked. Throws InputError for
 * neither or both objectives, a bound given to --loss, or --hidden with --width.
 */
function objectiveOf(o: MinimizeOptions): { objective: Objective; question: QuestionOptions } {
  const question: QuestionOptions = {
    ...(o.hidden !== undefined ? { hidden: o.hidden } : {}),
    ...(o.activation !== undefined ? { activation: o.activation } : {}),
    ...(o.slope !== undefined ? { slope: o.slope } : {}),
    ...(o.outputWeights !== undefined ? { outputWeights: o.outputWeights } : {}),
  };
  const { loss, width } = o;
  if (width === true) {
    if (loss === true)
      throw new InputError('command line', '--loss/--width', 'give exactly one of --loss and --width (with --width, --loss TYPE:BOUND names the loss)');
    if (o.hidden !== undefined) throw new InputError('command line', '--hidden', '--width finds the number of hidden units; give --hidden with --loss');
    return { objective: 'width', question: { ...question, ...(typeof loss === 'string' ? { loss } : {}) } };
  }
  if (loss === undefined) throw new InputError('command line', '--loss/--width', 'give exactly one of --loss and --width');
  if (typeof loss === 'string') {
    const spec = parseLossSpec(loss);
    if (spec.bound !== undefined)
      throw new InputError('command line', '--loss', `minimize --loss finds the least loss: give the type alone (--loss ${spec.type}), not a bound`);
    if (spec.type !== 'l1' && spec.type !== 'linf' && spec.type !== 'l2')
      throw new InputError('command line', '--loss', `minimize --loss minimises an l1, linf or l2 loss, got ${spec.type}`);
    question.loss = loss;
  }
  return { objective: 'loss', question };
}

/** The command: options, the run, the report; returns the exit code (throws the first failed write after the report). */
async function minimizeCommand(file: string, o: MinimizeOptions, io: Io): Promise<number> {
  if (o.quiet && o.progress)
    throw new InputError('command line', '--quiet/--progress', 'give one of them: --quiet turns progress lines off, --progress turns them on');
  const { objective, question } = objectiveOf(o);
  const timeout = parseSeconds(o.timeout, '--timeout');
  // the time limit counts from here: reading the instance is part of it
  const deadline = timeout !== undefined ? Date.now() + timeout * 1000 : undefined;
  if (timeout !== undefined) warmSelfCheck();
  const maxWidth = parsePositiveInt(o.maxWidth, '--max-width')!;
  provingEngine(o.engine);
  outputDirectory(o.out, '--out');
  if (o.start !== undefined && objective !== 'loss') throw new InputError('command line', '--start', 'goes with --loss (a network has one width)');
  const inst = overrideQuestion(readInstance(file), question, file, objective === 'loss' ? 'any' : 'needed');
  // loaded only with --start: the ONNX reader (protobufjs) costs about 40 ms of start-up
  const start = o.start !== undefined ? (await import('../../interop/import.js')).readStartNetwork(o.start, inst) : undefined;
  // SIGINT / SIGTERM: stop the search, certify and write what is proved (exit 30, as on a time limit)
  const stop = stopOnSignals(io, 'stopping the search; the bounds proved so far are certified and written');
  const progress = (io.progress || o.progress === true) && !o.quiet;
  const t0 = Date.now();
  if (progress)
    io.err(
      `relucert: minimizing the ${objective === 'loss' ? `${inst.loss.type} loss` : 'width'} of ${nameOf(inst)}${stop.signal ? ' (Ctrl-C: stop, and write the bounds proved so far)' : ''}\n`,
    );
  const answer = await minimize(inst, {
    ...(start ? { start } : {}),
    ...(stop.signal ? { stop: stop.signal } : {}),
    objective,
    engine: o.engine,
    maxWidth,
    dir: join(o.out, questionFolder(inst, objective)),
    source: file,
    ...(deadline !== undefined ? { deadline } : {}),
    ...(progress
      ? {
          onProgress: (s) => io.err(progressLine(s) + '\n'),
          onBounds: (lo, hi) =>
            io.err(`  ${inst.loss.type} loss in [${lo ?? 0}, ${hi ?? '?'}] (found; certified at the end), ${((Date.now() - t0) / 1000).toFixed(1)} s\n`),
        }
      : {}),
  }).finally(stop.dispose);
  const code = answer.status === 'optimal' ? reportOptimum(inst, answer, o.json === true, io) : reportBounds(inst, answer, o.json === true, io);
  if (answer.writeError) throw answer.writeError;
  return code;
}

/** A side as the report shows it: its files, 'timeout' (not certified in time), or undefined (not written, or no such side). */
function shown(side: CertifiedSide | undefined): WrittenSide | 'timeout' | undefined {
  return side === undefined ? undefined : side.status === 'timeout' ? 'timeout' : side.files;
}

const notWritten = 'certificate NOT written (below)';
const late = (side: string): string => `the self-check of the ${side} certificate did not finish within the time limit; not written`;
const whatOf = (inst: Instance, a: MinimizeAnswer): string => (a.objective === 'loss' ? `${inst.loss.type} loss` : 'width');
const writeErrorField = (a: MinimizeAnswer): { writeError?: string } => (a.writeError ? { writeError: a.writeError.message } : {});
/** The witness network of a certified upper side. */
const networkOf = (side: CertifiedSide | undefined): Network | undefined => (side?.status === 'certified' ? side.network : undefined);
/** The witness network in --json: { network: relucert-network/1 } when there is one. */
const networkField = (side: CertifiedSide | undefined): { network?: unknown } => {
  const net = networkOf(side);
  return net ? { network: networkToJson(net) } : {};
};

/** The optimum and its two certificates; exit 0, or 30 when a side's self-check did not finish in time. */
function reportOptimum(inst: Instance, a: MinimizeAnswer & { status: 'optimal' }, json: boolean, io: Io): number {
  const at = shown(a.attained);
  const below = shown(a.below);
  const what = whatOf(inst, a);
  const complete = at !== 'timeout' && below !== 'timeout';
  if (json) {
    io.out(
      JSON.stringify({
        instance: inst.name,
        objective: what,
        question: describeMinimizeQuestion(inst, a.objective),
        status: complete ? 'optimal' : 'bounds',
        value: a.value.toString(),
        ...networkField(a.attained),
        witness: at === 'timeout' ? null : (at ?? null),
        lowerBound: below === 'timeout' ? null : (below ?? null),
        ...(complete ? {} : { reason: late(at === 'timeout' ? 'witness' : 'lower-bound') }),
        ...writeErrorField(a),
        rounds: a.rounds,
        elapsedMs: a.elapsedMs,
      }) + '\n',
    );
  } else {
    io.out(`${nameOf(inst)}: least ${what} = ${a.value}${complete ? '' : ' (not fully certified in time)'}\n`);
    io.out(`  question: ${describeMinimizeQuestion(inst, a.objective)}\n`);
    const net = networkOf(a.attained);
    if (net) io.out(`  network: ${networkFormula(net)}\n`);
    io.out(at === 'timeout' ? `  attained: ${late('witness')}\n` : `  attained: ${at ? at.certificate : notWritten} (witness, checked)\n`);
    if (below === 'timeout') io.out(`  nothing less: ${late('lower-bound')}\n`);
    else if (below) io.out(`  nothing less: ${below.certificate} (infeasibility proof, checked)\n`);
    else if (a.below) io.out(`  nothing less: ${notWritten} (infeasibility proof, checked)\n`);
    else io.out('  nothing less: width 1 is the smallest width there is\n');
  }
  return complete ? EXIT.ok : EXIT.bounds;
}

/** Stopped before the optimum: the bounds proved so far and their certificates; exit 30. */
function reportBounds(inst: Instance, a: MinimizeAnswer & { status: 'bounds' }, json: boolean, io: Io): number {
  const upper = shown(a.upper);
  const lower = shown(a.lower);
  const what = whatOf(inst, a);
  const lo: Q | undefined = lower && lower !== 'timeout' ? a.lower!.value : undefined;
  const hi: Q | undefined = upper && upper !== 'timeout' ? a.upper!.value : undefined;
  if (json) {
    io.out(
      JSON.stringify({
        instance: inst.name,
        objective: what,
        question: describeMinimizeQuestion(inst, a.objective),
        status: 'bounds',
        reason: a.reason,
        ...networkField(a.upper),
        lower: lo !== undefined && lower !== 'timeout' ? { value: lo.toString(), ...lower } : null,
        upper: hi !== undefined && upper !== 'timeout' ? { value: hi.toString(), ...upper } : null,
        ...writeErrorField(a),
        rounds: a.rounds,
        elapsedMs: a.elapsedMs,
      }) + '\n',
    );
  } else if (a.objective === 'loss') {
    io.out(`${nameOf(inst)}: ${what} in [${lo ?? 0}, ${hi ?? 'unknown'}] (stopped: ${a.reason})\n`);
    io.out(`  question: ${describeMinimizeQuestion(inst, a.objective)}\n`);
    const net = networkOf(a.upper);
    if (net) io.out(`  best network: ${networkFormula(net)}\n`);
    if (upper === 'timeout') io.out(`  at most ${a.upper!.value}: ${late('witness')}\n`);
    else if (upper) io.out(`  at most ${hi}: ${upper.certificate} (witness, checked)\n`);
    if (lower === 'timeout') io.out(`  at least ${a.lower!.value}: ${late('lower-bound')}\n`);
    else if (lower) io.out(`  at least ${lo}: ${lower.certificate} (proof that no network has ${what} < ${lo}, checked)\n`);
    else io.out('  at least 0: a loss is never negative (no proof of more finished in time)\n');
  } else {
    const question = `  question: ${describeMinimizeQuestion(inst, a.objective)}\n`;
    if (lo === undefined) io.out(`${nameOf(inst)}: width unknown (stopped: ${a.reason}); nothing proved, nothing written\n${question}`);
    else {
      io.out(`${nameOf(inst)}: width > ${lo.num - 1n} (proved; stopped: ${a.reason})\n${question}`);
      if (lower && lower !== 'timeout') io.out(`  at least ${lo}: ${lower.certificate} (infeasibility proof for width ${lo.num - 1n}, checked)\n`);
    }
    if (lower === 'timeout') io.out(`  ${late('lower-bound')}\n`);
  }
  return EXIT.bounds;
}
