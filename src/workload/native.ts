import { Workload } from "../model/workload.ts";
import { toMicro } from "../model/resources.ts";
import type { ZoneTable } from "../model/zones.ts";
import { InputError } from "./errors.ts";
import { parseInteger, readNonNegative, readNumber } from "./fields.ts";
import { Header } from "./header.ts";
import { IdIndex } from "./id-index.ts";
import { readCsv } from "./csv-source.ts";

export const WORKLOAD_COLUMNS = ["id", "arrival", "duration", "departure", "cpu", "mem", "gpu", "zone", "priority"] as const;

export interface WorkloadReadOptions {
  /** Sort rows by arrival instead of refusing an out-of-order row. */
  sort?: boolean;
}

/**
 * Builds a Workload from the native CSV's records, one at a time (pure: no I/O, so a browser or a
 * worker can feed it). Checks every field and names file, line and column in its errors.
 */
export class WorkloadBuilder {
  readonly workload = new Workload();
  readonly warnings: string[] = [];
  private header: Header | undefined;
  private cols = { id: -1, arrival: -1, duration: -1, departure: -1, cpu: -1, mem: -1, gpu: -1, zone: -1, priority: -1 };
  /** Rows by container id, to refuse a duplicate. */
  private readonly seen = new IdIndex(this.workload.ids);
  private lastArrival = -Infinity;

  constructor(
    private readonly zones: ZoneTable,
    readonly file?: string,
    private readonly options: WorkloadReadOptions = {},
  ) {}

  add(fields: string[], line: number): void {
    if (!this.header) this.readHeader(fields, line);
    else this.readRow(fields, line);
  }

  /** Ends the input: checks it was not empty, sorts if asked. */
  finish(): Workload {
    if (!this.header) throw new InputError("the file is empty (expected a header line)", this.file, 1);
    if (this.workload.length === 0) throw new InputError("no containers: the file has a header and no rows", this.file, this.header.line);
    this.workload.trim();
    if (this.options.sort) this.workload.sortByArrival();
    return this.workload;
  }

  private readHeader(fields: string[], line: number): void {
    const h = (this.header = new Header(fields, WORKLOAD_COLUMNS, this.file, line));
    for (const name of ["id", "arrival", "cpu", "mem"] as const) this.cols[name] = h.require(name);
    if (!h.has("duration") && !h.has("departure")) h.require("duration", ' or "departure"');
    for (const name of ["duration", "departure", "gpu", "zone", "priority"] as const) this.cols[name] = h.index(name);
    const w = h.warning();
    if (w) this.warnings.push(w);
  }

  private readRow(f: string[], line: number): void {
    const file = this.file, c = this.cols;
    const id = (f[c.id] ?? "").trim();
    if (id === "") throw new InputError("the container id is empty", file, line, "id");
    const earlierRow = this.seen.add(id, this.workload.length);
    const earlier = earlierRow < 0 ? undefined : this.workload.line[earlierRow];
    if (earlier !== undefined) throw new InputError(`duplicate container id: already on line ${earlier}`, file, line, "id", id);
    const arrival = readNumber(f[c.arrival], file, line, "arrival");
    if (arrival < this.lastArrival && !this.options.sort) {
      throw new InputError(`arrival out of order: ${arrival} comes after ${this.lastArrival} (sort the file by arrival, or pass --sort)`, file, line, "arrival", f[c.arrival]);
    }
    this.lastArrival = Math.max(this.lastArrival, arrival);
    const duration = this.readDuration(f, arrival, line);
    const cpu = toMicro(readNonNegative(f[c.cpu], file, line, "cpu"));
    const mem = toMicro(readNonNegative(f[c.mem], file, line, "mem"));
    const gpuText = c.gpu >= 0 ? (f[c.gpu] ?? "").trim() : "";
    const gpu = gpuText === "" ? 0 : toMicro(readNonNegative(gpuText, file, line, "gpu"));
    const zoneText = c.zone >= 0 ? (f[c.zone] ?? "").trim() : "";
    const zone = zoneText === "" ? -1 : this.zoneIndex(zoneText, line);
    const priorityText = c.priority >= 0 ? (f[c.priority] ?? "").trim() : "";
    const priority = priorityText === "" ? 0 : parseInteger(priorityText, { file, line, column: "priority" });
    this.workload.push(id, arrival, duration, cpu, mem, gpu, zone, priority, line);
  }

  /** `duration` wins when a row has both; otherwise departure − arrival, which must not be negative. */
  private readDuration(f: string[], arrival: number, line: number): number {
    const c = this.cols, file = this.file;
    const durationText = c.duration >= 0 ? (f[c.duration] ?? "").trim() : "";
    if (durationText !== "" || c.departure < 0) return readNonNegative(durationText, file, line, "duration");
    const departure = readNumber(f[c.departure], file, line, "departure");
    if (departure < arrival) throw new InputError(`departure ${departure} is before arrival ${arrival}`, file, line, "departure", f[c.departure]);
    return departure - arrival;
  }

  private zoneIndex(name: string, line: number): number {
    if (!this.zones.strict) return this.zones.intern(name);
    const z = this.zones.find(name);
    if (z === undefined) throw new InputError(`unknown zone "${name}": it is not in the zones file`, this.file, line, "zone", name);
    return z;
  }
}

/** Reads a native workload CSV (plain or .csv.gz), streaming. */
export async function readWorkload(path: string, zones: ZoneTable, options: WorkloadReadOptions = {}): Promise<{ workload: Workload; warnings: string[] }> {
  const builder = new WorkloadBuilder(zones, path, options);
  await readCsv(path, (fields, line) => builder.add(fields, line));
  return { workload: builder.finish(), warnings: builder.warnings };
}
