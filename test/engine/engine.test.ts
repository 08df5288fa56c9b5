import { describe, expect, it } from "vitest";
import { Engine, type EventStream } from "../../src/index.ts";

/** An engine whose handlers append `kind:payload@time` to a log. */
function recordingEngine(kinds: number[]) {
  const engine = new Engine();
  const log: string[] = [];
  for (const k of kinds) engine.on(k, (p) => log.push(`${k}:${p}@${engine.now}`));
  return { engine, log };
}

/** A stream of already-sorted (time, payload) events that logs as kind `s`. */
function stream(engine: Engine, log: string[], name: string, events: [number, number][]): EventStream {
  let i = 0;
  return {
    peekTime: () => (i < events.length ? events[i]![0] : Infinity),
    fire: () => { log.push(`${name}:${events[i++]![1]}@${engine.now}`); },
  };
}

describe("Engine", () => {
  it("orders events by time, then kind priority, then the order they were scheduled in", () => {
    const { engine, log } = recordingEngine([0, 1, 2]);
    engine.schedule(5, 1, 10);
    engine.schedule(2, 2, 11);
    engine.schedule(5, 0, 12);
    engine.schedule(2, 2, 13);
    engine.schedule(5, 1, 14);
    engine.schedule(0, 1, 15);
    engine.schedule(2, 0, 16);
    engine.run();
    expect(log).toEqual(["1:15@0", "0:16@2", "2:11@2", "2:13@2", "0:12@5", "1:10@5", "1:14@5"]);
    expect(engine.processed).toBe(7);
    expect(engine.now).toBe(5);
  });

  it("keeps scheduling order for events a handler schedules at the current time", () => {
    const engine = new Engine();
    const log: string[] = [];
    engine.on(0, (p) => {
      log.push(`a${p}@${engine.now}`);
      if (p < 3) engine.schedule(0, 0, p + 1); // a zero delay runs after what is already due now
    });
    engine.on(1, (p) => log.push(`b${p}@${engine.now}`));
    engine.schedule(1, 1, 0);
    engine.schedule(1, 0, 0);
    engine.schedule(1, 0, 10);
    engine.run();
    // At t=1: kind 0 first (a0, a10, then the a1 a0 scheduled, then a2, a3), kind 1 last.
    expect(log).toEqual(["a0@1", "a10@1", "a1@1", "a2@1", "a3@1", "b0@1"]);
  });

  it("refuses negative, NaN and infinite delays, and times before now", () => {
    const { engine } = recordingEngine([0]);
    expect(() => engine.schedule(-1e-9, 0, 0)).toThrow(RangeError);
    expect(() => engine.schedule(NaN, 0, 0)).toThrow(RangeError);
    expect(() => engine.schedule(Infinity, 0, 0)).toThrow(RangeError);
    engine.schedule(3, 0, 0);
    engine.run();
    expect(() => engine.scheduleAt(2.5, 0, 0)).toThrow(/before now/);
    expect(() => engine.schedule(1, 7, 0)).toThrow(/no handler/);
  });

  it("merges ordered streams with the heap by (time, kind priority); heap first at a full tie", () => {
    const { engine, log } = recordingEngine([0, 1]);
    engine.addStream(1, stream(engine, log, "s", [[0, 100], [2, 101], [2, 102], [7, 103]]));
    engine.addStream(0, stream(engine, log, "t", [[2, 200], [9, 201]]));
    engine.schedule(2, 1, 1); // same time and priority as the stream s: the heap goes first
    engine.schedule(2, 0, 0); // same as stream t: heap first
    engine.schedule(7, 0, 2); // before s's event at 7 (priority 0 < 1)
    engine.run();
    expect(log).toEqual(["s:100@0", "0:0@2", "t:200@2", "1:1@2", "s:101@2", "s:102@2", "0:2@7", "s:103@7", "t:201@9"]);
    expect(engine.processed).toBe(9);
  });

  it("lets a stream event schedule heap events that then interleave with the stream", () => {
    const engine = new Engine();
    const log: string[] = [];
    const arrivals = [0, 1, 1, 4];
    let i = 0;
    engine.on(0, (p) => log.push(`end${p}@${engine.now}`));
    engine.addStream(1, {
      peekTime: () => (i < arrivals.length ? arrivals[i]! : Infinity),
      fire: () => {
        const k = i++;
        log.push(`arr${k}@${engine.now}`);
        engine.schedule(k === 1 ? 0 : 1, 0, k); // arrival 1 ends at once, before arrival 2 at the same time
      },
    });
    engine.run();
    expect(log).toEqual(["arr0@0", "end0@1", "arr1@1", "end1@1", "arr2@1", "end2@2", "arr3@4", "end3@5"]);
  });

  it("run(until) processes events at exactly `until` and leaves later ones", () => {
    const { engine, log } = recordingEngine([0]);
    [1, 3, 3, 3.0000001, 8].forEach((t, i) => engine.schedule(t, 0, i));
    engine.run(3);
    expect(log).toEqual(["0:0@1", "0:1@3", "0:2@3"]);
    expect(engine.peek()).toBe(3.0000001);
    engine.run(3.0000001);
    expect(log.at(-1)).toBe("0:3@3.0000001");
    engine.run();
    expect(log).toHaveLength(5);
    expect(engine.peek()).toBe(Infinity);
  });

  it("run(until) also stops a stream at the horizon", () => {
    const { engine, log } = recordingEngine([0]);
    engine.addStream(1, stream(engine, log, "s", [[1, 0], [2, 1], [2.5, 2]]));
    engine.run(2);
    expect(log).toEqual(["s:0@1", "s:1@2"]);
  });

  it("runFor(budget, until) in slices processes the events of run(until), in the same order, then says none is left", () => {
    const build = () => {
      const { engine, log } = recordingEngine([0, 1]);
      // Handlers that schedule more, and a stream beside the heap.
      engine.on(1, (p) => {
        log.push(`1:${p}@${engine.now}`);
        if (p < 6) engine.schedule(p % 2 === 0 ? 0 : 1.5, 1, p + 2);
      });
      [0.5, 2, 2, 7].forEach((t, i) => engine.schedule(t, i % 2, i));
      engine.addStream(2, stream(engine, log, "s", [[1, 0], [2, 1], [6, 2], [9, 3]]));
      return { engine, log };
    };
    const whole = build();
    whole.engine.run(7);
    for (const budget of [1, 2, 3, 5, 100]) {
      const sliced = build();
      let calls = 0;
      while (sliced.engine.runFor(budget, 7)) calls++;
      expect(sliced.log).toEqual(whole.log);
      expect(calls).toBe(Math.floor(whole.log.length / budget));
      expect(sliced.engine.runFor(budget, 7)).toBe(false);
      expect(sliced.engine.peek()).toBe(whole.engine.peek());
      expect(sliced.engine.peek()).toBeGreaterThan(7);
    }
  });

  it("step() processes one event at a time and returns false when none is left", () => {
    const { engine, log } = recordingEngine([0]);
    engine.schedule(4, 0, 1);
    engine.schedule(1, 0, 2);
    expect(engine.step()).toBe(true);
    expect(log).toEqual(["0:2@1"]);
    expect(engine.now).toBe(1);
    expect(engine.step()).toBe(true);
    expect(engine.step()).toBe(false);
    expect(log).toEqual(["0:2@1", "0:1@4"]);
    expect(engine.processed).toBe(2);
  });

  it("refuses kind priorities outside 0..255", () => {
    const engine = new Engine();
    expect(() => engine.on(-1, () => {})).toThrow(RangeError);
    expect(() => engine.on(256, () => {})).toThrow(RangeError);
    expect(() => engine.on(1.5, () => {})).toThrow(RangeError);
  });
});
