/**
 * relucert-gram-certificate/1 (docs/gram-certificates.md): named accept and
 * reject cases for every clause G1-G10, and properties: certificates with the
 * exact values as claims are accepted, and lowering any one claim below its
 * exact value is rejected under G8 / G9.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CheckOutcome, GramValid } from '../../src/check/index.js';
import { Q, parseRational } from '../../src/core/rational.js';
import { toInstance } from '../../src/format/schema.js';
import { instanceHash } from '../../src/format/write.js';
import { certifyGram } from '../../src/learn/gram.js';
import { parseKernel } from '../../src/learn/kernel.js';
import { gramQ, schurSteps } from '../learn/schur-reference.js';
import { type Json, clone, makeInstance, checkGramText } from './helpers.js';

const points = [
  ['0', '1'],
  ['1/2', '-1'],
  ['2', '0'],
  ['-1', '1/3'],
  ['1', '1'],
  ['0', '-2'],
];
const base = makeInstance({ name: 'six', points, labels: points.map(() => '0') });

/** The certificate relucert gram writes for an instance object. */
function produced(instance: Json, kernel = 'poly:2', pivots = 3, decay?: { c?: Q; p: Q }): Json {
  return JSON.parse(certifyGram(toInstance(instance, 'test'), parseKernel(kernel), { pivots, ...(decay ? { decay } : {}) }).text);
}

/** A certificate with the exact values (from the plain rational reference) as its claims, for any pivot order. */
function exactCert(instance: Json, pivots: number[], degree = 2, offset = '1'): Json {
  const inst = toInstance(instance, 'test');
  const steps = schurSteps(gramQ(inst.points, degree, parseRational(offset)!), pivots)!;
  return {
    format: 'relucert-gram-certificate/1',
    instanceHash: instanceHash(inst),
    instance,
    kernel: { type: 'polynomial', degree, offset },
    pivots,
    bounds: steps.map((s, r) => ({ r, tail: s.trace.toString(), next: sqrtUp(s.frobenius2).toString() })),
  };
}

/** A rational >= sqrt(x) (x >= 0), within 1e-9 relative. */
function sqrtUp(x: Q): Q {
  if (x.isZero()) return Q.ZERO;
  let u = Q.of(BigInt(Math.ceil(Math.sqrt(x.toNumber()) * 1e9)) + 1n, 1_000_000_000n);
  while (u.mul(u).lt(x)) u = u.mul(Q.of(1_000_000_001n, 1_000_000_000n));
  return u;
}

/** c minus one unit in its third significant digit ("85.2" -> 85.1, "145" -> 144). */
function belowLeast(c: string): string {
  const x = parseRational(c)!;
  let unit = Q.ONE;
  while (x.div(unit).ge(Q.of(1000n))) unit = unit.mul(Q.of(10n));
  while (x.div(unit).lt(Q.of(100n))) unit = unit.div(Q.of(10n));
  return x.sub(unit).toString();
}

const check = (cert: Json, instance?: Json): CheckOutcome<GramValid> =>
  checkGramText(JSON.stringify(cert), 'cert.json', instance === undefined ? undefined : JSON.stringify(instance), 'inst.json');

function expectValid(o: CheckOutcome<GramValid>): Extract<CheckOutcome<GramValid>, { status: 'valid' }> {
  if (o.status !== 'valid') expect.fail(`expected valid, got ${JSON.stringify(o)}`);
  return o;
}

function expectRejected(o: CheckOutcome<GramValid>, rule: string, path?: string): void {
  if (o.status !== 'rejected') expect.fail(`expected a rejection (${rule}), got ${JSON.stringify(o)}`);
  expect(o.rule, o.message).toBe(rule);
  if (path !== undefined) expect(o.path, o.message).toBe(path);
}

const good = produced(base, 'poly:2', 3, { p: Q.ONE });

