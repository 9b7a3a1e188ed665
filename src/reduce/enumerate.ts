/**
 * Small combinatorial enumerations for the reductions' bounded-exhaustive
 * source generators (ExhaustiveSpec.enumerate). Each yields fresh arrays, in a
 * fixed order, so the exhaustive fuzzer is deterministic.
 */

/** Every permutation of 0..n-1, in lexicographic order (n! of them; meant for n <= 6). */
export function* permutations(n: number): Generator<number[]> {
  const p = [...Array(n).keys()];
  for (;;) {
    yield [...p];
    let i = n - 2;
    while (i >= 0 && p[i]! > p[i + 1]!) i--;
    if (i < 0) return;
    let j = n - 1;
    while (p[j]! < p[i]!) j--;
    [p[i], p[j]] = [p[j]!, p[i]!];
    for (let a = i + 1, b = n - 1; a < b; a++, b--) [p[a], p[b]] = [p[b]!, p[a]!];
  }
}

/** Every k-element subset of `items`, as arrays in the items' order, in lexicographic order of positions. */
export function* combinations<T>(items: readonly T[], k: number): Generator<T[]> {
  if (k < 0 || k > items.length) return;
  const idx = [...Array(k).keys()];
  for (;;) {
    yield idx.map((i) => items[i]!);
    let i = k - 1;
    while (i >= 0 && idx[i] === items.length - k + i) i--;
    if (i < 0) return;
    idx[i]!++;
    for (let j = i + 1; j < k; j++) idx[j] = idx[j - 1]! + 1;
  }
}

/** Every point of {lo..hi}^d, in lexicographic order. */
export function* gridPoints(d: number, lo: number, hi: number): Generator<number[]> {
  if (d === 0) {
    yield [];
    return;
  }
  for (let x = lo; x <= hi; x++) for (const rest of gridPoints(d - 1, lo, hi)) yield [x, ...rest];
}

/** Every way to write `total` as an ordered sum of `parts` nonnegative integers. */
export function* compositions(total: number, parts: number): Generator<number[]> {
  if (parts === 0) {
    if (total === 0) yield [];
    return;
  }
  for (let first = 0; first <= total; first++) for (const rest of compositions(total - first, parts - 1)) yield [first, ...rest];
}
