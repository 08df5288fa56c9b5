import type { ClusterSpec } from "./cluster.ts";
import { ZoneTable } from "./zones.ts";
import { FreeIndex } from "./free-index.ts";
import { ScoreIndex, type ScoreIndexKind } from "./score-index.ts";
import type { ClusterView, Container } from "../policy/types.ts";

/** The cluster as it is now: free capacity and running count per node, over a static spec. */
export class ClusterState implements ClusterView {
  readonly size: number;
  readonly ids: readonly string[];
  readonly capacity: Float64Array;
  readonly free: Float64Array;
  readonly speed: Float64Array;
  readonly startup: Float64Array;
  readonly zone: Int32Array;
  readonly zoneNames: readonly string[];
  readonly running: Int32Array;
  /** Containers running on the whole cluster. */
  totalRunning = 0;
  /** 1 while a node is down (failed); only with a failure model. */
  readonly down: Uint8Array;
  /**
   * The free index (first-fit, round-robin, and the `mightFit` gate before every decision). It is
   * dropped when a score index takes over the gate (see `scoreIndex`), and rebuilt by the next
   * search that needs it.
   */
  private index: FreeIndex | undefined;
  /** True once the free index has been searched: from then on it is kept whatever else is built. */
  private searched = false;
  /** The score index that answers `mightFit` while the free index is dropped. */
  private gate?: ScoreIndex;
  /**
   * Whether `mightFit` may be looser than the free amounts' maxima (a score index's bounds): only
   * for a pure policy (see Policy.pure), which cannot tell when it is asked.
   */
  private readonly looseGate: boolean;
  /** Indexes for best-/worst-fit, fastest and nearest, built on first use (a run that never asks pays nothing). */
  private byCapacity?: ScoreIndex;
  private bySpeed?: ScoreIndex;
  private byNet?: ScoreIndex;

  constructor(spec: ClusterSpec, private readonly zones: ZoneTable, options: { looseGate?: boolean } = {}) {
    this.looseGate = options.looseGate ?? false;
    this.size = spec.ids.length;
    this.ids = spec.ids;
    this.capacity = spec.capacity;
    this.free = Float64Array.from(spec.capacity);
    this.speed = spec.speed;
    this.startup = spec.startup;
    this.zone = spec.zone;
    this.zoneNames = zones.names;
    this.running = new Int32Array(this.size);
    this.down = new Uint8Array(this.size);
    this.index = new FreeIndex(this.free, this.size);
  }

  firstFeasible(c: Container, from = 0): number {
    return this.freeIndex().first(c.cpu, c.mem, c.gpu, from);
  }

  anyFeasible(c: Container): boolean {
    const index = this.freeIndex();
    return index.mightFit(c.cpu, c.mem, c.gpu) && index.first(c.cpu, c.mem, c.gpu) >= 0;
  }

  /** The free index for a search, rebuilt if it was dropped; kept up to date from then on. */
  private freeIndex(): FreeIndex {
    this.searched = true;
    return (this.index ??= new FreeIndex(this.free, this.size));
  }

  bestFitNode(c: Container): number {
    return (this.byCapacity ??= this.scoreIndex("capacity")).bestFit(c);
  }

  worstFitNode(c: Container): number {
    return (this.byCapacity ??= this.scoreIndex("capacity")).worstFit(c);
  }

  fastestNode(c: Container): number {
    return (this.bySpeed ??= this.scoreIndex("speed")).fastest(c);
  }

  nearestNode(c: Container): number {
    return (this.byNet ??= this.scoreIndex("net")).nearest(c);
  }

  /**
   * Builds a score index. With a loose gate, the first one built for a policy that has not
   * searched the free index also takes over the `mightFit` gate (its class maxima are upper
   * bounds: never false when a node fits, but sometimes true when none does), and the free index
   * is dropped: keeping it up to date at every start and end cost best-fit 15–17 % of its time for
   * the gate alone. A linear-scan fallback (too many classes) has no maxima: the free index stays.
   */
  private scoreIndex(kind: ScoreIndexKind): ScoreIndex {
    const built = new ScoreIndex(this, kind);
    if (this.looseGate && !this.searched && !this.gate && built.indexed) {
      this.gate = built;
      this.index = undefined;
    }
    return built;
  }

