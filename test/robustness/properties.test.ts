/**
 * Property tests with node failures: random traces, clusters, failure traces or random failure
 * processes, policies (the built-ins and a user-style policy with its own index), disciplines,
 * `onFailure` and restart limits. After every event (the `observer` of simulate):
 *  - time never goes backwards;
 *  - no node's allocation exceeds its capacity or goes negative; a down node holds nothing;
 *  - free capacity is exactly capacity minus what the containers running there took (so what a
 *    departure or a kill frees is exactly what the start took);
 *  - every arrived container is in exactly one of: queued, running, finished, rejected, killed.
 * At the end: the extended accounting invariant (docs/failures.md), and, with failures off, the
 * same files as a run without the failures module.
 *
 * SCHEDSIM_PROPERTY_RUNS sets the number of random cases per property (default 150); for a long
 * search: `SCHEDSIM_PROPERTY_RUNS=10000 npx vitest run test/robustness/properties.test.ts`.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  BUILTIN_POLICIES, FINISHED, KILLED, MICRO, NODE_FAILURE, NO_FIT, QUEUE_DISCIPLINES,
  REJECTED, RESTART_LIMIT, UNFINISHED, UNSCHEDULABLE,
  containersCsv, simulate, summaryCsv, timelineCsv,
  type FailureModel, type ObservedEvent, type OnFailure, type PolicySource, type SelectPolicy, type SimInputs, type SimOptions,
} from "../../src/index.ts";
import { inputs, joined } from "../helpers.ts";

const RUNS = Number(process.env.SCHEDSIM_PROPERTY_RUNS ?? 150);
/** A property runs synchronously: vitest cannot cut it short, but would mark it failed past its timeout. */
const TIMEOUT = Math.max(60_000, RUNS * 100);

const amount = (max: number) => fc.integer({ min: 0, max: max * 10 }).map((k) => k / 10);

const nodeArb = fc.record({
  cpu: amount(4),
  mem: amount(4),
  gpu: fc.oneof(fc.constant(0), amount(2)),
  speed: fc.constantFrom(0.5, 1, 1, 2),
  startup: fc.constantFrom(0, 0, 0.5),
});

const containerArb = fc.record({
  gap: fc.constantFrom(0, 0, 0.1, 0.5, 1, 3),
  duration: fc.constantFrom(0, 0.1, 0.5, 1, 2.5, 7, 20, 40),
  cpu: amount(3),
  mem: amount(3),
  gpu: fc.oneof(fc.constant(0), fc.constant(0), amount(1)),
});

/** Down intervals per node as (gap before, length or never); times land on the arrivals' grid often. */
const intervalArb = fc.record({
  node: fc.nat({ max: 5 }),
  gap: fc.constantFrom(0, 0.5, 1, 2, 3.5),
  length: fc.oneof(fc.constantFrom(0.1, 0.5, 1, 3, 10), fc.constant(Infinity)),
});

const failureArb = fc.oneof(
  fc.record({ kind: fc.constant("none" as const) }),
  fc.record({ kind: fc.constant("trace" as const), intervals: fc.array(intervalArb, { minLength: 1, maxLength: 12 }) }),
  fc.record({ kind: fc.constant("random" as const), mtbf: fc.constantFrom(0.5, 2, 5, 20), mttr: fc.constantFrom(0.1, 1, 4) }),
);

const scenarioArb = fc.record({
  nodes: fc.array(nodeArb, { minLength: 1, maxLength: 5 }),
  containers: fc.array(containerArb, { minLength: 1, maxLength: 20 }),
  failures: failureArb,
  policy: fc.constantFrom(...BUILTIN_POLICIES.keys(), "bookkeeper"),
  queue: fc.constantFrom(...QUEUE_DISCIPLINES),
  onFailure: fc.constantFrom<OnFailure>("requeue", "requeue", "drop"),
  maxRestarts: fc.constantFrom(0, 1, 3, 100, 100),
  horizon: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(2, 6, 20) }),
  seed: fc.nat({ max: 1_000_000 }),
}).filter((s) => s.nodes.some((n) => n.cpu + n.mem + n.gpu > 0));

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function toInputs(s: Scenario): SimInputs {
  const cluster = ["id,cpu,mem,gpu,speed,startup", ...s.nodes.map((n, i) => `n${i},${n.cpu},${n.mem},${n.gpu},${n.speed},${n.startup}`)].join("\n");
  let t = 0;
  const workload = ["id,arrival,duration,cpu,mem,gpu", ...s.containers.map((c, i) => `c${i},${(t += c.gap)},${c.duration},${c.cpu},${c.mem},${c.gpu}`)].join("\n");
  return inputs({ workload, cluster });
}

