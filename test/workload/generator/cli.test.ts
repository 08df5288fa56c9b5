import { afterAll, describe, expect, it, vi } from "vitest";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { spawn } from "node:child_process";
import { main } from "../../../src/cli/main.ts";
import { generateRows } from "../../../src/workload/generator/generate.ts";
import { resolveSpec } from "../../../src/workload/generator/spec.ts";

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/**
 * `schedsim generate ARGS --out <fresh folder>/w.csv`, in this process through the CLI's `main`
 * (the same code as bin/schedsim.js without a child process), with its output captured.
 */
async function generate(args: string[], target = (folder: string) => join(folder, "w.csv")): Promise<{ code: number; stdout: string; stderr: string; file: string; folder: string }> {
  const folder = await mkdtemp(join(tmpdir(), "schedsim-generate-cli-"));
  dirs.push(folder);
  const file = target(folder);
  const out = { stdout: "", stderr: "" };
  const spies = (["stdout", "stderr"] as const).map((name) =>
    vi.spyOn(process[name], "write").mockImplementation((chunk: string | Uint8Array) => {
      out[name] += String(chunk);
      return true;
    }));
  try {
    const code = await main(["generate", ...args, "--out", file]);
    return { code, ...out, file, folder };
  } finally {
    for (const s of spies) s.mockRestore();
  }
}

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

