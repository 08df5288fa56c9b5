/**
 * `importTrace`: converts a public trace into the native workload CSV (and cluster CSV), streaming.
 * The format modules are pure mappers; this file does the reading, ordering, counting and writing.
 */
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { OptionError } from "../../policy/loader.ts";
import { InputError } from "../errors.ts";
import { MAX_AMOUNT, MAX_TIME } from "../fields.ts";
import { alibaba2017 } from "./alibaba-2017.ts";
import { alibabaDlrm } from "./alibaba-dlrm.ts";
import { google2011 } from "./google-2011.ts";
import { openb } from "./openb.ts";
import { swf, swfHeaderEntry } from "./swf.ts";
import { ArrivalOrder } from "./reorder.ts";
import { CsvOutput, csvLine, csvTraceRecords, swfTraceRecords, type SourceInfo } from "./io.ts";
import { textCell } from "../../report/csv.ts";
import { readOptions, type NativeRow, type NodeRow, type OptionValues, type Outcome, type RawOptions, type RecordMapper, type TraceFormat, type TraceRecord } from "./types.ts";

export * from "./types.ts";

/** Every importable format, by name. */
export const FORMATS: ReadonlyMap<string, TraceFormat> = new Map(
  [openb, alibabaDlrm, alibaba2017, swf, google2011].map((f) => [f.name, f as TraceFormat]),
);

export const NATIVE_COLUMNS = ["id", "arrival", "duration", "cpu", "mem", "gpu"] as const;
export const CLUSTER_OUT_COLUMNS = ["id", "cpu", "mem", "gpu"] as const;

export interface ImportOptions {
  format: string;
  input: string;
  /** The trace's node list (openb, alibaba-2017, google-2011). */
  nodes?: string;
  output: string;
  clusterOutput?: string;
  /** Format options by flag name (`failed`, `trace-end`, …): only those the user gave. */
  options?: RawOptions;
  /** Keep only containers arriving in [from, to) (after the format's own time shift), s. */
  from?: number;
  to?: number;
}

/** Per reason: how many were skipped and the first input line concerned. */
export type SkipCounts = Record<string, { count: number; first_line: number | null }>;

export interface ImportSummary {
  format: string;
  title: string;
  input: string;
  nodes: string | null;
  output: string;
  cluster_output: string | null;
  summary: string;
  /** Every option of the format by flag name, defaults included. */
  options: OptionValues;
  /** The arrival window kept, s (null: unbounded). */
  window: { from: number | null; to: number | null };
  /** A command line that repeats this import. */
  command: string;
  order: "streamed" | "sorted in memory";
  /** Input records read (data lines or events, not headers or comments). */
  records: number;
  /** Records (or task attempts) that became rows. */
  kept: number;
  skipped: { total: number; by_reason: SkipCounts };
  /** Containers written (more than `kept` when tasks are expanded into instances). */
  containers: number;
  arrival: { first: number | null; last: number | null };
  cluster: { records: number; nodes: number; skipped: { total: number; by_reason: SkipCounts } } | null;
  details: Record<string, unknown>;
  warnings: string[];
}

/** The summary file beside an output: `w.csv` / `w.csv.gz` → `w.import.json`. */
export function summaryPath(output: string): string {
  return output.replace(/(\.csv)?(\.gz)?$/, "") + ".import.json";
}

/** The format named, or an OptionError listing them. */
export function findFormat(name: string): TraceFormat {
  const f = FORMATS.get(name);
  if (!f) throw new OptionError(`unknown format "${name}": use one of ${[...FORMATS.keys()].join(", ")}`);
  return f;
}

