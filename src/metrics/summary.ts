import { mean, quantileSorted } from "d3-array";
import type { Workload } from "../model/workload.ts";
import type { ClusterSpec } from "../model/cluster.ts";
import { MICRO } from "../model/resources.ts";
import { FINISHED, KILLED, NO_FIT, REJECTED, UNFINISHED, UNSCHEDULABLE, type ContainerOutcomes } from "../sim/types.ts";

/** One policy's figures, DESIGN.md's summary columns in order, then extra columns. */
export interface Summary {
  policy: string;
  finished: number;
  rejected: number;
  unfinished: number;
  R: number;
  R_mem: number;
  R_gpu: number;
  P: number;
  D: number;
  D_wait: number;
  D_net: number;
  util_cpu: number;
  util_mem: number;
  util_gpu: number;
  peak_cpu: number;
  peak_mem: number;
  peak_gpu: number;
  /** Statistics over finished containers; undefined (an empty field) when none finished. */
  wait_mean: number | undefined;
  wait_p50: number | undefined;
  wait_p95: number | undefined;
  wait_p99: number | undefined;
  slowdown_mean: number | undefined;
  makespan: number;
  nodes_used: number;
  events: number;
  rejected_unschedulable: number;
  rejected_no_fit: number;
  /** Node failures (docs/failures.md); all 0 without a failure model. Runs killed and started again. */
  restarts: number;
  /** Core-seconds of the runs that node failures killed (work thrown away). */
  lost_work: number;
  /** Containers that ended in state `killed`. */
  killed: number;
  /** Node failures that happened during the run. */
  node_failures: number;
}

export const SUMMARY_COLUMNS: readonly (keyof Summary)[] = [
  "policy", "finished", "rejected", "unfinished", "R", "R_mem", "R_gpu", "P", "D", "D_wait", "D_net",
  "util_cpu", "util_mem", "util_gpu", "peak_cpu", "peak_mem", "peak_gpu", "wait_mean", "wait_p50",
  "wait_p95", "wait_p99", "slowdown_mean", "makespan", "nodes_used", "events",
  "rejected_unschedulable", "rejected_no_fit", "restarts", "lost_work", "killed", "node_failures",
];

/** Where containerFigures writes each figure. */
export const FIG_WAIT = 0, FIG_RUNTIME = 1, FIG_R = 2, FIG_P = 3, FIG_D = 4;

/**
 * Per-container derived figures of a started container (DESIGN.md's metric definitions), written
 * into `into` at FIG_WAIT, FIG_RUNTIME, FIG_R, FIG_P and FIG_D: an array the caller reuses, since
 * an object per container made millions of them per run (each number in it a heap object too).
 */
export function containerFigures(duration: number, arrival: number, start: number, end: number, net: number, cpuMicro: number, into: Float64Array): void {
  const wait = start - arrival;
  const runtime = end - start;
  const turnaround = wait + runtime;
  into[FIG_WAIT] = wait;
  into[FIG_RUNTIME] = runtime;
  into[FIG_R] = (cpuMicro / MICRO) * runtime;
  into[FIG_P] = turnaround === 0 ? 1 : duration / turnaround;
  into[FIG_D] = wait + net;
}

export interface UsageFigures {
  utilisation: readonly number[];
  peak: readonly number[];
  firstArrival: number;
  lastDeparture: number;
  events: number;
  /** With a failure model: what failures did, and the nodes where a killed run had started. */
  failures?: FailureFigures;
}

export interface FailureFigures {
  restarts: number;
  lostWork: number;
  nodeFailures: number;
  /** Nodes that started a run later killed (they count in nodes_used). */
  nodesStarted: Iterable<number>;
}

/** Sums R, P, D over finished containers and gathers the other figures of a run. */
export function summarise(policy: string, workload: Workload, cluster: ClusterSpec, out: ContainerOutcomes, usage: UsageFigures): Summary {
  let finished = 0, unfinished = 0, unschedulable = 0, noFit = 0, killed = 0;
  let R = 0, Rmem = 0, Rgpu = 0, P = 0, Dwait = 0, Dnet = 0, D = 0;
  const waits = new Float64Array(workload.length);
  let waitCount = 0;
  let slowdownSum = 0;
  const nodeUsed = new Uint8Array(cluster.ids.length);
  const f = new Float64Array(5);
  for (let i = 0; i < workload.length; i++) {
    const state = out.state[i]!;
    if (out.node[i]! >= 0) nodeUsed[out.node[i]!] = 1;
    if (state === UNFINISHED) unfinished++;
    else if (state === KILLED) killed++;
    else if (state === REJECTED) {
      if (out.reason[i] === UNSCHEDULABLE) unschedulable++;
      else if (out.reason[i] === NO_FIT) noFit++;
    } else if (state === FINISHED) {
      finished++;
      const duration = workload.duration[i]!;
      const net = out.net[i]!;
      containerFigures(duration, workload.arrival[i]!, out.start[i]!, out.end[i]!, net, workload.request[i * 3]!, f);
      const wait = f[FIG_WAIT]!, runtime = f[FIG_RUNTIME]!;
      R += f[FIG_R]!;
      Rmem += (workload.request[i * 3 + 1]! / MICRO) * runtime;
      Rgpu += (workload.request[i * 3 + 2]! / MICRO) * runtime;
      P += f[FIG_P]!;
      D += f[FIG_D]!;
      Dwait += wait;
      Dnet += net;
      waits[waitCount++] = wait;
      slowdownSum += duration === 0 ? 1 : (wait + runtime) / duration;
    }
  }
  for (const node of usage.failures?.nodesStarted ?? []) nodeUsed[node] = 1;
  // One sort serves every quantile: quantileSorted is d3's R-7 on sorted data, as quantile is.
  const waitMean = mean(waits.subarray(0, waitCount)); // in trace order, before the sort
  const sortedWaits = waits.subarray(0, waitCount).sort() as unknown as number[]; // d3 reads it by index
  const makespan = Number.isNaN(usage.lastDeparture) ? 0 : usage.lastDeparture - usage.firstArrival;
  return {
    policy,
    finished,
    rejected: unschedulable + noFit,
    unfinished,
    R,
    R_mem: Rmem,
    R_gpu: Rgpu,
    P,
    D,
    D_wait: Dwait,
    D_net: Dnet,
    util_cpu: usage.utilisation[0]!,
    util_mem: usage.utilisation[1]!,
    util_gpu: usage.utilisation[2]!,
    peak_cpu: usage.peak[0]!,
    peak_mem: usage.peak[1]!,
    peak_gpu: usage.peak[2]!,
    wait_mean: waitMean,
    wait_p50: quantileSorted(sortedWaits, 0.5),
    wait_p95: quantileSorted(sortedWaits, 0.95),
    wait_p99: quantileSorted(sortedWaits, 0.99),
    slowdown_mean: finished > 0 ? slowdownSum / finished : undefined,
    makespan,
    nodes_used: nodeUsed.reduce((a, b) => a + b, 0),
    events: usage.events,
    rejected_unschedulable: unschedulable,
    rejected_no_fit: noFit,
    restarts: usage.failures?.restarts ?? 0,
    lost_work: usage.failures?.lostWork ?? 0,
    killed,
    node_failures: usage.failures?.nodeFailures ?? 0,
  };
}
