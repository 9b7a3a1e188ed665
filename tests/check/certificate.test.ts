/**
 * The certificate as a whole: C1 (top level), C3 (binding), bad input, the
 * tampering list every checker must reject, and the two fast-check
 * properties over certificates the solver emits.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCertificate } from '../../src/check/index.js';
import { exactSolve } from '../../src/engines/exact.js';
import { referenceSolve } from '../../src/engines/reference.js';
import { type Json, check, checkText, clone, expectRejected, expectValid, instanceArb, leaves, readInstanceFile, solveToCertificate } from './helpers.js';

const abs1 = readInstanceFile('abs-3-k1');
const abs2 = readInstanceFile('abs-3-k2');
const absCert = solveToCertificate(abs1);
const witnessCert = solveToCertificate(abs2);

describe('C1: top level', () => {
  it('accepts a certificate with or without producer', () => {
    expectValid(check(absCert));
    const c = clone(absCert);
    delete c.producer;
    expectValid(check(c));
  });
  it('rejects a wrong format', () => {
    expectRejected(check({ ...absCert, format: 'relucert-certificate/4' }), 'C1', 'format');
    expectRejected(check({ ...absCert, format: 'relucert-certificate/1 ' }), 'C1', 'format');
  });
  it('rejects an unknown top-level field', () => {
    expectRejected(check({ ...absCert, comment: 'trust me' }), 'C1', 'comment');
  });
  it('rejects a wrong verdict (infeasible proof called feasible)', () => {
    expectRejected(check({ ...absCert, verdict: 'feasible' }), 'C1', 'network');
  });
  it('rejects a wrong verdict (witness called infeasible)', () => {
    expectRejected(check({ ...witnessCert, verdict: 'infeasible' }), 'C1', 'proof');
  });
  it('rejects a verdict other than feasible | infeasible', () => {
    expectRejected(check({ ...absCert, verdict: 'unknown' }), 'C1', 'verdict');
  });
  it('rejects both a network and a proof', () => {
    expectRejected(check({ ...absCert, network: witnessCert.network }), 'C1', 'network');
  });
  it('rejects a duplicate top-level key', () => {
    const text = JSON.stringify(absCert).replace('"verdict":"infeasible"', '"verdict":"infeasible","verdict":"feasible"');
    expectRejected(checkText(text), 'C1', 'verdict');
  });
  it('rejects a duplicate key deep in the proof', () => {
    const text = JSON.stringify(absCert).replace('"split":{"unit":0,"point":0}', '"split":{"unit":0,"point":0,"point":1}');
    expectRejected(checkText(text), 'C1', 'proof.cases[0].tree.split.point');
  });
});

describe('C2: the embedded instance', () => {
  it('rejects an invalid embedded instance as C2, with its path', () => {
    const c = clone(absCert);
    c.instance.points[1] = ['0', '1'];
    expectRejected(check(c), 'C2', 'instance.points[1]');
  });
});

describe('C3: binding', () => {
  it('accepts the certificate with its own instance file, in any spelling', () => {
    expectValid(check(absCert, abs1));
    const respelled = { ...clone(abs1), name: 'renamed', points: [[-1], ['0/3'], ['1.0']] };
    expectValid(check(absCert, respelled));
  });
  it('rejects edited points inside the embedded instance (hash no longer matches)', () => {
    const c = clone(absCert);
    c.instance.points[2] = ['2'];
    const r = expectRejected(check(c), 'C3', 'instanceHash');
    expect(r.expected).toContain('canonical form');
  });
  it('rejects an edited bound or architecture', () => {
    const c = clone(witnessCert);
    c.instance.architecture.outputBias = true;
    expectRejected(check(c), 'C3');
  });
  it('rejects a certificate checked against a different instance file', () => {
    const r = expectRejected(check(absCert, abs2), 'C3', 'instanceHash');
    expect(r.expected).toContain('inst.json');
  });
  it('rejects a hash in the wrong form', () => {
    expectRejected(check({ ...absCert, instanceHash: absCert.instanceHash.toUpperCase() }), 'C3');
    expectRejected(check({ ...absCert, instanceHash: 1 }), 'C3');
  });
});

describe('bad input', () => {
  it.each([
    ['not JSON', 'relucert'],
    ['truncated JSON', JSON.stringify(absCert).slice(0, 100)],
    ['not an object', '[1, 2]'],
    ['empty', ''],
  ])('%s', (_name, text) => {
    const r = checkCertificate(text, 'c.json');
    expect(r).toMatchObject({ status: 'bad-input', file: 'c.json' });
  });
  it('a malformed --instance file names the file and the field', () => {
    const bad = { ...clone(abs1), labels: ['1', 'x', '1'] };
    const r = checkCertificate(JSON.stringify(absCert), 'c.json', { instance: { text: JSON.stringify(bad), file: 'inst.json' } });
    expect(r).toMatchObject({ status: 'bad-input', file: 'inst.json', field: 'labels[1]' });
    const s = checkCertificate(JSON.stringify(absCert), 'c.json', { instance: { text: '{', file: 'inst.json' } });
    expect(s).toMatchObject({ status: 'bad-input', file: 'inst.json' });
    const dup = JSON.stringify(abs1).replace('"name":', '"loss":{"type":"l1","bound":"9"},"name":');
    expect(checkCertificate(JSON.stringify(absCert), 'c.json', { instance: { text: dup, file: 'inst.json' } })).toMatchObject({
      status: 'bad-input',
      file: 'inst.json',
      field: 'loss',
    });
  });
  it('never throws on garbage', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        expect(['valid', 'rejected', 'bad-input']).toContain(checkCertificate(text, 'c.json').status);
      }),
      { numRuns: 300 },
    );
  });
});

describe('robustness', () => {
  /** Every (parent, key) of a JSON tree, to replace one subvalue. */
  function slots(v: Json, out: Array<[Json, string | number]> = []): Array<[Json, string | number]> {
    if (v !== null && typeof v === 'object')
      for (const k of Object.keys(v)) {
        out.push([v, Array.isArray(v) ? Number(k) : k]);
        slots(v[k], out);
      }
    return out;
  }
  it('never throws when any one value of a certificate is replaced by random JSON', () => {
    fc.assert(
      fc.property(fc.constantFrom(absCert, witnessCert), fc.nat(), fc.jsonValue({ maxDepth: 2 }), (cert, pick, value) => {
        const c = clone(cert);
        const all = slots(c);
        const [parent, key] = all[pick % all.length]!;
        parent[key] = value;
        const r = check(c);
        expect(['valid', 'rejected', 'bad-input']).toContain(r.status);
      }),
      { numRuns: 400 },
    );
  });
});

