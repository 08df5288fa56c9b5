/**
 * A binary min-heap of events keyed by (time, tie), with an integer payload.
 * Keys and payloads live in parallel typed arrays (no object per event); sifting moves a hole
 * instead of swapping. `tie` orders events of equal time: the engine packs (kind priority,
 * sequence number) into it, so equal keys never occur and the order is fully defined.
 */
export class EventQueue {
  private times: Float64Array;
  private ties: Float64Array;
  private payloads: Int32Array;
  private count = 0;

  constructor(initialCapacity = 1024) {
    const n = Math.max(16, initialCapacity);
    this.times = new Float64Array(n);
    this.ties = new Float64Array(n);
    this.payloads = new Int32Array(n);
  }

  get length(): number {
    return this.count;
  }

  clear(): void {
    this.count = 0;
  }

  push(time: number, tie: number, payload: number): void {
    if (this.count === this.times.length) this.grow();
    let i = this.count++;
    const times = this.times, ties = this.ties, payloads = this.payloads;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent]!;
      if (pt < time || (pt === time && ties[parent]! <= tie)) break;
      times[i] = pt;
      ties[i] = ties[parent]!;
      payloads[i] = payloads[parent]!;
      i = parent;
    }
    times[i] = time;
    ties[i] = tie;
    payloads[i] = payload;
  }

  /** Time of the earliest event; Infinity when empty. */
  peekTime(): number {
    return this.count > 0 ? this.times[0]! : Infinity;
  }

  /** Tie key of the earliest event; Infinity when empty. */
  peekTie(): number {
    return this.count > 0 ? this.ties[0]! : Infinity;
  }

  peekPayload(): number {
    if (this.count === 0) throw new Error("peekPayload on an empty event queue");
    return this.payloads[0]!;
  }

  /** Removes the earliest event and returns its payload. */
  pop(): number {
    if (this.count === 0) throw new Error("pop on an empty event queue");
    const top = this.payloads[0]!;
    const last = --this.count;
    if (last > 0) this.siftDownFromRoot(this.times[last]!, this.ties[last]!, this.payloads[last]!, last);
    return top;
  }

  private siftDownFromRoot(time: number, tie: number, payload: number, size: number): void {
    const times = this.times, ties = this.ties, payloads = this.payloads;
    let i = 0;
    const half = size >> 1;
    while (i < half) {
      let child = 2 * i + 1;
      const right = child + 1;
      if (right < size) {
        const ct = times[child]!, rt = times[right]!;
        if (rt < ct || (rt === ct && ties[right]! < ties[child]!)) child = right;
      }
      const ct = times[child]!;
      if (ct > time || (ct === time && ties[child]! >= tie)) break;
      times[i] = ct;
      ties[i] = ties[child]!;
      payloads[i] = payloads[child]!;
      i = child;
    }
    times[i] = time;
    ties[i] = tie;
    payloads[i] = payload;
  }

  private grow(): void {
    const n = this.times.length * 2;
    const times = new Float64Array(n), ties = new Float64Array(n), payloads = new Int32Array(n);
    times.set(this.times);
    ties.set(this.ties);
    payloads.set(this.payloads);
    this.times = times;
    this.ties = ties;
    this.payloads = payloads;
  }
}
