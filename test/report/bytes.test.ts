import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ByteChunks } from "../../src/report/bytes.ts";
import { shortestDigits } from "../../src/report/shortest.ts";

const runs = Number(process.env.SCHEDSIM_PROPERTY_RUNS ?? 2000);
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

function written(write: (out: ByteChunks) => void, chunkBytes?: number): string {
  const out = new ByteChunks(chunkBytes);
  write(out);
  return decode(out.take());
}

const asNumber = (x: number) => written((o) => o.number(x), 64);

describe("ByteChunks.number writes exactly String(x)", () => {
  it("on hand-picked edges", () => {
    const edges = [
      0, -0, 1, -1, 0.1, 0.2, 0.1 + 0.2, 1 / 3, 2 / 3, 1e-6, 1e-7, 9.99e-7, 0.000001, 0.0000015, 123.456,
      1643.708, 0.008 + 1643.7, 1e15 - 1, 1e15, 1e15 + 0.5, 1e21, 1e21 - 65536, 2 ** 53, 2 ** 53 + 2, 1e300, -1e-300,
      5e-324, Number.MAX_VALUE, Number.EPSILON, 4.35, 0.5, 100, 1000000, 123456789012345, 12345678901234.5,
      0.30000000000000004, 99999999.99999999, 12345678.9, 1e-5, 1.5e-6,
    ];
    for (const x of edges) expect(asNumber(x)).toBe(String(x));
    expect(asNumber(NaN)).toBe("");
  });

  it("on any double", () => {
    fc.assert(fc.property(fc.double({ noNaN: true }), (x) => asNumber(x) === String(x)), { numRuns: runs * 5 });
  });

  it("on doubles of 16 and 17 digits in the positional range, powers of two and their neighbours", () => {
    const positional = fc.tuple(fc.double({ min: 1, max: 10, noNaN: true }), fc.integer({ min: -6, max: 14 })).map(([m, e]) => m * 10 ** e);
    fc.assert(fc.property(positional, (x) => asNumber(x) === String(x) && asNumber(-x) === String(-x)), { numRuns: runs * 10 });
    for (let e = -19; e < 50; e++) {
      const x = 2 ** e;
      for (const y of [x, x * (1 + Number.EPSILON), x * (1 - Number.EPSILON / 2), x * (1 + 2 * Number.EPSILON)]) expect(asNumber(y)).toBe(String(y));
    }
  });

  it("finds most of those digits itself, without String", () => {
    const digits = new Uint8Array(24);
    let found = 0;
    const count = 10_000;
    for (let i = 0; i < count; i++) {
      const x = (1 + (i * 0.6180339887498949) % 9) * 10 ** ((i % 20) - 5); // 16–17 digits mostly
      if (shortestDigits(x, digits) >= 0) found++;
    }
    expect(found / count).toBeGreaterThan(0.8);
  });

  it("on decimals with few digits and on results of arithmetic on them", () => {
    const decimal = fc.tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 9 })).map(([k, d]) => k / 10 ** d);
    fc.assert(
      fc.property(decimal, decimal, fc.constantFrom(0.5, 1, 1.5, 2, 3, 0.7), (a, b, speed) => {
        for (const x of [a, b, a + b, a - b, a * b, a / speed, b + a / speed, (a + b) * 1e-6]) {
          if (asNumber(x) !== String(x)) return false;
        }
        return true;
      }),
      { numRuns: runs * 5 },
    );
  });
});

describe("ByteChunks", () => {
  it("writes text as UTF-8, integers, and bytes, in order", () => {
    expect(written((o) => { o.text("naïve,"); o.int(0); o.byte(44); o.int(1234567); o.text("→z"); })).toBe("naïve,0,1234567→z");
  });

  it("writes an earlier cell again, also after the chunk grew", () => {
    expect(written((o) => { o.text("ab,"); o.number(12.5); o.byte(44); o.again(3, 7); o.text("x".repeat(100)); o.again(0, 2); }, 16)).toBe(`ab,12.5,12.5${"x".repeat(100)}ab`);
  });

  it("grows a chunk for a row longer than the chunk size, losing nothing", () => {
    const long = "x".repeat(10_000) + "é".repeat(3_000);
    expect(written((o) => { o.text("a"); o.text(long); o.number(1.25); }, 64)).toBe(`a${long}1.25`);
  });

  it("hands out the bytes since the last take, then starts empty", () => {
    const out = new ByteChunks(8192);
    out.text("one\n");
    expect(decode(out.take())).toBe("one\n");
    expect(out.length).toBe(0);
    out.number(2.5);
    expect(decode(out.take())).toBe("2.5");
  });

  it("with reuse, hands out views of one buffer, each holding its bytes until the next write", () => {
    const out = new ByteChunks(8192, true);
    out.text("first");
    const a = out.take();
    expect(decode(a)).toBe("first");
    out.text("SECOND");
    const b = out.take();
    expect(b.buffer).toBe(a.buffer);
    expect(decode(b)).toBe("SECOND");
    expect(decode(a)).toBe("SECON"); // overwritten, as the caller was told
    out.text("z".repeat(10_000)); // longer than a chunk: a buffer of its own, then back to the size
    expect(out.take().length).toBe(10_000);
    out.text("c");
    expect(decode(out.take())).toBe("c");
  });

  it("says it is ready to be taken only when nearly full", () => {
    const out = new ByteChunks(8192);
    out.text("y".repeat(4000));
    expect(out.ready).toBe(false);
    out.text("y".repeat(200));
    expect(out.ready).toBe(true);
  });
});
