/**
 * The reference search (docs/engines.md): Arora-style enumeration of normalisation
 * cases and activation literals, depth first, with an exact rational LP at
 * every node. Correctness first: fixed literal order, no floating point, one
 * thread. A node whose LP is infeasible becomes a Farkas/Motzkin leaf; a node
 * whose LP point is already a valid network ends the search with a witness.
 *
 * Guarantees: 'feasible' carries a network accepted by acceptWitness;
 * 'infeasible' carries a proof tree over every case of normalisationCases,
 * each leaf's multipliers produced by decideRows over exactly the rows the
 * checker rebuilds for that path; 'unknown' only on the deadline (checked
 * per node and inside every exact LP, result.ts Deadline).
 */
import type { Instance } from '../core/types.js';
import type { LinRow } from '../encode/rows.js';
import { type Case, type Literal, baseRows, caseLabel, literalRows, normalisationCases } from '../encode/system.js';
import { lemmasUsed } from './certificate.js';
import { l2Solve } from './l2.js';
import { decideRows } from './lp/exact-lp.js';
import { type ProofCase, type ProofNode, type SolveOptions, type SolveResult, SearchClock, Timeout } from './result.js';
import { multiplierText } from './tree-search.js';
import { Found, acceptWitness, networkFromPoint } from './witness.js';

/** The reference search (see the file comment): a witness, a proof over every case, or 'unknown' at the deadline. */
export function referenceSolve(inst: Instance, opts: SolveOptions = {}): SolveResult {
  if (inst.loss.type === 'l2') return l2Solve(inst, opts, 'index'); // an exact QP per node, literals in index order (l2.ts)
  const clock = new SearchClock(opts);
  const stats = clock.stats;
  const k = inst.architecture.hidden;
  const n = inst.points.length;

  const explore = (c: Case, base: LinRow[], path: Literal[], fixed: Set<string>): ProofNode => {
    clock.node(path.length);
    const rows = [...base, ...path.flatMap((l) => literalRows(inst, c, l))];
    stats.lps++;
    const lpStats = { pivots: 0 };
    let res: ReturnType<typeof decideRows>;
    try {
      res = decideRows(rows, lpStats, clock.deadline);
    } finally {
      stats.pivots += lpStats.pivots;
    }
    if (res.status === 'infeasible') {
      stats.leaves++;
      return { leaf: res.kind, multipliers: multiplierText(res.multipliers) };
    }
    const net = networkFromPoint(inst, c, res.point);
    const rep = acceptWitness(inst, net);
    if (rep) throw new Found(net, rep.loss);
    // next undetermined literal, point-major
    for (let i = 0; i < n; i++)
      for (let j = 0; j < k; j++) {
        const key = `${j}:${i}`;
        if (fixed.has(key)) continue;
        const next = new Set(fixed).add(key);
        const act = explore(c, base, [...path, { unit: j, point: i, active: true }], next);
        const inact = explore(c, base, [...path, { unit: j, point: i, active: false }], next);
        return { split: { unit: j, point: i }, act, inact };
      }
    throw new Error('reference search: LP feasible with every literal fixed, but the network does not fit (bug)');
  };

  try {
    const cases: ProofCase[] = normalisationCases(inst).map((c) => ({
      a: caseLabel(c),
      tree: explore(c, baseRows(inst, c, clock.deadline), [], new Set()),
    }));
    return { verdict: 'infeasible', proof: { lemmas: lemmasUsed(inst), cases }, stats: clock.finish() };
  } catch (e) {
    clock.finish();
    if (e instanceof Found) return { verdict: 'feasible', network: e.network, loss: e.loss, stats };
    if (e instanceof Timeout) return { verdict: 'unknown', reason: 'timeout', stats };
    throw e;
  }
}
