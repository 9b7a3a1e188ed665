import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir, tempFile } from '../helpers.js';
import { CASES } from '../paths.js';

const abs = JSON.parse(readFileSync('instances/abs-3-k2.json', 'utf8')) as Record<string, unknown>;
const withField = (patch: Record<string, unknown>): Record<string, unknown> => ({ ...abs, ...patch });

describe('relucert solve', () => {
  it('exit 10 on a feasible instance, and writes a certificate that checks', async () => {
    const cert = join(tempDir(), 'c.json');
    const r = await cli('solve', 'instances/abs-3-k2.json', '--cert', cert, '--json');
    expect(r.code).toBe(10);
    const o = JSON.parse(r.out) as { verdict: string; certificate: string; certificateChecked: boolean; loss: string };
    expect(o).toMatchObject({ verdict: 'feasible', certificate: cert, certificateChecked: true, loss: '0' });
    const c = await cli('check', cert, '--instance', 'instances/abs-3-k2.json');
    expect(c.code).toBe(0);
    expect(c.out).toMatch(/^valid: /);
  });
  it('exit 20 on an infeasible instance, for every engine that proves', async () => {
    for (const engine of ['exact', 'reference']) {
      const r = await cli('solve', 'instances/abs-3-k1.json', '--engine', engine, '--json');
      expect(r.code).toBe(20);
      expect(JSON.parse(r.out).verdict).toBe('infeasible');
    }
  });
  it('exit 0 with verdict unknown on timeout, and writes no certificate', async () => {
    const cert = join(tempDir(), 'c.json');
    const r = await cli('solve', 'instances/zigzag6-k3.json', '--timeout', '0.001', '--cert', cert, '--json', '--engine', 'reference');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ verdict: 'unknown', reason: 'timeout' });
    expect(existsSync(cert)).toBe(false);
  });
});

describe('bad input: one line naming file and field, exit 2, nothing written', () => {
  const cases: [string, unknown, RegExp][] = [
    ['not a rational', withField({ points: [['-1'], ['1.2.3'], ['1']] }), /: points\[1\]\[0\]: not an exact rational: "1\.2\.3"/],
    ['float number', withField({ labels: [1, 0.5, 1] }), /: labels\[1\]: not an exact rational: 0\.5/],
    ['zero denominator', withField({ labels: ['1', '1/0', '1'] }), /: labels\[1\]: not an exact rational/],
    ['label count', withField({ labels: ['1', '0'] }), /: labels: has 2 entries for 3 points/],
    ['ragged points', withField({ points: [['-1'], ['0', '1'], ['1']] }), /: points\[1\]: has 2 coordinates, points\[0\] has 1/],
    ['unknown field', withField({ colour: 'red' }), /: \(top level\): unknown field "colour"/],
    ['wrong format', withField({ format: 'relucert-instance/9' }), /: format: /],
    [
      'bad activation',
      withField({ architecture: { hidden: 2, activation: 'tanh', outputWeights: 'signs', outputBias: false } }),
      /: architecture\.activation: /,
    ],
    ['missing loss', (({ loss: _loss, ...rest }) => rest)(abs), /: loss: /],
    ['negative bound', withField({ loss: { type: 'l1', bound: '-1' } }), /: loss\.bound: bound must be >= 0/],
    ['classification labels', withField({ loss: { type: 'classification' } }), /: labels\[1\]: classification labels must be 1 or -1, got 0/],
    [
      'weights list length',
      withField({ architecture: { hidden: 2, activation: 'relu', outputWeights: ['1'], outputBias: false } }),
      /: architecture\.outputWeights: has 1 entry for 2 hidden units/,
    ],
    ['not JSON', '{"format": ', /: not valid JSON/],
  ];
  for (const [what, content, pattern] of cases) {
    it(what, async () => {
      const f = tempFile('inst.json', content);
      const cert = join(tempDir(), 'never.json');
      const r = await cli('solve', f, '--cert', cert);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toContain(f);
      expect(r.err).toMatch(pattern);
      expect(existsSync(cert)).toBe(false);
    });
  }
  it('missing file', async () => {
    const r = await cli('solve', 'no/such.json');
    expect(r).toMatchObject({ code: 2, out: '', err: 'relucert: no/such.json: no such file\n' });
  });
  it('unknown option', async () => {
    const r = await cli('solve', 'instances/abs-3-k2.json', '--frobnicate');
    expect(r.code).toBe(2);
    expect(r.err).toBe("relucert: unknown option '--frobnicate'\n");
  });
  it('unknown engine', async () => {
    const r = await cli('solve', 'instances/abs-3-k2.json', '--engine', 'magic');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^relucert: command line: --engine: unknown engine "magic" \(known: .*exact.*\)\n$/);
  });
  it('bad timeout', async () => {
    const r = await cli('solve', 'instances/abs-3-k2.json', '--timeout', 'soon');
    expect(r).toMatchObject({ code: 2, err: 'relucert: command line: --timeout: expected a positive number of seconds, got "soon"\n' });
  });
  it('unknown command', async () => {
    const r = await cli('frobnicate');
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });
});

