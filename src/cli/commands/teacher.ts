/**
 * relucert teacher --depth L --width K --dim D --samples N [--seed S] -o INSTANCE
 *   [--teacher NET] [--test FILE --test-samples M] [--weight-digits W] [--input-digits X] [--biases]
 *   [--hidden k] [--activation relu|threshold] [--output-weights signs|positive|free|a,b,...]
 *   [--output-bias] [--loss exact|classification|l1:G|linf:G|l2:G] [--name NAME] [--json]
 * A random deep ReLU teacher and Gaussian inputs (src/learn/teacher.ts), written as a
 * relucert-instance/1 (the two-layer question chosen by the options) and the teacher as a
 * relucert-network/1 of depth L + 1. Exit 0, 2 bad input.
 */
import type { Command } from 'commander';
import { Q } from '../../core/rational.js';
import type { Architecture, Instance, Loss, OutputWeights } from '../../core/types.js';
import { InputError } from '../../format/errors.js';
import { instanceToJson, networkToJson, prettyJson } from '../../format/write.js';
import { decimalText } from '../../learn/gram.js';
import { TEACHER_LIMITS, type TeacherSpec, drawTeacher } from '../../learn/teacher.js';
import { quote } from '../../check/index.js';
import { EXIT, type Io, reportStream } from '../io.js';
import { outputTarget, shownAs, tryWrites, writeOutput } from '../../format/files.js';
import { parseExact, parseIntIn } from '../learn-options.js';

const CL = 'command line';
const MAX_HIDDEN = 64;

interface TeacherOptions {
  depth?: string;
  width?: string;
  dim?: string;
  samples?: string;
  seed: string;
  output: string;
  teacher?: string;
  test?: string;
  testSamples?: string;
  weightDigits: string;
  inputDigits: string;
  biases?: boolean;
  hidden?: string;
  activation: string;
  outputWeights: string;
  outputBias?: boolean;
  loss: string;
  name?: string;
  json?: boolean;
}

function required(v: string | undefined, option: string): string {
  if (v === undefined) throw new InputError(CL, option, 'required');
  return v;
}

/** The two-layer question of the written instance, from the options. */
function architectureOf(o: TeacherOptions, width: number): Architecture {
  const hidden = o.hidden === undefined ? Math.min(width, MAX_HIDDEN) : parseIntIn(o.hidden, '--hidden', 1, MAX_HIDDEN);
  if (o.activation !== 'relu' && o.activation !== 'threshold')
    throw new InputError(CL, '--activation', `expected relu or threshold, got ${JSON.stringify(o.activation)}`);
  let outputWeights: OutputWeights;
  if (o.outputWeights === 'signs' || o.outputWeights === 'positive' || o.outputWeights === 'free') outputWeights = { mode: o.outputWeights };
  else {
    const values = o.outputWeights.split(',').map((t, j) => parseExact(t, '--output-weights', `entry ${j + 1}: `));
    if (values.length !== hidden)
      throw new InputError(CL, '--output-weights', `expected signs, positive, free or ${hidden} numbers (one per hidden unit), got ${values.length}`);
    outputWeights = { mode: 'fixed', values };
  }
  return { hidden, activation: o.activation, outputWeights, outputBias: o.outputBias === true };
}

function lossOf(spec: string): Loss {
  if (spec === 'exact' || spec === 'classification') return { type: spec };
  const m = /^(l1|linf|l2):(.*)$/.exec(spec);
  if (!m) throw new InputError(CL, '--loss', `expected exact, classification, l1:G, linf:G or l2:G, got ${JSON.stringify(spec)}`);
  const bound = parseExact(m[2]!, '--loss', 'bound G: ');
  if (bound.sign() < 0) throw new InputError(CL, '--loss', `bound G: must be >= 0, got ${bound}`);
  return { type: m[1] as 'l1' | 'linf' | 'l2', bound, strict: false };
}

const decimals = (xs: readonly Q[]): string[] => xs.map(decimalText);

/** The instance file, with its numbers as decimals ("-0.54", as drawn) rather than reduced fractions; the same exact values. */
function instanceText(inst: Instance): string {
  return prettyJson({ ...instanceToJson(inst), points: inst.points.map(decimals), labels: decimals(inst.labels) });
}

