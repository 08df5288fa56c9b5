/**
 * An output that cannot be written is refused at once with the path the user gave and the
 * system's reason, never the hidden work file beside it (whose name holds the process id), and
 * without the "--verbose for the stack trace" hint of an unexpected error. Under /proc every
 * folder and file is refused with ENOENT; Node's own recursive mkdir spins for ever there, which
 * hung `run --out /proc/x` (a hang fails these tests by the CLI helper's timeout).
 */
import { describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli, cleanUp, ROOT } from "../robustness/cli.ts";

const CASE = join(ROOT, "test/fixtures/conformance/03-zones/");
const SWF = join(ROOT, "test/fixtures/traces/swf/llnl-atlas-cut.swf");
const REASON = "ENOENT: no such file or directory";

async function refused(args: string[]): Promise<string> {
  const run = await cli(args, { out: false });
  await cleanUp(run);
  expect(run.code).not.toBe(0);
  expect(run.stdout).toBe("");
  return run.stderr;
}

describe.skipIf(!existsSync("/proc/self")).concurrent("outputs that cannot be written (under /proc)", () => {
  it("run --out in a folder that cannot be made", async () => {
    const inputs = ["--workload", `${CASE}workload.csv`, "--cluster", `${CASE}cluster.csv`, "--zones", `${CASE}zones.csv`, "--policy", "first-fit"];
    expect(await refused(["run", ...inputs, "--out", "/proc/schedsim-no-such/out"])).toBe(`schedsim: cannot create the output folder /proc/schedsim-no-such/out: ${REASON}\n`);
    expect(await refused(["run", ...inputs, "--out", "/proc/schedsim-out"])).toBe(`schedsim: cannot create the output folder /proc/schedsim-out: ${REASON}\n`);
  });

  it("generate --out, plain and gzipped, in a folder that exists but takes no files", async () => {
    const spec = ["generate", "--count", "10", "--rate", "2", "--mean", "60", "--cpu", "1,2", "--mem", "1..8/0.5"];
    expect(await refused([...spec, "--out", "/proc/schedsim-w.csv"])).toBe(`schedsim: cannot write /proc/schedsim-w.csv: ${REASON}\n`);
    expect(await refused([...spec, "--out", "/proc/schedsim-w.csv.gz"])).toBe(`schedsim: cannot write /proc/schedsim-w.csv.gz: ${REASON}\n`);
  });

  it("generate leaves none of its files when the last one (the spec) cannot be written", async () => {
    const dir = await mkdtemp(join(tmpdir(), "schedsim-staged-"));
    try {
      const spec = ["generate", "--count", "10", "--rate", "2", "--mean", "60", "--cpu", "1,2", "--mem", "1..8/0.5", "--node-class", "count=2,cpu=4,mem=8"];
      expect(await refused([...spec, "--out", join(dir, "w.csv"), "--spec-out", "/proc/schedsim-w.spec.json"])).toBe(`schedsim: cannot write /proc/schedsim-w.spec.json: ${REASON}\n`);
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("import --out in a folder that cannot be made, and in one that takes no files", async () => {
    const trace = ["import", "--format", "swf", "--in", SWF];
    expect(await refused([...trace, "--out", "/proc/schedsim-no-such/t.csv"])).toBe(`schedsim: cannot create the folder of /proc/schedsim-no-such/t.csv: ${REASON}\n`);
    expect(await refused([...trace, "--out", "/proc/schedsim-t.csv.gz"])).toBe(`schedsim: cannot write /proc/schedsim-t.csv.gz: ${REASON}\n`);
  });
});
