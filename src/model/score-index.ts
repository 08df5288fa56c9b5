import { meanAllocatedAfter, meanAllocatedOn, meanFreeAfter, meanFreeOn, scoredCountOn } from "../policy/scores.ts";
import type { ClusterView, Container } from "../policy/types.ts";

/**
 * How an index groups nodes into classes: by capacity vector only (best-fit, worst-fit); also by
 * speed (fastest); also by zone and startup (nearest).
 */
export type ScoreIndexKind = "capacity" | "speed" | "net";

/** Doubles per entry: key, free cpu, mem, gpu, node index. */
const STRIDE = 5;
/** Entries per chunk: the unit of the finer maxima inside a block (see `chunked`). */
const CHUNK = 8;
/** A vain mark no request is at least as large as: not searched in vain (see `vain`). */
const NO_MARK = Infinity;
/** Answers of a scan inside one block (`ahead`, `back`) that found no entry. */
const NONE = -1, CUT = -2;

/** The ordered blocks of one class, with their first keys and a max tree over their maxima. */
interface ClassList {
  /** Offset of the class's capacity vector in classCapacity. */
  capacityAt: number;
  /** Block ids in order (the first `count` are in use). */
  blocks: Int32Array;
  /** Key of the first entry of each block, by position (a cache-friendly binary search). */
  firstKey: Float64Array;
  count: number;
  /** Leaves of the max tree: a power of two ≥ count. */
  leaves: number;
  /** Three maxima of free per tree node (node 1 the root, leaves at `leaves + position`). */
  tree: Float64Array;
  /**
   * Vain marks of the tree's inner nodes, 3 per node like `tree` (a leaf's mark is its block's,
   * in `vain`; the leaf slots here only serve `rebuild`).
   */
  marks: Float64Array;
}

/**
 * An index that answers best-fit, worst-fit, fastest and nearest in about O(log n) per placement,
 * with exactly the node the linear scan of DESIGN.md's float64 scores would choose.
 *
 * Nodes are grouped by capacity class (identical capacity vector; for fastest, identical speed
 * too; for nearest, identical zone and startup too). Within a class every node has the same
 * capacities and scored-resource count, so its real worst-fit score is (key − Σ_k r_k/C_k) / count
 * and its real best-fit score (count + Σ_k r_k/C_k − key) / count, with key = Σ_k free_k / C_k over
 * the scored resources: within a class, ordering by key is ordering by score.
 *
 * Layout. Each class keeps one entry per node (key, free vector, node index), sorted by that
 * tuple, in blocks of at most `blockSize` entries (about the square root of the largest class,
 * 16..64) stored contiguously: a sorted list cut into blocks, a B-tree of height two. An update
 * is a binary search over the first keys of the class's blocks, then a walk from the block's end
 * to the entry's place that moves each entry it passes one place on (it reads only entries the
 * insertion moves anyway: at 10,000 nodes a block is usually out of cache, and a binary search's
 * probes are dependent misses); a removal moves the entries past it one place back. A full
 * block splits in two, a block below a quarter full merges with a neighbour or takes entries from
 * it (each then rebuilding the class's small tree over its blocks, O(n / blockSize)). The node
 * just chosen is usually taken next: the search leaves where its entry is, and that update skips
 * the search inside the block. Each block keeps an
 * upper bound of the free amount of every resource among its entries (raised on insertion, left
 * as it is on removal, recomputed when a search scans the block in vain), and a
 * max tree over the blocks finds the first or last block whose bounds cover a request in
 * O(log(n / blockSize)); inside it the entries are scanned. So the lowest-key (best-fit) or
 * highest-key (worst-fit) feasible node of a class costs a few cache lines, not a descent through
 * log n scattered tree nodes: the cost per placement stays nearly flat from a hundred to tens of
 * thousands of nodes.
 *
 * Vain marks. Maxima per resource are a necessary condition only: under load a block's cpu
 * maximum and mem maximum often sit on different nodes, and best-fit's searches (about half the
 * blocks of a class below the first feasible node at 10,000 nodes on the bench) would scan such
 * blocks again and again. So a block scanned in vain from its first entry remembers the request
 * (whatever the key bound of the search: entries beyond it were not feasible either, or the scan
 * was cut short and marks nothing), and so does a node of the max tree all below which was in
 * vain. A later request at least as large on every resource skips it. A mark holds as long as no
 * entry below it fits it: removals keep it; an insertion clears the marks the new entry fits, on
 * its block and on every tree node above (a node can be marked while one below is not); a split
 * gives both halves the block's mark, blocks that exchange entries take the larger of their marks
 * on each resource, and a rebuilt tree derives its nodes' marks from the blocks' the same way.
 * Marks only ever skip what holds no feasible entry: answers are unchanged.
 *
 * Exactness. The float64 score is not exactly a function of the float64 key: rounding can reorder
 * two nodes whose keys are within a few ulps. So the index evaluates the exact score (the very
 * functions of scores.ts) on every feasible node of the class whose key is within WINDOW of the
 * extreme key, and keeps the best score, lowest index on ties. Why WINDOW = 1e-12 is safe, with
 * u = 2⁻⁵³: for a feasible node every term is in [0, 1], so the float64 key is within 8u of the
 * real key (three rounded quotients, two rounded additions of sums ≤ 3) and the float64 score
 * within 12u of the real score. A node whose float64 key is more than WINDOW beyond the extreme
 * one has a real key more than WINDOW − 16u beyond it, hence a real score lower by more than
 * (WINDOW − 16u) / 3 ≈ 3.3e-13, hence a float64 score lower by more than 3.3e-13 − 24u > 0: it
 * cannot win nor tie (about a hundredfold margin). Nodes with an identical free vector have an
 * identical score and sit next to each other in the order (lowest index first); only the first of
 * such a run is evaluated and the rest is jumped over by a binary search: an empty uniform cluster
 * costs one evaluation, not n. Across classes the exact scores are compared, lowest index on ties.
 *
 * Fastest and nearest first order the classes by their first key: speed (computed once), or net =
 * latency(container zone → class zone) + startup (computed once per container zone, through the
 * cluster's own `net` on a member node, so the very float64 value of the scan). Classes whose first
 * key is the same float64 value form one group; the groups are asked best first, and the first one
 * with a feasible node answers with its worst-fit choice (the tie-break), lowest index on ties.
 *
 * Every change of a node's free capacity must be reported through `update(node)` (ClusterState
 * does it on take, give, takeDown and bringUp). A down node reads −1 free everywhere and is never
 * feasible. With more than MAX_CLASSES classes the index is not built and a query is the exact
 * linear scan.
 */
