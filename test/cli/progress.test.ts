/**
 * The progress bar on standard error: drawn only on a terminal, redrawn only when the whole
 * percentage changes, cleared at the end; byte counts in MiB.
 */
import { describe, expect, it } from "vitest";
import { progressReporter } from "../../src/cli/progress.ts";

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream };
}

describe("progressReporter", () => {
  it("draws nothing when standard error is not a terminal", () => {
    const { writes, stream } = fakeStream(false);
    const p = progressReporter("first-fit", stream);
    p.update(5, 10);
    p.done();
    expect(writes).toEqual([]);
  });

  it("redraws only when the percentage changes, then clears its line", () => {
    const { writes, stream } = fakeStream(true);
    const p = progressReporter("first-fit", stream);
    for (let done = 0; done <= 10_000; done += 10) p.update(done, 10_000);
    expect(writes.length).toBe(101); // 0 % … 100 %
    expect(writes[50]).toBe(`\rfirst-fit [###############...............]  50% 5,000/10,000`);
    p.done();
    expect(writes.at(-1)).toBe("\r\x1b[K");
  });

  it("shows bytes in MiB, and never more than 100 % when the size was under-estimated", () => {
    const { writes, stream } = fakeStream(true);
    const p = progressReporter("reading", stream, "bytes");
    p.update(3 * 1048576, 2 * 1048576);
    expect(writes).toEqual([`\rreading [##############################] 100% 3 MiB/3 MiB`]);
  });
});
