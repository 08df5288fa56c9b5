#!/usr/bin/env node
// `npm test`: runs vitest with its usual terminal output plus the JSON reporter, then prints one
// plain closing line `N passed, N failed[, N skipped]` so a CI record shows how many tests ran.
// Extra arguments go to vitest (e.g. `npm test -- test/sim`).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dir = mkdtempSync(join(tmpdir(), "schedsim-vitest-"));
const report = join(dir, "report.json");
const vitest = join(import.meta.dirname, "..", "node_modules", "vitest", "vitest.mjs");
const run = spawnSync(process.execPath, [vitest, "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...process.argv.slice(2)], { stdio: "inherit" });
let code = run.status ?? 1;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, "utf8"));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ""}`);
  if (r.numTotalTests === 0) code = 1;
} else {
  console.log("0 passed, 1 failed");
  code = code || 1;
}
rmSync(dir, { recursive: true, force: true });
process.exit(code);
