/**
 * `--out` with `--force` replaces the results folder, so it must never name a folder whose loss
 * costs the user anything else: the current folder, one above it, or one that holds the inputs.
 * Each refusal comes before anything is deleted, with a message saying why.
 */
import { describe, expect, it } from "vitest";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli, cleanUp, ROOT, type CliRun } from "../robustness/cli.ts";

const CASE = join(ROOT, "test/fixtures/conformance/03-zones/");
const INPUTS = ["--workload", "workload.csv", "--cluster", "cluster.csv", "--zones", "zones.csv", "--policy", "first-fit"];

/** A folder top/a/b holding the inputs, and a file in top/a beside b; the run starts in b. */
async function nest(): Promise<{ top: string; a: string; b: string }> {
  const top = await mkdtemp(join(tmpdir(), "schedsim-out-"));
  const a = join(top, "a"), b = join(a, "b");
  await mkdir(b, { recursive: true });
  for (const f of ["workload.csv", "cluster.csv", "zones.csv"]) await copyFile(join(CASE, f), join(b, f));
  await writeFile(join(a, "precious.txt"), "keep me\n");
  return { top, a, b };
}

/** Runs `check` in a fresh nest (see above), removed afterwards whatever happened. */
async function inNest(check: (dirs: { a: string; b: string }) => Promise<void>): Promise<void> {
  const { top, a, b } = await nest();
  try {
    await check({ a, b });
  } finally {
    await rm(top, { recursive: true, force: true });
  }
}

/** Runs the CLI from cwd with the given --out (none added); drops cli()'s own temporary folder. */
async function runIn(cwd: string, args: string[]): Promise<CliRun> {
  const run = await cli(args, { out: false, cwd });
  await cleanUp(run);
  return run;
}

