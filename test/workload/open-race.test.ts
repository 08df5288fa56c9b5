/**
 * A file that passes the size check but cannot be opened a moment later (deleted, or its
 * permissions changed in between): the reader gets an InputError naming it, not a raw Error.
 * fs/promises' open is made to fail; stat still sees the file.
 */
import { describe, expect, it, vi } from "vitest";
import { fileURLToPath } from "node:url";

vi.mock("node:fs/promises", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs/promises")>();
  const denied = () => Promise.reject(Object.assign(new Error("EACCES: permission denied"), { code: "EACCES" }));
  return { ...fs, default: { ...fs, open: denied }, open: denied };
});

const { InputError, readWorkload, ZoneTable } = await import("../../src/index.ts");
const WORKLOAD = fileURLToPath(new URL("../fixtures/bad/ok-workload.csv", import.meta.url));

describe("a file that cannot be opened after its size was read", () => {
  it("is an InputError naming the file", async () => {
    const err: unknown = await readWorkload(WORKLOAD, new ZoneTable(false)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/ok-workload\.csv: cannot be read: EACCES/);
  });
});
