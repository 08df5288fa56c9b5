/**
 * `npm run bench`: speed and memory figures of schedsim, each beside a naive baseline measured in
 * the same call. Figures, not assertions: nothing here fails a build.
 *
 *   npm run bench                 # 1M containers × 1,000 nodes end to end + per-placement costs + 10M × 10,000 nodes from .csv.gz
 *   npm run bench -- --no-large   # all but the 10M run (its workload takes ~7 min to generate the first time)
 *   npm run bench -- --large      # only the 10M run
 *   npm run bench -- --quick      # 200k containers instead of 1M, no 10M run (a smoke run)
 *   npm run bench -- --placement  # only the per-placement table
 *   npm run bench -- --end-to-end # only the 1M end-to-end comparison with the naive baseline
 *   npm run bench -- --several    # only four policies in one run, one after the other and in two workers (all outputs, then summaries only)
 *
 * Workloads are generated (seeded) into $TMPDIR/schedsim-bench and reused by later calls.
 */
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeBenchWorkload, NODE_CPU, NODE_MEM } from "./make-workload.ts";
import seedrandom from "seedrandom";
import { simulate, parseCluster, readWorkload, Workload, WorkloadBuilder, ZoneTable, BUILTIN_POLICIES, type SimInputs, type PolicySource } from "../src/index.ts";
import { benchRows } from "./make-workload.ts";
import { csvRecords } from "../src/workload/csv-source.ts";
import { recordPlacements, replayPlacements, steadyWindow, type PlacementLog, type StepWindow } from "./placement-replay.ts";
import { defaultWorkers } from "../src/cli/parallel.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const dir = join(tmpdir(), "schedsim-bench");
const args = process.argv.slice(2);
// A typo must not start the 10M run (several minutes) unasked, nor --large with another part run nothing.
const FLAGS = ["--quick", "--no-large", "--large", "--placement", "--end-to-end", "--several"];
const unknown = args.filter((a) => !FLAGS.includes(a));
const refuse = (why: string): never => {
  console.error(`npm run bench: ${why}`);
  process.exit(2);
};
if (unknown.length > 0) refuse(`unknown option ${unknown.join(" ")} (known: ${FLAGS.join(" ")})`);
if (args.includes("--large") && args.length > 1) refuse("--large runs only the 10M run: give it alone");
const quick = args.includes("--quick");
/** `--large` alone runs only the 10M row; it runs by default unless `--no-large` or `--quick`. */
const largeOnly = args.includes("--large");
const large = largeOnly || !(quick || args.includes("--no-large"));
const placementOnly = args.includes("--placement");
const endToEndOnly = args.includes("--end-to-end");
const severalOnly = args.includes("--several");
mkdirSync(dir, { recursive: true });

interface Measure { wallMs: number; rssMiB: number; stdout: string; stderr: string }

