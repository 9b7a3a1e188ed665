/**
 * Checker for relucert-gram-certificate/1 (docs/gram-certificates.md): upper
 * bounds on the eigenvalue tail sum_{i>r} lambda_i(K) and on lambda_{r+1}(K)
 * of the Gram matrix K of the polynomial kernel (C + x.y)^Q on an instance's
 * points, and optionally a decay law lambda_i(K) <= c i^(-p).
 *
 * Part of the independent checker: imports only src/check files, no floating
 * point. It rebuilds K from the embedded instance and the kernel, redoes the
 * pivoted elimination itself (fraction-free, on the integer matrix M = L K),
 * and compares every claimed bound exactly. Clauses G1..G10 are those of
 * docs/gram-certificates.md section 3, checked in that order.
 */
import { Buffer } from 'node:buffer';
import { describe, isRejection, readArray, readIndex, readObject, readRat, readString } from './fields.js';
import { type Instance, instanceHash, readInstance } from './instance.js';
import { type JsonValue, fieldPath, isJsonError, parseJson } from './json.js';
import { Rat } from './rational.js';
import { Rejection, formatRejection, quote } from './rejection.js';

export const GRAM_FORMAT = 'relucert-gram-certificate/1';

export type GramCheckOutcome =
  | { status: 'valid'; statement: string; instanceHash: string; pivots: number }
  | { status: 'rejected'; rule: string; path: string; expected: string; got: string; message: string }
  | { status: 'bad-input'; file: string; field: string; message: string };

/** Limits (section 4); over a limit is a rejection under the clause that reads the field. */
const MAX_BYTES = 256 * 1024 * 1024;
const MAX_POINTS = 1000;
const MAX_DEGREE = 12;
const MAX_PIVOTS = 200;
const MAX_ENTRY_DIGITS = 400;
const MAX_WORK = 10_000_000_000n;
const MAX_P_NUMERATOR = 1000n;
const MAX_P_DENOMINATOR = 64n;
const MAX_DECAY_DIGITS = 1000;

/**
 * Checks one gram certificate text; certFile (and instanceFile) only name the
 * files in messages. With instanceText, the certificate must be about that
 * instance (G3). Never throws on any input.
 */
export function checkGramCertificate(certText: string, certFile: string, instanceText?: string, instanceFile?: string): GramCheckOutcome {
  const cert = readJson(certText, certFile, true);
  if (!('type' in cert)) return cert;
  let fileInstance: Instance | undefined;
  if (instanceText !== undefined) {
    const file = instanceFile ?? 'instance file';
    const json = readJson(instanceText, file, false);
    if (!('type' in json)) return json;
    const inst = readInstance(json, '');
    if (isRejection(inst)) return { status: 'bad-input', file, field: inst.path, message: `expected ${inst.expected}, got ${inst.got}` };
    fileInstance = inst;
  }
  if (cert.type !== 'object')
    return { status: 'bad-input', file: certFile, field: '', message: `not a certificate: the top level is ${describe(cert)}, expected an object` };
  const r = checkGramJson(cert, fileInstance, instanceFile ?? 'instance file');
  if (isRejection(r)) return { status: 'rejected', rule: r.rule, path: r.path, expected: r.expected, got: r.got, message: formatRejection(r) };
  return r;
}

type Outcome = Exclude<GramCheckOutcome, { status: 'valid' }>;

/** JSON text -> value; syntax errors are bad input; a repeated key is bad input in an instance file, G1 in a certificate. */
function readJson(text: string, file: string, isCert: boolean): JsonValue | Outcome {
  if (Buffer.byteLength(text, 'utf8') > MAX_BYTES) return { status: 'bad-input', file, field: '', message: 'larger than 256 MiB' };
  const json = parseJson(text);
  if (!isJsonError(json)) return json;
  const where = `line ${json.line} column ${json.column}`;
  if (json.duplicateKey === undefined) return { status: 'bad-input', file, field: '', message: `not valid JSON: ${json.message} at ${where}` };
  const path = fieldPath(json.path, json.duplicateKey);
  if (!isCert) return { status: 'bad-input', file, field: path, message: 'each key once in an object' };
  const r = new Rejection('G1', path, 'each key once in an object', `${JSON.stringify(json.duplicateKey)} again at ${where}`);
  return { status: 'rejected', rule: r.rule, path: r.path, expected: r.expected, got: r.got, message: formatRejection(r) };
}

