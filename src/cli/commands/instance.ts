/**
 * relucert instance (--from-csv FILE --label COL [--columns A,B,...] | --from-npy X.npy --labels y.npy)
 *   --hidden K --activation A --output-weights W [--output-bias] --loss L [--bound G] [--strict]
 *   [--name N] [--description T] [--source T] -o INSTANCE
 * Makes a relucert-instance/1 file from a data set, reading every number exactly.
 * Exit 0, 2 bad input (nothing written).
 */
import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import type { Instance } from '../../core/types.js';
import { InputError } from '../../format/errors.js';
import { toInstance } from '../../format/schema.js';
import { instanceToJson, prettyJson } from '../../format/write.js';
import { type DataSet, readCsvData, readNpyData } from '../../interop/data.js';
import { describeQuestion, nameOf } from '../../format/text.js';
import { EXIT, type Io, parsePositiveInt } from '../io.js';
import { OPTION_OF_FIELD } from '../question-options.js';
import { writeFileAtomic } from '../../format/files.js';

interface Options {
  fromCsv?: string;
  label?: string;
  columns?: string;
  delimiter?: string;
  header: boolean;
  fromNpy?: string;
  labels?: string;
  hidden: string;
  activation: string;
  slope?: string;
  weightBound?: string;
  boundOutputWeights?: boolean;
  outputWeights: string;
  outputBias?: boolean;
  loss: string;
  bound?: string;
  strict?: boolean;
  name?: string;
  description?: string;
  source?: string;
  output: string;
  json?: boolean;
}

export function register(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('instance')
    .description('make a relucert-instance/1 file from a CSV file or NumPy .npy arrays, reading every number exactly')
    .option('--from-csv <file>', 'CSV data: a header line naming the columns, one point per line')
    .option('--label <column>', 'with --from-csv: the label column (a header name; a column number with --no-header)')
    .option('--columns <list>', 'with --from-csv: the feature columns, comma-separated, in order (default: every column but the label)')
    .option('--delimiter <char>', 'with --from-csv: the field delimiter', ',')
    .option('--no-header', 'with --from-csv: the first line is data; columns are named 1, 2, ...')
    .option('--from-npy <file>', 'NumPy .npy points: an n x d array (or n for d = 1); float16/32/64 read as exact dyadic rationals')
    .option('--labels <file>', 'with --from-npy: the labels, a .npy vector of n')
    .requiredOption('--hidden <k>', 'number of hidden units')
    .requiredOption('--activation <name>', 'hidden activation: relu, leaky-relu or threshold')
    .option('--slope <s>', 'with --activation leaky-relu: the slope for negative inputs, a rational in [0, 1), e.g. 1/100')
    .option('--weight-bound <B>', 'bound every hidden weight and bias: |w|, |b| <= B (B > 0, an exact number)')
    .option('--bound-output-weights', 'with --weight-bound and --output-weights free: |a| <= B too')
    .requiredOption('--output-weights <w>', 'signs, positive, free, or k comma-separated numbers (fixed)')
    .option('--output-bias', 'a free output bias c (default: none, c = 0)')
    .requiredOption('--loss <type>', 'exact, l1, linf, l2 (sum of squared errors) or classification (docs/formats.md)')
    .option('--bound <G>', 'the loss bound (l1, linf, l2), an exact number')
    .option('--strict', 'ask for loss < G instead of <= G')
    .option('--name <name>', 'instance name (default: the data file name without extension)')
    .option('--description <text>', 'free text for the description field')
    .option('--source <text>', 'free text for the source field')
    .requiredOption('-o, --output <file>', 'the relucert-instance/1 file to write')
    .option('--json', 'print one JSON object on stdout')
    .action((o: Options) => {
      const data = readData(o);
      const inst = buildInstance(data, o);
      writeFileAtomic(o.output, prettyJson(instanceToJson(inst)));
      const d = inst.points[0]!.length;
      if (o.json)
        io.out(JSON.stringify({ written: o.output, name: inst.name, points: inst.points.length, dimension: d, question: describeQuestion(inst) }) + '\n');
      else io.out(`wrote ${o.output}: ${nameOf(inst)}: ${describeQuestion(inst)}\n`);
      done(EXIT.ok);
    });
}

