/**
 * Writing the formats back out, and the canonical form of an instance whose
 * SHA-256 binds a certificate to it (docs/certificates.md, "Binding").
 */
import { createHash } from 'node:crypto';
import type { Q } from '../core/rational.js';
import type { Instance, Loss, Network } from '../core/types.js';

const s = (v: Q): string => v.toString();

function lossJson(loss: Loss): Record<string, unknown> {
  switch (loss.type) {
    case 'exact':
    case 'classification':
      return { type: loss.type };
    case 'l1':
    case 'linf':
    case 'l2':
      return { type: loss.type, bound: s(loss.bound), strict: loss.strict };
  }
}

/** The canonical object: fixed key order, reduced fractions, no name or description. */
export function canonicalInstance(inst: Instance): Record<string, unknown> {
  const a = inst.architecture;
  return {
    format: 'relucert-instance/1',
    points: inst.points.map((p) => p.map(s)),
    labels: inst.labels.map(s),
    architecture: {
      hidden: a.hidden,
      activation: a.activation,
      ...(a.slope !== undefined ? { slope: s(a.slope) } : {}),
      outputWeights: a.outputWeights.mode === 'fixed' ? a.outputWeights.values.map(s) : a.outputWeights.mode,
      outputBias: a.outputBias,
      ...(a.weightBound !== undefined ? { weightBound: s(a.weightBound) } : {}),
      ...(a.boundOutputWeights === true ? { boundOutputWeights: true } : {}),
    },
    loss: lossJson(inst.loss),
  };
}

export function instanceHash(inst: Instance): string {
  return (
    'sha256:' +
    createHash('sha256')
      .update(JSON.stringify(canonicalInstance(inst)), 'utf8')
      .digest('hex')
  );
}

/** The instance as a relucert-instance/1 file object (with name, description, source). */
export function instanceToJson(inst: Instance): Record<string, unknown> {
  const c = canonicalInstance(inst);
  const loss = c.loss as Record<string, unknown>;
  if ((inst.loss.type === 'l1' || inst.loss.type === 'linf' || inst.loss.type === 'l2') && !inst.loss.strict) delete loss.strict;
  return {
    format: 'relucert-instance/1',
    name: inst.name,
    ...(inst.description ? { description: inst.description } : {}),
    ...(inst.source ? { source: inst.source } : {}),
    points: c.points,
    labels: c.labels,
    architecture: c.architecture,
    loss,
  };
}

export function networkToJson(net: Network): Record<string, unknown> {
  return {
    format: 'relucert-network/1',
    layers: net.layers.map((l) => ({
      activation: l.activation,
      ...(l.slope !== undefined ? { slope: s(l.slope) } : {}),
      weights: l.weights.map((r) => r.map(s)),
      bias: l.bias.map(s),
    })),
  };
}

/** JSON with small arrays of scalars kept on one line, for readable files. */
export function prettyJson(v: unknown): string {
  const text = JSON.stringify(v, null, 2);
  return text.replace(/\[\s+([^[\]{}]*?)\s+\]/g, (_m, inner: string) => `[${inner.split(/,\s+/).join(', ')}]`) + '\n';
}