describe('accepted', () => {
  it('the certificate relucert gram writes, with its decay law, alone and bound to its instance file', () => {
    expect(good.decay).toBeDefined();
    const v = expectValid(check(good));
    expect(v.statement).toContain('on the 6 points of "six"');
    expect(v.statement).toContain('for every i = 1..6');
    expectValid(check(good, base));
  });
  it('no pivots at all (bounds on tr K and ||K||_F)', () => {
    expectValid(check(produced(base, 'poly:2', 0)));
  });
  it('exact values as claims, for a non-greedy pivot order', () => {
    expectValid(check(exactCert(base, [5, 0, 3, 1])));
  });
  it('looser claims', () => {
    const c = clone(good);
    c.bounds[1].tail = '1000000';
    c.bounds[2].next = '1000000000';
    expectValid(check(c));
  });
  it('offset 0, a fractional offset, degree 1 and degree 5', () => {
    for (const k of ['poly:2:0', 'poly:3:1/2', 'poly:1', 'poly:5:2']) expectValid(check(produced(base, k, 4)));
  });
  it('a rank-deficient matrix: the linear kernel on 6 points in d = 2 has rank 3, and the bounds after 3 pivots are 0', () => {
    const c = produced(base, 'poly:1', 5);
    expect(c.pivots.length).toBe(3);
    expect(c.bounds[3]).toEqual({ r: 3, tail: '0', next: '0' });
    expectValid(check(c));
  });
  it('numbers in other spellings ("6/4", decimals, JSON integers)', () => {
    const c = clone(good);
    c.kernel.offset = 1;
    c.bounds[0].tail = `${c.bounds[0].tail}`.includes('.') ? c.bounds[0].tail : `${c.bounds[0].tail}.0`;
    expectValid(check(c));
  });
});

describe('G1: top level', () => {
  it('rejects another format', () => expectRejected(check({ ...good, format: 'relucert-certificate/1' }), 'G1', 'format'));
  it('rejects an unknown field', () => expectRejected(check({ ...good, extra: 1 }), 'G1', 'extra'));
  it('rejects a missing field', () => {
    const c = clone(good);
    delete c.bounds;
    expectRejected(check(c), 'G1', 'bounds');
  });
  it('rejects a repeated key', () => {
    const text = JSON.stringify(good).replace('"kernel":{', '"kernel":{"degree":3,');
    const o = checkGramText(text, 'cert.json');
    expectRejected(o, 'G1', 'kernel.degree');
  });
  it('calls a file that is not JSON, or not an object, bad input', () => {
    expect(checkGramText('{', 'c.json').status).toBe('bad-input');
    expect(checkGramText('[1]', 'c.json').status).toBe('bad-input');
  });
});

describe('G2: instance', () => {
  it('rejects an instance without points', () => {
    const c = clone(good);
    c.instance.points = [];
    expectRejected(check(c), 'G2', 'instance.points');
  });
  it('rejects an instance with a bad number', () => {
    const c = clone(good);
    c.instance.points[1][0] = 0.5;
    expectRejected(check(c), 'G2', 'instance.points[1][0]');
  });
  it('rejects more than 1000 points', () => {
    const many = makeInstance({ points: Array.from({ length: 1001 }, (_, i) => [String(i)]), labels: Array.from({ length: 1001 }, () => '0') });
    const c = { ...clone(good), instance: many, instanceHash: instanceHash(toInstance(many, 't')), pivots: [], bounds: [{ r: 0, tail: '1', next: '1' }] };
    expectRejected(check(c), 'G2', 'instance.points');
  });
});

describe('G3: binding', () => {
  it("rejects a hash that is not the instance's", () => {
    expectRejected(check({ ...good, instanceHash: 'sha256:' + '0'.repeat(64) }), 'G3', 'instanceHash');
  });
  it('rejects a changed point (the hash no longer matches)', () => {
    const c = clone(good);
    c.instance.points[0][0] = '1/7';
    expectRejected(check(c), 'G3', 'instanceHash');
  });
  it('rejects another instance file', () => {
    expectRejected(check(good, makeInstance()), 'G3', 'instanceHash');
  });
  it('calls a broken instance file bad input', () => {
    const o = checkGramText(JSON.stringify(good), 'c.json', '{"format":1}', 'i.json');
    expect(o.status).toBe('bad-input');
  });
});