function readData(o: Options): DataSet {
  const misplaced = (option: string, needs: string): never => {
    throw new InputError('command line', option, `goes with ${needs}`);
  };
  if ((o.fromCsv === undefined) === (o.fromNpy === undefined)) throw new InputError('command line', '--from-csv, --from-npy', 'give exactly one data source');
  if (o.fromCsv !== undefined) {
    if (o.labels !== undefined) misplaced('--labels', '--from-npy (with --from-csv, name the label column with --label)');
    if (o.label === undefined) throw new InputError('command line', '--label', `missing: which column of ${o.fromCsv} holds the labels?`);
    if ([...o.delimiter!].length !== 1) throw new InputError('command line', '--delimiter', `expected one character, got ${JSON.stringify(o.delimiter)}`);
    return readCsvData(o.fromCsv, {
      label: o.label,
      ...(o.columns !== undefined ? { columns: o.columns.split(',').map((s) => s.trim()) } : {}),
      delimiter: o.delimiter!,
      header: o.header,
    });
  }
  if (o.label !== undefined) misplaced('--label', '--from-csv (with --from-npy, give the labels file with --labels)');
  if (o.columns !== undefined) misplaced('--columns', '--from-csv');
  if (o.labels === undefined) throw new InputError('command line', '--labels', 'missing: the .npy file of labels');
  return readNpyData(o.fromNpy!, o.labels);
}

/**
 * The instance: the data plus the question the options ask, validated by the
 * instance schema itself (so a loss type or activation the format learns is
 * accepted here unchanged). A schema error is reported against the option
 * that set the field, or the data file and place of the number.
 */
function buildInstance(data: DataSet, o: Options): Instance {
  const hidden = parsePositiveInt(o.hidden, '--hidden')!;
  const fixed = !['signs', 'positive', 'free'].includes(o.outputWeights);
  const file = o.fromCsv ?? o.fromNpy!;
  const raw = {
    format: 'relucert-instance/1',
    name: o.name ?? basename(file, extname(file)),
    description: o.description ?? `made by relucert instance from ${data.origin}`,
    ...(o.source !== undefined ? { source: o.source } : {}),
    points: data.points.map((p) => p.map(String)),
    labels: data.labels.map(String),
    architecture: {
      hidden,
      activation: o.activation,
      ...(o.slope !== undefined ? { slope: o.slope } : {}),
      outputWeights: fixed ? o.outputWeights.split(',').map((s) => s.trim()) : o.outputWeights,
      outputBias: o.outputBias === true,
      ...(o.weightBound !== undefined ? { weightBound: o.weightBound } : {}),
      ...(o.boundOutputWeights === true ? { boundOutputWeights: true } : {}),
    },
    loss: { type: o.loss, ...(o.bound !== undefined ? { bound: o.bound } : {}), ...(o.strict ? { strict: true } : {}) },
  };
  try {
    return toInstance(raw, 'command line');
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    throw blame(e, data, o);
  }
}

/** The option (or data place) behind a schema error on the built instance. */
function blame(e: InputError, data: DataSet, o: Options): InputError {
  const at = /^(points|labels)\[(\d+)\](?:\[(\d+)\])?/.exec(e.field);
  if (at) {
    const { file, field } = data.where(Number(at[2]), at[1] === 'points' ? Number(at[3]) : undefined);
    return new InputError(file, field, e.detail);
  }
  if (e.field.startsWith('architecture.outputWeights') && e.detail === 'Invalid input')
    return new InputError(
      'command line',
      '--output-weights',
      `expected signs, positive, free or k comma-separated numbers, got ${JSON.stringify(o.outputWeights)}`,
    );
  if (e.field === 'loss.bound' && o.bound === undefined) return new InputError('command line', '--bound', `missing: --loss ${o.loss} needs a bound`);
  const unknown = /unknown field "(\w+)"/.exec(e.detail)?.[1];
  if (unknown !== undefined && (e.field === 'loss' || e.field === 'architecture')) {
    const option = `--${unknown.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    return new InputError('command line', option, `not part of this question (${e.detail} in ${e.field})`);
  }
  for (const [re, option] of OPTION_OF_FIELD) if (re.test(e.field)) return new InputError('command line', option, `${e.detail} (instance field ${e.field})`);
  return e;
}
