/**
 * alarmAt (src/core/deadline.ts): an alarm at any time, however far away.
 * Node's setTimeout takes at most 2^31 - 1 ms and fires after 1 ms beyond
 * that; the fake clock here has the same rule, so a plain setTimeout fails
 * these tests.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_TIMER_MS, alarmAt } from '../../src/core/deadline.js';

describe('alarmAt', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('the fake clock overflows as Node does: setTimeout(f, 2^31) fires at once', () => {
    let fired = false;
    setTimeout(() => (fired = true), MAX_TIMER_MS + 1);
    vi.advanceTimersByTime(2);
    expect(fired).toBe(true);
  });

  it('fires at its time, never before, for delays up to 10^11 ms (3,000,000 s and beyond)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e11 }), (delay) => {
        const at = Date.now() + delay;
        let firedAt: number | undefined;
        alarmAt(at, () => (firedAt = Date.now()));
        if (delay > 0) {
          vi.advanceTimersByTime(delay - 1);
          expect(firedAt).toBeUndefined();
        }
        vi.advanceTimersByTime(1);
        expect(firedAt).toBe(at);
        vi.advanceTimersByTime(10 * MAX_TIMER_MS);
        expect(firedAt).toBe(at);
      }),
      { numRuns: 200 },
    );
  });

  it('--timeout 3000000: the alarm has not fired after 2^31 ms, nor after 29 days, and fires at 3e9 ms', () => {
    let fired = 0;
    alarmAt(Date.now() + 3_000_000_000, () => fired++);
    vi.advanceTimersByTime(MAX_TIMER_MS + 1);
    expect(fired).toBe(0);
    vi.advanceTimersByTime(3_000_000_000 - MAX_TIMER_MS - 2);
    expect(fired).toBe(0);
    vi.advanceTimersByTime(1);
    expect(fired).toBe(1);
  });

  it('cancel stops it; a time in the past fires on the next turn, not inside the call; Infinity never fires', () => {
    let a = 0;
    alarmAt(Date.now() + 5e9, () => a++).cancel();
    vi.advanceTimersByTime(1e10);
    expect(a).toBe(0);
    let b = 0;
    alarmAt(Date.now() - 10, () => b++);
    expect(b).toBe(0);
    vi.advanceTimersByTime(0);
    expect(b).toBe(1);
    let c = 0;
    alarmAt(Infinity, () => c++);
    vi.advanceTimersByTime(1e12);
    expect(c).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});
