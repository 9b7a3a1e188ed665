/**
 * relucert eval INSTANCE NETWORK [--format F] [--tensors W1,b1,W2,b2] [--json]: exact outputs and loss.
 * NETWORK: relucert-network/1 (default), ONNX (.onnx), safetensors (.safetensors) or a torch-json dump.
 * The work is the library's `evaluate` (src/run/evaluate.ts). Exit 0 within the bound, 1 not, 2 bad input.
 */
import type { Command } from 'commander';
import { readInstance } from '../../format/schema.js';
import { formatOfFile, parseTensorNames, parseWeightFormat, readAnyNetwork, weightFormats } from '../../interop/import.js';
import { evaluate } from '../../run/evaluate.js';
import { EXIT, type Io } from '../io.js';

export function register(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('eval')
    .description('evaluate a network exactly on an instance: outputs, loss, and whether it is within the bound (exit 0 yes, 1 no)')
    .argument('<instance>', 'a relucert-instance/1 file')
    .argument('<network>', 'a relucert-network/1 file or a feasible certificate (its witness), an ONNX model or a safetensors file (see --format)')
    .option('--format <format>', `network file format: ${weightFormats.join(', ')} (default: onnx for .onnx, safetensors for .safetensors, else json)`)
    .option('--tensors <names>', 'torch-json and safetensors: the tensor names W1,b1,W2,b2 (a bias may be empty)')
    .option('--json', 'print one JSON object on stdout')
    .action((instFile: string, netFile: string, o: { format?: string; tensors?: string; json?: boolean }) => {
      const format = o.format !== undefined ? parseWeightFormat(o.format) : formatOfFile(netFile);
      const tensors = o.tensors !== undefined ? parseTensorNames(o.tensors) : undefined;
      const inst = readInstance(instFile);
      const net = readAnyNetwork(netFile, inst, format, tensors ? { tensors } : {});
      const rep = evaluate(inst, net, netFile);
      const shape = rep.architectureMismatches;
      if (o.json) {
        io.out(
          JSON.stringify({
            instance: inst.name,
            lossType: inst.loss.type,
            loss: rep.loss.toString(),
            withinBound: rep.withinBound,
            outputs: rep.outputs.map(String),
            violations: rep.violations,
            matchesArchitecture: shape.length === 0,
            architectureMismatches: shape,
          }) + '\n',
        );
      } else {
        rep.outputs.forEach((f, i) => io.out(`  f(x${i}) = ${f}   label ${inst.labels[i]}\n`));
        io.out(`${inst.loss.type} loss ${rep.loss}: ${rep.withinBound ? 'within' : 'NOT within'} the bound\n`);
        if (shape.length) io.out(`note: the network does not have the instance's architecture: ${shape.join('; ')}\n`);
      }
      done(rep.withinBound ? EXIT.ok : EXIT.notWithinBound);
    });
}
