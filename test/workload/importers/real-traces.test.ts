import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { importTrace, type ImportSummary } from "../../../src/workload/importers/index.ts";
import { readWorkload } from "../../../src/workload/native.ts";
import { readCluster } from "../../../src/workload/cluster-file.ts";
import { ZoneTable } from "../../../src/model/zones.ts";
import { scratch } from "./helpers.ts";

// The full real traces of <repo>/../shared/traces, with the counts their SOURCE.md states. A clone
// without that folder skips these tests. Each output is read back by the native readers, which
// check it is a valid workload (unique ids, sorted arrivals, numbers in range).
const TRACES = fileURLToPath(new URL("../../../../shared/traces/", import.meta.url));
const present = existsSync(TRACES);
if (!present) console.warn(`skipping the full-trace import tests: ${TRACES} is absent (it is not part of a clone)`);

const dir = scratch();
let n = 0;

async function convert(format: string, input: string, options: Record<string, unknown> = {}, nodes?: string, clusterOut = false) {
  const output = join(dir, `${format}-${++n}.csv.gz`);
  const clusterOutput = nodes || clusterOut ? join(dir, `${format}-${n}-cluster.csv`) : undefined;
  const summary = await importTrace({ format, input: join(TRACES, input), nodes: nodes && join(TRACES, nodes), output, clusterOutput, options });
  const { workload } = await readWorkload(output, new ZoneTable(false));
  expect(workload.length).toBe(summary.containers);
  const cluster = clusterOutput ? (await readCluster(clusterOutput, new ZoneTable(false))).cluster : undefined;
  return { summary, cluster };
}

const counts = (s: ImportSummary) => Object.fromEntries(Object.entries(s.skipped.by_reason).map(([k, v]) => [k, v.count]));

describe.skipIf(!present)("importing the full real traces (../shared/traces)", () => {
  it("openb default: 7,255 pods after skipping the 897 Pending ones; 1,523 nodes", async () => {
    const { summary, cluster } = await convert("openb", "alibaba-openb-gpu-2023/openb_pod_list_default.csv", {}, "alibaba-openb-gpu-2023/openb_node_list_all_node.csv");
    expect(summary.records).toBe(8152);
    expect(summary.kept).toBe(7255);
    expect(counts(summary)).toEqual({ pending: 897 });
    expect(cluster!.ids).toHaveLength(1523);
    // Without the 1,870 Failed pods and the 34 censored ones.
    const strict = await convert("openb", "alibaba-openb-gpu-2023/openb_pod_list_default.csv", { failed: "skip", censored: "skip" });
    expect(counts(strict.summary)).toEqual({ pending: 897, failed: 1870, censored: 34 });
  });

  it("openb cpu050 (a resample, unsorted) converts into a sorted workload", async () => {
    const { summary } = await convert("openb", "alibaba-openb-gpu-2023/openb_pod_list_cpu050.csv");
    expect(summary.records).toBe(7439);
  });

  it("alibaba-dlrm default: the 12,390 complete lifetimes; every row with both options", async () => {
    const { summary } = await convert("alibaba-dlrm", "alibaba-dlrm-gpu-2025/disaggregated_DLRM_trace.csv");
    expect(summary.kept).toBe(12390);
    expect(counts(summary)).toEqual({ "pre-existing": 2603 + 4677, "still-running": 4201 });
    const all = await convert("alibaba-dlrm", "alibaba-dlrm-gpu-2025/disaggregated_DLRM_trace.csv", { "pre-existing": "zero", "still-running": "end" });
    expect(all.summary.kept).toBe(23871);
  });

  it("alibaba-2017: 66,815 kept tasks (10,134,817 instances), 1,313 machines", async () => {
    const events = "alibaba-v2017/server_event.csv";
    const one = await convert("alibaba-2017", "alibaba-v2017/batch_task.csv", { instances: "one" }, events);
    expect(one.summary.kept).toBe(66815);
    expect(one.summary.containers).toBe(66815);
    expect(counts(one.summary)).toEqual({
      "status-waiting": 8847, "status-running": 3567, "status-failed": 1126,
      "created-before-trace": 167, "no-request": 10, "not-positive-duration": 21,
    });
    expect(one.cluster!.ids).toHaveLength(1313);
    expect(counts({ skipped: one.summary.cluster!.skipped } as ImportSummary)).toEqual({ "event-softerror": 39 });
    expect(one.summary.details.instances_in_kept_tasks).toBe(10_134_817);
  });

  it("LLNL Atlas: 19,949 jobs with --status 1; 36,600 with every status (run > 0, processors > 0)", async () => {
    const completed = await convert("swf", "pwa-llnl-atlas-2006/LLNL-Atlas-2006-2.1-cln.swf", { status: "1" }, undefined, true);
    expect(completed.summary.kept).toBe(19949);
    expect(counts(completed.summary)).toEqual({ "status-0": 10431, "status-5": 11432, "runtime-not-positive": 1966 });
    expect(completed.summary.details).toEqual({ arrival_offset: 3273240 });
    expect(completed.cluster!.ids).toEqual(["pool"]);
    const all = await convert("swf", "pwa-llnl-atlas-2006/LLNL-Atlas-2006-2.1-cln.swf");
    expect(all.summary.kept).toBe(19949 + 9820 + 6831);
  });

  it("NASA iPSC: 18,066 jobs after the 173 with run time 0", async () => {
    const { summary } = await convert("swf", "pwa-nasa-ipsc-1993/NASA-iPSC-1993-3.1-cln.swf.gz");
    expect(summary.records).toBe(18239);
    expect(counts(summary)).toEqual({ "runtime-not-positive": 173 });
  });
});
