/**
 * relucert plot INSTANCE [--network NETWORK] -o FILE.svg
 * Draws the instance (d = 1 or 2) and, optionally, a network on it as SVG.
 * Exit 0 written, 2 bad input (including d >= 3).
 */
import type { Command } from 'commander';
import { readInstance, readNetwork } from '../../format/schema.js';
import { plotSvg } from '../../interop/plot.js';
import { EXIT, type Io, writeFileAtomic } from '../io.js';

export function register(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('plot')
    .description('draw an instance of dimension 1 or 2 and, optionally, a network on it, as an SVG file')
    .argument('<instance>', 'a relucert-instance/1 file')
    .option('--network <file>', 'a relucert-network/1 file to draw: the function (d = 1) or the units\' breaklines (d = 2)')
    .requiredOption('-o, --output <file>', 'the SVG file to write')
    .action((instFile: string, o: { network?: string; output: string }) => {
      const inst = readInstance(instFile);
      const net = o.network ? readNetwork(o.network) : undefined;
      const svg = plotSvg(inst, net, { instanceFile: instFile, ...(o.network ? { networkFile: o.network } : {}) });
      writeFileAtomic(o.output, svg);
      const units = net ? `, ${net.layers[0]!.weights.length} units` : '';
      io.out(`wrote ${o.output} (${inst.name}: ${inst.points.length} points in dimension ${inst.points[0]!.length}${units})\n`);
      done(EXIT.ok);
    });
}
