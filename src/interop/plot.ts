/**
 * SVG pictures of an instance and, optionally, a network on it. Hand-written
 * SVG, no dependencies. Floats appear here for drawing only; the breakpoints
 * of the fitted function and its values there are computed exactly and only
 * then turned into pixel coordinates, and whether the network fits is
 * decided by the exact lossOf.
 *
 * d = 1: the points (x, y), the function f drawn through its breakpoints
 * (straight segments for ReLU and leaky ReLU, steps for threshold), each unit's breakpoint a
 * faint vertical line. d = 2: the points coloured by label, each unit's
 * breakline w.x + b = 0 clipped to the box, its active side (w.x + b > 0)
 * shaded and marked by an arrow along w. Every data point is one <circle>;
 * nothing else is drawn with <circle>.
 */
import { evaluate, lossOf, shapeErrors } from '../core/evaluate.js';
import { Q, approximate } from '../core/rational.js';
import type { Instance, Layer, Network } from '../core/types.js';

/** Least / greatest of a list, without spreading it into arguments (which overflows the stack past ~100,000 points). */
const minOf = (xs: readonly number[]): number => xs.reduce((m, x) => (x < m ? x : m), Infinity);
const maxOf = (xs: readonly number[]): number => xs.reduce((m, x) => (x > m ? x : m), -Infinity);
import { InputError } from '../format/errors.js';
import { slopeAndBoundText } from '../format/text.js';

export interface PlotConstraints {
  /** The instance file, named in errors (default "instance"). */
  instanceFile?: string;
  /** The network file, named in errors (default "network"). */
  networkFile?: string;
  /** Picture size in px (default 760 x 520). */
  width?: number;
  height?: number;
}

/** The SVG text of the plot; throws InputError for d >= 3 or a network plot cannot draw. */
export function plotSvg(inst: Instance, net: Network | undefined, opts: PlotConstraints = {}): string {
  const d = inst.points[0]!.length;
  if (d !== 1 && d !== 2) throw new InputError(opts.instanceFile ?? 'instance', 'points', `plot supports dimension 1 and 2, this instance has dimension ${d}`);
  if (net) checkDrawable(net, d, opts.networkFile ?? 'network');
  const canvas = new Canvas(opts.width ?? 760, opts.height ?? 520);
  return d === 1 ? plot1(inst, net, canvas) : plot2(inst, net, canvas);
}

interface TwoLayer extends Network {
  layers: [Layer, Layer];
}

function checkDrawable(net: Network, d: number, file: string): asserts net is TwoLayer {
  if (net.layers.length !== 2) throw new InputError(file, 'layers', `has ${net.layers.length} layers; plot draws two-layer networks`);
  const [h, o] = net.layers as [Layer, Layer];
  if (h.activation === 'identity') throw new InputError(file, 'layers[0].activation', 'plot draws relu, leaky-relu or threshold hidden units');
  if (h.weights[0]!.length !== d) throw new InputError(file, 'layers[0].weights', `rows have ${h.weights[0]!.length} entries, the instance has dimension ${d}`);
  if (o.weights.length !== 1) throw new InputError(file, 'layers[1].weights', `has ${o.weights.length} outputs, expected 1`);
  if (o.activation !== 'identity') throw new InputError(file, 'layers[1].activation', 'plot draws an identity output layer');
}

// ---------------------------------------------------------------------------
// drawing primitives

const UNIT_COLOURS = ['#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e', '#e6ab02', '#a6761d', '#666666'];
const POSITIVE = '#2166ac';
const NEGATIVE = '#f4a582';
const CURVE = '#222222';
const VIRIDIS = ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'];

const unitColour = (j: number): string => UNIT_COLOURS[j % UNIT_COLOURS.length]!;
const f2 = (v: number): string => (Math.round(v * 100) / 100).toString();

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

