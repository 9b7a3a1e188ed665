/**
 * relucert crosscheck INSTANCE [--solvers z3,cvc5,glpsol,cbc] [--timeout SEC] [--big-m M] [--keep DIR] [--json]
 *
 * Runs external solvers on relucert's own exports of the instance (SMT-LIB 2
 * for z3 and cvc5, the big-M MILP in CPLEX LP format for glpsol and cbc) and
 * compares each answer with relucert's certified verdict: the pipeline is
 * src/run/crosscheck.ts, the solvers src/interop/solvers.ts. Exit 0 when no
 * solver is wrong, 3 when one is, 2 for bad input.
 *
 * Time: --timeout T is the whole command's limit. relucert and then each
 * solver in turn get an equal share of the time left (like solve --engine
 * all); a solver gets its own limit option set to its share and is killed
 * (SIGKILL) when the share is over.
 */
import type { Command } from 'commander';
import { quote } from '../../check/index.js';
import { DEFAULT_BIG_M, MILP_NO_L2, parseBigM } from '../../encode/milp/model.js';
import { InputError } from '../../format/errors.js';
import { outputDirectory } from '../../format/files.js';
import { readInstance } from '../../format/schema.js';
import { SOLVERS, type SolverName } from '../../interop/solvers.js';
import { type CrosscheckReport, crosscheck } from '../../run/crosscheck.js';
import { warmSelfCheck } from '../../run/self-check.js';
import { EXIT, type Io, parseSeconds } from '../io.js';
import { checkSolvableSize } from '../../run/limits.js';

export function parseSolvers(text: string | undefined): SolverName[] {
  if (text === undefined) return [...SOLVERS];
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names)
    if (!(SOLVERS as readonly string[]).includes(n))
      throw new InputError('command line', '--solvers', `unknown solver ${JSON.stringify(n)} (known: ${SOLVERS.join(', ')})`);
  if (names.length === 0) throw new InputError('command line', '--solvers', 'no solver named');
  return names as SolverName[];
}

function table(rep: CrosscheckReport): string {
  const lines: string[] = [];
  const r = rep.reference;
  lines.push(
    `${quote(rep.instance)}: relucert (${r.engine} engine): ${r.verdict}${r.reason ? ` (${r.reason})` : ''}; certificate: ${r.certificate === 'valid' ? 'checked, valid' : r.certificate}`,
  );
  const head = ['solver', 'answer', 'time', 'model', 'verdict'];
  const body = rep.rows.map((x) => [
    x.solver,
    x.answer,
    x.answer === 'not installed' ? '-' : `${x.seconds.toFixed(2)} s`,
    x.model === 'checks' ? `checks exactly${x.rebuilt?.via === 'pattern-lp' ? ' (via pattern LP)' : ''}` : x.model === 'none' ? '-' : x.model,
    x.agreement === 'wrong'
      ? `WRONG (evidence: ${x.evidence})`
      : x.agreement === 'conflict'
        ? `CONFLICT (${x.evidence})`
        : x.agreement === 'inexact'
          ? `INEXACT (${x.evidence})`
          : x.agreement + (x.evidence ? ` (${x.evidence})` : ''),
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...body.map((b) => b[c]!.length)));
  const fmt = (cells: string[]): string => cells.map((s, c) => (c === cells.length - 1 ? s : s.padEnd(widths[c]!))).join('  ');
  lines.push('  ' + fmt(head));
  for (const b of body) lines.push('  ' + fmt(b));
  if (rep.rows.some((x) => x.solver === 'glpsol' || x.solver === 'cbc'))
    lines.push(`  MILP (M = ${rep.bigM}): "infeasible" means exactly: ${rep.milpMeaning}.`);
  return lines.join('\n') + '\n';
}

export function register(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('crosscheck')
    .description(
      "run external solvers (z3, cvc5, glpsol, cbc) on relucert's exports and compare their answers with relucert's certified verdict; exit 0 all consistent, 3 a solver is wrong",
    )
    .argument('<instance>', 'a relucert-instance/1 file')
    .option('--solvers <list>', `comma-separated, from ${SOLVERS.join(', ')}`, SOLVERS.join(','))
    .option('--timeout <sec>', 'time limit for the whole command (default 60): relucert, then each solver, gets an equal share of the time left')
    .option('--big-m <M>', `weight bound of the MILP export (positive integer, default ${DEFAULT_BIG_M})`)
    .option('--keep <dir>', 'write the exports and solution files here and keep them')
    .option('--json', 'print one JSON object on stdout')
    .action(async (file: string, o: { solvers?: string; timeout?: string; bigM?: string; keep?: string; json?: boolean }) => {
      const solvers = parseSolvers(o.solvers);
      const start = Date.now();
      const timeout = parseSeconds(o.timeout, '--timeout') ?? 60;
      warmSelfCheck();
      const bigM = parseBigM(o.bigM) ?? DEFAULT_BIG_M;
      if (o.keep !== undefined) outputDirectory(o.keep, '--keep');
      const inst = readInstance(file);
      checkSolvableSize(inst, file);
      if (inst.loss.type === 'l2') {
        // the MILP does not cover l2; by default z3 alone (QF_NRA: cvc5 1.0.3 as packaged, without libpoly, does not decide it; docs/export.md)
        const given = o.solvers !== SOLVERS.join(',');
        if (given && solvers.some((s) => s === 'glpsol' || s === 'cbc')) throw new InputError('command line', '--solvers', `${file}: ${MILP_NO_L2}`);
        if (!given) solvers.splice(0, solvers.length, 'z3');
      }
      const rep = await crosscheck(inst, solvers, { timeout, bigM, start, ...(o.keep ? { keep: o.keep } : {}) });
      if (o.json) {
        const rows = rep.rows.map(({ rebuilt, ...rest }) => ({
          ...rest,
          ...(rebuilt ? { witnessVia: rebuilt.via, witnessLoss: rebuilt.loss.toString() } : {}),
        }));
        io.out(JSON.stringify({ ...rep, rows }) + '\n');
      } else io.out(table(rep));
      done(rep.wrong > 0 ? EXIT.disagreement : EXIT.ok);
    });
}
