import { createWriteStream, existsSync, statSync } from "node:fs";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { stringify } from "csv-stringify";
import type { Argv, CommandModule, Options } from "yargs";
import { InputError } from "../../workload/errors.ts";
import {
  CLUSTER_COLUMNS, ZONES_COLUMNS, checkClusterTotals, clusterRows, generateRows, workloadColumns, zonesRows,
} from "../../workload/generator/generate.ts";
import { loadSamples } from "../../workload/generator/sample-source.ts";
import { firstDuplicateKey } from "../../workload/generator/duplicate-keys.ts";
import { resolveSpec, type GeneratorSpec, type SpecOrigin } from "../../workload/generator/spec.ts";
import { UsageError } from "../main.ts";
import { removeOnInterrupt } from "../interrupt.ts";
import { cannotWrite, partialPath } from "../../workload/output-files.ts";

interface GenerateArgs {
  spec?: string;
  out: string;
  "cluster-out"?: string;
  "zones-out"?: string;
  "spec-out"?: string;
  seed?: string;
  count?: number;
  until?: number;
  start?: number;
  arrival?: string;
  rate?: number;
  "off-rate"?: number;
  "on-mean"?: number;
  "off-mean"?: number;
  amplitude?: number;
  "peak-hour"?: number;
  duration?: string;
  mean?: number;
  mu?: number;
  sigma?: number;
  cv?: number;
  shape?: number;
  scale?: number;
  "duration-from"?: string;
  cpu?: string;
  mem?: string;
  gpu?: string;
  request?: string[];
  "requests-from"?: string;
  zone?: string;
  priority?: string;
  "node-class"?: string[];
  nodes?: number;
  "node-cpu"?: number;
  "node-mem"?: number;
  "node-gpu"?: number;
  "latency-ms"?: number;
}

/** Every option of the command: the file options, then those that build a spec. */
const OPTIONS: Record<string, Options> = {
  spec: { type: "string", describe: "a JSON generator spec (see workloads/README.md)" },
  out: { type: "string", demandOption: true, describe: "workload CSV to write (.csv or .csv.gz)" },
  "cluster-out": { type: "string", describe: "cluster CSV to write (default <out stem>.cluster.csv when the spec has a cluster)" },
  "zones-out": { type: "string", describe: "zones CSV to write (default <out stem>.zones.csv when the spec has a network)" },
  "spec-out": { type: "string", describe: "where to save the resolved spec (default <out>.spec.json)" },
  seed: { type: "string", describe: "seed of every random stream (default 1)" },
  count: { type: "number", describe: "number of containers" },
  until: { type: "number", describe: "no arrival after this time, s" },
  start: { type: "number", describe: "time origin of the arrivals, s (default 0)" },
  arrival: { choices: ["poisson", "constant", "bursty", "diurnal"], describe: "arrival process (default poisson)" },
  rate: { type: "number", describe: "arrivals per second (bursty: while on; diurnal: daily mean)" },
  "off-rate": { type: "number", describe: "bursty: arrivals per second while off (default 0)" },
  "on-mean": { type: "number", describe: "bursty: mean on period, s" },
  "off-mean": { type: "number", describe: "bursty: mean off period, s" },
  amplitude: { type: "number", describe: "diurnal: relative swing of the rate, 0..1" },
  "peak-hour": { type: "number", describe: "diurnal: hour of the peak, 0..24 (default 12)" },
  duration: { choices: ["fixed", "exponential", "lognormal", "pareto", "resample"], describe: "duration law (default exponential; resample with --duration-from)" },
  mean: { type: "number", describe: "duration mean, s (fixed: the value)" },
  mu: { type: "number", describe: "lognormal: mean of log duration" },
  sigma: { type: "number", describe: "lognormal: sd of log duration" },
  cv: { type: "number", describe: "lognormal: coefficient of variation (with --mean)" },
  shape: { type: "number", describe: "pareto: shape (tail index)" },
  scale: { type: "number", describe: "pareto: scale (minimum), s" },
  "duration-from": { type: "string", describe: "resample durations from this native workload CSV" },
  cpu: { type: "string", describe: "cores: 2 | 1,2,4 | 1:3,2:1 (weights) | 0.5..8 | 0.5..8/0.5 (grid)" },
  mem: { type: "string", describe: "GiB, same forms as --cpu" },
  gpu: { type: "string", describe: "GPUs, same forms as --cpu (default 0)" },
  request: { type: "string", array: true, describe: "a joint request cpu,mem[,gpu][:weight]; repeatable" },
  "requests-from": { type: "string", describe: "resample (cpu, mem, gpu) jointly from this native workload CSV" },
  zone: { type: "string", describe: "container zones: eu,us or eu:3,us:1 (weights)" },
  priority: { type: "string", describe: "container priorities: 0,1 or 0:9,1:1 (weights)" },
  "node-class": { type: "string", array: true, describe: "count=4,cpu=32,mem=128[,gpu=..][,speed=..][,zone=..][,startup=..][,prefix=..]; repeatable" },
  nodes: { type: "number", describe: "a cluster of N identical nodes (with --node-cpu, --node-mem)" },
  "node-cpu": { type: "number", describe: "cores per node (with --nodes)" },
  "node-mem": { type: "number", describe: "GiB per node (with --nodes)" },
  "node-gpu": { type: "number", describe: "GPUs per node (with --nodes)" },
  "latency-ms": { type: "number", describe: "latency between two different zones, ms (writes the zones file)" },
};