interface LegendEntry {
  swatch: 'point' | 'line' | 'dashed' | 'ring' | 'area';
  colour: string;
  label: string;
  stroke?: string;
}

/** Tick positions (in data units) and how to label them. */
export interface AxisTicks {
  ticks?: number[];
  label?: (t: number) => string;
}

/** The picture: a plot box with data ranges, and SVG elements in drawing order (also used by src/learn/chart.ts). */
export class Canvas {
  readonly left = 64;
  readonly top = 64;
  readonly right: number;
  readonly bottom: number;
  xlo = 0;
  xhi = 1;
  ylo = 0;
  yhi = 1;
  readonly defs: string[] = [];
  readonly body: string[] = [];
  readonly legend: LegendEntry[] = [];

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.right = width - 230;
    this.bottom = height - 52;
  }
  px(x: number): number {
    return this.left + ((x - this.xlo) / (this.xhi - this.xlo)) * (this.right - this.left);
  }
  py(y: number): number {
    return this.bottom - ((y - this.ylo) / (this.yhi - this.ylo)) * (this.bottom - this.top);
  }
  add(el: string): void {
    this.body.push(el);
  }

  /** Axes frame, grid and tick labels; `custom` may replace an axis' ticks and their labels (e.g. powers of ten on a log axis). */
  axes(xName: string, yName: string, custom: { x?: AxisTicks; y?: AxisTicks } = {}): void {
    const { left, right, top, bottom } = this;
    const grid: string[] = [];
    const labels: string[] = [];
    for (const t of custom.x?.ticks ?? niceTicks(this.xlo, this.xhi)) {
      const x = f2(this.px(t));
      grid.push(`<line x1="${x}" y1="${top}" x2="${x}" y2="${bottom}"/>`);
      labels.push(`<line x1="${x}" y1="${bottom}" x2="${x}" y2="${bottom + 5}" stroke="#333"/>`);
      labels.push(`<text x="${x}" y="${bottom + 19}" text-anchor="middle">${(custom.x?.label ?? tickLabel)(t)}</text>`);
    }
    for (const t of custom.y?.ticks ?? niceTicks(this.ylo, this.yhi)) {
      const y = f2(this.py(t));
      grid.push(`<line x1="${left}" y1="${y}" x2="${right}" y2="${y}"/>`);
      labels.push(`<line x1="${left - 5}" y1="${y}" x2="${left}" y2="${y}" stroke="#333"/>`);
      labels.push(`<text x="${left - 8}" y="${f2(Number(y) + 4)}" text-anchor="end">${(custom.y?.label ?? tickLabel)(t)}</text>`);
    }
    this.body.unshift(`<g stroke="#e6e6e6" stroke-width="1">${grid.join('')}</g>`);
    this.add(`<rect x="${left}" y="${top}" width="${right - left}" height="${bottom - top}" fill="none" stroke="#333" stroke-width="1"/>`);
    this.add(`<g font-size="11" fill="#333">${labels.join('')}</g>`);
    this.add(`<text x="${f2((left + right) / 2)}" y="${bottom + 40}" text-anchor="middle" font-size="13" font-style="italic">${escapeXml(xName)}</text>`);
    this.add(
      `<text x="${left - 46}" y="${f2((top + bottom) / 2)}" text-anchor="middle" font-size="13" font-style="italic" transform="rotate(-90 ${left - 46} ${f2((top + bottom) / 2)})">${escapeXml(yName)}</text>`,
    );
  }

  /** Serialises: title, subtitle, clip path for the plot box, body, legend. */
  render(title: string, subtitle: string): string {
    const { width, height, left, right, top, bottom } = this;
    const legend: string[] = [];
    let y = top + 8;
    const lx = right + 18;
    for (const e of this.legend) {
      const cy = y;
      switch (e.swatch) {
        case 'point':
          legend.push(`<path d="${circlePath(lx + 10, cy, 5)}" fill="${e.colour}" stroke="${e.stroke ?? '#333'}" stroke-width="1"/>`);
          break;
        case 'ring':
          legend.push(`<path d="${circlePath(lx + 10, cy, 8)}" fill="none" stroke="${e.colour}" stroke-width="2"/>`);
          break;
        case 'line':
          legend.push(`<line x1="${lx}" y1="${cy}" x2="${lx + 20}" y2="${cy}" stroke="${e.colour}" stroke-width="2.5"/>`);
          break;
        case 'dashed':
          legend.push(`<line x1="${lx}" y1="${cy}" x2="${lx + 20}" y2="${cy}" stroke="${e.colour}" stroke-width="1.5" stroke-dasharray="4 3"/>`);
          break;
        case 'area':
          legend.push(`<rect x="${lx}" y="${cy - 6}" width="20" height="12" fill="${e.colour}" fill-opacity="0.25" stroke="${e.colour}" stroke-width="1"/>`);
          break;
      }
      legend.push(`<text x="${lx + 28}" y="${cy + 4}">${escapeXml(e.label)}</text>`);
      y += 22;
    }
    return [
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
      `<defs><clipPath id="plot-box"><rect x="${left}" y="${top}" width="${right - left}" height="${bottom - top}"/></clipPath>${this.defs.join('')}</defs>`,
      `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
      `<text x="${left}" y="26" font-size="17" font-weight="bold">${escapeXml(title)}</text>`,
      `<text x="${left}" y="46" font-size="12" fill="#555">${escapeXml(subtitle)}</text>`,
      ...this.body,
      `<g font-size="12" fill="#333">${legend.join('')}</g>`,
      '</svg>',
      '',
    ].join('\n');
  }
}

/** A circle as a path (two arcs), for markers that are not data points. */
function circlePath(cx: number, cy: number, r: number): string {
  return `M${f2(cx - r)},${f2(cy)}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0Z`;
}

/** About `count` round tick values (1, 2, 5 times a power of ten) inside [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 6): number[] {
  const raw = (hi - lo) / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return out;
}

function tickLabel(t: number): string {
  const s = Number(t.toPrecision(10)).toString();
  return s === '-0' ? '0' : s;
}

/** [lo, hi] widened by frac of its length on each side (by 1 when it is a single value). */
export function padded(lo: number, hi: number, frac: number): [number, number] {
  if (hi - lo < 1e-12) return [lo - 1, hi + 1];
  const pad = (hi - lo) * frac;
  return [lo - pad, hi + pad];
}

const toQ = (x: number): Q => approximate(x, 1_000_000n);

function subtitleOf(inst: Instance, net: Network | undefined): string {
  const a = inst.architecture;
  const l = inst.loss;
  const loss = l.type === 'exact' ? 'exact fit' : l.type === 'classification' ? 'classification' : `${l.type} loss ${l.strict ? '<' : '<='} ${l.bound}`;
  const { slope, bound } = slopeAndBoundText(a);
  const q = `${inst.points.length} points, ${a.hidden} ${a.activation} unit${a.hidden === 1 ? '' : 's'}${slope}${bound}, ${loss}`;
  if (!net) return q;
  const rep = lossOf(inst, net);
  const shape = shapeErrors(inst, net);
  const verdict =
    rep.withinBound && shape.length === 0
      ? 'the network fits (checked exactly)'
      : `the network does NOT fit (loss ${rep.loss}${shape.length ? '; wrong architecture' : ''})`;
  return `${q}; ${verdict}`;
}

/** Rings around the points the network gets wrong (exact lossOf). */
function ringViolations(inst: Instance, net: Network, c: Canvas, at: (i: number) => [number, number]): void {
  const bad = lossOf(inst, net).violations;
  if (bad.length === 0) return;
  for (const i of bad) {
    const [x, y] = at(i);
    c.add(`<path d="${circlePath(x, y, 9)}" fill="none" stroke="#d7191c" stroke-width="2"/>`);
  }
  c.legend.push({ swatch: 'ring', colour: '#d7191c', label: 'missed by the network' });
}

// ---------------------------------------------------------------------------
// d = 1

/** Exact breakpoints -b_j / w_j of the units with w_j != 0, with their unit index. */
export function breakpoints1(net: TwoLayer): { unit: number; at: Q }[] {
  const h = net.layers[0];
  return h.weights.flatMap((row, j) => (row[0]!.isZero() ? [] : [{ unit: j, at: h.bias[j]!.neg().div(row[0]!) }]));
}

const f1 = (net: Network, x: Q): Q => evaluate(net, [x])[0]!;

function plot1(inst: Instance, net: TwoLayer | undefined, c: Canvas): string {
  const xs = inst.points.map((p) => p[0]!.toNumber());
  const ys = inst.labels.map((y) => y.toNumber());
  let xmin = minOf(xs);
  let xmax = maxOf(xs);
  const span = Math.max(xmax - xmin, 1);
  const bps = net ? breakpoints1(net) : [];
  // Breakpoints near the data widen the view; far-away ones are listed in the legend only.
  for (const b of bps) {
    const v = b.at.toNumber();
    if (v >= xmin - span && v <= xmax + span) {
      xmin = Math.min(xmin, v);
      xmax = Math.max(xmax, v);
    }
  }
  [c.xlo, c.xhi] = padded(xmin, xmax, 0.08);
  const lo = toQ(c.xlo);
  const hi = toQ(c.xhi);
  const inside = [...new Map(bps.filter((b) => b.at.gt(lo) && b.at.lt(hi)).map((b) => [b.at.toString(), b.at])).values()].sort((a, b) => a.cmp(b));
  const knots = [lo, ...inside, hi];

  // The function: exact values at the knots (ReLU), or on each open interval and at each knot (threshold).
  const step = net?.layers[0].activation === 'threshold';
  const curve: [number, number][][] = [];
  const atKnots: [number, number][] = [];
  if (net) {
    if (!step) curve.push(knots.map((x) => [x.toNumber(), f1(net, x).toNumber()]));
    else {
      for (let s = 0; s + 1 < knots.length; s++) {
        const a = knots[s]!;
        const b = knots[s + 1]!;
        const v = f1(net, a.add(b).div(Q.of(2))).toNumber();
        curve.push([
          [a.toNumber(), v],
          [b.toNumber(), v],
        ]);
      }
      for (const x of inside) atKnots.push([x.toNumber(), f1(net, x).toNumber()]);
    }
  }
  const allY = [...ys, ...curve.flat().map((p) => p[1]), ...atKnots.map((p) => p[1])];
  [c.ylo, c.yhi] = padded(minOf(allY), maxOf(allY), 0.1);
  c.axes('x', 'y (label)');

  if (net) {
    const units = net.layers[0].weights.length;
    const drawn = new Set<number>();
    // One faint line per breakpoint value, labelled with every unit that breaks there.
    for (const at of inside) {
      const here = bps.filter((b) => b.at.eq(at)).map((b) => b.unit);
      here.forEach((j) => drawn.add(j));
      const x = f2(c.px(at.toNumber()));
      const colour = unitColour(here[0]!);
      c.add(`<line x1="${x}" y1="${c.top}" x2="${x}" y2="${c.bottom}" stroke="${colour}" stroke-width="1.5" stroke-opacity="0.55" stroke-dasharray="5 4"/>`);
      c.add(`<text x="${f2(Number(x) + 4)}" y="${c.top + 14}" font-size="11" fill="${colour}">${here.map((j) => `u${j}`).join(', ')}: x = ${at}</text>`);
    }
    for (let j = 0; j < units; j++) {
      const b = bps.find((p) => p.unit === j);
      const where = b === undefined ? 'no breakpoint (w = 0)' : drawn.has(j) ? `breakpoint x = ${b.at}` : `breakpoint x = ${b.at} (off the plot)`;
      c.legend.push({ swatch: 'dashed', colour: unitColour(j), label: `unit ${j}: ${where}` });
    }
    const segs = curve.map(
      (pts) =>
        `<polyline points="${pts.map(([x, y]) => `${f2(c.px(x))},${f2(c.py(y))}`).join(' ')}" fill="none" stroke="${CURVE}" stroke-width="2.5" stroke-linejoin="round"/>`,
    );
    c.add(`<g clip-path="url(#plot-box)">${segs.join('')}</g>`);
    if (step) {
      // Jumps: a faint connector, and the value at the breakpoint itself (threshold(0) = 0) as a small dot.
      const marks: string[] = [];
      for (let s = 0; s + 1 < curve.length; s++) {
        const x = c.px(curve[s]![1]![0]);
        marks.push(
          `<line x1="${f2(x)}" y1="${f2(c.py(curve[s]![1]![1]))}" x2="${f2(x)}" y2="${f2(c.py(curve[s + 1]![0]![1]))}" stroke="${CURVE}" stroke-width="1" stroke-dasharray="2 3"/>`,
        );
      }
      for (const [x, y] of atKnots) marks.push(`<path d="${circlePath(c.px(x), c.py(y), 3.5)}" fill="${CURVE}"/>`);
      c.add(`<g>${marks.join('')}</g>`);
    }
    c.legend.unshift({ swatch: 'line', colour: CURVE, label: step ? 'network f (steps)' : 'network f' });
  }
  c.legend.unshift({ swatch: 'point', colour: POSITIVE, label: 'data (x_i, y_i)' });
  const dots = inst.points.map(
    (p, i) =>
      `<circle cx="${f2(c.px(p[0]!.toNumber()))}" cy="${f2(c.py(ys[i]!))}" r="5" fill="${POSITIVE}" stroke="#fff" stroke-width="1.5"><title>x = ${p[0]}, y = ${inst.labels[i]}</title></circle>`,
  );
  c.add(`<g>${dots.join('')}</g>`);
  if (net) ringViolations(inst, net, c, (i) => [c.px(xs[i]!), c.py(ys[i]!)]);
  return c.render(inst.name, subtitleOf(inst, net));
}

// ---------------------------------------------------------------------------
// d = 2

type Pt = [number, number];

/** The part of a convex polygon where a x + b y + c >= 0 (Sutherland-Hodgman, one edge). */
export function clipHalfPlane(poly: Pt[], a: number, b: number, c: number): Pt[] {
  const out: Pt[] = [];
  const side = (p: Pt): number => a * p[0] + b * p[1] + c;
  for (let i = 0; i < poly.length; i++) {
    const p = poly[i]!;
    const q = poly[(i + 1) % poly.length]!;
    const sp = side(p);
    const sq = side(q);
    if (sp >= 0) out.push(p);
    if (sp >= 0 !== sq >= 0) {
      const t = sp / (sp - sq);
      out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
    }
  }
  return out;
}

/** The segment of the line a x + b y + c = 0 inside the box, or undefined. */
export function clipLine(a: number, b: number, c: number, box: [number, number, number, number]): [Pt, Pt] | undefined {
  const [x0, x1, y0, y1] = box;
  const hits: Pt[] = [];
  if (b !== 0) {
    for (const x of [x0, x1]) {
      const y = -(a * x + c) / b;
      if (y >= y0 && y <= y1) hits.push([x, y]);
    }
  }
  if (a !== 0) {
    for (const y of [y0, y1]) {
      const x = -(b * y + c) / a;
      if (x >= x0 && x <= x1) hits.push([x, y]);
    }
  }
  if (hits.length < 2) return undefined;
  hits.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  const first = hits[0]!;
  const last = hits[hits.length - 1]!;
  if (Math.hypot(first[0] - last[0], first[1] - last[1]) < 1e-12) return undefined;
  return [first, last];
}

/** "x1 - 2·x2 + 1/2": an affine form with unit coefficients and zero terms left out. */
export function affineText(w: readonly Q[], b: Q): string {
  const terms: string[] = [];
  w.forEach((v, t) => {
    if (v.isZero()) return;
    const mag = v.abs().eq(Q.ONE) ? `x${t + 1}` : `${v.abs()}·x${t + 1}`;
    terms.push(terms.length === 0 ? (v.sign() < 0 ? `-${mag}` : mag) : `${v.sign() < 0 ? '- ' : '+ '}${mag}`);
  });
  if (!b.isZero() || terms.length === 0) terms.push(terms.length === 0 ? b.toString() : `${b.sign() < 0 ? '- ' : '+ '}${b.abs()}`);
  return terms.join(' ');
}

function viridis(t: number): string {
  const u = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(u));
  const mix = (h1: string, h2: string, s: number): string => {
    const c = (h: string, k: number): number => parseInt(h.slice(1 + 2 * k, 3 + 2 * k), 16);
    return (
      '#' +
      [0, 1, 2]
        .map((k) =>
          Math.round(c(h1, k) + (c(h2, k) - c(h1, k)) * s)
            .toString(16)
            .padStart(2, '0'),
        )
        .join('')
    );
  };
  return mix(VIRIDIS[i]!, VIRIDIS[i + 1]!, u - i);
}

function plot2(inst: Instance, net: TwoLayer | undefined, c: Canvas): string {
  const xs = inst.points.map((p) => p[0]!.toNumber());
  const ys = inst.points.map((p) => p[1]!.toNumber());
  let [xlo, xhi] = padded(minOf(xs), maxOf(xs), 0.12);
  let [ylo, yhi] = padded(minOf(ys), maxOf(ys), 0.12);
  // Equal scale on both axes, so breaklines meet the arrows along w at right angles.
  const perX = (xhi - xlo) / (c.right - c.left);
  const perY = (yhi - ylo) / (c.bottom - c.top);
  if (perX > perY) {
    const grow = (perX * (c.bottom - c.top) - (yhi - ylo)) / 2;
    [ylo, yhi] = [ylo - grow, yhi + grow];
  } else {
    const grow = (perY * (c.right - c.left) - (xhi - xlo)) / 2;
    [xlo, xhi] = [xlo - grow, xhi + grow];
  }
  [c.xlo, c.xhi, c.ylo, c.yhi] = [xlo, xhi, ylo, yhi];
  c.axes('x1', 'x2');

  if (net) {
    const h = net.layers[0];
    const box: Pt[] = [
      [xlo, ylo],
      [xhi, ylo],
      [xhi, yhi],
      [xlo, yhi],
    ];
    const shades: string[] = [];
    const lines: string[] = [];
    h.weights.forEach((row, j) => {
      const [a, b] = [row[0]!.toNumber(), row[1]!.toNumber()];
      const k = h.bias[j]!.toNumber();
      const colour = unitColour(j);
      const eq = affineText([row[0]!, row[1]!], h.bias[j]!);
      if (a === 0 && b === 0) {
        c.legend.push({ swatch: 'area', colour, label: `unit ${j}: w = 0, ${h.bias[j]!.sign() > 0 ? 'always' : 'never'} active` });
        return;
      }
      const active = clipHalfPlane(box, a, b, k);
      if (active.length >= 3)
        shades.push(
          `<polygon points="${active.map(([x, y]) => `${f2(c.px(x))},${f2(c.py(y))}`).join(' ')}" fill="${colour}" fill-opacity="0.08" stroke="none"/>`,
        );
      const seg = clipLine(a, b, k, [xlo, xhi, ylo, yhi]);
      if (seg) {
        const [[ax, ay], [bx, by]] = seg;
        const [p, q] = [
          [c.px(ax), c.py(ay)],
          [c.px(bx), c.py(by)],
        ] as [Pt, Pt];
        lines.push(`<line x1="${f2(p[0])}" y1="${f2(p[1])}" x2="${f2(q[0])}" y2="${f2(q[1])}" stroke="${colour}" stroke-width="2"/>`);
        // Arrow from the segment's midpoint towards the active side (along w, y flipped on screen).
        const len = Math.hypot(a, b);
        const [ux, uy] = [a / len, -b / len];
        const [mx, my] = [(p[0] + q[0]) / 2, (p[1] + q[1]) / 2];
        const [tx, ty] = [mx + 26 * ux, my + 26 * uy];
        const head = (s: number): string => `${f2(tx - 8 * ux + s * 4.5 * -uy)},${f2(ty - 8 * uy + s * 4.5 * ux)}`;
        lines.push(`<line x1="${f2(mx)}" y1="${f2(my)}" x2="${f2(tx - 6 * ux)}" y2="${f2(ty - 6 * uy)}" stroke="${colour}" stroke-width="2"/>`);
        lines.push(`<polygon points="${f2(tx)},${f2(ty)} ${head(1)} ${head(-1)}" fill="${colour}"/>`);
      }
      c.legend.push({ swatch: 'area', colour, label: `unit ${j}: ${eq} > 0${seg ? '' : ' (line off the plot)'}` });
    });
    c.add(`<g clip-path="url(#plot-box)">${shades.join('')}${lines.join('')}</g>`);
  }

  if (net) ringViolations(inst, net, c, (i) => [c.px(xs[i]!), c.py(ys[i]!)]);
  let dots: string[];
  const classification = inst.loss.type === 'classification';
  if (classification) {
    dots = inst.points.map((p, i) => {
      const pos = inst.labels[i]!.sign() > 0;
      return `<circle cx="${f2(c.px(xs[i]!))}" cy="${f2(c.py(ys[i]!))}" r="6" fill="${pos ? POSITIVE : NEGATIVE}" stroke="#333" stroke-width="1"><title>(${p[0]}, ${p[1]}): ${inst.labels[i]}</title></circle>`;
    });
    c.legend.unshift({ swatch: 'point', colour: NEGATIVE, label: 'label -1' }, { swatch: 'point', colour: POSITIVE, label: 'label +1' });
  } else {
    const ls = inst.labels.map((y) => y.toNumber());
    const [lmin, lmax] = [minOf(ls), maxOf(ls)];
    const t = (v: number): number => (lmax > lmin ? (v - lmin) / (lmax - lmin) : 0.5);
    dots = inst.points.map(
      (p, i) =>
        `<circle cx="${f2(c.px(xs[i]!))}" cy="${f2(c.py(ys[i]!))}" r="6" fill="${viridis(t(ls[i]!))}" stroke="#333" stroke-width="1"><title>(${p[0]}, ${p[1]}): ${inst.labels[i]}</title></circle>`,
    );
    // Colour bar under the legend.
    c.defs.push(
      `<linearGradient id="label-scale" x1="0" y1="1" x2="0" y2="0">${VIRIDIS.map((col, s) => `<stop offset="${s / (VIRIDIS.length - 1)}" stop-color="${col}"/>`).join('')}</linearGradient>`,
    );
    const top = c.top + 8 + 22 * (c.legend.length + 1);
    const x = c.right + 18;
    c.add(
      `<g font-size="11" fill="#333"><text x="${x}" y="${top}" font-size="12">label y</text><rect x="${x}" y="${top + 8}" width="14" height="100" fill="url(#label-scale)" stroke="#333" stroke-width="0.5"/><text x="${x + 20}" y="${top + 16}">${tickLabel(lmax)}</text><text x="${x + 20}" y="${top + 108}">${tickLabel(lmin)}</text></g>`,
    );
  }
  c.add(`<g>${dots.join('')}</g>`);
  return c.render(inst.name, subtitleOf(inst, net));
}
