/**
 * The policy interface. A policy chooses a node for one container, given a read-only view of the
 * cluster. Two forms:
 *  - a score policy: `score(c, node, cluster)`, higher is better; the engine offers only feasible
 *    nodes and takes the best (ties → the lowest node index, or `tieBreak` first when given). The
 *    engine scores every feasible node: a linear scan, O(n) per placement;
 *  - a select policy: `select(c, cluster)` returns a node index, or null/undefined/-1 for none,
 *    with optional `onStart`/`onEnd` hooks (for policies that keep their own index or state).
 * A module's default export is a policy or a function returning a fresh one (for state that must
 * start anew in every run).
 */

/** One container as offered to a policy. Requests are integer micro-units (see MICRO). */
export interface Container {
  /** Position in the trace (0-based). */
  readonly index: number;
  readonly id: string;
  readonly arrival: number;
  /** Run time on a node of speed 1, s. */
  readonly duration: number;
  readonly cpu: number;
  readonly mem: number;
  readonly gpu: number;
  /** Zone index (see ClusterView.zoneNames); -1 for none. */
  readonly zone: number;
  readonly priority: number;
}

/** What a policy may see of the cluster. Arrays are shared with the simulator: do not write them. */
export interface ClusterView {
  /** Number of nodes; node indices are 0..size-1 in cluster-file order. */
  readonly size: number;
  readonly ids: readonly string[];
  /** Capacity, micro-units, packed [cpu, mem, gpu] at 3·node. */
  readonly capacity: Float64Array;
  /** Free capacity now, micro-units, packed like capacity. */
  readonly free: Float64Array;
  readonly speed: Float64Array;
  /** Seconds to start a container on each node. */
  readonly startup: Float64Array;
  /** Zone index of each node; -1 for none. */
  readonly zone: Int32Array;
  readonly zoneNames: readonly string[];
  /** Containers running on each node now. */
  readonly running: Int32Array;
  /** True when the node's free capacity covers the container's request on every resource. */
  fits(c: Container, node: number): boolean;
  /** The lowest node index ≥ from that can hold the container now, or -1 (indexed: O(log n)). */
  firstFeasible(c: Container, from?: number): number;
  /** True when some node can hold the container now. */
  anyFeasible(c: Container): boolean;
  /**
   * Exactly the node a score scan of `meanAllocatedAfter` (best-fit) would choose: the feasible
   * node with the highest score, lowest index on ties; -1 when none (indexed: about O(log n)).
   */
  bestFitNode(c: Container): number;
  /** Likewise for `meanFreeAfter` (worst-fit): highest score, lowest index on ties; -1 when none. */
  worstFitNode(c: Container): number;
  /**
   * Exactly fastest's scan: the highest speed, ties to the highest `meanFreeAfter`, then the lowest
   * index; -1 when none (indexed per speed and capacity class).
   */
  fastestNode(c: Container): number;
  /**
   * Exactly nearest's scan: the lowest `net`, ties to the highest `meanFreeAfter`, then the lowest
   * index; -1 when none (indexed per zone, startup and capacity class).
   */
  nearestNode(c: Container): number;
  /** Network latency from the container's zone to the node's zone, s. */
  latency(c: Container, node: number): number;
  /** latency + the node's startup, s: the container's `net` if placed there. */
  net(c: Container, node: number): number;
}

/** Everything else a decision may use. */
export interface PolicyContext {
  /** Simulated time of the decision, s. */
  readonly now: number;
  /** The run's seeded generator, uniform in [0, 1): the only source of randomness allowed. */
  readonly rng: () => number;
}

export type ScoreFunction = (c: Container, node: number, cluster: ClusterView, ctx: PolicyContext) => number;

interface PolicyBase {
  /** Name used in results (summary rows, folder names). */
  readonly name: string;
  /** resource | performance | latency | baseline | anything descriptive. */
  readonly family?: string;
  readonly description?: string;
  /**
   * True when asking the policy has no effect beyond its answer: it keeps no state, draws no
   * random numbers, reads no clock (as the built-ins but random and round-robin). Then the engine
   * may ask it even when no node can hold the container (it answers none, so results are the
   * same), which lets a policy that uses bestFitNode, worstFitNode, fastestNode or nearestNode skip
   * the upkeep of the free index: 15–27 % less time per container. Leave it out when unsure.
   */
  readonly pure?: boolean;
  /** Called when a container starts on a node (after the engine took its resources). */
  onStart?(c: Container, node: number, cluster: ClusterView, ctx: PolicyContext): void;
  /** Called when a container ends on a node (after the engine freed its resources). */
  onEnd?(c: Container, node: number, cluster: ClusterView, ctx: PolicyContext): void;
}

export interface ScorePolicy extends PolicyBase {
  readonly score: ScoreFunction;
  /** Compared when two feasible nodes score equal; higher wins, then the lowest index. */
  readonly tieBreak?: ScoreFunction;
  readonly select?: undefined;
}

export interface SelectPolicy extends PolicyBase {
  /** A feasible node index, or null / undefined / -1 for "none". */
  select(c: Container, cluster: ClusterView, ctx: PolicyContext): number | null | undefined;
  readonly score?: undefined;
  readonly tieBreak?: undefined;
}

export type Policy = ScorePolicy | SelectPolicy;

/** A policy, or a factory giving a fresh one per run. */
export type PolicySource = Policy | (() => Policy);

/** Resolves a PolicySource to a fresh policy instance. */
export function instantiate(source: PolicySource): Policy {
  return typeof source === "function" ? source() : source;
}

/** A policy misbehaved: the run stops with this error naming the policy, container and time. */
export class PolicyError extends Error {
  override readonly name = "PolicyError";
  constructor(
    readonly policy: string,
    readonly container: string,
    readonly time: number,
    readonly problem: string,
  ) {
    super(`policy "${policy}" at t=${time}, container "${container}": ${problem}`);
  }
}

/**
 * What is wrong with the shape of a policy object, or undefined: a name, exactly one of score or
 * select, a function tieBreak and a boolean `pure` if given. The loader (with `slashFreeName`: the
 * name names a results folder) and simulate() both ask it, each throwing its own kind of error.
 */
export function policyShapeProblem(policy: object, slashFreeName: boolean): string | undefined {
  const p = policy as Partial<Record<string, unknown>>;
  if (typeof p.name !== "string" || p.name.trim() === "" || (slashFreeName && /[\\/]/.test(p.name))) {
    return `a policy needs a "name" (a non-empty string${slashFreeName ? " without slashes" : ""})`;
  }
  if ((typeof p.score === "function") === (typeof p.select === "function")) return 'a policy has exactly one of "score(c, node, cluster)" or "select(c, cluster)"';
  if (p.tieBreak !== undefined && typeof p.tieBreak !== "function") return '"tieBreak" must be a function';
  if (p.pure !== undefined && typeof p.pure !== "boolean") return '"pure" must be true or false';
  return undefined;
}
