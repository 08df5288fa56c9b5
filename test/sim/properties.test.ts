/**
 * Properties on many random small traces and clusters, for every built-in policy and discipline:
 * random speeds, zones (with and without a zones file), gpus, decimal requests, zero durations,
 * identical arrival times, and sometimes a horizon. Invariants are checked with the observer after
 * every event and on the final outcome.
 *
 * SCHEDSIM_PROPERTY_RUNS sets the number of random scenarios per (policy, discipline) pair
 * (default 100); e.g. `SCHEDSIM_PROPERTY_RUNS=5000 npx vitest run test/sim/properties.test.ts`
 * for a long search.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  BUILTIN_POLICIES, FINISHED, NO_FIT, QUEUE_DISCIPLINES, REJECTED, UNFINISHED, UNSCHEDULABLE,
  containersCsv, simulate, startSimulation, summaryCsv, timelineCsv,
  type ClusterView, type Container, type ObservedEvent, type QueueDiscipline, type SimInputs, type SimResult,
} from "../../src/index.ts";
import { inputs, joined } from "../helpers.ts";

const RUNS = Number(process.env.SCHEDSIM_PROPERTY_RUNS ?? 100);
const ZONES = ["x", "y", "z"] as const;

/** A decimal amount with one or two decimals (0.1, 0.25, 1.7 ...), zero included. */
const amount = (max: number) => fc.integer({ min: 0, max: max * 20 }).map((k) => k / 20);
const zone = fc.constantFrom("", ...ZONES);

const nodeArb = fc.record({
  cpu: amount(4),
  mem: amount(4),
  gpu: fc.oneof(fc.constant(0), amount(2)),
  speed: fc.constantFrom(0.25, 0.5, 1, 1, 1.5, 2, 3),
  zone,
  startup: fc.constantFrom(0, 0, 0.5, 1.25),
});

const containerArb = fc.record({
  gap: fc.constantFrom(0, 0, 0, 0.1, 0.5, 1, 2.5), // identical arrival times are common
  duration: fc.constantFrom(0, 0, 0.1, 0.3, 1, 2.5, 7, 12),
  cpu: amount(3),
  mem: amount(3),
  gpu: fc.oneof(fc.constant(0), fc.constant(0), amount(1)),
  zone,
});

/**
 * For each pair of distinct zones (x–y, x–z, y–z): listed forward, backward, or both with their
 * own values; and for the k-th zone, sometimes a listed same-zone latency.
 */
const zonesArb = fc.option(fc.array(fc.record({
  direction: fc.constantFrom("forward", "backward", "both"),
  ms: fc.integer({ min: 0, max: 50 }),
  back: fc.integer({ min: 0, max: 50 }),
  same: fc.option(fc.integer({ min: 0, max: 5 })),
}), { minLength: 3, maxLength: 3 }), { freq: 3 });

const scenarioArb = fc.record({
  nodes: fc.array(nodeArb, { minLength: 1, maxLength: 5 }),
  containers: fc.array(containerArb, { minLength: 1, maxLength: 25 }),
  zones: zonesArb,
  horizon: fc.option(fc.constantFrom(0, 0.5, 1, 2.5, 4, 10), { freq: 3 }),
  seed: fc.integer({ min: 0, max: 1_000_000 }),
}).filter((s) => s.nodes.some((n) => n.cpu + n.mem + n.gpu > 0)); // a cluster with no capacity at all is refused

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

/** The scenario as the three CSV texts a user would write. */
function toInputs(s: Scenario): SimInputs {
  const cluster = ["id,cpu,mem,gpu,speed,zone,startup", ...s.nodes.map((n, i) => `n${i},${n.cpu},${n.mem},${n.gpu},${n.speed},${n.zone},${n.startup}`)].join("\n");
  let t = 0;
  const workload = ["id,arrival,duration,cpu,mem,gpu,zone", ...s.containers.map((c, i) => {
    t += c.gap;
    return `c${i},${t},${c.duration},${c.cpu},${c.mem},${c.gpu},${c.zone}`;
  })].join("\n");
  let zones: string | undefined;
  if (s.zones) {
    const pairs = [["x", "y"], ["x", "z"], ["y", "z"]] as const;
    const rows = ["from,to,latency_ms"];
    s.zones.forEach((z, k) => {
      const [a, b] = pairs[k]!;
      if (z.direction !== "backward") rows.push(`${a},${b},${z.ms}`);
      if (z.direction !== "forward") rows.push(`${b},${a},${z.back}`);
      if (z.same !== null) rows.push(`${ZONES[k]},${ZONES[k]},${z.same}`); // a same-zone latency, sometimes
    });
    zones = rows.join("\n");
  }
  return inputs({ workload, cluster, zones });
}