  /**
   * Every change of a node's free capacity goes through here, so that each index re-reads it.
   * `grew`: no free amount shrank (an end, a node back up: the free index then forgets its vain
   * searches there); otherwise none grew (a start, a node down).
   */
  private changed(node: number, grew: boolean): void {
    this.index?.update(node, grew);
    this.byCapacity?.update(node);
    this.bySpeed?.update(node);
    this.byNet?.update(node);
  }

  /**
   * Cheap necessary condition for feasibility: the request is within the per-resource maxima of
   * the free amounts (with a loose gate and a score index built: within its bounds).
   */
  mightFit(c: Container): boolean {
    return this.index ? this.index.mightFit(c.cpu, c.mem, c.gpu) : this.gate!.mightFit(c.cpu, c.mem, c.gpu);
  }

  fits(c: Container, node: number): boolean {
    const f = this.free, b = node * 3;
    return f[b]! >= c.cpu && f[b + 1]! >= c.mem && f[b + 2]! >= c.gpu;
  }

  latency(c: Container, node: number): number {
    return this.zones.resolve(c.zone, this.zone[node]!) ?? 0;
  }

  net(c: Container, node: number): number {
    return this.latency(c, node) + this.startup[node]!;
  }

  /** Takes a container's request from a node. The caller has checked that it fits. */
  take(node: number, cpu: number, mem: number, gpu: number): void {
    const b = node * 3;
    this.free[b] = this.free[b]! - cpu;
    this.free[b + 1] = this.free[b + 1]! - mem;
    this.free[b + 2] = this.free[b + 2]! - gpu;
    this.running[node]!++;
    this.totalRunning++;
    this.changed(node, false);
  }

  /**
   * A node fails. Its containers must have been given back already. While down its free capacity
   * reads −1 micro-unit on every resource, below any request (even a request of 0), so `fits`,
   * the free index and every policy see it as unable to hold anything.
   */
  takeDown(node: number): void {
    const b = node * 3;
    this.free[b] = this.free[b + 1] = this.free[b + 2] = -1;
    this.down[node] = 1;
    this.changed(node, false);
  }

  /** A failed node comes back, empty. */
  bringUp(node: number): void {
    const b = node * 3;
    for (let k = 0; k < 3; k++) this.free[b + k] = this.capacity[b + k]!;
    this.down[node] = 0;
    this.changed(node, true);
  }

  /** Gives back exactly what `take` took. */
  give(node: number, cpu: number, mem: number, gpu: number): void {
    const b = node * 3;
    this.free[b] = this.free[b]! + cpu;
    this.free[b + 1] = this.free[b + 1]! + mem;
    this.free[b + 2] = this.free[b + 2]! + gpu;
    this.running[node]!--;
    this.totalRunning--;
    this.changed(node, true);
  }
}

/**
 * Answers "could any node hold this request when empty?" using the distinct node capacities
 * (clusters have few node classes), minus those another one dominates.
 */
export class CapacityClasses {
  private readonly caps: [number, number, number][] = [];

  constructor(spec: ClusterSpec) {
    const distinct = new Map<string, [number, number, number]>();
    for (let n = 0; n < spec.ids.length; n++) {
      const v: [number, number, number] = [spec.capacity[n * 3]!, spec.capacity[n * 3 + 1]!, spec.capacity[n * 3 + 2]!];
      distinct.set(v.join(","), v);
    }
    const all = [...distinct.values()];
    const dominates = (a: number[], b: number[]) => a[0]! >= b[0]! && a[1]! >= b[1]! && a[2]! >= b[2]!;
    for (const v of all) if (!all.some((w) => w !== v && dominates(w, v))) this.caps.push(v);
  }

  canEverHold(cpu: number, mem: number, gpu: number): boolean {
    for (const [c, m, g] of this.caps) if (c >= cpu && m >= mem && g >= gpu) return true;
    return false;
  }
}
