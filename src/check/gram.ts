/**
 * Gram certificates, relucert-gram-certificate/1 (docs/gram-certificates.md):
 * upper bounds on the eigenvalue tail sum_{i>r} lambda_i(K) and on
 * lambda_{r+1}(K) of the Gram matrix K of the polynomial kernel (C + x.y)^Q
 * on an instance's points, and optionally a decay law lambda_i(K) <= c i^(-p).
 *
 * The checker rebuilds K from the embedded instance and the kernel, redoes
 * the pivoted elimination itself (fraction-free, on the integer matrix
 * M = L K), and compares every claimed bound exactly. One function per clause
 * of section 3 (G1-G10, in that order); the sizes of section 4 are checked
 * before anything they bound is expanded, hashed or multiplied, and every
 * product and quotient of the elimination is charged to the work budget
 * (cost.ts).
 */
import { add, chargeSum, div, mul, sub } from './cost.js';
import { isRejection, readArray, readIndex, readObject, readRat, readString } from './fields.js';
import { type Instance, readInstance, statementName } from './instance.js';
import { type JsonValue, fieldPath } from './json.js';
import { Rat, overDigitLimit } from './rational.js';
import { Rejection, quote } from './rejection.js';
import { checkBinding } from './training.js';

export const GRAM_FORMAT = 'relucert-gram-certificate/1';

/** What a valid Gram certificate proves. */
export interface GramResult {
  kind: 'gram';
  statement: string;
  instanceHash: string;
  pivots: number;
}

/** Limits (section 4); over a limit is a rejection under the clause that reads the field. */
const MAX_POINTS = 1000;
const MAX_COORDINATE_DIGITS = 1000;
const MAX_DEGREE = 12;
const MAX_PIVOTS = 200;
const MAX_ENTRY_DIGITS = 400;
const MAX_WORK = 10_000_000_000n;
const MAX_P_NUMERATOR = 1000n;
const MAX_P_DENOMINATOR = 64n;
const MAX_DECAY_DIGITS = 1000;
const DECAY_LIMIT = 10n ** BigInt(MAX_DECAY_DIGITS);

interface Claim {
  tail: Rat;
  next: Rat;
}

/**
 * Checks a Gram certificate's JSON, clause by clause (G1-G10). `bound` is
 * the instance file of `--instance`, already read: G3 binds the certificate
 * to it, and the statement names the instance by its name.
 */
export function checkGram(cert: JsonValue, bound: { instance: Instance; file: string } | undefined): GramResult | Rejection {
  // G1: the top level.
  const top = readObject(cert, 'G1', '', ['format', 'instanceHash', 'instance', 'kernel', 'pivots', 'bounds'], ['decay', 'producer']);
  if (isRejection(top)) return top;
  const get = (k: string): JsonValue | undefined => top.entries.get(k);
  const format = readString(get('format'), 'G1', 'format');
  if (isRejection(format)) return format;
  if (format !== GRAM_FORMAT) return new Rejection('G1', 'format', quote(GRAM_FORMAT), quote(format));

  const inst = readGramInstance(get('instance'));
  if (isRejection(inst)) return inst;
  const hash = checkBinding(get('instanceHash'), 'G3', inst, bound);
  if (isRejection(hash)) return hash;
  const kernel = readKernel(get('kernel'), inst.points);
  if (isRejection(kernel)) return kernel;
  const pivots = readPivots(get('pivots'), inst.n, kernel.gram.digits);
  if (isRejection(pivots)) return pivots;
  const claims = readClaims(get('bounds'), pivots.length);
  if (isRejection(claims)) return claims;
  const failed = eliminate(kernel.gram.build(), kernel.gram.L, pivots, claims);
  if (failed) return failed;
  const decay = get('decay') === undefined ? undefined : checkDecay(get('decay'), claims, inst.n);
  if (isRejection(decay)) return decay;

  const R = pivots.length;
  const last = claims[R]!;
  const kernelText = kernel.offset.isZero() ? `(x.y)^${kernel.degree}` : `(${kernel.offset} + x.y)^${kernel.degree}`;
  const decayText = decay === undefined ? '' : `; and lambda_i(K) <= ${decay.c} i^(-${decay.p}) for every i = 1..${inst.n}`;
  return {
    kind: 'gram',
    statement:
      `the Gram matrix K of ${kernelText} on the ${inst.n} points of ${statementName(inst, bound?.instance)} (${hash}) has, for r = 0..${R}, ` +
      `sum_{i>r} lambda_i(K) <= bounds[r].tail and lambda_{r+1}(K) <= bounds[r].next; at r = ${R}: ` +
      `sum_{i>${R}} lambda_i(K) <= ${last.tail}, lambda_${R + 1}(K) <= ${last.next}${decayText}`,
    instanceHash: hash,
    pivots: R,
  };
}

