/**
 * `schedsim run` through the real command line (`node bin/schedsim.js`, in a child process) on a
 * small fixture (the 03-zones conformance case: 30 containers, 4 nodes, a zones file).
 */
import { describe, expect, it } from "vitest";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { BUILTIN_POLICIES, CONTAINER_COLUMNS, SUMMARY_COLUMNS, TIMELINE_COLUMNS } from "../../src/index.ts";
import { csvHeader, csvObjects } from "../helpers.ts";
import { withCli, type CliRun } from "../robustness/cli.ts";

const CASE = "test/fixtures/conformance/03-zones/";
const INPUTS = ["--workload", `${CASE}workload.csv`, "--cluster", `${CASE}cluster.csv`, "--zones", `${CASE}zones.csv`];
const DESIGN_SUMMARY = [
  "policy", "finished", "rejected", "unfinished", "R", "R_mem", "R_gpu", "P", "D", "D_wait", "D_net",
  "util_cpu", "util_mem", "util_gpu", "peak_cpu", "peak_mem", "peak_gpu", "wait_mean", "wait_p50",
  "wait_p95", "wait_p99", "slowdown_mean", "makespan", "nodes_used", "events",
];

/** Every file under a folder, as relative path → content. */
async function tree(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path), await readFile(path, "utf8"));
  }
  return files;
}

const runAll = <T>(check: (run: CliRun) => Promise<T>) => withCli(["run", ...INPUTS, "--policy", "all", "--queue", "backfill", "--seed", "7"], check);

describe.concurrent("schedsim run", () => {
  it("writes DESIGN.md's files with exactly its columns, and two runs give byte-identical results", async () => {
    const first = await runAll(async (run) => {
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      return tree(run.out);
    });
    const policies = [...BUILTIN_POLICIES.keys()];
    expect([...first.keys()].sort()).toEqual([
      "run.json", "summary.csv", "summary.json",
      ...policies.flatMap((p) => [`${p}/containers.csv`, `${p}/timeline.csv`]),
    ].sort());

    const summary = first.get("summary.csv")!;
    expect(csvHeader(summary).slice(0, 25)).toEqual(DESIGN_SUMMARY);
    expect(csvHeader(summary)).toEqual([...SUMMARY_COLUMNS]);
    expect(csvObjects(summary).map((r) => r.policy)).toEqual(policies);
    for (const p of policies) {
      expect(csvHeader(first.get(`${p}/containers.csv`)!)).toEqual([...CONTAINER_COLUMNS]);
      expect(csvObjects(first.get(`${p}/containers.csv`)!)).toHaveLength(30);
      expect(csvHeader(first.get(`${p}/timeline.csv`)!)).toEqual([...TIMELINE_COLUMNS]);
    }

    // summary.json: the same figures, plus the inputs and options used.
    const json = JSON.parse(first.get("summary.json")!) as { inputs: Record<string, unknown>; options: Record<string, unknown>; policies: Record<string, unknown>[] };
    expect(json.inputs).toMatchObject({ workload: `${CASE}workload.csv`, cluster: `${CASE}cluster.csv`, zones: `${CASE}zones.csv`, containers: 30, nodes: 4 });
    expect(json.options).toMatchObject({ queue: "backfill", seed: 7, horizon: null });
    const csvRows = csvObjects(summary);
    json.policies.forEach((p, i) => {
      for (const c of DESIGN_SUMMARY) expect(p[c] === null ? "" : String(p[c])).toBe(csvRows[i]![c]);
    });

    // Wall-clock time only in run.json: everything else is identical in a second run.
    const second = await runAll(async (run) => tree(run.out));
    first.delete("run.json");
    second.delete("run.json");
    expect(second).toEqual(first);
  });

  it("refuses bad input with exit code 1 and one line naming file:line and column, no stack trace", async () => {
    const dir = await mkdtemp(join(tmpdir(), "schedsim-cli-bad-"));
    try {
      const bad = join(dir, "w.csv");
      await writeFile(bad, "id,arrival,duration,cpu,mem\nc0,0,1,1,1\nc1,1,1,two,1\n");
      await withCli(["run", "--workload", bad, "--cluster", `${CASE}cluster.csv`, "--policy", "first-fit"], async (run) => {
        expect(run.code).toBe(1);
        expect(run.stderr).toBe(`schedsim: ${bad}:3, column "cpu": not a finite decimal number (got "two")\n`);
        expect(run.stderr).not.toMatch(/\n\s+at /);
        expect(await readdir(run.dir)).toEqual([]); // no results folder
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("--sort on a scrambled trace writes the same per-policy files as the sorted trace (writer thread included)", async () => {
    // Rows in descending arrival, equal arrivals kept in file order: a stable sort by arrival gives
    // back the fixture's exact order, so every file that does not name the inputs must be identical.
    const text = await readFile(`${CASE}workload.csv`, "utf8");
    const [header, ...rows] = text.trimEnd().split("\n");
    const arrival = (row: string) => Number(row.split(",")[1]);
    const scrambled = rows.map((row, i) => ({ row, i })).sort((a, b) => arrival(b.row) - arrival(a.row) || a.i - b.i).map((r) => r.row);
    expect(scrambled).not.toEqual(rows);
    const dir = await mkdtemp(join(tmpdir(), "schedsim-cli-sort-"));
    try {
      const file = join(dir, "scrambled.csv");
      await writeFile(file, [header, ...scrambled, ""].join("\n"));
      const sorted = await withCli(["run", ...INPUTS, "--policy", "all", "--seed", "7"], async (run) => {
        expect(run.code).toBe(0);
        return tree(run.out);
      });
      const resorted = await withCli(["run", "--workload", file, ...INPUTS.slice(2), "--policy", "all", "--seed", "7", "--sort"], async (run) => {
        expect(run.stderr).toBe("");
        expect(run.code).toBe(0);
        return tree(run.out);
      });
      const perPolicy = [...sorted.keys()].filter((path) => path.includes("/") || path === "summary.csv");
      expect(perPolicy).toHaveLength(2 * BUILTIN_POLICIES.size + 1);
      for (const path of perPolicy) expect(resorted.get(path), path).toBe(sorted.get(path));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("answers an unknown policy with the list of known ones", async () => {
    await withCli(["run", ...INPUTS, "--policy", "nope"], (run) => {
      expect(run.code).toBe(1);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
      expect(run.stderr).toContain('unknown policy "nope"');
      for (const p of BUILTIN_POLICIES.keys()) expect(run.stderr).toContain(p);
    });
  });
});
