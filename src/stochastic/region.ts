/**
 * Region bounds (docs/stochastic.md section 6): for a box of real inputs, a
 * bound on P(class changes) valid for every input in it.
 *
 * `refineRegion` subdivides the quantised box, always splitting the leaf with
 * the largest Theorem 1 bound at the middle of its widest side, until every
 * leaf meets the target or the leaf budget is spent. The tree becomes a
 * relucert-region-certificate/1 (`regionCertificate`) that src/check/region.ts
 * verifies without z3 and without anything from this file.
 *
 * `searchCounterexample` first tries the centre and corners of the worst
 * leaves, then asks z3 (5 s per query) for quantised inputs in them at which
 * one fault changes the class, and confirms or discards each candidate by
 * the exact probability. z3 only proposes; a counterexample is reported only
 * when `exactChangeProbability` at that point exceeds the target.
 */
import { Q } from '../core/rational.js';
import type { Network } from '../core/types.js';
import type { FaultModel } from './fault.js';
import type { Arith, Bool, Context } from 'z3-solver';
import { type BoxBound, type ReluTerm, exactChangeProbability, unionBound } from './network.js';
import type { Interval, QNetwork } from './quantise.js';

export type RegionNode =
  { kind: 'leaf'; box: Interval[]; result: BoxBound } | { kind: 'split'; box: Interval[]; coordinate: number; at: bigint; low: RegionNode; high: RegionNode };

export interface RegionConstraints {
  /** Stop splitting once every leaf's bound is at most this (default: refine until the budget). */
  target?: Q;
  /** Most leaves the tree may have (default 512). */
  maxLeaves?: number;
  /** Wall-clock deadline in ms since the epoch. */
  deadline?: number;
}

export interface RegionResult {
  tree: RegionNode;
  /** The largest leaf bound: what the certificate claims. */
  bound: Q;
  leaves: number;
  /** Leaves whose bound is above the target (empty when there is no target or it is met). */
  openLeaves: Extract<RegionNode, { kind: 'leaf' }>[];
}

type Leaf = Extract<RegionNode, { kind: 'leaf' }>;

function cmpBound(a: Leaf, b: Leaf): number {
  return a.result.bound.cmp(b.result.bound);
}

export function refineRegion(q: QNetwork, m: FaultModel, box: Interval[], c: RegionConstraints = {}): RegionResult {
  const maxLeaves = c.maxLeaves ?? 512;
  const root: RegionNode = { kind: 'leaf', box, result: unionBound(q, m, box) };
  const leaves: Leaf[] = [root];
  const isDone = (l: Leaf): boolean => (c.target !== undefined && l.result.bound.le(c.target)) || l.box.every((iv) => iv.lo === iv.hi);
  while (leaves.length < maxLeaves && (c.deadline === undefined || Date.now() < c.deadline)) {
    let worst = -1;
    for (let i = 0; i < leaves.length; i++) {
      const l = leaves[i]!;
      if (isDone(l)) continue;
      if (worst < 0 || cmpBound(l, leaves[worst]!) > 0) worst = i;
    }
    if (worst < 0) break;
    const leaf = leaves[worst]!;
    let coordinate = 0;
    for (let k = 1; k < leaf.box.length; k++) if (width(leaf.box[k]!) > width(leaf.box[coordinate]!)) coordinate = k;
    const iv = leaf.box[coordinate]!;
    const at = floorDiv(iv.lo + iv.hi, 2n);
    const lowBox = leaf.box.map((v, k) => (k === coordinate ? { lo: v.lo, hi: at } : v));
    const highBox = leaf.box.map((v, k) => (k === coordinate ? { lo: at + 1n, hi: v.hi } : v));
    const low: Leaf = { kind: 'leaf', box: lowBox, result: unionBound(q, m, lowBox) };
    const high: Leaf = { kind: 'leaf', box: highBox, result: unionBound(q, m, highBox) };
    // Turn the leaf into a split node in place (the parent keeps its reference).
    const node = leaf as unknown as RegionNode;
    Object.assign(node, { kind: 'split', coordinate, at, low, high });
    delete (node as { result?: unknown }).result;
    leaves.splice(worst, 1, low, high);
  }
  let bound = Q.ZERO;
  for (const l of leaves) bound = Q.max(bound, l.result.bound);
  const openLeaves = c.target === undefined ? [] : leaves.filter((l) => !l.result.bound.le(c.target!)).sort((a, b) => cmpBound(b, a));
  return { tree: root, bound, leaves: leaves.length, openLeaves };
}

function cornersOf(box: Interval[]): bigint[][] {
  let out: bigint[][] = [[]];
  for (const iv of box)
    out = out.flatMap((c) =>
      iv.lo === iv.hi
        ? [[...c, iv.lo]]
        : [
            [...c, iv.lo],
            [...c, iv.hi],
          ],
    );
  return out;
}

function width(iv: Interval): bigint {
  return iv.hi - iv.lo;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const d = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? d - 1n : d;
}

