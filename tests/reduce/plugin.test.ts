/**
 * Reduction plugins: the shipped example plugins fuzz clean and their
 * mutants are caught; a plugin that does not load, has the wrong shape, or
 * whose member fails is one line naming the file and the member, exit 2;
 * a plugin's counterexample is written like a built-in's.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSource, fuzzExhaustive, fuzzReduction } from '../../src/reduce/fuzz.js';
import { ReductionError, defineReduction } from '../../src/reduce/reduction.js';
import { resolveReduction } from '../../src/reduce/registry.js';
import { cli, tempDir } from '../helpers.js';

const POLYGON = 'examples/reductions/polygon-separability.mjs';
const LINEAR = 'examples/reductions/linear-separability.ts';

describe('the example plugin polygon-separability.mjs', () => {
  it('loads, with its variants and an enumeration', async () => {
    const red = await resolveReduction(POLYGON);
    expect(red.origin).toBe(POLYGON);
    expect(red.variants.map((v) => [v.name, v.kind])).toEqual([
      ['correct', 'correct'],
      ['output-bias', 'mutant'],
      ['loose-bound', 'mutant'],
      ['fewer-lines', 'mutant'],
    ]);
    expect(red.exhaustive?.size).toMatch(/k \+ \|P\| \+ \|Q\| \+ c/);
  });
  it('the correct variant: 60 random runs and every source up to size 5 agree, with both sides tested', async () => {
    const red = await resolveReduction(POLYGON);
    const r = await fuzzReduction(red, { runs: 60, seed: 99, variant: 'correct', timeoutMs: 20_000 });
    expect(r.counterexample, JSON.stringify(r.counterexample?.source)).toBeUndefined();
    expect(r).toMatchObject({ runs: 60, agreed: 60, unknown: 0 });
    expect(r.sourceNo).toBeGreaterThan(10);
    expect(r.sourceYes).toBeGreaterThan(10);
    expect(r.witnessChecked).toBe(r.sourceYes);
    const e = await fuzzExhaustive(red, { maxSize: 5, variant: 'correct', timeoutMs: 20_000 });
    expect(e.counterexample).toBeUndefined();
    expect(e.bySize!.map((t) => t.sources)).toEqual([0, 0, 1, 2, 6, 20]);
    expect(e.agreed).toBe(29);
  }, 60_000);
  for (const mutant of ['output-bias', 'loose-bound', 'fewer-lines'])
    it(`mutant ${mutant}: caught at random (seed 1) and by the exhaustive mode, and the counterexample replays`, async () => {
      const red = await resolveReduction(POLYGON);
      const r = await fuzzReduction(red, { runs: 200, seed: 1, variant: mutant, timeoutMs: 20_000 });
      expect(r.counterexample).toBeDefined();
      const e = await fuzzExhaustive(red, { maxSize: 6, variant: mutant, timeoutMs: 20_000 });
      expect(e.counterexample?.size).toBeLessThanOrEqual(6);
      const again = await checkSource(red, mutant, red.parseSource(e.counterexample!.source, 'cx'), { timeoutMs: 20_000 });
      expect(again.failed).toBe(e.counterexample!.report.failed);
    }, 60_000);
});

describe('the TypeScript example plugin linear-separability.ts, through the CLI', () => {
  it('fuzz: the correct variant agrees (exit 0); the mutant is caught (exit 1) and its files are written and check', async () => {
    const ok = await cli('fuzz', LINEAR, '--runs', '40', '--seed', '7', '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ reduction: 'linear-separability', runs: 40, agreed: 40 });
    const dir = tempDir();
    const bad = await cli('fuzz', LINEAR, '--variant', 'q-positive', '--runs', '40', '--seed', '7', '--out', dir);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/minimal counterexample: \{"format":"linear-separability\/1","P":\[\["0"\]\],"Q":\[\["0"\]\]\}/);
    for (const f of ['source.json', 'instance.json', 'target-certificate.json', 'report.json']) expect(existsSync(join(dir, f)), f).toBe(true);
    expect((await cli('check', join(dir, 'target-certificate.json'), '--instance', join(dir, 'instance.json'))).code).toBe(0);
    const again = await cli('reduce', LINEAR, join(dir, 'source.json'), '--variant', 'q-positive');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toEqual(JSON.parse(readFileSync(join(dir, 'instance.json'), 'utf8')));
    const ex = await cli('fuzz', LINEAR, '--variant', 'q-positive', '--exhaustive', '--max-size', '4', '--out', tempDir());
    expect(ex.code).toBe(1);
    expect(ex.out).toMatch(/DISAGREEMENT at size 2, source 2 \(every smaller source agreed\)/);
  }, 60_000);
  it('fuzz --list PLUGIN --json lists the plugin, its origin, size measure and variants', async () => {
    const r = await cli('fuzz', '--list', LINEAR, '--json');
    expect(r.code).toBe(0);
    const l = JSON.parse(r.out) as { reductions: { name: string; origin: string; size: string; variants: { name: string; maps: string[] }[] }[] };
    expect(l.reductions).toHaveLength(1);
    expect(l.reductions[0]).toMatchObject({ name: 'linear-separability', origin: LINEAR, size: expect.stringMatching(/\|P\|/) });
    expect(l.reductions[0]!.variants.map((v) => [v.name, v.maps])).toEqual([
      ['correct', ['witness', 'back-map']],
      ['q-positive', ['witness', 'back-map']],
    ]);
  });
  it('reduce PLUGIN SOURCE writes the instance of the shipped example source, and it solves feasible', async () => {
    const out = join(tempDir(), 'i.json');
    const r = await cli('reduce', POLYGON, 'examples/reductions/polygon.json', '-o', out);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/2 threshold units, output weights \[1, 1\], no output bias; linf loss <= 1\/2 on 7 points/);
    expect((await cli('solve', out)).code).toBe(10);
  }, 60_000);
});

/** A plugin module's text: a working reduction with `over` replacing some members (JS source text). */
function plugin(over: Record<string, string> = {}, tail = ''): string {
  const members: Record<string, string> = {
    name: "'tiny'",
    sourceFormat: "'tiny/1'",
    arbitrary: '(fc) => fc.record({ n: fc.integer({ min: 0, max: 3 }) })',
    decide: "(s) => ({ answer: 'yes', solution: { y: s.n } })",
    checkSolution: "(s, sol) => (sol.y === s.n ? undefined : 'wrong y')",
    toInstance:
      "(s) => ({ format: 'relucert-instance/1', points: [[0]], labels: [s.n], architecture: { hidden: 1, activation: 'relu', outputWeights: 'positive', outputBias: false }, loss: { type: 'exact' } })",
    witness:
      "(s, sol) => ({ format: 'relucert-network/1', layers: [{ activation: 'relu', weights: [[0]], bias: [sol.y] }, { activation: 'identity', weights: [[1]], bias: [0] }] })",
    solutionFromWitness: '(s, net) => ({ y: Number(net.layers[0].bias[0].toString()) })',
    ...over,
  };
  const body = Object.entries(members)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `  ${k}: ${v},`)
    .join('\n');
  return `export default {\n${body}\n};\n${tail}`;
}

