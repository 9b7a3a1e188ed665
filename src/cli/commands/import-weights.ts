/**
 * relucert import-weights FILE --format json|torch-json|onnx|safetensors --instance INSTANCE
 *   [--tensors W1,b1,W2,b2] [-o NETWORK] [--round] [--max-den N] [--json]
 * Reads weights trained elsewhere exactly, checks them against the instance.
 * Exit 0 fits, 1 does not fit, 2 bad input.
 */
import type { Command } from 'commander';
import type { Instance } from '../../core/types.js';
import { readInstance } from '../../format/schema.js';
import { networkToJson, prettyJson } from '../../format/write.js';
import { type ImportReport, type Verdict, importWeights, parseTensorNames, parseWeightFormat, toFloat, weightFormats } from '../../interop/import.js';
import { EXIT, type Io, parsePositiveInt, reportStream } from '../io.js';
import { outputTarget, shownAs, tryWrites, writeOutput } from '../../format/files.js';
import { nameOf } from '../../format/text.js';

interface Options {
  format: string;
  tensors?: string;
  instance: string;
  output?: string;
  round?: boolean;
  maxDen?: string;
  json?: boolean;
}

export function register(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('import-weights')
    .description(
      'read a trained network (relucert json, a PyTorch state-dict JSON dump, ONNX or safetensors) exactly and check it against an instance; exit 0 fits, 1 not, 2 bad input',
    )
    .argument('<file>', 'the weight file')
    .requiredOption('--format <format>', `weight file format: ${weightFormats.join(' or ')}`)
    .requiredOption('--instance <file>', 'the relucert-instance/1 file to check against')
    .option(
      '--tensors <names>',
      'torch-json and safetensors: the tensor names W1,b1,W2,b2 (a bias may be empty; default: PyTorch names such as 0.weight,0.bias,2.weight,2.bias)',
    )
    .option('-o, --output <file>', 'write the (normalised, rounded if asked) network as relucert-network/1 ("-": standard output)')
    .option('--round', 'if the weights fit only approximately, look for a nearby rational network with a small denominator that fits exactly')
    .option('--max-den <n>', 'largest denominator --round tries (default 1000)')
    .option('--json', 'print one JSON object on stdout')
    .action((file: string, o: Options) => {
      const format = parseWeightFormat(o.format);
      const maxDen = BigInt(parsePositiveInt(o.maxDen, '--max-den') ?? 1000);
      const report = reportStream(io, [['--output', o.output]], o.json === true);
      const target = o.output !== undefined ? outputTarget(o.output) : undefined;
      const tensors = o.tensors !== undefined ? parseTensorNames(o.tensors) : undefined;
      const inst = readInstance(o.instance);
      const rep = importWeights(file, format, inst, { round: o.round === true, maxDen, ...(tensors ? { tensors } : {}) });
      const failed = target ? tryWrites(() => writeOutput(target, prettyJson(networkToJson(rep.final)), io)) : undefined;
      const written = target && !failed ? shownAs(target) : undefined;
      if (o.json) report.out(JSON.stringify(reportJson(inst, rep, written)) + '\n');
      else report.out(reportText(inst, file, rep, written, o.round === true));
      if (failed) throw failed;
      done(rep.fits ? EXIT.ok : EXIT.notWithinBound);
    });
}

function verdictJson(v: Verdict): Record<string, unknown> {
  return {
    fits: v.fits,
    loss: v.loss.loss.toString(),
    withinBound: v.loss.withinBound,
    maxResidual: v.maxResidual.toString(),
    violations: v.loss.violations,
    architectureMismatches: v.shape,
  };
}

function reportJson(inst: Instance, rep: ImportReport, output: string | undefined): Record<string, unknown> {
  const f = rep.rounding?.found;
  return {
    instance: inst.name,
    format: rep.format,
    lossType: inst.loss.type,
    fits: rep.fits,
    notes: rep.notes,
    rescaled: rep.rescaled,
    asRead: verdictJson(rep.verdict),
    ...(rep.rounding
      ? {
          rounding: {
            tried: rep.rounding.tried.map(String),
            found: f
              ? { bound: f.bound.toString(), denominator: f.denominator.toString(), maxChange: f.maxChange.toString(), ...verdictJson(f.verdict) }
              : null,
          },
        }
      : {}),
    network: networkToJson(rep.final),
    ...(output ? { written: output } : {}),
  };
}

/** "exact loss 1 (points 2 wrong, max |f - y| = 1/1000)" and the like. */
export function describeVerdict(inst: Instance, v: Verdict): string {
  const l = inst.loss;
  let loss: string;
  switch (l.type) {
    case 'exact':
      loss =
        v.loss.violations.length === 0
          ? 'exact loss 0 (every f(x_i) = y_i)'
          : `exact loss ${v.loss.loss}: f(x_i) != y_i at point${v.loss.violations.length === 1 ? '' : 's'} ${v.loss.violations.join(', ')}, max |f - y| = ${approx(v)}`;
      break;
    case 'classification':
      loss =
        v.loss.violations.length === 0
          ? 'every point classified correctly'
          : `${v.loss.loss} point${v.loss.violations.length === 1 ? '' : 's'} misclassified (${v.loss.violations.join(', ')})`;
      break;
    case 'l1':
    case 'linf':
    case 'l2':
      loss = `${l.type} loss ${v.loss.loss} ${v.loss.withinBound ? (l.strict ? '<' : '<=') : l.strict ? '>=' : '>'} ${l.bound}`;
      break;
  }
  const shape = v.shape.length ? `; not the instance's architecture: ${v.shape.join('; ')}` : '';
  return `${loss}${shape}`;
}

function approx(v: Verdict): string {
  const r = v.maxResidual;
  return r.den > 1000n ? `${r} (about ${toFloat(r).toPrecision(3)})` : r.toString();
}

function reportText(inst: Instance, file: string, rep: ImportReport, output: string | undefined, round: boolean): string {
  const lines: string[] = [];
  for (const n of rep.notes) lines.push(`${file}: ${n}`);
  for (const r of rep.rescaled) lines.push(`normalised ${r}`);
  const v = rep.verdict;
  lines.push(`as read: ${v.fits ? 'FITS' : 'does NOT fit'} ${nameOf(inst)}: ${describeVerdict(inst, v)}`);
  if (rep.rounding) {
    const f = rep.rounding.found;
    if (f) {
      const change = f.maxChange.den > 1000n ? `${f.maxChange} (about ${toFloat(f.maxChange).toPrecision(3)})` : f.maxChange.toString();
      lines.push(`rounded: denominators <= ${f.bound} (largest used ${f.denominator}), max change per weight ${change}`);
      lines.push(`rounded: FITS ${nameOf(inst)} exactly: ${describeVerdict(inst, f.verdict)}`);
    } else {
      const last = rep.rounding.tried[rep.rounding.tried.length - 1]!;
      lines.push(`rounded: no network with denominators <= ${last} fits (tried bounds ${rep.rounding.tried.join(', ')})`);
    }
  } else if (!v.fits && !round) {
    lines.push('hint: if the weights fit only approximately, --round looks for a nearby rational network that fits exactly');
  }
  if (output) lines.push(`wrote ${output}${rep.fits ? '' : ' (it does not fit)'}`);
  return lines.join('\n') + '\n';
}