export class ScoreIndex {
  /** Window on the key inside which exact scores decide (see above). */
  static readonly WINDOW = 1e-12;
  /** Beyond this many classes the per-class lists would cost more than a scan. */
  static readonly MAX_CLASSES = 64;

  /** Entries a block holds at most (a full block is split in two halves before an insertion). */
  private readonly cap: number;
  /** A block with fewer entries is merged with a neighbour, or takes some of its entries. */
  private readonly min: number;
  /** Doubles per block. */
  private readonly block: number;

  private readonly size: number;
  private readonly capacity: Float64Array;
  private readonly free: Float64Array;
  /** False beyond MAX_CLASSES classes: every query is then the linear scan. */
  readonly indexed: boolean;
  private readonly classOf: Int32Array;
  private readonly lists: ClassList[] = [];
  /** Classes grouped by speed, fastest group first (only for the speed index). */
  private readonly speedGroups: Int32Array[];
  /** One member node of each class. */
  private readonly members: Int32Array;
  /** Classes grouped by net, lowest first, per container zone + 1 (net index; built on first use). */
  private readonly netGroups: (Int32Array[] | undefined)[] = [];
  // Blocks: entries (5 doubles each, blockSize of them per block), entry count, maxima of free (3), position in the
  // class list; a stack of unused block ids.
  private readonly entries: Float64Array;
  private readonly length: Int32Array;
  private readonly maxima: Float64Array;
  private readonly position: Int32Array;
  private readonly unused: Int32Array;
  private unusedCount: number;
  /**
   * Per block, exact maxima of free per chunk of CHUNK entries (3 per chunk), valid while
   * `chunked[b]` is 1: set by a search that scans the whole block in vain, cleared by any change
   * of the block. A search that comes back to an unchanged block then only scans the chunks that
   * cover the request, instead of every entry (best-fit's low-key blocks often cover a request
   * with maxima taken from different nodes while no single node fits).
   */
  private readonly chunkMaxima: Float64Array;
  private readonly chunked: Uint8Array;
  private readonly chunks: number;
  /** Capacity vector of each class (3 per class): the same for every member. */
  private readonly classCapacity: Float64Array;
  /**
   * Per block, a vain mark (3 per block): a request no entry of the block can hold, so that no
   * request at least as large on every resource can either; NO_MARK when none.
   */
  private readonly vain: Float64Array;
  /** Per node: the block that holds its entry. */
  private readonly blockOf: Int32Array;
  // The request of the current query; the position found by the last search (block position,
  // entry index).
  private r0 = 0;
  private r1 = 0;
  private r2 = 0;
  private at = 0;
  private ai = 0;

  /**
   * @param view the live cluster (its capacity and free arrays are read, never written)
   * @param kind how nodes are grouped into classes (see ScoreIndexKind)
   * @param blockSize entries per block at most, a power of two ≥ 4 (small ones in tests, to
   *   exercise splits and merges on small clusters); by default about the square root of the
   *   largest class's size (see `autoBlockSize`)
   */
  constructor(private readonly view: ClusterView, kind: ScoreIndexKind = "capacity", blockSize?: number) {
    this.size = view.size;
    this.capacity = view.capacity;
    this.free = view.free;
    const n = this.size;
    this.classOf = new Int32Array(n);
    const ids = new Map<string, number>();
    const members: number[] = [];
    for (let node = 0; node < n; node++) {
      const b = node * 3;
      const extra = kind === "speed" ? `,${view.speed[node]}` : kind === "net" ? `,${view.zone[node]},${view.startup[node]}` : "";
      const name = `${this.capacity[b]},${this.capacity[b + 1]},${this.capacity[b + 2]}${extra}`;
      let id = ids.get(name);
      if (id === undefined) {
        id = ids.size;
        ids.set(name, id);
        members.push(node);
      }
      this.classOf[node] = id;
    }
    this.indexed = ids.size <= ScoreIndex.MAX_CLASSES;
    this.members = Int32Array.from(members);
    blockSize ??= autoBlockSize(this.classOf, ids.size);
    if (!(blockSize >= 4 && (blockSize & (blockSize - 1)) === 0)) throw new Error(`score index: block size ${blockSize} is not a power of two ≥ 4`);
    this.cap = blockSize;
    this.min = blockSize / 4;
    this.block = blockSize * STRIDE;
    this.chunks = Math.max(1, blockSize / CHUNK);
    this.classCapacity = Float64Array.from(members.flatMap((node) => [0, 1, 2].map((k) => this.capacity[node * 3 + k]!)));
    // Fastest first: the classes in groups of equal speed, highest speed first.
    this.speedGroups = kind === "speed" ? groupsBy(members.map((node) => -view.speed[node]!)) : [];
    // Every block of a class with more than one block holds at least blockSize / 4 entries.
    const blocks = this.indexed ? ids.size + Math.ceil(n / this.min) + 1 : 0;
    this.entries = new Float64Array(blocks * this.block);
    this.length = new Int32Array(blocks);
    this.maxima = new Float64Array(blocks * 3);
    this.position = new Int32Array(blocks);
    this.unused = Int32Array.from({ length: blocks }, (_, i) => blocks - 1 - i);
    this.unusedCount = blocks;
    this.chunkMaxima = new Float64Array(blocks * this.chunks * 3);
    this.chunked = new Uint8Array(blocks);
    this.vain = new Float64Array(blocks * 3).fill(NO_MARK);
    this.blockOf = new Int32Array(this.indexed ? n : 0);
    if (!this.indexed) return;
    for (let cls = 0; cls < ids.size; cls++) {
      const list: ClassList = { capacityAt: cls * 3, blocks: new Int32Array(4), firstKey: new Float64Array(4), count: 1, leaves: 0, tree: new Float64Array(0), marks: new Float64Array(0) };
      list.blocks[0] = this.allocate();
      this.lists.push(list);
      this.rebuild(list);
    }
    for (let node = 0; node < n; node++) {
      this.insert(this.lists[this.classOf[node]!]!, node);
    }
  }

  /** Entries a block holds at most. */
  get blockSize(): number {
    return this.cap;
  }

  /** Re-reads a node's free capacity after it changed: O(log n) and a short move. */
  update(node: number): void {
    if (!this.indexed) return;
    const list = this.lists[this.classOf[node]!]!;
    this.remove(list, node);
    this.insert(list, node);
  }

