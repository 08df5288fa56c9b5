import seedrandom from "seedrandom";
import { checkPolicy, checkSimulation } from "./validate.ts";
import { Engine } from "../engine/engine.ts";
import { CapacityClasses, ClusterState } from "../model/cluster-state.ts";
import { totalCapacity } from "../model/cluster.ts";
import { columnBuffer } from "../model/workload.ts";
import { UsageTracker } from "../metrics/usage.ts";
import { summarise } from "../metrics/summary.ts";
import { instantiate, type Container, type PolicyContext } from "../policy/types.ts";
import { chooseNode, decisionLimit, guardHooks } from "./placement.ts";
import { PendingQueue } from "./pending-queue.ts";
import { NodeFailures } from "./failures.ts";
import {
  FINISHED, NO_FIT, REJECTED, UNFINISHED, UNSCHEDULABLE,
  type ContainerOutcomes, type SimInputs, type SimOptions, type SimResult,
} from "./types.ts";

/** Kind priorities: at one time, departures go before arrivals. */
const DEPARTURE = 0;
const ARRIVAL = 1;
const PROGRESS_EVERY = 1 << 16;

/**
 * Runs one policy over a workload on a cluster, exactly as DESIGN.md's execution model says.
 * Pure: no I/O, no clock, no global state; the same inputs and seed give the same result.
 */
export function simulate(inputs: SimInputs, options: SimOptions): SimResult {
  const run = startSimulation(inputs, options);
  run.advance(Infinity);
  return run.finish();
}

/** A run of `simulate` taken in slices of events (see startSimulation). */
export interface Simulation {
  /** Processes at most `events` more events: true while some may be left, false once the run is over. */
  advance(events: number): boolean;
  /** The result, once `advance` has returned false. */
  finish(): SimResult;
}

/**
 * `simulate` in slices: the same checks, events and result, but the caller drives the run with
 * `advance(events)` and can give its thread back between slices (the CLI does, so that a Ctrl-C
 * is heard during a long run). Still pure: nothing happens between two calls.
 */
