/**
 * Every built-in policy's score or rule on a hand-computed trace with a deliberate tie.
 * f_k = (allocated_k + request_k) / capacity_k after placement; gpu counts only on nodes with gpu.
 * All containers run long (duration 100), so each placement sees the ones before it.
 */
import { describe, expect, it } from "vitest";
import seedrandom from "seedrandom";
import { BUILTIN_POLICIES, type QueueDiscipline } from "../../src/index.ts";
import { builtin, run } from "../helpers.ts";

/** The node each container went to (or its outcome), in trace order. */
function nodes(policy: string, text: { workload: string; cluster: string; zones?: string }, queue: QueueDiscipline = "fifo", seed?: number | string) {
  return run(text, { policy: builtin(policy), queue, seed }).lines.map((l) => l.replace(/^\S+@(\S+) .*$/, "$1").replace(/^\S+ /, ""));
}

/** Containers of (cpu, mem[, gpu]) arriving one per second, each running 100 s. */
function workload(...requests: [number, number, number?][]): string {
  return ["id,arrival,duration,cpu,mem,gpu", ...requests.map(([c, m, g], i) => `c${i},${i},100,${c},${m},${g ?? 0}`)].join("\n");
}

describe("the registry", () => {
  it("holds exactly DESIGN.md's built-ins, in order", () => {
    expect([...BUILTIN_POLICIES.keys()]).toEqual(["first-fit", "best-fit", "worst-fit", "balanced", "dot-product", "fastest", "nearest", "random", "round-robin"]);
  });
});

describe("first-fit", () => {
  it("takes the lowest-index feasible node", () => {
    // c0 (3 cores) → a; c1 (2) → b (a has 1 left); c2 (1) → a.
    const cluster = "id,cpu,mem\na,4,4\nb,4,4";
    expect(nodes("first-fit", { workload: workload([3, 1], [2, 1], [1, 1]), cluster })).toEqual(["a", "b", "a"]);
  });
});

const shapes = "id,cpu,mem\nn0,4,4\nn1,2,8\nn2,8,2";

describe("best-fit: mean f_k, highest wins", () => {
  it("packs, with a tie going to the lower index", () => {
    // c0 (1,1): n0 (1/4 + 1/4)/2 = 0.25; n1 (1/2 + 1/8)/2 = 0.3125; n2 (1/8 + 1/2)/2 = 0.3125 → tie → n1.
    // c1 (1,1): n0 0.25; n1 (2/2 + 2/8)/2 = 0.625; n2 0.3125 → n1.
    // c2 (1,1): n1 is out of cores; n0 0.25, n2 0.3125 → n2.
    expect(nodes("best-fit", { workload: workload([1, 1], [1, 1], [1, 1]), cluster: shapes })).toEqual(["n1", "n1", "n2"]);
  });

  it("counts gpu only on nodes with gpu capacity", () => {
    // c0 (1,1,0): g (1/4 + 1/4 + 0/1)/3 = 1/6; p (1/4 + 1/4)/2 = 0.25 → p. (Ignoring gpu: a tie → g.)
    expect(nodes("best-fit", { workload: workload([1, 1]), cluster: "id,cpu,mem,gpu\ng,4,4,1\np,4,4,0" })).toEqual(["p"]);
  });
});

describe("worst-fit: mean (1 − f_k), highest wins", () => {
  it("spreads, with a tie going to the lower index", () => {
    // Nodes n0 (2,8), n1 (8,2), n2 (4,4).
    // c0 (1,1): n0 (1/2 + 7/8)/2 = 0.6875; n1 (7/8 + 1/2)/2 = 0.6875; n2 (3/4 + 3/4)/2 = 0.75 → n2.
    // c1 (1,1): n2 (1/2 + 1/2)/2 = 0.5; n0 and n1 0.6875 tie → n0.
    // c2 (1,1): n0 (0 + 6/8)/2 = 0.375; n1 0.6875; n2 0.5 → n1.
    const cluster = "id,cpu,mem\nn0,2,8\nn1,8,2\nn2,4,4";
    expect(nodes("worst-fit", { workload: workload([1, 1], [1, 1], [1, 1]), cluster })).toEqual(["n2", "n0", "n1"]);
  });

  it("counts gpu only on nodes with gpu capacity", () => {
    // c0 (1,1,0): p (3/4 + 3/4)/2 = 0.75; g (3/4 + 3/4 + 1)/3 = 0.8333 → g. (Ignoring gpu: a tie → p.)
    expect(nodes("worst-fit", { workload: workload([1, 1]), cluster: "id,cpu,mem,gpu\np,4,4,0\ng,4,4,1" })).toEqual(["g"]);
  });
});