/** Checks every invariant of one run; returns nothing, fails an expect on the first violation. */
function checkRun(inp: SimInputs, policy: string, queue: QueueDiscipline, horizon: number | undefined, seed: number): void {
  const { workload: w, cluster: spec } = inp;
  const n = w.length, size = spec.ids.length;
  let last = -Infinity, events = 0;
  // Violations seen by the observer, as text (one expect per run keeps a run cheap).
  const problems: string[] = [];
  const observer = (e: ObservedEvent) => {
    events++;
    const at = `event ${events} (${e.kind} of c${e.container} at t=${e.time})`;
    // Time never goes backwards, and nothing after the horizon is processed.
    if (e.time < last) problems.push(`${at}: time went back from ${last}`);
    if (horizon !== undefined && e.time > horizon) problems.push(`${at}: after the horizon ${horizon}`);
    last = e.time;
    // Free capacity is exactly capacity minus what the containers running there took (so it is
    // never negative and never above capacity), and each node's running count is exact.
    const used = new Float64Array(size * 3), running = new Int32Array(size);
    for (let i = 0; i < n; i++) {
      const node = e.outcomes.node[i]!;
      if (node < 0 || e.outcomes.state[i] === FINISHED) continue;
      running[node]!++;
      for (let k = 0; k < 3; k++) used[node * 3 + k]! += w.request[i * 3 + k]!;
    }
    for (let node = 0; node < size; node++) {
      for (let k = 0; k < 3; k++) {
        const cap = e.cluster.capacity[node * 3 + k]!, free = e.cluster.free[node * 3 + k]!;
        if (!(free >= 0 && free <= cap)) problems.push(`${at}: node ${node} resource ${k} free ${free} outside 0..${cap}`);
        if (free !== cap - used[node * 3 + k]!) problems.push(`${at}: node ${node} resource ${k} free ${free}, expected ${cap - used[node * 3 + k]!}`);
      }
      if (e.cluster.running[node] !== running[node]) problems.push(`${at}: node ${node} runs ${e.cluster.running[node]}, expected ${running[node]}`);
    }
  };
  const result = simulate(inp, { policy: BUILTIN_POLICIES.get(policy)!, queue, horizon, seed, observer });
  const o = result.containers, s = result.summary;
  expect(problems).toEqual([]);
  expect(s.events).toBe(events);

  let finished = 0, rejected = 0, unfinished = 0;
  for (let i = 0; i < n; i++) {
    const cpu = w.request[i * 3]!, mem = w.request[i * 3 + 1]!, gpu = w.request[i * 3 + 2]!;
    let holdable = false;
    for (let node = 0; node < size; node++) {
      if (spec.capacity[node * 3]! >= cpu && spec.capacity[node * 3 + 1]! >= mem && spec.capacity[node * 3 + 2]! >= gpu) holdable = true;
    }
    const state = o.state[i]!, reason = o.reason[i]!, node = o.node[i]!, arrival = w.arrival[i]!;
    if (state === FINISHED) {
      finished++;
      expect(reason).toBe(0);
      expect(node).toBeGreaterThanOrEqual(0);
      expect(o.start[i]).toBeGreaterThanOrEqual(arrival);
      expect(o.end[i]).toBe(o.start[i]! + w.duration[i]! / spec.speed[node]!);
      if (horizon !== undefined) expect(o.end[i]).toBeLessThanOrEqual(horizon);
      if (queue === "reject") expect(o.start[i]).toBe(arrival);
    } else if (state === REJECTED) {
      rejected++;
      expect(node).toBe(-1);
      // Unschedulable exactly when no node could hold it even empty; no-fit only in reject mode.
      expect(reason).toBe(holdable ? NO_FIT : UNSCHEDULABLE);
      if (reason === NO_FIT) expect(queue).toBe("reject");
    } else {
      expect(state).toBe(UNFINISHED);
      unfinished++;
      expect(reason).toBe(0);
      expect(horizon).toBeDefined();
      if (arrival <= horizon!) expect(holdable).toBe(true); // arrived ones that could never run were rejected
      if (node >= 0) {
        expect(o.start[i]).toBeGreaterThanOrEqual(arrival);
        expect(o.start[i]).toBeLessThanOrEqual(horizon!);
        expect(o.start[i]! + w.duration[i]! / spec.speed[node]!).toBeGreaterThan(horizon!);
        if (queue === "reject") expect(o.start[i]).toBe(arrival);
      } else if (queue === "reject") {
        expect(arrival).toBeGreaterThan(horizon!); // nothing waits in reject mode
      }
    }
  }
  expect(finished + rejected + unfinished).toBe(n);
  expect([s.finished, s.rejected, s.unfinished]).toEqual([finished, rejected, unfinished]);
  expect(s.rejected_no_fit + s.rejected_unschedulable).toBe(s.rejected);
  if (queue === "reject" && finished > 0) expect(s.wait_mean).toBe(0);
}

