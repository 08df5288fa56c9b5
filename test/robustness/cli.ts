/**
 * Runs the real command line (`node bin/schedsim.js ...`) in a child process, from the repository's
 * root, with `--out` inside a fresh temporary folder, so a test can check the exit code, the exact
 * text on standard error and what was left on disk.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const BIN = join(ROOT, "bin", "schedsim.js");
/** The bad-input corpus, relative to the repository root (as a user would type it). */
export const BAD = "test/fixtures/bad/";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The temporary folder that holds `out`; nothing else should ever appear in it. */
  dir: string;
  /** The `--out` folder given to the run. */
  out: string;
}

/** Runs `schedsim ARGS... --out DIR/results` (unless `out: false`); never rejects. */
export async function cli(args: readonly string[], options: { out?: boolean; cwd?: string } = {}): Promise<CliRun> {
  const dir = await mkdtemp(join(tmpdir(), "schedsim-cli-"));
  const out = join(dir, "results");
  const argv = options.out === false ? [...args] : [...args, "--out", out];
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...argv], { cwd: options.cwd ?? ROOT, maxBuffer: 1 << 26, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
      resolve({ code, stdout, stderr, dir, out });
    });
  });
}

/** Entries of the run's temporary folder (the results folder and anything left beside it). */
export async function leftovers(run: CliRun): Promise<string[]> {
  return (await readdir(run.dir)).sort();
}

export async function cleanUp(run: CliRun): Promise<void> {
  await rm(run.dir, { recursive: true, force: true });
}

/** Runs the CLI, hands the run to `check`, then removes its temporary folder whatever happened. */
export async function withCli<T>(args: readonly string[], check: (run: CliRun) => Promise<T> | T, options: { out?: boolean; cwd?: string } = {}): Promise<T> {
  const run = await cli(args, options);
  try {
    return await check(run);
  } finally {
    await cleanUp(run);
  }
}
