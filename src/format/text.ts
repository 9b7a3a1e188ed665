/** Text for people: the question an instance asks, its name, a network as a formula, a search's progress. */
import { quote } from '../check/index.js';
import { Q } from '../core/rational.js';
import type { Instance, Network } from '../core/types.js';
import type { SearchStats } from '../engines/result.js';
import { count } from './errors.js';

export { count } from './errors.js';

/**
 * An instance's name as every command prints it: quoted, with control,
 * bidirectional and other invisible characters escaped, so a name cannot
 * imitate the words printed around it.
 */
export function nameOf(inst: Pick<Instance, 'name'>): string {
  return quote(inst.name);
}

/**
 * A name made safe as one file or directory name: characters other than
 * letters, digits, '.', '_' and '-' become '_', no leading dot (so never
 * "." or ".."), at most 100 characters; "instance" if nothing is left.
 */
export function fileNameOf(name: string): string {
  const safe = name
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^\.+/, '')
    .slice(0, 100);
  return safe === '' ? 'instance' : safe;
}

/** The slope and the weight bounds of an architecture, as text appended to its units: " (slope 1/10)", ", |w|, |b| <= 1"; '' when it has neither. */
export function slopeAndBoundText(a: Instance['architecture']): { slope: string; bound: string } {
  return {
    slope: a.slope !== undefined ? ` (slope ${a.slope})` : '',
    bound: a.weightBound !== undefined ? `, |w|, |b|${a.boundOutputWeights ? ', |a|' : ''} <= ${a.weightBound}` : '',
  };
}

/** The architecture an instance asks for: "2 relu units, output weights signs, no output bias". */
function describeShape(inst: Instance): string {
  const a = inst.architecture;
  const ow = a.outputWeights.mode === 'fixed' ? `[${a.outputWeights.values.join(', ')}]` : a.outputWeights.mode;
  const { slope, bound } = slopeAndBoundText(a);
  return `${count(a.hidden, `${a.activation} unit`)}${slope}, output weights ${ow}, ${a.outputBias ? 'with' : 'no'} output bias${bound}`;
}

/** The data an instance fits: "on 3 points in dimension 1". */
function describeData(inst: Instance): string {
  return `on ${count(inst.points.length, 'point')} in dimension ${inst.points[0]!.length}`;
}

/** The question an instance asks, for people: "2 relu units, output weights signs, no output bias; l1 loss <= 1 on 3 points in dimension 1". */
export function describeQuestion(inst: Instance): string {
  const l = inst.loss;
  const loss =
    l.type === 'exact' ? 'zero error' : l.type === 'classification' ? 'every point classified correctly' : `${l.type} loss ${l.strict ? '<' : '<='} ${l.bound}`;
  return `${describeShape(inst)}; ${loss} ${describeData(inst)}`;
}

/**
 * The question minimize answers, for people: the least loss at the
 * instance's shape ("2 relu units, ...; least l2 loss on 9 points in
 * dimension 1"), or the least width for its loss ("least number of relu
 * units, output weights signs, ...; l1 loss <= 1 on ..."). The loss bound
 * of a loss question is left out: it is what minimize finds.
 */
export function describeMinimizeQuestion(inst: Instance, objective: 'loss' | 'width'): string {
  if (objective === 'loss') return `${describeShape(inst)}; least ${inst.loss.type} loss ${describeData(inst)}`;
  const unit = `${inst.architecture.activation} units`;
  return describeQuestion(inst).replace(/^\d+ \S+ units?/, `least number of ${unit}`);
}

/** c1 x1 + c2 x2 + b with unit coefficients and zero terms left out: "x1 - 2 x2 + 1/2", "-x", "0". */
function affineText(coefs: readonly Q[], constant: Q, names: readonly string[]): string {
  const terms: [Q, string][] = coefs.map((c, t): [Q, string] => [c, names[t]!]).filter(([c]) => !c.isZero());
  if (!constant.isZero() || terms.length === 0) terms.push([constant, '']);
  return terms
    .map(([c, name], k) => {
      const size = c.abs();
      const body = name === '' ? size.toString() : size.eq(Q.ONE) ? name : `${size} ${name}`;
      return k === 0 ? (c.sign() < 0 ? `-${body}` : body) : `${c.sign() < 0 ? '-' : '+'} ${body}`;
    })
    .join(' ');
}

/**
 * A two-layer network as a compact formula, e.g.
 * "f(x) = relu(x - 1) - relu(-x) + 1/2" (d = 1: the input is x) or
 * "f(x) = 2 step(x1 + x2 - 1)" (inputs x1..xd); units with output weight 0 are left out. Deeper networks
 * get one line per layer.
 */
export function networkFormula(net: Network): string {
  const d = net.layers[0]!.weights[0]!.length;
  const inputs = d === 1 ? ['x'] : Array.from({ length: d }, (_, t) => `x${t + 1}`);
  if (net.layers.length !== 2 || net.layers[1]!.weights.length !== 1) {
    return net.layers.map((l, k) => `layer ${k + 1}: ${l.activation}, ${count(l.weights.length, 'unit')}`).join('; ');
  }
  const [hidden, out] = net.layers as [Network['layers'][0], Network['layers'][0]];
  const sigma =
    hidden.activation === 'threshold'
      ? 'step'
      : hidden.activation === 'leaky-relu'
        ? `leaky${hidden.slope === undefined ? '' : `[${hidden.slope}]`}`
        : hidden.activation;
  const units = hidden.weights.map((w, j) => `${sigma}(${affineText(w, hidden.bias[j]!, inputs)})`);
  return `f(x) = ${affineText(out.weights[0]!, out.bias[0]!, units)}`;
}

/** One progress line of a running search (stderr of solve and minimize): "  ... 120 nodes, 64 leaves, depth 7, 300 LPs, 1.5 s". */
export function progressLine(s: SearchStats): string {
  return `  ... ${s.nodes} nodes, ${s.leaves} leaves, depth ${s.maxDepth}, ${s.lps} LPs, ${(s.elapsedMs / 1000).toFixed(1)} s`;
}