describe.concurrent("--out --force never deletes what it must not", () => {
  it("the folder above the current one (--out ..) is refused, and left as it was", async () => {
    await inNest(async ({ a, b }) => {
      const run = await runIn(b, ["run", ...INPUTS, "--out", "..", "--force"]);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toBe("schedsim: the output folder .. is or holds the current folder: choose another --out\n");
      expect((await readdir(a)).sort()).toEqual(["b", "precious.txt"]);
      expect((await readdir(b)).sort()).toEqual(["cluster.csv", "workload.csv", "zones.csv"]);
    });
  });

  it("the current folder (--out .) is refused", async () => {
    await inNest(async ({ b }) => {
      const run = await runIn(b, ["run", ...INPUTS, "--out", ".", "--force"]);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toBe("schedsim: the output folder . is or holds the current folder: choose another --out\n");
      expect((await readdir(b)).sort()).toEqual(["cluster.csv", "workload.csv", "zones.csv"]);
    });
  });

  it("a folder that holds an input is refused, the input kept", async () => {
    await inNest(async ({ a }) => {
      const args = ["run", "--workload", "b/workload.csv", "--cluster", "b/cluster.csv", "--zones", "b/zones.csv", "--policy", "first-fit", "--out", "b", "--force"];
      const run = await runIn(a, args);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toBe("schedsim: the output folder b holds the input b/workload.csv, which --force would delete: choose another --out\n");
      expect(await readFile(join(a, "b", "workload.csv"), "utf8")).toBe(await readFile(join(CASE, "workload.csv"), "utf8"));
    });
  });

  it("a folder that holds a link to an input is refused, the link kept", async () => {
    await inNest(async ({ a, b }) => {
      await mkdir(join(a, "linked"));
      await symlink(join(b, "workload.csv"), join(a, "linked", "workload.csv"));
      const args = ["run", "--workload", "linked/workload.csv", "--cluster", "b/cluster.csv", "--zones", "b/zones.csv", "--policy", "first-fit", "--out", "linked", "--force"];
      const run = await runIn(a, args);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toBe("schedsim: the output folder linked holds the input linked/workload.csv, which --force would delete: choose another --out\n");
      expect(await readdir(join(a, "linked"))).toEqual(["workload.csv"]);
    });
  });

  it("an interrupted run (SIGINT) removes its partial folder and says so", async () => {
    await inNest(async ({ b }) => {
      // A policy that interrupts its own run at its first decision: the signal is handled at the
      // run's next wait, before the results would be committed.
      await writeFile(join(b, "interrupts.mjs"), 'let sent = false;\nexport default { name: "interrupts", select(c, cluster) { if (!sent) { sent = true; process.kill(process.pid, "SIGINT"); } return cluster.firstFeasible(c); } };\n');
      const run = await runIn(b, ["run", "--workload", "workload.csv", "--cluster", "cluster.csv", "--zones", "zones.csv", "--policy", "./interrupts.mjs", "--out", "out"]);
      expect(run.code).toBe(130);
      expect(run.stderr).toBe("\nschedsim: interrupted (SIGINT): no results written, the partial folder removed\n");
      expect((await readdir(b)).sort()).toEqual(["cluster.csv", "interrupts.mjs", "workload.csv", "zones.csv"]);
    });
  });

  it("a Ctrl-C during a policy's long run is heard within two slices of its events, not at the run's end", async () => {
    await inNest(async ({ b }) => {
      const n = 100_000;
      await writeFile(join(b, "long.csv"), "id,arrival,duration,cpu,mem\n" + Array.from({ length: n }, (_, i) => `c${i},${i},1,1,1\n`).join(""));
      await writeFile(join(b, "one.csv"), "id,cpu,mem\nn0,4,4\n");
      // Interrupts its own run at its first decision, and tells at exit how many it made.
      await writeFile(join(b, "counts.mjs"), [
        'import { writeFileSync } from "node:fs";',
        "let decisions = 0;",
        'process.on("exit", () => writeFileSync("decisions.txt", String(decisions)));',
        'export default { name: "counts", select(c, cluster) { if (decisions++ === 0) process.kill(process.pid, "SIGINT"); return cluster.firstFeasible(c); } };',
      ].join("\n") + "\n");
      const run = await runIn(b, ["run", "--workload", "long.csv", "--cluster", "one.csv", "--policy", "./counts.mjs", "--out", "out"]);
      expect(run.code).toBe(130);
      expect(run.stderr).toBe("\nschedsim: interrupted (SIGINT): no results written, the partial folder removed\n");
      // A slice is 65,536 events (an arrival and a departure per container, so 32,768 decisions),
      // and the signal is heard at the second turn of the event loop (the run starts inside a
      // poll-phase callback): the run stops after 65,536 decisions here, where it used to make
      // all n first. The bound leaves a slice of margin.
      expect(Number(await readFile(join(b, "decisions.txt"), "utf8"))).toBeLessThanOrEqual(3 * 32_768);
      expect((await readdir(b)).sort()).toEqual(["cluster.csv", "counts.mjs", "decisions.txt", "long.csv", "one.csv", "workload.csv", "zones.csv"]);
    });
  });

  it("a run that a policy ends with process.exit removes its partial folder and says so, keeping the code", async () => {
    await inNest(async ({ b }) => {
      await writeFile(join(b, "quits.mjs"), 'export default { name: "quits", select() { process.exit(3); } };\n');
      const run = await runIn(b, ["run", "--workload", "workload.csv", "--cluster", "cluster.csv", "--zones", "zones.csv", "--policy", "./quits.mjs", "--out", "out"]);
      expect(run.code).toBe(3);
      expect(run.stderr).toBe("\nschedsim: exited (code 3) before the end: no results written, the partial folder removed\n");
      expect((await readdir(b)).sort()).toEqual(["cluster.csv", "quits.mjs", "workload.csv", "zones.csv"]);
    });
  });

  it("an empty --out is refused before the run", async () => {
    await inNest(async ({ b }) => {
      const run = await runIn(b, ["run", ...INPUTS, "--out", ""]);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toBe("schedsim: the output folder is an empty name: give --out a folder\n");
      expect(run.stdout).toBe("");
    });
  });

  it("a folder beside the inputs is still replaced with --force", async () => {
    await inNest(async ({ a }) => {
      await mkdir(join(a, "out"));
      await writeFile(join(a, "out", "old.txt"), "old results\n");
      const args = ["run", "--workload", "b/workload.csv", "--cluster", "b/cluster.csv", "--zones", "b/zones.csv", "--policy", "first-fit", "--out", "out", "--force"];
      const run = await runIn(a, args);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect((await readdir(join(a, "out"))).sort()).toEqual(["first-fit", "run.json", "summary.csv", "summary.json"]);
      expect((await readdir(a)).sort()).toEqual(["b", "out", "precious.txt"]);
    });
  });
});
