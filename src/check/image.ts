/**
 * Format /3 (docs/certificates.md 4.8, lemmas L9, L10): the automorphisms a
 * proof declares in `maps` (A1-A4); the image leaves that close a node by the
 * image of an earlier lemma under one of them and a unit permutation
 * (I1-I3); and the lex leaves that close a node whose path makes the network
 * lexicographically smaller than its image (X1-X3, lex-leader). Every map is verified from the instance the checker read: the
 * point permutation and the label sign the certificate states are checked
 * point by point, never trusted. The rest of the proof walk (paths, lemma
 * order, D4) is proof.ts's.
 */
import { COST, charge } from './cost.js';
import { describe, isRejection, readArray, readIndex, readObject, readRat } from './fields.js';
import type { Instance } from './instance.js';
import { type JsonObject, type JsonValue, fieldPath } from './json.js';
import { Rat, sumRats } from './rational.js';
import { Rejection } from './rejection.js';
import { type CaseWeights, boundRows, caseText } from './rows.js';

/** A map the checker verified (A1-A4): its point permutation and label sign. */
export interface CheckedMap {
  points: number[];
  labelSign: Rat;
}

/**
 * A1-A4: `maps` is a list of {"linear": d rows of d numbers, "shift": d
 * numbers, "points": a permutation of the n point indices, "labels": 1 or
 * -1}, and each one is an automorphism of the instance: A2 linear x_i +
 * shift = x_points[i] for every point i, A3 y_points[i] = labels * y_i, A4
 * where the cases carry bound rows on the hidden weights (rows.ts
 * boundRows), shift = 0 and every column of linear has absolute sum <= 1.
 */
export function readMaps(v: JsonValue | undefined, path: string, inst: Instance): CheckedMap[] | Rejection {
  const list = readArray(v, 'A1', path);
  if (isRejection(list)) return list;
  const out: CheckedMap[] = [];
  for (const [g, item] of list.items.entries()) {
    const map = readMap(item, fieldPath(path, g), inst);
    if (isRejection(map)) return map;
    out.push(map);
  }
  return out;
}

/** A list of exactly `length` numbers (A1). */
function readVector(v: JsonValue | undefined, path: string, length: number): Rat[] | Rejection {
  const list = readArray(v, 'A1', path);
  if (isRejection(list)) return list;
  if (list.items.length !== length) return new Rejection('A1', path, `${length} numbers`, `${list.items.length}`);
  const out: Rat[] = [];
  for (const [t, item] of list.items.entries()) {
    const r = readRat(item, 'A1', fieldPath(path, t));
    if (isRejection(r)) return r;
    out.push(r);
  }
  return out;
}