describe('G4: kernel', () => {
  const withKernel = (k: Json): Json => ({ ...clone(good), kernel: k });
  it('rejects another kernel type', () => expectRejected(check(withKernel({ type: 'rbf', degree: 2, offset: '1' })), 'G4', 'kernel.type'));
  it('rejects degree 0 and 13, and a degree written as a string', () => {
    expectRejected(check(withKernel({ type: 'polynomial', degree: 0, offset: '1' })), 'G4', 'kernel.degree');
    expectRejected(check(withKernel({ type: 'polynomial', degree: 13, offset: '1' })), 'G4', 'kernel.degree');
    expectRejected(check(withKernel({ type: 'polynomial', degree: '2', offset: '1' })), 'G4', 'kernel.degree');
  });
  it('rejects a negative offset (not PSD) and a float offset', () => {
    expectRejected(check(withKernel({ type: 'polynomial', degree: 2, offset: '-1' })), 'G4', 'kernel.offset');
    const text = JSON.stringify(good).replace('"offset":"1"', '"offset":0.5');
    expectRejected(checkGramText(text, 'c.json'), 'G4', 'kernel.offset');
  });
  it('rejects a Gram matrix with entries over 400 digits', () => {
    const big = makeInstance({ points: [['1' + '0'.repeat(60)], ['1']], labels: ['0', '0'] });
    const c = {
      ...clone(good),
      instance: big,
      instanceHash: instanceHash(toInstance(big, 't')),
      kernel: { type: 'polynomial', degree: 4, offset: '1' },
      pivots: [],
      bounds: [{ r: 0, tail: '1', next: '1' }],
    };
    expectRejected(check(c), 'G4', 'kernel');
  });
  it('rejects before any large power: a 999-digit coordinate, a common denominator over 400 digits, an offset over 400 digits', () => {
    const withPoints = (pts: string[][], offset = '1'): Json => {
      const inst = makeInstance({ points: pts, labels: pts.map(() => '0') });
      return {
        ...clone(good),
        instance: inst,
        instanceHash: instanceHash(toInstance(inst, 't')),
        kernel: { type: 'polynomial', degree: 12, offset },
        pivots: [],
        bounds: [{ r: 0, tail: '1', next: '1' }],
      };
    };
    expectRejected(check(withPoints([['9'.repeat(999)], ['1']])), 'G4', 'kernel');
    // a coordinate written with more than 1000 digits is refused from its text, before it is read (G2)
    expectRejected(check(withPoints([['9'.repeat(1001)], ['1']])), 'G2', 'instance.points[0][0]');
    expectRejected(check(withPoints([[`1/${'7'.repeat(250)}`], [`1/${'3'.repeat(250)}`]])), 'G4', 'kernel');
    expectRejected(check(withPoints([['1'], ['2']], `1/${'1'.repeat(401)}`)), 'G4', 'kernel');
  });
});

describe('G5: pivots', () => {
  const withPivots = (p: Json): Json => ({ ...clone(good), pivots: p });
  it('rejects an index out of range, a repeated index and a string index', () => {
    expectRejected(check(withPivots([0, 6, 1])), 'G5', 'pivots[1]');
    expectRejected(check(withPivots([0, 0, 1])), 'G5', 'pivots[1]');
    expectRejected(check(withPivots([0, '1', 2])), 'G5', 'pivots[1]');
  });
  it('rejects n pivots (at most n - 1)', () => {
    expectRejected(check({ ...withPivots([0, 1, 2, 3, 4, 5]), bounds: Array.from({ length: 7 }, (_, r) => ({ r, tail: '1', next: '1' })) }), 'G5', 'pivots');
  });
  it('rejects work over the limit', () => {
    const n = 1000;
    const inst = makeInstance({ points: Array.from({ length: n }, (_, i) => [String(i % 97), String(i)]), labels: Array.from({ length: n }, () => '0') });
    const R = 150;
    const c = {
      ...clone(good),
      instance: inst,
      instanceHash: instanceHash(toInstance(inst, 't')),
      kernel: { type: 'polynomial', degree: 3, offset: '1' },
      pivots: Array.from({ length: R }, (_, i) => i),
      bounds: Array.from({ length: R + 1 }, (_, r) => ({ r, tail: '1', next: '1' })),
    };
    expectRejected(check(c), 'G5', 'pivots');
  });
});

