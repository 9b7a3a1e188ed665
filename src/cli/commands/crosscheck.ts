/**
 * relucert crosscheck INSTANCE [--solvers z3,cvc5,glpsol,cbc] [--timeout SEC] [--big-m M] [--keep DIR] [--json]
 *
 * Runs external solvers on relucert's own exports of the instance (SMT-LIB 2
 * for z3 and cvc5, the big-M MILP in CPLEX LP format for glpsol and cbc),
 * reads their answers and models, rebuilds every model exactly (rationals
 * from SMT-LIB values; floats from MILP solutions through approximate(), then
 * the exact LP of the pattern) and compares each answer with relucert's
 * certified verdict (default engine, certificate checked by src/check).
 *
 * A solver whose answer contradicts a valid certificate is reported as wrong,
 * with the certificate as evidence. A MILP's "infeasible" only claims what
 * the MILP's `meaning` states (no fit with weights in [-M, M], with the
 * margin of a strict bound): it is wrong only when the certificate's
 * witness, in the MILP's normal form, satisfies every MILP row exactly. A
 * MILP solver's "feasible" point is evaluated exactly against the exported
 * rows; one that violates them beyond POINT_TOLERANCE is reported as
 * INEXACT even when the answer agrees. A missing solver is "not installed",
 * not an error. Exit 0 when no solver is wrong, 3 when one is, 2 for bad
 * input.
 *
 * Time: --timeout T is the whole command's limit. relucert and then each
 * solver in turn get an equal share of the time left (like solve --engine
 * all); a solver gets its own limit option set to its share and is killed
 * (SIGKILL) when the share is over.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { quote } from '../../check/index.js';
import { Q, exactDouble, parseRational } from '../../core/rational.js';
import type { Instance, Network } from '../../core/types.js';
import { buildMilp } from '../../encode/milp/big-m.js';
import { writeCplexLp } from '../../encode/milp/cplex-lp.js';
import { milpMeaning } from '../../encode/milp/meaning.js';
import { DEFAULT_BIG_M, DEFAULT_EPSILON, MILP_NO_L2, type MilpModel, parseBigM } from '../../encode/milp/model.js';
import { largestViolation, milpPointOf, milpViolation, normaliseForMilp } from '../../encode/milp/point.js';
import { smtlibText, smtVariables } from '../../encode/smtlib.js';
import { certificateJson, certificateText } from '../../engines/certificate.js';
import { defaultEngine, engines } from '../../engines/index.js';
import { type Rebuilt, rebuildMilpSolution } from '../../engines/milp.js';
import { Deadline, type SolveResult, Timeout } from '../../engines/result.js';
import { rebuildSmtModel } from '../../engines/z3.js';
import { InputError } from '../../format/errors.js';
import { readInstance } from '../../format/schema.js';
import { EXIT, type Io, outputDirectory, parseSeconds, writeFileAtomic } from '../io.js';
import { checkSolvableSize } from '../limits.js';
import { selfCheck, warmSelfCheck } from '../self-check.js';

export const SOLVERS = ['z3', 'cvc5', 'glpsol', 'cbc'] as const;
export type SolverName = (typeof SOLVERS)[number];
const KIND: Record<SolverName, 'smt' | 'milp'> = { z3: 'smt', cvc5: 'smt', glpsol: 'milp', cbc: 'milp' };

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
function run(cmd: string, args: string[], timeoutSec: number): Run {
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

// ---------------------------------------------------------------- SMT-LIB answers

type SExpr = string | SExpr[];

/** Parses s-expressions (atoms and lists; |quoted| symbols and "strings" kept as atoms). */
export function parseSExprs(text: string): SExpr[] {
  const out: SExpr[] = [];
  const stack: SExpr[][] = [];
  const re = /\s*(?:(\()|(\))|(\|[^|]*\|)|("(?:[^"]|"")*")|(;[^\n]*)|([^\s()|";]+))/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0].trim() === '') break;
    if (m[1]) stack.push([]);
    else if (m[2]) {
      const top = stack.pop();
      if (!top) throw new SyntaxError('unbalanced )');
      (stack.length ? stack[stack.length - 1]! : out).push(top);
    } else if (m[5]) continue;
    else {
      const atom = m[3] ?? m[4] ?? m[6]!;
      (stack.length ? stack[stack.length - 1]! : out).push(atom);
    }
  }
  if (stack.length) throw new SyntaxError('unbalanced (');
  return out;
}

