/**
 * relucert solve INSTANCE [--engine NAME] [--cert FILE] [--timeout SEC] [--json] [--quiet]
 * Exit 10 feasible, 20 infeasible, 0 unknown, 2 bad input (MiniSat's codes).
 */
import type { Command } from 'commander';
import { checkCertificate } from '../../check/index.js';
import type { Instance } from '../../core/types.js';
import { InputError } from '../../format/errors.js';
import { readInstance } from '../../format/schema.js';
import { certificateJson, certificateText } from '../../engines/certificate.js';
import { defaultEngine, engines } from '../../engines/index.js';
import { type SearchStats, type SolveResult, countCaseLeaves } from '../../engines/result.js';
import { EXIT, type Io, parsePositiveInt, parseSeconds, writeFileAtomic } from '../io.js';
import { describeQuestion } from '../describe.js';
import { solveWithWorkers } from '../../cube/local.js';
import { CUBE_ENGINES } from '../../engines/solve-under.js';
import { isCubeFile, solveCube } from './solve-cube.js';

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
  opts: { timeout?: number; cert?: string; quiet?: boolean; progress?: boolean; threads?: number; workers?: number },
  io: Io,
): Promise<SolveRun> {
  const engine = engines[engineName];
  if (!engine) throw new InputError('command line', '--engine', `unknown engine ${JSON.stringify(engineName)} (known: ${Object.keys(engines).join(', ')})`);
  const showProgress = (io.progress || opts.progress === true) && !opts.quiet;
  const solveOpts = {
    ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
    ...(opts.timeout !== undefined ? { deadline: Date.now() + opts.timeout * 1000 } : {}),
    ...(showProgress ? { onProgress: (s: SearchStats) => io.err(progressLine(s) + '\n') } : {}),
  };
  const cubeEngine = CUBE_ENGINES.find((e) => e === engine.name);
  if ((opts.workers ?? 1) > 1 && !cubeEngine) throw new InputError('command line', '--workers', `cubes are solved under assumed literals, which ${CUBE_ENGINES.join(' and ')} support; not --engine ${engine.name}`);
  const result = (opts.workers ?? 1) > 1 ? (await solveWithWorkers(inst, { ...solveOpts, workers: opts.workers!, engine: cubeEngine! })).result : await engine.solve(inst, solveOpts);
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

export function exitCodeOf(r: SolveResult): number {
  if (r.crossCheck?.disagreement) return EXIT.disagreement;
  return r.verdict === 'feasible' ? EXIT.feasible : r.verdict === 'infeasible' ? EXIT.infeasible : EXIT.unknown;
}

export function register(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('solve')
    .description('decide whether a network of the instance\'s shape meets its loss bound; exit 10 feasible, 20 infeasible, 0 unknown, 2 bad input, 3 engines disagree (--engine all)')
    .argument('<instance>', 'a relucert-instance/1 file, or a cube file made by relucert split')
    .option('--engine <name>', `engine to use (${Object.keys(engines).join(', ')})`, defaultEngine)
    .option('--cert <file>', 'write the certificate here (checked by the independent checker before it is written)')
    .option('--timeout <sec>', 'give up after this many seconds and answer "unknown"')
    .option('--threads <n>', 'threads for the exact engine (2: a second searcher in another order joins long searches; measured no faster here, see docs/engines.md)', '1')
    .option('--workers <n>', 'cube-and-conquer on N local worker threads (split by lookahead, cubes solved in parallel, proofs merged; docs/cluster.md)', '1')
    .option('--json', 'print one JSON object on stdout')
    .option('--quiet', 'no progress lines on stderr')
    .option('--progress', 'progress lines on stderr (about once a second) even when stderr is not a terminal')
    .action(async (file: string, o: { engine: string; cert?: string; timeout?: string; threads: string; workers: string; json?: boolean; quiet?: boolean; progress?: boolean }) => {
      const timeout = parseSeconds(o.timeout, '--timeout');
      const threads = parsePositiveInt(o.threads, '--threads')!;
      const workers = parsePositiveInt(o.workers, '--workers')!;
      if (isCubeFile(file)) return done(solveCube(file, { engine: o.engine, cert: o.cert, timeout, workers, json: o.json, quiet: o.quiet, progress: o.progress }, io));
      const inst = readInstance(file);
      const run = await solveAndCertify(inst, o.engine, { threads, workers, ...(timeout !== undefined ? { timeout } : {}), ...(o.cert ? { cert: o.cert } : {}), ...(o.quiet ? { quiet: true } : {}), ...(o.progress ? { progress: true } : {}) }, io);
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
            ...(r.crossCheck ? { comparisons: r.crossCheck.comparisons, disagreement: r.crossCheck.disagreement } : {}),
            stats: r.stats,
          }) + '\n',
        );
      } else {
        const extra = r.verdict === 'feasible' ? ` (loss ${r.loss})` : r.verdict === 'unknown' ? ` (${r.reason})` : ` (proof with ${leaves} leaves)`;
        io.out(`${inst.name}: ${r.verdict}${extra}\n`);
        io.out(`  question: ${describeQuestion(inst)}\n`);
        io.out(`  engine ${o.engine}${workers > 1 ? ` on ${workers} workers` : ""}: ${r.stats.nodes} nodes, ${r.stats.elapsedMs} ms\n`);
        if (run.certificate) io.out(`  certificate: ${run.certificate.path} (checked by the independent checker: valid)\n`);
        for (const c of r.crossCheck?.comparisons ?? []) io.out(`  ${c.engine.padEnd(10)} ${c.verdict.padEnd(10)} ${(c.elapsedMs / 1000).toFixed(2)} s${c.note ? `  (${c.note})` : ''}\n`);
      }
      if (r.crossCheck?.disagreement)
        io.err(`relucert: ENGINES DISAGREE on ${file}: ${r.crossCheck.comparisons.map((c) => `${c.engine} ${c.verdict}`).join(', ')} — this is a bug; please report it with the instance\n`);
      done(exitCodeOf(r));
    });
}