function measure(argv: string[]): Measure {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ["--import", join(root, "bench/rss-probe.mjs"), ...argv], { cwd: root, encoding: "utf8", maxBuffer: 1 << 26 });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${argv.join(" ")} failed (${r.status}):\n${r.stderr}`);
  const rss = /BENCH_MAX_RSS_KB (\d+)/.exec(r.stderr);
  return { wallMs, rssMiB: rss ? Number(rss[1]) / 1024 : NaN, stdout: r.stdout, stderr: r.stderr };
}

async function workloadFile(count: number, nodes: number, gz = false): Promise<string> {
  const path = join(dir, `w-${count}-${nodes}.csv${gz ? ".gz" : ""}`);
  if (!existsSync(path)) {
    process.stderr.write(`generating ${path} ...\n`);
    await writeBenchWorkload(path, count, nodes);
  }
  return path;
}

const fmt = (x: number, d = 2) => x.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });

/** Reads a file through once, so that the runs timed after it find it in the page cache. */
function warmCache(path: string): void {
  const fd = openSync(path, "r"), buf = Buffer.allocUnsafe(1 << 20);
  try {
    while (readSync(fd, buf, 0, buf.length, null) > 0);
  } finally {
    closeSync(fd);
  }
}

/**
 * End to end through the CLI, all outputs written. With the naive baseline, each side runs twice,
 * in turn (ours, naive, ours, naive), and keeps its least wall time: one run of either can be
 * slowed by half on a shared machine. The workload is read once before, untimed, so that neither
 * side pays for the disk.
 */
async function endToEnd(count: number, nodes: number, gz: boolean, withNaive: boolean): Promise<void> {
  const workload = await workloadFile(count, nodes, gz);
  warmCache(workload);
  const out = join(dir, `out-${count}-${nodes}`);
  const naiveOut = join(dir, `naive-${count}-${nodes}.csv`);
  const rounds = withNaive && !quick ? 2 : 1;
  let ours: Measure | undefined, naive: Measure | undefined, run: { wall_ms: Record<string, number> } | undefined, events = 0, same = false;
  const walls: string[] = [], naiveWalls: string[] = [];
  // Peak memory: the most any run used.
  let rss = 0, naiveRss = 0;
  for (let round = 0; round < rounds; round++) {
    const o = measure(["bin/schedsim.js", "run", "--workload", workload, "--nodes", String(nodes), "--node-cpu", String(NODE_CPU), "--node-mem", String(NODE_MEM), "--policy", "first-fit", "--out", out, "--force"]);
    walls.push(fmt(o.wallMs / 1000));
    rss = Math.max(rss, o.rssMiB);
    if (!ours || o.wallMs < ours.wallMs) {
      ours = o;
      run = JSON.parse(readFileSync(join(out, "run.json"), "utf8"));
      events = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")).policies[0].events as number;
    }
    if (withNaive) {
      const n = measure(["--import", "tsx", "bench/naive.ts", workload, String(nodes), String(NODE_CPU), String(NODE_MEM), naiveOut]);
      naiveWalls.push(fmt(n.wallMs / 1000));
      naiveRss = Math.max(naiveRss, n.rssMiB);
      if (!naive || n.wallMs < naive.wallMs) naive = n;
      same = readFileSync(naiveOut, "utf8") === readFileSync(join(out, "first-fit", "containers.csv"), "utf8");
      rmSync(naiveOut, { force: true });
    }
  }
  const wall = run!.wall_ms;
  const several = rounds > 1 ? ` (least of ${walls.join(", ")} s)` : "";
  console.log(`\n## ${count.toLocaleString("en-US")} containers × ${nodes.toLocaleString("en-US")} nodes, first-fit, fifo, all outputs written${gz ? " (.csv.gz input)" : ""}`);
  console.log(`schedsim: ${fmt(ours!.wallMs / 1000)} s wall${several} (load ${fmt(wall.load! / 1000)} s, simulate+write ${fmt(wall["first-fit"]! / 1000)} s), ${fmt(events / (wall["first-fit"]! / 1000) / 1e6)} M events/s, peak RSS ${fmt(rss, 0)} MiB${rounds > 1 ? " (the larger of the runs)" : ""}`);
  if (naive) {
    console.log(`naive baseline: ${fmt(naive.wallMs / 1000)} s wall${rounds > 1 ? ` (least of ${naiveWalls.join(", ")} s)` : ""}, peak RSS ${fmt(naiveRss, 0)} MiB`);
    console.log(`ratio: schedsim is ${fmt(naive.wallMs / ours!.wallMs, 1)}× faster, uses ${fmt(naiveRss / rss, 1)}× less memory; containers.csv ${same ? "identical" : "DIFFERENT"} to the baseline's`);
  }
  rmSync(out, { recursive: true, force: true });
}

/**
 * Per-placement cost, CPU time per container: of the placement part alone (a replay of a run's
 * starts and ends, bench/placement-replay.ts), at the workload's steady load and over the whole
 * log, and of the whole simulate() (library call, timeline off). Indexed policies run 600,000
 * containers at every size. The workload's arrival rate grows with the nodes, so a cluster of
 * 10,000 nodes spends about the first half of them filling up from empty (the running count
 * settles after about three mean durations, 300,000 arrivals there), one of 100 nodes 0.5 %: the
 * steady columns time only the steps from three mean durations on to the last start
 * (`steadyWindow`), the same load at every size; the whole-log columns time the whole replay, in
 * the same call. The linear-scan policies get at most 100k containers (20k with --quick): their
 * cost is linear in the node count anyway, and a steady 10,000-node run of them would take many
 * minutes; they have no steady columns.
 *
 * The nodes are the bench's uniform 32-core / 128 GiB nodes spread over four zones in two regions
 * (1 ms within a region, 80 ms across) with startups of 0, 0.5 and 2 s in turn, and each
 * container comes from a random zone, so that nearest has real choices; the other policies do
 * not look at zones. An indexed policy first runs once untimed at each size (V8 reaches its best
 * code only after a full run or so), then five rounds go through the sizes in turn and each size
 * keeps its least time: on a shared machine that is what stays put between calls.
 */