/** An SMT-LIB real numeral term as an exact rational: 2, 2.5, (- x), (/ x y); undefined for anything else (root-obj, ...). */
export function smtValue(e: SExpr): Q | undefined {
  if (typeof e === 'string') return /^\d+(\.\d+)?$/.test(e) ? parseRational(e) : undefined;
  const [op, ...args] = e;
  if (op === '-' && args.length === 1) return smtValue(args[0]!)?.neg();
  if (op === '/' && args.length === 2) {
    const p = smtValue(args[0]!);
    const q = smtValue(args[1]!);
    return p !== undefined && q !== undefined && !q.isZero() ? p.div(q) : undefined;
  }
  return undefined;
}

/**
 * Reads "sat"/"unsat"/"unknown" and the model from an SMT solver's stdout:
 * the (define-fun NAME () Real VALUE) list that `:dump-models` prints (z3
 * and cvc5, possibly wrapped as (model ...)), or (get-value ...) pairs.
 */
export function readSmtOutput(stdout: string): {
  answer: 'sat' | 'unsat' | 'unknown' | 'timeout' | 'error';
  values: Map<string, Q | undefined>;
  detail?: string;
} {
  const values = new Map<string, Q | undefined>();
  let exprs: SExpr[];
  try {
    exprs = parseSExprs(stdout);
  } catch (e) {
    return { answer: 'error', values, detail: `unreadable output: ${(e as Error).message}` };
  }
  const first = exprs[0];
  if (first === 'sat' || first === 'unsat') {
    for (const e of exprs.slice(1)) {
      if (!Array.isArray(e)) continue;
      const items = e[0] === 'model' ? e.slice(1) : e;
      for (const p of items) {
        if (!Array.isArray(p)) continue;
        if (p.length === 2 && typeof p[0] === 'string') values.set(p[0], smtValue(p[1]!));
        else if (p.length === 5 && p[0] === 'define-fun' && typeof p[1] === 'string' && Array.isArray(p[2]) && p[2].length === 0)
          values.set(p[1], smtValue(p[4]!));
      }
    }
    return { answer: first, values };
  }
  if (first === 'unknown') return { answer: 'unknown', values };
  if (first === 'timeout') return { answer: 'timeout', values };
  return { answer: 'error', values, detail: stdout.trim().split('\n')[0]?.slice(0, 200) ?? '' };
}

