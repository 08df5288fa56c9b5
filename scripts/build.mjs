// Bundles the CLI and its worker threads into dist/ (run by `npm install` through the `prepare`
// script, or by hand with `npm run build`), so that `schedsim` starts without compiling its
// TypeScript on every run. It is an optimisation only: when dist/ is missing or older than the
// sources, bin/schedsim.js runs the sources through tsx, and a user's `--policy ./mine.ts` is
// always loaded by tsx. A build that fails says so and leaves the sources in charge.
import { renameSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
// Built beside dist/ and renamed into place, so that a schedsim started meanwhile never loads a
// half-written bundle.
const staging = `${root}dist.partial-${process.pid}`;
try {
  const { build } = await import("esbuild");
  await build({
    absWorkingDir: root,
    entryPoints: { cli: "src/cli/main.ts", "output-worker": "src/cli/output-worker.ts", "policy-worker": "src/cli/policy-worker.ts" },
    outdir: staging,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // Dependencies go into the bundle too: one file starts in about 60 ms less than the same
    // code spread over the many modules of yargs and the CSV libraries. tsx, which loads a user's
    // TypeScript policy, stays outside. CommonJS dependencies (seedrandom) get a `require`.
    external: ["tsx", "tsx/*"],
    banner: { js: "import { createRequire as schedsimCreateRequire } from 'node:module'; const require = schedsimCreateRequire(import.meta.url);" },
    sourcemap: true,
    logLevel: "warning",
  });
  rmSync(`${root}dist`, { recursive: true, force: true });
  renameSync(staging, `${root}dist`);
} catch (err) {
  rmSync(staging, { recursive: true, force: true });
  rmSync(`${root}dist`, { recursive: true, force: true });
  process.stderr.write(`schedsim: no prebuilt CLI (${err instanceof Error ? err.message : String(err)}); it will run from the sources through tsx\n`);
}