/** A1-A4 for one map. */
function readMap(item: JsonValue | undefined, path: string, inst: Instance): CheckedMap | Rejection {
  const { n, d } = inst;
  const obj = readObject(item, 'A1', path, ['linear', 'shift', 'points', 'labels']);
  if (isRejection(obj)) return obj;
  const linearPath = fieldPath(path, 'linear');
  const rows = readArray(obj.entries.get('linear'), 'A1', linearPath);
  if (isRejection(rows)) return rows;
  if (rows.items.length !== d) return new Rejection('A1', linearPath, `${d} rows`, `${rows.items.length}`);
  const linear: Rat[][] = [];
  for (const [r, row] of rows.items.entries()) {
    const vector = readVector(row, fieldPath(linearPath, r), d);
    if (isRejection(vector)) return vector;
    linear.push(vector);
  }
  const shift = readVector(obj.entries.get('shift'), fieldPath(path, 'shift'), d);
  if (isRejection(shift)) return shift;
  const points = readPermutation(obj.entries.get('points'), 'A1', fieldPath(path, 'points'), n, 'point');
  if (isRejection(points)) return points;
  const labelsPath = fieldPath(path, 'labels');
  const s = obj.entries.get('labels');
  if (s?.type !== 'number' || (s.text !== '1' && s.text !== '-1')) return new Rejection('A1', labelsPath, '1 or -1 (the label sign)', describe(s));
  const labelSign = s.text === '1' ? Rat.ONE : Rat.MINUS_ONE;
  // A2: T(x_i) = x_pi(i), coordinate by coordinate
  for (const [i, x] of inst.points.entries()) {
    const target = inst.points[points[i]!]!;
    for (let r = 0; r < d; r++) {
      const image = sumRats(linear[r]!.map((a, t) => a.mul(x[t]!))).add(shift[r]!);
      if (!image.eq(target[r]!))
        return new Rejection(
          'A2',
          fieldPath(path, 'points'),
          `coordinate ${r} of the image of point ${i} equal to that of point ${points[i]}, ${target[r]}`,
          image.toString(),
        );
    }
  }
  // A3: y_pi(i) = s y_i
  for (const [i, y] of inst.labels.entries())
    if (!inst.labels[points[i]!]!.eq(labelSign.mul(y)))
      return new Rejection(
        'A3',
        labelsPath,
        `label ${labelSign.mul(y)} at point ${points[i]} (the image of point ${i}, label ${y})`,
        `${inst.labels[points[i]!]}`,
      );
  // A4: under bound rows, only maps that keep every weight box
  if (boundRows(inst) !== undefined) {
    if (shift.some((t) => !t.isZero()))
      return new Rejection('A4', fieldPath(path, 'shift'), 'no translation (the cases carry weight-bound rows)', 'a nonzero shift');
    for (let t = 0; t < d; t++) {
      const column = sumRats(linear.map((row) => row[t]!.abs()));
      if (Rat.ONE.lt(column))
        return new Rejection('A4', linearPath, `column ${t} with absolute sum <= 1 (the cases carry weight-bound rows)`, column.toString());
    }
  }
  return { points, labelSign };
}

/** A list of the m indices 0..m-1, each once, as JSON integers. */
function readPermutation(v: JsonValue | undefined, rule: string, path: string, m: number, what: string): number[] | Rejection {
  const list = readArray(v, rule, path);
  if (isRejection(list)) return list;
  if (list.items.length !== m) return new Rejection(rule, path, `a permutation of the ${m} ${what} indices`, `${list.items.length} entries`);
  const seen = new Uint8Array(m);
  const out: number[] = [];
  for (const [t, item] of list.items.entries()) {
    const x = readIndex(item, rule, fieldPath(path, t), m, what);
    if (isRejection(x)) return x;
    if (seen[x] === 1) return new Rejection(rule, fieldPath(path, t), `a permutation of the ${m} ${what} indices (each once)`, `${x} again`);
    seen[x] = 1;
    out.push(x);
  }
  return out;
}

/** What an image leaf needs of a lemma: its assumed literals, and whether its proof depends on the order of L5. */
export interface ImageSource {
  assume: { unit: number; point: number; active: boolean }[];
  /** the lemma's proof has a symmetry leaf, or a lemma leaf naming such a lemma (L9: not mapped) */
  ordered: boolean;
}

/** Where a leaf sits: the instance and the proof's maps, its case, the literals of its path. */
export interface LeafSite {
  inst: Instance;
  maps: readonly CheckedMap[];
  a: CaseWeights;
  /** the leaf's path: `j:i` -> ACT (true) or INACT (false) */
  literals: ReadonlyMap<string, boolean>;
  /** is the case labelled `text` one of the cases of P1? */
  isCase: (text: string) => boolean;
}

/** Where an image leaf sits, and the lemmas it may name. */
export interface ImageSite<L extends ImageSource> extends LeafSite {
  /**
   * The lemmas of the case labelled `text` that this leaf may name (those
   * of a case listed before the leaf's, those before `usable` in its own
   * case), or a sentence saying why none (a case listed later, or none).
   */
  lemmasOf: (text: string) => { lemmas: readonly L[]; usable: number } | string;
}

