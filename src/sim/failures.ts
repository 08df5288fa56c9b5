import seedrandom from "seedrandom";
import { EventQueue } from "../engine/event-queue.ts";
import type { EventStream } from "../engine/engine.ts";
import type { ClusterSpec } from "../model/cluster.ts";
import type { ClusterState } from "../model/cluster-state.ts";
import type { Workload } from "../model/workload.ts";
import { MICRO } from "../model/resources.ts";
import type { FailureFigures } from "../metrics/summary.ts";
import {
  KILLED, NODE_FAILURE, RESTART_LIMIT,
  type ContainerOutcomes, type FailureModel, type FailureTrace, type OnFailure,
} from "./types.ts";

/** What the simulator does for the failure model; everything else about failures lives here. */
export interface FailureHost {
  /** True while anything can still happen: arrivals to come, containers queued or running. */
  workLeft(): boolean;
  /** Frees a killed container's resources on its node (cluster, usage, the policy's onEnd). */
  release(container: number, node: number): void;
  /** Offers killed containers to start again, in trace order (the queue, or at once in `reject`). */
  requeue(containers: readonly number[]): void;
  /** After a failure or a recovery: runs the scheduler, records the timeline, tells the observer. */
  settle(kind: "failure" | "recovery", node: number): void;
}

export interface FailureOptions {
  readonly onFailure?: OnFailure;
  readonly maxRestarts?: number;
  /** The run stops after the events at this time (SimOptions.horizon). */
  readonly horizon?: number;
}

export const DEFAULT_MAX_RESTARTS = 100;

/** The most node failures a random failure model may be expected to make in a run. */
export const MAX_RANDOM_FAILURES = 1e8;

/**
 * Why random failures with these means would not end in reasonable time (what they would make), or
 * undefined. The process runs at least as long as the workload would without failures (first
 * arrival to the last arrival + duration), up to the horizon if there is one, and each node fails
 * about once per mtbf + mttr: beyond MAX_RANDOM_FAILURES (say --mtbf 1e-12) the run would seem to
 * hang.
 */
export function randomFailuresProblem(mtbf: number, mttr: number, nodes: number, workload: Workload, horizon = Infinity): string | undefined {
  if (workload.length === 0) return undefined;
  let end = -Infinity;
  for (let i = 0; i < workload.length; i++) end = Math.max(end, workload.arrival[i]! + workload.duration[i]!);
  const span = Math.max(0, Math.min(end, horizon) - workload.arrival[0]!);
  const expected = (nodes * span) / (mtbf + mttr);
  if (!(expected > MAX_RANDOM_FAILURES)) return undefined;
  return `about ${expected.toPrecision(2)} node failures (${nodes} nodes, ${Number(span.toPrecision(6))} s of workload${horizon < end ? " up to the horizon" : ""}, one failure per node every mtbf + mttr s), more than ${MAX_RANDOM_FAILURES}: give larger means`;
}

/**
 * Node failures during a run. A failing node's running containers are killed (their resources
 * freed without a departure) and put back to start again from the beginning, or dropped as
 * `killed`; the node holds nothing until it recovers. Failure and recovery events come as one
 * ordered stream: at one time, recoveries before failures, each in node order; the simulator
 * gives the stream the departures' kind priority, so at one time departures come first, then
 * recoveries and failures, then arrivals. Once nothing is left to do (no arrival to come, nothing
 * queued or running) the stream stops: a random failure process would otherwise never end.
 *
 * The random process draws from one generator per node seeded with `seed/failures/<node id>`:
 * independent of the policy's generator and of the other nodes, the same for every policy.
 */
export class NodeFailures {
  private readonly events = new EventQueue(64);
  private readonly size: number;
  private readonly drop: boolean;
  private readonly maxRestarts: number;
  private readonly rngs: (() => number)[] | undefined;
  /** Node each container runs on now, -1 when not running. */
  private readonly runningOn: Int32Array;
  /** Containers running on each node, in start order. */
  private readonly onNode: Set<number>[];
  private readonly kills: Int32Array;
  private restarts = 0;
  private lostWork = 0;
  private nodeFailures = 0;
  private readonly nodesStarted = new Set<number>();
  /** Time of the failure or recovery being handled (the engine's clock at that event). */
  private now = 0;
  /** Engine events that are not arrivals or departures: failures, recoveries, stale departures. */
  ignoredEvents = 0;

