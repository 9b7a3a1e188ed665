/**
 * z3 (the z3-solver WebAssembly build) in a worker thread, so that the `z3`
 * engine's time limit is a promise: z3's own `timeout` parameter is not
 * checked during parsing and some preprocessing (3.4 s past a 1 s limit on
 * 100 points), so z3.ts terminates this worker at the deadline and starts a
 * fresh one for the next solve. The worker lives across solves otherwise
 * (z3's start-up, about 0.6 s, is paid once).
 *
 * Protocol: each message is a Z3Request; each reply a Z3Reply (z3.ts).
 * Model values are sent as exact text ("p/q"), never as floats.
 */
import { parentPort } from 'node:worker_threads';
import type { Z3Reply, Z3Request } from '../z3.js';

const { init } = await import('z3-solver');
const api = await init();
// one trivial check before saying 'ready': z3 starts its thread pool on the first check, which is slow
await answer({ text: '(declare-fun x () Real) (assert (> x 0.0))', vars: [] });

async function answer(req: Z3Request): Promise<Z3Reply> {
  const ctx = api.Context('main');
  const solver = new ctx.Solver();
  if (req.timeoutMs !== undefined) solver.set('timeout', Math.max(1, Math.floor(req.timeoutMs)));
  solver.fromString(req.text);
  const verdict = await solver.check();
  if (verdict === 'unknown') {
    let reasonUnknown: string;
    try {
      reasonUnknown = solver.reasonUnknown();
    } catch {
      reasonUnknown = '';
    }
    return { verdict, reasonUnknown };
  }
  if (verdict === 'unsat') return { verdict };
  const model = solver.model();
  const values: Record<string, string | null> = {};
  const signs: Record<string, -1 | 0 | 1> = {};
  for (const name of req.vars) {
    const x = ctx.Real.const(name);
    const v = model.eval(x, true);
    if (ctx.isIntVal(v)) values[name] = v.value().toString();
    else if (ctx.isRealVal(v)) {
      const { numerator, denominator } = v.value();
      values[name] = `${numerator}/${denominator}`;
    } else values[name] = null;
    signs[name] = ctx.isTrue(model.eval(x.gt(0), true)) ? 1 : ctx.isTrue(model.eval(x.lt(0), true)) ? -1 : 0;
  }
  return { verdict, values, signs };
}

parentPort!.on('message', (req: Z3Request) => {
  answer(req).then(
    (r) => parentPort!.postMessage(r),
    (e: unknown) => parentPort!.postMessage({ verdict: 'error', message: (e as Error).message ?? String(e) } satisfies Z3Reply),
  );
});
parentPort!.postMessage({ verdict: 'ready' } satisfies Z3Reply);
