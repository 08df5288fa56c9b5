import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { importTrace, type ImportOptions } from "../../../src/workload/importers/index.ts";
import { main } from "../../../src/cli/main.ts";
import { fixture, scratch, write } from "./helpers.ts";

// Every error names what is wrong and where: file:line and column for input, the flag for options.
// Nothing is left behind: no output, no partial file.
const dir = scratch();
const OPENB_HEADER = "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time";
const POD0 = "openb-pod-0000,12000,16384,1,1000,,LS,Running,0,12537496,0";
const SWF_JOB = (id: number, submit: number, run: string) => `${id} ${submit} -1 ${run} 8 -1 -1 -1 -1 -1 1 1 1 1 1 1 -1 -1`;
const out = join(dir, "out.csv");

async function fails(io: Partial<ImportOptions> & { input: string }, message: string, name = "InputError"): Promise<void> {
  const before = readdirSync(dir).sort();
  const err = await importTrace({ format: "openb", output: out, ...io }).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(Error);
  expect((err as Error).name).toBe(name);
  expect((err as Error).message).toBe(message);
  expect(readdirSync(dir).sort()).toEqual(before); // no output, no .partial file
}

describe("import errors", () => {
  it("an unknown format lists the known ones", async () => {
    await fails({ format: "nope", input: "x.csv" }, 'unknown format "nope": use one of openb, alibaba-dlrm, alibaba-2017, swf, google-2011', "OptionError");
  });

  it("a missing required column names the header line and the column", async () => {
    const input = write(dir, "no-scheduled.csv", `${OPENB_HEADER.replace(",scheduled_time", "")}\n${POD0.replace(/,0$/, "")}\n`);
    await fails({ input }, `${input}:1, column "scheduled_time": missing required column "scheduled_time" (header has: name, cpu_milli, memory_mib, num_gpu, gpu_milli, gpu_spec, qos, pod_phase, creation_time, deletion_time)`);
  });

  it("a non-numeric field names file, line, column and value", async () => {
    const input = write(dir, "non-numeric.csv", `${OPENB_HEADER}\n${POD0}\nopenb-pod-0001,6000x,12288,1,460,,LS,Running,427061,12902960,427061\n`);
    await fails({ input }, `${input}:3, column "cpu_milli": not a finite decimal number (got "6000x")`);
  });

  it("an empty numeric field is an error, not a zero", async () => {
    const input = write(dir, "empty-field.csv", `${OPENB_HEADER}\nopenb-pod-0000,12000,,1,1000,,LS,Running,0,12537496,0\n`);
    await fails({ input }, `${input}:2, column "memory_mib": a number is required here, the field is empty`);
  });

  it("a negative request names the trace's line (run would refuse the file written)", async () => {
    const input = write(dir, "negative-cpu.csv", `${OPENB_HEADER}\n${POD0}\nopenb-pod-0001,-1000,12288,1,460,,LS,Running,427061,12902960,427061\n`);
    await fails({ input }, `${input}:3: this row would give container "openb-pod-0001" a cpu of -1: negative or not a number`);
  });

  it("a node list whose total passes the largest amount held exactly (run would refuse the cluster written)", async () => {
    const input = write(dir, "pods-total.csv", `${OPENB_HEADER}\n${POD0}\n`);
    const nodes = write(dir, "nodes-total.csv", "sn,cpu_milli,memory_mib,gpu,model\nn0,5000000000000,262144,0,\nn1,5000000000000,262144,0,\n");
    await fails({ input, nodes, clusterOutput: join(dir, "c.csv") }, `${nodes}:3: the cluster's total cpu passes 9000000000 with node "n1", the largest amount schedsim holds exactly`);
  });

  it("an instance count no trace holds (expanding it would fill the memory)", async () => {
    const input = write(dir, "many-instances.csv", "32766,32852,76,525,1e9,Terminated,100,0.0027\n");
    await fails({ format: "alibaba-2017", input }, `${input}:1, column "instance_num (field 5)": more than 10000000 instances in one task is not a trace value (got "1e9")`);
  });

  it("an empty file where a header is required", async () => {
    const input = write(dir, "empty.csv", "");
    await fails({ format: "alibaba-dlrm", input }, `${input}:1: the file is empty (expected a header line)`);
  });

  it("a row with fewer fields than the header", async () => {
    const input = write(dir, "short-row.csv", `${OPENB_HEADER}\n${POD0.replace(/,0$/, "")}\n`);
    await fails({ input }, `${input}:2: wrong number of fields: 10 where the first line has 11`);
  });

  it("a headerless line too short for the schema names the first missing column by position", async () => {
    const input = write(dir, "short-events.csv", "0,,100,0,,0,user1,2,9\n");
    await fails({ format: "google-2011", input }, `${input}:1, column "cpu_request (field 10)": the line has 9 fields but the format has 13: a column is missing`);
  });

  it("an unknown google event type", async () => {
    const input = write(dir, "event-9.csv", "0,,100,0,,9,user1,2,9,0.1,0.1,,0\n");
    await fails({ format: "google-2011", input }, `${input}:1, column "event_type (field 6)": unknown event type (the 2011 schema has 0 SUBMIT … 8 UPDATE_RUNNING) (got "9")`);
  });

  it("google task events out of time order", async () => {
    const input = write(dir, "events-order.csv", "10,,100,0,,0,user1,2,9,0.1,0.1,,0\n5,,101,0,,0,user1,2,9,0.1,0.1,,0\n");
    await fails({ format: "google-2011", input }, `${input}:2, column "timestamp (field 1)": task events must be in time order (concatenate the part files in order): 5 comes after 10 (got "5")`);
  });

  it("SWF: a non-numeric field, a short record, records out of submit order", async () => {
    const bad = write(dir, "bad.swf", `; MaxProcs: 8\n${SWF_JOB(1, 0, "10")}\n${SWF_JOB(2, 5, "abc")}\n`);
    await fails({ format: "swf", input: bad }, `${bad}:3, column "run_time (field 4)": not a finite decimal number (got "abc")`);
    const short = write(dir, "short.swf", `${SWF_JOB(1, 0, "10").replace(/ -1$/, "")}\n`);
    await fails({ format: "swf", input: short }, `${short}:1: an SWF record has 18 fields, this line has 17`);
    const order = write(dir, "order.swf", `${SWF_JOB(1, 10, "10")}\n${SWF_JOB(2, 5, "10")}\n`);
    await fails({ format: "swf", input: order, clusterOutput: join(dir, "c.csv") }, `${order}:2, column "submit_time (field 2)": SWF records must be sorted by submit time: 5 comes after 10 (got "5")`);
  });

  it("SWF: a cluster needs MaxProcs from the header or --max-procs", async () => {
    const input = write(dir, "no-header.swf", `${SWF_JOB(1, 0, "10")}\n`);
    await fails({ format: "swf", input, clusterOutput: join(dir, "c.csv") }, `${input}: the SWF header gives no usable MaxProcs (absent): pass --max-procs`, "OptionError");
  });

  it("a missing file, and a .gz name on data that is not gzip", async () => {
    const missing = join(dir, "missing.csv");
    await fails({ input: missing }, `${missing}: no such file`);
    const fake = write(dir, "fake.csv.gz", "not gzip\n");
    await fails({ input: fake }, `${fake}: not a valid gzip file (incorrect header check)`);
  });

  it("options: another format's flag, a bad choice, a bad number, a bad status list", async () => {
    const pods = fixture("openb/pods.csv");
    const swf = fixture("swf/llnl-atlas-cut.swf");
    await fails({ format: "swf", input: swf, options: { failed: "skip" } }, "--failed does not apply to format swf (it is an option of openb)", "OptionError");
    await fails({ input: pods, options: { censored: "maybe" } }, '--censored must be one of end, skip for format openb (got "maybe")', "OptionError");
    await fails({ input: pods, options: { "trace-end": Number.NaN } }, "--trace-end must be a number for format openb (got NaN)", "OptionError");
    await fails({ format: "alibaba-2017", input: pods, options: { "sample-fraction": 2 } }, "--sample-fraction must be at most 1 for format alibaba-2017 (got 2)", "OptionError");
    await fails({ format: "swf", input: swf, options: { status: "1,x" } }, '--status takes status codes separated by commas, e.g. 1 or 1,0 (got "1,x")', "OptionError");
    await fails({ input: pods, from: 10, to: 5 }, "--from must be before --to (got 10 and 5)", "OptionError");
    await fails({ format: "swf", input: swf, options: { "arrival-offset": "soon" } }, `--arrival-offset takes 'first', 'none' or a number of seconds (got "soon")`, "OptionError");
  });

  it("files: node list without a cluster output and back, a node list for a format without one, output over input", async () => {
    const pods = fixture("openb/pods.csv");
    await fails({ input: pods, nodes: fixture("openb/nodes.csv") }, "--nodes needs --cluster-out (where to write the cluster CSV)", "OptionError");
    await fails({ input: pods, clusterOutput: join(dir, "c.csv") }, "--cluster-out needs --nodes: the node list of openb is openb_node_list_all_node.csv (sn,cpu_milli,memory_mib,gpu,model)", "OptionError");
    await fails({ format: "alibaba-dlrm", input: pods, clusterOutput: join(dir, "c.csv") },
      "--cluster-out does not apply to format alibaba-dlrm: the trace publishes no node list: give `run` a cluster (--cluster FILE, or --nodes N --node-cpu C --node-mem M)", "OptionError");
    await fails({ format: "swf", input: fixture("swf/llnl-atlas-cut.swf"), nodes: pods }, "--nodes does not apply to format swf: its cluster comes from the trace's header (use --cluster-out alone)", "OptionError");
    const copy = write(dir, "in-place.csv", `${OPENB_HEADER}\n${POD0}\n`);
    await fails({ input: copy, output: copy }, `the output ${copy} is also an input: choose another --out`, "OptionError");
  });

  it("an error after rows were written (a streamed format) leaves no output behind", async () => {
    const jobs = Array.from({ length: 20000 }, (_, i) => SWF_JOB(i + 1, i, "10"));
    const input = write(dir, "late-error.swf", [...jobs, SWF_JOB(20001, 20000, "oops")].join("\n") + "\n");
    await fails({ format: "swf", input }, `${input}:20001, column "run_time (field 4)": not a finite decimal number (got "oops")`);
    expect(existsSync(out)).toBe(false);
  });
});

