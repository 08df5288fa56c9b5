/**
 * ClusterState's indexes together: the `mightFit` gate before every decision and the free index
 * behind first-fit, whichever index currently answers them. By default the gate is exact (the
 * request within the per-resource maxima of the free amounts) whatever is built. With a loose gate
 * (a pure policy), once a score index is built (best-fit here) the free index is dropped and the
 * score index's class bounds answer the gate; a later first-fit search rebuilds the free index and
 * keeps it. Random clusters of one to three capacity classes under random starts, ends, failures
 * and recoveries, every answer checked against a scan. And through simulate(): a policy not marked
 * pure is never asked when nothing can fit, and marking a pure policy pure changes no outcome.
 * SCHEDSIM_PROPERTY_RUNS sets the number of random cases (default 150).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ClusterState } from "../../src/model/cluster-state.ts";
import { ScoreIndex } from "../../src/model/score-index.ts";
import { makeCluster } from "../../src/model/cluster.ts";
import { ZoneTable } from "../../src/model/zones.ts";
import type { Container, SelectPolicy } from "../../src/policy/index.ts";
import { simulate } from "../../src/index.ts";
import { inputs, outcomes } from "../helpers.ts";

const RUNS = Number(process.env.SCHEDSIM_PROPERTY_RUNS ?? 150);

function container(cpu: number, mem: number, gpu: number): Container {
  return { index: 0, id: "c", arrival: 0, duration: 1, cpu, mem, gpu, zone: -1, priority: 0 };
}

function firstByScan(cluster: ClusterState, c: Container, from = 0): number {
  for (let n = Math.max(0, from); n < cluster.size; n++) if (cluster.fits(c, n)) return n;
  return -1;
}

const amount = fc.integer({ min: 0, max: 6 });
const request = fc.tuple(amount, amount, fc.constantFrom(0, 0, 1));
const scenario = fc.record({
  classes: fc.array(fc.tuple(fc.integer({ min: 2, max: 8 }), fc.integer({ min: 2, max: 8 }), fc.constantFrom(0, 2)), { minLength: 1, maxLength: 3 }),
  members: fc.array(fc.nat(), { minLength: 1, maxLength: 60 }),
  steps: fc.array(fc.record({
    kind: fc.constantFrom("take", "take", "give", "give", "down", "up"),
    node: fc.nat(),
    amounts: request,
    queries: fc.array(fc.tuple(request, fc.integer({ min: -1, max: 62 })), { maxLength: 6 }),
  }), { maxLength: 50 }),
  /** The step after which first-fit searches start (the free index is rebuilt then). */
  searchFrom: fc.nat(50),
});

/** Whether each resource alone is free enough somewhere: the exact gate. */
function withinMaxima(cluster: ClusterState, c: Container): boolean {
  const most = (k: number) => Math.max(...Array.from({ length: cluster.size }, (_, n) => cluster.free[n * 3 + k]!));
  return most(0) >= c.cpu && most(1) >= c.mem && most(2) >= c.gpu;
}

