/**
 * scanCsv leaves no file open whatever fails: a bad delimiter (refused before the file is opened),
 * a caller's onEstimate that throws, a read that fails while the line density is sampled (which is
 * also an InputError naming the file, not a raw Error). fs/promises' open is wrapped to count the
 * handles opened and closed.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { fileURLToPath } from "node:url";
import type { FileHandle } from "node:fs/promises";

const handles = vi.hoisted(() => ({ opened: 0, closed: 0, failReads: false }));

vi.mock("node:fs/promises", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs/promises")>();
  const open = async (...args: Parameters<typeof fs.open>): Promise<FileHandle> => {
    const handle = await fs.open(...args);
    handles.opened++;
    const close = handle.close.bind(handle), read = handle.read.bind(handle);
    return Object.assign(handle, {
      close: async () => {
        handles.closed++;
        return close();
      },
      read: (...a: unknown[]) => (handles.failReads ? Promise.reject(Object.assign(new Error("EIO: i/o error, read"), { code: "EIO" })) : (read as (...b: unknown[]) => unknown)(...a)),
    });
  };
  return { ...fs, default: { ...fs, open }, open };
});

const { scanCsv } = await import("../../src/workload/csv-source.ts");
const { InputError } = await import("../../src/workload/errors.ts");
const WORKLOAD = fileURLToPath(new URL("../fixtures/bad/ok-workload.csv", import.meta.url));
const failure = (p: Promise<unknown>) => p.then(() => undefined, (err: unknown) => err);

afterEach(() => {
  handles.opened = handles.closed = 0;
  handles.failReads = false;
});

describe("scanCsv closes what it opened", () => {
  it("refuses a bad delimiter without opening the file", async () => {
    const err = await failure(scanCsv(WORKLOAD, () => {}, { delimiter: ";;" }));
    expect((err as Error).message).toMatch(/a CSV delimiter must be one ASCII character/);
    expect(handles.opened).toBe(0);
  });

  it("closes the file when onEstimate throws", async () => {
    const err = await failure(scanCsv(WORKLOAD, () => {}, { onEstimate: () => { throw new InputError("too many rows for this test", WORKLOAD); } }));
    expect((err as Error).message).toMatch(/too many rows for this test/);
    expect(handles.opened).toBe(1);
    expect(handles.closed).toBe(1);
  });

  it("closes the file and names it when sampling its lines fails", async () => {
    handles.failReads = true;
    const err = await failure(scanCsv(WORKLOAD, () => {}, { onEstimate: () => {} }));
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/ok-workload\.csv: cannot be read: EIO/);
    expect(handles.opened).toBe(1);
    expect(handles.closed).toBe(1);
  });

  it("reads a good file and closes it", async () => {
    let rows = 0;
    await scanCsv(WORKLOAD, () => void rows++, { onEstimate: () => {} });
    expect(rows).toBeGreaterThan(1);
    expect(handles.closed).toBe(handles.opened);
  });
});
