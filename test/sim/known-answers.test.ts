/**
 * Known answers: small traces whose outcome is computed by hand in the comment beside each,
 * following DESIGN.md's execution model. Lines read `id@node start-end` (see test/helpers.ts).
 */
import { describe, expect, it } from "vitest";
import type { SelectPolicy } from "../../src/index.ts";
import { builtin, containerRows, run } from "../helpers.ts";

const firstFit = () => builtin("first-fit");

const oneNode = `
  id,cpu,mem
  a,4,4`;

describe("queue disciplines", () => {
  const workload = `
    id,arrival,duration,cpu,mem
    c0,0,10,3,1
    c1,1,5,2,1
    c2,2,4,1,1`;
  // c0 takes 3 of a's 4 cores at 0. c1 (2 cores) cannot fit at 1; c2 (1 core) could at 2.

  it("fifo: strict head-of-line blocking", () => {
    // c1 heads the queue and blocks c2 although c2 fits. At 10 c0 leaves: c1 starts (10-15),
    // then c2 (10-14).
    const r = run({ workload, cluster: oneNode }, { policy: firstFit(), queue: "fifo" });
    expect(r.lines).toEqual(["c0@a 0-10", "c1@a 10-15", "c2@a 10-14"]);
  });

  it("backfill: a container that fits passes the blocked head", () => {
    // c2 starts at 2 (2-6) past c1; c1 still needs 2 free cores, which it gets at 10.
    const r = run({ workload, cluster: oneNode }, { policy: firstFit(), queue: "backfill" });
    expect(r.lines).toEqual(["c0@a 0-10", "c1@a 10-15", "c2@a 2-6"]);
  });

  it("reject: an arrival that cannot be placed at once is rejected as no-fit", () => {
    const r = run({ workload, cluster: oneNode }, { policy: firstFit(), queue: "reject" });
    expect(r.lines).toEqual(["c0@a 0-10", "c1 rejected no-fit", "c2@a 2-6"]);
    expect(r.summary).toMatchObject({ finished: 2, rejected: 1, rejected_no_fit: 1, rejected_unschedulable: 0, wait_mean: 0 });
  });

  const queue = `
    id,arrival,duration,cpu,mem
    c0,0,10,4,1
    c1,1,5,3,1
    c2,2,5,2,1
    c3,3,5,2,1
    c4,4,1,1,1`;

  it("backfill walks the whole queue in order at every event", () => {
    // At 10 (c0 leaves, 4 free): c1 (3) starts, c2 (2) and c3 (2) do not fit in 1, c4 (1) does.
    // At 11 c4 leaves (1 free): nothing. At 15 c1 leaves (4 free): c2 and c3 start.
    const r = run({ workload: queue, cluster: oneNode }, { policy: firstFit(), queue: "backfill" });
    expect(r.lines).toEqual(["c0@a 0-10", "c1@a 10-15", "c2@a 15-20", "c3@a 15-20", "c4@a 10-11"]);
  });

  it("fifo starts from the head for as long as the head fits", () => {
    // At 10: c1 starts (1 free), c2 blocks. At 15: c2 and c3 start (0 free), c4 waits.
    // At 20: c2 leaves first (it started first): c4 starts 20-21; then c3 leaves.
    const r = run({ workload: queue, cluster: oneNode }, { policy: firstFit(), queue: "fifo" });
    expect(r.lines).toEqual(["c0@a 0-10", "c1@a 10-15", "c2@a 15-20", "c3@a 15-20", "c4@a 20-21"]);
  });
});

