import { mkdir, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { OptionError } from "../policy/loader.ts";

/**
 * Creates a folder and any missing folders above it, like `mkdir -p`, and always ends. Node's own
 * `mkdir(path, { recursive: true })` never settles when a folder's parent exists but the system
 * still answers ENOENT for the folder (any path under /proc on Linux): it takes ENOENT for a
 * missing parent, "creates" the parent, which exists, and tries the folder again, for ever. Here
 * a folder is tried once more only after its parent was made or found, and that answer is final.
 */
export async function makeFolder(path: string): Promise<void> {
  try {
    await mkdir(path);
    return;
  } catch (err) {
    if (await existingFolder(err, path)) return;
    const parent = dirname(path);
    if (code(err) !== "ENOENT" || parent === path) throw err;
    await makeFolder(parent);
  }
  try {
    await mkdir(path);
  } catch (err) {
    if (!(await existingFolder(err, path))) throw err;
  }
}

/** True when mkdir failed because the path is already a folder (made meanwhile, or there before). */
async function existingFolder(err: unknown, path: string): Promise<boolean> {
  return code(err) === "EEXIST" && (await stat(path).then((s) => s.isDirectory(), () => false));
}

function code(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

/**
 * The hidden name an output is written under until it is complete, beside its final one:
 * `.NAME.partial-PID` (the process id, so that two runs never share one).
 */
export function partialPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.partial-${process.pid}`);
}

/**
 * A system error met while writing `path` (through a hidden work file beside it), as an
 * OptionError that names `path` and the reason, not the work file: "cannot write /ro/w.csv:
 * EACCES: permission denied". Any other error is returned as it is.
 */
export function cannotWrite(path: string, err: unknown): unknown {
  const system = err instanceof Error && typeof (err as NodeJS.ErrnoException).syscall === "string";
  return system ? new OptionError(`cannot write ${path}: ${systemReason(err)}`) : err;
}

/**
 * A system error's message without the call (and paths) it ends with: "ENOENT: no such file or
 * directory" from "…, open '/x/.w.csv.partial-12'", "ENOSPC: no space left on device" from "…, write".
 */
export function systemReason(err: Error): string {
  return err.message.replace(/, [a-z]+(?: '.*')?$/, "");
}
