/**
 * relucert solve INSTANCE [--engine NAME] [--start NETWORK] [--cert FILE] [--network-out FILE] [--timeout SEC] [--threads N] [--json] [--quiet | --progress]
 * Exit 10 feasible, 20 infeasible, 0 unknown, 2 bad input (MiniSat's codes),
 * 3 engines disagree (--engine all), 74 the verdict was printed but a file
 * could not be written. FILE "-" is standard output (the report then goes to stderr).
 * relucert solve DIR|FILES... [--summary CSV] [--cert-dir DIR]: a batch (src/cli/batch.ts).
 * relucert solve CUBE: one cube of a split (solve-cube.ts).
 * The work is the library's `solve` (src/run/solve.ts); this file parses and prints.
 */
import type { Command } from 'commander';
import type { Instance, Network } from '../../core/types.js';
import { defaultEngine, engines } from '../../engines/index.js';
import { type SolveResult, countCaseLeaves } from '../../engines/result.js';
import { InputError } from '../../format/errors.js';
import { type Output, isDirectory, outputTarget, shownAs, tryWrites, writeOutput } from '../../format/files.js';
import { readInstance } from '../../format/schema.js';
import { count, describeQuestion, nameOf, networkFormula, progressLine } from '../../format/text.js';
import { networkToJson, prettyJson } from '../../format/write.js';
import { isCubeFile } from '../../run/cube.js';
import { warmSelfCheck } from '../../run/self-check.js';
import { type Solution, engineNamed, solve } from '../../run/solve.js';
import { EXIT, type Io, parsePositiveInt, parseSeconds, reportStream } from '../io.js';
import { checkCubeable, checkSolvableSize } from '../../run/limits.js';
import { type QuestionOptions, overrideQuestion, overrides, parseLossSpec, questionOptions } from '../question-options.js';

/** The most threads an engine uses (the exact and cdcl engines: a second search). */
const MAX_THREADS = 2;

/** The exit code of a verdict (MiniSat's 10 / 20 / 0), or 3 when engines disagreed. */
export function exitCodeOf(r: SolveResult): number {
  if (r.crossCheck?.disagreement) return EXIT.disagreement;
  return r.verdict === 'feasible' ? EXIT.feasible : r.verdict === 'infeasible' ? EXIT.infeasible : EXIT.unknown;
}

interface SolveOptions extends QuestionOptions {
  engine: string;
  cert?: string;
  networkOut?: string;
  onnxOut?: string;
  summary?: string;
  certDir?: string;
  timeout?: string;
  threads: string;
  workers: string;
  json?: boolean;
  quiet?: boolean;
  progress?: boolean;
  start?: string;
}

export function register(program: Command, io: Io, done: (code: number) => void): void {
  const cmd = program
    .command('solve')
    .description(
      "decide whether a network of the instance's shape meets its loss bound; exit 10 feasible, 20 infeasible, 0 unknown, 2 bad input, 3 engines disagree (--engine all), 74 a file could not be written",
    )
    .argument('<instances...>', 'a relucert-instance/1 file, or a cube file made by relucert split; several files or a directory (its *.json) solve a batch')
    .option('--engine <name>', `engine to use (${Object.keys(engines).join(', ')})`, defaultEngine)
    .option('--cert <file>', 'write the certificate here, checked by the independent checker first ("-": standard output)')
    .option('--network-out <file>', 'write the witness network (relucert-network/1) here when the verdict is feasible ("-": standard output)')
    .option('--onnx-out <file>', 'when feasible, write the witness network as an ONNX model (float64 weights; docs/interop.md)')
    .option('--summary <file>', 'batch: write one CSV row per instance (name, file, verdict, seconds, nodes, leaves, certificate, checked, detail)')
    .option('--cert-dir <dir>', 'batch: write each certificate as DIR/NAME.cert.json (NAME: the instance file name without .json)')
    .option('--timeout <sec>', 'give up after this many seconds and answer "unknown" (in a batch: per instance)')
    .option(
      '--threads <n>',
      `threads for the exact and cdcl engines, 1 or ${MAX_THREADS} (${MAX_THREADS}: a second search in another order joins after 1 s; see docs/engines.md)`,
      '1',
    )
    .option('--workers <n>', 'cube-and-conquer on N local worker threads (split by lookahead, cubes solved in parallel, proofs merged; docs/cluster.md)', '1')
    .option(
      '--start <network>',
      'a network to start from (relucert-network/1, a feasible certificate, ONNX or safetensors): when it or the optimum of its activation pattern meets the bound, that is the witness',
    )
    .option('--json', 'print one JSON object on stdout')
    .option('--quiet', 'no progress lines (in a batch: no progress bar) on stderr')
    .option('--progress', 'progress lines (in a batch: the progress bar) on stderr even when stderr is not a terminal');
  questionOptions(cmd, 'TYPE:BOUND (l2:1/2) or exact, classification');
  cmd.action(async (files: string[], o: SolveOptions) => done(await solveCommand(files, o, io)));
}

