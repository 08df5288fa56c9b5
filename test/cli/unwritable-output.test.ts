/**
 * An output that cannot be written is refused at once with the path the user gave and the
 * system's reason, never the hidden work file beside it (whose name holds the process id), and
 * without the "--verbose for the stack trace" hint of an unexpected error. Under /proc every
 * folder and file is refused with ENOENT; Node's own recursive mkdir spins for ever there, which
 * hung `run --out /proc/x` (a hang fails these tests by the CLI helper's timeout).
 */
import { describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli, cleanUp, ROOT } from "../robustness/cli.ts";
import { StagedFiles } from "../../src/cli/commands/generate.ts";

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

describe("generate's staged files", () => {
  it("refuses two outputs that are one file, before writing anything", async () => {
    const dir = await mkdtemp(join(tmpdir(), "schedsim-same-"));
    try {
      const spec = ["generate", "--count", "10", "--rate", "2", "--mean", "60", "--cpu", "1,2", "--mem", "1..8/0.5", "--node-class", "count=2,cpu=4,mem=8"];
      const w = join(dir, "w.csv");
      expect(await refused([...spec, "--out", w, "--cluster-out", join(dir, ".", "w.csv")])).toBe(`schedsim: --cluster-out ${join(dir, ".", "w.csv")} is the same file as --out ${w}: give each output its own name\n`);
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a rename that fails half-way names the files already replaced", async () => {
    const dir = await mkdtemp(join(tmpdir(), "schedsim-halfway-"));
    try {
      const files = new StagedFiles();
      await files.write(join(dir, "a.csv"), (tmp) => writeFile(tmp, "a\n"));
      await files.write(join(dir, "b.csv"), (tmp) => writeFile(tmp, "b\n"));
      // A folder in b.csv's way, made after the up-front check (a rename cannot replace it).
      await mkdir(join(dir, "b.csv", "inside"), { recursive: true });
      const err = (await files.commit().then(() => undefined, (e: unknown) => e)) as Error;
      expect(err.message.startsWith(`cannot write ${join(dir, "b.csv")}: E`)).toBe(true);
      expect(err.message.endsWith(` (${join(dir, "a.csv")} already replaced, the others not written)`)).toBe(true);
      await files.abandon();
      expect((await readdir(dir)).sort()).toEqual(["a.csv", "b.csv"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
