/**
 * The score index (best-fit, worst-fit, fastest, nearest in about O(log n)) against the linear scan
 * of the exact float64 scores, ties to the lowest index: random clusters of several capacity
 * classes (decimal and one-third capacities, gpu and gpu-less nodes, several speeds, random zones,
 * latencies and startups) under random sequences of take / give / takeDown / bringUp, every answer
 * compared; a deliberate near-tie (thirds: equal real keys, float64 scores an ulp apart); equal and
 * nearly equal nets; identical nodes; down nodes. Vain marks: every query is repeated, then asked
 * at least as large on every resource, between the changes; capacity given back, a node brought up
 * and blocks split and merged under marks left by vain searches.
 * SCHEDSIM_PROPERTY_RUNS sets the number of random cases (default 150; four times that for the
 * main property, which is fast).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import seedrandom from "seedrandom";
import { ClusterState } from "../../src/model/cluster-state.ts";
import { ScoreIndex, autoBlockSize } from "../../src/model/score-index.ts";
import { makeCluster } from "../../src/model/cluster.ts";
import { ZoneTable } from "../../src/model/zones.ts";
import { meanAllocatedAfter, meanFreeAfter, type ClusterView, type Container, type ScoreFunction } from "../../src/policy/index.ts";
import { builtin, containerRows, run } from "../helpers.ts";

const RUNS = Number(process.env.SCHEDSIM_PROPERTY_RUNS ?? 150);
/** A property runs synchronously; vitest would mark it failed past its timeout. */
const TIMEOUT = Math.max(60_000, RUNS * 40);

function container(cpu: number, mem: number, gpu = 0, zone = -1): Container {
  return { index: 0, id: "c", arrival: 0, duration: 1, cpu, mem, gpu, zone, priority: 0 };
}

/** DESIGN.md's scan: the feasible node with the highest score, then tie, then the lowest index. */
function scan(cluster: ClusterView, c: Container, score: ScoreFunction, tie?: ScoreFunction): number {
  const ctx = { now: 0, rng: () => 0 };
  let best = -1;
  for (let n = 0; n < cluster.size; n++) {
    if (!cluster.fits(c, n)) continue;
    if (best < 0) { best = n; continue; }
    const s = score(c, n, cluster, ctx), b = score(c, best, cluster, ctx);
    if (s > b || (s === b && tie && tie(c, n, cluster, ctx) > tie(c, best, cluster, ctx))) best = n;
  }
  return best;
}
const speed: ScoreFunction = (_c, n, cluster) => cluster.speed[n]!;
const nearness: ScoreFunction = (c, n, cluster) => -cluster.net(c, n);

function expectSameAsScan(cluster: ClusterState, c: Container): void {
  const what = `request ${c.cpu},${c.mem},${c.gpu}`;
  expect(cluster.bestFitNode(c), `best-fit, ${what}`).toBe(scan(cluster, c, meanAllocatedAfter));
  expect(cluster.worstFitNode(c), `worst-fit, ${what}`).toBe(scan(cluster, c, meanFreeAfter));
  expect(cluster.fastestNode(c), `fastest, ${what}`).toBe(scan(cluster, c, speed, meanFreeAfter));
  expect(cluster.nearestNode(c), `nearest, ${what}, zone ${c.zone}`).toBe(scan(cluster, c, nearness, meanFreeAfter));
}

// Capacities in micro-units: round decimals, thirds (one unit is 1e6) and arbitrary amounts.
const amount = fc.oneof({ arbitrary: fc.constant(3e6), weight: 2 }, fc.constantFrom(6e6, 1.5e6, 4e6, 32e6, 128e6, 2.5e6), fc.integer({ min: 1, max: 64e6 }));
const nodeClass = fc.record({
  cpu: amount,
  mem: amount,
  gpu: fc.constantFrom(0, 0, 1e6, 3e6, 0.5e6),
  speed: fc.constantFrom(1, 1, 1.5, 2),
});
/** Fractions of a node's free amount used to draw requests: zero, whole, thirds, tenths. */
const fraction = fc.constantFrom(0, 0.1, 0.25, 1 / 3, 0.5, 2 / 3, 1);
const op = fc.record({
  kind: fc.constantFrom("take", "take", "take", "give", "give", "query", "down", "up"),
  node: fc.nat(),
  f: fc.tuple(fraction, fraction, fraction),
  step: fc.constantFrom(1, 1e5, 1e6 / 3),
  /** Or a request in tenths of a unit (capped by the free amount): frees in tenths of 3 units tie often. */
  tenths: fc.option(fc.tuple(fc.nat(12), fc.nat(12), fc.nat(3))),
  /** The zone of the queries' containers (-1: none). */
  zone: fc.integer({ min: -1, max: 2 }),
});
/** Node zone (-1: none) and startup, s: with latencies of 0.1–0.5 s, equal and nearly equal nets. */
const site = fc.tuple(fc.integer({ min: -1, max: 2 }), fc.constantFrom(0, 0, 0.1, 0.2, 0.3, 0.5));
/** Latencies from → to in ms, in a non-strict table (unlisted pairs: 0). */
const latencies = fc.array(fc.tuple(fc.nat(2), fc.nat(2), fc.constantFrom(0, 100, 200, 300, 500)), { maxLength: 9 });
const scenario = fc.record({
  classes: fc.array(nodeClass, { minLength: 1, maxLength: 4 }),
  members: fc.array(fc.nat(), { minLength: 1, maxLength: 40 }),
  sites: fc.array(site, { minLength: 1, maxLength: 40 }),
  latencies,
  ops: fc.array(op, { maxLength: 60 }),
  queryFirst: fc.boolean(),
});

