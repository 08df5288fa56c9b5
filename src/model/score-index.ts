import { meanAllocatedAfter, meanFreeAfter } from "../policy/scores.ts";
import type { ClusterView, Container } from "../policy/types.ts";

/**
 * How an index groups nodes into classes: by capacity vector only (best-fit, worst-fit); also by
 * speed (fastest); also by zone and startup (nearest).
 */
export type ScoreIndexKind = "capacity" | "speed" | "net";

/**
 * An index that answers best-fit, worst-fit, fastest and nearest in about O(log n) per placement,
 * with exactly the node the linear scan of DESIGN.md's float64 scores would choose.
 *
 * Nodes are grouped by capacity class (identical capacity vector; for fastest, identical speed
 * too; for nearest, identical zone and startup too). Within a class every node has the same capacities and scored-resource count, so its real
 * worst-fit score is (key − Σ_k r_k/C_k) / count and its real best-fit score
 * (count + Σ_k r_k/C_k − key) / count, with key = Σ_k free_k / C_k over the scored resources:
 * within a class, ordering by key is ordering by score. Each class keeps its nodes in a balanced
 * search tree (a treap) ordered by (key, free vector, node index), each subtree holding the maximum
 * free amount of every resource below it, so the lowest-key (best-fit) or highest-key (worst-fit)
 * feasible node is found by descending only into subtrees whose maxima cover the request, as the
 * free index does for first-fit.
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
 * identical score, sit next to each other in the order (lowest index first), and are skipped as
 * one: an empty uniform cluster costs one evaluation, not n. Across classes the exact scores are
 * compared, lowest index on ties.
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
  /** Beyond this many classes the per-class trees would cost more than a scan. */
  static readonly MAX_CLASSES = 64;

  private readonly size: number;
  private readonly capacity: Float64Array;
  private readonly free: Float64Array;
  private readonly indexed: boolean;
  private readonly classOf: Int32Array;
  private readonly roots: Int32Array;
  /** Classes grouped by speed, fastest group first (only for the speed index). */
  private readonly speedGroups: Int32Array[];
  /** One member node of each class (only for the net index). */
  private readonly members: Int32Array;
  /** Classes grouped by net, lowest first, per container zone + 1 (net index; built on first use). */
  private readonly netGroups: (Int32Array[] | undefined)[] = [];
  // Treap over node indices, one record per node so that a visit touches few cache lines:
  // links[4t..] = left child, right child, heap priority; data[8t..] = ordering key, snapshot of
  // free (3), subtree maxima of free (3). Children are -1 when absent.
  private readonly links: Int32Array;
  private readonly data: Float64Array;
  // The request of the current query and the current lower bound (key, free vector, index).
  private r0 = 0;
  private r1 = 0;
  private r2 = 0;
  private bk = 0;
  private b0 = 0;
  private b1 = 0;
  private b2 = 0;
  private bi = 0;
  private hi = 0;
  // Work stacks of the tree operations (a tree's depth is at most its size).
  private readonly path: Int32Array;
  private readonly stack: Int32Array;

  /**
   * @param view the live cluster (its capacity and free arrays are read, never written)
   * @param kind how nodes are grouped into classes (see ScoreIndexKind)
   */
  constructor(private readonly view: ClusterView, kind: ScoreIndexKind = "capacity") {
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
    this.roots = new Int32Array(ids.size).fill(-1);
    this.members = Int32Array.from(members);
    // Fastest first: the classes in groups of equal speed, highest speed first.
    this.speedGroups = kind === "speed" ? groupsBy(members.map((node) => -view.speed[node]!)) : [];
    const m = this.indexed ? n : 0;
    this.links = new Int32Array(4 * m);
    this.data = new Float64Array(8 * m);
    this.path = new Int32Array(m + 1);
    this.stack = new Int32Array(m + 1);
    if (!this.indexed) return;
    for (let node = 0; node < n; node++) {
      this.links[node * 4 + 2] = mix(node);
      this.snapshot(node);
      this.insert(this.classOf[node]!, node);
    }
  }

  /** Re-reads a node's free capacity after it changed: O(log n). */
  update(node: number): void {
    if (!this.indexed) return;
    const cls = this.classOf[node]!;
    this.remove(cls, node);
    this.snapshot(node);
    this.insert(cls, node);
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
    const count = classes ? classes.length : this.roots.length;
    let best = -1, bestScore = 0;
    for (let i = 0; i < count; i++) {
      const root = this.roots[classes ? classes[i]! : i]!;
      if (root < 0 || !this.subtreeCovers(root)) continue;
      const node = most ? this.classMost(c, root) : this.classLeast(c, root);
      if (node < 0) continue;
      const s = this.found;
      if (best < 0 || s > bestScore || (s === bestScore && node < best)) {
        best = node;
        bestScore = s;
      }
    }
    return best;
  }

  /** Score of the last classMost / classLeast answer. */
  private found = 0;

  /** Best-fit within one class: the lowest key, then exact scores over the window above it. */
  private classMost(c: Container, root: number): number {
    this.bound(-Infinity, -Infinity, -Infinity, -Infinity, -Infinity);
    this.hi = Infinity; // becomes the first (lowest) feasible key + WINDOW at the first visit
    return this.windowBest(c, root, true);
  }

  /** Worst-fit within one class: the highest key, then exact scores over the window below it. */
  private classLeast(c: Container, root: number): number {
    const last = this.rightmost(root);
    if (last < 0) return -1;
    this.hi = this.data[last * 8]!;
    this.bound(this.hi - ScoreIndex.WINDOW, -Infinity, -Infinity, -Infinity, -Infinity);
    return this.windowBest(c, root, false);
  }

  // State of one window walk.
  private wc: Container | null = null;
  private wMost = false;
  private wBest = -1;
  private wScore = 0;

  /**
   * Walks the feasible nodes of the window (after the bound, key ≤ hi) in order, one per distinct
   * free vector (the lowest index of each), and keeps the best exact score, lowest index on ties.
   */
  private windowBest(c: Container, root: number, most: boolean): number {
    this.wc = c;
    this.wMost = most;
    this.wBest = -1;
    this.wScore = 0;
    this.walk(root);
    this.wc = null;
    this.found = this.wScore;
    return this.wBest;
  }

  /** In-order walk of subtree t, pruned by the maxima, the bound and hi. */
  private walk(t: number): void {
    while (t >= 0 && this.subtreeCovers(t)) {
      if (!this.after(t)) {
        t = this.links[t * 4 + 1]!;
        continue;
      }
      if (this.data[t * 8]! > this.hi) {
        t = this.links[t * 4]!;
        continue;
      }
      this.walk(this.links[t * 4]!);
      // The walk below may have narrowed hi (first visit of best-fit) or moved the bound past t.
      if (this.data[t * 8]! > this.hi) return;
      if (this.after(t) && this.nodeCovers(t)) this.visit(t);
      t = this.links[t * 4 + 1]!;
    }
  }

  /** A candidate: its exact score; then the bound moves past every node with its free vector. */
  private visit(node: number): void {
    const c = this.wc!;
    const s = this.wMost ? meanAllocatedAfter(c, node, this.view) : meanFreeAfter(c, node, this.view);
    if (this.wBest < 0) {
      if (this.wMost) this.hi = this.data[node * 8]! + ScoreIndex.WINDOW;
      this.wBest = node;
      this.wScore = s;
    } else if (s > this.wScore || (s === this.wScore && node < this.wBest)) {
      this.wBest = node;
      this.wScore = s;
    }
    const d = this.data, b = node * 8;
    this.bound(d[b]!, d[b + 1]!, d[b + 2]!, d[b + 3]!, Infinity);
  }

  private request(c: Container): void {
    this.r0 = c.cpu;
    this.r1 = c.mem;
    this.r2 = c.gpu;
  }

  private bound(key: number, v0: number, v1: number, v2: number, index: number): void {
    this.bk = key;
    this.b0 = v0;
    this.b1 = v1;
    this.b2 = v2;
    this.bi = index;
  }

  /** True when node t comes after the current bound in the order (key, free vector, index). */
  private after(t: number): boolean {
    const v = this.data, b = t * 8;
    if (v[b] !== this.bk) return v[b]! > this.bk;
    if (v[b + 1] !== this.b0) return v[b + 1]! > this.b0;
    if (v[b + 2] !== this.b1) return v[b + 2]! > this.b1;
    if (v[b + 3] !== this.b2) return v[b + 3]! > this.b2;
    return t > this.bi;
  }

  private subtreeCovers(t: number): boolean {
    const m = this.data, b = t * 8 + 4;
    return m[b]! >= this.r0 && m[b + 1]! >= this.r1 && m[b + 2]! >= this.r2;
  }

  private nodeCovers(t: number): boolean {
    const v = this.data, b = t * 8 + 1;
    return v[b]! >= this.r0 && v[b + 1]! >= this.r1 && v[b + 2]! >= this.r2;
  }

  /** The last feasible node of subtree t, or -1. */
  private rightmost(t: number): number {
    while (t >= 0 && this.subtreeCovers(t)) {
      const right = this.rightmost(this.links[t * 4 + 1]!);
      if (right >= 0) return right;
      if (this.nodeCovers(t)) return t;
      t = this.links[t * 4]!;
    }
    return -1;
  }

  /** Copies a node's free vector and computes its key Σ free_k / C_k over the scored resources. */
  private snapshot(node: number): void {
    const b = node * 3;
    const cap = this.capacity, free = this.free;
    const count = cap[b + 2]! > 0 ? 3 : 2;
    let key = 0;
    for (let k = 0; k < count; k++) if (cap[b + k] !== 0) key += free[b + k]! / cap[b + k]!;
    const d = this.data, x = node * 8;
    d[x] = key;
    for (let k = 0; k < 3; k++) d[x + 1 + k] = d[x + 4 + k] = free[b + k]!;
    this.links[node * 4] = this.links[node * 4 + 1] = -1;
  }

  /** a before b in the order (key, free vector, index). */
  private less(a: number, b: number): boolean {
    const d = this.data, x = a * 8, y = b * 8;
    for (let k = 0; k < 4; k++) if (d[x + k] !== d[y + k]) return d[x + k]! < d[y + k]!;
    return a < b;
  }

  /** Recomputes the subtree maxima of t from its own vector and its children. */
  private pull(t: number): void {
    const d = this.data, x = t * 8, l = this.links[t * 4]!, r = this.links[t * 4 + 1]!;
    let m0 = d[x + 1]!, m1 = d[x + 2]!, m2 = d[x + 3]!;
    if (l >= 0) {
      const y = l * 8 + 4;
      if (d[y]! > m0) m0 = d[y]!;
      if (d[y + 1]! > m1) m1 = d[y + 1]!;
      if (d[y + 2]! > m2) m2 = d[y + 2]!;
    }
    if (r >= 0) {
      const y = r * 8 + 4;
      if (d[y]! > m0) m0 = d[y]!;
      if (d[y + 1]! > m1) m1 = d[y + 1]!;
      if (d[y + 2]! > m2) m2 = d[y + 2]!;
    }
    d[x + 4] = m0;
    d[x + 5] = m1;
    d[x + 6] = m2;
  }

  /** Takes node x out of its class's tree: one descent, a merge of its children, maxima repaired. */
  private remove(cls: number, x: number): void {
    const path = this.path, ln = this.links;
    let t = this.roots[cls]!, parent = -1, left = false, depth = 0;
    while (t !== x) {
      if (t < 0) throw new Error(`score index: node ${x} is not in its tree`);
      path[depth++] = parent = t;
      left = this.less(x, t);
      t = ln[t * 4 + (left ? 0 : 1)]!;
    }
    this.link(cls, parent, left, this.merge(ln[x * 4]!, ln[x * 4 + 1]!));
    while (depth > 0) this.pull(path[--depth]!);
  }

  /** Puts node x (a leaf: no children, maxima = its vector) into its class's tree. */
  private insert(cls: number, x: number): void {
    const path = this.path, ln = this.links, priority = ln[x * 4 + 2]!;
    let t = this.roots[cls]!, parent = -1, left = false, depth = 0;
    while (t >= 0 && ln[t * 4 + 2]! >= priority) {
      path[depth++] = parent = t;
      left = this.less(x, t);
      t = ln[t * 4 + (left ? 0 : 1)]!;
    }
    this.split(t, x);
    this.pull(x);
    this.link(cls, parent, left, x);
    while (depth > 0) this.pull(path[--depth]!);
  }

  /** Makes t the left or right child of parent, or the class's root when parent is -1. */
  private link(cls: number, parent: number, left: boolean, t: number): void {
    if (parent < 0) this.roots[cls] = t;
    else this.links[parent * 4 + (left ? 0 : 1)] = t;
  }

  /** Splits subtree t into the nodes before x and the others, which become x's children. */
  private split(t: number, x: number): void {
    const stack = this.stack, ln = this.links;
    let lRoot = -1, rRoot = -1, lTail = -1, rTail = -1, depth = 0;
    while (t >= 0) {
      stack[depth++] = t;
      if (this.less(t, x)) {
        if (lTail < 0) lRoot = t;
        else ln[lTail * 4 + 1] = t;
        lTail = t;
        t = ln[t * 4 + 1]!;
      } else {
        if (rTail < 0) rRoot = t;
        else ln[rTail * 4] = t;
        rTail = t;
        t = ln[t * 4]!;
      }
    }
    if (lTail >= 0) ln[lTail * 4 + 1] = -1;
    if (rTail >= 0) ln[rTail * 4] = -1;
    while (depth > 0) this.pull(stack[--depth]!);
    ln[x * 4] = lRoot;
    ln[x * 4 + 1] = rRoot;
  }

  /** Joins two subtrees, every node of a before every node of b; returns the root. */
  private merge(a: number, b: number): number {
    if (a < 0) return b;
    if (b < 0) return a;
    const stack = this.stack, ln = this.links;
    let root = -1, parent = -1, left = false, depth = 0;
    while (a >= 0 && b >= 0) {
      // The higher priority of the two roots stays on top; the merge goes on below it: into its
      // right subtree when it is a's root, into its left subtree when it is b's.
      const t = ln[a * 4 + 2]! > ln[b * 4 + 2]! ? a : b;
      if (parent < 0) root = t;
      else ln[parent * 4 + (left ? 0 : 1)] = t;
      stack[depth++] = parent = t;
      left = t === b;
      if (left) b = ln[b * 4]!;
      else a = ln[a * 4 + 1]!;
    }
    ln[parent * 4 + (left ? 0 : 1)] = a >= 0 ? a : b;
    while (depth > 0) this.pull(stack[--depth]!);
    return root;
  }

  /**
   * Checks the structure (for tests): each class's tree holds exactly its nodes, in order, with the
   * heap property; every snapshot equals the live free capacity; every maximum is exact. Returns
   * the first problem found, or "".
   */
  verify(): string {
    if (!this.indexed) return "";
    const seen = new Uint8Array(this.size);
    let previous = -1, problem = "";
    const walk = (t: number, parent: number, cls: number): void => {
      if (t < 0 || problem) return;
      if (seen[t]) { problem = `node ${t} is in a tree twice`; return; }
      seen[t] = 1;
      if (this.classOf[t] !== cls) problem = `node ${t} is in the tree of class ${cls}`;
      if (parent >= 0 && this.links[t * 4 + 2]! > this.links[parent * 4 + 2]!) problem = `node ${t} has a higher priority than its parent`;
      walk(this.links[t * 4]!, t, cls);
      if (previous >= 0 && !this.less(previous, t)) problem ||= `nodes ${previous} and ${t} are out of order`;
      previous = t;
      for (let k = 0; k < 3; k++) {
        if (this.data[t * 8 + 1 + k] !== this.free[t * 3 + k]) problem ||= `node ${t}: snapshot of resource ${k} is stale`;
        let m = this.data[t * 8 + 1 + k]!;
        for (const child of [this.links[t * 4]!, this.links[t * 4 + 1]!]) if (child >= 0) m = Math.max(m, this.data[child * 8 + 4 + k]!);
        if (this.data[t * 8 + 4 + k] !== m) problem ||= `node ${t}: subtree maximum of resource ${k} is ${this.data[t * 8 + 4 + k]}, not ${m}`;
      }
      walk(this.links[t * 4 + 1]!, t, cls);
    };
    for (let cls = 0; cls < this.roots.length; cls++) {
      previous = -1;
      walk(this.roots[cls]!, -1, cls);
    }
    const missing = seen.indexOf(0);
    return problem || (missing >= 0 ? `node ${missing} is in no tree` : "");
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
 * Class ids grouped by equal float64 value, lowest value first (ids in ascending order within a
 * group): `values[id]` is class id's value.
 */
function groupsBy(values: readonly number[]): Int32Array[] {
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  return distinct.map((v) => Int32Array.from(values.flatMap((x, id) => (x === v ? [id] : []))));
}

/** A fixed pseudo-random treap priority for a node index (a 32-bit integer hash; no randomness). */
function mix(x: number): number {
  let h = Math.imul(x + 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
