import { describe, expect, it } from "vitest";
import { MICRO, Workload, ZoneTable, makeCluster, simulate, timelineCsv, type SimInputs } from "../../src/index.ts";
import { ByteChunks } from "../../src/report/bytes.ts";
import { TIMELINE_HEADER, timelineRowsCsv } from "../../src/report/csv.ts";
import type { TimelineRows } from "../../src/metrics/timeline.ts";
import { builtin, joined } from "../helpers.ts";

/** A busy trace: many arrivals, some at the same instant, queueing on a small cluster. */
function busy(count: number): SimInputs {
  const w = new Workload();
  let t = 0;
  for (let i = 0; i < count; i++) {
    if (i % 3 !== 0) t += i % 7; // every third container arrives with the one before; about 60 % load
    w.push(`c${i}`, t, 1 + (i % 11), (1 + (i % 4)) * MICRO, (i % 5) * MICRO, 0);
  }
  return { workload: w, cluster: makeCluster([{ id: "a", cpu: 8 * MICRO, mem: 16 * MICRO }, { id: "b", cpu: 4 * MICRO, mem: 8 * MICRO }]), zones: new ZoneTable(false) };
}

/** The timeline of a run handed over in batches, written as timeline.csv. */
function streamedCsv(inp: SimInputs, options: { mtbf?: number; queue?: "fifo" | "backfill" | "reject" } = {}): { text: string; batches: number; kept: unknown } {
  const out = new ByteChunks();
  out.text(TIMELINE_HEADER);
  const chunks: Uint8Array[] = [];
  let batches = 0;
  const result = simulate(inp, {
    policy: builtin("best-fit"), queue: options.queue, seed: 5,
    failures: options.mtbf ? { kind: "random", mtbf: options.mtbf, mttr: 30 } : undefined,
    onTimeline: (rows: TimelineRows) => {
      batches++;
      chunks.push(...timelineRowsCsv(rows, out));
    },
  });
  chunks.push(out.take());
  return { text: joined(chunks), batches, kept: result.timeline };
}

describe("a timeline handed over in batches", () => {
  it("is the same file as the timeline kept in the result, over many batches", () => {
    const inp = busy(150_000); // about 180k rows: several batches of 65,536
    for (const queue of ["fifo", "backfill", "reject"] as const) {
      const kept = simulate(inp, { policy: builtin("best-fit"), queue, seed: 5 });
      const streamed = streamedCsv(inp, { queue });
      expect(streamed.batches).toBeGreaterThan(2);
      expect(streamed.kept).toBeUndefined();
      expect(streamed.text).toBe(joined(timelineCsv(kept.timeline!)));
    }
  });

  it("is the same with node failures, whose events fold rows at one timestamp", () => {
    const inp = busy(60_000);
    const kept = simulate(inp, { policy: builtin("best-fit"), seed: 5, failures: { kind: "random", mtbf: 5000, mttr: 30 } });
    expect(streamedCsv(inp, { mtbf: 5000 }).text).toBe(joined(timelineCsv(kept.timeline!)));
  });

  it("is not called when the timeline is off", () => {
    let calls = 0;
    simulate(busy(100), { policy: builtin("first-fit"), timeline: false, onTimeline: () => calls++ });
    expect(calls).toBe(0);
  });
});
