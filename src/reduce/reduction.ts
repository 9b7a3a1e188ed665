/**
 * The reduction API (docs/reductions.md section 5.3), used by the built-in
 * reductions and by plugins alike (`relucert fuzz ./my-reduction.mjs`).
 *
 * A reduction is written as a ReductionSpec: a source problem with its own
 * JSON format, a fast-check arbitrary of small sources, a brute-force decider,
 * the map source -> relucert-instance/1 ("the reduction as proved"),
 * optionally the two solution maps of its proof:
 *   witness:             source solution -> network fitting the target
 *   solutionFromWitness: network fitting the target -> source solution
 * optionally mutants (deliberately broken copies of the maps the fuzzer must
 * catch), and optionally `exhaustive`: a size measure and an enumeration of
 * every source of each size, for `relucert fuzz --exhaustive --max-size S`.
 *
 * defineReduction(spec) checks the spec's shape and returns a Reduction: the
 * same members with defaults filled in, the variants listed (correct first),
 * and every member wrapped so that a throw, or a value of the wrong shape,
 * becomes one ReductionError naming the reduction's file and the member.
 * Instances and networks the maps return are validated through the file
 * formats, so the rest of relucert only ever sees checked, exact data.
 */
import type * as FastCheck from 'fast-check';
import { Q } from '../core/rational.js';
import type { Activation, Instance, Network } from '../core/types.js';
import { InputError } from '../format/errors.js';
import { toInstance, toNetwork } from '../format/schema.js';
import { instanceToJson, networkToJson } from '../format/write.js';

/** The fast-check module, as handed to `arbitrary`: plugins need not depend on fast-check themselves. */
export type FastCheckModule = typeof FastCheck;

/** The brute-force decider's answer: 'yes' always carries a solution; `searched` says what was searched (one line). */
export type SourceAnswer<Sol> = { answer: 'yes'; solution: Sol; searched?: string } | { answer: 'no'; searched?: string };

/**
 * What a map may return for an instance: an Instance (exact Q values, src/core/types.ts),
 * or a relucert-instance/1 object as in docs/formats.md (numbers as JSON integers or
 * strings such as "7/2"). `name` may be omitted; the reduction's name is used.
 */
export type InstanceLike = Instance | Record<string, unknown>;
/** A Network (exact Q values) or a relucert-network/1 object. */
export type NetworkLike = Network | Record<string, unknown>;

/** The maps of one variant, as a spec writes them. */
export interface MapsSpec<S, Sol> {
  /** The reduction: a source -> the training instance. */
  toInstance(source: S): InstanceLike;
  /** From the proof: a solution of a yes source -> a network that fits the target. */
  witness?(source: S, solution: Sol): NetworkLike;
  /** From the proof: any network fitting the target -> a solution of the source. */
  solutionFromWitness?(source: S, network: Network): Sol;
}

/**
 * A deliberately broken copy of the reduction. A map it omits is the correct
 * one (the proof's maps applied to a broken construction); a map set to null
 * is absent for this mutant.
 */
export interface MutantSpec<S, Sol> {
  name: string;
  /** One line: what was broken. */
  description: string;
  toInstance?: (source: S) => InstanceLike;
  witness?: ((source: S, solution: Sol) => NetworkLike) | null;
  solutionFromWitness?: ((source: S, network: Network) => Sol) | null;
}

/** Bounded-exhaustive fuzzing: a size measure and every source of each size. */
export interface ExhaustiveSpec<S> {
  /** What a source's size is, in a few words ("elements + sum of the set sizes"). */
  size: string;
  /**
   * Every source of exactly this size (0, 1, 2, ...), each once; isomorphic
   * copies may be left out. The fuzzer calls it for size 0, 1, ..., --max-size
   * in turn, so the first disagreement it finds is one of the smallest.
   */
  enumerate(size: number): Iterable<S>;
  /** Optional: a canonical key, equal for isomorphic sources; the fuzzer checks only the first source of each key. */
  key?(source: S): string;
}

