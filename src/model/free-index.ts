/**
 * A segment tree over the nodes' free capacity, answering "the lowest-index node ≥ from whose free
 * capacity covers a request" for first-fit and round-robin.
 *
 * - Its leaves are buckets of BUCKET consecutive nodes, scanned in order (their free vectors are
 *   contiguous). Each entry holds the maximum free amount of each resource below it, interleaved
 *   [cpu, mem, gpu] for locality. Buckets keep the tree small (10,000 nodes: 96 KiB of maxima
 *   instead of 768 KiB) and three levels shorter.
 * - A search descends only into entries whose maxima cover the request. Maxima per resource are a
 *   necessary condition only: under load, an entry's cpu maximum and mem maximum often sit on
 *   different nodes, and a search that trusts them alone backtracks through much of the tree
 *   (about a hundred entries per search at 10,000 nodes on the bench workload; about twenty with
 *   what follows, against six at 100 nodes). So an entry
 *   searched in vain remembers that request ("vain" mark): no node below it can hold it, nor any
 *   request at least as large on every resource, until a node below it gets capacity back, which
 *   clears the marks on its path to the root. Capacity that shrinks leaves the marks true.
 * - An update re-reads the node's bucket and repairs the maxima above it only as far as they change.
 *
 * Every answer is exactly the lowest feasible index: maxima and marks only ever skip entries that
 * hold no feasible node.
 */
const BUCKET = 8;
/** A vain mark no request is at least as large as: the entry has not been searched in vain. */
const NO_MARK = Infinity;

export class FreeIndex {
  private readonly leaves: number;
  /** Maxima, 3 per tree entry; entry 1 is the root, leaves (buckets) start at `leaves`. */
  private readonly max: Float64Array;
  /** Vain marks, 3 per tree entry: a request the entry was searched for in vain, or NO_MARK. */
  private readonly vain: Float64Array;
  /**
   * False until a search marks an entry: in a run whose policy never searches this index (the
   * engine still asks `mightFit` before each decision) a give never walks a path to clear marks.
   */
  private marked = false;

  constructor(private readonly free: Float64Array, private readonly size: number) {
    const buckets = Math.max(1, Math.ceil(size / BUCKET));
    let leaves = 1;
    while (leaves < buckets) leaves *= 2;
    this.leaves = leaves;
    this.max = new Float64Array(2 * leaves * 3).fill(-1);
    this.vain = new Float64Array(2 * leaves * 3).fill(NO_MARK);
    for (let b = 0; b < buckets; b++) this.readBucket(b);
    for (let i = leaves - 1; i >= 1; i--) this.pull(i);
  }

  /** Sets bucket b's leaf to the maxima of its nodes' free capacity; true when it changed. */
  private readBucket(b: number): boolean {
    const f = this.free;
    let m0 = -1, m1 = -1, m2 = -1;
    const end = Math.min(this.size, (b + 1) * BUCKET) * 3;
    for (let o = b * BUCKET * 3; o < end; o += 3) {
      if (f[o]! > m0) m0 = f[o]!;
      if (f[o + 1]! > m1) m1 = f[o + 1]!;
      if (f[o + 2]! > m2) m2 = f[o + 2]!;
    }
    return this.set((this.leaves + b) * 3, m0, m1, m2);
  }

  /** Recomputes entry i from its children; true when it changed. */
  private pull(i: number): boolean {
    const m = this.max, a = 6 * i, b = a + 3;
    return this.set(3 * i, Math.max(m[a]!, m[b]!), Math.max(m[a + 1]!, m[b + 1]!), Math.max(m[a + 2]!, m[b + 2]!));
  }

  private set(o: number, m0: number, m1: number, m2: number): boolean {
    const m = this.max;
    if (m[o] === m0 && m[o + 1] === m1 && m[o + 2] === m2) return false;
    m[o] = m0;
    m[o + 1] = m1;
    m[o + 2] = m2;
    return true;
  }

  /**
   * Re-reads a node's free capacity after it changed. `grew` says whether any of its free amounts
   * may have grown (an end, a node back up): then the vain marks on its path no longer hold. The
   * maxima are repaired upwards only as far as they change.
   */
  update(node: number, grew = true): void {
    const b = (node / BUCKET) | 0;
    if (grew && this.marked) {
      // Every entry above may be marked, whether or not the ones below it are (a parent is marked
      // without the child whose maxima kept the search out).
      const v = this.vain;
      for (let i = this.leaves + b; i >= 1; i >>= 1) v[i * 3] = NO_MARK;
    }
    if (!this.readBucket(b)) return;
    for (let i = (this.leaves + b) >> 1; i >= 1 && this.pull(i); i >>= 1);
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
    const m = this.max, v = this.vain, f = this.free, leaves = this.leaves;
    // Depth first, left child first, without a stack: from an entry searched in vain, go on with
    // its right sibling, or climb while coming from a right child; an entry climbed into was
    // searched in vain on both sides.
    let i = 1;
    for (;;) {
      const o = i * 3;
      const level = 31 - Math.clz32(i);
      const span = (leaves >> level) * BUCKET;
      const lo = (i - (1 << level)) * span;
      let vain = lo + span <= from || m[o]! < cpu || m[o + 1]! < mem || m[o + 2]! < gpu || (cpu >= v[o]! && mem >= v[o + 1]! && gpu >= v[o + 2]!);
      if (!vain && i >= leaves) {
        const end = Math.min(this.size, lo + BUCKET);
        for (let n = Math.max(lo, from); n < end; n++) {
          const k = n * 3;
          if (f[k]! >= cpu && f[k + 1]! >= mem && f[k + 2]! >= gpu) return n;
        }
        if (lo >= from) this.mark(o, cpu, mem, gpu);
        vain = true;
      }
      if (!vain) {
        i = 2 * i;
        continue;
      }
      // Climb out of right children, marking each parent (both its children were in vain).
      while (i & 1) {
        i >>= 1;
        if (i === 0) return -1;
        const level = 31 - Math.clz32(i);
        const span = (leaves >> level) * BUCKET;
        if ((i - (1 << level)) * span >= from) this.mark(i * 3, cpu, mem, gpu);
      }
      i++; // the right sibling
    }
  }

  private mark(o: number, cpu: number, mem: number, gpu: number): void {
    const v = this.vain;
    this.marked = true;
    v[o] = cpu;
    v[o + 1] = mem;
    v[o + 2] = gpu;
  }
}
