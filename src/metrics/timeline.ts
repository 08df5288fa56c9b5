/**
 * Allocation (micro-units), running and queued counts after each timestamp's events, in growable
 * typed columns: one row per timestamp at which something changed.
 */
export class Timeline {
  time = new Float64Array(1024);
  cpu = new Float64Array(1024);
  mem = new Float64Array(1024);
  gpu = new Float64Array(1024);
  running = new Float64Array(1024);
  queued = new Float64Array(1024);
  length = 0;

  record(now: number, allocated: readonly number[], running: number, queued: number): void {
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

  private grow(): void {
    const n = this.time.length * 2;
    for (const key of ["time", "cpu", "mem", "gpu", "running", "queued"] as const) {
      const next = new Float64Array(n);
      next.set(this[key]);
      this[key] = next;
    }
  }
}
