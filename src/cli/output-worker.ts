import { parentPort, workerData } from "node:worker_threads";
import { closeSync, openSync, writeSync } from "node:fs";
import { ByteChunks } from "../report/bytes.ts";
import { CONTAINERS_HEADER, TIMELINE_HEADER, containerRowsCsv, timelineRowsCsv, type ContainerColumns } from "../report/csv.ts";
import { writeIdCell, type IdBytes } from "../report/id-cells.ts";
import { DEAD, timelineSlot } from "./timeline-slots.ts";

/** The two files this thread writes for one policy at a time. */
export type OutputFile = "timeline" | "containers";

/** What the main thread sends (src/cli/output-writer.ts). */
export type OutputMessage =
  | { open: "timeline"; path: string }
  /** Timeline rows 0 … length − 1 of a slot are ready. */
  | { slot: number; length: number }
  | { open: "containers"; path: string; columns: ContainerColumns; nodeCells: string[]; ids: IdBytes }
  /** Rows up to `settled` (exclusive) are final. */
  | { settled: number }
  /** Touch the pages of bytes [from, to) of the buffer (see OutputWriter.touch). */
  | { touch: SharedArrayBuffer; from: number; to: number }
  | { close: OutputFile };

/** What this thread answers to a `close`. */
export interface ClosedMessage {
  closed: OutputFile;
  path: string;
  error?: string;
}

export interface OutputWorkerData {
  /** [0]: timeline slots posted and not yet written (the main thread waits when all are); [DEAD]: this thread failed. */
  inFlight: Int32Array;
  /** The timeline slots' buffers (see timelineSlot). */
  slots: SharedArrayBuffer[];
  /** How many containers are settled, stored atomically by the main thread (see OutputWriter). */
  settled: Int32Array;
}

const { inFlight, settled, slots: slotBuffers } = workerData as OutputWorkerData;
// A failure outside a file's own handling ends this thread: tell a main thread waiting for a slot.
process.on("uncaughtException", (err) => {
  Atomics.store(inFlight, DEAD, 1);
  Atomics.notify(inFlight, 0);
  throw err;
});
const slots = slotBuffers.map(timelineSlot);

/** A file being written; a failure is kept and reported at close, and what comes after it is dropped. */
class Output {
  /** Each chunk is written before the next is formatted: one buffer serves them all. */
  readonly out = new ByteChunks(undefined, true);
  failure: string | undefined;
  private fd: number | undefined;

  constructor(readonly path: string, header: string) {
    this.out.text(header);
    try {
      this.fd = openSync(path, "w");
    } catch (err) {
      this.fail(err);
    }
  }

  /** Runs `write` unless the file has failed; a throw fails it. */
  guard(write: () => void): void {
    if (this.failure !== undefined) return;
    try {
      write();
    } catch (err) {
      this.fail(err);
    }
  }

  write(bytes: Uint8Array): void {
    for (let done = 0; done < bytes.length;) done += writeSync(this.fd!, bytes, done, bytes.length - done);
  }

  close(): string | undefined {
    this.guard(() => this.write(this.out.take()));
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch (err) {
        this.fail(err);
      }
    }
    return this.failure;
  }

  private fail(err: unknown): void {
    this.failure ??= err instanceof Error ? err.message : String(err);
  }
}

/** containers.csv, written in pieces: rows 0 … written − 1 are formatted. */
class ContainersOutput extends Output {
  written = 0;

  /** Writes container i's id cell. */
  readonly writeId: (out: ByteChunks, i: number) => void;

  constructor(path: string, readonly columns: ContainerColumns, readonly nodeCells: string[], ids: IdBytes) {
    super(path, CONTAINERS_HEADER);
    this.writeId = (out, i) => writeIdCell(out, ids, i);
  }
}

let timeline: Output | undefined;
let containers: ContainersOutput | undefined;

/** Int32 words per 4 KiB page. */
const PAGE_WORDS = 1024;

// Formats and writes what comes, in order: timeline batches, and rows of containers.csv as the
// run settles them. Both files of a policy are open at once.
parentPort!.on("message", (msg: OutputMessage) => {
  if ("touch" in msg) {
    const words = new Int32Array(msg.touch);
    for (let i = msg.from >> 2, end = msg.to >> 2; i < end; i += PAGE_WORDS) Atomics.add(words, i, 0);
  } else if ("slot" in msg) {
    try {
      // The main thread's Atomics.add after filling the slot published its rows; this pairs with it.
      Atomics.load(inFlight, 0);
      const rows = { ...slots[msg.slot]!, length: msg.length };
      timeline?.guard(() => {
        for (const chunk of timelineRowsCsv(rows, timeline!.out)) timeline!.write(chunk);
      });
    } finally {
      Atomics.sub(inFlight, 0, 1);
      Atomics.notify(inFlight, 0);
    }
  } else if ("settled" in msg) {
    const c = containers!;
    c.guard(() => {
      // Pairs with the main thread's Atomics.store: its writes to these rows happened before.
      if (Atomics.load(settled, 0) < msg.settled) throw new Error("rows were handed over before they were settled");
      for (const chunk of containerRowsCsv(c.columns, c.nodeCells, c.written, msg.settled, c.writeId, c.out)) c.write(chunk);
    });
    c.written = msg.settled;
  } else if ("open" in msg) {
    if (msg.open === "timeline") timeline = new Output(msg.path, TIMELINE_HEADER);
    else containers = new ContainersOutput(msg.path, msg.columns, msg.nodeCells, msg.ids);
  } else {
    const file = msg.close === "timeline" ? timeline : containers;
    const error = file?.close();
    if (msg.close === "timeline") timeline = undefined;
    else containers = undefined; // lets the run's shared columns go
    parentPort!.postMessage({ closed: msg.close, path: file?.path ?? `${msg.close}.csv`, error } satisfies ClosedMessage);
  }
});
