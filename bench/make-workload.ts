/**
 * Writes a synthetic benchmark workload: N containers for a cluster of M nodes of 32 cores /
 * 128 GiB, Poisson arrivals sized for about 85 % cpu load, exponential durations (mean 600 s),
 * requests of 0.5–8 cores. Deterministic (seedrandom). Used by bench/run.ts; also by hand:
 *   npx tsx bench/make-workload.ts OUT.csv[.gz] N M
 */
import { createWriteStream, existsSync, realpathSync } from "node:fs";
import { createGzip } from "node:zlib";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import seedrandom from "seedrandom";

export const NODE_CPU = 32;
export const NODE_MEM = 128;

export function* benchRows(count: number, nodes: number, seed = "bench"): Generator<string> {
  const rng = seedrandom(seed);
  const cpus = [0.5, 1, 1, 2, 2, 4, 8];
  const meanCpu = cpus.reduce((a, b) => a + b, 0) / cpus.length;
  const meanDuration = 600;
  const rate = (0.85 * nodes * NODE_CPU) / (meanCpu * meanDuration); // arrivals per second
  yield "id,arrival,duration,cpu,mem\n";
  let t = 0;
  let chunk = "";
  for (let i = 0; i < count; i++) {
    t += -Math.log(1 - rng()) / rate;
    const cpu = cpus[Math.floor(rng() * cpus.length)]!;
    const mem = cpu * (2 + Math.floor(rng() * 4));
    const duration = Math.round(-Math.log(1 - rng()) * meanDuration * 10) / 10;
    chunk += `c${i},${Math.round(t * 1000) / 1000},${duration},${cpu},${mem}\n`;
    if (chunk.length > 1 << 16) { yield chunk; chunk = ""; }
  }
  if (chunk) yield chunk;
}

export async function writeBenchWorkload(path: string, count: number, nodes: number): Promise<void> {
  const source = Readable.from(benchRows(count, nodes));
  if (path.endsWith(".gz")) await pipeline(source, createGzip({ level: 1 }), createWriteStream(path));
  else await pipeline(source, createWriteStream(path));
}

// Run as a command only when this file is the script named on the command line: the exact path,
// links resolved, not a name that merely ends the same way (say, a script workload.ts importing it).
// (argv[1] need not name a file, e.g. under `node -`: realpathSync would throw on import.)
const script = process.argv[1];
if (script && existsSync(script) && fileURLToPath(import.meta.url) === realpathSync(script)) {
  const [out, n, m] = process.argv.slice(2);
  await writeBenchWorkload(out!, Number(n ?? 1e6), Number(m ?? 1000));
}