/** The instance's description: what was drawn, and every rounding. */
function describeTeacher(spec: TeacherSpec, n: number, what: string, classification: boolean): string {
  return (
    `${n} ${what} points labelled by a planted deep ReLU teacher: ${spec.depth} hidden ReLU layer${spec.depth === 1 ? '' : 's'} of ${spec.width} units and an identity output ` +
    `(the teacher network file beside this one). Inputs x ~ N(0, I_${spec.dim}), each coordinate rounded to the nearest multiple of 10^-${spec.inputDigits} (ties away from zero); ` +
    `weights of a ReLU layer with fan-in m ~ N(0, 2/m), of the output layer ~ N(0, 1/m), ${spec.biases ? 'biases ~ N(0, 1)' : 'biases 0'}, rounded to multiples of 10^-${spec.weightDigits}; ` +
    `draws: xoshiro128** seeded with ${spec.seed}, Marsaglia's polar method, weights first, then the points in order. ` +
    (classification ? 'Labels: 1 where the teacher output f(x) > 0, else -1 (f computed exactly).' : 'Labels: the teacher output f(x), computed exactly.') +
    ' The two-layer question (architecture, loss) was chosen on the command line; whether it is feasible is not known in advance.'
  );
}

/** "relucert teacher --depth 2 ..." as the instance's source. */
function commandLine(spec: TeacherSpec, o: TeacherOptions): string {
  const opt = (name: string, v: string | undefined): string => (v === undefined ? '' : ` --${name} ${v}`);
  return (
    `relucert teacher --depth ${spec.depth} --width ${spec.width} --dim ${spec.dim} --samples ${spec.samples} --seed ${spec.seed}` +
    `${opt('weight-digits', o.weightDigits)}${opt('input-digits', o.inputDigits)}${o.biases ? ' --biases' : ''}`
  );
}

export function register(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('teacher')
    .description('draw a random deep ReLU teacher and Gaussian inputs (exact decimals), write the labelled data as an instance and the teacher as a network')
    .option('--depth <L>', `hidden ReLU layers of the teacher (1..${TEACHER_LIMITS.maxDepth}) (required)`)
    .option('--width <K>', `units per hidden layer (1..${TEACHER_LIMITS.maxWidth}) (required)`)
    .option('--dim <D>', `input dimension (1..${TEACHER_LIMITS.maxDim}) (required)`)
    .option('--samples <N>', `labelled points (1..${TEACHER_LIMITS.maxSamples}) (required)`)
    .option('--seed <S>', 'seed of the random draws (0..2^31-1); the same seed gives the same files', '1')
    .requiredOption('-o, --output <file>', 'the relucert-instance/1 file to write ("-": standard output, with --teacher FILE)')
    .option('--teacher <file>', 'the relucert-network/1 file for the teacher (default: OUTPUT with .teacher.json)')
    .option('--test <file>', 'also write held-out points of the same teacher as an instance (needs --test-samples)')
    .option('--test-samples <M>', 'number of held-out points for --test')
    .option('--weight-digits <W>', `round weights (and biases) to multiples of 10^-W (0..${TEACHER_LIMITS.maxDigits})`, '2')
    .option('--input-digits <X>', `round input coordinates to multiples of 10^-X (0..${TEACHER_LIMITS.maxDigits})`, '2')
    .option('--biases', 'draw hidden and output biases ~ N(0, 1) (default: all biases 0)')
    .option('--hidden <k>', `hidden units k of the two-layer question in the instance (1..${MAX_HIDDEN}; default min(K, ${MAX_HIDDEN}))`)
    .option('--activation <a>', "activation of the instance's question: relu or threshold", 'relu')
    .option('--output-weights <w>', "output weights of the instance's question: signs, positive, free, or k numbers a,b,...", 'free')
    .option('--output-bias', "the instance's question has a free output bias")
    .option(
      '--loss <spec>',
      "loss of the instance's question: exact, classification (labels sign f(x), 0 -> -1), l1:G, linf:G or l2:G (sum of squared errors)",
      'exact',
    )
    .option('--name <name>', 'instance name (default teacher-LxK-dD-nN-sS)')
    .option('--json', 'print one JSON object on stdout')
    .action((o: TeacherOptions) => done(teacherCommand(o, io)));
}

