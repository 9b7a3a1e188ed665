/**
 * The direct SMT encoding of an instance, as SMT-LIB 2 text (docs/export.md).
 *
 * "Direct" means no lemma is applied: the formula says exactly "there is a
 * network of the instance's shape whose loss meets the bound", with one real
 * variable per weight and one disjunction per unit and point. The same text
 * is written by `relucert export --smtlib`, read by the z3 engine
 * (`solver.fromString`) and handed to external solvers by `relucert
 * crosscheck`, so there is one encoding.
 *
 * Variables (row names of docs/certificates.md with ':' written '_', since
 * ':' may not occur in an SMT-LIB simple symbol):
 *   w_j_t, b_j  hidden weights and biases
 *   c           output bias (only with outputBias)
 *   a_j         output weights (signs: in {-1, 1}; free: any real)
 *   z_j_i       ReLU / leaky ReLU output of unit j at point i; s_j_i threshold output
 *   f_i         network output at point i; e_i l1 slack
 * A weight bound B is asserted as -B <= w_j_t <= B and -B <= b_j <= B (and
 * -B <= a_j <= B with boundOutputWeights).
 * Logic: QF_LRA, except ReLU / leaky ReLU units with free output weights, where a_j*z_j_i
 * is a product of two variables, and the squared loss l2, a sum of squares
 * (f_i - y_i)^2 (both QF_NRA). Threshold units with free output
 * weights stay linear: a_j*s_j_i is written (ite (= s_j_i 1) a_j 0).
 */
import { Q } from '../core/rational.js';
import type { Instance } from '../core/types.js';
import { assertNever, reluSlope } from '../core/types.js';
import { describeQuestion } from '../format/text.js';
import { Deadline } from '../core/deadline.js';

export type SmtLogic = 'QF_LRA' | 'QF_NRA';

export interface SmtlibOptions {
  /**
   * Include the commands around the formula: set-option :produce-models and
   * :dump-models, set-logic, check-sat, exit. Default true. There is no
   * get-value: after unsat it is an error in z3 and cvc5 (exit 1);
   * `:dump-models` (understood by both) prints the model after sat only, so
   * the script runs cleanly either way.
   */
  commands?: boolean;
  /** Writing a large instance takes a while: ticked per line, throws Timeout past it (src/core/deadline.ts). */
  deadline?: Deadline;
}

/** The SMT-LIB spelling of a variable of docs/certificates.md ("w:0:1" -> "w_0_1"). */
export function smtName(v: string): string {
  return v.replaceAll(':', '_');
}

/** An exact rational as an SMT-LIB real term: 3, (/ 7 2), (- 3), (- (/ 7 2)). */
export function smtNumber(x: Q): string {
  const abs = x.abs();
  const body = abs.isInteger() ? `${abs.num}.0` : `(/ ${abs.num}.0 ${abs.den}.0)`;
  return x.sign() < 0 ? `(- ${body})` : body;
}

export function smtLogic(inst: Instance): SmtLogic {
  const { activation, outputWeights } = inst.architecture;
  if (inst.loss.type === 'l2') return 'QF_NRA';
  return activation !== 'threshold' && outputWeights.mode === 'free' ? 'QF_NRA' : 'QF_LRA';
}

/** Every variable the encoding declares, in declaration order (SMT names). */
export function smtVariables(inst: Instance): string[] {
  const { hidden: k, activation, outputWeights, outputBias } = inst.architecture;
  const n = inst.points.length;
  const d = inst.points[0]?.length ?? 0;
  const vars: string[] = [];
  for (let j = 0; j < k; j++) {
    for (let t = 0; t < d; t++) vars.push(`w_${j}_${t}`);
    vars.push(`b_${j}`);
  }
  if (outputWeights.mode === 'signs' || outputWeights.mode === 'free') for (let j = 0; j < k; j++) vars.push(`a_${j}`);
  if (outputBias) vars.push('c');
  const unit = activation !== 'threshold' ? 'z' : 's';
  for (let j = 0; j < k; j++) for (let i = 0; i < n; i++) vars.push(`${unit}_${j}_${i}`);
  for (let i = 0; i < n; i++) vars.push(`f_${i}`);
  if (inst.loss.type === 'l1') for (let i = 0; i < n; i++) vars.push(`e_${i}`);
  return vars;
}