/** Options that may override a --spec file; every other generation option is refused with --spec. */
const SPEC_OVERRIDES = ["seed", "count", "until"];
const FILE_OPTIONS = ["spec", "out", "cluster-out", "zones-out", "spec-out"];
const GENERATION_OPTIONS = Object.keys(OPTIONS).filter((o) => !SPEC_OVERRIDES.includes(o) && !FILE_OPTIONS.includes(o));

export const generateCommand: CommandModule<object, GenerateArgs> = {
  command: "generate",
  describe: "draw a seeded synthetic workload (and optionally a cluster and zones file)",
  builder: (y: Argv) =>
    y
      .usage(
        "$0 generate --out FILE [--spec FILE.json | options]\n\n" +
        "Examples:\n" +
        "  $0 generate --count 1000 --rate 2 --mean 60 --cpu 1,2,4 --mem 1..8/0.5 --out w.csv\n" +
        "  $0 generate --spec workloads/specs/diurnal-gpu.json --out w.csv.gz\n" +
        "The resolved spec is saved as <out>.spec.json; `--spec` on it reproduces the same bytes.",
      )
      .options(OPTIONS)
      .check((a) => {
        if (a.spec !== undefined) {
          const extra = GENERATION_OPTIONS.filter((o) => a[o] !== undefined);
          if (extra.length > 0) {
            throw new UsageError(`with --spec, put ${extra.map((o) => `--${o}`).join(", ")} into the spec file (only ${SPEC_OVERRIDES.map((o) => `--${o}`).join(", ")} may override it)`);
          }
        }
        return true;
      }) as unknown as Argv<GenerateArgs>,
  handler: async (args) => {
    const report = await generateFiles(await specFromArgs(args), {
      out: args.out, clusterOut: args["cluster-out"], zonesOut: args["zones-out"], specOut: args["spec-out"],
    });
    for (const w of report.warnings) process.stderr.write(`warning: ${w}\n`);
    const span = report.containers > 0 ? ` (arrivals ${report.firstArrival} … ${report.lastArrival} s)` : "";
    process.stdout.write(`${report.containers.toLocaleString("en-US")} containers${span} → ${report.files.workload}\n`);
    if (report.files.cluster) process.stdout.write(`${report.nodes.toLocaleString("en-US")} nodes → ${report.files.cluster}\n`);
    if (report.files.zones) process.stdout.write(`zones latency matrix → ${report.files.zones}\n`);
    process.stdout.write(`spec (reproduces these files with --spec) → ${report.files.spec}\n`);
  },
};

/** The spec of a command line: the --spec file (with --seed/--count/--until over it), or one built from options. */
async function specFromArgs(args: GenerateArgs): Promise<GeneratorSpec> {
  if (args.spec !== undefined) {
    const file = args.spec;
    let text: string;
    try {
      // A UTF-8 BOM (as some editors save) is no part of the JSON; the CSV readers drop it too.
      text = (await readFile(file, "utf8")).replace(/^\uFEFF/, "");
    } catch {
      throw new InputError("cannot read the spec file", file);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      const message = (err as Error).message.replace(/\s+/g, " ");
      const at = /position (\d+)/.exec(message);
      const line = at ? text.slice(0, Number(at[1])).split("\n").length : undefined;
      throw new InputError(`not valid JSON: ${message.replace(/ in JSON at position \d+.*$/, "")}`, file, line);
    }
    const twice = firstDuplicateKey(text);
    if (twice) throw new InputError(`key ${JSON.stringify(twice.key)} given twice in one object (first on line ${twice.firstLine}): only the later one would be used; remove or rename one of them`, file, twice.line);
    if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) {
      const o = raw as Record<string, unknown>;
      if (args.seed !== undefined) o.seed = args.seed;
      if (args.count !== undefined) o.count = args.count;
      if (args.until !== undefined) o.until = args.until;
    }
    const folder = dirname(resolve(file));
    return resolveSpec(raw, { label: file, resolvePath: (p) => resolve(folder, p) });
  }
  const origin: SpecOrigin = { resolvePath: (p) => resolve(p), describePath: optionOfPath };
  return resolveSpec(specFromOptions(args), origin);
}

