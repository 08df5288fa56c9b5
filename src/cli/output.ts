import { existsSync, readdirSync, statSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { OptionError } from "../policy/loader.ts";

/**
 * A results folder that appears only when complete: everything is written into a hidden sibling
 * folder, renamed into place by `commit()`. An interrupted run leaves no folder that looks finished.
 */
export class ResultsFolder {
  private constructor(readonly finalPath: string, readonly workPath: string) {}

  static async open(finalPath: string, replace: boolean): Promise<ResultsFolder> {
    if (existsSync(finalPath) && !statSync(finalPath).isDirectory()) {
      throw new OptionError(`the output folder ${finalPath} is a file: choose another --out`);
    }
    if (existsSync(finalPath) && readdirSync(finalPath).length > 0 && !replace) {
      throw new OptionError(`the output folder ${finalPath} exists and is not empty: choose another --out, or pass --force to replace it`);
    }
    const work = join(dirname(finalPath), `.${basename(finalPath)}.partial-${process.pid}`);
    try {
      await rm(work, { recursive: true, force: true });
      await mkdir(work, { recursive: true });
    } catch (err) {
      throw new OptionError(`cannot create the output folder ${finalPath}: ${err instanceof Error ? err.message : String(err)}`);
    }
    return new ResultsFolder(finalPath, work);
  }

  path(...parts: string[]): string {
    return join(this.workPath, ...parts);
  }

  async writeText(relative: string, text: string): Promise<void> {
    await mkdir(dirname(this.path(relative)), { recursive: true });
    await writeFile(this.path(relative), text);
  }

  /** The path of a file to be written inside the folder, its own folder created. */
  async prepare(relative: string): Promise<string> {
    await mkdir(dirname(this.path(relative)), { recursive: true });
    return this.path(relative);
  }

  /** Removes a file or folder written so far (e.g. the partial files of a policy that failed). */
  async remove(relative: string): Promise<void> {
    await rm(this.path(relative), { recursive: true, force: true });
  }

  async commit(): Promise<void> {
    await rm(this.finalPath, { recursive: true, force: true });
    await rename(this.workPath, this.finalPath);
  }

  async abandon(): Promise<void> {
    await rm(this.workPath, { recursive: true, force: true });
  }
}

/** A new folder name under results/: date, time and the workload's name. */
export function defaultOutputPath(workload: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const name = basename(workload).replace(/\.csv(\.gz)?$/, "");
  let path = join("results", `${stamp}-${name}`);
  for (let i = 2; existsSync(path); i++) path = join("results", `${stamp}-${name}-${i}`);
  return path;
}
