/**
 * relucert minimize INSTANCE (--loss | --width) [--out DIR] [--engine NAME] [--max-width K] [--timeout SEC] [--json]
 * Writes, into DIR/NAME, the instance at the optimum with its witness
 * certificate and the instance asking for less with its infeasibility
 * certificate; both are checked by the independent checker before they are
 * written. Stopped before the optimum (--timeout, or no width up to
 * --max-width), it writes the bounds proved so far the same way: the best
 * witness (upper bound) and the best infeasibility proof (lower bound).
 * Exit 0 optimum certified, 30 bounds only (EXIT.bounds), 2 bad input.
 */
import type { Command } from 'commander';
import { join } from 'node:path';
import type { Instance } from '../../core/types.js';
import type { Q } from '../../core/rational.js';
import { certificateJson, certificateText } from '../../engines/certificate.js';
import { defaultEngine, engines } from '../../engines/index.js';
import { type OptimumResult, minimizeLoss, minimizeWidth } from '../../engines/minimize.js';
import { Deadline, type Proof, type SearchStats, type SolveOptions, type SolveResult } from '../../engines/result.js';
import { InputError } from '../../format/errors.js';
import { readInstance } from '../../format/schema.js';
import { instanceToJson, prettyJson } from '../../format/write.js';
import { EXIT, type Io, parsePositiveInt, parseSeconds } from '../io.js';
import { WriteError, outputDirectory, writeFileAtomic } from '../../format/files.js';
import { fileNameOf, nameOf, progressLine } from '../../format/text.js';
import { checkSolvableSize } from '../limits.js';
import { selfCheck, warmSelfCheck } from '../../run/self-check.js';

interface Written {
  instance: string;
  certificate: string;
}

/** Certificate texts that already passed the self-check (proofs are checked as soon as they are found, while time is left). */
const checkedTexts = new Set<string>();

const minimizeCertificate = (inst: Instance, body: Parameters<typeof certificateJson>[1], engine: string): string =>
  certificateText(certificateJson(inst, body, { engine, purpose: 'minimize' }));

/** Runs the self-check (self-check.ts, within the time limit); 'timeout' when it did not finish; throws when the checker rejects. */
async function checkOnce(text: string, name: string, deadline: Deadline): Promise<'valid' | 'timeout'> {
  if (checkedTexts.has(text)) return 'valid';
  const outcome = await selfCheck(text, name, deadline);
  if (outcome === 'timeout') return 'timeout';
  if (outcome.status !== 'valid') throw new Error(`the checker rejects the certificate just produced: ${outcome.message}`);
  checkedTexts.add(text);
  return 'valid';
}

/** The first file that could not be written (reported after the verdict, exit 74). */
let writeFailure: WriteError | undefined;
const writeErrorField = (): { writeError?: string } => (writeFailure ? { writeError: writeFailure.message } : {});

/**
 * Checks the certificate (unless already checked) and writes it with its
 * instance into dir; 'timeout' when the check did not finish in time,
 * undefined when a file could not be written (writeFailure). `asks` names
 * what the instance asks ("l1 loss < 7/2", "width 2"): the written instance
 * is called "NAME (asks)", so it never passes for the original question.
 */
async function writeCertified(
  dir: string,
  stem: string,
  original: Instance,
  asks: string,
  body: Parameters<typeof certificateJson>[1],
  engine: string,
  deadline: Deadline,
): Promise<Written | 'timeout' | undefined> {
  const inst = { ...original, name: `${original.name} (${asks})` };
  const text = minimizeCertificate(inst, body, engine);
  if ((await checkOnce(text, `${stem}.cert.json`, deadline)) === 'timeout') return 'timeout';
  const instanceFile = join(dir, `${stem}.instance.json`);
  const certificate = join(dir, `${stem}.cert.json`);
  try {
    writeFileAtomic(instanceFile, prettyJson(instanceToJson(inst)));
    writeFileAtomic(certificate, text);
  } catch (e) {
    if (!(e instanceof WriteError)) throw e;
    writeFailure ??= e;
    return undefined;
  }
  return { instance: instanceFile, certificate };
}