describe("balanced: 1 − population std of the f_k", () => {
  it("keeps resources even, with a tie going to the lower index", () => {
    // Nodes n0 (2,2), n1 (4,8), n2 (2,4).
    // c0 (1,2): n0 f = (1/2, 1) → std 1/4 → 0.75; n1 (1/4, 1/4) → 1; n2 (1/2, 1/2) → 1 → tie → n1.
    // c1 (1,2): n0 0.75; n1 (2/4, 4/8) → 1; n2 (1/2, 1/2) → 1 → tie → n1.
    // c2 (1,1): n0 (1/2, 1/2) → 1; n1 (3/4, 5/8) → std 1/16 → 0.9375; n2 (1, 3/4) → 0.875 → n0.
    const cluster = "id,cpu,mem\nn0,2,2\nn1,4,8\nn2,2,4";
    expect(nodes("balanced", { workload: workload([1, 2], [1, 2], [1, 1]), cluster })).toEqual(["n1", "n1", "n0"]);
  });

  it("counts gpu only on nodes with gpu capacity", () => {
    // c0 (2,2,0): g f = (1/2, 1/2, 0) → mean 1/3, std √(1/18) → 0.764; p (1/2, 1/2) → 1 → p.
    expect(nodes("balanced", { workload: workload([2, 2]), cluster: "id,cpu,mem,gpu\ng,4,4,2\np,4,4,0" })).toEqual(["p"]);
  });
});

describe("dot-product: Σ (request_k / capacity_k)·(free_k / capacity_k), free before placement", () => {
  it("aligns request and free capacity, with a tie going to the lower index", () => {
    // Nodes n0 (4,4), n1 (2,8), n2 (8,2).
    // c0 (1,1): n0 1/4·1 + 1/4·1 = 0.5; n1 1/2·1 + 1/8·1 = 0.625; n2 1/8 + 1/2 = 0.625 → tie → n1.
    // c1 (1,1): n0 0.5; n1 1/2·1/2 + 1/8·7/8 = 0.359375; n2 0.625 → n2.
    // c2 (1,1): n0 0.5; n1 0.359375; n2 1/8·7/8 + 1/2·1/2 = 0.359375 → n0.
    expect(nodes("dot-product", { workload: workload([1, 1], [1, 1], [1, 1]), cluster: shapes })).toEqual(["n1", "n2", "n0"]);
  });

  it("uses free capacity before placement, not after", () => {
    // c0 (2,2) → n0 (score 2/4·4/4·2 = 1 vs n1 2/8·8/8·2 = 0.5). c1 (2,2): before placement
    // n0 2/4·2/4·2 = 0.5, n1 0.5 → tie → n0. (After placement, n0 would score 0 and lose.)
    expect(nodes("dot-product", { workload: workload([2, 2], [2, 2]), cluster: "id,cpu,mem\nn0,4,4\nn1,8,8" })).toEqual(["n0", "n0"]);
  });
});

describe("fastest: speed; ties → the worst-fit score, then index", () => {
  it("prefers speed, then the least allocated, then the lowest index", () => {
    // n0 speed 1 (4,4); n1 speed 2 (4,4); n2 and n3 speed 2 (8,8). Every container (2,2) but c3, c4 (4,4).
    // c0: speed-2 tie n1, n2, n3 → worst-fit n1 (2/4 left → 0.5), n2 and n3 0.75 → tie → n2.
    // c1: n1 0.5, n2 (8−4)/8 = 0.5, n3 0.75 → n3.
    // c2: n1 0.5, n2 0.5, n3 0.5 → tie on both keys → n1.
    // c3 (4,4): n1 has 2 left; n2 and n3 (8−2−4)/8 = 0.25 → n2.  c4 (4,4): only n3 → n3.
    // c5 (3,3): every speed-2 node has 2 left → n0, the slow one.
    const cluster = "id,cpu,mem,speed\nn0,4,4,1\nn1,4,4,2\nn2,8,8,2\nn3,8,8,2";
    const w = workload([2, 2], [2, 2], [2, 2], [4, 4], [4, 4], [3, 3]);
    expect(nodes("fastest", { workload: w, cluster })).toEqual(["n2", "n3", "n1", "n2", "n3", "n0"]);
  });
});

