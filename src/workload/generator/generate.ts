import { arrivalTimes } from "./arrivals.ts";
import { durationSampler } from "./durations.ts";
import { requestSampler } from "./requests.ts";
import { Rng, weightedTable } from "./rng.ts";
import { nodeIds, zoneNames, type ClusterSpec, type GeneratorSpec, type NetworkSpec } from "./spec.ts";
import { InputError } from "../errors.ts";
import { MAX_AMOUNT, MAX_TIME } from "../fields.ts";

/** What resampling draws from, loaded beforehand from the spec's `from` files (see sample-source.ts). */
export interface Samples {
  /** Durations of the source rows (s). */
  durations?: Float64Array;
  /** (cpu, mem, gpu) of the source rows, packed at 3·i. */
  requests?: Float64Array;
}

/** The native workload columns this spec writes: zone and priority only when the spec draws them. */
export function workloadColumns(spec: GeneratorSpec): string[] {
  const columns = ["id", "arrival", "duration", "cpu", "mem", "gpu"];
  if (spec.zones) columns.push("zone");
  if (spec.priorities) columns.push("priority");
  return columns;
}

/**
 * The containers of the spec, one row of strings a step, in `workloadColumns` order, arrivals
 * non-decreasing, ids idPrefix + 0, 1, … Numbers are written with String(x) (shortest round-trip).
 * Lazy: nothing is kept from one row to the next, so any count runs in constant memory. Stops after
 * `count` rows or at the first arrival after `until`, whichever comes first.
 * Each part draws from its own stream (rng.ts), so the draws of one never shift another's.
 */
export function* generateRows(spec: GeneratorSpec, samples: Samples = {}): Generator<string[]> {
  const stream = (name: string) => new Rng(spec.seed, name);
  const arrivals = arrivalTimes(spec.arrivals, spec.start, stream("arrivals"));
  const duration = durationSampler(spec.durations, stream("durations"), samples.durations);
  const request = requestSampler(spec.requests, stream("requests"), samples.requests);
  const zone = choiceSampler(spec.zones, stream("zones"));
  const priority = choiceSampler(spec.priorities, stream("priorities"));
  const count = spec.count ?? Infinity;
  const until = spec.until ?? Infinity;
  for (let i = 0; i < count; i++) {
    const arrival = arrivals.next().value as number;
    if (arrival > until) return;
    const [cpu, mem, gpu] = request();
    if (!(cpu <= MAX_AMOUNT && mem <= MAX_AMOUNT && gpu <= MAX_AMOUNT)) {
      throw new InputError(`the spec drew a request of (${cpu}, ${mem}, ${gpu}) for container ${spec.idPrefix + i}, above ${MAX_AMOUNT}, the largest amount schedsim holds exactly: check the request laws`);
    }
    const d = duration();
    // A law whose draws overflow (a lognormal with mu 1000) would write a file run refuses.
    if (!(d <= MAX_TIME) || !(Math.abs(arrival) <= MAX_TIME)) {
      throw new InputError(`the spec drew ${d <= MAX_TIME ? `an arrival of ${arrival}` : `a duration of ${d}`} s for container ${spec.idPrefix + i}, beyond ${MAX_TIME} s, the largest time schedsim accepts: check the arrival and duration laws (and --start)`);
    }
    const row = [spec.idPrefix + i, String(arrival), String(d), String(cpu), String(mem), String(gpu)];
    if (zone) row.push(zone());
    if (priority) row.push(String(priority()));
    yield row;
  }
}

function choiceSampler<T>(spec: { values: T[]; weights: number[] } | undefined, rng: Rng): (() => T) | undefined {
  if (!spec) return undefined;
  const table = weightedTable(spec.weights);
  return () => spec.values[rng.weighted(table)]!;
}

/** What run checks of a cluster file (parseCluster): every total of a resource within MAX_AMOUNT. */
export function checkClusterTotals(cluster: ClusterSpec): void {
  const total = { cpu: 0, mem: 0, gpu: 0 };
  for (const node of cluster.classes) {
    for (const k of ["cpu", "mem", "gpu"] as const) {
      total[k] += node[k] * node.count;
      if (!(total[k] <= MAX_AMOUNT)) throw new InputError(`the cluster spec's total ${k} passes ${MAX_AMOUNT}, the largest amount schedsim holds exactly: check the node classes`);
    }
  }
}

export const CLUSTER_COLUMNS = ["id", "cpu", "mem", "gpu", "speed", "zone", "startup"];

/**
 * The nodes of the cluster spec as native cluster CSV rows (CLUSTER_COLUMNS), class after class,
 * ids as `nodeIds` gives them (n0, n1, … by default). The zone field is empty for a class without one.
 */
export function* clusterRows(cluster: ClusterSpec): Generator<string[]> {
  checkClusterTotals(cluster);
  for (const [c, id] of nodeIds(cluster)) {
    const node = cluster.classes[c]!;
    yield [id, String(node.cpu), String(node.mem), String(node.gpu), String(node.speed), node.zone ?? "", String(node.startup)];
  }
}

export const ZONES_COLUMNS = ["from", "to", "latency_ms"];

/**
 * The zones latency CSV rows (ZONES_COLUMNS) over every zone of the spec (nodes' first, then the
 * containers'; see zoneNames). For each zone z, a row (z, z, sameMs) when that is not 0 (DESIGN.md
 * makes an unlisted same-zone pair 0) or a pair sets it; then for each later zone y, one row
 * (z, y, ms) that serves both directions, where ms is the pair given for either direction or
 * otherMs, or two rows (z, y) and (y, z) when pairs give both directions.
 */
export function* zonesRows(spec: GeneratorSpec & { network: NetworkSpec }): Generator<string[]> {
  const { sameMs, otherMs, pairs } = spec.network;
  const find = (from: string, to: string) => pairs.find((p) => p.from === from && p.to === to);
  const zones = zoneNames(spec);
  for (const [i, z] of zones.entries()) {
    const self = find(z, z);
    if (self || sameMs !== 0) yield [z, z, String(self?.ms ?? sameMs)];
    for (const y of zones.slice(i + 1)) {
      const there = find(z, y);
      const back = find(y, z);
      if (there && back) {
        yield [z, y, String(there.ms)];
        yield [y, z, String(back.ms)];
      } else {
        yield [z, y, String((there ?? back)?.ms ?? otherMs)];
      }
    }
  }
}
