/**
 * Node failures (src/sim/failures.ts, docs/failures.md): hand-computed traces for each discipline
 * and each `onFailure`, the extended accounting, the random process's moments, and "no failures
 * changes nothing".
 */
import { describe, expect, it } from "vitest";
import { mean } from "d3-array";
import {
  KILLED, MICRO, REASON_NAMES, STATE_NAMES, containersCsv, simulate, startSimulation, summaryCsv, timelineCsv,
  type FailureModel, type FailureTrace, type SimInputs, type SimOptions, type SimResult,
} from "../../src/index.ts";
import { builtin, inputs, joined } from "../helpers.ts";
import { randomFailuresProblem } from "../../src/sim/failures.ts";

/** Failure intervals by node index: [node, down, up]. */
function trace(...rows: [number, number, number][]): FailureModel {
  const t: FailureTrace = {
    node: Int32Array.from(rows.map((r) => r[0])),
    down: Float64Array.from(rows.map((r) => r[1])),
    up: Float64Array.from(rows.map((r) => r[2])),
  };
  return { kind: "trace", trace: t };
}

/** `id@node start-end state [reason]`, one per container in trace order. */
function lines(inp: SimInputs, options: SimOptions) {
  const r = simulate(inp, options);
  const o = r.containers;
  const text = Array.from({ length: inp.workload.length }, (_, i) => {
    const where = o.node[i]! >= 0 ? `@${inp.cluster.ids[o.node[i]!]} ${o.start[i]}-${Number.isNaN(o.end[i]!) ? "" : o.end[i]}` : "";
    const reason = REASON_NAMES[o.reason[i]!];
    return `${inp.workload.ids[i]}${where} ${STATE_NAMES[o.state[i]!]}${reason ? ` ${reason}` : ""}`;
  });
  return { result: r, summary: r.summary, lines: text };
}

const firstFit = builtin("first-fit");

describe("a failing node's containers", () => {
  // n0 and n1: 4 cores each, speed 1. a (2 cores, 10 s) starts on n0 at 0, b (2 cores, 4 s) on n0
  // at 1. n0 fails at 3 and is back at 20.
  const inp = inputs({
    cluster: "id,cpu,mem\nn0,4,16\nn1,4,16",
    workload: "id,arrival,duration,cpu,mem\na,0,10,2,1\nb,1,4,2,1",
  });

  it("are restarted from the beginning elsewhere (requeue, the default)", () => {
    // At 3 both are killed: lost work 2·(3−0) + 2·(3−1) = 10 core-s. Put back in trace order, both
    // start on n1 at 3: a ends 13, b ends 7. Their old departures (10 and 5) are skipped.
    const r = lines(inp, { policy: firstFit, failures: trace([0, 3, 20]) });
    expect(r.lines).toEqual(["a@n1 3-13 finished", "b@n1 3-7 finished"]);
    expect(r.summary).toMatchObject({
      finished: 2, restarts: 2, lost_work: 10, killed: 0, node_failures: 1,
      events: 4, nodes_used: 2, D_wait: 3 + 2, R: 2 * 10 + 2 * 4, makespan: 13,
    });
    // Allocation integral: 2·1 + 4·2 + 4·4 + 2·6 = 38 core-s = R + lost work, over 8 cores · 13 s.
    expect(r.summary.util_cpu).toBeCloseTo(38 / (8 * 13), 15);
    // The recovery at 20 comes after all work is done: it is not processed.
  });

  it("are dropped as killed with --on-failure drop", () => {
    const r = lines(inp, { policy: firstFit, failures: trace([0, 3, 20]), onFailure: "drop" });
    expect(r.lines).toEqual(["a@n0 0- killed node-failure", "b@n0 1- killed node-failure"]);
    expect(r.summary).toMatchObject({ finished: 0, killed: 2, restarts: 0, lost_work: 10, node_failures: 1, events: 2, unfinished: 0 });
    const csv = joined(containersCsv(r.result, inp.workload, inp.cluster));
    expect(csv.split("\n")[1]).toBe("a,n0,0,0,,0,0,,,0,killed,node-failure");
  });

  it("are dropped once killed more than maxRestarts times", () => {
    // a fails on n0 at 3 (restart 1 → n1 at 3), then n1 fails at 5: a's second kill is over the
    // limit of 1. b was restarted on n1 at 3 too and is killed there at 5: its second kill as well.
    const r = lines(inp, { policy: firstFit, failures: trace([0, 3, 20], [1, 5, 30]), maxRestarts: 1 });
    expect(r.lines).toEqual(["a@n1 3- killed restart-limit", "b@n1 3- killed restart-limit"]);
    expect(r.summary).toMatchObject({ restarts: 2, killed: 2, lost_work: 10 + 2 * 2 + 2 * 2, node_failures: 2 });
  });

  it("a departure at the very time of the failure completes first", () => {
    // b ends at 5; n0 fails at 5: departures go before failures at one time. Only a is killed.
    const r = lines(inp, { policy: firstFit, failures: trace([0, 5, 20]) });
    expect(r.lines).toEqual(["a@n1 5-15 finished", "b@n0 1-5 finished"]);
    expect(r.summary).toMatchObject({ restarts: 1, lost_work: 10 });
  });
});