describe('relucert check', () => {
  it('exit 1 with the reason on stderr for a tampered certificate', async () => {
    const c = JSON.parse(readFileSync('certificates/abs-3-k1.cert.json', 'utf8'));
    const leaf = c.proof.cases[0].tree;
    // find some leaf and change one multiplier
    let node = leaf;
    while (!node.leaf) node = node.act;
    const name = Object.keys(node.multipliers)[0]!;
    node.multipliers[name] = '12345';
    const f = tempFile('bad.cert.json', c);
    const r = await cli('check', f);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/rejected at proof\.cases\[0\]\.tree/);
  });
  it('exit 1 when checked against a different instance', async () => {
    const r = await cli('check', 'certificates/abs-3-k1.cert.json', '--instance', 'instances/abs-3-k2.json');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/C3/);
  });
  it('exit 2 when the file is not JSON', async () => {
    const f = tempFile('x.json', 'hello');
    const r = await cli('check', f);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });
});

describe('relucert check: the limits of docs/certificates.md section 6', () => {
  it('a file over --max-bytes is refused before it is read: exit 2, one line naming the limit and the option', async () => {
    const r = await cli('check', 'certificates/abs-3-k1.cert.json', '--max-bytes', '100');
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      "relucert: certificates/abs-3-k1.cert.json: larger than 100 bytes (the checker's size limit, docs/certificates.md section 6; --max-bytes raises it)\n",
    );
    const inst = await cli('check', 'certificates/abs-3-k1.cert.json', '--instance', 'instances/abs-3-k1.json', '--max-bytes', '1000');
    expect(inst.code).toBe(2);
    expect(inst.err).toMatch(/^relucert: certificates\/abs-3-k1\.cert\.json: larger than 1000 bytes/);
  });
  it('a check that needs more than --max-work units: exit 1 under C4, saying which option raises it; the default passes', async () => {
    const r = await cli('check', 'certificates/abs-3-k1.cert.json', '--max-work', '1000');
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      'certificates/abs-3-k1.cert.json: rejected at (top level) (C4): expected a check within 1000 units of work (section 6), got numbers, rows or nodes that need more (--max-work raises the limit)\n',
    );
    expect((await cli('check', 'certificates/abs-3-k1.cert.json')).code).toBe(0);
  });
  it.each([
    ['--max-bytes', '0'],
    ['--max-bytes', '268435457'],
    ['--max-work', '1e9'],
    ['--max-work', '9007199254740992'],
  ])('%s %s is refused as bad input naming the option', async (option, value) => {
    const r = await cli('check', 'certificates/abs-3-k1.cert.json', option, value);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^relucert: command line: ${option}: expected a positive integer of at most`));
  });
  it('the reproducers of issue R, each answered within the default limits with its documented exit code', async () => {
    const gram = await cli('check', join(CASES, 'R-gram-exp-2000.cert.json'));
    expect([gram.code, gram.err]).toEqual([1, expect.stringMatching(/rejected at instance\.points\[0\]\[0\] \(G2\)/) as string]);
    const lemmas = await cli('check', join(CASES, 'R-lemmas-150k.cert.json'));
    expect([lemmas.code, lemmas.err]).toEqual([1, expect.stringMatching(/rejected at proof\.lemmas \(P1\): .*\(150000 in all\)\]\n$/) as string]);
    const witness = await cli('check', join(CASES, 'R-witness-dos.cert.json'));
    expect([witness.code, witness.err]).toEqual([1, expect.stringMatching(/\(C4\).*--max-work raises the limit/) as string]);
  });
  it('a Gram statement names the instance by the --instance file, as a training statement does', async () => {
    const inst = JSON.parse(readFileSync('examples/learn/teacher.json', 'utf8'));
    const f = tempFile('renamed.json', { ...inst, name: 'renamed' });
    const r = await cli('check', 'examples/learn/teacher.gram.json', '--instance', f);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^valid: the Gram matrix K of \(1 \+ x\.y\)\^2 on the 80 points of "renamed" \(sha256:/);
    const t = await cli(
      'check',
      'certificates/abs-3-k1.cert.json',
      '--instance',
      tempFile('abs.json', { ...JSON.parse(readFileSync('instances/abs-3-k1.json', 'utf8')), name: 'renamed' }),
    );
    expect(t.out).toMatch(/ fits "renamed" with zero error/);
  });
});

describe('relucert eval', () => {
  const net = (a: string[]): string =>
    tempFile('net.json', {
      format: 'relucert-network/1',
      layers: [
        { activation: 'relu', weights: [['1'], ['-1']], bias: ['0', '0'] },
        { activation: 'identity', weights: [a], bias: ['0'] },
      ],
    });
  it('exit 0 within the bound, with the exact loss', async () => {
    const r = await cli('eval', 'instances/abs-3-k2.json', net(['1', '1']), '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ loss: '0', withinBound: true, outputs: ['1', '0', '1'] });
  });
  it('exit 1 outside the bound', async () => {
    const r = await cli(
      'eval',
      'instances/abs-3-k1-l1-half.json',
      tempFile('n.json', {
        format: 'relucert-network/1',
        layers: [
          { activation: 'relu', weights: [['1/2']], bias: ['1/4'] },
          { activation: 'identity', weights: [['1']], bias: ['0'] },
        ],
      }),
      '--json',
    );
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ loss: '3/2', withinBound: false });
  });
  it('exit 2 naming the network field', async () => {
    const f = tempFile('n.json', { format: 'relucert-network/1', layers: [{ activation: 'relu', weights: [['x']], bias: ['0'] }] });
    const r = await cli('eval', 'instances/abs-3-k2.json', f);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${f}: layers[0].weights[0][0]: not an exact rational`);
  });
});