/**
 * G2: at most 1000 points, each coordinate written with at most 1000 digits
 * (an exponent e counting as |e|), both checked on the text before any
 * number is read; then a valid relucert-instance/1 object (as C2; its
 * rejections are G2's). Only its points are used.
 */
function readGramInstance(v: JsonValue | undefined): Instance | Rejection {
  const points = v?.type === 'object' ? v.entries.get('points') : undefined;
  if (points?.type === 'array') {
    if (points.items.length > MAX_POINTS) return new Rejection('G2', 'instance.points', `at most ${MAX_POINTS} points`, `${points.items.length}`);
    for (const [i, point] of points.items.entries())
      if (point.type === 'array')
        for (const [t, x] of point.items.entries())
          if (x.type === 'string' && overDigitLimit(x.value, MAX_COORDINATE_DIGITS))
            return new Rejection('G2', `instance.points[${i}][${t}]`, `a coordinate of at most ${MAX_COORDINATE_DIGITS} digits (section 4)`, 'more');
  }
  const inst = readInstance(v, 'instance');
  return isRejection(inst) ? new Rejection('G2', inst.path, inst.expected, inst.got) : inst;
}

/** The integer Gram matrix of section 2, its sizes checked: `build` makes M (once G5 and G6 hold), L is the scale, digits the largest entry's. */
interface IntegerGram {
  build: () => bigint[][];
  L: bigint;
  digits: number;
}

/** G4: `kernel` is {"type": "polynomial", "degree": Q, "offset": C}, Q a JSON integer 1..12, C >= 0; and M's sizes within section 4. */
function readKernel(v: JsonValue | undefined, points: Rat[][]): { degree: number; offset: Rat; gram: IntegerGram } | Rejection {
  const kernel = readObject(v, 'G4', 'kernel', ['type', 'degree', 'offset']);
  if (isRejection(kernel)) return kernel;
  const type = readString(kernel.entries.get('type'), 'G4', 'kernel.type');
  if (isRejection(type)) return type;
  if (type !== 'polynomial') return new Rejection('G4', 'kernel.type', '"polynomial"', quote(type));
  const degree = readIndex(kernel.entries.get('degree'), 'G4', 'kernel.degree', MAX_DEGREE + 1, 'the degree Q', 1);
  if (isRejection(degree)) return degree;
  const offset = readRat(kernel.entries.get('offset'), 'G4', 'kernel.offset');
  if (isRejection(offset)) return offset;
  if (offset.sign() < 0) return new Rejection('G4', 'kernel.offset', 'an offset C >= 0 (then the kernel is positive semidefinite)', offset.toString());
  const gram = integerGramMatrix(points, degree, offset);
  if (typeof gram === 'string')
    return new Rejection('G4', 'kernel', `a Gram matrix whose integer form M has entries of at most ${MAX_ENTRY_DIGITS} digits (section 4)`, gram);
  return { degree, offset, gram };
}

/**
 * M = L K with integers: D the lcm of the coordinates' denominators, C = c/e,
 * M_ij = (c D^2 + e (D x_i).(D x_j))^Q, L = (e D^2)^Q (section 2). Returns
 * what is too large instead (section 4), found before any large power is
 * taken: D, c and e must have at most 400 digits, and so must the largest
 * entry of M, which is on its diagonal (M is PSD by Lemma A, so
 * |M_ij| <= max(M_ii, M_jj)).
 */
