/**
 * External solvers run on relucert's own exports (docs/export.md): z3 and
 * cvc5 on the SMT-LIB 2 encoding, glpsol and cbc on the big-M MILP in CPLEX
 * LP format. Each runs as a child process killed (SIGKILL) at its time
 * limit; a missing binary is "not installed", not an error. A model or MILP
 * point is rebuilt as an exact network (engines/z3.ts, engines/milp.ts), and
 * a MILP point is also evaluated exactly against the rows it was given.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Q, exactDouble } from '../core/rational.js';
import type { Instance } from '../core/types.js';
import { buildMilp } from '../encode/milp/big-m.js';
import { DEFAULT_BIG_M, type MilpModel } from '../encode/milp/model.js';
import { largestViolation } from '../encode/milp/point.js';
import { smtVariables } from '../encode/smtlib.js';
import { type Rebuilt, rebuildMilpSolution } from '../engines/milp.js';
import { rebuildSmtModel } from '../engines/z3.js';
import { readCbcSolution, readGlpkSolution, readSmtOutput } from './solver-output.js';

/** The external solvers relucert can run, in the order crosscheck runs them. */
export const SOLVERS = ['z3', 'cvc5', 'glpsol', 'cbc'] as const;
export type SolverName = (typeof SOLVERS)[number];
/** Which export a solver reads: SMT-LIB 2 or the big-M MILP in CPLEX LP format. */
export const SOLVER_KIND: Record<SolverName, 'smt' | 'milp'> = { z3: 'smt', cvc5: 'smt', glpsol: 'milp', cbc: 'milp' };

/** What an external solver said, before any comparison. */
export interface SolverAnswer {
  solver: SolverName;
  /** sat/unsat for SMT; feasible/infeasible for MILP (infeasible = no fit within M). */
  answer: 'sat' | 'unsat' | 'feasible' | 'infeasible' | 'unknown' | 'timeout' | 'error' | 'not installed';
  seconds: number;
  /** The exact witness rebuilt from its model, when there was one and it checked. */
  rebuilt?: Rebuilt;
  /** MILP solvers: the largest violation of the exported MILP by the solver's own point (exact), when above POINT_TOLERANCE. */
  violation?: { row: string; amount: string };
  /** 'checks' | 'does not check' | 'not rational' | 'none'. */
  model: 'checks' | 'does not check' | 'not rational' | 'none';
  detail?: string;
}

// ---------------------------------------------------------------- running the solvers

