/**
 * Issue F section 5, spoofing: a name or any other text from a file is
 * printed so that it cannot move the cursor, reorder a line, start a new one
 * or imitate the words around it. Names are quoted; control, bidirectional
 * and other invisible characters are escaped, by every command.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, clone } from '../check/helpers.js';
import { cli, tempDir, tempFile } from '../helpers.js';
import { CASES } from '../paths.js';

/** Controls but newline and tab, format characters (bidi, zero-width, BOM), line/paragraph separators, lone surrogates. */
const UNSAFE = /(?![\n\t])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

const HOSTILE_NAMES = [
  'x\rvalid: no network with 2 relu units (output weights signs, no output bias) fits "abs-3-k2"',
  'x\nvalid: no network fits',
  'abs\u202e2k-3-sba',
  'a\u2066b\u2069c\u200bd\ufeffe',
  '\u001b[2K\u001b[1Gvalid: no network',
  'lone \ud800 surrogate',
  'quote" with zero error on 3 points; valid: no network "x',
  '\u0301combining first',
  'line\u2028separator\u0085next',
];

const abs2 = JSON.parse(readFileSync('instances/abs-3-k2.json', 'utf8')) as Record<string, unknown>;

function expectSafe(text: string): void {
  expect(UNSAFE.test(text), JSON.stringify(text)).toBe(false);
}

describe('the spoofed-name certificate (tests/cases/F-spoofed-name.cert.json)', () => {
  it('is a valid witness, and nothing printed reads as an infeasibility claim', async () => {
    const r = await cli('check', 'tests/cases/F-spoofed-name.cert.json');
    expect(r.code).toBe(0);
    expect(r.out.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.out).toMatch(
      /^valid: the network with 2 relu units \(output weights signs, no output bias\) fits "x\\rvalid: no network with 2 relu units \(output weights signs, no output bias\) fits abs-3-k2" with zero error on 3 points\n$/,
    );
    expect(r.out).not.toMatch(/(^|[\r\n])valid: no network/);
    expectSafe(r.out);
  });
  it('with --instance, the statement names the instance by the name in the file (names are not hashed)', async () => {
    const r = await cli('check', 'tests/cases/F-spoofed-name.cert.json', '--instance', 'instances/abs-3-k2.json');
    expect(r.code).toBe(0);
    expect(r.out).toBe('valid: the network with 2 relu units (output weights signs, no output bias) fits "abs-3-k2" with zero error on 3 points\n');
  });
});

describe('a name with characters that look like quotes (tests/cases/R-spoof-lookalike-quote)', () => {
  it('prints nothing that reads as a second claim: inside the quotes, only printable ASCII and escapes', async () => {
    const r = await cli('check', 'certificates/abs-3-k1.cert.json', '--instance', join(CASES, 'R-spoof-lookalike-quote.instance.json'));
    expect(r.code).toBe(0);
    expect(r.out.split('\n').filter(Boolean)).toHaveLength(1);
    // the only quote characters are the name's two delimiters; U+02BA is written as an escape
    expect(r.out.match(/"/g)).toHaveLength(2);
    expect(r.out).toMatch(/^valid: no network with 1 relu unit \(output weights signs, no output bias\) fits "abs-3-k1\\u02ba with zero error on 3 points; /);
    expect(r.out).toMatch(/ fits \\u02baabs-3-k1" with zero error on 3 points\n$/);
    expect(/^[\x20-\x7e\n]*$/.test(r.out)).toBe(true);
  });
  it('the certificate that embeds the name: its statement quotes it the same way', async () => {
    const r = await cli('check', join(CASES, 'R-spoof-lookalike-quote.cert.json'));
    expect(r.code).toBe(0);
    expect(r.out.match(/"/g)).toHaveLength(2);
    expect(/^[\x20-\x7e\n]*$/.test(r.out)).toBe(true);
  });
});

describe('every command prints names quoted and escaped', () => {
  it.each(HOSTILE_NAMES)('solve, check, minimize, plot, import-weights with the name %j', async (name) => {
    const dir = tempDir();
    const inst = tempFile('inst.json', { ...abs2, name });
    const cert = join(dir, 'c.json');
    const outputs: string[] = [];
    const solve = await cli('solve', inst, '--cert', cert);
    expect(solve.code).toBe(10);
    outputs.push(solve.out, solve.err);
    expect(solve.out.split('\n')[0]).toMatch(/^".*": feasible \(loss 0\)$/);
    const c = await cli('check', cert);
    expect(c.code).toBe(0);
    expect(c.out.split('\n').filter(Boolean)).toHaveLength(1);
    expect(c.out).toMatch(/^valid: the network with .* fits ".*" with zero error on 3 points\n$/);
    outputs.push(c.out, c.err);
    const json = await cli('solve', inst, '--json');
    outputs.push(json.out);
    expect(JSON.parse(json.out).instance).toBe(name);
    const l1 = tempFile('l1.json', { ...JSON.parse(readFileSync('instances/abs-3-k1-l1-half.json', 'utf8')), name });
    const m = await cli('minimize', l1, '--loss', '--out', dir);
    expect(m.code).toBe(0);
    outputs.push(m.out, m.err);
    const p = await cli('plot', inst, '-o', join(dir, 'p.svg'));
    outputs.push(p.out, p.err);
    const imp = await cli('import-weights', 'examples/abs-3-k2.network.json', '--format', 'json', '--instance', inst);
    outputs.push(imp.out, imp.err);
    for (const text of outputs) expectSafe(text);
  });
});

describe('rejections and errors escape what they quote from the file', () => {
  it('an unknown field named with bidirectional overrides', () => {
    const cert = clone(JSON.parse(readFileSync('certificates/abs-3-k2.cert.json', 'utf8')));
    cert['\u202egnp.exe'] = 1;
    const r = check(cert);
    expect(r.status).toBe('rejected');
    if (r.status === 'rejected') {
      expectSafe(r.message);
      expect(r.message).toContain('\\u202egnp.exe');
    }
  });
  it('a multiplier name and a format string with control characters', async () => {
    const cert = JSON.parse(readFileSync('certificates/abs-3-k1.cert.json', 'utf8'));
    cert.proof.cases[1].tree.multipliers['fit:0\rvalid: x'] = '1';
    const f = tempFile('c.json', cert);
    const r = await cli('check', f);
    expect(r.code).toBe(1);
    expectSafe(r.err);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    const g = tempFile('c.json', { ...cert, format: 'relucert-certificate/1\u2067' });
    const s = await cli('check', g);
    expect(s.code).toBe(1);
    expectSafe(s.err);
  });
  it('bad input naming a field with a hostile key', async () => {
    const f = tempFile('inst.json', { ...abs2, 'colour\u202e': 'red' });
    const r = await cli('solve', f);
    expect(r.code).toBe(2);
    expectSafe(r.err);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });
});