describe("while a node is down", () => {
  // One node of 4 cores. a (4 cores, 10 s) at 0; b (1 core, 2 s) at 3. The node is down 2..5.
  const inp = inputs({
    cluster: "id,cpu,mem\nn0,4,16",
    workload: "id,arrival,duration,cpu,mem\na,0,10,4,1\nb,3,2,1,1",
  });

  it("fifo: the restarted head waits for the node and blocks the queue", () => {
    // a killed at 2, waits; b queues behind it. At 5 the node is back: a starts 5-15, b waits for
    // a's 4 cores and starts at 15.
    const r = lines(inp, { policy: firstFit, failures: trace([0, 2, 5]) });
    expect(r.lines).toEqual(["a@n0 5-15 finished", "b@n0 15-17 finished"]);
    expect(r.summary).toMatchObject({ restarts: 1, lost_work: 8, D_wait: 5 + 12 });
  });

  it("a restarted container goes back to its place in trace order: ahead of later arrivals", () => {
    // n0 (4 cores), n1 (2 cores). a (4 cores) on n0 at 0; b (4 cores) at 1 waits. n0 is down 2..3:
    // a is killed and queued again ahead of b, so at 3 a starts (3-13) and b waits until 13.
    const two = inputs({ cluster: "id,cpu,mem\nn0,4,16\nn1,2,16", workload: "id,arrival,duration,cpu,mem\na,0,10,4,1\nb,1,10,4,1" });
    for (const queue of ["fifo", "backfill"] as const) {
      const r = lines(two, { policy: firstFit, failures: trace([0, 2, 3]), queue });
      expect(r.lines).toEqual(["a@n0 3-13 finished", "b@n0 13-23 finished"]);
    }
  });

  it("reject: a killed container is offered again at once, and rejected as no-fit when nothing holds it", () => {
    const r = lines(inp, { policy: firstFit, failures: trace([0, 2, 5]), queue: "reject" });
    expect(r.lines).toEqual(["a rejected no-fit", "b rejected no-fit"]);
    expect(r.summary).toMatchObject({ restarts: 1, rejected: 2, lost_work: 8 });
  });

  it("a request of 0 does not fit a down node", () => {
    const zero = inputs({ cluster: "id,cpu,mem\nn0,4,16", workload: "id,arrival,duration,cpu,mem\nz,3,1,0,0" });
    const r = lines(zero, { policy: firstFit, failures: trace([0, 2, 5]) });
    expect(r.lines).toEqual(["z@n0 5-6 finished"]);
  });

  it("a node that never comes back leaves the waiting containers unfinished", () => {
    const r = lines(inp, { policy: firstFit, failures: trace([0, 2, Infinity]) });
    expect(r.lines).toEqual(["a unfinished", "b unfinished"]);
    expect(r.summary).toMatchObject({ unfinished: 2, restarts: 1, node_failures: 1 });
  });

  it("policies see the down node's free capacity as −1 and fits() false", () => {
    const seen: number[][] = [];
    const spy = { name: "spy", select: (c: { cpu: number }, cluster: { free: Float64Array; fits(c: unknown, n: number): boolean }) => {
      seen.push([...cluster.free.subarray(0, 3), cluster.fits(c, 0) ? 1 : 0]);
      return cluster.fits(c, 0) ? 0 : null;
    } };
    const two = inputs({ cluster: "id,cpu,mem\nn0,4,16\nn1,4,16", workload: "id,arrival,duration,cpu,mem\nz,3,1,0,0" });
    lines(two, { policy: spy, failures: trace([0, 2, 5]) });
    expect(seen[0]).toEqual([-1, -1, -1, 0]);
  });
});

