import { describe, expect, it } from "vitest";
import { mapSwfJob, swf, SWF_FIELDS, swfHeaderEntry } from "../../../src/workload/importers/swf.ts";
import { cells, fixture, record, runImport, scratch, skips } from "./helpers.ts";

// test/fixtures/traces/swf/nasa-ipsc-cut.swf.gz: the 32 header lines and 14 jobs (lines 33-46) of
// NASA-iPSC-1993-3.1-cln.swf; llnl-atlas-cut.swf: the 32 header lines and jobs 1435-1448 (lines
// 33-46) of LLNL-Atlas-2006-2.1-cln.swf. A job → id = field 1, arrival = field 2 − offset,
// duration = field 4, cpu = field 5, mem = cpu · --mem-per-proc (no memory in these logs).
const dir = scratch();
const nasa = fixture("swf/nasa-ipsc-cut.swf.gz");
const llnl = fixture("swf/llnl-atlas-cut.swf");
const HEADER = ["id", "arrival", "duration", "cpu", "mem", "gpu"];
const job = (id: number, submit: number, run: number, procs: number, offset = 0, memPerProc = 1) =>
  cells(String(id), submit - offset, run, procs, procs * memPerProc, 0);

const NASA_KEPT = [
  job(1, 0, 1451, 128), job(2, 1460, 3726, 128), job(3, 5198, 1067, 128), job(4, 6269, 10927, 128),
  job(5, 17201, 2927, 128), job(57, 25574, 10, 1), job(59, 26613, 716, 32), job(652, 158539, 136, 64),
  job(654, 158976, 118, 64), job(656, 159123, 90, 64), job(657, 159217, 9627, 128),
];
const LLNL_FIRST_SUBMIT = 3273240;

describe("swf import", () => {
  it("NASA iPSC (gzip): jobs with run time 0 are skipped; the cluster is one pooled node of MaxProcs cores", async () => {
    const { summary, rows, nodes } = await runImport(dir, "swf", nasa, {}, { cluster: true });
    expect(rows).toEqual([HEADER, ...NASA_KEPT]);
    expect(skips(summary.skipped)).toEqual({ "runtime-not-positive": [3, 44] });
    expect(nodes).toEqual([["id", "cpu", "mem", "gpu"], ["pool", "128", "128", "0"]]);
    expect(summary.order).toBe("streamed");
    expect(summary.details).toEqual({ arrival_offset: 0 });
  });

  it("--node-layout per-node gives MaxNodes nodes of MaxProcs/MaxNodes cores; --mem-per-proc sets memory", async () => {
    const { rows, nodes } = await runImport(dir, "swf", nasa, { "node-layout": "per-node", "mem-per-proc": 0.25 }, { cluster: true });
    expect(rows[1]).toEqual(job(1, 0, 1451, 128, 0, 0.25));
    expect(nodes).toHaveLength(1 + 128);
    expect(nodes![1]).toEqual(["n0", "1", "0.25", "0"]);
    expect(nodes![128]).toEqual(["n127", "1", "0.25", "0"]);
  });

  it("--status 1 on a log without status skips every job as status-unknown", async () => {
    const { summary, rows } = await runImport(dir, "swf", nasa, { status: "1" });
    expect(rows).toEqual([HEADER]);
    expect(skips(summary.skipped)).toEqual({ "status-unknown": [14, 33] });
    expect(summary.warnings).toEqual([`no containers were kept: ${summary.output} has only its header`]);
  });

  it("LLNL Atlas: arrivals offset to the first submit; every status kept by default", async () => {
    const { summary, rows, nodes } = await runImport(dir, "swf", llnl, {}, { cluster: true });
    const o = LLNL_FIRST_SUBMIT;
    expect(rows).toEqual([
      HEADER,
      job(1441, 3279507, 6, 4096, o), job(1442, 3283775, 10, 8672, o), job(1443, 3284327, 47, 8000, o),
      job(1445, 3284653, 101, 8696, o), job(1447, 3286514, 35, 8000, o), job(1448, 3286796, 18, 8000, o),
    ]);
    expect(skips(summary.skipped)).toEqual({ "runtime-not-positive": [8, 33] });
    expect(nodes).toEqual([["id", "cpu", "mem", "gpu"], ["pool", "9216", "9216", "0"]]);
    expect(summary.details).toEqual({ arrival_offset: o });
  });

  it("LLNL Atlas --status 1: completed jobs only, the others counted per status", async () => {
    const { summary, rows } = await runImport(dir, "swf", llnl, { status: "1" });
    const o = LLNL_FIRST_SUBMIT;
    expect(rows).toEqual([HEADER, job(1441, 3279507, 6, 4096, o), job(1442, 3283775, 10, 8672, o), job(1448, 3286796, 18, 8000, o)]);
    expect(skips(summary.skipped)).toEqual({ "status-5": [8, 33], "runtime-not-positive": [1, 38], "status-0": [2, 41] });
  });

  it("--arrival-offset none keeps the log's own time origin; a number is subtracted, earlier jobs skipped", async () => {
    const none = await runImport(dir, "swf", llnl, { "arrival-offset": "none" });
    expect(none.rows[1]).toEqual(job(1441, 3279507, 6, 4096));
    const fixed = await runImport(dir, "swf", llnl, { "arrival-offset": "3283000" });
    expect(fixed.rows[1]).toEqual(job(1442, 3283775, 10, 8672, 3283000));
    expect(skips(fixed.summary.skipped)).toEqual({ "runtime-not-positive": [8, 33], "before-offset": [1, 39] });
  });

  it("falls back to the requested processors (field 8) and uses requested memory (field 10, KB per processor)", () => {
    const r = record(SWF_FIELDS, "7 100 -1 50 -1 -1 -1 16 -1 2097152 1 1 1 1 1 1 -1 -1".split(" "));
    const o = swf.resolveOptions({});
    expect(mapSwfJob(r, o, 40)).toEqual({ row: { id: "7", arrival: 60, duration: 50, cpu: 16, mem: 16 * 2, gpu: 0 } });
  });

  it("reads `; Key: value` header comments", () => {
    expect(swfHeaderEntry("; MaxProcs: 9216")).toEqual(["MaxProcs", "9216"]);
    expect(swfHeaderEntry(";       The filters used to produce it were")).toBeUndefined();
    expect(swfHeaderEntry("; StartTime: Fri Nov 10 15:05:01 PST 2006")).toEqual(["StartTime", "Fri Nov 10 15:05:01 PST 2006"]);
  });
});