describe("tie rules at one timestamp", () => {
  const single = `
    id,cpu,mem
    a,1,1`;

  it("departures before arrivals", () => {
    // c0 leaves at 5 before c1 arrives at 5, so even in reject mode c1 finds the node free.
    const r = run({ workload: `
      id,arrival,duration,cpu,mem
      c0,0,5,1,1
      c1,5,2,1,1`, cluster: single }, { policy: firstFit(), queue: "reject" });
    expect(r.lines).toEqual(["c0@a 0-5", "c1@a 5-7"]);
  });

  it("departures in the order their containers started (not trace order)", () => {
    // backfill. c0 (2 cores) can only go on b: 0-2. c1 (2 cores) waits; c2 (1 core) passes it
    // onto a: 1-5. At 2 c1 starts on b: 2-5. c3 arrives at 3 and waits (both full).
    // At 5 c2 (started at 1, on a) leaves before c1 (started at 2, on b, earlier in the trace):
    // the scheduler runs after that departure and first-fit puts c3 on a. In trace order it
    // would have found only b free.
    const r = run({
      workload: `
        id,arrival,duration,cpu,mem
        c0,0,2,2,1
        c1,1,3,2,1
        c2,1,4,1,1
        c3,3,1,1,1`,
      cluster: `
        id,cpu,mem
        a,1,4
        b,2,4`,
    }, { policy: firstFit(), queue: "backfill" });
    expect(r.lines).toEqual(["c0@b 0-2", "c1@b 2-5", "c2@a 1-5", "c3@a 5-6"]);
  });

  it("arrivals at one time in trace order", () => {
    // Both arrive at 0 and only one fits: the first row of the trace gets the node.
    const r = run({ workload: `
      id,arrival,duration,cpu,mem
      z,0,1,1,1
      y,0,1,1,1`, cluster: single }, { policy: firstFit(), queue: "reject" });
    expect(r.lines).toEqual(["z@a 0-1", "y rejected no-fit"]);
  });

  it("a zero-duration departure is handled before the remaining arrivals at that time", () => {
    // c0 starts at 3 and departs at 3; that departure goes before c1's arrival at 3, so c1 fits.
    const r = run({ workload: `
      id,arrival,duration,cpu,mem
      c0,3,0,1,1
      c1,3,2,1,1`, cluster: single }, { policy: firstFit(), queue: "reject" });
    expect(r.lines).toEqual(["c0@a 3-3", "c1@a 3-5"]);
    expect(r.summary.events).toBe(4);
  });

  it("a policy tie goes to the lowest node index", () => {
    // worst-fit on three equal nodes: c0 → a (all tie), c1 → b (a is fuller; b, c tie),
    // c2 → c, c3 → a (all three equally full again).
    const r = run({ workload: `
      id,arrival,duration,cpu,mem
      c0,0,9,1,1
      c1,0,9,1,1
      c2,0,9,1,1
      c3,0,9,1,1`, cluster: `
      id,cpu,mem
      a,4,4
      b,4,4
      c,4,4` }, { policy: builtin("worst-fit"), queue: "fifo" });
    expect(r.lines).toEqual(["c0@a 0-9", "c1@b 0-9", "c2@c 0-9", "c3@a 0-9"]);
  });
});

describe("unschedulable containers", () => {
  const cluster = `
    id,cpu,mem,gpu
    a,2,2,0
    b,1,4,0`;
  // c1 needs 2 cores and 4 GiB: a has the cores, b the memory, no node both (cross-oversize).
  // c4 needs a gpu and the cluster has none. c3 (2 cores, 2 GiB) fits a when a is empty.
  const workload = `
    id,arrival,duration,cpu,mem,gpu
    c0,0,10,2,2,0
    c1,1,5,2,4,0
    c2,2,1,1,1,0
    c3,3,1,2,2,0
    c4,4,1,0,0,0.5`;

  it("never enter the fifo queue, so they never block it", () => {
    // c0 on a 0-10. c1 rejected unschedulable at 1 (not queued). c2 → b 2-3.
    // c3 waits for a (head of the queue) and starts at 10. c4 rejected unschedulable at 4.
    const r = run({ workload, cluster }, { policy: firstFit(), queue: "fifo" });
    expect(r.lines).toEqual(["c0@a 0-10", "c1 rejected unschedulable", "c2@b 2-3", "c3@a 10-11", "c4 rejected unschedulable"]);
    expect(r.summary).toMatchObject({ rejected: 2, rejected_unschedulable: 2, rejected_no_fit: 0, unfinished: 0 });
  });

  it("take precedence over no-fit in reject mode", () => {
    // c1 could not be placed now either, but it could never run: unschedulable.
    // c3 could run on an empty a, but a is busy: no-fit.
    const r = run({ workload, cluster }, { policy: firstFit(), queue: "reject" });
    expect(r.lines).toEqual(["c0@a 0-10", "c1 rejected unschedulable", "c2@b 2-3", "c3 rejected no-fit", "c4 rejected unschedulable"]);
    expect(r.summary).toMatchObject({ rejected: 3, rejected_unschedulable: 2, rejected_no_fit: 1 });
    expect(containerRows(r).map((x) => x.reason)).toEqual(["", "unschedulable", "", "no-fit", "unschedulable"]);
  });

  it("are rejected at arrival in backfill too, and still count as events", () => {
    const r = run({ workload, cluster }, { policy: firstFit(), queue: "backfill" });
    expect(r.lines).toEqual(["c0@a 0-10", "c1 rejected unschedulable", "c2@b 2-3", "c3@a 10-11", "c4 rejected unschedulable"]);
    // 5 arrivals + 3 departures.
    expect(r.summary.events).toBe(8);
  });
});

