/**
 * relucert solve INSTANCE [--engine NAME] [--cert FILE] [--network-out FILE] [--timeout SEC] [--threads N] [--json] [--quiet | --progress]
 * Exit 10 feasible, 20 infeasible, 0 unknown, 2 bad input (MiniSat's codes),
 * 3 engines disagree (--engine all), 74 the verdict was printed but a file
 * could not be written. FILE "-" is standard output (the report then goes to stderr).
 * relucert solve DIR|FILES... [--summary CSV] [--cert-dir DIR]: a batch (src/cli/batch.ts).
 */
import type { Command } from 'commander';
import type { Instance, Network } from '../../core/types.js';
import { InputError } from '../../format/errors.js';
import { readInstance } from '../../format/schema.js';
import { networkToJson, prettyJson } from '../../format/write.js';
import { certificateJson, certificateText } from '../../engines/certificate.js';
import { type Engine, defaultEngine, engines } from '../../engines/index.js';
import { Deadline, type SearchStats, type SolveResult, countCaseLeaves } from '../../engines/result.js';
import { EXIT, type Io, outputTarget, parsePositiveInt, parseSeconds, reportStream, shownAs, tryWrites, writeOutput } from '../io.js';
import { checkSolvableSize, checkCubeable } from '../limits.js';
import { count, describeQuestion, nameOf, networkFormula } from '../describe.js';
import { selfCheck, warmSelfCheck } from '../self-check.js';
import { solveWithWorkers } from '../../cube/local.js';
import { CUBE_ENGINES } from '../../engines/solve-under.js';
import { isCubeFile, solveCube } from './solve-cube.js';
import { solveRescaled } from '../../engines/rescale.js';
import { isBatch, solveBatch } from '../batch.js';
import { writeOnnxFile } from './export-network.js';

export function progressLine(s: SearchStats): string {
  return `  ... ${s.nodes} nodes, ${s.leaves} leaves, depth ${s.maxDepth}, ${s.lps} LPs, ${(s.elapsedMs / 1000).toFixed(1)} s`;
}

/** The most threads an engine uses (the exact and cdcl engines: a second search). */
const MAX_THREADS = 2;

export interface SolveRun {
  result: SolveResult;
  /** The certificate text, checked by the independent checker, when the verdict has one. */
  certificate?: { text: string };
}

/** What `solve --cert` answers when the certificate's self-check does not finish within the time limit. */
export const SELF_CHECK_TIMEOUT = 'timeout (the certificate was found but its self-check did not finish in time; nothing written)';

/**
 * Solves with the named engine. With opts.certify, the certificate of a
 * verdict is built and checked by the independent checker (self-check.ts),
 * not written. `deadline` (absolute, Date.now() ms) bounds the engine and the
 * self-check; a certificate whose check does not finish in time makes the
 * answer 'unknown' (SELF_CHECK_TIMEOUT).
 */
export async function solveAndCertify(
  inst: Instance,
  engineName: string,
  opts: { deadline?: number; certify?: boolean; quiet?: boolean; progress?: boolean; threads?: number; workers?: number },
  io: Io,
): Promise<SolveRun> {
  const engine = engineNamed(engineName);
  const showProgress = (io.progress || opts.progress === true) && !opts.quiet;
  const solveOpts = {
    ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
    ...(opts.deadline !== undefined ? { deadline: opts.deadline } : {}),
    ...(showProgress ? { onProgress: (s: SearchStats) => io.err(progressLine(s) + '\n') } : {}),
  };
  const cubeEngine = CUBE_ENGINES.find((e) => e === engine.name);
  if ((opts.workers ?? 1) > 1 && !cubeEngine)
    throw new InputError(
      'command line',
      '--workers',
      `cubes are solved under assumed literals, which ${CUBE_ENGINES.join(' and ')} support; not --engine ${engine.name}`,
    );
  // badly scaled inputs are searched in exactly rescaled coordinates, the answer mapped back (docs/engines.md, "Badly scaled data")
  const result = await solveRescaled(inst, async (i) =>
    (opts.workers ?? 1) > 1 ? (await solveWithWorkers(i, { ...solveOpts, workers: opts.workers!, engine: cubeEngine! })).result : engine.solve(i, solveOpts),
  );
  const run: SolveRun = { result };
  // every 'infeasible' carries a proof (result.ts); milp's, where it has one, is the default engine's (certify-claim.ts)
  if (opts.certify && (result.verdict === 'feasible' || result.verdict === 'infeasible')) {
    const body = result.verdict === 'feasible' ? { verdict: result.verdict, network: result.network } : { verdict: result.verdict, proof: result.proof };
    // no timings in the file, so regenerating a certificate gives the same bytes
    const text = certificateText(certificateJson(inst, body, { engine: engine.name, nodes: result.stats.nodes, lps: result.stats.lps }));
    // Check before writing: a certificate the checker rejects is a solver bug and is never written.
    const outcome = await selfCheck(text, '(certificate)', Deadline.at(opts.deadline));
    if (outcome === 'timeout') {
      const { crossCheck, stats } = result;
      return { result: { verdict: 'unknown', reason: SELF_CHECK_TIMEOUT, stats, ...(crossCheck ? { crossCheck } : {}) } };
    }
    if (outcome.status !== 'valid') throw new Error(`internal error: the checker rejects the certificate just produced: ${outcome.message}`);
    run.certificate = { text };
  }
  return run;
}

