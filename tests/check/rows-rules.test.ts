/**
 * What the checker rebuilds from the instance alone (src/check/rows.ts): the
 * cases and bound rows of table P1, and every constraint row of
 * docs/certificates.md section 4.3 from its name, written out term by term
 * for each activation, output-weight mode and loss; and every sentence
 * rowNamed answers for a name that is not a row of the leaf (clause F1),
 * asserted whole (docs/mutation.md: these tests kill the mutants of rows.ts
 * that the certificate-level tests left alive).
 */
import { describe, expect, it } from 'vitest';
import { type Instance, readInstance } from '../../src/check/instance.js';
import { isJsonError, parseJson } from '../../src/check/json.js';
import { Rat } from '../../src/check/rational.js';
import { Rejection } from '../../src/check/rejection.js';
import { COST, metered } from '../../src/check/cost.js';
import {
  type CaseWeights,
  MAX_CACHED,
  type PathLiterals,
  type Row,
  boundRows,
  caseSystem,
  caseText,
  expectedCases,
  lemmasApplied,
  outputBoundRows,
  rowNamed,
} from '../../src/check/rows.js';
import { type Json, makeInstance } from './helpers.js';

function inst(obj: Json): Instance {
  const v = parseJson(JSON.stringify(obj));
  if (isJsonError(v)) throw new Error(v.message);
  const r = readInstance(v, 'instance');
  if (r instanceof Rejection) throw new Error(JSON.stringify(r));
  return r;
}

const q = (text: string): Rat => Rat.parse(text)!;
const ws = (...xs: string[]): Rat[] => xs.map(q);