describe.each([...BUILTIN_POLICIES.keys()])("policy %s", (policy) => {
  it.each(QUEUE_DISCIPLINES)("queue %s: capacity never exceeded, time monotone, every container accounted once", (queue) => {
    fc.assert(fc.property(scenarioArb, (s) => {
      checkRun(toInputs(s), policy, queue, s.horizon ?? undefined, s.seed);
    }), { numRuns: RUNS });
  });

  it("the same inputs and seed give byte-identical containers, summary and timeline CSV", () => {
    fc.assert(fc.property(scenarioArb, fc.constantFrom(...QUEUE_DISCIPLINES), (s, queue) => {
      const texts = () => {
        const inp = toInputs(s); // parsed afresh: nothing may leak between runs
        const r = simulate(inp, { policy: BUILTIN_POLICIES.get(policy)!, queue, horizon: s.horizon ?? undefined, seed: s.seed });
        return [joined(containersCsv(r, inp.workload, inp.cluster)), summaryCsv([r.summary]), joined(timelineCsv(r.timeline!))];
      };
      expect(texts()).toEqual(texts());
    }), { numRuns: RUNS });
  });

  it("a run taken in slices of any size (startSimulation) gives the same bytes as in one go", () => {
    fc.assert(fc.property(scenarioArb, fc.constantFrom(...QUEUE_DISCIPLINES), fc.integer({ min: 1, max: 9 }), (s, queue, slice) => {
      const options = { policy: BUILTIN_POLICIES.get(policy)!, queue, horizon: s.horizon ?? undefined, seed: s.seed };
      const texts = (r: SimResult, inp: SimInputs) => [joined(containersCsv(r, inp.workload, inp.cluster)), summaryCsv([r.summary]), joined(timelineCsv(r.timeline!))];
      const whole = toInputs(s), sliced = toInputs(s);
      const run = startSimulation(sliced, options);
      let slices = 1;
      while (run.advance(slice)) slices++;
      expect(run.advance(slice)).toBe(false);
      const r = run.finish();
      expect(run.finish()).toBe(r);
      expect(texts(r, sliced)).toEqual(texts(simulate(whole, options), whole));
      expect(slices).toBe(Math.floor(r.summary.events / slice) + 1);
    }), { numRuns: Math.ceil(RUNS / 2) });
  });
});

describe("startSimulation", () => {
  it("refuses finish() while events are left", () => {
    const inp = inputs({ workload: "id,arrival,duration,cpu,mem\na,0,1,1,1\nb,1,1,1,1\n", cluster: "id,cpu,mem\nn,2,2\n" });
    const run = startSimulation(inp, { policy: BUILTIN_POLICIES.get("first-fit")! });
    expect(run.advance(1)).toBe(true);
    expect(() => run.finish()).toThrow("finish() before the run is over: call advance until it returns false");
    expect(run.advance(Infinity)).toBe(false);
    expect(run.finish().summary.finished).toBe(2);
  });

  it("refuses a slice that is not a whole number of events ≥ 1", () => {
    const inp = inputs({ workload: "id,arrival,duration,cpu,mem\na,0,1,1,1\n", cluster: "id,cpu,mem\nn,2,2\n" });
    const run = startSimulation(inp, { policy: BUILTIN_POLICIES.get("first-fit")! });
    for (const bad of [0, -1, 1.5, NaN]) expect(() => run.advance(bad)).toThrow(`advance(events): events must be a whole number ≥ 1 or Infinity (got ${bad})`);
    expect(run.advance(Infinity)).toBe(false);
  });

  it("stays failed once a slice threw: neither advance nor finish goes on", () => {
    const inp = inputs({ workload: "id,arrival,duration,cpu,mem\na,0,1,1,1\nb,1,1,1,1\nc,2,1,1,1\n", cluster: "id,cpu,mem\nn,2,2\n" });
    let decisions = 0;
    const throwsOnSecond = { name: "bad", select: (c: Container, cluster: ClusterView) => (++decisions === 2 ? (() => { throw new Error("oops"); })() : cluster.firstFeasible(c)) };
    const run = startSimulation(inp, { policy: throwsOnSecond });
    expect(() => run.advance(Infinity)).toThrow('policy "bad" at t=1, container "b": threw Error: oops');
    expect(() => run.advance(Infinity)).toThrow('this run failed earlier and cannot go on: policy "bad" at t=1, container "b": threw Error: oops');
    expect(() => run.finish()).toThrow("this run failed earlier and cannot go on");
    expect(decisions).toBe(2);
  });
});
