/**
 * The decision order of the conflict-driven engine: a binary max-heap of variables by VSIDS
 * activity, MiniSat's order heap (Een & Sorensson, SAT 2003). The activities live in the solver's
 * array; the heap reads them, and `update` restores the order after a bump (activities only grow
 * between rescalings, and a rescaling keeps the order).
 */
export class VarHeap {
  private readonly heap: number[] = [];
  /** variable -> its index in `heap` (absent: not in the heap) */
  private readonly pos = new Map<number, number>();
  constructor(private readonly act: Float64Array) {}

  /** Adds v if absent. */
  insert(v: number): void {
    if (this.pos.has(v)) return;
    this.heap.push(v);
    this.pos.set(v, this.heap.length - 1);
    this.up(this.heap.length - 1);
  }

  /** Moves v up after its activity grew (nothing if absent). */
  update(v: number): void {
    const p = this.pos.get(v);
    if (p !== undefined) this.up(p);
  }

  /** Removes and returns the variable of largest activity; undefined when empty. */
  removeMax(): number | undefined {
    if (this.heap.length === 0) return undefined;
    const top = this.heap[0]!;
    const last = this.heap.pop()!;
    this.pos.delete(top);
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.pos.set(last, 0);
      this.down(0);
    }
    return top;
  }

  private up(i: number): void {
    const h = this.heap;
    const v = h[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.act[h[p]!]! >= this.act[v]!) break;
      h[i] = h[p]!;
      this.pos.set(h[i]!, i);
      i = p;
    }
    h[i] = v;
    this.pos.set(v, i);
  }

  private down(i: number): void {
    const h = this.heap;
    const v = h[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const c = r < h.length && this.act[h[r]!]! > this.act[h[l]!]! ? r : l;
      if (this.act[h[c]!]! <= this.act[v]!) break;
      h[i] = h[c]!;
      this.pos.set(h[i]!, i);
      i = c;
    }
    h[i] = v;
    this.pos.set(v, i);
  }
}
