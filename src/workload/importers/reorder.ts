/**
 * Puts rows in arrival order, stable on a sequence number: a binary min-heap keyed by
 * (arrival, seq). Rows leave as soon as the caller knows nothing earlier can still come (a
 * watermark), or all at the end. Pure, no I/O.
 */
interface Entry<T> {
  arrival: number;
  seq: number;
  item: T;
}

const before = (a: { arrival: number; seq: number }, b: { arrival: number; seq: number }) =>
  a.arrival < b.arrival || (a.arrival === b.arrival && a.seq < b.seq);

export class ArrivalOrder<T> {
  private readonly heap: Entry<T>[] = [];
  /** The greatest (arrival, seq) given out so far; nothing below it may be pushed any more. */
  private last: { arrival: number; seq: number } | undefined;

  get size(): number {
    return this.heap.length;
  }

  /** Adds a row. Returns false, and keeps nothing, if a row at or after it has already been taken out. */
  push(arrival: number, seq: number, item: T): boolean {
    const e = { arrival, seq, item };
    if (this.last && !before(this.last, e)) return false;
    const h = this.heap;
    let i = h.length;
    h.push(e);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(e, h[parent]!)) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = e;
    return true;
  }

  /** Takes out, in order, every row strictly below (arrival, seq). */
  *takeBelow(arrival: number, seq: number): Generator<T> {
    const mark = { arrival, seq };
    while (this.heap.length > 0 && before(this.heap[0]!, mark)) yield this.pop();
  }

  /** Takes out every row, in order. */
  *drain(): Generator<T> {
    while (this.heap.length > 0) yield this.pop();
  }

  private pop(): T {
    const h = this.heap;
    const top = h[0]!;
    const tail = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        let best = tail;
        if (l < h.length && before(h[l]!, best)) { m = l; best = h[l]!; }
        if (r < h.length && before(h[r]!, best)) { m = r; best = h[r]!; }
        if (m === i) break;
        h[i] = best;
        i = m;
      }
      h[i] = tail;
    }
    this.last = top;
    return top.item;
  }
}