export interface ReductionSpec<S, Sol> extends MapsSpec<S, Sol> {
  /** The name used in reports (and on the command line, for the built-ins). */
  name: string;
  /** The source file's `format` field, e.g. "set-splitting/1". */
  sourceFormat: string;
  /** One line for --list and --help. */
  summary?: string;
  /** Where the reduction comes from (paper, section). */
  reference?: string;
  /** One line: what the correct map builds (default: the summary). */
  description?: string;
  /** Small random sources only: every target must solve well under a second. */
  arbitrary(fc: FastCheckModule): FastCheck.Arbitrary<S>;
  /** Decides a source by brute force, sharing no code with the engines. */
  decide(source: S): SourceAnswer<Sol>;
  /** undefined when `solution` solves `source`, else the reason it does not (a string). */
  checkSolution(source: S, solution: Sol): string | undefined;
  mutants?: MutantSpec<S, Sol>[];
  /**
   * Validates a parsed source file (its `format` field already checked).
   * Bad input throws (an InputError(file, field, message) names the field).
   * Default: the object itself, without `format`.
   */
  parseSource?(data: unknown, file: string): S;
  /** The source as a JSON object; parseSource must read it back. Default: the source itself, with `format`. */
  sourceToJson?(source: S): Record<string, unknown>;
  /** A solution as JSON (default: the value itself, rationals as strings). */
  solutionToJson?(solution: Sol): unknown;
  /**
   * Optional extra shrink steps, tried after fast-check's own shrinking:
   * smaller or more canonical sources (elements renumbered, one coordinate
   * dropped) that fast-check's shrinkers cannot reach. Kept only while the
   * disagreement persists.
   */
  simplify?(source: S): S[];
  exhaustive?: ExhaustiveSpec<S>;
}

/** One variant of a reduction: the correct maps or a mutant's, validated. */
export interface Variant<S, Sol> {
  /** 'correct' for the reduction as proved; anything else names a mutant. */
  name: string;
  kind: 'correct' | 'mutant';
  description: string;
  /** The target instance, validated as a relucert-instance/1 file (throws ReductionError). */
  toInstance(source: S): Instance;
  witness?(source: S, solution: Sol): Network;
  solutionFromWitness?(source: S, network: Network): Sol;
}

/** A reduction as relucert uses it: defineReduction's result. Every member throws only ReductionError (or InputError for a bad source file). */
export interface Reduction<S, Sol> {
  name: string;
  sourceFormat: string;
  summary: string;
  reference: string;
  /** Where the reduction was defined, as errors name it: "built-in" or the plugin file. */
  origin: string;
  arbitrary(fc: FastCheckModule): FastCheck.Arbitrary<S>;
  decide(source: S): SourceAnswer<Sol>;
  checkSolution(source: S, solution: Sol): string | undefined;
  parseSource(data: unknown, file: string): S;
  /** Always carries `format: sourceFormat`. */
  sourceToJson(source: S): Record<string, unknown>;
  solutionToJson(solution: Sol): unknown;
  simplify?(source: S): S[];
  exhaustive?: ExhaustiveSpec<S>;
  /** The correct variant first, then the mutants. */
  variants: Variant<S, Sol>[];
  /** The spec it was made from. */
  spec: ReductionSpec<S, Sol>;
}

/**
 * A reduction with its types erased, as the registry and the CLI hold it.
 * Every function still receives only values produced by the same reduction.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyReduction = Reduction<any, any>;

/**
 * A reduction's member failed: it threw, or returned a value of the wrong
 * shape. `file` is the reduction's origin (the plugin file), `field` the
 * member ("toInstance", "mutant no-gadget: witness"). The CLI prints it as one
 * line and exits 2, like any bad input.
 */
export class ReductionError extends InputError {
  override readonly name = 'ReductionError';
}

const MARK = Symbol.for('relucert.reduction');

const short = (v: unknown, max = 200): string => {
  let t: string;
  try {
    t = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)) ?? String(v);
  } catch {
    t = String(v);
  }
  return t.length > max ? `${t.slice(0, max)}...` : t;
};

/** The first line of a thrown value's message. */
export function errorLine(e: unknown): string {
  const msg = e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e);
  return msg.split('\n')[0]!;
}

/** Duck-typed InputError (it may come from another copy of relucert a plugin imported). */
function asInputError(e: unknown): InputError | undefined {
  if (e instanceof InputError) return e;
  const o = e as { file?: unknown; field?: unknown; detail?: unknown } | null;
  if (o && typeof o === 'object' && typeof o.file === 'string' && typeof o.field === 'string' && typeof o.detail === 'string')
    return new InputError(o.file, o.field, o.detail);
  return undefined;
}