function placementCosts(): void {
  const sizes = [100, 1_000, 10_000];
  const indexedCount = quick ? 20_000 : 600_000;
  const scanCap = quick ? 20_000 : 100_000;
  const rounds = quick ? 2 : 5, runRounds = quick ? 1 : 3;
  console.log(`\n## Per-placement cost at ~85 % load (µs per container, CPU time)`);
  console.log(`steady: the decisions that placed the containers and the upkeep of the indexes at their starts and ends, replayed alone from a run's log (bench/placement-replay.ts), timed from three mean durations after the first arrival (the running count settled) to the last start; whole log: the same replay, timed whole (at 10,000 nodes half of it is the cluster filling up); whole run: simulate() with the timeline off, engine included`);
  console.log(`indexed policies: ${indexedCount.toLocaleString("en-US")} containers at every size, after an untimed pass at each, least of ${rounds} replays and of ${runRounds} run${runRounds > 1 ? "s" : ""}, going through the sizes in turn; linear scans: at most ${scanCap.toLocaleString("en-US")} (below steady state at 10,000 nodes), one of each`);
  const inputs = sizes.map((nodes) => placementInputs(nodes, indexedCount));
  const groups = ["steady placement", "whole-log placement", "whole run"];
  const columns = [...sizes.map((s) => (s >= 1000 ? `${s / 1000}k` : String(s))), "10k/100"];
  const width = 8, groupWidth = columns.length * width;
  console.log(["".padEnd(12), ...groups.map((g) => `  ${g.padEnd(groupWidth)}`)].join(""));
  console.log(["policy".padEnd(12), ...groups.map(() => `  ${columns.map((c) => c.padStart(width)).join("")}`), "  form"].join(""));
  /** CPU time (user + system) of f, µs. */
  const cpu = (f: () => void) => {
    const before = process.cpuUsage();
    f();
    const used = process.cpuUsage(before);
    return used.user + used.system;
  };
  const run = (input: SimInputs, source: PolicySource) => cpu(() => simulate(input, { policy: source, timeline: false })) / input.workload.length;
  /** One replay: µs per container over the steady window (NaN without one) and over the whole log. */
  const replay = (input: SimInputs, source: PolicySource, log: PlacementLog, window: StepWindow | null) => {
    let steady = NaN;
    const whole = cpu(() => {
      const cost = replayPlacements(input, source, log, 1, window ?? undefined);
      if (window) steady = cost.cpuMicros / cost.placed;
    });
    return { steady, whole: whole / log.placed };
  };
  for (const [name, source] of BUILTIN_POLICIES) {
    const p = typeof source === "function" ? source() : source;
    const indexed = !p.score && name !== "random";
    const runs = sizes.map(() => Infinity), steady = sizes.map(() => Infinity), placements = sizes.map(() => Infinity);
    if (indexed) {
      const logs = inputs.map((input) => recordPlacements(input, source));
      const windows = inputs.map((input, k) => steadyWindow(input, logs[k]!));
      // V8 reaches its best code for the simulation loop only after a full run or so.
      inputs.forEach((input, k) => { run(input, source); replay(input, source, logs[k]!, windows[k] ?? null); });
      for (let round = 0; round < rounds; round++) {
        inputs.forEach((input, k) => {
          const cost = replay(input, source, logs[k]!, windows[k] ?? null);
          steady[k] = Math.min(steady[k]!, cost.steady);
          placements[k] = Math.min(placements[k]!, cost.whole);
          if (round < runRounds) runs[k] = Math.min(runs[k]!, run(input, source));
        });
      }
    } else {
      steady.fill(NaN);
      const warm = { ...inputs[0]!, workload: prefix(inputs[0]!.workload, Math.min(20_000, scanCap)) };
      replay(warm, source, recordPlacements(warm, source), null);
      inputs.forEach((input, k) => {
        const capped = { ...input, workload: prefix(input.workload, scanCap) };
        let log: PlacementLog | undefined;
        // The recording run is the whole-run figure (its two hooks cost nothing beside a scan).
        runs[k] = cpu(() => (log = recordPlacements(capped, source))) / scanCap;
        placements[k] = replay(capped, source, log!, null).whole;
      });
    }
    const form = indexed ? "indexed select" : p.score ? "score (linear scan)" : "select (linear scan)";
    const cells = (costs: number[]) => `  ${[...costs, costs[2]! / costs[0]!].map((c, i) => (Number.isNaN(c) ? "–" : fmt(c, i === 3 ? 1 : 2)).padStart(width)).join("")}`;
    console.log([name.padEnd(12), cells(steady), cells(placements), cells(runs), `  ${form}`].join(""));
  }
}

