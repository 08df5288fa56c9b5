/**
 * The timeline writer thread: many batches handed over faster than a thread can write them (the
 * hand-over then waits, so memory stays bounded) end as exactly the file timelineCsv writes from
 * the same rows in one piece; one writer serves several files in turn.
 */
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TimelineWriter } from "../../src/cli/timeline-writer.ts";
import { timelineCsv } from "../../src/report/csv.ts";
import type { TimelineRows } from "../../src/metrics/timeline.ts";
import { joined } from "../helpers.ts";

const dir = mkdtempSync(join(tmpdir(), "schedsim-timeline-writer-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Rows start..start+length of a made-up timeline (allocation in micro-units, as simulate gives). */
function batch(start: number, length: number): TimelineRows {
  const rows = { time: new Float64Array(length), cpu: new Float64Array(length), mem: new Float64Array(length), gpu: new Float64Array(length), running: new Int32Array(length), queued: new Int32Array(length), length };
  for (let i = 0; i < length; i++) {
    const k = start + i;
    rows.time[i] = k * 0.37;
    rows.cpu[i] = (k % 97) * 250_000;
    rows.mem[i] = (k % 13) * 1_000_000 / 3;
    rows.gpu[i] = k % 2 ? 500_000 : 0;
    rows.running[i] = k % 101;
    rows.queued[i] = k % 7;
  }
  return rows;
}

describe("TimelineWriter", () => {
  it("writes many batches, handed over at once, exactly as timelineCsv writes them in one piece", async () => {
    const writer = new TimelineWriter();
    try {
      for (const [file, batches] of [["a.csv", 40], ["b.csv", 3]] as const) {
        writer.open(join(dir, file));
        for (let b = 0; b < batches; b++) writer.write(batch(b * 5_000, 5_000)); // each batch is moved away
        await writer.close();
        expect(readFileSync(join(dir, file), "utf8")).toBe(joined(timelineCsv(batch(0, batches * 5_000))));
      }
    } finally {
      await writer.stop();
    }
  });
});
