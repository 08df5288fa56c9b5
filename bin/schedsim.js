#!/usr/bin/env node
// The `schedsim` command. It runs the bundle that `npm install` builds into dist/ (scripts/build.mjs)
// when that bundle is newer than every source file; otherwise tsx runs the TypeScript sources
// directly, so an edited checkout never runs stale code. A user's `--policy ./my-policy.ts` is
// loaded by tsx either way, with no build step.
import { readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const bundle = `${root}dist/cli.mjs`;

/** Newest modification time of the files under a folder, ms. */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) t = Math.max(t, statSync(`${e.parentPath ?? e.path}/${e.name}`).mtimeMs);
  }
  return t;
}

function bundleIsFresh() {
  try {
    return statSync(bundle).mtimeMs >= Math.max(newest(`${root}src`), newest(`${root}policies`));
  } catch {
    return false;
  }
}

// A reader that stops early (`schedsim run ... | head`) is not an error; a standard output that
// cannot be written (a full disk) is, said in one line like any other.
process.stdout.on("error", (err) => {
  if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
  process.stderr.write(`schedsim: cannot write the standard output: ${err.message}\n`);
  process.exit(1);
});
let main;
if (process.env.SCHEDSIM_FROM_SOURCES !== "1" && bundleIsFresh()) {
  ({ main } = await import(bundle));
} else {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import("../src/cli/main.ts"));
}
process.exitCode = await main(process.argv.slice(2));
