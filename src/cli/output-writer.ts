import { Worker } from "node:worker_threads";
import type { TimelineRows } from "../metrics/timeline.ts";
import type { Workload } from "../model/workload.ts";
import type { ContainerOutcomes } from "../sim/types.ts";
import { containerColumns } from "../report/csv.ts";
import { encodeIds } from "../report/id-cells.ts";
import type { ClosedMessage, OutputFile, OutputMessage, OutputWorkerData } from "./output-worker.ts";

/** Timeline batches handed over but not yet written, at most: about 2.6 MB each. */
const MAX_IN_FLIGHT = 4;
/** How long one hand-over waits for the writer at most, ms (it only ever stalls if it died). */
const MAX_WAIT_MS = 10_000;

/**
 * Writes a policy's timeline.csv and containers.csv in a thread of its own while the simulation
 * runs, so that on two cores or more formatting them costs the simulation almost nothing:
 * - the timeline: `simulate` hands the rows over in batches (`onTimeline`), which are moved (not
 *   copied) to the writer thread. Memory stays bounded: when MAX_IN_FLIGHT batches wait for the
 *   writer (a busy machine), the simulation waits too, on a shared counter (`simulate` runs
 *   synchronously, so no event could tell it).
 * - containers.csv: the outcome columns live in SharedArrayBuffers (`sharedOutcomes`), and so do
 *   the workload's columns (`shareColumns`); as `simulate` settles containers in trace order
 *   (`onSettled`), the writer formats their rows, reading the columns in place. Only the ids,
 *   as bytes, travel.
 * One writer serves the policies of a run one after the other. Start it early: the thread takes
 * a moment to load.
 */
export class OutputWriter {
  /** Timeline batches posted and not yet written; the writer thread counts them down. */
  private readonly inFlight = new Int32Array(new SharedArrayBuffer(4));
  /**
   * The settled count, also stored atomically before each hand-over: the thread loads it before
   * reading those rows, which makes the main thread's writes to them visible to it by the memory
   * model itself, not only by the message passing in between.
   */
  private readonly settledCount = new Int32Array(new SharedArrayBuffer(4));
  private readonly worker = new Worker(new URL("./output-worker.mjs", import.meta.url), { workerData: { inFlight: this.inFlight, settled: this.settledCount } satisfies OutputWorkerData });
  private readonly closing = new Map<OutputFile, { resolve: () => void; reject: (e: Error) => void }>();
  private crashed: Error | undefined;
  /** containers.csv being written: what is needed to send the settled rows. */
  private containers: { path: string; workload: Workload; nodeCells: string[]; sent: number; opened: boolean } | undefined;

  constructor() {
    this.worker.on("message", (msg: ClosedMessage) => {
      const c = this.closing.get(msg.closed);
      this.closing.delete(msg.closed);
      if (msg.error === undefined) c?.resolve();
      else c?.reject(new Error(`cannot write ${msg.path}: ${msg.error}`));
    });
    this.worker.on("error", (err) => {
      this.crashed = err;
      for (const c of this.closing.values()) c.reject(err);
      this.closing.clear();
    });
  }

  /** Starts a new timeline.csv (its folder must exist). */
  openTimeline(path: string): void {
    this.post({ open: "timeline", path });
  }

  /** A sink for `simulate`'s `onTimeline`. */
  readonly timeline = (rows: TimelineRows): void => {
    const deadline = Date.now() + MAX_WAIT_MS;
    for (let n = Atomics.load(this.inFlight, 0); n >= MAX_IN_FLIGHT && Date.now() < deadline; n = Atomics.load(this.inFlight, 0)) {
      Atomics.wait(this.inFlight, 0, n, 100);
    }
    const buffers = [rows.time, rows.cpu, rows.mem, rows.gpu, rows.running, rows.queued].map((c) => c.buffer as ArrayBuffer);
    Atomics.add(this.inFlight, 0, 1);
    this.post({ rows }, buffers);
  };

  /**
   * Starts a new containers.csv (its folder must exist) for a run of `workload`, whose columns
   * must be shared (`shareColumns`), on nodes whose cells are `nodeCells`. The run is to be made
   * with `sharedOutcomes` and `onSettled: writer.settled`.
   */
  openContainers(path: string, workload: Workload, nodeCells: string[]): void {
    this.containers = { path, workload, nodeCells, sent: 0, opened: false };
  }

  /** A sink for `simulate`'s `onSettled`: hands the newly settled rows over. */
  readonly settled = (settled: number, outcomes: ContainerOutcomes): void => {
    const c = this.containers!;
    if (!c.opened) {
      // The thread reads the columns in place as they fill: copies would go stale.
      const columns = containerColumns(c.workload, outcomes);
      for (const column of [columns.arrival, columns.duration, columns.request, ...Object.values(outcomes) as ArrayBufferView[]]) {
        if (!(column.buffer instanceof SharedArrayBuffer)) throw new Error("OutputWriter.settled needs the outcome and workload columns in SharedArrayBuffers (sharedOutcomes, shareColumns)");
      }
      this.post({ open: "containers", path: c.path, columns, nodeCells: c.nodeCells });
      c.opened = true;
    }
    const ids = encodeIds(c.workload.ids, c.sent, settled);
    c.sent = settled;
    Atomics.store(this.settledCount, 0, settled);
    this.post({ settled, ids }, [ids.bytes.buffer as ArrayBuffer, ids.ends.buffer as ArrayBuffer]);
  };

  /** Writes what is left of a file and closes it; rejects if anything could not be written. */
  close(file: OutputFile): Promise<void> {
    if (this.crashed) return Promise.reject(this.crashed);
    if (file === "containers") {
      // A run that failed before settling anything never opened the file: nothing to close.
      const c = this.containers;
      this.containers = undefined;
      if (c && !c.opened) return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      this.closing.set(file, { resolve, reject });
      this.post({ close: file });
    });
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }

  private post(msg: OutputMessage, transfer: ArrayBuffer[] = []): void {
    if (this.crashed) throw this.crashed;
    this.worker.postMessage(msg, transfer);
  }
}

/**
 * Moves the workload's columns that containers.csv reads into SharedArrayBuffers, unless they are
 * there already, so that a writer thread reads them in place instead of being sent a copy.
 */
export function shareColumns(workload: Workload): void {
  const shared = <T extends Float64Array>(a: T): T => {
    if (a.buffer instanceof SharedArrayBuffer) return a;
    const b = new Float64Array(new SharedArrayBuffer(a.byteLength));
    b.set(a);
    return b as T;
  };
  workload.arrival = shared(workload.arrival);
  workload.duration = shared(workload.duration);
  workload.request = shared(workload.request);
}
