import { Workload } from "../model/workload.ts";

const BLOCK = 1 << 16;

/** One block's columns, laid out as in Workload. */
type Block = Pick<Workload, "arrival" | "duration" | "request" | "zone" | "priority" | "line">;

/**
 * A workload's columns while rows are still coming, in blocks of 65,536 rows: appending never
 * copies what is there, and the Workload is made at its exact size at the end (one copy, where
 * growing arrays by 1.5× copies each row about three times and then trims).
 */
export class RowBlocks {
  private readonly blocks: Block[] = [];
  private current: Block | undefined;
  /** Rows appended. */
  length = 0;

  /** Appends the row [arrival, duration, cpu, mem, gpu, zone, priority, line] (an array, so that no number is boxed). */
  push(row: Float64Array): void {
    const i = this.length & (BLOCK - 1);
    if (i === 0) this.addBlock();
    const b = this.current!;
    b.arrival[i] = row[0]!;
    b.duration[i] = row[1]!;
    b.request[i * 3] = row[2]!;
    b.request[i * 3 + 1] = row[3]!;
    b.request[i * 3 + 2] = row[4]!;
    b.zone[i] = row[5]!;
    b.priority[i] = row[6]!;
    b.line[i] = row[7]!;
    this.length++;
  }

  /** The source line of row `row`. */
  line(row: number): number {
    return this.blocks[row >>> 16]!.line[row & (BLOCK - 1)]!;
  }

  /** The Workload of these rows, with `ids` as its id list (one per row); its columns have the exact length. */
  toWorkload(ids: string[]): Workload {
    const n = this.length;
    const w = new Workload(n);
    this.blocks.forEach((b, k) => {
      const at = k * BLOCK, m = Math.min(BLOCK, n - at);
      w.arrival.set(b.arrival.subarray(0, m), at);
      w.duration.set(b.duration.subarray(0, m), at);
      w.request.set(b.request.subarray(0, 3 * m), 3 * at);
      w.zone.set(b.zone.subarray(0, m), at);
      w.priority.set(b.priority.subarray(0, m), at);
      w.line.set(b.line.subarray(0, m), at);
    });
    w.ids = ids;
    w.length = n;
    return w;
  }

  private addBlock(): void {
    this.current = {
      arrival: new Float64Array(BLOCK),
      duration: new Float64Array(BLOCK),
      request: new Float64Array(3 * BLOCK),
      zone: new Int32Array(BLOCK),
      priority: new Int32Array(BLOCK),
      line: new Int32Array(BLOCK),
    };
    this.blocks.push(this.current);
  }
}