describe("random failures (mtbf, mttr)", () => {
  // 100 nodes and a steady trickle of tiny containers keep the run going for 5,000 s.
  const many = (() => {
    const cluster = ["id,cpu,mem", ...Array.from({ length: 100 }, (_, i) => `n${i},4,16`)].join("\n");
    const workload = ["id,arrival,duration,cpu,mem", ...Array.from({ length: 5001 }, (_, i) => `c${i},${i},0.5,0.1,0.1`)].join("\n");
    return inputs({ cluster, workload });
  })();

  function intervals(seed: number, mtbf: number, mttr: number) {
    const up: number[] = [], down: number[] = [];
    const since = new Float64Array(100); // start at the first arrival, 0
    simulate(many, {
      policy: firstFit, seed, failures: { kind: "random", mtbf, mttr },
      observer: (e) => {
        if (e.kind === "failure") { up.push(e.time - since[e.node!]!); since[e.node!] = e.time; }
        if (e.kind === "recovery") { down.push(e.time - since[e.node!]!); since[e.node!] = e.time; }
      },
    });
    return { up, down };
  }

  it("means so small that the run would seem to hang are refused, at the bound and not below it", () => {
    // 100 nodes over 5,000.5 s: mtbf + mttr = 5e-3 s makes 1.0001e8 failures, just over 1e8.
    const run = (mtbf: number) => () => simulate(many, { policy: firstFit, failures: { kind: "random", mtbf, mttr: 1e-3 }, timeline: false });
    expect(run(4e-3)).toThrow("mtbf 0.004 s and mttr 0.001 s would make about 1.0e+8 node failures (100 nodes, 5000.5 s of workload, one failure per node every mtbf + mttr s), more than 100000000: give larger means");
    expect(randomFailuresProblem(4.1e-3, 1e-3, 100, many.workload)).toBeUndefined();
    // A horizon shortens the run, and the failures with it (the refusal once ignored it).
    expect(randomFailuresProblem(4e-3, 1e-3, 100, many.workload, 4000)).toBeUndefined();
    expect(randomFailuresProblem(4e-4, 1e-4, 100, many.workload, 4000)).toBe("about 8.0e+8 node failures (100 nodes, 4000 s of workload up to the horizon, one failure per node every mtbf + mttr s), more than 100000000: give larger means");
    // Refused over the whole workload (1e10 failures), run to the horizon (about 1e6).
    const often = { kind: "random", mtbf: 4e-5, mttr: 1e-5 } as const;
    expect(() => simulate(many, { policy: firstFit, failures: often, timeline: false })).toThrow(/about 1\.0e\+10 node failures/);
    expect(simulate(many, { policy: firstFit, failures: often, horizon: 0.5, timeline: false }).summary.node_failures).toBeGreaterThan(500_000);
  });

  it("up and down times are exponential with the given means", () => {
    // About 100 · 5000 / 110 ≈ 4,500 of each. An exponential's sd equals its mean: the sample
    // mean's sd is mean / √count. Allow 4 of those.
    const { up, down } = intervals(7, 100, 10);
    expect(up.length).toBeGreaterThan(4000);
    expect(Math.abs(mean(up)! - 100)).toBeLessThan(4 * 100 / Math.sqrt(up.length));
    expect(Math.abs(mean(down)! - 10)).toBeLessThan(4 * 10 / Math.sqrt(down.length));
    // Exponential: P(X > mean) = e^-1 ≈ 0.368 (sd of the share ≈ 0.007).
    expect(Math.abs(up.filter((x) => x > 100).length / up.length - Math.exp(-1))).toBeLessThan(0.03);
  });

  it("are the same for a seed, whatever the policy; another seed gives others", () => {
    const a = intervals(7, 100, 10), b = intervals(7, 100, 10), c = intervals(8, 100, 10);
    expect(b).toEqual(a);
    expect(c.up.slice(0, 10)).not.toEqual(a.up.slice(0, 10));
    const times = (policy: string) => {
      const t: string[] = [];
      simulate(many, { policy: builtin(policy), seed: 7, failures: { kind: "random", mtbf: 100, mttr: 10 }, observer: (e) => {
        if (e.kind === "failure" || e.kind === "recovery") t.push(`${e.kind} ${e.node} ${e.time}`);
      } });
      return t;
    };
    expect(times("random")).toEqual(times("first-fit"));
  });

  it("do not draw from the policy's generator", () => {
    const r = (failures?: FailureModel) => joined(containersCsv(simulate(many, { policy: builtin("random"), seed: 3, failures }), many.workload, many.cluster));
    // With failures so rare that none happens, `random` places every container as without them.
    expect(r({ kind: "random", mtbf: 1e15, mttr: 1 })).toBe(r());
  });
});

