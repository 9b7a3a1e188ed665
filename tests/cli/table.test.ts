/**
 * relucert table (src/cli/commands/table.ts, src/run/table.ts): the least
 * loss per width, every entry certified on both sides and written, printed
 * as text, JSON, LaTeX or CSV; --widths parsed exactly.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Q, parseRational } from '../../src/core/rational.js';
import { parseWidths } from '../../src/cli/commands/table.js';
import { cli, tempDir } from '../helpers.js';
import { CASES } from '../paths.js';

const ABS = 'instances/abs-3-k1.json';
/** A rational the CLI printed. */
const rat = (s: string): Q => parseRational(s)!;

interface Files {
  instance: string;
  certificate: string;
}
interface Entry {
  width: number;
  status: string;
  value?: string;
  lower?: string;
  upper?: string | null;
  witness: Files | null;
  lowerBound: Files | null;
  folder: string;
}

describe('relucert table', () => {
  it('--widths 1..3 --loss l2: the least l2 loss per width, each entry certified on both sides, agreeing with minimize', async () => {
    const out = tempDir();
    const r = await cli('table', ABS, '--widths', '1..3', '--loss', 'l2', '--out', out, '--json');
    expect(r.code).toBe(0);
    const t = JSON.parse(r.out) as { question: string; entries: Entry[] };
    expect(t.question).toBe('k relu units, output weights signs, no output bias; least l2 loss on 3 points in dimension 1');
    expect(t.entries.map((e) => e.width)).toEqual([1, 2, 3]);
    for (const e of t.entries) {
      expect(e.status).toBe('optimal');
      const at = await cli('check', e.witness!.certificate, '--instance', e.witness!.instance);
      expect(at.out).toMatch(new RegExp(`^valid: the network with ${e.width} relu unit`));
      const below = await cli('check', e.lowerBound!.certificate, '--instance', e.lowerBound!.instance);
      expect(below.out).toMatch(new RegExp(`^valid: no network with ${e.width} relu unit.*l2 loss < `));
      expect(e.witness!.certificate.startsWith(e.folder)).toBe(true);
    }
    // a wider network never does worse (a unit can be switched off), and every entry is minimize's answer at that width
    const values = t.entries.map((e) => rat(e.value!));
    for (let i = 1; i < values.length; i++) expect(values[i]!.le(values[i - 1]!)).toBe(true);
    for (const e of t.entries) {
      const m = JSON.parse((await cli('minimize', ABS, '--loss', 'l2', '--hidden', String(e.width), '--out', tempDir(), '--json')).out) as { value: string };
      expect(m.value).toBe(e.value);
    }
  });
  it('--latex, --csv and text show the same values as --json', async () => {
    const out = tempDir();
    const args = ['table', ABS, '--widths', '1,2', '--loss', 'l1', '--out', out];
    const json = JSON.parse((await cli(...args, '--json')).out) as { entries: Entry[] };
    const values = json.entries.map((e) => rat(e.value!));
    const latex = (await cli(...args, '--latex')).out;
    expect(latex).toMatch(/^% relucert table: least l1 loss of "abs-3-k1" by width k;[^\n]*\n% [^\n]*\n\\begin\{tabular\}\{rll\}\n\\toprule\n/);
    expect(latex.endsWith('\\bottomrule\n\\end{tabular}\n')).toBe(true);
    const tex = (q: Q): string => (q.den === 1n ? q.toString() : `\\tfrac{${q.num}}{${q.den}}`);
    values.forEach((v, i) => expect(latex).toContain(`\n${i + 1} & $${tex(v)}$ & `));
    const csv = (await cli(...args, '--csv')).out.trim().split('\n');
    expect(csv[0]).toBe('width,status,value,lower,upper,approx,folder');
    values.forEach((v, i) => expect(csv[i + 1]).toMatch(new RegExp(`^${i + 1},optimal,${v},${v},${v},`)));
    const text = (await cli(...args)).out;
    values.forEach((v, i) => expect(text).toMatch(new RegExp(`\\n {2}${i + 1} +${v.toString().replace('/', '\\/')} `)));
  });
  it('an entry stopped by its time limit shows its certified bounds as an interval (exit 30)', async () => {
    const r = await cli('table', join(CASES, 'F-anytime-minimize-l1.json'), '--widths', '3', '--timeout', '5', '--out', tempDir(), '--json');
    expect(r.code).toBe(30);
    const [e] = (JSON.parse(r.out) as { entries: Entry[] }).entries;
    expect(e!.status).toBe('bounds');
    expect(rat(e!.lower!).le(rat(e!.upper!))).toBe(true);
    const up = await cli('check', e!.witness!.certificate, '--instance', e!.witness!.instance);
    expect(up.code).toBe(0);
  });
  it('bad input: one line naming the option, exit 2', async () => {
    for (const [args, option] of [
      [['--widths', '3..1', '--loss', 'l2'], '--widths'],
      [['--widths', '0..2', '--loss', 'l2'], '--widths'],
      [['--widths', 'a', '--loss', 'l2'], '--widths'],
      [['--widths', '1..2', '--loss', 'l2:1'], '--loss'],
      [['--widths', '1..2', '--loss', 'l2', '--hidden', '2'], '--hidden'],
      [['--widths', '1..2', '--loss', 'l2', '--json', '--latex'], '--json/--latex'],
    ] as const) {
      const r = await cli('table', ABS, ...args);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(new RegExp(`^relucert: command line: ${option}: [^\\n]+\\n$`));
    }
    const exact = await cli('table', ABS, '--widths', '1..2');
    expect(exact).toMatchObject({ code: 2, err: expect.stringMatching(/loss\.type: minimize --loss needs an l1, linf or l2 instance.*--loss l2/) as unknown });
  });
});

describe('parseWidths', () => {
  it('reads every increasing list of widths written as ranges and single widths', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 20 }), fc.boolean(), (ws, ranges) => {
        const widths = [...ws].sort((a, b) => a - b);
        // runs of consecutive widths written as a..b when `ranges`
        const parts: string[] = [];
        for (let i = 0; i < widths.length;) {
          let j = i;
          while (ranges && j + 1 < widths.length && widths[j + 1] === widths[j]! + 1) j++;
          parts.push(j > i ? `${widths[i]}..${widths[j]}` : String(widths[i]));
          i = j + 1;
        }
        expect(parseWidths(parts.join(','))).toEqual(widths);
      }),
    );
  });
  it('refuses widths out of order, repeated, empty ranges and non-numbers', () => {
    for (const bad of ['2,1', '1,1', '3..2', '', '1..', 'x', '1.5', '0'] as const) expect(() => parseWidths(bad), bad).toThrow(/--widths|widths/);
  });
});