/** Rationals and bigints as strings, everything else as is: a JSON value. */
export function plainJson(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)) ?? 'null') as unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a spec's shape and returns the Reduction relucert runs (see the file
 * comment). `origin` names the file in errors: "built-in" for the shipped
 * reductions, the plugin's path for a plugin (the loader passes it).
 * Throws ReductionError (field = the member) for a spec of the wrong shape.
 * Idempotent: a Reduction passed back in is rebuilt from its spec.
 */
export function defineReduction<S, Sol>(input: ReductionSpec<S, Sol> | Reduction<S, Sol>, origin = 'reduction'): Reduction<S, Sol> {
  const spec: ReductionSpec<S, Sol> =
    isObject(input) && (input as unknown as Record<symbol, unknown>)[MARK] === true ? (input as Reduction<S, Sol>).spec : (input as ReductionSpec<S, Sol>);
  const { name, sourceFormat, summary, reference, description } = checkSpec(spec, origin);
  const g = new GuardedSpec(spec, origin, name, sourceFormat);
  const red: Reduction<S, Sol> = {
    name,
    sourceFormat,
    summary,
    reference,
    origin,
    arbitrary: (fc) => g.arbitrary(fc),
    decide: (s) => g.decide(s),
    checkSolution: (s, sol) => g.checkSolution(s, sol),
    parseSource: (data, file) => g.parseSource(data, file),
    sourceToJson: (s) => g.sourceToJson(s),
    solutionToJson: (sol) => plainJson(g.guard('solutionToJson', () => (spec.solutionToJson ? spec.solutionToJson(sol) : sol))),
    ...(spec.simplify ? { simplify: (s: S) => g.simplify(s) } : {}),
    ...(spec.exhaustive ? { exhaustive: g.exhaustive(spec.exhaustive) } : {}),
    variants: g.variants(description),
    spec,
  };
  Object.defineProperty(red, MARK, { value: true });
  return red;
}

/**
 * Checks the spec's shape: its strings, its functions, its mutants (unique
 * names), its exhaustive part. Returns the strings, defaults filled in.
 * Throws ReductionError naming the member.
 */
function checkSpec<S, Sol>(
  spec: ReductionSpec<S, Sol>,
  origin: string,
): { name: string; sourceFormat: string; summary: string; reference: string; description: string } {
  const fail = (member: string, detail: string): never => {
    throw new ReductionError(origin, member, detail);
  };
  if (!isObject(spec)) return fail('(export)', `expected a reduction object (defineReduction({...})), got ${short(spec)}`);
  const str = (k: string, optional = false): string | undefined => {
    const v = spec[k];
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'string' || v.length === 0) return fail(k, `expected a nonempty string, got ${short(v)}`);
    return v;
  };
  const fn = (owner: object, k: string, member: string, optional = false): void => {
    const v = (owner as Record<string, unknown>)[k];
    if (v === undefined && optional) return;
    if (typeof v !== 'function') fail(member, `expected a function, got ${v === undefined ? 'nothing (missing)' : short(v)}`);
  };
  const name = str('name')!;
  const sourceFormat = str('sourceFormat')!;
  const summary = str('summary', true) ?? `${name} (${sourceFormat})`;
  const reference = str('reference', true) ?? '(no reference given)';
  const description = str('description', true) ?? summary;
  for (const k of ['arbitrary', 'decide', 'checkSolution', 'toInstance']) fn(spec, k, k);
  for (const k of ['witness', 'solutionFromWitness', 'parseSource', 'sourceToJson', 'solutionToJson', 'simplify']) fn(spec, k, k, true);
  const mutants = spec.mutants ?? [];
  if (!Array.isArray(mutants)) fail('mutants', `expected an array, got ${short(mutants)}`);
  const names = new Set(['correct']);
  mutants.forEach((m, i) => {
    if (!isObject(m)) fail(`mutants[${i}]`, `expected {name, description, toInstance?, witness?, solutionFromWitness?}, got ${short(m)}`);
    if (typeof m.name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(m.name))
      fail(`mutants[${i}].name`, `expected a name of letters, digits, '-', '_' or '.', got ${short(m.name)}`);
    if (names.has(m.name)) fail(`mutants[${i}].name`, `"${m.name}" is used twice (or is "correct")`);
    names.add(m.name);
    if (typeof m.description !== 'string') fail(`mutants[${i}].description`, `expected a string, got ${short(m.description)}`);
    fn(m, 'toInstance', `mutants[${i}].toInstance`, true);
    for (const k of ['witness', 'solutionFromWitness'] as const) if (m[k] !== null) fn(m, k, `mutants[${i}].${k}`, true);
  });
  const ex = spec.exhaustive;
  if (ex !== undefined) {
    if (!isObject(ex)) fail('exhaustive', `expected {size, enumerate, key?}, got ${short(ex)}`);
    if (typeof ex.size !== 'string') fail('exhaustive.size', `expected a string saying what a source's size is, got ${short(ex.size)}`);
    fn(ex, 'enumerate', 'exhaustive.enumerate');
    fn(ex, 'key', 'exhaustive.key', true);
  }
  return { name, sourceFormat, summary, reference, description };
}