  /**
   * False when no node can hold the request now: no class's maxima cover it. The maxima are upper
   * bounds (see above), so this is a necessary condition only. Only for an indexed ScoreIndex.
   */
  mightFit(cpu: number, mem: number, gpu: number): boolean {
    const lists = this.lists;
    for (let i = 0; i < lists.length; i++) {
      const tree = lists[i]!.tree;
      if (tree[3]! >= cpu && tree[4]! >= mem && tree[5]! >= gpu) return true;
    }
    return false;
  }

  /** The feasible node with the highest meanAllocatedAfter (best-fit), lowest index on ties; or -1. */
  bestFit(c: Container): number {
    if (!this.indexed) return this.scan(c, false);
    this.request(c);
    return this.choose(c, null, true);
  }

  /** The feasible node with the highest meanFreeAfter (worst-fit), lowest index on ties; or -1. */
  worstFit(c: Container): number {
    if (!this.indexed) return this.scan(c, true);
    this.request(c);
    return this.choose(c, null, false);
  }

  /**
   * The fastest feasible node, ties to the highest meanFreeAfter, then the lowest index; or -1.
   * Needs an index built with kind "speed".
   */
  fastest(c: Container): number {
    if (!this.indexed) return this.scanFirstKey(c, (node) => this.view.speed[node]!);
    return this.firstGroup(c, this.speedGroups);
  }

  /**
   * The feasible node with the lowest net (`view.net`: zone latency + startup), ties to the highest
   * meanFreeAfter, then the lowest index; or -1. Needs an index built with kind "net".
   */
  nearest(c: Container): number {
    if (!this.indexed) return this.scanFirstKey(c, (node) => -this.view.net(c, node));
    return this.firstGroup(c, this.netGroups[c.zone + 1] ?? this.groupsByNet(c));
  }

  /** The worst-fit choice of the first group (in order) that has a feasible node; or -1. */
  private firstGroup(c: Container, groups: readonly Int32Array[]): number {
    this.request(c);
    for (const group of groups) {
      const node = this.choose(c, group, false);
      if (node >= 0) return node;
    }
    return -1;
  }

  /** The classes in groups of equal net for the container's zone, lowest net first (cached). */
  private groupsByNet(c: Container): Int32Array[] {
    const groups = groupsBy(Array.from(this.members, (node) => this.view.net(c, node)));
    this.netGroups[c.zone + 1] = groups;
    return groups;
  }

  /** The best node over some classes (all when null) by the exact score, lowest index on ties. */
  private choose(c: Container, classes: Int32Array | null, most: boolean): number {
    const count = classes ? classes.length : this.lists.length;
    let best = -1, bestScore = 0;
    for (let i = 0; i < count; i++) {
      const list = this.lists[classes ? classes[i]! : i]!;
      if (!this.open(list, 1)) continue;
      const node = most ? this.classMost(c, list) : this.classLeast(c, list);
      if (node < 0) continue;
      const s = this.found;
      if (best < 0 || s > bestScore || (s === bestScore && node < best)) {
        best = node;
        bestScore = s;
        this.hintIndex = this.foundIndex;
      }
    }
    this.hintNode = best;
    return best;
  }

  /** Score of the last classMost / classLeast answer, and its entry's index in its block. */
  private found = 0;
  private foundIndex = 0;
  /**
   * The last answer and its entry's index in its block: the node is usually taken next, and its
   * update then starts from there instead of looking the entry up.
   */
  private hintNode = -1;
  private hintIndex = 0;

  /**
   * Best-fit within one class: the first feasible entry (lowest key), then every run of feasible
   * entries with a key within WINDOW of it, one evaluation per run (its first entry, the lowest
   * index); the best exact score wins, lowest index on ties.
   */
  private classMost(c: Container, list: ClassList): number {
    if (!this.firstFeasible(list)) return -1;
    const e = this.entries;
    const hi = e[this.record(list)]! + ScoreIndex.WINDOW;
    let best = -1, bestScore = 0;
    for (;;) {
      // The entry at (at, ai) is the first of its run: an earlier one with its free vector would
      // have been feasible too, and found first.
      const r = this.record(list), node = e[r + 4]!;
      const s = meanAllocatedOn(c, this.classCapacity, list.capacityAt, e, r + 1);
      if (best < 0 || s > bestScore || (s === bestScore && node < best)) {
        best = node;
        bestScore = s;
        this.foundIndex = this.ai;
      }
      // On past the run: it usually ends right here (the next entry of the block differs), else a
      // binary search finds its end.
      if (this.ai + 1 < this.length[list.blocks[this.at]!]! && !same(e, r, r + STRIDE)) this.ai++;
      else this.seek(list, e[r]!, e[r + 1]!, e[r + 2]!, e[r + 3]!, Infinity);
      if (!this.nextFeasible(list, this.at, this.ai, hi)) break;
    }
    this.found = bestScore;
    return best;
  }

  /**
   * Worst-fit within one class: the last feasible entry (highest key), then every run of feasible
   * entries with a key within WINDOW of it, one evaluation per run (its first entry, the lowest
   * index); the best exact score wins, lowest index on ties.
   */
  private classLeast(c: Container, list: ClassList): number {
    if (!this.lastFeasible(list)) return -1;
    const e = this.entries;
    const lo = e[this.record(list)]! - ScoreIndex.WINDOW;
    let best = -1, bestScore = 0;
    for (;;) {
      let r = this.record(list);
      // Back to the first entry of the run (same key and free vector, lowest index): a binary
      // search, unless the entry before differs (then this one is the first).
      if (this.ai === 0 || same(e, r - STRIDE, r)) {
        this.seek(list, e[r]!, e[r + 1]!, e[r + 2]!, e[r + 3]!, -Infinity);
        r = this.record(list);
      }
      const node = e[r + 4]!;
      const s = meanFreeOn(c, this.classCapacity, list.capacityAt, e, r + 1);
      if (best < 0 || s > bestScore || (s === bestScore && node < best)) {
        best = node;
        bestScore = s;
        this.foundIndex = this.ai;
      }
      if (!this.previousFeasible(list, this.at, this.ai - 1, lo)) break;
    }
    this.found = bestScore;
    return best;
  }

  /** Offset in `entries` of the entry at the current position (at, ai). */
  private record(list: ClassList): number {
    return list.blocks[this.at]! * this.block + this.ai * STRIDE;
  }

