import { describe, expect, it } from "vitest";
import { alibaba2017, expandV2017Task } from "../../../src/workload/importers/alibaba-2017.ts";
import { cells, fixture, readRows, runImport, scratch, skips, write } from "./helpers.ts";

// test/fixtures/traces/alibaba-2017/batch_task.csv: the re-uploaded header (leading spaces, long
// names) and lines 161, 3, 4, 29, 15, 35, 36, 5624, 54978, 2237, 26 of batch_task.csv, in that
// (unsorted) order. server_event.csv: lines 1, 2, 481 and 1314.
// Hand conversion: cpu = plan_cpu/100, mem = plan_mem·G/0.69 (G = --node-mem-gib, default 256),
// duration = task_end_time − task_create_time.
const dir = scratch();
const tasks = fixture("alibaba-2017/batch_task.csv");
const events = fixture("alibaba-2017/server_event.csv");
const HEADER = ["id", "arrival", "duration", "cpu", "mem", "gpu"];
const mem = (planMem: number, gib = 256) => (planMem * gib) / 0.69;

// Kept tasks in arrival order; 27:143 (line 5) and 27:140 (line 12) tie at 16281 and keep input order.
const TASKS = [
  { id: "3:5", arrival: 6457, duration: 6533 - 6457, cpu: 0.5, planMem: 0.004395206, instances: 1 },
  { id: "18:90", arrival: 11792, duration: 11801 - 11792, cpu: 0.5, planMem: 0.004043176, instances: 1 },
  { id: "27:143", arrival: 16281, duration: 16313 - 16281, cpu: 0.5, planMem: 0.00805529, instances: 3 },
  { id: "27:140", arrival: 16281, duration: 16290 - 16281, cpu: 0.5, planMem: 0.004074237, instances: 1 },
  { id: "76:525", arrival: 32766, duration: 32852 - 32766, cpu: 1, planMem: 0.002754122, instances: 2 },
];
const SKIPS = {
  "status-waiting": [1, 4],
  "status-running": [1, 7],
  "status-failed": [1, 8],
  "created-before-trace": [1, 9],
  "no-request": [1, 10],
  "not-positive-duration": [1, 11],
};

describe("alibaba-2017 import", () => {
  it("expands each kept task into its instances (ids job:task:k), sorted by creation time", async () => {
    const { summary, rows, nodes } = await runImport(dir, "alibaba-2017", tasks, {}, { nodes: events });
    const expected = TASKS.flatMap((t) => Array.from({ length: t.instances }, (_, k) => cells(`${t.id}:${k}`, t.arrival, t.duration, t.cpu, mem(t.planMem), 0)));
    expect(rows).toEqual([HEADER, ...expected]);
    expect(summary.kept).toBe(5);
    expect(summary.containers).toBe(8);
    expect(skips(summary.skipped)).toEqual(SKIPS);
    expect(summary.details).toEqual({ tasks_kept: 5, instances_in_kept_tasks: 8, containers_written: 8 });
    expect(nodes).toEqual([
      ["id", "cpu", "mem", "gpu"],
      ["1148", "64", String(mem(0.6900059534594777)), "0"],
      ["1149", "64", String(mem(0.6900059534594777)), "0"],
      ["478", "64", String(mem(0.9999585846297208)), "0"],
    ]);
    expect(skips(summary.cluster!.skipped)).toEqual({ "event-softerror": [1, 4] });
  });

  it("--instances one writes one container per task (id job:task); --node-mem-gib scales memory", async () => {
    const { rows } = await runImport(dir, "alibaba-2017", tasks, { instances: "one", "node-mem-gib": 128 });
    expect(rows).toEqual([HEADER, ...TASKS.map((t) => cells(t.id, t.arrival, t.duration, t.cpu, mem(t.planMem, 128), 0))]);
  });

  it("--instances sample keeps a seeded subset of instances: same seed same file, ids from the full expansion", async () => {
    const a = await runImport(dir, "alibaba-2017", tasks, { instances: "sample", "sample-fraction": 0.5, seed: 7 });
    const b = await runImport(dir, "alibaba-2017", tasks, { instances: "sample", "sample-fraction": 0.5, seed: 7 });
    expect(b.rows).toEqual(a.rows);
    const all = new Set(TASKS.flatMap((t) => Array.from({ length: t.instances }, (_, k) => `${t.id}:${k}`)));
    for (const r of a.rows.slice(1)) expect(all.has(r[0]!)).toBe(true);
    expect(a.summary.details).toMatchObject({ tasks_kept: 5, instances_in_kept_tasks: 8, containers_written: a.rows.length - 1 });
    // Fraction 1 keeps every instance: the same rows as --instances expand.
    const full = await runImport(dir, "alibaba-2017", tasks, { instances: "sample", "sample-fraction": 1 });
    expect(full.rows).toHaveLength(1 + 8);
  });

  it("thins instances at the sampling rate (binomial count within 5 standard deviations), once per instance", () => {
    const mapper = alibaba2017.createMapper({ nodeMemGib: 256, instances: "sample", sampleFraction: 0.2, seed: 3 });
    const task = { id: "1:1", arrival: 0, duration: 1, cpu: 1, mem: 1, gpu: 0, instances: 100_000 };
    const ks = [...mapper.expand!(task)].map((r) => Number(r.id.split(":")[2]));
    const sd = Math.sqrt(100_000 * 0.2 * 0.8);
    expect(Math.abs(ks.length - 20_000)).toBeLessThan(5 * sd);
    expect(ks.every((k, i) => i === 0 || k > ks[i - 1]!)).toBe(true); // distinct instances, in order
    let calls = 0;
    expect([...expandV2017Task({ ...task, instances: 10 }, "sample", () => (calls++, true))]).toHaveLength(10);
    expect(calls).toBe(10);
  });

  it("reads the headerless upstream layout too (columns by position)", async () => {
    const text = ["6457,6533,3,5,1,Terminated,50,0.004395206", "6036,6046,4,7,393,Waiting,,"].join("\n");
    const { rows, summary } = await runImport(dir, "alibaba-2017", write(dir, "headerless.csv", text), { instances: "one" });
    expect(rows).toEqual([HEADER, cells("3:5", 6457, 76, 0.5, mem(0.004395206), 0)]);
    expect(skips(summary.skipped)).toEqual({ "status-waiting": [1, 2] });
  });

  it("writes gzip when the output is named .gz", async () => {
    const { summary } = await runImport(dir, "alibaba-2017", tasks, { instances: "one" }, { out: "v2017.csv.gz" });
    expect(readRows(summary.output)).toHaveLength(1 + 5);
    expect(summary.summary).toBe(summary.output.replace(/\.csv\.gz$/, ".import.json"));
  });
});