function integerGramMatrix(points: Rat[][], degree: number, offset: Rat): IntegerGram | string {
  const limit = 10n ** BigInt(MAX_ENTRY_DIGITS);
  if (offset.num >= limit || offset.den >= limit) return 'an offset C with more digits';
  let D = 1n;
  for (const p of points)
    for (const v of p) {
      // lcm(D, q) = D (q / gcd(D, q)), and q / gcd(D, q) is the denominator of D / q in lowest terms
      D = mul(D, Rat.of(D, v.den).den);
      if (D >= limit) return 'a common denominator of the coordinates with more digits';
    }
  const scaled = points.map((p) => p.map((v) => div(mul(v.num, D), v.den)));
  if (scaled.some((x) => x.some((v) => v >= limit || -v >= limit))) return 'a coordinate times the common denominator with more digits';
  const Q = BigInt(degree);
  const c = mul(mul(offset.num, D), D);
  const base = (x: bigint[], y: bigint[]): bigint => {
    let dot = 0n;
    for (const [t, xt] of x.entries()) dot = add(dot, mul(xt, y[t]!));
    return add(c, mul(offset.den, dot));
  };
  // the diagonal first: b^Q < 10^400 needs b < 10^ceil(400/Q), so no large power is taken
  const rootLimit = 10n ** ((BigInt(MAX_ENTRY_DIGITS) + Q - 1n) / Q);
  let largest = 0n;
  for (const x of scaled) {
    const b = base(x, x);
    if (b >= rootLimit) return 'a diagonal entry with more digits';
    const v = power(b, Q);
    if (v >= limit) return 'a diagonal entry with more digits';
    if (v > largest) largest = v;
  }
  // the whole matrix only once G5 and G6 have passed (build)
  const build = (): bigint[][] => scaled.map((x) => scaled.map((y) => power(base(x, y), Q)));
  return { build, L: power(mul(mul(offset.den, D), D), Q), digits: largest.toString().length };
}

/** b^e (e >= 0), one charged product per step. */
function power(b: bigint, e: bigint): bigint {
  let r = 1n;
  for (let k = 0n; k < e; k++) r = mul(r, b);
  return r;
}

/**
 * G5: `pivots` lists R distinct point indices (JSON integers 0..n-1), R at
 * most n - 1 and 200, and n^2 R^2 digits / 2 at most 10^10 (section 4).
 */
function readPivots(v: JsonValue | undefined, n: number, digits: number): number[] | Rejection {
  const list = readArray(v, 'G5', 'pivots');
  if (isRejection(list)) return list;
  const R = list.items.length;
  const most = n - 1 < MAX_PIVOTS ? n - 1 : MAX_PIVOTS;
  if (R > most) return new Rejection('G5', 'pivots', `at most ${most} pivots (n - 1 and ${MAX_PIVOTS})`, `${R}`);
  const pivots: number[] = [];
  const seen = new Set<number>();
  for (const [k, item] of list.items.entries()) {
    const i = readIndex(item, 'G5', fieldPath('pivots', k), n, 'a point index');
    if (isRejection(i)) return i;
    if (seen.has(i)) return new Rejection('G5', fieldPath('pivots', k), 'a point not already a pivot', `point ${i} again`);
    seen.add(i);
    pivots.push(i);
  }
  const N = BigInt(n);
  const work = (N * N * BigInt(R) * BigInt(R) * BigInt(digits)) / 2n;
  if (work > MAX_WORK) return new Rejection('G5', 'pivots', `n^2 R^2 digits / 2 at most ${MAX_WORK} (section 4)`, `${work}`);
  return pivots;
}

/** G6: `bounds` has R + 1 entries, entry r exactly {"r": r, "tail": T, "next": B} with r its position and T, B exact numbers. */
function readClaims(v: JsonValue | undefined, R: number): Claim[] | Rejection {
  const list = readArray(v, 'G6', 'bounds');
  if (isRejection(list)) return list;
  if (list.items.length !== R + 1) return new Rejection('G6', 'bounds', `${R + 1} entries (r = 0..${R}, one per number of pivots)`, `${list.items.length}`);
  const claims: Claim[] = [];
  for (const [r, item] of list.items.entries()) {
    const path = fieldPath('bounds', r);
    const b = readObject(item, 'G6', path, ['r', 'tail', 'next']);
    if (isRejection(b)) return b;
    const rr = readIndex(b.entries.get('r'), 'G6', fieldPath(path, 'r'), R + 1, 'the number of pivots r');
    if (isRejection(rr)) return rr;
    if (rr !== r) return new Rejection('G6', fieldPath(path, 'r'), `${r} (entries in order of r)`, `${rr}`);
    const tail = readRat(b.entries.get('tail'), 'G6', fieldPath(path, 'tail'));
    if (isRejection(tail)) return tail;
    const next = readRat(b.entries.get('next'), 'G6', fieldPath(path, 'next'));
    if (isRejection(next)) return next;
    claims.push({ tail, next });
  }
  return claims;
}

