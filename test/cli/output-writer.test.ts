/**
 * The output writer thread: many timeline batches handed over faster than a thread can write them
 * (the hand-over then waits, so memory stays bounded) end as exactly the file timelineCsv writes
 * from the same rows in one piece; containers.csv written in pieces as a run settles its rows is
 * exactly containersCsv's; one writer serves several files in turn.
 */
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OutputWriter } from "../../src/cli/output-writer.ts";
import { containersCsv, nodeCells, timelineCsv } from "../../src/report/csv.ts";
import { createOutcomes, simulate } from "../../src/sim/simulate.ts";
import type { PolicySource } from "../../src/policy/types.ts";
import { benchRows } from "../../bench/make-workload.ts";
import type { TimelineRows } from "../../src/metrics/timeline.ts";
import { builtin, inputs, joined } from "../helpers.ts";

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

/** Runs `use` with a new writer, and stops its thread whatever happens. */
async function withWriter(use: (writer: OutputWriter) => Promise<void> | void): Promise<void> {
  const writer = new OutputWriter();
  try {
    await use(writer);
  } finally {
    await writer.stop();
  }
}

describe("OutputWriter", () => {
  it("writes many batches, handed over at once, exactly as timelineCsv writes them in one piece", async () => {
    await withWriter(async (writer) => {
      // Many more batches than slots; then batches longer than a slot (each split over slots).
      for (const [file, batches, rows] of [["a.csv", 40, 5_000], ["b.csv", 3, 150_000]] as const) {
        writer.openTimeline(join(dir, file));
        for (let b = 0; b < batches; b++) {
          const rowsOfBatch = batch(b * rows, rows);
          writer.timeline(rowsOfBatch);
          rowsOfBatch.time.fill(-1); // the writer copied the rows: the caller may reuse its arrays at once
        }
        await writer.close("timeline");
        expect(readFileSync(join(dir, file), "utf8")).toBe(joined(timelineCsv(batch(0, batches * rows))));
      }
    });
  });
});

describe("OutputWriter.touch", () => {
  it("maps a buffer's pages without changing a value in it", async () => {
    await withWriter(async (writer) => {
      const buffer = new SharedArrayBuffer(1 << 22);
      const values = new Float64Array(buffer);
      for (let i = 0; i < values.length; i += 97) values[i] = i * 1.5 - 7;
      values[values.length - 1] = Math.PI;
      writer.touch(buffer, 4096, buffer.byteLength); // all pages but the first
      writer.touch(buffer);
      writer.openTimeline(join(dir, "after-touch.csv"));
      await writer.close("timeline"); // answered after the touch: messages are handled in order
      for (let i = 0; i < values.length - 1; i++) expect(values[i]).toBe(i % 97 === 0 ? i * 1.5 - 7 : 0);
      expect(values[values.length - 1]).toBe(Math.PI);
    });
  });
});

describe("OutputWriter, when its thread fails", () => {
  it("stops a simulation waiting for a timeline slot at once, and refuses what comes after", async () => {
    await withWriter(async (writer) => {
      writer.openTimeline(join(dir, "dead.csv"));
      // Rows said to be settled with no containers.csv open: the thread fails on it.
      (writer as unknown as { worker: { postMessage(m: unknown): void } }).worker.postMessage({ settled: 5 });
      const started = Date.now();
      expect(() => { for (let b = 0; b < 10; b++) writer.timeline(batch(b * 100, 100)); }).toThrow(/output writer thread failed/);
      expect(Date.now() - started).toBeLessThan(20_000); // not the 60 s a stalled disk is given
      await expect(writer.close("timeline")).rejects.toThrow();
    });
  });
});

describe("OutputWriter, containers.csv", () => {
  // 20,000 containers on 12 nodes (overloaded: rows settle late and out of order), with ids that
  // need quoting or escaping among them.
  const text = [...benchRows(20_000, 16)].join("").replace(/^c(\d*7),/gm, '"=c,$1",').replace(/^c(\d*3),/gm, "é$1,");
  const cluster = ["id,cpu,mem", ...Array.from({ length: 12 }, (_, i) => `${i === 3 ? "-n" : "n"}${i},32,128`)].join("\n");

  it("writes each policy's rows as the run settles them, exactly as containersCsv writes the result", async () => {
    const inp = inputs({ workload: text, cluster });
    const outcomes = createOutcomes(inp.workload.length, true); // shared by the three runs in turn
    await withWriter(async (writer) => {
      for (const [name, queue] of [["first-fit", "fifo"], ["best-fit", "backfill"], ["nearest", "reject"]] as const) {
        const path = join(dir, `${name}.csv`);
        writer.openContainers(path, inp.workload, nodeCells(inp.cluster.ids));
        let calls = 0;
        const result = simulate(inp, { policy: builtin(name), queue, outcomes, onSettled: (k, o) => { calls++; writer.settled(k, o); } });
        await writer.close("containers");
        expect(calls).toBeGreaterThan(10);
        expect(readFileSync(path, "utf8")).toBe(joined(containersCsv(result, inp.workload, inp.cluster)));
      }
    });
  });

  it("closes the file of a run that failed part way, with the rows settled until then", async () => {
    const inp = inputs({ workload: text, cluster });
    const path = join(dir, "failed.csv");
    // Node 0 or nothing; the failing one gives up at container 15,000.
    const firstNode: PolicySource = { name: "first-node", select: (c, cluster) => (cluster.fits(c, 0) ? 0 : -1) };
    const failing: PolicySource = { name: "fails-late", select: (c, cluster, ctx) => { if (c.index === 15_000) throw new Error("no"); return firstNode.select!(c, cluster, ctx); } };
    await withWriter(async (writer) => {
      writer.openContainers(path, inp.workload, nodeCells(inp.cluster.ids));
      expect(() => simulate(inp, { policy: failing, outcomes: createOutcomes(inp.workload.length, true), onSettled: writer.settled })).toThrow();
      await writer.close("containers");
      const text = readFileSync(path, "utf8");
      const whole = joined(containersCsv(simulate(inp, { policy: firstNode }), inp.workload, inp.cluster));
      const rows = text.split("\n").length - 1;
      expect(rows).toBeGreaterThan(1_000);
      expect(rows).toBeLessThan(15_000);
      expect(whole.startsWith(text)).toBe(true); // whole rows, as the run had settled them
    });
  });
});