/** The maps of one variant, as the spec (or a mutant) gives them; null: the mutant has none. */
type Maps<S, Sol> = {
  toInstance: MapsSpec<S, Sol>['toInstance'];
  witness?: MapsSpec<S, Sol>['witness'] | null;
  solutionFromWitness?: MapsSpec<S, Sol>['solutionFromWitness'] | null;
};

/** A method with its object kept as `this`; undefined for a missing one. */
const own = <F extends (...a: never[]) => unknown>(o: object, f: F | null | undefined): F | undefined => (f ? (f.bind(o) as F) : undefined);

/**
 * A checked spec's members, each call guarded: a throw becomes one
 * ReductionError naming the member (and the source it was called on), and
 * a value of the wrong shape is refused the same way.
 */
class GuardedSpec<S, Sol> {
  constructor(
    private readonly spec: ReductionSpec<S, Sol>,
    private readonly origin: string,
    private readonly name: string,
    private readonly sourceFormat: string,
  ) {}

  private fail(member: string, detail: string): never {
    throw new ReductionError(this.origin, member, detail);
  }

  /** Runs a member; a throw (other than a ReductionError) becomes a ReductionError naming `member` and, if given, the source. */
  guard<T>(member: string, f: () => T, source?: () => unknown): T {
    try {
      return f();
    } catch (e) {
      if (e instanceof ReductionError) throw e;
      const on = source ? ` (on source ${short(source())})` : '';
      throw new ReductionError(this.origin, member, `threw ${errorLine(e)}${on}`);
    }
  }

  /** The source as JSON, for messages (computed only when a message needs it). */
  private src(s: S): () => unknown {
    return () => this.sourceToJson(s);
  }

  sourceToJson(s: S): Record<string, unknown> {
    const { spec, sourceFormat } = this;
    const json = this.guard('sourceToJson', () => (spec.sourceToJson ? spec.sourceToJson(s) : (plainJson(s) as Record<string, unknown>)));
    if (!isObject(json)) return this.fail('sourceToJson', `expected a JSON object, got ${short(json)}`);
    if (json.format !== undefined && json.format !== sourceFormat)
      return this.fail('sourceToJson', `format is ${short(json.format)}, the reduction's sourceFormat is "${sourceFormat}"`);
    return plainJson({ format: sourceFormat, ...json }) as Record<string, unknown>;
  }

  parseSource(data: unknown, file: string): S {
    const { spec, sourceFormat } = this;
    if (!isObject(data)) throw new InputError(file, '(top level)', `expected a ${sourceFormat} object`);
    if (data.format !== sourceFormat) throw new InputError(file, 'format', `expected "${sourceFormat}", got ${short(data.format)}`);
    if (spec.parseSource) {
      const parse = spec.parseSource.bind(spec);
      try {
        return parse(data, file);
      } catch (e) {
        const ie = asInputError(e);
        if (ie) throw ie;
        throw new InputError(file, '', `${this.name}: ${errorLine(e)}`);
      }
    }
    const { format: _f, ...rest } = data;
    return rest as S;
  }

