/**
 * A tree over the nodes' free capacity, answering "the lowest-index node ≥ from whose free
 * capacity covers a request" for first-fit and round-robin.
 *
 * - Level 0 holds one entry per bucket of BUCKET consecutive nodes (scanned in order: their free
 *   vectors are contiguous); each level above holds one entry per FAN consecutive entries of the
 *   level below, up to a single root. An entry holds the maximum free amount of each resource
 *   below it. Why wide: at 10,000 nodes most of the index has left the cache by the time a node
 *   is touched again, so what a search or an update costs is the cache lines it reads, not its
 *   compares. A binary tree over 1,250 buckets is eleven levels of scattered entries; this one is
 *   four, and the FAN entries read at a level are side by side (three cache lines).
 * - A search descends only into entries whose maxima cover the request. Maxima per resource are a
 *   necessary condition only: under load, an entry's cpu maximum and mem maximum often sit on
 *   different nodes, and a search that trusts them alone backtracks through much of the tree. So
 *   an entry searched in vain remembers that request ("vain" mark): no node below it can hold it,
 *   nor any request at least as large on every resource, until a node below it gets capacity
 *   back, which clears the marks on its path to the root. Capacity that shrinks leaves the marks
 *   true.
 * - An update repairs the maxima above the node only as far as they change: capacity that grew
 *   raises them (no re-reading of the entries beside), capacity that shrank re-reads an entry's
 *   FAN entries below only when the one that shrank held one of its maxima.
 *
 * Every answer is exactly the lowest feasible index: maxima and marks only ever skip entries that
 * hold no feasible node.
 */
const BUCKET = 8;
/** Entries of a level under one entry of the level above: 1 << FAN_BITS. */
const FAN_BITS = 3;
const FAN = 1 << FAN_BITS;
/** A vain mark no request is at least as large as: the entry has not been searched in vain. */
const NO_MARK = Infinity;

export class FreeIndex {
  /** First entry of each level in `max` and `vain` (level 0: the buckets; the last: the root). */
  private readonly offset: Int32Array;
  /** Nodes under one entry of each level. */
  private readonly span: Int32Array;
  /** The root's level. */
  private readonly top: number;
  /** Maxima, 3 per entry; the entries that pad a level to whole groups read −1 and cover nothing. */
  private readonly max: Float64Array;
  /** Vain marks, 3 per entry: a request the entry was searched for in vain, or NO_MARK. */
  private readonly vain: Float64Array;
  /**
   * False until a search marks an entry: in a run whose policy never searches this index (the
   * engine still asks `mightFit` before each decision) a give never walks a path to clear marks.
   */
  private marked = false;

  constructor(private readonly free: Float64Array, private readonly size: number) {
    const offsets: number[] = [], spans: number[] = [], counts: number[] = [];
    let entries = Math.max(1, Math.ceil(size / BUCKET)), span = BUCKET, total = 0;
    for (;;) {
      offsets.push(total);
      spans.push(span);
      counts.push(entries);
      // Each level is padded to whole groups, so that a group is read without bounds checks.
      total += Math.ceil(entries / FAN) * FAN;
      if (entries === 1) break;
      entries = Math.ceil(entries / FAN);
      span *= FAN;
    }
    this.offset = Int32Array.from(offsets);
    this.span = Int32Array.from(spans);
    this.top = offsets.length - 1;
    this.max = new Float64Array(total * 3).fill(-1);
    this.vain = new Float64Array(total * 3).fill(NO_MARK);
    for (let b = 0; b < counts[0]!; b++) this.readBucket(b);
    for (let level = 1; level <= this.top; level++) for (let e = 0; e < counts[level]!; e++) this.pull(level, e);
  }

  /** Sets bucket b's entry to the maxima of its nodes' free capacity; true when it changed. */
  private readBucket(b: number): boolean {
    return this.setMaxima(b * 3, this.free, b * BUCKET * 3, Math.min(this.size, (b + 1) * BUCKET) * 3);
  }

  /** Recomputes entry e of a level from its FAN entries below; true when it changed. */
  private pull(level: number, e: number): boolean {
    const from = (this.offset[level - 1]! + e * FAN) * 3;
    return this.setMaxima((this.offset[level]! + e) * 3, this.max, from, from + FAN * 3);
  }

