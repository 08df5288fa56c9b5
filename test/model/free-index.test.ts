/**
 * The free index (first-fit, round-robin) against a linear scan: the lowest node ≥ from whose free
 * capacity covers the request. Random clusters of 1–70 nodes (several buckets, three levels) and
 * of up to 700 (four levels)
 * under random starts, ends, failures and recoveries; after each change a burst of queries, many of
 * them repeated or larger on every resource than a previous one, so that answers given through the
 * "searched in vain" marks are checked, and so is their clearing when capacity comes back.
 * SCHEDSIM_PROPERTY_RUNS sets the number of random cases (default 150, four times that here).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { FreeIndex } from "../../src/model/free-index.ts";

const RUNS = 4 * Number(process.env.SCHEDSIM_PROPERTY_RUNS ?? 150);

function scan(free: Float64Array, size: number, cpu: number, mem: number, gpu: number, from: number): number {
  for (let n = Math.max(0, from); n < size; n++) {
    if (free[n * 3]! >= cpu && free[n * 3 + 1]! >= mem && free[n * 3 + 2]! >= gpu) return n;
  }
  return -1;
}

/** Small integer amounts, so that equal and dominated requests are frequent. */
const amount = fc.integer({ min: 0, max: 6 });
const request = fc.tuple(amount, amount, fc.constantFrom(0, 0, 1, 2));
const change = fc.record({
  kind: fc.constantFrom("take", "take", "give", "give", "down", "up"),
  node: fc.nat(),
  amounts: request,
});
const scenario = fc.record({
  size: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 70 }), weight: 3 }, fc.integer({ min: 65, max: 700 })),
  /** Starting free amounts as fractions of the capacity, cycled over the nodes. */
  start: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 1, maxLength: 70 }),
  capacity: fc.tuple(fc.integer({ min: 2, max: 8 }), fc.integer({ min: 2, max: 8 }), fc.constantFrom(0, 2)),
  steps: fc.array(fc.record({ change, queries: fc.array(fc.tuple(request, fc.integer({ min: -2, max: 702 })), { maxLength: 8 }) }), { maxLength: 60 }),
});

describe("FreeIndex", () => {
  it("answers exactly as the linear scan, under random changes and repeated queries", () => {
    fc.assert(
      fc.property(scenario, ({ size, start, capacity, steps }) => {
        const free = new Float64Array(size * 3);
        for (let n = 0; n < size; n++) {
          const [fc, fm] = start[n % start.length]!;
          free.set([Math.round(fc * capacity[0]), Math.round(fm * capacity[1]), capacity[2]], n * 3);
        }
        const index = new FreeIndex(free, size);
        const down = new Uint8Array(size);
        for (const { change: ch, queries } of steps) {
          const node = ch.node % size, o = node * 3;
          if (ch.kind === "take" && !down[node]) {
            // Take at most what is free, like a start.
            for (let k = 0; k < 3; k++) free[o + k] = free[o + k]! - Math.min(free[o + k]!, ch.amounts[k]!);
            index.update(node, false);
          } else if (ch.kind === "give" && !down[node]) {
            for (let k = 0; k < 3; k++) free[o + k] = Math.min(capacity[k]!, free[o + k]! + ch.amounts[k]!);
            index.update(node, true);
          } else if (ch.kind === "down") {
            free.fill(-1, o, o + 3);
            down[node] = 1;
            index.update(node, false);
          } else if (ch.kind === "up" && down[node]) {
            free.set(capacity, o);
            down[node] = 0;
            index.update(node, true);
          }
          for (const [[cpu, mem, gpu], from] of queries) {
            // Each request, then the same again and one at least as large, from 0 and from `from`.
            for (const [c, m, g] of [[cpu, mem, gpu], [cpu, mem, gpu], [cpu + 1, mem, gpu]] as const) {
              expect(index.first(c, m, g)).toBe(scan(free, size, c, m, g, 0));
              expect(index.first(c, m, g, from)).toBe(scan(free, size, c, m, g, from));
            }
            // The root's maxima are exact: mightFit is whether each resource alone is free somewhere.
            const most = (k: number) => Math.max(...Array.from({ length: size }, (_, n) => free[n * 3 + k]!));
            expect(index.mightFit(cpu, mem, gpu)).toBe(most(0) >= cpu && most(1) >= mem && most(2) >= gpu);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("finds a node freed after a request was searched in vain everywhere", () => {
    const size = 100;
    const free = new Float64Array(size * 3);
    for (let n = 0; n < size; n++) free.set([1, 4, 0], n * 3);
    free.set([4, 1, 0], 5 * 3); // cpu and mem maxima on different nodes: every bucket looks feasible
    const index = new FreeIndex(free, size);
    expect(index.first(2, 2, 0)).toBe(-1);
    expect(index.first(3, 2, 0)).toBe(-1); // larger: answered by the marks alone
    free.set([2, 2, 0], 97 * 3);
    index.update(97, true);
    expect(index.first(2, 2, 0)).toBe(97);
    expect(index.first(3, 2, 0)).toBe(-1);
    free.set([4, 4, 0], 5 * 3);
    index.update(5, true);
    expect(index.first(3, 2, 0)).toBe(5);
  });
});