  arbitrary(fc: FastCheckModule): FastCheck.Arbitrary<S> {
    const arb = this.guard('arbitrary', () => this.spec.arbitrary(fc));
    if (!isObject(arb) || typeof (arb as { generate?: unknown }).generate !== 'function')
      return this.fail('arbitrary', `expected a fast-check arbitrary (use the fc it is given), got ${short(arb)}`);
    return arb;
  }

  decide(s: S): SourceAnswer<Sol> {
    const a = this.guard('decide', () => this.spec.decide(s), this.src(s)) as unknown;
    if (!isObject(a) || (a.answer !== 'yes' && a.answer !== 'no') || (a.answer === 'yes' && !('solution' in a)))
      return this.fail('decide', `expected {answer: 'yes', solution} or {answer: 'no'}, got ${short(a)} (on source ${short(this.src(s)())})`);
    if (a.searched !== undefined && typeof a.searched !== 'string') return this.fail('decide', `searched must be a string, got ${short(a.searched)}`);
    return a as SourceAnswer<Sol>;
  }

  checkSolution(s: S, sol: Sol): string | undefined {
    const r = this.guard('checkSolution', () => this.spec.checkSolution(s, sol), this.src(s)) as unknown;
    if (r !== undefined && r !== null && typeof r !== 'string')
      return this.fail('checkSolution', `expected undefined (solved) or a string (why not), got ${short(r)}`);
    return r ?? undefined;
  }

  simplify(s: S): S[] {
    const out = this.guard('simplify', () => this.spec.simplify!(s), this.src(s)) as unknown;
    if (!Array.isArray(out)) return this.fail('simplify', `expected an array of sources, got ${short(out)}`);
    return out as S[];
  }

  /** The exhaustive part, guarded: every step of the enumeration and every key. */
  exhaustive(ex: ExhaustiveSpec<S>): ExhaustiveSpec<S> {
    return {
      size: ex.size,
      enumerate: (size: number) => {
        const it = this.guard('exhaustive.enumerate', () => ex.enumerate(size)) as unknown;
        if (it === null || typeof it !== 'object' || typeof (it as Iterable<S>)[Symbol.iterator] !== 'function')
          return this.fail('exhaustive.enumerate', `expected an iterable of sources, got ${short(it)}`);
        const inner = it as Iterable<S>;
        const guard = this.guard.bind(this);
        return {
          *[Symbol.iterator]() {
            const iter = guard('exhaustive.enumerate', () => inner[Symbol.iterator]());
            for (;;) {
              const step = guard('exhaustive.enumerate', () => iter.next());
              if (step.done) return;
              yield step.value;
            }
          },
        };
      },
      ...(ex.key
        ? {
            key: (s: S) => {
              const k = this.guard('exhaustive.key', () => ex.key!(s), this.src(s)) as unknown;
              if (typeof k !== 'string') return this.fail('exhaustive.key', `expected a string, got ${short(k)}`);
              return k;
            },
          }
        : {}),
    };
  }

  /** The correct variant, then one per mutant; a mutant's omitted map is the correct one. */
  variants(description: string): Variant<S, Sol>[] {
    const { spec } = this;
    const correctMaps: Maps<S, Sol> = {
      toInstance: own(spec, spec.toInstance)!,
      witness: own(spec, spec.witness),
      solutionFromWitness: own(spec, spec.solutionFromWitness),
    };
    return [
      this.variant('correct', 'correct', description, '', correctMaps),
      ...(spec.mutants ?? []).map((m) =>
        this.variant(m.name, 'mutant', m.description, `mutant ${m.name}: `, {
          toInstance: own(m, m.toInstance) ?? correctMaps.toInstance,
          witness: m.witness === undefined ? correctMaps.witness : own(m, m.witness),
          solutionFromWitness: m.solutionFromWitness === undefined ? correctMaps.solutionFromWitness : own(m, m.solutionFromWitness),
        }),
      ),
    ];
  }

  private variant(vname: string, kind: 'correct' | 'mutant', vdescription: string, label: string, maps: Maps<S, Sol>): Variant<S, Sol> {
    const { toInstance: ti, witness: w, solutionFromWitness: back } = maps;
    const at = (k: string): string => `${label}${k}`;
    return {
      name: vname,
      kind,
      description: vdescription,
      toInstance: (s) =>
        this.instanceOf(
          at('toInstance'),
          this.guard(at('toInstance'), () => ti(s), this.src(s)),
          s,
        ),
      ...(w
        ? {
            witness: (s: S, sol: Sol) =>
              this.networkOf(
                at('witness'),
                this.guard(at('witness'), () => w(s, sol), this.src(s)),
                s,
              ),
          }
        : {}),
      ...(back ? { solutionFromWitness: (s: S, net: Network) => this.guard(at('solutionFromWitness'), () => back(s, net), this.src(s)) } : {}),
    };
  }

