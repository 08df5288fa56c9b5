import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ArrivalOrder } from "../../../src/workload/importers/reorder.ts";

describe("ArrivalOrder", () => {
  it("gives rows back by arrival, ties in sequence order (a stable sort)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (arrivals) => {
        const q = new ArrivalOrder<number>();
        arrivals.forEach((a, seq) => q.push(a, seq, seq));
        const expected = arrivals.map((a, seq) => ({ a, seq })).sort((x, y) => x.a - y.a).map((x) => x.seq);
        expect([...q.drain()]).toEqual(expected);
      }),
    );
  });

  it("takeBelow releases only rows strictly below the mark, and refuses a row below what it released", () => {
    const q = new ArrivalOrder<string>();
    q.push(5, 0, "a");
    q.push(3, 1, "b");
    q.push(5, 2, "c");
    expect([...q.takeBelow(5, 2)]).toEqual(["b", "a"]);
    expect(q.size).toBe(1);
    expect(q.push(4, 3, "late")).toBe(false);
    expect(q.push(5, 0, "same key as a released row")).toBe(false);
    expect(q.push(5, 3, "d")).toBe(true);
    expect([...q.drain()]).toEqual(["c", "d"]);
  });
});