/**
 * The raw JSON spec that command-line options describe (checked afterwards by resolveSpec, like a
 * file). Pure. Defaults: poisson arrivals, exponential durations.
 */
export function specFromOptions(a: Partial<GenerateArgs>): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  const put = (o: Record<string, unknown>, key: string, v: unknown) => {
    if (v !== undefined) o[key] = v;
  };
  put(spec, "seed", a.seed);
  put(spec, "count", a.count);
  put(spec, "until", a.until);
  put(spec, "start", a.start);

  const arrivals: Record<string, unknown> = { kind: a.arrival ?? "poisson" };
  put(arrivals, "rate", a.rate);
  put(arrivals, "offRate", a["off-rate"]);
  put(arrivals, "onMean", a["on-mean"]);
  put(arrivals, "offMean", a["off-mean"]);
  put(arrivals, "amplitude", a.amplitude);
  put(arrivals, "peakHour", a["peak-hour"]);
  spec.arrivals = arrivals;

  const kind = a.duration ?? (a["duration-from"] !== undefined ? "resample" : "exponential");
  const durations: Record<string, unknown> = { kind };
  put(durations, kind === "fixed" ? "value" : "mean", a.mean);
  put(durations, "mu", a.mu);
  put(durations, "sigma", a.sigma);
  put(durations, "cv", a.cv);
  put(durations, "shape", a.shape);
  put(durations, "scale", a.scale);
  put(durations, "from", a["duration-from"]);
  spec.durations = durations;

  // Three ways to give requests: one at a time, or the loser would be dropped without a word.
  const ways = [a["requests-from"] !== undefined && "--requests-from", a.request !== undefined && "--request", (a.cpu ?? a.mem ?? a.gpu) !== undefined && "--cpu/--mem/--gpu"].filter(Boolean);
  if (ways.length > 1) throw new UsageError(`give the requests one way: ${ways.join(" or ")}, not both`);
  if (a["requests-from"] !== undefined) spec.requests = { kind: "resample", from: a["requests-from"] };
  else if (a.request !== undefined) spec.requests = { kind: "choice", choices: a.request.map((r) => parseRequest(r)) };
  else {
    const requests: Record<string, unknown> = { kind: "independent" };
    put(requests, "cpu", a.cpu === undefined ? undefined : parseAmount(a.cpu, "--cpu"));
    put(requests, "mem", a.mem === undefined ? undefined : parseAmount(a.mem, "--mem"));
    put(requests, "gpu", a.gpu === undefined ? undefined : parseAmount(a.gpu, "--gpu"));
    spec.requests = requests;
  }
  if (a.zone !== undefined) spec.zones = parseWeighted(a.zone, "--zone", (s) => s);
  if (a.priority !== undefined) spec.priorities = parseWeighted(a.priority, "--priority", (s) => toNumber(s, "--priority"));

  const classes: Record<string, unknown>[] = (a["node-class"] ?? []).map((c) => parseNodeClass(c));
  if (a.nodes !== undefined) {
    const c: Record<string, unknown> = { count: a.nodes };
    put(c, "cpu", a["node-cpu"]);
    put(c, "mem", a["node-mem"]);
    put(c, "gpu", a["node-gpu"]);
    classes.push(c);
  }
  if (classes.length > 0) spec.cluster = { classes };
  if (a["latency-ms"] !== undefined) spec.network = { otherMs: a["latency-ms"] };
  return spec;
}

