/**
 * relucert solve INSTANCE [--engine NAME] [--cert FILE] [--onnx-out FILE] [--timeout SEC] [--json] [--quiet]
 * Exit 10 feasible, 20 infeasible, 0 unknown, 2 bad input (MiniSat's codes).
 * relucert solve DIR|FILES... [--summary CSV] [--cert-dir DIR]: a batch (src/cli/batch.ts).
 */
import type { Command } from 'commander';
import { checkCertificate } from '../../check/index.js';
import type { Instance } from '../../core/types.js';
import { InputError } from '../../format/errors.js';
import { readInstance } from '../../format/schema.js';
import { certificateJson, certificateText } from '../../engines/certificate.js';
import { type Engine, defaultEngine, engines } from '../../engines/index.js';
import { type SearchStats, type SolveResult, countCaseLeaves } from '../../engines/result.js';
import { EXIT, type Io, parsePositiveInt, parseSeconds, writeFileAtomic } from '../io.js';
import { describeQuestion } from '../describe.js';
import { isBatch, solveBatch } from '../batch.js';
import { writeOnnxFile } from './export-network.js';

export function progressLine(s: SearchStats): string {
  return `  ... ${s.nodes} nodes, ${s.leaves} leaves, depth ${s.maxDepth}, ${s.lps} LPs, ${(s.elapsedMs / 1000).toFixed(1)} s`;
}

export interface SolveRun {
  result: SolveResult;
  certificate?: { path: string; valid: boolean; detail: string };
}

