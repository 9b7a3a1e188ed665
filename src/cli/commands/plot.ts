/**
 * relucert plot INSTANCE [--network NETWORK | CERTIFICATE] -o FILE.svg
 * Draws the instance (d = 1 or 2) and, optionally, a network on it as SVG
 * (the network of a relucert-network/1 file, or the witness of a feasible
 * certificate). FILE "-" is standard output. Exit 0 written, 2 bad input
 * (including d >= 3), 74 the file could not be written.
 */
import type { Command } from 'commander';
import { readInstance, readNetworkOrWitness } from '../../format/schema.js';
import { plotSvg } from '../../interop/plot.js';
import { count, nameOf } from '../../format/text.js';
import { EXIT, type Io, reportStream } from '../io.js';
import { outputTarget, shownAs, writeOutput } from '../../format/files.js';

export function register(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('plot')
    .description('draw an instance of dimension 1 or 2 and, optionally, a network on it, as an SVG file')
    .argument('<instance>', 'a relucert-instance/1 file')
    .option(
      '--network <file>',
      "a relucert-network/1 file, or a feasible certificate (its witness), to draw: the function (d = 1) or the units' breaklines (d = 2)",
    )
    .requiredOption('-o, --output <file>', 'the SVG file to write ("-": standard output)')
    .action((instFile: string, o: { network?: string; output: string }) => {
      const report = reportStream(io, [['--output', o.output]], false);
      const target = outputTarget(o.output);
      const inst = readInstance(instFile);
      const net = o.network ? readNetworkOrWitness(o.network) : undefined;
      const svg = plotSvg(inst, net, { instanceFile: instFile, ...(o.network ? { networkFile: o.network } : {}) });
      writeOutput(target, svg, io);
      const units = net ? `, ${count(net.layers[0]!.weights.length, 'unit')}` : '';
      report.out(`wrote ${shownAs(target)} (${nameOf(inst)}: ${count(inst.points.length, 'point')} in dimension ${inst.points[0]!.length}${units})\n`);
      done(EXIT.ok);
    });
}
