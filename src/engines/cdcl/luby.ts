/**
 * Luby's sequence 1 1 2 1 1 2 4 1 1 2 1 1 2 4 8 ... (Luby, Sinclair & Zuckerman, Information
 * Processing Letters 47, 1993): restart intervals of the conflict-driven engine, in units of
 * CDCL_DEFAULTS.restartUnit conflicts, computed as in MiniSat's luby().
 */

/** The i-th term of Luby's sequence, i from 0. */
export function luby(i: number): number {
  let size = 1;
  let seq = 0;
  while (size < i + 1) {
    seq++;
    size = 2 * size + 1;
  }
  let x = i;
  while (size - 1 !== x) {
    size = (size - 1) >> 1;
    seq--;
    x = x % size;
  }
  return 2 ** seq;
}