  /**
   * The first feasible entry of the class (best-fit's lowest key): true and (at, ai) set to it, or
   * false. Depth first through the max tree over the blocks, left child first, without a stack;
   * a node whose maxima do not cover the request, or that was searched in vain for a request it
   * does not exceed, is passed over. A block scanned in vain gets the request as its mark (in
   * `ahead`), and so does every inner node both of whose children were in vain: on climbing out of
   * a right child.
   */
  private firstFeasible(list: ClassList): boolean {
    const leaves = list.leaves;
    let t = 1;
    for (;;) {
      let vain = !this.open(list, t);
      if (!vain && t >= leaves) {
        const k = this.ahead(list, t - leaves, 0, Infinity);
        if (k >= 0) return this.land(t - leaves, k);
        vain = true;
      }
      if (!vain) {
        t = 2 * t;
        continue;
      }
      while (t & 1) {
        t >>= 1;
        if (t === 0) return false;
        this.mark(list.marks, t);
      }
      t++;
    }
  }

  /**
   * The last feasible entry of the class (worst-fit's highest key): the mirror of firstFeasible,
   * right child first, but from the class's last block up rather than from the root down, as that
   * block usually holds the answer (the leaves to its right are empty: climbing out of a left child
   * still marks a parent only when all below it was in vain).
   */
  private lastFeasible(list: ClassList): boolean {
    const leaves = list.leaves;
    let t = leaves + list.count - 1;
    for (;;) {
      let vain = !this.open(list, t);
      if (!vain && t >= leaves) {
        const p = t - leaves, k = this.back(list, p, this.length[list.blocks[p]!]! - 1, -Infinity);
        if (k >= 0) return this.land(p, k);
        vain = true;
      }
      if (!vain) {
        t = 2 * t + 1;
        continue;
      }
      while (!(t & 1)) {
        t >>= 1;
        this.mark(list.marks, t);
      }
      if (t === 1) return false;
      t--;
    }
  }

  /**
   * From position (p, i) on, the first feasible entry with a key ≤ hi: true and (at, ai) set to
   * it, or false. Blocks whose maxima do not cover the request or that are marked vain for it are
   * jumped over, and so are chunks inside a block whose chunk maxima are known.
   */
  private nextFeasible(list: ClassList, p: number, i: number, hi: number): boolean {
    while (p >= 0 && p < list.count) {
      const k = this.ahead(list, p, i, hi);
      if (k >= 0) return this.land(p, k);
      if (k === CUT) return false;
      p = this.firstCovering(list, p + 1);
      i = 0;
    }
    return false;
  }

  /** Likewise backwards from (p, i): the last feasible entry with a key ≥ lo. */
  private previousFeasible(list: ClassList, p: number, i: number, lo: number): boolean {
    while (p >= 0) {
      const k = this.back(list, p, i, lo);
      if (k >= 0) return this.land(p, k);
      if (k === CUT) return false;
      p = this.lastCovering(list, p);
      if (p >= 0) i = this.length[list.blocks[p]!]! - 1;
    }
    return false;
  }

  /**
   * In the block at position p, from entry i on, the index of the first feasible entry with a key
   * ≤ hi; CUT when an entry with a key above hi comes first; NONE when there is none up to the
   * block's end. A block scanned in vain from its first entry (whether or not chunk by chunk) holds
   * no feasible entry at all, whatever hi: it is marked with the request.
   */
  private ahead(list: ClassList, p: number, i: number, hi: number): number {
    const e = this.entries, b = list.blocks[p]!, len = this.length[b]!, base = b * this.block;
    const r0 = this.r0, r1 = this.r1, r2 = this.r2;
    if (this.marked(this.vain, b)) return NONE;
    if (this.chunked[b]) {
      for (let j = Math.floor(i / CHUNK); j * CHUNK < len; j++) {
        if (!this.chunkCovers(b, j)) continue;
        const end = Math.min(len, (j + 1) * CHUNK);
        for (let k = Math.max(i, j * CHUNK), r = base + k * STRIDE; k < end; k++, r += STRIDE) {
          if (e[r]! > hi) return CUT;
          if (e[r + 1]! >= r0 && e[r + 2]! >= r1 && e[r + 3]! >= r2) return k;
        }
      }
      if (i === 0) this.mark(this.vain, b);
    } else {
      for (let k = i, r = base + i * STRIDE; k < len; k++, r += STRIDE) {
        if (e[r]! > hi) return CUT;
        if (e[r + 1]! >= r0 && e[r + 2]! >= r1 && e[r + 3]! >= r2) return k;
      }
      if (i === 0) {
        this.mark(this.vain, b);
        this.chunk(list, p);
      }
    }
    return NONE;
  }

  /** The mirror of `ahead`: from entry i of the block at position p back, a key ≥ lo. */
  private back(list: ClassList, p: number, i: number, lo: number): number {
    const e = this.entries, b = list.blocks[p]!, base = b * this.block;
    const r0 = this.r0, r1 = this.r1, r2 = this.r2;
    if (this.marked(this.vain, b)) return NONE;
    const whole = i === this.length[b]! - 1;
    if (this.chunked[b]) {
      for (let j = Math.floor(i / CHUNK); j >= 0; j--) {
        if (!this.chunkCovers(b, j)) continue;
        for (let k = Math.min(i, (j + 1) * CHUNK - 1), r = base + k * STRIDE; k >= j * CHUNK; k--, r -= STRIDE) {
          if (e[r]! < lo) return CUT;
          if (e[r + 1]! >= r0 && e[r + 2]! >= r1 && e[r + 3]! >= r2) return k;
        }
      }
      if (whole) this.mark(this.vain, b);
    } else {
      for (let k = i, r = base + i * STRIDE; k >= 0; k--, r -= STRIDE) {
        if (e[r]! < lo) return CUT;
        if (e[r + 1]! >= r0 && e[r + 2]! >= r1 && e[r + 3]! >= r2) return k;
      }
      if (whole) {
        this.mark(this.vain, b);
        this.chunk(list, p);
      }
    }
    return NONE;
  }

  /** Makes (p, i) the current position; true. */
  private land(p: number, i: number): boolean {
    this.at = p;
    this.ai = i;
    return true;
  }

  private chunkCovers(b: number, j: number): boolean {
    const m = this.chunkMaxima, x = (b * this.chunks + j) * 3;
    return m[x]! >= this.r0 && m[x + 1]! >= this.r1 && m[x + 2]! >= this.r2;
  }