type Op = { kind: string; node: number; f: [number, number, number]; step: number; tenths: [number, number, number] | null; zone: number };
type Scenario = {
  classes: { cpu: number; mem: number; gpu: number; speed: number }[];
  members: number[];
  sites: [number, number][];
  latencies: [number, number, number][];
  ops: Op[];
  queryFirst: boolean;
};

/** A request of a fraction of a node's free amounts in steps of `step` micro-units, or in tenths. */
function drawn(cluster: ClusterState, node: number, o: Pick<Op, "f" | "step" | "tenths" | "zone">): Container {
  const free = (k: number) => Math.max(0, cluster.free[node * 3 + k]!);
  const amt = o.tenths ? (k: number) => Math.min(free(k), o.tenths![k]! * 1e5) : (k: number) => Math.floor((free(k) * o.f[k]!) / o.step) * o.step;
  return container(Math.round(amt(0)), Math.round(amt(1)), Math.round(amt(2)), o.zone);
}

function checkScenario({ classes, members, sites, latencies, ops, queryFirst }: Scenario): void {
  const zones = new ZoneTable(false);
  for (const name of ["a", "b", "c"]) zones.intern(name);
  for (const [from, to, ms] of latencies) zones.set(zones.names[from]!, zones.names[to]!, ms);
  const spec = makeCluster(members.map((m, i) => {
    const [zone, startup] = sites[i % sites.length]!;
    return { id: `n${i}`, ...classes[m % classes.length]!, zone, startup };
  }));
  const cluster = new ClusterState(spec, zones);
  const n = cluster.size;
  const running: { node: number; c: Container }[] = [];
  // Indexes of our own with tiny blocks (so that blocks split, merge and share entries often), told
  // of every change, whose structure is checked after each step.
  const own = new ScoreIndex(cluster, "capacity", 4), ownFast = new ScoreIndex(cluster, "speed", 8), ownNear = new ScoreIndex(cluster, "net", 4);
  const queries = (o: Pick<Op, "node" | "f" | "step" | "tenths" | "zone">) => {
    expect(own.verify()).toBe("");
    expect(ownFast.verify()).toBe("");
    expect(ownNear.verify()).toBe("");
    for (let j = 0; j < 3; j++) {
      const c = drawn(cluster, (o.node + j) % n, o);
      // The request, again (its vain marks in place), then one at least as large on every
      // resource (skips what the first searched in vain) and one beyond the drawn node's free.
      const more = (by: number) => ({ ...c, cpu: c.cpu + by, mem: c.mem + by, gpu: c.gpu + (j === 1 ? by : 0) });
      for (const d of [c, c, more(o.step), more(1e6)]) {
        expectSameAsScan(cluster, d);
        expect([own.bestFit(d), own.worstFit(d), ownFast.fastest(d), ownNear.nearest(d)])
          .toEqual([cluster.bestFitNode(d), cluster.worstFitNode(d), cluster.fastestNode(d), cluster.nearestNode(d)]);
      }
    }
    for (let zone = -1; zone < 3; zone++) expectSameAsScan(cluster, container(0, 0, 0, zone));
  };
  if (queryFirst) queries({ node: 0, f: [1 / 3, 0.5, 0], step: 1, tenths: null, zone: 0 });
  for (const o of ops) {
    const node = o.node % n;
    if (o.kind === "take" && !cluster.down[node]) {
      const c = drawn(cluster, node, o);
      cluster.take(node, c.cpu, c.mem, c.gpu);
      running.push({ node, c });
    } else if (o.kind === "give" && running.length > 0) {
      const [r] = running.splice(o.node % running.length, 1);
      cluster.give(r!.node, r!.c.cpu, r!.c.mem, r!.c.gpu);
    } else if (o.kind === "down" && !cluster.down[node]) {
      for (let i = running.length - 1; i >= 0; i--) {
        const r = running[i]!;
        if (r.node === node) { cluster.give(node, r.c.cpu, r.c.mem, r.c.gpu); running.splice(i, 1); }
      }
      cluster.takeDown(node);
    } else if (o.kind === "up" && cluster.down[node]) {
      cluster.bringUp(node);
    }
    // Every node whose free capacity may have changed (give may have freed another node).
    for (let m = 0; m < n; m++) { own.update(m); ownFast.update(m); ownNear.update(m); }
    queries(o);
  }
}

