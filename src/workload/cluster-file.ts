import { makeCluster, type ClusterSpec } from "../model/cluster.ts";
import { toMicro } from "../model/resources.ts";
import { ZoneTable } from "../model/zones.ts";
import { InputError } from "./errors.ts";
import { boundedAmount, boundedTime, MAX_AMOUNT, MAX_TIME, MIN_SPEED, parseNonNegative, parseNumber } from "./fields.ts";
import { Header } from "./header.ts";
import { readCsvRecords } from "./csv-source.ts";

export const CLUSTER_COLUMNS = ["id", "cpu", "mem", "gpu", "speed", "zone", "startup"] as const;
export const ZONES_COLUMNS = ["from", "to", "latency_ms"] as const;

/** The most nodes `--nodes` makes. */
const MAX_NODES = 10_000_000;

type NodeRow = { id: string; cpu: number; mem: number; gpu: number; speed: number; startup: number; zone: number };

/** Parses cluster CSV records (`id,cpu,mem[,gpu][,speed][,zone][,startup]`) into a ClusterSpec. Pure. */
export function parseCluster(records: Iterable<{ fields: string[]; line: number }>, zones: ZoneTable, file?: string): { cluster: ClusterSpec; warnings: string[] } {
  let header: Header | undefined;
  const nodes: NodeRow[] = [];
  const seen = new Map<string, number>();
  const warnings: string[] = [];
  const total = { cpu: 0, mem: 0, gpu: 0 };
  for (const { fields: f, line } of records) {
    if (!header) {
      header = Header.open(f, CLUSTER_COLUMNS, ["id", "cpu", "mem"], file, line, warnings);
      continue;
    }
    const get = (name: string) => header!.field(f, name);
    const site = (column: string) => ({ file, line, column });
    const id = get("id");
    if (id === "") throw new InputError("the node id is empty", file, line, "id");
    const earlier = seen.get(id);
    if (earlier !== undefined) throw new InputError(`duplicate node id: already on line ${earlier}`, file, line, "id", id);
    seen.set(id, line);
    const speed = get("speed") === "" ? 1 : parseNumber(get("speed"), site("speed"));
    if (!(speed > 0)) throw new InputError("speed must be greater than 0", file, line, "speed", get("speed"));
    // A duration over a speed must stay finite: 10¹⁰ s at 10⁻⁶ is 10¹⁶ s.
    if (speed < MIN_SPEED) throw new InputError(`speed must be at least ${MIN_SPEED}`, file, line, "speed", get("speed"));
    const zoneName = get("zone");
    let zone = -1;
    if (zoneName !== "") {
      if (zones.strict && zones.find(zoneName) === undefined) throw new InputError(`unknown zone "${zoneName}": it is not in the zones file`, file, line, "zone", zoneName);
      zone = zones.intern(zoneName);
    }
    const amount = (column: "cpu" | "mem" | "gpu") => {
      const x = boundedAmount(parseNonNegative(get(column), site(column)), site(column), get(column));
      // Every sum of a resource over the nodes must stay exact too (the cluster's allocation).
      total[column] += x;
      if (total[column] > MAX_AMOUNT) throw new InputError(`the cluster's total ${column} passes ${MAX_AMOUNT} on this line, the largest amount held exactly`, file, line, column, get(column));
      return toMicro(x);
    };
    nodes.push({
      id,
      cpu: amount("cpu"),
      mem: amount("mem"),
      gpu: get("gpu") === "" ? 0 : amount("gpu"),
      speed,
      startup: get("startup") === "" ? 0 : boundedTime(parseNonNegative(get("startup"), site("startup")), site("startup"), get("startup")),
      zone,
    });
  }
  if (!header) throw new InputError("the file is empty (expected a header line)", file, 1);
  if (nodes.length === 0) throw new InputError("no nodes: the file has a header and no rows", file, header.line);
  const cluster = makeCluster(nodes);
  assertUsableCluster(cluster, file);
  return { cluster, warnings };
}