  /**
   * The block at position p was scanned whole in vain: computes its chunk maxima (valid until it
   * changes) and its exact maxima (they may have been above its entries, left so by removals).
   */
  private chunk(list: ClassList, p: number): void {
    const b = list.blocks[p]!, e = this.entries, len = this.length[b]!, m = this.chunkMaxima;
    let b0 = -Infinity, b1 = -Infinity, b2 = -Infinity;
    for (let j = 0, r = b * this.block; j * CHUNK < len; j++) {
      let m0 = -Infinity, m1 = -Infinity, m2 = -Infinity;
      const end = Math.min(len, (j + 1) * CHUNK);
      for (let k = j * CHUNK; k < end; k++, r += STRIDE) {
        if (e[r + 1]! > m0) m0 = e[r + 1]!;
        if (e[r + 2]! > m1) m1 = e[r + 2]!;
        if (e[r + 3]! > m2) m2 = e[r + 3]!;
      }
      const x = (b * this.chunks + j) * 3;
      m[x] = m0;
      m[x + 1] = m1;
      m[x + 2] = m2;
      if (m0 > b0) b0 = m0;
      if (m1 > b1) b1 = m1;
      if (m2 > b2) b2 = m2;
    }
    this.chunked[b] = 1;
    const bm = this.maxima, y = b * 3;
    if (bm[y] !== b0 || bm[y + 1] !== b1 || bm[y + 2] !== b2) {
      bm[y] = b0;
      bm[y + 1] = b1;
      bm[y + 2] = b2;
      this.refresh(list, p);
    }
  }

  /**
   * The first block position ≥ from that is open to the request (see `open`), or -1: from the
   * leaf of `from`, each subtree to the right in turn (climbing while the current one is a right
   * child), descending into the first that is open. A subtree can be open while neither child is
   * (its maxima come from different blocks): it is then marked vain, and the search goes on to the
   * right of it. About O(log(distance)) per call.
   */
  private firstCovering(list: ClassList, from: number): number {
    if (from >= list.count) return -1;
    const leaves = list.leaves;
    let t = leaves + from;
    for (;;) {
      if (this.open(list, t)) {
        while (t < leaves) {
          if (this.open(list, 2 * t)) t = 2 * t;
          else if (this.open(list, 2 * t + 1)) t = 2 * t + 1;
          else break;
        }
        if (t >= leaves) return t - leaves;
        this.mark(list.marks, t);
      }
      while (t & 1) {
        if (t === 1) return -1;
        t >>= 1;
      }
      t++;
    }
  }

  /** The last block position < before that is open to the request, or -1 (mirror of firstCovering). */
  private lastCovering(list: ClassList, before: number): number {
    if (before <= 0) return -1;
    const leaves = list.leaves;
    let t = leaves + before - 1;
    for (;;) {
      if (this.open(list, t)) {
        while (t < leaves) {
          if (this.open(list, 2 * t + 1)) t = 2 * t + 1;
          else if (this.open(list, 2 * t)) t = 2 * t;
          else break;
        }
        if (t >= leaves) return t - leaves;
        this.mark(list.marks, t);
      }
      while (!(t & 1)) t >>= 1;
      if (t === 1) return -1;
      t--;
    }
  }

  /**
   * True when tree node t may hold an entry that fits the request: its maxima cover it, and it is
   * not marked vain for a request the current one is at least as large as (a leaf: its block).
   */
  private open(list: ClassList, t: number): boolean {
    const tree = list.tree;
    if (!(tree[3 * t]! >= this.r0 && tree[3 * t + 1]! >= this.r1 && tree[3 * t + 2]! >= this.r2)) return false;
    return !(t >= list.leaves ? this.marked(this.vain, list.blocks[t - list.leaves]!) : this.marked(list.marks, t));
  }

  /** True when the current request is at least as large on every resource as mark x of v. */
  private marked(v: Float64Array, x: number): boolean {
    return this.r0 >= v[3 * x]! && this.r1 >= v[3 * x + 1]! && this.r2 >= v[3 * x + 2]!;
  }

  /** Marks x of v (a block in `vain`, an inner tree node in a list's `marks`) vain for the current request. */
  private mark(v: Float64Array, x: number): void {
    v[3 * x] = this.r0;
    v[3 * x + 1] = this.r1;
    v[3 * x + 2] = this.r2;
  }

  private request(c: Container): void {
    this.r0 = c.cpu;
    this.r1 = c.mem;
    this.r2 = c.gpu;
  }

  /**
   * Sets (at, ai) to the first entry ≥ (key, f0, f1, f2, node) in the order; past the last entry
   * of the class, at = count. With node = −∞ it is the first entry of a run, with +∞ the first
   * entry after it.
   */
  private seek(list: ClassList, key: number, f0: number, f1: number, f2: number, node: number): void {
    let p = this.blockFor(list, key, f0, f1, f2, node);
    let i = this.indexIn(list.blocks[p]!, key, f0, f1, f2, node);
    if (i === this.length[list.blocks[p]!]) {
      p++;
      i = 0;
    }
    this.at = p;
    this.ai = i;
  }