describe("score index: the same node as the linear scan of the exact score", () => {
  it("on random clusters under random takes, gives, failures and repairs", () => {
    fc.assert(fc.property(scenario, checkScenario), { numRuns: RUNS * 4 });
  }, TIMEOUT);

  it("on nodes of 3 units with frees and requests in tenths (real ties, float64 near-ties)", () => {
    const tenths = fc.tuple(fc.nat(30), fc.nat(30), fc.nat(30));
    const thirds = fc.record({
      shape: fc.constantFrom([3e6, 3e6, 0], [3e6, 6e6, 0], [3e6, 3e6, 3e6], [6e6, 3e6, 3e6]),
      used: fc.array(tenths, { minLength: 1, maxLength: 16 }),
      requests: fc.array(tenths, { minLength: 1, maxLength: 8 }),
    });
    fc.assert(fc.property(thirds, ({ shape, used, requests }) => {
      const [cpu, mem, gpu] = shape as [number, number, number];
      const cluster = new ClusterState(makeCluster(used.map((_, i) => ({ id: `n${i}`, cpu, mem, gpu }))), new ZoneTable(false));
      cluster.bestFitNode(container(0, 0));
      cluster.fastestNode(container(0, 0));
      used.forEach((u, i) => cluster.take(i, Math.min(cpu, u[0] * 1e5), Math.min(mem, u[1] * 1e5), Math.min(gpu, u[2] * 1e5)));
      for (const r of requests) expectSameAsScan(cluster, container(r[0] * 1e5, r[1] * 1e5, gpu ? r[2] * 1e4 : 0));
      expectSameAsScan(cluster, container(0, 0));
    }), { numRuns: RUNS * 4 });
  }, TIMEOUT);

  it("with more classes than the index serves (the exact scan inside)", () => {
    const many = fc.array(nodeClass, { minLength: ScoreIndex.MAX_CLASSES + 1, maxLength: ScoreIndex.MAX_CLASSES + 8 });
    fc.assert(fc.property(many, fc.array(op, { maxLength: 20 }), (classes, ops) => {
      const sites = classes.map((_, i): [number, number] => [(i % 4) - 1, [0, 0.2, 0.5][i % 3]!]);
      checkScenario({ classes, members: classes.map((_, i) => i), sites, latencies: [[0, 1, 200], [2, 1, 300]], ops, queryFirst: true });
    }), { numRuns: Math.ceil(RUNS / 10) });
  }, TIMEOUT);
});