/** Solves with the named engine, writes and re-checks the certificate when asked. */
export async function solveAndCertify(
  inst: Instance,
  engineName: string,
  opts: { timeout?: number; cert?: string; quiet?: boolean; progress?: boolean; threads?: number },
  io: Io,
): Promise<SolveRun> {
  const engine = engineNamed(engineName);
  const showProgress = (io.progress || opts.progress === true) && !opts.quiet;
  const result = await engine.solve(inst, {
    ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
    ...(opts.timeout !== undefined ? { deadline: Date.now() + opts.timeout * 1000 } : {}),
    ...(showProgress ? { onProgress: (s: SearchStats) => io.err(progressLine(s) + '\n') } : {}),
  });
  const run: SolveRun = { result };
  if (opts.cert && result.verdict !== 'unknown' && (result.verdict === 'feasible' || engine.provesInfeasibility)) {
    const body = result.verdict === 'feasible' ? { verdict: result.verdict, network: result.network } : { verdict: result.verdict, proof: result.proof };
    // no timings in the file, so regenerating a certificate gives the same bytes
    const text = certificateText(certificateJson(inst, body, { engine: engine.name, nodes: result.stats.nodes, lps: result.stats.lps }));
    // Check before writing: a certificate the checker rejects is a solver bug and is never written.
    const outcome = checkCertificate(text, opts.cert);
    if (outcome.status !== 'valid') throw new Error(`internal error: the checker rejects the certificate just produced: ${outcome.message}`);
    writeFileAtomic(opts.cert, text);
    run.certificate = { path: opts.cert, valid: true, detail: outcome.statement };
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

export function register(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('solve')
    .description('decide whether a network of the instance\'s shape meets its loss bound; exit 10 feasible, 20 infeasible, 0 unknown, 2 bad input, 3 engines disagree (--engine all)')
    .argument('<instances...>', 'a relucert-instance/1 file; several files or a directory (its *.json) solve a batch')
    .option('--engine <name>', `engine to use (${Object.keys(engines).join(', ')})`, defaultEngine)
    .option('--cert <file>', 'write the certificate here (checked by the independent checker before it is written)')
    .option('--onnx-out <file>', 'when feasible, write the witness network as an ONNX model (float64 weights; docs/interop.md)')
    .option('--summary <file>', 'batch: write one CSV row per instance (name, file, verdict, seconds, nodes, leaves, certificate, checked, detail)')
    .option('--cert-dir <dir>', 'batch: write each certificate as DIR/NAME.cert.json (NAME: the instance file name without .json)')
    .option('--timeout <sec>', 'give up after this many seconds and answer "unknown" (in a batch: per instance)')
    .option('--threads <n>', 'threads for the exact engine (2: a second searcher in another order joins long searches; measured no faster here, see docs/engines.md)', '1')
    .option('--json', 'print one JSON object on stdout')
    .option('--quiet', 'no progress lines (in a batch: no progress bar) on stderr')
    .option('--progress', 'progress lines (in a batch: the progress bar) on stderr even when stderr is not a terminal')
    .action(async (files: string[], o: { engine: string; cert?: string; onnxOut?: string; summary?: string; certDir?: string; timeout?: string; threads: string; json?: boolean; quiet?: boolean; progress?: boolean }) => {
      const timeout = parseSeconds(o.timeout, '--timeout');
      const threads = parsePositiveInt(o.threads, '--threads')!;
      if (isBatch(files, o)) {
        for (const [option, v] of [['--cert', o.cert], ['--onnx-out', o.onnxOut]] as const)
          if (v !== undefined) throw new InputError('command line', option, 'takes one instance; for a batch use --cert-dir');
        done(await solveBatch(files, { engine: o.engine, threads, ...(timeout !== undefined ? { timeout } : {}), ...(o.summary !== undefined ? { summary: o.summary } : {}), ...(o.certDir !== undefined ? { certDir: o.certDir } : {}), ...(o.progress ? { progress: true } : {}), ...(o.quiet ? { quiet: true } : {}), ...(o.json ? { json: true } : {}) }, io));
        return;
      }
      const file = files[0]!;
      const inst = readInstance(file);
      const run = await solveAndCertify(inst, o.engine, { threads, ...(timeout !== undefined ? { timeout } : {}), ...(o.cert ? { cert: o.cert } : {}), ...(o.quiet ? { quiet: true } : {}), ...(o.progress ? { progress: true } : {}) }, io);
      let onnx: string | undefined;
      if (o.onnxOut !== undefined && run.result.verdict === 'feasible') {
        writeOnnxFile(run.result.network, o.onnxOut, `witness for ${inst.name}, found by relucert solve`, 'the witness', io);
        onnx = o.onnxOut;
      }
      const r = run.result;
      const leaves = r.verdict === 'infeasible' ? r.proof.cases.reduce((s, c) => s + countCaseLeaves(c), 0) : undefined;
      if (o.json) {
        io.out(
          JSON.stringify({
            instance: inst.name,
            question: describeQuestion(inst),
            verdict: r.verdict,
            engine: o.engine,
            ...(r.verdict === 'feasible' ? { loss: r.loss.toString() } : {}),
            ...(r.verdict === 'unknown' ? { reason: r.reason } : {}),
            ...(leaves !== undefined ? { proofLeaves: leaves } : {}),
            ...(run.certificate ? { certificate: run.certificate.path, certificateChecked: run.certificate.valid } : {}),
            ...(onnx ? { onnx } : {}),
            ...(r.crossCheck ? { comparisons: r.crossCheck.comparisons, disagreement: r.crossCheck.disagreement } : {}),
            stats: r.stats,
          }) + '\n',
        );
      } else {
        const extra = r.verdict === 'feasible' ? ` (loss ${r.loss})` : r.verdict === 'unknown' ? ` (${r.reason})` : ` (proof with ${leaves} leaves)`;
        io.out(`${inst.name}: ${r.verdict}${extra}\n`);
        io.out(`  question: ${describeQuestion(inst)}\n`);
        io.out(`  engine ${o.engine}: ${r.stats.nodes} nodes, ${r.stats.elapsedMs} ms\n`);
        if (run.certificate) io.out(`  certificate: ${run.certificate.path} (checked by the independent checker: valid)\n`);
        if (onnx) io.out(`  onnx: ${onnx}\n`);
        for (const c of r.crossCheck?.comparisons ?? []) io.out(`  ${c.engine.padEnd(10)} ${c.verdict.padEnd(10)} ${(c.elapsedMs / 1000).toFixed(2)} s${c.note ? `  (${c.note})` : ''}\n`);
      }
      if (o.onnxOut !== undefined && r.verdict !== 'feasible') io.err(`relucert: ${o.onnxOut} not written: the answer is ${r.verdict}, there is no witness network\n`);
      if (r.crossCheck?.disagreement)
        io.err(`relucert: ENGINES DISAGREE on ${file}: ${r.crossCheck.comparisons.map((c) => `${c.engine} ${c.verdict}`).join(', ')} — this is a bug; please report it with the instance\n`);
      done(exitCodeOf(r));
    });
}