/** The option that sets a spec path, to name it in an error about a spec built from options. */
export function optionOfPath(path: string): string {
  const rules: [RegExp, string][] = [
    [/^arrivals\.rate$/, "--rate"], [/^arrivals\.offRate$/, "--off-rate"], [/^arrivals\.onMean$/, "--on-mean"],
    [/^arrivals\.offMean$/, "--off-mean"], [/^arrivals\.amplitude$/, "--amplitude"], [/^arrivals\.peakHour$/, "--peak-hour"],
    [/^arrivals\.kind$/, "--arrival"], [/^durations\.kind$/, "--duration"], [/^durations\.(mean|value)$/, "--mean"],
    [/^durations\.from$/, "--duration-from"], [/^durations\.(mu|sigma|cv|shape|scale)$/, "--$1"], [/^durations$/, "--duration"],
    [/^requests\.(cpu|mem|gpu)\b.*/, "--$1"], [/^requests\.choices.*/, "--request"], [/^requests\.from$/, "--requests-from"],
    [/^zones\b.*/, "--zone"], [/^priorities\b.*/, "--priority"], [/^cluster\b.*/, "--node-class or --nodes"],
    [/^network\b.*/, "--latency-ms"], [/^(seed|count|until|start)$/, "--$1"],
  ];
  for (const [re, option] of rules) if (re.test(path)) return `${path.replace(re, option)} (${path})`;
  return path;
}

function toNumber(text: string, option: string): number {
  const x = Number(text.trim());
  if (text.trim() === "" || !Number.isFinite(x)) throw new UsageError(`${option}: "${text}" is not a number`);
  return x;
}

/** `a,b` or `a:2,b:1` → { values, weights? }. */
function parseWeighted<T>(text: string, option: string, value: (s: string) => T): { values: T[]; weights?: number[] } {
  const items = text.split(",").map((item) => {
    const [v, w, ...rest] = item.split(":");
    if (rest.length > 0 || v === undefined || v.trim() === "") throw new UsageError(`${option}: cannot read "${item}" (write value or value:weight)`);
    return { value: value(v.trim()), weight: w === undefined ? undefined : toNumber(w, option) };
  });
  const weighted = items.some((i) => i.weight !== undefined);
  return {
    values: items.map((i) => i.value),
    ...(weighted ? { weights: items.map((i) => i.weight ?? 1) } : {}),
  };
}

/** An amount option: `2`, `1,2,4`, `1:3,2:1`, `0.5..8` or `0.5..8/0.5`. */
export function parseAmount(text: string, option: string): unknown {
  const dots = text.indexOf("..");
  if (dots >= 0) {
    const [max = "", step, ...rest] = text.slice(dots + 2).split("/");
    if (rest.length > 0) throw new UsageError(`${option}: cannot read "${text}" (write min..max or min..max/step)`);
    return {
      kind: "uniform", min: toNumber(text.slice(0, dots), option), max: toNumber(max, option),
      ...(step === undefined ? {} : { step: toNumber(step, option) }),
    };
  }
  if (!text.includes(",") && !text.includes(":")) return toNumber(text, option);
  return { kind: "choice", ...parseWeighted(text, option, (s) => toNumber(s, option)) };
}

/** A joint request `cpu,mem[,gpu][:weight]`. */
function parseRequest(text: string): Record<string, number> {
  const [triple = "", weight, ...rest] = text.split(":");
  const parts = triple.split(",");
  if (rest.length > 0 || parts.length < 2 || parts.length > 3) throw new UsageError(`--request: cannot read "${text}" (write cpu,mem[,gpu][:weight])`);
  const [cpu, mem, gpu] = parts.map((p) => toNumber(p, "--request"));
  return { cpu: cpu!, mem: mem!, ...(gpu === undefined ? {} : { gpu }), ...(weight === undefined ? {} : { weight: toNumber(weight, "--request") }) };
}

/** A node class `count=4,cpu=32,mem=128,zone=eu,...`: numbers except zone and prefix. */
function parseNodeClass(text: string): Record<string, unknown> {
  const c: Record<string, unknown> = {};
  for (const item of text.split(",")) {
    const eq = item.indexOf("=");
    if (eq <= 0) throw new UsageError(`--node-class: cannot read "${item}" in "${text}" (write key=value pairs: count=4,cpu=32,mem=128)`);
    const key = item.slice(0, eq).trim();
    const value = item.slice(eq + 1).trim();
    c[key] = key === "zone" || key === "prefix" ? value : toNumber(value, `--node-class ${key}`);
  }
  return c;
}

export interface OutputPaths {
  out: string;
  clusterOut?: string;
  zonesOut?: string;
  specOut?: string;
}

export interface GenerateReport {
  containers: number;
  nodes: number;
  firstArrival?: number;
  lastArrival?: number;
  files: { workload: string; cluster?: string; zones?: string; spec: string };
  warnings: string[];
}