const sum = (terms: string[]): string => (terms.length === 0 ? '0.0' : terms.length === 1 ? terms[0]! : `(+ ${terms.join(' ')})`);

/** The SMT-LIB 2 text of the instance's question (see the file comment). */
export function smtlibText(inst: Instance, opts: SmtlibOptions = {}): string {
  const commands = opts.commands ?? true;
  const logic = smtLogic(inst);
  const vars = smtVariables(inst);
  const out: string[] = [];
  out.push(`; relucert SMT-LIB 2 export of instance ${inst.name.replace(/[\r\n]/g, ' ')}`);
  out.push(`; question: ${describeQuestion(inst).replace(/[\r\n]/g, ' ')}`);
  out.push('; sat = a network of this shape meets the loss bound; unsat = none does. Direct encoding, no lemma applied.');
  if (commands) {
    out.push('(set-option :produce-models true)');
    out.push('(set-option :dump-models true)');
    out.push(`(set-logic ${logic})`);
  }
  for (const v of vars) out.push(`(declare-fun ${v} () Real)`);
  weightAsserts(inst, out);
  unitAsserts(inst, out, opts.deadline ?? Deadline.NONE);
  outputAsserts(inst, out);
  lossAsserts(inst, out);
  if (commands) {
    out.push('(check-sat)');
    out.push('(exit)');
  }
  return out.join('\n') + '\n';
}

/** The output weight of unit j as an SMT term: the variable a_j (signs, free) or the number. */
function weightOf(inst: Instance, j: number): string {
  const ow = inst.architecture.outputWeights;
  switch (ow.mode) {
    case 'signs':
    case 'free':
      return `a_${j}`;
    case 'positive':
      return smtNumber(Q.ONE);
    case 'fixed':
      return smtNumber(ow.values[j]!);
    default:
      return assertNever(ow);
  }
}

/** Output weights +-1 (signs), and the weight bound on w, b (and a, when it bounds free output weights). */
function weightAsserts(inst: Instance, out: string[]): void {
  const { hidden: k, outputWeights: ow } = inst.architecture;
  const d = inst.points[0]?.length ?? 0;
  if (ow.mode === 'signs') for (let j = 0; j < k; j++) out.push(`(assert (or (= a_${j} 1.0) (= a_${j} (- 1.0))))`);
  const B = inst.architecture.weightBound;
  if (B !== undefined) {
    const range = (v: string): string => `(assert (and (<= ${smtNumber(B.neg())} ${v}) (<= ${v} ${smtNumber(B)})))`;
    for (let j = 0; j < k; j++) {
      for (let t = 0; t < d; t++) out.push(range(`w_${j}_${t}`));
      out.push(range(`b_${j}`));
      if (inst.architecture.boundOutputWeights === true && ow.mode === 'free') out.push(range(`a_${j}`));
    }
  }
}

