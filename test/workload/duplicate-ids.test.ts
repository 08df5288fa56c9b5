import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { firstDuplicate } from "../../src/workload/duplicate-ids.ts";

/** The row-by-row check firstDuplicate stands for. */
function byMap(ids: readonly string[]) {
  const first = new Map<string, number>();
  for (let row = 0; row < ids.length; row++) {
    const earlier = first.get(ids[row]!);
    if (earlier !== undefined) return { row, earlier };
    first.set(ids[row]!, row);
  }
  return undefined;
}

describe("firstDuplicate", () => {
  it("finds exactly the row and earlier row a Map finds, row by row (in one partition or many)", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 3 }), { maxLength: 400 }), fc.constantFrom(1, 8, 64, 1 << 20), (ids, partitionRows) => {
        expect(firstDuplicate(ids, undefined, partitionRows)).toEqual(byMap(ids));
      }),
      { numRuns: 300 },
    );
  });

  it("names the first repeat in list order, not the first id repeated", () => {
    // b repeats at row 3, a only at row 4; a third c is not the first repeat of c.
    expect(firstDuplicate(["a", "b", "c", "b", "a", "c", "c"])).toEqual({ row: 3, earlier: 1 });
    expect(firstDuplicate(["x", "y", "x", "x"])).toEqual({ row: 2, earlier: 0 });
  });

  it("tells apart ids whose hash bits meet (many rows, one repeat at the end)", () => {
    const ids = Array.from({ length: 200_000 }, (_, i) => `c${i}`);
    expect(firstDuplicate(ids)).toBeUndefined();
    expect(firstDuplicate(ids, undefined, 1000)).toBeUndefined();
    ids.push("c123456", "c7");
    expect(firstDuplicate(ids)).toEqual({ row: 200_000, earlier: 123_456 });
    expect(firstDuplicate(ids, undefined, 1000)).toEqual({ row: 200_000, earlier: 123_456 });
    expect(firstDuplicate([])).toBeUndefined();
    expect(firstDuplicate(["é", "e\u0301", "é"])).toEqual({ row: 2, earlier: 0 });
  });
});