/** Converts one trace. Throws InputError (bad input, naming file/line/column) or OptionError; writes nothing partial. */
export async function importTrace(io: ImportOptions): Promise<ImportSummary> {
  const format = findFormat(io.format);
  const raw = io.options ?? {};
  checkOptionNames(format, raw);
  const options = format.resolveOptions(raw);
  const flags = readOptions(format.name, format.options, raw);
  checkFiles(format, io);
  for (const flag of ["from", "to"] as const) {
    const x = io[flag];
    if (x !== undefined && !Number.isFinite(x)) throw new OptionError(`--${flag} must be a number of seconds (got ${x})`);
  }
  if (io.from !== undefined && io.to !== undefined && !(io.from < io.to)) throw new OptionError(`--from must be before --to (got ${io.from} and ${io.to})`);

  const info: SourceInfo = { header: new Map(), warnings: [] };
  const mapper = format.createMapper(options);
  const columns = [...NATIVE_COLUMNS, ...format.extraColumns];
  const out = await CsvOutput.open(io.output, columns);
  const skipped = new Counter();
  const order = new ArrivalOrder<NativeRow>();
  let records = 0, kept = 0;
  let first: number | null = null, last: number | null = null;

  const write = (row: NativeRow) => {
    for (const r of mapper.expand ? mapper.expand(row) : [row]) {
      first ??= r.arrival;
      last = r.arrival;
      out.add(nativeLine(r, columns));
    }
  };
  const take = (outcomes: Outcome[], rec: TraceRecord | undefined, seq: number) => {
    for (const o of outcomes) {
      if ("skip" in o) {
        skipped.add(o.skip, o.line ?? rec?.line ?? null);
        continue;
      }
      if (io.from !== undefined && o.row.arrival < io.from) {
        skipped.add("before-window", rec?.line ?? null);
        continue;
      }
      if (io.to !== undefined && o.row.arrival >= io.to) {
        skipped.add("after-window", rec?.line ?? null);
        continue;
      }
      checkImported(o.row, rec);
      kept++;
      if (!order.push(o.row.arrival, o.seq ?? seq, o.row)) {
        throw new InputError(`${format.name} input out of time order: this row arrives at ${o.row.arrival}, before rows already written`, rec?.file, rec?.line);
      }
    }
  };

  let cluster: ImportSummary["cluster"] = null;
  let clusterOut: CsvOutput | undefined;
  try {
    const source = format.layout.kind === "swf" ? swfTraceRecords(io.input, format.layout, info, swfHeaderEntry) : csvTraceRecords(io.input, format.layout, info);
    for await (const rec of source) {
      const seq = records++;
      const result = mapper.map(rec, seq);
      if (result === undefined) continue;
      const outcomes = Array.isArray(result) ? (result as Outcome[]) : [result as Outcome];
      take(outcomes, rec, seq);
      const mark = releaseMark(format, mapper, outcomes);
      if (mark) for (const row of order.takeBelow(mark.arrival, mark.seq)) write(row);
      if (out.full) await out.flush();
    }
    take([...(mapper.end?.() ?? [])], undefined, records);
    for (const row of order.drain()) {
      write(row);
      if (out.full) await out.flush();
    }

    if (io.clusterOutput !== undefined) {
      clusterOut = await CsvOutput.open(io.clusterOutput, CLUSTER_OUT_COLUMNS);
      cluster = await writeCluster(format, options, io, info, clusterOut);
    }
    await out.commit();
    await clusterOut?.commit();
  } catch (err) {
    await out.abandon();
    await clusterOut?.abandon();
    throw err;
  }

  if (out.rows === 0) info.warnings.push(`no containers were kept: ${io.output} has only its header`);
  const summary: ImportSummary = {
    format: format.name,
    title: format.title,
    input: io.input,
    nodes: io.nodes ?? null,
    output: io.output,
    cluster_output: io.clusterOutput ?? null,
    summary: summaryPath(io.output),
    options: flags,
    window: { from: io.from ?? null, to: io.to ?? null },
    command: commandLine(io, flags),
    order: mapper.watermark || format.order === "sorted" ? "streamed" : "sorted in memory",
    records,
    kept,
    skipped: skipped.result(),
    containers: out.rows,
    arrival: { first, last },
    cluster,
    details: mapper.details?.() ?? {},
    warnings: info.warnings,
  };
  await writeFile(summary.summary, JSON.stringify(summary, null, 2) + "\n");
  return summary;
}

/** Rows strictly below this (arrival, seq) can be written: from the mapper, or the last row of a sorted input. */
function releaseMark(format: TraceFormat, mapper: RecordMapper, outcomes: Outcome[]): { arrival: number; seq: number } | undefined {
  if (mapper.watermark) return mapper.watermark();
  if (format.order !== "sorted") return undefined;
  for (let i = outcomes.length - 1; i >= 0; i--) {
    const o = outcomes[i]!;
    if ("row" in o) return { arrival: o.row.arrival, seq: -Infinity };
  }
  return undefined;
}

/**
 * What `run` will refuse in the file written, refused here at the trace's line instead of an exit 0
 * on a file that cannot be used: a negative or oversized amount or duration, an arrival beyond
 * the largest time (see MAX_AMOUNT, MAX_TIME).
 */
