/**
 * Test-only reference: the Gram matrix of (C + x.y)^Q and its Schur
 * complements computed the plain way, with exact rationals (src/core Q), no
 * integer scaling and no fraction-free tricks. Slow, obviously right.
 */
import { Q } from '../../src/core/rational.js';

export function gramQ(points: Q[][], degree: number, offset: Q): Q[][] {
  return points.map((x) =>
    points.map((y) => {
      let s = offset;
      x.forEach((v, t) => (s = s.add(v.mul(y[t]!))));
      let p = Q.ONE;
      for (let k = 0; k < degree; k++) p = p.mul(s);
      return p;
    }),
  );
}

/** For r = 0..pivots.length: tr(E_r) and ||E_r||_F^2 (E_r = K_TT - K_TS K_SS^-1 K_ST); undefined where a pivot is 0. */
export function schurSteps(K: Q[][], pivots: number[]): Array<{ trace: Q; frobenius2: Q }> | undefined {
  let rest = K.map((_, i) => i);
  let E = K.map((row) => [...row]);
  const out: Array<{ trace: Q; frobenius2: Q }> = [];
  for (let r = 0; ; r++) {
    let trace = Q.ZERO;
    let frob = Q.ZERO;
    rest.forEach((i) => {
      trace = trace.add(E[i]![i]!);
      rest.forEach((j) => (frob = frob.add(E[i]![j]!.mul(E[i]![j]!))));
    });
    out.push({ trace, frobenius2: frob });
    if (r === pivots.length) return out;
    const p = pivots[r]!;
    const d = E[p]![p]!;
    if (d.sign() <= 0) return undefined;
    rest = rest.filter((i) => i !== p);
    const next = E.map((row) => [...row]);
    for (const i of rest) for (const j of rest) next[i]![j] = E[i]![j]!.sub(E[i]![p]!.mul(E[p]![j]!).div(d));
    E = next;
  }
}
