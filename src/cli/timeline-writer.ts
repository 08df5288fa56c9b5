import { Worker } from "node:worker_threads";
import type { TimelineRows } from "../metrics/timeline.ts";
import type { TimelineMessage } from "./timeline-worker.ts";

/**
 * Writes timeline.csv in a thread of its own while the simulation runs: `simulate` hands the rows
 * over in batches (`onTimeline`), which are moved (not copied) to the writer thread, formatted and
 * written there. On a machine with two cores or more, formatting the timeline then costs the
 * simulation almost nothing, and its memory stays bounded. One writer serves the policies of a run
 * one after the other. Start it early: the thread takes a moment to load.
 */
export class TimelineWriter {
  private readonly worker = new Worker(new URL("./timeline-worker.mjs", import.meta.url));
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
    const buffers = [rows.time, rows.cpu, rows.mem, rows.gpu, rows.running, rows.queued].map((c) => c.buffer as ArrayBuffer);
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
