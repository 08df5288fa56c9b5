import type { TimelineRows } from "../metrics/timeline.ts";

/** Index of the "writer thread failed" cell in the shared counters (index 0 counts slots in flight). */
export const DEAD = 1;

/** Rows per timeline slot shared with the writer thread (about 2.6 MB): a simulation's batch. */
export const SLOT_ROWS = 1 << 16;
export const SLOT_BYTES = SLOT_ROWS * (4 * 8 + 2 * 4);

/** The timeline columns of a slot, laid out one after the other in its buffer. */
export function timelineSlot(buffer: SharedArrayBuffer): Omit<TimelineRows, "length"> {
  const n = SLOT_ROWS, f64 = (k: number) => new Float64Array(buffer, k * 8 * n, n);
  return { time: f64(0), cpu: f64(1), mem: f64(2), gpu: f64(3), running: new Int32Array(buffer, 32 * n, n), queued: new Int32Array(buffer, 36 * n, n) };
}