// ---------------------------------------------------------------------------
// The certificate (format: docs/stochastic.md section 7).

export interface RegionClaim {
  network: Network;
  frac: number;
  model: FaultModel;
  lower: Q[];
  upper: Q[];
}

function nodeJson(n: RegionNode): unknown {
  if (n.kind === 'leaf') return { kind: 'leaf', bound: n.result.bound.toString() };
  return { kind: 'split', coordinate: n.coordinate, at: n.at.toString(), low: nodeJson(n.low), high: nodeJson(n.high) };
}

/** The relucert-region-certificate/1 text for a refined region. */
export function regionCertificate(claim: RegionClaim, r: RegionResult): string {
  const cert = {
    format: 'relucert-region-certificate/1',
    network: {
      format: 'relucert-network/1',
      layers: claim.network.layers.map((l) => ({
        activation: l.activation,
        weights: l.weights.map((row) => row.map(String)),
        bias: l.bias.map(String),
      })),
    },
    quantisation: { fracBits: claim.frac },
    faultModel: { p: claim.model.p.toString(), t: claim.model.t, variant: claim.model.variant },
    region: { lower: claim.lower.map(String), upper: claim.upper.map(String) },
    claim: { bound: r.bound.toString() },
    tree: nodeJson(r.tree),
  };
  return JSON.stringify(cert) + '\n';
}

// ---------------------------------------------------------------------------
// Counterexample search with z3.

export type SearchOutcome = { status: 'counterexample'; input: bigint[]; probability: Q } | { status: 'none-found'; queries: number; candidates: number };

/** Options of the counterexample search. */
export interface SearchOptions {
  /** Open leaves searched, worst first (default 8). */
  maxLeaves?: number;
  /** z3 queries in all (default 40). */
  maxQueries?: number;
  /** Wall-clock deadline in ms since the epoch. */
  deadline?: number;
  /** Time limit of one z3 query (default 5000 ms). */
  queryTimeoutMs?: number;
}

/**
 * Looks for a quantised input in the open leaves whose exact change probability
 * exceeds `target`. Leaves that are single points are decided exactly; for
 * the others z3 proposes inputs where a single fault at a ReLU that can matter
 * changes the class (largest fault counts first).
 */
export async function searchCounterexample(q: QNetwork, m: FaultModel, open: Leaf[], target: Q, opts: SearchOptions = {}): Promise<SearchOutcome> {
  const tally = { queries: 0, candidates: 0 };
  const noneFound = (): SearchOutcome => ({ status: 'none-found', ...tally });
  const confirm = (x: bigint[]): SearchOutcome | undefined => {
    tally.candidates++;
    const ex = exactChangeProbability(q, m, x);
    if (ex.status === 'exact' && ex.probability.gt(target)) return { status: 'counterexample', input: x, probability: ex.probability };
    return undefined;
  };
  const leaves = open.slice(0, opts.maxLeaves ?? 8);
  const late = (): boolean => opts.deadline !== undefined && Date.now() > opts.deadline;
  // Cheap candidates first: the centre and the corners of each open leaf.
  for (const leaf of leaves) {
    for (const x of cheapCandidates(leaf)) {
      if (late()) return noneFound();
      const hit = confirm(x);
      if (hit) return hit;
    }
  }
  const { init } = await import('z3-solver');
  const { Context } = await init();
  const encoding = new FaultEncoding(Context('region'), q);
  const ask: Asking = { encoding, tally, confirm, late, maxQueries: opts.maxQueries ?? 40, opts };
  for (const leaf of leaves) {
    if (leaf.box.every((iv) => iv.lo === iv.hi)) continue;
    const terms = leaf.result.terms.filter((t) => t.canChange).sort((a, b) => (b.maxCount > a.maxCount ? 1 : b.maxCount < a.maxCount ? -1 : 0));
    for (const term of terms.slice(0, 4)) {
      const r = await askAboutFault(ask, leaf, term);
      if (r === 'stop') return noneFound();
      if (r !== 'next') return r;
    }
  }
  return noneFound();
}

/** The centre of a leaf's box, and its corners when it has at most 4 coordinates. */
function cheapCandidates(leaf: Leaf): bigint[][] {
  const centre = leaf.box.map((iv) => (iv.lo + iv.hi) / 2n);
  return [centre, ...(leaf.box.length <= 4 ? cornersOf(leaf.box) : [])];
}

/** What one z3 query needs from the search: the encoding, the running tally, the exact confirmation, the limits. */
interface Asking {
  encoding: FaultEncoding;
  tally: { queries: number; candidates: number };
  confirm: (x: bigint[]) => SearchOutcome | undefined;
  late: () => boolean;
  maxQueries: number;
  opts: SearchOptions;
}

/**
 * Asks z3, up to 3 times, for an input in the leaf where one fault at
 * `term`'s ReLU changes the class; each answer is confirmed exactly, or
 * excluded and asked again. 'next': no more such inputs (or none confirmed);
 * 'stop': the query budget or the deadline is spent.
 */