function checkImported(row: NativeRow, rec: TraceRecord | undefined): void {
  const what = `container "${row.id}"`;
  for (const k of ["cpu", "mem", "gpu"] as const) checkValue(what, k, row[k], MAX_AMOUNT, rec);
  checkValue(what, "duration", row.duration, MAX_TIME, rec);
  if (!(Math.abs(row.arrival) <= MAX_TIME)) throw new InputError(`this row would give ${what} an arrival of ${row.arrival} s: beyond ±${MAX_TIME} s, the times schedsim accepts`, rec?.file, rec?.line);
}

function checkValue(what: string, field: string, x: number, max: number, rec: TraceRecord | undefined): void {
  if (x >= 0 && x <= max) return;
  const why = x >= 0 ? `above ${max}, the largest schedsim accepts` : "negative or not a number";
  throw new InputError(`this row would give ${what} a ${field} of ${x}: ${why}`, rec?.file, rec?.line);
}

async function writeCluster(format: TraceFormat, options: unknown, io: ImportOptions, info: SourceInfo, out: CsvOutput): Promise<NonNullable<ImportSummary["cluster"]>> {
  const skipped = new Counter();
  const seen = new Set<string>();
  const total = { cpu: 0, mem: 0, gpu: 0 };
  let records = 0;
  const put = async (o: Outcome<NodeRow>, rec?: TraceRecord) => {
    if ("skip" in o) return skipped.add(o.skip, o.line ?? rec?.line ?? null);
    for (const k of ["cpu", "mem", "gpu"] as const) {
      checkValue(`node "${o.row.id}"`, k, o.row[k], MAX_AMOUNT, rec);
      // Every total over the nodes too, as run checks it (parseCluster).
      total[k] += o.row[k];
      if (total[k] > MAX_AMOUNT) throw new InputError(`the cluster's total ${k} passes ${MAX_AMOUNT} with node "${o.row.id}", the largest amount schedsim holds exactly`, rec?.file, rec?.line);
    }
    if (seen.has(o.row.id)) throw new InputError(`duplicate node id "${o.row.id}"`, rec?.file, rec?.line);
    seen.add(o.row.id);
    out.add(csvLine(o.row.id, [o.row.cpu, o.row.mem, o.row.gpu]));
    if (out.full) await out.flush();
  };
  const nodes = format.nodes;
  if (nodes.kind === "header") {
    let rows: NodeRow[];
    try {
      rows = nodes.build(options, info.header);
    } catch (err) {
      // The header is the input's: say which file's (an empty one has none at all).
      throw err instanceof OptionError ? new OptionError(`${io.input}: ${err.message}`) : err;
    }
    for (const row of rows) await put({ row });
  } else if (nodes.kind === "file") {
    const mapper = nodes.createMapper(options);
    for await (const rec of csvTraceRecords(io.nodes!, nodes.layout, info)) {
      records++;
      const o = mapper.map(rec);
      if (o) await put(o, rec);
    }
    for (const o of mapper.end?.() ?? []) await put(o);
  }
  if (seen.size === 0) info.warnings.push(`no nodes were kept: ${io.clusterOutput} has only its header`);
  return { records, nodes: seen.size, skipped: skipped.result() };
}

/** A format option the user gave that this format does not take is an error, not silently ignored. */
function checkOptionNames(format: TraceFormat, raw: RawOptions): void {
  for (const name of Object.keys(raw)) {
    if (raw[name] === undefined || name in format.options) continue;
    const owners = [...FORMATS.values()].filter((f) => name in f.options).map((f) => f.name);
    throw new OptionError(owners.length > 0
      ? `--${name} does not apply to format ${format.name} (it is an option of ${owners.join(", ")})`
      : `unknown option --${name} for format ${format.name}`);
  }
}