/**
 * Fraction-free elimination in the pivot order (section 2, Lemma B). W is the
 * lower triangle of the rows and columns not yet pivoted on (W[a][b], b <= a,
 * for the points rows[a], rows[b]); W = det M[S+i, S+j] with S the pivots so
 * far and det M[S,S] = prev, so E = W / (prev L). For each r: G8 and G9, then
 * G7 for pivot r + 1.
 */
function eliminate(M: bigint[][], L: bigint, pivots: number[], claims: Claim[]): Rejection | undefined {
  let rows: number[] = M.map((_, i) => i);
  let W: bigint[][] = M.map((row, a) => row.slice(0, a + 1));
  let prev = 1n;
  for (let r = 0; ; r++) {
    const failed = checkClaim(r, claims[r]!, W, mul(prev, L));
    if (failed) return failed;
    if (r === pivots.length) return undefined;
    // G7: the next pivot is positive.
    const at = rows.indexOf(pivots[r]!);
    const p = W[at]![at]!;
    if (p <= 0n)
      return new Rejection(
        'G7',
        fieldPath('pivots', r),
        `a pivot with det M[S,S] > 0 for its first ${r + 1} pivots (K on them positive definite)`,
        `det ${p < 0n ? '< 0' : '= 0'} at point ${pivots[r]}`,
      );
    const entry = (a: number, b: number): bigint => (b <= a ? W[a]![b]! : W[b]![a]!);
    const keep = rows.map((_, a) => a).filter((a) => a !== at);
    const column = keep.map((a) => entry(a, at));
    W = keep.map((a, a2) => keep.slice(0, a2 + 1).map((b, b2) => div(sub(mul(p, W[a]![b]!), mul(column[a2]!, column[b2]!)), prev)));
    rows = keep.map((a) => rows[a]!);
    prev = p;
  }
}

/** G8 (tail >= tr(E_r) = trace / scale) and G9 (next >= 0, next^2 >= ||E_r||_F^2 = frob / scale^2) for r pivots, E_r = W / scale. */
function checkClaim(r: number, claim: Claim, W: bigint[][], scale: bigint): Rejection | undefined {
  let trace = 0n;
  let frob = 0n;
  for (const [a, row] of W.entries())
    for (const [b, v] of row.entries()) {
      const square = mul(v, v);
      chargeSum(frob, square);
      if (b === a) trace = add(trace, v);
      frob += b === a ? square : 2n * square;
    }
  const tailPath = fieldPath(fieldPath('bounds', r), 'tail');
  if (mul(claim.tail.num, scale) < mul(trace, claim.tail.den))
    return new Rejection(
      'G8',
      tailPath,
      `at least tr(E_${r}) = ${valueText(trace, scale)} (E_${r} the Schur complement after ${r} pivots)`,
      claim.tail.toString(),
    );
  const next = claim.next;
  if (next.sign() < 0 || mul(mul(next.num, next.num), mul(scale, scale)) < mul(frob, mul(next.den, next.den)))
    return new Rejection(
      'G9',
      fieldPath(fieldPath('bounds', r), 'next'),
      `a number >= 0 whose square is at least ||E_${r}||_F^2 = ${valueText(frob, mul(scale, scale))}`,
      next.toString(),
    );
  return undefined;
}

