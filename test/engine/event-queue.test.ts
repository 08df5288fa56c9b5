import { describe, expect, it } from "vitest";
import seedrandom from "seedrandom";
import { EventQueue } from "../../src/index.ts";

type Item = { time: number; tie: number; payload: number };
const byKey = (a: Item, b: Item) => a.time - b.time || a.tie - b.tie;

describe("EventQueue", () => {
  it("pops in (time, tie) order, like a sorted reference, on random pushes and pops", () => {
    const rng = seedrandom("event-queue");
    for (let round = 0; round < 20; round++) {
      const q = new EventQueue(1); // tiny start: exercises growth
      let reference: Item[] = [];
      const popped: number[] = [];
      const expected: number[] = [];
      let tie = 0;
      for (let op = 0; op < 2000; op++) {
        if (rng() < 0.6 || reference.length === 0) {
          // Few distinct times, so that equal times are common and only `tie` separates them.
          const item = { time: Math.floor(rng() * 50) / 4, tie: tie++, payload: Math.floor(rng() * 1e6) };
          q.push(item.time, item.tie, item.payload);
          reference.push(item);
        } else {
          reference.sort(byKey);
          const head = reference.shift()!;
          expect(q.peekTime()).toBe(head.time);
          expect(q.peekTie()).toBe(head.tie);
          expect(q.peekPayload()).toBe(head.payload);
          expected.push(head.payload);
          popped.push(q.pop());
        }
        expect(q.length).toBe(reference.length);
      }
      reference.sort(byKey);
      for (const item of reference) expected.push(item.payload);
      while (q.length > 0) popped.push(q.pop());
      expect(popped).toEqual(expected);
      reference = [];
    }
  });

  it("orders ties pushed out of order (the tie key, not the push order, decides)", () => {
    const q = new EventQueue();
    q.push(1, 5, 50);
    q.push(1, 2, 20);
    q.push(0.5, 9, 90);
    q.push(1, 3, 30);
    expect([q.pop(), q.pop(), q.pop(), q.pop()]).toEqual([90, 20, 30, 50]);
  });

  it("reports Infinity when empty, refuses pop/peekPayload, and clear() empties it", () => {
    const q = new EventQueue();
    expect(q.peekTime()).toBe(Infinity);
    expect(q.peekTie()).toBe(Infinity);
    expect(() => q.pop()).toThrow(/empty/);
    expect(() => q.peekPayload()).toThrow(/empty/);
    q.push(3, 0, 1);
    q.push(2, 1, 2);
    q.clear();
    expect(q.length).toBe(0);
    expect(q.peekTime()).toBe(Infinity);
    q.push(7, 0, 3);
    expect(q.pop()).toBe(3);
  });
});