/** The whole command: options, then a batch, a cube, or one instance; returns the exit code. */
async function solveCommand(files: string[], o: SolveOptions, io: Io): Promise<number> {
  const timeout = parseSeconds(o.timeout, '--timeout');
  // the time limit counts from here: reading the instance is part of it
  const deadline = timeout !== undefined ? Date.now() + timeout * 1000 : undefined;
  if (timeout !== undefined && o.cert !== undefined) warmSelfCheck();
  const threads = parsePositiveInt(o.threads, '--threads')!;
  if (threads > MAX_THREADS)
    throw new InputError('command line', '--threads', `an engine uses at most ${MAX_THREADS} threads (a second search), got ${threads}`);
  if (threads > 1 && !['exact', 'cdcl', 'all'].includes(o.engine))
    throw new InputError('command line', '--threads', `only the exact and cdcl engines use threads, not ${JSON.stringify(o.engine)}`);
  if (o.quiet && o.progress)
    throw new InputError('command line', '--quiet/--progress', 'give one of them: --quiet turns progress lines off, --progress turns them on');
  engineNamed(o.engine);
  if (o.loss !== undefined) parseLossSpec(o.loss);
  if (isBatch(files, o)) {
    for (const [option, v] of [
      ['--cert', o.cert],
      ['--network-out', o.networkOut],
      ['--onnx-out', o.onnxOut],
      ['--start', o.start],
    ] as const)
      if (v !== undefined) throw new InputError('command line', option, 'takes one instance; for a batch use --cert-dir');
    // the batch runner (its progress bar and CSV writer) is loaded only for a batch
    return (await import('../batch.js')).runBatch(
      files,
      {
        engine: o.engine,
        threads,
        ...(timeout !== undefined ? { timeout } : {}),
        ...(o.summary !== undefined ? { summary: o.summary } : {}),
        ...(o.certDir !== undefined ? { certDir: o.certDir } : {}),
        ...(o.progress ? { progress: true } : {}),
        ...(o.quiet ? { quiet: true } : {}),
        ...(o.json ? { json: true } : {}),
        ...(overrides(o) ? { question: (inst: Instance, file: string) => overrideQuestion(inst, o, file) } : {}),
      },
      io,
    );
  }
  return solveOne(files[0]!, o, { threads, timeout, deadline }, io);
}

/** Where the outputs of one solve go, each checked before the work. */
interface Targets {
  report: Io;
  cert?: Output;
  network?: Output;
  onnx?: Output;
}

/** What was written after a solve. */
interface Written {
  cert: boolean;
  network: boolean;
  onnx?: string;
}