describe("schedsim generate (the command line)", () => {
  it("writes the hand-computed workload and a spec that reproduces it", async () => {
    const run = await generate(["--count", "5", "--arrival", "constant", "--rate", "2", "--duration", "fixed", "--mean", "3", "--cpu", "0.5", "--mem", "2"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(await readFile(run.file, "utf8")).toBe(
      "id,arrival,duration,cpu,mem,gpu\nc0,0,3,0.5,2,0\nc1,0.5,3,0.5,2,0\nc2,1,3,0.5,2,0\nc3,1.5,3,0.5,2,0\nc4,2,3,0.5,2,0\n",
    );
    expect(run.stdout).toContain(`spec (reproduces these files with --spec) → ${run.file}.spec.json`);
    const again = await generate(["--spec", `${run.file}.spec.json`]);
    expect(again.code).toBe(0);
    expect(await readFile(again.file, "utf8")).toBe(await readFile(run.file, "utf8"));
  });

  it("names the option of a bad value, exits 1 and writes nothing", async () => {
    const run = await generate(["--count", "5", "--rate", "-1", "--mean", "3", "--cpu", "1", "--mem", "1"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("schedsim: --rate (arrivals.rate): must be > 0 (got -1)\n");
    expect(await readdir(run.folder)).toEqual([]);
  });

  it("refuses a law whose draws overflow, naming the container, and writes nothing", async () => {
    const run = await generate(["--count", "5", "--rate", "1", "--duration", "lognormal", "--mu", "1000", "--sigma", "1", "--cpu", "1", "--mem", "1"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("schedsim: the spec drew a duration of Infinity s for container c0, beyond 10000000000 s, the largest time schedsim accepts: check the arrival and duration laws (and --start)\n");
    expect(await readdir(run.folder)).toEqual([]);
  });

  it("refuses an --out that is a folder, or in a folder that does not exist, before generating", async () => {
    const args = ["--count", "5", "--rate", "1", "--mean", "3", "--cpu", "1", "--mem", "1"];
    const folder = await generate(args, (f) => f);
    expect(folder.code).toBe(1);
    expect(folder.stderr).toBe(`schedsim: cannot write ${JSON.stringify(folder.folder)}: give the name of a file, not a folder\n`);
    expect(await readdir(folder.folder)).toEqual([]);
    const missing = await generate(args, (f) => join(f, "nope", "w.csv"));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`schedsim: cannot write ${missing.file}: its folder ${join(missing.folder, "nope")} does not exist\n`);
  });

  it("refuses amounts run would refuse, and a bad --spec-out, before writing any file", async () => {
    const big = await generate(["--count", "5", "--rate", "1", "--mean", "3", "--cpu", "1", "--mem", "1", "--node-class", "count=2,cpu=1e20,mem=4"]);
    expect(big.code).toBe(1);
    expect(big.stderr).toBe("schedsim: the cluster spec's total cpu passes 9000000000, the largest amount schedsim holds exactly: check the node classes\n");
    expect(await readdir(big.folder)).toEqual([]);
    const request = await generate(["--count", "5", "--rate", "1", "--mean", "3", "--cpu", "1e20", "--mem", "1"]);
    expect(request.code).toBe(1);
    expect(request.stderr).toBe("schedsim: the spec drew a request of (100000000000000000000, 1, 0) for container c0, above 9000000000, the largest amount schedsim holds exactly: check the request laws\n");
    const specOut = await generate(["--count", "5", "--rate", "1", "--mean", "3", "--cpu", "1", "--mem", "1", "--spec-out", tmpdir()]);
    expect(specOut.code).toBe(1);
    expect(specOut.stderr).toBe(`schedsim: cannot write ${JSON.stringify(tmpdir())}: give the name of a file, not a folder\n`);
    expect(await readdir(specOut.folder)).toEqual([]);
  });

  it("refuses requests given two ways (one would be dropped)", async () => {
    const run = await generate(["--count", "5", "--rate", "1", "--mean", "3", "--cpu", "2", "--mem", "2", "--request", "1,1"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("schedsim: give the requests one way: --request or --cpu/--mem/--gpu, not both\n");
  });

  it("reads a spec file saved with a UTF-8 BOM, as the same file without", async () => {
    const plain = await generate(["--spec", join(ROOT, "workloads/specs/poisson-small.json"), "--count", "20"]);
    const withBom = join(plain.folder, "bom.json");
    await writeFile(withBom, "\uFEFF" + (await readFile(join(ROOT, "workloads/specs/poisson-small.json"), "utf8")));
    const bom = await generate(["--spec", withBom, "--count", "20"]);
    expect(bom.stderr).toBe("");
    expect(bom.code).toBe(0);
    expect(await readFile(bom.file, "utf8")).toBe(await readFile(plain.file, "utf8"));
  });

  it("refuses a spec file that gives a key twice in one object, naming both lines, before writing anything", async () => {
    const plain = await generate(["--spec", join(ROOT, "workloads/specs/poisson-small.json"), "--count", "20"]);
    const twice = join(plain.folder, "twice.json");
    const text = await readFile(join(ROOT, "workloads/specs/poisson-small.json"), "utf8");
    const lines = text.split("\n");
    const at = lines.findIndex((l) => /^\s*"seed"/.test(l));
    expect(at).toBeGreaterThan(0);
    lines.splice(at + 1, 0, lines[at]!.replace(/:.*/, ': "other",'));
    await writeFile(twice, lines.join("\n"));
    const run = await generate(["--spec", twice], (folder) => join(folder, "never.csv"));
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`schedsim: ${twice}:${at + 2}: key "seed" given twice in one object (first on line ${at + 1}): only the later one would be used; remove or rename one of them\n`);
    expect(await readdir(run.folder)).toEqual([]);
  });

  it("refuses generation options beside --spec", async () => {
    const run = await generate(["--spec", join(ROOT, "workloads/specs/poisson-small.json"), "--rate", "3"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("schedsim: with --spec, put --rate into the spec file (only --seed, --count, --until may override it)\n");
  });
});

describe("bundled specs (workloads/specs/)", () => {
  it.each(["poisson-small.json", "diurnal-gpu.json"])("%s is valid and generates", async (name) => {
    const path = join(ROOT, "workloads/specs", name);
    const spec = resolveSpec(JSON.parse(await readFile(path, "utf8")), { label: path });
    const rows = [...generateRows({ ...spec, count: Math.min(spec.count ?? 100, 100) })];
    expect(rows.length).toBe(100);
  });
});

describe("schedsim generate, interrupted", () => {
  it("removes its partial file and says so (SIGINT while writing)", async () => {
    const folder = await mkdtemp(join(tmpdir(), "schedsim-generate-int-"));
    dirs.push(folder);
    const out = join(folder, "g.csv.gz");
    const child = spawn(process.execPath, [join(ROOT, "bin/schedsim.js"), "generate", "--count", "50000000", "--rate", "100", "--mean", "60", "--cpu", "1", "--mem", "1", "--out", out]);
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
    // Interrupted once the hidden file is being written (never before: the handler is set by then).
    for (let k = 0; k < 400 && (await readdir(folder)).length === 0; k++) await new Promise((r) => setTimeout(r, 50));
    expect((await readdir(folder))[0]).toMatch(/^\.g\.csv\.gz\.partial-\d+$/);
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(stderr).toBe("\nschedsim: interrupted (SIGINT): no files written, the partial files removed\n");
    expect(await readdir(folder)).toEqual([]);
  }, 60_000);
});
