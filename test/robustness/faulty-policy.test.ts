/**
 * Policies that misbehave: each stops its run with a PolicyError naming the policy, the container,
 * the simulated time and what was wrong. Through `simulate` (exact messages, a fake clock for the
 * decision time limit) and through the CLI (the other policies' results are still written and the
 * summary marks the failed one).
 */
import { describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { PolicyError, SUMMARY_COLUMNS, type PolicySource } from "../../src/index.ts";
import { builtin, csvObjects, run } from "../helpers.ts";
import { BAD, leftovers, withCli } from "./cli.ts";
import throws from "../fixtures/policies/throws.ts";
import infeasible from "../fixtures/policies/infeasible.ts";
import outOfRange from "../fixtures/policies/out-of-range.ts";
import nonInteger from "../fixtures/policies/non-integer.ts";
import nanScore from "../fixtures/policies/nan-score.ts";
import hookThrows from "../fixtures/policies/hook-throws.ts";

// n0: 4 cpu, 16 GiB, speed 1; n1: 8 cpu, 32 GiB, 1 gpu, speed 2.
const CLUSTER = `
  id,cpu,mem,gpu,speed
  n0,4,16,0,1
  n1,8,32,1,2
`;
// c2 needs a gpu: only n1 can hold it.
const WORKLOAD = `
  id,arrival,duration,cpu,mem,gpu
  c0,0,10,1,2,0
  c1,1,5,2,4,0
  c2,2,8,4,8,1
`;

function failure(policy: PolicySource, options: Record<string, unknown> = {}): PolicyError {
  try {
    run({ workload: WORKLOAD, cluster: CLUSTER }, { policy, ...options });
  } catch (err) {
    expect(err).toBeInstanceOf(PolicyError);
    return err as PolicyError;
  }
  throw new Error("the run did not fail");
}

describe("a misbehaving policy stops the run with a PolicyError", () => {
  const cases: [string, PolicySource, string, number, string][] = [
    ["throws", throws, "c1", 1, "threw Error: no node for you"],
    ["returns an infeasible node", infeasible, "c2", 2, 'returned node 0 ("n0"), which cannot hold the container now'],
    ["returns an index out of range", outOfRange, "c2", 2, "returned node index 2, out of range 0..1"],
    ["returns a non-integer", nonInteger, "c1", 1, "returned 0.5, not a node index (an integer, or null for none)"],
    ["scores NaN", nanScore, "c0", 0, "score of node 1 is NaN, not a number"],
    // c0 runs on n1 (speed 2) from 0 to 10 / 2 = 5.
    ["throws in onEnd", hookThrows, "c0", 5, "onEnd threw TypeError: cannot read my index"],
    ["returns a string", { name: "stringly", select: () => "1" as unknown as number }, "c0", 0, 'returned "1", not a node index (an integer, or null for none)'],
    ["returns NaN", { name: "nan", select: () => Number.NaN }, "c0", 0, "returned NaN, not a node index (an integer, or null for none)"],
    ["throws a non-Error", { name: "throws-string", select: () => { throw "oops"; } }, "c0", 0, 'threw "oops"'],
    ["throws in onStart", { name: "bad-start", select: () => 0, onStart: () => { throw new RangeError("full"); } }, "c0", 0, "onStart threw RangeError: full"],
    ["tie-breaks with a non-number", { name: "bad-tie", score: () => 1, tieBreak: () => undefined as unknown as number }, "c0", 0, "tieBreak of node 1 is undefined, not a number"],
  ];
  for (const [what, policy, container, time, problem] of cases) {
    it(what, () => {
      const err = failure(policy);
      const name = typeof policy === "function" ? policy().name : policy.name;
      expect([err.policy, err.container, err.time, err.problem]).toEqual([name, container, time, problem]);
      expect(err.message).toBe(`policy "${name}" at t=${time}, container "${container}": ${problem}`);
    });
  }
});

describe("decision time limit (clock passed in)", () => {
  // A fake clock in ms that the policy itself advances: 30 ms when deciding for c2, 1 ms otherwise.
  function timed() {
    const clock = { now: 0, reads: 0 };
    const policy: PolicySource = {
      name: "slow-on-c2",
      select: (c) => {
        clock.now += c.id === "c2" ? 30 : 1;
        return 1;
      },
    };
    return { clock, policy, read: () => (clock.reads++, clock.now) };
  }

  it("a decision over the limit stops the run, naming container and time", () => {
    const t = timed();
    const err = failure(t.policy, { decisionTimeoutMs: 10, clock: t.read });
    expect(err.message).toBe('policy "slow-on-c2" at t=2, container "c2": took more than the 10 ms allowed per decision');
  });

  it("decisions within the limit run to the end", () => {
    const t = timed();
    const r = run({ workload: WORKLOAD, cluster: CLUSTER }, { policy: t.policy, decisionTimeoutMs: 30, clock: t.read });
    expect(r.lines).toEqual(["c0@n1 0-5", "c1@n1 1-3.5", "c2@n1 2-6"]);
    expect(t.clock.reads).toBe(6); // two reads per decision, three decisions
  });

  it("without a limit the clock is never read", () => {
    for (const limit of [undefined, 0]) {
      const t = timed();
      run({ workload: WORKLOAD, cluster: CLUSTER }, { policy: t.policy, decisionTimeoutMs: limit, clock: t.read });
      expect(t.clock.reads).toBe(0);
    }
  });

  it("each decision writes its start, container and time into the watch cells, and NaN when it returns", () => {
    const watch = new Float64Array(3).fill(7);
    const seen: number[][] = [];
    let ticks = 0;
    const policy: PolicySource = { name: "peek", select: (c) => { seen.push([...watch]); return c.index === 2 ? 1 : 0; } };
    run({ workload: WORKLOAD, cluster: CLUSTER }, { policy, decisionTimeoutMs: 1000, clock: () => ticks++, decisionWatch: watch });
    // The fake clock advances 1 ms a read (two reads a decision); containers arrive at t = 0, 1, 2.
    expect(seen.map((cells) => [cells[1], cells[2]])).toEqual([[0, 0], [1, 1], [2, 2]]);
    expect(seen.map((cells) => cells[0])).toEqual([0, 2, 4]);
    expect(watch[0]).toBeNaN();
  });

  it("the built-in policies give the same result with a generous limit", () => {
    for (const name of ["first-fit", "best-fit", "random"]) {
      const plain = run({ workload: WORKLOAD, cluster: CLUSTER }, { policy: builtin(name) });
      const limited = run({ workload: WORKLOAD, cluster: CLUSTER }, { policy: builtin(name), decisionTimeoutMs: 60_000 });
      expect(limited.lines).toEqual(plain.lines);
    }
  });
});

describe.concurrent("through the CLI", () => {
  const inputs = ["--workload", `${BAD}ok-workload.csv`, "--cluster", `${BAD}ok-cluster.csv`];

  it("in a multi-policy run the others' results are written and the summary marks the failed one", async () => {
    await withCli(["run", ...inputs, "--policy", "first-fit", "--policy", "test/fixtures/policies/throws.ts", "--policy", "best-fit"], async (r) => {
      const message = 'policy "throws" at t=1, container "c1": threw Error: no node for you';
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`schedsim: ${message}\n`);
      expect(r.stdout).toMatch(/^throws +FAILED$/m);
      expect(await leftovers(r)).toEqual(["results"]);
      const summary = csvObjects(await readFile(join(r.out, "summary.csv"), "utf8"));
      expect(summary.map((s) => [s.policy, s.finished, s.error])).toEqual([
        ["first-fit", "3", ""],
        ["best-fit", "3", ""],
        ["throws", "", message],
      ]);
      for (const p of ["first-fit", "best-fit"]) {
        expect(csvObjects(await readFile(join(r.out, p, "containers.csv"), "utf8")).map((c) => c.state)).toEqual(["finished", "finished", "finished"]);
      }
      const json = JSON.parse(await readFile(join(r.out, "summary.json"), "utf8"));
      expect(json.failed).toEqual([{ policy: "throws", error: message }]);
      expect(json.policies.map((p: { policy: string }) => p.policy)).toEqual(["first-fit", "best-fit"]);
    });
  });

  it("a run where every policy succeeds has no error column", async () => {
    await withCli(["run", ...inputs, "--policy", "first-fit"], async (r) => {
      expect(r.code).toBe(0);
      const header = (await readFile(join(r.out, "summary.csv"), "utf8")).split("\n")[0]!;
      expect(header.split(",")).toEqual([...SUMMARY_COLUMNS]);
    });
  });

  it("--decision-timeout stops a policy that spins 200 ms on one decision", async () => {
    await withCli(["run", ...inputs, "--policy", "test/fixtures/policies/slow.js", "--decision-timeout", "50"], async (r) => {
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('schedsim: policy "slow" at t=2, container "c2": took more than the 50 ms allowed per decision\n');
      // The time it took is the machine's, not the run's: it stays out of the results (same bytes every run).
      const summary = csvObjects(await readFile(join(r.out, "summary.csv"), "utf8"));
      expect(summary.map((s) => [s.policy, s.error])).toEqual([["slow", 'policy "slow" at t=2, container "c2": took more than the 50 ms allowed per decision']]);
    });
  });

  it("--decision-timeout stops a policy whose decision never returns, and the other policies still run", async () => {
    await withCli(["run", ...inputs, "--policy", "test/fixtures/policies/endless.js", "--policy", "first-fit", "--policy", "best-fit", "--decision-timeout", "100"], async (r) => {
      const message = 'policy "endless" at t=2, container "c2": took more than the 100 ms allowed per decision';
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`schedsim: ${message}\n`);
      const summary = csvObjects(await readFile(join(r.out, "summary.csv"), "utf8"));
      expect(summary.map((s) => [s.policy, s.finished, s.error])).toEqual([
        ["first-fit", "3", ""],
        ["best-fit", "3", ""],
        ["endless", "", message],
      ]);
      // The stopped policy's partial files are gone; the others' are whole.
      expect(await leftovers(r)).toEqual(["results"]);
      await expect(readFile(join(r.out, "endless", "containers.csv"), "utf8")).rejects.toThrow(/ENOENT/);
      for (const p of ["first-fit", "best-fit"]) {
        expect(csvObjects(await readFile(join(r.out, p, "containers.csv"), "utf8")).map((c) => c.state)).toEqual(["finished", "finished", "finished"]);
      }
    });
  });

  it("--decision-timeout with --parallel: the stuck worker is stopped and another takes the policies left", async () => {
    await withCli(["run", ...inputs, "--policy", "test/fixtures/policies/endless.js", "--policy", "first-fit", "--policy", "best-fit", "--policy", "worst-fit",
      "--parallel", "--workers", "2", "--decision-timeout", "100"], async (r) => {
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('schedsim: policy "endless" at t=2, container "c2": took more than the 100 ms allowed per decision\n');
      const summary = csvObjects(await readFile(join(r.out, "summary.csv"), "utf8"));
      expect(summary.map((s) => [s.policy, s.finished])).toEqual([["first-fit", "3"], ["best-fit", "3"], ["worst-fit", "3"], ["endless", ""]]);
    });
  });

  it("--decision-timeout must be a number ≥ 0", async () => {
    await withCli(["run", ...inputs, "--policy", "first-fit", "--decision-timeout", "-5"], async (r) => {
      expect(r.code).toBe(1);
      expect(r.stderr).toBe("schedsim: --decision-timeout must be a number of milliseconds ≥ 0 (got -5)\n");
      expect(await leftovers(r)).toEqual([]);
    });
  });
});
