/**
 * Line charts for the learnability commands (gram, nystrom, subspace), drawn
 * on the Canvas of src/interop/plot.ts so that every relucert picture looks
 * alike: title and subtitle on top, grid, axes, legend on the right. Floats
 * are for drawing only.
 */
import { Canvas, padded } from '../interop/plot.js';

export interface Series {
  label: string;
  colour: string;
  /** Dashed line (numerical values), solid otherwise (certified or measured). */
  dashed?: boolean;
  /** (x, y) pairs; non-finite y are skipped. */
  points: [number, number][];
}

export interface ChartSpec {
  title: string;
  subtitle: string;
  xName: string;
  yName: string;
  series: Series[];
  /** Log-10 y axis; values <= floor (default: the smallest positive value / 10) are drawn at the floor. */
  logY?: boolean;
  floor?: number;
  /** Log-2 x axis (for sample sizes). */
  logX?: boolean;
}

export const COLOURS = { certified: '#1b9e77', numerical: '#d95f02', second: '#7570b3', third: '#e7298a', ink: '#222222' } as const;

const round2 = (v: number): string => (Math.round(v * 100) / 100).toString();

/** The SVG text of a line chart; every series gets a polyline and a small square marker per point. */
export function lineChart(spec: ChartSpec): string {
  const c = new Canvas(820, 520);
  const all = spec.series.flatMap((s) => s.points.filter(([, y]) => Number.isFinite(y)));
  const positive = all.map(([, y]) => y).filter((y) => y > 0);
  const floor = spec.floor ?? (positive.length > 0 ? Math.min(...positive) / 10 : 1e-300);
  const fy = (y: number): number => (spec.logY ? Math.log10(Math.max(y, floor)) : y);
  const fx = (x: number): number => (spec.logX ? Math.log2(x) : x);
  const xs = all.map(([x]) => fx(x));
  const ys = all.map(([, y]) => fy(y));
  [c.xlo, c.xhi] = padded(xs.length ? Math.min(...xs) : 0, xs.length ? Math.max(...xs) : 1, 0.03);
  [c.ylo, c.yhi] = padded(ys.length ? Math.min(...ys) : 0, ys.length ? Math.max(...ys) : 1, 0.06);
  const custom: Parameters<Canvas['axes']>[2] = {};
  if (spec.logY) {
    const lo = Math.ceil(c.ylo);
    const hi = Math.floor(c.yhi);
    const step = Math.max(1, Math.ceil((hi - lo + 1) / 8));
    const ticks: number[] = [];
    for (let t = lo; t <= hi; t += step) ticks.push(t);
    custom.y = { ticks, label: (t) => `1e${t}` };
  }
  if (spec.logX) {
    const ticks: number[] = [];
    for (let t = Math.ceil(c.xlo); t <= Math.floor(c.xhi); t++) ticks.push(t);
    custom.x = { ticks, label: (t) => String(2 ** t) };
  }
  c.axes(spec.xName, spec.yName, custom);
  for (const s of spec.series) {
    const pts = s.points.filter(([, y]) => Number.isFinite(y)).map(([x, y]) => [c.px(fx(x)), c.py(fy(y))] as const);
    if (pts.length === 0) continue;
    const d = pts.map(([x, y], k) => `${k === 0 ? 'M' : 'L'}${round2(x)},${round2(y)}`).join('');
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    c.add(`<path d="${d}" fill="none" stroke="${s.colour}" stroke-width="2"${dash} clip-path="url(#plot-box)"/>`);
    const marks = pts.map(([x, y]) => `M${round2(x - 3)},${round2(y - 3)}h6v6h-6Z`).join('');
    c.add(`<path d="${marks}" fill="${s.dashed ? '#ffffff' : s.colour}" stroke="${s.colour}" stroke-width="1.2" clip-path="url(#plot-box)"/>`);
    c.legend.push({ swatch: s.dashed ? 'dashed' : 'line', colour: s.colour, label: s.label });
  }
  return c.render(spec.title, spec.subtitle);
}