describe("without failures nothing changes", () => {
  const inp = inputs({
    cluster: "id,cpu,mem,gpu,speed\nn0,4,16,0,1\nn1,8,32,1,2\nn2,2,8,0,0.5",
    workload: ["id,arrival,duration,cpu,mem,gpu",
      ...Array.from({ length: 300 }, (_, i) => `c${i},${Math.floor(i / 3)},${1 + (i * 7) % 13},${1 + (i % 4)},${1 + (i % 5)},${i % 17 === 0 ? 1 : 0}`)].join("\n"),
  });
  const files = (options: SimOptions) => {
    const r = simulate(inp, options);
    return [joined(containersCsv(r, inp.workload, inp.cluster)), joined(timelineCsv(r.timeline!)), summaryCsv([r.summary])];
  };

  for (const queue of ["fifo", "backfill", "reject"] as const) {
    it(`an empty failure trace gives byte-identical files (${queue}, every built-in policy)`, () => {
      for (const policy of ["first-fit", "best-fit", "worst-fit", "balanced", "dot-product", "fastest", "nearest", "random", "round-robin"]) {
        expect(files({ policy: builtin(policy), queue, failures: trace() })).toEqual(files({ policy: builtin(policy), queue }));
      }
    });
  }
});

describe("a run with failures taken in slices (startSimulation)", () => {
  it("gives the same files as in one go, for every discipline and onFailure, whatever the slice", () => {
    const inp = inputs({
      cluster: "id,cpu,mem\nn0,4,16\nn1,4,16\nn2,8,16",
      workload: ["id,arrival,duration,cpu,mem", ...Array.from({ length: 120 }, (_, i) => `c${i},${i / 2},${1 + (i * 7) % 11},${1 + (i % 3)},1`)].join("\n"),
    });
    const files = (r: SimResult) => [joined(containersCsv(r, inp.workload, inp.cluster)), joined(timelineCsv(r.timeline!)), summaryCsv([r.summary])];
    for (const queue of ["fifo", "backfill", "reject"] as const) {
      for (const onFailure of ["requeue", "drop"] as const) {
        const options: SimOptions = { policy: firstFit, queue, failures: { kind: "random", mtbf: 20, mttr: 5 }, onFailure, seed: 5 };
        const whole = simulate(inp, options);
        expect(whole.summary.node_failures).toBeGreaterThan(5);
        for (const slice of [1, 2, 7, 64]) {
          const run = startSimulation(inp, options);
          while (run.advance(slice));
          expect(files(run.finish())).toEqual(files(whole));
        }
      }
    }
  });
});

describe("accounting with failures", () => {
  it("every container ends in exactly one state; allocated core-seconds = R + lost work", () => {
    const inp = inputs({
      cluster: "id,cpu,mem\nn0,4,16\nn1,4,16\nn2,8,16",
      workload: ["id,arrival,duration,cpu,mem", ...Array.from({ length: 200 }, (_, i) => `c${i},${i / 2},${1 + (i * 7) % 11},${1 + (i % 3)},1`)].join("\n"),
    });
    for (const onFailure of ["requeue", "drop"] as const) {
      const r = simulate(inp, { policy: firstFit, failures: { kind: "random", mtbf: 20, mttr: 5 }, onFailure, seed: 5 });
      const s = r.summary;
      expect(s.finished + s.rejected + s.unfinished + s.killed).toBe(200);
      expect(s.node_failures).toBeGreaterThan(5);
      expect(onFailure === "drop" ? s.killed : s.restarts).toBeGreaterThan(0);
      // ∫ allocated cpu dt from the timeline (units), over the whole run: nothing unfinished here.
      const t = r.timeline!;
      let integral = 0;
      for (let k = 0; k + 1 < t.length; k++) integral += t.cpu[k]! / MICRO * (t.time[k + 1]! - t.time[k]!);
      expect(s.unfinished).toBe(0);
      expect(integral).toBeCloseTo(s.R + s.lost_work, 6);
      expect(Array.from(r.containers.state).filter((x) => x === KILLED).length).toBe(s.killed);
    }
  });
});