/** The scenario's failure model: intervals laid end to end per node (never overlapping). */
function failureModel(s: Scenario): FailureModel | undefined {
  const f = s.failures;
  if (f.kind === "none") return undefined;
  if (f.kind === "random") return { kind: "random", mtbf: f.mtbf, mttr: f.mttr };
  const size = s.nodes.length, free = new Float64Array(size);
  const node: number[] = [], down: number[] = [], up: number[] = [];
  for (const iv of f.intervals) {
    const n = iv.node % size;
    if (free[n] === Infinity) continue; // that node is gone for good
    const d = free[n]! + iv.gap;
    node.push(n); down.push(d); up.push(d + iv.length);
    free[n] = d + iv.length;
  }
  return { kind: "trace", trace: { node: Int32Array.from(node), down: Float64Array.from(down), up: Float64Array.from(up) } };
}

/**
 * A user-style select policy with its own index: it counts containers per node from onStart and
 * onEnd, and refuses to go on when its count differs from the cluster's (a kill must call onEnd).
 * It picks a random feasible node with the run's generator.
 */
const bookkeeper: PolicySource = (): SelectPolicy => {
  let count: Int32Array | undefined;
  return {
    name: "bookkeeper",
    select(c, cluster, ctx) {
      count ??= new Int32Array(cluster.size);
      for (let n = 0; n < cluster.size; n++) if (count[n] !== cluster.running[n]) throw new Error(`index out of step on node ${n}`);
      const feasible: number[] = [];
      for (let n = 0; n < cluster.size; n++) if (cluster.fits(c, n)) feasible.push(n);
      return feasible.length === 0 ? null : feasible[Math.floor(ctx.rng() * feasible.length)]!;
    },
    onStart(_c, node, cluster) { (count ??= new Int32Array(cluster.size))[node]!++; },
    onEnd(_c, node) { count![node]!--; },
  };
};

const policyOf = (name: string) => (name === "bookkeeper" ? bookkeeper : BUILTIN_POLICIES.get(name)!);

function options(s: Scenario, failures: FailureModel | undefined, observer?: (e: ObservedEvent) => void): SimOptions {
  return {
    policy: policyOf(s.policy), queue: s.queue, seed: s.seed, horizon: s.horizon ?? undefined,
    failures, onFailure: s.onFailure, maxRestarts: s.maxRestarts, observer,
  };
}

