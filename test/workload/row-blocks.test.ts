import { describe, expect, it } from "vitest";
import { RowBlocks } from "../../src/workload/row-blocks.ts";

/** Appends rows 0 … n − 1 with values derived from the row number. */
function fill(blocks: RowBlocks, from: number, to: number): void {
  const row = new Float64Array(8);
  for (let i = from; i < to; i++) {
    row.set([i / 2, i + 0.25, 1e6, 2e6, i % 3, i % 5 - 1, 1 - i, i + 2]);
    blocks.push(`c${i}`, i * 7, row);
  }
}

function check(blocks: RowBlocks, n: number) {
  const w = blocks.toWorkload(blocks.allIds());
  expect(w.length).toBe(n);
  for (const col of [w.arrival, w.duration, w.zone, w.priority, w.line]) expect(col.length).toBe(n);
  expect(w.request.length).toBe(3 * n);
  expect(w.ids).toEqual(Array.from({ length: n }, (_, i) => `c${i}`));
  for (const i of [0, 1, n >> 1, n - 1]) {
    expect([w.arrival[i], w.duration[i], w.request[3 * i], w.request[3 * i + 1], w.request[3 * i + 2], w.zone[i], w.priority[i], w.line[i]])
      .toEqual([i / 2, i + 0.25, 1e6, 2e6, i % 3, i % 5 - 1, 1 - i, i + 2]);
    expect(blocks.line(i)).toBe(i + 2);
  }
  expect(Array.from(blocks.allIdHashes().subarray(0, 3))).toEqual([0, 7, 14]);
  return w;
}

describe("RowBlocks", () => {
  it("gives exact columns across many blocks (copied together)", () => {
    const b = new RowBlocks();
    fill(b, 0, 200_000);
    const w = check(b, 200_000);
    expect(w.arrival.buffer.byteLength).toBe(200_000 * 8);
  });

  it("makes the first block again at an estimate given after some rows, and then views it", () => {
    const b = new RowBlocks();
    fill(b, 0, 1000);
    b.expect(110_000);
    fill(b, 1000, 100_000);
    const w = check(b, 100_000);
    expect(w.arrival.buffer.byteLength).toBe(110_000 * 8); // a view: 10 % slack, untouched
  });

  it("copies when the estimate was far over, or under", () => {
    const over = new RowBlocks();
    over.expect(300_000);
    fill(over, 0, 100_000);
    expect(check(over, 100_000).arrival.buffer.byteLength).toBe(100_000 * 8);
    const under = new RowBlocks();
    under.expect(70_000);
    fill(under, 0, 100_000);
    expect(check(under, 100_000).arrival.buffer.byteLength).toBe(100_000 * 8);
  });

  it("tells of each shared column buffer as it is made, before rows go in, and the columns are in them", () => {
    const told: { buffer: SharedArrayBuffer; zeros: boolean }[] = [];
    const b = new RowBlocks((buffer) => told.push({ buffer, zeros: new Float64Array(buffer).every((x) => x === 0) }));
    b.expect(1_000);
    fill(b, 0, 70_000); // the first block, then more
    const w = check(b, 70_000);
    expect(told.length).toBeGreaterThanOrEqual(6); // arrival, duration, request of two blocks at least
    expect(told.every((t) => t.zeros)).toBe(true);
    for (const column of [w.arrival, w.duration, w.request]) expect(column.buffer).toBeInstanceOf(SharedArrayBuffer);
    const one = new RowBlocks((buffer) => told.push({ buffer, zeros: true }));
    one.expect(80_000);
    fill(one, 0, 70_000);
    const views = one.toWorkload(one.allIds()); // views of the first block: its buffers were told
    for (const column of [views.arrival, views.duration, views.request]) expect(told.map((t) => t.buffer)).toContain(column.buffer);
  });
});

