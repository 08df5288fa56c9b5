import type { ClusterSpec } from "../model/cluster.ts";
import type { Workload } from "../model/workload.ts";
import type { ZoneTable } from "../model/zones.ts";
import type { Timeline } from "../metrics/usage.ts";
import type { TimelineSink } from "../metrics/timeline.ts";
import type { ClusterView, PolicySource } from "../policy/types.ts";
import type { Summary } from "../metrics/summary.ts";

export type QueueDiscipline = "fifo" | "backfill" | "reject";
export const QUEUE_DISCIPLINES: readonly QueueDiscipline[] = ["fifo", "backfill", "reject"];

/** What a run reads: parsed once, shared by every policy of a comparison. */
export interface SimInputs {
  readonly workload: Workload;
  readonly cluster: ClusterSpec;
  /** Zone names and latencies; node and container zone indices point into it. */
  readonly zones: ZoneTable;
}

export interface SimOptions {
  readonly policy: PolicySource;
  readonly queue?: QueueDiscipline;
  /** Seed of the run's generator (seedrandom); default 1. */
  readonly seed?: number | string;
  /** Events after this time are not processed; default none. */
  readonly horizon?: number;
  /** Record the allocation timeline (default true). */
  readonly timeline?: boolean;
  /**
   * Receives the timeline in batches of final rows, in order, instead of the result keeping it
   * (`result.timeline` is then undefined): memory stays bounded on long runs, and a writer can
   * format rows while the run goes on. Not called when `timeline` is false.
   */
  readonly onTimeline?: TimelineSink;
  /**
   * Called after every event with the container it concerned and the cluster as it is then (for
   * tests of invariants and for tracing; it must not change anything).
   */
  readonly observer?: (event: ObservedEvent) => void;
  /**
   * Wall-clock limit of one policy decision, ms (off when absent or 0): a slower decision stops the
   * run with a PolicyError. Measured with `clock` (ms; default `performance.now`), which only the
   * caller's choice brings into the otherwise clock-free simulator. Not deterministic by nature.
   */
  readonly decisionTimeoutMs?: number;
  readonly clock?: () => number;
  /**
   * With `decisionTimeoutMs`: cells where each decision writes, as it starts, [its start by
   * `clock`, the container's index, the simulated time], and NaN into the first cell when it
   * returns. The run measures a decision only when it returns; a caller that runs `simulate` in a
   * worker thread shares these cells (a Float64Array over a SharedArrayBuffer) to see a decision
   * that never returns, and stop the thread (as `run` does).
   */
  readonly decisionWatch?: Float64Array;
  /**
   * Node failures (see docs/failures.md): a trace of down/up intervals, or a random process with
   * mean time between failures and mean time to repair. Absent: no node ever fails.
   */
  readonly failures?: FailureModel;
  /** What happens to a failed node's running containers: restart from the beginning (default) or drop as `killed`. */
  readonly onFailure?: OnFailure;
  /** A container killed this many times is not restarted again but dropped as `killed` (default 100). */
  readonly maxRestarts?: number;
  /**
   * Called now and then during the run with k such that containers 0 … k − 1 have their final
   * outcome in `outcomes` (those entries do not change again), k growing from call to call, the
   * last call with k = the number of containers (made at the end if no earlier call reached it;
   * an empty workload gets one call with 0). A writer can format those rows of
   * containers.csv while the run goes on (with shared `outcomes`, in another thread).
   */
  readonly onSettled?: (settled: number, outcomes: ContainerOutcomes) => void;
  /**
   * Where to keep the per-container outcomes (createOutcomes(n), or those of an earlier run of the
   * same workload): the run starts them afresh and returns them as `result.containers`. Runs that
   * share them one after the other reuse memory instead of touching fresh memory each time, and
   * columns made with createOutcomes(n, true) live in SharedArrayBuffers that a worker thread
   * reads as they fill (needs SharedArrayBuffer: in a browser, a cross-origin-isolated page).
   * The columns are the result's own, not a copy: a run that reuses them overwrites what an
   * earlier result shows. Default: new columns.
   */
  readonly outcomes?: ContainerOutcomes;
  /** Called now and then with the number of arrivals processed so far. */
  readonly onProgress?: (arrivalsProcessed: number, total: number) => void;
}

export interface ObservedEvent {
  readonly time: number;
  /** `failure` and `recovery` happen only with a failure model. */
  readonly kind: "arrival" | "departure" | "failure" | "recovery";
  /** Trace index of the container that arrived or departed; -1 for a failure or recovery. */
  readonly container: number;
  /** The node that failed or recovered (failure and recovery only). */
  readonly node?: number;
  readonly cluster: ClusterView;
  /** Containers waiting in the queue after the event. */
  readonly queued: number;
  /** Outcomes so far (final states are set when a container finishes or is rejected). */
  readonly outcomes: ContainerOutcomes;
}

/** A container's final state. */
export const FINISHED = 1;
export const REJECTED = 2;
export const UNFINISHED = 3;
/** Killed by a node failure and not restarted (`--on-failure drop`, or past the restart limit). */
export const KILLED = 4;
export const STATE_NAMES = ["", "finished", "rejected", "unfinished", "killed"] as const;

/** Why a container was rejected. */
export const UNSCHEDULABLE = 1;
export const NO_FIT = 2;
/** Reasons of a `killed` container: its node failed (drop), or it was killed `maxRestarts` times. */
export const NODE_FAILURE = 3;
export const RESTART_LIMIT = 4;
export const REASON_NAMES = ["", "unschedulable", "no-fit", "node-failure", "restart-limit"] as const;

/** Node failures: given intervals, or a seeded random process. */
export type FailureModel =
  | { readonly kind: "trace"; readonly trace: FailureTrace }
  | { readonly kind: "random"; readonly mtbf: number; readonly mttr: number };

/** Down intervals [down, up) by node index; `up` is Infinity for a node that never comes back. */
export interface FailureTrace {
  readonly node: Int32Array;
  readonly down: Float64Array;
  readonly up: Float64Array;
}

export type OnFailure = "requeue" | "drop";
export const ON_FAILURE: readonly OnFailure[] = ["requeue", "drop"];

/** Per-container outcome, as columns in trace order. NaN / -1 where a field does not apply. */
export interface ContainerOutcomes {
  /** Node index, -1 if never started. */
  readonly node: Int32Array;
  readonly start: Float64Array;
  /** End time; NaN unless finished. */
  readonly end: Float64Array;
  /** latency + startup on its node; NaN if never started. */
  readonly net: Float64Array;
  readonly state: Uint8Array;
  readonly reason: Uint8Array;
}

export interface SimResult {
  readonly policy: string;
  readonly queue: QueueDiscipline;
  readonly seed: number | string;
  readonly horizon: number | undefined;
  readonly containers: ContainerOutcomes;
  readonly summary: Summary;
  readonly timeline: Timeline | undefined;
}
