/** docs/reductions.md: the worked example is the shipped file, and it runs as written. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fuzzBoth } from '../../examples/reductions/linear-separability.js';

const doc = readFileSync('docs/reductions.md', 'utf8');

describe('docs/reductions.md worked example', () => {
  it('the code block is examples/reductions/linear-separability.ts, verbatim', () => {
    const start = doc.indexOf('```ts\n') + '```ts\n'.length;
    const end = doc.indexOf('```\n\nRun it as written');
    expect(doc.slice(start, end)).toBe(readFileSync('examples/reductions/linear-separability.ts', 'utf8'));
  });
  it('prints exactly the output shown', async () => {
    const m = /\$ npx tsx examples\/reductions\/linear-separability\.ts\n([\s\S]*?)\n```/.exec(doc);
    expect(m).not.toBeNull();
    expect((await fuzzBoth()).join('\n')).toBe(m![1]);
  }, 60_000);
  it('the example source files in the docs parse', async () => {
    const { reductions } = await import('../../src/reduce/registry.js');
    for (const red of reductions) {
      const re = new RegExp('`(\\{"format": "' + red.sourceFormat.replace('/', '\\/') + '"[^`]*)`', 'g');
      const found = [...doc.matchAll(re)];
      expect(found.length, red.name).toBeGreaterThan(0);
      for (const f of found) expect(() => red.parseSource(JSON.parse(f[1]!), 'docs')).not.toThrow();
    }
  });
});