describe("score index: tiny blocks under long random sequences", () => {
  // Blocks of 4–16 entries on clusters of up to 80 nodes: entries move between blocks all the time,
  // blocks split, merge and share their entries; the structure is checked after every change.
  const step = fc.tuple(fc.nat(), fc.nat(8), fc.boolean());
  it("keeps its structure and answers exactly", () => {
    fc.assert(fc.property(fc.integer({ min: 10, max: 80 }), fc.constantFrom(4, 8, 16), fc.array(step, { minLength: 50, maxLength: 300 }), (n, block, steps) => {
      const spec = makeCluster(Array.from({ length: n }, (_, i) => ({ id: `n${i}`, cpu: i % 3 ? 8e6 : 4e6, mem: i % 3 ? 8e6 : 16e6, speed: 1 + (i % 2), startup: i % 4 })));
      const cluster = new ClusterState(spec, new ZoneTable(false));
      const indexes = [new ScoreIndex(cluster, "capacity", block), new ScoreIndex(cluster, "speed", block), new ScoreIndex(cluster, "net", block)];
      const taken: number[][] = Array.from({ length: n }, () => []);
      steps.forEach(([pick, units, take], j) => {
        const node = pick % n, amount = units * 0.5e6;
        if (take && cluster.free[node * 3]! >= amount && cluster.free[node * 3 + 1]! >= 2 * amount) {
          cluster.take(node, amount, 2 * amount, 0);
          taken[node]!.push(amount);
        } else if (taken[node]!.length > 0) {
          const back = taken[node]!.pop()!;
          cluster.give(node, back, 2 * back, 0);
        }
        for (const index of indexes) {
          index.update(node);
          expect(index.verify()).toBe("");
        }
        if (j % 10 === 0) {
          for (const c of [container(0, 0), container(1e6, 1e6), container(3e6, 7e6), container(0.5e6, 12e6)]) {
            const [byCapacity, bySpeed, byNet] = indexes as [ScoreIndex, ScoreIndex, ScoreIndex];
            expect(byCapacity.bestFit(c)).toBe(scan(cluster, c, meanAllocatedAfter));
            expect(byCapacity.worstFit(c)).toBe(scan(cluster, c, meanFreeAfter));
            expect(bySpeed.fastest(c)).toBe(scan(cluster, c, speed, meanFreeAfter));
            expect(byNet.nearest(c)).toBe(scan(cluster, c, nearness, meanFreeAfter));
          }
        }
      });
    }), { numRuns: RUNS });
  }, TIMEOUT);
});

describe("score index: default block size", () => {
  /** Class of each node for classes of the given sizes. */
  const classOf = (sizes: number[]) => Int32Array.from(sizes.flatMap((n, cls) => Array<number>(n).fill(cls)));

  it("is the power of two nearest the square root of the largest class (on a log scale), 16 to 64", () => {
    expect(autoBlockSize(classOf([1]), 1)).toBe(16);
    expect(autoBlockSize(classOf([100]), 1)).toBe(16); // √100 = 10: 8, raised to 16
    expect(autoBlockSize(classOf([833, 833, 833]), 3)).toBe(32); // √833 ≈ 28.9
    expect(autoBlockSize(classOf([10, 2000]), 2)).toBe(32); // √2000 ≈ 44.7 = 2^5.48
    expect(autoBlockSize(classOf([3000, 10]), 2)).toBe(64); // √3000 ≈ 54.8 = 2^5.78
    expect(autoBlockSize(classOf([10000]), 1)).toBe(64); // √10000 = 100: 128, capped at 64
  });

  it("keeps its structure and answers exactly on classes of hundreds of nodes", () => {
    // 300 and 1,100 nodes: blocks of 32, tens of blocks per class, splits and merges under load.
    fc.assert(fc.property(fc.nat(), (seed) => {
      const rng = seedrandom(String(seed));
      const spec = makeCluster(Array.from({ length: 1400 }, (_, i) => (i % 14 < 3 ? { id: `n${i}`, cpu: 8e6, mem: 16e6 } : { id: `n${i}`, cpu: 16e6, mem: 32e6 })));
      const cluster = new ClusterState(spec, new ZoneTable(false));
      const index = new ScoreIndex(cluster, "capacity");
      expect(index.blockSize).toBe(32);
      const taken: number[][] = Array.from({ length: cluster.size }, () => []);
      for (let step = 1; step <= 4000; step++) {
        const node = Math.floor(rng() * cluster.size), amount = (1 + Math.floor(rng() * 8)) * 0.5e6;
        if (rng() < 0.6 && cluster.fits(container(amount, 2 * amount), node)) {
          cluster.take(node, amount, 2 * amount, 0);
          taken[node]!.push(amount);
        } else if (taken[node]!.length > 0) {
          const back = taken[node]!.pop()!;
          cluster.give(node, back, 2 * back, 0);
        }
        index.update(node);
        if (step % 500 === 0) {
          expect(index.verify()).toBe("");
          for (const c of [container(0.5e6, 1e6), container(4e6, 8e6), container(3e6, 20e6)]) {
            expect(index.bestFit(c)).toBe(scan(cluster, c, meanAllocatedAfter));
            expect(index.worstFit(c)).toBe(scan(cluster, c, meanFreeAfter));
          }
        }
      }
    }), { numRuns: Math.max(3, Math.ceil(RUNS / 30)) });
  }, TIMEOUT);
});