/** Runs z3 or cvc5 on an SMT-LIB file; the model, if any, rebuilt exactly. */
export function runSmtSolver(inst: Instance, solver: 'z3' | 'cvc5', file: string, timeoutSec: number): SolverAnswer {
  const args =
    solver === 'z3'
      ? ['-smt2', `-T:${Math.max(1, Math.floor(timeoutSec))}`, file]
      : ['--lang=smt2', `--tlimit=${Math.max(1, Math.floor(timeoutSec * 1000))}`, file];
  const r = run(solver, args, timeoutSec);
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

// ---------------------------------------------------------------- MILP answers

/** Reads glpsol's --write solution ("s mip ROWS COLS STATUS OBJ", "j COL VALUE") with names from its --wglp file ("n j COL NAME"). */
export function readGlpkSolution(sol: string, glp: string): { status: 'feasible' | 'infeasible' | 'unknown'; values: Map<string, number> } {
  const names = new Map<number, string>();
  for (const line of glp.split('\n')) {
    const m = /^n j (\d+) (\S+)/.exec(line);
    if (m) names.set(Number(m[1]), m[2]!);
  }
  const values = new Map<string, number>();
  let status: 'feasible' | 'infeasible' | 'unknown' = 'unknown';
  for (const line of sol.split('\n')) {
    const s = /^s (mip|bas|ipt) \d+ \d+ (\w)/.exec(line);
    if (s) status = s[2] === 'o' || s[2] === 'f' ? 'feasible' : s[2] === 'n' ? 'infeasible' : 'unknown';
    const j = /^j (\d+) (\S+)(?: (\S+))?/.exec(line);
    if (j) {
      const name = names.get(Number(j[1]));
      // mip lines are "j COL VAL"; basic-solution lines are "j COL STAT PRIM DUAL"
      const val = Number(s ? j[2] : /^[a-z]+$/i.test(j[2]!) ? j[3] : j[2]);
      if (name !== undefined && Number.isFinite(val)) values.set(name, val);
    }
  }
  return { status, values };
}

/** Reads cbc's `solution FILE` output: a status line, then "IDX NAME VALUE REDUCED" lines. */
export function readCbcSolution(sol: string): { status: 'feasible' | 'infeasible' | 'unknown'; values: Map<string, number> } {
  const lines = sol.split('\n');
  const head = lines[0] ?? '';
  const status = /^Optimal/i.test(head)
    ? 'feasible'
    : /infeasible/i.test(head)
      ? 'infeasible'
      : /Stopped.*objective/i.test(head) && !/no solution/i.test(head)
        ? 'unknown'
        : 'unknown';
  const values = new Map<string, number>();
  for (const line of lines.slice(1)) {
    const m = /^\s*(?:\*\*\s*)?\d+\s+(\S+)\s+(\S+)/.exec(line);
    if (m && Number.isFinite(Number(m[2]))) values.set(m[1]!, Number(m[2]));
  }
  return { status, values };
}

/** Runs glpsol or cbc on a CPLEX LP file; a solution, if any, rebuilt exactly. */
/** A MILP solver's point violating the exported rows by more than this (exactly, on the rows as written) is reported as INEXACT. */
export const POINT_TOLERANCE = Q.of(1, 1_000_000);

/** `model`: the MILP written to lpFile (built again from bigM when not given). */
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
  const r = run(solver, args, timeoutSec);
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

// ---------------------------------------------------------------- comparison

export interface Reference {
  engine: string;
  result: SolveResult;
  /** 'valid' when src/check accepted the certificate; otherwise why not. */
  certificate: string;
}

export type Agreement = 'agrees' | 'inexact' | 'wrong' | 'conflict' | 'consistent' | 'n/a';

export interface Row extends SolverAnswer {
  agreement: Agreement;
  evidence: string;
}

/** Compares one solver answer with relucert's result (see the file comment). */
export function compare(inst: Instance, a: SolverAnswer, ref: Reference, bigM: Q, model?: MilpModel): { agreement: Agreement; evidence: string } {
  const certified = ref.certificate === 'valid';
  const v = ref.result.verdict;
  const claimsFit = a.answer === 'sat' || a.answer === 'feasible';
  const claimsNone = a.answer === 'unsat' || a.answer === 'infeasible';
  if (!claimsFit && !claimsNone) return { agreement: 'n/a', evidence: '' };
  if (claimsFit) {
    if (v === 'feasible' && a.violation)
      return {
        agreement: 'inexact',
        evidence: `its "${a.answer}" point violates the exported MILP: row ${a.violation.row} by ${a.violation.amount} (exact evaluation of its values); the answer agrees`,
      };
    if (v === 'feasible') return { agreement: 'agrees', evidence: a.rebuilt ? 'its model checks exactly' : `its model ${a.model}` };
    if (v === 'infeasible') {
      if (a.rebuilt)
        return { agreement: 'conflict', evidence: `its model checks exactly, yet relucert says infeasible (certificate ${ref.certificate}): report this` };
      return certified
        ? { agreement: 'wrong', evidence: 'certificate of infeasibility (valid); its model does not check' }
        : { agreement: 'n/a', evidence: 'relucert infeasible but not certified' };
    }
    return { agreement: 'n/a', evidence: a.rebuilt ? 'its model checks exactly (relucert: unknown)' : '' };
  }
  // claims no fit
  const meaning = milpMeaning(inst, bigM, DEFAULT_EPSILON);
  if (v === 'infeasible') return { agreement: 'agrees', evidence: KIND[a.solver] === 'milp' ? `MILP infeasible: ${meaning}` : '' };
  if (v === 'feasible') {
    if (!certified) return { agreement: 'n/a', evidence: 'relucert feasible but its certificate was not checked' };
    if (KIND[a.solver] === 'smt') return { agreement: 'wrong', evidence: 'certificate with a witness network (valid)' };
    const net: Network = normaliseForMilp(inst, ref.result.network);
    const point = milpPointOf(inst, net);
    const bad = point ? milpViolation(model ?? buildMilp(inst, { bigM }), point) : 'shape';
    return bad === undefined
      ? { agreement: 'wrong', evidence: "the certificate's witness satisfies every row of this MILP exactly" }
      : { agreement: 'consistent', evidence: `the certificate's witness is not a point of this MILP (${bad}); MILP infeasible means only: ${meaning}` };
  }
  return { agreement: 'n/a', evidence: '' };
}

/** relucert's own verdict: the default engine, the certificate checked by the independent checker, both within `deadline`. */
export async function referenceVerdict(inst: Instance, deadline: Deadline): Promise<Reference> {
  const engine = engines[defaultEngine]!;
  const result = await engine.solve(inst, deadline.at !== undefined ? { deadline: deadline.at } : {});
  if (result.verdict === 'unknown') return { engine: engine.name, result, certificate: 'none' };
  const body = result.verdict === 'feasible' ? { verdict: result.verdict, network: result.network } : { verdict: result.verdict, proof: result.proof };
  const text = certificateText(certificateJson(inst, body, { engine: engine.name }));
  let certificate: string;
  try {
    const o = await selfCheck(text, '(crosscheck certificate)', deadline);
    certificate = o === 'timeout' ? 'not checked: the check did not finish in time' : o.status === 'valid' ? 'valid' : `rejected: ${o.message}`;
  } catch (e) {
    certificate = `not checked: ${(e as Error).message}`;
  }
  return { engine: engine.name, result, certificate };
}

export interface CrosscheckReport {
  instance: string;
  reference: { engine: string; verdict: string; certificate: string; reason?: string };
  bigM: string;
  /** what a MILP "infeasible" means for this instance (encode/milp.ts milpMeaning) */
  milpMeaning: string;
  rows: Row[];
  wrong: number;
}

/**
 * Runs relucert and the solvers on the instance. opts.timeout (seconds) is
 * the limit for the whole run (from opts.start, default now): relucert, then
 * each solver, gets an equal share of the time left when it starts.
 */
export async function crosscheck(
  inst: Instance,
  solvers: readonly SolverName[],
  opts: { timeout: number; bigM: Q; keep?: string; start?: number },
): Promise<CrosscheckReport> {
  const whole = Deadline.at((opts.start ?? Date.now()) + opts.timeout * 1000);
  const dir = opts.keep ?? mkdtempSync(join(tmpdir(), 'relucert-crosscheck-'));
  try {
    const smtFile = join(dir, 'instance.smt2');
    const lpFile = join(dir, 'instance.lp');
    const ref = await referenceVerdict(inst, whole.share(1 / (solvers.length + 1)));
    // the exports count against the solvers' time (writing a large MILP takes seconds)
    let model: MilpModel | undefined;
    try {
      writeFileAtomic(smtFile, smtlibText(inst, { deadline: whole }));
      if (solvers.some((s) => s === 'glpsol' || s === 'cbc')) {
        model = buildMilp(inst, { bigM: opts.bigM, deadline: whole });
        writeFileAtomic(lpFile, writeCplexLp(model, whole));
      }
    } catch (e) {
      if (!(e instanceof Timeout)) throw e;
      model = undefined;
    }
    const rows: Row[] = solvers.map((s, idx) => {
      const share = whole.remainingMs() / 1000 / (solvers.length - idx);
      const a: SolverAnswer =
        share <= 0
          ? { solver: s, answer: 'timeout', seconds: 0, model: 'none' }
          : s === 'z3' || s === 'cvc5'
            ? runSmtSolver(inst, s, smtFile, share)
            : !model
              ? { solver: s, answer: 'timeout', seconds: 0, model: 'none' }
              : runMilpSolver(inst, s, lpFile, dir, share, opts.bigM, model);
      return { ...a, ...compare(inst, a, ref, opts.bigM, model) };
    });
    return {
      instance: inst.name,
      reference: {
        engine: ref.engine,
        verdict: ref.result.verdict,
        certificate: ref.certificate,
        ...(ref.result.verdict === 'unknown' ? { reason: ref.result.reason } : {}),
      },
      bigM: opts.bigM.toString(),
      milpMeaning: milpMeaning(inst, opts.bigM, DEFAULT_EPSILON),
      rows,
      wrong: rows.filter((r) => r.agreement === 'wrong' || r.agreement === 'conflict').length,
    };
  } finally {
    if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  }
}

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
