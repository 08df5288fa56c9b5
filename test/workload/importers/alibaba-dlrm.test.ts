import { describe, expect, it } from "vitest";
import { cells, fixture, runImport, scratch, skips } from "./helpers.ts";

// test/fixtures/traces/alibaba-dlrm/instances.csv: the header, instance_0 (no times at all),
// instance_2454 (pre-existing, deleted at 85 s) and lines 7282-7296 of disaggregated_DLRM_trace.csv
// (not sorted by creation_time: 610 comes before 475). Requests are already cores, GiB, GPUs.
const dir = scratch();
const trace = fixture("alibaba-dlrm/instances.csv");
const HEADER = ["id", "arrival", "duration", "cpu", "mem", "gpu"];
const T475 = 475.00000000000006; // creation_time as written, float noise included

// Complete instances (creation, scheduled and deletion present), duration = deletion − scheduled, by arrival.
const COMPLETE = [
  cells("instance_7284", T475, 2843 - T475, 96, 480, 0),
  cells("instance_7286", 536, 3674.0000000000005 - 536, 192, 937.5, 0),
  cells("instance_7281", 610, 91730 - 683, 64, 320, 0),
  cells("instance_7288", 687, 5040 - 687, 64, 320, 0),
  cells("instance_7289", 736, 137518 - 736, 64, 320, 0),
  cells("instance_7290", 738, 6990 - 795, 64, 320, 0),
  cells("instance_7291", 738, 18184 - 795, 64, 320, 0),
  cells("instance_7293", 1640, 142703 - 1641, 96, 480, 0),
  cells("instance_7294", 2417, 561361 - 2417, 96, 480, 0),
];

describe("alibaba-dlrm import", () => {
  it("keeps complete lifetimes by default, sorted by creation time, and counts pre-existing and still-running", async () => {
    const { summary, rows } = await runImport(dir, "alibaba-dlrm", trace);
    expect(rows).toEqual([HEADER, ...COMPLETE]);
    expect(summary.records).toBe(17);
    expect(skips(summary.skipped)).toEqual({ "pre-existing": [2, 2], "still-running": [6, 4] });
    expect(summary.order).toBe("sorted in memory");
  });

  it("--pre-existing zero starts them at 0; --still-running end ends them at --trace-end", async () => {
    const end = 2677541;
    const { summary, rows } = await runImport(dir, "alibaba-dlrm", trace, { "pre-existing": "zero", "still-running": "end" });
    expect(summary.skipped.total).toBe(0);
    expect(rows.slice(1, 3)).toEqual([
      cells("instance_0", 0, end - 0, 12, 120, 1), // existed before and after the trace: the whole trace
      cells("instance_2454", 0, 85 - 0, 64, 320, 0),
    ]);
    // Created at 475 (noise), scheduled at 623, never deleted: runs to the trace end.
    expect(rows.find((r) => r[0] === "instance_7280")).toEqual(cells("instance_7280", T475, end - 623, 64, 320, 0));
    expect(rows.find((r) => r[0] === "instance_7292")).toEqual(cells("instance_7292", 1037, end - 1090, 96, 480, 0));
    expect(rows).toHaveLength(1 + 17);
  });

  it("--duration-from arrival measures from creation_time", async () => {
    const { rows } = await runImport(dir, "alibaba-dlrm", trace, { "duration-from": "arrival" });
    expect(rows.find((r) => r[0] === "instance_7281")).toEqual(cells("instance_7281", 610, 91730 - 610, 64, 320, 0));
  });
});