async function askAboutFault(ask: Asking, leaf: Leaf, term: ReluTerm): Promise<SearchOutcome | 'next' | 'stop'> {
  const { encoding: enc, opts } = ask;
  const Z3 = enc.Z3;
  const solver = new Z3.Solver();
  solver.set('timeout', opts.queryTimeoutMs ?? 5000);
  const xs = leaf.box.map((_, k) => Z3.Int.const(`x${k}`));
  leaf.box.forEach((iv, k) => solver.add(xs[k]!.ge(Z3.Int.val(iv.lo)), xs[k]!.le(Z3.Int.val(iv.hi))));
  solver.add(enc.faultChangesClass(xs, term));
  for (let attempt = 0; attempt < 3; attempt++) {
    if (ask.tally.queries >= ask.maxQueries || ask.late()) return 'stop';
    ask.tally.queries++;
    // each query within the time left, so the search keeps --timeout
    solver.set('timeout', Math.max(1, Math.min(opts.queryTimeoutMs ?? 5000, opts.deadline !== undefined ? opts.deadline - Date.now() : Infinity)));
    const r = await solver.check();
    if (r !== 'sat') break;
    const model = solver.model();
    const x = xs.map((v) =>
      BigInt(
        // z3's Expr prints its value (an integer numeral) with toString
        // eslint-disable-next-line @typescript-eslint/no-base-to-string
        model
          .eval(v)
          .toString()
          .replace(/[()\s]/g, ''),
      ),
    );
    const hit = ask.confirm(x);
    if (hit) return hit;
    solver.add(Z3.Or(...xs.map((v, k) => v.neq(Z3.Int.val(x[k]!)))));
  }
  return 'next';
}

/** The quantised network in z3's integer arithmetic: fault-free and with one faulty ReLU, and "the class changed". */
class FaultEncoding {
  constructor(
    readonly Z3: Context<'region'>,
    private readonly q: QNetwork,
  ) {}

  /** Round-half-away-from-zero division by d, as quantise.ts roundDiv. */
  private roundDiv(a: Arith<'region'>, d: bigint): Arith<'region'> {
    const Z3 = this.Z3;
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- z3-solver's If is generic over sorts; the assertion names the one meant
    return Z3.If(
      a.ge(0),
      a
        .mul(2)
        .add(Z3.Int.val(d))
        .div(Z3.Int.val(2n * d)),
      a
        .neg()
        .mul(2)
        .add(Z3.Int.val(d))
        .div(Z3.Int.val(2n * d))
        .neg(),
    ) as Arith<'region'>;
  }

  /** The pre-activations of layer l from its inputs v, in fixed point. */
  private layer(l: number, v: Arith<'region'>[]): Arith<'region'>[] {
    const Z3 = this.Z3;
    const layer = this.q.layers[l]!;
    return layer.weights.map((row, i) => {
      let acc: Arith<'region'> = Z3.Int.val(0);
      row.forEach((w, j) => {
        if (w !== 0n) acc = acc.add(v[j]!.mul(Z3.Int.val(w)));
      });
      return this.roundDiv(acc, this.q.scale).add(Z3.Int.val(layer.bias[i]!));
    });
  }

  /** Output y is of class k (one output: k = 1 when y > 0; several: the first largest). */
  private isClass(y: Arith<'region'>[], k: number): Bool<'region'> {
    const Z3 = this.Z3;
    if (y.length === 1) return k === 1 ? y[0]!.gt(0) : y[0]!.le(0);
    const conds = y.flatMap((yi, i) => (i === k ? [] : [i < k ? y[k]!.gt(yi) : y[k]!.ge(yi)]));
    return Z3.And(...conds);
  }

  /** The fault-free network at xs and the one where `term`'s ReLU faults (outputs 0 for a positive input, passes a negative one) differ in class. */
  faultChangesClass(xs: Arith<'region'>[], term: ReluTerm): Bool<'region'> {
    const Z3 = this.Z3;
    let clean = xs;
    let faulty = xs;
    for (let l = 0; l < this.q.layers.length; l++) {
      const zc = this.layer(l, clean);
      const zf = this.layer(l, faulty);
      if (!this.q.layers[l]!.relu) {
        clean = zc;
        faulty = zf;
        break;
      }
      clean = zc.map((z) => Z3.If(z.gt(0), z, Z3.Int.val(0)) as Arith<'region'>);
      faulty = zf.map((z, u) =>
        l === term.layer && u === term.unit ? (Z3.If(z.gt(0), Z3.Int.val(0), z) as Arith<'region'>) : (Z3.If(z.gt(0), z, Z3.Int.val(0)) as Arith<'region'>),
      );
    }
    const ks = clean.length === 1 ? [0, 1] : [...clean.keys()];
    return Z3.Or(...ks.map((k) => Z3.And(this.isClass(clean, k), Z3.Not(this.isClass(faulty, k)))));
  }
}
