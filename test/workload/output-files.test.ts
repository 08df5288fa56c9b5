/**
 * makeFolder is `mkdir -p` that always ends: Node's recursive mkdir never settles under /proc on
 * Linux (ENOENT for the folder although its parent exists), which hung `run --out /proc/x`.
 */
import { describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { mkdtemp, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cannotWrite, makeFolder } from "../../src/workload/output-files.ts";

async function inTemp(check: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "schedsim-folder-"));
  try {
    await check(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("makeFolder", () => {
  it("creates every missing folder down to the one asked for", async () => {
    await inTemp(async (dir) => {
      const deep = join(dir, "a", "b", "c");
      await makeFolder(deep);
      expect((await stat(deep)).isDirectory()).toBe(true);
    });
  });

  it("accepts a folder that is already there, and two callers making the same folder at once", async () => {
    await inTemp(async (dir) => {
      const deep = join(dir, "x", "y");
      await Promise.all([makeFolder(deep), makeFolder(deep), makeFolder(join(deep, "z"))]);
      await makeFolder(deep);
      expect((await stat(join(deep, "z"))).isDirectory()).toBe(true);
    });
  });

  it("refuses a path through a file, or ending on one, with the system's error", async () => {
    await inTemp(async (dir) => {
      await writeFile(join(dir, "file"), "");
      await expect(makeFolder(join(dir, "file", "sub"))).rejects.toMatchObject({ code: "ENOTDIR" });
      await expect(makeFolder(join(dir, "file"))).rejects.toMatchObject({ code: "EEXIST" });
    });
  });

  it("refuses a path through a link to nothing", async () => {
    await inTemp(async (dir) => {
      await symlink(join(dir, "nothing"), join(dir, "dangling"));
      await expect(makeFolder(join(dir, "dangling", "out"))).rejects.toHaveProperty("code");
      expect(existsSync(join(dir, "nothing"))).toBe(false);
    });
  });

  // Node's own recursive mkdir spins for ever on this path; a hang fails the test by its timeout.
  it.skipIf(!existsSync("/proc/self"))("ends with ENOENT under /proc, where the folder cannot be made though its parent exists", async () => {
    await expect(makeFolder("/proc/schedsim-no-such/out")).rejects.toMatchObject({ code: "ENOENT" });
  }, 10_000);
});

describe("cannotWrite", () => {
  it("turns a system error into an OptionError naming the path given, not the work file", async () => {
    await inTemp(async (dir) => {
      const err = await writeFile(join(dir, "no-such", ".w.csv.partial-123"), "").catch((e: unknown) => e);
      const mapped = cannotWrite("out/w.csv", err) as Error;
      expect(mapped.name).toBe("OptionError");
      expect(mapped.message).toBe("cannot write out/w.csv: ENOENT: no such file or directory");
    });
  });

  it("drops the call from any system message, with or without a path", () => {
    const system = (message: string) => Object.assign(new Error(message), { code: "X", syscall: "write" });
    expect((cannotWrite("w.csv", system("ENOSPC: no space left on device, write")) as Error).message).toBe("cannot write w.csv: ENOSPC: no space left on device");
    expect((cannotWrite("w.csv", system("EXDEV: cross-device link not permitted, rename '/a/.w' -> '/b/w'")) as Error).message).toBe("cannot write w.csv: EXDEV: cross-device link not permitted");
  });

  it("returns any other error as it is", () => {
    const other = Object.assign(new Error("bad row"), { code: "CSV_INVALID_ARGUMENT" });
    expect(cannotWrite("w.csv", other)).toBe(other);
    expect(cannotWrite("w.csv", "text")).toBe("text");
  });
});