/** N identical nodes `n0`…`n{N-1}` (the `--nodes` shorthand); amounts in their units. */
export function uniformCluster(count: number, cpu: number, mem: number, gpu = 0): ClusterSpec {
  if (!Number.isInteger(count) || count < 1) throw new InputError(`--nodes must be a whole number ≥ 1 (got ${count})`);
  // Beyond this the node arrays alone would not fit a machine's memory (V8 gives up with a crash).
  if (count > MAX_NODES) throw new InputError(`--nodes must be at most ${MAX_NODES} (got ${count})`);
  for (const [name, v] of [["--node-cpu", cpu], ["--node-mem", mem], ["--node-gpu", gpu]] as const) {
    if (!Number.isFinite(v) || v < 0) throw new InputError(`${name} must be a number ≥ 0 (got ${v})`);
    if (v * count > MAX_AMOUNT) throw new InputError(`--nodes ${count} × ${name} ${v} passes ${MAX_AMOUNT}, the largest total amount held exactly`);
  }
  const nodes = Array.from({ length: count }, (_, i) => ({ id: `n${i}`, cpu: toMicro(cpu), mem: toMicro(mem), gpu: toMicro(gpu) }));
  const cluster = makeCluster(nodes);
  assertUsableCluster(cluster, undefined);
  return cluster;
}

function assertUsableCluster(cluster: ClusterSpec, file: string | undefined): void {
  if (cluster.capacity.every((x) => x === 0)) throw new InputError("the cluster has no capacity at all (every node is 0 on every resource)", file);
}

/** Parses zones CSV records (`from,to,latency_ms`) into a strict ZoneTable. Pure. */
export function parseZones(records: Iterable<{ fields: string[]; line: number }>, file?: string): { zones: ZoneTable; warnings: string[] } {
  const zones = new ZoneTable(true);
  let header: Header | undefined;
  const warnings: string[] = [];
  const listed = new Set<string>();
  for (const { fields: f, line } of records) {
    if (!header) {
      header = Header.open(f, ZONES_COLUMNS, ZONES_COLUMNS, file, line, warnings);
      continue;
    }
    const get = (name: string) => header!.field(f, name);
    const from = get("from"), to = get("to");
    if (from === "") throw new InputError("the zone name is empty", file, line, "from");
    if (to === "") throw new InputError("the zone name is empty", file, line, "to");
    const key = JSON.stringify([from, to]);
    if (listed.has(key)) throw new InputError(`the pair ${from} → ${to} is listed twice`, file, line, "to", to);
    listed.add(key);
    const site = { file, line, column: "latency_ms" };
    const latency = parseNonNegative(get("latency_ms"), site);
    if (latency > MAX_TIME * 1000) throw new InputError(`above ${MAX_TIME * 1000} ms (317 years), the longest latency schedsim accepts`, file, line, "latency_ms", get("latency_ms"));
    zones.set(from, to, latency);
  }
  if (!header) throw new InputError("the file is empty (expected a header line)", file, 1);
  return { zones, warnings };
}

/** Where the containers' zones were read from, to name the line of a zone with a missing pair. */
export interface ZoneSites {
  file?: string;
  /** Source line of each container, in the order of `containerZones`. */
  lines: ArrayLike<number>;
}

/**
 * With a zones file, every pair between a container zone and a node zone must resolve:
 * a missing pair is an error before the run starts. With `sites`, the error names the first
 * container line with that zone; otherwise the zones file.
 */
export function checkZonePairs(zones: ZoneTable, cluster: ClusterSpec, containerZones: ArrayLike<number>, file?: string, sites?: ZoneSites): void {
  if (!zones.strict) return;
  const nodeZones = [...new Set(cluster.zone)].filter((z) => z >= 0);
  const checked = new Set<number>();
  for (let i = 0; i < containerZones.length; i++) {
    const from = containerZones[i]!;
    if (from < 0 || checked.has(from)) continue;
    checked.add(from);
    for (const to of nodeZones) {
      if (zones.resolve(from, to) !== undefined) continue;
      const node = cluster.ids[cluster.zone.indexOf(to)];
      const reason = `no latency from zone "${zones.names[from]}" to zone "${zones.names[to]}" (of node "${node}"): list the pair in ${file ?? "the zones file"}, in either direction`;
      if (!sites) throw new InputError(reason, file);
      throw new InputError(reason, sites.file, sites.lines[i], "zone", zones.names[from]);
    }
  }
}

export async function readCluster(path: string, zones: ZoneTable) {
  return parseCluster(await readCsvRecords(path), zones, path);
}

export async function readZones(path: string) {
  return parseZones(await readCsvRecords(path), path);
}
