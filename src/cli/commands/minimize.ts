/**
 * relucert minimize INSTANCE (--loss | --width) [--out DIR] [--engine NAME] [--max-width K] [--timeout SEC] [--json]
 * Writes, into DIR, the instance at the optimum with its witness certificate and
 * the instance asking for less with its infeasibility certificate; both are
 * checked by the independent checker before they are written.
 * Exit 0 optimum certified, 0 with status unknown on timeout, 2 bad input.
 */
import type { Command } from 'commander';
import { join } from 'node:path';
import { checkCertificate } from '../../check/index.js';
import type { Instance } from '../../core/types.js';
import { certificateJson, certificateText } from '../../engines/certificate.js';
import { defaultEngine, engines } from '../../engines/index.js';
import { type OptimumResult, minimizeLoss, minimizeWidth } from '../../engines/minimize.js';
import type { SearchStats } from '../../engines/result.js';
import { InputError } from '../../format/errors.js';
import { readInstance } from '../../format/schema.js';
import { instanceToJson, prettyJson } from '../../format/write.js';
import { EXIT, type Io, outputDirectory, parsePositiveInt, parseSeconds, tryWrites, writeFileAtomic } from '../io.js';
import { fileNameOf, nameOf } from '../describe.js';
import { checkSolvableSize } from '../limits.js';
import { progressLine } from './solve.js';

/**
 * Writes the instance of one side and its certificate (checked first) into dir.
 * `asks` names what the instance asks ("l1 loss < 7/2", "width 2"): the written
 * instance is called "NAME (asks)", so it never passes for the original question.
 */
function writeCertified(dir: string, stem: string, original: Instance, asks: string, body: Parameters<typeof certificateJson>[1], engine: string): { instance: string; certificate: string } {
  const inst = { ...original, name: `${original.name} (${asks})` };
  const text = certificateText(certificateJson(inst, body, { engine, purpose: 'minimize' }));
  const outcome = checkCertificate(text, `${stem}.cert.json`);
  if (outcome.status !== 'valid') throw new Error(`the checker rejects the certificate just produced: ${outcome.message}`);
  const instanceFile = join(dir, `${stem}.instance.json`);
  const certificate = join(dir, `${stem}.cert.json`);
  writeFileAtomic(instanceFile, prettyJson(instanceToJson(inst)));
  writeFileAtomic(certificate, text);
  return { instance: instanceFile, certificate };
}

export function register(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('minimize')
    .description('the least l1 / l-inf loss for the given width (--loss), or the least width for the given loss (--width), certified on both sides')
    .argument('<instance>', 'a relucert-instance/1 file (for --loss: an l1 or linf instance; its bound is ignored)')
    .option('--loss', 'minimise the loss at the instance\'s width')
    .option('--width', 'minimise the number of hidden units for the instance\'s loss')
    .option('--max-width <k>', 'largest width tried by --width', '6')
    .option('--out <dir>', 'directory for the instances and certificates of both sides (in DIR/NAME/)', 'out/minimize')
    .option('--engine <name>', 'engine deciding each question', defaultEngine)
    .option('--timeout <sec>', 'give up after this many seconds in total and answer "unknown"')
    .option('--json', 'print one JSON object on stdout')
    .option('--quiet', 'no progress lines on stderr')
    .action(async (file: string, o: { loss?: boolean; width?: boolean; maxWidth: string; out: string; engine: string; timeout?: string; json?: boolean; quiet?: boolean }) => {
      if (!o.loss === !o.width) throw new InputError('command line', '--loss/--width', 'give exactly one of --loss and --width');
      const timeout = parseSeconds(o.timeout, '--timeout');
      const maxWidth = parsePositiveInt(o.maxWidth, '--max-width')!;
      const engine = engines[o.engine];
      if (!engine || !engine.provesInfeasibility)
        throw new InputError('command line', '--engine', `minimize needs an engine that proves infeasibility (${Object.values(engines).filter((e) => e.provesInfeasibility).map((e) => e.name).join(', ')})`);
      outputDirectory(o.out, '--out');
      const inst = readInstance(file);
      if (o.loss && inst.loss.type !== 'l1' && inst.loss.type !== 'linf')
        throw new InputError(file, 'loss.type', `minimize --loss needs an l1 or linf instance, got ${inst.loss.type}`);
      checkSolvableSize(inst, file, o.width ? maxWidth : inst.architecture.hidden);
      if (o.width && inst.architecture.outputWeights.mode === 'fixed')
        throw new InputError(file, 'architecture.outputWeights', 'minimize --width needs signs, positive or free output weights (a fixed list fixes the width)');
      const opts = {
        ...(timeout !== undefined ? { deadline: Date.now() + timeout * 1000 } : {}),
        ...(io.progress && !o.quiet ? { onProgress: (s: SearchStats) => io.err(progressLine(s) + '\n') } : {}),
      };
      const solve = (i: Instance, so: typeof opts) => engine.solve(i, so);
      const res: OptimumResult = o.loss ? await minimizeLoss(inst, solve, opts) : await minimizeWidth(inst, solve, maxWidth, opts);
      const what = o.loss ? `${inst.loss.type} loss` : 'width';
      if (res.status === 'unknown') {
        if (o.json) io.out(JSON.stringify({ instance: inst.name, objective: what, status: 'unknown', reason: res.reason, ...(res.best ? { bestValue: res.best.value.toString() } : {}) }) + '\n');
        else io.out(`${nameOf(inst)}: ${what} unknown (${res.reason})${res.best ? `; best found ${res.best.value}` : ''}\n`);
        done(EXIT.unknown);
        return;
      }
      const dir = join(o.out, fileNameOf(inst.name));
      const lossType = inst.loss.type;
      let at: { instance: string; certificate: string } | undefined;
      let below: { instance: string; certificate: string } | undefined;
      const failed = tryWrites(() => {
        at = writeCertified(dir, o.loss ? 'optimum' : `width-${res.value}`, res.witness.instance, o.loss ? `${lossType} loss <= ${res.value}` : `width ${res.value}`, { verdict: 'feasible', network: res.witness.network }, engine.name);
        if (res.below)
          below = writeCertified(dir, o.loss ? 'below-optimum' : `width-${res.value.num - 1n}`, res.below.instance, o.loss ? `${lossType} loss < ${res.value}` : `width ${res.value.num - 1n}`, { verdict: 'infeasible', proof: res.below.proof }, engine.name);
      });
      if (o.json) {
        io.out(
          JSON.stringify({
            instance: inst.name,
            objective: what,
            status: 'optimal',
            value: res.value.toString(),
            witness: at ?? null,
            lowerBound: below ?? null,
            ...(failed ? { writeError: failed.message } : {}),
            rounds: res.rounds,
            elapsedMs: res.stats.reduce((s, x) => s + x.elapsedMs, 0),
          }) + '\n',
        );
      } else {
        io.out(`${nameOf(inst)}: least ${what} = ${res.value}\n`);
        io.out(`  attained: ${at ? at.certificate : 'certificate NOT written (below)'} (witness, checked)\n`);
        if (below) io.out(`  nothing less: ${below.certificate} (infeasibility proof, checked)\n`);
        else if (res.below) io.out('  nothing less: certificate NOT written (below) (infeasibility proof, checked)\n');
        else io.out('  nothing less: width 1 is the smallest width there is\n');
      }
      if (failed) throw failed;
      done(EXIT.ok);
    });
}