describe('G6: bounds, shape', () => {
  it('rejects one bound too few and one too many', () => {
    const c = clone(good);
    c.bounds.pop();
    expectRejected(check(c), 'G6', 'bounds');
    const d = clone(good);
    d.bounds.push({ r: 4, tail: '1', next: '1' });
    expectRejected(check(d), 'G6', 'bounds');
  });
  it('rejects entries out of order', () => {
    const c = clone(good);
    [c.bounds[1], c.bounds[2]] = [c.bounds[2], c.bounds[1]];
    expectRejected(check(c), 'G6', 'bounds[1].r');
  });
  it('rejects a missing or malformed value and an unknown field', () => {
    const c = clone(good);
    delete c.bounds[2].next;
    expectRejected(check(c), 'G6', 'bounds[2].next');
    const d = clone(good);
    d.bounds[0].tail = 'lots';
    expectRejected(check(d), 'G6', 'bounds[0].tail');
    const e = clone(good);
    e.bounds[0].why = 'x';
    expectRejected(check(e), 'G6', 'bounds[0].why');
  });
});

describe('G7: positive pivots', () => {
  it('rejects a pivot whose Schur complement entry is 0 (a repeated point)', () => {
    const twin = makeInstance({
      points: [
        ['1', '2'],
        ['3', '-1'],
        ['1', '2'],
      ],
      labels: ['0', '0', '0'],
    });
    const c = exactCert(twin, [0]);
    expectValid(check(c));
    const steps = schurSteps(gramQ(toInstance(twin, 't').points, 2, Q.ONE), [0, 1])!;
    c.pivots = [0, 2];
    c.bounds = [...c.bounds, { r: 2, tail: steps[1]!.trace.toString(), next: '1000' }];
    expectRejected(check(c), 'G7', 'pivots[1]');
  });
  it('rejects a first pivot at the origin with offset 0 (K_ii = 0)', () => {
    const c = exactCert(makeInstance({ points: [['0'], ['1'], ['2']], labels: ['0', '0', '0'] }), [], 2, '0');
    c.pivots = [0];
    c.bounds.push({ r: 1, tail: '100', next: '100' });
    expectRejected(check(c), 'G7', 'pivots[0]');
  });
});

describe('G8: tail', () => {
  it('rejects a tail below tr(E_r), naming r', () => {
    const c = exactCert(base, [2, 4]);
    c.bounds[1].tail = parseRational(c.bounds[1].tail)!
      .sub(Q.of(1n, 10n ** 12n))
      .toString();
    expectRejected(check(c), 'G8', 'bounds[1].tail');
  });
  it('rejects a negative tail', () => {
    const c = clone(good);
    c.bounds[0].tail = '-1';
    expectRejected(check(c), 'G8', 'bounds[0].tail');
  });
});

describe('G9: next eigenvalue', () => {
  it('rejects a bound whose square is below ||E_r||_F^2', () => {
    const c = clone(good);
    c.bounds[2].next = '0.001';
    expectRejected(check(c), 'G9', 'bounds[2].next');
  });
  it('rejects a negative bound even where ||E_r||_F = 0', () => {
    const c = produced(base, 'poly:1', 5);
    c.bounds[3].next = '-1';
    expectRejected(check(c), 'G9', 'bounds[3].next');
  });
});

describe('G10: decay', () => {
  const withDecay = (d: Json): Json => ({ ...clone(good), decay: d });
  it('accepts the least c found for p = 1, and a larger c', () => {
    expectValid(check(withDecay({ c: good.decay.c, p: '1' })));
    expectValid(check(withDecay({ c: '100000', p: '1' })));
  });
  it('rejects a c the bounds do not imply (one unit below the least c with 3 significant digits)', () => {
    expectRejected(check(withDecay({ c: belowLeast(good.decay.c), p: '1' })), 'G10', 'decay');
  });
  it('rejects c <= 0, p < 0, a denominator of p above 64, and an unknown field', () => {
    expectRejected(check(withDecay({ c: '0', p: '1' })), 'G10', 'decay.c');
    expectRejected(check(withDecay({ c: '1', p: '-1/2' })), 'G10', 'decay.p');
    expectRejected(check(withDecay({ c: '1', p: '1/65' })), 'G10', 'decay.p');
    expectRejected(check(withDecay({ c: '1', p: '1', q: 2 })), 'G10', 'decay.q');
  });
  it('rejects long numbers with a decay law (they are raised to the power b): c, or a claim', () => {
    expectRejected(check(withDecay({ c: '9'.repeat(1001), p: '1' })), 'G10', 'decay.c');
    const c = withDecay({ c: good.decay.c, p: '1' });
    c.bounds[1].tail = '1' + '0'.repeat(1001);
    expectRejected(check(c), 'G10', 'bounds[1].tail');
    delete c.decay;
    expectValid(check(c));
  });
  it('rational p: compares powers exactly (p = 3/2: the least c is accepted, one unit less rejected)', () => {
    const c = produced(base, 'poly:2', 4, { p: Q.of(3n, 2n) });
    expect(c.decay.p).toBe('3/2');
    expectValid(check(c));
    const low = clone(c);
    low.decay.c = belowLeast(c.decay.c);
    expectRejected(check(low), 'G10', 'decay');
  });
});