  constructor(
    private readonly model: FailureModel,
    spec: ClusterSpec,
    private readonly workload: Workload,
    private readonly cluster: ClusterState,
    private readonly out: ContainerOutcomes,
    seed: number | string,
    options: FailureOptions,
    private readonly host: FailureHost,
  ) {
    this.size = spec.ids.length;
    this.drop = (options.onFailure ?? "requeue") === "drop";
    this.maxRestarts = options.maxRestarts ?? DEFAULT_MAX_RESTARTS;
    this.runningOn = new Int32Array(workload.length).fill(-1);
    this.kills = new Int32Array(workload.length);
    this.onNode = Array.from({ length: this.size }, () => new Set<number>());
    if (model.kind === "trace") {
      checkTrace(model.trace, this.size);
      const t = model.trace;
      for (let k = 0; k < t.node.length; k++) {
        this.push(t.down[k]!, t.node[k]!, true);
        if (t.up[k]! !== Infinity) this.push(t.up[k]!, t.node[k]!, false);
      }
    } else {
      if (!(model.mtbf > 0 && model.mtbf < Infinity) || !(model.mttr > 0 && model.mttr < Infinity)) {
        throw new RangeError(`mtbf and mttr must be finite numbers > 0 (got ${model.mtbf}, ${model.mttr})`);
      }
      const problem = randomFailuresProblem(model.mtbf, model.mttr, this.size, workload, options.horizon);
      if (problem !== undefined) throw new RangeError(`mtbf ${model.mtbf} s and mttr ${model.mttr} s would make ${problem}`);
      this.rngs = spec.ids.map((id) => seedrandom(`${seed}/failures/${id}`));
      const t0 = workload.length > 0 ? workload.arrival[0]! : 0;
      for (let node = 0; node < this.size; node++) this.push(t0 + this.draw(node, model.mtbf), node, true);
    }
  }

  /** The failure and recovery events, for the engine. */
  stream(): EventStream {
    return {
      peekTime: () => (this.events.length > 0 && this.host.workLeft() ? this.events.peekTime() : Infinity),
      fire: () => {
        this.now = this.events.peekTime();
        const payload = this.events.pop();
        this.ignoredEvents++;
        const node = payload >> 1;
        if (payload & 1) this.fail(node);
        else this.recover(node);
      },
    };
  }

  /** A container started on a node. */
  started(container: number, node: number): void {
    this.runningOn[container] = node;
    this.onNode[node]!.add(container);
  }

  /**
   * A departure event for a container: true when it is the end of the container's current run;
   * false for the departure of a run a failure killed (the engine cannot take events back), which
   * the simulator then skips.
   */
  departs(container: number, now: number): boolean {
    const node = this.runningOn[container]!;
    if (node < 0 || this.out.start[container]! + this.workload.duration[container]! / this.cluster.speed[node]! !== now) {
      this.ignoredEvents++;
      return false;
    }
    this.runningOn[container] = -1;
    this.onNode[node]!.delete(container);
    return true;
  }

  figures(): FailureFigures {
    return { restarts: this.restarts, lostWork: this.lostWork, nodeFailures: this.nodeFailures, nodesStarted: this.nodesStarted };
  }

  private fail(node: number): void {
    const now = this.now;
    if (this.cluster.down[node]) return;
    this.nodeFailures++;
    const again: number[] = [];
    for (const i of [...this.onNode[node]!].sort((a, b) => a - b)) {
      this.runningOn[i] = -1;
      this.host.release(i, node);
      this.lostWork += (this.workload.request[i * 3]! / MICRO) * (now - this.out.start[i]!);
      this.nodesStarted.add(node);
      this.kills[i]!++;
      if (this.drop || this.kills[i]! > this.maxRestarts) {
        this.out.state[i] = KILLED;
        this.out.reason[i] = this.drop ? NODE_FAILURE : RESTART_LIMIT;
      } else {
        this.out.node[i] = -1;
        this.out.start[i] = NaN;
        this.out.net[i] = NaN;
        this.restarts++;
        again.push(i);
      }
    }
    this.onNode[node]!.clear();
    this.cluster.takeDown(node);
    if (again.length > 0) this.host.requeue(again);
    this.host.settle("failure", node);
    if (this.model.kind === "random") this.push(now + this.draw(node, this.model.mttr), node, false);
  }

  private recover(node: number): void {
    const now = this.now;
    if (!this.cluster.down[node]) return;
    this.cluster.bringUp(node);
    this.host.settle("recovery", node);
    if (this.model.kind === "random") this.push(now + this.draw(node, this.model.mtbf), node, true);
  }

  private push(time: number, node: number, down: boolean): void {
    // Tie order at one time: recoveries (0·size + node) before failures (1·size + node).
    this.events.push(time, (down ? this.size : 0) + node, node * 2 + (down ? 1 : 0));
  }

  /** An exponential draw with the given mean, from the node's own generator. */
  private draw(node: number, mean: number): number {
    return -mean * Math.log(1 - this.rngs![node]!());
  }
}

/**
 * Checks a failure trace for a library caller (the file reader names lines instead): node indices
 * in range, 0 ≤ down < up, and no two intervals of one node overlapping.
 */
export function checkTrace(t: FailureTrace, size: number): void {
  const byNode = new Map<number, [number, number][]>();
  for (let k = 0; k < t.node.length; k++) {
    const node = t.node[k]!, down = t.down[k]!, up = t.up[k]!;
    if (!Number.isInteger(node) || node < 0 || node >= size) throw new RangeError(`failure ${k}: node index ${node} out of range 0..${size - 1}`);
    if (!(down >= 0 && down < Infinity) || !(up > down)) throw new RangeError(`failure ${k}: needs 0 ≤ down < up (got ${down}, ${up})`);
    const list = byNode.get(node) ?? [];
    list.push([down, up]);
    byNode.set(node, list);
  }
  for (const [node, list] of byNode) {
    list.sort((a, b) => a[0] - b[0]);
    for (let k = 1; k < list.length; k++) {
      if (list[k]![0] < list[k - 1]![1]) throw new RangeError(`node ${node}: down intervals [${list[k - 1]}] and [${list[k]}] overlap`);
    }
  }
}
