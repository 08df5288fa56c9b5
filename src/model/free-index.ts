/**
 * A segment tree over the nodes' free capacity: each inner entry holds the maximum free amount of
 * each resource below it (interleaved [cpu, mem, gpu] per tree entry, for locality). It answers
 * "the lowest-index node ≥ from whose free capacity covers a request" by descending only into
 * subtrees whose maxima cover the request: O(log n) when no backtracking is needed, and far below
 * a linear scan in practice (backtracking happens where a subtree's cpu and mem maxima sit on
 * different nodes). An update after a start or an end costs O(log n).
 */
export class FreeIndex {
  private readonly leaves: number;
  /** Maxima, 3 per tree entry; entry 1 is the root, leaves start at `leaves`. */
  private readonly max: Float64Array;
  /** Explicit stack of tree entries for the search (depth ≤ 2·log2(leaves)). */
  private readonly stack: Int32Array;

  constructor(private readonly free: Float64Array, private readonly size: number) {
    let leaves = 1;
    while (leaves < Math.max(1, size)) leaves *= 2;
    this.leaves = leaves;
    this.max = new Float64Array(2 * leaves * 3).fill(-1);
    this.stack = new Int32Array(2 * Math.log2(leaves) + 4);
    for (let n = 0; n < size; n++) for (let k = 0; k < 3; k++) this.max[(leaves + n) * 3 + k] = free[n * 3 + k]!;
    for (let i = leaves - 1; i >= 1; i--) this.pull(i);
  }

  /** Recomputes entry i from its children; true when it changed. */
  private pull(i: number): boolean {
    const m = this.max, a = 6 * i, b = a + 3, o = 3 * i;
    const m0 = Math.max(m[a]!, m[b]!), m1 = Math.max(m[a + 1]!, m[b + 1]!), m2 = Math.max(m[a + 2]!, m[b + 2]!);
    if (m[o] === m0 && m[o + 1] === m1 && m[o + 2] === m2) return false;
    m[o] = m0;
    m[o + 1] = m1;
    m[o + 2] = m2;
    return true;
  }

  /**
   * Re-reads a node's free capacity after it changed. The maxima are repaired upwards only as far
   * as they change: an entry left as it was leaves every entry above it as it was.
   */
  update(node: number): void {
    const m = this.max, f = this.free;
    let i = this.leaves + node;
    m[i * 3] = f[node * 3]!;
    m[i * 3 + 1] = f[node * 3 + 1]!;
    m[i * 3 + 2] = f[node * 3 + 2]!;
    for (i >>= 1; i >= 1 && this.pull(i); i >>= 1);
  }

  /** False when no node can hold the request now (the maxima do not cover it). */
  mightFit(cpu: number, mem: number, gpu: number): boolean {
    const m = this.max;
    return m[3]! >= cpu && m[4]! >= mem && m[5]! >= gpu;
  }

  /** The lowest node index ≥ from whose free capacity covers the request, or -1. */
  first(cpu: number, mem: number, gpu: number, from = 0): number {
    if (from >= this.size) return -1;
    from = Math.max(0, from);
    const m = this.max, stack = this.stack, leaves = this.leaves;
    // Depth-first, left child first: the first leaf reached is the lowest feasible index.
    let top = 0;
    stack[top++] = 1;
    while (top > 0) {
      const i = stack[--top]!;
      if (m[i * 3]! < cpu || m[i * 3 + 1]! < mem || m[i * 3 + 2]! < gpu) continue;
      // The entry covers leaves [lo, hi): skip it when it lies wholly before `from`.
      const level = 31 - Math.clz32(i);
      const span = leaves >> level;
      const lo = (i - (1 << level)) * span;
      if (lo + span <= from) continue;
      if (i >= leaves) return lo < this.size ? lo : -1;
      stack[top++] = 2 * i + 1; // right after left
      stack[top++] = 2 * i;
    }
    return -1;
  }
}
