import { Workload, shareableFloat64 } from "../model/workload.ts";

const BLOCK = 1 << 16;
/** Rows of shared column memory told ahead of the rows written (see `onColumnMemory`). */
const AHEAD = 1 << 15;

/** A region of a shared buffer, in bytes: [from, to). */
export type ColumnMemorySink = (buffer: SharedArrayBuffer, from: number, to: number) => void;
/** The most rows a first block is made for on an estimate (a bad estimate must not ask for gigabytes). */
const MAX_FIRST_BLOCK = 1 << 26;

/** One block's columns, laid out as in Workload (and each id's hash), for rows start … start + capacity − 1. */
type Block = Pick<Workload, "arrival" | "duration" | "request" | "zone" | "priority" | "line"> & { idHash: Int32Array; start: number; capacity: number };

/**
 * A workload's rows while they are still coming, in blocks: appending never copies what is there.
 * The first block can be made for the number of rows expected (`expect`); when the rows fill it
 * but for at most a quarter, the Workload's columns are views of it: no copy, and the untouched
 * slack is address space only (though a structured clone of a column copies its whole buffer).
 * Otherwise the Workload is copied together at its exact size at the end, once, where growing
 * arrays by 1.5× copies each row about three times and then trims. Ids go in lists of 65,536,
 * joined at the end, for the same reason. The columns a writer thread reads are made shareable
 * (shareableFloat64).
 */
export class RowBlocks {
  private readonly blocks: Block[] = [];
  private current: Block | undefined;
  private end = 0;
  private readonly idLists: string[][] = [];
  private ids: string[] = [];
  private expected = BLOCK;
  /** Rows appended. */
  length = 0;

  /** Rows up to which the shared column memory has been told (see `tellAhead`). */
  private told = 0;

  /**
   * `onColumnMemory` is told of the shared column memory a window of rows before the rows are
   * written there (see WorkloadReadOptions): never further, so that the slack of a first block
   * made too large on a bad estimate is never told, and stays untouched address space.
   */
  constructor(private readonly onColumnMemory?: ColumnMemorySink) {}

  /**
   * Makes the first block for about `rows` rows: at once before the first row, or, while the
   * rows so far fit the first block, by making it again at that size with them (cheap early on).
   */
  expect(rows: number): void {
    const capacity = Math.min(MAX_FIRST_BLOCK, Math.max(BLOCK, Math.ceil(rows)));
    const first = this.blocks[0];
    if (!first) this.expected = capacity;
    if (!first || this.blocks.length > 1 || capacity <= first.capacity) return;
    this.blocks.length = 0;
    this.end = 0;
    this.expected = capacity;
    this.addBlock();
    const b = this.current!, n = this.length;
    b.arrival.set(first.arrival.subarray(0, n));
    b.duration.set(first.duration.subarray(0, n));
    b.request.set(first.request.subarray(0, 3 * n));
    b.zone.set(first.zone.subarray(0, n));
    b.priority.set(first.priority.subarray(0, n));
    b.line.set(first.line.subarray(0, n));
    b.idHash.set(first.idHash.subarray(0, n));
  }

  /**
   * Appends the row with `id` (and its idHash) and the values [arrival, duration, cpu, mem, gpu,
   * zone, priority, line] (given in an array, so that no number is boxed).
   */
  push(id: string, idHash: number, row: Float64Array): void {
    if (this.length === this.end) this.addBlock();
    if (this.length >= this.told - AHEAD && this.onColumnMemory) this.tellAhead();
    if (this.ids.length === BLOCK) this.idLists.push((this.ids = []));
    this.ids.push(id);
    const b = this.current!, i = this.length - b.start;
    b.arrival[i] = row[0]!;
    b.duration[i] = row[1]!;
    b.request[i * 3] = row[2]!;
    b.request[i * 3 + 1] = row[3]!;
    b.request[i * 3 + 2] = row[4]!;
    b.zone[i] = row[5]!;
    b.priority[i] = row[6]!;
    b.line[i] = row[7]!;
    b.idHash[i] = idHash;
    this.length++;
  }

  /** The source line of row `row`. */
  line(row: number): number {
    let k = this.blocks.length - 1;
    while (this.blocks[k]!.start > row) k--;
    const b = this.blocks[k]!;
    return b.line[row - b.start]!;
  }

  /** Every row's id, in order. */
  allIds(): string[] {
    return this.idLists.length === 1 ? this.ids : ([] as string[]).concat(...this.idLists);
  }

  /** Every row's idHash, in order. */
  allIdHashes(): Int32Array {
    const all = new Int32Array(this.length);
    for (const b of this.blocks) all.set(b.idHash.subarray(0, Math.min(b.capacity, this.length - b.start)), b.start);
    return all;
  }

  /** The Workload of these rows, with `ids` (allIds()) as its ids; its columns have the exact length. */
  toWorkload(ids: string[]): Workload {
    const n = this.length, first = this.blocks[0];
    const w = new Workload(0);
    if (first && this.blocks.length === 1 && first.capacity - n <= n / 4) {
      w.arrival = first.arrival.subarray(0, n);
      w.duration = first.duration.subarray(0, n);
      w.request = first.request.subarray(0, 3 * n);
      w.zone = first.zone.subarray(0, n);
      w.priority = first.priority.subarray(0, n);
      w.line = first.line.subarray(0, n);
    } else {
      w.arrival = shareableFloat64(n);
      w.duration = shareableFloat64(n);
      w.request = shareableFloat64(3 * n);
      w.zone = new Int32Array(n);
      w.priority = new Int32Array(n);
      w.line = new Int32Array(n);
      for (const b of this.blocks) {
        const at = b.start, m = Math.min(b.capacity, n - at);
        w.arrival.set(b.arrival.subarray(0, m), at);
        w.duration.set(b.duration.subarray(0, m), at);
        w.request.set(b.request.subarray(0, 3 * m), 3 * at);
        w.zone.set(b.zone.subarray(0, m), at);
        w.priority.set(b.priority.subarray(0, m), at);
        w.line.set(b.line.subarray(0, m), at);
      }
    }
    w.ids = ids;
    w.length = n;
    return w;
  }

  private addBlock(): void {
    const capacity = this.blocks.length === 0 ? this.expected : BLOCK;
    this.current = {
      start: this.end,
      capacity,
      arrival: shareableFloat64(capacity),
      duration: shareableFloat64(capacity),
      request: shareableFloat64(3 * capacity),
      zone: new Int32Array(capacity),
      priority: new Int32Array(capacity),
      line: new Int32Array(capacity),
      idHash: new Int32Array(capacity),
    };
    this.blocks.push(this.current);
    this.end += capacity;
    if (this.idLists.length === 0) this.idLists.push(this.ids);
    if (this.onColumnMemory) {
      this.told = this.current.start;
      this.tellAhead(); // rows start … start + 2·AHEAD: one window now, one more as the first half fills
      this.tellAhead();
    }
  }

  /** Tells the next AHEAD rows' shared column memory of the current block (none past its end). */
  private tellAhead(): void {
    const b = this.current!, from = this.told - b.start, to = Math.min(b.capacity, from + AHEAD);
    this.told = b.start + from + AHEAD;
    if (from >= to) return;
    for (const [column, width] of [[b.arrival, 1], [b.duration, 1], [b.request, 3]] as const) {
      if (column.buffer instanceof SharedArrayBuffer) {
        this.onColumnMemory!(column.buffer, column.byteOffset + from * width * 8, column.byteOffset + to * width * 8);
      }
    }
  }
}