/** G10: `decay` is {"c": c, "p": p}, c > 0 and p = a/b >= 0 (a <= 1000, b <= 64), short numbers; and the law follows from the claims. */
function checkDecay(v: JsonValue | undefined, claims: Claim[], n: number): { c: Rat; p: Rat } | Rejection {
  const d = readObject(v, 'G10', 'decay', ['c', 'p']);
  if (isRejection(d)) return d;
  const c = readRat(d.entries.get('c'), 'G10', 'decay.c');
  if (isRejection(c)) return c;
  if (c.sign() <= 0) return new Rejection('G10', 'decay.c', 'c > 0', c.toString());
  const p = readRat(d.entries.get('p'), 'G10', 'decay.p');
  if (isRejection(p)) return p;
  if (p.sign() < 0 || p.num > MAX_P_NUMERATOR || p.den > MAX_P_DENOMINATOR)
    return new Rejection('G10', 'decay.p', `p = a/b >= 0 in lowest terms with a <= ${MAX_P_NUMERATOR}, b <= ${MAX_P_DENOMINATOR}`, p.toString());
  // short numbers only: c and the claims are raised to the power b (section 4); a number of more digits is one >= 10^1000
  const long = (x: Rat): boolean => x.num >= DECAY_LIMIT || -x.num >= DECAY_LIMIT || x.den >= DECAY_LIMIT;
  if (long(c)) return new Rejection('G10', 'decay.c', `at most ${MAX_DECAY_DIGITS} digits in numerator and denominator`, 'more');
  for (const [r, claim] of claims.entries())
    for (const key of ['tail', 'next'] as const)
      if (long(claim[key]))
        return new Rejection(
          'G10',
          fieldPath(fieldPath('bounds', r), key),
          `with a decay law, at most ${MAX_DECAY_DIGITS} digits in numerator and denominator`,
          'more',
        );
  const i = firstDecayFailure(c, p, claims, n);
  if (i === undefined) return { c, p };
  return new Rejection(
    'G10',
    'decay',
    `lambda_${i.index} <= c ${i.index}^(-p) implied by the bounds`,
    `the least bound the bounds give for lambda_${i.index} is ${valueText(i.beta.num, i.beta.den)}, above ${c} * ${i.index}^(-${p})`,
  );
}

/**
 * The first i in 1..n with beta_i > c i^(-p) (Lemma E), or undefined:
 * beta_i = min over r < i of next_r and tail_r / (i - r), kept as an
 * unreduced pair (no gcd), and beta_i^b i^a <= c^b tested cross-multiplied.
 */
function firstDecayFailure(c: Rat, p: Rat, claims: Claim[], n: number): { index: number; beta: { num: bigint; den: bigint } } | undefined {
  const cb = { num: power(c.num, p.den), den: power(c.den, p.den) };
  for (let i = 1; i <= n; i++) {
    const I = BigInt(i);
    let beta: { num: bigint; den: bigint } | undefined;
    for (const [r, claim] of claims.entries()) {
      if (r >= i) break;
      const perIndex = { num: claim.tail.num, den: mul(claim.tail.den, I - BigInt(r)) };
      for (const x of [claim.next, perIndex]) if (beta === undefined || mul(x.num, beta.den) < mul(beta.num, x.den)) beta = x;
    }
    const left = mul(cb.num, power(beta!.den, p.den));
    const right = mul(mul(power(beta!.num, p.den), power(I, p.num)), cb.den);
    if (left < right) return { index: i, beta: beta! };
  }
  return undefined;
}

/** num / den (den > 0) for a message: exact when short, else 6 significant digits "about 1.23456e-7". */
function valueText(num: bigint, den: bigint): string {
  if (num === 0n) return '0';
  if (num.toString().length + den.toString().length <= 60) return Rat.of(num, den).toString();
  const neg = num < 0n;
  const a = neg ? -num : num;
  // 10^5 <= floor(a 10^(5-e) / den) < 10^6
  const lead = (e: number): bigint => (e >= 5 ? a / (den * 10n ** BigInt(e - 5)) : (a * 10n ** BigInt(5 - e)) / den);
  let e = a.toString().length - den.toString().length;
  while (lead(e) >= 1_000_000n) e++;
  while (lead(e) < 100_000n) e--;
  const m = lead(e).toString();
  return `about ${neg ? '-' : ''}${m[0]}.${m.slice(1)}e${e}`;
}