describe("score index: the node just chosen, taken", () => {
  // A search leaves where the chosen node's entry is, and taking that node starts from there: also
  // right after other nodes of its block changed (entries moved, the hint is stale) or after a
  // search of another kind on the same index.
  const step = fc.tuple(fc.nat(3), fc.integer({ min: 1, max: 8 }), fc.nat(), fc.nat(2));
  it("keeps its structure and answers exactly", () => {
    fc.assert(fc.property(fc.integer({ min: 10, max: 60 }), fc.constantFrom(4, 8), fc.array(step, { minLength: 20, maxLength: 200 }), (n, block, steps) => {
      const spec = makeCluster(Array.from({ length: n }, (_, i) => ({ id: `n${i}`, cpu: 8e6, mem: 16e6, speed: 1 + (i % 2), startup: i % 3 })));
      const cluster = new ClusterState(spec, new ZoneTable(false));
      const [byCapacity, bySpeed, byNet] = [new ScoreIndex(cluster, "capacity", block), new ScoreIndex(cluster, "speed", block), new ScoreIndex(cluster, "net", block)];
      const indexes = [byCapacity, bySpeed, byNet];
      const taken: number[][] = Array.from({ length: n }, () => []);
      const change = (node: number, amount: number, take: boolean) => {
        if (take) {
          cluster.take(node, amount, 2 * amount, 0);
          taken[node]!.push(amount);
        } else {
          const back = taken[node]!.pop()!;
          cluster.give(node, back, 2 * back, 0);
        }
        for (const index of indexes) {
          index.update(node);
          expect(index.verify()).toBe("");
        }
      };
      for (const [which, units, other, between] of steps) {
        const c = container(units * 0.5e6, units * 1e6);
        const asked = [() => byCapacity.bestFit(c), () => byCapacity.worstFit(c), () => bySpeed.fastest(c), () => byNet.nearest(c)];
        const node = asked[which]!();
        expect(node).toBe([scan(cluster, c, meanAllocatedAfter), scan(cluster, c, meanFreeAfter), scan(cluster, c, speed, meanFreeAfter), scan(cluster, c, nearness, meanFreeAfter)][which]);
        if (between === 1) asked[(which + 1) % 4]!(); // another search in between
        const o = other % n;
        const canTake = cluster.fits(container(0.5e6, 1e6), o), canGive = taken[o]!.length > 0;
        if (between === 2 && o !== node && (canTake || canGive)) change(o, 0.5e6, canTake && (!canGive || other % 2 === 0));
        if (node >= 0) change(node, c.cpu, true);
      }
    }), { numRuns: RUNS });
  }, TIMEOUT);
});

describe("score index: searched in vain", () => {
  // Nodes of 8 × 8 units left with (2, 6) or (6, 2) free: every block's maxima cover (3, 3) while
  // no node does. A search for it marks blocks and tree nodes vain; capacity that comes back under
  // a mark (an end, a node back up, in a block that then splits or merges) must lift it.
  const n = 40, u = 1e6;
  const setup = () => {
    const cluster = new ClusterState(makeCluster(Array.from({ length: n }, (_, i) => ({ id: `n${i}`, cpu: 8 * u, mem: 8 * u, zone: i % 3 - 1 }))), new ZoneTable(false));
    const indexes = [4, 8, 64].map((block) => [new ScoreIndex(cluster, "capacity", block), new ScoreIndex(cluster, "speed", block), new ScoreIndex(cluster, "net", block)] as const);
    const check = (c: Container) => {
      expectSameAsScan(cluster, c);
      for (const [byCapacity, bySpeed, byNet] of indexes) {
        expect(byCapacity.bestFit(c)).toBe(scan(cluster, c, meanAllocatedAfter));
        expect(byCapacity.worstFit(c)).toBe(scan(cluster, c, meanFreeAfter));
        expect(bySpeed.fastest(c)).toBe(scan(cluster, c, speed, meanFreeAfter));
        expect(byNet.nearest(c)).toBe(scan(cluster, c, nearness, meanFreeAfter));
        for (const index of [byCapacity, bySpeed, byNet]) expect(index.verify()).toBe("");
      }
    };
    const changed = (node: number) => { for (const trio of indexes) for (const index of trio) index.update(node); };
    for (let i = 0; i < n; i++) {
      cluster.take(i, i % 2 ? 6 * u : 2 * u, i % 2 ? 2 * u : 6 * u, 0);
      changed(i);
    }
    return { cluster, check, changed };
  };

  it("a request searched in vain, again, larger, smaller and in another shape", () => {
    const { check } = setup();
    for (const [cpu, mem] of [[3, 3], [3, 3], [4, 3], [3, 5], [2.5, 2.5], [2, 6], [6, 2], [2, 2], [7, 1], [1, 7]]) check(container(cpu! * u, mem! * u));
  });

  it("capacity given back under a mark, one node at a time, is found", () => {
    const { cluster, check, changed } = setup();
    for (const node of [37, 0, 21, 22, 9]) {
      check(container(3 * u, 3 * u));
      check(container(4 * u, 4 * u));
      cluster.give(node, node % 2 ? 3 * u : 1.5 * u, node % 2 ? 1.5 * u : 3 * u, 0);
      changed(node);
      check(container(3 * u, 3 * u));
      check(container(4 * u, 4 * u));
      // Taken again: every node back below the request.
      cluster.take(node, 3 * u, 3 * u, 0);
      changed(node);
    }
  });

  it("a node brought back up under a mark is found", () => {
    const { cluster, check, changed } = setup();
    cluster.give(5, 6 * u, 2 * u, 0);
    cluster.takeDown(5);
    changed(5);
    check(container(3 * u, 3 * u));
    check(container(8 * u, 8 * u));
    cluster.bringUp(5);
    changed(5);
    check(container(8 * u, 8 * u));
    check(container(3 * u, 3 * u));
  });

  it("marks carried through splits and merges", () => {
    const { cluster, check, changed } = setup();
    const queries = [container(3 * u, 3 * u), container(4 * u, 2.5 * u), container(2.5 * u, 4 * u)];
    for (const c of queries) check(c);
    // Nodes move between blocks (keys change), which splits and merges the tiny ones, between
    // vain searches; then one by one get room for the first request.
    for (let round = 0; round < 3; round++) {
      for (let i = round; i < n; i += 3) {
        cluster.give(i, i % 2 ? 6 * u : 2 * u, i % 2 ? 2 * u : 6 * u, 0);
        changed(i);
        if (i % 4 === 0) for (const c of queries) check(c);
        cluster.take(i, i % 2 ? 6 * u : 2 * u, i % 2 ? 2 * u : 6 * u, 0);
        changed(i);
      }
      for (const c of queries) check(c);
    }
  });
});