describe('relucert check on region certificates', () => {
  it('dispatches on the format field and accepts the shipped one, naming the network by its hash', async () => {
    const r = await cli('check', 'examples/stochastic/moons-region.cert.json');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^valid: the network in the certificate \(sha256:[0-9a-f]{64}\), quantised with 15 fractional bits, .*: for every input in /);
  });
  it('--network binds it to a network file, named in the statement with the hash', async () => {
    const r = await cli('check', 'examples/stochastic/moons-region.cert.json', '--network', 'examples/stochastic/moons.network.json');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^valid: the network "examples\/stochastic\/moons\.network\.json" \(sha256:[0-9a-f]{64}\), quantised/);
  });
  it('R-region-other-network: valid about its own all-zero network, rejected when bound to the moons network (exit 1, R2)', async () => {
    const own = await cli('check', join(CASES, 'R-region-other-network.cert.json'));
    expect(own.code).toBe(0);
    const moons = await cli('check', 'examples/stochastic/moons-region.cert.json');
    // the two statements differ in the network's hash, not only in the bound
    expect(own.out.slice(0, 110)).not.toBe(moons.out.slice(0, 110));
    const bound = await cli('check', join(CASES, 'R-region-other-network.cert.json'), '--network', 'examples/stochastic/moons.network.json');
    expect(bound.code).toBe(1);
    expect(bound.err).toMatch(
      /rejected at network \(R2\): expected sha256:[0-9a-f]{64} \(the hash of examples\/stochastic\/moons\.network\.json\), got sha256:/,
    );
  });
  it('--instance does not bind a region certificate, nor --network a training one; both at once are refused (exit 2, one line)', async () => {
    const a = await cli('check', 'examples/stochastic/moons-region.cert.json', '--instance', 'instances/abs-3-k1.json');
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/^relucert: instances\/abs-3-k1\.json: an instance file does not bind this certificate/);
    const b = await cli('check', 'certificates/abs-3-k1.cert.json', '--network', 'examples/stochastic/moons.network.json');
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/^relucert: examples\/stochastic\/moons\.network\.json: a network file does not bind this certificate/);
    const c = await cli('check', 'certificates/abs-3-k1.cert.json', '--network', 'x.json', '--instance', 'instances/abs-3-k1.json');
    expect(c.code).toBe(2);
    expect(c.err.trim().split('\n')).toHaveLength(1);
  });
  it('rejects a tampered region certificate with exit 1', async () => {
    const c = JSON.parse(readFileSync('examples/stochastic/moons-region.cert.json', 'utf8'));
    c.bound = '0';
    const r = await cli('check', tempFile('r.json', c));
    expect(r.code).toBe(1);
    expect(r.err).not.toBe('');
  });
});

