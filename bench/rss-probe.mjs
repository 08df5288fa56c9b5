// Loaded with `node --import ./bench/rss-probe.mjs ...`: reports the process's peak resident set
// size on standard error when it exits, so the benchmark can read it for any command.
import { writeSync } from "node:fs";

process.on("exit", () => {
  writeSync(2, `\nBENCH_MAX_RSS_KB ${process.resourceUsage().maxRSS}\n`);
});