/** One instance (or one cube file): solve, write, print; returns the exit code. */
async function solveOne(file: string, o: SolveOptions, p: { threads: number; timeout?: number; deadline?: number }, io: Io): Promise<number> {
  if (o.onnxOut === '-') throw new InputError('command line', '--onnx-out', 'an ONNX model is binary: give a file, not "-"');
  const onnx = o.onnxOut !== undefined ? outputTarget(o.onnxOut) : undefined;
  // every output is checked before the solve, so a long solve never ends in "cannot write"
  const report = reportStream(
    io,
    [
      ['--cert', o.cert],
      ['--network-out', o.networkOut],
    ],
    o.json === true,
  );
  const targets: Targets = {
    report,
    ...(o.cert !== undefined ? { cert: outputTarget(o.cert) } : {}),
    ...(o.networkOut !== undefined ? { network: outputTarget(o.networkOut) } : {}),
    ...(onnx ? { onnx } : {}),
  };
  const workers = parsePositiveInt(o.workers, '--workers')!;
  if (isCubeFile(file) && o.start !== undefined) throw new InputError('command line', '--start', 'takes an instance, not a cube file');
  if (isCubeFile(file) && overrides(o))
    throw new InputError(
      'command line',
      '--hidden, --activation, --output-weights, --loss',
      "a cube belongs to its split's question; split the instance asked that way instead",
    );
  if (isCubeFile(file))
    return (await import('./solve-cube.js')).solveCubeCommand(
      file,
      { engine: o.engine, cert: o.cert, timeout: p.timeout, workers, json: o.json, quiet: o.quiet, progress: o.progress },
      io,
    );
  const inst = overrideQuestion(readInstance(file), o, file);
  checkSolvableSize(inst, file, inst.architecture.hidden, workers > 1 ? undefined : o.engine);
  if (workers > 1) checkCubeable(inst, file);
  const showProgress = (io.progress || o.progress === true) && !o.quiet;
  // the ONNX reader and writer (protobufjs: about 40 ms of start-up) are loaded only when an option needs them
  const start = o.start !== undefined ? (await import('../../interop/import.js')).readStartNetwork(o.start, inst) : undefined;
  const r = await solve(inst, {
    ...(start ? { start } : {}),
    engine: o.engine,
    threads: p.threads,
    workers,
    certify: o.cert !== undefined,
    ...(p.deadline !== undefined ? { deadline: p.deadline } : {}),
    ...(showProgress ? { onProgress: (s) => io.err(progressLine(s) + '\n') } : {}),
  });
  const network: Network | undefined = r.verdict === 'feasible' ? r.network : undefined;
  const onnxWriter = targets.onnx?.kind === 'file' && network ? await import('./export-network.js') : undefined;
  const written: Written = { cert: false, network: false };
  const failed = tryWrites(() => {
    if (targets.cert && r.certificate !== undefined) {
      writeOutput(targets.cert, r.certificate, io);
      written.cert = true;
    }
    if (targets.network && network) {
      writeOutput(targets.network, prettyJson(networkToJson(network)), io);
      written.network = true;
    }
    if (targets.onnx?.kind === 'file' && network && onnxWriter) {
      onnxWriter.writeOnnxFile(network, targets.onnx.file, `witness for ${inst.name}, found by relucert solve`, 'the witness', io);
      written.onnx = targets.onnx.file;
    }
  });
  if (o.json) printJson(inst, r, o, written, failed?.message, report);
  else printText(inst, r, o, workers, targets, written, failed !== undefined, report);
  if (o.onnxOut !== undefined && r.verdict !== 'feasible')
    io.err(`relucert: ${o.onnxOut} not written: the answer is ${r.verdict}, there is no witness network\n`);
  if (r.crossCheck?.disagreement)
    io.err(
      `relucert: ENGINES DISAGREE on ${file}: ${r.crossCheck.comparisons.map((c) => `${c.engine} ${c.verdict}`).join(', ')} — this is a bug; please report it with the instance\n`,
    );
  if (failed) throw failed;
  return exitCodeOf(r);
}

/** The leaves of an infeasibility proof, over all its cases; undefined for other verdicts. */
function proofLeaves(r: SolveResult): number | undefined {
  return r.verdict === 'infeasible' ? r.proof.cases.reduce((s, c) => s + countCaseLeaves(c), 0) : undefined;
}