function writePlugin(text: string, name = 'p.mjs'): string {
  const f = join(tempDir(), name);
  writeFileSync(f, text);
  return f;
}

describe('a plugin written as a plain object, with no relucert import', () => {
  it('fuzzes clean, both maps checked, and its counterexample-free report names it', async () => {
    const f = writePlugin(plugin());
    const r = await cli('fuzz', f, '--runs', '10', '--seed', '1', '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ reduction: 'tiny', agreed: 10, witnessChecked: 10, backMapChecked: 10 });
  });
  it('a plugin importing relucert, outside the repository, loads too', async () => {
    const f = writePlugin(
      `import { Q, twoLayerNetwork } from 'relucert';\n${plugin({ witness: '(s, sol) => twoLayerNetwork("relu", [[Q.ZERO]], [Q.of(sol.y)], [Q.ONE], Q.ZERO)' })}`,
    );
    const r = await cli('fuzz', f, '--runs', '5', '--seed', '1', '--json');
    expect(r.err).toBe('');
    expect(JSON.parse(r.out)).toMatchObject({ agreed: 5, witnessChecked: 5 });
  });
});

describe('bad plugins: one line naming the plugin file and the member, exit 2', () => {
  const cases: [string, string, RegExp][] = [
    ['missing file', '', /^relucert: (\S+): no such file$/],
    ['syntax error', 'export default {\n', /^relucert: (\S+): cannot load \(.*\)$/],
    ['import of a missing package', "import x from 'no-such-package-zz';\nexport default x;\n", /^relucert: (\S+): cannot load \(.*no-such-package-zz.*\)$/],
    ['no default export', 'export const x = 1;\n', /^relucert: (\S+): \(export\): no default export/],
    ['not an object', 'export default 42;\n', /^relucert: (\S+): \(export\): expected a reduction object/],
    ['decide missing', plugin({ decide: '' }), /^relucert: (\S+): decide: expected a function, got nothing \(missing\)$/],
    ['toInstance not a function', plugin({ toInstance: '5' }), /^relucert: (\S+): toInstance: expected a function, got 5$/],
    ['name empty', plugin({ name: "''" }), /^relucert: (\S+): name: expected a nonempty string/],
    [
      'mutant named twice',
      plugin({ mutants: "[{ name: 'm', description: 'a' }, { name: 'm', description: 'b' }]" }),
      /^relucert: (\S+): mutants\[1\]\.name: "m" is used twice/,
    ],
    ['exhaustive without enumerate', plugin({ exhaustive: "{ size: 'n' }" }), /^relucert: (\S+): exhaustive\.enumerate: expected a function/],
    ['arbitrary not an arbitrary', plugin({ arbitrary: '() => 3' }), /^relucert: (\S+): arbitrary: expected a fast-check arbitrary/],
    [
      'arbitrary throws while generating',
      plugin({ arbitrary: "(fc) => fc.integer().map(() => { throw new Error('gen boom'); })" }),
      /^relucert: (\S+): arbitrary: generating a source threw gen boom$/,
    ],
    [
      'decide throws',
      plugin({ decide: "() => { throw new RangeError('too big'); }" }),
      /^relucert: (\S+): decide: threw RangeError: too big \(on source \{"format":"tiny\/1","n":\d\}\)$/,
    ],
    [
      'decide returns the wrong shape',
      plugin({ decide: "() => ({ answer: 'maybe' })" }),
      /^relucert: (\S+): decide: expected \{answer: 'yes', solution\} or \{answer: 'no'\}, got \{"answer":"maybe"\}/,
    ],
    [
      'checkSolution returns a boolean',
      plugin({ checkSolution: '() => true' }),
      /^relucert: (\S+): checkSolution: expected undefined \(solved\) or a string \(why not\), got true$/,
    ],
    [
      'toInstance throws',
      plugin({ toInstance: "(s) => { throw new TypeError('no instance'); }" }),
      /^relucert: (\S+): toInstance: threw TypeError: no instance \(on source /,
    ],
    [
      'toInstance returns an invalid instance',
      plugin({
        toInstance:
          "(s) => ({ format: 'relucert-instance/1', points: [[0], [0, 1]], labels: [1, 2], architecture: { hidden: 1, activation: 'relu', outputWeights: 'positive', outputBias: false }, loss: { type: 'exact' } })",
      }),
      /^relucert: (\S+): toInstance: returned an invalid relucert-instance\/1: points\[1\]: has 2 coordinates, points\[0\] has 1 \(on source /,
    ],
    [
      'toInstance returns a number',
      plugin({ toInstance: '() => 7' }),
      /^relucert: (\S+): toInstance: returned neither an Instance nor a relucert-instance\/1 object: 7/,
    ],
    ['witness throws', plugin({ witness: "() => { throw new Error('w boom'); }" }), /^relucert: (\S+): witness: threw w boom \(on source /],
    [
      'witness returns an invalid network',
      plugin({ witness: "() => ({ format: 'relucert-network/1', layers: [] })" }),
      /^relucert: (\S+): witness: returned an invalid relucert-network\/1: layers: /,
    ],
    [
      'a mutant back map throws',
      plugin({ mutants: "[{ name: 'm', description: 'd', solutionFromWitness: () => { throw new Error('back boom'); } }]" }),
      /^relucert: (\S+): mutant m: solutionFromWitness: threw back boom/,
    ],
    [
      'sourceToJson and parseSource do not round-trip',
      plugin({ parseSource: '(d) => ({ n: d.n + 1 })' }),
      /^relucert: (\S+): sourceToJson: does not round-trip through parseSource: \{"format":"tiny\/1","n":\d\} reads back as/,
    ],
  ];
  for (const [what, text, msg] of cases)
    it(what, async () => {
      const f = text === '' ? join(tempDir(), 'none.mjs') : writePlugin(text);
      const variant = what.startsWith('a mutant') ? ['--variant', 'm'] : [];
      const r = await cli('fuzz', f, '--runs', '10', '--seed', '1', ...variant);
      expect(r.code, r.err).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.trim().split('\n')).toHaveLength(1);
      const m = msg.exec(r.err.trim());
      expect(m, r.err).not.toBeNull();
      expect(m![1]).toBe(f);
    });
  it('reduce: a bad source file for a plugin names the source file and the field', async () => {
    const f = writePlugin(plugin({ parseSource: "(d, file) => { throw Object.assign(new Error('x'), { file, field: 'n', detail: 'must be small' }); }" }));
    const src = join(tempDir(), 's.json');
    writeFileSync(src, JSON.stringify({ format: 'tiny/1', n: 9 }));
    const r = await cli('reduce', f, src);
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe(`relucert: ${src}: n: must be small`);
    writeFileSync(src, JSON.stringify({ format: 'other/1', n: 9 }));
    expect((await cli('reduce', f, src)).err.trim()).toBe(`relucert: ${src}: format: expected "tiny/1", got "other/1"`);
  });
  it('fuzz --exhaustive on a plugin without an enumeration names the plugin and the member', async () => {
    const f = writePlugin(plugin());
    const r = await cli('fuzz', f, '--exhaustive', '--max-size', '3');
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe(`relucert: ${f}: exhaustive: tiny declares no enumeration of its sources (see docs/reductions.md, "Bounded-exhaustive fuzzing")`);
  });
});

describe('defineReduction', () => {
  const spec = {
    name: 'r',
    sourceFormat: 'r/1',
    arbitrary: () => {
      throw new Error('unused');
    },
    decide: () => ({ answer: 'no' as const }),
    checkSolution: () => undefined,
    toInstance: () => ({
      format: 'relucert-instance/1',
      points: [[0]],
      labels: [0],
      architecture: { hidden: 1, activation: 'relu', outputWeights: 'positive', outputBias: false },
      loss: { type: 'exact' },
    }),
    witness: () => ({ format: 'relucert-network/1', layers: [{ activation: 'relu', weights: [[0]], bias: [0] }] }),
    mutants: [
      { name: 'a', description: 'inherits every map' },
      { name: 'b', description: 'drops the witness', witness: null },
    ],
  };
  it('a mutant inherits the maps it omits; null drops one; the instance gets the reduction name', () => {
    const red = defineReduction(spec, 'x.mjs');
    expect(red.variants.map((v) => [v.name, typeof v.witness])).toEqual([
      ['correct', 'function'],
      ['a', 'function'],
      ['b', 'undefined'],
    ]);
    expect(red.variants[1]!.toInstance({}).name).toBe('r');
  });
  it('is idempotent: a Reduction passed back in gives the same variants and origin', () => {
    const red = defineReduction(defineReduction(spec, 'x.mjs'), 'y.mjs');
    expect(red.origin).toBe('y.mjs');
    expect(red.variants.map((v) => v.name)).toEqual(['correct', 'a', 'b']);
  });
  it('a failing member throws a ReductionError naming the origin and the member', () => {
    const red = defineReduction(spec, 'x.mjs');
    expect(() => red.arbitrary({} as never)).toThrow(ReductionError);
    expect(() => red.arbitrary({} as never)).toThrow('x.mjs: arbitrary: threw unused');
  });
});