describe('tampering (all rejected)', () => {
  const cases: Array<[string, () => ReturnType<typeof check>, string]> = [
    [
      'changed multiplier',
      () => {
        const c = clone(absCert);
        c.proof.cases[1].tree.multipliers['zlb:0:0'] = '2';
        return check(c);
      },
      'F3',
    ],
    [
      'dropped subtree',
      () => {
        const c = clone(absCert);
        c.proof.cases[0].tree = c.proof.cases[0].tree.inact;
        return check(c);
      },
      'F1',
    ],
    [
      'swapped children',
      () => {
        const c = clone(absCert);
        const t = c.proof.cases[0].tree;
        [t.act, t.inact] = [t.inact, t.act];
        return check(c);
      },
      'F1',
    ],
    [
      'leaf row renamed to a literal off its path',
      () => {
        const c = clone(absCert);
        const m = c.proof.cases[0].tree.inact.multipliers;
        m['actv:0:0'] = m['inactv:0:0'];
        delete m['inactv:0:0'];
        return check(c);
      },
      'F1',
    ],
    [
      'missing case',
      () => {
        const c = clone(absCert);
        c.proof.cases.pop();
        return check(c);
      },
      'P1',
    ],
    [
      'extra case',
      () => {
        const c = clone(absCert);
        c.proof.cases.push({ a: ['0'], tree: c.proof.cases[1].tree });
        return check(c);
      },
      'P1',
    ],
    ['wrong verdict', () => check({ ...absCert, verdict: 'feasible' }), 'C1'],
    ['different --instance file', () => check(absCert, abs2), 'C3'],
    [
      'edited embedded points',
      () => {
        const c = clone(absCert);
        c.instance.points[0] = ['-2'];
        return check(c);
      },
      'C3',
    ],
    ['duplicate JSON key', () => checkText(JSON.stringify(absCert).replace('"zlb:0:0":"1"', '"zlb:0:0":"1","zlb:0:0":"1"')), 'F1'],
    ['float-y number', () => checkText(JSON.stringify(absCert).replace('"zlb:0:0":"1"', '"zlb:0:0":1.0')), 'F2'],
    [
      'witness with one weight changed',
      () => {
        const c = clone(witnessCert);
        c.network.layers[1].weights[0][0] = '-1';
        return check(c);
      },
      'W3',
    ],
  ];
  it.each(cases)('%s', (_name, run, rule) => {
    expectRejected(run(), rule);
  });
});

