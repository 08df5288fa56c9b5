import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { IdIndex } from "../../src/workload/id-index.ts";

describe("IdIndex", () => {
  it("reports exactly the first earlier row of every repeated id, like a Map would", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 4 }), { maxLength: 3000 }), (values) => {
        const ids: string[] = [];
        const index = new IdIndex(ids);
        const reference = new Map<string, number>();
        for (const id of values) {
          const row = ids.length;
          const found = index.add(id, row);
          expect(found).toBe(reference.get(id) ?? -1);
          if (found < 0) {
            ids.push(id);
            reference.set(id, row);
          } else {
            ids.push(`\u0000unused-${row}`); // the caller stops at a duplicate; keep rows aligned here
            index.add(ids[row]!, row);
          }
        }
      }),
      { numRuns: 50 },
    );
  });

  it("keeps working across many table growths", () => {
    const ids: string[] = [];
    const index = new IdIndex(ids);
    let reported = 0;
    for (let i = 0; i < 200_000; i++) {
      ids.push(`c${i}`);
      if (index.add(`c${i}`, i) !== -1) reported++;
    }
    expect(reported).toBe(0);
    expect(index.add("c123456", 200_000)).toBe(123_456);
    expect(index.add("c0", 200_000)).toBe(0);
  });
});
