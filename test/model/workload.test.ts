/** Workload's own column upkeep: growing, trimming and sorting keep every value and keep the
 * columns containers.csv reads shareable with a writer thread. */
import { describe, expect, it } from "vitest";
import { Workload } from "../../src/model/workload.ts";

/** The columns a writer thread reads in place (OutputWriter refuses them unshared). */
const sharedColumns = (w: Workload) => [w.arrival, w.duration, w.request].every((c) => c.buffer instanceof SharedArrayBuffer);

/** Container i as plain values, to compare workloads across reorderings. */
const row = (w: Workload, i: number) => {
  const { index: _index, ...rest } = w.container(i);
  return { ...rest, line: w.line[i] };
};

function filled(count: number): Workload {
  const w = new Workload(4); // grows several times
  // Arrivals out of order with ties: 3 2 1 0 3 2 1 0 …
  for (let i = 0; i < count; i++) w.push(`c${i}`, 3 - (i % 4), 10 + i, i * 1e6, 2 * i * 1e6, i % 2, i % 3, i % 5, i + 2);
  return w;
}

describe("Workload columns", () => {
  it("keep every value through growth and trim, in SharedArrayBuffers", () => {
    const w = filled(50);
    expect(w.arrival.length).toBeGreaterThan(50);
    expect(sharedColumns(w)).toBe(true);
    const before = Array.from({ length: 50 }, (_, i) => row(w, i));
    w.trim();
    expect([w.arrival.length, w.duration.length, w.request.length, w.zone.length]).toEqual([50, 50, 150, 50]);
    expect(sharedColumns(w)).toBe(true);
    expect(Array.from({ length: 50 }, (_, i) => row(w, i))).toEqual(before);
    expect(row(w, 49)).toEqual({ id: "c49", arrival: 2, duration: 59, cpu: 49e6, mem: 98e6, gpu: 1, zone: 1, priority: 4, line: 51 });
  });

  it("sortByArrival reorders whole rows stably and keeps the columns shareable", () => {
    const w = filled(10);
    const before = Array.from({ length: 10 }, (_, i) => row(w, i));
    w.sortByArrival();
    expect(sharedColumns(w)).toBe(true);
    const after = Array.from({ length: 10 }, (_, i) => row(w, i));
    // Stable: equal arrivals keep their trace order.
    expect(after.map((r) => r.id)).toEqual(["c3", "c7", "c2", "c6", "c1", "c5", "c9", "c0", "c4", "c8"]);
    expect(after).toEqual(after.map((r) => before.find((b) => b.id === r.id)));
  });

  it("hands a policy container i with exactly the Container fields, in order, as own values", () => {
    const w = filled(3);
    const c = w.container(2);
    expect(Object.keys(c)).toEqual(["index", "id", "arrival", "duration", "cpu", "mem", "gpu", "zone", "priority"]);
    expect(JSON.parse(JSON.stringify(c))).toEqual({ index: 2, id: "c2", arrival: 1, duration: 12, cpu: 2e6, mem: 4e6, gpu: 0, zone: 2, priority: 2 });
    expect({ ...c }).toEqual(JSON.parse(JSON.stringify(c)));
    expect(w.container(2)).not.toBe(c); // a new object each time: a policy may keep it
  });
});