/**
 * Reading: the byte scanner that readWorkload uses for plain rows against csv-parse streaming the
 * same file into the same WorkloadBuilder (the path every row takes from the first quoted line on).
 * Both must give the same workload; best of three each.
 */
async function readingCosts(path: string, count: number): Promise<void> {
  const viaScanner = async () => (await readWorkload(path, new ZoneTable(false))).workload;
  const viaCsvParse = async () => {
    const builder = new WorkloadBuilder(new ZoneTable(false), path);
    for await (const r of csvRecords(path)) builder.add(r.fields, r.line);
    return builder.finish();
  };
  const time = async (read: () => Promise<Workload>) => {
    let best = Infinity, workload: Workload | undefined;
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      workload = await read();
      best = Math.min(best, performance.now() - t0);
    }
    return { ms: best, workload: workload! };
  };
  const fast = await time(viaScanner), slow = await time(viaCsvParse);
  const a = fast.workload, b = slow.workload, n = a.length;
  /** The first `count` values of two columns are the same bits. */
  const sameBits = (x: Float64Array, y: Float64Array, count: number) =>
    Buffer.compare(Buffer.from(x.buffer, x.byteOffset, count * 8), Buffer.from(y.buffer, y.byteOffset, count * 8)) === 0;
  const same = n === b.length && sameBits(a.arrival, b.arrival, n) && sameBits(a.duration, b.duration, n)
    && sameBits(a.request, b.request, 3 * n) && a.ids.every((id, i) => id === b.ids[i]);
  console.log(`\n## Reading ${count.toLocaleString("en-US")} rows (plain CSV, best of 3)`);
  console.log(`byte scanner (readWorkload): ${fmt(fast.ms / 1000)} s; csv-parse streaming into the same builder: ${fmt(slow.ms / 1000)} s; ${fmt(slow.ms / fast.ms, 1)}× faster; workloads ${same ? "identical" : "DIFFERENT"}`);
}

/**
 * Several policies on one trace in one run: four indexed policies one after the other (the output
 * written by the writer thread while each runs) and with --parallel (worker threads, each writing
 * its own files), in turns, each side's least wall time and largest peak RSS; files compared.
 * Then the same as a sweep would run it, with --no-containers --no-timeline (only the summaries
 * written): there no writer thread competes for the cores, and the summaries are compared.
 */
function severalPolicies(path: string, count: number, nodes: number): void {
  const policies = ["first-fit", "best-fit", "worst-fit", "nearest"];
  const argv = (out: string, extra: string[]) => ["bin/schedsim.js", "run", "--workload", path, "--nodes", String(nodes), "--node-cpu", String(NODE_CPU),
    "--node-mem", String(NODE_MEM), ...policies.flatMap((p) => ["--policy", p]), "--out", out, "--force", ...extra];
  for (const sweep of [false, true]) {
    const outputs = sweep ? ["--no-containers", "--no-timeline"] : [];
    // --parallel's default depends on the cores and on the files written (see defaultWorkers,
    // printed below); two workers are forced here so that both tables show them on any machine.
    const sides = [{ name: "one after the other", extra: outputs }, { name: "--parallel --workers 2", extra: [...outputs, "--parallel", "--workers", "2"] }]
      .map((side, k) => ({ ...side, out: join(dir, `several-${k}`), walls: [] as number[], rss: 0 }));
    for (let round = 0; round < (quick ? 1 : 2); round++) {
      for (const side of sides) {
        const m = measure(argv(side.out, side.extra));
        side.walls.push(m.wallMs / 1000);
        side.rss = Math.max(side.rss, m.rssMiB);
      }
    }
    const files = sweep ? ["summary.csv"] : policies.flatMap((p) => ["containers.csv", "timeline.csv"].map((f) => join(p, f)));
    const same = files.every((f) => readFileSync(join(sides[0]!.out, f)).equals(readFileSync(join(sides[1]!.out, f))));
    const what = sweep ? "only the summaries written (--no-containers --no-timeline, as in a sweep)" : "all outputs written";
    console.log(`\n## ${count.toLocaleString("en-US")} containers × ${nodes.toLocaleString("en-US")} nodes, ${policies.join(", ")} in one run (input parsed once), ${what}`);
    for (const side of sides) {
      console.log(`${side.name}: ${fmt(Math.min(...side.walls))} s wall${side.walls.length > 1 ? ` (least of ${side.walls.map((w) => fmt(w)).join(", ")} s)` : ""}, peak RSS ${fmt(side.rss, 0)} MiB`);
      rmSync(side.out, { recursive: true, force: true });
    }
    const speedup = Math.min(...sides[0]!.walls) / Math.min(...sides[1]!.walls);
    console.log(`${sweep ? "summaries" : "files"} ${same ? "identical" : "DIFFERENT"}; --workers 2 ${fmt(speedup, 2)}× the speed of one after the other`);
  }
  const withFiles = defaultWorkers(true), summariesOnly = defaultWorkers(false);
  const many = (k: number) => `${k} worker${k === 1 ? "" : "s"}`;
  console.log(`${availableParallelism()} cores here, so --parallel alone uses ${many(withFiles)} with files to write (one per two cores: each simulates on one and writes on another) and ${many(summariesOnly)} with only the summaries (one per core); below 2 it runs the policies one after the other`);
}

