#!/usr/bin/env node
// The `schedsim` command. tsx lets Node 20 run the TypeScript sources and a user's
// `--policy ./my-policy.ts` directly, with no build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
