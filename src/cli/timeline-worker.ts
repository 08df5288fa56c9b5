import { parentPort, workerData } from "node:worker_threads";
import { closeSync, openSync, writeSync } from "node:fs";
import { ByteChunks } from "../report/bytes.ts";
import { TIMELINE_HEADER, timelineRowsCsv } from "../report/csv.ts";
import type { TimelineRows } from "../metrics/timeline.ts";

/** What the main thread sends (src/cli/timeline-writer.ts). */
export type TimelineMessage = { open: string } | { rows: TimelineRows } | { close: true };

/** Batches posted and not yet written, shared with the main thread (which waits when too many). */
const inFlight = (workerData as { inFlight: Int32Array }).inFlight;
let fd: number | undefined;
let out = new ByteChunks();
let failure: string | undefined;

function writeAll(bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length;) done += writeSync(fd!, bytes, done, bytes.length - done);
}

// Formats and writes each batch as it comes; a failure is kept and reported at close, and the
// batches after it are dropped (the main thread then discards the run's results).
parentPort!.on("message", (msg: TimelineMessage) => {
  try {
    if ("open" in msg) {
      failure = undefined;
      out = new ByteChunks();
      out.text(TIMELINE_HEADER);
      fd = openSync(msg.open, "w");
    } else if ("rows" in msg) {
      try {
        if (failure === undefined) for (const chunk of timelineRowsCsv(msg.rows, out)) writeAll(chunk);
      } finally {
        Atomics.sub(inFlight, 0, 1);
        Atomics.notify(inFlight, 0);
      }
    } else {
      if (failure === undefined) writeAll(out.take());
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
      parentPort!.postMessage({ closed: true, error: failure });
    }
  } catch (err) {
    failure ??= err instanceof Error ? err.message : String(err);
  }
});