interface Claim {
  tail: Rat;
  next: Rat;
}

function checkGramJson(cert: JsonValue, fileInstance: Instance | undefined, instanceFile: string): Extract<GramCheckOutcome, { status: 'valid' }> | Rejection {
  // G1: the top level.
  const top = readObject(cert, 'G1', '', ['format', 'instanceHash', 'instance', 'kernel', 'pivots', 'bounds'], ['decay', 'producer']);
  if (isRejection(top)) return top;
  const get = (k: string): JsonValue | undefined => top.entries.get(k);
  const format = readString(get('format'), 'G1', 'format');
  if (isRejection(format)) return format;
  if (format !== GRAM_FORMAT) return new Rejection('G1', 'format', JSON.stringify(GRAM_FORMAT), JSON.stringify(format));

  // G2: the instance (its points are the data; nothing else of it is used).
  const inst = readInstance(get('instance'), 'instance');
  if (isRejection(inst)) return new Rejection('G2', inst.path, inst.expected, inst.got);
  if (inst.n > MAX_POINTS) return new Rejection('G2', 'instance.points', `at most ${MAX_POINTS} points`, `${inst.n}`);

  // G3: the binding.
  const claimed = readString(get('instanceHash'), 'G3', 'instanceHash');
  if (isRejection(claimed)) return claimed;
  const hash = instanceHash(inst);
  if (claimed !== hash) return new Rejection('G3', 'instanceHash', `${hash} (the hash of the canonical form of "instance")`, claimed);
  if (fileInstance !== undefined && instanceHash(fileInstance) !== claimed)
    return new Rejection('G3', 'instanceHash', `${instanceHash(fileInstance)} (the hash of ${instanceFile})`, claimed);

  // G4: the kernel, and the integer Gram matrix M = L K.
  const kernel = readObject(get('kernel'), 'G4', 'kernel', ['type', 'degree', 'offset']);
  if (isRejection(kernel)) return kernel;
  const type = readString(kernel.entries.get('type'), 'G4', 'kernel.type');
  if (isRejection(type)) return type;
  if (type !== 'polynomial') return new Rejection('G4', 'kernel.type', '"polynomial"', JSON.stringify(type));
  const degree = readIndex(kernel.entries.get('degree'), 'G4', 'kernel.degree', MAX_DEGREE + 1, 'the degree Q', 1);
  if (isRejection(degree)) return degree;
  const offset = readRat(kernel.entries.get('offset'), 'G4', 'kernel.offset');
  if (isRejection(offset)) return offset;
  if (offset.sign() < 0) return new Rejection('G4', 'kernel.offset', 'an offset C >= 0 (then the kernel is positive semidefinite)', offset.toString());
  const gram = integerGramMatrix(inst.points, degree, offset);
  if (typeof gram === 'string')
    return new Rejection('G4', 'kernel', `a Gram matrix whose integer form M has entries of at most ${MAX_ENTRY_DIGITS} digits (section 4)`, gram);

  // G5: the pivot order.
  const pivotList = readArray(get('pivots'), 'G5', 'pivots');
  if (isRejection(pivotList)) return pivotList;
  const R = pivotList.items.length;
  const maxPivots = inst.n - 1 < MAX_PIVOTS ? inst.n - 1 : MAX_PIVOTS;
  if (R > maxPivots) return new Rejection('G5', 'pivots', `at most ${maxPivots} pivots (n - 1 and ${MAX_PIVOTS})`, `${R}`);
  const pivots: number[] = [];
  const seen = new Set<number>();
  for (const [k, v] of pivotList.items.entries()) {
    const i = readIndex(v, 'G5', fieldPath('pivots', k), inst.n, 'a point index');
    if (isRejection(i)) return i;
    if (seen.has(i)) return new Rejection('G5', fieldPath('pivots', k), 'a point not already a pivot', `point ${i} again`);
    seen.add(i);
    pivots.push(i);
  }
  const n = BigInt(inst.n);
  const work = (n * n * BigInt(R) * BigInt(R) * BigInt(gram.digits)) / 2n;
  if (work > MAX_WORK) return new Rejection('G5', 'pivots', `n^2 R^2 digits / 2 at most ${MAX_WORK} (section 4)`, `${work}`);

  // G6: the bounds, one per r = 0..R.
  const boundList = readArray(get('bounds'), 'G6', 'bounds');
  if (isRejection(boundList)) return boundList;
  if (boundList.items.length !== R + 1)
    return new Rejection('G6', 'bounds', `${R + 1} entries (r = 0..${R}, one per number of pivots)`, `${boundList.items.length}`);
  const claims: Claim[] = [];
  for (const [r, v] of boundList.items.entries()) {
    const path = fieldPath('bounds', r);
    const b = readObject(v, 'G6', path, ['r', 'tail', 'next']);
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

  // G7-G9: the elimination, step by step.
  const fail = eliminate(gram.build(), gram.L, pivots, claims);
  if (fail) return fail;

  // G10: the decay law.
  let decayText = '';
  if (get('decay') !== undefined) {
    const d = checkDecay(get('decay'), claims, inst.n);
    if (isRejection(d)) return d;
    decayText = `; and lambda_i(K) <= ${d.c} i^(-${d.p}) for every i = 1..${inst.n}`;
  }
  const last = claims[R]!;
  const kernelText = offset.isZero() ? `(x.y)^${degree}` : `(${offset} + x.y)^${degree}`;
  return {
    status: 'valid',
    statement:
      `the Gram matrix K of ${kernelText} on the ${inst.n} points of ${quote(inst.name)} (${hash}) has, for r = 0..${R}, ` +
      `sum_{i>r} lambda_i(K) <= bounds[r].tail and lambda_{r+1}(K) <= bounds[r].next; at r = ${R}: ` +
      `sum_{i>${R}} lambda_i(K) <= ${last.tail}, lambda_${R + 1}(K) <= ${last.next}${decayText}`,
    instanceHash: hash,
    pivots: R,
  };
}

/**
 * M = L K with integers: D the lcm of the coordinates' denominators, C = c/e,
 * M_ij = (c D^2 + e (D x_i).(D x_j))^Q, L = (e D^2)^Q (section 2). Returns
 * what is too large instead (section 4), found before any large power is
 * taken: D, c and e must have at most 400 digits, and so must the largest
 * entry of M, which is on its diagonal (M is PSD by Lemma A, so
 * |M_ij| <= max(M_ii, M_jj)).
 */
function integerGramMatrix(points: Rat[][], degree: number, offset: Rat): { build: () => bigint[][]; L: bigint; digits: number } | string {
  const limit = 10n ** BigInt(MAX_ENTRY_DIGITS);
  if (offset.num >= limit || offset.den >= limit) return 'an offset C with more digits';
  let D = 1n;
  for (const p of points)
    for (const v of p) {
      D = (D / gcd(D, v.den)) * v.den;
      if (D >= limit) return 'a common denominator of the coordinates with more digits';
    }
  const scaled = points.map((p) => p.map((v) => (v.num * D) / v.den));
  if (scaled.some((x) => x.some((v) => v >= limit || -v >= limit))) return 'a coordinate times the common denominator with more digits';
  const Q = BigInt(degree);
  const c = offset.num * D * D;
  const base = (x: bigint[], y: bigint[]): bigint => {
    let dot = 0n;
    for (const [t, xt] of x.entries()) dot += xt * y[t]!;
    return c + offset.den * dot;
  };
  // the diagonal first: b^Q < 10^400 needs b < 10^ceil(400/Q), so no large power is taken
  const rootLimit = 10n ** ((BigInt(MAX_ENTRY_DIGITS) + Q - 1n) / Q);
  let largest = 0n;
  for (const x of scaled) {
    const b = base(x, x);
    if (b >= rootLimit) return 'a diagonal entry with more digits';
    const v = b ** Q;
    if (v >= limit) return 'a diagonal entry with more digits';
    if (v > largest) largest = v;
  }
  // the whole matrix only once G5 and G6 have passed (build)
  const build = (): bigint[][] => scaled.map((x) => scaled.map((y) => base(x, y) ** Q));
  return { build, L: (offset.den * D * D) ** Q, digits: largest.toString().length };
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
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
    const scale = prev * L;
    let trace = 0n;
    let frob = 0n;
    for (const [a, row] of W.entries())
      for (const [b, v] of row.entries()) {
        if (b === a) trace += v;
        frob += b === a ? v * v : 2n * v * v;
      }
    const claim = claims[r]!;
    // G8: tail >= tr(E) = trace / scale.
    if (claim.tail.num * scale < trace * claim.tail.den)
      return new Rejection(
        'G8',
        fieldPath(fieldPath('bounds', r), 'tail'),
        `at least tr(E_${r}) = ${valueText(trace, scale)} (E_${r} the Schur complement after ${r} pivots)`,
        claim.tail.toString(),
      );
    // G9: next >= 0 and next^2 >= ||E||_F^2 = frob / scale^2.
    if (claim.next.sign() < 0 || claim.next.num * claim.next.num * scale * scale < frob * claim.next.den * claim.next.den)
      return new Rejection(
        'G9',
        fieldPath(fieldPath('bounds', r), 'next'),
        `a number >= 0 whose square is at least ||E_${r}||_F^2 = ${valueText(frob, scale * scale)}`,
        claim.next.toString(),
      );
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
    const pivotColumn = keep.map((a) => entry(a, at));
    W = keep.map((a, a2) => keep.slice(0, a2 + 1).map((b, b2) => (p * W[a]![b]! - pivotColumn[a2]! * pivotColumn[b2]!) / prev));
    rows = keep.map((a) => rows[a]!);
    prev = p;
  }
}

