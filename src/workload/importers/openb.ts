/**
 * `openb`: the Alibaba GPU cluster trace 2023 (cluster-trace-gpu-v2023, ATC'23 FGD), pod lists
 * `openb_pod_list_*.csv` and node lists `openb_node_list_*.csv`. Kubernetes units: millicores,
 * MiB, milli-GPU shares. Pure: records in, rows or skip reasons out.
 */
import { camelOptions, skip, type NativeRow, type NodeRow, type Outcome, type RawOptions, type TraceFormat, type TraceRecord } from "./types.ts";

/** The largest deletion_time of the published pod lists: the end of collection (SOURCE.md). */
export const OPENB_TRACE_END = 12_902_960;

export interface OpenbOptions {
  /** Pods whose last phase is Failed did run: keep them (default) or leave them out. */
  failed: "keep" | "skip";
  /** Pods deleted at (or after) the trace end were still alive: end them there (default) or leave them out. */
  censored: "end" | "skip";
  traceEnd: number;
  /** Run time counted from the binding (`scheduled_time`, default) or from `creation_time`. */
  durationFrom: "scheduled" | "arrival";
}

const OPTIONS = {
  failed: { type: "string", choices: ["keep", "skip"], default: "keep", describe: "pods whose last phase is Failed (they did run): keep or skip" },
  censored: { type: "string", choices: ["end", "skip"], default: "end", describe: "pods still alive at the trace end: end them there, or skip them" },
  "trace-end": { type: "number", min: 0, default: OPENB_TRACE_END, describe: "end of collection, s (a deletion_time at or after it is censored)" },
  "duration-from": { type: "string", choices: ["scheduled", "arrival"], default: "scheduled", describe: "duration = deletion − scheduled_time, or − creation_time" },
} as const;

/** One pod → a container, or why not. */
export function mapOpenbPod(r: TraceRecord, o: OpenbOptions): Outcome {
  if (r.text("pod_phase") === "Pending" || r.text("scheduled_time") === "") return skip("pending");
  if (o.failed === "skip" && r.text("pod_phase") === "Failed") return skip("failed");
  const arrival = r.number("creation_time");
  let end = r.number("deletion_time");
  if (end >= o.traceEnd) {
    if (o.censored === "skip") return skip("censored");
    end = o.traceEnd;
  }
  const start = o.durationFrom === "scheduled" ? r.number("scheduled_time") : arrival;
  if (end < start) return skip("negative-duration");
  const numGpu = r.number("num_gpu");
  const row: NativeRow = {
    id: r.text("name"),
    arrival,
    duration: end - start,
    cpu: r.number("cpu_milli") / 1000,
    mem: r.number("memory_mib") / 1024,
    gpu: numGpu === 0 ? 0 : (numGpu * r.number("gpu_milli")) / 1000,
  };
  if (row.id === "") throw r.error("the pod name is empty", "name");
  return { row };
}

/** One node of `openb_node_list_*.csv` → a native node. */
export function mapOpenbNode(r: TraceRecord): Outcome<NodeRow> {
  const id = r.text("sn");
  if (id === "") throw r.error("the node name is empty", "sn");
  return { row: { id, cpu: r.number("cpu_milli") / 1000, mem: r.number("memory_mib") / 1024, gpu: r.number("gpu") } };
}

export const openb: TraceFormat<OpenbOptions> = {
  name: "openb",
  title: "Alibaba GPU cluster trace 2023 (cluster-trace-gpu-v2023, 'openb'): pod list + node list",
  layout: {
    kind: "csv",
    header: "present",
    columns: ["name", "cpu_milli", "memory_mib", "num_gpu", "gpu_milli", "gpu_spec", "qos", "pod_phase", "creation_time", "deletion_time", "scheduled_time"],
    required: ["name", "cpu_milli", "memory_mib", "num_gpu", "gpu_milli", "pod_phase", "creation_time", "deletion_time", "scheduled_time"],
  },
  // The default pod list is sorted by creation_time, but the resampled ones (cpu050) are not.
  order: "unsorted",
  extraColumns: [],
  options: OPTIONS,
  resolveOptions: (raw: RawOptions) => camelOptions<OpenbOptions>("openb", OPTIONS, raw),
  createMapper: (o) => ({ map: (r) => mapOpenbPod(r, o) }),
  nodes: {
    kind: "file",
    describe: "openb_node_list_all_node.csv (sn,cpu_milli,memory_mib,gpu,model)",
    layout: { kind: "csv", header: "present", columns: ["sn", "cpu_milli", "memory_mib", "gpu", "model"], required: ["sn", "cpu_milli", "memory_mib", "gpu"] },
    createMapper: () => ({ map: mapOpenbNode }),
  },
};