/** A map and a unit permutation as a leaf names them, and the case they send into the leaf's case. */
interface Element {
  map: CheckedMap;
  units: number[];
  /** the case with output weights s * a[units[j]] (a the leaf's case): where the image network lies */
  source: CaseWeights;
}

/** The identity map of each instance's points, label sign 1: built once per instance. */
const identityMaps = new WeakMap<Instance, CheckedMap>();

/**
 * The identity map of the instance's points (label sign 1), the map of a lex
 * or image leaf that names none. Built once per instance and charged then, a
 * lookup per point: built for every such leaf, a certificate of many leaves
 * over many points cost n per leaf, uncharged (docs/certificates.md section 6).
 */
function identityMap(inst: Instance): CheckedMap {
  let map = identityMaps.get(inst);
  if (map === undefined) {
    charge(inst.n * COST.lookup);
    map = { points: Array.from({ length: inst.n }, (_, i) => i), labelSign: Rat.ONE };
    identityMaps.set(inst, map);
  }
  return map;
}

/**
 * The optional fields `map` (an index into `maps`; absent: the identity,
 * label sign 1) and `units` (a permutation of the k units; absent: the
 * identity) of an image or lex leaf, under the leaf's field rule, and the
 * source case they give.
 */
function readElement(obj: JsonObject, path: string, site: LeafSite, rule: string): Element | Rejection {
  const k = site.inst.hidden;
  let map: CheckedMap;
  if (obj.entries.has('map')) {
    if (site.maps.length === 0) return new Rejection(rule, fieldPath(path, 'map'), 'no map (the proof declares none)', describe(obj.entries.get('map')));
    const g = readIndex(obj.entries.get('map'), rule, fieldPath(path, 'map'), site.maps.length, 'a map of proof.maps');
    if (isRejection(g)) return g;
    map = site.maps[g]!;
  } else map = identityMap(site.inst);
  const units = obj.entries.has('units')
    ? readPermutation(obj.entries.get('units'), rule, fieldPath(path, 'units'), k, 'unit')
    : Array.from({ length: k }, (_, j) => j);
  if (isRejection(units)) return units;
  const a = site.a;
  return { map, units, source: a === 'free' ? 'free' : units.map((r) => map.labelSign.mul(a[r]!)) };
}

/**
 * I1-I3, an image leaf {"leaf": "image", "lemma": m, "map": g?, "units":
 * rho?} (lemma L9): I1 the fields, `map` an index into `maps` (absent: the
 * identity, label sign 1), `units` a permutation of the k units (absent: the
 * identity); I2 the case whose output weights are s a_rho(j) (a those of the
 * leaf's case) is a case of P1, lemma m of it may be named here, and its
 * proof does not depend on an order (no symmetry or lex leaf, L5, L10); I3
 * for every literal (j, i) the lemma assumes, the literal (rho(j), pi(i)) of
 * the same polarity is on the path. Returns the lemma used.
 */
export function checkImageLeaf<L extends ImageSource>(node: JsonObject, path: string, site: ImageSite<L>): L | Rejection {
  const obj = readObject(node, 'I1', path, ['leaf', 'lemma'], ['map', 'units']);
  if (isRejection(obj)) return obj;
  const element = readElement(obj, path, site, 'I1');
  if (isRejection(element)) return element;
  const { map, units, source } = element;
  // I2: the case the lemma belongs to, computed from the leaf's case
  const lemmaPath = fieldPath(path, 'lemma');
  const found = site.lemmasOf(caseText(source));
  if (typeof found === 'string') return new Rejection('I2', lemmaPath, `a lemma of case ${caseText(source)} (output weights s * a[units[j]])`, found);
  if (found.usable === 0) return new Rejection('I2', lemmaPath, `a lemma of case ${caseText(source)} that may be named here`, 'none may');
  const m = readIndex(obj.entries.get('lemma'), 'I2', lemmaPath, found.usable, `a lemma of case ${caseText(source)} that may be named here`);
  if (isRejection(m)) return m;
  const lemma = found.lemmas[m]!;
  if (lemma.ordered)
    return new Rejection(
      'I2',
      lemmaPath,
      'a lemma whose proof does not depend on an order (no symmetry or lex leaf, directly or through its lemmas)',
      'one that does',
    );
  // I3: the image of every assumed literal on the path
  charge(lemma.assume.length * COST.lookup);
  for (const l of lemma.assume) {
    const j = units[l.unit]!;
    const i = map.points[l.point]!;
    const got = site.literals.get(`${j}:${i}`);
    if (got !== l.active)
      return new Rejection(
        'I3',
        path,
        `the image ${l.active ? 'ACT' : 'INACT'}(${j},${i}) of the assumed ${l.active ? 'ACT' : 'INACT'}(${l.unit},${l.point}) on the path`,
        got === undefined ? 'no literal on that unit and point' : `${got ? 'ACT' : 'INACT'}(${j},${i})`,
      );
  }
  return lemma;
}