describe("score index: near-ties", () => {
  // Cap 3 cores / 3 GiB. Free (0.2, 1.2) and (0.7, 0.7) have the same real key, 1.4/3, and the same
  // float64 key, but their float64 scores differ in the last bit (each computed here by hand from
  // the formula): the order of keys cannot decide, the exact scores must.
  const cap = 3e6;
  const x = [0.2e6, 1.2e6], y = [0.7e6, 0.7e6];
  const worst = (f: number[]) => ((1 - (cap - f[0]!) / cap) + (1 - (cap - f[1]!) / cap)) / 2;
  const best = (f: number[]) => ((cap - f[0]!) / cap + (cap - f[1]!) / cap) / 2;

  it("is a real near-tie: equal keys, scores an ulp apart", () => {
    expect(x[0]! / cap + x[1]! / cap).toBe(y[0]! / cap + y[1]! / cap);
    expect(worst(x)).toBeGreaterThan(worst(y));
    expect(best(y)).toBeGreaterThan(best(x));
  });

  for (const order of [[x, y], [y, x]]) {
    it(`goes to the higher float64 score, nodes in order ${order.map((f) => `(${f.join(", ")})`).join(", ")}`, () => {
      // Three nodes of each free vector, interleaved, so lowest-index ties are exercised too.
      const frees = [order[0]!, order[1]!, order[0]!, order[1]!, order[0]!, order[1]!];
      const cluster = new ClusterState(makeCluster(frees.map((_, i) => ({ id: `n${i}`, cpu: cap, mem: cap }))), new ZoneTable(false));
      cluster.bestFitNode(container(0, 0)); // build the index before the changes
      frees.forEach((f, i) => cluster.take(i, cap - f[0]!, cap - f[1]!, 0));
      const none = container(0, 0);
      expect(cluster.worstFitNode(none)).toBe(order[0] === x ? 0 : 1);
      expect(cluster.bestFitNode(none)).toBe(order[0] === y ? 0 : 1);
      expect(cluster.fastestNode(none)).toBe(order[0] === x ? 0 : 1);
      expectSameAsScan(cluster, none);
      expectSameAsScan(cluster, container(0.1e6, 0.1e6));
    });
  }

  // Free (2.0, 1.6) and (2.3, 1.3): the same real key 3.6/3, float64 keys 1.2 and
  // 1.2000000000000002 — yet worst-fit scores the lower key higher (0.6000000000000001 against
  // 0.6) and best-fit scores both 0.4, so the lower index must win even against the lower key.
  const lo = [2.0e6, 1.6e6], hi = [2.3e6, 1.3e6];

  it("is a near-tie against the key order: keys an ulp apart, scores reversed or tied", () => {
    expect(lo[0]! / cap + lo[1]! / cap).toBeLessThan(hi[0]! / cap + hi[1]! / cap);
    expect(worst(lo)).toBeGreaterThan(worst(hi));
    expect(best(lo)).toBe(best(hi));
  });

  for (const order of [[hi, lo], [lo, hi]]) {
    it(`goes against the key order when the scores say so, nodes in order ${order.map((f) => `(${f.join(", ")})`).join(", ")}`, () => {
      const cluster = new ClusterState(makeCluster(order.map((_, i) => ({ id: `n${i}`, cpu: cap, mem: cap, speed: 1 }))), new ZoneTable(false));
      cluster.worstFitNode(container(0, 0));
      cluster.fastestNode(container(0, 0));
      order.forEach((f, i) => cluster.take(i, cap - f[0]!, cap - f[1]!, 0));
      const none = container(0, 0);
      expect(cluster.worstFitNode(none)).toBe(order.indexOf(lo));
      expect(cluster.fastestNode(none)).toBe(order.indexOf(lo));
      expect(cluster.bestFitNode(none)).toBe(0);
      expectSameAsScan(cluster, none);
    });
  }
});

