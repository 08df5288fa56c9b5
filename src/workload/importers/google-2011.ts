/**
 * `google-2011`: Google cluster-data 2011 (clusterdata-2011-2), `task_events` and
 * `machine_events`, as published (headerless CSV, part files concatenated in order). Times are
 * microseconds (0 = before the trace window, 2⁶³−1 = after it); cpu and memory are normalized to
 * the largest machine and scaled here by --cpu-scale and --mem-scale.
 *
 * A container is one *attempt* of a task: from its SUBMIT to the FINISH, FAIL, KILL or EVICT that
 * ends it. A task resubmitted after an end is a new attempt (id `job:index:n` for n ≥ 2). The
 * event stream is folded by a small state machine (pure: no I/O).
 */
import { InputError } from "../errors.ts";
import { camelOptions, skip, type NativeRow, type NodeMapper, type Outcome, type RawOptions, type RecordMapper, type TraceFormat, type TraceRecord } from "./types.ts";

export const TASK_EVENT_COLUMNS = [
  "timestamp", "missing_info", "job_id", "task_index", "machine_id", "event_type", "user", "scheduling_class",
  "priority", "cpu_request", "memory_request", "disk_request", "different_machines",
] as const;
export const MACHINE_EVENT_COLUMNS = ["timestamp", "machine_id", "event_type", "platform_id", "cpus", "memory"] as const;

/** Task event types of the 2011 schema. */
export const SUBMIT = 0, SCHEDULE = 1, EVICT = 2, FAIL = 3, FINISH = 4, KILL = 5, LOST = 6, UPDATE_PENDING = 7, UPDATE_RUNNING = 8;
/** Timestamps at or above this (2⁶³ − 1 µs) mean "after the end of the trace window". */
const AFTER_TRACE = 2 ** 63 - 1;

export interface GoogleOptions {
  cpuScale: number;
  memScale: number;
  preExisting: "skip" | "zero";
  stillRunning: "skip" | "end";
  /** Seconds; undefined = the last timestamp in the input. */
  traceEnd: number | undefined;
  durationFrom: "scheduled" | "arrival";
  resubmissions: "keep" | "first";
}

const OPTIONS = {
  "cpu-scale": { type: "number", positive: true, default: 1, describe: "cores of a machine of normalized cpu 1 (the largest); default keeps normalized units" },
  "mem-scale": { type: "number", positive: true, default: 1, describe: "GiB of a machine of normalized memory 1 (the largest); default keeps normalized units" },
  "pre-existing": { type: "string", choices: ["skip", "zero"], default: "skip", describe: "containers created before the trace: skip, or arrive at t=0" },
  "still-running": { type: "string", choices: ["skip", "end"], default: "skip", describe: "containers alive at the trace end: skip, or end them at --trace-end" },
  "trace-end": { type: "number", min: 0, describe: "the trace end, s (default: the last timestamp of the input)" },
  "duration-from": { type: "string", choices: ["scheduled", "arrival"], default: "scheduled", describe: "duration = end − SCHEDULE time, or − SUBMIT time" },
  resubmissions: { type: "string", choices: ["keep", "first"], default: "keep", describe: "a task submitted again after it ended: a new container each time, or the first attempt only" },
} as const;

/** One attempt of a task, from its SUBMIT. Requests are normalized until written. */
interface Attempt {
  key: string;
  id: string;
  attempt: number;
  seq: number;
  line: number;
  submit: number;
  scheduled?: number;
  cpu?: number;
  mem?: number;
  priority: number;
}

/**
 * The task_events state machine. `map` takes events in time order; each end event yields the
 * attempt's container or why it was left out; `end` closes what is still open. Requests and
 * priority are those in force when the task is scheduled (SUBMIT, then UPDATE_PENDING);
 * UPDATE_RUNNING changes are counted and ignored, as the simulator's requests are fixed.
 */
export class GoogleTaskEvents implements RecordMapper {
  /** Open attempts that can still become containers, in SUBMIT order (a Map keeps insertion order). */
  private readonly live = new Map<string, Attempt>();
  /** Open attempts that will be skipped whatever happens (pre-existing or resubmitted, per the options). */
  private readonly doomed = new Map<string, Attempt>();
  private readonly attempts = new Map<string, number>();
  private readonly ignored: Record<string, number> = {};
  private lastTime = 0;
  private lastSeq = 0;

  constructor(private readonly o: GoogleOptions) {}

  map(r: TraceRecord, seq: number): Outcome | undefined {
    const micros = r.number("timestamp");
    if (micros < 0) throw r.error("the timestamp must not be negative", "timestamp");
    this.lastSeq = seq;
    if (micros >= AFTER_TRACE) return this.ignore("after-trace-end");
    const t = micros / 1e6;
    if (t < this.lastTime) {
      throw new InputError(`task events must be in time order (concatenate the part files in order): ${micros} comes after ${this.lastTime * 1e6}`, r.file, r.line, r.label("timestamp"), r.text("timestamp"));
    }
    this.lastTime = t;
    const type = r.number("event_type");
    const key = `${r.text("job_id")}:${r.text("task_index")}`;
    const open = this.live.get(key) ?? this.doomed.get(key);
    switch (type) {
      case SUBMIT:
        if (open) return this.ignore("submit-while-open");
        this.submit(key, r, seq, t);
        return undefined;
      case SCHEDULE:
        if (!open) return this.ignore("schedule-without-submit");
        if (open.scheduled !== undefined) return this.ignore("schedule-while-running");
        this.fold(open, r);
        open.scheduled = t;
        return undefined;
      case EVICT: case FAIL: case FINISH: case KILL:
        if (!open) return this.ignore("end-without-submit");
        return this.close(open, t, r.line, false);
      case LOST:
        if (!open) return this.ignore("end-without-submit");
        this.forget(open);
        return skip("lost", r.line);
      case UPDATE_PENDING:
        if (!open || open.scheduled !== undefined) return this.ignore("update-pending-out-of-state");
        this.fold(open, r);
        return undefined;
      case UPDATE_RUNNING:
        return this.ignore(open?.scheduled !== undefined ? "update-running" : "update-running-out-of-state");
      default:
        throw r.error("unknown event type (the 2011 schema has 0 SUBMIT … 8 UPDATE_RUNNING)", "event_type");
    }
  }