/** Small instances the reference solver decides in well under a second. */
const smallInstances = instanceArb({ maxPoints: 4, maxDim: 2, maxHidden: 2, maxValue: 2 });

describe('properties over emitted certificates', () => {
  it.each([
    ['reference', referenceSolve],
    ['exact', exactSolve],
  ])('every certificate the %s engine emits is accepted', (_name, solve) => {
    fc.assert(
      fc.property(smallInstances, (instance) => {
        const cert = solveToCertificate(instance, solve);
        const r = check(cert, instance);
        if (r.status !== 'valid') throw new Error(`${r.message}\n${JSON.stringify(cert)}`);
        expect(r.verdict).toBe(cert.verdict);
      }),
      { numRuns: 30 },
    );
  });

  it('changing one multiplier of an emitted certificate is rejected (rows with a non-zero left-hand side)', () => {
    const infeasible = smallInstances
      .map(solveToCertificate)
      .filter((c: Json) => c.verdict === 'infeasible' && leaves(c).some((l) => Object.keys(l.node.multipliers).length > 0));
    fc.assert(
      fc.property(infeasible, fc.nat(), fc.nat(), fc.constantFrom('1', '-1', '1/2', '-1/3', '7'), (cert, leafPick, rowPick, delta) => {
        const c = clone(cert);
        const all = leaves(c).filter((l) => Object.keys(l.node.multipliers).length > 0);
        const leaf = all[leafPick % all.length]!;
        const names = Object.keys(leaf.node.multipliers);
        const name = names[rowPick % names.length]!;
        // A row whose left-hand side is identically 0 (f_i = 0 when every output weight is fixed to 0 and there
        // is no output bias) may carry any multiplier when its right-hand side is 0: changing it proves the same.
        // For every other row the change leaves lambda_delta * lhs != 0 in the combination (F3).
        const ow = c.instance.architecture.outputWeights;
        const fIsZero = Array.isArray(ow) && ow.every((v: string) => /^-?0(\/\d+)?$/.test(String(v))) && !c.instance.architecture.outputBias;
        fc.pre(!(fIsZero && /^(fit|linfu|linfl|cls):/.test(name)));
        const [p, q = '1'] = String(leaf.node.multipliers[name]).split('/');
        const [dp, dq = '1'] = delta.split('/');
        // lambda + delta, as an exact fraction string
        leaf.node.multipliers[name] = `${BigInt(p!) * BigInt(dq) + BigInt(dp!) * BigInt(q)}/${BigInt(q) * BigInt(dq)}`;
        const r = check(c);
        expect(r.status, `${name} += ${delta} at ${leaf.path}`).toBe('rejected');
      }),
      { numRuns: 30 },
    );
  });
});
