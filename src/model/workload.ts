import type { Container } from "../policy/types.ts";

/**
 * A workload held as columns (one typed array per field), in trace order. Resource requests are
 * micro-units; times are seconds. Columns grow while a reader appends rows; `trim()` drops the unused tail.
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
    this.arrival = new Float64Array(capacity);
    this.duration = new Float64Array(capacity);
    this.request = new Float64Array(capacity * 3);
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
    return {
      index: i,
      id: this.ids[i]!,
      arrival: this.arrival[i]!,
      duration: this.duration[i]!,
      cpu: this.request[i * 3]!,
      mem: this.request[i * 3 + 1]!,
      gpu: this.request[i * 3 + 2]!,
      zone: this.zone[i]!,
      priority: this.priority[i]!,
    };
  }

  /** Copies every column to its exact length, so a large trace does not keep up to 2× its size. */
  trim(): void {
    if (this.arrival.length === this.length) return;
    const n = this.length;
    this.arrival = this.arrival.slice(0, n);
    this.duration = this.duration.slice(0, n);
    this.request = this.request.slice(0, n * 3);
    this.zone = this.zone.slice(0, n);
    this.priority = this.priority.slice(0, n);
    this.line = this.line.slice(0, n);
  }

  /** Sorts the containers by arrival, stably (for a trace the user asked to sort). */
  sortByArrival(): void {
    const order = Array.from({ length: this.length }, (_, i) => i);
    order.sort((a, b) => this.arrival[a]! - this.arrival[b]! || a - b);
    const copy = (src: Float64Array | Int32Array, width = 1) => {
      const out = new (src.constructor as Float64ArrayConstructor | Int32ArrayConstructor)(this.length * width);
      order.forEach((from, to) => {
        for (let k = 0; k < width; k++) out[to * width + k] = src[from * width + k]!;
      });
      return out;
    };
    this.ids = order.map((i) => this.ids[i]!);
    this.arrival = copy(this.arrival) as Float64Array;
    this.duration = copy(this.duration) as Float64Array;
    this.request = copy(this.request, 3) as Float64Array;
    this.zone = copy(this.zone) as Int32Array;
    this.priority = copy(this.priority) as Int32Array;
    this.line = copy(this.line) as Int32Array;
  }

  private grow(): void {
    const n = Math.ceil(this.arrival.length * 1.5); // 1.5×: less slack than doubling for huge traces
    const grow64 = (a: Float64Array, w = 1) => { const b = new Float64Array(n * w); b.set(a); return b; };
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

/** A zeroed buffer of `bytes` for columns: a SharedArrayBuffer when `shared`, else an ArrayBuffer. */
export function columnBuffer(bytes: number, shared: boolean): ArrayBuffer | SharedArrayBuffer {
  return shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
}