describe("speed", () => {
  it("a container runs for duration / speed; P > 1 on a faster node", () => {
    // first-fit: c0 → slow (speed 0.5): 6/0.5 = 12 s, 0-12. c1 → fast (speed 2): 6/2 = 3 s, 1-4.
    // c2 → mid (speed 3, 1 core of 2): 1/3 s, 2 to 2 + 1/3.
    // p = duration / (wait + runtime): 6/12 = 0.5, 6/3 = 2, 1/(1/3) = 3 (float: 1 / (2+1/3-2)).
    // r = cpu · runtime: 1·12, 1·3, 1·(1/3).
    const r = run({
      workload: `
        id,arrival,duration,cpu,mem
        c0,0,6,1,1
        c1,1,6,1,1
        c2,2,1,1,1`,
      cluster: `
        id,cpu,mem,speed
        slow,1,1,0.5
        fast,1,1,2
        mid,2,1,3`,
    }, { policy: firstFit() });
    expect(r.lines).toEqual(["c0@slow 0-12", "c1@fast 1-4", `c2@mid 2-${2 + 1 / 3}`]);
    const rows = containerRows(r);
    expect(rows.map((x) => Number(x.p))).toEqual([0.5, 2, 1 / (2 + 1 / 3 - 2)]);
    expect(rows.map((x) => Number(x.r))).toEqual([12, 3, 2 + 1 / 3 - 2]);
    expect(r.summary.P).toBeCloseTo(5.5, 12);
    expect(r.summary.slowdown_mean).toBeCloseTo((2 + 0.5 + 1 / 3) / 3, 12);
  });
});

describe("zone latency and startup", () => {
  const zones = `
    from,to,latency_ms
    x,y,10
    x,z,20
    z,x,30
    y,y,5
    y,z,40`;
  // x–y listed one way: 10 ms both ways. x→z 20, z→x 30. y→y listed 5; x→x and z→z not listed: 0.
  const cluster = `
    id,cpu,mem,zone,startup
    nx,9,9,x,0
    ny,9,9,y,0
    nz,9,9,z,1.5
    nn,9,9,,0.25`;
  // `pin` places a container on the node named after ">" in its id.
  const pin: SelectPolicy = { name: "pin", select: (c, cluster) => cluster.ids.indexOf(c.id.split(">")[1]!) };
  const workload = `
    id,arrival,duration,cpu,mem,zone
    y>nx,0,1,1,1,y
    x>ny,0,1,1,1,x
    x>nz,0,1,1,1,x
    z>nx,0,1,1,1,z
    x>nx,0,1,1,1,x
    y>ny,0,1,1,1,y
    z>nz,0,1,1,1,z
    none>nx,0,1,1,1,
    x>nn,0,1,1,1,x
    none>nn,0,1,1,1,`;

  it("net = latency from the container's zone to the node's zone + the node's startup", () => {
    const r = run({ workload, cluster, zones }, { policy: pin });
    expect(Array.from(r.result.containers.net)).toEqual([
      0.01, // y→x: the x→y row serves both directions
      0.01, // x→y: listed
      0.02 + 1.5, // x→z listed 20 ms, plus nz's startup
      0.03, // z→x: its own row (30), not x→z's 20
      0, // same zone, not listed
      0.005, // same zone, listed
      1.5, // same zone z, not listed: only the startup
      0, // container without zone
      0.25, // node without zone: only its startup
      0.25,
    ]);
    // Nobody waited, so d = net and D = D_net = Σ net.
    const rows = containerRows(r);
    expect(rows.map((x) => Number(x.d))).toEqual(rows.map((x) => Number(x.net)));
    expect(r.summary.D_wait).toBe(0);
    expect(r.summary.D_net).toBeCloseTo(0.01 + 0.01 + 1.52 + 0.03 + 0.005 + 1.5 + 0.25 + 0.25, 12);
    expect(r.summary.D).toBe(r.summary.D_net);
  });

  it("without a zones file every latency is 0 and only startups count", () => {
    const r = run({ workload, cluster }, { policy: pin });
    expect(Array.from(r.result.containers.net)).toEqual([0, 0, 1.5, 0, 0, 0, 1.5, 0, 0.25, 0.25]);
  });

  it("d = wait + net for a container that waited", () => {
    // c0 fills nz (startup 1.5) 0-2; c1 (zone x) waits for it: starts 2, wait 2, net 0.02 + 1.5.
    const r = run({
      workload: `
        id,arrival,duration,cpu,mem,zone
        c0,0,2,9,1,z
        c1,0,1,9,1,x`,
      cluster: `
        id,cpu,mem,zone,startup
        nz,9,9,z,1.5`,
      zones,
    }, { policy: firstFit() });
    const rows = containerRows(r);
    expect(rows[1]).toMatchObject({ node: "nz", start: "2", wait: "2", net: String(0.02 + 1.5), d: String(2 + (0.02 + 1.5)) });
    expect(r.summary.D).toBe(1.5 + (2 + (0.02 + 1.5)));
  });
});

