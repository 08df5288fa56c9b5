import { Worker } from "node:worker_threads";
import type { TimelineRows } from "../metrics/timeline.ts";
import type { Workload } from "../model/workload.ts";
import type { ContainerOutcomes } from "../sim/types.ts";
import { containerColumns } from "../report/csv.ts";
import { encodeIds, type IdBytes } from "../report/id-cells.ts";
import { DEAD, SLOT_BYTES, SLOT_ROWS, timelineSlot } from "./timeline-slots.ts";
import type { ClosedMessage, OutputFile, OutputMessage, OutputWorkerData } from "./output-worker.ts";

/** Timeline slots shared with the writer thread: batches handed over but not yet written, at most. */
const SLOTS = 4;
/**
 * How long one hand-over waits for a free slot at most, ms. A slot takes the writer milliseconds;
 * it stalls only if the disk hung, and then the run stops rather than hang (a thread that failed
 * says so at once).
 */
const MAX_WAIT_MS = 60_000;

/**
 * Writes a policy's timeline.csv and containers.csv in a thread of its own while the simulation
 * runs, so that on two cores or more formatting them costs the simulation almost nothing:
 * - the timeline: `simulate` hands the rows over in batches (`onTimeline`), which are copied into
 *   a ring of SLOTS buffers shared with the writer thread. Batches moved to the thread instead
 *   were garbage there, and a thread that makes few objects seldom collects: across several
 *   policies they piled up to over 100 MB. When every slot waits for the writer (a busy
 *   machine), the simulation waits too, on a shared counter (`simulate` runs synchronously, so no
 *   event could tell it).
 * - containers.csv: the outcome columns live in SharedArrayBuffers (`createOutcomes(n, true)`), and so do
 *   the workload's columns (Workload makes them shareable); as `simulate` settles containers in trace order
 *   (`onSettled`), the writer formats their rows, reading the columns in place; the ids go over
 *   once, as bytes in shared memory too.
 * One writer serves the policies of a run one after the other. Start it early: the thread takes
 * a moment to load.
 */
export class OutputWriter {
  /**
   * [0]: timeline slots posted and not yet written (the writer thread counts them down);
   * [DEAD]: set by the thread when it fails outside a file's own error handling, so that a
   * simulation waiting for a slot stops at once (no event can reach it while it runs).
   */
  private readonly inFlight = new Int32Array(new SharedArrayBuffer(8));
  private readonly slotBuffers = Array.from({ length: SLOTS }, () => new SharedArrayBuffer(SLOT_BYTES));
  private readonly slots = this.slotBuffers.map(timelineSlot);
  /** The slot the next batch goes to (slots are filled and written in turn). */
  private nextSlot = 0;
  /**
   * The settled count, also stored atomically before each hand-over: the thread loads it before
   * reading those rows, which makes the main thread's writes to them visible to it by the memory
   * model itself, not only by the message passing in between.
   */
  private readonly settledCount = new Int32Array(new SharedArrayBuffer(4));
  private readonly worker = new Worker(new URL("./output-worker.mjs", import.meta.url), {
    workerData: { inFlight: this.inFlight, settled: this.settledCount, slots: this.slotBuffers } satisfies OutputWorkerData,
  });
  private readonly closing = new Map<OutputFile, { resolve: () => void; reject: (e: Error) => void }>();
  private crashed: Error | undefined;
  /** containers.csv being written: what is needed to open it at the run's first settled rows. */
  private containers: { path: string; workload: Workload; nodeCells: string[]; opened: boolean } | undefined;
  /** The ids of the last workload written, as shared bytes: every policy of a run reuses them. */
  private ids: { workload: Workload; bytes: IdBytes } | undefined;

  constructor() {
    this.worker.on("message", (msg: ClosedMessage) => {
      const c = this.closing.get(msg.closed);
      this.closing.delete(msg.closed);
      if (msg.error === undefined) c?.resolve();
      else c?.reject(new Error(`cannot write ${msg.path}: ${msg.error}`));
    });
    this.worker.on("error", (err) => this.fail(err));
  }

  /**
   * Has the thread touch every page of bytes [from, to) of a fresh buffer, so that whoever writes
   * there next finds the pages mapped: on a VM a first touch costs about 2.5 ms a megabyte, which
   * the thread, idle while the inputs are read, pays instead. It adds 0 atomically to one word per
   * page, which never changes what another thread writes there.
   */
  readonly touch = (buffer: SharedArrayBuffer, from = 0, to = buffer.byteLength): void => {
    this.post({ touch: buffer, from, to });
  };

