/**
 * Long time limits: `--timeout 3000000` (anything from 2,147,484 s) once
 * overflowed Node's timers, so z3, milp and the self-check "timed out" at
 * once and nothing was written. Every timer at a computed time now goes
 * through alarmAt (src/core/deadline.ts; its own test checks delays up to
 * 10^11 ms on a fake clock).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers.js';

const LONG = ['3000000', '2147484', String(10 ** 12)];

describe('--timeout beyond 2^31 ms', () => {
  it.each(['z3', 'milp'])('solve --engine %s --timeout 3000000 answers (no instant "timeout")', async (engine) => {
    const r = await cli('solve', 'instances/abs-3-k2.json', '--engine', engine, '--timeout', '3000000');
    expect(r.out).toMatch(/^"abs-3-k2": feasible \(loss 0\)/);
    expect(r.code).toBe(10);
  });

  it.each(LONG)('solve --cert --timeout %s: the self-check finishes and the certificate is written', async (t) => {
    const cert = join(tempDir(), 'abs-3-k1.cert.json');
    const r = await cli('solve', 'instances/abs-3-k1.json', '--cert', cert, '--timeout', t);
    expect(r.code, r.out + r.err).toBe(20);
    expect(existsSync(cert)).toBe(true);
  });

  it('minimize --timeout 3000000: the optimum, both sides written', async () => {
    const out = tempDir();
    const r = await cli('minimize', 'instances/abs-3-k1-l1-half.json', '--loss', '--timeout', '3000000', '--out', out);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toMatch(/least l1 loss = 1\n/);
  });
});
