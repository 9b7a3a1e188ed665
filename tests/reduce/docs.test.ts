/**
 * docs/reductions.md: the plugin of the tutorial is the shipped file, and the
 * commands it shows print what it shows (up to times and output folders).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { reductions, resolveReduction } from '../../src/reduce/registry.js';
import { cli, tempDir } from '../helpers.js';

const doc = readFileSync('docs/reductions.md', 'utf8');
const PLUGIN = 'examples/reductions/polygon-separability.mjs';

/** Times and temporary folders vary between runs. */
const normal = (text: string, dir: string): string => text.replaceAll(`${dir}/`, 'out/').replace(/\d+\.\d s\b/g, 'T s');

/** The `$ npx relucert ...` commands of a fenced block that starts after `heading`, each with the output shown under it. */
function shownCommands(heading: string): { argv: string[]; shown: string }[] {
  const start = doc.indexOf('```\n', doc.indexOf(heading)) + 4;
  const block = doc.slice(start, doc.indexOf('```', start));
  return block
    .split(/^\$ npx relucert /m)
    .slice(1)
    .map((part) => {
      const nl = part.indexOf('\n');
      return { argv: part.slice(0, nl).split(' '), shown: part.slice(nl + 1) };
    });
}

describe('docs/reductions.md, section 5: writing a plugin', () => {
  it('the listing is examples/reductions/polygon-separability.mjs, verbatim', () => {
    const start = doc.indexOf('```js\n', doc.indexOf('### 5.2 The plugin')) + '```js\n'.length;
    expect(doc.slice(start, doc.indexOf('```\n', start))).toBe(readFileSync(PLUGIN, 'utf8'));
  });
  it('every command of 5.4 prints what the page shows', async () => {
    const cmds = shownCommands('### 5.4 Running it');
    expect(cmds.length).toBe(4);
    for (const { argv, shown } of cmds) {
      const dir = tempDir();
      // the folder exists, as after a first run: a folder made for the output would be announced on stderr (tests/format/files.test.ts)
      if (argv[0] === 'fuzz') mkdirSync(`${dir}/fuzz-polygon-separability`);
      const r = await cli(
        ...argv.map((a) => (a.startsWith('out/') ? `${dir}/${a.slice(4)}` : a)),
        ...(argv[0] === 'fuzz' ? ['--out', `${dir}/fuzz-polygon-separability`] : []),
      );
      expect(normal(r.out, dir), argv.join(' ')).toBe(normal(shown, dir));
      expect(r.err).toBe('');
    }
  }, 120_000);
});

describe('docs/reductions.md, section 2: the exhaustive example', () => {
  it('finds the smallest counterexample the page shows', async () => {
    const [cmd] = shownCommands('## 2. Bounded-exhaustive fuzzing');
    const r = await cli(...cmd!.argv, '--out', tempDir());
    expect(r.code).toBe(1);
    const line = (t: string): string | undefined => t.split('\n').find((l) => l.includes('smallest counterexample'));
    expect(line(r.out)).toBe(line(cmd!.shown));
    expect(line(r.out)).toBeDefined();
  }, 120_000);
});

describe('docs/reductions.md: example source files', () => {
  it('every source shown for a built-in or the plugin parses', async () => {
    const all = [...reductions, await resolveReduction(PLUGIN)];
    for (const red of all) {
      const re = new RegExp('`(\\{"format": "' + red.sourceFormat.replace('/', '\\/') + '"[^`]*)`', 'g');
      const found = [...doc.matchAll(re)];
      expect(found.length, red.name).toBeGreaterThan(0);
      for (const f of found) expect(() => red.parseSource(JSON.parse(f[1]!), 'docs')).not.toThrow();
    }
  });
});
