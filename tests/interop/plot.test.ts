import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Q } from '../../src/core/rational.js';
import { readInstance, readNetwork, readNetworkOrWitness } from '../../src/format/schema.js';
import { affineText, clipHalfPlane, clipLine, niceTicks, plotSvg } from '../../src/interop/plot.js';
import { cli, tempDir, tempFile } from '../helpers.js';

/** A tiny XML check: starts with <svg, every tag is closed in order, nothing after </svg>. */
function wellFormed(svg: string): void {
  expect(svg.startsWith('<svg')).toBe(true);
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    const [, close, name, self] = m;
    if (self) continue;
    if (close) expect(stack.pop(), `closing </${name}>`).toBe(name);
    else stack.push(name!);
  }
  expect(stack).toEqual([]);
  expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  expect(svg).not.toMatch(/NaN|Infinity|undefined/);
}
const circles = (svg: string): number => (svg.match(/<circle\b/g) ?? []).length;

describe('plotSvg', () => {
  it('d = 1 with a ReLU network: one circle per point, the breakpoint, the curve', () => {
    const svg = plotSvg(readInstance('instances/abs-3-k2.json'), readNetwork('examples/abs-3-k2.network.json'));
    wellFormed(svg);
    expect(circles(svg)).toBe(3);
    expect(svg).toContain('u0, u1: x = 0');
    expect(svg).toContain('the network fits (checked exactly)');
    expect(svg).toContain('<polyline');
  });
  it('d = 1 with a leaky ReLU network: the slope in the question, the curve through every point (checked exactly)', () => {
    const svg = plotSvg(readInstance('instances/abs-3-leaky-k2.json'), readNetworkOrWitness('certificates/abs-3-leaky-k2.cert.json'));
    wellFormed(svg);
    expect(circles(svg)).toBe(3);
    expect(svg).toContain('2 leaky-relu units (slope 1/10), exact fit; the network fits (checked exactly)');
    // the same weights read as a ReLU network do not fit: the plot says so
    const relu = readNetworkOrWitness('certificates/abs-3-leaky-k2.cert.json');
    expect(plotSvg(readInstance('instances/abs-3-leaky-k2.json'), { layers: [{ ...relu.layers[0]!, activation: 'relu' }, relu.layers[1]!] })).toContain(
      'the network does NOT fit',
    );
  });
  it('d = 1 threshold network: a step per interval', () => {
    const net = {
      layers: [
        { activation: 'threshold' as const, weights: [[Q.ONE], [Q.ONE]], bias: [Q.of(-1, 2), Q.of(-5, 2)] },
        { activation: 'identity' as const, weights: [[Q.ONE, Q.MINUS_ONE]], bias: [Q.ZERO] },
      ],
    };
    const svg = plotSvg(readInstance('instances/bump-threshold-k2.json'), net);
    wellFormed(svg);
    expect(circles(svg)).toBe(4);
    expect((svg.match(/<polyline/g) ?? []).length).toBe(3);
  });
  it('d = 1 without a network, and points a network misses are ringed', () => {
    const inst = readInstance('instances/abs-3-k1.json');
    wellFormed(plotSvg(inst, undefined));
    const net = {
      layers: [
        { activation: 'relu' as const, weights: [[Q.ONE]], bias: [Q.ZERO] },
        { activation: 'identity' as const, weights: [[Q.ONE]], bias: [Q.ZERO] },
      ],
    };
    const svg = plotSvg(inst, net);
    wellFormed(svg);
    expect(circles(svg)).toBe(3);
    expect(svg).toContain('missed by the network');
    expect(svg).toContain('does NOT fit');
  });
  it('d = 2 classification: breaklines, arrows, two label colours', () => {
    const inst = readInstance('examples/xor-plot.json');
    const svg = plotSvg(inst, readNetwork('examples/xor-plot.network.json'));
    wellFormed(svg);
    expect(circles(svg)).toBe(inst.points.length);
    expect(svg).toContain('unit 0: x1 - x2 - 1 &gt; 0');
    expect(svg).toContain('label +1');
  });
  it('d = 2 regression: a colour scale', () => {
    const inst = readInstance('instances/teacher-d2-k2.json');
    const svg = plotSvg(inst, undefined);
    wellFormed(svg);
    expect(circles(svg)).toBe(inst.points.length);
    expect(svg).toContain('linearGradient');
  });
  it('escapes the instance name', () => {
    const inst = { ...readInstance('instances/abs-3-k2.json'), name: 'a<b & "c"' };
    const svg = plotSvg(inst, undefined);
    wellFormed(svg);
    expect(svg).toContain('a&lt;b &amp; &quot;c&quot;');
  });
});

