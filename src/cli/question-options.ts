/**
 * The question an instance asks, set from the command line. `relucert
 * instance` builds an instance's question from its options; `solve`,
 * `minimize` and `table` override an instance file's fields with the same
 * options (--hidden, --activation [--slope], --output-weights,
 * --loss TYPE[:BOUND]), so a sweep over widths or losses needs no edited
 * JSON (docs/formats.md, "Questions from the command line"). The instance schema itself validates the result
 * (toInstance), and an error it finds is reported against the option that
 * set the field.
 */
import type { Command } from 'commander';
import type { Instance } from '../core/types.js';
import { InputError } from '../format/errors.js';
import { toInstance } from '../format/schema.js';
import { instanceToJson } from '../format/write.js';

/** The overriding options, as typed (commander's strings); absent: the instance's own field. */
export interface QuestionOptions {
  hidden?: string;
  activation?: string;
  slope?: string;
  outputWeights?: string;
  /** TYPE or TYPE:BOUND (exact, classification, l1, linf, l2) */
  loss?: string;
}

/**
 * Adds the overriding options to a command (solve, minimize, table);
 * `loss` describes what its --loss takes, or false when the command
 * registers --loss itself (minimize, whose --loss is also the objective).
 */
export function questionOptions(cmd: Command, loss: string | false): Command {
  cmd
    .option('--hidden <k>', "the number of hidden units, in place of the instance's")
    .option('--activation <name>', "relu, leaky-relu (with --slope) or threshold, in place of the instance's")
    .option('--slope <s>', 'with --activation leaky-relu: the slope for negative inputs, a rational in [0, 1)')
    .option('--output-weights <w>', "signs, positive, free, or k comma-separated numbers, in place of the instance's");
  if (loss !== false) cmd.option('--loss <type>', `the loss, in place of the instance's: ${loss}`);
  return cmd;
}

/** The loss types, in the order messages list them. */
const LOSS_TYPES = ['exact', 'l1', 'linf', 'l2', 'classification'] as const;
const BOUNDED = new Set(['l1', 'linf', 'l2']);

/**
 * --loss TYPE[:BOUND] split at its first colon: the type, and the bound as
 * typed (validated later by the schema). Throws InputError naming --loss
 * for an unknown type or a bound after exact or classification.
 */
export function parseLossSpec(spec: string): { type: (typeof LOSS_TYPES)[number]; bound?: string } {
  const colon = spec.indexOf(':');
  const type = colon < 0 ? spec : spec.slice(0, colon);
  const bound = colon < 0 ? undefined : spec.slice(colon + 1);
  const known = LOSS_TYPES.find((t) => t === type);
  if (!known)
    throw new InputError(
      'command line',
      '--loss',
      `expected ${LOSS_TYPES.join(', ')} (l1, linf and l2 as TYPE:BOUND, e.g. l2:1/2), got ${JSON.stringify(spec)}`,
    );
  if (bound !== undefined && !BOUNDED.has(known)) throw new InputError('command line', '--loss', `${known} has no bound, got ${JSON.stringify(spec)}`);
  return { type: known, ...(bound !== undefined ? { bound } : {}) };
}

/** True when some question option is given. */
export function overrides(o: QuestionOptions): boolean {
  return o.hidden !== undefined || o.activation !== undefined || o.slope !== undefined || o.outputWeights !== undefined || o.loss !== undefined;
}

