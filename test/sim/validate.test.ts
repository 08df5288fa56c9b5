/**
 * simulate() refuses what it cannot run exactly, naming the option, container or node: inputs and
 * options a library caller built by hand, which the readers and the CLI would have refused with
 * file and line (a review found each of these ran on to a silently wrong result).
 */
import { describe, expect, it } from "vitest";
import { makeCluster, simulate, Workload, ZoneTable, type SimInputs, type SimOptions } from "../../src/index.ts";
import { builtin, inputs } from "../helpers.ts";

const base = () => inputs({
  cluster: "id,cpu,mem\nn0,4,16\nn1,4,16",
  workload: "id,arrival,duration,cpu,mem\nc0,0,10,1,1\nc1,1,5,1,1\nc2,2,5,1,1",
});
const firstFit = builtin("first-fit");
const refused = (options: Partial<SimOptions>, message: string, change?: (i: SimInputs) => void) => {
  const i = base();
  change?.(i);
  expect(() => simulate(i, { policy: firstFit, ...options } as SimOptions)).toThrow(message);
};

describe("simulate() refuses invalid options", () => {
  it.each<[string, Partial<SimOptions>, string]>([
    ["an unknown queue", { queue: "lifo" as never }, 'queue must be one of fifo, backfill, reject (got "lifo")'],
    ["a NaN horizon", { horizon: NaN }, "horizon must be a number ≥ 0 (got NaN)"],
    ["a negative horizon", { horizon: -1 }, "horizon must be a number ≥ 0 (got -1)"],
    ["an unknown onFailure", { onFailure: "explode" as never }, 'onFailure must be one of requeue, drop (got "explode")'],
    ["a negative maxRestarts", { maxRestarts: -1 }, "maxRestarts must be a whole number ≥ 0 (got -1)"],
    ["a negative decision timeout", { decisionTimeoutMs: -5 }, "decisionTimeoutMs must be a number of milliseconds ≥ 0 (got -5)"],
    ["a NaN seed", { seed: NaN }, "seed must be a finite number or a string (got NaN)"],
    ["no policy", { policy: undefined as never }, "policy is required"],
    ["a factory returning null", { policy: (() => null) as never }, "policy: not a policy object (got null)"],
    ["both score and select", { policy: { name: "both", score: () => 1, select: () => 0 } as never }, 'policy "both": a policy has exactly one of "score(c, node, cluster)" or "select(c, cluster)"'],
  ])("%s", (_what, options, message) => refused(options, message));
});

describe("simulate() refuses inputs it cannot run exactly", () => {
  it("arrivals out of order", () => refused({}, 'container 2 ("c2"): arrival 0.5 comes before the previous one (1): sort the workload by arrival', (i) => { i.workload.arrival[2] = 0.5; }));
  it("a NaN arrival (every later container would stay unfinished)", () => refused({}, 'container 1 ("c1"): arrival NaN is not a time within', (i) => { i.workload.arrival[1] = NaN; }));
  it("a negative request", () => refused({}, 'container 0 ("c0"): request -1000000 micro-units of resource 0 is not within', (i) => { i.workload.request[0] = -1e6; }));
  it("a node speed of 0 (its durations would be infinite)", () => refused({}, 'node 1 ("n1"): speed 0 is not a number ≥ 0.000001', (i) => { i.cluster.speed[1] = 0; }));
  it("a NaN capacity", () => refused({}, 'node 0 ("n0"): capacity NaN micro-units of resource 0', (i) => { i.cluster.capacity[0] = NaN; }));

  it("a workload built row by row from an empty one runs every row (its columns once stayed empty)", () => {
    const w = new Workload(0);
    w.push("a", 0, 5, 1e6, 1e6, 0);
    w.push("b", 1, 5, 1e6, 1e6, 0);
    w.trim?.();
    const cluster = makeCluster([{ id: "n0", cpu: 4e6, mem: 4e6 }]);
    const result = simulate({ workload: w, cluster, zones: new ZoneTable(false) }, { policy: firstFit });
    expect(result.summary.finished).toBe(2);
  });
});
