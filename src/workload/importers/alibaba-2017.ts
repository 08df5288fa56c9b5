/**
 * `alibaba-2017`: Alibaba cluster-trace-v2017, batch tasks (`batch_task.csv`) and machine events
 * (`server_event.csv`). cpu in centi-cores, memory normalized to the largest machine (a common
 * machine is ≈ 0.69), one row per task standing for `instance_num` identical instances; the rows
 * are not sorted by time. Pure: records in, tasks or skip reasons out; tasks become containers in
 * `expand`, after sorting.
 */
import seedrandom from "seedrandom";
import { camelOptions, skip, type NativeRow, type NodeMapper, type Outcome, type RawOptions, type RecordMapper, type TraceFormat, type TraceRecord } from "./types.ts";

/** Normalized memory of the common machine in server_event.csv: the reference for --node-mem-gib. */
export const V2017_NODE_MEM_NORMALIZED = 0.69;

export interface V2017Options {
  /** GiB of a machine whose normalized memory is 0.69; every memory amount scales by nodeMemGib / 0.69. */
  nodeMemGib: number;
  /** `expand`: every instance; `sample`: each instance kept with probability sampleFraction; `one`: one container per task. */
  instances: "expand" | "sample" | "one";
  sampleFraction: number;
  seed: number;
}

/** A kept task: its per-instance container, and how many instances it stands for. */
export interface V2017Task extends NativeRow {
  instances: number;
}

const OPTIONS = {
  "node-mem-gib": { type: "number", positive: true, default: 256, describe: "assumed GiB of a machine of normalized memory 0.69 (memory scales by this / 0.69)" },
  instances: { type: "string", choices: ["expand", "sample", "one"], default: "expand", describe: "each task's instances: all (expand), a seeded random fraction (sample), or one container per task" },
  "sample-fraction": { type: "number", positive: true, max: 1, default: 0.01, describe: "with --instances sample: probability of keeping each instance" },
  seed: { type: "number", integer: true, default: 1, describe: "with --instances sample: seed of the sampling" },
} as const;

/** The most instances one task may stand for (see readV2017Task). */
const MAX_INSTANCES = 10_000_000;

const CANONICAL = ["task_create_time", "task_end_time", "job_id", "task_id", "instance_num", "status", "plan_cpu", "plan_mem"] as const;

/**
 * One task → a task row, or why not. Kept: status Terminated, created inside the trace
 * (create > 0), with a cpu request, ending after it starts (SOURCE.md: 66,815 tasks).
 */
export function mapV2017Task(r: TraceRecord, o: V2017Options): Outcome<V2017Task> {
  const status = r.text("status");
  if (status !== "Terminated") return skip(`status-${status === "" ? "empty" : status.toLowerCase()}`);
  const created = r.number("task_create_time");
  if (created <= 0) return skip("created-before-trace");
  if (r.text("plan_cpu") === "") return skip("no-request");
  const ended = r.number("task_end_time");
  if (ended <= created) return skip("not-positive-duration");
  const instances = r.number("instance_num");
  if (!Number.isInteger(instances) || instances < 1) throw r.error("the number of instances must be a whole number ≥ 1", "instance_num");
  // The trace's largest is 64,486; expanding a corrupt count of 10⁹ would fill the memory first.
  if (instances > MAX_INSTANCES) throw r.error(`more than ${MAX_INSTANCES} instances in one task is not a trace value`, "instance_num");
  return {
    row: {
      id: `${r.text("job_id")}:${r.text("task_id")}`,
      arrival: created,
      duration: ended - created,
      cpu: r.number("plan_cpu") / 100,
      mem: (r.number("plan_mem") * o.nodeMemGib) / V2017_NODE_MEM_NORMALIZED,
      gpu: 0,
      instances,
    },
  };
}

/** A task's containers: ids `job:task:k` for instance k (k from 0), or `job:task` with --instances one. */
export function* expandV2017Task(task: V2017Task, mode: V2017Options["instances"], keep: () => boolean = () => true): Generator<NativeRow> {
  const { instances, ...row } = task;
  if (mode === "one") {
    yield row;
    return;
  }
  for (let k = 0; k < instances; k++) if (mode === "expand" || keep()) yield { ...row, id: `${row.id}:${k}` };
}

function createMapper(o: V2017Options): RecordMapper<V2017Task> {
  const rng = seedrandom(String(o.seed));
  const keep = () => rng() < o.sampleFraction;
  let tasks = 0, instances = 0, written = 0;
  return {
    map: (r) => mapV2017Task(r, o),
    *expand(task) {
      tasks++;
      instances += task.instances;
      for (const row of expandV2017Task(task, o.instances, keep)) {
        written++;
        yield row;
      }
    },
    details: () => ({ tasks_kept: tasks, instances_in_kept_tasks: instances, containers_written: written }),
  };
}

/** server_event.csv: each machine's `add` row is a node (id = machine id); other events are counted and ignored. */
export function createV2017NodeMapper(o: V2017Options): NodeMapper {
  const seen = new Set<string>();
  return {
    map(r) {
      const type = r.text("event_type");
      if (type !== "add") return skip(`event-${type === "" ? "empty" : type}`);
      const id = r.text("machine_id");
      if (id === "") throw r.error("the machine id is empty", "machine_id");
      if (seen.has(id)) return skip("duplicate-add");
      seen.add(id);
      return { row: { id, cpu: r.number("cpus"), mem: (r.number("mem") * o.nodeMemGib) / V2017_NODE_MEM_NORMALIZED, gpu: 0 } };
    },
  };
}

export const alibaba2017: TraceFormat<V2017Options, V2017Task> = {
  name: "alibaba-2017",
  title: "Alibaba cluster-trace-v2017: batch_task.csv + server_event.csv",
  layout: {
    kind: "csv",
    header: "auto",
    columns: CANONICAL,
    required: CANONICAL,
    // The names of the re-uploaded copy (after trimming its leading spaces).
    aliases: {
      number_of_instances: "instance_num",
      number_of_cpus_requested_per_instance_in_the_task: "plan_cpu",
      normalized_memory_requested_per_instance_in_the_task: "plan_mem",
      create_timestamp: "task_create_time",
      modify_timestamp: "task_end_time",
    },
  },
  order: "unsorted",
  extraColumns: [],
  options: OPTIONS,
  resolveOptions: (raw: RawOptions) => camelOptions<V2017Options>("alibaba-2017", OPTIONS, raw),
  createMapper,
  nodes: {
    kind: "file",
    describe: "server_event.csv (headerless: timestamp,machine_id,event_type,event_detail,cpus,mem,disk)",
    layout: {
      kind: "csv",
      header: "absent",
      columns: ["timestamp", "machine_id", "event_type", "event_detail", "cpus", "mem", "disk"],
      required: ["machine_id", "event_type", "cpus", "mem"],
    },
    createMapper: createV2017NodeMapper,
  },
};
