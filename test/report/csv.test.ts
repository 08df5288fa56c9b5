/** The CSV writers: DESIGN.md's columns in order, full-precision numbers, empty cells, chunks. */
import { describe, expect, it } from "vitest";
import {
  CONTAINER_COLUMNS, MICRO, SUMMARY_COLUMNS, TIMELINE_COLUMNS, Workload, ZoneTable,
  containersCsv, makeCluster, simulate, summaryCsv, timelineCsv,
} from "../../src/index.ts";
import { builtin, csvHeader, csvObjects, joined, run } from "../helpers.ts";

const firstFit = builtin("first-fit");

describe("column names and order", () => {
  it("are exactly DESIGN.md's", () => {
    expect([...CONTAINER_COLUMNS]).toEqual(["id", "node", "arrival", "start", "end", "wait", "net", "r", "p", "d", "state", "reason"]);
    expect(SUMMARY_COLUMNS.slice(0, 25)).toEqual([
      "policy", "finished", "rejected", "unfinished", "R", "R_mem", "R_gpu", "P", "D", "D_wait", "D_net",
      "util_cpu", "util_mem", "util_gpu", "peak_cpu", "peak_mem", "peak_gpu", "wait_mean", "wait_p50",
      "wait_p95", "wait_p99", "slowdown_mean", "makespan", "nodes_used", "events",
    ]);
    expect(TIMELINE_COLUMNS[0]).toBe("time");
  });

  it("head the written files", () => {
    const r = run({ workload: "id,arrival,duration,cpu,mem\nc0,0,1,1,1", cluster: "id,cpu,mem\na,1,1" }, { policy: firstFit });
    expect(csvHeader(joined(containersCsv(r.result, r.inputs.workload, r.inputs.cluster)))).toEqual([...CONTAINER_COLUMNS]);
    expect(csvHeader(summaryCsv([r.summary]))).toEqual([...SUMMARY_COLUMNS]);
    expect(csvHeader(joined(timelineCsv(r.result.timeline!)))).toEqual([...TIMELINE_COLUMNS]);
  });
});

describe("containers.csv", () => {
  it("writes numbers in full precision (shortest round trip), never rounded", () => {
    // c0: 0.1 cores from 0.1 for 0.2 s on a speed-1 node: ends at 0.1 + 0.2 = 0.30000000000000004.
    // c1: 1 s on a speed-3 node (a has only 0.1 cores): ends at 1/3.
    const r = run({
      workload: "id,arrival,duration,cpu,mem\nc1,0,1,1,0\nc0,0.1,0.2,0.1,0",
      cluster: "id,cpu,mem,speed\na,0.1,1,1\nb,1,1,3",
    }, { policy: firstFit });
    const text = joined(containersCsv(r.result, r.inputs.workload, r.inputs.cluster));
    const end0 = 0.1 + 0.2, runtime0 = end0 - 0.1;
    expect(text.split("\n")).toEqual([
      CONTAINER_COLUMNS.join(","),
      // id, node, arrival, start, end, wait, net, r = cpu·runtime, p = duration/(wait + runtime), d, state, reason
      `c1,b,0,0,${1 / 3},0,0,${1 / 3},${1 / (1 / 3)},0,finished,`,
      `c0,a,0.1,0.1,${end0},0,0,${0.1 * runtime0},${0.2 / runtime0},0,finished,`,
      "",
    ]);
    expect(text).toContain("0.30000000000000004");
    expect(text).toContain("0.3333333333333333");
  });

  it("quotes an id that needs it, so it reads back as written", () => {
    const r = run({ workload: 'id,arrival,duration,cpu,mem\n"a,""b""",0,1,1,1\nplain,0,1,1,1', cluster: "id,cpu,mem\nn 1,2,2" }, { policy: firstFit });
    const rows = csvObjects(joined(containersCsv(r.result, r.inputs.workload, r.inputs.cluster)));
    expect(rows.map((x) => [x.id, x.node])).toEqual([['a,"b"', "n 1"], ["plain", "n 1"]]);
  });

  it("comes in chunks of whole rows, the header only in the first", () => {
    // 60 000 one-second containers on 60 000 cores (about 2.5 MB: more than one chunk of 1 MiB): all start at once.
    const n = 60_000, w = new Workload(n);
    for (let i = 0; i < n; i++) w.push(`c${i}`, 0, 1, MICRO, 0, 0);
    const cluster = makeCluster([{ id: "big", cpu: n * MICRO, mem: MICRO }]);
    const result = simulate({ workload: w, cluster, zones: new ZoneTable(false) }, { policy: firstFit, timeline: false });
    const chunks = [...containersCsv(result, w, cluster)].map((c) => new TextDecoder().decode(c));
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(c.endsWith("\n")).toBe(true);
    expect(chunks.filter((c) => c.startsWith("id,node,"))).toHaveLength(1);
    const rows = csvObjects(chunks.join(""));
    expect(rows).toHaveLength(n);
    expect(rows[n - 1]).toMatchObject({ id: `c${n - 1}`, node: "big", start: "0", end: "1", state: "finished" });
  });
});

describe("summary.csv", () => {
  it("leaves the wait and slowdown statistics empty when nothing finished", () => {
    // The only container needs 2 cores on a 1-core cluster: rejected as unschedulable.
    const r = run({ workload: "id,arrival,duration,cpu,mem\nc0,0,1,2,1", cluster: "id,cpu,mem\na,1,1" }, { policy: firstFit });
    const [row] = csvObjects(summaryCsv([r.summary]));
    expect(row).toMatchObject({ policy: "first-fit", finished: "0", rejected: "1", wait_mean: "", wait_p50: "", wait_p95: "", wait_p99: "", slowdown_mean: "" });
  });
});

describe("timeline.csv", () => {
  it("has one row per timestamp at which the allocation or the counts changed, in units", () => {
    // One node of 2 cores and 2 GiB, fifo.
    // 0: c0 (1 core, 0.5 GiB) starts.
    // 1: c1 (0.5 core) starts and ends at once; c2 (2 cores) queues → only `queued` changed.
    // 2: c0 ends, c2 starts.  3: c2 ends.  3 (also): c3 arrives with a zero request and leaves.
    const r = run({
      workload: `
        id,arrival,duration,cpu,mem
        c0,0,2,1,0.5
        c1,1,0,0.5,0
        c2,1,1,2,0.25
        c3,3,0,0,0`,
      cluster: "id,cpu,mem\na,2,2",
    }, { policy: firstFit });
    expect(joined(timelineCsv(r.result.timeline!)).split("\n")).toEqual([
      "time,cpu,mem,gpu,running,queued",
      "0,1,0.5,0,1,0",
      "1,1,0.5,0,1,1",
      "2,2,0.25,0,1,0",
      "3,0,0,0,0,0",
      "",
    ]);
  });
});
