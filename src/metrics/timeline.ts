/** Rows of the timeline as columns: the Timeline itself, or a batch of it handed to a sink. */
export interface TimelineRows {
  readonly time: Float64Array;
  readonly cpu: Float64Array;
  readonly mem: Float64Array;
  readonly gpu: Float64Array;
  readonly running: Int32Array;
  readonly queued: Int32Array;
  readonly length: number;
}

/**
 * Receives final timeline rows in order, a batch at a time. The arrays are views of the timeline's
 * own buffers, valid during the call only: a sink that keeps rows copies them (so the timeline
 * reuses its buffers instead of making new ones for every batch).
 */
export type TimelineSink = (rows: TimelineRows) => void;

/** Rows per batch handed to a sink. */
const BATCH_ROWS = 1 << 16;

/**
 * Allocation (micro-units), running and queued counts after each timestamp's events, in typed
 * columns: one row per timestamp at which something changed.
 *
 * With a sink, the rows are not kept: each full batch of final rows is handed over (the last two
 * rows stay, since a later event at the same time may still replace or fold them), and `finish()`
 * hands over the rest. Memory then stays bounded whatever the length of the run.
 *
 * Sized up front for the rows a run can make (`expectedRows`: one per event at most), so that a
 * long run never copies its columns to grow them. The operating system backs a large zeroed
 * buffer with memory only where it is written, so the unused tail costs address space, not RAM.
 * Runs with more rows than expected (node failures add events) grow by doubling.
 */
export class Timeline {
  time: Float64Array;
  cpu: Float64Array;
  mem: Float64Array;
  gpu: Float64Array;
  running: Int32Array;
  queued: Int32Array;
  length = 0;

  constructor(expectedRows = 1024, private readonly sink?: TimelineSink) {
    const n = sink ? BATCH_ROWS : Math.max(16, expectedRows);
    this.time = new Float64Array(n);
    this.cpu = new Float64Array(n);
    this.mem = new Float64Array(n);
    this.gpu = new Float64Array(n);
    this.running = new Int32Array(n);
    this.queued = new Int32Array(n);
  }

  record(now: number, allocated: readonly number[], running: number, queued: number): void {
    if (this.sink && this.length === this.time.length) this.flush(2);
    let i = this.length - 1;
    if (i >= 0 && this.time[i] === now) i--; // a later event of the same timestamp replaces the row
    if (i >= 0 && this.cpu[i] === allocated[0] && this.mem[i] === allocated[1] && this.gpu[i] === allocated[2] && this.running[i] === running && this.queued[i] === queued) {
      this.length = i + 1; // back to the state of the previous row: nothing changed at this time
      return;
    }
    const row = i + 1;
    if (row === this.time.length) this.grow();
    this.time[row] = now;
    this.cpu[row] = allocated[0]!;
    this.mem[row] = allocated[1]!;
    this.gpu[row] = allocated[2]!;
    this.running[row] = running;
    this.queued[row] = queued;
    this.length = row + 1;
  }

  /** Hands every row still held to the sink (at the end of a run); without a sink, does nothing. */
  finish(): void {
    if (this.sink) this.flush(0);
  }

  /** Hands all rows but the last `keep` to the sink, and moves those to the front. */
  private flush(keep: number): void {
    const m = this.length - keep;
    if (m <= 0) return;
    this.sink!({
      time: this.time.subarray(0, m), cpu: this.cpu.subarray(0, m), mem: this.mem.subarray(0, m), gpu: this.gpu.subarray(0, m),
      running: this.running.subarray(0, m), queued: this.queued.subarray(0, m), length: m,
    });
    for (const column of [this.time, this.cpu, this.mem, this.gpu, this.running, this.queued]) column.copyWithin(0, m, this.length);
    this.length = keep;
  }

  private grow(): void {
    const n = this.time.length * 2;
    const grow64 = (a: Float64Array) => { const b = new Float64Array(n); b.set(a); return b; };
    const grow32 = (a: Int32Array) => { const b = new Int32Array(n); b.set(a); return b; };
    this.time = grow64(this.time);
    this.cpu = grow64(this.cpu);
    this.mem = grow64(this.mem);
    this.gpu = grow64(this.gpu);
    this.running = grow32(this.running);
    this.queued = grow32(this.queued);
  }
}