describe('the text-preserving reader', () => {
  const base = readFileSync('instances/abs-3-k2.json', 'utf8');
  for (const [what, text, pattern] of [
    [
      'a JSON number 1.0',
      base.replace('"labels": ["1", "0", "1"]', '"labels": [1.0, 0, 1]'),
      /: labels\[0\]: not an exact rational: 1\.0 \(a JSON number must be an integer/,
    ],
    ['a JSON number 1e2', base.replace('"labels": ["1", "0", "1"]', '"labels": [1e2, 0, 1]'), /: labels\[0\]: not an exact rational: 1e2/],
    ['a repeated key', base.replace('"name": "abs-3-k2",', '"name": "abs-3-k2", "name": "other",'), /: \(top level\): repeated key "name"/],
  ] as const) {
    it(`rejects ${what} naming the field`, async () => {
      const r = await cli('solve', tempFile('i.json', text));
      expect(r.code).toBe(2);
      expect(r.err).toMatch(pattern);
    });
  }
  it('reads a large integer token exactly', async () => {
    const cert = join(tempDir(), 'c.json');
    const r = await cli(
      'solve',
      tempFile('i.json', base.replace('"labels": ["1", "0", "1"]', '"labels": [123456789012345678901234567890, 0, 1]')),
      '--json',
      '--cert',
      cert,
    );
    expect(r.code).toBe(10); // relu(-H x) + relu(x) with H = the big label
    expect(readFileSync(cert, 'utf8')).toContain('"123456789012345678901234567890"');
  });
});

describe('solve --engine z3 --cert', () => {
  it('writes the certificate of the exact engine for an unsat, and it checks', async () => {
    const cert = join(tempDir(), 'z3.cert.json');
    const r = await cli('solve', 'instances/xor-relu-k1-exact.json', '--engine', 'z3', '--cert', cert, '--json');
    expect(r.code).toBe(20);
    expect((await cli('check', cert, '--instance', 'instances/xor-relu-k1-exact.json')).code).toBe(0);
  });
});

describe('solve --progress', () => {
  it('writes progress lines (nodes, leaves, depth, elapsed) on stderr for a long search', async () => {
    const r = await cli('solve', 'instances/zigzag6-k3.json', '--engine', 'reference', '--progress', '--timeout', '3');
    expect(r.err).toMatch(/^ {2}\.\.\. \d+ nodes, \d+ leaves, depth \d+, \d+ LPs, \d+\.\d s$/m);
  });
});