export function register(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('minimize')
    .description(
      'the least l1 / l-inf / l2 (sum of squares) loss for the given width (--loss), or the least width for the given loss (--width), certified on both sides; exit 0 optimum, 30 stopped early with the bounds proved so far (written), 2 bad input',
    )
    .argument('<instance>', 'a relucert-instance/1 file (for --loss: an l1, linf or l2 instance; its bound is ignored)')
    .option('--loss', "minimise the loss at the instance's width")
    .option('--width', "minimise the number of hidden units for the instance's loss")
    .option('--max-width <k>', 'largest width tried by --width', '6')
    .option('--out <dir>', 'directory for the instances and certificates of both sides (in DIR/NAME/)', 'out/minimize')
    .option('--engine <name>', 'engine deciding each question', defaultEngine)
    .option('--timeout <sec>', 'stop after this many seconds in total and write the bounds proved so far (exit 30)')
    .option('--json', 'print one JSON object on stdout')
    .option('--quiet', 'no progress lines on stderr')
    .action(
      async (
        file: string,
        o: { loss?: boolean; width?: boolean; maxWidth: string; out: string; engine: string; timeout?: string; json?: boolean; quiet?: boolean },
      ) => {
        writeFailure = undefined;
        if (!o.loss === !o.width) throw new InputError('command line', '--loss/--width', 'give exactly one of --loss and --width');
        const timeout = parseSeconds(o.timeout, '--timeout');
        // the time limit counts from here: reading the instance is part of it
        const deadline = Deadline.at(timeout !== undefined ? Date.now() + timeout * 1000 : undefined);
        if (timeout !== undefined) warmSelfCheck();
        const maxWidth = parsePositiveInt(o.maxWidth, '--max-width')!;
        const engine = engines[o.engine];
        if (!engine || !engine.provesInfeasibility)
          throw new InputError(
            'command line',
            '--engine',
            `minimize needs an engine that proves infeasibility (${Object.values(engines)
              .filter((e) => e.provesInfeasibility)
              .map((e) => e.name)
              .join(', ')})`,
          );
        outputDirectory(o.out, '--out');
        const inst = readInstance(file);
        if (o.loss && inst.loss.type !== 'l1' && inst.loss.type !== 'linf' && inst.loss.type !== 'l2')
          throw new InputError(file, 'loss.type', `minimize --loss needs an l1, linf or l2 instance, got ${inst.loss.type}`);
        checkSolvableSize(inst, file, o.width ? maxWidth : inst.architecture.hidden);
        if (o.width && inst.architecture.outputWeights.mode === 'fixed')
          throw new InputError(
            file,
            'architecture.outputWeights',
            'minimize --width needs signs, positive or free output weights (a fixed list fixes the width)',
          );
        const opts = {
          ...(deadline.at !== undefined ? { deadline: deadline.at } : {}),
          ...(io.progress && !o.quiet ? { onProgress: (s: SearchStats) => io.err(progressLine(s) + '\n') } : {}),
        };
        const solve = (i: Instance, so: SolveOptions): Promise<SolveResult> => engine.solve(i, so);
        // with a time limit, every proof is self-checked as soon as it is found, while time is left; one whose check cannot finish counts as a timeout
        const certify = async (i: Instance, proof: Proof): Promise<boolean> =>
          (await checkOnce(minimizeCertificate(i, { verdict: 'infeasible', proof }, engine.name), 'lower-bound.cert.json', deadline)) === 'valid';
        const mopts = { ...opts, ...(deadline.at !== undefined ? { certify } : {}) };
        const res: OptimumResult = o.loss ? await minimizeLoss(inst, solve, mopts) : await minimizeWidth(inst, solve, maxWidth, mopts);
        const what = o.loss ? `${inst.loss.type} loss` : 'width';
        const dir = join(o.out, fileNameOf(inst.name));
        const lossType = inst.loss.type;
        const notWritten = 'certificate NOT written (below)';
        const elapsedMs = res.stats.reduce((s, x) => s + x.elapsedMs, 0);
        const late = (side: string): string => `the self-check of the ${side} certificate did not finish within the time limit; not written`;
        if (res.status === 'optimal') {
          const at = await writeCertified(
            dir,
            o.loss ? 'optimum' : `width-${res.value}`,
            res.witness.instance,
            o.loss ? `${lossType} loss <= ${res.value}` : `width ${res.value}`,
            { verdict: 'feasible', network: res.witness.network },
            engine.name,
            deadline,
          );
          const below = res.below
            ? await writeCertified(
                dir,
                o.loss ? 'below-optimum' : `width-${res.value.num - 1n}`,
                res.below.instance,
                o.loss ? `${lossType} loss < ${res.value}` : `width ${res.value.num - 1n}`,
                { verdict: 'infeasible', proof: res.below.proof },
                engine.name,
                deadline,
              )
            : undefined;
          const complete = at !== 'timeout' && below !== 'timeout';
          if (o.json) {
            io.out(
              JSON.stringify({
                instance: inst.name,
                objective: what,
                status: complete ? 'optimal' : 'bounds',
                value: res.value.toString(),
                witness: at === 'timeout' ? null : (at ?? null),
                lowerBound: below === 'timeout' ? null : (below ?? null),
                ...(complete ? {} : { reason: late(at === 'timeout' ? 'witness' : 'lower-bound') }),
                ...writeErrorField(),
                rounds: res.rounds,
                elapsedMs,
              }) + '\n',
            );
          } else {
            io.out(`${nameOf(inst)}: least ${what} = ${res.value}${complete ? '' : ' (not fully certified in time)'}\n`);
            io.out(at === 'timeout' ? `  attained: ${late('witness')}\n` : `  attained: ${at ? at.certificate : notWritten} (witness, checked)\n`);
            if (below === 'timeout') io.out(`  nothing less: ${late('lower-bound')}\n`);
            else if (below) io.out(`  nothing less: ${below.certificate} (infeasibility proof, checked)\n`);
            else if (res.below) io.out(`  nothing less: ${notWritten} (infeasibility proof, checked)\n`);
            else io.out('  nothing less: width 1 is the smallest width there is\n');
          }
          const failure: WriteError | undefined = writeFailure;
          // eslint-disable-next-line @typescript-eslint/only-throw-error -- a WriteError; the rule loses the type through the module variable
          if (failure) throw failure;
          done(complete ? EXIT.ok : EXIT.bounds);
          return;
        }
        // stopped before the optimum: write what is proved
        const upper = res.upper
          ? await writeCertified(
              dir,
              o.loss ? 'upper-bound' : `width-${res.upper.value}`,
              res.upper.instance,
              o.loss ? `${lossType} loss <= ${res.upper.value}` : `width ${res.upper.value}`,
              { verdict: 'feasible', network: res.upper.network },
              engine.name,
              deadline,
            )
          : undefined;
        const lower = res.lower
          ? await writeCertified(
              dir,
              o.loss ? 'lower-bound' : `width-${res.lower.value.num - 1n}`,
              res.lower.instance,
              o.loss ? `${lossType} loss < ${res.lower.value}` : `width ${res.lower.value.num - 1n}`,
              { verdict: 'infeasible', proof: res.lower.proof },
              engine.name,
              deadline,
            )
          : undefined;
        const lo: Q | undefined = lower && lower !== 'timeout' ? res.lower!.value : undefined;
        const hi: Q | undefined = upper && upper !== 'timeout' ? res.upper!.value : undefined;
        if (o.json) {
          io.out(
            JSON.stringify({
              instance: inst.name,
              objective: what,
              status: 'bounds',
              reason: res.reason,
              lower: lo !== undefined && lower !== 'timeout' ? { value: lo.toString(), ...lower } : null,
              upper: hi !== undefined && upper !== 'timeout' ? { value: hi.toString(), ...upper } : null,
              ...writeErrorField(),
              rounds: res.rounds,
              elapsedMs,
            }) + '\n',
          );
        } else if (o.loss) {
          io.out(`${nameOf(inst)}: ${what} in [${lo ?? 0}, ${hi ?? 'unknown'}] (stopped: ${res.reason})\n`);
          if (upper === 'timeout') io.out(`  at most ${res.upper!.value}: ${late('witness')}\n`);
          else if (upper) io.out(`  at most ${hi}: ${upper.certificate} (witness, checked)\n`);
          if (lower === 'timeout') io.out(`  at least ${res.lower!.value}: ${late('lower-bound')}\n`);
          else if (lower) io.out(`  at least ${lo}: ${lower.certificate} (proof that no network has ${what} < ${lo}, checked)\n`);
          else io.out('  at least 0: a loss is never negative (no proof of more finished in time)\n');
        } else {
          if (lo === undefined) io.out(`${nameOf(inst)}: width unknown (stopped: ${res.reason}); nothing proved, nothing written\n`);
          else {
            io.out(`${nameOf(inst)}: width > ${lo.num - 1n} (proved; stopped: ${res.reason})\n`);
            if (lower && lower !== 'timeout') io.out(`  at least ${lo}: ${lower.certificate} (infeasibility proof for width ${lo.num - 1n}, checked)\n`);
          }
          if (lower === 'timeout') io.out(`  ${late('lower-bound')}\n`);
        }
        const failure: WriteError | undefined = writeFailure;
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- a WriteError; the rule loses the type through the module variable
        if (failure) throw failure;
        done(EXIT.bounds);
      },
    );
}
