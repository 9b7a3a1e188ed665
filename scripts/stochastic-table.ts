/**
 * The analogue of Circa's accuracy tables for the shipped two-moons network:
 * exact misclassification probability, averaged over the test points, against
 * the truncation bits t, for poszero and negpass (and wrap, t = 0).
 *
 *   npx tsx scripts/stochastic-table.ts [--frac 15] [--p 2138816513]
 *
 * Prints a markdown table on stdout and writes examples/stochastic/moons-t-sweep.svg
 * (hand-written SVG). Every number in the table is an exact rational computed
 * by `exactChangeProbability` (P(class != label) at each test point), shown
 * rounded; the exact values are written to examples/stochastic/moons-t-sweep.json.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Q, parseRational } from '../src/core/rational.js';
import { readNetwork } from '../src/format/schema.js';
import { type FaultModel, type Variant, CIRCA_P } from '../src/stochastic/fault.js';
import { exactChangeProbability, fieldProblem, unionBound } from '../src/stochastic/network.js';
import { classOf, point, quantiseInput, quantiseNetwork, traceFaultFree } from '../src/stochastic/quantise.js';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const frac = Number(arg('--frac', '15'));
const p = BigInt(arg('--p', CIRCA_P.toString()));
const dir = 'examples/stochastic';
const net = readNetwork(`${dir}/moons.network.json`);
const q = quantiseNetwork(net, frac, 'moons.network.json');
const data = JSON.parse(readFileSync(`${dir}/moons-test.json`, 'utf8')) as { points: string[][]; labels: number[] };
const points = data.points.map((pt) =>
  quantiseInput(
    pt.map((v) => parseRational(v)!),
    frac,
  ),
);

const ts = [0, 4, 8, 10, 11, 12, 13, 14, 15, 16];
interface Row {
  variant: Variant;
  t: number;
  mean: Q;
  meanBound: Q;
  unknown: number;
  nodes: number;
}
const rows: Row[] = [];
let faultFreeErrors = 0;
points.forEach((x, i) => {
  if (classOf(traceFaultFree(q, x).output) !== data.labels[i]) faultFreeErrors++;
});
for (const variant of ['wrap', 'poszero', 'negpass'] as Variant[]) {
  for (const t of variant === 'wrap' ? [0] : ts.filter((t) => t > 0)) {
    const m: FaultModel = { p, t, variant };
    let sum = Q.ZERO;
    let sumBound = Q.ZERO;
    let unknown = 0;
    let nodes = 0;
    points.forEach((x, i) => {
      const box = x.map(point);
      const problem = fieldProblem(q, m, box);
      if (problem) throw new Error(problem);
      const label = data.labels[i]!;
      const ex = exactChangeProbability(q, m, x, 2_000_000, label);
      nodes += ex.nodes;
      if (ex.status !== 'exact') {
        unknown++;
        return;
      }
      sum = sum.add(ex.probability);
      // The bound on misclassification: P(change) <= B, so P(wrong) <= B if the fault-free class is right, else 1.
      const base = classOf(traceFaultFree(q, x).output);
      sumBound = sumBound.add(base === label ? unionBound(q, m, box).bound : Q.ONE);
    });
    const n = Q.of(points.length - unknown);
    rows.push({ variant, t, mean: sum.div(n), meanBound: sumBound.div(n), unknown, nodes });
    console.error(`${variant} t=${t}: ${sum.div(n).toNumber()} (${nodes} nodes, ${unknown} unknown)`);
  }
}

const pct = (v: Q): string => {
  const x = v.toNumber() * 100;
  return x === 0 ? '0' : `${x.toPrecision(4)}%`;
};
const lines = [
  `| variant | t | mean exact P(misclassified) | expected accuracy | mean union bound | points not computed |`,
  `|---|---|---|---|---|---|`,
  ...rows.map((r) => `| ${r.variant} | ${r.t} | ${pct(r.mean)} | ${pct(Q.ONE.sub(r.mean))} | ${pct(Q.min(Q.ONE, r.meanBound))} | ${r.unknown} |`),
];
console.log(`fault-free quantised network: ${faultFreeErrors} of ${points.length} test points misclassified; p = ${p}, ${frac} fractional bits\n`);
console.log(lines.join('\n'));
writeFileSync(
  `${dir}/moons-t-sweep.json`,
  JSON.stringify(
    {
      p: p.toString(),
      frac,
      testPoints: points.length,
      faultFreeErrors,
      rows: rows.map((r) => ({
        variant: r.variant,
        t: r.t,
        meanMisclassification: r.mean.toString(),
        meanBound: r.meanBound.toString(),
        notComputed: r.unknown,
      })),
    },
    null,
    1,
  ) + '\n',
);

// ---------------------------------------------------------------------------
// The plot: misclassification against t on a log axis (the plateau at the
// wrap level and the rise near t = frac both stay visible), exact values as
// solid lines with dots, the mean union bound as thin dashed lines.
const W = 720;
const H = 420;
const L = 70;
const R = 200;
const T = 56;
const B = 50;
const tMax = ts[ts.length - 1]!;
const decades = [-6, -5, -4, -3, -2, -1, 0];
const lg = (v: Q): number => Math.log10(Math.max(v.toNumber(), 1e-6));
const sx = (t: number): number => L + ((W - L - R) * t) / tMax;
const sy = (d: number): number => T + (H - T - B) * (1 - (d - decades[0]!) / (decades[decades.length - 1]! - decades[0]!));
const svg: string[] = [];
svg.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
svg.push(`<rect width="${W}" height="${H}" fill="white"/>`);
svg.push(`<text x="${L}" y="20" font-size="14" font-weight="bold">Two-moons classifier under Circa's stochastic ReLU</text>`);
svg.push(
  `<text x="${L}" y="38" font-size="12" fill="#444">exact P(misclassified), mean over ${points.length} test points; p = ${p}, ${frac} fractional bits</text>`,
);
for (const d of decades) {
  svg.push(`<line x1="${L}" x2="${W - R}" y1="${sy(d)}" y2="${sy(d)}" stroke="#e4e4e4"/>`);
  svg.push(`<text x="${L - 8}" y="${sy(d) + 4}" text-anchor="end">${d === 0 ? '1' : `1e${d}`}</text>`);
}
for (const t of ts) {
  svg.push(`<line x1="${sx(t)}" x2="${sx(t)}" y1="${H - B}" y2="${H - B + 5}" stroke="black"/>`);
  svg.push(`<text x="${sx(t)}" y="${H - B + 18}" text-anchor="middle">${t}</text>`);
}
svg.push(`<line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" stroke="black"/>`);
svg.push(`<line x1="${L}" x2="${L}" y1="${T}" y2="${H - B}" stroke="black"/>`);
svg.push(`<text x="${(L + W - R) / 2}" y="${H - 12}" text-anchor="middle">truncated low bits t</text>`);
svg.push(`<text transform="translate(18 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle">probability (log scale)</text>`);
const colours: Record<string, string> = { poszero: '#d62728', negpass: '#1f77b4' };
const wrap = rows.find((r) => r.variant === 'wrap');
if (wrap) {
  const y = sy(lg(wrap.mean));
  svg.push(`<line x1="${L}" x2="${W - R}" y1="${y}" y2="${y}" stroke="#555" stroke-dasharray="2 3"/>`);
}
let legendY = T + 10;
const legend = (dash: string, colour: string, width: number, label: string): void => {
  svg.push(
    `<line x1="${W - R + 15}" x2="${W - R + 40}" y1="${legendY}" y2="${legendY}" stroke="${colour}" stroke-width="${width}"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`,
  );
  svg.push(`<text x="${W - R + 46}" y="${legendY + 4}">${label}</text>`);
  legendY += 20;
};
for (const variant of ['poszero', 'negpass']) {
  const rs = rows.filter((r) => r.variant === variant && r.unknown === 0);
  const exact = rs.map((r) => `${sx(r.t).toFixed(1)},${sy(lg(r.mean)).toFixed(1)}`);
  const bound = rs.map((r) => `${sx(r.t).toFixed(1)},${sy(lg(Q.min(Q.ONE, r.meanBound))).toFixed(1)}`);
  svg.push(`<polyline fill="none" stroke="${colours[variant]}" stroke-width="1.2" stroke-dasharray="6 4" points="${bound.join(' ')}"/>`);
  svg.push(`<polyline fill="none" stroke="${colours[variant]}" stroke-width="2.2" points="${exact.join(' ')}"/>`);
  for (const pt of exact) {
    const [cx, cy] = pt.split(',');
    svg.push(`<circle cx="${cx}" cy="${cy}" r="3.5" fill="${colours[variant]}"/>`);
  }
  legend('', colours[variant]!, 2.2, `${variant}, exact`);
  legend('6 4', colours[variant]!, 1.2, `${variant}, Theorem 1 bound`);
}
legend('2 3', '#555', 1, 'wrap (t = 0), exact');
svg.push(`<text x="${W - R + 15}" y="${legendY + 16}" font-size="11">fault-free quantised</text>`);
svg.push(`<text x="${W - R + 15}" y="${legendY + 30}" font-size="11">error: ${faultFreeErrors} of ${points.length}</text>`);
svg.push(`</svg>`);
writeFileSync(`${dir}/moons-t-sweep.svg`, svg.join('\n') + '\n');
console.error(`wrote ${dir}/moons-t-sweep.svg and moons-t-sweep.json`);