describe('geometry helpers', () => {
  it('niceTicks gives round steps inside the range', () => {
    expect(niceTicks(-1.16, 1.16)).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(niceTicks(0, 10)).toEqual([0, 2, 4, 6, 8, 10]);
  });
  it('clipLine clips to the box; clipHalfPlane keeps the side where a x + b y + c >= 0', () => {
    expect(clipLine(1, -1, 0, [-1, 1, -1, 1])).toEqual([
      [-1, -1],
      [1, 1],
    ]);
    expect(clipLine(1, 0, -5, [-1, 1, -1, 1])).toBeUndefined();
    const half = clipHalfPlane(
      [
        [0, 0],
        [2, 0],
        [2, 2],
        [0, 2],
      ],
      1,
      0,
      -1,
    );
    expect(half.every(([x]) => x >= 1)).toBe(true);
    expect(half).toHaveLength(4);
  });
  it('affineText', () => {
    expect(affineText([Q.ONE, Q.of(-2)], Q.of(1, 2))).toBe('x1 - 2·x2 + 1/2');
    expect(affineText([Q.MINUS_ONE, Q.ZERO], Q.ZERO)).toBe('-x1');
    expect(affineText([Q.ZERO, Q.ZERO], Q.of(-3))).toBe('-3');
  });
});

describe('relucert plot', () => {
  it('writes the SVG for d = 1 and d = 2 (exit 0)', async () => {
    for (const [inst, net] of [
      ['instances/abs-3-k2.json', 'examples/abs-3-k2.network.json'],
      ['examples/xor-plot.json', 'examples/xor-plot.network.json'],
    ] as const) {
      const out = join(tempDir(), 'p.svg');
      const r = await cli('plot', inst, '--network', net, '-o', out);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^wrote .*p\.svg \(/);
      const svg = readFileSync(out, 'utf8');
      wellFormed(svg);
      expect(circles(svg)).toBe(readInstance(inst).points.length);
    }
  });
  it('d = 3 is refused naming the file and field (exit 2)', async () => {
    const r = await cli('plot', 'instances/teacher-d3-k1.json', '-o', join(tempDir(), 'p.svg'));
    expect(r).toMatchObject({
      code: 2,
      err: 'relucert: instances/teacher-d3-k1.json: points: plot supports dimension 1 and 2, this instance has dimension 3\n',
    });
  });
  it('a network of the wrong dimension is refused naming the network file', async () => {
    const r = await cli('plot', 'instances/abs-3-k2.json', '--network', 'examples/xor-plot.network.json', '-o', join(tempDir(), 'p.svg'));
    expect(r).toMatchObject({
      code: 2,
      err: 'relucert: examples/xor-plot.network.json: layers[0].weights: rows have 2 entries, the instance has dimension 1\n',
    });
  });
  it('-o is required', async () => {
    const r = await cli('plot', 'instances/abs-3-k2.json');
    expect(r.code).toBe(2);
  });
  it('a three-layer network is refused', async () => {
    const net = tempFile('n.json', {
      format: 'relucert-network/1',
      layers: [
        { activation: 'relu', weights: [['1']], bias: ['0'] },
        { activation: 'relu', weights: [['1']], bias: ['0'] },
        { activation: 'identity', weights: [['1']], bias: ['0'] },
      ],
    });
    const r = await cli('plot', 'instances/abs-3-k2.json', '--network', net, '-o', join(tempDir(), 'p.svg'));
    expect(r).toMatchObject({ code: 2, err: `relucert: ${net}: layers: has 3 layers; plot draws two-layer networks\n` });
  });
});