/** The engine of that name; an unknown name is an InputError naming --engine. */
export function engineNamed(name: string): Engine {
  const engine = engines[name];
  if (!engine) throw new InputError('command line', '--engine', `unknown engine ${JSON.stringify(name)} (known: ${Object.keys(engines).join(', ')})`);
  return engine;
}

export function exitCodeOf(r: SolveResult): number {
  if (r.crossCheck?.disagreement) return EXIT.disagreement;
  return r.verdict === 'feasible' ? EXIT.feasible : r.verdict === 'infeasible' ? EXIT.infeasible : EXIT.unknown;
}

interface SolveOptions {
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
}

export function register(program: Command, io: Io, done: (code: number) => void): void {
  program
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
    .option('--json', 'print one JSON object on stdout')
    .option('--quiet', 'no progress lines (in a batch: no progress bar) on stderr')
    .option('--progress', 'progress lines (in a batch: the progress bar) on stderr even when stderr is not a terminal')
    .action(async (files: string[], o: SolveOptions) => {
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
      if (isBatch(files, o)) {
        for (const [option, v] of [
          ['--cert', o.cert],
          ['--network-out', o.networkOut],
          ['--onnx-out', o.onnxOut],
        ] as const)
          if (v !== undefined) throw new InputError('command line', option, 'takes one instance; for a batch use --cert-dir');
        done(
          await solveBatch(
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
            },
            io,
          ),
        );
        return;
      }
      const file = files[0]!;
      if (o.onnxOut === '-') throw new InputError('command line', '--onnx-out', 'an ONNX model is binary: give a file, not "-"');
      const onnxTarget = o.onnxOut !== undefined ? outputTarget(o.onnxOut) : undefined;
      // every output is checked before the solve, so a long solve never ends in "cannot write"
      const report = reportStream(
        io,
        [
          ['--cert', o.cert],
          ['--network-out', o.networkOut],
        ],
        o.json === true,
      );
      const certTarget = o.cert !== undefined ? outputTarget(o.cert) : undefined;
      const networkTarget = o.networkOut !== undefined ? outputTarget(o.networkOut) : undefined;
      const workers = parsePositiveInt(o.workers, '--workers')!;
      if (isCubeFile(file))
        return done(solveCube(file, { engine: o.engine, cert: o.cert, timeout, workers, json: o.json, quiet: o.quiet, progress: o.progress }, io));
      const inst = readInstance(file);
      checkSolvableSize(inst, file);
      if (workers > 1) checkCubeable(inst, file);
      const run = await solveAndCertify(
        inst,
        o.engine,
        {
          threads,
          workers,
          certify: o.cert !== undefined,
          ...(deadline !== undefined ? { deadline } : {}),
          ...(o.quiet ? { quiet: true } : {}),
          ...(o.progress ? { progress: true } : {}),
        },
        io,
      );
      const r = run.result;
      const network: Network | undefined = r.verdict === 'feasible' ? r.network : undefined;
      let certWritten = false;
      let networkWritten = false;
      let onnx: string | undefined;
      const failed = tryWrites(() => {
        if (certTarget && run.certificate) {
          writeOutput(certTarget, run.certificate.text, io);
          certWritten = true;
        }
        if (networkTarget && network) {
          writeOutput(networkTarget, prettyJson(networkToJson(network)), io);
          networkWritten = true;
        }
        if (onnxTarget?.kind === 'file' && network) {
          writeOnnxFile(network, onnxTarget.file, `witness for ${inst.name}, found by relucert solve`, 'the witness', io);
          onnx = onnxTarget.file;
        }
      });
      const leaves = r.verdict === 'infeasible' ? r.proof.cases.reduce((s, c) => s + countCaseLeaves(c), 0) : undefined;
      const certPlace = certTarget && certWritten ? shownAs(certTarget) : undefined;
      if (o.json) {
        report.out(
          JSON.stringify({
            instance: inst.name,
            question: describeQuestion(inst),
            verdict: r.verdict,
            engine: o.engine,
            ...(r.verdict === 'feasible' ? { loss: r.loss.toString(), network: networkToJson(r.network) } : {}),
            ...(r.verdict === 'unknown' ? { reason: r.reason } : {}),
            ...(leaves !== undefined ? { proofLeaves: leaves } : {}),
            ...(o.cert !== undefined ? { certificate: certWritten ? o.cert : null, certificateChecked: run.certificate !== undefined } : {}),
            ...(o.networkOut !== undefined ? { networkFile: networkWritten ? o.networkOut : null } : {}),
            ...(o.onnxOut !== undefined ? { onnx: onnx ?? null } : {}),
            ...(failed ? { writeError: failed.message } : {}),
            ...(r.crossCheck ? { comparisons: r.crossCheck.comparisons, disagreement: r.crossCheck.disagreement } : {}),
            stats: r.stats,
          }) + '\n',
        );
      } else {
        const extra =
          r.verdict === 'feasible' ? ` (loss ${r.loss})` : r.verdict === 'unknown' ? ` (${r.reason})` : ` (proof with ${count(leaves!, 'leaf', 'leaves')})`;
        report.out(`${nameOf(inst)}: ${r.verdict}${extra}\n`);
        report.out(`  question: ${describeQuestion(inst)}\n`);
        if (network) report.out(`  witness: ${networkFormula(network)}\n`);
        report.out(`  engine ${o.engine}${workers > 1 ? ` on ${workers} workers` : ''}: ${r.stats.nodes} nodes, ${r.stats.elapsedMs} ms\n`);
        if (certPlace) report.out(`  certificate: ${certPlace} (checked by the independent checker: valid)\n`);
        else if (o.cert !== undefined) {
          const why = failed
            ? 'it could not be written (below)'
            : r.verdict === 'unknown'
              ? 'there is no verdict to certify'
              : `the ${o.engine} engine does not prove infeasibility`;
          report.out(`  certificate: none written: ${why}\n`);
        }
        const netPlace = networkTarget && networkWritten ? shownAs(networkTarget) : undefined;
        if (netPlace) report.out(`  network: ${netPlace}\n`);
        else if (o.networkOut !== undefined)
          report.out(`  network: none written: ${failed && network ? 'it could not be written (below)' : 'there is no witness'}\n`);
        if (onnx) report.out(`  onnx: ${onnx}\n`);
        else if (o.onnxOut !== undefined)
          report.out(`  onnx: none written: ${failed && network ? 'it could not be written (below)' : 'there is no witness'}\n`);
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
      if (o.onnxOut !== undefined && r.verdict !== 'feasible')
        io.err(`relucert: ${o.onnxOut} not written: the answer is ${r.verdict}, there is no witness network\n`);
      if (r.crossCheck?.disagreement)
        io.err(
          `relucert: ENGINES DISAGREE on ${file}: ${r.crossCheck.comparisons.map((c) => `${c.engine} ${c.verdict}`).join(', ')} — this is a bug; please report it with the instance\n`,
        );
      if (failed) throw failed;
      done(exitCodeOf(r));
    });
}
