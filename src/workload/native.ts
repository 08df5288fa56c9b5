import type { Workload } from "../model/workload.ts";
import { toMicro } from "../model/resources.ts";
import type { ZoneTable } from "../model/zones.ts";
import { InputError } from "./errors.ts";
import { boundedAmount, boundedTime, MAX_AMOUNT, MAX_TIME, parseInteger, readNonNegative, readNumber } from "./fields.ts";
import { Header } from "./header.ts";
import { firstDuplicate, idHash } from "./duplicate-ids.ts";
import { RowBlocks, type ColumnMemorySink } from "./row-blocks.ts";
import { scanCsv } from "./csv-source.ts";
import { StringFields, type RowFields } from "./csv-scanner.ts";

export const WORKLOAD_COLUMNS = ["id", "arrival", "duration", "departure", "cpu", "mem", "gpu", "zone", "priority"] as const;

/** The numeric columns, in the order of WorkloadBuilder.numeric. */
const NUMERIC = ["arrival", "duration", "departure", "cpu", "mem", "gpu", "priority"] as const;
const [ARRIVAL, DURATION, DEPARTURE, CPU, MEM, GPU, PRIORITY] = [0, 1, 2, 3, 4, 5, 6] as const;

export interface WorkloadReadOptions {
  /** Sort rows by arrival instead of refusing an out-of-order row. */
  sort?: boolean;
  /** Told the bytes read so far and the file's size, as reading goes (see ScanOptions). */
  onProgress?: (bytes: number, size: number) => void;
  /**
   * Told of regions (bytes [from, to)) of the shared buffers of the workload's columns a window of
   * rows before rows are written there (see RowBlocks): the CLI has its idle writer thread touch
   * those pages first, since first touches of fresh memory are slow (on a VM, about 2.5 ms a
   * megabyte), and the reader then finds them mapped.
   */
  onColumnMemory?: ColumnMemorySink;
}

/**
 * Builds a Workload from the native CSV's records, one at a time (pure: no I/O, so a browser or a
 * worker can feed it). Checks every field and names file, line and column in its errors. After an
 * error the builder is spent.
 *
 * Duplicate ids are looked for once, at the end (firstDuplicate), yet reported exactly as a
 * row-by-row check would: an error in a row first looks for a duplicate among the ids up to that
 * row's, and so does `fail` for an error of the input itself (a reader calls it).
 */
export class WorkloadBuilder {
  readonly warnings: string[] = [];
  private header: Header | undefined;
  private cols = { id: -1, arrival: -1, duration: -1, departure: -1, cpu: -1, mem: -1, gpu: -1, zone: -1, priority: -1 };
  /** The id of the row being read, once read. */
  private current: string | undefined;
  private readonly rows: RowBlocks;
  /** The ids of rows[0 … checked) hold no duplicate. */
  private checked = 0;
  /** The line of the row being read. */
  private line = 0;
  private lastArrival = -Infinity;
  private readonly strings = new StringFields();
  /** Field index of each NUMERIC column (-1 when absent), and a row's values read from them. */
  private readonly numeric = new Int32Array(NUMERIC.length).fill(-1);
  private readonly values = new Float64Array(NUMERIC.length);
  /** The row being appended, as RowBlocks.push takes it. */
  private readonly row = new Float64Array(8);

  constructor(
    private readonly zones: ZoneTable,
    readonly file?: string,
    private readonly options: WorkloadReadOptions = {},
  ) {
    this.rows = new RowBlocks(options.onColumnMemory);
  }

  /** Adds one record given as strings (the header first). */
  add(fields: string[], line: number): void {
    this.strings.fields = fields;
    this.addRow(this.strings, line);
  }

  /** Adds one row as a CsvScanner hands it over (plain rows as bytes, without a string per field). */
  addRow(fields: RowFields, line: number): void {
    if (!this.header) return this.readHeader(fields.strings(), line);
    this.line = line;
    this.current = undefined;
    try {
      this.readRow(fields, line);
      fields.checkWidth();
    } catch (err) {
      // What a row-by-row reader meets first: a duplicate id on an earlier row, a wrong field
      // count, a duplicate of this row's id, then this row's own error.
      this.checkIds();
      fields.checkWidth();
      if (this.current !== undefined) this.checkIds(this.current);
      throw err;
    }
    this.rows.push(this.current!, idHash(this.current!), this.row);
  }

  /**
   * The input failed with `err` after the rows given so far: throws what a row-by-row reader
   * would have met first, a duplicate id among those rows, else `err`.
   */
  fail(err: unknown): never {
    this.checkIds();
    throw err;
  }

  /** Ends the input: checks it was not empty, sorts if asked. */
  finish(): Workload {
    if (!this.header) throw new InputError("the file is empty (expected a header line)", this.file, 1);
    if (this.rows.length === 0) throw new InputError("no containers: the file has a header and no rows", this.file, this.header.line);
    const ids = this.rows.allIds();
    this.checkIds(undefined, ids, this.rows.allIdHashes());
    const workload = this.rows.toWorkload(ids);
    if (this.options.sort) workload.sortByArrival();
    return workload;
  }

  /**
   * Throws for the first row whose id an earlier row holds, among the rows so far (`ids` and their
   * `hashes`, when the caller has them at hand) and then `next`, the id of the row being read.
   */
  private checkIds(next?: string, ids?: string[], hashes?: Int32Array): void {
    if (this.checked === this.rows.length && next === undefined) return;
    const all = ids ?? this.rows.allIds();
    const d = next === undefined ? firstDuplicate(all, hashes) : firstDuplicate([...all, next]);
    if (!d) {
      this.checked = this.rows.length;
      return;
    }
    const line = d.row < this.rows.length ? this.rows.line(d.row) : this.line;
    throw new InputError(`duplicate container id: already on line ${this.rows.line(d.earlier)}`, this.file, line, "id", d.row < all.length ? all[d.row] : next);
  }

