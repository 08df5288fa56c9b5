#!/usr/bin/env node
// The `schedsim` command. tsx lets Node 20 run the TypeScript sources and a user's
// `--policy ./my-policy.ts` directly, with no build step.
import { register } from "tsx/esm/api";

register();
// A reader that stops early (`schedsim run ... | head`) is not an error.
process.stdout.on("error", (err) => {
  if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw err;
});
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