describe("schedsim import (CLI)", () => {
  async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = "", stderr = "";
    const o = vi.spyOn(process.stdout, "write").mockImplementation((s) => ((stdout += String(s)), true));
    const e = vi.spyOn(process.stderr, "write").mockImplementation((s) => ((stderr += String(s)), true));
    try {
      const code = await main(args);
      return { code, stdout, stderr };
    } finally {
      o.mockRestore();
      e.mockRestore();
    }
  }

  it("refuses an unknown format with the list of formats, exit 1", async () => {
    const r = await cli(["import", "--format", "nope", "--in", "x", "--out", join(dir, "cli.csv")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('schedsim: Invalid values: Argument: format, Given: "nope", Choices: "openb", "alibaba-dlrm", "alibaba-2017", "swf", "google-2011"\n');
  });

  it("prints an input error without a stack, exit 1", async () => {
    const input = write(dir, "cli-bad.csv", `${OPENB_HEADER}\nopenb-pod-0000,12000,16384,1,1000,,LS,Running,zero,12537496,0\n`);
    const r = await cli(["import", "--format", "openb", "--in", input, "--out", join(dir, "cli.csv")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`schedsim: ${input}:2, column "creation_time": not a finite decimal number (got "zero")\n`);
  });

  it("converts, prints the counts and passes format options through", async () => {
    const output = join(dir, "cli-ok.csv");
    const r = await cli(["import", "--format", "openb", "--in", fixture("openb/pods.csv"), "--out", output, "--failed", "skip", "--trace-end", "12902960"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("kept 9, skipped 2");
    expect(r.stdout).toContain("    pending: 1 (first at line 9)\n    failed: 1 (first at line 10)\n");
    expect(existsSync(join(dir, "cli-ok.import.json"))).toBe(true);
  });
});