  /** The last block position whose first entry is before the given one (0 when none is). */
  private blockFor(list: ClassList, key: number, f0: number, f1: number, f2: number, node: number): number {
    const firstKey = list.firstKey;
    let lo = 0, hi = list.count - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1, k = firstKey[mid]!;
      const before = k !== key ? k < key : this.before(list.blocks[mid]! * this.block, key, f0, f1, f2, node);
      if (before) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The index in block b of its first entry ≥ the given one (the block's length when none is). */
  private indexIn(b: number, key: number, f0: number, f1: number, f2: number, node: number): number {
    const base = b * this.block;
    let lo = 0, hi = this.length[b]!;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.before(base + mid * STRIDE, key, f0, f1, f2, node)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of node's entry in block b, looked for from the end, over the entries its removal moves (len when absent). */
  private lastOf(b: number, node: number): number {
    const e = this.entries, base = b * this.block, len = this.length[b]!;
    for (let i = len - 1, r = base + i * STRIDE + 4; i >= 0; i--, r -= STRIDE) if (e[r] === node) return i;
    return len;
  }

  /** True when the entry at offset r comes before (key, f0, f1, f2, node) in the order. */
  private before(r: number, key: number, f0: number, f1: number, f2: number, node: number): boolean {
    const e = this.entries;
    if (e[r] !== key) return e[r]! < key;
    if (e[r + 1] !== f0) return e[r + 1]! < f0;
    if (e[r + 2] !== f1) return e[r + 2]! < f1;
    if (e[r + 3] !== f2) return e[r + 3]! < f2;
    return e[r + 4]! < node;
  }

  /** Key of a node: Σ free_k / C_k over the scored resources. */
  private keyOf(node: number): number {
    const b = node * 3, c = this.classOf[node]! * 3, cap = this.classCapacity, free = this.free;
    const count = scoredCountOn(cap, c);
    let key = 0;
    for (let k = 0; k < count; k++) if (cap[c + k] !== 0) key += free[b + k]! / cap[c + k]!;
    return key;
  }

  /** Files node's entry (its key and live free vector) into its class's list. */
  private insert(list: ClassList, node: number): void {
    const key = this.keyOf(node), free = this.free, x = node * 3;
    const f0 = free[x]!, f1 = free[x + 1]!, f2 = free[x + 2]!;
    let p = this.blockFor(list, key, f0, f1, f2, node);
    if (this.length[list.blocks[p]!] === this.cap) {
      this.split(list, p);
      if (this.before(list.blocks[p + 1]! * this.block, key, f0, f1, f2, node)) p++;
    }
    // Walks from the block's end to the entry's place, moving each entry it passes one place on:
    // one pass over what the insertion moves anyway (a native copyWithin call costs more than the
    // few entries it would move).
    const b = list.blocks[p]!, e = this.entries, base = b * this.block, len = this.length[b]!;
    let r = base + len * STRIDE;
    while (r > base && !this.before(r - STRIDE, key, f0, f1, f2, node)) {
      e[r] = e[r - STRIDE]!;
      e[r + 1] = e[r + 1 - STRIDE]!;
      e[r + 2] = e[r + 2 - STRIDE]!;
      e[r + 3] = e[r + 3 - STRIDE]!;
      e[r + 4] = e[r + 4 - STRIDE]!;
      r -= STRIDE;
    }
    const i = (r - base) / STRIDE;
    e[r] = key;
    e[r + 1] = f0;
    e[r + 2] = f1;
    e[r + 3] = f2;
    e[r + 4] = node;
    this.length[b] = len + 1;
    this.chunked[b] = 0;
    this.blockOf[node] = b;
    if (i === 0) list.firstKey[p] = key;
    // A mark on the block or above it that the new entry fits no longer holds (one it does not fit
    // still does). All the way up: a node can be marked while the one below is not.
    const v = this.vain;
    if (f0 >= v[3 * b]! && f1 >= v[3 * b + 1]! && f2 >= v[3 * b + 2]!) v[3 * b] = NO_MARK;
    const marks = list.marks;
    for (let t = (list.leaves + p) >> 1; t >= 1; t >>= 1) {
      if (f0 >= marks[3 * t]! && f1 >= marks[3 * t + 1]! && f2 >= marks[3 * t + 2]!) marks[3 * t] = NO_MARK;
    }
    const m = this.maxima, y = b * 3;
    if (f0 > m[y]! || f1 > m[y + 1]! || f2 > m[y + 2]!) {
      if (f0 > m[y]!) m[y] = f0;
      if (f1 > m[y + 1]!) m[y + 1] = f1;
      if (f2 > m[y + 2]!) m[y + 2] = f2;
      this.refresh(list, p);
    }
  }

  /** Takes node's entry out of its class's list. */
  private remove(list: ClassList, node: number): void {
    // The hint is exact: any update (the only thing that moves entries) clears it.
    const b = this.blockOf[node]!, i = node === this.hintNode ? this.hintIndex : this.lastOf(b, node);
    this.hintNode = -1;
    const e = this.entries, r = b * this.block + i * STRIDE, len = this.length[b]!;
    if (i >= len || e[r + 4] !== node) throw new Error(`score index: node ${node} is not in the block it was filed in`);
    for (let end = b * this.block + (len - 1) * STRIDE, x = r; x < end; x++) e[x] = e[x + STRIDE]!;
    this.length[b] = len - 1;
    this.chunked[b] = 0;
    const p = this.position[b]!;
    if (i === 0 && len > 1) list.firstKey[p] = e[b * this.block]!;
    // The block's maxima may now be above its entries: they stay an upper bound, made exact by the
    // next search that scans the block in vain (see `chunk`).
    if (len - 1 < this.min && list.count > 1) this.rebalance(list, p);
  }

  /** Splits the full block at position p into two halves (the second one a new block after it). */
  private split(list: ClassList, p: number): void {
    const b = list.blocks[p]!, nb = this.allocate(), half = this.cap >> 1;
    this.entries.copyWithin(nb * this.block, b * this.block + half * STRIDE, b * this.block + this.cap * STRIDE);
    this.length[b] = half;
    this.length[nb] = this.cap - half;
    this.chunked[b] = this.chunked[nb] = 0;
    // Each half holds a part of b's entries: b's mark holds for both.
    this.vain.copyWithin(3 * nb, 3 * b, 3 * b + 3);
    this.adopt(nb, 0);
    this.measure(b);
    this.measure(nb);
    if (list.count === list.blocks.length) {
      list.blocks = grown(list.blocks);
      list.firstKey = grown(list.firstKey);
    }
    list.blocks.copyWithin(p + 2, p + 1, list.count);
    list.firstKey.copyWithin(p + 2, p + 1, list.count);
    list.blocks[p + 1] = nb;
    list.firstKey[p + 1] = this.entries[nb * this.block]!;
    list.count++;
    this.rebuild(list);
  }

  /**
   * The block at position p has fewer than blockSize / 4 entries: it is merged with a neighbour when both
   * fit in one block, or else takes entries from it until both hold half of the two.
   */
  private rebalance(list: ClassList, p: number): void {
    const l = p + 1 < list.count ? p : p - 1;
    const a = list.blocks[l]!, b = list.blocks[l + 1]!;
    const la = this.length[a]!, lb = this.length[b]!, e = this.entries;
    this.chunked[a] = this.chunked[b] = 0;
    if (la + lb <= this.cap) {
      e.copyWithin(a * this.block + la * STRIDE, b * this.block, b * this.block + lb * STRIDE);
      this.length[a] = la + lb;
      this.adopt(a, la);
      this.join(a, b);
      this.unused[this.unusedCount++] = b;
      list.blocks.copyWithin(l + 1, l + 2, list.count);
      list.firstKey.copyWithin(l + 1, l + 2, list.count);
      list.count--;
    } else {
      const half = (la + lb) >> 1;
      if (la < half) {
        // The first entries of b go to the end of a.
        const moved = half - la;
        e.copyWithin(a * this.block + la * STRIDE, b * this.block, b * this.block + moved * STRIDE);
        e.copyWithin(b * this.block, b * this.block + moved * STRIDE, b * this.block + lb * STRIDE);
        this.length[a] = half;
        this.length[b] = lb - moved;
        this.adopt(a, la);
        this.join(a, b);
      } else {
        // The last entries of a go to the front of b.
        const moved = la - half;
        e.copyWithin(b * this.block + moved * STRIDE, b * this.block, b * this.block + lb * STRIDE);
        e.copyWithin(b * this.block, a * this.block + half * STRIDE, a * this.block + la * STRIDE);
        this.length[a] = half;
        this.length[b] = lb + moved;
        this.adopt(b, 0);
        this.join(b, a);
      }
      list.firstKey[l + 1] = e[b * this.block]!;
      this.measure(b);
    }
    list.firstKey[l] = e[a * this.block]!;
    this.measure(a);
    this.rebuild(list);
  }

  /**
   * Block `to` took entries of block `from`: its mark becomes the larger of the two on each
   * resource (an entry that fits it fits both marks; neither block has such an entry).
   */
  private join(to: number, from: number): void {
    const v = this.vain;
    for (let k = 0; k < 3; k++) v[3 * to + k] = Math.max(v[3 * to + k]!, v[3 * from + k]!);
  }

  /** Points blockOf of the entries of block b from index i on at b. */
  private adopt(b: number, i: number): void {
    const e = this.entries, len = this.length[b]!;
    for (let r = b * this.block + i * STRIDE; i < len; i++, r += STRIDE) this.blockOf[e[r + 4]!] = b;
  }

  /** Recomputes block b's maxima from its entries (−∞ when empty); true when they changed. */
  private measure(b: number): boolean {
    const e = this.entries, len = this.length[b]!;
    let m0 = -Infinity, m1 = -Infinity, m2 = -Infinity;
    for (let i = 0, r = b * this.block; i < len; i++, r += STRIDE) {
      if (e[r + 1]! > m0) m0 = e[r + 1]!;
      if (e[r + 2]! > m1) m1 = e[r + 2]!;
      if (e[r + 3]! > m2) m2 = e[r + 3]!;
    }
    const m = this.maxima, y = b * 3;
    if (m[y] === m0 && m[y + 1] === m1 && m[y + 2] === m2) return false;
    m[y] = m0;
    m[y + 1] = m1;
    m[y + 2] = m2;
    return true;
  }

  /** Carries the maxima of the block at position p up the class's max tree, as far as they change. */
  private refresh(list: ClassList, p: number): void {
    const tree = list.tree, m = this.maxima, y = list.blocks[p]! * 3;
    let t = list.leaves + p;
    tree[3 * t] = m[y]!;
    tree[3 * t + 1] = m[y + 1]!;
    tree[3 * t + 2] = m[y + 2]!;
    for (t >>= 1; t >= 1; t >>= 1) {
      const l = 6 * t, x = 3 * t;
      const m0 = Math.max(tree[l]!, tree[l + 3]!), m1 = Math.max(tree[l + 1]!, tree[l + 4]!), m2 = Math.max(tree[l + 2]!, tree[l + 5]!);
      if (tree[x] === m0 && tree[x + 1] === m1 && tree[x + 2] === m2) return;
      tree[x] = m0;
      tree[x + 1] = m1;
      tree[x + 2] = m2;
    }
  }

  /**
   * Rebuilds a class's max tree and its blocks' positions after its blocks changed. The inner
   * nodes' marks are derived from the blocks' (the larger of the children's on each resource, as
   * in `join`; an unused leaf, empty, is vain for any request).
   */
  private rebuild(list: ClassList): void {
    let leaves = 1;
    while (leaves < list.count) leaves *= 2;
    if (leaves !== list.leaves) {
      list.leaves = leaves;
      list.tree = new Float64Array(6 * leaves);
      list.marks = new Float64Array(6 * leaves);
    }
    const tree = list.tree, marks = list.marks, m = this.maxima, v = this.vain;
    tree.fill(-Infinity);
    marks.fill(-Infinity);
    for (let p = 0; p < list.count; p++) {
      const b = list.blocks[p]!, t = 3 * (leaves + p);
      this.position[b] = p;
      for (let k = 0; k < 3; k++) {
        tree[t + k] = m[b * 3 + k]!;
        marks[t + k] = v[b * 3 + k]!;
      }
    }
    for (let t = leaves - 1; t >= 1; t--) {
      for (let k = 0; k < 3; k++) {
        tree[3 * t + k] = Math.max(tree[6 * t + k]!, tree[6 * t + 3 + k]!);
        marks[3 * t + k] = Math.max(marks[6 * t + k]!, marks[6 * t + 3 + k]!);
      }
    }
  }

  private allocate(): number {
    if (this.unusedCount === 0) throw new Error("score index: out of blocks");
    const b = this.unused[--this.unusedCount]!;
    this.length[b] = 0;
    this.maxima.fill(-Infinity, b * 3, b * 3 + 3);
    this.vain.fill(NO_MARK, b * 3, b * 3 + 3);
    return b;
  }

  /**
   * Checks the structure (for tests): each class's list holds exactly its nodes, in strictly
   * increasing order, each filed with its live free capacity; block lengths within bounds; every
   * first key, position, max-tree entry and valid chunk maximum exact; every block maximum at or
   * above its entries'; no vain mark that an entry below it fits.
   * Returns the first problem found, or "".
   */
  verify(): string {
    if (!this.indexed) return "";
    const seen = new Uint8Array(this.size), e = this.entries;
    for (let cls = 0; cls < this.lists.length; cls++) {
      const list = this.lists[cls]!;
      let previous = -1;
      for (let p = 0; p < list.count; p++) {
        const b = list.blocks[p]!, len = this.length[b]!;
        if (this.position[b] !== p) return `class ${cls}: block ${b} at position ${p} says ${this.position[b]}`;
        if (len > this.cap || (list.count > 1 && len < this.min)) return `class ${cls}: block ${b} holds ${len} entries`;
        if (len > 0 && list.firstKey[p] !== e[b * this.block]) return `class ${cls}: stale first key at position ${p}`;
        const m = [-Infinity, -Infinity, -Infinity];
        for (let i = 0; i < len; i++) {
          const r = b * this.block + i * STRIDE, node = e[r + 4]!;
          if (seen[node]) return `node ${node} is filed twice`;
          seen[node] = 1;
          if (this.classOf[node] !== cls) return `node ${node} is in the list of class ${cls}`;
          if (this.blockOf[node] !== b) return `node ${node}: blockOf is ${this.blockOf[node]}, not ${b}`;
          if (e[r] !== this.keyOf(node)) return `node ${node}: key is stale`;
          for (let k = 0; k < 3; k++) {
            if (e[r + 1 + k] !== this.free[node * 3 + k]) return `node ${node}: free of resource ${k} is stale`;
            m[k] = Math.max(m[k]!, e[r + 1 + k]!);
          }
          if (previous >= 0 && !this.before(previous, e[r]!, e[r + 1]!, e[r + 2]!, e[r + 3]!, node)) return `class ${cls}: entries out of order at node ${node}`;
          previous = r;
        }
        for (let k = 0; k < 3; k++) if (!(this.maxima[b * 3 + k]! >= m[k]!)) return `class ${cls}: block ${b} maximum ${k} is ${this.maxima[b * 3 + k]}, below ${m[k]}`;
        for (let j = 0; this.chunked[b] && j * CHUNK < len; j++) {
          for (let k = 0; k < 3; k++) {
            let want = -Infinity;
            for (let i = j * CHUNK; i < Math.min(len, (j + 1) * CHUNK); i++) want = Math.max(want, e[b * this.block + i * STRIDE + 1 + k]!);
            if (this.chunkMaxima[(b * this.chunks + j) * 3 + k] !== want) return `class ${cls}: block ${b} chunk ${j} maximum ${k} is stale`;
          }
        }
      }
      // Marks: no entry of a block fits its mark, nor any entry below an inner node the node's.
      const fits = (p: number, v: Float64Array, x: number): boolean => {
        const b = list.blocks[p]!;
        for (let i = 0, r = b * this.block; i < this.length[b]!; i++, r += STRIDE) {
          if (e[r + 1]! >= v[x]! && e[r + 2]! >= v[x + 1]! && e[r + 3]! >= v[x + 2]!) return true;
        }
        return false;
      };
      for (let p = 0; p < list.count; p++) if (fits(p, this.vain, 3 * list.blocks[p]!)) return `class ${cls}: block ${list.blocks[p]} holds an entry that fits its vain mark`;
      for (let t = 1; t < list.leaves; t++) {
        const level = 31 - Math.clz32(t), span = list.leaves >> level, from = (t - (1 << level)) * span;
        for (let p = from; p < Math.min(list.count, from + span); p++) if (fits(p, list.marks, 3 * t)) return `class ${cls}: tree node ${t} has an entry below it that fits its vain mark`;
      }
      for (let t = 1; t < 2 * list.leaves; t++) {
        for (let k = 0; k < 3; k++) {
          const p = t - list.leaves;
          const want = t >= list.leaves ? (p < list.count ? this.maxima[list.blocks[p]! * 3 + k]! : -Infinity) : Math.max(list.tree[6 * t + k]!, list.tree[6 * t + 3 + k]!);
          if (list.tree[3 * t + k] !== want) return `class ${cls}: max tree node ${t} resource ${k} is ${list.tree[3 * t + k]}, not ${want}`;
        }
      }
    }
    const missing = seen.indexOf(0);
    return missing >= 0 ? `node ${missing} is in no list` : "";
  }

  /** The exact linear scan (used when there are too many classes for the index to pay). */
  private scan(c: Container, least: boolean): number {
    let best = -1, bestScore = 0;
    for (let node = 0; node < this.size; node++) {
      if (!this.view.fits(c, node)) continue;
      const s = least ? meanFreeAfter(c, node, this.view) : meanAllocatedAfter(c, node, this.view);
      if (best < 0 || s > bestScore) {
        best = node;
        bestScore = s;
      }
    }
    return best;
  }

  /** The exact scan of a first key (highest wins), ties to the highest meanFreeAfter, then index. */
  private scanFirstKey(c: Container, first: (node: number) => number): number {
    let best = -1, bestFirst = 0, bestScore = 0;
    for (let node = 0; node < this.size; node++) {
      if (!this.view.fits(c, node)) continue;
      const v = first(node);
      if (best >= 0 && v < bestFirst) continue;
      const s = meanFreeAfter(c, node, this.view);
      if (best < 0 || v > bestFirst || s > bestScore) {
        best = node;
        bestFirst = v;
        bestScore = s;
      }
    }
    return best;
  }
}

/**
 * Entries per block for classes of these sizes: the power of two nearest the square root of the
 * largest class on a log scale (2^round(log2 √n)), within 16..64. An update moves about half a
 * block and, about once in blockSize updates, rebuilds the class's tree over its n / blockSize
 * blocks: √n balances the two. On the
 * bench (nearest, 10,000 nodes in classes of 833), 32 was 11 % faster than 64 and 16 was 20 %
 * slower than 32; with one class of 10,000 nodes 32 was 11–19 % slower than 64 and 128 no faster;
 * with 100 nodes 16 was as fast as 64 and 8 was 13 % slower.
 */
export function autoBlockSize(classOf: Int32Array, classes: number): number {
  const sizes = new Int32Array(classes);
  for (const cls of classOf) sizes[cls]!++;
  let largest = 1;
  for (const size of sizes) largest = Math.max(largest, size);
  return Math.min(64, Math.max(16, 2 ** Math.round(Math.log2(Math.sqrt(largest)))));
}

/** True when the entries at offsets a and b have the same key and free vector. */
function same(e: Float64Array, a: number, b: number): boolean {
  return e[a] === e[b] && e[a + 1] === e[b + 1] && e[a + 2] === e[b + 2] && e[a + 3] === e[b + 3];
}

/** A typed array of twice the length with the same leading values. */
function grown<T extends Int32Array | Float64Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2);
  b.set(a);
  return b;
}

/**
 * Class ids grouped by equal float64 value, lowest value first (ids in ascending order within a
 * group): `values[id]` is class id's value.
 */
function groupsBy(values: readonly number[]): Int32Array[] {
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  return distinct.map((v) => Int32Array.from(values.flatMap((x, id) => (x === v ? [id] : []))));
}
