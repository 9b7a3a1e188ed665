/**
 * relucert export-network NETWORK --onnx FILE [--format F] [--instance INSTANCE]
 * Writes a network (relucert-network/1 by default, any depth, or the witness of
 * a feasible certificate, as plot and eval read it) as an ONNX model with
 * float64 weights. Exit 0, 2 bad input (nothing written).
 */
import type { Command } from 'commander';
import { Q } from '../../core/rational.js';
import type { Network } from '../../core/types.js';
import { InputError } from '../../format/errors.js';
import { readInstance, readNetworkOrWitness } from '../../format/schema.js';
import { formatOfFile, parseWeightFormat, readWeights, toFloat, weightFormats } from '../../interop/import.js';
import { type OnnxRounding, networkToOnnx, onnxOpsetOf, readOnnx } from '../../interop/onnx.js';
import { EXIT, type Io } from '../io.js';
import { writeFileAtomic } from '../../format/files.js';

/**
 * Writes `net` as ONNX to `file`; when some weight is not a float64 number,
 * says on stderr how many were rounded and the largest change. `what` names
 * the network in that note ("the witness", "NET.json"). Returns how much was rounded.
 */
export function writeOnnxFile(net: Network, file: string, docString: string, what: string, io: Io): OnnxRounding {
  const { bytes, rounding } = networkToOnnx(net, what, docString);
  writeFileAtomic(file, bytes);
  if (rounding.rounded > 0) {
    io.err(
      `relucert: note: ${file}: ${rounding.rounded} of the ${rounding.total} weights and biases of ${what} are not float64 numbers ` +
        `and were rounded to the nearest float64, each by at most ${decimalAtLeast(rounding.maxChange)}\n`,
    );
  }
  return rounding;
}

/** The least three-digit decimal "d.dde-N" at least q > 0: an honest upper bound for a message. */
export function decimalAtLeast(q: Q): string {
  const [m, e] = toFloat(q).toExponential(2).split('e') as [string, string];
  let mantissa = BigInt(m.replace('.', ''));
  const exponent = BigInt(e) - 2n;
  const value = (mm: bigint): Q => (exponent >= 0n ? Q.of(mm * 10n ** exponent) : Q.of(mm, 10n ** -exponent));
  while (value(mantissa).lt(q)) mantissa++;
  const digits = mantissa.toString();
  return `${digits.slice(0, 1)}.${digits.slice(1)}e${BigInt(digits.length - 1) + exponent}`;
}

export function register(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('export-network')
    .description('write a network as an ONNX model (float64 weights: exact when every weight is a float64 number, else rounded and reported on stderr)')
    .argument('<network>', 'a relucert-network/1 file (any depth), a feasible certificate (its witness), or another weight file with --format')
    .requiredOption('--onnx <file>', 'the ONNX model to write')
    .option(
      '--format <format>',
      `input format: ${weightFormats.join(', ')} (default: onnx for .onnx, safetensors for .safetensors, else json; torch-json and safetensors need --instance)`,
    )
    .option('--instance <file>', 'the instance whose dimension and activation a state dict (torch-json, safetensors) is read with')
    .option('--json', 'print one JSON object on stdout')
    .action((netFile: string, o: { onnx: string; format?: string; instance?: string; json?: boolean }) => {
      const format = o.format !== undefined ? parseWeightFormat(o.format) : formatOfFile(netFile);
      let net: Network;
      if (o.instance !== undefined) net = readWeights(netFile, format, readInstance(o.instance)).network;
      else if (format === 'json') net = readNetworkOrWitness(netFile);
      else if (format === 'onnx') net = readOnnx(netFile, { maxLayers: Number.MAX_SAFE_INTEGER }).network;
      else throw new InputError('command line', '--instance', `needed with --format ${format}: relucert checks the network against an instance's dimension`);
      const rounding = writeOnnxFile(net, o.onnx, 'exported by relucert export-network', netFile, io);
      const layers = net.layers.map((l) => `${l.weights.length} ${l.activation}`).join(' -> ');
      if (o.json)
        io.out(
          JSON.stringify({
            written: o.onnx,
            opset: onnxOpsetOf(net),
            layers: net.layers.length,
            exact: rounding.rounded === 0,
            rounded: rounding.rounded,
            maxChange: rounding.maxChange.toString(),
          }) + '\n',
        );
      else
        io.out(
          `wrote ${o.onnx}: ONNX opset ${onnxOpsetOf(net)}, float64, layers ${layers}; ${rounding.rounded === 0 ? 'exact (every weight is a float64 number)' : `${rounding.rounded} weights rounded (see the note)`}\n`,
        );
      done(EXIT.ok);
    });
}