describe.each([false, true])("ClusterState with a score index built, loose gate %s", (looseGate) => {
  it(looseGate ? "mightFit is never false when a node fits, and first-fit answers as the scan after the free index is rebuilt" : "mightFit is exactly the per-resource maxima, and first-fit answers as the scan", () => {
    fc.assert(
      fc.property(scenario, ({ classes, members, steps, searchFrom }) => {
        const spec = makeCluster(members.map((m, i) => {
          const [cpu, mem, gpu] = classes[m % classes.length]!;
          return { id: `n${i}`, cpu, mem, gpu };
        }));
        const cluster = new ClusterState(spec, new ZoneTable(false), { looseGate });
        const n = cluster.size;
        const running: { node: number; c: Container }[] = [];
        // A best-fit decision first (its answers are score-index.test.ts's): the score index takes over the gate.
        cluster.bestFitNode(container(1, 1, 0));
        steps.forEach(({ kind, node: pick, amounts, queries }, k) => {
          const node = pick % n, o = node * 3;
          if (kind === "take" && !cluster.down[node]) {
            const [cpu, mem, gpu] = amounts.map((a, r) => Math.min(a, cluster.free[o + r]!));
            cluster.take(node, cpu!, mem!, gpu!);
            running.push({ node, c: container(cpu!, mem!, gpu!) });
          } else if (kind === "give" && running.length > 0) {
            const [r] = running.splice(pick % running.length, 1);
            cluster.give(r!.node, r!.c.cpu, r!.c.mem, r!.c.gpu);
          } else if (kind === "down" && !cluster.down[node]) {
            for (let i = running.length - 1; i >= 0; i--) {
              const r = running[i]!;
              if (r.node === node) { cluster.give(node, r.c.cpu, r.c.mem, r.c.gpu); running.splice(i, 1); }
            }
            cluster.takeDown(node);
          } else if (kind === "up" && cluster.down[node]) {
            cluster.bringUp(node);
          }
          for (const [[cpu, mem, gpu], from] of queries) {
            const c = container(cpu, mem, gpu);
            if (!looseGate) expect(cluster.mightFit(c)).toBe(withinMaxima(cluster, c));
            else if (firstByScan(cluster, c) >= 0) expect(cluster.mightFit(c)).toBe(true);
            if (k >= searchFrom) {
              expect(cluster.firstFeasible(c, from)).toBe(firstByScan(cluster, c, from));
              expect(cluster.anyFeasible(c)).toBe(firstByScan(cluster, c) >= 0);
            }
          }
        });
      }),
      { numRuns: RUNS },
    );
  });

});

describe("ClusterState: the gates through simulate()", () => {
  // Two node classes, containers of varied shapes arriving faster than they end: the queue head
  // is often blocked, by cpu on some nodes and by mem on others.
  const cluster = "id,cpu,mem\n" + Array.from({ length: 12 }, (_, i) => `n${i},${i % 2 ? 4 : 8},${i % 2 ? 16 : 8}`).join("\n");
  const workload = "id,arrival,duration,cpu,mem\n" + Array.from({ length: 400 }, (_, i) => `c${i},${(i * 0.37).toFixed(2)},${5 + ((i * 7) % 23)},${1 + ((i * 5) % 7)},${1 + ((i * 3) % 13)}`).join("\n");

  it("asks a policy not marked pure only when each resource is free enough somewhere", () => {
    const inp = inputs({ workload, cluster });
    let asked = 0, beyond = 0;
    const counting: SelectPolicy = {
      name: "counting-best-fit",
      select(c, view) {
        asked++;
        if (!withinMaxima(view as ClusterState, c)) beyond++;
        return view.bestFitNode(c);
      },
    };
    simulate(inp, { policy: counting, timeline: false });
    expect(asked).toBeGreaterThan(400);
    expect(beyond).toBe(0);
  });

  it("gives the same outcomes to a pure policy whether or not it says so", () => {
    const inp = inputs({ workload, cluster });
    for (const method of ["bestFitNode", "worstFitNode", "fastestNode", "nearestNode"] as const) {
      const policy = (pure: boolean): SelectPolicy => ({ name: method, pure, select: (c, view) => view[method](c) });
      expect(outcomes(simulate(inp, { policy: policy(true), timeline: false }), inp)).toEqual(outcomes(simulate(inp, { policy: policy(false), timeline: false }), inp));
    }
  });

  it("a score index's mightFit is false when no class's maxima cover the request", () => {
    const spec = makeCluster([{ id: "a", cpu: 4, mem: 8 }, { id: "b", cpu: 8, mem: 4 }]);
    const cluster = new ClusterState(spec, new ZoneTable(false));
    const index = new ScoreIndex(cluster);
    expect(index.mightFit(4, 8, 0)).toBe(true);
    expect(index.mightFit(8, 4, 0)).toBe(true);
    // Each class on its own: neither covers 5 cpu and 5 mem, though the cluster's maxima would.
    expect(index.mightFit(5, 5, 0)).toBe(false);
    expect(index.mightFit(9, 1, 0)).toBe(false);
    expect(index.mightFit(1, 9, 0)).toBe(false);
    expect(index.mightFit(1, 1, 1)).toBe(false);
  });
});