/** Zones of the per-placement clusters: two regions of two zones. */
const ZONES = ["eu-1", "eu-2", "us-1", "us-2"];
/** Startup of a node, s, by its position in a run of four (one per zone). */
const STARTUPS = [0, 0.5, 2];

/** The per-placement inputs for a cluster size: bench workload rows with a zone column added. */
function placementInputs(nodes: number, count: number): SimInputs {
  const zones = new ZoneTable(true);
  for (const a of ZONES) for (const b of ZONES) if (a < b) zones.set(a, b, a.slice(0, 2) === b.slice(0, 2) ? 1 : 80);
  const rows = [["id", "cpu", "mem", "zone", "startup"], ...Array.from({ length: nodes }, (_, i) => [`n${i}`, String(NODE_CPU), String(NODE_MEM), ZONES[i % ZONES.length]!, String(STARTUPS[Math.floor(i / ZONES.length) % STARTUPS.length])])];
  const { cluster } = parseCluster(rows.map((fields, i) => ({ fields, line: i + 1 })), zones);
  const builder = new WorkloadBuilder(zones);
  const rng = seedrandom("bench-zones");
  let line = 0;
  for (const chunk of benchRows(count, nodes)) {
    for (const row of chunk.split("\n")) if (row) builder.add([...row.split(","), line === 0 ? "zone" : ZONES[Math.floor(rng() * ZONES.length)]!], ++line);
  }
  return { workload: builder.finish(), cluster, zones };
}

/** The first `count` containers of a workload (columns are views, nothing is copied). */
function prefix(w: Workload, count: number): Workload {
  const p = Object.create(Workload.prototype) as Workload;
  Object.assign(p, w, { length: count, ids: w.ids.slice(0, count) });
  return p;
}

console.log(`# schedsim benchmark — node ${process.version}, ${new Date().toISOString()}`);
if (!placementOnly) {
  // Measure the CLI as installed: bin/schedsim.js runs the prebuilt bundle only when it is newer
  // than the sources (else it compiles them through tsx, slower to start and ~40 MiB larger).
  const build = spawnSync(process.execPath, [join(root, "scripts/build.mjs")], { cwd: root, encoding: "utf8" });
  if (build.status !== 0 || !existsSync(join(root, "dist/cli.mjs"))) console.log(`(no prebuilt CLI: ${build.stderr.trim() || "build failed"}; measuring the sources through tsx)`);
}
if (!placementOnly && !largeOnly) {
  const mainCount = quick ? 200_000 : 1_000_000;
  if (!severalOnly) await endToEnd(mainCount, 1_000, false, true);
  if (!endToEndOnly && !severalOnly) await readingCosts(await workloadFile(mainCount, 1_000), mainCount);
  if (!endToEndOnly) severalPolicies(await workloadFile(mainCount, 1_000), mainCount, 1_000);
}
if (!endToEndOnly && !severalOnly && !largeOnly) placementCosts();
if (large && !placementOnly && !endToEndOnly && !severalOnly) await endToEnd(10_000_000, 10_000, true, false);
