/**
 * `swf`: the Standard Workload Format of the Parallel Workloads Archive: 18 whitespace-separated
 * numeric fields per job, -1 for missing, `;` header comments (`; MaxProcs: 128`), records sorted
 * by submit time. A job becomes one container asking for all its processors as cores. Pure.
 */
import { OptionError } from "../../policy/loader.ts";
import { InputError } from "../errors.ts";
import { readOptions, skip, type NodeRow, type Outcome, type RawOptions, type RecordMapper, type TraceFormat, type TraceRecord } from "./types.ts";

/** The 18 SWF fields, in order (field k is SWF_FIELDS[k-1]). */
export const SWF_FIELDS = [
  "job_number", "submit_time", "wait_time", "run_time", "allocated_processors", "average_cpu_time", "used_memory",
  "requested_processors", "requested_time", "requested_memory", "status", "user_id", "group_id", "executable_number",
  "queue_number", "partition_number", "preceding_job_number", "think_time",
] as const;

export interface SwfOptions {
  /** GiB per processor when the trace gives no requested memory (field 10 = -1). */
  memPerProc: number;
  /** `pooled`: one node with all MaxProcs cores; `per-node`: MaxNodes nodes of MaxProcs/MaxNodes cores. */
  nodeLayout: "pooled" | "per-node";
  /** Keep only these status codes (field 11); undefined keeps all. */
  status: ReadonlySet<number> | undefined;
  /** Subtracted from every submit time: the first record's submit (`first`), 0 (`none`), or a number. */
  arrivalOffset: "first" | number;
  maxProcs: number | undefined;
  maxNodes: number | undefined;
}

const OPTIONS = {
  "mem-per-proc": { type: "number", min: 0, default: 1, describe: "GiB per processor when the trace has no requested memory (every PWA log here)" },
  "node-layout": { type: "string", choices: ["pooled", "per-node"], default: "pooled", describe: "cluster: one pooled node of MaxProcs cores, or MaxNodes nodes of MaxProcs/MaxNodes cores" },
  status: { type: "string", default: "", describe: "keep only jobs of these status codes, comma-separated (1 completed, 0 failed, 5 cancelled; default: all)" },
  "arrival-offset": { type: "string", default: "first", describe: "subtracted from submit times: 'first' (the first record's submit), 'none', or seconds" },
  "max-procs": { type: "number", positive: true, integer: true, describe: "processors of the machine (instead of the header's MaxProcs)" },
  "max-nodes": { type: "number", positive: true, integer: true, describe: "nodes of the machine (instead of the header's MaxNodes)" },
} as const;

const KIB_PER_GIB = 1024 * 1024;

/**
 * One job → a container, or why not. `offset` is subtracted from the submit time. Processors are
 * the allocated ones (field 5), else the requested ones (field 8); memory is field 10 (KB per
 * processor) when given, else the --mem-per-proc constant.
 */
export function mapSwfJob(r: TraceRecord, o: SwfOptions, offset: number): Outcome {
  const status = r.number("status");
  if (o.status && !o.status.has(status)) return skip(status === -1 ? "status-unknown" : `status-${status}`);
  const run = r.number("run_time");
  if (run <= 0) return skip("runtime-not-positive");
  const allocated = r.number("allocated_processors");
  const procs = allocated > 0 ? allocated : r.number("requested_processors");
  if (procs <= 0) return skip("no-processors");
  const submit = r.number("submit_time");
  if (submit < 0) return skip("no-submit-time");
  if (submit < offset) return skip("before-offset");
  const memKb = r.number("requested_memory");
  return {
    row: {
      id: r.text("job_number"),
      arrival: submit - offset,
      duration: run,
      cpu: procs,
      mem: memKb >= 0 ? (procs * memKb) / KIB_PER_GIB : procs * o.memPerProc,
      gpu: 0,
    },
  };
}

