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

  it("tells of shared column memory a window ahead of the rows written there, and never of a block's slack", () => {
    const told: { buffer: SharedArrayBuffer; from: number; to: number; untouched: boolean }[] = [];
    const b = new RowBlocks((buffer, from, to) => {
      told.push({ buffer, from, to, untouched: new Uint8Array(buffer, from, to - from).every((x) => x === 0) });
    });
    b.expect(400_000); // an estimate four times too large: most of the first block stays slack
    fill(b, 0, 100_000);
    const w = check(b, 100_000);
    expect(told.every((t) => t.untouched)).toBe(true); // told before any row went there
    // Every byte of the rows written was told, per buffer, and nothing beyond 2 windows (65,536 rows) past them.
    const first = told[0]!.buffer;
    const byBuffer = new Map<SharedArrayBuffer, { from: number; to: number }[]>();
    for (const t of told) byBuffer.set(t.buffer, [...(byBuffer.get(t.buffer) ?? []), t]);
    expect(byBuffer.size).toBe(3); // arrival, duration, request of the one (first) block
    for (const [buffer, regions] of byBuffer) {
      const width = buffer.byteLength / 400_000; // 8 bytes per row, or 24 for the request triple
      regions.sort((x, y) => x.from - y.from);
      let covered = 0;
      for (const r of regions) {
        expect(r.from).toBe(covered); // contiguous, from the start
        covered = r.to;
      }
      expect(covered).toBeGreaterThanOrEqual(100_000 * width);
      expect(covered).toBeLessThanOrEqual((100_000 + 65_536) * width);
    }
    expect(first).toBeInstanceOf(SharedArrayBuffer);
    // The rows went to a copy of exact size (the block was more than a quarter slack).
    expect(w.arrival.buffer.byteLength).toBe(100_000 * 8);
  });
});