/** The options as they were typed, for the instance's description: "--hidden 3 --loss l2". */
function typed(o: QuestionOptions): string {
  const parts: [string, string | undefined][] = [
    ['--hidden', o.hidden],
    ['--activation', o.activation],
    ['--slope', o.slope],
    ['--output-weights', o.outputWeights],
    ['--loss', o.loss],
  ];
  return parts
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} ${v}`)
    .join(' ');
}

/**
 * The instance with the options' fields in place of its own (`file` names
 * it in errors). A loss type with a bound needs one (--loss l2:1/2) unless
 * `lossBound` is 'any' (minimize --loss and table, which find the least
 * loss: the bound is then 0 and never asked). --activation drops the
 * instance's slope unless it stays leaky-relu; a fixed list of output
 * weights must match the new width. The description records what the
 * command line changed, so a certificate's instance says how it was asked;
 * the certificate's statement is built from the fields themselves.
 * Returns the instance unchanged when no option is given. Throws InputError
 * naming the option.
 */
export function overrideQuestion(inst: Instance, o: QuestionOptions, file: string, lossBound: 'needed' | 'any' = 'needed'): Instance {
  if (!overrides(o)) return inst;
  const json = instanceToJson(inst) as { description?: string; architecture: Record<string, unknown>; loss: Record<string, unknown> };
  const arch = json.architecture;
  if (o.hidden !== undefined) {
    arch.hidden = /^\d+$/.test(o.hidden) ? Number(o.hidden) : o.hidden;
    if (Array.isArray(arch.outputWeights) && o.outputWeights === undefined && arch.outputWeights.length !== arch.hidden)
      throw new InputError('command line', '--hidden', `${file} fixes ${arch.outputWeights.length} output weights; give --output-weights too`);
  }
  if (o.activation !== undefined) {
    arch.activation = o.activation;
    if (o.activation !== 'leaky-relu') delete arch.slope;
  }
  if (o.slope !== undefined) arch.slope = o.slope;
  if (o.outputWeights !== undefined)
    arch.outputWeights = ['signs', 'positive', 'free'].includes(o.outputWeights) ? o.outputWeights : o.outputWeights.split(',').map((s) => s.trim());
  if (o.loss !== undefined) {
    const { type, bound } = parseLossSpec(o.loss);
    if (BOUNDED.has(type) && bound === undefined && lossBound === 'needed')
      throw new InputError('command line', '--loss', `${type} needs a bound to decide: --loss ${type}:BOUND (e.g. ${type}:1/2)`);
    json.loss = BOUNDED.has(type) ? { type, bound: bound ?? '0' } : { type };
  }
  json.description = `${json.description ?? ''}${json.description ? ' ' : ''}[asked with ${typed(o)}]`;
  try {
    return toInstance(json, file);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    throw blameOption(e, o, file);
  }
}

/** The options that set each instance field, for errors found in a question built from options. */
export const OPTION_OF_FIELD: readonly [RegExp, string][] = [
  [/^name/, '--name'],
  [/^architecture\.hidden/, '--hidden'],
  [/^architecture\.activation/, '--activation'],
  [/^architecture\.slope/, '--slope'],
  [/^architecture\.weightBound/, '--weight-bound'],
  [/^architecture\.boundOutputWeights/, '--bound-output-weights'],
  [/^architecture\.outputWeights/, '--output-weights'],
  [/^loss\.type|^loss$/, '--loss'],
  [/^loss\.bound/, '--bound'],
  [/^loss\.strict/, '--strict'],
];

/**
 * An override's schema error, reported against the option that caused it
 * (a field the options did not touch keeps its file and field). Labels
 * that a new loss cannot take (classification: 1 or -1) blame --loss.
 */
function blameOption(e: InputError, o: QuestionOptions, file: string): InputError {
  if (o.loss !== undefined && /^labels\[\d+\]$/.test(e.field))
    return new InputError('command line', '--loss', `${o.loss} does not fit the labels: ${file}: ${e.field}: ${e.detail}`);
  const lossBound = o.loss !== undefined && e.field === 'loss.bound';
  if (lossBound) return new InputError('command line', '--loss', `the bound: ${e.detail}`);
  if (e.field.startsWith('architecture.outputWeights') && o.outputWeights !== undefined && e.detail === 'Invalid input')
    return new InputError(
      'command line',
      '--output-weights',
      `expected signs, positive, free or k comma-separated numbers, got ${JSON.stringify(o.outputWeights)}`,
    );
  const given = new Map<string, string | undefined>([
    ['--hidden', o.hidden],
    ['--activation', o.activation],
    ['--slope', o.slope],
    ['--output-weights', o.outputWeights],
    ['--loss', o.loss],
  ]);
  for (const [re, option] of OPTION_OF_FIELD)
    if (re.test(e.field) && given.get(option) !== undefined) return new InputError('command line', option, `${e.detail} (instance field ${e.field})`);
  // a field the options did not set, made invalid by one they did (a slope needed by --activation leaky-relu, a count by --hidden)
  if (e.field === 'architecture.slope' && o.activation !== undefined)
    return new InputError('command line', '--slope', `${e.detail} (with --activation ${o.activation})`);
  if (e.field.startsWith('architecture.boundOutputWeights') && o.outputWeights !== undefined)
    return new InputError('command line', '--output-weights', `${e.detail} (instance field ${e.field} in ${file})`);
  if (e.field.startsWith('architecture.') && o.hidden !== undefined)
    return new InputError('command line', '--hidden', `${e.detail} (instance field ${e.field})`);
  return e;
}
