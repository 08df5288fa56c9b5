import type { Container } from "../policy/types.ts";

/**
 * A workload held as columns (one typed array per field), in trace order. Resource requests are
 * micro-units; times are seconds. Columns grow while a reader appends rows; `trim()` drops the unused tail.
 * The arrival, duration and request columns, which containers.csv reads, are always made with
 * `shareableFloat64`, so a writer thread can read them in place (see src/cli/output-writer.ts).
 */
export class Workload {
  ids: string[] = [];
  arrival: Float64Array;
  duration: Float64Array;
  /** Requests packed per container: [cpu, mem, gpu] at 3·i, micro-units. */
  request: Float64Array;
  /** Zone index in the zone table; -1 for none. */
  zone: Int32Array;
  priority: Int32Array;
  /** Source line of each row (1-based, header is line 1), for error messages; 0 when built in code. */
  line: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.arrival = shareableFloat64(capacity);
    this.duration = shareableFloat64(capacity);
    this.request = shareableFloat64(capacity * 3);
    this.zone = new Int32Array(capacity);
    this.priority = new Int32Array(capacity);
    this.line = new Int32Array(capacity);
  }

  /** Appends one container; amounts in micro-units. Returns its index. */
  push(id: string, arrival: number, duration: number, cpu: number, mem: number, gpu: number, zone = -1, priority = 0, line = 0): number {
    if (this.length === this.arrival.length) this.grow();
    const i = this.length++;
    this.ids.push(id);
    this.arrival[i] = arrival;
    this.duration[i] = duration;
    this.request[i * 3] = cpu;
    this.request[i * 3 + 1] = mem;
    this.request[i * 3 + 2] = gpu;
    this.zone[i] = zone;
    this.priority[i] = priority;
    this.line[i] = line;
    return i;
  }

  /** Container i as a policy sees it. */
  container(i: number): Container {
    return new ContainerRecord(i, this.ids[i]!, this.arrival[i]!, this.duration[i]!, this.request[i * 3]!, this.request[i * 3 + 1]!, this.request[i * 3 + 2]!, this.zone[i]!, this.priority[i]!);
  }

  /** Copies every column to its exact length, so a large trace does not keep up to 2× its size. */
  trim(): void {
    if (this.arrival.length === this.length) return;
    const n = this.length;
    this.arrival = shareableCopy(this.arrival, n);
    this.duration = shareableCopy(this.duration, n);
    this.request = shareableCopy(this.request, n * 3);
    this.zone = this.zone.slice(0, n);
    this.priority = this.priority.slice(0, n);
    this.line = this.line.slice(0, n);
  }

  /** Sorts the containers by arrival, stably (for a trace the user asked to sort). */
  sortByArrival(): void {
    const order = Array.from({ length: this.length }, (_, i) => i);
    order.sort((a, b) => this.arrival[a]! - this.arrival[b]! || a - b);
    const copy = <T extends Float64Array | Int32Array>(src: T, out: T, width = 1): T => {
      order.forEach((from, to) => {
        for (let k = 0; k < width; k++) out[to * width + k] = src[from * width + k]!;
      });
      return out;
    };
    const n = this.length;
    this.ids = order.map((i) => this.ids[i]!);
    this.arrival = copy(this.arrival, shareableFloat64(n));
    this.duration = copy(this.duration, shareableFloat64(n));
    this.request = copy(this.request, shareableFloat64(3 * n), 3);
    this.zone = copy(this.zone, new Int32Array(n));
    this.priority = copy(this.priority, new Int32Array(n));
    this.line = copy(this.line, new Int32Array(n));
  }

  private grow(): void {
    const n = Math.max(16, Math.ceil(this.arrival.length * 1.5)); // 1.5×: less slack than doubling for huge traces (from 0, 16)
    const grow64 = (a: Float64Array, w = 1) => shareableCopy(a, n * w);
    const grow32 = (a: Int32Array) => { const b = new Int32Array(n); b.set(a); return b; };
    this.arrival = grow64(this.arrival);
    this.duration = grow64(this.duration);
    this.request = grow64(this.request, 3);
    this.zone = grow32(this.zone);
    this.priority = grow32(this.priority);
    this.line = grow32(this.line);
  }
}

/**
 * A Float64Array for a column that a worker thread may read while the run goes on (the CLI's
 * containers.csv writer): in a SharedArrayBuffer where there is one, so that handing it to the
 * thread shares it instead of copying; else (a browser page that is not cross-origin isolated) in
 * an ordinary buffer.
 */
export function shareableFloat64(length: number): Float64Array {
  return new Float64Array(columnBuffer(8 * length, typeof SharedArrayBuffer === "function"));
}

/** The first `length` values of a column (zeros beyond its end) in a new shareable column. */
function shareableCopy(column: Float64Array, length: number): Float64Array {
  const copy = shareableFloat64(length);
  copy.set(column.length > length ? column.subarray(0, length) : column);
  return copy;
}

/** A zeroed buffer of `bytes` for columns: a SharedArrayBuffer when `shared`, else an ArrayBuffer. */
export function columnBuffer(bytes: number, shared: boolean): ArrayBuffer | SharedArrayBuffer {
  return shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
}

/**
 * Container i as handed to a policy: a class rather than an object literal, because V8 may
 * "pretenure" a literal's allocation site (allocate all its later objects in the old generation)
 * once it has seen many of them survive a scavenge, e.g. a burst of arrivals waiting in the queue
 * at the start of a run. Every later container then became old-generation garbage, collected by
 * full mark-compacts: runs 1.7-2x slower, depending on timing (600k containers on 100 nodes,
 * nearest: 2.25-2.42 against 1.35-1.44 µs per container, 7 mark-compacts against 3). Objects made
 * by `new` are not pretenured that way. Its own fields are the literal's, in the same order, so a
 * spread, JSON or Object.keys sees the same.
 */
class ContainerRecord implements Container {
  // Declared, not defined: only the constructor's plain stores make the fields (a class field
  // definition per field would cost more than the literal did).
  declare readonly index: number;
  declare readonly id: string;
  declare readonly arrival: number;
  declare readonly duration: number;
  declare readonly cpu: number;
  declare readonly mem: number;
  declare readonly gpu: number;
  declare readonly zone: number;
  declare readonly priority: number;

  constructor(index: number, id: string, arrival: number, duration: number, cpu: number, mem: number, gpu: number, zone: number, priority: number) {
    this.index = index;
    this.id = id;
    this.arrival = arrival;
    this.duration = duration;
    this.cpu = cpu;
    this.mem = mem;
    this.gpu = gpu;
    this.zone = zone;
    this.priority = priority;
  }
}