describe("nearest: − (latency + startup); ties → the worst-fit score, then index", () => {
  it("prefers the lowest net, then the least allocated, then the lowest index", () => {
    // x–y 10 ms (listed one way). n0 in y; n1 in x with startup 0.01 s; n2 in x, no startup, larger.
    // c0, c1 (zone x, 4,4): n2 has net 0 → n2 both times (then full).
    // c2 (x, 2,2): n0 net 0.01 (latency), n1 net 0.01 (startup) → tie; worst-fit 0.5 both → n0.
    // c3 (x, 1,1): tie on net again; worst-fit n0 (1/4 + 1/4)/2 = 0.25, n1 0.75 → n1.
    // c4 (no zone, 1,1): latency 0 everywhere: n0 net 0, n1 net 0.01 → n0.
    // c5 (y, 1,1): n0 same zone y → 0; n1 y→x 0.01 + 0.01 → n0 (it has 1 core left).
    const text = {
      zones: "from,to,latency_ms\nx,y,10",
      cluster: "id,cpu,mem,zone,startup\nn0,4,4,y,0\nn1,4,4,x,0.01\nn2,8,8,x,0",
      workload: [
        "id,arrival,duration,cpu,mem,zone",
        "c0,0,100,4,4,x", "c1,1,100,4,4,x", "c2,2,100,2,2,x", "c3,3,100,1,1,x", "c4,4,100,1,1,", "c5,5,100,1,1,y",
      ].join("\n"),
    };
    expect(nodes("nearest", text)).toEqual(["n2", "n2", "n0", "n1", "n0", "n0"]);
  });
});

describe("round-robin", () => {
  it("takes the first feasible node after the last chosen, which moves only on a start", () => {
    // reject mode; three nodes of 2 cores and 2 GiB. Last chosen starts at −1.
    // c0 (2 cores, 1 GiB) → n0, the first after −1. c1 (1, 2) → n1. c2 (2, 2) → n2. Free now:
    // n0 (0, 1), n1 (1, 0), n2 (0, 0).
    // c3 (1, 1): no node has both (though some node has 1 core free and some 1 GiB, so the policy
    // is asked) → no-fit. Last stays n2.
    // c4 (0, 0) fits everywhere: after n2 comes n0. (Had the failed try moved the cursor, n1.)
    // c5 (0, 1): after n0, n1 and n2 have no memory left: the cycle comes back to n0 itself.
    const text = {
      cluster: "id,cpu,mem\nn0,2,2\nn1,2,2\nn2,2,2",
      workload: "id,arrival,duration,cpu,mem\nc0,0,10,2,1\nc1,1,10,1,2\nc2,2,10,2,2\nc3,3,1,1,1\nc4,4,1,0,0\nc5,5,1,0,1",
    };
    expect(nodes("round-robin", text, "reject")).toEqual(["n0", "n1", "n2", "rejected no-fit", "n0", "n0"]);
  });

  it("starts each run with a fresh cursor", () => {
    const text = { cluster: "id,cpu,mem\nn0,1,1\nn1,1,1", workload: workload([1, 1]) };
    expect(nodes("round-robin", text)).toEqual(["n0"]);
    expect(nodes("round-robin", text)).toEqual(["n0"]);
  });
});

describe("random", () => {
  // Nodes n0 (1 core), n1 (4), n2 (1), n3 (4), n4 (4); containers of 2 cores, except c3 which no
  // node can hold (unschedulable: no draw). Feasible nodes in index order, pick floor(rng()·count).
  const cluster = "id,cpu,mem\nn0,1,9\nn1,4,9\nn2,1,9\nn3,4,9\nn4,4,9";
  const requests = [2, 2, 2, 8, 2, 2, 2, 2];
  const text = { cluster, workload: workload(...requests.map((c) => [c, 1] as [number, number])) };

  /** The expected nodes, drawing from seedrandom(String(seed)) exactly as DESIGN.md says. */
  function expected(seed: number | string): string[] {
    const rng = seedrandom(String(seed));
    const free = [1, 4, 1, 4, 4];
    return requests.map((cpu) => {
      if (cpu > 4) return "rejected unschedulable";
      const feasible = [0, 1, 2, 3, 4].filter((n) => free[n]! >= cpu);
      if (feasible.length === 0) return "rejected no-fit";
      const node = feasible[Math.floor(rng() * feasible.length)]!;
      free[node]! -= cpu;
      return `n${node}`;
    });
  }

  it.each([1, 7, 2024, "abc"])("draws floor(rng · count) among the feasible nodes with seed %s", (seed) => {
    const got = nodes("random", text, "reject", seed);
    expect(got).toEqual(expected(seed));
    // 6 cores of requests fit 12 cores of the three big nodes, the rest are refused.
    expect(got.filter((x) => x === "rejected no-fit")).toHaveLength(1);
  });

  it("uses seed 1 by default", () => {
    expect(run(text, { policy: builtin("random"), queue: "reject" }).lines.map((l) => l.split(" ")[0]))
      .toEqual(run(text, { policy: builtin("random"), queue: "reject", seed: 1 }).lines.map((l) => l.split(" ")[0]));
    expect(nodes("random", text, "reject")).toEqual(expected(1));
  });

  it("gives different placements for different seeds (on this trace)", () => {
    const all = [1, 2, 3, 4, 5].map((s) => nodes("random", text, "reject", s).join(","));
    expect(new Set(all).size).toBeGreaterThan(1);
  });
});