describe('properties', () => {
  const coord = fc.tuple(fc.integer({ min: -4, max: 4 }), fc.constantFrom(1, 2, 3)).map(([a, b]) => (b === 1 ? String(a) : `${a}/${b}`));
  const pointSet = fc.integer({ min: 1, max: 3 }).chain((d) => fc.array(fc.array(coord, { minLength: d, maxLength: d }), { minLength: 2, maxLength: 7 }));
  const kernel = fc.tuple(fc.integer({ min: 1, max: 3 }), fc.constantFrom('0', '1', '1/2', '3'));

  it('the claims relucert gram makes are accepted and lie above the plain rational Schur complements', () => {
    fc.assert(
      fc.property(pointSet, kernel, (pts, [degree, offset]) => {
        const instance = makeInstance({ points: pts, labels: pts.map(() => '0') });
        const cert = produced(instance, `poly:${degree}:${offset}`, 6);
        expectValid(check(cert));
        const inst = toInstance(instance, 't');
        const off = parseRational(offset)!;
        const steps = schurSteps(gramQ(inst.points, degree, off), cert.pivots)!;
        expect(steps).toBeDefined();
        steps.forEach((s, r) => {
          const tail = parseRational(cert.bounds[r].tail)!;
          const next = parseRational(cert.bounds[r].next)!;
          expect(tail.ge(s.trace)).toBe(true);
          expect(next.mul(next).ge(s.frobenius2)).toBe(true);
        });
      }),
      { numRuns: 60, seed: 7 },
    );
  });

  it('exact claims are accepted for any pivot order with nonzero pivots; lowering one claim is rejected', () => {
    fc.assert(
      fc.property(pointSet, kernel, fc.nat(), fc.nat(), (pts, [degree, offset], order, which) => {
        const instance = makeInstance({ points: pts, labels: pts.map(() => '0') });
        const inst = toInstance(instance, 't');
        const off = parseRational(offset)!;
        const K = gramQ(inst.points, degree, off);
        // a pseudo-random order, cut where the next pivot would be 0
        const idx = pts.map((_, i) => i).sort((a, b) => ((a * 7 + order) % 11) - ((b * 7 + order) % 11));
        let pivots: number[] = [];
        for (let k = 0; k < Math.min(idx.length - 1, 4); k++) {
          if (schurSteps(K, idx.slice(0, k + 1)) === undefined) break;
          pivots = idx.slice(0, k + 1);
        }
        const c = exactCert(instance, pivots, degree, offset);
        expectValid(check(c));
        const r = which % c.bounds.length;
        const steps = schurSteps(K, pivots)!;
        if (steps[r]!.trace.sign() > 0) {
          const low = clone(c);
          low.bounds[r].tail = steps[r]!.trace.mul(Q.of(999_999n, 1_000_000n)).toString();
          expectRejected(check(low), 'G8', `bounds[${r}].tail`);
          const lowNext = clone(c);
          lowNext.bounds[r].next = sqrtUp(steps[r]!.frobenius2).mul(Q.of(99n, 100n)).toString();
          expectRejected(check(lowNext), 'G9', `bounds[${r}].next`);
        }
      }),
      { numRuns: 60, seed: 11 },
    );
  });
});