/** A row as text: its non-zero terms sorted by variable ("-1 z:0:1 + 2 w:0:0"), its sense and right-hand side. */
function rowText(r: Row | string): string {
  if (typeof r === 'string') return `(no row: ${r})`;
  const terms = [...r.coefs].filter(([, c]) => !c.isZero()).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${terms.map(([v, c]) => `${c} ${v}`).join(' + ') || '0'} ${r.sense} ${r.rhs}`;
}

/** lits as [unit, point, ACT?] */
const path = (...lits: Array<[number, number, boolean]>): PathLiterals => new Map(lits.map(([j, i, a]) => [`${j}:${i}`, a]));
const NONE = path();

/** The rows called `names` in the case `a` of this instance, below the literals `lits`. */
function rows(instance: Instance, a: CaseWeights, names: string[], lits: PathLiterals = NONE): Record<string, string> {
  const sys = caseSystem(instance, a);
  return Object.fromEntries(names.map((n) => [n, rowText(rowNamed(sys, n, lits))]));
}

/**
 * 2 units; points (1, 2), (-1, 3), (0, -2): n = 3, d = 2, so that point and
 * coordinate ranges differ; labels 1, -1/2, 2.
 */
const POINTS = {
  points: [
    ['1', '2'],
    ['-1', '3'],
    ['0', '-2'],
  ],
  labels: ['1', '-1/2', '2'],
};

/** Labels 1, -1, 1 for classification. */
const CLS = { ...POINTS, labels: ['1', '-1', '1'], loss: { type: 'classification' } };

describe('section 4.3: each row, term by term', () => {
  it.each<[string, Json, Json, CaseWeights, PathLiterals, Record<string, string>]>([
    // [case, instance fields, architecture fields, case weights, literals on the path, the rows by name]
    [
      'ReLU, signs, output bias, weightBound 2, l1 loss <= 3',
      { ...POINTS, loss: { type: 'l1', bound: '3' } },
      { hidden: 2, outputBias: true, weightBound: '2' },
      ws('1', '-1'),
      path([0, 1, true], [1, 0, false]),
      {
        'zlb:0:1': '-1 z:0:1 <= 0',
        'zh:1:1': '1 b:1 + -1 w:1:0 + 3 w:1:1 + -1 z:1:1 <= 0',
        'wub:1:1': '1 w:1:1 <= 2',
        'wlb:0:0': '-1 w:0:0 <= 2',
        'bub:1': '1 b:1 <= 2',
        'blb:0': '-1 b:0 <= 2',
        'l1p:1': '1 c + -1 e:1 + 1 z:0:1 + -1 z:1:1 <= -1/2',
        'l1n:2': '-1 c + -1 e:2 + -1 z:0:2 + 1 z:1:2 <= -2',
        l1sum: '1 e:0 + 1 e:1 + 1 e:2 <= 3',
        'act:0:1': '-1 b:0 + 1 w:0:0 + -3 w:0:1 <= 0',
        'actv:0:1': '-1 b:0 + 1 w:0:0 + -3 w:0:1 + 1 z:0:1 = 0',
        'inact:1:0': '1 b:1 + 1 w:1:0 + 2 w:1:1 <= 0',
        'inactv:1:0': '1 z:1:0 = 0',
      },
    ],
    [
      'leaky ReLU of slope 1/10, free output weights bounded by 2 (rows at B^2 = 4), strict linf loss < 1/2',
      { ...POINTS, loss: { type: 'linf', bound: '1/2', strict: true } },
      { activation: 'leaky-relu', slope: '1/10', outputWeights: 'free', weightBound: '2', boundOutputWeights: true },
      ws('-1'),
      path([0, 2, false]),
      {
        'zlb:0:1': '1/10 b:0 + -1/10 w:0:0 + 3/10 w:0:1 + -1 z:0:1 <= 0',
        'zh:0:0': '1 b:0 + 1 w:0:0 + 2 w:0:1 + -1 z:0:0 <= 0',
        'wub:0:1': '1 w:0:1 <= 4',
        'bub:0': '1 b:0 <= 4',
        'linfu:1': '-1 z:0:1 < 0',
        'linfl:2': '1 z:0:2 < -3/2',
        'inactv:0:2': '-1/10 b:0 + 1/5 w:0:1 + 1 z:0:2 = 0',
      },
    ],
    [
      'ReLU, a list of output weights, no bias, linf loss <= 1',
      { ...POINTS, loss: { type: 'linf', bound: '1' } },
      { hidden: 2, outputWeights: ['2', '1/2'] },
      ws('2', '1/2'),
      NONE,
      {
        'linfu:0': '2 z:0:0 + 1/2 z:1:0 <= 2',
        'linfl:1': '-2 z:0:1 + -1/2 z:1:1 <= 3/2',
      },
    ],
    [
      'ReLU, a list of output weights, strict l1 loss < 1',
      { ...POINTS, loss: { type: 'l1', bound: '1', strict: true } },
      { hidden: 2, outputWeights: ['2', '1/2'] },
      ws('2', '1/2'),
      NONE,
      {
        l1sum: '1 e:0 + 1 e:1 + 1 e:2 < 1',
      },
    ],
    [
      'threshold units, fixed output weights (s), exact loss: a weightBound gives no bound rows',
      POINTS,
      { hidden: 2, activation: 'threshold', outputWeights: 'positive', outputBias: true, weightBound: '2' },
      ws('1', '1'),
      path([1, 2, true], [0, 0, false]),
      {
        'slb:0:1': '-1 s:0:1 <= 0',
        'sub:1:2': '1 s:1:2 <= 1',
        'fit:1': '1 c + 1 s:0:1 + 1 s:1:1 = -1/2',
        'act:1:2': '-1 b:1 + 2 w:1:1 <= -1',
        'actv:1:2': '1 s:1:2 = 1',
        'inact:0:0': '1 b:0 + 1 w:0:0 + 2 w:0:1 <= 0',
        'inactv:0:0': '1 s:0:0 = 0',
        'wub:0:0': '(no row: wub rows exist only for a weightBound on ReLU or leaky ReLU units with output weights fixed by the case or bounded)',
        'zh:0:0': '(no row: zh rows exist only for ReLU and leaky ReLU units)',
      },
    ],
    [
      'threshold units, free output weights bounded by 3 (p, aub, alb), classification without margin',
      CLS,
      { hidden: 2, activation: 'threshold', outputWeights: 'free', weightBound: '3', boundOutputWeights: true },
      'free',
      path([0, 1, true], [1, 1, false]),
      {
        'aub:1': '1 a:1 <= 3',
        'alb:0': '-1 a:0 <= 3',
        'cls:1': '1 p:0:1 + 1 p:1:1 < 0',
        'actv:0:1': '-1 a:0 + 1 p:0:1 = 0',
        'inactv:1:1': '1 p:1:1 = 0',
        'slb:0:0': '(no row: slb rows exist only for threshold units with fixed output weights)',
        'wub:0:0': '(no row: wub rows exist only for a weightBound on ReLU or leaky ReLU units with output weights fixed by the case or bounded)',
      },
    ],
    [
      'classification with margin 1 (L3: ReLU, no bound rows)',
      CLS,
      { hidden: 2 },
      ws('1', '-1'),
      NONE,
      {
        'cls:0': '-1 z:0:0 + 1 z:1:0 <= -1',
        'cls:1': '1 z:0:1 + -1 z:1:1 <= -1',
        'fit:0': '(no row: fit rows exist only for loss exact)',
      },
    ],
    [
      'classification with margin 1 (L3: threshold, free output weights); no aub without boundOutputWeights',
      CLS,
      { hidden: 2, activation: 'threshold', outputWeights: 'free', weightBound: '3' },
      'free',
      NONE,
      {
        'cls:2': '-1 p:0:2 + -1 p:1:2 <= -1',
        'aub:0': '(no row: aub rows exist only for boundOutputWeights on threshold units)',
      },
    ],
  ])('%s', (_case, over, arch, a, lits, want) => {
    expect(rows(inst(makeInstance(over, arch)), a, Object.keys(want), lits)).toEqual(want);
  });

  it('a row is the same when asked for again (in the same leaf or another)', () => {
    const I = inst(makeInstance({ ...POINTS }, { hidden: 2 }));
    const sys = caseSystem(I, ws('1', '1'));
    const first = rowText(rowNamed(sys, 'zh:0:1', NONE));
    expect(rowText(rowNamed(sys, 'zh:0:1', NONE))).toBe(first);
    expect(rowText(rowNamed(sys, 'act:0:1', NONE))).toBe('(no row: ACT(0,1) is not on the path)');
    expect(rowText(rowNamed(sys, 'act:0:1', path([0, 1, true])))).toBe('-1 b:0 + 1 w:0:0 + -3 w:0:1 <= 0');
    expect(rowText(rowNamed(sys, 'act:0:1', NONE))).toBe('(no row: ACT(0,1) is not on the path)');
  });
});

describe('F1: names that are not a row of the leaf', () => {
  // k = 2 units, n = 3 points, d = 2 coordinates
  const I = inst(makeInstance({ ...POINTS, loss: { type: 'l1', bound: '1' } }, { hidden: 2, weightBound: '1' }));
  const KINDS = 'zlb, zh, slb, sub, wub, wlb, bub, blb, aub, alb, fit, l1p, l1n, l1sum, linfu, linfl, cls, env, act, actv, inact, inactv';
  const point = 'l1p:i needs one point index i from 0 to 2';
  const unitPoint = 'zh:j:i needs a unit index j from 0 to 1 and a point index i from 0 to 2';
  const unitCoordinate = 'wub:j:t needs a unit index j from 0 to 1 and a coordinate t from 0 to 1';
  const unit = 'bub:j needs one unit index j from 0 to 1';
  it.each<[string, string]>([
    ['zz:0:0', `no row kind "zz" (known: ${KINDS})`],
    ['', `no row kind "" (known: ${KINDS})`],
    ['l1sum:0', 'l1sum takes no index'],
    ['l1sum:', 'l1sum takes no index'],
    ['l1p', point],
    ['l1p:3', point],
    ['l1p:x', point],
    ['l1p:01', point],
    ['l1p:0:0', point],
    ['zh:0', unitPoint],
    ['zh:2:0', unitPoint],
    ['zh:0:3', unitPoint],
    ['zh:x:0', unitPoint],
    ['zh:0:x', unitPoint],
    ['zh:0:0:0', unitPoint],
    ['wub:0', unitCoordinate],
    ['wub:2:0', unitCoordinate],
    ['wub:0:2', unitCoordinate],
    ['wub:x:0', unitCoordinate],
    ['wub:0:x', unitCoordinate],
    ['wub:0:0:0', unitCoordinate],
    ['bub', unit],
    ['bub:2', unit],
    ['bub:x', unit],
    ['bub:0:0', unit],
    ['inact:1:2', 'INACT(1,2) is not on the path'],
    ['act:1:2', 'ACT(1,2) is not on the path'],
  ])('%s', (name, why) => {
    // ACT(1,2) on the path: inact:1:2 is not a row, act:1:2 is; INACT(1,2) nowhere for the act test
    const lits = name === 'inact:1:2' ? path([1, 2, true]) : NONE;
    expect(rowNamed(caseSystem(I, ws('1', '1')), name, lits)).toBe(why);
  });
  it('the last index of each range is a row', () => {
    expect(rows(I, ws('1', '1'), ['l1p:2', 'zh:1:2', 'wub:1:1', 'bub:1'])).toEqual({
      'l1p:2': '-1 e:2 + 1 z:0:2 + 1 z:1:2 <= 2',
      'zh:1:2': '1 b:1 + -2 w:1:1 + -1 z:1:2 <= 0',
      'wub:1:1': '1 w:1:1 <= 1',
      'bub:1': '1 b:1 <= 1',
    });
  });
});

describe('P1: cases, bound rows and lemmas from the instance', () => {
  const arch = (a: Json, loss: Json = { type: 'exact' }): Instance =>
    inst(makeInstance({ labels: loss.type === 'classification' ? ['1', '-1', '1'] : ['1', '0', '1'], loss }, { hidden: 2, ...a }));
  it('boundRows: B for fixed output weights, B^2 for free bounded ones, none for threshold or no bound', () => {
    expect(boundRows(arch({}))).toBeUndefined();
    expect(boundRows(arch({ weightBound: '2' }))).toEqual(q('2'));
    expect(boundRows(arch({ weightBound: '2', outputWeights: ['1', '3'] }))).toEqual(q('2'));
    expect(boundRows(arch({ activation: 'leaky-relu', slope: '1/2', weightBound: '3/2', outputWeights: 'free', boundOutputWeights: true }))).toEqual(q('9/4'));
    expect(boundRows(arch({ weightBound: '2', outputWeights: 'free' }))).toBeUndefined();
    expect(boundRows(arch({ activation: 'threshold', weightBound: '2' }))).toBeUndefined();
    expect(boundRows(arch({ activation: 'threshold', weightBound: '2', outputWeights: 'free', boundOutputWeights: true }))).toBeUndefined();
  });
  it('outputBoundRows: threshold units with free output weights bounded by B only', () => {
    expect(outputBoundRows(arch({ activation: 'threshold', weightBound: '2', outputWeights: 'free', boundOutputWeights: true }))).toBe(true);
    expect(outputBoundRows(arch({ activation: 'threshold', weightBound: '2', outputWeights: 'free' }))).toBe(false);
    expect(outputBoundRows(arch({ weightBound: '2', outputWeights: 'free', boundOutputWeights: true }))).toBe(false);
    expect(outputBoundRows(arch({ activation: 'threshold', outputWeights: 'free' }))).toBe(false);
  });
  it('expectedCases and caseText', () => {
    expect(expectedCases(arch({})).map(caseText)).toEqual(['(1, 1)', '(-1, 1)', '(-1, -1)']);
    expect(expectedCases(arch({ outputWeights: 'free' })).map(caseText)).toEqual(['(1, 1)', '(-1, 1)', '(-1, -1)']);
    expect(expectedCases(arch({ activation: 'threshold', outputWeights: 'free' })).map(caseText)).toEqual(['free']);
    expect(expectedCases(arch({ activation: 'threshold', outputWeights: 'positive' })).map(caseText)).toEqual(['(1, 1)']);
    expect(expectedCases(arch({ outputWeights: ['1/2', '-3'] })).map(caseText)).toEqual(['(1/2, -3)']);
  });
  it('lemmasApplied', () => {
    expect(lemmasApplied(arch({}))).toEqual(['L4']);
    expect(lemmasApplied(arch({ outputWeights: 'free' }, { type: 'classification' }))).toEqual(['L1', 'L3', 'L4']);
    expect(lemmasApplied(arch({ weightBound: '1' }, { type: 'classification' }))).toEqual(['L4']);
    expect(lemmasApplied(arch({ activation: 'threshold', outputWeights: 'free' }, { type: 'classification' }))).toEqual(['L2', 'L3']);
    expect(
      lemmasApplied(arch({ activation: 'threshold', outputWeights: 'free', weightBound: '1', boundOutputWeights: true }, { type: 'classification' })),
    ).toEqual(['L2']);
    expect(lemmasApplied(arch({ activation: 'threshold' }, { type: 'classification' }))).toEqual(['L2', 'L4']);
    expect(lemmasApplied(arch({ outputWeights: 'positive' }))).toEqual([]);
  });
});

describe('the rows a case keeps built (docs/certificates.md section 6)', () => {
  /** One unit on points of dimension d: a row zh:0:i has d + 2 coefficients (w:0:t for each t, b:0, z:0:i). */
  const wide = (d: number, n = 2): Instance =>
    inst(makeInstance({ points: Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, t) => String(i + t + 1))), labels: Array(n).fill('0') }));
  const spent = (work: () => unknown): number => {
    let units = 0;
    metered(work, Number.MAX_SAFE_INTEGER, (u) => (units = u));
    return units;
  };
  it('a row built once is looked up after: the second use costs one lookup', () => {
    const sys = caseSystem(wide(10), ws('1'));
    const first = spent(() => rowNamed(sys, 'zh:0:0', NONE));
    expect(first).toBeGreaterThan(12 * COST.coefficient);
    expect(spent(() => rowNamed(sys, 'zh:0:0', NONE))).toBe(COST.lookup);
    expect(sys.cached).toBe(12);
    expect([...sys.built.keys()]).toEqual(['zh:0:0']);
  });
  it('up to MAX_CACHED coefficients in all: a row that would pass it is built again at each use, and the rows are the same', () => {
    // d + 2 = MAX_CACHED / 2: two rows fill the cache exactly, a third is not kept
    const d = MAX_CACHED / 2 - 2;
    const sys = caseSystem(wide(d, 3), ws('1'));
    for (const i of [0, 1]) rowNamed(sys, `zh:0:${i}`, NONE);
    expect(sys.cached).toBe(MAX_CACHED);
    const third = rowNamed(sys, 'zh:0:2', NONE);
    expect(sys.cached).toBe(MAX_CACHED);
    expect([...sys.built.keys()]).toEqual(['zh:0:0', 'zh:0:1']);
    const again = spent(() => rowNamed(sys, 'zh:0:2', NONE));
    expect(again).toBeGreaterThan((MAX_CACHED / 2) * COST.coefficient);
    expect(rowText(rowNamed(sys, 'zh:0:2', NONE))).toBe(rowText(third));
    // a row of more than MAX_CACHED coefficients alone is never kept
    const huge = caseSystem(wide(MAX_CACHED), ws('1'));
    rowNamed(huge, 'zh:0:0', NONE);
    expect(huge.cached).toBe(0);
    expect(huge.built.size).toBe(0);
  });
});
