/**
 * Writes the bundled default workload, cluster and zones (run: `npx tsx workloads/default/make.ts`).
 * Deterministic (seedrandom, seed "schedsim-default"), so the files can always be rebuilt
 * byte for byte. Designed so the policy families visibly differ:
 *  - node speeds 0.5 / 1 / 2 → `fastest` lowers R (core-seconds) and raises P;
 *  - users in three zones with 5–150 ms between them and node startups 0–3 s → `nearest` lowers D_net;
 *  - mixed cpu-heavy and memory-heavy requests at about 75 % load → the resource policies differ
 *    on waits (D_wait) and on how many nodes they touch.
 */
import { writeFileSync } from "node:fs";
import { stringify } from "csv-stringify/sync";
import seedrandom from "seedrandom";

const here = new URL(".", import.meta.url);
const rng = seedrandom("schedsim-default");
const round = (x: number, step: number) => Math.round(x / step) * step;
const pick = <T>(items: readonly [T, number][]): T => {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let u = rng() * total;
  for (const [item, w] of items) if ((u -= w) < 0) return item;
  return items[items.length - 1]![0];
};

const zones = [["eu", "eu", 2], ["us", "us", 2], ["asia", "asia", 2], ["eu", "us", 80], ["eu", "asia", 150], ["us", "asia", 120]];
writeFileSync(new URL("zones.csv", here), stringify(zones, { header: true, columns: ["from", "to", "latency_ms"] }));

const nodeClasses = [
  // count, prefix, cpu, mem, gpu, speed, zone, startup
  [4, "eu-std", 16, 64, 0, 1, "eu", 0.5],
  [2, "eu-big", 32, 256, 0, 0.5, "eu", 0],
  [3, "us-fast", 16, 32, 0, 2, "us", 3],
  [2, "us-gpu", 32, 128, 4, 1.5, "us", 2],
  [3, "asia-std", 16, 64, 0, 1, "asia", 1],
] as const;
const nodes: (string | number)[][] = [];
for (const [count, prefix, cpu, mem, gpu, speed, zone, startup] of nodeClasses) {
  for (let i = 0; i < count; i++) nodes.push([`${prefix}-${i}`, cpu, mem, gpu, speed, zone, startup]);
}
writeFileSync(new URL("cluster.csv", here), stringify(nodes, { header: true, columns: ["id", "cpu", "mem", "gpu", "speed", "zone", "startup"] }));

const shapes: [[number, number, number], number][] = [
  [[0.5, 1, 0], 30], [[1, 2, 0], 25], [[2, 4, 0], 15], [[4, 8, 0], 8], // web / batch
  [[1, 16, 0], 8], [[2, 32, 0], 4], // memory-heavy
  [[8, 8, 0], 5], // cpu-heavy
  [[4, 16, 1], 4], [[8, 32, 0.5], 1], // gpu
];
const userZones: [string, number][] = [["eu", 5], ["us", 3], ["asia", 2]];
const rows: (string | number)[][] = [];
let t = 0;
const count = 4000;
const rate = 1.4; // arrivals per second: about 85 % of the cluster's cpu at speed 1, so queues form at peaks
for (let i = 0; i < count; i++) {
  t += -Math.log(1 - rng()) / rate;
  const [cpu, mem, gpu] = pick(shapes);
  // lognormal durations, median 60 s, heavy right tail
  const z = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const duration = Math.max(1, round(60 * Math.exp(1.0 * z), 0.1));
  rows.push([`c${i}`, round(t, 0.001), duration, cpu, mem, gpu, pick(userZones), pick([[0, 8], [1, 2]])]);
}
for (const r of rows) { r[1] = Number((r[1] as number).toFixed(3)); r[2] = Number((r[2] as number).toFixed(1)); }
writeFileSync(new URL("workload.csv", here), stringify(rows, { header: true, columns: ["id", "arrival", "duration", "cpu", "mem", "gpu", "zone", "priority"] }));
console.log(`wrote ${rows.length} containers, ${nodes.length} nodes, ${zones.length} zone pairs`);