  /** A map's value as an Instance: an Instance, or a relucert-instance/1 object (named after the reduction when it has no name). */
  private instanceOf(member: string, value: unknown, s: S): Instance {
    let json: unknown;
    if (isObject(value) && value.format !== undefined) json = plainJson(value);
    else {
      try {
        json = instanceToJson(value as Instance);
      } catch {
        return this.fail(member, `returned neither an Instance nor a relucert-instance/1 object: ${short(value)} (on source ${short(this.src(s)())})`);
      }
    }
    if (isObject(json) && (json.name === undefined || json.name === '')) json.name = this.name;
    try {
      return toInstance(json, 'instance');
    } catch (e) {
      const ie = asInputError(e);
      return this.fail(
        member,
        `returned an invalid relucert-instance/1: ${ie ? `${ie.field}: ${ie.detail}` : errorLine(e)} (on source ${short(this.src(s)())})`,
      );
    }
  }

  /** A map's value as a Network: a Network, or a relucert-network/1 object. */
  private networkOf(member: string, value: unknown, s: S): Network {
    let json: unknown;
    if (isObject(value) && value.format !== undefined) json = plainJson(value);
    else {
      try {
        json = networkToJson(value as Network);
      } catch {
        return this.fail(member, `returned neither a Network nor a relucert-network/1 object: ${short(value)} (on source ${short(this.src(s)())})`);
      }
    }
    try {
      return toNetwork(json, 'network');
    } catch (e) {
      const ie = asInputError(e);
      return this.fail(
        member,
        `returned an invalid relucert-network/1: ${ie ? `${ie.field}: ${ie.detail}` : errorLine(e)} (on source ${short(this.src(s)())})`,
      );
    }
  }
}

/** Finds a variant by name; undefined when the reduction has none of that name. */
export function findVariant(r: AnyReduction, name: string): AnyReduction['variants'][number] | undefined {
  return r.variants.find((v) => v.name === name);
}

/** The maps of a reduction, parametrised by a construction (its correct form, or a mutant's). */
export interface ConstructionMaps<S, Sol, C> {
  toInstance(source: S, con: C): InstanceLike;
  witness?(source: S, solution: Sol, con: C): NetworkLike;
  solutionFromWitness?(source: S, network: Network, con: C): Sol;
}

/** The maps with one construction filled in: spread it into a spec, or into a mutant. */
export function withConstruction<S, Sol, C>(maps: ConstructionMaps<S, Sol, C>, con: C): MapsSpec<S, Sol> {
  const { witness, solutionFromWitness } = maps;
  return {
    toInstance: (s) => maps.toInstance(s, con),
    ...(witness ? { witness: (s: S, sol: Sol) => witness(s, sol, con) } : {}),
    ...(solutionFromWitness ? { solutionFromWitness: (s: S, net: Network) => solutionFromWitness(s, net, con) } : {}),
  };
}

/** f(x) = sum_j a_j sigma(w_j . x + b_j) + c as a relucert network. */
export function twoLayerNetwork(activation: Activation, weights: Q[][], bias: Q[], a: Q[], c: Q): Network {
  return {
    layers: [
      { activation, weights, bias },
      { activation: 'identity', weights: [a], bias: [c] },
    ],
  };
}

/** Integers as exact rationals. */
export const qs = (xs: readonly number[]): Q[] => xs.map((x) => Q.of(x));

/** w . x + b of a hidden unit of a network, at x. */
export function hiddenPreActivation(net: Network, unit: number, x: readonly Q[]): Q {
  const layer = net.layers[0];
  const row = layer?.weights[unit];
  const b = layer?.bias[unit];
  if (!row || !b) throw new RangeError(`network has no hidden unit ${unit}`);
  let s = b;
  for (let t = 0; t < row.length; t++) s = s.add(row[t]!.mul(x[t] ?? Q.ZERO));
  return s;
}
