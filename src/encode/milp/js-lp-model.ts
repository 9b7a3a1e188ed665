/**
 * A MILP model as javascript-lp-solver's JSON model (the `milp` engine,
 * src/engines/milp.ts): numbers as floats, so the solver's answer is only a
 * candidate, rebuilt and checked exactly.
 */
import type { MilpModel } from './model.js';

/** javascript-lp-solver's model (floats: the solver's answer is only a candidate). */
export interface JsLpModel {
  optimize: string;
  opType: 'min' | 'max';
  constraints: Record<string, { min?: number; max?: number; equal?: number }>;
  variables: Record<string, Record<string, number>>;
  binaries: Record<string, 1>;
  unrestricted: Record<string, 1>;
  /** Free-form: M, epsilon and the notes. */
  relucert: { bigM: string; epsilon: string; notes: string[] };
}

export function toJsLpModel(m: MilpModel): JsLpModel {
  const constraints: JsLpModel['constraints'] = {};
  const variables: JsLpModel['variables'] = {};
  const binaries: JsLpModel['binaries'] = {};
  const unrestricted: JsLpModel['unrestricted'] = {};
  for (const v of m.vars) {
    variables[v.name] = {};
    if (v.kind === 'binary') binaries[v.name] = 1;
    else if (v.lb === undefined || v.lb.sign() < 0) unrestricted[v.name] = 1;
  }
  for (const r of m.rows) {
    const name = `r_${r.name}`;
    const rhs = r.rhs.toNumber();
    constraints[name] = r.sense === '<=' ? { max: rhs } : r.sense === '>=' ? { min: rhs } : { equal: rhs };
    for (const [v, c] of r.coefs) variables[v]![name] = c.toNumber();
  }
  for (const v of m.vars) {
    if (v.kind === 'binary') continue;
    const lbPositive = v.lb !== undefined && v.lb.sign() > 0;
    const lbNegative = v.lb !== undefined && v.lb.sign() < 0;
    if (v.ub === undefined && !lbPositive && !lbNegative) continue;
    const name = `bnd_${v.name}`;
    constraints[name] = {
      ...(v.lb !== undefined && !v.lb.isZero() ? { min: v.lb.toNumber() } : {}),
      ...(v.ub !== undefined ? { max: v.ub.toNumber() } : {}),
    };
    variables[v.name]![name] = 1;
  }
  return {
    optimize: 'relucert_zero',
    opType: 'min',
    constraints,
    variables,
    binaries,
    unrestricted,
    relucert: { bigM: m.bigM.toString(), epsilon: m.epsilon.toString(), notes: m.notes },
  };
}
