import { describe, expect, it } from "vitest";
import { mapOpenbPod, openb } from "../../../src/workload/importers/openb.ts";
import { cells, fixture, record, runImport, scratch, skips, write } from "./helpers.ts";

// test/fixtures/traces/openb/pods.csv: lines 1-3, 7, 19 and 60-66 of openb_pod_list_default.csv.
// Hand conversion: cpu = cpu_milli/1000, mem = memory_mib/1024, gpu = num_gpu·gpu_milli/1000,
// duration = min(deletion_time, 12902960) − scheduled_time.
const dir = scratch();
const pods = fixture("openb/pods.csv");
const nodes = fixture("openb/nodes.csv");

const HEADER = ["id", "arrival", "duration", "cpu", "mem", "gpu"];
const POD = {
  p0000: cells("openb-pod-0000", 0, 12537496 - 0, 12, 16, 1),
  p0001: cells("openb-pod-0001", 427061, 12902960 - 427061, 6, 12, 0.46), // censored: ends at the trace end
  p0005: cells("openb-pod-0005", 2759674, 12902960 - 2759676, 20, 64, 0), // censored, CPU only
  p0017: cells("openb-pod-0017", 9437497, 10769854 - 9437497, 88, 320, 8), // 8 whole GPUs
  p0058: cells("openb-pod-0058", 10000483, 10002335 - 10000483, 8, 16, 1),
  p0059: cells("openb-pod-0059", 10000836, 10002563 - 10000838, 11.908, 46, 0.47),
  p0060: cells("openb-pod-0060", 10000884, 10013817 - 10000885, 8, 29.8017578125, 0), // 30517 MiB
  // openb-pod-0061 is Pending (line 9)
  p0062: cells("openb-pod-0062", 10001573, 10014257 - 10001606, 3.152, 5.46875, 0.81), // Failed (line 10)
  p0063: cells("openb-pod-0063", 10001854, 10043044 - 10002793, 12, 24, 1),
  p0064: cells("openb-pod-0064", 10002519, 10003360 - 10002522, 16, 32, 1),
};

describe("openb import", () => {
  it("keeps every scheduled pod by default, censored ones ending at the trace end, and skips Pending", async () => {
    const { summary, rows, nodes: n } = await runImport(dir, "openb", pods, {}, { nodes });
    expect(rows).toEqual([HEADER, ...Object.values(POD)]);
    expect(summary.records).toBe(11);
    expect(summary.kept).toBe(10);
    expect(skips(summary.skipped)).toEqual({ pending: [1, 9] });
    expect(summary.containers).toBe(10);
    expect(n).toEqual([
      ["id", "cpu", "mem", "gpu"],
      ["openb-node-0000", "32", "256", "0"],
      ["openb-node-0229", "96", "768", "8"],
      ["openb-node-0300", "16", "120", "2"],
      ["openb-node-0600", "96", "384", "8"],
      ["openb-node-0900", "104", "512", "2"],
    ]);
    expect(summary.cluster).toEqual({ records: 5, nodes: 5, skipped: { total: 0, by_reason: {} } });
    expect(summary.options).toEqual({ failed: "keep", censored: "end", "trace-end": 12902960, "duration-from": "scheduled" });
  });

  it("--failed skip and --censored skip leave those pods out, counted", async () => {
    const { summary, rows } = await runImport(dir, "openb", pods, { failed: "skip", censored: "skip" });
    const { p0001: _c1, p0005: _c2, p0062: _f, ...rest } = POD;
    expect(rows).toEqual([HEADER, ...Object.values(rest)]);
    expect(skips(summary.skipped)).toEqual({ censored: [2, 3], pending: [1, 9], failed: [1, 10] });
  });

  it("--trace-end earlier than the data cuts later deletions; --duration-from arrival counts from creation", async () => {
    const { rows } = await runImport(dir, "openb", pods, { "trace-end": 10003000, "duration-from": "arrival" });
    // Every deletion at or after 10003000 counts as censored and ends there.
    expect(rows.slice(1, 3)).toEqual([
      cells("openb-pod-0000", 0, 10003000 - 0, 12, 16, 1),
      cells("openb-pod-0001", 427061, 10003000 - 427061, 6, 12, 0.46),
    ]);
    expect(rows.find((r) => r[0] === "openb-pod-0063")).toEqual(cells("openb-pod-0063", 10001854, 10003000 - 10001854, 12, 24, 1));
    expect(rows.find((r) => r[0] === "openb-pod-0064")).toEqual(cells("openb-pod-0064", 10002519, 10003000 - 10002519, 16, 32, 1));
  });

  it("--from/--to keep an arrival window [from, to), the rest counted as before-window and after-window", async () => {
    const { summary, rows } = await runImport(dir, "openb", pods, {}, { from: 10000800, to: 10002000 });
    expect(rows).toEqual([HEADER, POD.p0059, POD.p0060, POD.p0062, POD.p0063]);
    expect(skips(summary.skipped)).toEqual({ "before-window": [5, 2], pending: [1, 9], "after-window": [1, 12] });
    expect(summary.window).toEqual({ from: 10000800, to: 10002000 });
    expect(summary.command).toContain("--from 10000800 --to 10002000");
  });

  it("sorts an unsorted pod list (like the cpu050 resample) by creation time, stably", async () => {
    const text = [
      "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time",
      "b,1000,1024,0,0,,LS,Running,20,30,20",
      "a,1000,1024,0,0,,LS,Running,10,30,10",
      "c,1000,1024,0,0,,LS,Running,20,25,21",
    ].join("\n");
    const { rows, summary } = await runImport(dir, "openb", write(dir, "unsorted-pods.csv", text));
    expect(rows.map((r) => r[0])).toEqual(["id", "a", "b", "c"]);
    expect(summary.order).toBe("sorted in memory");
  });

  it("maps one pod record on its own (pure mapper)", () => {
    const r = record(openb.layout.columns, ["openb-pod-0059", "11908", "47104", "1", "470", "", "LS", "Running", "10000836", "10002563", "10000838"]);
    expect(mapOpenbPod(r, { failed: "keep", censored: "end", traceEnd: 12902960, durationFrom: "scheduled" })).toEqual({
      row: { id: "openb-pod-0059", arrival: 10000836, duration: 1725, cpu: 11.908, mem: 46, gpu: 0.47 },
    });
  });
});