export function startSimulation(inputs: SimInputs, options: SimOptions): Simulation {
  checkSimulation(inputs, options);
  const { workload, cluster: spec, zones } = inputs;
  const queue = options.queue ?? "fifo";
  const seed = options.seed ?? 1;
  const horizon = options.horizon;
  const made = instantiate(options.policy);
  checkPolicy(made);
  const policy = guardHooks(made);
  const limit = decisionLimit(options);
  const n = workload.length;

  const cluster = new ClusterState(spec, zones, { looseGate: policy.pure === true });
  const classes = new CapacityClasses(spec);
  const engine = new Engine();
  const rng = seedrandom(String(seed));
  const ctx: PolicyContext = { get now() { return engine.now; }, rng: () => rng() };
  const usage = new UsageTracker(n > 0 ? workload.arrival[0]! : 0, totalCapacity(spec), options.timeline ?? true, 2 * n + 1, options.onTimeline);
  const pending = new PendingQueue();

  const out = options.outcomes ? resetOutcomes(options.outcomes, n) : createOutcomes(n);
  // Containers 0 … settled − 1 have their final outcome (onSettled tells a writer how far it can
  // go). It looks every settleEvery events: a few dozen times a run, for a writer to keep up.
  let settled = 0, sinceSettled = 0;
  const settleEvery = Math.min(1 << 15, Math.max(1 << 10, n >> 5));
  const onSettled = options.onSettled;
  const settle = (): void => {
    sinceSettled = 0;
    const before = settled;
    while (settled < n && out.state[settled] !== UNFINISHED) settled++;
    if (settled > before) onSettled!(settled, out);
  };

  const start = (c: Container, node: number): void => {
    const now = engine.now;
    cluster.take(node, c.cpu, c.mem, c.gpu);
    usage.started(now, c.cpu, c.mem, c.gpu);
    out.node[c.index] = node;
    out.start[c.index] = now;
    out.net[c.index] = cluster.net(c, node);
    engine.scheduleAt(now + c.duration / cluster.speed[node]!, DEPARTURE, c.index);
    policy.onStart?.(c, node, cluster, ctx);
    failures?.started(c.index, node);
  };

  /** Starts what the discipline allows from the pending queue. */
  const schedule = (): void => {
    if (queue === "fifo") {
      for (let c = pending.head(); c; c = pending.head()) {
        const node = chooseNode(policy, c, cluster, ctx, limit);
        if (node < 0) break;
        pending.shift();
        start(c, node);
      }
    } else if (queue === "backfill") {
      pending.retain((c) => {
        const node = chooseNode(policy, c, cluster, ctx, limit);
        if (node < 0) return true;
        start(c, node);
        return false;
      });
    }
  };

  const record = () => usage.timeline?.record(engine.now, usage.allocated, cluster.totalRunning, pending.length);

  let nextArrival = 0;
  engine.addStream(ARRIVAL, {
    peekTime: () => (nextArrival < n ? workload.arrival[nextArrival]! : Infinity),
    fire: () => {
      const i = nextArrival++;
      const c = workload.container(i);
      if (!classes.canEverHold(c.cpu, c.mem, c.gpu)) {
        reject(i, UNSCHEDULABLE);
      } else if (queue === "reject") {
        const node = chooseNode(policy, c, cluster, ctx, limit);
        if (node < 0) reject(i, NO_FIT);
        else start(c, node);
      } else {
        pending.push(c);
        schedule();
      }
      if (usage.timeline) record();
      options.observer?.({ time: engine.now, kind: "arrival", container: i, cluster, queued: pending.length, outcomes: out });
      if (options.onProgress && nextArrival % PROGRESS_EVERY === 0) options.onProgress(nextArrival, n);
      if (onSettled && ++sinceSettled === settleEvery) settle();
    },
  });

  const reject = (i: number, reason: number) => {
    out.state[i] = REJECTED;
    out.reason[i] = reason;
  };

  engine.on(DEPARTURE, (i) => {
    if (failures && !failures.departs(i, engine.now)) return; // the run was killed by a node failure
    const node = out.node[i]!;
    const cpu = workload.request[i * 3]!, mem = workload.request[i * 3 + 1]!, gpu = workload.request[i * 3 + 2]!;
    cluster.give(node, cpu, mem, gpu);
    usage.ended(engine.now, cpu, mem, gpu);
    out.end[i] = engine.now;
    out.state[i] = FINISHED;
    if (policy.onEnd) policy.onEnd(workload.container(i), node, cluster, ctx);
    schedule();
    if (usage.timeline) record();
    options.observer?.({ time: engine.now, kind: "departure", container: i, cluster, queued: pending.length, outcomes: out });
    if (onSettled && ++sinceSettled === settleEvery) settle();
  });

  // Node failures (src/sim/failures.ts): absent, nothing here runs and results are as without.
  const failures = options.failures ? new NodeFailures(options.failures, spec, workload, cluster, out, seed, options, {
    workLeft: () => nextArrival < n || pending.length > 0 || cluster.totalRunning > 0,
    release: (i, node) => {
      const c = workload.container(i);
      cluster.give(node, c.cpu, c.mem, c.gpu);
      usage.released(engine.now, c.cpu, c.mem, c.gpu);
      policy.onEnd?.(c, node, cluster, ctx);
    },
    requeue: (killed) => {
      if (queue !== "reject") return pending.insertInOrder(killed.map((i) => workload.container(i)));
      for (const i of killed) {
        const c = workload.container(i), node = chooseNode(policy, c, cluster, ctx, limit);
        if (node < 0) reject(i, NO_FIT);
        else start(c, node);
      }
    },
    settle: (kind, node) => {
      schedule();
      if (usage.timeline) record();
      options.observer?.({ time: engine.now, kind, container: -1, node, cluster, queued: pending.length, outcomes: out });
    },
  }) : undefined;
  if (failures) engine.addStream(DEPARTURE, failures.stream());

  /** The summary and the last calls to the caller's hooks, once the events are over. */
  const result = (): SimResult => {
    options.onProgress?.(nextArrival, n);

    const summary = summarise(policy.name, workload, spec, out, {
      utilisation: usage.utilisation(),
      peak: usage.peak,
      firstArrival: usage.start,
      lastDeparture: usage.lastDeparture,
      events: engine.processed - (failures?.ignoredEvents ?? 0),
      failures: failures?.figures(),
    });
    usage.timeline?.finish();
    // What is still unfinished now stays so. (An empty workload gets its one call too.)
    if (onSettled && (settled < n || n === 0)) onSettled(n, out);
    const timeline = options.onTimeline ? undefined : usage.timeline;
    return { policy: policy.name, queue, seed, horizon, containers: out, summary, timeline };
  };

  let over = false, done: SimResult | undefined, failed: unknown;
  /** A run that threw stays failed: going on would give a result that looks right and is not. */
  const stillGood = (): void => {
    if (failed !== undefined) throw new Error(`this run failed earlier and cannot go on: ${failed instanceof Error ? failed.message : String(failed)}`);
  };
  return {
    advance: (events: number): boolean => {
      if (!(events >= 1 && (Number.isInteger(events) || events === Infinity))) throw new RangeError(`advance(events): events must be a whole number ≥ 1 or Infinity (got ${events})`);
      stillGood();
      try {
        if (!over) over = !engine.runFor(events, horizon ?? Infinity);
      } catch (err) {
        failed = err ?? new Error(String(err));
        throw err;
      }
      return !over;
    },
    finish: (): SimResult => {
      stillGood();
      if (!over) throw new Error("finish() before the run is over: call advance until it returns false");
      return (done ??= result());
    },
  };
}

/**
 * Outcome columns for n containers, all unfinished; in SharedArrayBuffers when `shared`, so that a
 * worker thread given them reads them as they fill (see SimOptions.outcomes).
 */
export function createOutcomes(n: number, shared = false): ContainerOutcomes {
  const memory = (bytes: number) => columnBuffer(bytes, shared);
  return resetOutcomes({
    node: new Int32Array(memory(4 * n)),
    start: new Float64Array(memory(8 * n)),
    end: new Float64Array(memory(8 * n)),
    net: new Float64Array(memory(8 * n)),
    state: new Uint8Array(memory(n)),
    reason: new Uint8Array(memory(n)),
  }, n);
}

/** Sets every outcome back to unfinished, after checking the columns hold n containers. */
function resetOutcomes(out: ContainerOutcomes, n: number): ContainerOutcomes {
  for (const [name, column] of Object.entries(out)) {
    if ((column as ArrayLike<number>).length !== n) throw new RangeError(`outcomes.${name} holds ${(column as ArrayLike<number>).length} containers, the workload ${n}`);
  }
  out.node.fill(-1);
  out.start.fill(NaN);
  out.end.fill(NaN);
  out.net.fill(NaN);
  out.state.fill(UNFINISHED);
  out.reason.fill(0);
  return out;
}
