/**
 * `alibaba-dlrm`: the Alibaba DLRM serving trace 2025 (cluster-trace-gpu-v2025,
 * `disaggregated_DLRM_trace.csv`). Requests are already in cores, GiB and GPUs. Instances that
 * existed before the trace have no creation_time; instances alive at its end have no
 * deletion_time. Pure: records in, rows or skip reasons out.
 */
import { camelOptions, skip, type Outcome, type RawOptions, type TraceFormat, type TraceRecord } from "./types.ts";

/** The largest deletion_time in the published file (SOURCE.md): the end of the trace. */
export const DLRM_TRACE_END = 2_677_541;

export interface DlrmOptions {
  /** Instances created before the trace: skip them (default) or start them at t = 0. */
  preExisting: "skip" | "zero";
  /** Instances alive at the trace end: skip them (default) or end them at the trace end. */
  stillRunning: "skip" | "end";
  traceEnd: number;
  /** Run time counted from `scheduled_time` (default; 0 for pre-existing instances) or from the arrival. */
  durationFrom: "scheduled" | "arrival";
}

const OPTIONS = {
  "pre-existing": { type: "string", choices: ["skip", "zero"], default: "skip", describe: "containers created before the trace: skip, or arrive at t=0" },
  "still-running": { type: "string", choices: ["skip", "end"], default: "skip", describe: "containers alive at the trace end: skip, or end them at --trace-end" },
  "trace-end": { type: "number", min: 0, default: DLRM_TRACE_END, describe: "the trace end, s" },
  "duration-from": { type: "string", choices: ["scheduled", "arrival"], default: "scheduled", describe: "duration = deletion − scheduled_time, or − creation_time" },
} as const;

/** One instance → a container, or why not. A row that is both pre-existing and still running counts as pre-existing. */
export function mapDlrmInstance(r: TraceRecord, o: DlrmOptions): Outcome {
  const created = r.optionalNumber("creation_time");
  const deleted = r.optionalNumber("deletion_time");
  if (created === undefined && o.preExisting === "skip") return skip("pre-existing");
  if (deleted === undefined && o.stillRunning === "skip") return skip("still-running");
  const arrival = created ?? 0;
  const start = o.durationFrom === "scheduled" ? (r.optionalNumber("scheduled_time") ?? arrival) : arrival;
  const end = Math.min(deleted ?? o.traceEnd, o.traceEnd);
  if (end < start) return skip("negative-duration");
  const id = r.text("instance_sn");
  if (id === "") throw r.error("the instance id is empty", "instance_sn");
  return {
    row: { id, arrival, duration: end - start, cpu: r.number("cpu_request"), mem: r.number("memory_request"), gpu: r.number("gpu_request") },
  };
}

export const alibabaDlrm: TraceFormat<DlrmOptions> = {
  name: "alibaba-dlrm",
  title: "Alibaba DLRM serving trace 2025 (cluster-trace-gpu-v2025): instances, no node list",
  layout: {
    kind: "csv",
    header: "present",
    columns: [
      "instance_sn", "role", "app_name", "cpu_request", "cpu_limit", "gpu_request", "gpu_limit", "rdma_request", "rdma_limit",
      "memory_request", "memory_limit", "disk_request", "disk_limit", "max_instance_per_node", "creation_time", "scheduled_time", "deletion_time",
    ],
    required: ["instance_sn", "cpu_request", "gpu_request", "memory_request", "creation_time", "scheduled_time", "deletion_time"],
  },
  order: "unsorted",
  extraColumns: [],
  options: OPTIONS,
  resolveOptions: (raw: RawOptions) => camelOptions<DlrmOptions>("alibaba-dlrm", OPTIONS, raw),
  createMapper: (o) => ({ map: (r) => mapDlrmInstance(r, o) }),
  nodes: { kind: "none", describe: "the trace publishes no node list: give `run` a cluster (--cluster FILE, or --nodes N --node-cpu C --node-mem M)" },
};