/** Each unit at each point: z = relu(h) (or the leaky ReLU), or s = step(h), as a disjunction of the two sides. */
function unitAsserts(inst: Instance, out: string[], deadline: Deadline): void {
  const k = inst.architecture.hidden;
  const n = inst.points.length;
  const d = inst.points[0]?.length ?? 0;
  const slope = reluSlope(inst.architecture);
  for (let j = 0; j < k; j++)
    for (let i = 0; i < n; i++) {
      const terms: string[] = [];
      for (let t = 0; t < d; t++) {
        const x = inst.points[i]![t]!;
        if (!x.isZero()) terms.push(x.eq(Q.ONE) ? `w_${j}_${t}` : x.eq(Q.MINUS_ONE) ? `(- w_${j}_${t})` : `(* ${smtNumber(x)} w_${j}_${t})`);
      }
      terms.push(`b_${j}`);
      const h = sum(terms);
      deadline.tick(terms.length);
      if (slope !== undefined) {
        const z = `z_${j}_${i}`;
        const inactive = slope.isZero() ? '0.0' : `(* ${smtNumber(slope)} ${h})`;
        out.push(`(assert (or (and (>= ${h} 0.0) (= ${z} ${h})) (and (<= ${h} 0.0) (= ${z} ${inactive}))))`);
      } else {
        const s = `s_${j}_${i}`;
        out.push(`(assert (or (and (> ${h} 0.0) (= ${s} 1.0)) (and (<= ${h} 0.0) (= ${s} 0.0))))`);
      }
    }
}

/** The outputs f_i = sum_j a_j unit_j(x_i) (+ c). */
function outputAsserts(inst: Instance, out: string[]): void {
  const { hidden: k, activation, outputWeights: ow, outputBias } = inst.architecture;
  for (let i = 0; i < inst.points.length; i++) {
    const terms: string[] = [];
    for (let j = 0; j < k; j++) {
      const a = weightOf(inst, j);
      if (activation !== 'threshold') {
        const z = `z_${j}_${i}`;
        if (ow.mode === 'signs') terms.push(`(ite (= ${a} 1.0) ${z} (- ${z}))`);
        else if (ow.mode === 'free') terms.push(`(* ${a} ${z})`);
        else terms.push(a === '1.0' ? z : `(* ${a} ${z})`);
      } else {
        const s = `s_${j}_${i}`;
        if (ow.mode === 'signs' || ow.mode === 'free') terms.push(`(ite (= ${s} 1.0) ${a} 0.0)`);
        else terms.push(a === '1.0' ? s : `(* ${a} ${s})`);
      }
    }
    if (outputBias) terms.push('c');
    out.push(`(assert (= f_${i} ${sum(terms)}))`);
  }
}

/** The loss bound over the outputs f_i. */
function lossAsserts(inst: Instance, out: string[]): void {
  const n = inst.points.length;
  const loss = inst.loss;
  switch (loss.type) {
    case 'exact':
      for (let i = 0; i < n; i++) out.push(`(assert (= f_${i} ${smtNumber(inst.labels[i]!)}))`);
      break;
    case 'l1': {
      for (let i = 0; i < n; i++) {
        const y = smtNumber(inst.labels[i]!);
        out.push(`(assert (>= e_${i} (- f_${i} ${y})))`);
        out.push(`(assert (>= e_${i} (- ${y} f_${i})))`);
      }
      const es = Array.from({ length: n }, (_, i) => `e_${i}`);
      out.push(`(assert (${loss.strict ? '<' : '<='} ${sum(es)} ${smtNumber(loss.bound)}))`);
      break;
    }
    case 'linf': {
      const rel = loss.strict ? '<' : '<=';
      for (let i = 0; i < n; i++) {
        const y = smtNumber(inst.labels[i]!);
        out.push(`(assert (${rel} (- f_${i} ${y}) ${smtNumber(loss.bound)}))`);
        out.push(`(assert (${rel} (- ${y} f_${i}) ${smtNumber(loss.bound)}))`);
      }
      break;
    }
    case 'l2': {
      const squares = Array.from({ length: n }, (_, i) => {
        const r = `(- f_${i} ${smtNumber(inst.labels[i]!)})`;
        return `(* ${r} ${r})`;
      });
      out.push(`(assert (${loss.strict ? '<' : '<='} ${sum(squares)} ${smtNumber(loss.bound)}))`);
      break;
    }
    case 'classification':
      for (let i = 0; i < n; i++) out.push(`(assert (> (* ${smtNumber(inst.labels[i]!)} f_${i}) 0.0))`);
      break;
    default:
      assertNever(loss);
  }
}
