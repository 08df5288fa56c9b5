/**
 * Progress from worker threads: each job of runInWorkers reports the arrivals its run has
 * processed, as simulate's onProgress does in a sequential run (every 65,536 arrivals, then the
 * total), so that `run --parallel` can draw one bar for all its policies.
 */
import { describe, expect, it } from "vitest";
import { ZoneTable, WorkloadBuilder, uniformCluster, type SimInputs } from "../../src/index.ts";
import { runInWorkers } from "../../src/cli/parallel.ts";

function workload(count: number): SimInputs {
  const zones = new ZoneTable(false);
  const builder = new WorkloadBuilder(zones, "workload.csv");
  builder.add(["id", "arrival", "duration", "cpu", "mem"], 1);
  for (let i = 0; i < count; i++) builder.add([`c${i}`, String(i), "5", "1", "1"], i + 2);
  return { workload: builder.finish(), cluster: uniformCluster(4, 8, 32), zones };
}

describe("runInWorkers progress", () => {
  it("reports every job's arrivals processed, growing to the total, before its summary", async () => {
    const count = 140_000, inputs = workload(count);
    const reports: [number, number][] = [];
    const { results } = runInWorkers(inputs, [
      { policy: "first-fit", name: "first-fit", files: {} },
      { policy: "worst-fit", name: "worst-fit", files: {} },
    ], { timeline: false }, 2, (job, done) => reports.push([job, done]));
    const summaries = await Promise.all(results);
    expect(summaries.map((s) => [s.policy, s.finished])).toEqual([["first-fit", count], ["worst-fit", count]]);
    for (const job of [0, 1]) {
      expect(reports.filter(([j]) => j === job).map(([, done]) => done)).toEqual([65_536, 131_072, count]);
    }
  });

});
