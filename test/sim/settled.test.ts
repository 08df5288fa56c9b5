/**
 * onSettled: what a writer of containers.csv is told while the run goes on. Every row it is told
 * is final must already hold its final outcome then, the counts must grow, and the last call must
 * cover every container. Outcomes given to the run (shared, or reused from an earlier run) change
 * where the columns live, not what they hold.
 */
import { describe, expect, it } from "vitest";
import { UNFINISHED, Workload, createOutcomes, simulate, type ContainerOutcomes, type SimInputs, type SimOptions } from "../../src/index.ts";
import { benchRows } from "../../bench/make-workload.ts";
import { builtin, inputs } from "../helpers.ts";

const COLUMNS = ["node", "start", "end", "net", "state", "reason"] as const;

/** 30,000 containers on `nodes` nodes of 32 cores (the bench's generator: ~85 % load on 20 nodes). */
function workload(nodes: number): SimInputs {
  const text = [...benchRows(30_000, 20)].join("");
  const cluster = ["id,cpu,mem", ...Array.from({ length: nodes }, (_, i) => `n${i},32,128`)].join("\n");
  return inputs({ workload: text, cluster });
}

/** Runs with onSettled, keeping a copy of each row's outcome as it was when first said to be final. */
function runSettled(inp: SimInputs, options: Omit<SimOptions, "onSettled">) {
  const calls: number[] = [];
  const seen: Record<string, number[]> = Object.fromEntries(COLUMNS.map((c) => [c, []]));
  let unfinishedBeforeEnd = 0;
  const result = simulate(inp, {
    ...options,
    onSettled: (k: number, out: ContainerOutcomes) => {
      const from = calls.length > 0 ? calls.at(-1)! : 0;
      calls.push(k);
      for (let i = from; i < k; i++) {
        for (const c of COLUMNS) seen[c]!.push(out[c][i]!);
        if (out.state[i] === UNFINISHED && k < inp.workload.length) unfinishedBeforeEnd++;
      }
    },
  });
  return { result, calls, seen, unfinishedBeforeEnd };
}

const cases: [string, number, Omit<SimOptions, "onSettled">][] = [
  ["fifo at 85 % load", 20, { policy: builtin("first-fit") }],
  ["backfill, overloaded, stopped by a horizon", 12, { policy: builtin("best-fit"), queue: "backfill", horizon: 60_000 }],
  ["reject, with random node failures restarting containers", 20, { policy: builtin("worst-fit"), queue: "reject", failures: { kind: "random", mtbf: 20_000, mttr: 300 } }],
  ["fifo, failures dropping the containers they kill", 20, { policy: builtin("round-robin"), failures: { kind: "random", mtbf: 20_000, mttr: 300 }, onFailure: "drop" }],
];

describe("onSettled", () => {
  for (const [name, nodes, options] of cases) {
    it(`tells only final rows, in growing counts, the last covering all: ${name}`, () => {
      const inp = workload(nodes);
      const { result, calls, seen, unfinishedBeforeEnd } = runSettled(inp, options);
      expect(calls.length).toBeGreaterThan(2); // some calls came while the run went on
      for (let k = 1; k < calls.length; k++) expect(calls[k]).toBeGreaterThan(calls[k - 1]!);
      expect(calls.at(-1)).toBe(inp.workload.length);
      expect(unfinishedBeforeEnd).toBe(0);
      for (const c of COLUMNS) expect(seen[c]).toEqual(Array.from(result.containers[c]));
    });
  }

  it("calls once with the count for one container, and once with 0 for none", () => {
    const one = workload(1);
    one.workload.length = 1;
    const single = runSettled(one, { policy: builtin("first-fit") });
    expect(single.calls).toEqual([1]);
    const none = { ...one, workload: new Workload(0) };
    expect(runSettled(none, { policy: builtin("first-fit") }).calls).toEqual([0]);
  });

  it("with outcomes given, in SharedArrayBuffers and reused by later runs, gives the same results", () => {
    const inp = workload(16);
    const outcomes = createOutcomes(inp.workload.length, true);
    // Each run leaves rows the next one must reset: rejected (node -1, a reason), then finished,
    // then unfinished behind a horizon, and killed by failures.
    const runs: Omit<SimOptions, "outcomes">[] = [
      { policy: builtin("nearest"), queue: "reject" },
      { policy: builtin("best-fit"), queue: "backfill" },
      { policy: builtin("worst-fit"), horizon: 20_000 },
      { policy: builtin("first-fit"), failures: { kind: "random", mtbf: 5_000, mttr: 300 }, onFailure: "drop" },
      { policy: builtin("nearest"), queue: "reject", horizon: 40_000 },
    ];
    for (const options of runs) {
      const plain = simulate(inp, options);
      const shared = simulate(inp, { ...options, outcomes });
      expect(shared.containers).toBe(outcomes);
      for (const c of COLUMNS) {
        expect(shared.containers[c].buffer).toBeInstanceOf(SharedArrayBuffer);
        expect(plain.containers[c].buffer).not.toBeInstanceOf(SharedArrayBuffer);
        expect(Array.from(shared.containers[c])).toEqual(Array.from(plain.containers[c]));
      }
      expect(shared.summary).toEqual(plain.summary);
    }
    expect(() => simulate(inp, { policy: builtin("nearest"), outcomes: createOutcomes(5) })).toThrow(/outcomes.node holds 5 containers/);
  });
});