/** The teacher's specification from the options; InputError naming the option otherwise. */
function parseSpec(o: TeacherOptions): TeacherSpec {
  return {
    depth: parseIntIn(required(o.depth, '--depth'), '--depth', 1, TEACHER_LIMITS.maxDepth),
    width: parseIntIn(required(o.width, '--width'), '--width', 1, TEACHER_LIMITS.maxWidth),
    dim: parseIntIn(required(o.dim, '--dim'), '--dim', 1, TEACHER_LIMITS.maxDim),
    samples: parseIntIn(required(o.samples, '--samples'), '--samples', 1, TEACHER_LIMITS.maxSamples),
    seed: parseIntIn(o.seed, '--seed', 0, 2 ** 31 - 1),
    weightDigits: parseIntIn(o.weightDigits, '--weight-digits', 0, TEACHER_LIMITS.maxDigits),
    inputDigits: parseIntIn(o.inputDigits, '--input-digits', 0, TEACHER_LIMITS.maxDigits),
    biases: o.biases === true,
  };
}

/** The command: options, the outputs checked, the draw, the files, the report; returns the exit code. */
function teacherCommand(o: TeacherOptions, io: Io): number {
  const spec = parseSpec(o);
  if ((o.test === undefined) !== (o.testSamples === undefined))
    throw new InputError(CL, o.test === undefined ? '--test-samples' : '--test', 'give --test and --test-samples together');
  const testSamples = o.testSamples === undefined ? 0 : parseIntIn(o.testSamples, '--test-samples', 1, TEACHER_LIMITS.maxSamples);
  const architecture = architectureOf(o, spec.width);
  const loss = lossOf(o.loss);
  if (o.output === '-' && o.teacher === undefined) throw new InputError(CL, '--teacher', 'give the teacher\'s file when --output is "-" (standard output)');
  const teacherFile = o.teacher ?? o.output.replace(/(\.json)?$/, '.teacher.json');
  if (teacherFile === o.output || teacherFile === o.test)
    throw new InputError(CL, '--teacher', `must differ from the other output files, got ${JSON.stringify(teacherFile)}`);
  if (o.test !== undefined && o.test === o.output) throw new InputError(CL, '--test', 'must differ from --output');
  const report = reportStream(
    io,
    [
      ['--output', o.output],
      ['--teacher', teacherFile],
      ['--test', o.test],
    ],
    o.json === true,
  );
  const [instTarget, teacherTarget] = [outputTarget(o.output), outputTarget(teacherFile)];
  const testTarget = o.test !== undefined ? outputTarget(o.test) : undefined;

  const t = drawTeacher(spec, testSamples);
  const name = o.name ?? `teacher-L${spec.depth}x${spec.width}-d${spec.dim}-n${spec.samples}-s${spec.seed}`;
  if (name === '') throw new InputError(CL, '--name', 'must not be empty');
  const instanceOf = (points: Q[][], labels: Q[], suffix: string, what: string): Instance => {
    const ys = loss.type === 'classification' ? labels.map((y) => (y.sign() > 0 ? Q.ONE : Q.MINUS_ONE)) : labels;
    return {
      name: name + suffix,
      description: describeTeacher(spec, points.length, what, loss.type === 'classification'),
      source: commandLine(spec, o),
      points,
      labels: ys,
      architecture,
      loss,
    };
  };
  const inst = instanceOf(t.points, t.labels, '', 'training');
  const failed = tryWrites(() => {
    writeOutput(instTarget, instanceText(inst), io);
    writeOutput(
      teacherTarget,
      prettyJson({
        ...networkToJson(t.network),
        layers: t.network.layers.map((l) => ({ activation: l.activation, weights: l.weights.map(decimals), bias: decimals(l.bias) })),
      }),
      io,
    );
    if (testTarget) writeOutput(testTarget, instanceText(instanceOf(t.testPoints, t.testLabels, '-test', 'held-out')), io);
  });
  if (o.json)
    report.out(
      JSON.stringify({
        instance: shownAs(instTarget),
        teacher: shownAs(teacherTarget),
        ...(testTarget ? { test: shownAs(testTarget), testSamples } : {}),
        name,
        ...spec,
        ...(failed ? { writeError: failed.message } : {}),
      }) + '\n',
    );
  else {
    report.out(
      `wrote ${shownAs(instTarget)} (${quote(name)}: ${spec.samples} points in dimension ${spec.dim}, labels of a depth-${spec.depth} width-${spec.width} ReLU teacher, seed ${spec.seed})\n`,
    );
    report.out(`  teacher: ${shownAs(teacherTarget)} (relucert-network/1, ${spec.depth + 1} layers)\n`);
    if (testTarget) report.out(`  held-out: ${shownAs(testTarget)} (${testSamples} more points of the same teacher)\n`);
    if (failed) report.out('  files: NOT all written (below)\n');
  }
  if (failed) throw failed;
  return EXIT.ok;
}