describe("score index: nearest's net, equal and nearly equal", () => {
  // Zones a, b, c; a→b 500 ms, a→c 100 ms (non-strict: c→a and b→a resolve to the same).
  const table = () => {
    const zones = new ZoneTable(false);
    zones.set("a", "b", 500);
    zones.set("a", "c", 100);
    return zones;
  };
  const [a, b, c] = [0, 1, 2];
  const state = (nodes: { zone: number; startup: number }[]) =>
    new ClusterState(makeCluster(nodes.map((x, i) => ({ id: `n${i}`, cpu: 4e6, mem: 4e6, ...x }))), table());

  it("0.1 s + 0.2 s is not 0.3 s: the float64 sums decide, not the worst-fit score", () => {
    expect(0.1 + 0.2).toBeGreaterThan(0.3);
    // From zone a: n0 (zone c, startup 0.2) net 0.30000000000000004, empty; n1 (zone a, 0.3) net 0.3, half used.
    const cluster = state([{ zone: c, startup: 0.2 }, { zone: a, startup: 0.3 }]);
    cluster.nearestNode(container(0, 0, 0, a));
    cluster.take(1, 2e6, 2e6, 0);
    expect(cluster.nearestNode(container(1e6, 1e6, 0, a))).toBe(1);
    // From zone c: n0 net 0.2, n1 net 0.1 + 0.3 = 0.4.
    expect(cluster.nearestNode(container(1e6, 1e6, 0, c))).toBe(0);
    // No zone: latency 0, so startups alone: n0 0.2 < 0.3.
    expect(cluster.nearestNode(container(1e6, 1e6, 0, -1))).toBe(0);
  });

  it("0.5 s of latency ties 0.5 s of startup: the least allocated wins, then the lowest index", () => {
    // From zone a, every node's net is 0.5: n0 (zone b, no startup), n1 (zone a, 0.5), n2 (zone b).
    const cluster = state([{ zone: b, startup: 0 }, { zone: a, startup: 0.5 }, { zone: b, startup: 0 }]);
    const small = container(1e6, 1e6, 0, a);
    expect(cluster.nearestNode(small)).toBe(0); // all empty: the lowest index
    cluster.take(0, 1e6, 0, 0);
    expect(cluster.nearestNode(small)).toBe(1); // n1 and n2 empty: n1
    cluster.take(1, 0, 2e6, 0);
    expect(cluster.nearestNode(small)).toBe(2);
    // From zone b: n0 and n2 net 0, n1 net 0.5 + 0.5; n0 is used, n2 is not.
    expect(cluster.nearestNode(container(1e6, 1e6, 0, b))).toBe(2);
    // Only n1 can hold 4 cores (n0 has 3 free, n2 2): the nearest group has no feasible node, the
    // next one answers; n1 has 2 GiB free, so 4 cores and 3 GiB fit nowhere.
    cluster.take(2, 2e6, 0, 0);
    expect(cluster.nearestNode(container(3e6, 1e6, 0, b))).toBe(0);
    expect(cluster.nearestNode(container(4e6, 1e6, 0, b))).toBe(1);
    expect(cluster.nearestNode(container(4e6, 3e6, 0, b))).toBe(-1);
    for (const zone of [-1, a, b, c]) expectSameAsScan(cluster, container(1e6, 1e6, 0, zone));
  });

  it("without a zones file every latency is 0: the startup decides", () => {
    const cluster = new ClusterState(makeCluster([0.5, 0, 0].map((startup, i) => ({ id: `n${i}`, cpu: 4e6, mem: 4e6, zone: i, startup }))), new ZoneTable(false));
    cluster.take(1, 1e6, 1e6, 0);
    expect(cluster.nearestNode(container(1e6, 1e6, 0, 0))).toBe(2);
    expect(cluster.nearestNode(container(1e6, 1e6, 0, -1))).toBe(2);
  });
});

