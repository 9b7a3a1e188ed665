/**
 * Growing split trees by lookahead (lookahead.ts): the cube phase of
 * cube-and-conquer. Starting from some roots (the normalisation cases for a
 * new split; one cube when a slow cube is split again), the open leaf with
 * the most unstable pairs is split on the literal lookahead chooses, until
 * there are `target` open leaves or nothing is left to split. A leaf whose
 * float LP is infeasible is *closed*: its cube is proved in a few nodes (a
 * failed literal's side, or a case refuted at its root) and does not count
 * towards the target.
 */
import type { Literal } from '../encode/system.js';
import type { SplitNode } from './format.js';
import { type Lookahead, type NodeView } from './lookahead.js';

export interface PlannedCube {
  id: string;
  caseIndex: number;
  /** the literals from the case root to the cube, in order */
  assume: Literal[];
  /** the float LP at the cube is infeasible: it closes in a few nodes */
  closed: boolean;
}

export interface GrowRoot {
  caseIndex: number;
  path: Literal[];
  /** the node to grow below (it gets `split`, `act`, `inact` when it is split) */
  node: SplitNode;
}

interface Leaf {
  caseIndex: number;
  path: Literal[];
  node: SplitNode;
  view: NodeView;
  splittable: boolean;
}

/**
 * Splits below `roots` until `target` open cubes (at least one leaf per root),
 * and names the leaves in tree order (act before inact) with `newId(n)`, n =
 * 0, 1, .... Mutates the roots' nodes; returns the new cubes in that order.
 */
export function growSplit(la: Lookahead, roots: GrowRoot[], target: number, newId: (n: number) => string): PlannedCube[] {
  const leaves: Leaf[] = roots.map((r) => {
    const view = la.view(r.caseIndex, r.path);
    return { ...r, view, splittable: view.status === 'feasible' };
  });
  const open = (): number => leaves.filter((l) => l.view.status !== 'infeasible').length;
  while (open() < target) {
    // the shallowest open leaf; the one with the most unstable pairs on a tie
    let pick: Leaf | undefined;
    for (const l of leaves)
      if (l.splittable && (!pick || l.path.length < pick.path.length || (l.path.length === pick.path.length && l.view.unstable > pick.view.unstable))) pick = l;
    if (!pick) break;
    const choice = la.chooseSplit(pick.caseIndex, pick.path, pick.view);
    if (!choice) {
      pick.splittable = false;
      continue;
    }
    const child = (active: boolean, view: NodeView): Leaf => ({
      caseIndex: pick.caseIndex,
      path: [...pick.path, { unit: choice.unit, point: choice.point, active }],
      node: {},
      view,
      splittable: view.status === 'feasible',
    });
    const act = child(true, choice.act);
    const inact = child(false, choice.inact);
    pick.node.split = { unit: choice.unit, point: choice.point };
    pick.node.act = act.node;
    pick.node.inact = inact.node;
    leaves.splice(leaves.indexOf(pick), 1, act, inact);
  }
  // leaves in tree order: the roots' order, act before inact below each
  const cubes: PlannedCube[] = [];
  const byNode = new Map(leaves.map((l) => [l.node, l]));
  const name = (node: SplitNode): void => {
    const leaf = byNode.get(node);
    if (leaf) {
      if (node.cube !== undefined) return; // a root that was not split keeps its cube
      node.cube = newId(cubes.length);
      cubes.push({ id: node.cube, caseIndex: leaf.caseIndex, assume: leaf.path, closed: leaf.view.status === 'infeasible' });
      return;
    }
    name(node.act!);
    name(node.inact!);
  };
  for (const r of roots) name(r.node);
  return cubes;
}
