/**
 * The placement part of a run, alone: what a policy and the cluster's indexes cost per container,
 * without the event engine around them.
 *
 * `recordPlacements` runs `simulate()` once and logs, in the run's order, every start and every
 * end (container, node, request). `replayPlacements` then goes through that log on a fresh
 * cluster: at each start it asks the policy through the engine's own `chooseNode` (so a
 * score-form policy is the same linear scan) and checks that it answers the node of the run, then
 * takes the container's request from the node; at each end it gives the logged request back to the
 * logged node. Each take and give updates the cluster's indexes, as in a run. So a replay costs the
 * decisions that placed the containers plus the upkeep of the indexes, and nothing of the event
 * heap, the queue, the outcome columns or the lookup of an ending container's request.
 *
 * `steadyWindow` picks the steps of the log at the workload's steady load, and the replay also
 * reports the CPU time of those steps alone: with the same containers at every cluster size, a
 * cluster of 10,000 nodes spends half of them filling up from empty, one of 100 nodes almost none.
 *
 * Left out: decisions that found no node (a blocked queue head; often cut short by the free
 * maxima of the whole cluster), and `ctx.now`, which reads 0 (no built-in policy reads the clock).
 * Random draws only when a node is feasible, so the replay draws the run's sequence. A policy given
 * as an object rather than a factory keeps any state it has from the recording into the replay
 * (the built-ins with state, random and round-robin, are factories).
 */
import seedrandom from "seedrandom";
import { ClusterState } from "../src/model/cluster-state.ts";
import { chooseNode } from "../src/sim/placement.ts";
import { simulate, instantiate, type Policy, type PolicyContext, type PolicySource, type SimInputs, type Container } from "../src/index.ts";

/** Starts and ends of a run, in order. */
export interface PlacementLog {
  /** Container index + 1 for a start, −(index + 1) for an end. */
  readonly steps: Int32Array;
  /** The node of each step. */
  readonly nodes: Int32Array;
  /** The request of each step (cpu, mem, gpu in micro-units: 3 per step). */
  readonly requests: Float64Array;
  readonly length: number;
  /** Containers started. */
  readonly placed: number;
}

/** Steps [from, to) of a log. */
export interface StepWindow {
  readonly from: number;
  readonly to: number;
}

/** CPU time spent on the steps of a window, and the containers started in it. */
export interface WindowCost {
  /** User + system CPU time, µs. */
  readonly cpuMicros: number;
  readonly placed: number;
}

/**
 * The steps of a log at the workload's steady load: from the first start of a container that
 * arrived `settle` mean durations after the first arrival, to the last start (after it the cluster
 * only drains). With exponential durations and no queueing, the running count is then expected at
 * 1 − e^−settle of its equilibrium (95 % at the default 3; on the bench it was 93–95 % at the
 * window's opening and 98–100 % on average over the window). Durations are the workload's, as on
 * nodes of speed 1 (the bench's). Null when the log has no start that late.
 */
export function steadyWindow(inputs: SimInputs, log: PlacementLog, settle = 3): StepWindow | null {
  const { arrival, duration, length } = inputs.workload;
  if (length === 0) return null;
  let total = 0;
  for (let i = 0; i < length; i++) total += duration[i]!;
  const opens = arrival[0]! + settle * (total / length);
  let from = -1, to = -1;
  for (let k = 0; k < log.length; k++) {
    const step = log.steps[k]!;
    if (step <= 0) continue;
    if (from < 0 && arrival[step - 1]! >= opens) from = k;
    to = k + 1;
  }
  return from < 0 ? null : { from, to };
}

/** Runs the policy once (timeline off) and logs its starts and ends. */
export function recordPlacements(inputs: SimInputs, source: PolicySource, seed = 1): PlacementLog {
  const capacity = 2 * inputs.workload.length;
  const steps = new Int32Array(capacity), nodes = new Int32Array(capacity), requests = new Float64Array(3 * capacity);
  let length = 0, placed = 0;
  const note = (c: Container) => {
    requests[length * 3] = c.cpu;
    requests[length * 3 + 1] = c.mem;
    requests[length * 3 + 2] = c.gpu;
  };
  const logged = (): Policy => {
    const inner = instantiate(source);
    // The policy's own functions run on the policy itself, as in the replay; only the hooks log.
    const own = (f: ((...a: never[]) => unknown) | undefined) => f?.bind(inner);
    return Object.assign(Object.create(inner) as Policy, {
      select: own(inner.select),
      score: own(inner.score),
      tieBreak: own(inner.tieBreak),
      onStart(...args: Parameters<NonNullable<Policy["onStart"]>>) {
        note(args[0]);
        steps[length] = args[0].index + 1;
        nodes[length++] = args[1];
        placed++;
        inner.onStart?.apply(inner, args);
      },
      onEnd(...args: Parameters<NonNullable<Policy["onEnd"]>>) {
        note(args[0]);
        steps[length] = -(args[0].index + 1);
        nodes[length++] = args[1];
        inner.onEnd?.apply(inner, args);
      },
    });
  };
  simulate(inputs, { policy: logged, timeline: false, seed });
  return { steps, nodes, requests, length, placed };
}

/**
 * Replays a log on a fresh cluster (see above); throws if a decision differs from the run's.
 * Returns the CPU time of the steps in `window` (the whole log by default) and the starts there.
 */
export function replayPlacements(inputs: SimInputs, source: PolicySource, log: PlacementLog, seed = 1, window: StepWindow = { from: 0, to: log.length }): WindowCost {
  const { workload, cluster: spec, zones } = inputs;
  const policy = instantiate(source);
  const cluster = new ClusterState(spec, zones, { looseGate: policy.pure === true });
  const rng = seedrandom(String(seed));
  const ctx: PolicyContext = { now: 0, rng: () => rng() };
  const { from, to } = window;
  if (!(Number.isInteger(from) && Number.isInteger(to) && 0 <= from && from <= to && to <= log.length)) {
    throw new Error(`replay window ${from}..${to} is not within the log's ${log.length} steps`);
  }
  let opened = process.cpuUsage(), used = opened, placed = 0;
  for (let k = 0; k < log.length; k++) {
    if (k === from) opened = process.cpuUsage();
    if (k === to) used = process.cpuUsage(opened);
    const step = log.steps[k]!, node = log.nodes[k]!;
    if (step > 0) {
      if (k >= from && k < to) placed++;
      const c = workload.container(step - 1);
      const chosen = chooseNode(policy, c, cluster, ctx);
      if (chosen !== node) throw new Error(`replay of ${policy.name}: container ${c.id} went to node ${chosen}, not to ${node} as in the run`);
      cluster.take(node, c.cpu, c.mem, c.gpu);
      policy.onStart?.(c, node, cluster, ctx);
    } else {
      // The node and the request from the log, read in order: which container ends, and what it
      // holds, is the event engine's business (its departure looks the request up in the
      // workload's columns, a read scattered over the running containers that costs 0.1 µs more
      // at 10,000 nodes than at 100, beside no index work). The container record only for a
      // policy that has an onEnd hook.
      const r = 3 * k;
      cluster.give(node, log.requests[r]!, log.requests[r + 1]!, log.requests[r + 2]!);
      if (policy.onEnd) policy.onEnd(workload.container(-step - 1), node, cluster, ctx);
    }
  }
  if (from === log.length) opened = process.cpuUsage();
  if (to === log.length) used = process.cpuUsage(opened);
  return { cpuMicros: used.user + used.system, placed };
}