describe("horizon", () => {
  // backfill, horizon 10, one node of 2 cores.
  // c0 (1 core) 0-8. c1 (1 core) starts at 2, would end at 22. c2 (2 cores) waits from 3 on.
  // At 8 c0 leaves (1 free): c2 still does not fit. At 10 (the horizon, processed) c3 arrives
  // and starts past c2. c4 arrives at 10.5, after the horizon.
  const text = {
    workload: `
      id,arrival,duration,cpu,mem
      c0,0,8,1,0
      c1,2,20,1,0
      c2,3,3,2,0
      c3,10,1,0.5,0
      c4,10.5,1,0.5,0`,
    cluster: `
      id,cpu,mem
      a,2,1`,
  };

  it("processes events at exactly the horizon; running, pending and not-arrived are unfinished", () => {
    const r = run(text, { policy: firstFit(), queue: "backfill", horizon: 10 });
    expect(r.lines).toEqual(["c0@a 0-8", "c1@a 2-", "c2 unfinished", "c3@a 10-", "c4 unfinished"]);
    const rows = containerRows(r);
    // A started one keeps node, start, wait, net and d; end, r, p stay empty.
    expect(rows[1]).toEqual({ id: "c1", node: "a", arrival: "2", start: "2", end: "", wait: "0", net: "0", r: "", p: "", d: "0", state: "unfinished", reason: "" });
    expect(rows[3]).toEqual({ id: "c3", node: "a", arrival: "10", start: "10", end: "", wait: "0", net: "0", r: "", p: "", d: "0", state: "unfinished", reason: "" });
    // Pending and never-arrived ones have only id, arrival and state.
    for (const row of [rows[2], rows[4]]) {
      expect(row).toMatchObject({ node: "", start: "", end: "", wait: "", net: "", r: "", p: "", d: "", state: "unfinished", reason: "" });
    }
    expect(r.summary).toMatchObject({ finished: 1, rejected: 0, unfinished: 4 });
    // 4 arrivals (c0..c3) + 1 departure (c0).
    expect(r.summary.events).toBe(5);
  });

  it("ends the utilisation window at the last processed departure", () => {
    // Window [0, 8]: ∫cpu = 1 core·2 s (0-2) + 2 cores·6 s (2-8) = 14 core·s over 2 cores·8 s = 0.875.
    // (Up to the horizon it would be 16/20 = 0.8.) c3's start at 10 is after the window.
    const r = run(text, { policy: firstFit(), queue: "backfill", horizon: 10 });
    expect(r.summary.util_cpu).toBe(0.875);
    expect(r.summary.util_mem).toBe(0);
    expect(r.summary.makespan).toBe(8);
    // Only finished containers count in R, P, D: c0 ran 8 s on 1 core.
    expect(r.summary).toMatchObject({ R: 8, P: 1, D: 0 });
  });

  it("without a departure before the horizon the window is empty and utilisation 0", () => {
    const r = run(text, { policy: firstFit(), queue: "backfill", horizon: 7 });
    expect(r.lines).toEqual(["c0@a 0-", "c1@a 2-", "c2 unfinished", "c3 unfinished", "c4 unfinished"]);
    expect(r.summary).toMatchObject({ finished: 0, unfinished: 5, util_cpu: 0, makespan: 0, wait_mean: undefined, slowdown_mean: undefined });
    expect(r.summary.peak_cpu).toBe(1);
  });
});

describe("micro-unit bookkeeping", () => {
  const single = `
    id,cpu,mem
    a,1,1`;

  it("0.1 + 0.2 + 0.7 cores fill a 1-core node exactly and free it exactly", () => {
    // All three start at 0 and fill a. c3 (1 core) waits. They leave at 1 (0.7), 2 (0.2), 3 (0.1);
    // in float64, 1 − 0.1 − 0.2 − 0.7 + 0.7 + 0.2 + 0.1 = 0.9999999999999999 and c3 would wait
    // forever; in micro-units a is exactly free at 3 and c3 starts.
    const r = run({ workload: `
      id,arrival,duration,cpu,mem
      c0,0,3,0.1,0.1
      c1,0,2,0.2,0.2
      c2,0,1,0.7,0.7
      c3,0.5,1,1,1`, cluster: single }, { policy: firstFit() });
    expect(r.lines).toEqual(["c0@a 0-3", "c1@a 0-2", "c2@a 0-1", "c3@a 3-4"]);
    expect(r.summary.peak_cpu).toBe(1);
    expect(r.summary.peak_mem).toBe(1);
  });

  it("0.3 + 0.6 then 0.1 fits (float64 would leave 0.09999999999999998 free)", () => {
    const r = run({ workload: `
      id,arrival,duration,cpu,mem
      c0,0,5,0.3,0
      c1,0,5,0.6,0
      c2,0,5,0.1,0`, cluster: single }, { policy: firstFit(), queue: "reject" });
    expect(r.lines).toEqual(["c0@a 0-5", "c1@a 0-5", "c2@a 0-5"]);
  });
});