describe("score index: identical nodes and down nodes", () => {
  const size = 2000;
  const uniform = () => new ClusterState(makeCluster(Array.from({ length: size }, (_, i) => ({ id: `n${i}`, cpu: 32e6, mem: 128e6 }))), new ZoneTable(false));
  const c = container(1e6, 4e6);

  it("on an empty uniform cluster, every score ties: node 0", () => {
    const cluster = uniform();
    expect([cluster.bestFitNode(c), cluster.worstFitNode(c), cluster.fastestNode(c)]).toEqual([0, 0, 0]);
  });

  it("best-fit packs the fullest feasible node; worst-fit spreads to the lowest empty one", () => {
    const cluster = uniform();
    cluster.worstFitNode(c);
    cluster.take(1500, 8e6, 8e6, 0); // (24, 120) free: fullest
    cluster.take(0, 1e6, 1e6, 0);
    cluster.take(700, 31.5e6, 0, 0); // 0.5 cores free: fullest, but cannot hold a 1-core request
    expect(cluster.bestFitNode(c)).toBe(1500);
    expect(cluster.worstFitNode(c)).toBe(1);
    expect(cluster.bestFitNode(container(0.5e6, 1e6))).toBe(700);
    cluster.give(1500, 8e6, 8e6, 0);
    expect(cluster.bestFitNode(c)).toBe(0);
    expectSameAsScan(cluster, c);
  });

  it("never chooses a down node, and chooses none when every node is down", () => {
    const cluster = uniform();
    cluster.bestFitNode(c);
    for (let i = 0; i < size; i++) if (i !== 1234) cluster.takeDown(i);
    expect([cluster.bestFitNode(c), cluster.worstFitNode(c), cluster.fastestNode(c)]).toEqual([1234, 1234, 1234]);
    expect(cluster.worstFitNode(container(0, 0))).toBe(1234);
    cluster.takeDown(1234);
    expect([cluster.bestFitNode(container(0, 0)), cluster.worstFitNode(container(0, 0)), cluster.fastestNode(container(0, 0))]).toEqual([-1, -1, -1]);
    cluster.bringUp(17);
    expect([cluster.bestFitNode(c), cluster.worstFitNode(c)]).toEqual([17, 17]);
  });
});

describe("the built-in select policies equal their score form in whole runs", () => {
  // Mixed shapes in thirds and tenths, gpu and gpu-less nodes, two speeds; long containers so the
  // cluster fills and many decisions are near-ties.
  const cluster = [
    "id,cpu,mem,gpu,speed",
    ...Array.from({ length: 24 }, (_, i) => `n${i},${[3, 3, 6, 1.5][i % 4]},${[3, 6, 3, 12][i % 4]},${[0, 1, 0, 0.5][i % 3]},${i % 5 === 0 ? 2 : 1}`),
  ].join("\n");
  const workload = ["id,arrival,duration,cpu,mem,gpu", ...Array.from({ length: 400 }, (_, i) => {
    const cpu = [0.1, 0.2, 0.3, 0.5, 1][i % 5]!, mem = [0.1, 0.4, 0.7, 1, 0.3][(i * 7) % 5]!, gpu = i % 11 === 0 ? 0.5 : 0;
    return `c${i},${i * 0.5},${20 + ((i * 37) % 90)},${cpu},${mem},${gpu}`;
  })].join("\n");

  for (const [name, scoreForm] of [
    ["best-fit", { name: "best-fit", score: meanAllocatedAfter }],
    ["worst-fit", { name: "worst-fit", score: meanFreeAfter }],
    ["fastest", { name: "fastest", score: speed, tieBreak: meanFreeAfter }],
  ] as const) {
    it(name, () => {
      for (const queue of ["fifo", "backfill", "reject"] as const) {
        const indexed = containerRows(run({ workload, cluster }, { policy: builtin(name), queue }));
        const scanned = containerRows(run({ workload, cluster }, { policy: scoreForm, queue }));
        expect(indexed).toEqual(scanned);
      }
    });
  }
});