  /** Makes room at once for about `rows` rows (a reader's estimate, before the first row). */
  expect(rows: number): void {
    this.rows.expect(rows);
  }

  private readHeader(fields: string[], line: number): void {
    const h = (this.header = new Header(fields, WORKLOAD_COLUMNS, this.file, line));
    for (const name of ["id", "arrival", "cpu", "mem"] as const) this.cols[name] = h.require(name);
    if (!h.has("duration") && !h.has("departure")) h.require("duration", ' or "departure"');
    for (const name of ["duration", "departure", "gpu", "zone", "priority"] as const) this.cols[name] = h.index(name);
    NUMERIC.forEach((name, j) => (this.numeric[j] = this.cols[name]));
    const w = h.warning();
    if (w) this.warnings.push(w);
  }

  private readRow(f: RowFields, line: number): void {
    const file = this.file, c = this.cols, v = this.values;
    const id = f.trimmed(c.id);
    if (id === "") throw new InputError("the container id is empty", file, line, "id");
    this.current = id;
    // Plain decimals straight from the bytes; any other field through the string helpers, which
    // give a plain decimal the same value and name the site of every error. Same order as ever.
    f.decimals(this.numeric, v);
    let arrival = v[ARRIVAL]!;
    if (arrival !== arrival) arrival = readNumber(f.text(c.arrival), file, line, "arrival");
    if (arrival < this.lastArrival && !this.options.sort) {
      throw new InputError(`arrival out of order: ${arrival} comes after ${this.lastArrival} (sort the file by arrival, or pass --sort)`, file, line, "arrival", f.text(c.arrival));
    }
    this.lastArrival = Math.max(this.lastArrival, arrival);
    let duration = v[DURATION]!;
    if (!(duration >= 0)) duration = this.readDuration(f, arrival, line);
    let cpu = v[CPU]!, mem = v[MEM]!, gpu = v[GPU]!, priority = v[PRIORITY]!;
    if (!(cpu >= 0)) cpu = readNonNegative(f.text(c.cpu), file, line, "cpu");
    if (!(mem >= 0)) mem = readNonNegative(f.text(c.mem), file, line, "mem");
    if (!(gpu >= 0)) gpu = f.blank(c.gpu) ? 0 : readNonNegative(f.text(c.gpu), file, line, "gpu");
    // One comparison for the common case; the site only when something is out of range.
    if (arrival > MAX_TIME || arrival < -MAX_TIME || duration > MAX_TIME || cpu > MAX_AMOUNT || mem > MAX_AMOUNT || gpu > MAX_AMOUNT) this.outOfRange(f, line, arrival, duration, cpu, mem, gpu);
    const zone = f.blank(c.zone) ? -1 : this.zoneIndex(f.trimmed(c.zone), line);
    if (!Number.isInteger(priority)) priority = f.blank(c.priority) ? 0 : parseInteger(f.text(c.priority), { file, line, column: "priority" });
    const row = this.row;
    row[0] = arrival;
    row[1] = duration;
    row[2] = toMicro(cpu);
    row[3] = toMicro(mem);
    row[4] = toMicro(gpu);
    row[5] = zone;
    row[6] = priority;
    row[7] = line;
  }

  /** Throws the error of the first field above its bound (see MAX_TIME, MAX_AMOUNT). */
  private outOfRange(f: RowFields, line: number, arrival: number, duration: number, cpu: number, mem: number, gpu: number): never {
    const c = this.cols, file = this.file;
    const site = (column: string) => ({ file, line, column });
    if (arrival > MAX_TIME || arrival < -MAX_TIME) boundedTime(arrival, site("arrival"), f.text(c.arrival));
    if (duration > MAX_TIME) {
      // A duration may come from departure − arrival (each within the bounds, see readDuration).
      if (f.blank(c.duration) && c.departure >= 0) {
        throw new InputError(`departure − arrival = ${duration} s is above ${MAX_TIME} s, the longest duration schedsim accepts`, file, line, "departure", f.text(c.departure));
      }
      boundedTime(duration, site("duration"), f.text(c.duration));
    }
    if (cpu > MAX_AMOUNT) boundedAmount(cpu, site("cpu"), f.text(c.cpu));
    if (mem > MAX_AMOUNT) boundedAmount(mem, site("mem"), f.text(c.mem));
    boundedAmount(gpu, site("gpu"), f.text(c.gpu));
    throw new Error("outOfRange: no field is out of range");
  }

  /** `duration` wins when a row has both; otherwise departure − arrival, which must not be negative. */
  private readDuration(f: RowFields, arrival: number, line: number): number {
    const c = this.cols, file = this.file;
    if (!f.blank(c.duration) || c.departure < 0) return readNonNegative(f.text(c.duration), file, line, "duration");
    let departure = this.values[DEPARTURE]!;
    if (departure !== departure) departure = readNumber(f.text(c.departure), file, line, "departure");
    if (departure > MAX_TIME) boundedTime(departure, { file, line, column: "departure" }, f.text(c.departure));
    if (departure < arrival) throw new InputError(`departure ${departure} is before arrival ${arrival}`, file, line, "departure", f.text(c.departure));
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
  try {
    await scanCsv(path, (fields, line) => builder.addRow(fields, line), { onEstimate: (lines) => builder.expect(lines), onProgress: options.onProgress });
  } catch (err) {
    builder.fail(err);
  }
  return { workload: builder.finish(), warnings: builder.warnings };
}