/** `w.csv.gz` → `w`: the stem beside which the cluster and zones files go by default. */
function stem(out: string): string {
  return out.replace(/\.csv(\.gz)?$/, "");
}

/**
 * Loads the resample sources, then streams the workload (and the cluster and zones files when the
 * spec has them) and finally saves the resolved spec. Each file is written under a temporary name,
 * and all are renamed only once every one is complete: a failure (a spec that cannot be saved
 * after a long workload) leaves none of them, not a workload without its spec.
 */
export async function generateFiles(input: GeneratorSpec, paths: OutputPaths): Promise<GenerateReport> {
  if (paths.clusterOut && !input.cluster) throw new UsageError("--cluster-out: the spec has no cluster (add cluster classes: --node-class, --nodes or \"cluster\" in the spec)");
  if (paths.zonesOut && !input.network) throw new UsageError("--zones-out: the spec has no network (add --latency-ms or \"network\" in the spec)");
  const { spec, samples, warnings } = await loadSamples(input);
  const clusterOut = spec.cluster ? paths.clusterOut ?? `${stem(paths.out)}.cluster.csv` : undefined;
  const zonesOut = spec.network ? paths.zonesOut ?? `${stem(paths.out)}.zones.csv` : undefined;
  const specOut = paths.specOut ?? `${paths.out}.spec.json`;
  // Every output path is checked before any file is written (a bad --spec-out would otherwise
  // fail after the workload, leaving it written), and no two may be one file.
  const named: [option: string, path: string | undefined][] = [["--out", paths.out], ["--cluster-out", clusterOut], ["--zones-out", zonesOut], ["--spec-out", specOut]];
  const outputs = named.filter((o): o is [string, string] => o[1] !== undefined);
  for (const [, path] of outputs) checkOutputPath(path);
  for (const [i, [option, path]] of outputs.entries()) {
    const same = outputs.slice(0, i).find(([, earlier]) => resolve(earlier) === resolve(path));
    if (same) throw new UsageError(`${option} ${path} is the same file as ${same[0]} ${same[1]}: give each output its own name`);
  }
  if (spec.cluster) checkClusterTotals(spec.cluster);

  const stats = { containers: 0, firstArrival: undefined as number | undefined, lastArrival: undefined as number | undefined };
  const files = new StagedFiles();
  let nodes = 0;
  try {
    await writeCsv(paths.out, workloadColumns(spec), countRows(generateRows(spec, samples), stats), files);
    if (spec.cluster && clusterOut) {
      await writeCsv(clusterOut, CLUSTER_COLUMNS, clusterRows(spec.cluster), files);
      nodes = spec.cluster.classes.reduce((s, c) => s + c.count, 0);
    }
    if (spec.network && zonesOut) await writeCsv(zonesOut, ZONES_COLUMNS, zonesRows({ ...spec, network: spec.network }), files);
    await files.write(specOut, (tmp) => writeFile(tmp, specJson(spec, dirname(resolve(specOut)))));
    await files.commit();
  } catch (err) {
    await files.abandon();
    throw err;
  }
  return {
    ...stats,
    nodes,
    files: { workload: paths.out, cluster: clusterOut, zones: zonesOut, spec: specOut },
    warnings,
  };
}

function* countRows(rows: Iterable<string[]>, stats: { containers: number; firstArrival?: number; lastArrival?: number }): Generator<string[]> {
  for (const row of rows) {
    const arrival = Number(row[1]);
    stats.firstArrival ??= arrival;
    stats.lastArrival = arrival;
    stats.containers++;
    yield row;
  }
}

/**
 * The saved spec: the resolved one, with each `from` written relative to the spec's own folder (so
 * the spec and its sources can move together), as indented JSON with a final newline.
 */
export function specJson(spec: GeneratorSpec, specFolder: string): string {
  const rel = (p: string) => {
    if (!isAbsolute(p)) return p;
    const r = relative(specFolder, p);
    return (r === "" ? basename(p) : r).split(sep).join("/");
  };
  const out: GeneratorSpec = { ...spec };
  if (out.durations.kind === "resample") out.durations = { ...out.durations, from: rel(out.durations.from) };
  if (out.requests.kind === "resample") out.requests = { ...out.requests, from: rel(out.requests.from) };
  return prettyJson(out) + "\n";
}

