/**
 * relucert export INSTANCE [--smtlib FILE] [--lp FILE [--big-m M] [--pattern-lp PATTERN]] [--jslp FILE]
 * Writes the instance's encodings for other solvers (docs/export.md). FILE
 * "-" is stdout. Exit 0, or 2 for bad input.
 */
import type { Command } from 'commander';
import { InputError } from '../../format/errors.js';
import { readInstance } from '../../format/schema.js';
import { buildMilp } from '../../encode/milp/big-m.js';
import { writeCplexLp } from '../../encode/milp/cplex-lp.js';
import { toJsLpModel } from '../../encode/milp/js-lp-model.js';
import { MILP_NO_L2, parseBigM } from '../../encode/milp/model.js';
import { parsePattern, patternLp } from '../../encode/milp/pattern.js';
import { smtlibText } from '../../encode/smtlib.js';
import { EXIT, type Io, reportStream } from '../io.js';
import { type Output, outputTarget, writeOutput } from '../../format/files.js';

interface ExportOptions {
  smtlib?: string;
  lp?: string;
  bigM?: string;
  patternLp?: string;
  jslp?: string;
}

export function register(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('export')
    .description('write the instance as SMT-LIB 2 (direct encoding) and/or as a big-M MILP in CPLEX LP format, for other solvers')
    .argument('<instance>', 'a relucert-instance/1 file')
    .option(
      '--smtlib <file>',
      'write the direct SMT encoding (SMT-LIB 2: QF_LRA, or QF_NRA for free ReLU / leaky ReLU output weights and for the l2 loss); "-" for stdout',
    )
    .option('--lp <file>', 'write the big-M MILP in CPLEX LP format (M and epsilon stated at the top); "-" for stdout')
    .option(
      '--big-m <M>',
      'weight bound M of the MILP (positive integer, default 100): its "infeasible" only means "no fit with weights in [-M, M]", unless the instance\'s weightBound B <= M makes the MILP its exact question (docs/export.md)',
    )
    .option('--pattern-lp <pattern>', 'with --lp: write instead the exact LP of one activation pattern: "act" (all active) or [SIGNS/]UNITS, e.g. "+-/110,011"')
    .option('--jslp <file>', 'write the big-M MILP as javascript-lp-solver\'s JSON model; "-" for stdout')
    .action((file: string, o: ExportOptions) => {
      if (o.smtlib === undefined && o.lp === undefined && o.jslp === undefined)
        throw new InputError('command line', '--smtlib/--lp', 'nothing to export: give --smtlib FILE, --lp FILE or --jslp FILE');
      if (o.patternLp !== undefined && o.lp === undefined) throw new InputError('command line', '--pattern-lp', 'needs --lp FILE');
      if (o.patternLp !== undefined && o.bigM !== undefined)
        throw new InputError('command line', '--big-m', 'the pattern LP has no big-M (its variables are free)');
      const bigM = parseBigM(o.bigM);
      reportStream(
        io,
        [
          ['--smtlib', o.smtlib],
          ['--lp', o.lp],
          ['--jslp', o.jslp],
        ],
        false,
      );
      const target = (f: string | undefined): Output | undefined => (f === undefined ? undefined : outputTarget(f));
      const [smtlib, lp, jslp] = [target(o.smtlib), target(o.lp), target(o.jslp)];
      const inst = readInstance(file);
      if (inst.loss.type === 'l2' && (lp || jslp)) throw new InputError(file, 'loss.type', MILP_NO_L2);
      if (smtlib) writeOutput(smtlib, smtlibText(inst), io);
      if (lp) {
        const model = o.patternLp !== undefined ? patternLp(inst, parsePattern(inst, o.patternLp)) : buildMilp(inst, bigM ? { bigM } : {});
        writeOutput(lp, writeCplexLp(model), io);
      }
      if (jslp) writeOutput(jslp, JSON.stringify(toJsLpModel(buildMilp(inst, bigM ? { bigM } : {})), null, 1) + '\n', io);
      done(EXIT.ok);
    });
}
