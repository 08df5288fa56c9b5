/** Summary figures on hand-computed traces: R, P, D, utilisation, peaks, wait quantiles, slowdown. */
import { describe, expect, it } from "vitest";
import { builtin, run } from "../helpers.ts";

const firstFit = builtin("first-fit");

describe("utilisation, peak and sums", () => {
  // first-fit, fifo. Cluster totals: 4 cores, 8 GiB, 1 GPU.
  // c0 (2 cores, 1 GiB) → a 0-4 (a's cores are then all taken).
  // c1 (1 core, 2 GiB, 0.5 GPU) → b 1-3.  c2 (1 core, 1 GiB) → b 2-8.
  // c3 (0 cores, 3 GiB, zero duration) at 3, after c1's departure: a has 3 GiB free → a 3-3.
  const r = run({
    workload: `
      id,arrival,duration,cpu,mem,gpu
      c0,0,4,2,1,0
      c1,1,2,1,2,0.5
      c2,2,6,1,1,0
      c3,3,0,0,3,0`,
    cluster: `
      id,cpu,mem,gpu
      a,2,4,0
      b,2,4,1`,
  }, { policy: firstFit });

  it("places as computed", () => {
    expect(r.lines).toEqual(["c0@a 0-4", "c1@b 1-3", "c2@b 2-8", "c3@a 3-3"]);
  });

  it("integrates allocation over [first arrival, last departure]", () => {
    // Window 0-8. cpu: 2·4 + 1·2 + 1·6 = 16 core·s / (4 · 8) = 0.5.
    // mem: 1·4 + 2·2 + 1·6 + 3·0 = 14 / (8 · 8) = 0.21875.  gpu: 0.5·2 = 1 / (1 · 8) = 0.125.
    expect([r.summary.util_cpu, r.summary.util_mem, r.summary.util_gpu]).toEqual([0.5, 0.21875, 0.125]);
    expect(r.summary.makespan).toBe(8);
  });

  it("takes peaks over momentary states inside one timestamp", () => {
    // cpu: 4 of 4 from 2 to 3 → 1. gpu: 0.5 of 1.
    // mem: at 2, 1 + 2 + 1 = 4 of 8; at 3, after c1 left, c3 adds 3 GiB for an instant: 1 + 1 + 3 = 5 → 0.625.
    expect([r.summary.peak_cpu, r.summary.peak_mem, r.summary.peak_gpu]).toEqual([1, 0.625, 0.5]);
  });

  it("sums R per resource, P, D, and counts events and nodes", () => {
    // R = Σ cpu·runtime = 8 + 2 + 6 + 0; R_mem = 4 + 4 + 6 + 0; R_gpu = 0.5 · 2.
    // Nobody waits and there is no latency: every p = 1 (c3: wait + runtime = 0 → p = 1), D = 0.
    expect(r.summary).toMatchObject({
      finished: 4, rejected: 0, unfinished: 0,
      R: 16, R_mem: 14, R_gpu: 1, P: 4, D: 0, D_wait: 0, D_net: 0,
      wait_mean: 0, wait_p50: 0, wait_p95: 0, wait_p99: 0, slowdown_mean: 1,
      nodes_used: 2, events: 8,
    });
  });

  it("reports utilisation 0 for a resource the cluster does not have", () => {
    const s = run({
      workload: `
        id,arrival,duration,cpu,mem
        c0,0,4,1,1`,
      cluster: `
        id,cpu,mem
        a,2,4`,
    }, { policy: firstFit }).summary;
    // cpu: 1·4 / (2·4) = 0.5; mem: 1·4 / (4·4) = 0.25; no gpu at all.
    expect([s.util_cpu, s.util_mem, s.util_gpu, s.peak_cpu, s.peak_mem, s.peak_gpu]).toEqual([0.5, 0.25, 0, 0.5, 0.25, 0]);
  });
});

describe("waits, quantiles and slowdown", () => {
  // One single-slot node, fifo: c0 0-1 (wait 0), c1 1-3 (1), c2 3-7 (3), c3 7-8 (6), c4 8-10 (4).
  const r = run({
    workload: `
      id,arrival,duration,cpu,mem
      c0,0,1,1,1
      c1,0,2,1,1
      c2,0,4,1,1
      c3,1,1,1,1
      c4,4,2,1,1`,
    cluster: `
      id,cpu,mem
      a,1,1`,
  }, { policy: firstFit });

  it("runs in arrival order", () => {
    expect(r.lines).toEqual(["c0@a 0-1", "c1@a 1-3", "c2@a 3-7", "c3@a 7-8", "c4@a 8-10"]);
  });

  it("gives d3's R-7 quantiles of the waits", () => {
    // Sorted waits 0, 1, 3, 4, 6; mean 14/5 = 2.8.
    // h = (n − 1)·p. p50: h = 2 → 3. p95: h = 3.8 → 4 + 0.8·(6 − 4) = 5.6. p99: h = 3.96 → 5.92.
    expect(r.summary.wait_mean).toBeCloseTo(2.8, 12);
    expect(r.summary.wait_p50).toBe(3);
    expect(r.summary.wait_p95).toBeCloseTo(5.6, 12);
    expect(r.summary.wait_p99).toBeCloseTo(5.92, 12);
  });

  it("computes slowdown, P and D", () => {
    // slowdown = (wait + runtime) / duration: 1, 3/2, 7/4, 7/1, 6/2 → mean 14.25/5 = 2.85.
    // P = Σ duration / (wait + runtime) = 1 + 2/3 + 4/7 + 1/7 + 1/3 = 19/7. D = Σ wait = 14.
    expect(r.summary.slowdown_mean).toBeCloseTo(2.85, 12);
    expect(r.summary.P).toBeCloseTo(19 / 7, 12);
    expect(r.summary).toMatchObject({ D: 14, D_wait: 14, D_net: 0, R: 10, makespan: 10 });
    // Utilisation: the node is busy for all of [0, 10].
    expect(r.summary.util_cpu).toBe(1);
  });

  it("counts only finished containers and leaves the statistics empty when none finished", () => {
    const s = run({
      workload: `
        id,arrival,duration,cpu,mem
        c0,0,1,2,1`,
      cluster: `
        id,cpu,mem
        a,1,1`,
    }, { policy: firstFit }).summary;
    expect(s).toMatchObject({ finished: 0, rejected: 1, rejected_unschedulable: 1, events: 1, nodes_used: 0, makespan: 0, R: 0, P: 0, D: 0 });
    for (const k of ["wait_mean", "wait_p50", "wait_p95", "wait_p99", "slowdown_mean"] as const) expect(s[k]).toBeUndefined();
  });
});
