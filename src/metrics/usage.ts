import { Timeline, type TimelineSink } from "./timeline.ts";

export { Timeline };

/**
 * Time-weighted allocation: the integral of allocated amount over time per resource, its peak,
 * and a timeline of the allocation (one row per timestamp: the state after that time's events).
 *
 * The utilisation window is [first arrival, last departure processed]. Allocation changes after
 * the last departure (starts near a horizon) must not count, so the integral is snapshotted at
 * every departure and the snapshot is what `utilisation` uses.
 */
export class UsageTracker {
  /** Allocated now, micro-units, [cpu, mem, gpu]. */
  readonly allocated = [0, 0, 0];
  readonly peak = [0, 0, 0];
  private readonly integral = [0, 0, 0];
  private readonly integralAtLastDeparture = [0, 0, 0];
  private last: number;
  lastDeparture = NaN;
  readonly timeline: Timeline | undefined;

  constructor(
    readonly start: number,
    private readonly capacity: readonly number[],
    recordTimeline: boolean,
    /** Rows the timeline is sized for at first (one per event at most). */
    expectedRows = 1024,
    /** Where the timeline's rows go in batches, instead of being kept. */
    sink?: TimelineSink,
  ) {
    this.last = start;
    this.timeline = recordTimeline ? new Timeline(expectedRows, sink) : undefined;
  }

  private advance(now: number): void {
    const dt = now - this.last;
    if (dt > 0) {
      for (let k = 0; k < 3; k++) this.integral[k]! += this.allocated[k]! * dt;
      this.last = now;
    }
  }

  started(now: number, cpu: number, mem: number, gpu: number): void {
    this.advance(now);
    this.allocated[0]! += cpu;
    this.allocated[1]! += mem;
    this.allocated[2]! += gpu;
    for (let k = 0; k < 3; k++) {
      const cap = this.capacity[k]!;
      if (cap > 0) this.peak[k] = Math.max(this.peak[k]!, this.allocated[k]! / cap);
    }
  }

  ended(now: number, cpu: number, mem: number, gpu: number): void {
    this.advance(now);
    this.allocated[0]! -= cpu;
    this.allocated[1]! -= mem;
    this.allocated[2]! -= gpu;
    for (let k = 0; k < 3; k++) this.integralAtLastDeparture[k] = this.integral[k]!;
    this.lastDeparture = now;
  }

  /** A running container's allocation is released without a departure (killed by a node failure). */
  released(now: number, cpu: number, mem: number, gpu: number): void {
    this.advance(now);
    this.allocated[0]! -= cpu;
    this.allocated[1]! -= mem;
    this.allocated[2]! -= gpu;
  }

  /** ∫ allocated dt / (capacity · window), per resource; 0 for an empty window or no capacity. */
  utilisation(): [number, number, number] {
    const window = this.lastDeparture - this.start;
    const u: [number, number, number] = [0, 0, 0];
    if (!(window > 0)) return u;
    for (let k = 0; k < 3; k++) {
      const cap = this.capacity[k]!;
      if (cap > 0) u[k] = this.integralAtLastDeparture[k]! / (cap * window);
    }
    return u;
  }
}

