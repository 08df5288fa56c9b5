import { describe, expect, it } from "vitest";
import { GoogleTaskEvents, TASK_EVENT_COLUMNS, google2011 } from "../../../src/workload/importers/google-2011.ts";
import { cells, fixture, record, runImport, scratch, skips } from "./helpers.ts";

// test/fixtures/traces/google-2011/task_events.csv is written from the clusterdata-2011-2 schema
// (no real sample is available here). Its story, in seconds (line: event):
//   1-2   100:0 SUBMIT and SCHEDULE at 0 (before the trace window)           → pre-existing
//   3-4   200:0 and 200:1 SUBMIT at 600; 5-6 SCHEDULE at 601 and 602.5
//   7-9   300:0 SUBMIT at 650 without memory, UPDATE_PENDING gives 0.125, SCHEDULE at 660
//   10    200:1 FINISH at 700   → 200:1, duration 700 − 602.5
//   11    200:0 EVICT at 720    → 200:0, duration 720 − 601 (written before 200:1: same arrival, earlier SUBMIT)
//   12    200:0 SUBMIT again at 725 (second attempt, id 200:0:2); 16 SCHEDULE at 750; 22 FINISH at 900
//   13    300:0 UPDATE_RUNNING (ignored: requests are those at SCHEDULE)
//   14-15 400:0 SUBMIT at 740, KILL at 745 while pending                  → never-scheduled
//   17    300:0 FAIL at 800     → 300:0, duration 800 − 660, priority 4
//   18-20 500:0 SUBMIT, SCHEDULE, LOST                                      → lost
//   21    600:0 SCHEDULE without SUBMIT (ignored)
//   23-24 700:0 SUBMIT at 950, SCHEDULE at 960, no end                       → still-running
//   25    100:0 FINISH at 1000 (the last timestamp: the default trace end)
const dir = scratch();
const tasks = fixture("google-2011/task_events.csv");
const machines = fixture("google-2011/machine_events.csv");
const HEADER = ["id", "arrival", "duration", "cpu", "mem", "gpu", "priority"];

describe("google-2011 import", () => {
  it("turns each SUBMIT…end attempt into a container, in SUBMIT order, and counts what it leaves out", async () => {
    const { summary, rows, nodes } = await runImport(dir, "google-2011", tasks, {}, { nodes: machines });
    expect(rows).toEqual([
      HEADER,
      cells("200:0", 600, 720 - 601, 0.125, 0.0625, 0, 0),
      cells("200:1", 600, 700 - 602.5, 0.125, 0.0625, 0, 0),
      cells("300:0", 650, 800 - 660, 0.25, 0.125, 0, 4),
      cells("200:0:2", 725, 900 - 750, 0.125, 0.0625, 0, 0),
    ]);
    expect(summary.records).toBe(25);
    expect(skips(summary.skipped)).toEqual({ "never-scheduled": [1, 15], lost: [1, 20], "pre-existing": [1, 25], "still-running": [1, 23] });
    expect(summary.details).toEqual({ ignored_events: { "update-running": 1, "schedule-without-submit": 1 }, trace_end: 1000 });
    expect(nodes).toEqual([
      ["id", "cpu", "mem", "gpu"],
      ["5", "0.5", "0.2493", "0"],
      ["7", "0.5", "0.2493", "0"],
      ["8", "1", "1", "0"],
      ["9", "0.5", "0.4995", "0"],
      ["11", "0.25", "0.2498", "0"],
    ]);
    expect(skips(summary.cluster!.skipped)).toEqual({ "add-without-capacity": [1, 6], "update-ignored": [1, 7], "remove-ignored": [1, 8], "re-add-ignored": [1, 9] });
    expect(summary.order).toBe("streamed");
  });

  it("--pre-existing zero, --still-running end and the scales: 100:0 from 0, 700:0 to the trace end, in cores and GiB", async () => {
    const { rows, summary, nodes } = await runImport(dir, "google-2011", tasks,
      { "pre-existing": "zero", "still-running": "end", "cpu-scale": 64, "mem-scale": 256 }, { nodes: machines });
    expect(rows).toEqual([
      HEADER,
      cells("100:0", 0, 1000 - 0, 0.0625 * 64, 0.0318 * 256, 0, 9),
      cells("200:0", 600, 119, 8, 16, 0, 0),
      cells("200:1", 600, 97.5, 8, 16, 0, 0),
      cells("300:0", 650, 140, 16, 32, 0, 4),
      cells("200:0:2", 725, 150, 8, 16, 0, 0),
      cells("700:0", 950, 1000 - 960, 32, 64, 0, 9),
    ]);
    expect(skips(summary.skipped)).toEqual({ "never-scheduled": [1, 15], lost: [1, 20] });
    expect(nodes![3]).toEqual(["8", "64", "256", "0"]);
  });

  it("--resubmissions first, --duration-from arrival, --trace-end", async () => {
    const { rows, summary } = await runImport(dir, "google-2011", tasks,
      { resubmissions: "first", "duration-from": "arrival", "still-running": "end", "trace-end": 980 });
    expect(rows).toEqual([
      HEADER,
      cells("200:0", 600, 720 - 600, 0.125, 0.0625, 0, 0),
      cells("200:1", 600, 700 - 600, 0.125, 0.0625, 0, 0),
      cells("300:0", 650, 800 - 650, 0.25, 0.125, 0, 4),
      cells("700:0", 950, 980 - 950, 0.5, 0.25, 0, 9),
    ]);
    expect(skips(summary.skipped)).toMatchObject({ resubmission: [1, 22] });
  });

  it("writes a row as soon as no earlier SUBMIT is still open (the watermark), not at the end", () => {
    const m = new GoogleTaskEvents(google2011.resolveOptions({}));
    const ev = (line: number, t: number, job: number, type: number) =>
      record(TASK_EVENT_COLUMNS, [String(t * 1e6), "", String(job), "0", "", String(type), "u", "0", "1", "0.5", "0.25", "", "0"], line);
    m.map(ev(1, 10, 1, 0), 0); // SUBMIT 1 at 10
    m.map(ev(2, 20, 2, 0), 1); // SUBMIT 2 at 20
    expect(m.watermark()).toEqual({ arrival: 10, seq: 0 });
    m.map(ev(3, 21, 2, 1), 2);
    expect(m.map(ev(4, 30, 2, 4), 3)).toEqual({ row: { id: "2:0", arrival: 20, duration: 9, cpu: 0.5, mem: 0.25, gpu: 0, priority: 1 }, seq: 1 });
    expect(m.watermark()).toEqual({ arrival: 10, seq: 0 }); // job 1 still open: row 2:0 must wait
    m.map(ev(5, 40, 1, 5), 4); // KILL 1 while pending
    expect(m.watermark()).toEqual({ arrival: 40, seq: 5 }); // nothing open: everything so far may go
  });
});