/**
 * X1-X3, a lex leaf {"leaf": "lex", "unit": j, "point": i, "map": g?,
 * "units": rho?} (lemma L10, lex-leader): X1 the fields, as for an image
 * leaf, with j < k and i < n; X2 the case of the image network (output
 * weights s a_rho(j)) is a case of P1, computed here; X3 with positions in
 * unit-major order ((j', i') before (j, i) when j' < j, or j' = j and
 * i' < i) and phi(j', i') = (rho(j'), pi(i')): phi moves (j, i); at every
 * position before it that phi moves, the path holds literals of the same
 * polarity at the position and at its image; and it holds INACT(j, i) and
 * ACT(phi(j, i)). So the network's literals, read in that order with ACT
 * above INACT, are below those of its image: it is not lex-leading.
 */
export function checkLexLeaf(node: JsonObject, path: string, site: LeafSite): Rejection | undefined {
  const obj = readObject(node, 'X1', path, ['leaf', 'unit', 'point'], ['map', 'units']);
  if (isRejection(obj)) return obj;
  const { hidden: k, n } = site.inst;
  const unit = readIndex(obj.entries.get('unit'), 'X1', fieldPath(path, 'unit'), k, 'unit');
  if (isRejection(unit)) return unit;
  const point = readIndex(obj.entries.get('point'), 'X1', fieldPath(path, 'point'), n, 'point');
  if (isRejection(point)) return point;
  const element = readElement(obj, path, site, 'X1');
  if (isRejection(element)) return element;
  const { map, units, source } = element;
  // X2: the image network lies in a case
  if (!site.isCase(caseText(source)))
    return new Rejection('X2', path, `a map and units sending case ${caseText(site.a)} to a case of P1`, `output weights ${caseText(source)}`);
  // X3: equal up to (unit, point), smaller there
  const show = (v: boolean | undefined): string => (v === undefined ? 'no literal' : v ? 'ACT' : 'INACT');
  charge(2 * (unit * n + point + 1) * COST.lookup);
  for (let j = 0; j <= unit; j++)
    for (let i = 0; i < (j === unit ? point : n); i++) {
      const [j2, i2] = [units[j]!, map.points[i]!];
      if (j2 === j && i2 === i) continue;
      const x = site.literals.get(`${j}:${i}`);
      const y = site.literals.get(`${j2}:${i2}`);
      if (x === undefined || x !== y)
        return new Rejection('X3', path, `equal literals at (${j},${i}) and its image (${j2},${i2}) (before (${unit},${point}))`, `${show(x)} and ${show(y)}`);
    }
  const [j2, i2] = [units[unit]!, map.points[point]!];
  if (j2 === unit && i2 === point) return new Rejection('X3', path, `a position the map and units move`, `(${unit},${point}), which they keep`);
  const x = site.literals.get(`${unit}:${point}`);
  const y = site.literals.get(`${j2}:${i2}`);
  if (x !== false || y !== true) return new Rejection('X3', path, `INACT(${unit},${point}) and ACT(${j2},${i2}) on the path`, `${show(x)} and ${show(y)}`);
  return undefined;
}
