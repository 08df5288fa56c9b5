import { existsSync, readdirSync, realpathSync, statSync } from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join, parse, resolve, sep } from "node:path";
import { OptionError } from "../policy/loader.ts";
import { removeOnInterrupt } from "./interrupt.ts";
import { makeFolder, partialPath, systemReason } from "../workload/output-files.ts";

/**
 * A results folder that appears only when complete: everything is written into a hidden sibling
 * folder, renamed into place by `commit()`. An interrupted run leaves no folder that looks finished.
 */
export class ResultsFolder {
  /** Stops the Ctrl-C / kill clean-up of the work folder (see removeOnInterrupt). */
  private readonly unwatch: () => void;

  private constructor(readonly finalPath: string, readonly workPath: string) {
    this.unwatch = removeOnInterrupt(workPath, "no results written, the partial folder removed");
  }

  /**
   * @param finalPath the folder the results will be (`--out`)
   * @param replace whether an existing non-empty folder may be replaced (`--force`)
   * @param inputs the files the run reads: a folder that holds one of them is never replaced
   */
  static async open(finalPath: string, replace: boolean, inputs: readonly string[] = []): Promise<ResultsFolder> {
    if (finalPath === "") throw new OptionError("the output folder is an empty name: give --out a folder");
    if (existsSync(finalPath)) {
      if (!statSync(finalPath).isDirectory()) throw new OptionError(`the output folder ${finalPath} is a file: choose another --out`);
      // Replacing the folder deletes it: never the current folder, one above it or a root, nor
      // one that holds the inputs (`--out .. --force` would have emptied the parent folder).
      const real = realpathSync(finalPath);
      if (parse(real).root === real || within(realpathSync(process.cwd()), real)) {
        throw new OptionError(`the output folder ${finalPath} is or holds the current folder: choose another --out`);
      }
      if (readdirSync(finalPath).length > 0) {
        if (!replace) throw new OptionError(`the output folder ${finalPath} exists and is not empty: choose another --out, or pass --force to replace it`);
        // The input as named (a link inside the folder goes with it) and as it really is.
        const held = inputs.find((input) => within(resolve(input), resolve(finalPath)) || (existsSync(input) && within(realpathSync(input), real)));
        if (held !== undefined) throw new OptionError(`the output folder ${finalPath} holds the input ${held}, which --force would delete: choose another --out`);
      }
    }
    // The work folder is a sibling of the final one, whatever way the path was spelt (`a/..`).
    const absolute = resolve(finalPath);
    const work = partialPath(absolute);
    try {
      await rm(work, { recursive: true, force: true });
      await makeFolder(work);
    } catch (err) {
      // The system's message names the hidden work folder (with this process's id): cut it off.
      throw new OptionError(`cannot create the output folder ${finalPath}: ${err instanceof Error ? systemReason(err) : String(err)}`);
    }
    return new ResultsFolder(finalPath, work);
  }

  path(...parts: string[]): string {
    return join(this.workPath, ...parts);
  }

  async writeText(relative: string, text: string): Promise<void> {
    await makeFolder(dirname(this.path(relative)));
    await writeFile(this.path(relative), text);
  }

  /** The path of a file to be written inside the folder, its own folder created. */
  async prepare(relative: string): Promise<string> {
    await makeFolder(dirname(this.path(relative)));
    return this.path(relative);
  }

  /** Removes a file or folder written so far (e.g. the partial files of a policy that failed). */
  async remove(relative: string): Promise<void> {
    await rm(this.path(relative), { recursive: true, force: true });
  }

  async commit(): Promise<void> {
    await rm(this.finalPath, { recursive: true, force: true });
    await rename(this.workPath, this.finalPath);
    this.unwatch();
  }

  async abandon(): Promise<void> {
    await rm(this.workPath, { recursive: true, force: true });
    this.unwatch();
  }
}

/** True when path is folder or lies below it (both real, absolute paths). */
function within(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep);
}

/** A new folder name under results/: date, time and the workload's name. */
export function defaultOutputPath(workload: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const name = basename(workload).replace(/\.csv(\.gz)?$/, "");
  let path = join("results", `${stamp}-${name}`);
  for (let i = 2; existsSync(path); i++) path = join("results", `${stamp}-${name}-${i}`);
  return path;
}