interface Run {
  status: 'ok' | 'not installed' | 'timeout' | 'error';
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Runs a solver, killed (SIGKILL) after timeoutSec. */
function runSolverProcess(cmd: string, args: string[], timeoutSec: number): Run {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    timeout: Math.max(1, Math.round(timeoutSec * 1000)),
    killSignal: 'SIGKILL',
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = (Date.now() - t0) / 1000;
  const err: NodeJS.ErrnoException | undefined = r.error;
  if (err?.code === 'ENOENT') return { status: 'not installed', stdout: '', stderr: '', seconds };
  if (err?.code === 'ETIMEDOUT' || r.signal === 'SIGKILL' || r.signal === 'SIGTERM')
    return { status: 'timeout', stdout: r.stdout ?? '', stderr: r.stderr ?? '', seconds };
  if (err) return { status: 'error', stdout: r.stdout ?? '', stderr: err.message, seconds };
  return { status: 'ok', stdout: r.stdout ?? '', stderr: r.stderr ?? '', seconds };
}

/** Is the solver's binary on PATH? */
export function solverInstalled(name: SolverName): boolean {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() !== '';
}

// ---------------------------------------------------------------- SMT solvers

/** Runs z3 or cvc5 on an SMT-LIB file; the model, if any, rebuilt exactly. */
export function runSmtSolver(inst: Instance, solver: 'z3' | 'cvc5', file: string, timeoutSec: number): SolverAnswer {
  const args =
    solver === 'z3'
      ? ['-smt2', `-T:${Math.max(1, Math.floor(timeoutSec))}`, file]
      : ['--lang=smt2', `--tlimit=${Math.max(1, Math.floor(timeoutSec * 1000))}`, file];
  const r = runSolverProcess(solver, args, timeoutSec);
  if (r.status !== 'ok') return { solver, answer: r.status, seconds: r.seconds, model: 'none', ...(r.stderr ? { detail: r.stderr.trim().slice(0, 200) } : {}) };
  const read = readSmtOutput(r.stdout);
  const { values, detail } = read;
  let answer = read.answer;
  if (answer === 'error' && /time ?out|interrupted/i.test(r.stdout + r.stderr)) answer = 'timeout';
  if (answer === 'unknown' && /resourceout|timeout/i.test(r.stdout + r.stderr)) answer = 'timeout';
  if (answer !== 'sat') return { solver, answer, seconds: r.seconds, model: 'none', ...(detail ? { detail } : {}) };
  const vars = smtVariables(inst);
  const missing = vars.filter((v) => !values.has(v));
  if (missing.length) return { solver, answer, seconds: r.seconds, model: 'none', detail: `no value for ${missing.slice(0, 3).join(', ')}` };
  const irrational = vars.filter((v) => values.get(v) === undefined);
  const rebuilt = rebuildSmtModel(
    inst,
    (name) => values.get(name),
    (name) => values.get(name)?.sign() ?? 1,
  );
  const model = rebuilt ? 'checks' : irrational.length ? 'not rational' : 'does not check';
  return { solver, answer, seconds: r.seconds, model, ...(rebuilt ? { rebuilt } : {}) };
}

// ---------------------------------------------------------------- MILP solvers

/** A MILP solver's point violating the exported rows by more than this (exactly, on the rows as written) is reported as INEXACT. */
export const POINT_TOLERANCE = Q.of(1, 1_000_000);

/**
 * Runs glpsol or cbc on a CPLEX LP file (solution files go to `dir`); a
 * solution, if any, rebuilt exactly. `model`: the MILP written to lpFile
 * (built again from bigM when not given).
 */
export function runMilpSolver(
  inst: Instance,
  solver: 'glpsol' | 'cbc',
  lpFile: string,
  dir: string,
  timeoutSec: number,
  bigM: Q = DEFAULT_BIG_M,
  model?: MilpModel,
): SolverAnswer {
  const sol = join(dir, `${solver}.sol`);
  const glp = join(dir, `${solver}.glp`);
  const args =
    solver === 'glpsol'
      ? ['--lp', lpFile, '--tmlim', String(Math.max(1, Math.floor(timeoutSec))), '-w', sol, '--wglp', glp]
      : [lpFile, 'sec', String(Math.max(1, Math.floor(timeoutSec))), 'solve', 'solution', sol];
  rmSync(sol, { force: true });
  const r = runSolverProcess(solver, args, timeoutSec);
  if (r.status !== 'ok') return { solver, answer: r.status, seconds: r.seconds, model: 'none' };
  let text: string;
  let glpText = '';
  try {
    text = readFileSync(sol, 'utf8');
    if (solver === 'glpsol') glpText = readFileSync(glp, 'utf8');
  } catch {
    if (solver === 'glpsol' && /NO (PRIMAL|INTEGER) FEASIBLE/.test(r.stdout)) return { solver, answer: 'infeasible', seconds: r.seconds, model: 'none' };
    return { solver, answer: 'error', seconds: r.seconds, model: 'none', detail: (r.stdout + r.stderr).trim().split('\n').slice(-1)[0] ?? '' };
  }
  const read = solver === 'glpsol' ? readGlpkSolution(text, glpText) : readCbcSolution(text);
  if (solver === 'glpsol' && /TIME LIMIT EXCEEDED/.test(r.stdout) && read.status !== 'feasible')
    return { solver, answer: 'timeout', seconds: r.seconds, model: 'none' };
  if (solver === 'cbc' && /Stopped on time/i.test(text) && read.status !== 'feasible') return { solver, answer: 'timeout', seconds: r.seconds, model: 'none' };
  if (read.status !== 'feasible') return { solver, answer: read.status, seconds: r.seconds, model: 'none' };
  const rebuilt = rebuildMilpSolution(inst, read.values);
  // is the solver's own point a point of the MILP it was given? (exact evaluation of its values; missing = 0)
  const point = new Map([...read.values].map(([v, x]) => [v, exactDouble(x)]));
  const worst = largestViolation(model ?? buildMilp(inst, { bigM }), point);
  const violation = worst.amount.gt(POINT_TOLERANCE) ? { row: worst.name, amount: worst.amount.toNumber().toPrecision(2) } : undefined;
  return {
    solver,
    answer: 'feasible',
    seconds: r.seconds,
    model: rebuilt ? 'checks' : 'does not check',
    ...(rebuilt ? { rebuilt } : {}),
    ...(violation ? { violation } : {}),
  };
}
