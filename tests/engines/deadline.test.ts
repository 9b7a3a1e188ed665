/**
 * Issue F section 1: a time limit is a promise. One Deadline object
 * (src/engines/result.ts) is ticked inside every long loop: the exact simplex
 * per row operation, the float LPs, the Farkas solve; javascript-lp-solver,
 * z3 and the self-check run in worker threads terminated at the deadline.
 * These tests assert answers, never durations: each call below ran for
 * minutes on main (or forever), and here must come back as 'unknown' (or a
 * verdict) before the test's own timeout. Overruns are measured by
 * scripts/overrun.ts (docs/benchmark.md).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { selfCheck } from '../../src/run/self-check.js';
import { Q } from '../../src/core/rational.js';
import { baseRows, normalisationCases } from '../../src/encode/system.js';
import { solveWithAll } from '../../src/engines/all.js';
import { decideRows, minimizeRows } from '../../src/engines/lp/exact-lp.js';
import { farkasBySolve } from '../../src/engines/lp/farkas-solve.js';
import { floatDecide } from '../../src/engines/lp/float-lp.js';
import { FloatTableau } from '../../src/engines/lp/float-tableau.js';
import { defaultEngine, engines } from '../../src/engines/index.js';
import { Deadline, type SolveOptions, type SolveResult, Timeout, emptyStats } from '../../src/engines/result.js';
import { runWorker } from '../../src/engines/workers/worker.js';
import { readInstance } from '../../src/format/schema.js';
import { cli } from '../helpers.js';
import { CASES } from '../paths.js';

const n100 = readInstance(join(CASES, 'F-timeout-n100-d1-k2.json'));
const rows = baseRows(n100, normalisationCases(n100)[0]!);
const past = (): Deadline => Deadline.at(Date.now() - 1);

describe('Deadline', () => {
  it('NONE never expires; a past deadline throws Timeout at the first look at the clock', () => {
    for (let i = 0; i < 100_000; i++) Deadline.NONE.tick(100);
    expect(Deadline.NONE.remainingMs()).toBe(Infinity);
    const d = past();
    expect(d.expired()).toBe(true);
    expect(() => d.check()).toThrow(Timeout);
    expect(() => {
      for (let i = 0; i < 100; i++) d.tick(1000);
    }).toThrow(Timeout);
  });
  it('a share is never later than its parent and never before now', () => {
    const d = Deadline.at(Date.now() + 10_000);
    const s = d.share(0.25);
    expect(s.at!).toBeLessThanOrEqual(d.at!);
    expect(s.at!).toBeGreaterThan(Date.now() - 1);
    expect(Deadline.NONE.share(0.5)).toBe(Deadline.NONE);
  });
});

describe('every long computation checks the deadline inside', () => {
  it('the exact simplex, minimisation, the float LPs and the Farkas solve throw Timeout on a 100-point system', () => {
    expect(() => decideRows(rows, undefined, past())).toThrow(Timeout);
    expect(() =>
      minimizeRows(
        rows.filter((r) => r.sense !== '<'),
        new Map([['b:0', Q.ONE]]),
        undefined,
        past(),
      ),
    ).toThrow(Timeout);
    expect(() => floatDecide(rows, past())).toThrow(Timeout);
    expect(() => FloatTableau.root(rows, past())).toThrow(Timeout);
    expect(() => farkasBySolve(rows, past())).toThrow(Timeout);
  });
  it('a worker that never answers is terminated at the deadline (milp, z3 and the self-check use the same helper)', async () => {
    await expect(runWorker(import.meta.url, './fixtures/spin-worker', undefined, Deadline.at(Date.now() + 300))).rejects.toBeInstanceOf(Timeout);
  });
  it('the self-check answers "timeout" when the limit (plus its grace) has passed, and writes nothing', async () => {
    expect(await selfCheck('{}', 'x.cert.json', Deadline.at(Date.now() - 10_000))).toBe('timeout');
  });
});

describe('every engine answers on the shipped big cases', () => {
  it('reference, --timeout 2 on 100 points (195 s on main): unknown', async () => {
    const r = await cli('solve', join(CASES, 'F-timeout-n100-d1-k2.json'), '--engine', 'reference', '--timeout', '2', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ verdict: 'unknown', reason: 'timeout' });
  });
  it('exact (default), --timeout 5 on 1,000 points (64 s on main): unknown or a verdict', async () => {
    const r = await cli('solve', join(CASES, 'F-timeout-n1000-d1-k2.json'), '--timeout', '5', '--json');
    expect([0, 10, 20]).toContain(r.code);
  });
  it('milp (javascript-lp-solver ignores its own timeout; it ran for minutes on main) and z3, 2 s on 100 points', async () => {
    for (const name of ['milp', 'z3']) {
      const r = await engines[name]!.solve(n100, { deadline: Date.now() + 2000 });
      expect(['unknown', 'infeasible'], name).toContain(r.verdict);
      if (r.verdict === 'unknown') expect(r.reason, name).toMatch(/timeout/);
    }
  });
});

describe('--engine all gives each engine its own share of the time limit', () => {
  /** An engine that uses all the time it is given, and records it. */
  const greedy = (name: string, log: { name: string; start: number; deadline?: number }[]) => ({
    name,
    provesInfeasibility: false,
    solve: async (_: unknown, opts: SolveOptions): Promise<SolveResult> => {
      log.push({ name, start: Date.now(), ...(opts.deadline !== undefined ? { deadline: opts.deadline } : {}) });
      await new Promise((r) => setTimeout(r, Math.max(0, (opts.deadline ?? Date.now()) - Date.now())));
      return { verdict: 'unknown', reason: 'timeout', stats: emptyStats() };
    },
  });
  it('each engine in turn gets a positive share of what is left, none past the limit, and the result says so', async () => {
    const log: { name: string; start: number; deadline?: number }[] = [];
    const end = Date.now() + 2000;
    const r = await solveWithAll(
      n100,
      { deadline: end },
      greedy('a', log),
      ['b', 'c', 'd'].map((n) => greedy(n, log)),
    );
    expect(log.map((x) => x.name)).toEqual(['a', 'b', 'c', 'd']);
    for (const x of log) {
      expect(x.deadline!).toBeGreaterThan(x.start); // it got time of its own
      expect(x.deadline!).toBeLessThanOrEqual(end);
    }
    expect(r.crossCheck?.shared).toBe(true);
    expect(r.crossCheck?.comparisons.every((c) => c.limitMs !== undefined)).toBe(true);
  });
  it("the registry's all runs every other registered engine", async () => {
    const r = await engines.all!.solve(readInstance('instances/abs-3-k1.json'), { deadline: Date.now() + 60_000 });
    expect(r.crossCheck?.comparisons.map((c) => c.engine)).toEqual([defaultEngine, ...Object.keys(engines).filter((n) => n !== 'all' && n !== defaultEngine)]);
  });
});

describe('minimize and crosscheck keep the limit', () => {
  it('crosscheck --timeout 3 on 100 points answers (relucert and every solver within its share)', async () => {
    const r = await cli('crosscheck', join(CASES, 'F-timeout-n100-d1-k2.json'), '--timeout', '3', '--json');
    expect([0, 3]).toContain(r.code);
    const o = JSON.parse(r.out) as { rows: { answer: string }[] };
    expect(o.rows.length).toBe(4);
  });
});
