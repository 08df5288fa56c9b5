/**
 * Node failures through the CLI: a failures file replays with every container accounted for, and
 * an empty failures file (no rows) changes no result file by a byte.
 */
import { describe, expect, it } from "vitest";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { csvObjects } from "../helpers.ts";
import { leftovers, withCli } from "./cli.ts";

const F = "test/fixtures/failures/";
const DEFAULT = ["--workload", "workloads/default/workload.csv", "--cluster", "workloads/default/cluster.csv", "--zones", "workloads/default/zones.csv"];

/** Every result file of a run (relative path → text), summary.json without its options. */
async function resultFiles(out: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(out, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name === "run.json") continue;
    const path = join(entry.parentPath, entry.name);
    let text = await readFile(path, "utf8");
    if (entry.name === "summary.json") {
      const json = JSON.parse(text);
      delete json.options;
      text = JSON.stringify(json);
    }
    files[path.slice(out.length + 1)] = text;
  }
  return files;
}

describe.concurrent("node failures through the CLI", () => {
  it("a failures file replays with every container accounted for", async () => {
    await withCli(["run", "--workload", `${F}workload.csv`, "--cluster", `${F}cluster.csv`, "--failures", `${F}failures.csv`, "--policy", "first-fit"], async (r) => {
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      // Hand-computed in test/sim/failures.test.ts: n0 fails at 3, both containers restart on n1.
      const rows = csvObjects(await readFile(join(r.out, "first-fit", "containers.csv"), "utf8"));
      expect(rows.map((c) => [c.id, c.node, c.start, c.end, c.state])).toEqual([["a", "n1", "3", "13", "finished"], ["b", "n1", "3", "7", "finished"]]);
      const [s] = csvObjects(await readFile(join(r.out, "summary.csv"), "utf8"));
      expect([s!.finished, s!.restarts, s!.lost_work, s!.killed, s!.node_failures]).toEqual(["2", "2", "10", "0", "1"]);
      const json = JSON.parse(await readFile(join(r.out, "summary.json"), "utf8"));
      expect(json.options).toMatchObject({ failures: `${F}failures.csv`, on_failure: "requeue", max_restarts: 100 });
    });
  });

  it("--on-failure drop leaves them killed", async () => {
    await withCli(["run", "--workload", `${F}workload.csv`, "--cluster", `${F}cluster.csv`, "--failures", `${F}failures.csv`, "--on-failure", "drop", "--policy", "first-fit"], async (r) => {
      expect(r.code).toBe(0);
      const rows = csvObjects(await readFile(join(r.out, "first-fit", "containers.csv"), "utf8"));
      expect(rows.map((c) => [c.id, c.node, c.state, c.reason])).toEqual([["a", "n0", "killed", "node-failure"], ["b", "n0", "killed", "node-failure"]]);
      // The terminal table shows them, or its counts would not add up to the workload.
      const [head, , row] = r.stdout.split("\n").map((line) => line.trim().split(/\s{2,}/));
      expect(head!.slice(0, 5)).toEqual(["policy", "finished", "rejected", "unfinished", "killed"]);
      expect(row!.slice(0, 5)).toEqual(["first-fit", "0", "0", "0", "2"]);
    });
  });

  it("an empty failures file gives byte-identical results (every built-in policy, default workload)", async () => {
    const [plain, empty] = await Promise.all([
      withCli(["run", ...DEFAULT, "--policy", "all"], async (r) => (expect(r.code).toBe(0), resultFiles(r.out))),
      withCli(["run", ...DEFAULT, "--policy", "all", "--failures", `${F}none.csv`], async (r) => (expect(r.code).toBe(0), resultFiles(r.out))),
    ]);
    expect(Object.keys(plain)).toHaveLength(2 + 9 * 2);
    expect(empty).toEqual(plain);
  });

  it("random failures: the same seed gives the same files, and the containers are all accounted for", async () => {
    const args = ["run", ...DEFAULT, "--policy", "best-fit", "--mtbf", "2000", "--mttr", "100", "--seed", "4"];
    const [a, b] = await Promise.all([
      withCli(args, async (r) => (expect(r.stderr).toBe(""), expect(await leftovers(r)).toEqual(["results"]), resultFiles(r.out))),
      withCli(args, async (r) => resultFiles(r.out)),
    ]);
    expect(b).toEqual(a);
    const [s] = csvObjects(a["summary.csv"]!);
    expect(Number(s!.node_failures)).toBeGreaterThan(0);
    expect(Number(s!.finished) + Number(s!.rejected) + Number(s!.unfinished) + Number(s!.killed)).toBe(4000);
  });
});
