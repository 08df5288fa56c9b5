import { EventQueue } from "./event-queue.ts";

/** Handles one event of a kind; `payload` is whatever integer was scheduled with it. */
export type EventHandler = (payload: number) => void;

/**
 * A stream of events that are already in time order (such as arrivals read from a sorted
 * trace). The engine merges it with the heap instead of pushing every future event into it.
 */
export interface EventStream {
  /** Time of the next event, Infinity when exhausted. */
  peekTime(): number;
  /** Consumes and handles the next event. */
  fire(): void;
}

const SEQ_SPAN = 2 ** 44; // sequence numbers per kind before the packed tie key would lose exactness

/**
 * A discrete-event engine that knows nothing of what it simulates.
 *
 * Events are ordered by (time, kind priority, sequence number): at one time, a lower kind
 * priority goes first, and events of one kind keep the order they were scheduled in. Streams
 * take part in the same order with their own kind priority; at equal (time, priority) the heap's
 * event goes before the stream's.
 */
export class Engine {
  /** The simulated clock, seconds. */
  now = 0;
  /** Events processed so far. */
  processed = 0;
  private readonly heap = new EventQueue();
  private readonly handlers: EventHandler[] = [];
  private readonly streams: { priority: number; stream: EventStream }[] = [];
  private seq = 0;

  /** Registers the handler of events of a kind; lower priority runs first at equal times. */
  on(priority: number, handler: EventHandler): void {
    if (!Number.isInteger(priority) || priority < 0 || priority > 255) throw new RangeError(`kind priority must be an integer 0..255, got ${priority}`);
    this.handlers[priority] = handler;
  }

  /** Adds an ordered stream of events of a kind. */
  addStream(priority: number, stream: EventStream): void {
    this.streams.push({ priority, stream });
    this.streams.sort((a, b) => a.priority - b.priority);
  }

  /** Schedules an event `delay` seconds from now. Negative or non-finite delays are refused. */
  schedule(delay: number, priority: number, payload: number): void {
    if (!(delay >= 0) || delay === Infinity) throw new RangeError(`negative or invalid delay ${delay}`);
    this.scheduleAt(this.now + delay, priority, payload);
  }

  /** Schedules an event at an absolute time, not before now. */
  scheduleAt(time: number, priority: number, payload: number): void {
    if (!(time >= this.now) || time === Infinity) throw new RangeError(`event at ${time} is before now (${this.now}) or invalid`);
    if (this.handlers[priority] === undefined) throw new RangeError(`no handler for kind priority ${priority}`);
    this.heap.push(time, priority * SEQ_SPAN + this.seq++, payload);
  }

  /** Time of the next event from the heap or any stream; Infinity when there is none. */
  peek(): number {
    let t = this.heap.peekTime();
    for (const s of this.streams) t = Math.min(t, s.stream.peekTime());
    return t;
  }

  /** Processes the next event. Returns false when there was none. */
  step(): boolean {
    return this.next(Infinity);
  }

  /** Processes events until none is left or the next one is after `until` (events at `until` run). */
  run(until = Infinity): void {
    while (this.next(until)) {
      /* keep stepping */
    }
  }

  /**
   * Processes at most `budget` events at or before `until`; true when it stopped for the budget
   * (there may be more), false when none is left. In slices, a caller can give its thread back
   * between them (to hear a Ctrl-C) with the same events in the same order as one `run`.
   */
  runFor(budget: number, until = Infinity): boolean {
    for (let k = 0; k < budget; k++) if (!this.next(until)) return false;
    return true;
  }

  /** Processes the next event if there is one at or before `until`; returns whether it did. */
  private next(until: number): boolean {
    const heap = this.heap;
    let time = heap.peekTime();
    let priority = time === Infinity ? Infinity : Math.floor(heap.peekTie() / SEQ_SPAN);
    let chosen: EventStream | undefined;
    const streams = this.streams;
    for (let k = 0; k < streams.length; k++) {
      const s = streams[k]!;
      const st = s.stream.peekTime();
      if (st < time || (st === time && st !== Infinity && s.priority < priority)) {
        time = st;
        priority = s.priority;
        chosen = s.stream;
      }
    }
    if (time === Infinity || time > until) return false;
    this.now = time;
    this.processed++;
    if (chosen) chosen.fire();
    else this.handlers[priority]!(heap.pop());
    return true;
  }
}
