import { Worker } from "node:worker_threads";
import type { TimelineRows } from "../metrics/timeline.ts";
import type { TimelineMessage } from "./timeline-worker.ts";

/** Batches handed over but not yet written, at most: about 2.6 MB each. */
const MAX_IN_FLIGHT = 4;
/** How long one hand-over waits for the writer at most, ms (it only ever stalls if it died). */
const MAX_WAIT_MS = 10_000;

/**
 * Writes timeline.csv in a thread of its own while the simulation runs: `simulate` hands the rows
 * over in batches (`onTimeline`), which are moved (not copied) to the writer thread, formatted and
 * written there. On a machine with two cores or more, formatting the timeline then costs the
 * simulation almost nothing. Memory stays bounded: when MAX_IN_FLIGHT batches wait for the writer
 * (a busy machine), the simulation waits too, on a shared counter (`simulate` runs synchronously,
 * so no event could tell it). One writer serves the policies of a run one after the other. Start
 * it early: the thread takes a moment to load.
 */
export class TimelineWriter {
  /** Batches posted and not yet written; the writer thread counts them down. */
  private readonly inFlight = new Int32Array(new SharedArrayBuffer(4));
  private readonly worker = new Worker(new URL("./timeline-worker.mjs", import.meta.url), { workerData: { inFlight: this.inFlight } });
  private closing: { resolve: () => void; reject: (e: Error) => void } | undefined;
  private crashed: Error | undefined;

  constructor() {
    this.worker.on("message", (msg: { closed: true; error?: string }) => {
      const c = this.closing;
      this.closing = undefined;
      if (msg.error === undefined) c?.resolve();
      else c?.reject(new Error(`cannot write timeline.csv: ${msg.error}`));
    });
    this.worker.on("error", (err) => {
      this.crashed = err;
      this.closing?.reject(err);
    });
  }

  /** Starts a new file (the folder must exist). */
  open(path: string): void {
    this.post({ open: path });
  }

  /** A sink for `simulate`'s `onTimeline`. */
  readonly write = (rows: TimelineRows): void => {
    const deadline = Date.now() + MAX_WAIT_MS;
    for (let n = Atomics.load(this.inFlight, 0); n >= MAX_IN_FLIGHT && Date.now() < deadline; n = Atomics.load(this.inFlight, 0)) {
      Atomics.wait(this.inFlight, 0, n, 100);
    }
    const buffers = [rows.time, rows.cpu, rows.mem, rows.gpu, rows.running, rows.queued].map((c) => c.buffer as ArrayBuffer);
    Atomics.add(this.inFlight, 0, 1);
    this.post({ rows }, buffers);
  };

  /** Writes what is left and closes the file; rejects if anything could not be written. */
  close(): Promise<void> {
    if (this.crashed) return Promise.reject(this.crashed);
    return new Promise((resolve, reject) => {
      this.closing = { resolve, reject };
      this.post({ close: true });
    });
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }

  private post(msg: TimelineMessage, transfer: ArrayBuffer[] = []): void {
    if (this.crashed) throw this.crashed;
    this.worker.postMessage(msg, transfer);
  }
}