function checkScenario(s: Scenario): void {
  const inp = toInputs(s);
  const { workload: w, cluster: spec } = inp;
  const n = w.length, size = spec.ids.length;
  const failures = failureModel(s);
  let last = -Infinity, arrived = 0, lastTime = NaN;

  // Plain comparisons in the hot loop (expect() per field would dominate the run time); the first
  // broken rule fails the test with the event and the rule.
  const observer = (e: ObservedEvent) => {
    const broken = (rule: string) => expect.fail(`t=${e.time} after ${e.kind} ${e.container >= 0 ? `of c${e.container}` : `of node ${e.node}`}: ${rule}`);
    if (e.time < last) broken(`time went back from ${last}`);
    if (s.horizon !== null && e.time > s.horizon) broken("an event after the horizon");
    last = lastTime = e.time;
    if (e.kind === "arrival") arrived++;
    if ((e.kind === "failure" || e.kind === "recovery") && !failures) broken("a failure without a failure model");

    const used = new Float64Array(size * 3), running = new Int32Array(size);
    const counts = [0, 0, 0, 0, 0];
    for (let i = 0; i < n; i++) {
      const state = e.outcomes.state[i]!, node = e.outcomes.node[i]!;
      if (state === UNFINISHED && node >= 0) {
        running[node]!++;
        for (let k = 0; k < 3; k++) used[node * 3 + k]! += w.request[i * 3 + k]!;
      }
      counts[state]!++;
    }
    let totalRunning = 0;
    const down = (e.cluster as unknown as { down: Uint8Array }).down;
    for (let node = 0; node < size; node++) {
      for (let k = 0; k < 3; k++) {
        const cap = e.cluster.capacity[node * 3 + k]!, free = e.cluster.free[node * 3 + k]!;
        if (down[node]) {
          if (free !== -1) broken(`down node n${node} has free ${free} of resource ${k}, not -1`);
        } else {
          if (free < 0 || free > cap) broken(`node n${node} resource ${k}: free ${free} outside 0..${cap}`);
          if (free !== cap - used[node * 3 + k]!) broken(`node n${node} resource ${k}: free ${free}, but capacity ${cap} − running ${used[node * 3 + k]}`);
        }
      }
      if (down[node] && running[node] !== 0) broken(`down node n${node} runs ${running[node]} containers`);
      if (e.cluster.running[node] !== running[node]) broken(`node n${node} counts ${e.cluster.running[node]} running, the outcomes ${running[node]}`);
      totalRunning += running[node]!;
    }
    // Exactly one state each: the arrived ones are queued, running, finished, rejected or killed.
    const queued = e.queued;
    if (s.queue === "reject" && queued !== 0) broken("a queue in reject mode");
    const accounted = queued + totalRunning + counts[FINISHED]! + counts[REJECTED]! + counts[KILLED]!;
    if (accounted !== arrived) broken(`${arrived} arrived, but ${accounted} queued, running or done`);
    if (!failures && counts[KILLED] !== 0) broken("killed without failures");
  };

  const result = simulate(inp, options(s, failures, observer));
  const o = result.containers, sum = result.summary;

  let finished = 0, rejected = 0, unfinished = 0, killed = 0, stillRunningWork = 0;
  for (let i = 0; i < n; i++) {
    const state = o.state[i]!, reason = o.reason[i]!, node = o.node[i]!;
    if (state === FINISHED) {
      finished++;
      expect(o.end[i]).toBe(o.start[i]! + w.duration[i]! / spec.speed[node]!);
      expect(o.start[i]).toBeGreaterThanOrEqual(w.arrival[i]!);
    } else if (state === REJECTED) {
      rejected++;
      expect([UNSCHEDULABLE, NO_FIT]).toContain(reason);
    } else if (state === KILLED) {
      killed++;
      expect(failures).toBeDefined();
      expect(reason).toBe(s.onFailure === "drop" ? NODE_FAILURE : RESTART_LIMIT);
      expect(node).toBeGreaterThanOrEqual(0);
    } else {
      expect(state).toBe(UNFINISHED);
      unfinished++;
      if (node >= 0) stillRunningWork += (w.request[i * 3]! / MICRO) * (lastTime - o.start[i]!);
    }
  }
  expect(finished + rejected + unfinished + killed).toBe(n);
  expect([sum.finished, sum.rejected, sum.unfinished, sum.killed]).toEqual([finished, rejected, unfinished, killed]);
  if (!failures) expect([sum.restarts, sum.lost_work, sum.node_failures]).toEqual([0, 0, 0]);
  if (s.onFailure === "drop") expect(sum.restarts).toBe(0);
  if (s.horizon === null) expect(unfinished === 0 || failures !== undefined).toBe(true);

  // Nothing lost in the resources: ∫ allocated cpu dt = R + lost work + the runs still going.
  const t = result.timeline!;
  let integral = 0;
  for (let k = 0; k < t.length; k++) {
    const next = k + 1 < t.length ? t.time[k + 1]! : lastTime;
    integral += (t.cpu[k]! / MICRO) * (next - t.time[k]!);
  }
  expect(integral).toBeCloseTo(sum.R + sum.lost_work + stillRunningWork, 6);
}

/** The result files of a run. */
function files(inp: SimInputs, opts: SimOptions): string[] {
  const r = simulate(inp, opts);
  return [joined(containersCsv(r, inp.workload, inp.cluster)), joined(timelineCsv(r.timeline!)), summaryCsv([r.summary])];
}

describe("properties with node failures", () => {
  it("after every event: capacity respected, exact bookkeeping, one state each; accounting at the end", () => {
    fc.assert(fc.property(scenarioArb, checkScenario), { numRuns: RUNS });
  }, TIMEOUT);

  it("with failures off (an empty trace, or a process that never fires) the files are those of a run without the failures module", () => {
    fc.assert(fc.property(scenarioArb, (s) => {
      const inp = toInputs(s);
      const without = files(inp, options(s, undefined));
      expect(files(inp, options(s, { kind: "trace", trace: { node: new Int32Array(0), down: new Float64Array(0), up: new Float64Array(0) } }))).toEqual(without);
      expect(files(inp, options(s, { kind: "random", mtbf: 1e300, mttr: 1 }))).toEqual(without);
    }), { numRuns: RUNS });
  }, TIMEOUT);

  it("the same scenario and seed give the same files", () => {
    fc.assert(fc.property(scenarioArb.filter((s) => s.failures.kind !== "none"), (s) => {
      expect(files(toInputs(s), options(s, failureModel(s)))).toEqual(files(toInputs(s), options(s, failureModel(s))));
    }), { numRuns: Math.ceil(RUNS / 3) });
  }, TIMEOUT);
});
