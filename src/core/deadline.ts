/**
 * The time limit every long computation honours (see
 * docs/engines.md, "Time limits"): a Deadline object passed down from the
 * command, and the Timeout it throws. In src/core so that the encoders
 * (src/encode) and the engines (src/engines, which re-export it from
 * result.ts) share it.
 */

/** The search stopped early: 'timeout' (the deadline), 'budget' (SolveOptions.nodeBudget), or 'cancelled' (another search won). */
export class Timeout extends Error {
  constructor(readonly reason: 'timeout' | 'budget' | 'cancelled' = 'timeout') {
    super(reason);
  }
}

/**
 * The longest delay Node's timers accept: 2^31 - 1 ms (about 24.8 days). A
 * longer one (setTimeout(f, 3e9)) fires after 1 ms with a
 * TimeoutOverflowWarning, so a long time limit would end at once.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A pending alarm (alarmAt); cancel() stops it (harmless after it fired). */
export interface Alarm {
  cancel(): void;
}

/**
 * Calls `fire` once, on the event loop, when the clock has passed `at`
 * (Date.now() milliseconds), for any `at`: a delay longer than MAX_TIMER_MS
 * is waited in steps of at most MAX_TIMER_MS, each step re-reading the
 * clock; `at` = Infinity never fires. Every timer relucert arms at a
 * computed time goes through here (docs/engines.md, "Time limits"), so
 * `--timeout 3000000` means 3,000,000 s everywhere.
 */
export function alarmAt(at: number, fire: () => void): Alarm {
  let timer: NodeJS.Timeout | undefined;
  let done = false;
  const arm = (): void => {
    const left = at - Date.now();
    if (Number.isNaN(left) || left === Infinity) return;
    timer = setTimeout(
      () => {
        if (done) return;
        if (Date.now() < at) return arm();
        done = true;
        fire();
      },
      Math.min(Math.max(0, left), MAX_TIMER_MS),
    );
  };
  arm();
  return {
    cancel: () => {
      done = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/** Work units between two looks at the clock (see Deadline.tick). */
const CLOCK_EVERY = 1 << 14;

/**
 * Work units of one arithmetic operation on integers of about `bits` bits:
 * 1 up to a machine word, then growing like words^1.5 (between schoolbook
 * and Karatsuba multiplication). Exact loops tick `entries * bigOpUnits(bits)`
 * so that their clock reads stay frequent when numbers have thousands of
 * digits.
 */
export function bigOpUnits(bits: number): number {
  const words = 1 + bits / 64;
  return Math.ceil(words * Math.sqrt(words));
}

/** Number of bits of |x| (0 for 0), for bigOpUnits. */
export function bitsOf(x: bigint): number {
  if (x === 0n) return 0;
  return (x < 0n ? -x : x).toString(16).length * 4;
}

/**
 * A time limit that long computations honour cooperatively (
 * docs/engines.md, "Time limits"). One object is created from
 * SolveOptions.deadline and passed down to every loop that can run long: the
 * float LPs and the exact simplex (every row operation of every pivot, and
 * while building a tableau), the exact Farkas solve, witness rounding.
 *
 * `tick(units)` counts work; one unit is about one arithmetic operation on
 * one table entry of machine size (a float, a small bigint or rational);
 * operations on big integers count bigOpUnits(bits) each. Every CLOCK_EVERY
 * units (16,384) it reads the clock and throws Timeout once the limit has
 * passed. Counting is an addition and a comparison, so loops may tick per
 * row; 16,384 units take well under 100 ms, so a computation stops within a
 * fraction of a second of the limit.
 * Engines catch Timeout and answer 'unknown'; a Timeout never escapes a
 * SolveResult.
 *
 * Deadline.NONE never expires and costs one comparison per tick.
 */
export class Deadline {
  private work = 0;
  private constructor(
    /** Absolute time (Date.now() milliseconds), or undefined for no limit. */
    readonly at: number | undefined,
  ) {}

  /** No time limit. */
  static readonly NONE = new Deadline(undefined);

  /** The deadline at absolute time `at` (Date.now() milliseconds); NONE when undefined. */
  static at(at: number | undefined): Deadline {
    return at === undefined ? Deadline.NONE : new Deadline(at);
  }

  /** Counts `units` of work; every CLOCK_EVERY units looks at the clock and throws Timeout past the limit. */
  tick(units = 1): void {
    if (this.at === undefined) return;
    this.work += units;
    if (this.work < CLOCK_EVERY) return;
    this.work = 0;
    if (Date.now() > this.at) throw new Timeout();
  }

  /** Looks at the clock now; throws Timeout past the limit. */
  check(): void {
    if (this.at !== undefined && Date.now() > this.at) throw new Timeout();
  }

  expired(): boolean {
    return this.at !== undefined && Date.now() > this.at;
  }

  /** Milliseconds left (Infinity without a limit; 0 once past it). */
  remainingMs(): number {
    return this.at === undefined ? Infinity : Math.max(0, this.at - Date.now());
  }

  /**
   * A deadline for one part of the work: `fraction` (0 < fraction <= 1) of
   * the time left now, never later than this one. Without a limit, NONE.
   */
  share(fraction: number): Deadline {
    if (this.at === undefined) return Deadline.NONE;
    const now = Date.now();
    return new Deadline(Math.min(this.at, now + Math.max(0, this.at - now) * fraction));
  }
}
