/** One-sentence descriptions of an instance's question, for human output. */
import type { Instance } from '../core/types.js';

export function describeQuestion(inst: Instance): string {
  const a = inst.architecture;
  const ow = a.outputWeights.mode === 'fixed' ? `[${a.outputWeights.values.join(', ')}]` : a.outputWeights.mode;
  const shape = `${a.hidden} ${a.activation} unit${a.hidden === 1 ? '' : 's'}, output weights ${ow}, ${a.outputBias ? 'with' : 'no'} output bias`;
  const l = inst.loss;
  const loss =
    l.type === 'exact'
      ? 'zero error'
      : l.type === 'classification'
        ? 'every point classified correctly'
        : `${l.type} loss ${l.strict ? '<' : '<='} ${l.bound}`;
  return `${shape}; ${loss} on ${inst.points.length} points in dimension ${inst.points[0]!.length}`;
}