/** solve --json: one JSON object. */
function printJson(inst: Instance, r: Solution, o: SolveOptions, written: Written, writeError: string | undefined, report: Io): void {
  const leaves = proofLeaves(r);
  report.out(
    JSON.stringify({
      instance: inst.name,
      question: describeQuestion(inst),
      verdict: r.verdict,
      engine: o.engine,
      ...(r.verdict === 'feasible' ? { loss: r.loss.toString(), network: networkToJson(r.network) } : {}),
      ...(r.verdict === 'unknown' ? { reason: r.reason } : {}),
      ...(leaves !== undefined ? { proofLeaves: leaves } : {}),
      ...(o.cert !== undefined ? { certificate: written.cert ? o.cert : null, certificateChecked: r.certificate !== undefined } : {}),
      ...(o.networkOut !== undefined ? { networkFile: written.network ? o.networkOut : null } : {}),
      ...(o.onnxOut !== undefined ? { onnx: written.onnx ?? null } : {}),
      ...(writeError !== undefined ? { writeError } : {}),
      ...(r.crossCheck ? { comparisons: r.crossCheck.comparisons, disagreement: r.crossCheck.disagreement } : {}),
      stats: r.stats,
    }) + '\n',
  );
}

/** The verdict for people: the answer, the question, the witness, the engine, the files. */
function printText(inst: Instance, r: Solution, o: SolveOptions, workers: number, t: Targets, written: Written, failed: boolean, report: Io): void {
  const leaves = proofLeaves(r);
  const network = r.verdict === 'feasible' ? r.network : undefined;
  const extra =
    r.verdict === 'feasible' ? ` (loss ${r.loss})` : r.verdict === 'unknown' ? ` (${r.reason})` : ` (proof with ${count(leaves!, 'leaf', 'leaves')})`;
  report.out(`${nameOf(inst)}: ${r.verdict}${extra}\n`);
  report.out(`  question: ${describeQuestion(inst)}\n`);
  if (network) report.out(`  witness: ${networkFormula(network)}\n`);
  report.out(`  engine ${o.engine}${workers > 1 ? ` on ${workers} workers` : ''}: ${r.stats.nodes} nodes, ${r.stats.elapsedMs} ms\n`);
  const certPlace = t.cert && written.cert ? shownAs(t.cert) : undefined;
  if (certPlace) report.out(`  certificate: ${certPlace} (checked by the independent checker: valid)\n`);
  else if (o.cert !== undefined) {
    const why = failed
      ? 'it could not be written (below)'
      : r.verdict === 'unknown'
        ? 'there is no verdict to certify'
        : `the ${o.engine} engine does not prove infeasibility`;
    report.out(`  certificate: none written: ${why}\n`);
  }
  const netPlace = t.network && written.network ? shownAs(t.network) : undefined;
  if (netPlace) report.out(`  network: ${netPlace}\n`);
  else if (o.networkOut !== undefined)
    report.out(`  network: none written: ${failed && network ? 'it could not be written (below)' : 'there is no witness'}\n`);
  if (written.onnx) report.out(`  onnx: ${written.onnx}\n`);
  else if (o.onnxOut !== undefined) report.out(`  onnx: none written: ${failed && network ? 'it could not be written (below)' : 'there is no witness'}\n`);
  printComparisons(r, report);
}

/** --engine all: how the time was shared, and every engine's answer. */
function printComparisons(r: SolveResult, report: Io): void {
  if (r.crossCheck)
    report.out(
      r.crossCheck.shared
        ? '  time limit shared: each engine in turn gets an equal share of the time left\n'
        : '  no time limit: each engine after the first gets max(10 s, 10 x its time)\n',
    );
  for (const c of r.crossCheck?.comparisons ?? [])
    report.out(
      `  ${c.engine.padEnd(10)} ${c.verdict.padEnd(10)} ${(c.elapsedMs / 1000).toFixed(2)} s${c.limitMs !== undefined ? ` of ${(c.limitMs / 1000).toFixed(2)} s` : ''}${c.note ? `  (${c.note})` : ''}\n`,
    );
}

/** Whether a solve argument list asks for a batch (several files, a directory, or batch options). */
function isBatch(inputs: string[], o: { summary?: string; certDir?: string }): boolean {
  return inputs.length !== 1 || o.summary !== undefined || o.certDir !== undefined || isDirectory(inputs[0]!);
}
