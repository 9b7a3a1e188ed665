/**
 * relucert solve INSTANCE [--engine NAME] [--cert FILE] [--timeout SEC] [--json] [--quiet]
 * Exit 10 feasible, 20 infeasible, 0 unknown, 2 bad input (MiniSat's codes).
 */
import type { Command } from 'commander';
import type { Instance } from '../../core/types.js';
import { InputError } from '../../format/errors.js';
import { readInstance } from '../../format/schema.js';
import { certificateJson, certificateText } from '../../engines/certificate.js';
import { defaultEngine, engines } from '../../engines/index.js';
import { Deadline, type SearchStats, type SolveResult, countCaseLeaves } from '../../engines/result.js';
import { EXIT, type Io, parsePositiveInt, parseSeconds, writeFileAtomic } from '../io.js';
import { describeQuestion } from '../describe.js';
import { selfCheck, warmSelfCheck } from '../self-check.js';

export function progressLine(s: SearchStats): string {
  return `  ... ${s.nodes} nodes, ${s.leaves} leaves, depth ${s.maxDepth}, ${s.lps} LPs, ${(s.elapsedMs / 1000).toFixed(1)} s`;
}

export interface SolveRun {
  result: SolveResult;
  certificate?: { path: string; valid: boolean; detail: string };
}

/** What `solve --cert` answers when the certificate's self-check does not finish within the time limit. */
export const SELF_CHECK_TIMEOUT = 'timeout (the certificate was found but its self-check did not finish in time; nothing written)';

/**
 * Solves with the named engine, writes and re-checks the certificate when
 * asked. `deadline` (absolute, Date.now() ms) bounds the engine and the
 * self-check (self-check.ts); a certificate whose check does not finish in
 * time is not written and the answer is 'unknown' (SELF_CHECK_TIMEOUT).
 */
export async function solveAndCertify(
  inst: Instance,
  engineName: string,
  opts: { deadline?: number; cert?: string; quiet?: boolean; progress?: boolean; threads?: number },
  io: Io,
): Promise<SolveRun> {
  const engine = engines[engineName];
  if (!engine) throw new InputError('command line', '--engine', `unknown engine ${JSON.stringify(engineName)} (known: ${Object.keys(engines).join(', ')})`);
  const showProgress = (io.progress || opts.progress === true) && !opts.quiet;
  const result = await engine.solve(inst, {
    ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
    ...(opts.deadline !== undefined ? { deadline: opts.deadline } : {}),
    ...(showProgress ? { onProgress: (s: SearchStats) => io.err(progressLine(s) + '\n') } : {}),
  });
  const run: SolveRun = { result };
  if (opts.cert && result.verdict !== 'unknown' && (result.verdict === 'feasible' || engine.provesInfeasibility)) {
    const body = result.verdict === 'feasible' ? { verdict: result.verdict, network: result.network } : { verdict: result.verdict, proof: result.proof };
    // no timings in the file, so regenerating a certificate gives the same bytes
    const text = certificateText(certificateJson(inst, body, { engine: engine.name, nodes: result.stats.nodes, lps: result.stats.lps }));
    // Check before writing: a certificate the checker rejects is a solver bug and is never written.
    const outcome = await selfCheck(text, opts.cert, Deadline.at(opts.deadline));
    if (outcome === 'timeout') {
      const { crossCheck, stats } = result;
      return { result: { verdict: 'unknown', reason: SELF_CHECK_TIMEOUT, stats, ...(crossCheck ? { crossCheck } : {}) } };
    }
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
    .argument('<instance>', 'a relucert-instance/1 file')
    .option('--engine <name>', `engine to use (${Object.keys(engines).join(', ')})`, defaultEngine)
    .option('--cert <file>', 'write the certificate here (checked by the independent checker before it is written)')
    .option('--timeout <sec>', 'give up after this many seconds and answer "unknown"')
    .option('--threads <n>', 'threads for the exact engine (2: a second searcher in another order joins long searches; measured no faster here, see docs/engines.md)', '1')
    .option('--json', 'print one JSON object on stdout')
    .option('--quiet', 'no progress lines on stderr')
    .option('--progress', 'progress lines on stderr (about once a second) even when stderr is not a terminal')
    .action(async (file: string, o: { engine: string; cert?: string; timeout?: string; threads: string; json?: boolean; quiet?: boolean; progress?: boolean }) => {
      const timeout = parseSeconds(o.timeout, '--timeout');
      // the time limit counts from here: reading the instance is part of it
      const deadline = timeout !== undefined ? Date.now() + timeout * 1000 : undefined;
      if (timeout !== undefined && o.cert) warmSelfCheck();
      const threads = parsePositiveInt(o.threads, '--threads')!;
      const inst = readInstance(file);
      const run = await solveAndCertify(inst, o.engine, { threads, ...(deadline !== undefined ? { deadline } : {}), ...(o.cert ? { cert: o.cert } : {}), ...(o.quiet ? { quiet: true } : {}), ...(o.progress ? { progress: true } : {}) }, io);
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
        io.out(`  engine ${o.engine}: ${r.stats.nodes} nodes, ${r.stats.elapsedMs} ms\n`);
        if (run.certificate) io.out(`  certificate: ${run.certificate.path} (checked by the independent checker: valid)\n`);
        if (r.crossCheck) io.out(r.crossCheck.shared ? '  time limit shared: each engine in turn gets an equal share of the time left\n' : '  no time limit: each engine after exact gets max(10 s, 10 x exact\'s time)\n');
        for (const c of r.crossCheck?.comparisons ?? [])
          io.out(`  ${c.engine.padEnd(10)} ${c.verdict.padEnd(10)} ${(c.elapsedMs / 1000).toFixed(2)} s${c.limitMs !== undefined ? ` of ${(c.limitMs / 1000).toFixed(2)} s` : ''}${c.note ? `  (${c.note})` : ''}\n`);
      }
      if (r.crossCheck?.disagreement)
        io.err(`relucert: ENGINES DISAGREE on ${file}: ${r.crossCheck.comparisons.map((c) => `${c.engine} ${c.verdict}`).join(', ')} — this is a bug; please report it with the instance\n`);
      done(exitCodeOf(r));
    });
}