  /** Starts a new timeline.csv (its folder must exist). */
  openTimeline(path: string): void {
    this.post({ open: "timeline", path });
  }

  /** A sink for `simulate`'s `onTimeline`. */
  readonly timeline = (rows: TimelineRows): void => {
    for (let from = 0; from < rows.length; from += SLOT_ROWS) {
      const deadline = Date.now() + MAX_WAIT_MS;
      for (let n = Atomics.load(this.inFlight, 0); n >= SLOTS; n = Atomics.load(this.inFlight, 0)) {
        if (Atomics.load(this.inFlight, DEAD) !== 0) throw this.fail(new Error("the output writer thread failed"));
        if (Date.now() >= deadline) throw this.fail(new Error(`the output writer thread wrote nothing for ${MAX_WAIT_MS / 1000} s`));
        Atomics.wait(this.inFlight, 0, n, 100);
      }
      const slot = this.nextSlot, to = Math.min(rows.length, from + SLOT_ROWS);
      this.nextSlot = (slot + 1) % SLOTS;
      const s = this.slots[slot]!;
      s.time.set(rows.time.subarray(from, to));
      s.cpu.set(rows.cpu.subarray(from, to));
      s.mem.set(rows.mem.subarray(from, to));
      s.gpu.set(rows.gpu.subarray(from, to));
      s.running.set(rows.running.subarray(from, to));
      s.queued.set(rows.queued.subarray(from, to));
      Atomics.add(this.inFlight, 0, 1); // also publishes the slot's rows to the thread
      this.post({ slot, length: to - from });
    }
  };

  /**
   * Starts a new containers.csv (its folder must exist) for a run of `workload`, whose arrival,
   * duration and request columns must be in SharedArrayBuffers (as Workload makes them), on nodes
   * whose cells are `nodeCells`. The run is to be made with such `outcomes` and
   * `onSettled: writer.settled`. The first file of a workload encodes its
   * ids (about 50 ms a million); the thread keeps them for the next ones.
   */
  openContainers(path: string, workload: Workload, nodeCells: string[]): void {
    // The previous file must be closed: the next run resets the outcome columns it reads.
    if (this.closing.has("containers")) throw new Error("containers.csv: the previous file is still being written");
    if (this.ids?.workload !== workload) this.ids = { workload, bytes: encodeIds(workload.ids, 0, workload.length, true) };
    this.containers = { path, workload, nodeCells, opened: false };
  }

  /** A sink for `simulate`'s `onSettled`: hands the newly settled rows over. */
  readonly settled = (settled: number, outcomes: ContainerOutcomes): void => {
    const c = this.containers!;
    if (!c.opened) {
      // The thread reads the columns in place as they fill: copies would go stale.
      const columns = containerColumns(c.workload, outcomes);
      for (const column of [columns.arrival, columns.duration, columns.request, ...Object.values(outcomes) as ArrayBufferView[]]) {
        if (!(column.buffer instanceof SharedArrayBuffer)) throw new Error("OutputWriter.settled needs the outcome and workload columns in SharedArrayBuffers (createOutcomes(n, true); Workload's arrival, duration and request as it makes them)");
      }
      this.post({ open: "containers", path: c.path, columns, nodeCells: c.nodeCells, ids: this.ids!.bytes });
      c.opened = true;
    }
    Atomics.store(this.settledCount, 0, settled);
    this.post({ settled });
  };

  /**
   * Writes what is left of a file and closes it; rejects if anything could not be written. After
   * the thread failed or stalled, rejects at once (it would never answer).
   */
  close(file: OutputFile): Promise<void> {
    if (this.crashed) return Promise.reject(this.crashed);
    if (this.closing.has(file)) return Promise.reject(new Error(`${file}.csv is being closed already`));
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

  private post(msg: OutputMessage): void {
    if (this.crashed) throw this.crashed;
    this.worker.postMessage(msg);
  }

  /** Marks the writer as failed: what is pending rejects, what comes later is refused. */
  private fail(err: Error): Error {
    this.crashed ??= err;
    for (const c of this.closing.values()) c.reject(err);
    this.closing.clear();
    return err;
  }
}
