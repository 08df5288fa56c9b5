/**
 * A segment tree over the nodes' free capacity: each inner entry holds the maximum free amount of
 * each resource below it. It answers "the lowest-index node ≥ from whose free capacity covers a
 * request" by descending only into subtrees whose maxima cover the request, which costs
 * O(log n) when the answer is found without backtracking and stays far below a linear scan in
 * practice; an update after a start or an end costs O(log n).
 */
export class FreeIndex {
  private readonly leaves: number;
  private readonly max: [Float64Array, Float64Array, Float64Array];

  constructor(private readonly free: Float64Array, private readonly size: number) {
    let leaves = 1;
    while (leaves < Math.max(1, size)) leaves *= 2;
    this.leaves = leaves;
    this.max = [new Float64Array(2 * leaves).fill(-1), new Float64Array(2 * leaves).fill(-1), new Float64Array(2 * leaves).fill(-1)];
    for (let n = 0; n < size; n++) for (let k = 0; k < 3; k++) this.max[k]![leaves + n] = free[n * 3 + k]!;
    for (let i = leaves - 1; i >= 1; i--) {
      for (const m of this.max) m[i] = Math.max(m[2 * i]!, m[2 * i + 1]!);
    }
  }

  /** Re-reads a node's free capacity after it changed. */
  update(node: number): void {
    const [c, m, g] = this.max;
    let i = this.leaves + node;
    c[i] = this.free[node * 3]!;
    m[i] = this.free[node * 3 + 1]!;
    g[i] = this.free[node * 3 + 2]!;
    for (i >>= 1; i >= 1; i >>= 1) {
      c[i] = Math.max(c[2 * i]!, c[2 * i + 1]!);
      m[i] = Math.max(m[2 * i]!, m[2 * i + 1]!);
      g[i] = Math.max(g[2 * i]!, g[2 * i + 1]!);
    }
  }

  /** False when no node can hold the request now (the maxima do not cover it). */
  mightFit(cpu: number, mem: number, gpu: number): boolean {
    return this.max[0][1]! >= cpu && this.max[1][1]! >= mem && this.max[2][1]! >= gpu;
  }

  /** The lowest node index ≥ from whose free capacity covers the request, or -1. */
  first(cpu: number, mem: number, gpu: number, from = 0): number {
    if (from >= this.size) return -1;
    return this.search(1, 0, this.leaves, Math.max(0, from), cpu, mem, gpu);
  }

  private search(i: number, lo: number, hi: number, from: number, cpu: number, mem: number, gpu: number): number {
    if (hi <= from) return -1;
    const [c, m, g] = this.max;
    if (c[i]! < cpu || m[i]! < mem || g[i]! < gpu) return -1;
    if (i >= this.leaves) return lo < this.size ? lo : -1;
    const mid = (lo + hi) >> 1;
    const left = this.search(2 * i, lo, mid, from, cpu, mem, gpu);
    return left >= 0 ? left : this.search(2 * i + 1, mid, hi, from, cpu, mem, gpu);
  }
}