  /** Attempts still open at the end of the input, ended at the trace end or skipped. */
  end(): Outcome[] {
    const end = this.o.traceEnd ?? this.lastTime;
    return [...this.doomed.values(), ...this.live.values()].map((a) => this.close(a, end, a.line, true));
  }

  /** Every row still to come has (arrival, seq) at or above the oldest live attempt, or above all seen so far. */
  watermark(): { arrival: number; seq: number } {
    const oldest = this.live.values().next().value as Attempt | undefined;
    return oldest ? { arrival: oldest.submit, seq: oldest.seq } : { arrival: this.lastTime, seq: this.lastSeq + 1 };
  }

  details(): Record<string, unknown> {
    return { ignored_events: { ...this.ignored }, trace_end: this.o.traceEnd ?? this.lastTime };
  }

  private submit(key: string, r: TraceRecord, seq: number, t: number): void {
    const n = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, n);
    const a: Attempt = { key, id: n === 1 ? key : `${key}:${n}`, attempt: n, seq, line: r.line, submit: t, priority: 0 };
    this.fold(a, r);
    const doomed = (t === 0 && this.o.preExisting === "skip") || (n > 1 && this.o.resubmissions === "first");
    (doomed ? this.doomed : this.live).set(key, a);
  }

  /** Takes the requests and priority an event carries (empty fields keep the previous values). */
  private fold(a: Attempt, r: TraceRecord): void {
    a.cpu = r.optionalNumber("cpu_request") ?? a.cpu;
    a.mem = r.optionalNumber("memory_request") ?? a.mem;
    const p = r.optionalNumber("priority");
    if (p !== undefined) {
      if (!Number.isInteger(p)) throw r.error("the priority must be an integer", "priority");
      a.priority = p;
    }
  }

  private close(a: Attempt, t: number, line: number, atEnd: boolean): Outcome {
    this.forget(a);
    if (a.submit === 0 && this.o.preExisting === "skip") return skip("pre-existing", line);
    if (a.attempt > 1 && this.o.resubmissions === "first") return skip("resubmission", line);
    if (a.scheduled === undefined) return skip("never-scheduled", line);
    if (atEnd && this.o.stillRunning === "skip") return skip("still-running", line);
    if (a.cpu === undefined || a.mem === undefined) return skip("no-request", line);
    const start = this.o.durationFrom === "scheduled" ? a.scheduled : a.submit;
    if (t < start) return skip("negative-duration", line);
    const row: NativeRow = { id: a.id, arrival: a.submit, duration: t - start, cpu: a.cpu * this.o.cpuScale, mem: a.mem * this.o.memScale, gpu: 0, priority: a.priority };
    return { row, seq: a.seq };
  }

  private forget(a: Attempt): void {
    this.live.delete(a.key);
    this.doomed.delete(a.key);
  }

  private ignore(reason: string): undefined {
    this.ignored[reason] = (this.ignored[reason] ?? 0) + 1;
    return undefined;
  }
}

/**
 * machine_events → nodes: each machine's first ADD with both capacities is a node (id = machine
 * ID). The cluster is static: REMOVE and UPDATE events, and later ADDs, are counted and ignored.
 */
export function createGoogleMachineMapper(o: GoogleOptions): NodeMapper {
  const seen = new Set<string>();
  return {
    map(r) {
      const type = r.number("event_type");
      if (type === 1) return skip("remove-ignored");
      if (type === 2) return skip("update-ignored");
      if (type !== 0) throw r.error("unknown machine event type (0 ADD, 1 REMOVE, 2 UPDATE)", "event_type");
      const id = r.text("machine_id");
      if (id === "") throw r.error("the machine ID is empty", "machine_id");
      if (seen.has(id)) return skip("re-add-ignored");
      const cpus = r.optionalNumber("cpus"), memory = r.optionalNumber("memory");
      if (cpus === undefined || memory === undefined) return skip("add-without-capacity");
      seen.add(id);
      return { row: { id, cpu: cpus * o.cpuScale, mem: memory * o.memScale, gpu: 0 } };
    },
  };
}

export const google2011: TraceFormat<GoogleOptions> = {
  name: "google-2011",
  title: "Google cluster-data 2011 (clusterdata-2011-2): task_events + machine_events",
  layout: {
    kind: "csv",
    header: "absent",
    columns: TASK_EVENT_COLUMNS,
    required: ["timestamp", "job_id", "task_index", "event_type", "priority", "cpu_request", "memory_request"],
  },
  order: "sorted",
  extraColumns: ["priority"],
  options: OPTIONS,
  resolveOptions: (raw: RawOptions) => camelOptions<GoogleOptions>("google-2011", OPTIONS, raw),
  createMapper: (o) => new GoogleTaskEvents(o),
  nodes: {
    kind: "file",
    describe: "machine_events (headerless: timestamp,machine_id,event_type,platform_id,cpus,memory)",
    layout: { kind: "csv", header: "absent", columns: MACHINE_EVENT_COLUMNS, required: MACHINE_EVENT_COLUMNS },
    createMapper: createGoogleMachineMapper,
  },
};