  /**
   * Sets the entry at `o` (× 3) to the maxima of the [cpu, mem, gpu] triples in source[from, end)
   * (−1 when there are none); true when it changed.
   */
  private setMaxima(o: number, source: Float64Array, from: number, end: number): boolean {
    let m0 = -1, m1 = -1, m2 = -1;
    for (let k = from; k < end; k += 3) {
      if (source[k]! > m0) m0 = source[k]!;
      if (source[k + 1]! > m1) m1 = source[k + 1]!;
      if (source[k + 2]! > m2) m2 = source[k + 2]!;
    }
    const m = this.max;
    if (m[o] === m0 && m[o + 1] === m1 && m[o + 2] === m2) return false;
    m[o] = m0;
    m[o + 1] = m1;
    m[o + 2] = m2;
    return true;
  }

  /**
   * Re-reads a node's free capacity after it changed. `grew`: no free amount of the node shrank
   * (an end, a node back up); otherwise none grew (a start, a node down). When it grew the vain
   * marks on its path no longer hold. The maxima are repaired upwards only as far as they change.
   */
  update(node: number, grew = true): void {
    const b = (node / BUCKET) | 0, offset = this.offset, top = this.top;
    if (grew && this.marked) {
      // Every entry above may be marked, whether or not the ones below it are (an entry is marked
      // without the entries whose maxima kept the search out).
      const v = this.vain;
      for (let level = 0, e = b; level <= top; level++, e >>= FAN_BITS) v[(offset[level]! + e) * 3] = NO_MARK;
    }
    const m = this.max;
    let o = b * 3;
    // The bucket's maxima before the change. When capacity shrank, an entry above changes only if
    // these held one of its maxima; then it is re-read from its FAN entries below.
    let was0 = m[o]!, was1 = m[o + 1]!, was2 = m[o + 2]!;
    if (!this.readBucket(b)) return;
    for (let level = 1, e = b >> FAN_BITS; level <= top; level++, e >>= FAN_BITS) {
      const c0 = m[o]!, c1 = m[o + 1]!, c2 = m[o + 2]!;
      o = (offset[level]! + e) * 3;
      const p0 = m[o]!, p1 = m[o + 1]!, p2 = m[o + 2]!;
      if (grew) {
        if (c0 <= p0 && c1 <= p1 && c2 <= p2) return;
        m[o] = c0 > p0 ? c0 : p0;
        m[o + 1] = c1 > p1 ? c1 : p1;
        m[o + 2] = c2 > p2 ? c2 : p2;
      } else {
        if (was0 < p0 && was1 < p1 && was2 < p2) return;
        was0 = p0;
        was1 = p1;
        was2 = p2;
        if (!this.pull(level, e)) return;
      }
    }
  }

  /** False when no node can hold the request now (the maxima do not cover it). */
  mightFit(cpu: number, mem: number, gpu: number): boolean {
    const m = this.max, o = this.offset[this.top]! * 3;
    return m[o]! >= cpu && m[o + 1]! >= mem && m[o + 2]! >= gpu;
  }

  /** The lowest node index ≥ from whose free capacity covers the request, or -1. */
  first(cpu: number, mem: number, gpu: number, from = 0): number {
    if (from >= this.size) return -1;
    from = Math.max(0, from);
    const m = this.max, v = this.vain, f = this.free, offset = this.offset, span = this.span, top = this.top;
    // Depth first without a stack: (level, e) is the entry in hand. One that may hold the request
    // is entered (its first entry below that reaches `from`); otherwise the next entry of its group
    // is taken, and out of a group gone through in vain, its parent's next (the parent marked).
    let level = top, e = 0;
    for (;;) {
      const o = (offset[level]! + e) * 3;
      if (m[o]! >= cpu && m[o + 1]! >= mem && m[o + 2]! >= gpu && !(cpu >= v[o]! && mem >= v[o + 1]! && gpu >= v[o + 2]!)) {
        if (level > 0) {
          level--;
          e <<= FAN_BITS;
          if (from > 0) e = Math.max(e, (from / span[level]!) | 0);
          continue;
        }
        const lo = e * BUCKET, end = Math.min(this.size, lo + BUCKET);
        for (let n = Math.max(lo, from); n < end; n++) {
          const k = n * 3;
          if (f[k]! >= cpu && f[k + 1]! >= mem && f[k + 2]! >= gpu) return n;
        }
        if (lo >= from) this.mark(o, cpu, mem, gpu);
      }
      for (;;) {
        if (level === top) return -1;
        e++;
        if ((e & (FAN - 1)) !== 0) break;
        level++;
        e = (e >> FAN_BITS) - 1;
        if (e * span[level]! >= from) this.mark((offset[level]! + e) * 3, cpu, mem, gpu);
      }
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