/** Reads `; Key: value` header comments (keys as written, e.g. MaxProcs). Pure. */
export function swfHeaderEntry(comment: string): [string, string] | undefined {
  const m = /^;\s*([A-Za-z][\w ]*?)\s*:\s*(.*?)\s*$/.exec(comment);
  return m ? [m[1]!, m[2]!] : undefined;
}

/** The machine as nodes: one pooled node (default) or MaxNodes equal nodes. */
export function swfCluster(o: SwfOptions, header: ReadonlyMap<string, string>): NodeRow[] {
  const fromHeader = (key: string, given: number | undefined, flag: string): number => {
    if (given !== undefined) return given;
    const text = header.get(key);
    const x = Number(text);
    if (text === undefined || !(Number.isInteger(x) && x > 0)) {
      throw new OptionError(`the SWF header gives no usable ${key} (${text === undefined ? "absent" : JSON.stringify(text)}): pass ${flag}`);
    }
    return x;
  };
  const procs = fromHeader("MaxProcs", o.maxProcs, "--max-procs");
  if (o.nodeLayout === "pooled") return [{ id: "pool", cpu: procs, mem: procs * o.memPerProc, gpu: 0 }];
  const nodes = fromHeader("MaxNodes", o.maxNodes, "--max-nodes");
  const per = procs / nodes;
  return Array.from({ length: nodes }, (_, i) => ({ id: `n${i}`, cpu: per, mem: per * o.memPerProc, gpu: 0 }));
}

function parseStatus(text: string): ReadonlySet<number> | undefined {
  if (text.trim() === "") return undefined;
  const codes = text.split(",").map((s) => s.trim());
  if (codes.some((s) => !/^-?\d+$/.test(s))) throw new OptionError(`--status takes status codes separated by commas, e.g. 1 or 1,0 (got ${JSON.stringify(text)})`);
  return new Set(codes.map(Number));
}

function parseOffset(text: string): "first" | number {
  if (text === "first") return "first";
  if (text === "none") return 0;
  const x = Number(text);
  if (text.trim() === "" || !Number.isFinite(x)) throw new OptionError(`--arrival-offset takes 'first', 'none' or a number of seconds (got ${JSON.stringify(text)})`);
  return x;
}

function createMapper(o: SwfOptions): RecordMapper {
  let offset: number | undefined = o.arrivalOffset === "first" ? undefined : o.arrivalOffset;
  let lastSubmit = -Infinity;
  return {
    map(r) {
      const submit = r.number("submit_time");
      if (submit >= 0 && submit < lastSubmit) {
        throw new InputError(`SWF records must be sorted by submit time: ${submit} comes after ${lastSubmit}`, r.file, r.line, r.label("submit_time"), r.text("submit_time"));
      }
      lastSubmit = Math.max(lastSubmit, submit);
      if (submit >= 0) offset ??= submit;
      return mapSwfJob(r, o, offset ?? 0);
    },
    details: () => ({ arrival_offset: offset ?? null }),
  };
}

export const swf: TraceFormat<SwfOptions> = {
  name: "swf",
  title: "Standard Workload Format (Parallel Workloads Archive): 18 fields per job, ';' header",
  layout: { kind: "swf", columns: SWF_FIELDS },
  order: "sorted",
  extraColumns: [],
  options: OPTIONS,
  resolveOptions(raw: RawOptions): SwfOptions {
    const v = readOptions("swf", OPTIONS, raw);
    return {
      memPerProc: v["mem-per-proc"] as number,
      nodeLayout: v["node-layout"] as SwfOptions["nodeLayout"],
      status: parseStatus(String(v.status)),
      arrivalOffset: parseOffset(String(v["arrival-offset"])),
      maxProcs: v["max-procs"] as number | undefined,
      maxNodes: v["max-nodes"] as number | undefined,
    };
  },
  createMapper,
  nodes: { kind: "header", describe: "from the header's MaxProcs (and MaxNodes with --node-layout per-node)", build: swfCluster },
};