/** G10: lambda_i <= c i^(-p) for i = 1..n, from the claims alone (section 2, Lemma D). */
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
  // short numbers only: c and the claims are raised to the power b (section 4)
  const long = (x: Rat): boolean => x.num.toString().length > MAX_DECAY_DIGITS || x.den.toString().length > MAX_DECAY_DIGITS;
  if (long(c)) return new Rejection('G10', 'decay.c', `at most ${MAX_DECAY_DIGITS} digits in numerator and denominator`, 'more');
  for (const [r, claim] of claims.entries())
    for (const [key, x] of [
      ['tail', claim.tail],
      ['next', claim.next],
    ] as const)
      if (long(x))
        return new Rejection(
          'G10',
          fieldPath(fieldPath('bounds', r), key),
          `with a decay law, at most ${MAX_DECAY_DIGITS} digits in numerator and denominator`,
          'more',
        );
  const cb = { num: c.num ** p.den, den: c.den ** p.den };
  for (let i = 1; i <= n; i++) {
    const I = BigInt(i);
    // beta_i = min over r < i of next_r and tail_r / (i - r), kept as an unreduced pair (no gcd)
    let beta: { num: bigint; den: bigint } | undefined;
    for (const [r, claim] of claims.entries()) {
      if (r >= i) break;
      const perIndex = { num: claim.tail.num, den: claim.tail.den * (I - BigInt(r)) };
      for (const x of [claim.next, perIndex]) if (beta === undefined || x.num * beta.den < beta.num * x.den) beta = x;
    }
    // beta^b i^a <= c^b  <=>  beta <= c i^(-a/b)  (all >= 0; cross-multiplied)
    if (cb.num * beta!.den ** p.den < beta!.num ** p.den * I ** p.num * cb.den)
      return new Rejection(
        'G10',
        'decay',
        `lambda_${i} <= c ${i}^(-p) implied by the bounds`,
        `the least bound the bounds give for lambda_${i} is ${valueText(beta!.num, beta!.den)}, above ${c} * ${i}^(-${p})`,
      );
  }
  return { c, p };
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