/** The node list goes with the formats that have one; outputs must not overwrite inputs. */
function checkFiles(format: TraceFormat, io: ImportOptions): void {
  const kind = format.nodes.kind;
  if (kind === "file") {
    if (io.nodes !== undefined && io.clusterOutput === undefined) throw new OptionError(`--nodes needs --cluster-out (where to write the cluster CSV)`);
    if (io.clusterOutput !== undefined && io.nodes === undefined) throw new OptionError(`--cluster-out needs --nodes: the node list of ${format.name} is ${format.nodes.describe}`);
  } else if (io.nodes !== undefined) {
    throw new OptionError(`--nodes does not apply to format ${format.name}: ${kind === "header" ? "its cluster comes from the trace's header (use --cluster-out alone)" : format.nodes.describe}`);
  } else if (kind === "none" && io.clusterOutput !== undefined) {
    throw new OptionError(`--cluster-out does not apply to format ${format.name}: ${format.nodes.describe}`);
  }
  const inputs = [io.input, io.nodes].filter((p): p is string => p !== undefined).map((p) => resolve(p));
  const outputs = [io.output, io.clusterOutput, summaryPath(io.output)].filter((p): p is string => p !== undefined);
  for (const o of outputs) {
    if (inputs.includes(resolve(o))) throw new OptionError(`the output ${o} is also an input: choose another --out`);
  }
  if (io.clusterOutput !== undefined && resolve(io.clusterOutput) === resolve(io.output)) throw new OptionError(`--out and --cluster-out are the same file`);
}

/** A row as a CSV line: numbers in shortest round-trip form; zone/priority only when the format has them. */
export function nativeLine(r: NativeRow, columns: readonly string[]): string {
  const cells: (number | string | undefined)[] = [r.arrival, r.duration, r.cpu, r.mem, r.gpu];
  for (const c of columns.slice(NATIVE_COLUMNS.length)) cells.push(c === "zone" ? (r.zone === undefined ? undefined : textCell(r.zone)) : c === "priority" ? r.priority : undefined);
  return csvLine(r.id, cells);
}

/** The `schedsim import` line for these files and options (every option spelled out). */
function commandLine(io: ImportOptions, flags: OptionValues): string {
  const q = (s: string) => (/^[\w./:@%+=-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`);
  const parts = ["schedsim", "import", "--format", io.format, "--in", q(io.input)];
  if (io.nodes !== undefined) parts.push("--nodes", q(io.nodes));
  parts.push("--out", q(io.output));
  if (io.clusterOutput !== undefined) parts.push("--cluster-out", q(io.clusterOutput));
  for (const [k, v] of Object.entries(flags)) if (v !== undefined && v !== "") parts.push(`--${k}`, q(String(v)));
  if (io.from !== undefined) parts.push("--from", String(io.from));
  if (io.to !== undefined) parts.push("--to", String(io.to));
  return parts.join(" ");
}

class Counter {
  private readonly counts: SkipCounts = {};
  private total = 0;

  add(reason: string, line: number | null): void {
    this.total++;
    const c = (this.counts[reason] ??= { count: 0, first_line: line });
    c.count++;
  }

  result(): { total: number; by_reason: SkipCounts } {
    return { total: this.total, by_reason: { ...this.counts } };
  }
}

/** Human lines for the terminal: what was kept and skipped, per reason. */
export function describeImport(s: ImportSummary): string {
  const n = (x: number) => x.toLocaleString("en-US");
  const reasons = (by: SkipCounts) =>
    Object.entries(by).map(([reason, c]) => `    ${reason}: ${n(c.count)}${c.first_line === null ? "" : ` (first at line ${c.first_line})`}`);
  const lines = [
    `${s.format}: read ${n(s.records)} records from ${s.input}; kept ${n(s.kept)}, skipped ${n(s.skipped.total)}`,
    ...reasons(s.skipped.by_reason),
    `  wrote ${n(s.containers)} containers to ${s.output} (${s.order})` + (s.arrival.first === null ? "" : `, arrivals ${s.arrival.first} to ${s.arrival.last} s`),
  ];
  if (s.cluster) {
    lines.push(`  wrote ${n(s.cluster.nodes)} node${s.cluster.nodes === 1 ? "" : "s"} to ${s.cluster_output}` + (s.cluster.records > 0 ? ` from ${n(s.cluster.records)} records of ${s.nodes}` : " (from the trace's header)") + (s.cluster.skipped.total > 0 ? `; skipped ${n(s.cluster.skipped.total)}` : ""));
    lines.push(...reasons(s.cluster.skipped.by_reason));
  }
  for (const [k, v] of Object.entries(s.details)) lines.push(`  ${k}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`);
  for (const w of s.warnings) lines.push(`  warning: ${w}`);
  lines.push(`  summary: ${s.summary}`);
  return lines.join("\n") + "\n";
}
