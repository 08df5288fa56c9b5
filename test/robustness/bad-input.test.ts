/**
 * The bad-input corpus (test/fixtures/bad/) through the real command line: each bad case exits 1
 * with one line on standard error naming the file, line, column and value; no stack trace unless
 * --verbose; no results folder and nothing else left beside --out. The accepted oddities (BOM,
 * CRLF, quotes, blank lines, an unknown column, a request of 0) run and give the right answer.
 */
import { describe, expect, it } from "vitest";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { closeSync, existsSync, openSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { BAD, BIN, ROOT, leftovers, withCli } from "./cli.ts";

const OK_WORKLOAD = `${BAD}ok-workload.csv`;
const OK_CLUSTER = `${BAD}ok-cluster.csv`;
const OK_ZONES = `${BAD}ok-zones.csv`;

/** Runs the CLI and checks the contract of a refused input. */
async function expectRefused(args: string[], message: string): Promise<void> {
  await withCli(["run", "--policy", "first-fit", ...args], async (run) => {
    expect(run.stderr).toBe(`schedsim: ${message}\n`);
    expect(run.code).toBe(1);
    expect(run.stderr).not.toMatch(/^\s+at /m); // no stack trace
    expect(run.stdout).toBe("");
    expect(await leftovers(run)).toEqual([]); // no results folder, no hidden partial folder
  });
}

const workload = (name: string, ...more: string[]) => ["--workload", `${BAD}${name}`, "--cluster", OK_CLUSTER, ...more];
const cluster = (name: string, ...more: string[]) => ["--workload", OK_WORKLOAD, "--cluster", `${BAD}${name}`, ...more];

describe.concurrent("bad input: exit 1, one message naming file, line, column and value", () => {
  it("missing file", async () => {
    await expectRefused(workload("nope.csv"), `${BAD}nope.csv: no such file`);
  });
  it("empty file", async () => {
    await expectRefused(workload("empty.csv"), `${BAD}empty.csv:1: the file is empty (expected a header line)`);
  });
  it("header only", async () => {
    await expectRefused(workload("header-only.csv"), `${BAD}header-only.csv:1: no containers: the file has a header and no rows`);
  });
  it("missing required column", async () => {
    await expectRefused(workload("missing-column.csv"),
      `${BAD}missing-column.csv:1, column "mem": missing required column "mem" (header has: id, arrival, duration, cpu)`);
  });
  it("neither duration nor departure", async () => {
    await expectRefused(workload("no-duration.csv"),
      `${BAD}no-duration.csv:1, column "duration": missing required column "duration" or "departure" (header has: id, arrival, cpu, mem)`);
  });
  it("duplicate column", async () => {
    await expectRefused(workload("duplicate-column.csv"), `${BAD}duplicate-column.csv:1, column "cpu": duplicate column "cpu" in the header`);
  });
  it("non-numeric number", async () => {
    await expectRefused(workload("non-numeric.csv"), `${BAD}non-numeric.csv:3, column "cpu": not a finite decimal number (got "two")`);
  });
  it("NaN", async () => {
    await expectRefused(workload("nan.csv"), `${BAD}nan.csv:3, column "duration": not a finite decimal number (got "NaN")`);
  });
  it("Infinity", async () => {
    await expectRefused(workload("infinity.csv"), `${BAD}infinity.csv:3, column "arrival": not a finite decimal number (got "Infinity")`);
  });
  it("a hexadecimal literal is not a decimal amount", async () => {
    await expectRefused(workload("hex.csv"), `${BAD}hex.csv:2, column "cpu": not a finite decimal number (got "0x10")`);
  });
  it("negative number", async () => {
    await expectRefused(workload("negative.csv"), `${BAD}negative.csv:3, column "mem": must not be negative (got "-4")`);
  });
  it("empty number", async () => {
    await expectRefused(workload("empty-number.csv"), `${BAD}empty-number.csv:3, column "arrival": a number is required here, the field is empty`);
  });
  it("fractional priority", async () => {
    await expectRefused(workload("fractional-priority.csv"), `${BAD}fractional-priority.csv:2, column "priority": must be an integer (got "1.5")`);
  });
  it("empty container id", async () => {
    await expectRefused(workload("missing-id.csv"), `${BAD}missing-id.csv:3, column "id": the container id is empty`);
  });
  it("duplicate container id", async () => {
    await expectRefused(workload("duplicate-container-id.csv"),
      `${BAD}duplicate-container-id.csv:4, column "id": duplicate container id: already on line 2 (got "c0")`);
  });
  it("duplicate node id", async () => {
    await expectRefused(cluster("duplicate-node-id.cluster.csv"),
      `${BAD}duplicate-node-id.cluster.csv:4, column "id": duplicate node id: already on line 2 (got "n0")`);
  });
  it("arrival out of order", async () => {
    await expectRefused(workload("out-of-order.csv"),
      `${BAD}out-of-order.csv:4, column "arrival": arrival out of order: 3 comes after 5 (sort the file by arrival, or pass --sort) (got "3")`);
  });
  it("departure before arrival", async () => {
    await expectRefused(workload("departure-before-arrival.csv"),
      `${BAD}departure-before-arrival.csv:3, column "departure": departure 4.5 is before arrival 5 (got "4.5")`);
  });
  it("too few fields names the first column left empty", async () => {
    await expectRefused(workload("wrong-field-count.csv"),
      `${BAD}wrong-field-count.csv:3, column "mem": wrong number of fields: 4 where the header has 5 (the line ends before this column)`);
  });
  it("too many fields shows the extra one", async () => {
    await expectRefused(workload("too-many-fields.csv"),
      `${BAD}too-many-fields.csv:3: wrong number of fields: 6 where the header has 5 (field 6 has no column: a field holding an unquoted comma? quote it) (got "9")`);
  });
  it("zero-capacity cluster", async () => {
    await expectRefused(cluster("zero-capacity.cluster.csv"),
      `${BAD}zero-capacity.cluster.csv: the cluster has no capacity at all (every node is 0 on every resource)`);
  });
  it("negative node capacity", async () => {
    await expectRefused(cluster("negative-capacity.cluster.csv"), `${BAD}negative-capacity.cluster.csv:3, column "cpu": must not be negative (got "-8")`);
  });
  it("node speed 0", async () => {
    await expectRefused(cluster("zero-speed.cluster.csv"), `${BAD}zero-speed.cluster.csv:3, column "speed": speed must be greater than 0 (got "0")`);
  });
  it("unknown container zone", async () => {
    await expectRefused(workload("unknown-zone.csv", "--zones", OK_ZONES),
      `${BAD}unknown-zone.csv:3, column "zone": unknown zone "mars": it is not in the zones file (got "mars")`);
  });
  it("unknown node zone", async () => {
    await expectRefused(cluster("unknown-zone.cluster.csv", "--zones", OK_ZONES),
      `${BAD}unknown-zone.cluster.csv:3, column "zone": unknown zone "mars": it is not in the zones file (got "mars")`);
  });
  it("zone pair missing from the zones file: names the first container line with that zone", async () => {
    await expectRefused(["--workload", OK_WORKLOAD, "--cluster", OK_CLUSTER, "--zones", `${BAD}zone-pair-missing.zones.csv`],
      `${OK_WORKLOAD}:2, column "zone": no latency from zone "eu" to zone "us" (of node "n1"): list the pair in ${BAD}zone-pair-missing.zones.csv, in either direction (got "eu")`);
  });
  it("non-numeric latency", async () => {
    await expectRefused(["--workload", OK_WORKLOAD, "--cluster", OK_CLUSTER, "--zones", `${BAD}bad-latency.zones.csv`],
      `${BAD}bad-latency.zones.csv:3, column "latency_ms": not a finite decimal number (got "fast")`);
  });
  it("a zone pair listed twice", async () => {
    await expectRefused(["--workload", OK_WORKLOAD, "--cluster", OK_CLUSTER, "--zones", `${BAD}duplicate-pair.zones.csv`],
      `${BAD}duplicate-pair.zones.csv:4, column "to": the pair eu → us is listed twice (got "us")`);
  });
  it("a binary file", async () => {
    await expectRefused(workload("binary.csv"), `${BAD}binary.csv:3: a NUL byte: this is a binary file, not CSV text`);
  });
  it("a truncated .gz", async () => {
    await expectRefused(workload("truncated.csv.gz"), `${BAD}truncated.csv.gz: not a valid gzip file (unexpected end of file)`);
  });
  it("a .gz name on a file that is not gzip", async () => {
    await expectRefused(workload("not-gzip.csv.gz"), `${BAD}not-gzip.csv.gz: not a valid gzip file (incorrect header check)`);
  });
  it("unknown policy name lists the known ones", async () => {
    await expectRefused(["--workload", OK_WORKLOAD, "--cluster", OK_CLUSTER, "--policy", "lifo-fit"],
      'unknown policy "lifo-fit": use one of first-fit, best-fit, worst-fit, balanced, dot-product, fastest, nearest, random, round-robin, "all", or the path of a .ts/.js policy file');
  });
  it("a policy file that does not exist", async () => {
    await expectRefused(["--workload", OK_WORKLOAD, "--cluster", OK_CLUSTER, "--policy", "./no-such-policy.ts"],
      "policy file ./no-such-policy.ts does not exist");
  });
  it("a plain .js ESM policy outside any package loads from the sources too (tsx's hooks once refused it as a require cycle)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "schedsim-plainjs-"));
    try {
      await writeFile(join(dir, "plain.js"), 'export default { name: "plainjs", select(c, cluster) { return cluster.firstFeasible(c); } };\n');
      const run = spawnSync(process.execPath, [BIN, "run", "--workload", join(ROOT, OK_WORKLOAD), "--cluster", join(ROOT, OK_CLUSTER), "--policy", "./plain.js", "--out", "out"],
        { cwd: dir, env: { ...process.env, SCHEDSIM_FROM_SOURCES: "1" }, encoding: "utf8", timeout: 60_000 });
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/^plainjs +3 /m);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
  it("a JavaScript policy with a syntax error names its line and column", async () => {
    const dir = await mkdtemp(join(tmpdir(), "schedsim-syntax-"));
    const file = join(dir, "broken.js");
    try {
      await writeFile(file, 'export default {\n  name: "broken",\n  score( { return 1; }\n};\n');
      await withCli(["run", "--workload", OK_WORKLOAD, "--cluster", OK_CLUSTER, "--policy", file], (run) => {
        expect(run.code).toBe(1);
        // The reason is Node's (or tsx's, when an edited checkout runs from its sources).
        expect(run.stderr.startsWith(`schedsim: policy file ${file}:3:19 could not be loaded: `)).toBe(true);
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
  it.skipIf(!existsSync("/dev/full"))("a standard output that cannot be written (a full disk) is one line, not a stack", async () => {
    const dir = await mkdtemp(join(tmpdir(), "schedsim-full-"));
    const full = openSync("/dev/full", "w");
    try {
      const run = spawnSync(process.execPath, [BIN, "run", "--workload", OK_WORKLOAD, "--cluster", OK_CLUSTER, "--policy", "first-fit", "--out", join(dir, "results")], { cwd: ROOT, stdio: ["ignore", full, "pipe"], encoding: "utf8", timeout: 60_000 });
      expect(run.status).toBe(1);
      expect(run.stderr).toBe("schedsim: cannot write the standard output: ENOSPC: no space left on device, write\n");
    } finally {
      closeSync(full);
      await rm(dir, { recursive: true, force: true });
    }
  });
  it("unknown option value: --queue lifo", async () => {
    await expectRefused(["--workload", OK_WORKLOAD, "--cluster", OK_CLUSTER, "--queue", "lifo"],
      'Invalid values: Argument: queue, Given: "lifo", Choices: "fifo", "backfill", "reject"');
  });
  it("unknown option", async () => {
    await expectRefused(["--workload", OK_WORKLOAD, "--cluster", OK_CLUSTER, "--qeue", "fifo"], "Unknown argument: qeue");
  });
  it("failures file: unknown node", async () => {
    await expectRefused(workload("ok-workload.csv", "--failures", `${BAD}unknown-node.failures.csv`),
      `${BAD}unknown-node.failures.csv:3, column "node": no node of the cluster has this id (got "n9")`);
  });
  it("failures file: up before down", async () => {
    await expectRefused(workload("ok-workload.csv", "--failures", `${BAD}up-before-down.failures.csv`),
      `${BAD}up-before-down.failures.csv:3, column "up": up must be after down (5); leave it empty for a node that never comes back (got "4")`);
  });
  it("failures file: overlapping intervals of one node", async () => {
    await expectRefused(workload("ok-workload.csv", "--failures", `${BAD}overlap.failures.csv`),
      `${BAD}overlap.failures.csv:4, column "down": node "n0" is already down then (line 2: 3 to 20) (got "10")`);
  });
  it("a request above the largest amount held exactly", async () => {
    await expectRefused(workload("huge-request.csv"),
      `${BAD}huge-request.csv:3, column "cpu": above 9000000000, the largest amount held exactly (amounts are kept as integer millionths of their unit) (got "1e308")`);
  });
  it("an arrival in milliseconds since 1970", async () => {
    await expectRefused(workload("millisecond-arrival.csv"),
      `${BAD}millisecond-arrival.csv:3, column "arrival": above 10000000000 s (317 years), beyond which times lose their microseconds (are these milliseconds or microseconds?) (got "1700000000000")`);
  });
  it("an arrival far in the past (a short duration would vanish into it)", async () => {
    await expectRefused(workload("far-past-arrival.csv"),
      `${BAD}far-past-arrival.csv:2, column "arrival": below -10000000000 s (317 years), beyond which times lose their microseconds (are these milliseconds or microseconds?) (got "-1e20")`);
  });
  it("a departure whose duration is beyond the largest, though both times are within it", async () => {
    await expectRefused(workload("long-departure.csv"),
      `${BAD}long-departure.csv:2, column "departure": departure − arrival = 18000000000 s is above 10000000000 s, the longest duration schedsim accepts (got "9000000000")`);
  });
  it("a departure beyond the largest time", async () => {
    await expectRefused(workload("huge-departure.csv"),
      `${BAD}huge-departure.csv:3, column "departure": above 10000000000 s (317 years), beyond which times lose their microseconds (are these milliseconds or microseconds?) (got "1e300")`);
  });
  it("a node capacity above the largest amount held exactly", async () => {
    await expectRefused(cluster("huge-capacity.cluster.csv"),
      `${BAD}huge-capacity.cluster.csv:3, column "cpu": above 9000000000, the largest amount held exactly (amounts are kept as integer millionths of their unit) (got "1e20")`);
  });
  it("a cluster whose total of a resource passes the largest amount held exactly", async () => {
    await expectRefused(cluster("cluster-total.cluster.csv"),
      `${BAD}cluster-total.cluster.csv:3, column "cpu": the cluster's total cpu passes 9000000000 on this line, the largest amount held exactly (got "5000000000")`);
  });
  it("--nodes beyond what memory holds", async () => {
    await expectRefused(["--workload", OK_WORKLOAD, "--nodes", "1e12", "--node-cpu", "1", "--node-mem", "1"], "--nodes must be at most 10000000 (got 1000000000000)");
  });
  it("--nodes whose total passes the largest amount held exactly", async () => {
    await expectRefused(["--workload", OK_WORKLOAD, "--nodes", "10", "--node-cpu", "1e9", "--node-mem", "1"],
      "--nodes 10 × --node-cpu 1000000000 passes 9000000000, the largest total amount held exactly");
  });
  it("a node speed so small that a duration over it would overflow", async () => {
    await expectRefused(cluster("slow-speed.cluster.csv"), `${BAD}slow-speed.cluster.csv:3, column "speed": speed must be at least 0.000001 (got "1e-320")`);
  });
  it("a latency beyond the largest time", async () => {
    await expectRefused(["--workload", OK_WORKLOAD, "--cluster", OK_CLUSTER, "--zones", `${BAD}huge-latency.zones.csv`],
      `${BAD}huge-latency.zones.csv:3, column "latency_ms": above 10000000000000 ms (317 years), the longest latency schedsim accepts (got "1e20")`);
  });
  it("failures file: a time beyond the largest time", async () => {
    await expectRefused(workload("ok-workload.csv", "--failures", `${BAD}huge-time.failures.csv`),
      `${BAD}huge-time.failures.csv:3, column "down": above 10000000000 s (317 years), beyond which times lose their microseconds (are these milliseconds or microseconds?) (got "1e15")`);
  });
  it("random failures so frequent that the run would seem to hang", async () => {
    await expectRefused(workload("ok-workload.csv", "--mtbf", "1e-12", "--mttr", "1e-12"),
      "--mtbf 1e-12 --mttr 1e-12 would make about 1.0e+13 node failures (2 nodes, 10 s of workload, one failure per node every mtbf + mttr s), more than 100000000: give larger means");
  });
  it("an option given twice", async () => {
    await expectRefused(["--workload", OK_WORKLOAD, "--cluster", OK_CLUSTER, "--workload", `${BAD}nan.csv`], "--workload is given 2 times: give it once");
  });
  it("a --nodes option beside --cluster, which it would not change", async () => {
    await expectRefused(["--workload", OK_WORKLOAD, "--cluster", OK_CLUSTER, "--node-cpu", "4"], "--node-cpu goes with --nodes, not with --cluster (the cluster file gives each node's capacity)");
  });
  it("what failed nodes do, without node failures", async () => {
    await expectRefused(["--workload", OK_WORKLOAD, "--cluster", OK_CLUSTER, "--max-restarts", "3"], "--max-restarts goes with node failures (--failures, or --mtbf and --mttr): without them it would change nothing");
    await expectRefused(["--workload", OK_WORKLOAD, "--cluster", OK_CLUSTER, "--on-failure", "drop"], "--on-failure goes with node failures (--failures, or --mtbf and --mttr): without them it would change nothing");
  });
  it("a repeatable option without its value", async () => {
    await withCli(["run", "--workload", OK_WORKLOAD, "--cluster", OK_CLUSTER, "--policy"], async (run) => {
      expect(run.stderr).toBe("schedsim: --policy needs a value\n");
      expect(run.code).toBe(1);
      expect(await leftovers(run)).toEqual([]);
    });
  });
  it("an option without its value", async () => {
    await expectRefused(["--workload", OK_WORKLOAD, "--cluster", OK_CLUSTER, "--horizon"], "--horizon needs a value");
    await expectRefused(["--workload", OK_WORKLOAD, "--cluster", OK_CLUSTER, "--zones", "--seed", "3"], "--zones needs a value");
  });
  it("failures file: negative time", async () => {
    await expectRefused(workload("ok-workload.csv", "--failures", `${BAD}negative.failures.csv`),
      `${BAD}negative.failures.csv:2, column "down": must not be negative (got "-1")`);
  });
  it("--mtbf without --mttr", async () => {
    await expectRefused(workload("ok-workload.csv", "--mtbf", "100"), "--mtbf and --mttr go together");
  });
  it("--mttr 0", async () => {
    await expectRefused(workload("ok-workload.csv", "--mtbf", "100", "--mttr", "0"), "--mttr must be a number of seconds > 0 (got 0)");
  });
  it("--failures and --mtbf together", async () => {
    await expectRefused(workload("ok-workload.csv", "--mtbf", "100", "--mttr", "5", "--failures", `${BAD}unknown-node.failures.csv`),
      "give either --failures or --mtbf/--mttr, not both");
  });
  it("unknown option value: --on-failure explode", async () => {
    await expectRefused(workload("ok-workload.csv", "--on-failure", "explode"),
      'Invalid values: Argument: on-failure, Given: "explode", Choices: "requeue", "drop"');
  });
  it("contradictory options", async () => {
    await expectRefused(["--workload", OK_WORKLOAD, "--cluster", OK_CLUSTER, "--nodes", "2"], "give either --cluster or --nodes, not both");
  });
});

describe.concurrent("the output folder", () => {
  async function refusedOut(prepare: (out: string) => Promise<void>, message: (out: string) => string, args = [...workload("ok-workload.csv")]) {
    const dir = await mkdtemp(join(tmpdir(), "schedsim-out-"));
    const out = join(dir, "results");
    try {
      await prepare(out);
      const before = (await readdir(dir, { recursive: true })).sort();
      await withCli(["run", "--policy", "first-fit", ...args, "--out", out], async (run) => {
        expect(run.stderr).toBe(`schedsim: ${message(out)}\n`);
        expect(run.code).toBe(1);
      }, { out: false });
      expect((await readdir(dir, { recursive: true })).sort()).toEqual(before); // nothing added, nothing removed
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  it("is a file", async () => {
    await refusedOut((out) => writeFile(out, "x"), (out) => `the output folder ${out} is a file: choose another --out`);
  });
  it("exists and is not empty (without --force)", async () => {
    await refusedOut(async (out) => { await mkdir(out); await writeFile(join(out, "keep.txt"), "x"); },
      (out) => `the output folder ${out} exists and is not empty: choose another --out, or pass --force to replace it`);
  });
  it("a run that fails leaves an existing folder as it was, even with --force", async () => {
    await refusedOut(async (out) => { await mkdir(out); await writeFile(join(out, "keep.txt"), "x"); },
      () => `${BAD}nope.csv: no such file`, [...workload("nope.csv"), "--force"]);
  });
});

describe.concurrent("lines over 1 MiB (generated here, never committed)", () => {
  const cases: [string, string][] = [
    ["plain", `c1${"x".repeat(1_100_000)},1,1,1,1\n`],
    ["quoted", `"c1${"x".repeat(1_100_000)}",1,1,1,1\n`],
    ["last line, no newline", `c1,1,1,1,1${"x".repeat(1_100_000)}`],
  ];
  for (const [name, row] of cases) {
    it(name, async () => {
      const dir = await mkdtemp(join(tmpdir(), "schedsim-long-"));
      const file = join(dir, "long.csv");
      try {
        await writeFile(file, `id,arrival,duration,cpu,mem\nc0,0,1,1,1\n${row}`);
        // A quoted record goes through csv-parse, which cannot tell a long field from a quote left open.
        const reason = name === "quoted" ? "a record longer than 1048576 bytes from this line on (a quote left open? is this a CSV file?)" : "a line longer than 1048576 bytes (is this a CSV file?)";
        await expectRefused(["--workload", file, "--cluster", OK_CLUSTER], `${file}:3: ${reason}`);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
});

describe.concurrent("stack traces", () => {
  it("--verbose adds the stack after the message", async () => {
    await withCli(["run", "--policy", "first-fit", ...workload("non-numeric.csv"), "--verbose"], async (run) => {
      expect(run.code).toBe(1);
      const [first, ...rest] = run.stderr.split("\n");
      expect(first).toBe(`schedsim: ${BAD}non-numeric.csv:3, column "cpu": not a finite decimal number (got "two")`);
      expect(rest[0]).toMatch(/^InputError: /);
      expect(rest.some((l) => /^\s+at /.test(l))).toBe(true);
      expect(await leftovers(run)).toEqual([]);
    });
  });
});

/** Runs a good case and returns its containers.csv rows (as records) and summary.csv text. */
async function runOk(args: string[]) {
  return withCli(["run", "--policy", "first-fit", ...args], async (run) => {
    expect(run.stderr.replace(/^warning: .*\n/gm, "")).toBe("");
    expect(run.code).toBe(0);
    expect(await leftovers(run)).toEqual(["results"]); // the hidden partial folder was renamed
    const containers = await readFile(join(run.out, "first-fit", "containers.csv"), "utf8");
    const summary = await readFile(join(run.out, "summary.csv"), "utf8");
    return { run, containers, summary, rows: parse(containers, { columns: true }) as Record<string, string>[] };
  });
}

describe.concurrent("accepted oddities", () => {
  it("an unknown column is a warning, not a failure", async () => {
    const { run, rows } = await runOk(workload("unknown-column.csv"));
    expect(run.stderr).toBe(`warning: ${BAD}unknown-column.csv: ignoring unknown column "owner"\n`);
    expect(rows.map((r) => [r.id, r.node, r.state])).toEqual([["c0", "n0", "finished"], ["c1", "n0", "finished"]]);
  });

  it("a UTF-8 BOM, CRLF line ends, quoted fields and trailing blank lines read as the plain file", async () => {
    const [odd, plain] = await Promise.all([runOk(workload("bom-crlf-quoted.csv")), runOk(workload("ok-workload.csv"))]);
    expect(odd.containers).toBe(plain.containers);
    expect(odd.summary).toBe(plain.summary);
    expect(odd.rows.map((r) => r.id)).toEqual(["c0", "c1", "c2"]);
  });

  it("a request of 0 on every resource fits any node, even a full one, and takes nothing", async () => {
    // n0 (4 cpu, 16 GiB, speed 1) is filled by `big`; `none` still starts on n0 at once; `after`
    // (1 cpu) does not fit n0 and goes to n1 (speed 2, startup 0.5): runs 3 / 2 = 1.5 s.
    const { rows } = await runOk(workload("zero-request.csv"));
    const cols = ["id", "node", "start", "end", "wait", "net", "r", "p", "d", "state"];
    expect(rows.map((r) => cols.map((c) => r[c]))).toEqual([
      ["big", "n0", "0", "10", "0", "0", "40", "1", "0", "finished"],
      ["none", "n0", "1", "6", "0", "0", "0", "1", "0", "finished"],
      ["after", "n1", "2", "3.5", "0", "0.5", "1.5", "2", "0.5", "finished"],
    ]);
  });
});
