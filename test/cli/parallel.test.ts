import { describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const defaults = join(root, "workloads/default");

function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name !== "run.json") out.set(relative(dir, p), readFileSync(p, "utf8"));
    }
  };
  walk(dir);
  return out;
}

/** Runs `check` with a fresh temporary folder, removed afterwards whatever happened. */
function inTmp(check: (tmp: string) => void): void {
  const tmp = mkdtempSync(join(tmpdir(), "schedsim-parallel-"));
  try {
    check(tmp);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function run(args: string[]) {
  // A run that hangs is stopped (status null) rather than holding the suite up.
  return spawnSync(process.execPath, [join(root, "bin/schedsim.js"), "run", "--workload", join(defaults, "workload.csv"),
    "--cluster", join(defaults, "cluster.csv"), "--zones", join(defaults, "zones.csv"), ...args], { encoding: "utf8", timeout: 60_000 });
}

describe("run --parallel", () => {
  it("writes exactly the files of a sequential run, for every built-in policy", () => {
    inTmp((tmp) => {
      const seq = run(["--policy", "all", "--out", join(tmp, "seq")]);
      const par = run(["--policy", "all", "--parallel", "--workers", "2", "--out", join(tmp, "par")]);
      expect(seq.status).toBe(0);
      expect(par.status).toBe(0);
      const a = files(join(tmp, "seq")), b = files(join(tmp, "par"));
      expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
      expect(a.size).toBe(2 + 9 * 2); // summary.csv, summary.json and 9 × (containers, timeline); run.json left out
      for (const [name, text] of a) expect(b.get(name), name).toBe(text);
    });
  });

  it("writes exactly a sequential run's files with random node failures and --sort too", () => {
    inTmp((tmp) => {
      const options = ["--policy", "first-fit", "--policy", "nearest", "--policy", "random", "--mtbf", "20000", "--mttr", "600", "--sort", "--seed", "3"];
      const seq = run([...options, "--out", join(tmp, "seq")]);
      const par = run([...options, "--parallel", "--workers", "2", "--out", join(tmp, "par")]);
      expect(seq.status, seq.stderr).toBe(0);
      expect(par.status, par.stderr).toBe(0);
      const a = files(join(tmp, "seq")), b = files(join(tmp, "par"));
      expect(a.size).toBe(2 + 3 * 2);
      expect(JSON.parse(a.get("summary.json")!).policies[0].node_failures).toBeGreaterThan(0);
      for (const [name, text] of a) expect(b.get(name), name).toBe(text);
    });
  });

  it("still names a failing user policy and writes the others", () => {
    inTmp((tmp) => {
      const policy = join(tmp, "boom.mjs");
      writeFileSync(policy, 'export default { name: "boom", select() { throw new Error("kaboom"); } };\n');
      const r = run(["--policy", policy, "--policy", "first-fit", "--parallel", "--workers", "2", "--out", join(tmp, "out")]);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/policy "boom" at t=[\d.]+, container "c0": threw Error: kaboom/);
      expect(readFileSync(join(tmp, "out", "first-fit", "containers.csv"), "utf8").split("\n").length).toBe(4002);
      expect(readdirSync(join(tmp, "out")).sort()).toEqual(["first-fit", "run.json", "summary.csv", "summary.json"]);
    });
  });

  it.each([["sequentially", []], ["in workers", ["--parallel", "--workers", "2"]]])("leaves no partial files of a policy that fails midway, %s (its timeline was being written)", (_, parallel) => {
    inTmp((tmp) => {
      const policy = join(tmp, "late.mjs");
      writeFileSync(policy, 'let n = 0;\nexport default { name: "late", select(c, cluster) { if (++n > 2000) throw new Error("tired"); return cluster.firstFeasible(c); } };\n');
      const r = run(["--policy", policy, "--policy", "first-fit", ...parallel, "--out", join(tmp, "out")]);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/policy "late" at t=[\d.]+, container "c\d+": threw Error: tired/);
      expect(readdirSync(join(tmp, "out")).sort()).toEqual(["first-fit", "run.json", "summary.csv", "summary.json"]);
      expect(readFileSync(join(tmp, "out", "first-fit", "timeline.csv"), "utf8").startsWith("time,cpu,mem,gpu,running,queued\n")).toBe(true);
    });
  });

  it("honours --no-timeline and --no-containers in workers, with the same summaries", () => {
    inTmp((tmp) => {
      const policies = ["--policy", "best-fit", "--policy", "nearest"];
      const full = run([...policies, "--out", join(tmp, "full")]);
      const noTimeline = run([...policies, "--parallel", "--workers", "2", "--no-timeline", "--out", join(tmp, "a")]);
      const noContainers = run([...policies, "--parallel", "--workers", "2", "--no-containers", "--out", join(tmp, "b")]);
      for (const r of [full, noTimeline, noContainers]) expect(r.status, r.stderr).toBe(0);
      const reference = files(join(tmp, "full"));
      const a = files(join(tmp, "a")), b = files(join(tmp, "b"));
      expect([...a.keys()].sort()).toEqual(["best-fit/containers.csv", "nearest/containers.csv", "summary.csv", "summary.json"]);
      expect([...b.keys()].sort()).toEqual(["best-fit/timeline.csv", "nearest/timeline.csv", "summary.csv", "summary.json"]);
      for (const [name, text] of [...a, ...b]) if (name !== "summary.json") expect(text, name).toBe(reference.get(name));
    });
  });

  it("uses one worker per two cores with files to write, one per core with only the summaries, and records it in run.json", () => {
    inTmp((tmp) => {
      const policies = ["--policy", "first-fit", "--policy", "best-fit", "--policy", "worst-fit", "--policy", "nearest"];
      const workersOf = (out: string, extra: string[]) => {
        const r = run([...policies, "--parallel", ...extra, "--out", join(tmp, out)]);
        expect(r.status, r.stderr).toBe(0);
        return JSON.parse(readFileSync(join(tmp, out, "run.json"), "utf8")).workers as number;
      };
      const cores = availableParallelism(), atOnce = (k: number) => (k >= 2 ? Math.min(4, k) : 1);
      expect(workersOf("files", [])).toBe(atOnce(Math.floor(cores / 2)));
      expect(workersOf("timeline", ["--no-containers"])).toBe(atOnce(Math.floor(cores / 2)));
      expect(workersOf("summaries", ["--no-containers", "--no-timeline"])).toBe(atOnce(cores));
      expect(workersOf("forced", ["--no-containers", "--no-timeline", "--workers", "3"])).toBe(3);
      expect(run([...policies, "--out", join(tmp, "sequential")]).status).toBe(0);
      expect(JSON.parse(readFileSync(join(tmp, "sequential", "run.json"), "utf8")).workers).toBe(1);
    });
  });

  it("refuses --workers that is not a whole number of at least 1", () => {
    const r = run(["--policy", "all", "--parallel", "--workers", "0"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("--workers must be a whole number ≥ 1 (got 0)");
  });

  it.each([
    ["process.exit", 'export default { name: "quit", select() { process.exit(3); } };\n', 'policy "quit": the worker thread running it stopped (exit code 3)'],
    ["an error thrown from a timer", 'export default { name: "quit", select(c, cluster) { setTimeout(() => { throw new RangeError("later"); }); return cluster.firstFeasible(c); } };\n',
      'policy "quit": the worker thread running it stopped on an uncaught RangeError: later'],
    ["null thrown from a timer", 'export default { name: "quit", select(c, cluster) { setTimeout(() => { throw null; }); return cluster.firstFeasible(c); } };\n',
      'policy "quit": the worker thread running it stopped on an uncaught throw of null'],
  ])("a policy whose worker thread stops (%s) fails alone: the others run in new workers and are written", (_, source, message) => {
    inTmp((tmp) => {
      const policy = join(tmp, "p.mjs");
      writeFileSync(policy, source);
      for (const files of [[], ["--no-containers", "--no-timeline"]]) {
        const out = join(tmp, `out${files.length}`);
        const r = run(["--policy", policy, "--policy", "first-fit", "--policy", "best-fit", "--policy", "worst-fit", "--parallel", "--workers", "2", ...files, "--out", out]);
        expect(r.status, r.stderr).toBe(1);
        expect(r.stderr).toBe(`schedsim: ${message}\n`);
        const summary = readFileSync(join(out, "summary.csv"), "utf8").trim().split("\n").map((line) => line.split(",")[0]);
        expect(summary).toEqual(["policy", "first-fit", "best-fit", "worst-fit", "quit"]);
        if (files.length === 0) expect(readdirSync(out).sort()).toEqual(["best-fit", "first-fit", "run.json", "summary.csv", "summary.json", "worst-fit"]);
      }
    });
  });

  it("a timer a user's policy leaves running does not fail the next policy: its worker is not reused", () => {
    inTmp((tmp) => {
      const late = join(tmp, "late.mjs"), slow = join(tmp, "slow.mjs");
      writeFileSync(late, 'let set = false;\nexport default { name: "late", select(c, cluster) { if (!set) { set = true; setTimeout(() => { throw new Error("boom from late"); }, 1000); } return cluster.firstFeasible(c); } };\n');
      // First-fit, slowly (4,000 decisions, at least 2 s): its run outlasts the other's timer, which
      // leaves the other's run (about 0.1 s) a second to end even on a loaded machine.
      writeFileSync(slow, 'export default { name: "slow", select(c, cluster) { const t = performance.now() + 0.5; while (performance.now() < t) {} return cluster.firstFeasible(c); } };\n');
      const r = run(["--policy", late, "--policy", slow, "--decision-timeout", "10000", "--no-timeline", "--out", join(tmp, "out")]);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      const summary = readFileSync(join(tmp, "out", "summary.csv"), "utf8").trim().split("\n").map((line) => line.split(",")[0]);
      expect(summary).toEqual(["policy", "late", "slow"]);
    });
  });

  it("an error a policy's worker hits after answering its job does not fail that job", () => {
    inTmp((tmp) => {
      // Throws right after the worker has posted the policy's summary (the error and the answer
      // used to race to the main thread: 7 failures in 12 runs).
      const policy = join(tmp, "afterpost.mjs");
      writeFileSync(policy, 'import { parentPort } from "node:worker_threads";\n' +
        'if (parentPort) { const post = parentPort.postMessage.bind(parentPort); parentPort.postMessage = (m, ...r) => { post(m, ...r); if (m && m.summary) setImmediate(() => { throw new Error("after the answer"); }); }; }\n' +
        'export default { name: "afterpost", select: (c, cluster) => cluster.firstFeasible(c) };\n');
      for (let k = 0; k < 3; k++) {
        const out = join(tmp, `out${k}`);
        const r = run(["--policy", policy, "--policy", "first-fit", "--parallel", "--workers", "2", "--no-containers", "--no-timeline", "--out", out]);
        expect(r.stderr).toBe("");
        expect(r.status).toBe(0);
        expect(readFileSync(join(out, "summary.csv"), "utf8").trim().split("\n").map((line) => line.split(",")[0])).toEqual(["policy", "afterpost", "first-fit"]);
      }
    });
  });

  it("a worker blocked in a system call past the limit does not hold up the other policies' results", async () => {
    const tmp = mkdtempSync(join(tmpdir(), "schedsim-parallel-"));
    try {
      const fifo = join(tmp, "fifo"), out = join(tmp, "out");
      spawnSync("mkfifo", [fifo]);
      // Reads a pipe nobody writes: a thread in that read cannot be stopped, only left.
      writeFileSync(join(tmp, "stuck.mjs"), `import { readFileSync } from "node:fs";\nexport default { name: "stuck", select(c, cluster) { if (c.id === "c10") readFileSync(${JSON.stringify(fifo)}); return cluster.firstFeasible(c); } };\n`);
      const child = spawn(process.execPath, [join(root, "bin/schedsim.js"), "run", "--workload", join(defaults, "workload.csv"), "--cluster", join(defaults, "cluster.csv"),
        "--policy", join(tmp, "stuck.mjs"), "--policy", "first-fit", "--decision-timeout", "200", "--out", out], { stdio: ["ignore", "pipe", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
      // The results are committed while the stuck thread still lives (the process cannot end before it).
      const deadline = Date.now() + 20_000;
      while (!existsSync(join(out, "summary.csv")) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const committed = existsSync(join(out, "summary.csv"));
      writeFileSync(fifo, "x"); // lets the read, and so the process, end
      expect(await exited).toBe(1);
      expect(committed).toBe(true);
      expect(stderr).toBe('schedsim: policy "stuck" at t=7.918, container "c10": took more than the 200 ms allowed per decision\n');
      expect(readFileSync(join(out, "summary.csv"), "utf8").trim().split("\n").map((line) => line.split(",")[0])).toEqual(["policy", "first-fit", "stuck"]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it.each([
    ["a policy that cannot load in a worker", 'import { isMainThread } from "node:worker_threads";\nif (!isMainThread) throw new Error("not here");\nexport default { name: "homebody", select: (c, cluster) => cluster.firstFeasible(c) };\n', "not here"],
  ])("fails the run on %s: the error named, the other workers stopped, no folder left", (_, source, message) => {
    inTmp((tmp) => {
      const policy = join(tmp, "p.mjs");
      writeFileSync(policy, source);
      const r = run(["--policy", policy, "--policy", "all", "--parallel", "--workers", "2", "--out", join(tmp, "out")]);
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(readdirSync(tmp)).toEqual(["p.mjs"]); // neither results nor a partial folder
    });
  });

  it("takes --workers without --parallel as asking for workers", () => {
    inTmp((tmp) => {
      const policy = join(tmp, "p.mjs");
      // Loads only in the main thread: a run in workers fails, one in the main thread does not.
      writeFileSync(policy, 'import { isMainThread } from "node:worker_threads";\nif (!isMainThread) throw new Error("in a worker");\nexport default { name: "homebody", select: (c, cluster) => cluster.firstFeasible(c) };\n');
      expect(run(["--policy", policy, "--policy", "first-fit", "--out", join(tmp, "a")]).status).toBe(0);
      const r = run(["--policy", policy, "--policy", "first-fit", "--workers", "2", "--out", join(tmp, "b")]);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("in a worker");
    });
  });

  it.each([["sequentially", []], ["in workers", ["--parallel", "--workers", "2"]]])("records in run.json the time of a policy that failed, %s", (_, parallel) => {
    inTmp((tmp) => {
      const policy = join(tmp, "spin-then-throw.mjs");
      writeFileSync(policy, 'export default { name: "spin", select() { const end = Date.now() + 300; while (Date.now() < end); throw new Error("done spinning"); } };\n');
      const r = run(["--policy", policy, "--policy", "first-fit", ...parallel, "--out", join(tmp, "out")]);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("done spinning");
      const wall = JSON.parse(readFileSync(join(tmp, "out", "run.json"), "utf8")).wall_ms as Record<string, number>;
      expect(wall.spin).toBeGreaterThanOrEqual(300);
      expect(wall["first-fit"]).toBeGreaterThanOrEqual(1);
    });
  });

  it("records in run.json each policy's own time in its worker, not the wait for the one before", () => {
    inTmp((tmp) => {
      const policy = join(tmp, "slow.mjs");
      // Spins for a second at its first decision, then places like first-fit.
      writeFileSync(policy, 'let first = true;\nexport default { name: "slow", select(c, cluster) { if (first) { first = false; const end = Date.now() + 1000; while (Date.now() < end); } return cluster.firstFeasible(c); } };\n');
      const r = run(["--policy", policy, "--policy", "first-fit", "--parallel", "--workers", "2", "--out", join(tmp, "out")]);
      expect(r.status, r.stderr).toBe(0);
      const wall = JSON.parse(readFileSync(join(tmp, "out", "run.json"), "utf8")).wall_ms as Record<string, number>;
      expect(wall.slow).toBeGreaterThanOrEqual(1000);
      // first-fit ran beside slow and was done long before: waiting for it would read about 0 ms.
      expect(wall["first-fit"]).toBeGreaterThanOrEqual(5);
      expect(wall["first-fit"]).toBeLessThan(wall.slow!);
    });
  });
});