/** Indented JSON with each array of plain values kept on one line (`"values": ["eu", "us"]`). */
export function prettyJson(value: unknown): string {
  const flat: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (Array.isArray(v) && v.every((x) => x === null || typeof x !== "object")) {
      flat.push(`[${v.map((x) => JSON.stringify(x)).join(", ")}]`);
      return `\u0000${flat.length - 1}\u0000`;
    }
    return v;
  }, 2);
  // A placeholder is a JSON string "\u0000<n>\u0000"; no string of the spec holds a NUL.
  return text.replace(/"\\u0000(\d+)\\u0000"/g, (_m, i: string) => flat[Number(i)]!);
}

/**
 * Streams rows through csv-stringify (and gzip for a .gz name) into a file staged in `files`. csv-stringify
 * emits one small string per row; `coalesce` joins them into 64 KiB chunks first, so that gzip and
 * the file see few large writes (this halves the time of a large gzipped workload).
 */
async function writeCsv(path: string, columns: string[], rows: Iterable<string[]>, files: StagedFiles): Promise<void> {
  await files.write(path, async (tmp) => {
    const source = Readable.from(rows, { objectMode: true });
    const csv = stringify({ header: true, columns });
    if (path.endsWith(".gz")) await pipeline(source, csv, coalesce(), createGzip(), createWriteStream(tmp));
    else await pipeline(source, csv, coalesce(), createWriteStream(tmp));
  });
}

/** Joins small string chunks into chunks of at least `size` characters (the last may be shorter). */
function coalesce(size = 1 << 16): Transform {
  let parts: string[] = [];
  let length = 0;
  return new Transform({
    decodeStrings: false,
    transform(chunk: string, _encoding, done) {
      parts.push(chunk);
      length += chunk.length;
      if (length >= size) {
        this.push(parts.join(""));
        parts = [];
        length = 0;
      }
      done();
    },
    flush(done) {
      if (parts.length > 0) this.push(parts.join(""));
      done();
    },
  });
}

/** Refuses an output path that is a folder or whose folder does not exist (else a raw ENOTDIR/EISDIR at the final rename). */
function checkOutputPath(path: string): void {
  if (path === "" || /[\\/]$/.test(path) || (existsSync(path) && statSync(path).isDirectory())) throw new UsageError(`cannot write ${JSON.stringify(path)}: give the name of a file, not a folder`);
  if (!existsSync(dirname(resolve(path)))) throw new UsageError(`cannot write ${path}: its folder ${dirname(path)} does not exist`);
}

/**
 * Files written under temporary names beside their final ones (`.NAME.partial-PID`), moved into
 * place together by `commit()` once every one is complete, or all removed by `abandon()`. Ctrl-C
 * or a kill meanwhile removes them too (see removeOnInterrupt).
 */
export class StagedFiles {
  private readonly staged: { tmp: string; path: string }[] = [];
  /** Final paths already moved into place by a commit under way. */
  private readonly moved: string[] = [];
  /** One watcher for all the files (one each would each print a line and the first exit). */
  private unwatch: (() => void) | undefined;

  /** Writes one file under its temporary name (`write` gets that name). */
  async write(path: string, write: (tmp: string) => Promise<void>): Promise<void> {
    checkOutputPath(path);
    const tmp = partialPath(path);
    this.staged.push({ tmp, path });
    this.unwatch ??= removeOnInterrupt(() => this.staged.map((s) => s.tmp), () => this.outcome("the partial files removed"));
    try {
      await write(tmp);
    } catch (err) {
      throw cannotWrite(path, err);
    }
  }

  /**
   * Moves every file into place. A rename that fails half-way (a file in the way that may not be
   * replaced) leaves the files before it in place: the message names them.
   */
  async commit(): Promise<void> {
    for (const { tmp, path } of this.staged) {
      try {
        await rename(tmp, path);
      } catch (err) {
        const mapped = cannotWrite(path, err);
        if (mapped instanceof Error && this.moved.length > 0) mapped.message += ` (${this.outcome("the others not written")})`;
        throw mapped;
      }
      this.moved.push(path);
    }
    this.forget();
  }

  /** Removes every file not moved into place yet. */
  async abandon(): Promise<void> {
    await Promise.all(this.staged.map(({ tmp }) => rm(tmp, { force: true })));
    this.forget();
  }

  /** What was written, for a message: nothing, or the files a commit moved into place so far. */
  private outcome(rest: string): string {
    return this.moved.length === 0 ? `no files written, ${rest}` : `${this.moved.join(", ")} already replaced, ${rest}`;
  }

  private forget(): void {
    this.unwatch?.();
    this.unwatch = undefined;
    this.staged.length = 0;
    this.moved.length = 0;
  }
}
